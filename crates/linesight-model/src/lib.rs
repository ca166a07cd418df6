//! The vocabulary of linesight: what a communications-data record *is*, independent of
//! where it came from or where it is stored.
//!
//! This crate defines:
//! - [`CommRecord`]: one operator's report of one party's leg of a communication
//!   (the row an operator export holds), with its [`Provenance`];
//! - [`CommEvent`]: the canonical communication after the reports of both parties'
//!   operators are merged, oriented from the A party (originator) to the B party;
//! - [`Cell`] and [`GlobalCellId`]: the radio cells that served a party;
//! - [`Subscriber`]: what an operator's subscriber check returns for a number;
//! - [`Msisdn`]: phone numbers normalised to E.164 (UK national rules);
//! - [`progress`]: how long work reports progress without printing;
//! - [`schema`]: the Arrow schemas under which all of the above are stored.
//!
//! It is not a parser, a store or an analysis: it does no I/O, reads no clock and knows
//! nothing of files, HTTP or SQL. Everything above it shares these types.

mod cell;
mod event;
mod msisdn;
pub mod progress;
mod provenance;
pub mod schema;
mod subscriber;

pub use cell::{Cell, CellIdError, GlobalCellId};
pub use event::{CommEvent, CommRecord, Direction, EventKind, PartyLeg, TimeNote};
pub use msisdn::{Msisdn, NumberError};
pub use provenance::{FileHash, Provenance, RunId};
pub use subscriber::Subscriber;
