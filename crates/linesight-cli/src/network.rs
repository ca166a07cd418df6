//! `linesight network`: measures, communities, key players, disruption and recovery on a call
//! graph from a case store, an edge list or an adjacency matrix, printed as a table, CSV or JSON.
//!
//! The analysis is [`linesight_graph`]'s; reading and formatting are [`linesight_netio`]'s. This
//! module only maps options to calls and assembles the sections.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{ArgGroup, Args, ValueEnum};
use linesight_graph::community::communities as community_members;
use linesight_graph::disruption::{Metric, NetworkMetrics, simulate_removal};
use linesight_graph::keyplayer::{
    KeyPlayerOptions, NegObjective, PosObjective, compare_with_naive, distance_fragmentation,
    fragmentation, kpp_pos, reach,
};
use linesight_graph::recommend::{
    Candidate, RecommendOptions, Recommendation, recommend, standard_candidates,
};
use linesight_graph::recovery::{RecoveryModel, RecoveryOptions, simulate_recovery};
use linesight_graph::{Graph, NodeIdx};
use linesight_netio::edges::parse_time_ms;
use linesight_netio::report::communities;
use linesight_netio::{
    EdgeListOptions, EdgeTable, GraphOptions, MetricOptions, NodeMetric, Table, fmt_value,
    node_metric, read_adjacency, read_case, read_edge_list, summarize,
};
use serde_json::{Value, json};

/// Node attribute that `--roles` fills and role replacement reads.
const ROLE_KEY: &str = "role";

/// `linesight network`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("input").required(true).args(["case_dir", "edges", "adjacency"])))]
pub(crate) struct NetworkArgs {
    /// Case store folder: a directed graph of calls and texts between numbers, weighted by count.
    #[arg(long = "case", value_name = "CASE_DIR")]
    pub(crate) case_dir: Option<PathBuf>,
    /// Edge list: CSV, TSV, `;` or space separated, header optional; columns source, target and
    /// optionally weight and time (detected by name, else by position).
    #[arg(long, value_name = "FILE")]
    pub(crate) edges: Option<PathBuf>,
    /// Adjacency matrix: CSV with a header row and a first column of labels; a non-zero cell is
    /// an edge with that weight; a symmetric matrix is read as undirected.
    #[arg(long, value_name = "FILE")]
    pub(crate) adjacency: Option<PathBuf>,
    /// Treat the graph as directed (default for a case and an asymmetric matrix).
    #[arg(long, conflicts_with = "undirected")]
    pub(crate) directed: bool,
    /// Treat the graph as undirected (default for an edge list and a symmetric matrix).
    #[arg(long)]
    pub(crate) undirected: bool,
    /// Give every tie weight 1: counts of calls are ignored by every measure.
    #[arg(long)]
    pub(crate) unweighted: bool,
    /// Per-node measures, comma-separated: degree, strength, betweenness, pagerank,
    /// eigenvector, closeness, community, constraint.
    #[arg(
        long,
        value_delimiter = ',',
        value_parser = parse_metric,
        default_value = "degree,betweenness,pagerank,eigenvector,closeness"
    )]
    pub(crate) metrics: Vec<NodeMetric>,
    /// Show only the N highest-ranked nodes (by the first measure); default: all in CSV/JSON,
    /// 20 in a table.
    #[arg(long, value_name = "N")]
    pub(crate) top: Option<usize>,
    /// Find communities with Leiden and list them with their modularity.
    #[arg(long)]
    pub(crate) communities: bool,
    /// Seed for every random choice (Leiden, key-player search, recovery runs).
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Leiden resolution: above 1 gives more, smaller communities.
    #[arg(long, default_value_t = 1.0)]
    pub(crate) resolution: f64,
    /// Find K key players (KPP-Neg: whose arrest fragments most; KPP-Pos: who reaches most)
    /// and compare with the naive top-K by degree and by betweenness.
    #[arg(long, value_name = "K")]
    pub(crate) key_players: Option<usize>,
    /// Remove these node ids (arrests) and report what breaks.
    #[arg(long, value_delimiter = ',', value_name = "ID,ID…")]
    pub(crate) remove: Vec<String>,
    /// After --remove, let the network rewire with this model for --steps steps.
    #[arg(long, value_enum, requires = "remove", value_name = "MODEL")]
    pub(crate) recover: Option<RecoverArg>,
    /// Recovery steps (each step is one round of rewiring).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub(crate) steps: usize,
    /// Per-step probability used by the recovery models.
    #[arg(long, default_value_t = 0.3, value_name = "P")]
    pub(crate) probability: f64,
    /// Rank candidate arrest sets of K people by lasting damage (damage left after rewiring),
    /// with the reasoning per candidate.
    #[arg(long, value_name = "K")]
    pub(crate) recommend: Option<usize>,
    /// Network health measure that --recommend judges damage on.
    #[arg(long, value_enum, default_value_t = JudgeArg::Efficiency)]
    pub(crate) judge: JudgeArg,
    /// Roles per node, a CSV of `id,role` (for role replacement and per-role candidates).
    #[arg(long, value_name = "FILE")]
    pub(crate) roles: Option<PathBuf>,
    /// Only events at or after this time (UTC; `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` or Unix s).
    #[arg(long, value_name = "TIME")]
    pub(crate) from: Option<String>,
    /// Only events before this time (same forms as --from).
    #[arg(long, value_name = "TIME")]
    pub(crate) to: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub(crate) format: FormatArg,
    /// Print one JSON object (same as --format json).
    #[arg(long)]
    pub(crate) json: bool,
    /// Write to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    /// Aligned text for people.
    Table,
    /// CSV: the node table alone, or `# section` blocks when more is asked for.
    Csv,
    /// One JSON object with a `nodes` array.
    Json,
}

