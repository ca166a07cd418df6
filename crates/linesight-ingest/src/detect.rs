//! Profile detection from a file's header line, and refusal of files that cannot be read
//! as text at all (UTF-16, other encodings, no header).

use std::collections::HashMap;

use crate::profile::Profile;

/// Which profile reads a file, and where each canonical column is.
#[derive(Debug, Clone)]
pub(crate) struct Layout<'p> {
    pub(crate) profile: &'p Profile,
    /// Number of fields in the header (every row must have as many).
    pub(crate) width: usize,
    /// Canonical column → field index.
    pub(crate) index: HashMap<String, usize>,
}

/// Why the header could not be matched; becomes an [`crate::IngestError`] with the path.
#[derive(Debug)]
pub(crate) enum DetectError {
    /// Not UTF-8 text; the message suggests a conversion.
    Encoding(String),
    /// Nothing to read.
    Empty,
    /// No profile's columns are all present: one line per candidate.
    NoMatch(Vec<String>),
}

/// Picks the profile whose mapped columns are all present in the header, preferring the
/// one that maps most columns (ties go to the first by name).
pub(crate) fn detect<'p>(
    header: &[u8],
    profiles: &'p [Profile],
) -> Result<Layout<'p>, DetectError> {
    if header.starts_with(&[0xFF, 0xFE]) || header.starts_with(&[0xFE, 0xFF]) || header.contains(&0)
    {
        let (from, hint) = if header.starts_with(&[0xFE, 0xFF]) {
            ("UTF-16BE", "UTF-16BE")
        } else {
            ("UTF-16LE", "UTF-16")
        };
        return Err(DetectError::Encoding(format!(
            "the file looks like {from} text, not UTF-8; convert it first, e.g. `iconv -f {hint} -t UTF-8 in.csv > out.csv`"
        )));
    }
    let header = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header);
    let text = std::str::from_utf8(header).map_err(|e| {
        DetectError::Encoding(format!(
            "the header is not valid UTF-8 (bad byte at column {}); the file is probably in a legacy encoding: \
             convert it first, e.g. `iconv -f WINDOWS-1252 -t UTF-8 in.csv > out.csv`",
            e.valid_up_to() + 1
        ))
    })?;
    let text = text.trim_end_matches(['\n', '\r']);
    if text.trim().is_empty() {
        return Err(DetectError::Empty);
    }
    let mut best: Option<Layout<'p>> = None;
    let mut misses = Vec::new();
    let mut sorted: Vec<&Profile> = profiles.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    for p in sorted {
        let names: Vec<&str> = text
            .split(p.delimiter as char)
            .map(|f| f.trim().trim_matches('"').trim())
            .collect();
        let mut index = HashMap::new();
        let mut missing = Vec::new();
        for (canon, col) in &p.columns {
            match names.iter().position(|n| n.eq_ignore_ascii_case(col)) {
                Some(i) => {
                    index.insert(canon.clone(), i);
                }
                None => missing.push(format!("{col:?}")),
            }
        }
        if missing.is_empty() {
            if best.as_ref().is_none_or(|b| index.len() > b.index.len()) {
                best = Some(Layout {
                    profile: p,
                    width: names.len(),
                    index,
                });
            }
        } else {
            let sep = match p.delimiter {
                b'\t' => "tab".to_owned(),
                d => format!("{:?}", d as char),
            };
            misses.push(format!(
                "{} (separator {sep}): missing {}",
                p.name,
                missing.join(", ")
            ));
        }
    }
    best.ok_or(DetectError::NoMatch(misses))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::builtin_profiles;

    #[test]
    fn detects_each_builtin_and_explains_misses() {
        let ps = builtin_profiles();
        let alba = b"record_id,event_type,direction,served_msisdn,other_party,served_imsi,served_imei,start_time_utc,duration_s,first_cgi,last_cgi\r\n";
        assert_eq!(detect(alba, &ps).unwrap().profile.name, "alba-cdr-v1");
        let bom = [b"\xEF\xBB\xBF".as_slice(), alba].concat();
        assert_eq!(detect(&bom, &ps).unwrap().width, 11);
        let brig = b"Call Date;Call Time;Call Type;Target Number;Other Number;IMSI;IMEI;Duration;Start LAC;Start CI;End LAC;End CI";
        assert_eq!(detect(brig, &ps).unwrap().profile.name, "brig-cdr-v1");
        let Err(DetectError::NoMatch(m)) = detect(b"a,b,served_msisdn", &ps) else {
            panic!()
        };
        assert_eq!(m.len(), 5);
        assert!(
            m.iter()
                .any(|l| l.starts_with("alba-cdr-v1") && l.contains("\"start_time_utc\"")),
            "{m:?}"
        );
        assert!(
            matches!(detect(b"\xFF\xFEa\0b\0", &ps), Err(DetectError::Encoding(m)) if m.contains("iconv"))
        );
        assert!(
            matches!(detect(b"caf\xE9,x", &ps), Err(DetectError::Encoding(m)) if m.contains("WINDOWS-1252"))
        );
        assert!(matches!(detect(b"\r\n", &ps), Err(DetectError::Empty)));
    }
}
