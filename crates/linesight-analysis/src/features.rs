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

/// SMS bursts: runs of texts from one sender with gaps of at most [`FLARE_MAX_GAP_S`],
/// keeping those that reach [`FLARE_MIN_RECIPIENTS`] distinct recipients within
/// [`FLARE_MAX_SPAN_MIN`]. Returns every text of every kept burst.
pub(crate) fn bursts_sql() -> String {
    let prov = prov("a_", "b_");
    let gap_ms = FLARE_MAX_GAP_S * 1000;
    let span_ms = FLARE_MAX_SPAN_MIN * 60_000;
    format!(
        "WITH s AS (
            SELECT a_number AS sender, b_number AS recipient, CAST(start_utc AS BIGINT) AS t, {prov}
            FROM events WHERE kind = 'sms' AND b_number IS NOT NULL
        ),
        busy AS (
            SELECT sender FROM s GROUP BY sender
            HAVING COUNT(DISTINCT recipient) >= {FLARE_MIN_RECIPIENTS}
        ),
        g AS (
            SELECT s.*, CASE WHEN t - LAG(t) OVER (PARTITION BY sender ORDER BY t) <= {gap_ms}
                             THEN 0 ELSE 1 END AS new_burst
            FROM s WHERE sender IN (SELECT sender FROM busy)
        ),
        b AS (
            SELECT sender, recipient, t, sha, srow,
                   SUM(new_burst) OVER (PARTITION BY sender ORDER BY t
                                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS burst
            FROM g
        ),
        q AS (
            SELECT sender, burst FROM b GROUP BY sender, burst
            HAVING COUNT(DISTINCT recipient) >= {FLARE_MIN_RECIPIENTS} AND MAX(t) - MIN(t) <= {span_ms}
        )
        SELECT b.sender, b.burst, b.recipient, b.t, b.sha, b.srow
        FROM b JOIN q ON b.sender = q.sender AND b.burst = q.burst
        ORDER BY b.sender, b.t, b.recipient"
    )
}

/// Per-number features for numbers with at least [`MIN_INBOUND_CONTACTS`] distinct
/// inbound contacts: inbound volume, distinct contacts (overall and per UTC day), share of
/// short contacts, night share and hours of the day used, and inbound contacts called back
/// by voice within [`CALLBACK_WINDOW_MIN`].
///
/// The call-back test is a window, not a join: each (number, contact)'s inbound contacts and
/// the number's voice calls to that contact, in one stream ordered by time, and an inbound
/// contact is called back when a call falls in `RANGE BETWEEN 1 FOLLOWING AND window
/// FOLLOWING` of it: a call at `o.t` with `i.t < o.t <= i.t + window`, times in whole
/// milliseconds. A join on (number, contact) with that condition gives the same rows but
/// matches every call of the pair with every contact first, which grows with the square of a
/// pair's contacts (docs/benchmarks.md).
pub(crate) fn stats_sql() -> String {
    let cb_ms = CALLBACK_WINDOW_MIN * 60_000;
    format!(
        "WITH ev AS (
            SELECT a_number, b_number, kind, duration_s, CAST(start_utc AS BIGINT) AS t
            FROM events WHERE b_number IS NOT NULL AND kind IN {CONTACT_KINDS}
        ),
        inb AS (SELECT b_number AS number, a_number AS contact, kind, duration_s, t FROM ev),
        cand AS (
            SELECT number FROM inb GROUP BY number
            HAVING COUNT(DISTINCT contact) >= {MIN_INBOUND_CONTACTS}
        ),
        cinb AS (SELECT * FROM inb WHERE number IN (SELECT number FROM cand)),
        daily AS (
            SELECT number, t / 86400000 AS day, COUNT(DISTINCT contact) AS contacts
            FROM cinb GROUP BY number, t / 86400000
        ),
        daystats AS (
            SELECT number, COUNT(*) AS days, AVG(CAST(contacts AS DOUBLE)) AS mean_daily,
                   MAX(contacts) AS max_daily
            FROM daily GROUP BY number
        ),
        instats AS (
            SELECT number, COUNT(*) AS inbound, COUNT(DISTINCT contact) AS contacts,
                   AVG(CASE WHEN kind = 'voice' AND duration_s > {SHORT_CALL_S} THEN 0.0 ELSE 1.0 END)
                       AS short_share
            FROM cinb GROUP BY number
        ),
        allev AS (
            SELECT a_number AS number, t FROM ev WHERE a_number IN (SELECT number FROM cand)
            UNION ALL
            SELECT b_number AS number, t FROM ev WHERE b_number IN (SELECT number FROM cand)
        ),
        hours AS (
            SELECT number,
                   AVG(CASE WHEN (t / 3600000) % 24 >= {NIGHT_START_HOUR_UTC}
                              OR (t / 3600000) % 24 < {NIGHT_END_HOUR_UTC}
                            THEN 1.0 ELSE 0.0 END) AS night_share,
                   COUNT(DISTINCT (t / 3600000) % 24) AS hours_used
            FROM allev GROUP BY number
        ),
        outv AS (
            SELECT a_number AS number, b_number AS contact, t FROM ev
            WHERE kind = 'voice' AND a_number IN (SELECT number FROM cand)
        ),
        cbev AS (
            SELECT number, contact, t, 1 AS inbound, 0 AS outbound FROM cinb
            UNION ALL
            SELECT number, contact, t, 0 AS inbound, 1 AS outbound FROM outv
        ),
        cbw AS (
            SELECT number, contact, t, inbound,
                   MAX(outbound) OVER (PARTITION BY number, contact ORDER BY t
                                       RANGE BETWEEN 1 FOLLOWING AND {cb_ms} FOLLOWING) AS next_call
            FROM cbev
        ),
        cb AS (
            SELECT number, contact, t, MAX(COALESCE(next_call, 0)) AS called_back
            FROM cbw WHERE inbound = 1 GROUP BY number, contact, t
        ),
        cbstats AS (
            SELECT number, CAST(SUM(called_back) AS BIGINT) AS called_back FROM cb GROUP BY number
        )
        SELECT i.number, i.inbound, i.contacts, i.short_share, d.days, d.mean_daily, d.max_daily,
               h.night_share, h.hours_used, c.called_back
        FROM instats i
        JOIN daystats d ON i.number = d.number
        JOIN hours h ON i.number = h.number
        JOIN cbstats c ON i.number = c.number"
    )
}

