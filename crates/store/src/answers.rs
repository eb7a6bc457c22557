//! Respondents' answers: saving one (checked against the round, idempotent by key) and
//! reading the current answer and its history.

use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, params};
use survey::answer::Answer;
use survey::order::ShownOrder;

use crate::exercises::{cached_definition, current_definition};
use crate::{Definitions, MAX_IDEMPOTENCY_KEY, RoundState, Store, StoreError, secret};

/// One answer to save or submit.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// The exercise id.
    pub exercise: String,
    /// The round id.
    pub round: String,
    /// The respondent id.
    pub respondent: String,
    /// The answer, checked against the round's current definition before it is stored.
    pub answer: Answer,
    /// `true` submits; `false` saves a draft.
    pub submit: bool,
    /// A key chosen by the client for this submission: repeating a request with the same key
    /// returns the first receipt and stores nothing more.
    pub idempotency_key: Option<String>,
    /// The order the respondent was shown the items in (for a pairwise round, each choice's
    /// pair as shown), stored with the answer (`answers.shown_order`); `None` when not known.
    pub shown_order: Option<ShownOrder>,
}

/// The confirmation of a stored answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// A random receipt id, unique per stored answer.
    pub receipt: String,
    /// Whether the answer was submitted (else saved as a draft).
    pub submitted: bool,
    /// Whether this call repeated an earlier one (same idempotency key) and stored nothing.
    pub replayed: bool,
}

/// An answer as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnswer {
    /// The answer.
    pub answer: Answer,
    /// Whether it was submitted (else a draft).
    pub submitted: bool,
    /// Its receipt id.
    pub receipt: String,
    /// The day it was saved, `YYYY-MM-DD` (UTC).
    pub saved_day: String,
    /// For a draft of a round answered in pages: the page to come back to (1-based), when
    /// it was saved with one (see [`Store::save_answer_on_page`]).
    pub page: Option<u32>,
    /// The order the respondent was shown, when it was recorded with the answer.
    pub shown_order: Option<ShownOrder>,
}

impl Store {
    /// Saves a draft or submits an answer. The answer is checked against the round of the
    /// current definition, and the round must be open, both inside the write transaction. A
    /// later answer becomes the respondent's current one; earlier ones are kept as history. With
    /// an idempotency key already used for this respondent and round, the first receipt is
    /// returned and nothing is stored (the same key with a different answer is refused).
    ///
    /// # Errors
    /// [`StoreError::UnknownExercise`], [`StoreError::UnknownRound`],
    /// [`StoreError::UnknownRespondent`], [`StoreError::RoundNotOpen`], [`StoreError::Answer`]
    /// (every problem with the answer), [`StoreError::IdempotencyConflict`],
    /// [`StoreError::IdempotencyKeyLength`], database and commit errors.
    pub fn save_answer(&self, submission: Submission) -> Result<Receipt, StoreError> {
        if let Some(key) = &submission.idempotency_key
            && (key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY)
        {
            return Err(StoreError::IdempotencyKeyLength);
        }
        let cache = Arc::clone(&self.inner.definitions);
        self.write(move |connection| save_answer_in(&cache, connection, submission))
    }

    /// Saves an answer as [`Store::save_answer`] does and, for a draft, remembers `page`: the
    /// page of a round answered in pages that the respondent is to come back to. The page is
    /// kept even when the answer repeats the current draft (and so adds nothing to the history).
    ///
    /// # Errors
    /// As [`Store::save_answer`].
    pub fn save_answer_on_page(
        &self,
        submission: Submission,
        page: Option<u32>,
    ) -> Result<Receipt, StoreError> {
        if let Some(key) = &submission.idempotency_key
            && (key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY)
        {
            return Err(StoreError::IdempotencyKeyLength);
        }
        let cache = Arc::clone(&self.inner.definitions);
        self.write(move |connection| {
            let place = (
                submission.exercise.clone(),
                submission.round.clone(),
                submission.respondent.clone(),
            );
            let receipt = save_answer_in(&cache, connection, submission)?;
            if !receipt.submitted {
                let (exercise, round, respondent) = place;
                connection
                    .prepare_cached(
                        "UPDATE answers INDEXED BY answers_current SET page = ?4
                         WHERE respondent_id = ?1 AND exercise_id = ?2 AND round_id = ?3 AND submitted = 0 AND latest = 1",
                    )?
                    .execute(params![respondent, exercise, round, page])?;
            }
            Ok(receipt)
        })
    }

