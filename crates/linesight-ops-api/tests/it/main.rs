//! Tests of the operations API through `tower::ServiceExt::oneshot` on the router (no
//! network): the permission matrix, and security (CSRF, rate limit, session fixation, IDOR,
//! bad bodies, injection, conflicts).

mod load;
mod matrix;
mod security;

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use linesight_db::{Actor, Db};
use linesight_ops::Role;
use linesight_ops_api::{OpsState, router};
use serde_json::Value;
use tower::ServiceExt;

pub(crate) const PW: &str = "a long enough password";

pub(crate) struct App {
    pub(crate) router: Router,
    pub(crate) state: OpsState,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

/// The API over a fresh PostgreSQL schema when `LINESIGHT_TEST_POSTGRES_URL` is set; the
/// schema is dropped by [`App::finish`].
pub(crate) async fn pg_app() -> Option<App> {
    let Ok(admin) = std::env::var("LINESIGHT_TEST_POSTGRES_URL") else {
        static SKIPPED: std::sync::Once = std::sync::Once::new();
        SKIPPED.call_once(|| {
            // Straight to stderr: the test harness captures `eprintln!` of passing tests.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "linesight-ops-api: PostgreSQL runs (permission matrix, load) SKIPPED: set LINESIGHT_TEST_POSTGRES_URL to run them; SQLite runs ran"
            );
        });
        return None;
    };
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let schema = format!("ls_test_{}", linesight_db::random_hex(8));
    let mut c = sqlx::AnyConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut c)
        .await
        .unwrap();
    let sep = if admin.contains('?') { '&' } else { '?' };
    let db = Db::connect(&format!("{admin}{sep}options=-c%20search_path%3D{schema}"))
        .await
        .unwrap();
    let state = OpsState::new(db);
    Some(App {
        router: router(state.clone()),
        state,
        _dir: tempfile::tempdir().unwrap(),
        pg: Some((admin, schema)),
    })
}

pub(crate) async fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!("sqlite://{}", dir.path().join("ops.db").display()))
        .await
        .unwrap();
    let state = OpsState::new(db);
    App {
        router: router(state.clone()),
        state,
        _dir: dir,
        pg: None,
    }
}

impl App {
    /// Drops a PostgreSQL test schema.
    pub(crate) async fn finish(self) {
        self.state.db().close().await;
        if let Some((admin, schema)) = &self.pg {
            use sqlx::Connection;
            let mut c = sqlx::AnyConnection::connect(admin).await.unwrap();
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&mut c)
                .await
                .unwrap();
        }
    }

    pub(crate) fn db(&self) -> &Db {
        self.state.db()
    }

    pub(crate) async fn user(&self, name: &str, role: Role) {
        self.db()
            .add_user(&Actor::new("cli:test"), name, role, PW)
            .await
            .unwrap();
    }

    /// Sends a request (with the session's cookies and CSRF header when given) from `ip`.
    pub(crate) async fn send_from(
        &self,
        ip: [u8; 4],
        method: &str,
        path: &str,
        body: Option<&Value>,
        s: Option<&Session>,
    ) -> (StatusCode, Value, Vec<String>) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(s) = s {
            req = req
                .header(
                    "cookie",
                    format!("ls_session={}; ls_csrf={}", s.token, s.csrf),
                )
                .header("x-csrf-token", &s.csrf);
        }
        let mut req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string()))
                .unwrap(),
            None => req.body(Body::empty()).unwrap(),
        };
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((ip, 40000))));
        self.raw(req).await
    }

    pub(crate) async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        s: Option<&Session>,
    ) -> (StatusCode, Value, Vec<String>) {
        self.send_from([127, 0, 0, 1], method, path, body, s).await
    }

    pub(crate) async fn raw(&self, req: Request<Body>) -> (StatusCode, Value, Vec<String>) {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let cookies = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        if !status.is_success() {
            assert!(
                json["error"]["code"].is_string() && json["error"]["message"].is_string(),
                "{status}: error without the envelope: {json}"
            );
        }
        (status, json, cookies)
    }

    pub(crate) async fn login(&self, name: &str) -> Session {
        let (status, body, cookies) = self
            .send(
                "POST",
                "/api/v1/auth/login",
                Some(&serde_json::json!({ "name": name, "password": PW })),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "login {name}: {body}");
        session_from(&cookies)
    }
}

/// A logged-in client's cookies.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) token: String,
    pub(crate) csrf: String,
}

pub(crate) fn session_from(cookies: &[String]) -> Session {
    let get = |name: &str| {
        cookies
            .iter()
            .find_map(|c| {
                c.strip_prefix(&format!("{name}="))
                    .map(|v| v.split(';').next().unwrap().to_owned())
            })
            .unwrap_or_else(|| panic!("no {name} cookie in {cookies:?}"))
    };
    Session {
        token: get("ls_session"),
        csrf: get("ls_csrf"),
    }
}
