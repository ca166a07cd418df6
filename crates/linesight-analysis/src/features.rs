//! The plans: SQL over `events` that reduces millions of events to per-number features,
//! SMS bursts, contact pairs and device histories, decoded into plain Rust rows.
//!
//! Times are compared as integer milliseconds (`CAST(start_utc AS BIGINT)`), so the plans
//! need no date functions. Provenance of an event is the A leg's (`a_src_sha256`,
//! `a_src_row`) where the A party's operator reported it, otherwise the B leg's: both
//! columns of one pair always come from the same leg.

use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use datafusion::arrow::compute::cast;

use crate::AnalysisError;
use crate::engine::Engine;
use crate::thresholds::{
    CALLBACK_WINDOW_MIN, FLARE_MAX_GAP_S, FLARE_MAX_SPAN_MIN, FLARE_MIN_RECIPIENTS,
    MIN_INBOUND_CONTACTS, NIGHT_END_HOUR_UTC, NIGHT_START_HOUR_UTC, SHORT_CALL_S,
};

pub(crate) use linesight_findings::Evidence;

/// One text of a qualifying SMS burst.
#[derive(Clone, Debug)]
pub(crate) struct BurstText {
    pub(crate) sender: String,
    pub(crate) burst: i64,
    pub(crate) recipient: String,
    pub(crate) t: i64,
    pub(crate) evidence: Option<Evidence>,
}

/// Per-number inbound and timing features, for numbers with many inbound contacts.
#[derive(Clone, Debug, Default)]
pub(crate) struct NumberStats {
    pub(crate) inbound: i64,
    pub(crate) contacts: i64,
    pub(crate) short_share: f64,
    pub(crate) days: i64,
    pub(crate) mean_daily_contacts: f64,
    pub(crate) max_daily_contacts: i64,
    pub(crate) night_share: f64,
    pub(crate) hours_used: i64,
    pub(crate) inbound_called_back: i64,
}

/// All contact (voice, SMS, MMS) from `a` to `b`, with the first event's provenance.
#[derive(Clone, Debug)]
pub(crate) struct Pair {
    pub(crate) a: String,
    pub(crate) b: String,
    /// Contacts from `a` to `b`, and how many of them were voice calls.
    pub(crate) n: i64,
    pub(crate) voice: i64,
    pub(crate) first: i64,
    pub(crate) last: i64,
    pub(crate) evidence: Option<Evidence>,
}

/// One SIM (IMSI) in one handset (IMEI) seen on a number, with its first and last use.
#[derive(Clone, Debug)]
pub(crate) struct Device {
    pub(crate) number: String,
    pub(crate) imsi: String,
    pub(crate) imei: String,
    pub(crate) first: i64,
    pub(crate) last: i64,
    pub(crate) first_evidence: Option<Evidence>,
    pub(crate) last_evidence: Option<Evidence>,
}

/// Everything the detectors read: the reduced form of the case.
#[derive(Debug, Default)]
pub(crate) struct Features {
    pub(crate) bursts: Vec<BurstText>,
    pub(crate) stats: std::collections::HashMap<String, NumberStats>,
    pub(crate) pairs: Vec<Pair>,
    pub(crate) devices: Vec<Device>,
}

pub(crate) const CONTACT_KINDS: &str = "('voice', 'sms', 'mms')";

pub(crate) fn prov(prefix_a: &str, prefix_b: &str) -> String {
    format!(
        "CASE WHEN {prefix_a}src_sha256 IS NOT NULL THEN {prefix_a}src_sha256 ELSE {prefix_b}src_sha256 END AS sha, \
         CASE WHEN {prefix_a}src_sha256 IS NOT NULL THEN {prefix_a}src_row ELSE {prefix_b}src_row END AS srow"
    )
}

