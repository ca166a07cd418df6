//! Subscriber records: what an operator's subscriber check returns for a number.

use chrono::NaiveDate;

use crate::{Msisdn, Provenance};

/// One subscriber record. Pay-as-you-go numbers are often unregistered, so every
/// registration field is optional: absence is information, not an error.
#[derive(Clone, Debug, PartialEq)]
pub struct Subscriber {
    /// The number, in E.164.
    pub number: Msisdn,
    /// Operator that holds the subscription.
    pub operator: String,
    /// True for pay-as-you-go (prepaid), false for a contract.
    pub pay_as_you_go: bool,
    /// Date the number was activated on the network.
    pub activation_date: Option<NaiveDate>,
    /// Registered name, if the subscriber gave one.
    pub registered_name: Option<String>,
    /// Registered address, if any.
    pub registered_address: Option<String>,
    /// Registered date of birth, if any.
    pub date_of_birth: Option<NaiveDate>,
    /// Where this record came from.
    pub provenance: Provenance,
}
