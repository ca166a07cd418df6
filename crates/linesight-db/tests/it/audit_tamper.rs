//! Tampering with the audit log directly in SQL is caught by `verify_audit`, which names the
//! first broken entry.

use linesight_db::{Actor, Db, Kind};
use linesight_ops::Role;
use linesight_ops::audit::{Break, BreakKind};
use linesight_ops::case::{NewCase, RiskMarkers, Target, TargetKind};

/// Makes some audited history: a user, a case, three targets (6 entries at least).
async fn history(db: &Db) -> i64 {
    let admin = Actor::new("cli:test");
    db.add_user(
        &admin,
        "dc.ola",
        Role::Investigator,
        "a long enough password",
    )
    .await
    .unwrap();
    let case = db
        .create_case(
            &admin,
            &NewCase {
                name: "Op Kestrel".into(),
                owning_force: "Norfolk".into(),
                partner_forces: vec![],
                case_store: None,
            },
            Some(("dc.ola", Role::OperationLead)),
        )
        .await
        .unwrap();
    for i in 0..3 {
        let t = Target {
            kind: TargetKind::Nominal,
            label: format!("Nominal {i}"),
            notes: String::new(),
            risks: RiskMarkers::default(),
            findings: vec![],
        };
        db.add_record(
            &Actor::new("dc.ola"),
            &case.id,
            Kind::Target,
            None,
            None,
            &t,
        )
        .await
        .unwrap();
    }
    let check = db.verify_audit().await.unwrap();
    assert_eq!(check.broken, None);
    check.entries as i64
}

async fn exec(db: &Db, sql: &str) {
    sqlx::query(sql)
        .execute(db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[tokio::test]
async fn an_untouched_log_verifies() {
    for t in crate::backends().await {
        let n = history(&t.db).await;
        assert_eq!(n, 5, "{}: user.add, case.create, 3 x targets.add", t.name);
        let check = t.db.verify_audit().await.unwrap();
        assert_eq!(check.head.0, n);
        t.finish().await;
    }
}

#[tokio::test]
async fn an_edited_row_is_named() {
    for t in crate::backends().await {
        history(&t.db).await;
        exec(
            &t.db,
            "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3",
        )
        .await;
        let b =
            t.db.verify_audit()
                .await
                .unwrap()
                .broken
                .expect("edit detected");
        assert_eq!(
            b,
            Break {
                seq: 3,
                what: BreakKind::Edited
            },
            "{}",
            t.name
        );
        assert_eq!(
            b.to_string(),
            "audit chain broken at entry 3: hash does not match its contents (edited?)"
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn a_deleted_row_is_named() {
    for t in crate::backends().await {
        history(&t.db).await;
        exec(&t.db, "DELETE FROM audit_log WHERE seq = 2").await;
        assert_eq!(
            t.db.verify_audit().await.unwrap().broken,
            Some(Break {
                seq: 2,
                what: BreakKind::Missing
            }),
            "{}",
            t.name
        );
        t.finish().await;
    }
    for t in crate::backends().await {
        // Cutting the last entry leaves a chain that is whole, but shorter than the head.
        let n = history(&t.db).await;
        exec(&t.db, &format!("DELETE FROM audit_log WHERE seq = {n}")).await;
        assert_eq!(
            t.db.verify_audit().await.unwrap().broken,
            Some(Break {
                seq: n,
                what: BreakKind::Truncated
            }),
            "{}",
            t.name
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn a_reordered_pair_is_named() {
    for t in crate::backends().await {
        history(&t.db).await;
        exec(&t.db, "UPDATE audit_log SET seq = -1 WHERE seq = 2").await;
        exec(&t.db, "UPDATE audit_log SET seq = 2 WHERE seq = 4").await;
        exec(&t.db, "UPDATE audit_log SET seq = 4 WHERE seq = -1").await;
        assert_eq!(
            t.db.verify_audit().await.unwrap().broken,
            Some(Break {
                seq: 2,
                what: BreakKind::Edited
            }),
            "{}",
            t.name
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn a_forged_rehash_breaks_the_next_link() {
    for t in crate::backends().await {
        history(&t.db).await;
        // Recomputing the edited entry's own hash is not enough: the next entry points at the old one.
        let entries = t.db.audit_entries(0, 100, None).await.unwrap();
        let mut e = entries[1].clone();
        e.event.details = "{\"forged\":true}".into();
        let h = linesight_ops::audit::hash(e.seq, &e.at, &e.event, &e.prev_hash);
        sqlx::query("UPDATE audit_log SET details = $1, hash = $2 WHERE seq = 2")
            .bind(&e.event.details)
            .bind(&h)
            .execute(t.db.pool())
            .await
            .unwrap();
        assert_eq!(
            t.db.verify_audit().await.unwrap().broken,
            Some(Break {
                seq: 3,
                what: BreakKind::Unlinked
            }),
            "{}",
            t.name
        );
        t.finish().await;
    }
}
