//! `linesight serve`: the analyst workspace for one case, in the browser.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;
use linesight_server::{Gate, GateError, GateFuture, LocalGate, Principal, ServerConfig};

use crate::progress::Bars;

pub(crate) const SERVE_ABOUT: &str = "\
Serve a case in the browser: the analyst workspace (lines, line pages with timeline and evidence,
network chart, map, safeguarding queue, search) and its JSON API under /api/v1/ (described at
/api/v1/openapi.json).

The case's events are indexed in memory at startup (a few seconds for millions of events), so
pages answer in milliseconds. The server listens on 127.0.0.1 only unless --bind says otherwise:
it serves personal data, so think before exposing it on a network.

The map works offline. Give --boundaries a GeoJSON file (force areas, local authorities) to draw
them over the built-in country outline.

The same server carries the operations API (cases, targets, warrants, the day-of-action plan,
outcomes, dashboard; see `linesight case --help`) on the database --db names, in the same
OpenAPI document. Those endpoints always need a login. With --login the case's analysis needs one
too: the user must be a member of a case linked to CASE_DIR, and every read is recorded in the
audit log. Without --login the analysis is served to whoever can reach the port, which is why the
default address is 127.0.0.1.";

/// Arguments of `linesight serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The case folder (ingested; run `linesight analyse` first to see lines and roles).
    #[arg(long, value_name = "CASE_DIR")]
    pub(crate) case: PathBuf,
    /// TCP port (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub(crate) port: u16,
    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub(crate) bind: IpAddr,
    /// A GeoJSON file of boundaries to draw on the map.
    #[arg(long, value_name = "FILE")]
    pub(crate) boundaries: Option<PathBuf>,
    /// Require a login for the case's analysis too (members of a case linked to CASE_DIR;
    /// every read audited).
    #[arg(long)]
    pub(crate) login: bool,
    #[command(flatten)]
    pub(crate) db: crate::ops::DbArg,
}

/// Runs `linesight serve` until interrupted.
pub(crate) fn run(args: ServeArgs, bars: &Bars) -> Result<()> {
    let url = crate::ops::db_url(&args.db)?;
    let config = ServerConfig {
        case_dir: args.case,
        port: args.port,
        bind: args.bind,
        boundaries: args.boundaries,
    };
    serve_config(&config, &url, args.login, bars)
}

/// The gate that asks the operations database: a session, membership of a case linked to
/// this case folder, and an audit entry for the read.
struct OpsGate {
    state: linesight_ops_api::OpsState,
    case_dir: PathBuf,
}

impl Gate for OpsGate {
    fn authorise<'a>(
        &'a self,
        headers: &'a axum::http::HeaderMap,
        purpose: &'static str,
    ) -> GateFuture<'a> {
        Box::pin(async move {
            match linesight_ops_api::authorise_case_read(
                &self.state,
                headers,
                &self.case_dir,
                purpose,
            )
            .await
            {
                Ok(p) => Ok(Principal {
                    user_id: p.user.clone(),
                    display_name: p.user,
                    roles: vec![format!("{:?}", p.role).to_lowercase()],
                }),
                Err(e) => Err(match e.status.as_u16() {
                    401 => GateError::Unauthenticated(e.message),
                    403 | 404 => GateError::Forbidden(e.message),
                    _ => GateError::Unavailable(e.message),
                }),
            }
        })
    }
}

/// Serves a case on 127.0.0.1:`port` and prints its URL; what `linesight demo` ends with.
pub(crate) fn serve_case(
    case: &Path,
    port: u16,
    boundaries: Option<PathBuf>,
    bars: &Bars,
) -> Result<()> {
    let mut config = ServerConfig::new(case.to_owned(), port);
    config.boundaries = boundaries;
    let url = crate::ops::db_url(&crate::ops::DbArg::default())?;
    serve_config(&config, &url, false, bars)
}

fn serve_config(config: &ServerConfig, db_url: &str, login: bool, bars: &Bars) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    rt.block_on(async {
        let db = linesight_db::Db::connect(db_url)
            .await
            .with_context(|| format!("opening the operations database {db_url}"))?;
        let state = linesight_ops_api::OpsState::new(db);
        let extra = (
            linesight_ops_api::router(state.clone()),
            linesight_ops_api::openapi(),
        );
        let gate: Arc<dyn Gate> = if login {
            Arc::new(OpsGate {
                state,
                case_dir: config.case_dir.clone(),
            })
        } else {
            Arc::new(LocalGate)
        };
        let server = linesight_server::bind(config, gate, Some(extra), bars)
            .await
            .with_context(|| format!("cannot serve the case {}", config.case_dir.display()))?;
        bars.finish();
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "Loaded {} events of {} in {:.1} s.",
            server.case().event_count(),
            config.case_dir.display(),
            server.case().load_ms() as f64 / 1000.0
        )?;
        writeln!(
            out,
            "linesight is serving at {}  (Ctrl-C to stop)",
            server.url()
        )?;
        out.flush()?;
        drop(out);
        server.run().await.context("the server stopped")
    })
}
