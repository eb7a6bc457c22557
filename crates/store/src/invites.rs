//! Invite tokens, of which only the hashes are kept.

use rusqlite::{OptionalExtension, params};

use crate::audit::append_audit;
use crate::{MAX_INVITES_PER_CALL, Store, StoreError, secret};

impl Store {
    /// Creates `count` invite tokens for an exercise and returns them; only their hashes are
    /// kept, so they cannot be shown again. Adds an audit entry by `actor`.
    ///
    /// # Errors
    /// [`StoreError::InviteCount`], [`StoreError::UnknownExercise`], database errors.
    pub fn create_invites(
        &self,
        exercise: &str,
        count: u32,
        actor: &str,
    ) -> Result<Vec<String>, StoreError> {
        if count == 0 || count > MAX_INVITES_PER_CALL {
            return Err(StoreError::InviteCount(count));
        }
        let (exercise, actor) = (exercise.to_string(), actor.to_string());
        self.write(move |connection| {
            let exists: Option<i64> = connection
                .query_row(
                    "SELECT 1 FROM exercises WHERE id = ?1",
                    params![exercise],
                    |row| row.get(0),
                )
                .optional()?;
            if exists.is_none() {
                return Err(StoreError::UnknownExercise(exercise));
            }
            let now = secret::now_seconds();
            let mut statement = connection.prepare_cached(
                "INSERT INTO invites (token_hash, exercise_id, created_at) VALUES (?1, ?2, ?3)",
            )?;
            let mut tokens = Vec::with_capacity(count as usize);
            for _ in 0..count {
                let token = secret::token();
                statement.execute(params![secret::hash(&token), exercise, now])?;
                tokens.push(token);
            }
            append_audit(
                connection,
                &actor,
                "create invites",
                &format!("exercise {exercise} count {count}"),
            )?;
            Ok(tokens)
        })
    }
}