/// Recovery models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RecoverArg {
    /// Former contacts of the arrested link up through shared contacts.
    Triadic,
    /// Orphaned contacts attach to well-connected survivors.
    Preferential,
    /// Each arrested person is replaced by a survivor with the same role (needs --roles).
    Role,
}

/// Health measures for --recommend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum JudgeArg {
    /// Global efficiency: how easily anyone can still reach anyone.
    Efficiency,
    /// Size of the largest connected group.
    Lcc,
}

fn parse_metric(s: &str) -> Result<NodeMetric, String> {
    NodeMetric::parse(s).ok_or_else(|| {
        let names: Vec<&str> = NodeMetric::ALL.iter().map(|m| m.name()).collect();
        format!("unknown measure {s:?}; choose from {}", names.join(", "))
    })
}

fn parse_time(flag: &str, s: Option<&str>) -> Result<Option<i64>> {
    s.map(|s| {
        parse_time_ms(s).with_context(|| {
            format!("{flag} {s:?} is not YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or Unix seconds")
        })
    })
    .transpose()
}

/// The output under construction: the same sections as tables and as JSON.
struct Report {
    tables: Vec<Table>,
    json: serde_json::Map<String, Value>,
}

pub(crate) fn run(args: NetworkArgs) -> Result<()> {
    let window = (
        parse_time("--from", args.from.as_deref())?,
        parse_time("--to", args.to.as_deref())?,
    );
    let (table, source) = load(&args, window)?;
    let directed = match (args.directed, args.undirected) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let mut g = table
        .to_graph(&GraphOptions {
            directed,
            window,
            ..Default::default()
        })
        .with_context(|| format!("building the graph from {source}"))?;
    if args.unweighted {
        g = g.unweighted();
    }
    if let Some(path) = &args.roles {
        apply_roles(&mut g, path)?;
    }
    let format = if args.json {
        FormatArg::Json
    } else {
        args.format
    };
    let mopts = MetricOptions {
        weighted: !args.unweighted,
        seed: args.seed,
        resolution: args.resolution,
    };
    let mut report = Report {
        tables: Vec::new(),
        json: serde_json::Map::new(),
    };
    summary_section(&g, &source, &args, &mut report);
    let top = args.top.or((format == FormatArg::Table).then_some(20));
    nodes_section(&g, &args.metrics, &mopts, top, &mut report)?;
    if args.communities {
        communities_section(&g, &mopts, &mut report);
    }
    if let Some(k) = args.key_players {
        key_players_section(&g, k, args.seed, &mut report)?;
    }
    let removed = indices(&g, &args.remove)?;
    if !removed.is_empty() {
        removal_section(&g, &args.remove, &removed, &mut report)?;
        if let Some(model) = args.recover {
            recovery_section(&g, &removed, &model_of(model, &args)?, &args, &mut report)?;
        }
    }
    if let Some(k) = args.recommend {
        recommend_section(&g, k, &removed, &args, &mut report)?;
    }
    emit(&report, format, args.out.as_deref())
}