    /// A respondent's current answer to a round: the latest saved, draft or submitted.
    ///
    /// # Errors
    /// Database errors, or a stored answer that is not valid JSON.
    pub fn current_answer(
        &self,
        exercise: &str,
        round: &str,
        respondent: &str,
    ) -> Result<Option<StoredAnswer>, StoreError> {
        Ok(self
            .answer_history(exercise, round, respondent)?
            .into_iter()
            .next_back())
    }

    /// Every answer a respondent saved for a round, oldest first, superseded ones included.
    ///
    /// # Errors
    /// Database errors, or a stored answer that is not valid JSON.
    pub fn answer_history(
        &self,
        exercise: &str,
        round: &str,
        respondent: &str,
    ) -> Result<Vec<StoredAnswer>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT body, submitted, receipt, saved_day, page, shown_order FROM answers
                 WHERE respondent_id = ?1 AND exercise_id = ?2 AND round_id = ?3 ORDER BY id",
            )?;
            let rows = statement
                .query_map(params![respondent, exercise, round], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get::<_, Option<String>>(5)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(body, submitted, receipt, saved_day, page, shown_order)| {
                    Ok(StoredAnswer {
                        answer: parse_body(&body)?,
                        submitted,
                        receipt,
                        saved_day,
                        page,
                        shown_order: shown_order.as_deref().and_then(ShownOrder::from_json),
                    })
                })
                .collect()
        })
    }
}

/// Saves `submission` within the writer's transaction; see [`Store::save_answer`].
fn save_answer_in(
    cache: &Definitions,
    connection: &Connection,
    submission: Submission,
) -> Result<Receipt, StoreError> {
    let Submission {
        exercise,
        round,
        respondent,
        answer,
        submit,
        idempotency_key,
        shown_order,
    } = submission;
    let body = checked_body(cache, connection, &exercise, &round, &respondent, &answer)?;
    let place = AnswerPlace {
        exercise: &exercise,
        round: &round,
        respondent: &respondent,
        submit,
    };
    let shown_order = shown_order.map(|order| order.to_json());
    if let Some(receipt) = replayed_receipt(connection, &place, idempotency_key.as_deref(), &body)?
    {
        if let Some(shown_order) = &shown_order
            && !receipt.submitted
        {
            // A repeated draft still records the order shown when it was first saved without
            // one (a draft saved before orders were recorded).
            connection
                .prepare_cached(
                    "UPDATE answers SET shown_order = ?2 WHERE receipt = ?1 AND shown_order IS NULL",
                )?
                .execute(params![receipt.receipt, shown_order])?;
        }
        return Ok(receipt);
    }
    require_open_round(connection, &exercise, round.clone())?;
    insert_answer(
        connection,
        &place,
        &body,
        idempotency_key.as_deref(),
        shown_order.as_deref(),
    )
}

/// Where an answer is saved: one respondent's draft or submitted answer to one round.
struct AnswerPlace<'a> {
    /// The exercise id.
    exercise: &'a str,
    /// The round id.
    round: &'a str,
    /// The respondent id.
    respondent: &'a str,
    /// Whether the answer is submitted (else a draft).
    submit: bool,
}

/// Checks that the exercise, round and respondent exist and the answer fits the round of the
/// current definition, and returns the answer as stored (JSON).
fn checked_body(
    cache: &Definitions,
    connection: &Connection,
    exercise: &str,
    round: &str,
    respondent: &str,
    answer: &Answer,
) -> Result<String, StoreError> {
    let (version, source) = current_definition(connection, exercise)?
        .ok_or_else(|| StoreError::UnknownExercise(exercise.to_string()))?;
    let definition = cached_definition(cache, exercise, version, &source)?;
    let round_definition = definition
        .round(round)
        .ok_or_else(|| StoreError::UnknownRound {
            exercise: exercise.to_string(),
            round: round.to_string(),
        })?;
    let known: Option<String> = connection
        .prepare_cached("SELECT exercise_id FROM respondents WHERE id = ?1")?
        .query_row(params![respondent], |row| row.get(0))
        .optional()?;
    if known.as_deref() != Some(exercise) {
        return Err(StoreError::UnknownRespondent(respondent.to_string()));
    }
    let checked = answer
        .check(&definition, round_definition)
        .map_err(StoreError::Answer)?;
    Ok(checked.to_json())
}

