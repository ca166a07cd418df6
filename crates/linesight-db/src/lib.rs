//! The one data-access crate: SQLite (embedded, the default) or PostgreSQL, chosen by URL,
//! with one set of portable migrations and repository functions for cases, the day of
//! action, outcomes, users, sessions, retention and the append-only audit log.
//!
//! Every change is written in one transaction together with the audit entry that records
//! it, so a change without its entry (or the reverse) cannot be committed. Reads of personal
//! data append an entry too (who, what, when, why). Rules (permissions, plan checks, the
//! hash chain) live in `linesight-ops`; this crate only stores and retrieves.

mod audit;
mod cases;
mod records;
mod users;

use std::path::Path;

use chrono::{DateTime, Utc};
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

pub use audit::AuditCheck;
pub use records::{Kind, PlanDoc};
pub use users::{Session, User};

/// Who is acting, and why: carried into every audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// User name, or `cli:<os user>` for the command line.
    pub name: String,
    /// Why, where the law expects a reason (reads of personal data, purges).
    pub reason: Option<String>,
}

impl Actor {
    /// An actor with no reason given.
    pub fn new(name: impl Into<String>) -> Self {
        Actor {
            name: name.into(),
            reason: None,
        }
    }

    /// The same actor with a reason.
    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
}

/// Which database a URL selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// What can go wrong; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL is neither `sqlite://…` nor `postgres://…`.
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://USER@HOST:PORT/DB")]
    BadUrl(String),
    /// The database refused or failed.
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    /// A migration failed.
    #[error("could not bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The thing asked for does not exist (or is in another case).
    #[error("{0} not found")]
    NotFound(String),
    /// A name or reference that must be unique is taken.
    #[error("{0} already exists: choose another")]
    Exists(String),
    /// The request breaks a domain rule.
    #[error("invalid {0}")]
    Invalid(#[from] linesight_ops::Invalid),
    /// The case's state forbids it (closed, not yet due for purge).
    #[error("{0}")]
    State(String),
    /// Someone else saved the plan since it was read.
    #[error(
        "the plan was changed by {changed_by} at {changed_at} (now version {current_version}, you edited version {your_version}): reload the plan and apply your change again"
    )]
    Conflict {
        /// The version in the database.
        current_version: i64,
        /// The version the caller read.
        your_version: i64,
        /// Who saved the current version.
        changed_by: String,
        /// When.
        changed_at: String,
    },
    /// A stored value could not be read back.
    #[error("stored data is unreadable ({0}): the database may have been edited by hand")]
    Corrupt(String),
    /// Password hashing failed.
    #[error("password hashing failed: {0}")]
    Password(String),
}

/// Result with [`DbError`].
pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// A connection pool to the operations database.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl Db {
    /// Connects to `sqlite://PATH` (creating the file and its folder) or `postgres://…`,
    /// and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let (backend, url, pool) = if let Some(path) = url.strip_prefix("sqlite://") {
            let file = path.split('?').next().unwrap_or(path);
            if let Some(dir) = Path::new(file)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir).map_err(|e| {
                    DbError::State(format!(
                        "cannot create the data folder {}: {e}",
                        dir.display()
                    ))
                })?;
            }
            let url = if path.contains('?') {
                url.to_owned()
            } else {
                format!("{url}?mode=rwc")
            };
            // SQLite has one writer at a time anyway; one connection avoids SQLITE_BUSY
            // when two transactions both upgrade from reading to writing.
            (
                Backend::Sqlite,
                url,
                AnyPoolOptions::new().max_connections(1),
            )
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (
                Backend::Postgres,
                url.to_owned(),
                AnyPoolOptions::new().max_connections(16),
            )
        } else {
            return Err(DbError::BadUrl(url.to_owned()));
        };
        let pool = pool.connect(&url).await?;
        MIGRATOR.run(&pool).await?;
        Ok(Db { pool, backend })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The pool, for tests that tamper with rows directly.
    #[doc(hidden)]
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

/// Now, as stored: RFC 3339 UTC with microseconds, which sorts as text.
pub(crate) fn now_text() -> String {
    time_text(Utc::now())
}

/// A time as stored.
pub fn time_text(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(crate) fn parse_time(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| DbError::Corrupt(format!("time `{s}`: {e}")))
}

/// A fresh random id (96 bits, hex).
pub(crate) fn new_id() -> String {
    random_hex(12)
}

/// `n` random bytes from the operating system, hex.
pub fn random_hex(n: usize) -> String {
    let mut b = vec![0u8; n];
    getrandom::fill(&mut b).expect("the operating system's random source failed");
    hex::encode(b)
}

pub(crate) fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("domain values serialise to JSON")
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| DbError::Corrupt(e.to_string()))
}

/// Maps a unique-constraint violation to [`DbError::Exists`].
pub(crate) fn unique(what: impl Into<String>) -> impl FnOnce(sqlx::Error) -> DbError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => DbError::Exists(what.into()),
        _ => DbError::Sqlx(e),
    }
}
