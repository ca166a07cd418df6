//! Cases, their members, and retention (close, then purge personal data when due).

use chrono::{DateTime, Utc};
use linesight_ops::case::{Case, CaseStatus, Member, NewCase, purge_after};
use linesight_ops::outcome::Dashboard;
use linesight_ops::{Role, plan::Plan};
use serde_json::json;
use sqlx::AnyConnection;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::append;
use crate::records::Kind;
use crate::{
    Actor, Db, DbError, Result, from_json, json, new_id, now_text, parse_time, time_text, unique,
};

const CASE_COLUMNS: &str = "id, name, owning_force, partner_forces, case_store, status, created_at, closed_at, purge_after";

fn case_from(row: &AnyRow) -> Result<Case> {
    let opt_time = |c: &str| -> Result<Option<DateTime<Utc>>> {
        row.try_get::<Option<String>, _>(c)?
            .map(|s| parse_time(&s))
            .transpose()
    };
    let status: String = row.try_get("status")?;
    Ok(Case {
        id: row.try_get("id")?,
        spec: NewCase {
            name: row.try_get("name")?,
            owning_force: row.try_get("owning_force")?,
            partner_forces: from_json(&row.try_get::<String, _>("partner_forces")?)?,
            case_store: row.try_get("case_store")?,
        },
        status: CaseStatus::parse(&status)
            .ok_or_else(|| DbError::Corrupt(format!("case status `{status}`")))?,
        created_at: parse_time(&row.try_get::<String, _>("created_at")?)?,
        closed_at: opt_time("closed_at")?,
        purge_after: opt_time("purge_after")?,
    })
}

/// Fails unless the case exists and is open (closed cases are read-only).
pub(crate) async fn require_open(conn: &mut AnyConnection, case_id: &str) -> Result<()> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_optional(&mut *conn)
        .await?;
    match status.as_deref() {
        None => Err(DbError::NotFound(format!("case {case_id}"))),
        Some("open") => Ok(()),
        Some(s) => Err(DbError::State(format!(
            "case {case_id} is {s}: closed cases are read-only"
        ))),
    }
}

