//! Outcomes of the day of action: searches, arrests, exhibits with their chain of custody,
//! safeguarding referrals with an NRM draft, line closures with check-backs, and the
//! results dashboard computed from those records (never typed in).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::case::{Invalid, Stored, invalid, non_empty};

/// A property searched on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Search {
    /// The address target searched.
    pub address_target_id: String,
    /// The team that searched it.
    #[serde(default)]
    pub team_id: Option<String>,
    /// When entry was made.
    pub entered_at: DateTime<Utc>,
    /// What was found, briefly.
    #[serde(default)]
    pub result: String,
}

impl Search {
    /// Checks the address is named.
    pub fn validate(&self) -> Result<(), Invalid> {
        non_empty("address_target_id", &self.address_target_id)
    }
}

/// An arrest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrest {
    /// The person arrested.
    pub person: String,
    /// Their nominal target, if they were one.
    #[serde(default)]
    pub target_id: Option<String>,
    /// The offence, e.g. "s.4(3) MDA 1971 being concerned in the supply of Class A".
    pub offence: String,
    /// Where they were taken.
    pub custody_suite: String,
    /// When.
    pub arrested_at: DateTime<Utc>,
}

impl Arrest {
    /// Checks person, offence and custody suite are present.
    pub fn validate(&self) -> Result<(), Invalid> {
        non_empty("person", &self.person)?;
        non_empty("offence", &self.offence)?;
        non_empty("custody_suite", &self.custody_suite)
    }
}

/// What was seized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Seized {
    /// Drugs: wraps counted and weight in grams.
    Drugs {
        /// Drug, e.g. "crack cocaine".
        drug: String,
        /// Wraps counted.
        wraps: u32,
        /// Total weight in grams.
        weight_grams: f64,
    },
    /// Cash, in pence so sums are exact.
    Cash {
        /// Amount in pence.
        pence: i64,
    },
    /// A weapon (knife, bat, firearm).
    Weapon {
        /// What it is.
        description: String,
    },
    /// An imitation firearm.
    ImitationFirearm {
        /// What it is.
        description: String,
    },
    /// A phone, linked to the numbers (as in the analysis) it was used with.
    Phone {
        /// Handset IMEI if read.
        #[serde(default)]
        imei: Option<String>,
        /// Numbers (E.164) linked to the handset.
        #[serde(default)]
        numbers: Vec<String>,
    },
}

impl Seized {
    /// The type name used in the dashboard (`drugs`, `cash`, …).
    pub fn type_name(&self) -> &'static str {
        match self {
            Seized::Drugs { .. } => "drugs",
            Seized::Cash { .. } => "cash",
            Seized::Weapon { .. } => "weapon",
            Seized::ImitationFirearm { .. } => "imitation_firearm",
            Seized::Phone { .. } => "phone",
        }
    }
}

/// An exhibit: a seizure with its reference and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exhibit {
    /// The exhibit reference (e.g. "JA/1"), unique in the case.
    pub reference: String,
    /// What it is.
    pub seized: Seized,
    /// The address it was found at.
    #[serde(default)]
    pub address_target_id: Option<String>,
    /// The officer who seized it.
    pub seized_by: String,
    /// When.
    pub seized_at: DateTime<Utc>,
}

impl Exhibit {
    /// Checks the reference and seizing officer are present and amounts are sane.
    pub fn validate(&self) -> Result<(), Invalid> {
        non_empty("reference", &self.reference)?;
        non_empty("seized_by", &self.seized_by)?;
        match &self.seized {
            Seized::Drugs { weight_grams, .. }
                if !(weight_grams.is_finite() && *weight_grams >= 0.0) =>
            {
                Err(invalid(
                    "seized.weight_grams",
                    "must be a weight in grams, zero or more",
                ))
            }
            Seized::Cash { pence } if *pence < 0 => {
                Err(invalid("seized.pence", "must be zero or more"))
            }
            _ => Ok(()),
        }
    }
}

/// One step in an exhibit's chain of custody: who held it, when and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodyMovement {
    /// Who took hold of it.
    pub holder: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Where it is now (store, lab, court).
    pub location: String,
    /// Why it moved (e.g. "to the lab for analysis").
    #[serde(default)]
    pub purpose: String,
}

