//! The subcommands: each turns parsed arguments into library calls and prints the result.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use linesight_ingest::{IngestOptions, IngestSummary};
use linesight_sim::{Scale, SimConfig, TruthSummary};

use crate::args::{Cli, Command, DemoArgs, IngestArgs, Knobs, ScaleArg, SimulateArgs};
use crate::progress::Bars;

/// Test hook: hold a staged ingest run this long before committing, so a test can kill
/// the process mid-run. Undocumented for users on purpose.
const PAUSE_ENV: &str = "LINESIGHT_TEST_PAUSE_BEFORE_COMMIT_MS";

pub(crate) fn run(cli: Cli) -> Result<()> {
    let bars = Bars::new(cli.quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()));
    match cli.command {
        Command::Simulate(args) => simulate(args, &bars),
        Command::Ingest(args) => ingest(args, &bars),
        Command::Demo(args) => demo(args, &bars),
        Command::Network(args) => crate::network::run(args),
        Command::Analyse(args) => crate::analyse::run(args, &bars),
        Command::Eval(args) => crate::eval::run(args),
        Command::User(args) => crate::ops::user(args),
        Command::Case(args) => crate::ops::case(args),
        Command::Audit(args) => crate::ops::audit(args),
        Command::Serve(args) => crate::serve::run(args, &bars),
    }
}

fn scale(arg: ScaleArg) -> Scale {
    match arg {
        ScaleArg::Small => Scale::Small,
        ScaleArg::Regional => Scale::Regional,
        ScaleArg::National => Scale::National,
    }
}

fn sim_config(seed: u64, scale_arg: ScaleArg, knobs: &Knobs) -> SimConfig {
    let mut c = SimConfig::for_scale(scale(scale_arg), seed);
    let Knobs {
        start,
        days,
        lines,
        people,
        businesses,
        bulk_senders,
        handset_swap_days,
        sim_swap_days,
        number_replace_days,
        child_runner_share,
        noise,
    } = *knobs;
    c.start_date = start.unwrap_or(c.start_date);
    c.days = days.unwrap_or(c.days);
    c.lines = lines.unwrap_or(c.lines);
    c.people = people.unwrap_or(c.people);
    c.businesses = businesses.unwrap_or(c.businesses);
    c.bulk_senders = bulk_senders.unwrap_or(c.bulk_senders);
    c.handset_swap_days = handset_swap_days.unwrap_or(c.handset_swap_days);
    c.sim_swap_days = sim_swap_days.unwrap_or(c.sim_swap_days);
    c.number_replace_days = number_replace_days.unwrap_or(c.number_replace_days);
    c.child_runner_share = child_runner_share.unwrap_or(c.child_runner_share);
    c.noise = noise.unwrap_or(c.noise);
    c
}

fn simulate(args: SimulateArgs, bars: &Bars) -> Result<()> {
    let config = sim_config(args.seed, args.scale, &args.knobs);
    let started = Instant::now();
    let truth = linesight_sim::simulate(&config, &args.out, bars)
        .with_context(|| format!("simulating into {}", args.out.display()))?;
    bars.finish();
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&truth)?)?;
    } else {
        print_world(&mut out, &args.out, &truth, started.elapsed())?;
    }
    Ok(())
}

fn print_world(out: &mut impl Write, dir: &Path, t: &TruthSummary, took: Duration) -> Result<()> {
    writeln!(
        out,
        "Simulated {} days from {} (seed {}) in {:.1}s into {}",
        t.days,
        t.start_date,
        t.seed,
        took.as_secs_f64(),
        dir.display()
    )?;
    writeln!(
        out,
        "  {} events ({} operator rows, {} junk rows for quarantine), {} cells, {} subscribers",
        t.events,
        t.records,
        t.noise_rows_by_file.values().sum::<u64>(),
        t.cells,
        t.subscribers
    )?;
    writeln!(
        out,
        "  {} county lines using {} deal-line numbers; {} people, {} of them child runners",
        t.lines, t.line_numbers, t.people, t.child_runners
    )?;
    writeln!(
        out,
        "  ground truth (for evaluation only): {}",
        dir.join("truth").display()
    )?;
    Ok(())
}

fn ingest_options(profiles: Vec<PathBuf>, threads: Option<usize>) -> Result<IngestOptions> {
    let pause = match std::env::var(PAUSE_ENV) {
        Ok(ms) => {
            Some(Duration::from_millis(ms.parse().with_context(|| {
                format!("{PAUSE_ENV} must be milliseconds")
            })?))
        }
        Err(_) => None,
    };
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    Ok(IngestOptions {
        extra_profile_dirs: profiles,
        run_id: None,
        pause_before_commit: pause,
        threads,
    })
}

