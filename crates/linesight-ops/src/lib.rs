//! The operations domain: cases and their members, targets, warrants, the day-of-action plan
//! and its checks, outcomes and the results dashboard, the permission matrix, and the audit
//! hash chain.
//!
//! Pure: no I/O, no clock, no database. `linesight-db` stores these types and
//! `linesight-ops-api` serves them; both ask this crate every question of rules
//! (may this role do that? is the plan ready? is the audit chain intact?).

pub mod access;
pub mod audit;
pub mod case;
pub mod outcome;
pub mod plan;

pub use access::{Action, Role, Scope, allowed};
pub use case::{Invalid, Stored};