impl CustodyMovement {
    /// Checks holder and location are present.
    pub fn validate(&self) -> Result<(), Invalid> {
        non_empty("holder", &self.holder)?;
        non_empty("location", &self.location)
    }
}

/// Who a safeguarding referral is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralSubject {
    /// A child (under 18).
    Child,
    /// A vulnerable adult.
    VulnerableAdult,
}

/// A safeguarding referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    /// Child or vulnerable adult.
    pub subject: ReferralSubject,
    /// Their name.
    pub name: String,
    /// Age, if known.
    #[serde(default)]
    pub age: Option<u32>,
    /// Where they were found (address target), if at one.
    #[serde(default)]
    pub address_target_id: Option<String>,
    /// What was found, in the officer's words.
    pub circumstances: String,
    /// Exploitation indicators seen (e.g. "found far from home", "unexplained cash").
    #[serde(default)]
    pub indicators: Vec<String>,
    /// Agencies referred to (children's services, adult social care).
    #[serde(default)]
    pub referred_to: Vec<String>,
    /// For an adult: whether they consent to an NRM referral.
    #[serde(default)]
    pub adult_consents: Option<bool>,
}

impl Referral {
    /// Checks name and circumstances are present and a child is under 18.
    pub fn validate(&self) -> Result<(), Invalid> {
        non_empty("name", &self.name)?;
        non_empty("circumstances", &self.circumstances)?;
        if self.subject == ReferralSubject::Child && self.age.is_some_and(|a| a >= 18) {
            return Err(invalid(
                "age",
                "a child referral is for someone under 18; use vulnerable_adult",
            ));
        }
        Ok(())
    }
}

/// A National Referral Mechanism draft for a referral, for the first responder to complete.
///
/// The wording treats the person as a potential victim of exploitation (county-lines
/// criminal exploitation is modern slavery); it never calls them a suspect or offender.
pub fn nrm_draft(r: &Referral, case_name: &str, officer: &str) -> String {
    let who = match r.subject {
        ReferralSubject::Child => "a child",
        ReferralSubject::VulnerableAdult => "an adult",
    };
    let age = r.age.map(|a| format!(", aged {a}")).unwrap_or_default();
    let indicators = if r.indicators.is_empty() {
        "  - (none recorded yet: add what you saw)\n".to_owned()
    } else {
        r.indicators.iter().map(|i| format!("  - {i}\n")).collect()
    };
    let consent = match (r.subject, r.adult_consents) {
        (ReferralSubject::Child, _) => {
            "Consent: not required for a child. Children's services have been or must be told.".to_owned()
        }
        (ReferralSubject::VulnerableAdult, Some(true)) => {
            "Consent: the adult has consented to this referral.".to_owned()
        }
        _ => "Consent: the adult has not consented; submit an anonymous notification (Duty to Notify, MS1) instead of a referral.".to_owned(),
    };
    let agencies = if r.referred_to.is_empty() {
        "none yet".to_owned()
    } else {
        r.referred_to.join(", ")
    };
    format!(
        "NATIONAL REFERRAL MECHANISM: DRAFT FOR THE FIRST RESPONDER\n\
         Operation: {case_name}\n\
         First responder: {officer}\n\n\
         Potential victim: {name}, {who}{age}.\n\
         Type of exploitation: criminal exploitation (county lines): being used to hold, move or sell drugs, \
         or having their home taken over, for others' profit.\n\n\
         What was found:\n  {circ}\n\n\
         Indicators of exploitation:\n{indicators}\n\
         {name} is to be treated as a potential victim of modern slavery and human trafficking, and \
         safeguarded accordingly. Any offence linked to their exploitation is to be considered in that light \
         (Modern Slavery Act 2015, s.45).\n\n\
         {consent}\n\
         Referred to: {agencies}\n",
        name = r.name,
        circ = r.circumstances,
    )
}

