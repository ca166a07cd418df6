//! Second-pass plans, parameterised by what the first pass found: the orders to the deal
//! lines, the call-backs that followed them, where the people around the lines were, and
//! the cell list.
//!
//! The numbers go into the SQL as literal `IN (…)` lists (E.164 strings, checked to hold
//! only `+` and digits), so the plans stay plain SQL that a Ballista cluster accepts.

use std::collections::BTreeSet;

use crate::AnalysisError;
use crate::engine::Engine;
use crate::features::{CONTACT_KINDS, Cols, Evidence, prov};
use crate::thresholds::{CALLBACK_WINDOW_MIN, NIGHT_OBS_END_HOUR_UTC};

/// One contact from a customer to a deal-line number (an order, or a message about one).
#[derive(Clone, Debug)]
pub(crate) struct Order {
    pub(crate) customer: String,
    pub(crate) line_number: String,
    pub(crate) t: i64,
    pub(crate) evidence: Option<Evidence>,
}

/// A voice call to a customer within [`CALLBACK_WINDOW_MIN`] after the customer contacted a
/// deal line: by the line itself (a confirmed transaction) or by someone working for it.
#[derive(Clone, Debug)]
pub(crate) struct Callback {
    pub(crate) line_number: String,
    pub(crate) customer: String,
    pub(crate) order_t: i64,
    pub(crate) caller: String,
    pub(crate) evidence: Option<Evidence>,
}

/// A number seen on a cell at a time (either leg's first cell).
#[derive(Clone, Debug)]
pub(crate) struct CellObs {
    pub(crate) number: String,
    pub(crate) t: i64,
    pub(crate) cell: String,
    pub(crate) evidence: Option<Evidence>,
}

/// How often a number was seen on a cell at night (UTC hours 0 to
/// [`NIGHT_OBS_END_HOUR_UTC`]), over the whole case.
#[derive(Clone, Debug)]
pub(crate) struct NightCell {
    pub(crate) number: String,
    pub(crate) cell: String,
    pub(crate) n: i64,
}

/// A call or message between two numbers (A rang or texted B).
#[derive(Clone, Debug)]
pub(crate) struct Contact {
    pub(crate) a: String,
    pub(crate) b: String,
    pub(crate) t: i64,
    pub(crate) evidence: Option<Evidence>,
}

/// A cell from the cell list: where its mast is and which way the sector faces.
#[derive(Clone, Debug)]
pub(crate) struct CellSite {
    pub(crate) cell: String,
    pub(crate) lat: f64,
    pub(crate) lon: f64,
}

/// A literal SQL list of E.164 numbers. Anything but `+` and digits is dropped, so no
/// value can break out of the literal.
pub(crate) fn in_list<'a>(numbers: impl IntoIterator<Item = &'a String>) -> String {
    let items: BTreeSet<String> = numbers
        .into_iter()
        .map(|n| {
            n.chars()
                .filter(|c| *c == '+' || c.is_ascii_digit())
                .collect::<String>()
        })
        .filter(|n| !n.is_empty())
        .collect();
    if items.is_empty() {
        // A list that matches nothing keeps every plan valid on a case with no lines.
        return "('')".to_owned();
    }
    let quoted: Vec<String> = items.iter().map(|n| format!("'{n}'")).collect();
    format!("({})", quoted.join(", "))
}

/// Every contact from outside the lines to a deal-line number.
pub(crate) fn orders_sql(lines: &str) -> String {
    let prov = prov("a_", "b_");
    format!(
        "SELECT a_number, b_number, CAST(start_utc AS BIGINT) AS t, {prov}
         FROM events
         WHERE kind IN {CONTACT_KINDS} AND b_number IN {lines} AND a_number NOT IN {lines}
         ORDER BY b_number, t"
    )
}

/// Voice calls to a line's customers within [`CALLBACK_WINDOW_MIN`] after each of their
/// contacts with the line, from any number.
pub(crate) fn callbacks_sql(lines: &str) -> String {
    let prov = prov("a_", "b_");
    let window = CALLBACK_WINDOW_MIN * 60_000;
    format!(
        "WITH o AS (
            SELECT a_number AS customer, b_number AS line_number, CAST(start_utc AS BIGINT) AS t
            FROM events
            WHERE kind IN {CONTACT_KINDS} AND b_number IN {lines} AND a_number NOT IN {lines}
        ),
        v AS (
            SELECT a_number AS caller, b_number AS callee, CAST(start_utc AS BIGINT) AS t, {prov}
            FROM events
            WHERE kind = 'voice' AND b_number IN (SELECT DISTINCT customer FROM o)
        )
        SELECT o.line_number, o.customer, o.t AS order_t, v.caller, v.t, v.sha, v.srow
        FROM o JOIN v ON v.callee = o.customer AND v.t > o.t AND v.t <= o.t + {window}"
    )
}

/// Every cell observation of the given numbers, in time order.
pub(crate) fn cell_obs_sql(numbers: &str) -> String {
    format!(
        "WITH o AS (
            SELECT a_number AS number, CAST(start_utc AS BIGINT) AS t, a_first_cell AS cell,
                   a_src_sha256 AS sha, a_src_row AS srow
            FROM events WHERE a_number IN {numbers} AND a_first_cell IS NOT NULL
            UNION ALL
            SELECT b_number AS number, CAST(start_utc AS BIGINT) AS t, b_first_cell AS cell,
                   b_src_sha256 AS sha, b_src_row AS srow
            FROM events WHERE b_number IN {numbers} AND b_first_cell IS NOT NULL
        )
        SELECT number, t, cell, sha, srow FROM o ORDER BY number, t"
    )
}

