//! Edge files: edge lists (CSV, TSV, semicolon or whitespace separated, with or without a header,
//! with optional weight and time columns) and square adjacency matrices, read into an
//! [`EdgeTable`] that keeps the rows as given, then built into a [`Graph`].
//!
//! The shapes are the ones published criminal-network data comes in: Montagna is a headerless
//! TSV `source target weight`; the Copenhagen study is `Source;Target;Weight`; CAVIAR and the
//! UCINET covert networks are adjacency matrices with a header row and a first column of labels.
//!
//! Detection rules, in order (each can be overridden through [`EdgeListOptions`]):
//! - **delimiter**: the first non-empty line's tab, else comma, else semicolon, else runs of
//!   whitespace;
//! - **header**: the first row is a header when one of its cells is a known column name
//!   (`source`, `target`, `weight`, `time`, … see [`SOURCE_NAMES`] and friends), or when its third
//!   cell is not a number while the second row's is;
//! - **columns**: named columns when there is a header, else `source, target[, weight[, time]]`;
//! - **adjacency direction**: a symmetric matrix is an undirected graph (each tie read once from
//!   the upper triangle), any other matrix a directed one.
//!
//! Parallel rows between the same pair are combined by [`Merge`]: summed (the graph crate's
//! convention, right for call counts) or the last one wins (what networkx's `add_edge` does,
//! needed to reproduce published results computed with it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use linesight_graph::{Graph, GraphBuilder};

use crate::error::NetIoError;

/// Header names taken to mean the source column (compared case-insensitively). Single letters
/// are left out on purpose: `a,b` is as likely to be an edge between nodes `a` and `b`.
pub const SOURCE_NAMES: &[&str] = &[
    "source", "src", "from", "caller", "a_number", "node1", "id1",
];
/// Header names taken to mean the target column.
pub const TARGET_NAMES: &[&str] = &[
    "target",
    "dst",
    "destination",
    "to",
    "callee",
    "b_number",
    "node2",
    "id2",
];
/// Header names taken to mean the weight column.
pub const WEIGHT_NAMES: &[&str] = &["weight", "count", "calls", "value", "strength"];
/// Header names taken to mean the time column.
pub const TIME_NAMES: &[&str] = &[
    "time",
    "timestamp",
    "start",
    "start_utc",
    "datetime",
    "date",
];

/// One edge row as read.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeRow {
    /// Source label.
    pub source: String,
    /// Target label.
    pub target: String,
    /// Positive weight (1 when the file has no weight column).
    pub weight: f64,
    /// Event time in Unix milliseconds, if the file has a time column.
    pub time_ms: Option<i64>,
}

/// Rows read from one edge file, before they become a graph.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeTable {
    /// Where the rows came from (for error messages).
    pub path: PathBuf,
    /// Every label, in first-seen order, including isolates listed by an adjacency matrix.
    pub nodes: Vec<String>,
    /// The edge rows, in file order.
    pub rows: Vec<EdgeRow>,
    /// Whether the file itself says the graph is directed: an asymmetric adjacency matrix or a
    /// case store. Edge lists carry no such signal and default to undirected.
    pub directed: bool,
}

/// How rows between the same pair are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Merge {
    /// Weights are added: three call rows are weight 3.
    #[default]
    Sum,
    /// The last row wins, like networkx `Graph.add_edge` on a repeated pair.
    Last,
}

/// How an [`EdgeTable`] becomes a [`Graph`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GraphOptions {
    /// Force directed (`Some(true)`) or undirected (`Some(false)`); `None` keeps the file's.
    pub directed: Option<bool>,
    /// Give every row weight 1 before merging (so a pair's weight counts its rows under
    /// [`Merge::Sum`]); analyses then use [`Graph::unweighted`] for weight 1 per tie.
    pub unweighted: bool,
    /// Combination of parallel rows.
    pub merge: Merge,
    /// Keep only rows with a time in `[from, to)` (Unix ms); rows without a time are kept.
    pub window: (Option<i64>, Option<i64>),
}

/// Overrides for edge-list detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EdgeListOptions {
    /// Field separator; `None` detects it.
    pub delimiter: Option<u8>,
    /// Whether the first row is a header; `None` detects it.
    pub header: Option<bool>,
}

