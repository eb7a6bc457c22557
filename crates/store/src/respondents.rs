//! Respondents and their resume codes: a respondent chooses a group once and can resume on
//! another device with a code of which only the hash is kept.

use rusqlite::{OptionalExtension, params};

use crate::{Store, StoreError, secret};

/// A new respondent: the id to use in API paths and the code to resume on another device. The
/// code is shown once; only its hash is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRespondent {
    /// The random respondent id.
    pub respondent: String,
    /// The resume code, as `xxxx-xxxx-xxxx-xxxx`.
    pub resume_code: String,
}

/// A respondent as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respondent {
    /// The respondent id.
    pub id: String,
    /// The exercise id.
    pub exercise: String,
    /// The stakeholder group id, chosen once.
    pub group: String,
}

impl Store {
    /// Starts a respondent in `group` (chosen once). An invite, when given, is consumed in the
    /// same transaction; exercises marked invite-only require one. Nothing stored links the
    /// respondent to the invite. Returns the respondent id and the resume code (shown once).
    ///
    /// # Errors
    /// [`StoreError::UnknownExercise`], [`StoreError::UnknownGroup`],
    /// [`StoreError::InviteRequired`], [`StoreError::InviteNotValid`] (unknown or used),
    /// database errors.
    pub fn create_respondent(
        &self,
        exercise: &str,
        group: &str,
        invite: Option<&str>,
    ) -> Result<NewRespondent, StoreError> {
        let stored = self
            .exercise(exercise)?
            .ok_or_else(|| StoreError::UnknownExercise(exercise.to_string()))?;
        if stored.exercise.group(group).is_none() {
            return Err(StoreError::UnknownGroup {
                exercise: exercise.to_string(),
                group: group.to_string(),
                known: stored
                    .exercise
                    .groups
                    .iter()
                    .map(|group| group.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if stored.exercise.invite_only && invite.is_none() {
            return Err(StoreError::InviteRequired(exercise.to_string()));
        }
        let invite_hash = invite.map(|token| secret::hash(token.trim()));
        let (exercise, group) = (exercise.to_string(), group.to_string());
        self.write(move |connection| {
            if let Some(hash) = &invite_hash {
                let consumed = connection.execute(
                    "UPDATE invites SET used = 1 WHERE token_hash = ?1 AND exercise_id = ?2 AND used = 0",
                    params![hash, exercise],
                )?;
                if consumed != 1 {
                    return Err(StoreError::InviteNotValid);
                }
            }
            let respondent = secret::respondent_id();
            let resume_code = secret::resume_code();
            connection.execute(
                "INSERT INTO respondents (id, exercise_id, group_id, resume_hash, created_day)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    respondent,
                    exercise,
                    group,
                    secret::hash(&secret::normalise_code(&resume_code)),
                    secret::today()
                ],
            )?;
            Ok(NewRespondent {
                respondent,
                resume_code,
            })
        })
    }

    /// The respondent a resume code belongs to, in `exercise`. Dashes, spaces and case in the
    /// code do not matter.
    ///
    /// # Errors
    /// Database errors.
    pub fn resume(&self, exercise: &str, code: &str) -> Result<Option<Respondent>, StoreError> {
        let hash = secret::hash(&secret::normalise_code(code));
        self.read(|connection| {
            Ok(connection
                .query_row(
                    "SELECT id, exercise_id, group_id FROM respondents
                     WHERE resume_hash = ?1 AND exercise_id = ?2",
                    params![hash, exercise],
                    respondent_row,
                )
                .optional()?)
        })
    }

    /// A respondent by id.
    ///
    /// # Errors
    /// Database errors.
    pub fn respondent(&self, id: &str) -> Result<Option<Respondent>, StoreError> {
        self.read(|connection| {
            Ok(connection
                .query_row(
                    "SELECT id, exercise_id, group_id FROM respondents WHERE id = ?1",
                    params![id],
                    respondent_row,
                )
                .optional()?)
        })
    }
}

fn respondent_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Respondent> {
    Ok(Respondent {
        id: row.get(0)?,
        exercise: row.get(1)?,
        group: row.get(2)?,
    })
}
