//! Cases (operations), their members, targets and warrants, with the validation that turns
//! a bad request into a clear 422 rather than a bad record.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::access::Role;

/// A request that breaks a rule of the domain; the message says which and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    /// The field at fault (`valid_to`, `teams[2].size`).
    pub field: String,
    /// What is wrong and what to do.
    pub message: String,
}

pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Invalid {
    Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// Refuses an empty (or blank) text field.
pub fn non_empty(field: &str, value: &str) -> Result<(), Invalid> {
    if value.trim().is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    Ok(())
}

/// Where a case is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Work in progress.
    Open,
    /// Closed: read-only, personal data kept until `purge_after`.
    Closed,
    /// Personal data purged; the outline, the dashboard figures and the audit log remain.
    Purged,
}

impl CaseStatus {
    /// The status as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Closed => "closed",
            CaseStatus::Purged => "purged",
        }
    }

    /// Parses a stored status.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(CaseStatus::Open),
            "closed" => Some(CaseStatus::Closed),
            "purged" => Some(CaseStatus::Purged),
            _ => None,
        }
    }
}

/// What a user supplies to open a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCase {
    /// Operation name, e.g. "Op Kestrel".
    pub name: String,
    /// The force or unit that owns the case.
    pub owning_force: String,
    /// Forces taking part (search teams may come only from these and the owner).
    #[serde(default)]
    pub partner_forces: Vec<String>,
    /// The linked case-store folder (the analysis workspace), if any.
    #[serde(default)]
    pub case_store: Option<String>,
}

impl NewCase {
    /// Checks names are present.
    pub fn validate(&self) -> Result<(), Invalid> {
        non_empty("name", &self.name)?;
        non_empty("owning_force", &self.owning_force)?;
        for (i, f) in self.partner_forces.iter().enumerate() {
            non_empty(&format!("partner_forces[{i}]"), f)?;
        }
        Ok(())
    }
}

/// A case (operation) as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Opaque id.
    pub id: String,
    /// Operation name, owning force, partners and case store.
    #[serde(flatten)]
    pub spec: NewCase,
    /// Open, closed or purged.
    pub status: CaseStatus,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// When its personal data may be purged (set on close).
    pub purge_after: Option<DateTime<Utc>>,
}

impl Case {
    /// Forces whose officers may be in its search teams.
    pub fn forces(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.spec.owning_force.as_str())
            .chain(self.spec.partner_forces.iter().map(String::as_str))
    }
}

/// When a case closed at `closed_at` may be purged, keeping personal data `retention_days`.
pub fn purge_after(closed_at: DateTime<Utc>, retention_days: u32) -> DateTime<Utc> {
    closed_at + Duration::days(i64::from(retention_days))
}

/// A member of a case and their role in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The user's login name.
    pub user: String,
    /// Their role in this case.
    pub role: Role,
}

/// Risks to officers and others at a target, which the plan must answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskMarkers {
    /// Weapons believed present.
    #[serde(default)]
    pub weapons: bool,
    /// Dogs present.
    #[serde(default)]
    pub dogs: bool,
    /// Children may be present: the plan needs a safeguarding officer.
    #[serde(default)]
    pub children_present: bool,
    /// A vulnerable occupant (e.g. a cuckooed tenant), who is treated as a victim.
    #[serde(default)]
    pub vulnerable_occupant: bool,
}

/// The kind of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// A person (nominal).
    Nominal,
    /// A phone number (E.164).
    Number,
    /// A vehicle (registration mark).
    Vehicle,
    /// An address to be searched.
    Address,
}

/// A link from a target to the analysis: the line, the finding and the role it showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingLink {
    /// The line id from `CASE/findings` (e.g. `line-3`).
    #[serde(default)]
    pub line_id: Option<String>,
    /// The finding id behind the link.
    #[serde(default)]
    pub finding_id: Option<String>,
    /// The role the analysis suggests (`deal line`, `runner`, `controller`).
    #[serde(default)]
    pub role: Option<String>,
}

/// A target: a person, number, vehicle or address, with its risks and analysis links.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Nominal, number, vehicle or address.
    pub kind: TargetKind,
    /// Name, number, registration or address, as the officer writes it.
    pub label: String,
    /// Free-text notes.
    #[serde(default)]
    pub notes: String,
    /// Risks at or around the target.
    #[serde(default)]
    pub risks: RiskMarkers,
    /// Links to the analysis' findings.
    #[serde(default)]
    pub findings: Vec<FindingLink>,
}

impl Target {
    /// Checks the label is present.
    pub fn validate(&self) -> Result<(), Invalid> {
        non_empty("label", &self.label)
    }
}

/// A warrant's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarrantStatus {
    /// Applied for, not yet granted.
    Applied,
    /// Granted and usable within its dates.
    Issued,
    /// Executed on the day.
    Executed,
    /// Refused, withdrawn or lapsed.
    Void,
}

/// A search warrant for one address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warrant {
    /// The id of the address target it covers.
    pub address_target_id: String,
    /// The legal basis, e.g. "s.23 Misuse of Drugs Act 1971".
    pub legal_basis: String,
    /// The issuing court.
    pub issuing_court: String,
    /// First moment it may be executed.
    pub valid_from: DateTime<Utc>,
    /// Last moment it may be executed.
    pub valid_to: DateTime<Utc>,
    /// Applied, issued, executed or void.
    pub status: WarrantStatus,
}

impl Warrant {
    /// Checks the text fields and that the dates are in order.
    pub fn validate(&self) -> Result<(), Invalid> {
        non_empty("address_target_id", &self.address_target_id)?;
        non_empty("legal_basis", &self.legal_basis)?;
        non_empty("issuing_court", &self.issuing_court)?;
        if self.valid_to <= self.valid_from {
            return Err(invalid("valid_to", "must be after valid_from"));
        }
        Ok(())
    }
}

/// A stored record: its id and who made it when, around the domain value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stored<T> {
    /// Opaque id.
    pub id: String,
    /// The record this one belongs to (an exhibit for a movement, a closure for a check-back).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parent_id: Option<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// Who recorded it.
    pub created_by: String,
    /// The record.
    #[serde(flatten)]
    pub value: T,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn warrant_dates_must_be_in_order() {
        let t = |h| Utc.with_ymd_and_hms(2026, 11, 1, h, 0, 0).unwrap();
        let mut w = Warrant {
            address_target_id: "a1".into(),
            legal_basis: "s.23 Misuse of Drugs Act 1971".into(),
            issuing_court: "Norwich Magistrates' Court".into(),
            valid_from: t(10),
            valid_to: t(9),
            status: WarrantStatus::Issued,
        };
        assert_eq!(w.validate().unwrap_err().field, "valid_to");
        w.valid_to = t(11);
        assert!(w.validate().is_ok());
    }

    #[test]
    fn purge_date_adds_retention() {
        let closed = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(
            purge_after(closed, 31),
            Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap()
        );
    }
}
