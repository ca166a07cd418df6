//! Command-line arguments. Parsing only validates what the user typed; anything that
//! touches the world (files, clocks) happens in `cmd`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "linesight: find and take down county-lines drug networks in lawfully obtained communications data.";

const LONG_ABOUT: &str = "\
linesight: find and take down county-lines drug networks in lawfully obtained communications data.

A county line is a dedicated mobile number (the \"deal line\") that an urban gang uses to sell
heroin and crack cocaine in a market or coastal town. The line texts bulk adverts (\"flares\") to its
customers, takes their orders, and is run by a controller in the city. Children and vulnerable
adults are sent out as \"runners\" and homes of vulnerable people are taken over (\"cuckooing\").
The number outlives many handsets (IMEI) and SIMs (IMSI).

linesight ingests operator call detail records (CDRs), cell lists and subscriber checks into a
case store, keeping the provenance (file hash and row) of every record, and ships an open
county-lines world simulator with ground truth for demos, tests and benchmarks.

Start with `linesight demo`.";

/// The `linesight` command line.
#[derive(Debug, Parser)]
#[command(name = "linesight", version, about = ABOUT, long_about = LONG_ABOUT)]
pub(crate) struct Cli {
    /// Hide progress bars (they are drawn on stderr only when it is a terminal).
    #[arg(long, short, global = true)]
    pub(crate) quiet: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Generate a county-lines world: operator exports, cell list, subscriber file and ground truth.
    #[command(long_about = SIMULATE_ABOUT)]
    Simulate(SimulateArgs),
    /// Load operator exports, cell lists and subscriber files into a case store.
    #[command(long_about = INGEST_ABOUT)]
    Ingest(IngestArgs),
    /// Simulate the regional world into a working folder and ingest it, end to end.
    #[command(long_about = DEMO_ABOUT)]
    Demo(DemoArgs),
    /// Analyse a call network: centrality, communities, key players, disruption and recovery.
    #[command(long_about = NETWORK_ABOUT)]
    Network(crate::network::NetworkArgs),
    /// Find lines, flares, swaps, roles, trips, cuckooed homes and value in a case.
    #[command(long_about = ANALYSE_ABOUT)]
    Analyse(crate::analyse::AnalyseArgs),
    /// Score a case's findings against a simulated world's ground truth.
    #[command(long_about = EVAL_ABOUT)]
    Eval(crate::eval::EvalArgs),
    /// Create and disable user accounts of the operations database (roles, argon2id passwords).
    #[command(long_about = crate::ops::USER_ABOUT)]
    User(crate::ops::UserArgs),
    /// Open, list, staff, close and purge cases (operations); compartments and retention.
    #[command(long_about = crate::ops::CASE_ABOUT)]
    Case(crate::ops::CaseArgs),
    /// Verify the audit log's hash chain; exits non-zero naming the first broken link.
    #[command(long_about = crate::ops::AUDIT_ABOUT)]
    Audit(crate::ops::AuditArgs),
    /// Serve a case in the browser: lines, line pages, network, map, safeguarding, search.
    #[command(long_about = crate::serve::SERVE_ABOUT)]
    Serve(crate::serve::ServeArgs),
}

const ANALYSE_ABOUT: &str = "\
Find county lines in a case store and write the findings into CASE_DIR/findings (Parquet tables
findings, finding_evidence and line_numbers, plus findings.json and analysis.json).

Terms:
  flare             a burst of texts from one number to many distinct recipients within minutes
                    (an advert: \"on till late, 2 for 15\"); told apart from surgeries, delivery
                    firms and party invites by who gets them, whether they reply, whether they
                    know each other, and the hours sent.
  deal line         the mobile number customers ring to order: it flares the same base again
                    and again, many of them contact it, they mostly don't know each other, and
                    it is busy day and night. Taxi firms and takeaways are not deal lines.
  call-back         the line (or a runner) calling a customer back within minutes of an order;
                    the defence-expert test of a \"confirmed\" transaction.
  handset swap      the same SIM (IMSI) on a number turning up in a new handset (IMEI).
  SIM swap          the same handset (IMEI) on a number turning up with a new SIM (IMSI).
  successor number  a new number that takes over a line: its first flares go to the old
                    number's customers, around when the old number stopped.

Each finding has a score (0-1), the rule that fired in plain words, an explanation with the
figures, and evidence: the file hash and row of each operator record behind it. Every threshold
is documented in docs/analysis.md.

Example: linesight analyse --case cases/op-kestrel";

const EVAL_ABOUT: &str = "\
Score the findings of `linesight analyse` against a simulated world's ground truth (truth/).

For each finding type: tp (reported and true), fp (reported, not true), fn (true, missed);
precision = tp/(tp+fp), the share of what was reported that is right; recall = tp/(tp+fn), the
share of what is there that was found; F1, their harmonic mean. Types: deal_lines (numbers),
line_grouping (pairs of numbers in one line), swaps (handset and SIM swaps), successors (old ->
new number), and runners, controllers, cuckooed, trips (not detected yet; counted as missed).
lookalikes_flagged counts legitimate businesses reported as deal lines, and should be 0.

Only eval reads truth/: no detector ever does.

Example: linesight eval --case /tmp/w/case --truth /tmp/w/truth --json";

const NETWORK_ABOUT: &str = "\
Analyse a call network from a case store (--case), an edge list (--edges) or an adjacency matrix
(--adjacency), and plan arrests by the damage that lasts.

Terms:
  centrality     how important a person is in the network. degree: how many people they talk to;
                 strength: how many calls and texts; betweenness: how often they sit on the
                 shortest path between two others; closeness: how near they are to everyone;
                 eigenvector and pagerank: being connected to well-connected people.
  brokerage      linking people who would otherwise not be in touch. High betweenness and low
                 Burt constraint (--metrics constraint) mark a broker.
  community      a group that talks more among itself than with the rest (Leiden algorithm;
                 modularity near 0 means no structure, above 0.3 clear groups).
  key player     the K people whose removal fragments the network most (KPP-Neg), or who reach
                 most others within two steps (KPP-Pos), chosen as a set rather than one by one.
  disruption     what breaks when people are arrested (--remove): the largest connected group,
                 the number of pieces, and efficiency (how easily anyone can still reach anyone).
  recovery       how the network rewires afterwards (--recover): triadic closure (contacts of
                 the arrested link up), preferential attachment (orphans attach to hubs), role
                 replacement (someone with the same role steps in; needs --roles).
  lasting damage the damage still there after the network's best repair, which is what
                 --recommend ranks arrest options by. Immediate damage can vanish: a network can
                 come out of arrests more efficient than before.

Weights count calls and texts; --unweighted treats every tie as one. --json prints one object
whose `nodes` array holds {id, <measure>: value, ...} per node.

Examples:
  linesight network --case cases/op-kestrel --top 10
  linesight network --edges calls.tsv --communities --key-players 3 --json
  linesight network --adjacency phase6.csv --remove 1,12 --recover triadic --steps 20
  linesight network --case cases/op-kestrel --recommend 3 --format csv --out options.csv";

const SIMULATE_ABOUT: &str = "\
Generate a county-lines world with ground truth.

The world has a city hub (London) and real market and coastal towns of the eastern region, cell
sites placed by population, a background population with daily rhythms and heavy-tailed contacts,
legitimate look-alikes (taxi firms and takeaways with hundreds of callers, GP surgeries and
delivery firms sending bulk SMS, people texting many friends at once), and county lines: a
deal-line number with flares, customers, call-backs, controllers in the hub, runners (some of
them children) who travel to the town and stay at cuckooed addresses, handset swaps (new IMEI),
SIM swaps (new IMSI), number replacements and police disruption.

It writes, under --out:
  exports/alba_cdr.csv   Alba Mobile CDRs      (UTC, +44 numbers, seconds)
  exports/brig_cdr.csv   Brigantia Telecom CDRs (UK local time, 07 numbers, HH:MM:SS)
  exports/corv_cdr.tsv   Corvid Networks CDRs  (UK local time, 44 numbers, M:SS)
  cells.csv              the cell list (id, location, azimuth, beamwidth, validity)
  subscribers.csv        subscriber checks (pay-as-you-go flag, registration)
  truth/                 ground truth: lines, roles, swaps, trips, cuckooed addresses,
                         disruptions, and summary.json with the expected counts

The same --seed and knobs always give byte-identical files; change the seed for an unseen world.
Only evaluation reads truth/: no detector ever does.

Example: linesight simulate --seed 7 --scale small --out /tmp/world";

const INGEST_ABOUT: &str = "\
Load files into a case store (a folder), losslessly and atomically.

Each file's layout is detected from its header against the ingest profiles (declarative TOML
files; built-in profiles cover the simulator's three operators, cell lists and subscriber files;
add your own with --profiles DIR). Numbers are normalised to E.164, UK local times to UTC (clock
changes handled and recorded), durations from any common form. The same call reported by both
parties' operators is merged into one event that keeps both provenances.

A row that cannot be read goes to the quarantine table with its file, row, field and reason;
nothing is silently dropped. A file that cannot be read at all stops the run with an error, and
the case store is left as it was: a run commits whole or not at all, even if killed. A file
already in the case (same SHA-256) is skipped, so re-running changes nothing.

Example: linesight ingest --case cases/op-kestrel world/exports world/cells.csv world/subscribers.csv";

const DEMO_ABOUT: &str = "\
Run linesight end to end on a simulated regional world: a London hub, about eight towns in the
eastern region, tens of county lines and about three months of traffic. It simulates the world
into DIR/world, ingests it into the case store DIR/case, and prints what it did and where.

Re-running reuses the world if it is already there and skips files the case already holds.";

/// Simulation scale presets.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ScaleArg {
    /// A hub and two towns, a few lines, two weeks: seconds; used by the tests.
    Small,
    /// A hub and about eight towns, tens of lines, about three months.
    Regional,
    /// Several hubs and about forty towns; about 100 million events, streamed to disk.
    National,
}