/// The burst rule's first stages, shared by [`burst_senders_sql`] and [`bursts_sql`]: each
/// text of the senders `senders` (a `WHERE` condition on `s`) with its burst number, the
/// running count of gaps over [`FLARE_MAX_GAP_S`] in the sender's texts by time (`b`), and
/// the bursts that reach [`FLARE_MIN_RECIPIENTS`] distinct recipients within
/// [`FLARE_MAX_SPAN_MIN`] (`q`). A burst's number depends only on its sender's texts, so any
/// set of whole senders gives the same numbers.
fn burst_ctes(cols: &str, senders: &str) -> String {
    let gap_ms = FLARE_MAX_GAP_S * 1000;
    let span_ms = FLARE_MAX_SPAN_MIN * 60_000;
    format!(
        "s AS (
            SELECT a_number AS sender, b_number AS recipient, CAST(start_utc AS BIGINT) AS t{cols}
            FROM events WHERE kind = 'sms' AND b_number IS NOT NULL
        ),
        g AS (
            SELECT s.*, CASE WHEN t - LAG(t) OVER (PARTITION BY sender ORDER BY t) <= {gap_ms}
                             THEN 0 ELSE 1 END AS new_burst
            FROM s WHERE {senders}
        ),
        b AS (
            SELECT *,
                   SUM(new_burst) OVER (PARTITION BY sender ORDER BY t
                                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS burst
            FROM g
        ),
        q AS (
            SELECT sender, burst FROM b GROUP BY sender, burst
            HAVING COUNT(DISTINCT recipient) >= {FLARE_MIN_RECIPIENTS} AND MAX(t) - MIN(t) <= {span_ms}
        )"
    )
}

/// SMS bursts, first statement: the senders with at least one burst that qualifies (see
/// [`bursts_sql`]), in order. Only senders with [`FLARE_MIN_RECIPIENTS`] distinct recipients
/// in all can have one, so only their texts go through the windows.
pub(crate) fn burst_senders_sql() -> String {
    let ctes = burst_ctes("", "sender IN (SELECT sender FROM busy)");
    format!(
        "WITH busy AS (
            SELECT a_number AS sender FROM events WHERE kind = 'sms' AND b_number IS NOT NULL
            GROUP BY a_number HAVING COUNT(DISTINCT b_number) >= {FLARE_MIN_RECIPIENTS}
        ),
        {ctes}
        SELECT DISTINCT sender FROM q ORDER BY sender"
    )
}

/// SMS bursts: runs of texts from one sender with gaps of at most [`FLARE_MAX_GAP_S`],
/// keeping those that reach [`FLARE_MIN_RECIPIENTS`] distinct recipients within
/// [`FLARE_MAX_SPAN_MIN`]. Returns every text of every kept burst, of the senders in
/// `senders` (a literal SQL list from [`sql_list`] of [`burst_senders_sql`]'s result).
///
/// Two statements, not one: the texts are read twice (the bursts, then the texts of the
/// qualifying ones), and DataFusion evaluates a common table expression at each reference,
/// so in one statement the windows over every busy sender's texts ran twice; here the
/// second pass runs them only for the senders that have a qualifying burst.
pub(crate) fn bursts_sql(senders: &str) -> String {
    let prov = prov("a_", "b_");
    let ctes = burst_ctes(&format!(", {prov}"), &format!("sender IN {senders}"));
    format!(
        "WITH {ctes}
        SELECT b.sender, b.burst, b.recipient, b.t, b.sha, b.srow
        FROM b JOIN q ON b.sender = q.sender AND b.burst = q.burst
        ORDER BY b.sender, b.t, b.recipient"
    )
}

/// A literal SQL list of text values, each quoted with any `'` doubled, so no value can
/// break out of the literal and none is changed; `(NULL)` (matches nothing) when empty.
pub(crate) fn sql_list<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let items: std::collections::BTreeSet<&str> = values.into_iter().collect();
    if items.is_empty() {
        return "(NULL)".to_owned();
    }
    let quoted: Vec<String> = items
        .iter()
        .map(|v| format!("'{}'", v.replace('\'', "''")))
        .collect();
    format!("({})", quoted.join(", "))
}

