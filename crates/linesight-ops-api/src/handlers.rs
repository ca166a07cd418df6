//! Handlers: each checks role and compartment first (through `auth`), then asks the
//! database, which audits the change or the read.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use linesight_db::Kind;
use linesight_ops::case::{Invalid, NewCase, Stored, Target, TargetKind, Warrant};
use linesight_ops::outcome::{
    Arrest, CheckBack, CustodyMovement, Exhibit, LineClosure, Referral, Search, nrm_draft,
};
use linesight_ops::plan::Plan;
use linesight_ops::{Action, Role};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::Body;
use crate::auth::{OpsState, Principal, require_case, require_global};
use crate::error::ApiError;

type JsonResult = Result<Json<Value>, ApiError>;
type Created = Result<(StatusCode, Json<Value>), ApiError>;

/// An optional `reason` query parameter, recorded with reads of personal data.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Why {
    reason: Option<String>,
}

fn to_json<T: Serialize>(v: T) -> Json<Value> {
    Json(serde_json::to_value(v).unwrap_or(Value::Null))
}

pub(crate) async fn list_cases(State(state): State<OpsState>, p: Principal) -> JsonResult {
    let cases = state.db.cases_of(&p.user).await?;
    Ok(Json(
        json!({ "cases": cases.into_iter().map(|(c, r)| json!({ "case": c, "my_role": r })).collect::<Vec<_>>() }),
    ))
}

pub(crate) async fn create_case(
    State(state): State<OpsState>,
    p: Principal,
    Body(spec): Body<NewCase>,
) -> Created {
    require_global(&p, Action::CaseCreate)?;
    spec.validate()?;
    let case = state
        .db
        .create_case(&p.actor(None), &spec, Some((&p.user, p.role)))
        .await?;
    Ok((StatusCode::CREATED, to_json(case)))
}

pub(crate) async fn get_case(
    State(state): State<OpsState>,
    p: Principal,
    Path(id): Path<String>,
) -> JsonResult {
    let (case, role) = require_case(&state, &p, &id, Action::CaseRead).await?;
    Ok(Json(json!({ "case": case, "my_role": role })))
}

/// Close request: how long to keep personal data.
#[derive(Debug, Deserialize)]
pub(crate) struct Close {
    retention_days: u32,
}

pub(crate) async fn close_case(
    State(state): State<OpsState>,
    p: Principal,
    Path(id): Path<String>,
    Body(c): Body<Close>,
) -> JsonResult {
    require_case(&state, &p, &id, Action::CaseClose).await?;
    Ok(to_json(
        state
            .db
            .close_case(&p.actor(None), &id, c.retention_days)
            .await?,
    ))
}

/// Purge request: the reason recorded in the audit log.
#[derive(Debug, Deserialize)]
pub(crate) struct Purge {
    reason: String,
}

pub(crate) async fn purge_case(
    State(state): State<OpsState>,
    p: Principal,
    Path(id): Path<String>,
    Body(req): Body<Purge>,
) -> JsonResult {
    require_case(&state, &p, &id, Action::CasePurge).await?;
    linesight_ops::case::non_empty("reason", &req.reason)?;
    let figures = state
        .db
        .purge_case(&p.actor(Some(req.reason)), &id, chrono::Utc::now())
        .await?;
    Ok(Json(json!({ "purged": id, "dashboard": figures })))
}

pub(crate) async fn list_members(
    State(state): State<OpsState>,
    p: Principal,
    Path(id): Path<String>,
) -> JsonResult {
    require_case(&state, &p, &id, Action::MemberRead).await?;
    Ok(Json(json!({ "members": state.db.members(&id).await? })))
}

/// Add-member request.
#[derive(Debug, Deserialize)]
pub(crate) struct AddMember {
    user: String,
    role: Role,
}

pub(crate) async fn add_member(
    State(state): State<OpsState>,
    p: Principal,
    Path(id): Path<String>,
    Body(m): Body<AddMember>,
) -> Created {
    require_case(&state, &p, &id, Action::MemberManage).await?;
    state
        .db
        .add_member(&p.actor(None), &id, &m.user, m.role)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "user": m.user, "role": m.role })),
    ))
}

