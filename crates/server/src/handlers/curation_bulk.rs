//! Curation at volume (admin API): one decision for many suggestions (all or nothing), and
//! the second reviewer's check of a decision. The rules are in `curation::bulk` and
//! `curation::listing`, which the list page (`pages::admin::curation`) uses too.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::Permission;
use crate::auth::AdminActor;
use crate::curation::{
    self, DecisionRequest, check_review, decide_many, decision_words, review_many, review_words,
};
use crate::error::{ApiJson, ApiPath, AppError, ErrorBody};

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
