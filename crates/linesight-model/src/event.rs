//! Communication records (one operator's report of one leg) and events (the merged,
//! canonical communication).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::{GlobalCellId, Msisdn, Provenance};

/// The service used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// A voice call.
    Voice,
    /// A text message.
    Sms,
    /// A multimedia message.
    Mms,
    /// A mobile data session (one party only).
    Data,
}

impl EventKind {
    /// Every kind, in storage order.
    pub const ALL: [EventKind; 4] = [Self::Voice, Self::Sms, Self::Mms, Self::Data];

    /// The lower-case name used in storage and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Voice => "voice",
            Self::Sms => "sms",
            Self::Mms => "mms",
            Self::Data => "data",
        }
    }

    /// True when the event has a second party (everything but data sessions).
    pub fn has_b_party(self) -> bool {
        self != Self::Data
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown event kind {s:?} (expected voice, sms, mms or data)"))
    }
}

/// Direction of a leg as seen by the served subscriber.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// Mobile-originated: the served subscriber is the A party.
    Outgoing,
    /// Mobile-terminated: the served subscriber is the B party.
    Incoming,
}

impl Direction {
    /// `out` or `in`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Outgoing => "out",
            Self::Incoming => "in",
        }
    }
}

impl FromStr for Direction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "out" => Ok(Self::Outgoing),
            "in" => Ok(Self::Incoming),
            _ => Err(format!("unknown direction {s:?} (expected out or in)")),
        }
    }
}

/// How a start time was established, so a disclosure officer can see which times were
/// inferred rather than read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum TimeNote {
    /// The source gave an unambiguous instant (UTC, an offset, or a local time outside
    /// any clock change).
    #[default]
    Exact,
    /// A local time in the repeated hour when clocks go back; the first (summer-time)
    /// occurrence was chosen, from the file's row order.
    FoldFirst,
    /// As [`TimeNote::FoldFirst`] but the second (winter-time) occurrence was chosen.
    FoldSecond,
}

impl TimeNote {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::FoldFirst => "dst_fold_first",
            Self::FoldSecond => "dst_fold_second",
        }
    }
}

impl FromStr for TimeNote {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "exact" => Ok(Self::Exact),
            "dst_fold_first" => Ok(Self::FoldFirst),
            "dst_fold_second" => Ok(Self::FoldSecond),
            _ => Err(format!("unknown time note {s:?}")),
        }
    }
}

/// One operator's report of one party's leg of a communication: the row of an export.
#[derive(Clone, Debug, PartialEq)]
pub struct CommRecord {
    /// Service used.
    pub kind: EventKind,
    /// Whether the served subscriber originated or received it.
    pub direction: Direction,
    /// The operator's own subscriber, whose leg this is.
    pub served: Msisdn,
    /// The other party, absent for data sessions.
    pub other: Option<Msisdn>,
    /// IMSI (SIM identity) of the served subscriber, where known.
    pub imsi: Option<String>,
    /// IMEI (handset identity) of the served subscriber, where known.
    pub imei: Option<String>,
    /// Start time in UTC.
    pub start: DateTime<Utc>,
    /// Duration in seconds (0 for messages).
    pub duration_s: u32,
    /// Cell serving the subscriber at the start.
    pub first_cell: Option<GlobalCellId>,
    /// Cell serving the subscriber at the end.
    pub last_cell: Option<GlobalCellId>,
    /// The reporting operator.
    pub operator: String,
    /// How the start time was established.
    pub time_note: TimeNote,
    /// Where this row came from.
    pub provenance: Provenance,
}

impl CommRecord {
    /// The A (originating) party.
    pub fn a_number(&self) -> Option<&Msisdn> {
        match self.direction {
            Direction::Outgoing => Some(&self.served),
            Direction::Incoming => self.other.as_ref(),
        }
    }

    /// The B (receiving) party.
    pub fn b_number(&self) -> Option<&Msisdn> {
        match self.direction {
            Direction::Outgoing => self.other.as_ref(),
            Direction::Incoming => Some(&self.served),
        }
    }

    /// This record's contribution to an event: the served party's leg.
    pub fn leg(&self) -> PartyLeg {
        PartyLeg {
            imsi: self.imsi.clone(),
            imei: self.imei.clone(),
            first_cell: self.first_cell,
            last_cell: self.last_cell,
            operator: self.operator.clone(),
            time_note: self.time_note,
            provenance: self.provenance.clone(),
        }
    }
}

/// What one party's operator reported about its own subscriber in an event.
#[derive(Clone, Debug, PartialEq)]
pub struct PartyLeg {
    /// IMSI where known.
    pub imsi: Option<String>,
    /// IMEI where known.
    pub imei: Option<String>,
    /// First serving cell.
    pub first_cell: Option<GlobalCellId>,
    /// Last serving cell.
    pub last_cell: Option<GlobalCellId>,
    /// Reporting operator.
    pub operator: String,
    /// How that operator's start time was established.
    pub time_note: TimeNote,
    /// The row it came from.
    pub provenance: Provenance,
}

/// A communication after merging: one per real call, message or session, however many
/// operators reported it. Oriented from A (originator) to B.
#[derive(Clone, Debug, PartialEq)]
pub struct CommEvent {
    /// Stable id, derived from the provenance of its first leg.
    pub event_id: u64,
    /// Service used.
    pub kind: EventKind,
    /// Originating number.
    pub a_number: Msisdn,
    /// Receiving number, absent for data sessions.
    pub b_number: Option<Msisdn>,
    /// Start time in UTC (from the A leg when both exist).
    pub start: DateTime<Utc>,
    /// Duration in seconds (the longer of the two reports).
    pub duration_s: u32,
    /// The A party's operator's report, if that operator's data was ingested.
    pub a_leg: Option<PartyLeg>,
    /// The B party's operator's report, if any.
    pub b_leg: Option<PartyLeg>,
}
