//! Cases end to end in the database: members, records, compartments of ids, reads audited,
//! plan checks, the dashboard, closing and purging.

use chrono::{Duration, TimeZone, Utc};
use linesight_db::{Actor, DbError, Kind};
use linesight_ops::Role;
use linesight_ops::case::{
    NewCase, RiskMarkers, Stored, Target, TargetKind, Warrant, WarrantStatus,
};
use linesight_ops::outcome::{Arrest, CustodyMovement, Exhibit, Seized};
use linesight_ops::plan::{Assignment, CheckCode, SearchTeam, SpecialistNeeds};

fn spec(name: &str) -> NewCase {
    NewCase {
        name: name.into(),
        owning_force: "Norfolk".into(),
        partner_forces: vec!["Met".into()],
        case_store: Some(format!("/cases/{name}")),
    }
}

#[tokio::test]
async fn case_life_from_targets_to_purge() {
    for t in crate::backends().await {
        let db = &t.db;
        let admin = Actor::new("cli:test");
        db.add_user(
            &admin,
            "lead",
            Role::OperationLead,
            "a long enough password",
        )
        .await
        .unwrap();
        let case = db
            .create_case(
                &admin,
                &spec("kestrel"),
                Some(("lead", Role::OperationLead)),
            )
            .await
            .unwrap();
        let other = db.create_case(&admin, &spec("heron"), None).await.unwrap();
        assert_eq!(
            db.member_role(&case.id, "lead").await.unwrap(),
            Some(Role::OperationLead)
        );
        assert_eq!(db.member_role(&other.id, "lead").await.unwrap(), None);
        assert_eq!(db.cases_of("lead").await.unwrap().len(), 1);
        assert_eq!(
            db.case_by_store("/cases/kestrel")
                .await
                .unwrap()
                .unwrap()
                .id,
            case.id
        );
        let lead = Actor::new("lead").because("planning the day of action");

        let addr = Target {
            kind: TargetKind::Address,
            label: "12 Quay Rd, Great Yarmouth".into(),
            notes: String::new(),
            risks: RiskMarkers {
                children_present: true,
                ..RiskMarkers::default()
            },
            findings: vec![],
        };
        let addr = db
            .add_record(&lead, &case.id, Kind::Target, None, None, &addr)
            .await
            .unwrap();
        let strike = Utc.with_ymd_and_hms(2026, 12, 2, 5, 0, 0).unwrap();
        let w = Warrant {
            address_target_id: addr.id.clone(),
            legal_basis: "s.23 Misuse of Drugs Act 1971".into(),
            issuing_court: "Norwich Magistrates' Court".into(),
            valid_from: strike - Duration::days(3),
            valid_to: strike - Duration::hours(1),
            status: WarrantStatus::Issued,
        };
        db.add_record(&lead, &case.id, Kind::Warrant, None, None, &w)
            .await
            .unwrap();
        let mut doc = db.plan(&case.id).await.unwrap();
        doc.plan.teams.push(SearchTeam {
            id: "T1".into(),
            force: "Met".into(),
            lead: "PS Ames".into(),
            size: 6,
        });
        doc.plan.assignments.push(Assignment {
            address_target_id: addr.id.clone(),
            team_id: Some("T1".into()),
            strike_time: Some(strike),
            needs: SpecialistNeeds::default(),
        });
        db.save_plan(&lead, &case.id, doc.version, &doc.plan)
            .await
            .unwrap();
        let (_, findings) = db.check_plan(&lead, &case.id).await.unwrap();
        let codes: Vec<CheckCode> = findings.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            [
                CheckCode::WarrantExpiresBeforeStrike,
                CheckCode::ChildrenWithoutSafeguarding
            ],
            "{}",
            t.name
        );

        // Exhibits and their chain of custody; a movement cannot hang off another case's exhibit.
        let ex = Exhibit {
            reference: "JA/1".into(),
            seized: Seized::Cash { pence: 250_000 },
            address_target_id: Some(addr.id.clone()),
            seized_by: "PC Jay".into(),
            seized_at: strike,
        };
        let ex = db
            .add_record(&lead, &case.id, Kind::Exhibit, None, Some("JA/1"), &ex)
            .await
            .unwrap();
        assert!(matches!(
            db.add_record(
                &lead,
                &case.id,
                Kind::Exhibit,
                None,
                Some("JA/1"),
                &ex.value
            )
            .await,
            Err(DbError::Exists(_))
        ));
        let mv = CustodyMovement {
            holder: "PC Jay".into(),
            at: strike,
            location: "Wymondham property store".into(),
            purpose: "booked in".into(),
        };
        db.add_record(
            &lead,
            &case.id,
            Kind::CustodyMovement,
            Some(&ex.id),
            None,
            &mv,
        )
        .await
        .unwrap();
        assert!(matches!(
            db.add_record(
                &lead,
                &other.id,
                Kind::CustodyMovement,
                Some(&ex.id),
                None,
                &mv
            )
            .await,
            Err(DbError::NotFound(_))
        ));
        assert!(
            db.record::<Exhibit>(&lead, &other.id, Kind::Exhibit, &ex.id)
                .await
                .unwrap()
                .is_none()
        );
        let arrest = Arrest {
            person: "Jay Doe".into(),
            target_id: None,
            offence: "s.4(3) MDA 1971".into(),
            custody_suite: "Wymondham".into(),
            arrested_at: strike,
        };
        db.add_record(&lead, &case.id, Kind::Arrest, None, None, &arrest)
            .await
            .unwrap();

        // A read of personal data is audited with the reason.
        let read: Vec<Stored<Target>> = db
            .records(&lead, &case.id, Kind::Target, None, true)
            .await
            .unwrap();
        assert_eq!(read.len(), 1);
        let last = db
            .audit_entries(0, 1000, Some(&case.id))
            .await
            .unwrap()
            .pop()
            .unwrap();
        assert_eq!(
            (last.event.action.as_str(), last.event.reason.as_deref()),
            ("targets.read", Some("planning the day of action"))
        );

        let d = db.dashboard(&case.id).await.unwrap();
        assert_eq!(
            (d.arrests, d.cash_pence, d.seizures_by_type["cash"]),
            (1, 250_000, 1)
        );

        // Close: read-only; purge: refused before the date, then removes records and keeps figures.
        db.close_case(&admin, &case.id, 30).await.unwrap();
        assert!(matches!(
            db.add_record(&lead, &case.id, Kind::Arrest, None, None, &arrest)
                .await,
            Err(DbError::State(_))
        ));
        let err = db
            .purge_case(&admin, &case.id, Utc::now())
            .await
            .unwrap_err();
        assert!(err.to_string().contains("may be purged from"), "{err}");
        assert!(
            db.purge_case(&admin, &other.id, Utc::now())
                .await
                .unwrap_err()
                .to_string()
                .contains("close it first")
        );
        let later = Utc::now() + Duration::days(31);
        assert_eq!(db.cases_due_for_purge(later).await.unwrap().len(), 1);
        db.purge_case(
            &admin.clone().because("retention period ended"),
            &case.id,
            later,
        )
        .await
        .unwrap();
        for kind in Kind::ALL {
            let n: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM {} WHERE case_id = $1",
                kind.table()
            ))
            .bind(&case.id)
            .fetch_one(db.pool())
            .await
            .unwrap();
            assert_eq!(n, 0, "{}: {} left after purge", t.name, kind.table());
        }
        assert_eq!(
            db.dashboard(&case.id).await.unwrap(),
            d,
            "figures kept after purge"
        );
        let purge = db
            .audit_entries(0, 1000, Some(&case.id))
            .await
            .unwrap()
            .pop()
            .unwrap();
        assert_eq!(purge.event.action, "case.purge");
        assert!(
            purge.event.details.contains("\"exhibits\":1"),
            "{}",
            purge.event.details
        );
        // The audit log outlives the purge, so it must hold no personal data of its own.
        for e in db.audit_entries(0, 1000, None).await.unwrap() {
            let text = format!(
                "{} {} {}",
                e.event.target,
                e.event.details,
                e.event.reason.unwrap_or_default()
            );
            assert!(
                !text.contains("Quay Rd") && !text.contains("Jay Doe"),
                "{}: audit entry {} keeps personal data: {text}",
                t.name,
                e.seq
            );
        }
        assert_eq!(db.verify_audit().await.unwrap().broken, None);
        t.finish().await;
    }
}

#[tokio::test]
async fn bad_urls_say_what_to_use() {
    let err = linesight_db::Db::connect("mysql://x").await.unwrap_err();
    assert!(
        err.to_string().contains("use sqlite://PATH or postgres://"),
        "{err}"
    );
}