/// The receipt of an earlier save that this one repeats: the answer saved with the same
/// idempotency key (which must hold the same answer), or, without a key, the current answer
/// when it is the same.
fn replayed_receipt(
    connection: &Connection,
    place: &AnswerPlace<'_>,
    idempotency_key: Option<&str>,
    body: &str,
) -> Result<Option<Receipt>, StoreError> {
    let AnswerPlace {
        exercise,
        round,
        respondent,
        submit,
    } = *place;
    if let Some(key) = idempotency_key {
        let earlier: Option<(String, bool, String)> = connection
            .prepare_cached(
                "SELECT receipt, submitted, body FROM answers
                 WHERE respondent_id = ?1 AND exercise_id = ?2 AND round_id = ?3 AND idempotency_key = ?4",
            )?
            .query_row(params![respondent, exercise, round, key], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()?;
        if let Some((receipt, submitted, earlier_body)) = earlier {
            if earlier_body != body || submitted != submit {
                return Err(StoreError::IdempotencyConflict(key.to_string()));
            }
            return Ok(Some(Receipt {
                receipt,
                submitted,
                replayed: true,
            }));
        }
    }
    if idempotency_key.is_none() {
        // Without a key, repeating exactly the current answer is still harmless: the first
        // receipt is returned and no second copy joins the history.
        let current: Option<(String, String)> = connection
            .prepare_cached(
                "SELECT receipt, body FROM answers INDEXED BY answers_current
                 WHERE respondent_id = ?1 AND exercise_id = ?2 AND round_id = ?3 AND submitted = ?4 AND latest = 1",
            )?
            .query_row(params![respondent, exercise, round, submit], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        if let Some((receipt, current_body)) = current
            && current_body == body
        {
            return Ok(Some(Receipt {
                receipt,
                submitted: submit,
                replayed: true,
            }));
        }
    }
    Ok(None)
}

/// Refuses an answer to a round that is not open.
fn require_open_round(
    connection: &Connection,
    exercise: &str,
    round: String,
) -> Result<(), StoreError> {
    let state: String = connection
        .prepare_cached("SELECT state FROM rounds WHERE exercise_id = ?1 AND round_id = ?2")?
        .query_row(params![exercise, round], |row| row.get(0))
        .optional()?
        .unwrap_or_else(|| "draft".to_string());
    let state = RoundState::parse(&state);
    if state != RoundState::Open {
        return Err(StoreError::RoundNotOpen { round, state });
    }
    Ok(())
}

/// Stores the answer as the current one of its place, superseding the previous one, and
/// returns its new receipt.
fn insert_answer(
    connection: &Connection,
    place: &AnswerPlace<'_>,
    body: &str,
    idempotency_key: Option<&str>,
    shown_order: Option<&str>,
) -> Result<Receipt, StoreError> {
    let AnswerPlace {
        exercise,
        round,
        respondent,
        submit,
    } = *place;
    // The previous answer of the same status is superseded, not deleted. The index is named:
    // without statistics SQLite may otherwise pick `answers_latest`, which scans every current
    // answer of the round, making each submission cost O(respondents).
    connection
        .prepare_cached(
            "UPDATE answers INDEXED BY answers_current SET latest = 0
             WHERE respondent_id = ?1 AND exercise_id = ?2 AND round_id = ?3 AND submitted = ?4 AND latest = 1",
        )?
        .execute(params![respondent, exercise, round, submit])?;
    let receipt = secret::random_text(20);
    connection
        .prepare_cached(
            "INSERT INTO answers (respondent_id, exercise_id, round_id, submitted, latest, body, receipt, idempotency_key, saved_day, shown_order)
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            respondent,
            exercise,
            round,
            submit,
            body,
            receipt,
            idempotency_key,
            secret::today(),
            shown_order
        ])?;
    Ok(Receipt {
        receipt,
        submitted: submit,
        replayed: false,
    })
}

pub(crate) fn parse_body(body: &str) -> Result<Answer, StoreError> {
    serde_json::from_str(body).map_err(|error| {
        StoreError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("a stored answer is not valid: {error}"),
        ))
    })
}
