//! Serves the operations API and a built web app (for the browser test, `web/src/ops/e2e.mjs`,
//! until `linesight-server` mounts the router), with one user to log in as.
//!
//! ```sh
//! (cd web && npx vite build --outDir /tmp/web)
//! cargo run -p linesight-ops-api --example ops_serve -- /tmp/web sqlite:///tmp/ops.db 127.0.0.1:8791
//! (cd web && node src/ops/e2e.mjs)
//! ```
//! The user is `lead` (operation_lead) with the password `a long enough password`.

use std::path::{Path, PathBuf};

use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use linesight_db::{Actor, Db};
use linesight_ops::Role;

fn file(root: &Path, uri: &Uri) -> Response {
    let rel = uri.path().trim_start_matches('/');
    let rel = if rel.is_empty() { "index.html" } else { rel };
    if rel.split('/').any(|s| s == "..") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let kind = match rel.rsplit('.').next() {
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        _ => "text/html; charset=utf-8",
    };
    match std::fs::read(root.join(rel)) {
        Ok(bytes) => ([(header::CONTENT_TYPE, kind)], bytes).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let web = PathBuf::from(
        args.next()
            .expect("usage: ops_serve WEB_DIST_DIR DB_URL ADDR"),
    );
    let url = args
        .next()
        .unwrap_or_else(|| "sqlite://ops-serve.db".into());
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8791".into());
    let db = Db::connect(&url).await.expect("open the database");
    if db.user("lead").await.expect("read users").is_none() {
        db.add_user(
            &Actor::new("cli:ops_serve"),
            "lead",
            Role::OperationLead,
            "a long enough password",
        )
        .await
        .expect("create the user");
    }
    let app = linesight_ops_api::router(linesight_ops_api::OpsState::new(db)).fallback(
        move |uri: Uri| {
            let web = web.clone();
            async move { file(&web, &uri) }
        },
    );
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
    .expect("serve");
}
