//! The state of each round (draft, open, closed) and changing it.

use rusqlite::params;

use crate::audit::append_audit;
use crate::{Store, StoreError, secret};

/// The state of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoundState {
    /// Not yet open: no answers taken.
    Draft,
    /// Taking answers.
    Open,
    /// Closed: no answers taken any more.
    Closed,
}

impl RoundState {
    /// `draft`, `open` or `closed`.
    pub fn as_str(self) -> &'static str {
        match self {
            RoundState::Draft => "draft",
            RoundState::Open => "open",
            RoundState::Closed => "closed",
        }
    }

    pub(crate) fn parse(text: &str) -> RoundState {
        match text {
            "open" => RoundState::Open,
            "closed" => RoundState::Closed,
            _ => RoundState::Draft,
        }
    }
}

impl std::fmt::Display for RoundState {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A round's state and when it last changed (Unix seconds; admin actions, not respondents').
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundStatus {
    /// The round id.
    pub round: String,
    /// Its state.
    pub state: RoundState,
    /// When it was last opened.
    pub opened_at: Option<i64>,
    /// When it was last closed.
    pub closed_at: Option<i64>,
    /// When it is to open by itself, if scheduled (Unix seconds).
    pub opens_at: Option<i64>,
    /// When it is to close by itself, if scheduled (Unix seconds).
    pub closes_at: Option<i64>,
}

impl Store {
    /// Opens or closes a round (or returns it to draft), with an audit entry by `actor`.
    ///
    /// # Errors
    /// [`StoreError::UnknownExercise`], [`StoreError::UnknownRound`] (a round of the current
    /// definition), database errors.
    pub fn set_round_state(
        &self,
        exercise: &str,
        round: &str,
        state: RoundState,
        actor: &str,
    ) -> Result<(), StoreError> {
        let stored = self
            .exercise(exercise)?
            .ok_or_else(|| StoreError::UnknownExercise(exercise.to_string()))?;
        let Some(definition) = stored.exercise.round(round) else {
            return Err(StoreError::UnknownRound {
                exercise: exercise.to_string(),
                round: round.to_string(),
            });
        };
        if state == RoundState::Open {
            definition.ready().map_err(StoreError::RoundNotReady)?;
            refuse_reopening_a_feedback_source(&stored, round)?;
        }
        let (exercise, round, actor) = (exercise.to_string(), round.to_string(), actor.to_string());
        self.write(move |connection| {
            let now = secret::now_seconds();
            let sql = match state {
                RoundState::Open => {
                    "UPDATE rounds SET state = 'open', opened_at = ?3 WHERE exercise_id = ?1 AND round_id = ?2"
                }
                RoundState::Closed => {
                    "UPDATE rounds SET state = 'closed', closed_at = ?3 WHERE exercise_id = ?1 AND round_id = ?2"
                }
                RoundState::Draft => {
                    "UPDATE rounds SET state = 'draft' WHERE exercise_id = ?1 AND round_id = ?2 AND ?3 IS NOT NULL"
                }
            };
            let changed = connection.execute(sql, params![exercise, round, now])?;
            if changed == 0 {
                return Err(StoreError::UnknownRound { exercise, round });
            }
            append_audit(
                connection,
                &actor,
                &format!("set round {state}"),
                &format!("exercise {exercise} round {round}"),
            )?;
            Ok(())
        })
    }
}

/// Refuses to open `round` again once a re-rating round that shows its ratings as Delphi
/// feedback has been opened: its ratings may have been shown, and answers added after that
/// would let anyone who read the feedback before and after compare the two, one person at a
/// time (issue 14). Collect late answers before opening the re-rating round.
fn refuse_reopening_a_feedback_source(
    stored: &crate::StoredExercise,
    round: &str,
) -> Result<(), StoreError> {
    let Some(source) = stored
        .exercise
        .rounds
        .iter()
        .position(|candidate| candidate.id.as_str() == round)
    else {
        return Ok(());
    };
    let shown_in = stored
        .exercise
        .rounds
        .iter()
        .zip(&stored.rounds)
        .find(|(candidate, status)| {
            candidate
                .feedback
                .as_ref()
                .is_some_and(|feedback| feedback.from == source)
                && status.state != RoundState::Draft
        });
    match shown_in {
        Some((rerate, _)) if stored.rounds[source].state == RoundState::Closed => {
            Err(StoreError::RoundNotReady(format!(
                "round `{round}` cannot open again: round `{}` has been opened and shows its ratings as feedback, and answers added now would let anyone who read that feedback before and after compare the two and learn a person's ratings",
                rerate.id
            )))
        }
        _ => Ok(()),
    }
}