/// A case record type served by the generic list/create handlers.
pub(crate) trait Rec: Serialize + DeserializeOwned + Send + Sync + 'static {
    const KIND: Kind;
    const READ: Action;
    const WRITE: Action;
    fn check(&self) -> Result<(), Invalid>;
    /// A key unique in the case (an exhibit reference).
    fn key(&self) -> Option<String> {
        None
    }
    /// Target ids the record refers to, with the kind each must be; they must be in the case.
    fn refs(&self) -> Vec<(&str, Option<TargetKind>)> {
        Vec::new()
    }
}

macro_rules! rec {
    ($t:ty, $kind:ident, $read:ident, $write:ident, |$s:ident| refs: $refs:expr, key: $key:expr) => {
        impl Rec for $t {
            const KIND: Kind = Kind::$kind;
            const READ: Action = Action::$read;
            const WRITE: Action = Action::$write;
            fn check(&self) -> Result<(), Invalid> {
                self.validate()
            }
            fn key(&self) -> Option<String> {
                let $s = self;
                let _ = $s;
                $key
            }
            fn refs(&self) -> Vec<(&str, Option<TargetKind>)> {
                let $s = self;
                let _ = $s;
                $refs
            }
        }
    };
}

rec!(Target, Target, TargetRead, TargetWrite, |_s| refs: vec![], key: None);
rec!(Warrant, Warrant, WarrantRead, WarrantWrite, |s| refs: vec![(s.address_target_id.as_str(), Some(TargetKind::Address))], key: None);
rec!(Search, Search, OutcomeRead, OutcomeWrite, |s| refs: vec![(s.address_target_id.as_str(), Some(TargetKind::Address))], key: None);
rec!(Arrest, Arrest, OutcomeRead, OutcomeWrite, |s| refs: s.target_id.iter().map(|t| (t.as_str(), None)).collect(), key: None);
rec!(Exhibit, Exhibit, OutcomeRead, OutcomeWrite, |s| refs: s.address_target_id.iter().map(|t| (t.as_str(), Some(TargetKind::Address))).collect(), key: Some(s.reference.clone()));
rec!(CustodyMovement, CustodyMovement, OutcomeRead, OutcomeWrite, |_s| refs: vec![], key: None);
rec!(Referral, Referral, ReferralRead, ReferralWrite, |s| refs: s.address_target_id.iter().map(|t| (t.as_str(), Some(TargetKind::Address))).collect(), key: None);
rec!(LineClosure, Closure, ClosureRead, ClosureWrite, |_s| refs: vec![], key: None);
rec!(CheckBack, CheckBack, ClosureRead, ClosureWrite, |_s| refs: vec![], key: None);