/// How a line was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClosureKind {
    /// Type 1: the line holder charged.
    Type1 {
        /// The person charged.
        holder: String,
        /// The charge.
        charge: String,
    },
    /// Type 2: the number deactivated by the operator.
    Type2 {
        /// The operator that deactivated it.
        operator: String,
    },
}

/// A line closure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineClosure {
    /// The deal-line number (E.164).
    pub number: String,
    /// The line id from the analysis, if known.
    #[serde(default)]
    pub line_id: Option<String>,
    /// Type 1 or Type 2.
    pub kind: ClosureKind,
    /// The date it closed.
    pub closed_on: NaiveDate,
}

impl LineClosure {
    /// Checks the number is present.
    pub fn validate(&self) -> Result<(), Invalid> {
        non_empty("number", &self.number)
    }

    /// The dates on which to check the number is still dead: 7, 28 and 90 days on.
    pub fn check_back_due(&self) -> [NaiveDate; 3] {
        [7, 28, 90].map(|d| self.closed_on + chrono::Duration::days(d))
    }
}

/// A dated check that a closed line is still dead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckBack {
    /// The date of the check.
    pub checked_on: NaiveDate,
    /// Whether the number was found in use again.
    pub number_active: bool,
    /// How it was checked (test call, operator confirmation).
    #[serde(default)]
    pub note: String,
}

impl CheckBack {
    /// Nothing to check beyond the types; here so every record validates the same way.
    pub fn validate(&self) -> Result<(), Invalid> {
        Ok(())
    }
}

/// The results of the day of action, computed from the records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// Properties searched (distinct addresses).
    pub properties_searched: usize,
    /// Arrests.
    pub arrests: usize,
    /// Exhibits by type (`drugs`, `cash`, `weapon`, `imitation_firearm`, `phone`).
    pub seizures_by_type: BTreeMap<String, usize>,
    /// Drug wraps seized.
    pub drug_wraps: u64,
    /// Drugs seized, grams.
    pub drug_grams: f64,
    /// Cash seized, pence.
    pub cash_pence: i64,
    /// Lines closed and not found active at their latest check-back.
    pub lines_closed: usize,
    /// Closed lines found active again at their latest check-back.
    pub lines_reopened: usize,
    /// Children and vulnerable adults referred for safeguarding.
    pub people_safeguarded: usize,
}

