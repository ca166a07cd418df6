//! The findings contract: what `linesight analyse` writes into `CASE/findings/` and what
//! every reader (the evaluator, the server, the web app) reads.
//!
//! Plain serde types, no I/O: the analysis engine fills them, `findings.json` carries them,
//! and readers deserialise them without pulling in the query engine. Every finding links
//! to the records behind it by provenance ([`Evidence`]): the SHA-256 of the operator file
//! and the 1-based row, which name a leg of a row of the case's `events` table.
//!
//! Fields added later are optional or default to empty, so older `findings.json` files
//! still read.

use std::collections::BTreeMap;

/// The findings folder, relative to the case folder.
pub const FINDINGS_DIR: &str = "findings";
/// The findings as one JSON document, inside [`FINDINGS_DIR`].
pub const FINDINGS_JSON: &str = "findings.json";
/// The analysis summary (counts, timings, per-sender measurements), inside [`FINDINGS_DIR`].
pub const ANALYSIS_JSON: &str = "analysis.json";

/// A record in the case store, by provenance: the file's SHA-256 and the 1-based row.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Evidence {
    /// SHA-256 (hex) of the operator file the row came from.
    pub src_sha256: String,
    /// Row in that file, 1-based after the header.
    pub src_row: u64,
}

/// What kind of thing a finding reports.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A burst of texts from a deal line to many recipients within minutes.
    #[default]
    Flare,
    /// A number used as a deal line.
    DealLine,
    /// A number that took over a line from an older number (`old` → `new`).
    Successor,
    /// Same SIM in a new handset on a deal line (`old` → `new` IMEI).
    HandsetSwap,
    /// Same handset with a new SIM on a deal line (`old` → `new` IMSI).
    SimSwap,
    /// Any number (not only a deal line) replaced by a new one that keeps talking to the
    /// same people: a dropped burner (`old` → `new`).
    BurnerSuccessor,
    /// The personal phone of the person holding a line's phone (the handler): it relays
    /// orders to the runners by text.
    LineHolder,
    /// A number that directs a line from the hub: it talks to the line's phone and its
    /// runners, and is not in the town.
    Controller,
    /// A number that works for a line in the town: called or texted by the line's phone,
    /// spends time on trips to the town, calls customers back.
    Runner,
    /// A number that orders from a line.
    Customer,
    /// The local resident's number at a place where runners stay overnight (cuckooing).
    /// `place` names the cell; the resident is a victim, not a suspect.
    CuckooedResident,
    /// A stay of a runner's phone in the town, away from its home cells (`at_utc` →
    /// `until_utc`).
    Trip,
}

impl FindingKind {
    /// Every kind, in order.
    pub const ALL: [Self; 12] = [
        Self::Flare,
        Self::DealLine,
        Self::Successor,
        Self::HandsetSwap,
        Self::SimSwap,
        Self::BurnerSuccessor,
        Self::LineHolder,
        Self::Controller,
        Self::Runner,
        Self::Customer,
        Self::CuckooedResident,
        Self::Trip,
    ];

    /// The name used in the findings table and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Flare => "flare",
            Self::DealLine => "deal_line",
            Self::Successor => "successor",
            Self::HandsetSwap => "handset_swap",
            Self::SimSwap => "sim_swap",
            Self::BurnerSuccessor => "burner_successor",
            Self::LineHolder => "line_holder",
            Self::Controller => "controller",
            Self::Runner => "runner",
            Self::Customer => "customer",
            Self::CuckooedResident => "cuckooed_resident",
            Self::Trip => "trip",
        }
    }

    /// Whether this kind names a person's role (controller, runner, customer, resident).
    pub fn is_role(self) -> bool {
        matches!(
            self,
            Self::LineHolder
                | Self::Controller
                | Self::Runner
                | Self::Customer
                | Self::CuckooedResident
        )
    }
}

