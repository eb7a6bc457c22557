//! Stored, versioned proposals of a suggest round's curation (`curation_proposals`).
//!
//! A proposal (the system's groups of near-duplicate suggestions, each matched to an item) is
//! computed once per change of the suggestions or the items and stored as the round's next
//! version, with the SHA-256 of the inputs it was computed from; people's merges and splits of
//! groups are stored as further versions. Decisions refer to the version the person saw, so
//! that nothing moves behind the team's back. The body is JSON written and read by the
//! service; this module only keeps it.

use rusqlite::{Connection, OptionalExtension, params};

use crate::audit::append_audit;
use crate::{Store, StoreError, secret};

/// One stored version of a round's proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredProposal {
    /// The version, from 1, increasing by one per stored proposal of the round.
    pub version: i64,
    /// The SHA-256 (hex) of the inputs the proposal was computed from.
    pub inputs_sha256: String,
    /// `system` for a computed proposal, or the account that merged or split its groups.
    pub made_by: String,
    /// When it was stored (Unix seconds).
    pub made_at: i64,
    /// The proposal as JSON.
    pub body: String,
}

/// A proposal to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProposal {
    /// The SHA-256 (hex) of the inputs it was computed from.
    pub inputs_sha256: String,
    /// `system`, or the account that merged or split groups.
    pub made_by: String,
    /// The proposal as JSON.
    pub body: String,
    /// What it is, for the audit log (for example `computed from 40 suggestions`).
    pub summary: String,
}

/// What storing a proposal did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutProposal {
    /// Stored as this version.
    Stored(i64),
    /// Not stored: the round's latest proposal is no longer the version the new one was based
    /// on (someone stored another meanwhile). Here is the latest.
    Moved(StoredProposal),
}

/// Who made a decision, when, and from which proposal version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionProvenance {
    /// The suggestion id (`PSEUDONYM:N`).
    pub suggestion: String,
    /// The account that made the decision (absent for decisions recorded before provenance
    /// was kept).
    pub decided_by: Option<String>,
    /// When (Unix seconds).
    pub decided_at: i64,
    /// The proposal version the decision was made from; absent for a decision made by hand
    /// without a proposal.
    pub proposal_version: Option<i64>,
}

/// Where decisions come from, and what must still hold when they are recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecisionSource {
    /// The proposal version the decisions were made from (recorded with each).
    pub proposal_version: Option<i64>,
    /// The round's latest proposal version the decisions were checked against (0: none
    /// stored): when another version has been stored since, nothing is recorded.
    pub checked_against: Option<i64>,
    /// Whether the decisions accept the proposal (said so in the audit log).
    pub accepted: bool,
}

/// What recording decisions did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// Recorded this many decisions.
    Saved(usize),
    /// Recorded nothing: the round's latest proposal is now this version, not the one the
    /// decisions were checked against.
    ProposalMoved {
        /// The latest version (0: none).
        latest: i64,
    },
}

const COLUMNS: &str = "version, inputs_sha256, made_by, made_at, body";

fn proposal_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredProposal> {
    Ok(StoredProposal {
        version: row.get(0)?,
        inputs_sha256: row.get(1)?,
        made_by: row.get(2)?,
        made_at: row.get(3)?,
        body: row.get(4)?,
    })
}

/// The round's latest proposal version, 0 when none is stored.
pub(crate) fn latest_version(
    connection: &Connection,
    exercise: &str,
    round: &str,
) -> Result<i64, StoreError> {
    Ok(connection
        .prepare_cached(
            "SELECT COALESCE(MAX(version), 0) FROM curation_proposals
             WHERE exercise_id = ?1 AND round_id = ?2",
        )?
        .query_row(params![exercise, round], |row| row.get(0))?)
}

fn latest(
    connection: &Connection,
    exercise: &str,
    round: &str,
) -> Result<Option<StoredProposal>, StoreError> {
    Ok(connection
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM curation_proposals WHERE exercise_id = ?1 AND round_id = ?2
             ORDER BY version DESC LIMIT 1"
        ))?
        .query_row(params![exercise, round], proposal_row)
        .optional()?)
}