/// Directed contact pairs with counts (all, and voice calls), first and last time, and the first event's
/// provenance.
pub(crate) fn pairs_sql() -> String {
    let prov = prov("a_", "b_");
    format!(
        "WITH ev AS (
            SELECT a_number, b_number, kind, CAST(start_utc AS BIGINT) AS t, {prov}
            FROM events WHERE b_number IS NOT NULL AND kind IN {CONTACT_KINDS}
        )
        SELECT a_number, b_number, COUNT(*) AS n, MIN(t) AS first, MAX(t) AS last,
               first_value(sha ORDER BY t) AS sha, first_value(srow ORDER BY t) AS srow,
               SUM(CASE WHEN kind = 'voice' THEN 1 ELSE 0 END) AS voice
        FROM ev GROUP BY a_number, b_number"
    )
}

/// Every (number, IMSI, IMEI) combination seen on either leg, with first and last use and
/// the provenance of the first and last event.
pub(crate) fn devices_sql() -> String {
    "WITH d AS (
        SELECT a_number AS number, a_imsi AS imsi, a_imei AS imei, CAST(start_utc AS BIGINT) AS t,
               a_src_sha256 AS sha, a_src_row AS srow
        FROM events WHERE a_imsi IS NOT NULL AND a_imei IS NOT NULL AND a_imsi <> '' AND a_imei <> ''
        UNION ALL
        SELECT b_number AS number, b_imsi AS imsi, b_imei AS imei, CAST(start_utc AS BIGINT) AS t,
               b_src_sha256 AS sha, b_src_row AS srow
        FROM events WHERE b_number IS NOT NULL AND b_imsi IS NOT NULL AND b_imei IS NOT NULL
                      AND b_imsi <> '' AND b_imei <> ''
    )
    SELECT number, imsi, imei, MIN(t) AS first, MAX(t) AS last,
           first_value(sha ORDER BY t) AS first_sha, first_value(srow ORDER BY t) AS first_srow,
           last_value(sha ORDER BY t) AS last_sha, last_value(srow ORDER BY t) AS last_srow
    FROM d GROUP BY number, imsi, imei"
        .to_owned()
}

/// Runs every plan, reporting each as one step of `progress`.
pub(crate) fn extract(
    engine: &Engine,
    step: &dyn Fn(&'static str),
) -> Result<Features, AnalysisError> {
    let mut f = Features::default();

    let batches = engine.query("SMS bursts", &bursts_sql())?;
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
