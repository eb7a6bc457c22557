//! Curation at volume (admin): search, filters and paging of a suggest round's suggestions,
//! one decision for many suggestions (all or nothing), and the second reviewer's check of a
//! decision. The JSON API is here; the list page (`pages::admin::curation`) uses the same
//! functions.

use std::collections::HashSet;

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use store::{ReviewOutcome, StoredExercise, StoredReview};
use survey::curation::{CurationView, Review, ReviewMark, Status};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::Permission;
use crate::auth::AdminActor;
use crate::curation::{self, DecisionRequest};
use crate::error::{ApiJson, ApiPath, AppError, ErrorBody};

mod listing;

pub use listing::{
    ConfidenceFilter, CurationPage, DEFAULT_PER_PAGE, Filters, ListQuery, Listing, ReviewFilter,
    page_of,
};

// ---------------------------------------------------------------------------------------------
// Loading with the reviews.

/// The curation of a suggest round (as [`curation::load`]) with the second reviewer's marks
/// on its decisions, and the decider of each decided suggestion (by suggestion id).
///
/// # Errors
/// As [`curation::load`]; store errors.
pub async fn load(
    state: &AppState,
    exercise: &str,
    round: &str,
) -> Result<(StoredExercise, CurationView, Vec<StoredReview>), AppError> {
    let (stored, mut view) = curation::load(state, exercise, round).await?;
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

// ---------------------------------------------------------------------------------------------
// One decision for many.

/// One decision for many suggestions.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkDecisionRequest {
    /// The suggestions (`RESPONDENT:N`), at least one.
    pub suggestions: Vec<String>,
    /// `assigned` (with `item`), `out-of-scope` (with a `note` saying why) or `unassigned`.
    pub status: String,
    /// The item, for `assigned`.
    #[serde(default)]
    pub item: Option<String>,
    /// A note; for `out-of-scope`, the reason.
    #[serde(default)]
    pub note: Option<String>,
    /// The version of the proposal the caller saw (`proposal_version` of the curation view):
    /// refused with 409 when the proposal has moved since.
    pub proposal_version: i64,
}

/// What a bulk decision recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkDecisionResponse {
    /// Suggestions recorded.
    pub recorded: usize,
    /// What was done, in words.
    pub message: String,
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
    curation::check_seen_proposal(view, seen, &suggestions)?;
    let mut decisions = Vec::with_capacity(suggestions.len());
    for suggestion in &suggestions {
        let decision = curation::check_decision(&stored.exercise, view, suggestion, request)
            .map_err(|error| match error {
                AppError::NotFound(detail) => AppError::field("suggestions", detail),
                other => other,
            })?;
        decisions.push(decision);
    }
    curation::record_from(state, view, decisions, actor, Some(seen), false).await
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

/// Records one decision for many suggestions of a suggest round: assigned to an item, out of
/// scope (with the reason) or back to undecided; all of them or, when any one is not valid or
/// the proposal moved since the caller saw it, none (admin).
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/rounds/{round}/curation/decisions", operation_id = "decideSuggestions", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path, description = "A suggest round")),
    request_body = BulkDecisionRequest,
    responses((status = 200, body = BulkDecisionResponse), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The proposal moved since `proposal_version`: nothing was recorded"),
        (status = 422, body = ErrorBody, description = "A decision is not valid (the field is named): nothing was recorded")),
    security(("bearer" = []), ("session" = [])))]
pub async fn decide(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
    ApiJson(request): ApiJson<BulkDecisionRequest>,
) -> Result<Json<BulkDecisionResponse>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    let (stored, view) = curation::load(&state, &exercise, &round).await?;
    let decision = DecisionRequest {
        status: request.status,
        item: request.item,
        note: request.note,
    };
    let recorded = decide_many(
        &state,
        &stored,
        &view,
        &request.suggestions,
        &decision,
        request.proposal_version,
        &actor.name,
    )
    .await?;
    Ok(Json(BulkDecisionResponse {
        recorded,
        message: decision_words(&stored.exercise, recorded, &decision),
    }))
}

// ---------------------------------------------------------------------------------------------
// The second reviewer's check.

/// A second reviewer's mark on a decision.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// `reviewed`, `queried` (with a `note` saying what to check), or null to clear the mark.
    pub review: Option<String>,
    /// The reviewer's note; needed for `queried`.
    #[serde(default)]
    pub note: Option<String>,
}

/// What a review did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewResponse {
    /// Suggestions marked (or cleared).
    pub marked: usize,
    /// Of those, how many had no recorded decider, so that anyone could check them.
    pub without_decider: usize,
    /// What was done, in words.
    pub message: String,
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
    if let Some(control) = note
        .as_deref()
        .and_then(survey::responses::first_refused_control)
    {
        return Err(AppError::field(
            "note",
            format!(
                "`note` holds a control character (U+{:04X}), which cannot be saved: remove it",
                u32::from(control)
            ),
        ));
    }
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

/// Marks a decided suggestion `reviewed` or `queried` (with a note), or clears the mark: a
/// second reviewer's check, by an account other than the one that made the decision (anyone,
/// when the decision has no recorded decider). Recorded with who and when, and in the audit
/// log; a changed decision clears it (admin).
#[utoipa::path(put, path = "/api/v1/exercises/{exercise}/rounds/{round}/curation/{suggestion}/review", operation_id = "reviewSuggestion", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path), ("suggestion" = String, Path, description = "RESPONDENT:N")),
    request_body = ReviewRequest,
    responses((status = 200, body = ReviewResponse), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The caller made the decision: a second reviewer must be someone else"),
        (status = 422, body = ErrorBody, description = "Not decided yet, an unknown review, or a query without a note")),
    security(("bearer" = []), ("session" = [])))]
pub async fn review(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round, suggestion)): ApiPath<(String, String, String)>,
    ApiJson(request): ApiJson<ReviewRequest>,
) -> Result<Json<ReviewResponse>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    let (_, view) = curation::load(&state, &exercise, &round).await?;
    if !view.has_suggestion(&suggestion) {
        return Err(AppError::NotFound(format!(
            "round `{round}` has no suggestion `{suggestion}`"
        )));
    }
    let (mark, note) = check_review(request.review.as_deref(), request.note.as_deref())?;
    let outcome = review_many(&state, &view, &[suggestion], (mark, note), &actor.name).await?;
    Ok(Json(ReviewResponse {
        marked: outcome.marked,
        without_decider: outcome.without_decider,
        message: review_words(mark, outcome),
    }))
}
