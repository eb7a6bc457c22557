//! Curation at volume, shared by the JSON API and the list page: the view with the second
//! reviewer's marks, one decision for many suggestions (all or nothing), and the second
//! reviewer's check of decisions.

use std::collections::HashSet;

use store::{ReviewOutcome, StoredExercise, StoredReview};
use survey::curation::{CurationView, Review, ReviewMark, Status};

use super::decisions::{self, DecisionRequest};
use crate::AppState;
use crate::error::AppError;

/// The curation of a suggest round (as [`decisions::load`]) with the second reviewer's marks
/// on its decisions, and the decider of each decided suggestion (by suggestion id).
///
/// # Errors
/// As [`decisions::load`]; store errors.
pub async fn load_with_reviews(
    state: &AppState,
    exercise: &str,
    round: &str,
) -> Result<(StoredExercise, CurationView, Vec<StoredReview>), AppError> {
    let (stored, mut view) = decisions::load(state, exercise, round).await?;
    let (exercise_id, round_id) = (exercise.to_string(), round.to_string());
    let reviews = state
        .blocking(move |store| store.reviews(&exercise_id, &round_id))
        .await?;
    view.set_reviews(reviews.iter().filter_map(|stored| {
        Some((
            stored.suggestion.clone(),
            ReviewMark {
                review: stored.review?,
                note: stored.note.clone(),
                by: stored.reviewed_by.clone().unwrap_or_default(),
                at: stored.reviewed_at.unwrap_or_default(),
            },
        ))
    }));
    Ok((stored, view, reviews))
}

/// The suggestions given, each once, in the order first given.
pub fn distinct(suggestions: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    suggestions
        .iter()
        .filter(|suggestion| seen.insert(suggestion.as_str()))
        .cloned()
        .collect()
}

/// Checks one decision for every suggestion and records them all, or none: refused when the
/// proposal moved since `seen` or when any one decision is not valid.
///
/// # Errors
/// 422 naming `suggestions` (none given, or one not in the round) or the decision's field
/// (`status`, `item`, `note`); 409 when the proposal moved; store errors.
pub async fn decide_many(
    state: &AppState,
    stored: &StoredExercise,
    view: &CurationView,
    suggestions: &[String],
    request: &DecisionRequest,
    seen: i64,
    actor: &str,
) -> Result<usize, AppError> {
    let suggestions = distinct(suggestions);
    if suggestions.is_empty() {
        return Err(AppError::field(
            "suggestions",
            "choose at least one suggestion",
        ));
    }
    decisions::check_seen_proposal(view, seen, &suggestions)?;
    let mut decisions = Vec::with_capacity(suggestions.len());
    for suggestion in &suggestions {
        let decision = decisions::check_decision(&stored.exercise, view, suggestion, request)
            .map_err(|error| match error {
                AppError::NotFound(detail) => AppError::field("suggestions", detail),
                other => other,
            })?;
        decisions.push(decision);
    }
    decisions::record_from(state, view, decisions, actor, Some(seen), false).await
}

/// What a decision did, in words: "12 suggestions assigned to Kinship care".
pub fn decision_words(
    exercise: &survey::Exercise,
    count: usize,
    request: &DecisionRequest,
) -> String {
    let suggestions = if count == 1 {
        "1 suggestion".to_string()
    } else {
        format!("{count} suggestions")
    };
    match Status::parse(&request.status) {
        Some(Status::Assigned) => {
            let item = request.item.as_deref().unwrap_or_default();
            let title = exercise
                .item(item)
                .map_or_else(|| item.to_string(), |found| found.title.clone());
            format!("{suggestions} assigned to {title}")
        }
        Some(Status::OutOfScope) => format!("{suggestions} marked out of scope"),
        _ => format!("{suggestions} back to not yet decided"),
    }
}

/// Checks a review mark: the state, and a note (needed for a query; no control characters;
/// at most `survey::curation::MAX_NOTE_CHARS` characters).
///
/// # Errors
/// 422 naming `review` or `note`.
pub fn check_review(
    review: Option<&str>,
    note: Option<&str>,
) -> Result<(Option<Review>, Option<String>), AppError> {
    let review = match review.map(str::trim).filter(|text| !text.is_empty()) {
        None => None,
        Some(text) => Some(Review::parse(text).ok_or_else(|| {
            AppError::field(
                "review",
                format!("`{text}` is not a review: use `reviewed` or `queried`, or null to clear"),
            )
        })?),
    };
    let note = note
        .map(str::trim)
        .filter(|note| !note.is_empty())
        .map(str::to_string);
    decisions::refuse_controls([("note", note.as_deref())])?;
    if note
        .as_deref()
        .is_some_and(|note| note.chars().count() > survey::curation::MAX_NOTE_CHARS)
    {
        return Err(AppError::field(
            "note",
            format!(
                "the note is longer than {} characters: shorten it",
                survey::curation::MAX_NOTE_CHARS
            ),
        ));
    }
    if review == Some(Review::Queried) && note.is_none() {
        return Err(AppError::field(
            "note",
            "say what to check again: a query needs a note",
        ));
    }
    Ok((review, note))
}

/// Marks decided suggestions reviewed or queried (or clears the mark) as `actor`: all or
/// none.
///
/// # Errors
/// 422 naming `suggestions` for none given, one not in the round or not decided; 409 when
/// `actor` made one of the decisions; store errors.
pub async fn review_many(
    state: &AppState,
    view: &CurationView,
    suggestions: &[String],
    (review, note): (Option<Review>, Option<String>),
    actor: &str,
) -> Result<ReviewOutcome, AppError> {
    let suggestions = distinct(suggestions);
    if suggestions.is_empty() {
        return Err(AppError::field(
            "suggestions",
            "choose at least one suggestion",
        ));
    }
    if let Some(unknown) = suggestions.iter().find(|id| !view.has_suggestion(id)) {
        return Err(AppError::field(
            "suggestions",
            format!("round `{}` has no suggestion `{unknown}`", view.round),
        ));
    }
    let (exercise, round, actor) = (view.exercise.clone(), view.round.clone(), actor.to_string());
    state
        .blocking(move |store| {
            store.set_review(
                &exercise,
                &round,
                &suggestions,
                review,
                note.as_deref(),
                &actor,
            )
        })
        .await
}

/// What a review did, in words.
pub fn review_words(review: Option<Review>, outcome: ReviewOutcome) -> String {
    let suggestions = if outcome.marked == 1 {
        "1 suggestion".to_string()
    } else {
        format!("{} suggestions", outcome.marked)
    };
    let done = match review {
        Some(Review::Reviewed) => format!("{suggestions} marked reviewed"),
        Some(Review::Queried) => format!("{suggestions} queried"),
        None => format!("{suggestions} no longer marked"),
    };
    match outcome.without_decider {
        0 => done,
        1 if outcome.marked == 1 => {
            format!("{done} (its decision has no recorded decider, so anyone may check it)")
        }
        count => {
            format!("{done} ({count} of them have no recorded decider, so anyone may check them)")
        }
    }
}
