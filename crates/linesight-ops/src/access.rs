//! Roles, actions and the permission matrix: who may do what, as data.
//!
//! Two checks guard every request. The **role** check is [`allowed`]: for case-scoped
//! actions it is asked of the role the user holds *in that case* (their membership), for
//! global actions of their account role. The **compartment** check is membership itself:
//! a user who is not a member of a case cannot see that it exists.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A user's role, on their account and in each case they belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Works the communications data: reads the analysis, records targets and line closures.
    Analyst,
    /// Builds the evidential case: targets, warrants, outcomes and exhibits.
    Investigator,
    /// Runs the operation: members, the day-of-action plan, closing the case.
    OperationLead,
    /// Owns safeguarding: referrals and NRM drafts for exploited children and vulnerable adults.
    SafeguardingLead,
    /// Reviews material for disclosure: reads everything in the case, changes nothing.
    DisclosureOfficer,
    /// Reads the audit log across all cases; sees case outlines, not their personal data.
    Auditor,
    /// Manages accounts and cases (create, close, purge); no access to case records.
    Administrator,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 7] = [
        Role::Analyst,
        Role::Investigator,
        Role::OperationLead,
        Role::SafeguardingLead,
        Role::DisclosureOfficer,
        Role::Auditor,
        Role::Administrator,
    ];

    /// The role's name as stored and typed (`operation_lead`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Analyst => "analyst",
            Role::Investigator => "investigator",
            Role::OperationLead => "operation_lead",
            Role::SafeguardingLead => "safeguarding_lead",
            Role::DisclosureOfficer => "disclosure_officer",
            Role::Auditor => "auditor",
            Role::Administrator => "administrator",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A role name that is not one of the seven.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role `{0}`: use one of analyst, investigator, operation_lead, safeguarding_lead, disclosure_officer, auditor, administrator"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// Whether an action is asked of the account role or of the role in one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Not tied to a case: checked against the account role.
    Global,
    /// Inside one case: the user must be a member, and the membership role is checked.
    Case,
}

