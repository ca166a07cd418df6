//! Users and sessions: argon2id, revocation, expiry, disabling.

use chrono::Duration;
use linesight_db::{Actor, DbError};
use linesight_ops::Role;

#[tokio::test]
async fn passwords_sessions_and_disabling() {
    for t in crate::backends().await {
        let db = &t.db;
        let admin = Actor::new("cli:test");
        let u = db
            .add_user(
                &admin,
                "dc.ola",
                Role::Investigator,
                "correct horse battery",
            )
            .await
            .unwrap();
        assert!(matches!(
            db.add_user(&admin, "dc.ola", Role::Analyst, "correct horse battery")
                .await,
            Err(DbError::Exists(_))
        ));
        assert!(matches!(
            db.add_user(&admin, "short", Role::Analyst, "short").await,
            Err(DbError::State(_))
        ));
        assert_eq!(
            db.check_password("dc.ola", "correct horse battery")
                .await
                .unwrap(),
            Some(u.clone())
        );
        assert_eq!(
            db.check_password("dc.ola", "wrong password!!")
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            db.check_password("nobody", "correct horse battery")
                .await
                .unwrap(),
            None
        );

        let (token, s) = db.start_session(&u, Duration::hours(8)).await.unwrap();
        assert_eq!(db.session(&token).await.unwrap().unwrap().csrf, s.csrf);
        assert_eq!(db.session("not-a-token").await.unwrap(), None);
        // The token itself is never stored.
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE token_hash = $1")
            .bind(&token)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(stored, 0);
        db.revoke_session(&token, &Actor::new("dc.ola"))
            .await
            .unwrap();
        assert_eq!(
            db.session(&token).await.unwrap(),
            None,
            "{}: revoked",
            t.name
        );

        let (expired, _) = db.start_session(&u, Duration::seconds(-1)).await.unwrap();
        assert_eq!(
            db.session(&expired).await.unwrap(),
            None,
            "{}: expired",
            t.name
        );

        let (live, _) = db.start_session(&u, Duration::hours(8)).await.unwrap();
        db.disable_user(&admin, "dc.ola").await.unwrap();
        assert_eq!(
            db.session(&live).await.unwrap(),
            None,
            "{}: disabled user's session",
            t.name
        );
        assert_eq!(
            db.check_password("dc.ola", "correct horse battery")
                .await
                .unwrap(),
            None
        );
        let actions: Vec<String> = db
            .audit_entries(0, 100, None)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.event.action)
            .collect();
        assert_eq!(
            actions,
            [
                "user.add",
                "session.start",
                "session.end",
                "session.start",
                "session.start",
                "user.disable"
            ]
        );
        t.finish().await;
    }
}
