//! API tests: every endpoint, with good and bad ids and parameters, on a small simulated
//! case (simulate → ingest) with findings written here from the findings types, so they
//! name real numbers, cells and provenance of the case.

mod api;
mod fixture;
