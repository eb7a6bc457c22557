//! Curation of a suggest round's suggestions, panel continuation between rounds, and definition
//! changes based on a known version (so two research leads editing at once never overwrite
//! each other's change).

use rusqlite::{OptionalExtension, params};
use survey::answer::Answer;
use survey::curation::Status;

use survey::Exercise;

use crate::answers::parse_body;
use crate::audit::append_audit;
use crate::exercises::put_definition;
use crate::proposals::{DecisionSource, Recorded, latest_version};
use crate::{PutExercise, Store, StoreError, secret};

/// One suggestion of a suggest round's current submitted answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSuggestion {
    /// `PSEUDONYM:N`: the N-th suggestion (1-based) of the respondent's answer, numbered as
    /// the round's export writes them, so the ids match `survey::curation::suggestion_ids` on
    /// the export (which carries the same pseudonyms).
    pub id: String,
    /// The respondent's pseudonym ([`crate::Pseudonyms`]), never the respondent id.
    pub respondent: String,
    /// The respondent's group id.
    pub group: String,
    /// The text as written.
    pub text: String,
}

/// The research team's decision about one suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurationDecision {
    /// The suggestion id (`PSEUDONYM:N`).
    pub suggestion: String,
    /// The decision.
    pub status: Status,
    /// The item the suggestion is assigned (or proposed) to.
    pub item: Option<String>,
    /// A note, such as why a suggestion is out of scope.
    pub note: Option<String>,
}

/// How many respondents of a group who answered one round also answered another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Continuation {
    /// The earlier round.
    pub from_round: String,
    /// The later round.
    pub to_round: String,
    /// The group id.
    pub group: String,
    /// Respondents with submitted answers in both rounds.
    pub respondents: u64,
}

