//! The day-of-action plan and the checks it runs on itself.
//!
//! The plan is one document with a version: teams, an assignment (team, strike time and
//! specialist needs) per address, and custody suites. [`check`] is pure: given the plan, the
//! case's targets and its warrants it returns every problem, each with a message that says
//! what to fix. An empty list means the plan is ready.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::case::{
    Invalid, Stored, Target, TargetKind, Warrant, WarrantStatus, invalid, non_empty,
};

/// A search team from one participating force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchTeam {
    /// Short id used by assignments (`T1`).
    pub id: String,
    /// The force the officers come from.
    pub force: String,
    /// The team lead.
    pub lead: String,
    /// Officers in the team.
    pub size: u32,
}

/// Specialist resources an address needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialistNeeds {
    /// Method of entry (e.g. "enforcer", "hydraulic ram", "key").
    #[serde(default)]
    pub method_of_entry: Option<String>,
    /// A dog unit attends.
    #[serde(default)]
    pub dog_unit: bool,
    /// A safeguarding officer attends (needed where children may be present).
    #[serde(default)]
    pub safeguarding_officer: bool,
}

/// What happens at one address on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The address target.
    pub address_target_id: String,
    /// The team that strikes it.
    #[serde(default)]
    pub team_id: Option<String>,
    /// When the team goes in.
    #[serde(default)]
    pub strike_time: Option<DateTime<Utc>>,
    /// Specialists needed.
    #[serde(default)]
    pub needs: SpecialistNeeds,
}

/// A custody suite and the arrests planned into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodySuite {
    /// Short id (`C1`).
    pub id: String,
    /// Suite name, e.g. "Wymondham PIC".
    pub name: String,
    /// Cells available on the day.
    pub capacity: u32,
    /// Arrests planned into it.
    pub arrests_allocated: u32,
}

/// The day-of-action plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Search teams.
    #[serde(default)]
    pub teams: Vec<SearchTeam>,
    /// One assignment per address.
    #[serde(default)]
    pub assignments: Vec<Assignment>,
    /// Custody suites.
    #[serde(default)]
    pub custody_suites: Vec<CustodySuite>,
}

impl Plan {
    /// Checks the plan is well formed (ids present and unique, sizes positive); whether it is
    /// *ready* is [`check`]'s question.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut ids = BTreeSet::new();
        for (i, t) in self.teams.iter().enumerate() {
            non_empty(&format!("teams[{i}].id"), &t.id)?;
            non_empty(&format!("teams[{i}].force"), &t.force)?;
            non_empty(&format!("teams[{i}].lead"), &t.lead)?;
            if t.size == 0 {
                return Err(invalid(
                    format!("teams[{i}].size"),
                    "a team needs at least one officer",
                ));
            }
            if !ids.insert(t.id.as_str()) {
                return Err(invalid(
                    format!("teams[{i}].id"),
                    format!("team id `{}` is used twice", t.id),
                ));
            }
        }
        let mut addresses = BTreeSet::new();
        for (i, a) in self.assignments.iter().enumerate() {
            non_empty(
                &format!("assignments[{i}].address_target_id"),
                &a.address_target_id,
            )?;
            if !addresses.insert(a.address_target_id.as_str()) {
                return Err(invalid(
                    format!("assignments[{i}].address_target_id"),
                    "each address has one assignment; edit the existing one",
                ));
            }
        }
        let mut suites = BTreeSet::new();
        for (i, c) in self.custody_suites.iter().enumerate() {
            non_empty(&format!("custody_suites[{i}].id"), &c.id)?;
            non_empty(&format!("custody_suites[{i}].name"), &c.name)?;
            if !suites.insert(c.id.as_str()) {
                return Err(invalid(
                    format!("custody_suites[{i}].id"),
                    format!("suite id `{}` is used twice", c.id),
                ));
            }
        }
        Ok(())
    }
}

/// What kind of problem a plan check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckCode {
    /// An address has no team (or names a team that is not in the plan).
    AddressWithoutTeam,
    /// An address has no strike time.
    AddressWithoutStrikeTime,
    /// No issued warrant covers the address at its strike time.
    NoWarrant,
    /// The address's warrant expires before the strike time.
    WarrantExpiresBeforeStrike,
    /// The address's warrant is not yet valid at the strike time.
    WarrantNotYetValid,
    /// A custody suite has more arrests allocated than cells.
    CustodyOverCapacity,
    /// Children may be present and no safeguarding officer is planned.
    ChildrenWithoutSafeguarding,
    /// A team comes from a force that is not part of the case.
    TeamFromOutsideForce,
}

