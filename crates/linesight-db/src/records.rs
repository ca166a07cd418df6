//! Case records (targets, warrants, outcomes, referrals, closures), the plan with optimistic
//! concurrency, and the dashboard computed from the records.

use linesight_ops::case::{Stored, Target, TargetKind, Warrant};
use linesight_ops::outcome::{
    self, Arrest, CheckBack, Dashboard, Exhibit, LineClosure, Referral, Search,
};
use linesight_ops::plan::{self, CheckFinding, Plan};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use sqlx::Row;

use crate::audit::append;
use crate::cases::require_open;
use crate::{Actor, Db, DbError, Result, from_json, json, new_id, now_text, parse_time, unique};

/// The kinds of case record, each in its own table of the same shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// People, numbers, vehicles, addresses.
    Target,
    /// Search warrants.
    Warrant,
    /// Properties searched.
    Search,
    /// Arrests.
    Arrest,
    /// Exhibits (seizures).
    Exhibit,
    /// Chain-of-custody movements (parent: an exhibit).
    CustodyMovement,
    /// Safeguarding referrals.
    Referral,
    /// Line closures.
    Closure,
    /// Check-backs on closed lines (parent: a closure).
    CheckBack,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 9] = [
        Kind::Target,
        Kind::Warrant,
        Kind::Search,
        Kind::Arrest,
        Kind::Exhibit,
        Kind::CustodyMovement,
        Kind::Referral,
        Kind::Closure,
        Kind::CheckBack,
    ];

    /// Its table.
    pub fn table(self) -> &'static str {
        match self {
            Kind::Target => "targets",
            Kind::Warrant => "warrants",
            Kind::Search => "searches",
            Kind::Arrest => "arrests",
            Kind::Exhibit => "exhibits",
            Kind::CustodyMovement => "custody_movements",
            Kind::Referral => "referrals",
            Kind::Closure => "closures",
            Kind::CheckBack => "check_backs",
        }
    }

    /// The kind a record's parent must be, if it has one.
    pub fn parent(self) -> Option<Kind> {
        match self {
            Kind::CustodyMovement => Some(Kind::Exhibit),
            Kind::CheckBack => Some(Kind::Closure),
            _ => None,
        }
    }
}

/// The plan with its concurrency token and who last saved it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanDoc {
    /// The plan.
    pub plan: Plan,
    /// Send this back with an update; a stale one gets a conflict.
    pub version: i64,
    /// Who saved this version.
    pub updated_by: String,
    /// When.
    pub updated_at: String,
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

fn stored<T: DeserializeOwned>(row: &sqlx::any::AnyRow) -> Result<Stored<T>> {
    Ok(Stored {
        id: row.try_get("id")?,
        parent_id: row.try_get("parent_id")?,
        created_at: parse_time(&row.try_get::<String, _>("created_at")?)?,
        created_by: row.try_get("created_by")?,
        value: from_json(&row.try_get::<String, _>("body")?)?,
    })
}

impl Db {
    /// Stores a record in an open case (checking a movement's exhibit or a check-back's
    /// closure is in the same case); an audited change. `key` must be unique in the case.
    pub async fn add_record<T: Serialize + DeserializeOwned>(
        &self,
        actor: &Actor,
        case_id: &str,
        kind: Kind,
        parent_id: Option<&str>,
        key: Option<&str>,
        value: &T,
    ) -> Result<Stored<T>> {
        let id = new_id();
        let now = now_text();
        let mut tx = self.pool.begin().await?;
        require_open(&mut tx, case_id).await?;
        if let Some(parent) = kind.parent() {
            let pid = parent_id.unwrap_or_default();
            let found: Option<String> = sqlx::query_scalar(&format!(
                "SELECT id FROM {} WHERE id = $1 AND case_id = $2",
                parent.table()
            ))
            .bind(pid)
            .bind(case_id)
            .fetch_optional(&mut *tx)
            .await?;
            if found.is_none() {
                return Err(DbError::NotFound(format!(
                    "{} {pid} in case {case_id}",
                    parent.table().trim_end_matches('s')
                )));
            }
        }
        let body = json(value);
        sqlx::query(&format!(
            "INSERT INTO {} (id, case_id, parent_id, natural_key, created_at, created_by, body) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            kind.table()
        ))
        .bind(&id)
        .bind(case_id)
        .bind(parent_id.map(str::to_owned))
        .bind(key.map(str::to_owned))
        .bind(&now)
        .bind(&actor.name)
        .bind(&body)
        .execute(&mut *tx)
        .await
        .map_err(unique(format!("{} `{}`", kind.table().trim_end_matches('s'), key.unwrap_or_default())))?;
        let action = format!("{}.add", kind.table());
        // The entry proves what was written (its hash) without keeping the personal data
        // itself, which must go when the case is purged; the audit log never is.
        let details = json!({ "parent_id": parent_id, "body_sha256": sha256_hex(&body) });
        let target = format!("case/{case_id}/{}/{id}", kind.table());
        append(&mut tx, actor, &action, &target, Some(case_id), details).await?;
        tx.commit().await?;
        Ok(Stored {
            id,
            parent_id: parent_id.map(str::to_owned),
            created_at: parse_time(&now)?,
            created_by: actor.name.clone(),
            value: from_json(&body)?,
        })
    }