impl Store {
    /// The suggestions of a suggest round's current submitted answers, in submission order.
    ///
    /// # Errors
    /// Database errors, or a stored answer that no longer parses.
    pub fn suggestions(
        &self,
        exercise: &str,
        round: &str,
    ) -> Result<Vec<StoredSuggestion>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT a.respondent_id, r.group_id, a.body FROM answers a
                 JOIN respondents r ON r.id = a.respondent_id
                 WHERE a.exercise_id = ?1 AND a.round_id = ?2 AND a.submitted = 1 AND a.latest = 1
                 ORDER BY a.id",
            )?;
            let mut rows = statement.query(params![exercise, round])?;
            let mut suggestions = Vec::new();
            while let Some(row) = rows.next()? {
                let respondent = self.pseudonyms().of(&row.get::<_, String>(0)?);
                let group: String = row.get(1)?;
                let body = row.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
                if let Answer::Suggest(texts) = parse_body(body)? {
                    for (position, text) in texts.into_iter().enumerate() {
                        suggestions.push(StoredSuggestion {
                            id: format!("{respondent}:{}", position + 1),
                            respondent: respondent.clone(),
                            group: group.clone(),
                            text,
                        });
                    }
                }
            }
            Ok(suggestions)
        })
    }

    /// The decisions recorded for a suggest round's suggestions.
    ///
    /// # Errors
    /// Database errors.
    pub fn curation(
        &self,
        exercise: &str,
        round: &str,
    ) -> Result<Vec<CurationDecision>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT suggestion_id, status, item_id, note FROM curation
                 WHERE exercise_id = ?1 AND round_id = ?2 ORDER BY suggestion_id",
            )?;
            let rows = statement
                .query_map(params![exercise, round], |row| {
                    let status: String = row.get(1)?;
                    Ok(CurationDecision {
                        suggestion: row.get(0)?,
                        // The table's CHECK admits only the four statuses.
                        status: Status::parse(&status).unwrap_or(Status::Unassigned),
                        item: row.get(2)?,
                        note: row.get(3)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
    }

    /// Records decisions about suggestions (replacing earlier ones for the same suggestions),
    /// all in one transaction, with an audit entry by `actor`, who is recorded as the one who
    /// made them (made by hand: no proposal version).
    ///
    /// # Errors
    /// [`StoreError::UnknownRound`] when the exercise has no such round; database errors.
    pub fn set_curation(
        &self,
        exercise: &str,
        round: &str,
        decisions: Vec<CurationDecision>,
        actor: &str,
    ) -> Result<usize, StoreError> {
        let (exercise, round, actor) = (exercise.to_string(), round.to_string(), actor.to_string());
        self.write(move |connection| {
            record_decisions(
                connection,
                (&exercise, &round),
                &decisions,
                &actor,
                DecisionSource::default(),
            )
        })
    }

    /// Records decisions as [`Store::set_curation`] does, with where they come from: the
    /// proposal version recorded with each, and the latest proposal version they were checked
    /// against. When the round's latest proposal is no longer that version, nothing is
    /// recorded ([`Recorded::ProposalMoved`]), so that a decision never applies a proposal the
    /// person did not see, not even in part.
    ///
    /// # Errors
    /// As [`Store::set_curation`].
    pub fn set_curation_from(
        &self,
        exercise: &str,
        round: &str,
        decisions: Vec<CurationDecision>,
        actor: &str,
        source: DecisionSource,
    ) -> Result<Recorded, StoreError> {
        let (exercise, round, actor) = (exercise.to_string(), round.to_string(), actor.to_string());
        self.write(move |connection| {
            check_round(connection, &exercise, &round)?;
            if let Some(expected) = source.checked_against {
                let latest = latest_version(connection, &exercise, &round)?;
                if latest != expected {
                    return Ok(Recorded::ProposalMoved { latest });
                }
            }
            record_decisions(connection, (&exercise, &round), &decisions, &actor, source)
                .map(Recorded::Saved)
        })
    }

    /// Stores a changed definition (based on version `based_on`, as
    /// [`Store::put_exercise_based_on`]) and records decisions about suggestions, in one
    /// transaction: both are stored or neither. Used when an item is made from suggestions.
    ///
    /// # Errors
    /// As [`Store::put_exercise_based_on`] and [`Store::set_curation`].
    pub fn put_exercise_and_curate(
        &self,
        source: &str,
        based_on: i64,
        round: &str,
        decisions: Vec<CurationDecision>,
        actor: &str,
    ) -> Result<PutExercise, StoreError> {
        let exercise = Exercise::parse(source, "the changed definition")?;
        let (source, round, actor) = (source.to_string(), round.to_string(), actor.to_string());
        self.write(move |connection| {
            let put = put_definition(connection, &exercise, &source, &actor, Some(based_on))?;
            record_decisions(
                connection,
                (exercise.id.as_str(), &round),
                &decisions,
                &actor,
                DecisionSource::default(),
            )?;
            Ok(put)
        })
    }

    /// For every pair of rounds, how many respondents of each group answered both (only pairs
    /// with at least one), for drop-out between rounds.
    ///
    /// # Errors
    /// Database errors.
    pub fn continuation(&self, exercise: &str) -> Result<Vec<Continuation>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT a.round_id, b.round_id, r.group_id, COUNT(*) FROM answers a
                 JOIN answers b ON b.respondent_id = a.respondent_id
                   AND b.exercise_id = a.exercise_id AND b.round_id != a.round_id
                   AND b.submitted = 1 AND b.latest = 1
                 JOIN respondents r ON r.id = a.respondent_id
                 WHERE a.exercise_id = ?1 AND a.submitted = 1 AND a.latest = 1
                 GROUP BY a.round_id, b.round_id, r.group_id
                 ORDER BY a.round_id, b.round_id, r.group_id",
            )?;
            let rows = statement
                .query_map(params![exercise], |row| {
                    Ok(Continuation {
                        from_round: row.get(0)?,
                        to_round: row.get(1)?,
                        group: row.get(2)?,
                        respondents: row.get::<_, i64>(3)? as u64,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
    }

    /// Stores a changed definition only if the exercise's current version is still
    /// `based_on`, so that a change made from an older version never overwrites a newer one.
    ///
    /// # Errors
    /// [`StoreError::VersionConflict`] when someone else changed the definition meanwhile;
    /// otherwise as [`Store::put_exercise`].
    pub fn put_exercise_based_on(
        &self,
        source: &str,
        source_name: &str,
        based_on: i64,
        actor: &str,
    ) -> Result<PutExercise, StoreError> {
        self.put_exercise_checked(source, source_name, actor, Some(based_on))
    }
}

/// Refuses a round the exercise does not have.
pub(crate) fn check_round(
    connection: &rusqlite::Connection,
    exercise: &str,
    round: &str,
) -> Result<(), StoreError> {
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
    Ok(())
}

/// Records decisions with who made them (`actor`), when, and from which proposal version. A
/// decision that changes a suggestion's status, item or note clears the second reviewer's mark
/// of the decision it replaces (a mark is about one decision:
/// [`crate::review::clear_changed_reviews`]).
fn record_decisions(
    connection: &rusqlite::Connection,
    (exercise, round): (&str, &str),
    decisions: &[CurationDecision],
    actor: &str,
    source: DecisionSource,
) -> Result<usize, StoreError> {
    check_round(connection, exercise, round)?;
    crate::review::clear_changed_reviews(connection, exercise, round, decisions)?;
    let now = secret::now_seconds();
    let mut statement = connection.prepare_cached(
        "INSERT INTO curation (exercise_id, round_id, suggestion_id, status, item_id, note,
                               updated_at, decided_by, proposal_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (exercise_id, round_id, suggestion_id) DO UPDATE SET
           status = excluded.status, item_id = excluded.item_id, note = excluded.note,
           updated_at = excluded.updated_at, decided_by = excluded.decided_by,
           proposal_version = excluded.proposal_version",
    )?;
    for decision in decisions {
        statement.execute(params![
            exercise,
            round,
            decision.suggestion,
            decision.status.as_str(),
            decision.item,
            decision.note,
            now,
            actor,
            source.proposal_version
        ])?;
    }
    let provenance = match (source.accepted, source.proposal_version) {
        (true, Some(version)) => format!(" accepted from proposal {version}"),
        (true, None) => " accepted from the proposal".to_string(),
        (false, Some(version)) => format!(" decided from proposal {version}"),
        (false, None) => String::new(),
    };
    let summary = match decisions {
        [one] => format!(
            "exercise {exercise} round {round} suggestion {} {}{}{provenance}",
            one.suggestion,
            one.status,
            one.item
                .as_deref()
                .map(|item| format!(" {item}"))
                .unwrap_or_default()
        ),
        many => format!(
            "exercise {exercise} round {round} {} suggestions{provenance}",
            many.len()
        ),
    };
    append_audit(connection, actor, "curate", &summary)?;
    Ok(decisions.len())
}
