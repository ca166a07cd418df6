//! The case manifest: the single source of truth for what a case holds. Readers see only
//! the Parquet files it lists; a run becomes visible when a new manifest is renamed over
//! the old one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Version of the manifest layout written by this crate. A case written by a newer
/// version is refused rather than misread.
pub const FORMAT_VERSION: u32 = 1;

/// The contents of `manifest.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Layout version ([`FORMAT_VERSION`]).
    pub format_version: u32,
    /// Case identifier (the case folder's name when the case was created).
    pub case_id: String,
    /// Every committed run, oldest first.
    pub runs: Vec<RunEntry>,
    /// For each table, the Parquet files currently live, relative to the case folder
    /// with `/` separators, in the order they were added.
    pub tables: BTreeMap<String, Vec<String>>,
}

impl Manifest {
    /// An empty manifest for a new case.
    pub fn new(case_id: impl Into<String>) -> Self {
        Self {
            format_version: FORMAT_VERSION,
            case_id: case_id.into(),
            runs: Vec::new(),
            tables: BTreeMap::new(),
        }
    }

    /// Every source file ingested so far, across runs.
    pub fn files(&self) -> impl Iterator<Item = (&RunEntry, &FileEntry)> {
        self.runs
            .iter()
            .flat_map(|r| r.files.iter().map(move |f| (r, f)))
    }
}

/// One committed ingest run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunEntry {
    /// The run's identifier.
    pub run_id: String,
    /// When the run started (RFC 3339, supplied by the caller).
    pub started: String,
    /// When the run finished (RFC 3339, supplied by the caller).
    pub finished: String,
    /// Source files ingested by the run.
    pub files: Vec<FileEntry>,
}

/// One source file ingested by a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    /// The path as it was given to ingest.
    pub path: String,
    /// SHA-256 of the file's bytes, lower-case hex: the file's identity.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Name of the profile that read it.
    pub profile: String,
    /// Profile kind: `events`, `cells` or `subscribers`.
    pub kind: String,
    /// Data rows read (excluding the header and blank lines).
    pub rows_read: u64,
    /// Rows stored in the file's target table.
    pub records: u64,
    /// Rows sent to the quarantine table.
    pub quarantined: u64,
}

/// Caller-supplied facts about a run, recorded at commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunMeta {
    /// When the run started (RFC 3339).
    pub started: String,
    /// When the run finished (RFC 3339).
    pub finished: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json() {
        let mut m = Manifest::new("case-1");
        m.tables.insert(
            "records".into(),
            vec!["tables/records/r1/part-0.parquet".into()],
        );
        m.runs.push(RunEntry {
            run_id: "r1".into(),
            started: "2026-01-01T00:00:00Z".into(),
            finished: "2026-01-01T00:00:01Z".into(),
            files: vec![FileEntry {
                path: "a.csv".into(),
                sha256: "00".repeat(32),
                bytes: 10,
                profile: "p".into(),
                kind: "events".into(),
                rows_read: 2,
                records: 1,
                quarantined: 1,
            }],
        });
        let text = serde_json::to_string_pretty(&m).unwrap();
        assert_eq!(serde_json::from_str::<Manifest>(&text).unwrap(), m);
        assert_eq!(m.files().count(), 1);
    }
}