/// One problem found in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckFinding {
    /// What kind of problem.
    pub code: CheckCode,
    /// The id it concerns (address target, team or custody suite).
    pub subject: String,
    /// What is wrong and what to do, in words.
    pub message: String,
}

/// Checks the plan against the case's targets, warrants and forces. Pure.
pub fn check(
    plan: &Plan,
    targets: &[Stored<Target>],
    warrants: &[Stored<Warrant>],
    forces: &[&str],
) -> Vec<CheckFinding> {
    let mut out = Vec::new();
    let mut push = |code, subject: &str, message: String| {
        out.push(CheckFinding {
            code,
            subject: subject.to_owned(),
            message,
        })
    };
    let teams: BTreeMap<&str, &SearchTeam> =
        plan.teams.iter().map(|t| (t.id.as_str(), t)).collect();
    let assignments: BTreeMap<&str, &Assignment> = plan
        .assignments
        .iter()
        .map(|a| (a.address_target_id.as_str(), a))
        .collect();

    for t in &plan.teams {
        if !forces.contains(&t.force.as_str()) {
            push(
                CheckCode::TeamFromOutsideForce,
                &t.id,
                format!(
                    "team {} comes from {}, which is not the owning force or a partner: add the force to the case or change the team",
                    t.id, t.force
                ),
            );
        }
    }

    for target in targets
        .iter()
        .filter(|t| t.value.kind == TargetKind::Address)
    {
        let label = &target.value.label;
        let a = assignments.get(target.id.as_str());
        let team = a.and_then(|a| a.team_id.as_deref());
        match team {
            Some(id) if teams.contains_key(id) => {}
            Some(id) => push(
                CheckCode::AddressWithoutTeam,
                &target.id,
                format!("{label}: team {id} is not in the plan; add the team or assign another"),
            ),
            None => push(
                CheckCode::AddressWithoutTeam,
                &target.id,
                format!("{label}: no search team is assigned; assign a team and a strike time"),
            ),
        }
        let strike = a.and_then(|a| a.strike_time);
        if a.is_some() && strike.is_none() {
            push(
                CheckCode::AddressWithoutStrikeTime,
                &target.id,
                format!("{label}: no strike time; set one"),
            );
        }
        if let Some(strike) = strike {
            check_warrant(&mut push, target, strike, warrants);
        }
        if target.value.risks.children_present && !a.is_some_and(|a| a.needs.safeguarding_officer) {
            push(
                CheckCode::ChildrenWithoutSafeguarding,
                &target.id,
                format!(
                    "{label}: children may be present and no safeguarding officer is planned; add one so any child found is treated as a victim from the first minute"
                ),
            );
        }
    }

    for c in &plan.custody_suites {
        if c.arrests_allocated > c.capacity {
            push(
                CheckCode::CustodyOverCapacity,
                &c.id,
                format!(
                    "{}: {} arrests allocated to {} cells; move {} to another suite or add capacity",
                    c.name,
                    c.arrests_allocated,
                    c.capacity,
                    c.arrests_allocated - c.capacity
                ),
            );
        }
    }
    out
}