/// Per-number features for numbers with at least [`MIN_INBOUND_CONTACTS`] distinct
/// inbound contacts: inbound volume, distinct contacts (overall and per UTC day), share of
/// short contacts, night share and hours of the day used, and inbound contacts called back
/// by voice within [`CALLBACK_WINDOW_MIN`].
///
/// DataFusion evaluates a common table expression at each reference, so the statement is
/// built to need none twice: every part is computed for all numbers and the candidates are
/// the rows of `instats` (its `HAVING`), which the final inner joins keep. Averages of 0/1
/// values are sums of integers divided by counts, the same doubles as `AVG` (the sums are
/// exact); distinct counts are counts of groups of a finer aggregate, since an aggregate
/// mixing `COUNT(DISTINCT …)` with others takes DataFusion's slow per-group path.
///
/// Call-backs: an inbound contact at `i` (distinct per number, contact and millisecond) is
/// called back when the number calls the contact at some `o` with `i < o <= i + window`.
/// With the time cut into buckets of the window's length and `b` the bucket of `i`, such a
/// call is either in `b` after `i` (the bucket's latest call is after `i`) or in `b + 1` no
/// later than `i + window` (that bucket's earliest call is), and nowhere else; so each
/// inbound contact is joined to one row per (number, contact, bucket) holding the latest
/// call of its bucket and the earliest of the next. Neither a window over every
/// (number, contact) pair, whose per-partition cost dominated this plan, nor a join of
/// every call of a pair with every contact (which grows with the square of the pair's
/// contacts; docs/benchmarks.md). Times are milliseconds since 1970, never negative, so
/// integer division is the bucket.
pub(crate) fn stats_sql() -> String {
    let cb_ms = CALLBACK_WINDOW_MIN * 60_000;
    format!(
        "WITH ev AS (
            SELECT a_number, b_number, kind, duration_s, CAST(start_utc AS BIGINT) AS t
            FROM events WHERE b_number IS NOT NULL AND kind IN {CONTACT_KINDS}
        ),
        inb AS (SELECT b_number AS number, a_number AS contact, kind, duration_s, t FROM ev),
        pc AS (
            SELECT number, contact, COUNT(*) AS n,
                   SUM(CASE WHEN kind = 'voice' AND duration_s > {SHORT_CALL_S} THEN 0 ELSE 1 END)
                       AS short
            FROM inb GROUP BY number, contact
        ),
        instats AS (
            SELECT number, SUM(n) AS inbound, COUNT(*) AS contacts,
                   CAST(SUM(short) AS DOUBLE) / CAST(SUM(n) AS DOUBLE) AS short_share
            FROM pc GROUP BY number HAVING COUNT(*) >= {MIN_INBOUND_CONTACTS}
        ),
        daily AS (
            SELECT number, t / 86400000 AS day, COUNT(DISTINCT contact) AS contacts
            FROM inb GROUP BY number, t / 86400000
        ),
        daystats AS (
            SELECT number, COUNT(*) AS days, AVG(CAST(contacts AS DOUBLE)) AS mean_daily,
                   MAX(contacts) AS max_daily
            FROM daily GROUP BY number
        ),
        allev AS (
            SELECT a_number AS number, t FROM ev
            UNION ALL
            SELECT b_number AS number, t FROM ev
        ),
        hourly AS (
            SELECT number, (t / 3600000) % 24 AS hour, COUNT(*) AS n
            FROM allev GROUP BY number, (t / 3600000) % 24
        ),
        hours AS (
            SELECT number,
                   CAST(SUM(CASE WHEN hour >= {NIGHT_START_HOUR_UTC} OR hour < {NIGHT_END_HOUR_UTC}
                                 THEN n ELSE 0 END) AS DOUBLE) / CAST(SUM(n) AS DOUBLE)
                       AS night_share,
                   COUNT(*) AS hours_used
            FROM hourly GROUP BY number
        ),
        outv AS (
            SELECT a_number AS number, b_number AS contact, t FROM ev WHERE kind = 'voice'
        ),
        calls AS (
            SELECT number, contact, bucket, MAX(latest) AS latest, MIN(earliest) AS earliest
            FROM (
                SELECT number, contact, t / {cb_ms} AS bucket, t AS latest,
                       CAST(NULL AS BIGINT) AS earliest
                FROM outv
                UNION ALL
                SELECT number, contact, t / {cb_ms} - 1 AS bucket, CAST(NULL AS BIGINT) AS latest,
                       t AS earliest
                FROM outv
            ) o
            GROUP BY number, contact, bucket
        ),
        cb AS (
            SELECT i.number, i.contact, i.t
            FROM inb i
            JOIN calls c ON i.number = c.number AND i.contact = c.contact AND i.t / {cb_ms} = c.bucket
            WHERE c.latest > i.t OR c.earliest <= i.t + {cb_ms}
            GROUP BY i.number, i.contact, i.t
        ),
        cbstats AS (SELECT number, COUNT(*) AS called_back FROM cb GROUP BY number)
        SELECT i.number, i.inbound, i.contacts, i.short_share, d.days, d.mean_daily, d.max_daily,
               h.night_share, h.hours_used, COALESCE(c.called_back, 0) AS called_back
        FROM instats i
        JOIN daystats d ON i.number = d.number
        JOIN hours h ON i.number = h.number
        LEFT JOIN cbstats c ON i.number = c.number"
    )
}

