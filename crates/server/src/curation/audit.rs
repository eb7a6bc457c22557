//! The audit trail: the exercise's curation and its CSV.

use store::StoredExercise;
use survey::RoundKind;
use survey::curation::Curation;

use super::load;
use crate::AppState;
use crate::error::AppError;
use crate::handlers::exercises::stored_exercise;
use crate::handlers::results::{ResultsQuery, compute_results, ranking_request};

// The audit trail.

/// The curation of the exercise's first suggest round that has suggestions (undecided
/// suggestions carry the system's proposal, which the audit trail does not count as assigned),
/// or `None` when there is none.
///
/// # Errors
/// Store errors.
pub async fn exercise_curation(
    state: &AppState,
    stored: &StoredExercise,
) -> Result<Option<Curation>, AppError> {
    for round in &stored.exercise.rounds {
        if !matches!(round.kind, RoundKind::Suggest { .. }) {
            continue;
        }
        let (_, view) = load(state, stored.exercise.id.as_str(), round.id.as_str()).await?;
        if view.total > 0 {
            return Ok(Some(view.to_curation()));
        }
    }
    Ok(None)
}

/// The audit trail as CSV in the James Lind Alliance's shape: every item of the long list
/// with the suggestions behind it, the evidence checked and its scores by round (each round
/// ranked by its own method and weighting, without bootstrap).
///
/// # Errors
/// 409 when no suggest round has suggestions; errors of the rounds' results other than a
/// round with no answers or whose method cannot rank them (those rounds give no ranks).
pub async fn audit_csv(state: &AppState, exercise: &str) -> Result<Vec<u8>, AppError> {
    let stored = stored_exercise(state, exercise).await?;
    let Some(curation) = exercise_curation(state, &stored).await? else {
        return Err(AppError::Conflict(format!(
            "exercise `{exercise}` has no suggestions yet: the audit trail starts from them"
        )));
    };
    let mut documents = Vec::new();
    for (round, status) in stored.exercise.rounds.iter().zip(&stored.rounds) {
        if round.kind.data_kind().is_none() || status.state == store::RoundState::Draft {
            continue;
        }
        let request = ranking_request(ResultsQuery::default(), state)?;
        match compute_results(state, exercise, round.id.as_str(), request).await {
            Ok(document) => documents.push((round.id.to_string(), document)),
            // A round without submitted answers has no scores yet; a round whose method cannot
            // rank its answers (Bradley-Terry on choices that do not connect every item, say)
            // has none either: its results page says why. The trail then shows no rank from it.
            Err(AppError::Conflict(_) | AppError::Invalid { .. }) => {}
            Err(other) => return Err(other),
        }
    }
    let rounds: Vec<(&survey::Round, &report::ResultsDocument)> = documents
        .iter()
        .filter_map(|(round, document)| stored.exercise.round(round).map(|r| (r, document)))
        .collect();
    let trail = report::audit::audit_trail(&stored.exercise, &curation, &rounds);
    report::audit::write_audit_csv(&trail, Vec::new())
        .map_err(|error| AppError::Internal(format!("cannot write the audit trail: {error}")))
}
