//! Exercises and their definitions: every version is kept, and parsed definitions are cached
//! by (exercise, version).

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, params};
use survey::Exercise;

use crate::audit::append_audit;
use crate::{Definitions, RoundState, RoundStatus, Store, StoreError, secret};

/// An exercise with its current definition and the states of its rounds.
#[derive(Debug, Clone)]
pub struct StoredExercise {
    /// The current definition, parsed.
    pub exercise: Arc<Exercise>,
    /// The current definition's version (1 for the first).
    pub version: i64,
    /// The TOML text of the current definition.
    pub source: String,
    /// The state of each round of the current definition, in the definition's order.
    pub rounds: Vec<RoundStatus>,
}

/// The outcome of [`Store::put_exercise`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutExercise {
    /// The exercise id.
    pub exercise: String,
    /// The current version after the call.
    pub version: i64,
    /// Whether a new version was stored (false when the text equals the current version's).
    pub changed: bool,
}

impl Store {
    /// The parsed definition of a stored version, from the cache or parsed once.
    fn definition(
        &self,
        exercise: &str,
        version: i64,
        source: &str,
    ) -> Result<Arc<Exercise>, StoreError> {
        cached_definition(&self.inner.definitions, exercise, version, source)
    }

    /// Stores a definition (TOML) as the exercise's new version; every version is kept. Rounds
    /// new to the exercise start as drafts; the states of existing rounds are kept. Nothing is
    /// stored when the text equals the current version's. Adds an audit entry by `actor`.
    ///
    /// # Errors
    /// [`StoreError::Definition`] when the definition is not valid (with file, line and field);
    /// database errors.
    pub fn put_exercise(
        &self,
        source: &str,
        source_name: &str,
        actor: &str,
    ) -> Result<PutExercise, StoreError> {
        self.put_exercise_checked(source, source_name, actor, None)
    }

    pub(crate) fn put_exercise_checked(
        &self,
        source: &str,
        source_name: &str,
        actor: &str,
        based_on: Option<i64>,
    ) -> Result<PutExercise, StoreError> {
        let exercise = Exercise::parse(source, source_name)?;
        let source = source.to_string();
        let actor = actor.to_string();
        self.write(move |connection| {
            put_definition(connection, &exercise, &source, &actor, based_on)
        })
    }

    /// Every exercise with its current definition and round states, by id.
    ///
    /// # Errors
    /// Database errors, or a stored definition that no longer parses.
    pub fn exercises(&self) -> Result<Vec<StoredExercise>, StoreError> {
        let ids: Vec<String> = self.read(|connection| {
            let mut statement = connection.prepare("SELECT id FROM exercises ORDER BY id")?;
            let ids = statement
                .query_map([], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(ids)
        })?;
        let mut exercises = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(exercise) = self.exercise(&id)? {
                exercises.push(exercise);
            }
        }
        Ok(exercises)
    }

    /// One exercise with its current definition and round states, or `None`.
    ///
    /// # Errors
    /// Database errors, or a stored definition that no longer parses.
    pub fn exercise(&self, id: &str) -> Result<Option<StoredExercise>, StoreError> {
        let found = self.read(|connection| {
            let Some((version, source)) = current_definition(connection, id)? else {
                return Ok(None);
            };
            let mut statement = connection.prepare_cached(
                "SELECT round_id, state, opened_at, closed_at, opens_at, closes_at FROM rounds WHERE exercise_id = ?1",
            )?;
            let states: HashMap<String, RoundStatus> = statement
                .query_map(params![id], |row| {
                    let round: String = row.get(0)?;
                    let state: String = row.get(1)?;
                    Ok((
                        round.clone(),
                        RoundStatus {
                            round,
                            state: RoundState::parse(&state),
                            opened_at: row.get(2)?,
                            closed_at: row.get(3)?,
                            opens_at: row.get(4)?,
                            closes_at: row.get(5)?,
                        },
                    ))
                })?
                .collect::<Result<_, _>>()?;
            Ok(Some((version, source, states)))
        })?;
        let Some((version, source, mut states)) = found else {
            return Ok(None);
        };
        let exercise = self.definition(id, version, &source)?;
        let rounds = exercise
            .rounds
            .iter()
            .map(|round| {
                states
                    .remove(round.id.as_str())
                    .unwrap_or_else(|| RoundStatus {
                        round: round.id.to_string(),
                        state: RoundState::Draft,
                        opened_at: None,
                        closed_at: None,
                        opens_at: None,
                        closes_at: None,
                    })
            })
            .collect();
        Ok(Some(StoredExercise {
            exercise,
            version,
            source,
            rounds,
        }))
    }