impl EdgeTable {
    /// Builds the graph.
    ///
    /// # Errors
    /// [`NetIoError::Graph`] if the graph library rejects a weight (never for tables read by
    /// this crate, which checks weights row by row).
    pub fn to_graph(&self, opts: &GraphOptions) -> Result<Graph, NetIoError> {
        let directed = opts.directed.unwrap_or(self.directed);
        let mut b = if directed {
            GraphBuilder::directed()
        } else {
            GraphBuilder::undirected()
        };
        for n in &self.nodes {
            b.add_node(n);
        }
        let (from, to) = opts.window;
        let rows = self.rows.iter().filter(|r| match r.time_ms {
            Some(t) => from.is_none_or(|f| t >= f) && to.is_none_or(|e| t < e),
            None => true,
        });
        let err = |source| NetIoError::Graph {
            path: self.path.clone(),
            source,
        };
        let weight = |r: &EdgeRow| if opts.unweighted { 1.0 } else { r.weight };
        match opts.merge {
            Merge::Sum => {
                for r in rows {
                    match r.time_ms {
                        Some(t) => b.add_timed_edge(&r.source, &r.target, weight(r), t),
                        None => b.add_edge(&r.source, &r.target, weight(r)),
                    }
                    .map_err(err)?;
                }
            }
            Merge::Last => {
                // Key by the unordered pair when undirected, as networkx does; a pair keeps the
                // position of its first row and the weight of its last.
                let mut index: HashMap<(&str, &str), usize> = HashMap::new();
                let mut kept: Vec<&EdgeRow> = Vec::new();
                for r in rows {
                    let key = if directed || r.source <= r.target {
                        (r.source.as_str(), r.target.as_str())
                    } else {
                        (r.target.as_str(), r.source.as_str())
                    };
                    match index.get(&key) {
                        Some(&i) => kept[i] = r,
                        None => {
                            index.insert(key, kept.len());
                            kept.push(r);
                        }
                    }
                }
                for r in kept {
                    b.add_edge(&r.source, &r.target, weight(r)).map_err(err)?;
                }
            }
        }
        Ok(b.build())
    }
}

fn read_text(path: &Path) -> Result<String, NetIoError> {
    let text = std::fs::read_to_string(path).map_err(|source| NetIoError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(text.trim_start_matches('\u{feff}').to_owned())
}

/// Reads an edge list file. See the [module docs](self) for what is detected.
///
/// # Errors
/// [`NetIoError::Io`], [`NetIoError::Empty`], or [`NetIoError::Row`] naming the row for a
/// missing field, a weight that is not a positive number, or a time that cannot be read.
pub fn read_edge_list(path: &Path, opts: &EdgeListOptions) -> Result<EdgeTable, NetIoError> {
    parse_edge_list(&read_text(path)?, path, opts)
}

/// Reads an adjacency matrix file (header row of labels, first column of labels, one numeric
/// cell per pair; non-zero = an edge with that weight).
///
/// # Errors
/// [`NetIoError::Io`], [`NetIoError::Empty`], or [`NetIoError::Row`] for a row whose label is
/// not in the header, a row of the wrong length, or a cell that is not a non-negative number.
pub fn read_adjacency(path: &Path) -> Result<EdgeTable, NetIoError> {
    parse_adjacency(&read_text(path)?, path)
}

/// Splits `text` into rows of fields with 1-based line numbers, skipping blank lines.
fn split_rows(
    text: &str,
    path: &Path,
    delimiter: Option<u8>,
) -> Result<Vec<(usize, Vec<String>)>, NetIoError> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = delimiter.or_else(|| {
        [b'\t', b',', b';']
            .into_iter()
            .find(|&d| first.as_bytes().contains(&d))
    });
    let Some(delim) = delimiter else {
        return Ok(text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i + 1, l.split_whitespace().map(str::to_owned).collect()))
            .collect());
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| NetIoError::Row {
            path: path.to_owned(),
            row: e.position().map_or(0, |p| p.line() as usize),
            problem: e.to_string(),
            hint: "check the quoting of that line",
        })?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.iter().all(str::is_empty) {
            continue;
        }
        out.push((line, rec.iter().map(str::to_owned).collect()));
    }
    Ok(out)
}

fn is_number(s: &str) -> bool {
    s.parse::<f64>().is_ok_and(f64::is_finite)
}

fn find_col(header: &[String], names: &[&str]) -> Option<usize> {
    header
        .iter()
        .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
}