/// `linesight simulate`.
#[derive(Debug, Args)]
pub(crate) struct SimulateArgs {
    /// Random seed: the same seed and knobs give byte-identical output.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Size of the world; knobs below override the preset.
    #[arg(long, value_enum, default_value_t = ScaleArg::Small)]
    pub(crate) scale: ScaleArg,
    /// Output folder (created if missing).
    #[arg(long)]
    pub(crate) out: PathBuf,
    #[command(flatten)]
    pub(crate) knobs: Knobs,
    /// Print the ground-truth summary as JSON on stdout instead of a human summary.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Knobs that override a scale preset (see docs/simulator.md for defaults and sources).
#[derive(Debug, Args, Default)]
pub(crate) struct Knobs {
    /// First simulated day (UTC), YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub(crate) start: Option<NaiveDate>,
    /// Number of simulated days.
    #[arg(long)]
    pub(crate) days: Option<u32>,
    /// Number of county lines (deal-line brands).
    #[arg(long)]
    pub(crate) lines: Option<u32>,
    /// Background population (people with phones).
    #[arg(long)]
    pub(crate) people: Option<u32>,
    /// Look-alike businesses with many inbound callers (taxi firms, takeaways).
    #[arg(long)]
    pub(crate) businesses: Option<u32>,
    /// Legitimate bulk SMS senders (GP surgeries, delivery firms).
    #[arg(long)]
    pub(crate) bulk_senders: Option<u32>,
    /// Mean days between a deal-line handset swap (new IMEI, same SIM).
    #[arg(long, value_name = "DAYS")]
    pub(crate) handset_swap_days: Option<f64>,
    /// Mean days between a deal-line SIM swap (new IMSI, same handset).
    #[arg(long, value_name = "DAYS")]
    pub(crate) sim_swap_days: Option<f64>,
    /// Mean days before a line replaces its number at will (blocks also force it).
    #[arg(long, value_name = "DAYS")]
    pub(crate) number_replace_days: Option<f64>,
    /// Share of runners who are children (0–1).
    #[arg(long, value_name = "SHARE")]
    pub(crate) child_runner_share: Option<f64>,
    /// Share of junk rows injected into exports, which ingest must quarantine (0–1).
    #[arg(long, value_name = "SHARE")]
    pub(crate) noise: Option<f64>,
}

/// `linesight ingest`.
#[derive(Debug, Args)]
pub(crate) struct IngestArgs {
    /// Case store folder (created if missing).
    #[arg(long = "case", value_name = "CASE_DIR")]
    pub(crate) case_dir: PathBuf,
    /// Files or folders to ingest (folders are searched recursively).
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// Extra folder of ingest profiles (*.toml) for export layouts not built in.
    #[arg(long, value_name = "DIR")]
    pub(crate) profiles: Vec<PathBuf>,
    /// Print the run summary as one JSON object on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    /// Worker threads for parsing (default: all cores).
    #[arg(long)]
    pub(crate) threads: Option<usize>,
}

/// `linesight demo`.
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Working folder for the world and the case store.
    #[arg(long, default_value = "linesight-demo", value_name = "DIR")]
    pub(crate) dir: PathBuf,
    /// Random seed for the simulated world.
    #[arg(long, default_value_t = 2026)]
    pub(crate) seed: u64,
    /// Size of the world (small is useful for a quick look).
    #[arg(long, value_enum, default_value_t = ScaleArg::Regional)]
    pub(crate) scale: ScaleArg,
    /// Stop after analysing instead of serving the demo case in the browser.
    #[arg(long)]
    pub(crate) no_serve: bool,
    /// Port for the demo's web app.
    #[arg(long, default_value_t = 8080)]
    pub(crate) port: u16,
}
