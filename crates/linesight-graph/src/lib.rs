//! Pure network analysis for linesight: who matters in a drug line, and which arrests would do
//! **lasting** damage once the network has rewired.
//!
//! A planner needs more than a degree ranking. Arresting the most central people can leave a
//! network more efficient after it rewires (Duijn, Kashirin & Sloot 2014); leaders stay off the
//! phone (Calderoni 2015); seizures move the network (Morselli & Petit 2007, CAVIAR). So this
//! crate goes from a call graph to a ranked, explained list of arrest options:
//!
//! ```text
//!  labelled edges ──► Graph (CSR) ──► centrality::*        who is central, who brokers
//!  (calls, meetings,     │   │    ──► community::leiden     which cells/crews exist
//!   attendance)          │   │    ──► keyplayer::kpp_*      which k people fragment/reach most
//!                        │   └────► disruption::*         what breaks on arrest
//!                        └────────► recovery::*           how it rewires (seeded models)
//!                                        └──► recommend::recommend  ranked by lasting damage
//! ```
//!
//! Module map:
//! - [`graph`]: [`Graph`] (labels → dense indices, attributes, timed edge records, CSR views:
//!   out, in, undirected; unweighted view; induced subgraph; time windows) and [`GraphBuilder`];
//! - [`multilayer`]: two-mode (person–event) projection and multi-layer graphs;
//! - [`centrality`]: degree/strength, betweenness (exact and sampled with an error bound),
//!   closeness, eigenvector, PageRank, Burt brokerage and Gould–Fernandez roles;
//! - [`community`]: Leiden (seeded) and modularity;
//! - [`keyplayer`]: Borgatti KPP-Neg / KPP-Pos and a comparison with naive top-k;
//! - [`linking`]: contact-overlap linking of identifiers one person uses (burner phones);
//! - [`disruption`]: components, global efficiency, hub→town max-flow after removal;
//! - [`recovery`]: triadic closure, preferential attachment and role replacement;
//! - [`recommend`]: candidate arrest sets ranked by damage remaining after recovery;
//! - [`rng`]: the seedable PRNG behind every random choice.
//!
//! # Invariants
//! - **No I/O**: no files, clock, printing, network or environment. Callers pass data in and get
//!   plain structs out (no `Serialize` on core types; the CLI and server own their DTOs).
//! - **Deterministic**: every randomised function takes a `u64` seed and uses [`rng::Rng`].
//! - **networkx parity**: each centrality and measure documents the networkx 3.6.1 function it
//!   matches; `tests/reference` holds generated fixtures that the tests compare to within 1e-6.
//! - Node indices are dense `0..n` in first-seen order; results are `Vec`s indexed by node.
//!
//! # Example
//! ```
//! use linesight_graph::{Graph, Direction, EdgeLength};
//! use linesight_graph::centrality::betweenness::{betweenness, BetweennessOptions};
//! use linesight_graph::disruption::simulate_removal;
//!
//! let g = Graph::from_edges(true, [
//!     ("07700900001", "07700900002", 12.0),
//!     ("07700900002", "07700900003", 4.0),
//!     ("07700900003", "07700900004", 7.0),
//! ]).unwrap();
//! let bc = betweenness(&g, &BetweennessOptions {
//!     direction: Direction::Undirected,
//!     length: EdgeLength::Hops,
//!     normalized: true,
//! });
//! assert!(bc[1] > bc[0]);
//! let hit = simulate_removal(&g, &[1], None).unwrap();
//! assert_eq!(hit.after.components, 2);
//! ```

pub mod centrality;
pub mod community;
pub mod disruption;
pub mod error;
pub mod graph;
pub mod keyplayer;
pub mod linking;
pub mod multilayer;
mod paths;
pub mod recommend;
pub mod recovery;
pub use linesight_rng as rng;

pub use error::GraphError;
pub use graph::{Csr, Direction, EdgeLength, EdgeRecord, Graph, GraphBuilder, NodeIdx};