/// Parses edge-list text; `path` is used only in messages.
///
/// # Errors
/// As [`read_edge_list`].
pub fn parse_edge_list(
    text: &str,
    path: &Path,
    opts: &EdgeListOptions,
) -> Result<EdgeTable, NetIoError> {
    let rows = split_rows(text, path, opts.delimiter)?;
    let row_err = |row: usize, problem: String, hint: &'static str| NetIoError::Row {
        path: path.to_owned(),
        row,
        problem,
        hint,
    };
    let Some((_, first)) = rows.first() else {
        return Err(NetIoError::Empty {
            path: path.to_owned(),
            hint: "an edge list needs one `source,target[,weight[,time]]` row per edge",
        });
    };
    let named = first.get(2).is_none_or(|c| !is_number(c))
        && first.iter().any(|c| {
            [SOURCE_NAMES, TARGET_NAMES, WEIGHT_NAMES, TIME_NAMES]
                .iter()
                .any(|names| names.iter().any(|n| c.eq_ignore_ascii_case(n)))
        });
    let third_text = first.get(2).is_some_and(|c| !is_number(c))
        && rows
            .get(1)
            .and_then(|(_, r)| r.get(2))
            .is_some_and(|c| is_number(c));
    let header = opts.header.unwrap_or(named || third_text);
    let (src, dst, wcol, tcol) = if header && named {
        let s = find_col(first, SOURCE_NAMES).unwrap_or(0);
        let t = find_col(first, TARGET_NAMES).unwrap_or(if s == 0 { 1 } else { 0 });
        (
            s,
            t,
            find_col(first, WEIGHT_NAMES),
            find_col(first, TIME_NAMES),
        )
    } else {
        let width = first.len();
        let data = || rows.iter().skip(usize::from(header));
        (
            0,
            1,
            (width > 2).then_some(2),
            (width > 3 && data().all(|(_, r)| r.get(2).is_none_or(|c| is_number(c)))).then_some(3),
        )
    };
    // Without named columns, a third column that is not numeric is not a weight.
    let wcol = if named {
        wcol
    } else {
        wcol.filter(|&w| {
            rows.iter()
                .skip(usize::from(header))
                .all(|(_, r)| r.get(w).is_none_or(|c| is_number(c)))
        })
    };
    let mut table = EdgeTable {
        path: path.to_owned(),
        nodes: Vec::new(),
        rows: Vec::with_capacity(rows.len()),
        directed: false,
    };
    let mut seen: HashMap<String, ()> = HashMap::new();
    for (line, cells) in rows.iter().skip(usize::from(header)) {
        let field = |i: usize, what: &str| {
            cells.get(i).filter(|c| !c.is_empty()).ok_or_else(|| {
                row_err(
                    *line,
                    format!("no {what} (column {})", i + 1),
                    "every row needs a source and a target; delete the row or fill it in",
                )
            })
        };
        let source = field(src, "source")?.clone();
        let target = field(dst, "target")?.clone();
        let weight = match wcol.and_then(|w| cells.get(w)) {
            None => 1.0,
            Some(c) => c
                .parse::<f64>()
                .ok()
                .filter(|w| w.is_finite() && *w > 0.0)
                .ok_or_else(|| {
                    row_err(
                        *line,
                        format!("weight {c:?} is not a positive number"),
                        "weights count calls or ties, so they must be > 0; remove zero rows or pass --unweighted with a fixed file",
                    )
                })?,
        };
        let time_ms = match tcol.and_then(|t| cells.get(t)) {
            None => None,
            Some(c) if c.is_empty() => None,
            Some(c) => Some(parse_time_ms(c).ok_or_else(|| {
                row_err(
                    *line,
                    format!("time {c:?} is not a Unix time or YYYY-MM-DD[ HH:MM:SS]"),
                    "write times as Unix seconds or ISO 8601 in UTC",
                )
            })?),
        };
        for label in [&source, &target] {
            if seen.insert(label.clone(), ()).is_none() {
                table.nodes.push(label.clone());
            }
        }
        table.rows.push(EdgeRow {
            source,
            target,
            weight,
            time_ms,
        });
    }
    if table.rows.is_empty() {
        return Err(NetIoError::Empty {
            path: path.to_owned(),
            hint: "the file has a header but no edges",
        });
    }
    Ok(table)
}