/// The first or last of a group's events by time, as one text value that `MIN` can pick:
/// the time (offset to 15 digits; for the last, subtracted from a constant, so the latest
/// time sorts first), then the provenance (`sha`, and `srow` offset to 14 digits), `|`
/// between. Among events at the same millisecond the lowest (file hash, row) wins, first or
/// last: the event that comes first in the `events` table, which is what the ordered
/// `first_value`/`last_value` aggregates this replaces returned. `MIN` over text stays on
/// DataFusion's fast grouped path; ordered `first_value` kept every group's ordering as
/// boxed scalars (docs/benchmarks.md). Times from 1970 to year 5138 fit the 15 digits.
fn provenance_key(last: bool) -> String {
    let t = if last {
        "300000000000000 - t"
    } else {
        "t + 100000000000000"
    };
    format!(
        "MIN(CAST({t} AS VARCHAR) || '|' || COALESCE(sha, '') || '|' \
         || COALESCE(CAST(srow + 10000000000000 AS VARCHAR), ''))"
    )
}

/// Decodes a [`provenance_key`] column `key` into `{prefix}sha` and `{prefix}srow`.
fn provenance_of(key: &str, prefix: &str) -> String {
    format!(
        "NULLIF(string_to_array({key}, '|')[2], '') AS {prefix}sha, \
         CAST(NULLIF(string_to_array({key}, '|')[3], '') AS BIGINT) - 10000000000000 AS {prefix}srow"
    )
}

/// Directed contact pairs with counts (all, and voice calls), first and last time, and the first event's
/// provenance.
pub(crate) fn pairs_sql() -> String {
    let prov = prov("a_", "b_");
    let first = provenance_key(false);
    let first_prov = provenance_of("first_key", "");
    format!(
        "WITH ev AS (
            SELECT a_number, b_number, kind, CAST(start_utc AS BIGINT) AS t, {prov}
            FROM events WHERE b_number IS NOT NULL AND kind IN {CONTACT_KINDS}
        ),
        p AS (
            SELECT a_number, b_number, COUNT(*) AS n, MIN(t) AS first, MAX(t) AS last,
                   {first} AS first_key,
                   SUM(CASE WHEN kind = 'voice' THEN 1 ELSE 0 END) AS voice
            FROM ev GROUP BY a_number, b_number
        )
        SELECT a_number, b_number, n, first, last, {first_prov}, voice FROM p"
    )
}