/// One finding.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    /// `F000001`…, unique within one analysis.
    pub finding_id: String,
    /// What it reports.
    pub kind: FindingKind,
    /// The number it is about (the new number, for a change).
    pub number: String,
    /// The line it belongs to, where there is one.
    pub line_id: Option<String>,
    /// Strength of the finding (for a role, the confidence), 0–1.
    pub score: f64,
    /// The rule that fired, in general words.
    pub rule: String,
    /// This finding in words, with its figures.
    pub explanation: String,
    /// The reasons behind a score, one short sentence each (roles list every test passed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// When it happened or began, UTC milliseconds.
    pub at_utc: Option<i64>,
    /// When it ended (a trip's return, the last night at a place), UTC milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_utc: Option<i64>,
    /// The identifier before the change (number, IMEI or IMSI), for changes.
    pub old: Option<String>,
    /// The identifier after the change, for changes.
    pub new: Option<String>,
    /// The cell (global cell id) a place finding is about: where runners stayed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Cells the finding involves, in time order (a trip's stays; a person's usual cells).
    /// A cell is an area served by a mast sector, often hundreds of metres to kilometres
    /// across: never a point location.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<String>,
    /// Other numbers the finding rests on (a successor's shared contacts, the runners
    /// seen at a cuckooed place).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// Why the person behind this number may be a victim who needs safeguarding (a runner
    /// who may be a child; a cuckooed resident), in words for a safeguarding lead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safeguarding: Option<String>,
    /// Events behind the finding, by provenance; every pair is a leg of an `events` row.
    pub evidence: Vec<Evidence>,
}

/// One number of a line.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct LineNumber {
    /// The number.
    pub number: String,
    /// First outgoing contact, UTC milliseconds.
    pub first_utc: i64,
    /// Last outgoing contact, UTC milliseconds.
    pub last_utc: i64,
    /// Why this number belongs to the line.
    pub joined_by: String,
    /// Events behind the link to the previous number.
    pub evidence: Vec<Evidence>,
}

/// A county line as linesight sees it: one id over the history of its numbers.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Line {
    /// `LS0001`…, in order of first use.
    pub line_id: String,
    /// Its numbers in order of use.
    pub numbers: Vec<LineNumber>,
    /// What intelligence calls the line (its brand), where a line-names file names one of
    /// its numbers; call records carry no message text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// The report the brand comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand_source: Option<String>,
    /// The town it sells in: the name of the area of most of its customers' cells, where
    /// the cell list gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town: Option<String>,
    /// Distinct customers (numbers that contacted any of the line's numbers).
    #[serde(default)]
    pub customers: usize,
    /// Numbers found to be its runners.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runners: Vec<String>,
    /// Numbers found to be its controllers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controllers: Vec<String>,
    /// First UTC day (`YYYY-MM-DD`) of [`Line::daily_contacts`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_day: Option<String>,
    /// Distinct inbound contacts per UTC day, from `first_day`: the sparkline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub daily_contacts: Vec<u32>,
}

/// One figure of a valuation under one set of assumptions.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ValuationCase {
    /// Which assumption set (`low`, `central`, `high`, or a sensitivity label).
    pub label: String,
    /// Average deal value, GBP.
    pub deal_value_gbp: f64,
    /// Share of potential transactions counted as sales.
    pub potential_conversion: f64,
    /// The estimated value of the line's sales over the period, GBP.
    pub value_gbp: f64,
}

/// The value of a line's trade, with the assumptions that produce it.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Valuation {
    /// The line.
    pub line_id: String,
    /// Version of the assumptions file used (for reproduction by either side).
    pub assumptions_version: String,
    /// SHA-256 of the assumptions file's bytes.
    pub assumptions_sha256: String,
    /// Flare recipients who then contacted the line (potential transactions).
    pub potential_transactions: u64,
    /// Inbound contacts called back within the call-back window (confirmed transactions).
    pub confirmed_transactions: u64,
    /// Days the line was active.
    pub active_days: u64,
    /// The valuation under each assumption set; `central` is the headline.
    pub cases: Vec<ValuationCase>,
    /// The method in words.
    pub explanation: String,
}

