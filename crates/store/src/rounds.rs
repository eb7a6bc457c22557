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
        self.set_round_state_at(exercise, round, state, actor, secret::now_seconds())
    }

    /// [`Store::set_round_state`] as of `now` (Unix seconds): the time stamped as the round's
    /// opening or closing, and against which a passed scheduled time is dropped. The service
    /// gives the time of its clock, so that schedules and changes by hand agree.
    ///
    /// # Errors
    /// As [`Store::set_round_state`].
    pub fn set_round_state_at(
        &self,
        exercise: &str,
        round: &str,
        state: RoundState,
        actor: &str,
        now: i64,
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
            let sql = match state {
                // A closing time that has passed is dropped: the round was opened again by hand
                // after it, and would otherwise close again at once.
                RoundState::Open => {
                    "UPDATE rounds SET state = 'open', opened_at = ?3,
                        closes_at = CASE WHEN closes_at <= ?3 THEN NULL ELSE closes_at END
                     WHERE exercise_id = ?1 AND round_id = ?2"
                }
                RoundState::Closed => {
                    "UPDATE rounds SET state = 'closed', closed_at = ?3 WHERE exercise_id = ?1 AND round_id = ?2"
                }
                // Likewise an opening time that has passed, for a round returned to draft.
                RoundState::Draft => {
                    "UPDATE rounds SET state = 'draft',
                        opens_at = CASE WHEN opens_at <= ?3 THEN NULL ELSE opens_at END
                     WHERE exercise_id = ?1 AND round_id = ?2"
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

/// The actor of the audit entries written when rounds open and close at their scheduled times.
pub const SCHEDULE_ACTOR: &str = "schedule";

impl Store {
    /// Sets (or clears, with `None`) the times at which a round opens and closes by itself
    /// (Unix seconds), with an audit entry by `actor`. An opening time matters only while the
    /// round is a draft, a closing time only while it is open: [`Store::apply_schedule`] acts
    /// on them.
    ///
    /// # Errors
    /// [`StoreError::ScheduleOrder`] when the closing time is not after the opening time,
    /// [`StoreError::UnknownExercise`], [`StoreError::UnknownRound`] (a round of the current
    /// definition), database errors.
    pub fn set_round_schedule(
        &self,
        exercise: &str,
        round: &str,
        opens_at: Option<i64>,
        closes_at: Option<i64>,
        actor: &str,
    ) -> Result<(), StoreError> {
        if let (Some(opens), Some(closes)) = (opens_at, closes_at)
            && closes <= opens
        {
            return Err(StoreError::ScheduleOrder { opens, closes });
        }
        let stored = self
            .exercise(exercise)?
            .ok_or_else(|| StoreError::UnknownExercise(exercise.to_string()))?;
        if stored.exercise.round(round).is_none() {
            return Err(StoreError::UnknownRound {
                exercise: exercise.to_string(),
                round: round.to_string(),
            });
        }
        let (exercise, round, actor) = (exercise.to_string(), round.to_string(), actor.to_string());
        self.write(move |connection| {
            let changed = connection.execute(
                "UPDATE rounds SET opens_at = ?3, closes_at = ?4 WHERE exercise_id = ?1 AND round_id = ?2",
                params![exercise, round, opens_at, closes_at],
            )?;
            if changed == 0 {
                return Err(StoreError::UnknownRound { exercise, round });
            }
            let when = |at: Option<i64>| at.map_or_else(|| "none".to_string(), |at| at.to_string());
            append_audit(
                connection,
                &actor,
                "set round schedule",
                &format!(
                    "exercise {exercise} round {round} opens_at {} closes_at {}",
                    when(opens_at),
                    when(closes_at)
                ),
            )?;
            Ok(())
        })
    }

    /// Opens every draft round whose opening time has come and closes every open round whose
    /// closing time has come, as of `now` (Unix seconds), each with an audit entry by
    /// [`SCHEDULE_ACTOR`]; returns what changed: (exercise, round, new state), openings first.
    ///
    /// A round due to open that cannot (not `ready()`, see [`Store::set_round_state`]) stays
    /// a draft: its opening time is cleared, so that it is tried once, and the audit log says
    /// why (`skip scheduled opening`). A round whose opening and closing times have both
    /// passed opens and then closes. Rounds no longer in their exercise's definition are left
    /// alone.
    ///
    /// # Errors
    /// Database errors, or a stored definition that no longer parses.
    pub fn apply_schedule(
        &self,
        now: i64,
    ) -> Result<Vec<(String, String, RoundState)>, StoreError> {
        let mut changes = Vec::new();
        for (exercise, round) in self.due_rounds(now, RoundState::Draft)? {
            let Some(stored) = self.exercise(&exercise)? else {
                continue;
            };
            let Some(definition) = stored.exercise.round(&round) else {
                continue;
            };
            let refusal = definition.ready().err();
            let (exercise_id, round_id) = (exercise.clone(), round.clone());
            let opened = self.write(move |connection| {
                let detail = format!("exercise {exercise_id} round {round_id}");
                if let Some(reason) = refusal {
                    connection.execute(
                        "UPDATE rounds SET opens_at = NULL WHERE exercise_id = ?1 AND round_id = ?2",
                        params![exercise_id, round_id],
                    )?;
                    append_audit(
                        connection,
                        SCHEDULE_ACTOR,
                        "skip scheduled opening",
                        &format!("{detail}: {reason}"),
                    )?;
                    return Ok(false);
                }
                let changed = connection.execute(
                    "UPDATE rounds SET state = 'open', opened_at = ?3
                     WHERE exercise_id = ?1 AND round_id = ?2 AND state = 'draft' AND opens_at <= ?3",
                    params![exercise_id, round_id, now],
                )?;
                if changed == 1 {
                    append_audit(connection, SCHEDULE_ACTOR, "set round open", &detail)?;
                }
                Ok(changed == 1)
            })?;
            if opened {
                changes.push((exercise, round, RoundState::Open));
            }
        }
        for (exercise, round) in self.due_rounds(now, RoundState::Open)? {
            let in_definition = self
                .exercise(&exercise)?
                .is_some_and(|stored| stored.exercise.round(&round).is_some());
            if !in_definition {
                continue;
            }
            let (exercise_id, round_id) = (exercise.clone(), round.clone());
            let closed = self.write(move |connection| {
                let changed = connection.execute(
                    "UPDATE rounds SET state = 'closed', closed_at = ?3
                     WHERE exercise_id = ?1 AND round_id = ?2 AND state = 'open' AND closes_at <= ?3",
                    params![exercise_id, round_id, now],
                )?;
                if changed == 1 {
                    append_audit(
                        connection,
                        SCHEDULE_ACTOR,
                        "set round closed",
                        &format!("exercise {exercise_id} round {round_id}"),
                    )?;
                }
                Ok(changed == 1)
            })?;
            if closed {
                changes.push((exercise, round, RoundState::Closed));
            }
        }
        Ok(changes)
    }

    /// The rounds in `state` whose scheduled time for leaving it (opening for a draft, closing
    /// for an open round) is at or before `now`: (exercise, round), in order.
    fn due_rounds(&self, now: i64, state: RoundState) -> Result<Vec<(String, String)>, StoreError> {
        let sql = match state {
            RoundState::Draft => {
                "SELECT exercise_id, round_id FROM rounds WHERE state = 'draft' AND opens_at <= ?1 ORDER BY exercise_id, round_id"
            }
            RoundState::Open => {
                "SELECT exercise_id, round_id FROM rounds WHERE state = 'open' AND closes_at <= ?1 ORDER BY exercise_id, round_id"
            }
            RoundState::Closed => return Ok(Vec::new()),
        };
        self.read(|connection| {
            let mut statement = connection.prepare_cached(sql)?;
            let due = statement
                .query_map(params![now], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?;
            Ok(due)
        })
    }
}