/// Parses adjacency-matrix text; `path` is used only in messages.
///
/// # Errors
/// As [`read_adjacency`].
pub fn parse_adjacency(text: &str, path: &Path) -> Result<EdgeTable, NetIoError> {
    let rows = split_rows(text, path, None)?;
    let row_err = |row: usize, problem: String, hint: &'static str| NetIoError::Row {
        path: path.to_owned(),
        row,
        problem,
        hint,
    };
    let Some((_, header)) = rows.first() else {
        return Err(NetIoError::Empty {
            path: path.to_owned(),
            hint: "an adjacency matrix needs a header row of labels and one row per label",
        });
    };
    let labels: Vec<String> = header.iter().skip(1).cloned().collect();
    let n = labels.len();
    let col_of: HashMap<&str, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    if col_of.len() != n {
        return Err(row_err(
            1,
            "the header repeats a label".into(),
            "each column label must be unique",
        ));
    }
    let mut matrix = vec![vec![0.0f64; n]; n];
    let mut filled = vec![false; n];
    for (line, cells) in rows.iter().skip(1) {
        let label = &cells[0];
        let Some(&i) = col_of.get(label.as_str()) else {
            return Err(row_err(
                *line,
                format!("row label {label:?} is not among the column labels"),
                "an adjacency matrix is square: every row label must also head a column",
            ));
        };
        if cells.len() != n + 1 {
            return Err(row_err(
                *line,
                format!("{} cells after the label, expected {n}", cells.len() - 1),
                "each row needs one cell per column label",
            ));
        }
        for (j, cell) in cells[1..].iter().enumerate() {
            let w = if cell.is_empty() {
                0.0
            } else {
                cell.parse::<f64>()
                    .ok()
                    .filter(|w| w.is_finite() && *w >= 0.0)
                    .ok_or_else(|| {
                        row_err(
                            *line,
                            format!("cell for column {:?} is {cell:?}", labels[j]),
                            "cells must be non-negative numbers (0 or empty = no edge)",
                        )
                    })?
            };
            matrix[i][j] = w;
        }
        filled[i] = true;
    }
    if let Some(missing) = filled.iter().position(|f| !f) {
        return Err(row_err(
            rows.len() + 1,
            format!("no row for column label {:?}", labels[missing]),
            "an adjacency matrix is square: add the missing row",
        ));
    }
    let symmetric = (0..n).all(|i| (0..i).all(|j| matrix[i][j] == matrix[j][i]));
    let mut table = EdgeTable {
        path: path.to_owned(),
        nodes: labels.clone(),
        rows: Vec::new(),
        directed: !symmetric,
    };
    for (i, row) in matrix.iter().enumerate() {
        for (j, &w) in row.iter().enumerate() {
            // Self-loops carry no meaning for any measure here; a symmetric matrix holds each
            // tie twice, so read it once.
            if w > 0.0 && i != j && (!symmetric || i < j) {
                table.rows.push(EdgeRow {
                    source: labels[i].clone(),
                    target: labels[j].clone(),
                    weight: w,
                    time_ms: None,
                });
            }
        }
    }
    Ok(table)
}

