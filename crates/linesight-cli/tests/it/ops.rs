//! `linesight user|case|audit`: accounts, cases and the audit chain through the real binary,
//! including a tampered database that `audit verify` must reject naming the entry.

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use crate::{linesight, ok};

fn db_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("ops.db").display())
}

fn add_user(url: &str, name: &str, role: &str) -> Output {
    let mut child = linesight()
        .args([
            "user",
            "add",
            "--db",
            url,
            "--name",
            name,
            "--role",
            role,
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run linesight");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long enough password\n")
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn users_cases_and_an_intact_then_tampered_audit_chain() {
    let dir = tempfile::tempdir().unwrap();
    let url = db_url(dir.path());
    let out = add_user(&url, "dc.ola", "investigator");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout(&out).trim(), "created user dc.ola (investigator)");
    assert!(add_user(&url, "lead", "operation_lead").status.success());
    let bad = add_user(&url, "x", "sergeant");
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("operation_lead"),
        "the error lists the roles"
    );

    let id = stdout(&ok(linesight().args([
        "case",
        "create",
        "--db",
        &url,
        "--name",
        "Op Kestrel",
        "--force",
        "Norfolk",
        "--partner",
        "Met",
        "--lead",
        "lead",
    ])));
    let id = id.trim();
    ok(linesight().args([
        "case",
        "add-member",
        "--db",
        &url,
        "--case",
        id,
        "--user",
        "dc.ola",
        "--role",
        "investigator",
    ]));
    let list = stdout(&ok(linesight().args(["case", "list", "--db", &url])));
    assert!(
        list.contains(id) && list.contains("open") && list.contains("Op Kestrel"),
        "{list}"
    );
    ok(linesight().args(["user", "disable", "--db", &url, "--name", "dc.ola"]));
    let users = stdout(&ok(linesight().args(["user", "list", "--db", &url])));
    assert!(
        users.contains("dc.ola") && users.contains("disabled"),
        "{users}"
    );
    ok(linesight().args([
        "case",
        "close",
        "--db",
        &url,
        "--case",
        id,
        "--retention-days",
        "30",
    ]));
    let purge = linesight()
        .args([
            "case", "purge", "--db", &url, "--case", id, "--reason", "test",
        ])
        .output()
        .unwrap();
    assert!(
        !purge.status.success()
            && String::from_utf8_lossy(&purge.stderr).contains("may be purged from")
    );
    assert!(
        stdout(&ok(linesight().args([
            "case",
            "purge",
            "--db",
            &url,
            "--due",
            "--reason",
            "retention"
        ])))
        .contains("no case is due")
    );

    // user.add x2, case.create, member.manage, user.disable, case.close.
    let verify = stdout(&ok(linesight().args(["audit", "verify", "--db", &url])));
    assert!(
        verify.starts_with("audit chain intact: 6 entries"),
        "{verify}"
    );

    tamper(&url, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 4");
    let broken = linesight()
        .args(["audit", "verify", "--db", &url])
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(2));
    let err = String::from_utf8_lossy(&broken.stderr);
    assert!(
        err.contains("audit chain broken at entry 4: hash does not match its contents (edited?)"),
        "{err}"
    );

    tamper(&url, "DELETE FROM audit_log WHERE seq = 2");
    let err = String::from_utf8_lossy(
        &linesight()
            .args(["audit", "verify", "--db", &url])
            .output()
            .unwrap()
            .stderr,
    )
    .into_owned();
    assert!(
        err.contains("audit chain broken at entry 2: entry is missing (deleted?)"),
        "{err}"
    );
}

fn tamper(url: &str, sql: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let db = linesight_db::Db::connect(url).await.unwrap();
        sqlx::query(sql).execute(db.pool()).await.unwrap();
        db.close().await;
    });
}

#[test]
fn the_default_database_lives_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = ok(linesight()
        .env("LINESIGHT_DATA_DIR", &data)
        .args(["audit", "verify"]));
    assert!(stdout(&out).starts_with("audit chain intact: 0 entries"));
    assert!(data.join("linesight.db").is_file());
}

#[test]
fn passwords_only_from_stdin_and_help_teaches() {
    let dir = tempfile::tempdir().unwrap();
    let out = linesight()
        .args([
            "user",
            "add",
            "--db",
            &db_url(dir.path()),
            "--name",
            "a",
            "--role",
            "analyst",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--password-stdin"));
    let help = |args: &[&str]| stdout(&ok(linesight().args(args)));
    let user = help(&["user", "--help"]);
    for term in [
        "disclosure_officer",
        "argon2id",
        "safeguarding_lead",
        "audit log",
    ] {
        assert!(user.contains(term), "user --help lacks {term:?}");
    }
    assert!(help(&["case", "--help"]).contains("Compartments"));
    let audit = help(&["audit", "--help"]);
    assert!(
        audit.contains("SHA-256") && audit.contains("first broken link"),
        "{audit}"
    );
    assert!(help(&["user", "add", "--help"]).contains("--db"));
}