/// The findings of one analysis, as written to `findings.json`.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Findings {
    /// The analysis run.
    pub run_id: String,
    /// Every finding.
    pub findings: Vec<Finding>,
    /// The lines, with their numbers.
    pub lines: Vec<Line>,
    /// The value of each line's trade.
    #[serde(default)]
    pub valuations: Vec<Valuation>,
}

/// What the detectors measured about one bulk sender: the figures behind its verdict.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SenderFeatures {
    /// The sending number or sender id.
    pub number: String,
    /// Whether it is a UK mobile number (+447…): deal lines are burner mobiles.
    pub mobile: bool,
    /// Bursts of at least the flare threshold's recipients.
    pub bursts: usize,
    /// Distinct recipients over all bursts.
    pub recipients: usize,
    /// Share of recipients who also contacted the sender (ordered, replied) at some time.
    pub reply_share: f64,
    /// Share of recipients who received more than one burst: a base texted again and again.
    pub repeat_share: f64,
    /// Share of pairs of recipients who are in contact with each other (friends know each
    /// other; a dealer's customers mostly do not).
    pub recipient_density: f64,
    /// Share of bursts sent on weekdays in office hours (08:00–16:59 UTC).
    pub office_share: f64,
    /// Distinct inbound contacts over the case.
    pub inbound_contacts: i64,
    /// Days with at least one inbound contact.
    pub active_days: i64,
    /// Most distinct inbound contacts in one day.
    pub max_daily_contacts: i64,
    /// Hours of the day (UTC, 0–23) in which the number was ever in contact.
    pub hours_used: i64,
    /// Mean distinct inbound contacts per active day.
    pub mean_daily_contacts: f64,
    /// Share of inbound contacts that were short (texts, and calls up to the short-call limit).
    pub short_share: f64,
    /// Share of inbound contacts called back within the call-back window.
    pub callback_share: f64,
    /// Share of all the number's contacts at night.
    pub night_share: f64,
    /// Share of pairs of inbound contacts who are in contact with each other.
    pub inbound_density: f64,
}

/// Counts and timings of one analysis, as written to `analysis.json`.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct AnalysisSummary {
    /// The analysis run.
    pub run_id: String,
    /// Events in the case.
    pub events: u64,
    /// Bulk senders examined (at least one burst of the flare threshold).
    pub bulk_senders: usize,
    /// Findings by kind.
    pub findings_by_kind: BTreeMap<String, usize>,
    /// Lines found.
    pub lines: usize,
    /// Deal-line numbers found.
    pub deal_line_numbers: usize,
    /// Where the findings were written.
    pub findings_dir: String,
    /// Milliseconds taken.
    pub elapsed_ms: u64,
    /// Milliseconds per stage (`plans`, `detect`, `write`…).
    #[serde(default)]
    pub stage_ms: BTreeMap<String, u64>,
    /// Total central value of all lines, GBP.
    #[serde(default)]
    pub value_gbp: f64,
    /// What was measured about each bulk sender (deal line or not), for review.
    pub senders: Vec<SenderFeatures>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in FindingKind::ALL {
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            let back: FindingKind = serde_json::from_str(&json).unwrap();
            assert_eq!(back, k);
        }
    }

    #[test]
    fn findings_without_the_later_fields_still_read() {
        let old = r#"{"run_id":"r","findings":[{"finding_id":"F000001","kind":"deal_line",
            "number":"+447700900001","line_id":"LS0001","score":0.9,"rule":"r",
            "explanation":"e","at_utc":null,"old":null,"new":null,"evidence":[]}],
            "lines":[{"line_id":"LS0001","numbers":[]}]}"#;
        let f: Findings = serde_json::from_str(old).unwrap();
        assert_eq!(f.findings[0].kind, FindingKind::DealLine);
        assert!(f.valuations.is_empty());
        assert_eq!(f.lines[0].customers, 0);
    }
}