/// Refuses references to targets outside the case (or of the wrong kind), so ids from one
/// case cannot be used to reach into another.
async fn check_refs<T: Rec>(state: &OpsState, case_id: &str, value: &T) -> Result<(), ApiError> {
    for (id, kind) in value.refs() {
        match (state.db.target_kind(case_id, id).await?, kind) {
            (None, _) => {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    format!("target {id} is not in this case"),
                ));
            }
            (Some(found), Some(k)) if found != k => {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    format!("target {id} is not an address"),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

async fn create<T: Rec>(
    state: &OpsState,
    p: &Principal,
    case_id: &str,
    parent: Option<&str>,
    value: T,
) -> Created {
    require_case(state, p, case_id, T::WRITE).await?;
    value.check()?;
    check_refs(state, case_id, &value).await?;
    let stored = state
        .db
        .add_record(
            &p.actor(None),
            case_id,
            T::KIND,
            parent,
            value.key().as_deref(),
            &value,
        )
        .await?;
    Ok((StatusCode::CREATED, to_json(stored)))
}

async fn list<T: Rec>(
    state: &OpsState,
    p: &Principal,
    case_id: &str,
    parent: Option<&str>,
    why: Why,
) -> JsonResult {
    require_case(state, p, case_id, T::READ).await?;
    let items: Vec<Stored<T>> = state
        .db
        .records(&p.actor(why.reason), case_id, T::KIND, parent, true)
        .await?;
    Ok(Json(json!({ "items": items })))
}

pub(crate) async fn list_top<T: Rec>(
    State(state): State<OpsState>,
    p: Principal,
    Path(case_id): Path<String>,
    Query(why): Query<Why>,
) -> JsonResult {
    list::<T>(&state, &p, &case_id, None, why).await
}

pub(crate) async fn create_top<T: Rec>(
    State(state): State<OpsState>,
    p: Principal,
    Path(case_id): Path<String>,
    Body(v): Body<T>,
) -> Created {
    create(&state, &p, &case_id, None, v).await
}

pub(crate) async fn update_top<T: Rec>(
    State(state): State<OpsState>,
    p: Principal,
    Path((case_id, id)): Path<(String, String)>,
    Body(v): Body<T>,
) -> JsonResult {
    require_case(&state, &p, &case_id, T::WRITE).await?;
    v.check()?;
    check_refs(&state, &case_id, &v).await?;
    Ok(to_json(
        state
            .db
            .update_record(&p.actor(None), &case_id, T::KIND, &id, &v)
            .await?,
    ))
}

pub(crate) async fn list_nested<T: Rec>(
    State(state): State<OpsState>,
    p: Principal,
    Path((case_id, parent)): Path<(String, String)>,
    Query(why): Query<Why>,
) -> JsonResult {
    list::<T>(&state, &p, &case_id, Some(&parent), why).await
}

pub(crate) async fn create_nested<T: Rec>(
    State(state): State<OpsState>,
    p: Principal,
    Path((case_id, parent)): Path<(String, String)>,
    Body(v): Body<T>,
) -> Created {
    create(&state, &p, &case_id, Some(&parent), v).await
}

pub(crate) async fn get_plan(
    State(state): State<OpsState>,
    p: Principal,
    Path(id): Path<String>,
) -> JsonResult {
    require_case(&state, &p, &id, Action::PlanRead).await?;
    Ok(to_json(state.db.plan(&id).await?))
}

/// Plan update: the version read, and the whole new plan.
#[derive(Debug, Deserialize)]
pub(crate) struct PlanUpdate {
    version: i64,
    plan: Plan,
}

pub(crate) async fn put_plan(
    State(state): State<OpsState>,
    p: Principal,
    Path(id): Path<String>,
    Body(u): Body<PlanUpdate>,
) -> JsonResult {
    require_case(&state, &p, &id, Action::PlanWrite).await?;
    Ok(to_json(
        state
            .db
            .save_plan(&p.actor(None), &id, u.version, &u.plan)
            .await?,
    ))
}

pub(crate) async fn plan_checks(
    State(state): State<OpsState>,
    p: Principal,
    Path(id): Path<String>,
) -> JsonResult {
    require_case(&state, &p, &id, Action::PlanRead).await?;
    let (doc, findings) = state.db.check_plan(&p.actor(None), &id).await?;
    Ok(Json(
        json!({ "version": doc.version, "ready": findings.is_empty(), "findings": findings }),
    ))
}

pub(crate) async fn nrm(
    State(state): State<OpsState>,
    p: Principal,
    Path((id, rid)): Path<(String, String)>,
) -> JsonResult {
    let (case, _) = require_case(&state, &p, &id, Action::ReferralRead).await?;
    let r: Stored<Referral> = state
        .db
        .record(
            &p.actor(Some("NRM draft".into())),
            &id,
            Kind::Referral,
            &rid,
        )
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("referral {rid} not found in this case"),
            )
        })?;
    Ok(Json(
        json!({ "referral_id": rid, "draft": nrm_draft(&r.value, &case.spec.name, &p.user) }),
    ))
}

pub(crate) async fn dashboard(
    State(state): State<OpsState>,
    p: Principal,
    Path(id): Path<String>,
) -> JsonResult {
    require_case(&state, &p, &id, Action::DashboardRead).await?;
    Ok(to_json(state.db.dashboard(&id).await?))
}

/// Audit page request.
#[derive(Debug, Deserialize)]
pub(crate) struct AuditPage {
    #[serde(default)]
    after: i64,
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    case: Option<String>,
}

pub(crate) async fn audit(
    State(state): State<OpsState>,
    p: Principal,
    Query(q): Query<AuditPage>,
) -> JsonResult {
    require_global(&p, Action::AuditRead)?;
    let limit = q.limit.unwrap_or(200).clamp(1, 1000);
    let entries = state
        .db
        .audit_entries(q.after, limit, q.case.as_deref())
        .await?;
    Ok(Json(json!({ "entries": entries })))
}

pub(crate) async fn audit_verify(State(state): State<OpsState>, p: Principal) -> JsonResult {
    require_global(&p, Action::AuditRead)?;
    let c = state.db.verify_audit().await?;
    Ok(Json(json!({
        "intact": c.broken.is_none(),
        "entries": c.entries,
        "head": { "seq": c.head.0, "hash": c.head.1 },
        "broken": c.broken.as_ref().map(|b| json!({ "seq": b.seq, "what": b.what, "message": b.to_string() })),
    })))
}