fn load(args: &NetworkArgs, window: (Option<i64>, Option<i64>)) -> Result<(EdgeTable, String)> {
    if let Some(dir) = &args.case_dir {
        let (t, _) = read_case(dir, window)?;
        return Ok((t, format!("case {}", dir.display())));
    }
    if let Some(path) = &args.edges {
        return Ok((
            read_edge_list(path, &EdgeListOptions::default())?,
            path.display().to_string(),
        ));
    }
    if let Some(path) = &args.adjacency {
        return Ok((read_adjacency(path)?, path.display().to_string()));
    }
    bail!("give one of --case, --edges or --adjacency")
}

fn apply_roles(g: &mut Graph, path: &Path) -> Result<()> {
    let table = read_edge_list(path, &EdgeListOptions::default()).with_context(|| {
        format!(
            "reading roles from {} (expected `id,role` rows)",
            path.display()
        )
    })?;
    for row in &table.rows {
        // An `id,role` file parses as an edge list whose "target" is the role.
        if let Some(i) = g.index_of(&row.source) {
            g.set_attr(i, ROLE_KEY, &row.target)?;
        }
    }
    Ok(())
}

fn indices(g: &Graph, labels: &[String]) -> Result<Vec<NodeIdx>> {
    labels
        .iter()
        .map(|l| {
            g.index_of(l).with_context(|| {
                format!("--remove: no node {l:?} in the graph (ids are matched exactly, as in the node table)")
            })
        })
        .collect()
}

fn model_of(model: RecoverArg, args: &NetworkArgs) -> Result<RecoveryModel> {
    let probability = args.probability;
    Ok(match model {
        RecoverArg::Triadic => RecoveryModel::TriadicClosure { probability },
        RecoverArg::Preferential => RecoveryModel::PreferentialAttachment { probability },
        RecoverArg::Role => {
            if args.roles.is_none() {
                bail!(
                    "--recover role needs --roles FILE (a CSV of `id,role`) to know who can replace whom"
                );
            }
            RecoveryModel::RoleReplacement {
                role_key: ROLE_KEY.to_owned(),
                probability,
                allow_new_nodes: true,
            }
        }
    })
}

fn summary_section(g: &Graph, source: &str, args: &NetworkArgs, r: &mut Report) {
    let s = summarize(g);
    let mut t = Table::new(
        format!("Network from {source}"),
        &[
            "nodes",
            "ties",
            "arcs",
            "directed",
            "weighted",
            "density",
            "components",
            "largest component",
            "efficiency",
            "centralisation",
        ],
    );
    t.push(vec![
        s.nodes.to_string(),
        s.ties.to_string(),
        s.arcs.to_string(),
        s.directed.to_string(),
        (!args.unweighted).to_string(),
        format!("{:.4}", s.density),
        s.components.to_string(),
        s.largest_component.to_string(),
        format!("{:.4}", s.efficiency),
        format!("{:.4}", s.centralisation),
    ]);
    r.tables.push(t);
    r.json.insert(
        "graph".into(),
        json!({
            "source": source,
            "nodes": s.nodes,
            "ties": s.ties,
            "arcs": s.arcs,
            "directed": s.directed,
            "weighted": !args.unweighted,
            "total_weight": s.total_weight,
            "density": s.density,
            "components": s.components,
            "largest_component": s.largest_component,
            "efficiency": s.efficiency,
            "centralisation": s.centralisation,
        }),
    );
}

