//! Two users edit the same plan at once: one wins, the other gets a conflict that names the
//! winner, and after reloading both edits are kept. On SQLite and PostgreSQL.

use linesight_db::{Actor, DbError};
use linesight_ops::Role;
use linesight_ops::case::NewCase;
use linesight_ops::plan::{CustodySuite, Plan, SearchTeam};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_simultaneous_plan_edits_one_conflicts_nothing_is_lost() {
    for t in crate::backends().await {
        let db = &t.db;
        let admin = Actor::new("cli:test");
        for (u, r) in [
            ("lead.a", Role::OperationLead),
            ("lead.b", Role::OperationLead),
        ] {
            db.add_user(&admin, u, r, "a long enough password")
                .await
                .unwrap();
        }
        let case = db
            .create_case(
                &admin,
                &NewCase {
                    name: "Op Heron".into(),
                    owning_force: "Essex".into(),
                    partner_forces: vec!["Met".into()],
                    case_store: None,
                },
                Some(("lead.a", Role::OperationLead)),
            )
            .await
            .unwrap();
        db.add_member(&admin, &case.id, "lead.b", Role::OperationLead)
            .await
            .unwrap();
        let start = db.plan(&case.id).await.unwrap();

        let mut plan_a = start.plan.clone();
        plan_a.teams.push(SearchTeam {
            id: "T1".into(),
            force: "Essex".into(),
            lead: "PS Ames".into(),
            size: 8,
        });
        let mut plan_b = start.plan.clone();
        plan_b.custody_suites.push(CustodySuite {
            id: "C1".into(),
            name: "Chelmsford".into(),
            capacity: 12,
            arrests_allocated: 6,
        });

        let (a, b) = (Actor::new("lead.a"), Actor::new("lead.b"));
        let (ra, rb) = tokio::join!(
            db.save_plan(&a, &case.id, start.version, &plan_a),
            db.save_plan(&b, &case.id, start.version, &plan_b),
        );
        let (winner, loser_err, loser_plan, loser) = match (ra, rb) {
            (Ok(w), Err(e)) => (w, e, plan_b, b),
            (Err(e), Ok(w)) => (w, e, plan_a, a),
            (ra, rb) => panic!(
                "{}: expected exactly one success, got {ra:?} and {rb:?}",
                t.name
            ),
        };
        let DbError::Conflict {
            current_version,
            your_version,
            changed_by,
            ..
        } = &loser_err
        else {
            panic!("{}: expected a conflict, got {loser_err}", t.name);
        };
        assert_eq!(
            (*current_version, *your_version),
            (start.version + 1, start.version)
        );
        assert_eq!(changed_by, &winner.updated_by);
        let msg = loser_err.to_string();
        assert!(
            msg.contains(&format!("changed by {changed_by}")) && msg.contains("reload the plan"),
            "{msg}"
        );

        // The loser reloads, reapplies their change on top, and saves: both edits survive.
        let mut reloaded = db.plan(&case.id).await.unwrap();
        assert_eq!(reloaded.plan, winner.plan);
        let missing: Vec<_> = loser_plan
            .teams
            .iter()
            .filter(|t| !reloaded.plan.teams.contains(t))
            .cloned()
            .collect();
        reloaded.plan.teams.extend(missing);
        reloaded
            .plan
            .custody_suites
            .extend(loser_plan.custody_suites);
        let saved = db
            .save_plan(&loser, &case.id, reloaded.version, &reloaded.plan)
            .await
            .unwrap();
        let fin: Plan = db.plan(&case.id).await.unwrap().plan;
        assert_eq!(saved.version, start.version + 2);
        assert_eq!(
            (fin.teams.len(), fin.custody_suites.len()),
            (1, 1),
            "{}",
            t.name
        );
        // Both saves are in the audit log and the chain is intact.
        let writes = db
            .audit_entries(0, 1000, Some(&case.id))
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.event.action == "plan.write")
            .count();
        assert_eq!(writes, 2);
        assert_eq!(db.verify_audit().await.unwrap().broken, None);
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_writers_keep_one_unbroken_chain() {
    for t in crate::backends().await {
        let db = t.db.clone();
        let admin = Actor::new("cli:test");
        let case = db
            .create_case(
                &admin,
                &NewCase {
                    name: "Op Wren".into(),
                    owning_force: "Kent".into(),
                    partner_forces: vec![],
                    case_store: None,
                },
                None,
            )
            .await
            .unwrap();
        let mut tasks = Vec::new();
        for i in 0..16 {
            let (db, id) = (db.clone(), case.id.clone());
            tasks.push(tokio::spawn(async move {
                let a = linesight_ops::outcome::Search {
                    address_target_id: format!("a{i}"),
                    team_id: None,
                    entered_at: chrono::Utc::now(),
                    result: String::new(),
                };
                db.add_record(
                    &Actor::new(format!("pc.{i}")),
                    &id,
                    linesight_db::Kind::Search,
                    None,
                    None,
                    &a,
                )
                .await
            }));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let check = db.verify_audit().await.unwrap();
        assert_eq!((check.entries, check.broken), (17, None), "{}", t.name);
        assert_eq!(
            db.dashboard(&case.id).await.unwrap().properties_searched,
            16
        );
        t.finish().await;
    }
}
