//! Curation of suggestions and shortlisting (admin): the JSON API of `crate::curation`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::Permission;
use crate::auth::AdminActor;
use crate::curation::{
    self, DecisionRequest, DefinitionChange, ItemChangeRequest, NewItemRequest, ShortlistPreview,
    ShortlistRequest,
};
use crate::error::{ApiJson, ApiPath, ApiQuery, AppError, ErrorBody};
use crate::handlers::curation_bulk::{self, CurationPage, ListQuery};
use crate::handlers::exercises::stored_exercise;
use crate::handlers::results::csv_response;

/// Every suggestion of a suggest round with its decision, the system's proposal and the
/// second reviewer's check, the proposed groups of near-duplicates, the items with their
/// suggestions, and counts by group (admin). With any of the query parameters, only one page
/// of the suggestions that pass the search and filters (and the groups they are in); the
/// counts stay those of the whole round.
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/rounds/{round}/curation", operation_id = "getCuration", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path, description = "A suggest round"), ListQuery),
    responses((status = 200, body = CurationPage), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn show(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<CurationPage>, AppError> {
    state.authorize(&actor, &exercise, Permission::Read).await?;
    let (stored, view, _) = curation_bulk::load(&state, &exercise, &round).await?;
    Ok(Json(curation_bulk::page_of(
        &stored.exercise,
        view,
        &query,
    )?))
}

/// The curation file of a suggest round (CSV: `suggestion,respondent,group,text,status,item,
/// cluster,similarity,note`), undecided suggestions carrying the system's proposal (admin).
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/rounds/{round}/curation.csv", operation_id = "getCurationCsv", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path, description = "A suggest round")),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "The round is not a suggest round")),
    security(("bearer" = []), ("session" = [])))]
pub async fn csv(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
) -> Result<Response, AppError> {
    state.authorize(&actor, &exercise, Permission::Read).await?;
    let (_, view) = curation::load(&state, &exercise, &round).await?;
    let body = survey::curation::write_curation(&view.to_curation(), Vec::new())
        .map_err(|error| AppError::Internal(format!("cannot write the curation file: {error}")))?;
    Ok(csv_response(
        body,
        &format!("{exercise}-{round}-curation.csv"),
    ))
}

/// How many suggestions a change touched.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionResponse {
    /// Suggestions recorded.
    pub recorded: usize,
}

/// Records the team's decision about one suggestion: assigned to an item, out of scope (with
/// the reason; kept and counted), or back to undecided (admin).
#[utoipa::path(put, path = "/api/v1/exercises/{exercise}/rounds/{round}/curation/{suggestion}", operation_id = "decideSuggestion", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path), ("suggestion" = String, Path, description = "RESPONDENT:N")),
    request_body = DecisionRequest,
    responses((status = 200, body = DecisionResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn decide(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round, suggestion)): ApiPath<(String, String, String)>,
    ApiJson(request): ApiJson<DecisionRequest>,
) -> Result<Json<DecisionResponse>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    let (stored, view) = curation::load(&state, &exercise, &round).await?;
    let decision = curation::check_decision(&stored.exercise, &view, &suggestion, &request)?;
    let recorded = curation::record(&state, &exercise, &round, vec![decision], &actor.name).await?;
    Ok(Json(DecisionResponse { recorded }))
}

/// Which proposals to accept.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptRequest {
    /// The proposed groups to accept, by number; all when absent.
    #[serde(default)]
    pub clusters: Option<Vec<usize>>,
    /// The version of the proposal the caller saw (`proposal_version` of the curation view):
    /// refused with 409 when the proposal has moved since.
    #[serde(default)]
    pub proposal_version: Option<i64>,
}

