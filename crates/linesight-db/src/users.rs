//! Users (argon2id password hashes) and sessions (random tokens stored hashed, revocable,
//! expiring).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use linesight_ops::Role;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::append;
use crate::{Actor, Db, DbError, Result, now_text, parse_time, random_hex, time_text, unique};

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Login name.
    pub name: String,
    /// Account role (for global actions; each case membership has its own role).
    pub role: Role,
    /// Disabled accounts cannot log in and their sessions are revoked.
    pub disabled: bool,
}

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Whose.
    pub user: User,
    /// The CSRF token paired with it (double-submit cookie).
    pub csrf: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| DbError::Password(e.to_string()))
}

fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash of nothing anyone knows, checked for unknown users so that a wrong user name
/// takes as long as a wrong password.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$zCPHJiymhaMBRAOwNpcbvIkz5PoKmLkLwDgXqqO6xsY";

fn user_from(row: &sqlx::any::AnyRow) -> Result<User> {
    let role: String = row.try_get("role")?;
    Ok(User {
        name: row.try_get("name")?,
        role: role
            .parse()
            .map_err(|e: linesight_ops::access::UnknownRole| DbError::Corrupt(e.to_string()))?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
    })
}

impl Db {
    /// Creates a user with an argon2id hash of `password`; an audited change.
    pub async fn add_user(
        &self,
        actor: &Actor,
        name: &str,
        role: Role,
        password: &str,
    ) -> Result<User> {
        linesight_ops::case::non_empty("name", name)?;
        if password.chars().count() < 12 {
            return Err(DbError::State(
                "the password is too short: use at least 12 characters".into(),
            ));
        }
        let password = password.to_owned();
        // Hashing is deliberately slow: keep it off the async workers.
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| DbError::Password(e.to_string()))??;
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO users (name, role, password_hash, disabled, created_at) VALUES ($1, $2, $3, 0, $4)")
            .bind(name)
            .bind(role.as_str())
            .bind(&hash)
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .map_err(unique(format!("user `{name}`")))?;
        append(
            &mut tx,
            actor,
            "user.add",
            &format!("user/{name}"),
            None,
            json!({ "role": role }),
        )
        .await?;
        tx.commit().await?;
        Ok(User {
            name: name.to_owned(),
            role,
            disabled: false,
        })
    }

    /// Disables a user and revokes their sessions; an audited change.
    pub async fn disable_user(&self, actor: &Actor, name: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query("UPDATE users SET disabled = 1 WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(DbError::NotFound(format!("user `{name}`")));
        }
        sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE user_name = $2 AND revoked_at IS NULL",
        )
        .bind(now_text())
        .bind(name)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            actor,
            "user.disable",
            &format!("user/{name}"),
            None,
            json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One user.
    pub async fn user(&self, name: &str) -> Result<Option<User>> {
        let row = sqlx::query("SELECT name, role, disabled FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from).transpose()
    }

    /// All users, by name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query("SELECT name, role, disabled FROM users ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from).collect()
    }

    /// Checks a password; `None` for an unknown or disabled user or a wrong password (the
    /// caller must not say which).
    pub async fn check_password(&self, name: &str, password: &str) -> Result<Option<User>> {
        let row =
            sqlx::query("SELECT name, role, disabled, password_hash FROM users WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        let (user, hash) = match &row {
            Some(r) => (
                Some(user_from(r)?),
                r.try_get::<String, _>("password_hash")?,
            ),
            None => (None, DUMMY_HASH.to_owned()),
        };
        let password = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || password_matches(&password, &hash))
            .await
            .map_err(|e| DbError::Password(e.to_string()))?;
        Ok(user.filter(|u| ok && !u.disabled))
    }

    /// Starts a session for `user`, lasting `ttl`; returns the token (give it to the client,
    /// it is stored only hashed) and the session. Audited as `session.start`.
    pub async fn start_session(&self, user: &User, ttl: Duration) -> Result<(String, Session)> {
        let token = random_hex(32);
        let csrf = random_hex(32);
        let expires_at = Utc::now() + ttl;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_name, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash(&token))
        .bind(&user.name)
        .bind(&csrf)
        .bind(now_text())
        .bind(time_text(expires_at))
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            &Actor::new(&user.name),
            "session.start",
            &format!("user/{}", user.name),
            None,
            json!({ "expires_at": time_text(expires_at) }),
        )
        .await?;
        tx.commit().await?;
        Ok((
            token,
            Session {
                user: user.clone(),
                csrf,
                expires_at,
            },
        ))
    }

    /// The live session for a token: not revoked, not expired, user not disabled.
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        let row = sqlx::query(
            "SELECT u.name, u.role, u.disabled, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.name = s.user_name \
             WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.disabled = 0",
        )
        .bind(token_hash(token))
        .bind(now_text())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Session {
            user: user_from(&row)?,
            csrf: row.try_get("csrf")?,
            expires_at: parse_time(&row.try_get::<String, _>("expires_at")?)?,
        }))
    }

    /// Revokes a session (logout); audited as `session.end`.
    pub async fn revoke_session(&self, token: &str, actor: &Actor) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
        )
        .bind(now_text())
        .bind(token_hash(token))
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            actor,
            "session.end",
            &format!("user/{}", actor.name),
            None,
            json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip_and_dummy_hash_parses() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(password_matches("correct horse battery", &h));
        assert!(!password_matches("wrong", &h));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!password_matches("", DUMMY_HASH));
    }
}
