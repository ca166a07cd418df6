//! Provenance: where a stored record came from, so any finding can be traced back to the
//! exact row of the exact file that was served by the operator.

use std::fmt;

/// SHA-256 of a source file's bytes: the file's identity, independent of its name.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileHash(pub [u8; 32]);

impl FileHash {
    /// Lower-case hex, the form used in manifests, schedules and Parquet columns.
    pub fn to_hex(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(64);
        for b in self.0 {
            s.push(HEX[usize::from(b >> 4)] as char);
            s.push(HEX[usize::from(b & 0xf)] as char);
        }
        s
    }

    /// Parses the 64-character hex form written by [`FileHash::to_hex`].
    pub fn from_hex(s: &str) -> Option<Self> {
        let bytes = s.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks_exact(2).enumerate() {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            out[i] = u8::try_from(hi * 16 + lo).ok()?;
        }
        Some(Self(out))
    }
}

impl fmt::Debug for FileHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FileHash({})", &self.to_hex()[..12])
    }
}

impl fmt::Display for FileHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// Identifier of one ingest run, e.g. `run-20261125T114621Z-3f2a`. Chosen by the caller
/// (the model reads no clock).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunId(pub String);

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where one record came from: the source file's content hash, the 1-based row (data rows
/// after the header for delimited files, element number for XML), and the ingest run.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Provenance {
    /// SHA-256 of the whole source file.
    pub file: FileHash,
    /// 1-based data row (or element) number within that file.
    pub row: u64,
    /// The ingest run that stored the record.
    pub run: RunId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let mut b = [0u8; 32];
        for (i, x) in b.iter_mut().enumerate() {
            *x = u8::try_from(i * 7 % 256).unwrap();
        }
        let h = FileHash(b);
        assert_eq!(FileHash::from_hex(&h.to_hex()), Some(h));
        assert_eq!(FileHash::from_hex("zz"), None);
        assert!(h.to_hex().starts_with("00070e15"));
    }
}
