//! The web app, embedded from `web/dist/` at build time (read from disk in debug builds,
//! so a `vite build` shows without recompiling).

use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};

#[derive(rust_embed::RustEmbed)]
#[folder = "../../web/dist/"]
struct Assets;

const NOT_BUILT: &str = "<!doctype html><title>linesight</title><p>The web app is not built into this binary. \
Run <code>cargo xtask web-build</code> and rebuild; the API is at <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.";

/// Serves a file of the app; `/` and unknown paths get `index.html` (the app routes by
/// `#` fragment, so any other path is a stale link).
pub(crate) async fn asset(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if let Some(file) = Assets::get(path).filter(|_| !path.is_empty()) {
        // Vite names built assets by content hash, so they never change under a name.
        let cache = if path.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return (
            [
                (header::CONTENT_TYPE, file.metadata.mimetype().to_string()),
                (header::CACHE_CONTROL, cache.to_string()),
            ],
            file.data,
        )
            .into_response();
    }
    match Assets::get("index.html") {
        Some(index) => ([(header::CACHE_CONTROL, "no-cache")], Html(index.data)).into_response(),
        None => (StatusCode::OK, Html(NOT_BUILT)).into_response(),
    }
}
