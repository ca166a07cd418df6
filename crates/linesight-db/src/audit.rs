//! The append-only audit log: appending inside the caller's transaction, reading, verifying.

use linesight_ops::audit::{self, AuditEntry, AuditEvent, Break};
use sqlx::AnyConnection;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Actor, Db, Result, now_text};

/// The outcome of verifying the stored chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCheck {
    /// Entries read.
    pub entries: usize,
    /// The head (last seq and hash) the database records.
    pub head: (i64, String),
    /// The first broken link, if any.
    pub broken: Option<Break>,
}

/// Appends one entry in the caller's transaction. Call it last in the transaction: it locks
/// the head row, and taking that lock last keeps lock order the same for every writer.
pub(crate) async fn append(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    target: &str,
    case_id: Option<&str>,
    details: serde_json::Value,
) -> Result<AuditEntry> {
    sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1")
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let seq: i64 = row.try_get("seq")?;
    let prev: String = row.try_get("hash")?;
    let entry = audit::next(
        Some((seq - 1, &prev)),
        now_text(),
        AuditEvent {
            actor: actor.name.clone(),
            action: action.to_owned(),
            target: target.to_owned(),
            case_id: case_id.map(str::to_owned),
            reason: actor.reason.clone(),
            details: details.to_string(),
        },
    );
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, target, case_id, reason, details, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(entry.seq)
    .bind(&entry.at)
    .bind(&entry.event.actor)
    .bind(&entry.event.action)
    .bind(&entry.event.target)
    .bind(entry.event.case_id.clone())
    .bind(entry.event.reason.clone())
    .bind(&entry.event.details)
    .bind(&entry.prev_hash)
    .bind(&entry.hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&entry.hash)
        .execute(&mut *conn)
        .await?;
    Ok(entry)
}

fn entry(row: &AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        event: AuditEvent {
            actor: row.try_get("actor")?,
            action: row.try_get("action")?,
            target: row.try_get("target")?,
            case_id: row.try_get("case_id")?,
            reason: row.try_get("reason")?,
            details: row.try_get("details")?,
        },
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

const COLUMNS: &str = "seq, at, actor, action, target, case_id, reason, details, prev_hash, hash";

impl Db {
    /// Appends an entry on its own (for events with no other write, e.g. a failed login).
    pub async fn audit(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        case_id: Option<&str>,
        details: serde_json::Value,
    ) -> Result<AuditEntry> {
        let mut tx = self.pool.begin().await?;
        let e = append(&mut tx, actor, action, target, case_id, details).await?;
        tx.commit().await?;
        Ok(e)
    }

    /// Entries from `after_seq` (exclusive), oldest first, at most `limit`; optionally one case's.
    pub async fn audit_entries(
        &self,
        after_seq: i64,
        limit: i64,
        case_id: Option<&str>,
    ) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM audit_log WHERE seq > $1 AND ($2 IS NULL OR case_id = $2) ORDER BY seq LIMIT $3"
        ))
        .bind(after_seq)
        .bind(case_id.map(str::to_owned))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(entry).collect()
    }

    /// Reads the whole chain and the head and verifies them with `linesight_ops::audit`.
    pub async fn verify_audit(&self) -> Result<AuditCheck> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq"))
            .fetch_all(&self.pool)
            .await?;
        let entries = rows.iter().map(entry).collect::<Result<Vec<_>>>()?;
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        let head: (i64, String) = (head.try_get("seq")?, head.try_get("hash")?);
        let broken = audit::verify_with_head(&entries, Some((head.0, &head.1))).err();
        Ok(AuditCheck {
            entries: entries.len(),
            head,
            broken,
        })
    }
}
