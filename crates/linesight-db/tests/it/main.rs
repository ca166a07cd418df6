//! Integration tests of `linesight-db` against SQLite always and PostgreSQL when
//! `LINESIGHT_TEST_POSTGRES_URL` is set (each test in a fresh schema, dropped afterwards, so
//! tests run concurrently).

mod audit_tamper;
mod cases;
mod concurrency;
mod crash;
mod users;

use std::io::Write;
use std::sync::Once;

use linesight_db::Db;
use sqlx::Connection;

/// A database for one test; call [`TestDb::finish`] at the end to drop a PostgreSQL schema.
pub(crate) struct TestDb {
    pub(crate) db: Db,
    pub(crate) name: &'static str,
    /// The URL it was opened with (for a second process).
    pub(crate) url: String,
    schema: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub(crate) async fn finish(self) {
        self.db.close().await;
        if let Some((admin, schema)) = self.schema {
            let mut c = sqlx::AnyConnection::connect(&admin)
                .await
                .expect("connect to PostgreSQL");
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&mut c)
                .await
                .expect("drop test schema");
        }
    }
}

pub(crate) async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}",
        dir.path().join("data/linesight.db").display()
    );
    TestDb {
        db: Db::connect(&url).await.expect("open SQLite"),
        name: "sqlite",
        url,
        schema: None,
        _dir: Some(dir),
    }
}

static SKIPPED: Once = Once::new();

pub(crate) async fn postgres() -> Option<TestDb> {
    let Ok(admin) = std::env::var("LINESIGHT_TEST_POSTGRES_URL") else {
        SKIPPED.call_once(|| {
            // Straight to stderr: the test harness captures `eprintln!` of passing tests.
            let _ = writeln!(
                std::io::stderr(),
                "linesight-db: PostgreSQL tests SKIPPED (set LINESIGHT_TEST_POSTGRES_URL, e.g. postgres://root@127.0.0.1:5432/test, to run them); SQLite tests ran"
            );
        });
        return None;
    };
    sqlx::any::install_default_drivers();
    let schema = format!("ls_test_{}", linesight_db::random_hex(8));
    let mut c = sqlx::AnyConnection::connect(&admin)
        .await
        .expect("connect to LINESIGHT_TEST_POSTGRES_URL");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut c)
        .await
        .expect("create test schema");
    let sep = if admin.contains('?') { '&' } else { '?' };
    let url = format!("{admin}{sep}options=-c%20search_path%3D{schema}");
    let db = Db::connect(&url)
        .await
        .expect("open PostgreSQL test schema");
    Some(TestDb {
        db,
        name: "postgres",
        url,
        schema: Some((admin, schema)),
        _dir: None,
    })
}

/// SQLite, then PostgreSQL when configured.
pub(crate) async fn backends() -> Vec<TestDb> {
    let mut out = vec![sqlite().await];
    out.extend(postgres().await);
    out
}