fn ingest(args: IngestArgs, bars: &Bars) -> Result<()> {
    let opts = ingest_options(args.profiles, args.threads)?;
    let summary = linesight_ingest::ingest(&args.case_dir, &args.paths, &opts, bars)
        .with_context(|| format!("ingesting into case {}", args.case_dir.display()))?;
    bars.finish();
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&summary)?)?;
    } else {
        print_ingest(&mut out, &args.case_dir, &summary)?;
    }
    Ok(())
}

fn print_ingest(out: &mut impl Write, case: &Path, s: &IngestSummary) -> Result<()> {
    writeln!(out, "Ingest run {} into {}", s.run_id, case.display())?;
    for f in &s.files {
        match &f.skipped_reason {
            Some(why) => writeln!(out, "  skipped  {}  ({why})", f.path)?,
            None => writeln!(
                out,
                "  {:<8} {}  [{}]  {} rows read, {} stored, {} quarantined",
                f.kind, f.path, f.profile, f.rows_read, f.records_stored, f.quarantined
            )?,
        }
    }
    writeln!(
        out,
        "  rows read {}, records stored {}, duplicate reports merged {}, rows quarantined {}, files skipped {}",
        s.rows_read, s.records_stored, s.duplicates_merged, s.rows_quarantined, s.files_skipped
    )?;
    writeln!(
        out,
        "  case now holds {} events; {} cells and {} subscribers added; {} clock-change times resolved; {:.1}s",
        s.events_stored,
        s.cells_stored,
        s.subscribers_stored,
        s.dst_fold_resolved,
        s.elapsed_ms as f64 / 1000.0
    )?;
    if s.rows_quarantined > 0 {
        writeln!(
            out,
            "  quarantined rows, with file, row, field and reason: {}",
            case.join("tables").join("quarantine").display()
        )?;
    }
    Ok(())
}

fn demo(args: DemoArgs, bars: &Bars) -> Result<()> {
    let world = args.dir.join("world");
    let case = args.dir.join("case");
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "linesight demo: a simulated county-lines world, end to end\n"
    )?;

    let summary_path = world.join("truth").join("summary.json");
    if summary_path.exists() {
        writeln!(
            out,
            "1. World already simulated in {} (delete it to regenerate)",
            world.display()
        )?;
    } else {
        writeln!(out, "1. Simulating the world into {}", world.display())?;
        let config = sim_config(args.seed, args.scale, &Knobs::default());
        let started = Instant::now();
        let truth = linesight_sim::simulate(&config, &world, bars)
            .with_context(|| format!("simulating into {}", world.display()))?;
        bars.finish();
        print_world(&mut out, &world, &truth, started.elapsed())?;
    }

    writeln!(
        out,
        "\n2. Ingesting exports, cell list and subscriber checks into the case store"
    )?;
    let inputs = vec![
        world.join("exports"),
        world.join("cells.csv"),
        world.join("subscribers.csv"),
    ];
    let opts = ingest_options(Vec::new(), None)?;
    let summary = linesight_ingest::ingest(&case, &inputs, &opts, bars)
        .with_context(|| format!("ingesting into case {}", case.display()))?;
    bars.finish();
    print_ingest(&mut out, &case, &summary)?;

    writeln!(
        out,
        "\n3. Analysing: lines, roles, trips, cuckooed homes, burner phones and value"
    )?;
    // The simulator's intelligence file names some lines, as an analyst's would.
    let names_file = world.join("intel").join("line-names.csv");
    let line_names = if names_file.is_file() {
        crate::analyse::read_line_names(&names_file)?
    } else {
        linesight_analysis::LineNames::default()
    };
    let analysis = crate::analyse::analyse(&case, &line_names, bars)?;
    crate::analyse::print_summary(&mut out, &analysis)?;

    writeln!(out, "\nDone. What is where:")?;
    writeln!(
        out,
        "  operator exports   {}",
        world.join("exports").display()
    )?;
    writeln!(
        out,
        "  ground truth       {}  (evaluation only)",
        world.join("truth").display()
    )?;
    writeln!(
        out,
        "  case store         {}  (Parquet tables + manifest.json)",
        case.display()
    )?;
    if args.no_serve {
        writeln!(
            out,
            "Next: `linesight serve --case {}` opens it in the browser; ingest is idempotent.",
            case.display()
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "\n4. Serving the case: open the URL below in a browser (lines, network, map, safeguarding)"
    )?;
    drop(out);
    // The UK boundaries beside the project, when present, are drawn on the map.
    let boundaries = std::path::Path::new("../shared/datasets/uk-boundaries/gb_lad_2013.geojson");
    crate::serve::serve_case(
        &case,
        args.port,
        boundaries.is_file().then(|| boundaries.to_owned()),
        bars,
    )
}
