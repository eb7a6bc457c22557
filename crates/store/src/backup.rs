//! Integrity checks and consistent backups of the database.

use std::path::Path;

use rusqlite::params;

use crate::{Store, StoreError};

impl Store {
    /// SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound database, else the problems.
    ///
    /// # Errors
    /// Database errors.
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare("PRAGMA integrity_check")?;
            let lines = statement
                .query_map([], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(lines)
        })
    }

    /// Writes a consistent copy of the database to `destination` (`VACUUM INTO`), which must
    /// not exist yet.
    ///
    /// # Errors
    /// [`StoreError::BackupExists`], database errors.
    pub fn backup(&self, destination: impl AsRef<Path>) -> Result<(), StoreError> {
        let destination = destination.as_ref();
        if destination.exists() {
            return Err(StoreError::BackupExists(destination.to_path_buf()));
        }
        let path = destination.to_string_lossy().into_owned();
        self.read(|connection| {
            connection.execute("VACUUM INTO ?1", params![path])?;
            Ok(())
        })
    }
}
