//! linesight-sim: an open county-lines world generator with ground truth.
//!
//! [`simulate`] builds a world from a [`SimConfig`] (hubs and towns at real coordinates,
//! three operators' cells, a background population with look-alike businesses, and
//! county lines with their phones, runners, customers, cuckooed homes and disruptions),
//! then generates traffic one local day at a time and writes, under the output folder:
//!
//! - `exports/alba_cdr.csv`, `exports/brig_cdr.csv`, `exports/corv_cdr.tsv`: one row per
//!   leg of each subscriber party, in each operator's layout (docs/formats.md), with junk
//!   rows injected at the `noise` rate;
//! - `cells.csv` and `subscribers.csv`;
//! - `intel/line-names.csv`: what intelligence calls some of the lines (an analyst's input,
//!   not ground truth);
//! - `truth/`: the ground truth and `summary.json` ([`TruthSummary`]).
//!
//! The same config gives byte-identical files: randomness comes from the crate's own
//! generator ([`rng`](crate::rng) explains why not `rand`), with independent streams per
//! day and per line. Memory holds the world and one day of rows, never the whole period.

mod clock;
mod config;
mod export;
mod geo;
mod names;
mod traffic;
mod truth;
mod world;

use std::path::{Path, PathBuf};

use linesight_model::progress::{Progress, Unit};

pub use config::{Scale, SimConfig};
pub use truth::{KindCounts, RoleCounts, TruthSummary};

/// Why a simulation could not run or finish.
#[derive(thiserror::Error, Debug)]
pub enum SimError {
    /// A configuration value that cannot make a world.
    #[error("invalid simulation config: {0}")]
    Config(String),
    /// Reading or writing a file failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// Generates a world and writes its exports, reference files and ground truth under
/// `out_dir` (created if missing). Returns what `truth/summary.json` holds.
pub fn simulate(
    config: &SimConfig,
    out_dir: &Path,
    progress: &dyn Progress,
) -> Result<TruthSummary, SimError> {
    config.validate().map_err(SimError::Config)?;
    for sub in ["exports", "truth"] {
        let p = out_dir.join(sub);
        std::fs::create_dir_all(&p).map_err(|source| SimError::Io { path: p, source })?;
    }
    progress.stage("building world", None, Unit::Items);
    let world = world::build(config);
    let cells = truth::write_cells(&world, out_dir, config.seed)?;
    let subscribers = truth::write_subscribers(&world, out_dir, config.seed)?;

    progress.stage("simulating days", Some(u64::from(config.days)), Unit::Days);
    let mut ex = export::Exporter::create(out_dir, config.noise, config.seed, &world.clock)?;
    let mut events = Vec::new();
    let local0 = world.clock.local(world.start);
    for day in 0..config.days {
        traffic::generate_day(&world, day, config.seed, &mut events);
        let mut rng = linesight_rng::Rng::derive(config.seed, 5, u64::from(day));
        for e in &events {
            ex.add(&world, e, &mut rng);
        }
        // Rows that spill past the next local midnight wait for the next day's sort.
        let boundary = world
            .clock
            .utc_of_local(local0 + (i64::from(day) + 1) * 86_400, false);
        ex.flush(&world, boundary)?;
        progress.advance(1);
    }
    let counts = ex.finish(&world)?;
    truth::write_truth(&world, out_dir)?;
    truth::write_line_names(&world, out_dir, config.seed)?;

    let (people_by_role, numbers_by_role, child_runners, line_numbers) = truth::role_counts(&world);
    let file_map = |v: [u64; 3]| {
        world::OPS
            .iter()
            .zip(v)
            .map(|(op, n)| (op.file.to_string(), n))
            .collect()
    };
    let summary = TruthSummary {
        seed: config.seed,
        scale: config.scale.as_str().to_string(),
        start_date: config.start_date.format("%Y-%m-%d").to_string(),
        days: config.days,
        generator_version: format!("linesight-sim {}", env!("CARGO_PKG_VERSION")),
        events: counts.events,
        records: counts.rows.iter().sum(),
        records_by_file: file_map(counts.rows),
        two_leg_events: counts.two_leg,
        one_leg_events: counts.one_leg,
        noise_rows_by_file: file_map(counts.noise),
        events_by_kind: KindCounts {
            voice: counts.by_kind[0],
            sms: counts.by_kind[1],
            mms: counts.by_kind[2],
            data: counts.by_kind[3],
        },
        lines: world.lines.len() as u64,
        line_numbers,
        people: world.persons.len() as u64,
        people_by_role,
        numbers_by_role,
        child_runners,
        cells,
        subscribers,
    };
    let path = out_dir.join("truth").join("summary.json");
    std::fs::write(&path, summary.to_json() + "\n")
        .map_err(|source| SimError::Io { path, source })?;
    Ok(summary)
}