/// Computes the dashboard from the records.
pub fn dashboard(
    searches: &[Stored<Search>],
    arrests: &[Stored<Arrest>],
    exhibits: &[Stored<Exhibit>],
    referrals: &[Stored<Referral>],
    closures: &[Stored<LineClosure>],
    check_backs: &[Stored<CheckBack>],
) -> Dashboard {
    let mut d = Dashboard {
        properties_searched: searches
            .iter()
            .map(|s| s.value.address_target_id.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        arrests: arrests.len(),
        people_safeguarded: referrals.len(),
        ..Dashboard::default()
    };
    for e in exhibits {
        *d.seizures_by_type
            .entry(e.value.seized.type_name().to_owned())
            .or_default() += 1;
        match &e.value.seized {
            Seized::Drugs {
                wraps,
                weight_grams,
                ..
            } => {
                d.drug_wraps += u64::from(*wraps);
                d.drug_grams += weight_grams;
            }
            Seized::Cash { pence } => d.cash_pence += pence,
            _ => {}
        }
    }
    for c in closures {
        let latest = check_backs
            .iter()
            .filter(|b| b.parent_id.as_deref() == Some(c.id.as_str()))
            .max_by_key(|b| (b.value.checked_on, b.created_at));
        if latest.is_some_and(|b| b.value.number_active) {
            d.lines_reopened += 1;
        } else {
            d.lines_closed += 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn stored<T>(id: &str, parent: Option<&str>, value: T) -> Stored<T> {
        Stored {
            id: id.into(),
            parent_id: parent.map(Into::into),
            created_at: Utc.with_ymd_and_hms(2026, 12, 1, 6, 0, 0).unwrap(),
            created_by: "t".into(),
            value,
        }
    }

    fn child() -> Referral {
        Referral {
            subject: ReferralSubject::Child,
            name: "Child A".into(),
            age: Some(15),
            address_target_id: None,
            circumstances:
                "Found at the address with 30 wraps and a burner phone, 80 miles from home.".into(),
            indicators: vec![
                "found far from home".into(),
                "holding drugs for others".into(),
            ],
            referred_to: vec!["Norfolk Children's Services".into()],
            adult_consents: None,
        }
    }

    #[test]
    fn nrm_draft_treats_the_child_as_a_victim() {
        let text = nrm_draft(&child(), "Op Kestrel", "DC Ola");
        assert!(
            text.contains("Potential victim: Child A, a child, aged 15."),
            "{text}"
        );
        assert!(text.contains("Consent: not required for a child"));
        let lower = text.to_lowercase();
        for word in ["suspect", "offender", "perpetrator", "dealer"] {
            assert!(!lower.contains(word), "draft uses `{word}`:\n{text}");
        }
    }

    #[test]
    fn adult_without_consent_gets_duty_to_notify() {
        let mut r = child();
        r.subject = ReferralSubject::VulnerableAdult;
        r.age = Some(44);
        assert!(nrm_draft(&r, "Op K", "DC Ola").contains("Duty to Notify"));
        assert!(child().validate().is_ok());
        r.subject = ReferralSubject::Child;
        assert_eq!(r.validate().unwrap_err().field, "age");
    }

    #[test]
    fn dashboard_counts_records() {
        let t = Utc.with_ymd_and_hms(2026, 12, 1, 6, 0, 0).unwrap();
        let search = |a: &str| Search {
            address_target_id: a.into(),
            team_id: None,
            entered_at: t,
            result: String::new(),
        };
        let ex = |r: &str, seized| Exhibit {
            reference: r.into(),
            seized,
            address_target_id: None,
            seized_by: "PC A".into(),
            seized_at: t,
        };
        let closure = LineClosure {
            number: "+447700900123".into(),
            line_id: None,
            kind: ClosureKind::Type2 {
                operator: "Brigantia".into(),
            },
            closed_on: t.date_naive(),
        };
        let back = |on: u32, active| CheckBack {
            checked_on: NaiveDate::from_ymd_opt(2026, 12, on).unwrap(),
            number_active: active,
            note: String::new(),
        };
        let d = dashboard(
            &[
                stored("s1", None, search("a1")),
                stored("s2", None, search("a1")),
                stored("s3", None, search("a2")),
            ],
            &[stored(
                "r1",
                None,
                Arrest {
                    person: "X".into(),
                    target_id: None,
                    offence: "PWITS".into(),
                    custody_suite: "C1".into(),
                    arrested_at: t,
                },
            )],
            &[
                stored(
                    "e1",
                    None,
                    ex(
                        "JA/1",
                        Seized::Drugs {
                            drug: "crack".into(),
                            wraps: 30,
                            weight_grams: 6.5,
                        },
                    ),
                ),
                stored("e2", None, ex("JA/2", Seized::Cash { pence: 125_000 })),
                stored("e3", None, ex("JA/3", Seized::Cash { pence: 5_050 })),
                stored(
                    "e4",
                    None,
                    ex(
                        "JA/4",
                        Seized::Phone {
                            imei: None,
                            numbers: vec!["+447700900123".into()],
                        },
                    ),
                ),
            ],
            &[stored("f1", None, child())],
            &[
                stored("c1", None, closure.clone()),
                stored("c2", None, closure),
            ],
            &[
                stored("b1", Some("c1"), back(8, false)),
                stored("b2", Some("c2"), back(8, false)),
                stored("b3", Some("c2"), back(29, true)),
            ],
        );
        assert_eq!(d.properties_searched, 2);
        assert_eq!(d.arrests, 1);
        assert_eq!(d.cash_pence, 130_050);
        assert_eq!(d.drug_wraps, 30);
        assert_eq!(d.seizures_by_type["cash"], 2);
        assert_eq!(d.seizures_by_type["phone"], 1);
        assert_eq!((d.lines_closed, d.lines_reopened), (1, 1));
        assert_eq!(d.people_safeguarded, 1);
    }
}