    /// Every stored version of an exercise's definition, oldest first: (version, TOML text).
    ///
    /// # Errors
    /// Database errors.
    pub fn exercise_versions(&self, id: &str) -> Result<Vec<(i64, String)>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare(
                "SELECT version, definition FROM exercise_versions WHERE exercise_id = ?1 ORDER BY version",
            )?;
            let versions = statement
                .query_map(params![id], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?;
            Ok(versions)
        })
    }
}

/// The parsed definition of a stored version, from the cache or parsed once.
pub(crate) fn cached_definition(
    cache: &Definitions,
    exercise: &str,
    version: i64,
    source: &str,
) -> Result<Arc<Exercise>, StoreError> {
    let key = (exercise.to_string(), version);
    if let Some(found) = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(&key)
    {
        return Ok(Arc::clone(found));
    }
    let parsed =
        Exercise::parse(source, &format!("{exercise} (version {version})")).map_err(|errors| {
            StoreError::StoredDefinition {
                exercise: exercise.to_string(),
                version,
                message: errors.to_string(),
            }
        })?;
    let parsed = Arc::new(parsed);
    cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(key, Arc::clone(&parsed));
    Ok(parsed)
}

pub(crate) fn current_definition(
    connection: &Connection,
    exercise: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    Ok(connection
        .prepare_cached(
            "SELECT version, definition FROM exercise_versions
             WHERE exercise_id = ?1 ORDER BY version DESC LIMIT 1",
        )?
        .query_row(params![exercise], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

/// Stores `source` (already parsed as `exercise`) as the exercise's next version, within the
/// caller's transaction; see [`Store::put_exercise`] and [`Store::put_exercise_based_on`].
pub(crate) fn put_definition(
    connection: &Connection,
    exercise: &Exercise,
    source: &str,
    actor: &str,
    based_on: Option<i64>,
) -> Result<PutExercise, StoreError> {
    let id = exercise.id.as_str();
    let current: Option<(i64, String)> = connection
        .query_row(
            "SELECT version, definition FROM exercise_versions
             WHERE exercise_id = ?1 ORDER BY version DESC LIMIT 1",
            params![id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    if let Some(expected) = based_on {
        let found = current.as_ref().map_or(0, |(version, _)| *version);
        if found != expected {
            return Err(StoreError::VersionConflict {
                exercise: id.to_string(),
                expected,
                found,
            });
        }
    }
    if let Some((version, text)) = &current
        && *text == source
    {
        return Ok(PutExercise {
            exercise: id.to_string(),
            version: *version,
            changed: false,
        });
    }
    let version = current.map_or(1, |(version, _)| version + 1);
    let now = secret::now_seconds();
    connection.execute(
        "INSERT OR IGNORE INTO exercises (id) VALUES (?1)",
        params![id],
    )?;
    connection.execute(
        "INSERT INTO exercise_versions (exercise_id, version, definition, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![id, version, source, now],
    )?;
    for round in &exercise.rounds {
        connection.execute(
            "INSERT OR IGNORE INTO rounds (exercise_id, round_id, state) VALUES (?1, ?2, 'draft')",
            params![id, round.id.as_str()],
        )?;
    }
    append_audit(
        connection,
        actor,
        "put exercise",
        &format!("exercise {id} version {version}"),
    )?;
    Ok(PutExercise {
        exercise: id.to_string(),
        version,
        changed: true,
    })
}