fn check_warrant(
    push: &mut impl FnMut(CheckCode, &str, String),
    target: &Stored<Target>,
    strike: DateTime<Utc>,
    warrants: &[Stored<Warrant>],
) {
    let label = &target.value.label;
    let issued: Vec<&Warrant> = warrants
        .iter()
        .map(|w| &w.value)
        .filter(|w| w.address_target_id == target.id && w.status == WarrantStatus::Issued)
        .collect();
    if issued
        .iter()
        .any(|w| w.valid_from <= strike && strike <= w.valid_to)
    {
        return;
    }
    let strike_text = strike.format("%Y-%m-%d %H:%M UTC");
    if let Some(w) = issued
        .iter()
        .filter(|w| w.valid_to < strike)
        .max_by_key(|w| w.valid_to)
    {
        push(
            CheckCode::WarrantExpiresBeforeStrike,
            &target.id,
            format!(
                "{label}: the warrant expires {} before the strike at {strike_text}; strike earlier or apply for a new warrant",
                w.valid_to.format("%Y-%m-%d %H:%M UTC")
            ),
        );
    } else if let Some(w) = issued.iter().min_by_key(|w| w.valid_from) {
        push(
            CheckCode::WarrantNotYetValid,
            &target.id,
            format!(
                "{label}: the warrant is valid only from {}, after the strike at {strike_text}; move the strike time",
                w.valid_from.format("%Y-%m-%d %H:%M UTC")
            ),
        );
    } else {
        push(
            CheckCode::NoWarrant,
            &target.id,
            format!(
                "{label}: no issued warrant covers this address; record the warrant or remove the address from the plan"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::RiskMarkers;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap()
    }

    fn stored<T>(id: &str, value: T) -> Stored<T> {
        Stored {
            id: id.into(),
            parent_id: None,
            created_at: at(0),
            created_by: "t".into(),
            value,
        }
    }

    fn address(id: &str, children: bool) -> Stored<Target> {
        stored(
            id,
            Target {
                kind: TargetKind::Address,
                label: format!("{id} Flat, Great Yarmouth"),
                notes: String::new(),
                risks: RiskMarkers {
                    children_present: children,
                    ..RiskMarkers::default()
                },
                findings: vec![],
            },
        )
    }

    fn warrant(addr: &str, to: u32) -> Stored<Warrant> {
        stored(
            &format!("w-{addr}"),
            Warrant {
                address_target_id: addr.into(),
                legal_basis: "s.23 Misuse of Drugs Act 1971".into(),
                issuing_court: "Norwich Magistrates' Court".into(),
                valid_from: at(1),
                valid_to: at(to),
                status: WarrantStatus::Issued,
            },
        )
    }

    fn plan(strike: u32, safeguarding: bool, allocated: u32) -> Plan {
        Plan {
            teams: vec![SearchTeam {
                id: "T1".into(),
                force: "Norfolk".into(),
                lead: "PS Ames".into(),
                size: 8,
            }],
            assignments: vec![Assignment {
                address_target_id: "a1".into(),
                team_id: Some("T1".into()),
                strike_time: Some(at(strike)),
                needs: SpecialistNeeds {
                    safeguarding_officer: safeguarding,
                    ..SpecialistNeeds::default()
                },
            }],
            custody_suites: vec![CustodySuite {
                id: "C1".into(),
                name: "Wymondham".into(),
                capacity: 4,
                arrests_allocated: allocated,
            }],
        }
    }

    fn codes(f: &[CheckFinding]) -> Vec<(CheckCode, &str)> {
        f.iter().map(|f| (f.code, f.subject.as_str())).collect()
    }

    #[test]
    fn a_good_plan_has_no_findings() {
        let f = check(
            &plan(5, true, 4),
            &[address("a1", true)],
            &[warrant("a1", 9)],
            &["Norfolk"],
        );
        assert_eq!(f, vec![]);
    }

    #[test]
    fn flags_each_problem_with_its_subject() {
        let targets = [address("a1", true), address("a2", false)];
        let f = check(
            &plan(10, false, 6),
            &targets,
            &[warrant("a1", 9)],
            &["Essex"],
        );
        assert_eq!(
            codes(&f),
            vec![
                (CheckCode::TeamFromOutsideForce, "T1"),
                (CheckCode::WarrantExpiresBeforeStrike, "a1"),
                (CheckCode::ChildrenWithoutSafeguarding, "a1"),
                (CheckCode::AddressWithoutTeam, "a2"),
                (CheckCode::CustodyOverCapacity, "C1"),
            ]
        );
        assert!(
            f[1].message
                .contains("expires 2026-12-01 09:00 UTC before the strike at 2026-12-01 10:00 UTC"),
            "{}",
            f[1].message
        );
        assert!(
            f[4].message
                .contains("6 arrests allocated to 4 cells; move 2"),
            "{}",
            f[4].message
        );
    }

    #[test]
    fn missing_and_void_warrants() {
        let mut w = warrant("a1", 9);
        w.value.status = WarrantStatus::Void;
        let f = check(
            &plan(5, true, 0),
            &[address("a1", false)],
            &[w],
            &["Norfolk"],
        );
        assert_eq!(codes(&f), vec![(CheckCode::NoWarrant, "a1")]);
    }

    #[test]
    fn validate_rejects_duplicate_teams() {
        let mut p = plan(5, true, 0);
        p.teams.push(p.teams[0].clone());
        assert_eq!(p.validate().unwrap_err().field, "teams[1].id");
    }
}
