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
