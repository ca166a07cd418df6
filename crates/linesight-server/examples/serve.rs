//! Serves a case without building the `linesight` binary (and its query engine): a quick
//! loop for front-end work and the load test.
//!
//! `cargo run --release -p linesight-server --example serve -- CASE_DIR [PORT] [BOUNDARIES]`

use std::path::PathBuf;
use std::sync::Arc;

use linesight_model::progress::{Progress, Unit};
use linesight_server::{LocalGate, ServerConfig};

/// Prints each startup stage on stderr.
struct Stages;

impl Progress for Stages {
    fn stage(&self, name: &str, _total: Option<u64>, _unit: Unit) {
        eprintln!("{name}…");
    }
    fn advance(&self, _n: u64) {}
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let case = PathBuf::from(
        args.next()
            .ok_or("usage: serve CASE_DIR [PORT] [BOUNDARIES]")?,
    );
    let port = args.next().map(|p| p.parse()).transpose()?.unwrap_or(8080);
    let mut config = ServerConfig::new(case, port);
    config.boundaries = args.next().map(PathBuf::from);
    let server = linesight_server::bind(&config, Arc::new(LocalGate), None, &Stages).await?;
    println!(
        "loaded {} events in {} ms; serving at {}",
        server.case().event_count(),
        server.case().load_ms(),
        server.url()
    );
    server.run().await?;
    Ok(())
}