/// Accepts the system's proposals: the undecided suggestions of the given groups (all groups
/// when none are given) are assigned to the item their group matches (admin).
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/rounds/{round}/curation/accept", operation_id = "acceptProposals", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path)),
    request_body = AcceptRequest,
    responses((status = 200, body = DecisionResponse), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn accept(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
    ApiJson(request): ApiJson<AcceptRequest>,
) -> Result<Json<DecisionResponse>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    let (_, view) = curation::load(&state, &exercise, &round).await?;
    if let Some(seen) = request.proposal_version {
        let concerned: Vec<String> = view
            .accept_proposals(request.clusters.as_deref())
            .map_err(|error| AppError::field("clusters", error.to_string()))?
            .into_iter()
            .map(|decision| decision.suggestion)
            .collect();
        curation::check_seen_proposal(&view, seen, &concerned)?;
    }
    let recorded =
        curation::accept(&state, &view, request.clusters.as_deref(), &actor.name).await?;
    Ok(Json(DecisionResponse { recorded }))
}

/// Makes an item from suggestions: the item is added to the definition (a new version) and
/// the suggestions are assigned to it, together (admin).
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/rounds/{round}/curation/items", operation_id = "createItem", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path)),
    request_body = NewItemRequest,
    responses((status = 201, body = DefinitionChange), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_item(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
    ApiJson(request): ApiJson<NewItemRequest>,
) -> Result<(StatusCode, Json<DefinitionChange>), AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    let (stored, view) = curation::load(&state, &exercise, &round).await?;
    let change = curation::create_item(&state, &stored, &view, request, &actor.name).await?;
    Ok((StatusCode::CREATED, Json(change)))
}

/// Changes an item's wording, description or evidence; an item answered by existing evidence
/// is left out of later rounds that ask about every item (admin).
#[utoipa::path(patch, path = "/api/v1/exercises/{exercise}/items/{item}", operation_id = "changeItem", tag = "curation",
    params(("exercise" = String, Path), ("item" = String, Path)),
    request_body = ItemChangeRequest,
    responses((status = 200, body = DefinitionChange), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn change_item(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, item)): ApiPath<(String, String)>,
    ApiJson(request): ApiJson<ItemChangeRequest>,
) -> Result<Json<DefinitionChange>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    let stored = stored_exercise(&state, &exercise).await?;
    Ok(Json(
        curation::change_item(&state, &stored, &item, request, &actor.name).await?,
    ))
}

/// What a shortlist rule would give: every item of the round in overall rank order, whether
/// it goes through, and why (admin).
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/rounds/{round}/shortlist", operation_id = "previewShortlist", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path), ShortlistRequest),
    responses((status = 200, body = ShortlistPreview), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn shortlist_preview(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
    ApiQuery(request): ApiQuery<ShortlistRequest>,
) -> Result<Json<ShortlistPreview>, AppError> {
    state.authorize(&actor, &exercise, Permission::Read).await?;
    Ok(Json(
        curation::preview(&state, &exercise, &round, &request).await?,
    ))
}

/// A shortlist made.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShortlistResponse {
    /// What went through and why.
    pub preview: ShortlistPreview,
    /// The round whose items were set, and the definition's new version.
    pub change: DefinitionChange,
}

/// Sets a later draft round's items to the shortlist of this round's results (admin).
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/rounds/{round}/shortlist", operation_id = "applyShortlist", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path)),
    request_body = ShortlistRequest,
    responses((status = 200, body = ShortlistResponse), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn shortlist(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
    ApiJson(request): ApiJson<ShortlistRequest>,
) -> Result<Json<ShortlistResponse>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    let (preview, change) =
        curation::apply(&state, &exercise, &round, &request, &actor.name).await?;
    Ok(Json(ShortlistResponse { preview, change }))
}

/// The audit trail (CSV): from each item of the long list back to the suggestions behind it,
/// with the evidence checked and the scores by round, in the shape the James Lind Alliance
/// publishes (admin).
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/audit.csv", operation_id = "getAuditTrailCsv", tag = "curation",
    params(("exercise" = String, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 409, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn audit_csv(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath(exercise): ApiPath<String>,
) -> Result<Response, AppError> {
    state.authorize(&actor, &exercise, Permission::Read).await?;
    let body = curation::audit_csv(&state, &exercise).await?;
    Ok(csv_response(body, &format!("{exercise}-audit-trail.csv")))
}
