//! Integration tests for linesight-graph: networkx parity on committed fixtures, Leiden quality,
//! key players against brute force, disruption and recovery behaviour, property tests, and an
//! optional check on the real CAVIAR network when the shared datasets are present.

mod common;
mod datasets;
mod disruption;
mod keyplayer;
mod leiden;
mod props;
mod reference;