fn num(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn nodes_section(
    g: &Graph,
    metrics: &[NodeMetric],
    mopts: &MetricOptions,
    top: Option<usize>,
    r: &mut Report,
) -> Result<()> {
    let mut cols: Vec<(NodeMetric, Vec<f64>)> = Vec::new();
    for &m in metrics {
        if cols.iter().any(|(c, _)| *c == m) {
            continue;
        }
        let v = node_metric(g, m, mopts).with_context(|| format!("computing {}", m.name()))?;
        cols.push((m, v));
    }
    let mut order: Vec<NodeIdx> = (0..g.node_count()).collect();
    if let Some((m, v)) = cols.first() {
        let key = |x: f64| if x.is_nan() { f64::NEG_INFINITY } else { x };
        if m.higher_is_central() {
            order.sort_by(|&a, &b| key(v[b]).total_cmp(&key(v[a])).then(a.cmp(&b)));
        } else {
            order.sort_by(|&a, &b| key(v[a]).total_cmp(&key(v[b])).then(a.cmp(&b)));
        }
    }
    order.truncate(top.unwrap_or(usize::MAX));
    let mut headers = vec!["id"];
    headers.extend(cols.iter().map(|(m, _)| m.name()));
    let title = match cols.first() {
        Some((m, _)) => format!("Nodes by {}", m.name()),
        None => "Nodes".to_owned(),
    };
    let mut t = Table::new(title, &headers);
    let mut nodes = Vec::with_capacity(order.len());
    for &v in &order {
        let mut row = vec![g.label(v).to_owned()];
        let mut obj = serde_json::Map::new();
        obj.insert("id".into(), g.label(v).into());
        for (m, vals) in &cols {
            row.push(fmt_value(vals[v]));
            let value = if *m == NodeMetric::Community {
                Value::from(vals[v] as u64)
            } else {
                num(vals[v])
            };
            obj.insert(m.name().into(), value);
        }
        t.push(row);
        nodes.push(Value::Object(obj));
    }
    r.tables.push(t);
    r.json.insert("nodes".into(), Value::Array(nodes));
    Ok(())
}

fn communities_section(g: &Graph, mopts: &MetricOptions, r: &mut Report) {
    let p = communities(g, mopts);
    let groups = community_members(&p.membership);
    let und = g.undirected_csr();
    let mut t = Table::new(
        format!(
            "Communities (Leiden, resolution {}, seed {}): {} found, modularity {:.4}",
            mopts.resolution, mopts.seed, p.community_count, p.modularity
        ),
        &[
            "community",
            "size",
            "internal ties",
            "members (highest degree first)",
        ],
    );
    let mut list = Vec::new();
    for (c, members) in groups.iter().enumerate() {
        let mut ms = members.clone();
        ms.sort_by(|&a, &b| und.degree(b).cmp(&und.degree(a)).then(a.cmp(&b)));
        let internal = ms
            .iter()
            .map(|&u| {
                und.neighbors(u)
                    .iter()
                    .filter(|&&v| p.membership[v as usize] == c && (v as usize) > u)
                    .count()
            })
            .sum::<usize>();
        let labels: Vec<&str> = ms.iter().map(|&v| g.label(v)).collect();
        let shown = if labels.len() > 12 {
            format!(
                "{}, … ({} more)",
                labels[..12].join(", "),
                labels.len() - 12
            )
        } else {
            labels.join(", ")
        };
        t.push(vec![
            c.to_string(),
            ms.len().to_string(),
            internal.to_string(),
            shown,
        ]);
        list.push(
            json!({"community": c, "size": ms.len(), "internal_ties": internal, "members": labels}),
        );
    }
    r.tables.push(t);
    r.json.insert(
        "communities".into(),
        json!({
            "algorithm": "leiden",
            "resolution": mopts.resolution,
            "seed": mopts.seed,
            "modularity": p.modularity,
            "count": p.community_count,
            "list": list,
        }),
    );
}

fn labels_of(g: &Graph, nodes: &[NodeIdx]) -> Vec<String> {
    nodes.iter().map(|&v| g.label(v).to_owned()).collect()
}

fn key_players_section(g: &Graph, k: usize, seed: u64, r: &mut Report) -> Result<()> {
    let opts = KeyPlayerOptions {
        k,
        seed,
        ..Default::default()
    };
    let neg = compare_with_naive(g, NegObjective::Fragmentation, &opts)
        .with_context(|| format!("--key-players {k}"))?;
    let pos = kpp_pos(g, PosObjective::Reach { max_steps: 2 }, &opts)?;
    let mut t = Table::new(
        format!(
            "Key players, k = {k} (F: fragmentation after arrest, 0 = intact, 1 = all isolated; DF: distance-weighted F; reach: share of others within 2 steps)"
        ),
        &["strategy", "nodes", "F", "DF", "2-step reach"],
    );
    let mut list = Vec::new();
    let mut rows: Vec<(&str, Vec<NodeIdx>, f64, f64)> = neg
        .into_iter()
        .map(|s| {
            (
                s.strategy,
                s.nodes,
                s.fragmentation,
                s.distance_fragmentation,
            )
        })
        .collect();
    rows.push((
        "kpp-pos",
        pos.nodes.clone(),
        fragmentation(g, &pos.nodes)?,
        distance_fragmentation(g, &pos.nodes)?,
    ));
    for (strategy, nodes, f, df) in rows {
        let reach2 = reach(g, &nodes, 2)?;
        let labels = labels_of(g, &nodes);
        t.push(vec![
            strategy.to_owned(),
            labels.join(", "),
            format!("{f:.4}"),
            format!("{df:.4}"),
            format!("{reach2:.4}"),
        ]);
        list.push(json!({"strategy": strategy, "nodes": labels, "fragmentation": f, "distance_fragmentation": df, "reach_2": reach2}));
    }
    r.tables.push(t);
    r.json.insert("key_players".into(), Value::Array(list));
    Ok(())
}

fn metrics_json(m: &NetworkMetrics) -> Value {
    json!({
        "nodes": m.nodes,
        "ties": m.edges,
        "largest_component": m.largest_component,
        "largest_component_share": m.largest_component_share,
        "components": m.components,
        "efficiency": m.global_efficiency,
    })
}

fn removal_section(g: &Graph, ids: &[String], removed: &[NodeIdx], r: &mut Report) -> Result<()> {
    let rep = simulate_removal(g, removed, None)?;
    let (b, a) = (&rep.before, &rep.after);
    let mut t = Table::new(
        format!("Disruption: removing {}", ids.join(", ")),
        &["measure", "before", "after", "change"],
    );
    let pct = |before: f64, after: f64| {
        if before == 0.0 {
            "n/a".to_owned()
        } else {
            format!("{:+.1}%", 100.0 * (after - before) / before)
        }
    };
    for (name, x, y) in [
        ("nodes", b.nodes as f64, a.nodes as f64),
        ("ties", b.edges as f64, a.edges as f64),
        (
            "largest component",
            b.largest_component as f64,
            a.largest_component as f64,
        ),
        ("components", b.components as f64, a.components as f64),
        ("efficiency", b.global_efficiency, a.global_efficiency),
    ] {
        t.push(vec![name.to_owned(), fmt_value(x), fmt_value(y), pct(x, y)]);
    }
    r.tables.push(t);
    r.json.insert(
        "disruption".into(),
        json!({"removed": ids, "before": metrics_json(b), "after": metrics_json(a)}),
    );
    Ok(())
}

fn recovery_section(
    g: &Graph,
    removed: &[NodeIdx],
    model: &RecoveryModel,
    args: &NetworkArgs,
    r: &mut Report,
) -> Result<()> {
    let trace = simulate_recovery(
        g,
        removed,
        model,
        &RecoveryOptions {
            steps: args.steps,
            seed: args.seed,
            flow: None,
        },
    )?;
    let undone = |m| {
        trace.damage_undone(m, trace.steps.len()).map_or_else(
            || "n/a (no damage)".to_owned(),
            |s| format!("{:.1}%", 100.0 * s),
        )
    };
    let mut t = Table::new(
        format!(
            "Recovery: {} for {} steps (seed {}); damage undone: largest component {}, efficiency {}",
            trace.model,
            args.steps,
            args.seed,
            undone(Metric::LargestComponent),
            undone(Metric::GlobalEfficiency)
        ),
        &[
            "step",
            "ties added",
            "recruits",
            "nodes",
            "ties",
            "largest component",
            "components",
            "efficiency",
        ],
    );
    let row = |step: String, added: usize, recruits: usize, m: &NetworkMetrics| {
        vec![
            step,
            added.to_string(),
            recruits.to_string(),
            m.nodes.to_string(),
            m.edges.to_string(),
            m.largest_component.to_string(),
            m.components.to_string(),
            format!("{:.4}", m.global_efficiency),
        ]
    };
    t.push(row("before".into(), 0, 0, &trace.before));
    t.push(row("removal".into(), 0, 0, &trace.after_removal));
    let mut steps = Vec::new();
    for (i, s) in trace.steps.iter().enumerate() {
        t.push(row(
            (i + 1).to_string(),
            s.ties_added,
            s.nodes_added,
            &s.metrics,
        ));
        steps.push(json!({"step": i + 1, "ties_added": s.ties_added, "recruits": s.nodes_added, "metrics": metrics_json(&s.metrics)}));
    }
    r.tables.push(t);
    let replacements: Vec<Value> = trace
        .replacements
        .iter()
        .map(|x| json!({"removed": x.removed, "replacement": x.replacement, "recruited": x.recruited, "step": x.step}))
        .collect();
    r.json.insert(
        "recovery".into(),
        json!({
            "model": trace.model,
            "seed": args.seed,
            "before": metrics_json(&trace.before),
            "after_removal": metrics_json(&trace.after_removal),
            "steps": steps,
            "replacements": replacements,
            "damage_undone_largest_component": trace.damage_undone(Metric::LargestComponent, trace.steps.len()),
            "damage_undone_efficiency": trace.damage_undone(Metric::GlobalEfficiency, trace.steps.len()),
        }),
    );
    Ok(())
}

fn recommend_section(
    g: &Graph,
    k: usize,
    removed: &[NodeIdx],
    args: &NetworkArgs,
    r: &mut Report,
) -> Result<()> {
    let roles: Vec<String> = {
        let mut set: Vec<String> = (0..g.node_count())
            .filter_map(|v| g.attr(v, ROLE_KEY).map(str::to_owned))
            .collect();
        set.sort();
        set.dedup();
        set
    };
    let role_pairs: Vec<(&str, &str)> = roles.iter().map(|v| (ROLE_KEY, v.as_str())).collect();
    let mut candidates = standard_candidates(g, k, args.seed, &role_pairs)
        .with_context(|| format!("--recommend {k}"))?;
    if !removed.is_empty() {
        candidates.push(Candidate::user("--remove set", removed.to_vec()));
    }
    let p = args.probability;
    let mut models = vec![
        RecoveryModel::TriadicClosure { probability: p },
        RecoveryModel::PreferentialAttachment { probability: p },
    ];
    if !roles.is_empty() {
        models.push(RecoveryModel::RoleReplacement {
            role_key: ROLE_KEY.to_owned(),
            probability: p,
            allow_new_nodes: true,
        });
    }
    let metric = match args.judge {
        JudgeArg::Efficiency => Metric::GlobalEfficiency,
        JudgeArg::Lcc => Metric::LargestComponent,
    };
    let rec = recommend(
        g,
        candidates,
        &RecommendOptions {
            metric,
            models,
            steps: args.steps,
            runs: 5,
            seed: args.seed,
            flow: None,
        },
    )?;
    let mut t = Table::new(
        format!(
            "Arrest options of {k}, ranked by lasting damage to {} (baseline {:.4}) after {} recovery steps, 5 seeded runs per model; the limiting model is the repair that works best for the network",
            metric.name(),
            rec.baseline,
            args.steps
        ),
        &Recommendation::HEADERS,
    );
    for row in rec.rows() {
        t.push(row.to_vec());
    }
    r.tables.push(t);
    let list: Vec<Value> = rec
        .assessments
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let per_model: BTreeMap<&str, Value> = a
                .per_model
                .iter()
                .map(|m| {
                    (
                        m.model.as_str(),
                        json!({"lasting_damage": m.lasting_damage, "recovered_share": m.recovered_share}),
                    )
                })
                .collect();
            json!({
                "rank": i + 1,
                "candidate": a.candidate.name,
                "nodes": a.labels,
                "immediate_damage": a.immediate_damage,
                "lasting_damage": a.lasting_damage,
                "recovered_share": a.recovered_share,
                "limiting_model": a.limiting_model,
                "per_model": per_model,
            })
        })
        .collect();
    r.json.insert(
        "recommendation".into(),
        json!({"metric": metric.name(), "baseline": rec.baseline, "steps": args.steps, "runs": 5, "candidates": list}),
    );
    Ok(())
}

