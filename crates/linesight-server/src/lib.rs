//! The linesight analyst workspace server: a JSON API over one case store and its
//! findings, and the web app that uses it, in one binary.
//!
//! ```text
//!  CASE/ (Parquet + findings.json) ──► Case::load ──► in-memory events, sorted by time,
//!                                     (startup,        postings: number/IMEI/IMSI → events,
//!                                      with progress)   lines summarised, cells, subscribers
//!                                                          │
//!  browser ──► axum Router ── /api/v1/* ── Gate::authorise ─┘ (every case-data handler)
//!                         └── /* the web app (web/dist, embedded by rust-embed)
//! ```
//!
//! Requests never scan Parquet: a line page or a search is a few slice lookups, so the
//! API answers in milliseconds on a case of millions of events.
//!
//! What it is not: no analysis of its own (it shows what `linesight analyse` found), no
//! writes to the case, no login (a [`Gate`] from another crate adds that), no printing
//! (startup reports through [`Progress`]).

mod api;
mod assets;
mod case;
mod error;
mod gate;
mod lines;
mod map;
mod network;
mod openapi;
mod people;
mod time;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use linesight_model::progress::{NoProgress, Progress};
use tower_http::compression::CompressionLayer;

pub use case::Case;
pub use error::ServerError;
pub use gate::{Gate, GateError, GateFuture, LocalGate, Principal};

/// Where and what to serve.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The case folder (a case store, analysed or not).
    pub case_dir: PathBuf,
    /// TCP port; 0 picks a free one.
    pub port: u16,
    /// Address to listen on: 127.0.0.1 unless the user asks, since the API serves
    /// personal data.
    pub bind: IpAddr,
    /// A GeoJSON file of boundaries (force areas, local authorities) for the map.
    pub boundaries: Option<PathBuf>,
}

impl ServerConfig {
    /// Serves `case_dir` on 127.0.0.1:`port` with no boundaries.
    pub fn new(case_dir: PathBuf, port: u16) -> Self {
        Self {
            case_dir,
            port,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            boundaries: None,
        }
    }
}

/// The whole application: API, OpenAPI document and web app, with `extra` (another
/// crate's router and its OpenAPI fragment) merged in. `extra` must not set a fallback.
pub fn app(
    case: Arc<Case>,
    gate: Arc<dyn Gate>,
    boundaries: Option<PathBuf>,
    extra: Option<(Router, serde_json::Value)>,
) -> Router {
    let (extra_router, extra_doc) = match extra {
        Some((r, d)) => (Some(r), Some(d)),
        None => (None, None),
    };
    let state = api::AppState {
        case,
        gate,
        boundaries: boundaries.map(Arc::new),
        openapi: Arc::new(openapi::document(extra_doc.as_ref())),
    };
    let mut router = api::router()
        .route("/api/{*rest}", get(api::api_not_found))
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(state);
    if let Some(r) = extra_router {
        router = router.merge(r);
    }
    router
        .fallback(assets::asset)
        .layer(CompressionLayer::new())
}

/// A server bound to its address with its case loaded, ready to [`Server::run`].
#[derive(Debug)]
pub struct Server {
    listener: tokio::net::TcpListener,
    router: Router,
    addr: SocketAddr,
    case: Arc<Case>,
}

impl Server {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The web app's URL.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The loaded case.
    pub fn case(&self) -> &Case {
        &self.case
    }

    /// Serves until the process ends.
    ///
    /// # Errors
    /// [`ServerError::Io`] when the listener fails.
    pub async fn run(self) -> Result<(), ServerError> {
        axum::serve(self.listener, self.router)
            .await
            .map_err(|source| ServerError::Io {
                addr: self.addr.to_string(),
                source,
            })
    }
}

/// Loads the case (reporting progress), checks the boundaries file and binds the address.
///
/// # Errors
/// [`ServerError`] when the case cannot be read, the boundaries file is not JSON, or the
/// address cannot be bound.
pub async fn bind(
    config: &ServerConfig,
    gate: Arc<dyn Gate>,
    extra: Option<(Router, serde_json::Value)>,
    progress: &dyn Progress,
) -> Result<Server, ServerError> {
    if let Some(b) = &config.boundaries {
        check_boundaries(b)?;
    }
    let case = Arc::new(Case::load(&config.case_dir, progress)?);
    let addr = SocketAddr::new(config.bind, config.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Io {
            addr: addr.to_string(),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServerError::Io {
        addr: addr.to_string(),
        source,
    })?;
    let router = app(case.clone(), gate, config.boundaries.clone(), extra);
    Ok(Server {
        listener,
        router,
        addr,
        case,
    })
}

/// Loads, binds and serves until the process ends, with no progress reporting.
///
/// # Errors
/// As [`bind`] and [`Server::run`].
pub async fn serve(
    config: ServerConfig,
    gate: Arc<dyn Gate>,
    extra: Option<(Router, serde_json::Value)>,
) -> Result<(), ServerError> {
    bind(&config, gate, extra, &NoProgress).await?.run().await
}

/// A boundaries file must be JSON (GeoJSON): checked at startup, not at the first map view.
fn check_boundaries(path: &std::path::Path) -> Result<(), ServerError> {
    let fail = |why: String| ServerError::Boundaries(format!("{}: {why}", path.display()));
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let v: serde::de::IgnoredAny = serde_json::from_reader(std::io::BufReader::new(file))
        .map_err(|e| fail(format!("not JSON ({e})")))?;
    let _ = v;
    Ok(())
}