/// Every (number, IMSI, IMEI) combination seen on either leg, with first and last use and
/// the provenance of the first and last event.
///
/// In two aggregates, as a device's events are many and its source files few: first per
/// device and file (`sha`), the earliest and latest time and, as one decimal each, the
/// earliest and the latest (time, row) pair (time offset or subtracted from a constant, so
/// `MIN` picks either; rows below 10^13); then per device the [`provenance_key`] of those
/// few rows, ordered by time, then file, then row like the single-aggregate form.
pub(crate) fn devices_sql() -> String {
    let first_prov = provenance_of("first_key", "first_");
    let last_prov = provenance_of("last_key", "last_");
    let pack = |t: &str| {
        format!("MIN(CAST({t} AS DECIMAL(38, 0)) * 10000000000000 + CAST(srow AS DECIMAL(38, 0)))")
    };
    let (first_pack, last_pack) = (pack("t + 100000000000000"), pack("300000000000000 - t"));
    let key = |t: &str, packed: &str| {
        format!(
            "MIN(CAST({t} AS VARCHAR) || '|' || COALESCE(sha, '') || '|' \
             || CAST({packed} % 10000000000000 + 10000000000000 AS VARCHAR))"
        )
    };
    let first_key = key("first + 100000000000000", "first_pack");
    let last_key = key("300000000000000 - last", "last_pack");
    format!(
        "WITH d AS (
            SELECT a_number AS number, a_imsi AS imsi, a_imei AS imei, CAST(start_utc AS BIGINT) AS t,
                   a_src_sha256 AS sha, a_src_row AS srow
            FROM events WHERE a_imsi IS NOT NULL AND a_imei IS NOT NULL AND a_imsi <> '' AND a_imei <> ''
            UNION ALL
            SELECT b_number AS number, b_imsi AS imsi, b_imei AS imei, CAST(start_utc AS BIGINT) AS t,
                   b_src_sha256 AS sha, b_src_row AS srow
            FROM events WHERE b_number IS NOT NULL AND b_imsi IS NOT NULL AND b_imei IS NOT NULL
                          AND b_imsi <> '' AND b_imei <> ''
        ),
        f AS (
            SELECT number, imsi, imei, sha, MIN(t) AS first, MAX(t) AS last,
                   {first_pack} AS first_pack, {last_pack} AS last_pack
            FROM d GROUP BY number, imsi, imei, sha
        ),
        h AS (
            SELECT number, imsi, imei, MIN(first) AS first, MAX(last) AS last,
                   {first_key} AS first_key, {last_key} AS last_key
            FROM f GROUP BY number, imsi, imei
        )
        SELECT number, imsi, imei, first, last, {first_prov}, {last_prov} FROM h"
    )
}