impl Db {
    /// Opens a case, with an empty plan (version 1) and `lead` (if given) as a member;
    /// an audited change.
    pub async fn create_case(
        &self,
        actor: &Actor,
        spec: &NewCase,
        lead: Option<(&str, Role)>,
    ) -> Result<Case> {
        spec.validate()?;
        let id = new_id();
        let now = now_text();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO cases (id, name, owning_force, partner_forces, case_store, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'open', $6)",
        )
        .bind(&id)
        .bind(&spec.name)
        .bind(&spec.owning_force)
        .bind(json(&spec.partner_forces))
        .bind(spec.case_store.clone())
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO plans (case_id, version, body, updated_by, updated_at) VALUES ($1, 1, $2, $3, $4)")
            .bind(&id)
            .bind(json(&Plan::default()))
            .bind(&actor.name)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        if let Some((user, role)) = lead {
            insert_member(&mut tx, &id, user, role).await?;
        }
        append(
            &mut tx,
            actor,
            "case.create",
            &format!("case/{id}"),
            Some(&id),
            json!({ "case": spec, "lead": lead.map(|(u, r)| json!({ "user": u, "role": r })) }),
        )
        .await?;
        tx.commit().await?;
        self.case(&id)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("case {id}")))
    }

    /// One case.
    pub async fn case(&self, id: &str) -> Result<Option<Case>> {
        let row = sqlx::query(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(case_from).transpose()
    }

    /// Every case, newest first (for the CLI's administrator view).
    pub async fn cases(&self) -> Result<Vec<Case>> {
        let rows = sqlx::query(&format!(
            "SELECT {CASE_COLUMNS} FROM cases ORDER BY created_at DESC, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(case_from).collect()
    }

    /// The cases `user` is a member of, with their role in each.
    pub async fn cases_of(&self, user: &str) -> Result<Vec<(Case, Role)>> {
        let rows = sqlx::query(&format!(
            "SELECT {}, m.role AS member_role FROM cases c JOIN case_members m ON m.case_id = c.id \
             WHERE m.user_name = $1 ORDER BY c.created_at DESC, c.id",
            CASE_COLUMNS
                .split(", ")
                .map(|c| format!("c.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(user)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    case_from(r)?,
                    role_from(&r.try_get::<String, _>("member_role")?)?,
                ))
            })
            .collect()
    }

    /// The case whose linked case store is `path` (as stored), if any.
    pub async fn case_by_store(&self, path: &str) -> Result<Option<Case>> {
        let row = sqlx::query(&format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE case_store = $1"
        ))
        .bind(path)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(case_from).transpose()
    }

    /// `user`'s role in a case, or `None` if they are not a member.
    pub async fn member_role(&self, case_id: &str, user: &str) -> Result<Option<Role>> {
        let role: Option<String> = sqlx::query_scalar(
            "SELECT role FROM case_members WHERE case_id = $1 AND user_name = $2",
        )
        .bind(case_id)
        .bind(user)
        .fetch_optional(&self.pool)
        .await?;
        role.map(|r| role_from(&r)).transpose()
    }

    /// A case's members.
    pub async fn members(&self, case_id: &str) -> Result<Vec<Member>> {
        let rows = sqlx::query(
            "SELECT user_name, role FROM case_members WHERE case_id = $1 ORDER BY user_name",
        )
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Member {
                    user: r.try_get("user_name")?,
                    role: role_from(&r.try_get::<String, _>("role")?)?,
                })
            })
            .collect()
    }

    /// Adds a member (or changes their role); an audited change.
    pub async fn add_member(
        &self,
        actor: &Actor,
        case_id: &str,
        user: &str,
        role: Role,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        require_open(&mut tx, case_id).await?;
        let exists: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE name = $1")
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(DbError::NotFound(format!(
                "user `{user}` (create it with `linesight user add`)"
            )));
        }
        sqlx::query("DELETE FROM case_members WHERE case_id = $1 AND user_name = $2")
            .bind(case_id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        insert_member(&mut tx, case_id, user, role).await?;
        append(
            &mut tx,
            actor,
            "member.manage",
            &format!("case/{case_id}/member/{user}"),
            Some(case_id),
            json!({ "role": role }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes a case: it becomes read-only and its personal data may be purged after
    /// `retention_days`; an audited change.
    pub async fn close_case(
        &self,
        actor: &Actor,
        case_id: &str,
        retention_days: u32,
    ) -> Result<Case> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        require_open(&mut tx, case_id).await?;
        let after = purge_after(now, retention_days);
        sqlx::query(
            "UPDATE cases SET status = 'closed', closed_at = $1, purge_after = $2 WHERE id = $3",
        )
        .bind(time_text(now))
        .bind(time_text(after))
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            actor,
            "case.close",
            &format!("case/{case_id}"),
            Some(case_id),
            json!({ "retention_days": retention_days, "purge_after": time_text(after) }),
        )
        .await?;
        tx.commit().await?;
        self.case(case_id)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("case {case_id}")))
    }

    /// Closed cases whose purge date has passed at `now`.
    pub async fn cases_due_for_purge(&self, now: DateTime<Utc>) -> Result<Vec<Case>> {
        let rows = sqlx::query(&format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE status = 'closed' AND purge_after <= $1 ORDER BY purge_after"
        ))
        .bind(time_text(now))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(case_from).collect()
    }

    /// Purges a closed case's personal data once due at `now`: every record and the plan go;
    /// the outline, its members (officers, so they can still see the figures), the dashboard
    /// figures and the audit log stay. The purge is
    /// itself audited, with the counts removed.
    pub async fn purge_case(
        &self,
        actor: &Actor,
        case_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Dashboard> {
        let case = self
            .case(case_id)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("case {case_id}")))?;
        match (case.status, case.purge_after) {
            (linesight_ops::case::CaseStatus::Closed, Some(after)) if after <= now => {}
            (linesight_ops::case::CaseStatus::Closed, Some(after)) => {
                return Err(DbError::State(format!(
                    "case {case_id} may be purged from {} (its retention period); not before",
                    time_text(after)
                )));
            }
            (status, _) => {
                return Err(DbError::State(format!(
                    "case {case_id} is {}: close it first (`linesight case close`), then purge when its retention period ends",
                    status.as_str()
                )));
            }
        }
        let figures = self.dashboard(case_id).await?;
        let mut tx = self.pool.begin().await?;
        let mut removed = serde_json::Map::new();
        for kind in Kind::ALL {
            let n = sqlx::query(&format!("DELETE FROM {} WHERE case_id = $1", kind.table()))
                .bind(case_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            removed.insert(kind.table().to_owned(), json!(n));
        }
        sqlx::query("UPDATE plans SET body = $1, version = version + 1, updated_by = $2, updated_at = $3 WHERE case_id = $4")
            .bind(json(&Plan::default()))
            .bind(&actor.name)
            .bind(now_text())
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE cases SET status = 'purged', case_store = NULL, final_dashboard = $1 WHERE id = $2")
            .bind(json(&figures))
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            actor,
            "case.purge",
            &format!("case/{case_id}"),
            Some(case_id),
            json!({ "removed": removed }),
        )
        .await?;
        tx.commit().await?;
        Ok(figures)
    }

    /// The dashboard kept when the case was purged.
    pub(crate) async fn final_dashboard(&self, case_id: &str) -> Result<Option<Dashboard>> {
        let text: Option<Option<String>> =
            sqlx::query_scalar("SELECT final_dashboard FROM cases WHERE id = $1")
                .bind(case_id)
                .fetch_optional(&self.pool)
                .await?;
        text.flatten().map(|t| from_json(&t)).transpose()
    }
}

async fn insert_member(
    conn: &mut AnyConnection,
    case_id: &str,
    user: &str,
    role: Role,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_members (case_id, user_name, role, added_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(case_id)
    .bind(user)
    .bind(role.as_str())
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(unique(format!("member `{user}`")))?;
    Ok(())
}

fn role_from(s: &str) -> Result<Role> {
    s.parse()
        .map_err(|e: linesight_ops::access::UnknownRole| DbError::Corrupt(e.to_string()))
}
