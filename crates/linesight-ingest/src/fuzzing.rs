//! Entry point for fuzzing the row parser (used by `fuzz/fuzz_targets/parse_row.rs` and
//! by a bounded in-test fuzz loop). Must never panic, whatever the input.

use std::sync::LazyLock;

use arrow_array::RecordBatch;
use linesight_model::progress::NoProgress;

use crate::IngestError;
use crate::detect::detect;
use crate::parse::{FileCtx, Sink, parse_file};
use crate::profile::{Profile, builtin_profiles};

static PROFILES: LazyLock<Vec<Profile>> = LazyLock::new(builtin_profiles);

struct Discard;

impl Sink for Discard {
    fn put(&mut self, _table: &'static str, batch: RecordBatch) -> Result<(), IngestError> {
        // Touch the batch so building it is not optimised away.
        std::hint::black_box(batch.num_rows());
        Ok(())
    }
}

/// The header line a built-in profile expects (its mapped columns, in sorted order).
pub fn header_for(profile: &Profile) -> String {
    let cols: Vec<&str> = profile.columns.values().map(String::as_str).collect();
    cols.join(&(profile.delimiter as char).to_string())
}

/// Parses `data[1..]` as the body of a file under the built-in profile chosen by
/// `data[0]`, discarding the output. Returns (rows stored, rows quarantined), or `None`
/// for empty input.
pub fn parse_bytes(data: &[u8]) -> Option<(u64, u64)> {
    let (&pick, body) = data.split_first()?;
    let profile = &PROFILES[usize::from(pick) % PROFILES.len()];
    let header = header_for(profile);
    let layout = detect(header.as_bytes(), &PROFILES).ok()?;
    let mut file = Vec::with_capacity(header.len() + 1 + body.len());
    file.extend_from_slice(header.as_bytes());
    file.push(b'\n');
    file.extend_from_slice(body);
    let ctx = FileCtx {
        path: "fuzz.csv",
        sha: &"0".repeat(64),
        run: "fuzz",
    };
    let out = parse_file(file.as_slice(), &layout, &ctx, &mut Discard, &NoProgress).ok()?;
    let mut legs = out.legs;
    let mut set = crate::merge::LegSet::default();
    set.absorb(std::mem::take(&mut legs));
    crate::merge::build_events(&mut set, crate::MERGE_TOLERANCE_S, |_| Ok(())).ok()?;
    Some((out.stored, out.quarantined))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_profile_parses_a_seed_row() {
        for (i, p) in PROFILES.iter().enumerate() {
            let header = header_for(p);
            let layout = detect(header.as_bytes(), &PROFILES).unwrap();
            assert_eq!(
                layout.profile.name, p.name,
                "header {header} detects its own profile"
            );
            let _ = parse_bytes(&[i as u8, b'x']).unwrap();
        }
    }
}