/// Runs every plan, reporting each as one step of `progress`.
pub(crate) fn extract(
    engine: &Engine,
    step: &dyn Fn(&'static str),
) -> Result<Features, AnalysisError> {
    let mut f = Features::default();

    let senders = engine.query("SMS burst senders", &burst_senders_sql())?;
    let mut names = Vec::new();
    for b in &senders {
        let c = Cols::new(b, "SMS burst senders")?;
        names.extend((0..b.num_rows()).map(|i| c.s(0, i)));
    }
    let batches = engine.query(
        "SMS bursts",
        &bursts_sql(&sql_list(names.iter().map(String::as_str))),
    )?;
    for b in &batches {
        let c = Cols::new(b, "SMS bursts")?;
        for i in 0..b.num_rows() {
            f.bursts.push(BurstText {
                sender: c.s(0, i),
                burst: c.i(1, i),
                recipient: c.s(2, i),
                t: c.i(3, i),
                evidence: c.ev(4, 5, i),
            });
        }
    }
    step("SMS bursts");

    let batches = engine.query("per-number features", &stats_sql())?;
    for b in &batches {
        let c = Cols::new(b, "per-number features")?;
        for i in 0..b.num_rows() {
            f.stats.insert(
                c.s(0, i),
                NumberStats {
                    inbound: c.i(1, i),
                    contacts: c.i(2, i),
                    short_share: c.f(3, i),
                    days: c.i(4, i),
                    mean_daily_contacts: c.f(5, i),
                    max_daily_contacts: c.i(6, i),
                    night_share: c.f(7, i),
                    hours_used: c.i(8, i),
                    inbound_called_back: c.i(9, i),
                },
            );
        }
    }
    step("per-number features");

    let batches = engine.query("contact pairs", &pairs_sql())?;
    for b in &batches {
        let c = Cols::new(b, "contact pairs")?;
        for i in 0..b.num_rows() {
            f.pairs.push(Pair {
                a: c.s(0, i),
                b: c.s(1, i),
                n: c.i(2, i),
                voice: c.i(7, i),
                first: c.i(3, i),
                last: c.i(4, i),
                evidence: c.ev(5, 6, i),
            });
        }
    }
    step("contact pairs");

    let batches = engine.query("device histories", &devices_sql())?;
    for b in &batches {
        let c = Cols::new(b, "device histories")?;
        for i in 0..b.num_rows() {
            f.devices.push(Device {
                number: c.s(0, i),
                imsi: c.s(1, i),
                imei: c.s(2, i),
                first: c.i(3, i),
                last: c.i(4, i),
                first_evidence: c.ev(5, 6, i),
                last_evidence: c.ev(7, 8, i),
            });
        }
    }
    step("device histories");
    Ok(f)
}

/// A result batch's columns cast to the three types the decoders read (text, 64-bit
/// integers, doubles), whatever physical type the engine chose (`Utf8View`, `UInt64`…).
pub(crate) struct Cols {
    text: Vec<Option<StringArray>>,
    int: Vec<Option<Int64Array>>,
    float: Vec<Option<Float64Array>>,
}

impl Cols {
    pub(crate) fn new(batch: &RecordBatch, what: &'static str) -> Result<Self, AnalysisError> {
        let err = |source| AnalysisError::Decode { what, source };
        let mut text = Vec::new();
        let mut int = Vec::new();
        let mut float = Vec::new();
        for col in batch.columns() {
            let as_text = matches!(
                col.data_type(),
                DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8
            );
            let as_float = matches!(col.data_type(), DataType::Float64 | DataType::Float32);
            text.push(if as_text {
                Some(downcast::<StringArray>(
                    &cast(col, &DataType::Utf8).map_err(err)?,
                ))
            } else {
                None
            });
            float.push(if as_float {
                Some(downcast::<Float64Array>(
                    &cast(col, &DataType::Float64).map_err(err)?,
                ))
            } else {
                None
            });
            int.push(if !as_text && !as_float {
                Some(downcast::<Int64Array>(
                    &cast(col, &DataType::Int64).map_err(err)?,
                ))
            } else {
                None
            });
        }
        Ok(Self { text, int, float })
    }

    pub(crate) fn s(&self, col: usize, row: usize) -> String {
        self.text[col]
            .as_ref()
            .filter(|a| a.is_valid(row))
            .map(|a| a.value(row).to_owned())
            .unwrap_or_default()
    }

    pub(crate) fn i(&self, col: usize, row: usize) -> i64 {
        self.int[col]
            .as_ref()
            .filter(|a| a.is_valid(row))
            .map_or(0, |a| a.value(row))
    }

    pub(crate) fn f(&self, col: usize, row: usize) -> f64 {
        self.float[col]
            .as_ref()
            .filter(|a| a.is_valid(row))
            .map_or(0.0, |a| a.value(row))
    }

    pub(crate) fn ev(&self, sha: usize, row: usize, i: usize) -> Option<Evidence> {
        let s = self.s(sha, i);
        let valid = self.int[row].as_ref().is_some_and(|a| a.is_valid(i));
        (!s.is_empty() && valid).then(|| Evidence {
            src_sha256: s,
            src_row: u64::try_from(self.i(row, i)).unwrap_or(0),
        })
    }
}

fn downcast<T: Clone + 'static>(a: &ArrayRef) -> T {
    a.as_any()
        .downcast_ref::<T>()
        .cloned()
        .expect("cast returned the requested type")
}

#[cfg(test)]
mod tests {
    use super::sql_list;

    #[test]
    fn sql_list_keeps_values_and_doubles_quotes() {
        assert_eq!(
            sql_list(["+447700900002", "O'Brien", "+447700900001", "+447700900002"]),
            "('+447700900001', '+447700900002', 'O''Brien')"
        );
        assert_eq!(sql_list(std::iter::empty()), "(NULL)");
    }

    #[test]
    fn an_empty_case_gives_empty_features_without_error() {
        // No sender has a qualifying burst, so the second burst statement gets `IN (NULL)`.
        let dir = tempfile::tempdir().expect("temp dir");
        let store = linesight_store::CaseStore::create_or_open(&dir.path().join("case"))
            .expect("empty case");
        let engine = crate::engine::Engine::open(&store, Some(1), false).expect("engine");
        let f = super::extract(&engine, &|_| {}).expect("plans run on no events");
        assert!(f.bursts.is_empty());
        assert!(f.stats.is_empty());
        assert!(f.pairs.is_empty());
        assert!(f.devices.is_empty());
    }
}