impl Store {
    /// The round's latest stored proposal, if any.
    ///
    /// # Errors
    /// Database errors.
    pub fn latest_proposal(
        &self,
        exercise: &str,
        round: &str,
    ) -> Result<Option<StoredProposal>, StoreError> {
        self.read(|connection| latest(connection, exercise, round))
    }

    /// One stored version of the round's proposal, if there is one.
    ///
    /// # Errors
    /// Database errors.
    pub fn proposal(
        &self,
        exercise: &str,
        round: &str,
        version: i64,
    ) -> Result<Option<StoredProposal>, StoreError> {
        self.read(|connection| {
            Ok(connection
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM curation_proposals
                     WHERE exercise_id = ?1 AND round_id = ?2 AND version = ?3"
                ))?
                .query_row(params![exercise, round, version], proposal_row)
                .optional()?)
        })
    }

    /// Every stored version of the round's proposal, oldest first, without their bodies
    /// (`body` is empty).
    ///
    /// # Errors
    /// Database errors.
    pub fn proposal_versions(
        &self,
        exercise: &str,
        round: &str,
    ) -> Result<Vec<StoredProposal>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT version, inputs_sha256, made_by, made_at, '' FROM curation_proposals
                 WHERE exercise_id = ?1 AND round_id = ?2 ORDER BY version",
            )?;
            let rows = statement
                .query_map(params![exercise, round], proposal_row)?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
    }

    /// Stores a proposal as the round's next version, only if the round's latest version is
    /// still `based_on` (0: none stored), all in one transaction; so two requests that
    /// computed the same proposal at once store it once, and a proposal made from an older
    /// version never hides a newer one. The audit log records it with `summary`.
    ///
    /// # Errors
    /// [`StoreError::UnknownRound`] when the exercise has no such round; database errors.
    pub fn put_proposal(
        &self,
        exercise: &str,
        round: &str,
        based_on: i64,
        proposal: NewProposal,
    ) -> Result<PutProposal, StoreError> {
        let (exercise, round) = (exercise.to_string(), round.to_string());
        let NewProposal {
            inputs_sha256,
            made_by,
            body,
            summary,
        } = proposal;
        self.write(move |connection| {
            crate::curation::check_round(connection, &exercise, &round)?;
            let found = latest(connection, &exercise, &round)?;
            let found_version = found.as_ref().map_or(0, |found| found.version);
            if found_version != based_on
                && let Some(found) = found
            {
                return Ok(PutProposal::Moved(found));
            }
            let version = found_version + 1;
            connection
                .prepare_cached(
                    "INSERT INTO curation_proposals
                     (exercise_id, round_id, version, inputs_sha256, made_by, made_at, body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    exercise,
                    round,
                    version,
                    inputs_sha256,
                    made_by,
                    secret::now_seconds(),
                    body
                ])?;
            append_audit(
                connection,
                &made_by,
                "propose",
                &format!("exercise {exercise} round {round} proposal {version}: {summary}"),
            )?;
            Ok(PutProposal::Stored(version))
        })
    }

    /// Who made each recorded decision of the round, when, and from which proposal version.
    ///
    /// # Errors
    /// Database errors.
    pub fn curation_provenance(
        &self,
        exercise: &str,
        round: &str,
    ) -> Result<Vec<DecisionProvenance>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT suggestion_id, decided_by, updated_at, proposal_version FROM curation
                 WHERE exercise_id = ?1 AND round_id = ?2 ORDER BY suggestion_id",
            )?;
            let rows = statement
                .query_map(params![exercise, round], |row| {
                    Ok(DecisionProvenance {
                        suggestion: row.get(0)?,
                        decided_by: row.get(1)?,
                        decided_at: row.get(2)?,
                        proposal_version: row.get(3)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
    }
}