    /// Replaces a record's value (e.g. a warrant's status, a target's risk markers) in an open
    /// case; an audited change whose entry holds the hashes before and after.
    pub async fn update_record<T: Serialize + DeserializeOwned>(
        &self,
        actor: &Actor,
        case_id: &str,
        kind: Kind,
        id: &str,
        value: &T,
    ) -> Result<Stored<T>> {
        let mut tx = self.pool.begin().await?;
        require_open(&mut tx, case_id).await?;
        let table = kind.table();
        let before: Option<String> = sqlx::query_scalar(&format!(
            "SELECT body FROM {table} WHERE id = $1 AND case_id = $2"
        ))
        .bind(id)
        .bind(case_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(before) = before else {
            return Err(DbError::NotFound(format!(
                "{} {id} in case {case_id}",
                table.trim_end_matches('s')
            )));
        };
        let body = json(value);
        sqlx::query(&format!(
            "UPDATE {table} SET body = $1 WHERE id = $2 AND case_id = $3"
        ))
        .bind(&body)
        .bind(id)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        let details =
            json!({ "before_sha256": sha256_hex(&before), "body_sha256": sha256_hex(&body) });
        append(
            &mut tx,
            actor,
            &format!("{table}.update"),
            &format!("case/{case_id}/{table}/{id}"),
            Some(case_id),
            details,
        )
        .await?;
        let row = sqlx::query(&format!(
            "SELECT id, parent_id, created_at, created_by, body FROM {table} WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        stored(&row)
    }

    /// A case's records of one kind (optionally one parent's), oldest first. With `audit` set,
    /// the read is recorded in the audit log (who, what, when and the actor's reason): do so
    /// for every read of personal data that a person asked for.
    pub async fn records<T: DeserializeOwned>(
        &self,
        actor: &Actor,
        case_id: &str,
        kind: Kind,
        parent_id: Option<&str>,
        audit: bool,
    ) -> Result<Vec<Stored<T>>> {
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(&format!(
            "SELECT id, parent_id, created_at, created_by, body FROM {} WHERE case_id = $1 AND ($2 IS NULL OR parent_id = $2) ORDER BY created_at, id",
            kind.table()
        ))
        .bind(case_id)
        .bind(parent_id.map(str::to_owned))
        .fetch_all(&mut *tx)
        .await?;
        let out = rows.iter().map(stored).collect::<Result<Vec<_>>>()?;
        if audit {
            let action = format!("{}.read", kind.table());
            append(
                &mut tx,
                actor,
                &action,
                &format!("case/{case_id}/{}", kind.table()),
                Some(case_id),
                json!({ "count": out.len(), "parent_id": parent_id }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// One record of a case, or `None` (also when it exists in another case). Audited.
    pub async fn record<T: DeserializeOwned>(
        &self,
        actor: &Actor,
        case_id: &str,
        kind: Kind,
        id: &str,
    ) -> Result<Option<Stored<T>>> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(&format!(
            "SELECT id, parent_id, created_at, created_by, body FROM {} WHERE case_id = $1 AND id = $2",
            kind.table()
        ))
        .bind(case_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let out = row.as_ref().map(stored).transpose()?;
        if out.is_some() {
            let action = format!("{}.read", kind.table());
            append(
                &mut tx,
                actor,
                &action,
                &format!("case/{case_id}/{}/{id}", kind.table()),
                Some(case_id),
                json!({}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The kind of a target in a case, or `None` if the case has no such target. Not audited:
    /// it checks a reference, it reveals no personal data.
    pub async fn target_kind(&self, case_id: &str, id: &str) -> Result<Option<TargetKind>> {
        let body: Option<String> =
            sqlx::query_scalar("SELECT body FROM targets WHERE case_id = $1 AND id = $2")
                .bind(case_id)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        body.map(|b| from_json::<Target>(&b).map(|t| t.kind))
            .transpose()
    }

    /// The case's plan and its version.
    pub async fn plan(&self, case_id: &str) -> Result<PlanDoc> {
        let row = sqlx::query(
            "SELECT version, body, updated_by, updated_at FROM plans WHERE case_id = $1",
        )
        .bind(case_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| DbError::NotFound(format!("plan of case {case_id}")))?;
        Ok(PlanDoc {
            plan: from_json(&row.try_get::<String, _>("body")?)?,
            version: row.try_get("version")?,
            updated_by: row.try_get("updated_by")?,
            updated_at: row.try_get("updated_at")?,
        })
    }

    /// Saves the plan if it is still at `version` (optimistic concurrency); otherwise nothing
    /// is written and [`DbError::Conflict`] says who saved it since. An audited change.
    pub async fn save_plan(
        &self,
        actor: &Actor,
        case_id: &str,
        version: i64,
        plan: &Plan,
    ) -> Result<PlanDoc> {
        plan.validate()?;
        let now = now_text();
        let mut tx = self.pool.begin().await?;
        require_open(&mut tx, case_id).await?;
        let body = json(plan);
        let n = sqlx::query("UPDATE plans SET body = $1, version = version + 1, updated_by = $2, updated_at = $3 WHERE case_id = $4 AND version = $5")
            .bind(&body)
            .bind(&actor.name)
            .bind(&now)
            .bind(case_id)
            .bind(version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            let row =
                sqlx::query("SELECT version, updated_by, updated_at FROM plans WHERE case_id = $1")
                    .bind(case_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let conflict = DbError::Conflict {
                current_version: row.try_get("version")?,
                your_version: version,
                changed_by: row.try_get("updated_by")?,
                changed_at: row.try_get("updated_at")?,
            };
            tx.rollback().await?;
            return Err(conflict);
        }
        append(
            &mut tx,
            actor,
            "plan.write",
            &format!("case/{case_id}/plan"),
            Some(case_id),
            json!({ "version": version + 1, "body_sha256": sha256_hex(&body) }),
        )
        .await?;
        tx.commit().await?;
        Ok(PlanDoc {
            plan: plan.clone(),
            version: version + 1,
            updated_by: actor.name.clone(),
            updated_at: now,
        })
    }

    /// Runs the plan checks against the case's targets, warrants and forces.
    pub async fn check_plan(
        &self,
        actor: &Actor,
        case_id: &str,
    ) -> Result<(PlanDoc, Vec<CheckFinding>)> {
        let case = self
            .case(case_id)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("case {case_id}")))?;
        let doc = self.plan(case_id).await?;
        // The findings name addresses, so this is a read of targets: audited.
        let targets: Vec<Stored<Target>> = self
            .records(actor, case_id, Kind::Target, None, true)
            .await?;
        let warrants: Vec<Stored<Warrant>> = self
            .records(actor, case_id, Kind::Warrant, None, false)
            .await?;
        let forces: Vec<&str> = case.forces().collect();
        let findings = plan::check(&doc.plan, &targets, &warrants, &forces);
        Ok((doc, findings))
    }

    /// The results dashboard, computed from the records (or, once purged, the figures kept).
    pub async fn dashboard(&self, case_id: &str) -> Result<Dashboard> {
        if let Some(kept) = self.final_dashboard(case_id).await? {
            return Ok(kept);
        }
        // Counts only: no personal data leaves, so these reads are not audited one by one.
        let a = Actor::new("system:dashboard");
        let searches: Vec<Stored<Search>> =
            self.records(&a, case_id, Kind::Search, None, false).await?;
        let arrests: Vec<Stored<Arrest>> =
            self.records(&a, case_id, Kind::Arrest, None, false).await?;
        let exhibits: Vec<Stored<Exhibit>> = self
            .records(&a, case_id, Kind::Exhibit, None, false)
            .await?;
        let referrals: Vec<Stored<Referral>> = self
            .records(&a, case_id, Kind::Referral, None, false)
            .await?;
        let closures: Vec<Stored<LineClosure>> = self
            .records(&a, case_id, Kind::Closure, None, false)
            .await?;
        let backs: Vec<Stored<CheckBack>> = self
            .records(&a, case_id, Kind::CheckBack, None, false)
            .await?;
        Ok(outcome::dashboard(
            &searches, &arrests, &exhibits, &referrals, &closures, &backs,
        ))
    }
}