macro_rules! actions {
    ($($(#[$doc:meta])* $name:ident = $text:literal, $scope:ident;)*) => {
        /// Something a user can ask to do, per resource.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Action { $($(#[$doc])* $name,)* }

        impl Action {
            /// Every action, in a stable order.
            pub const ALL: &'static [Action] = &[$(Action::$name,)*];
            /// The action's name (`plan.write`), as in the audit log and the docs.
            pub fn as_str(self) -> &'static str {
                match self { $(Action::$name => $text,)* }
            }
            /// Whether the action is global or inside one case.
            pub fn scope(self) -> Scope {
                match self { $(Action::$name => Scope::$scope,)* }
            }
        }
    };
}

actions! {
    /// Create a case (the creator becomes its operation lead).
    CaseCreate = "case.create", Global;
    /// Create, disable and list user accounts.
    UserManage = "user.manage", Global;
    /// Read the audit log and verify its chain.
    AuditRead = "audit.read", Global;
    /// Read a case's outline: name, forces, status.
    CaseRead = "case.read", Case;
    /// Close a case, starting its retention period.
    CaseClose = "case.close", Case;
    /// Purge a closed case's personal data once its retention period has passed.
    CasePurge = "case.purge", Case;
    /// List a case's members and their roles.
    MemberRead = "member.read", Case;
    /// Add members to a case or change their role.
    MemberManage = "member.manage", Case;
    /// Read targets: people, numbers, vehicles, addresses and their risk markers.
    TargetRead = "target.read", Case;
    /// Add or change targets.
    TargetWrite = "target.write", Case;
    /// Read warrants.
    WarrantRead = "warrant.read", Case;
    /// Record or change warrants.
    WarrantWrite = "warrant.write", Case;
    /// Read the day-of-action plan and its checks.
    PlanRead = "plan.read", Case;
    /// Change the day-of-action plan.
    PlanWrite = "plan.write", Case;
    /// Read outcomes: searches, arrests, exhibits and their custody movements.
    OutcomeRead = "outcome.read", Case;
    /// Record outcomes and custody movements.
    OutcomeWrite = "outcome.write", Case;
    /// Read safeguarding referrals and NRM drafts.
    ReferralRead = "referral.read", Case;
    /// Record safeguarding referrals.
    ReferralWrite = "referral.write", Case;
    /// Read line closures and their check-backs.
    ClosureRead = "closure.read", Case;
    /// Record line closures and check-backs.
    ClosureWrite = "closure.write", Case;
    /// Read the results dashboard (counts only, no personal data).
    DashboardRead = "dashboard.read", Case;
    /// Read the case's analysis workspace (findings over communications data).
    AnalysisRead = "analysis.read", Case;
}

use Action as A;

/// The permission matrix: for each role, the actions it may take. Anything not listed is refused.
pub const MATRIX: &[(Role, &[Action])] = &[
    (
        Role::Analyst,
        &[
            A::CaseRead,
            A::MemberRead,
            A::TargetRead,
            A::TargetWrite,
            A::WarrantRead,
            A::PlanRead,
            A::OutcomeRead,
            A::ClosureRead,
            A::ClosureWrite,
            A::DashboardRead,
            A::AnalysisRead,
        ],
    ),
    (
        Role::Investigator,
        &[
            A::CaseRead,
            A::MemberRead,
            A::TargetRead,
            A::TargetWrite,
            A::WarrantRead,
            A::WarrantWrite,
            A::PlanRead,
            A::OutcomeRead,
            A::OutcomeWrite,
            A::ReferralRead,
            A::ClosureRead,
            A::ClosureWrite,
            A::DashboardRead,
            A::AnalysisRead,
        ],
    ),
    (
        Role::OperationLead,
        &[
            A::CaseCreate,
            A::CaseRead,
            A::CaseClose,
            A::MemberRead,
            A::MemberManage,
            A::TargetRead,
            A::TargetWrite,
            A::WarrantRead,
            A::WarrantWrite,
            A::PlanRead,
            A::PlanWrite,
            A::OutcomeRead,
            A::OutcomeWrite,
            A::ReferralRead,
            A::ReferralWrite,
            A::ClosureRead,
            A::ClosureWrite,
            A::DashboardRead,
            A::AnalysisRead,
        ],
    ),
    (
        Role::SafeguardingLead,
        &[
            A::CaseRead,
            A::MemberRead,
            A::TargetRead,
            A::PlanRead,
            A::OutcomeRead,
            A::ReferralRead,
            A::ReferralWrite,
            A::DashboardRead,
        ],
    ),
    (
        Role::DisclosureOfficer,
        &[
            A::CaseRead,
            A::MemberRead,
            A::TargetRead,
            A::WarrantRead,
            A::PlanRead,
            A::OutcomeRead,
            A::ReferralRead,
            A::ClosureRead,
            A::DashboardRead,
            A::AnalysisRead,
        ],
    ),
    (
        Role::Auditor,
        &[A::AuditRead, A::CaseRead, A::MemberRead, A::DashboardRead],
    ),
    (
        Role::Administrator,
        &[
            A::UserManage,
            A::CaseCreate,
            A::CaseRead,
            A::CaseClose,
            A::CasePurge,
            A::MemberRead,
            A::MemberManage,
            A::DashboardRead,
        ],
    ),
];

/// Whether `role` may take `action`. Pure lookup in [`MATRIX`].
pub fn allowed(role: Role, action: Action) -> bool {
    MATRIX
        .iter()
        .find(|(r, _)| *r == role)
        .is_some_and(|(_, actions)| actions.contains(&action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_a_row_and_names_round_trip() {
        for role in Role::ALL {
            assert!(MATRIX.iter().any(|(r, _)| *r == role), "{role} has no row");
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("sergeant".parse::<Role>().is_err());
    }

    #[test]
    fn spot_checks() {
        assert!(!allowed(Role::DisclosureOfficer, Action::PlanWrite));
        assert!(allowed(Role::DisclosureOfficer, Action::PlanRead));
        assert!(allowed(Role::OperationLead, Action::PlanWrite));
        assert!(!allowed(Role::Analyst, Action::PlanWrite));
        assert!(!allowed(Role::Analyst, Action::ReferralRead));
        assert!(allowed(Role::SafeguardingLead, Action::ReferralWrite));
        assert!(allowed(Role::Auditor, Action::AuditRead));
        assert!(!allowed(Role::Administrator, Action::AuditRead));
        assert!(!allowed(Role::Administrator, Action::TargetRead));
        assert!(allowed(Role::Administrator, Action::CasePurge));
        assert!(!allowed(Role::OperationLead, Action::CasePurge));
    }

    #[test]
    fn only_disclosure_safe_roles_write_nothing() {
        for role in [Role::DisclosureOfficer, Role::Auditor] {
            for a in Action::ALL {
                if a.as_str().ends_with(".write") || a.as_str().ends_with(".manage") {
                    assert!(!allowed(role, *a), "{role} may {}", a.as_str());
                }
            }
        }
    }
}