fn emit(r: &Report, format: FormatArg, out: Option<&Path>) -> Result<()> {
    let what = out.map_or_else(|| "stdout".to_owned(), |p| p.display().to_string());
    let mut buf: Vec<u8> = Vec::new();
    match format {
        FormatArg::Json => {
            serde_json::to_writer_pretty(&mut buf, &Value::Object(r.json.clone()))?;
            buf.push(b'\n');
        }
        FormatArg::Table => {
            for (i, t) in r.tables.iter().enumerate() {
                if i > 0 {
                    buf.push(b'\n');
                }
                buf.extend_from_slice(t.to_text().as_bytes());
            }
        }
        FormatArg::Csv => {
            // The node table alone is plain CSV; with more sections each gets a `# title` line.
            let sections: Vec<&Table> = r.tables.iter().skip(1).collect();
            let single = sections.len() == 1;
            for (i, t) in sections.iter().enumerate() {
                if !single {
                    if i > 0 {
                        buf.push(b'\n');
                    }
                    writeln!(buf, "# {}", t.title)?;
                }
                t.write_csv(&mut buf, &what)?;
            }
        }
    }
    match out {
        Some(path) => {
            std::fs::write(path, &buf).with_context(|| format!("writing {}", path.display()))?
        }
        None => std::io::stdout().lock().write_all(&buf)?,
    }
    Ok(())
}
