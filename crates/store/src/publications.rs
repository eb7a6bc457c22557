//! Published results: frozen snapshots of a round's results, computed once and stored with the
//! SHA-256 of their inputs, so that the public page shows them as they were even if answers or
//! the definition change later. The current publication of an exercise is its latest one not
//! withdrawn; publishing again makes a new snapshot; both publishing and withdrawing are
//! audited.

use rusqlite::{OptionalExtension, params};

use crate::audit::append_audit;
use crate::{Store, StoreError, secret};

/// A stored snapshot, with everything the public pages show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// Its id, increasing.
    pub id: i64,
    /// The exercise.
    pub exercise: String,
    /// The round whose results it holds.
    pub round: String,
    /// When it was published (Unix seconds).
    pub published_at: i64,
    /// Who published it.
    pub published_by: String,
    /// The SHA-256 (hex) of the inputs it was computed from.
    pub inputs_sha256: String,
    /// The snapshot itself, as the caller serialised it (JSON).
    pub snapshot: String,
    /// The full method report, as one HTML file.
    pub report_html: String,
    /// When it was withdrawn, if it was.
    pub withdrawn_at: Option<i64>,
}

/// A publication without its texts, for the list of what was published when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicationSummary {
    /// Its id.
    pub id: i64,
    /// The round.
    pub round: String,
    /// When it was published.
    pub published_at: i64,
    /// Who published it.
    pub published_by: String,
    /// The SHA-256 of its inputs.
    pub inputs_sha256: String,
    /// When it was withdrawn, if it was.
    pub withdrawn_at: Option<i64>,
}

impl Store {
    /// Publishes a snapshot of a round's results as the exercise's current publication (any
    /// earlier one stays in the history), with an audit entry by `actor`. Returns its id.
    ///
    /// # Errors
    /// [`StoreError::UnknownExercise`], database errors.
    pub fn publish(
        &self,
        exercise: &str,
        round: &str,
        inputs_sha256: &str,
        snapshot: String,
        report_html: String,
        actor: &str,
    ) -> Result<i64, StoreError> {
        let (exercise, round, inputs, actor) = (
            exercise.to_string(),
            round.to_string(),
            inputs_sha256.to_string(),
            actor.to_string(),
        );
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
            connection.execute(
                "INSERT INTO publications
                     (exercise_id, round_id, published_at, published_by, inputs_sha256, snapshot,
                      report_html)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    exercise,
                    round,
                    secret::now_seconds(),
                    actor,
                    inputs,
                    snapshot,
                    report_html
                ],
            )?;
            let id = connection.last_insert_rowid();
            append_audit(
                connection,
                &actor,
                "publish results",
                &format!("exercise {exercise} round {round} snapshot {id} inputs {inputs}"),
            )?;
            Ok(id)
        })
    }

    /// Withdraws an exercise's published results (the public page says nothing is published),
    /// with an audit entry by `actor`. Returns whether anything was published.
    ///
    /// # Errors
    /// Database errors.
    pub fn unpublish(&self, exercise: &str, actor: &str) -> Result<bool, StoreError> {
        let (exercise, actor) = (exercise.to_string(), actor.to_string());
        self.write(move |connection| {
            let changed = connection.execute(
                "UPDATE publications SET withdrawn_at = ?2
                 WHERE exercise_id = ?1 AND withdrawn_at IS NULL",
                params![exercise, secret::now_seconds()],
            )?;
            if changed > 0 {
                append_audit(
                    connection,
                    &actor,
                    "unpublish results",
                    &format!("exercise {exercise}"),
                )?;
            }
            Ok(changed > 0)
        })
    }

    /// The exercise's current publication: the latest one not withdrawn.
    ///
    /// # Errors
    /// Database errors.
    pub fn current_publication(&self, exercise: &str) -> Result<Option<Publication>, StoreError> {
        self.read(|connection| {
            Ok(connection
                .query_row(
                    "SELECT id, exercise_id, round_id, published_at, published_by, inputs_sha256,
                            snapshot, report_html, withdrawn_at
                     FROM publications WHERE exercise_id = ?1 AND withdrawn_at IS NULL
                     ORDER BY id DESC LIMIT 1",
                    params![exercise],
                    |row| {
                        Ok(Publication {
                            id: row.get(0)?,
                            exercise: row.get(1)?,
                            round: row.get(2)?,
                            published_at: row.get(3)?,
                            published_by: row.get(4)?,
                            inputs_sha256: row.get(5)?,
                            snapshot: row.get(6)?,
                            report_html: row.get(7)?,
                            withdrawn_at: row.get(8)?,
                        })
                    },
                )
                .optional()?)
        })
    }

    /// Every publication of an exercise, newest first, without their texts.
    ///
    /// # Errors
    /// Database errors.
    pub fn publications(&self, exercise: &str) -> Result<Vec<PublicationSummary>, StoreError> {
        self.read(|connection| {
            let found = connection
                .prepare_cached(
                    "SELECT id, round_id, published_at, published_by, inputs_sha256, withdrawn_at
                     FROM publications WHERE exercise_id = ?1 ORDER BY id DESC",
                )?
                .query_map(params![exercise], |row| {
                    Ok(PublicationSummary {
                        id: row.get(0)?,
                        round: row.get(1)?,
                        published_at: row.get(2)?,
                        published_by: row.get(3)?,
                        inputs_sha256: row.get(4)?,
                        withdrawn_at: row.get(5)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(found)
        })
    }
}
