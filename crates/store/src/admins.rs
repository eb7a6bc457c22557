//! Admin accounts and their sign-in sessions.

use std::time::Duration;

use rusqlite::{OptionalExtension, params};

use crate::audit::append_audit;
use crate::{Store, StoreError, secret};

/// An admin account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    /// The account id.
    pub id: i64,
    /// The email address (unique, case-insensitive).
    pub email: String,
    /// The password hash string the caller gave (for example an Argon2id PHC string).
    pub password_hash: String,
    /// Whether the account owns every exercise, present and future (made with
    /// `prioritise admin add EMAIL`, or before roles existed); otherwise its roles are per
    /// exercise (see [`Store::role_in`]).
    pub all_exercises: bool,
}

/// The columns [`admin_row`] reads, in its order.
pub(crate) const ADMIN_COLUMNS: &str = "id, email, password_hash, all_exercises";

impl Store {
    /// Adds an admin account that owns every exercise, with the password hash string the caller
    /// made (for example an Argon2id PHC string); the store keeps exactly what it is given.
    /// Returns the account id. People with a role in one exercise are invited instead
    /// ([`Store::create_account_invite`]).
    ///
    /// # Errors
    /// [`StoreError::AdminExists`] (emails are unique, ignoring case), database errors.
    pub fn add_admin(&self, email: &str, password_hash: &str) -> Result<i64, StoreError> {
        let (email, password_hash) = (email.trim().to_string(), password_hash.to_string());
        self.write(move |connection| {
            let exists: Option<i64> = connection
                .query_row(
                    "SELECT id FROM admins WHERE email = ?1",
                    params![email],
                    |row| row.get(0),
                )
                .optional()?;
            if exists.is_some() {
                return Err(StoreError::AdminExists(email));
            }
            connection.execute(
                "INSERT INTO admins (email, password_hash, created_at, all_exercises) VALUES (?1, ?2, ?3, 1)",
                params![email, password_hash, secret::now_seconds()],
            )?;
            let id = connection.last_insert_rowid();
            append_audit(connection, "prioritise", "add admin", &email)?;
            Ok(id)
        })
    }

    /// The number of admin accounts.
    ///
    /// # Errors
    /// Database errors.
    pub fn admin_count(&self) -> Result<u64, StoreError> {
        self.read(|connection| {
            let count: i64 =
                connection.query_row("SELECT COUNT(*) FROM admins", [], |row| row.get(0))?;
            Ok(count as u64)
        })
    }

    /// The admin account with this email (ignoring case), to verify a password against.
    ///
    /// # Errors
    /// Database errors.
    pub fn admin_by_email(&self, email: &str) -> Result<Option<Admin>, StoreError> {
        self.read(|connection| {
            Ok(connection
                .query_row(
                    &format!("SELECT {ADMIN_COLUMNS} FROM admins WHERE email = ?1"),
                    params![email.trim()],
                    admin_row,
                )
                .optional()?)
        })
    }

    /// Starts a session for an admin that lasts `lifetime`; returns the session token (only
    /// its hash is kept).
    ///
    /// # Errors
    /// [`StoreError::UnknownAdmin`], database errors.
    pub fn create_session(&self, admin: i64, lifetime: Duration) -> Result<String, StoreError> {
        self.write(move |connection| {
            let token = secret::token();
            let expires = secret::now_seconds() + lifetime.as_secs() as i64;
            let inserted = connection.execute(
                "INSERT INTO admin_sessions (token_hash, admin_id, expires_at)
                 SELECT ?1, id, ?3 FROM admins WHERE id = ?2",
                params![secret::hash(&token), admin, expires],
            )?;
            if inserted == 0 {
                return Err(StoreError::UnknownAdmin(admin));
            }
            Ok(token)
        })
    }

    /// The admin a session token belongs to, if the session exists and has not expired.
    ///
    /// # Errors
    /// Database errors.
    pub fn session(&self, token: &str) -> Result<Option<Admin>, StoreError> {
        let hash = secret::hash(token);
        self.read(|connection| {
            Ok(connection
                .query_row(
                    "SELECT a.id, a.email, a.password_hash, a.all_exercises FROM admin_sessions s
                     JOIN admins a ON a.id = s.admin_id
                     WHERE s.token_hash = ?1 AND s.expires_at > ?2",
                    params![hash, secret::now_seconds()],
                    admin_row,
                )
                .optional()?)
        })
    }

    /// Ends a session (signing out), and removes every expired session. Returns whether the
    /// session existed.
    ///
    /// # Errors
    /// Database errors.
    pub fn delete_session(&self, token: &str) -> Result<bool, StoreError> {
        let hash = secret::hash(token);
        self.write(move |connection| {
            let deleted = connection.execute(
                "DELETE FROM admin_sessions WHERE token_hash = ?1",
                params![hash],
            )?;
            connection.execute(
                "DELETE FROM admin_sessions WHERE expires_at <= ?1",
                params![secret::now_seconds()],
            )?;
            Ok(deleted > 0)
        })
    }
}

pub(crate) fn admin_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Admin> {
    Ok(Admin {
        id: row.get(0)?,
        email: row.get(1)?,
        password_hash: row.get(2)?,
        all_exercises: row.get(3)?,
    })
}