/// Every call and message to or from the given numbers.
pub(crate) fn contacts_sql(numbers: &str) -> String {
    let prov = prov("a_", "b_");
    format!(
        "SELECT a_number, b_number, CAST(start_utc AS BIGINT) AS t, {prov}
         FROM events
         WHERE kind IN {CONTACT_KINDS} AND (a_number IN {numbers} OR b_number IN {numbers})"
    )
}

/// Night-time cell counts of the given numbers.
pub(crate) fn night_cells_sql(numbers: &str) -> String {
    format!(
        "WITH o AS (
            SELECT a_number AS number, CAST(start_utc AS BIGINT) AS t, a_first_cell AS cell
            FROM events WHERE a_number IN {numbers} AND a_first_cell IS NOT NULL
            UNION ALL
            SELECT b_number AS number, CAST(start_utc AS BIGINT) AS t, b_first_cell AS cell
            FROM events WHERE b_number IN {numbers} AND b_first_cell IS NOT NULL
        )
        SELECT number, cell, COUNT(*) AS n FROM o
        WHERE (t / 3600000) % 24 < {NIGHT_OBS_END_HOUR_UTC}
        GROUP BY number, cell"
    )
}

/// The cell list's positions (one row per cell id; the first listed wins).
pub(crate) fn cells_sql() -> String {
    "SELECT cell_id, first_value(lat) AS lat, first_value(lon) AS lon
     FROM cells GROUP BY cell_id"
        .to_owned()
}

/// The second pass's results.
#[derive(Debug, Default)]
pub(crate) struct LineData {
    pub(crate) orders: Vec<Order>,
    pub(crate) callbacks: Vec<Callback>,
    pub(crate) cells: Vec<CellSite>,
}

/// Runs the orders, call-backs and cell-list plans for the given deal-line numbers.
pub(crate) fn extract(engine: &Engine, lines: &str) -> Result<LineData, AnalysisError> {
    let mut out = LineData::default();
    for b in &engine.query("orders", &orders_sql(lines))? {
        let c = Cols::new(b, "orders")?;
        for i in 0..b.num_rows() {
            out.orders.push(Order {
                customer: c.s(0, i),
                line_number: c.s(1, i),
                t: c.i(2, i),
                evidence: c.ev(3, 4, i),
            });
        }
    }
    for b in &engine.query("call-backs", &callbacks_sql(lines))? {
        let c = Cols::new(b, "call-backs")?;
        for i in 0..b.num_rows() {
            out.callbacks.push(Callback {
                line_number: c.s(0, i),
                customer: c.s(1, i),
                order_t: c.i(2, i),
                caller: c.s(3, i),
                evidence: c.ev(5, 6, i),
            });
        }
    }
    for b in &engine.query("cell list", &cells_sql())? {
        let c = Cols::new(b, "cell list")?;
        for i in 0..b.num_rows() {
            out.cells.push(CellSite {
                cell: c.s(0, i),
                lat: c.f(1, i),
                lon: c.f(2, i),
            });
        }
    }
    Ok(out)
}

/// Runs the cell-observation plan for `numbers` (full history) and the night-cell plan for
/// `residents` (counts only).
pub(crate) fn extract_cells(
    engine: &Engine,
    numbers: &str,
    residents: &str,
) -> Result<(Vec<CellObs>, Vec<NightCell>), AnalysisError> {
    let mut obs = Vec::new();
    for b in &engine.query("cell observations", &cell_obs_sql(numbers))? {
        let c = Cols::new(b, "cell observations")?;
        for i in 0..b.num_rows() {
            obs.push(CellObs {
                number: c.s(0, i),
                t: c.i(1, i),
                cell: c.s(2, i),
                evidence: c.ev(3, 4, i),
            });
        }
    }
    let mut nights = Vec::new();
    for b in &engine.query("night cells", &night_cells_sql(residents))? {
        let c = Cols::new(b, "night cells")?;
        for i in 0..b.num_rows() {
            nights.push(NightCell {
                number: c.s(0, i),
                cell: c.s(1, i),
                n: c.i(2, i),
            });
        }
    }
    Ok((obs, nights))
}

/// Runs the contacts plan for `numbers`.
pub(crate) fn extract_contacts(
    engine: &Engine,
    numbers: &str,
) -> Result<Vec<Contact>, AnalysisError> {
    let mut out = Vec::new();
    for b in &engine.query("contacts", &contacts_sql(numbers))? {
        let c = Cols::new(b, "contacts")?;
        for i in 0..b.num_rows() {
            out.push(Contact {
                a: c.s(0, i),
                b: c.s(1, i),
                t: c.i(2, i),
                evidence: c.ev(3, 4, i),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_list_quotes_numbers_and_drops_anything_else() {
        let v = vec!["+447700900001".to_owned(), "x'); DROP".to_owned()];
        assert_eq!(in_list(&v), "('+447700900001')");
        assert_eq!(in_list(&Vec::<String>::new()), "('')");
    }
}
