//! Writers: one [`Table`] printed as aligned text, CSV, Markdown or JSON records.
//!
//! Cells are already-formatted strings so that every format shows the same figures; the JSON
//! writer turns cells that parse as numbers back into numbers.

use std::io::Write;

use crate::error::NetIoError;

/// A titled table of text cells.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// Shown above the table in text and Markdown; a `# title` line in CSV.
    pub title: String,
    /// Column names.
    pub headers: Vec<String>,
    /// Rows, each as long as `headers`.
    pub rows: Vec<Vec<String>>,
}

fn numeric(s: &str) -> bool {
    !s.is_empty()
        && s.trim_end_matches('%')
            .parse::<f64>()
            .is_ok_and(f64::is_finite)
}

impl Table {
    /// An empty table with these headers.
    pub fn new(title: impl Into<String>, headers: &[&str]) -> Self {
        Self {
            title: title.into(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn push(&mut self, row: Vec<String>) {
        debug_assert_eq!(row.len(), self.headers.len());
        self.rows.push(row);
    }

    fn widths(&self) -> Vec<usize> {
        self.headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                self.rows
                    .iter()
                    .map(|r| r[i].chars().count())
                    .chain([h.chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    /// Aligned text: numbers right-aligned, text left-aligned, two spaces between columns.
    pub fn to_text(&self) -> String {
        let w = self.widths();
        let mut out = String::new();
        if !self.title.is_empty() {
            out.push_str(&self.title);
            out.push('\n');
        }
        let line = |cells: &[String], out: &mut String| {
            let parts: Vec<String> = cells
                .iter()
                .zip(&w)
                .map(|(c, &w)| {
                    if numeric(c) {
                        format!("{c:>w$}")
                    } else {
                        format!("{c:<w$}")
                    }
                })
                .collect();
            out.push_str("  ");
            out.push_str(parts.join("  ").trim_end());
            out.push('\n');
        };
        line(&self.headers, &mut out);
        let rule: Vec<String> = w.iter().map(|&w| "-".repeat(w)).collect();
        line(&rule, &mut out);
        for r in &self.rows {
            line(r, &mut out);
        }
        out
    }

    /// A GitHub-flavoured Markdown table (title not included); `|` in cells is escaped.
    pub fn to_markdown(&self) -> String {
        let esc = |s: &str| s.replace('|', "\\|");
        let mut out = format!(
            "| {} |\n|{}|\n",
            self.headers
                .iter()
                .map(|h| esc(h))
                .collect::<Vec<_>>()
                .join(" | "),
            self.headers
                .iter()
                .map(|_| " --- ")
                .collect::<Vec<_>>()
                .join("|")
        );
        for r in &self.rows {
            out.push_str(&format!(
                "| {} |\n",
                r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
            ));
        }
        out
    }

    /// CSV with a header row (no title).
    ///
    /// # Errors
    /// [`NetIoError::Write`] if `w` fails.
    pub fn write_csv(&self, w: impl Write, what: &str) -> Result<(), NetIoError> {
        let err = |e: csv::Error| NetIoError::Write {
            what: what.to_owned(),
            source: std::io::Error::other(e),
        };
        let mut wr = csv::Writer::from_writer(w);
        wr.write_record(&self.headers).map_err(err)?;
        for r in &self.rows {
            wr.write_record(r).map_err(err)?;
        }
        wr.flush().map_err(|source| NetIoError::Write {
            what: what.to_owned(),
            source,
        })
    }

    /// One JSON object per row keyed by header; numeric cells become numbers.
    pub fn to_json_records(&self) -> serde_json::Value {
        let rows = self.rows.iter().map(|r| {
            let obj: serde_json::Map<String, serde_json::Value> = self
                .headers
                .iter()
                .zip(r)
                .map(|(h, c)| (h.clone(), cell_json(c)))
                .collect();
            serde_json::Value::Object(obj)
        });
        serde_json::Value::Array(rows.collect())
    }
}

fn cell_json(c: &str) -> serde_json::Value {
    if let Ok(i) = c.parse::<i64>() {
        return i.into();
    }
    match c.parse::<f64>() {
        Ok(f) if f.is_finite() => f.into(),
        _ => c.into(),
    }
}

/// A measure formatted for a table: up to 6 significant decimals, `n/a` for NaN.
pub fn fmt_value(x: f64) -> String {
    if x.is_nan() {
        "n/a".to_owned()
    } else if x == x.trunc() && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.6}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_csv_json_agree() {
        let mut t = Table::new("T", &["id", "score"]);
        t.push(vec!["alpha".into(), "1.5".into()]);
        t.push(vec!["b".into(), "10".into()]);
        let text = t.to_text();
        assert!(text.contains("  alpha    1.5"), "{text}");
        assert!(text.contains("  b         10"), "{text}");
        let mut csv = Vec::new();
        t.write_csv(&mut csv, "buf").unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "id,score\nalpha,1.5\nb,10\n"
        );
        let j = t.to_json_records();
        assert_eq!(j[1]["score"], 10);
        assert_eq!(j[0]["id"], "alpha");
        assert!(
            t.to_markdown()
                .starts_with("| id | score |\n| --- | --- |\n")
        );
        assert_eq!(fmt_value(0.25), "0.250000");
        assert_eq!(fmt_value(3.0), "3");
    }
}
