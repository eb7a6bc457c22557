//! The audit log of admin actions.

use rusqlite::{Connection, params};

use crate::{Store, StoreError, secret};

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The entry id, increasing.
    pub id: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// Who (an admin's email, or `token` for the admin token).
    pub actor: String,
    /// What, as a short verb phrase such as `open round`.
    pub action: String,
    /// The details, such as `exercise childrens-social-care round rank`.
    pub detail: String,
}

impl Store {
    /// Appends an entry to the audit log.
    ///
    /// # Errors
    /// Database errors.
    pub fn audit(&self, actor: &str, action: &str, detail: &str) -> Result<(), StoreError> {
        let (actor, action, detail) = (actor.to_string(), action.to_string(), detail.to_string());
        self.write(move |connection| append_audit(connection, &actor, &action, &detail))
    }

    /// The latest `limit` audit entries, newest first.
    ///
    /// # Errors
    /// Database errors.
    pub fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT id, at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?1",
            )?;
            let entries = statement
                .query_map(params![limit], |row| {
                    Ok(AuditEntry {
                        id: row.get(0)?,
                        at: row.get(1)?,
                        actor: row.get(2)?,
                        action: row.get(3)?,
                        detail: row.get(4)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(entries)
        })
    }
}

pub(crate) fn append_audit(
    connection: &Connection,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<(), StoreError> {
    connection
        .prepare_cached(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![secret::now_seconds(), actor, action, detail])?;
    Ok(())
}