/// Unix milliseconds from `1712345678` (seconds), `1712345678.5`, `2024-04-05`,
/// `2024-04-05 19:34:38` or `2024-04-05T19:34:38Z` (UTC).
pub fn parse_time_ms(s: &str) -> Option<i64> {
    if let Ok(secs) = s.parse::<i64>() {
        return secs.checked_mul(1000);
    }
    if let Ok(secs) = s.parse::<f64>() {
        return secs.is_finite().then(|| (secs * 1000.0).round() as i64);
    }
    let s = s.trim_end_matches('Z');
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    if d.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    let mut secs = days_from_civil(y, m, day) * 86_400;
    if let Some(t) = time {
        let (hms, frac) = t.split_once('.').unwrap_or((t, ""));
        let mut p = hms.split(':').map(|p| p.parse::<i64>().ok());
        let (h, mi) = (p.next()??, p.next()??);
        let sec = p.next().unwrap_or(Some(0))?;
        if h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        secs += h * 3600 + mi * 60 + sec;
        let ms = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<3}")[..3].parse::<i64>().ok()?
        };
        return Some(secs * 1000 + ms);
    }
    Some(secs * 1000)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("t.csv")
    }

    #[test]
    fn headerless_tsv_with_weights() {
        let t = parse_edge_list("1\t2\t5\n2\t1\t6\n2\t3\t1\n", p(), &Default::default()).unwrap();
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.nodes, ["1", "2", "3"]);
        assert_eq!(t.rows[1].weight, 6.0);
        let g = t.to_graph(&GraphOptions::default()).unwrap();
        assert!(!g.is_directed());
        assert_eq!(g.undirected_csr().weight(0, 1), Some(11.0));
        let last = t
            .to_graph(&GraphOptions {
                merge: Merge::Last,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(last.undirected_csr().weight(0, 1), Some(6.0));
        assert_eq!(last.edge_count(), 2);
    }

    #[test]
    fn named_header_semicolon_and_column_order() {
        let t = parse_edge_list(
            "Weight;Target;Source\n3;b;a\n1;c;b\n",
            p(),
            &Default::default(),
        )
        .unwrap();
        assert_eq!(t.rows[0].source, "a");
        assert_eq!(t.rows[0].target, "b");
        assert_eq!(t.rows[0].weight, 3.0);
    }

    #[test]
    fn unnamed_header_detected_from_weight_column() {
        let t = parse_edge_list(
            "from_node,to_node,n_calls\nx,y,4\n",
            p(),
            &Default::default(),
        );
        let t = t.unwrap();
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].weight, 4.0);
        // No weight column at all: weight 1, and non-numeric third column is not a weight.
        let t = parse_edge_list("x y\ny z\n", p(), &Default::default()).unwrap();
        assert_eq!(t.rows.len(), 2);
        assert!(t.rows.iter().all(|r| r.weight == 1.0));
    }

    #[test]
    fn time_column_and_window() {
        let t = parse_edge_list(
            "source,target,weight,timestamp\na,b,1,2024-01-01 00:00:00\na,b,1,2024-01-02\n",
            p(),
            &Default::default(),
        )
        .unwrap();
        assert_eq!(t.rows[0].time_ms, Some(1_704_067_200_000));
        let g = t
            .to_graph(&GraphOptions {
                window: (Some(1_704_100_000_000), None),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(g.undirected_csr().weight(0, 1), Some(1.0));
    }

    #[test]
    fn bad_weight_names_the_row() {
        let e = parse_edge_list("a,b,2\nb,c,zero\n", p(), &Default::default());
        // A non-numeric third column is not a weight column at all...
        assert!(e.is_ok());
        let e = parse_edge_list(
            "source,target,weight\na,b,2\nb,c,-1\n",
            p(),
            &Default::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("t.csv, row 3"), "{e}");
        assert!(e.contains("positive"), "{e}");
    }

    #[test]
    fn adjacency_symmetric_is_undirected() {
        let t = parse_adjacency("\"\",a,b,c\na,0,2,0\nb,2,0,1\nc,0,1,0\n", p()).unwrap();
        assert!(!t.directed);
        assert_eq!(t.rows.len(), 2);
        let g = t.to_graph(&GraphOptions::default()).unwrap();
        assert_eq!(g.undirected_csr().weight(0, 1), Some(2.0));
    }

    #[test]
    fn adjacency_asymmetric_is_directed_and_rows_matched_by_label() {
        let t = parse_adjacency("players,x,y,z\nz,0,0,0\nx,0,3,0\ny,1,0,0\n", p()).unwrap();
        assert!(t.directed);
        assert_eq!(t.nodes, ["x", "y", "z"]);
        let g = t.to_graph(&GraphOptions::default()).unwrap();
        assert_eq!(g.out_csr().weight(0, 1), Some(3.0));
        assert_eq!(g.out_csr().weight(1, 0), Some(1.0));
        assert_eq!(g.node_count(), 3);
    }

    #[test]
    fn adjacency_errors_name_row() {
        let e = parse_adjacency(",a,b\na,0,1\nb,x,0\n", p())
            .unwrap_err()
            .to_string();
        assert!(e.contains("row 3") && e.contains("\"a\""), "{e}");
        let e = parse_adjacency(",a,b\na,0,1\nq,1,0\n", p())
            .unwrap_err()
            .to_string();
        assert!(e.contains("row 3") && e.contains("\"q\""), "{e}");
        let e = parse_adjacency(",a,b\na,0,1\nb,1\n", p())
            .unwrap_err()
            .to_string();
        assert!(e.contains("row 3"), "{e}");
    }

    #[test]
    fn times() {
        assert_eq!(parse_time_ms("0"), Some(0));
        assert_eq!(parse_time_ms("1970-01-02"), Some(86_400_000));
        assert_eq!(
            parse_time_ms("2000-03-01T00:00:01.5Z"),
            Some(951_868_801_500)
        );
        assert_eq!(parse_time_ms("2000-13-01"), None);
        assert_eq!(parse_time_ms("soon"), None);
    }
}
