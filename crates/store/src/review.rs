//! The second reviewer's check of curation decisions: a decided suggestion may be marked
//! `reviewed` or `queried` (with a note) by an account other than the one that decided it.
//! Who and when are recorded, with an audit entry; a changed decision clears its mark
//! ([`clear_changed_reviews`], called by every path that records decisions).

use rusqlite::{Connection, OptionalExtension, params};
use survey::curation::{Review, Status};

use crate::audit::append_audit;
use crate::{CurationDecision, Store, StoreError, secret};

/// A decided suggestion's decider and second reviewer's mark, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReview {
    /// The suggestion id (`PSEUDONYM:N`).
    pub suggestion: String,
    /// Who made the decision, when it was recorded (decisions made before this was kept have
    /// none).
    pub decided_by: Option<String>,
    /// The mark, if any.
    pub review: Option<Review>,
    /// The reviewer's note.
    pub note: Option<String>,
    /// The reviewer's account.
    pub reviewed_by: Option<String>,
    /// When it was marked (Unix seconds).
    pub reviewed_at: Option<i64>,
}

/// What a call of [`Store::set_review`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReviewOutcome {
    /// Suggestions marked (or cleared).
    pub marked: usize,
    /// Of those, how many had no recorded decider (so anyone could check them).
    pub without_decider: usize,
}

impl Store {
    /// The decider and the second reviewer's mark of every decided suggestion of a suggest
    /// round (assigned or out of scope), by suggestion id.
    ///
    /// # Errors
    /// Database errors.
    pub fn reviews(&self, exercise: &str, round: &str) -> Result<Vec<StoredReview>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT suggestion_id, decided_by, review, review_note, reviewed_by, reviewed_at
                 FROM curation
                 WHERE exercise_id = ?1 AND round_id = ?2 AND status IN ('assigned', 'out-of-scope')
                 ORDER BY suggestion_id",
            )?;
            let rows = statement
                .query_map(params![exercise, round], |row| {
                    let review: Option<String> = row.get(2)?;
                    Ok(StoredReview {
                        suggestion: row.get(0)?,
                        decided_by: row.get(1)?,
                        // The table's CHECK admits only the two marks.
                        review: review.as_deref().and_then(Review::parse),
                        note: row.get(3)?,
                        reviewed_by: row.get(4)?,
                        reviewed_at: row.get(5)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
    }

    /// Marks decided suggestions `reviewed` or `queried` (with `note`), or clears their mark
    /// (`review` of `None`), as `actor`, with an audit entry: all of them or, on any error,
    /// none.
    ///
    /// A decision may be checked only by someone other than its decider; a decision with no
    /// recorded decider may be checked by anyone (the outcome counts them, so the caller can
    /// say so).
    ///
    /// # Errors
    /// [`StoreError::UnknownRound`]; [`StoreError::NotDecided`] for a suggestion that is not
    /// assigned or out of scope; [`StoreError::SelfReview`] when `actor` made one of the
    /// decisions; database errors.
    pub fn set_review(
        &self,
        exercise: &str,
        round: &str,
        suggestions: &[String],
        review: Option<Review>,
        note: Option<&str>,
        actor: &str,
    ) -> Result<ReviewOutcome, StoreError> {
        let (exercise, round, actor) = (exercise.to_string(), round.to_string(), actor.to_string());
        let suggestions = suggestions.to_vec();
        let note = note
            .map(str::trim)
            .filter(|note| !note.is_empty())
            .map(str::to_string);
        self.write(move |connection| {
            mark(
                connection,
                (&exercise, &round),
                &suggestions,
                review,
                note.as_deref(),
                &actor,
            )
        })
    }
}

fn mark(
    connection: &Connection,
    (exercise, round): (&str, &str),
    suggestions: &[String],
    review: Option<Review>,
    note: Option<&str>,
    actor: &str,
) -> Result<ReviewOutcome, StoreError> {
    let known: Option<i64> = connection
        .query_row(
            "SELECT 1 FROM rounds WHERE exercise_id = ?1 AND round_id = ?2",
            params![exercise, round],
            |row| row.get(0),
        )
        .optional()?;
    if known.is_none() {
        return Err(StoreError::UnknownRound {
            exercise: exercise.to_string(),
            round: round.to_string(),
        });
    }
    let mut read = connection.prepare_cached(
        "SELECT status, decided_by FROM curation
         WHERE exercise_id = ?1 AND round_id = ?2 AND suggestion_id = ?3",
    )?;
    let mut update = connection.prepare_cached(
        "UPDATE curation SET review = ?4, review_note = ?5, reviewed_by = ?6, reviewed_at = ?7
         WHERE exercise_id = ?1 AND round_id = ?2 AND suggestion_id = ?3",
    )?;
    let now = secret::now_seconds();
    let mut outcome = ReviewOutcome::default();
    for suggestion in suggestions {
        let found: Option<(String, Option<String>)> = read
            .query_row(params![exercise, round, suggestion], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        let decided_by = match found {
            Some((status, decided_by))
                if matches!(
                    Status::parse(&status),
                    Some(Status::Assigned | Status::OutOfScope)
                ) =>
            {
                decided_by
            }
            _ => return Err(StoreError::NotDecided(suggestion.clone())),
        };
        match decided_by.as_deref().filter(|decider| !decider.is_empty()) {
            Some(decider) if decider == actor => {
                return Err(StoreError::SelfReview {
                    suggestion: suggestion.clone(),
                    actor: actor.to_string(),
                });
            }
            Some(_) => {}
            None => outcome.without_decider += 1,
        }
        let (mark, note, by, at) = match review {
            Some(review) => (Some(review.as_str()), note, Some(actor), Some(now)),
            None => (None, None, None, None),
        };
        update.execute(params![exercise, round, suggestion, mark, note, by, at])?;
        outcome.marked += 1;
    }
    let what = review.map_or("review cleared", Review::as_str);
    let summary = match suggestions {
        [one] => format!("exercise {exercise} round {round} suggestion {one} {what}"),
        many => format!(
            "exercise {exercise} round {round} {} suggestions {what}",
            many.len()
        ),
    };
    let summary = match note {
        Some(note) if review.is_some() => format!("{summary}: {note}"),
        _ => summary,
    };
    append_audit(connection, actor, "review", &summary)?;
    Ok(outcome)
}

/// Clears the second reviewer's mark of every decision in `decisions` that changes the stored
/// one (its status, item or note): a mark was about the decision as it was. Called inside the
/// transaction that records the decisions, before they are written.
///
/// # Errors
/// Database errors.
pub(crate) fn clear_changed_reviews(
    connection: &Connection,
    exercise: &str,
    round: &str,
    decisions: &[CurationDecision],
) -> Result<usize, StoreError> {
    let mut statement = connection.prepare_cached(
        "UPDATE curation SET review = NULL, review_note = NULL, reviewed_by = NULL,
           reviewed_at = NULL
         WHERE exercise_id = ?1 AND round_id = ?2 AND suggestion_id = ?3
           AND review IS NOT NULL
           AND (status IS NOT ?4 OR item_id IS NOT ?5 OR note IS NOT ?6)",
    )?;
    let mut cleared = 0;
    for decision in decisions {
        cleared += statement.execute(params![
            exercise,
            round,
            decision.suggestion,
            decision.status.as_str(),
            decision.item,
            decision.note
        ])?;
    }
    Ok(cleared)
}
