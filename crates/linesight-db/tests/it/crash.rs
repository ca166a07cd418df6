//! A writer killed (SIGKILL) in the middle of a batch of outcome writes: after reopening, every
//! acknowledged record is there, each record has its audit entry and each entry its record
//! (no half-written change), and the audit chain is intact. On SQLite and PostgreSQL.
//!
//! The writer is this test binary itself, re-run on `writer_child` with the database URL in
//! `LINESIGHT_CRASH_CHILD_DB`; without that variable `writer_child` does nothing.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use linesight_db::{Actor, Db, Kind};
use linesight_ops::outcome::Arrest;

const CHILD_ENV: &str = "LINESIGHT_CRASH_CHILD_DB";

#[tokio::test]
async fn writer_child() {
    let (Ok(url), Ok(case)) = (
        std::env::var(CHILD_ENV),
        std::env::var("LINESIGHT_CRASH_CHILD_CASE"),
    ) else {
        return;
    };
    let db = Db::connect(&url).await.unwrap();
    let mut out = std::io::stdout().lock();
    for i in 0..100_000 {
        let a = Arrest {
            person: format!("Person {i}"),
            target_id: None,
            offence: "s.4(3) MDA 1971".into(),
            custody_suite: "Wymondham".into(),
            arrested_at: chrono::Utc::now(),
        };
        let stored = db
            .add_record(&Actor::new("pc.crash"), &case, Kind::Arrest, None, None, &a)
            .await
            .unwrap();
        // Acknowledged only after the commit returned.
        writeln!(out, "ack {}", stored.id).unwrap();
        out.flush().unwrap();
    }
}

#[tokio::test]
async fn a_killed_writer_loses_nothing_acknowledged_and_leaves_nothing_partial() {
    for t in crate::backends().await {
        let case =
            t.db.create_case(
                &Actor::new("cli:test"),
                &linesight_ops::case::NewCase {
                    name: "Op Crash".into(),
                    owning_force: "Norfolk".into(),
                    partner_forces: vec![],
                    case_store: None,
                },
                None,
            )
            .await
            .unwrap();
        // Let go of SQLite's only connection so the child can write.
        t.db.close().await;
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash::writer_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &t.url)
            .env("LINESIGHT_CRASH_CHILD_CASE", &case.id)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut acked = BTreeSet::new();
        while acked.len() < 40 {
            let line = lines.next().expect("the writer stopped early").unwrap();
            if let Some(id) = line.strip_prefix("ack ") {
                acked.insert(id.to_owned());
            }
        }
        child.kill().unwrap(); // SIGKILL on Unix: no chance to finish the write in flight.
        child.wait().unwrap();
        for line in lines.map_while(Result::ok) {
            if let Some(id) = line.strip_prefix("ack ") {
                acked.insert(id.to_owned());
            }
        }

        let db = Db::connect(&t.url).await.unwrap();
        let rows: Vec<linesight_ops::Stored<Arrest>> = db
            .records(&Actor::new("t"), &case.id, Kind::Arrest, None, false)
            .await
            .unwrap();
        let stored: BTreeSet<String> = rows.iter().map(|r| r.id.clone()).collect();
        let missing: Vec<_> = acked.difference(&stored).collect();
        assert!(
            missing.is_empty(),
            "{}: acknowledged but lost: {missing:?}",
            t.name
        );
        assert!(
            stored.len() >= acked.len() && stored.len() <= acked.len() + 1,
            "{}: {} stored, {} acked",
            t.name,
            stored.len(),
            acked.len()
        );
        let audited: BTreeSet<String> = db
            .audit_entries(0, 1_000_000, Some(&case.id))
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.event.action == "arrests.add")
            .map(|e| e.event.target.rsplit('/').next().unwrap().to_owned())
            .collect();
        assert_eq!(
            audited, stored,
            "{}: every record has its audit entry and no entry lacks its record",
            t.name
        );
        assert_eq!(db.verify_audit().await.unwrap().broken, None, "{}", t.name);
        db.close().await;
        t.finish().await;
    }
}
