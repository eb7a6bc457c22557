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
    self, AcceptPreview, DecisionRequest, DefinitionChange, EditOutcome, EditRequest,
    ItemChangeRequest, NewItemRequest, ShortlistPreview, ShortlistRequest,
};
use crate::curation::{CurationPage, ListQuery};
use crate::error::{ApiJson, ApiPath, ApiQuery, AppError, ErrorBody};
use crate::handlers::exercises::stored_exercise;
use crate::handlers::results::csv_response;
use survey::curation::CurationView;

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
    let (stored, view, _) = curation::load_with_reviews(&state, &exercise, &round).await?;
    Ok(Json(curation::page_of(&stored.exercise, view, &query)?))
}

/// The curation file of a suggest round (CSV: `suggestion,respondent,group,text,status,item,
/// cluster,similarity,note,decided_by,decided_at,proposal_version`), undecided suggestions
/// carrying the system's proposal, decided ones who decided, when, and from which proposal
/// version (admin).
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
    let body = curation_csv(&view)
        .map_err(|error| AppError::Internal(format!("cannot write the curation file: {error}")))?;
    Ok(csv_response(
        body,
        &format!("{exercise}-{round}-curation.csv"),
    ))
}

/// The curation file of the view with the provenance columns
/// (`survey::curation::PROVENANCE_HEADER`): who decided, when (UTC) and from which proposal.
fn curation_csv(view: &CurationView) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let plain = survey::curation::write_curation(&view.to_curation(), Vec::new())?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(plain.as_slice());
    let mut writer = csv::Writer::from_writer(Vec::new());
    for (index, record) in reader.records().enumerate() {
        let mut record = record?;
        if index == 0 {
            for column in survey::curation::PROVENANCE_HEADER {
                record.push_field(column);
            }
        } else {
            // `to_curation` keeps the view's order, one row per suggestion.
            let row = &view.suggestions[index - 1];
            record.push_field(row.decided_by.as_deref().unwrap_or_default());
            record.push_field(
                &row.decided_at
                    .map(crate::schedule::rfc3339)
                    .unwrap_or_default(),
            );
            record.push_field(
                &row.decided_from_proposal
                    .map(|version| version.to_string())
                    .unwrap_or_default(),
            );
        }
        writer.write_record(&record)?;
    }
    Ok(writer.into_inner().map_err(|error| error.into_error())?)
}

/// How many suggestions a change touched.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionResponse {
    /// Suggestions recorded.
    pub recorded: usize,
}

/// A decision about one suggestion through the API: [`DecisionRequest`] with the proposal
/// version the caller saw, if any.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideRequest {
    /// `assigned` (with `item`), `out-of-scope` (with a `note` saying why) or `unassigned`.
    pub status: String,
    /// The item, for `assigned`.
    #[serde(default)]
    pub item: Option<String>,
    /// A note; for `out-of-scope`, the reason.
    #[serde(default)]
    pub note: Option<String>,
    /// The version of the proposal the caller saw (`proposal_version` of the curation view),
    /// when the decision was made from it: refused with 409 when the proposal for this
    /// suggestion has moved since, and recorded with the decision.
    #[serde(default)]
    pub proposal_version: Option<i64>,
}

/// Records the team's decision about one suggestion: assigned to an item, out of scope (with
/// the reason; kept and counted), or back to undecided (admin).
#[utoipa::path(put, path = "/api/v1/exercises/{exercise}/rounds/{round}/curation/{suggestion}", operation_id = "decideSuggestion", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path), ("suggestion" = String, Path, description = "RESPONDENT:N")),
    request_body = DecideRequest,
    responses((status = 200, body = DecisionResponse), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The proposal for this suggestion moved since `proposal_version`; the body also carries `seen`, `current` and `changes` (schema `ProposalConflict`)"),
        (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn decide(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round, suggestion)): ApiPath<(String, String, String)>,
    ApiJson(request): ApiJson<DecideRequest>,
) -> Result<Json<DecisionResponse>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    let (stored, view) = curation::load(&state, &exercise, &round).await?;
    let seen = request.proposal_version;
    let request = DecisionRequest {
        status: request.status,
        item: request.item,
        note: request.note,
    };
    let decision = curation::check_decision(&stored.exercise, &view, &suggestion, &request)?;
    let recorded = match seen {
        Some(seen) => {
            curation::check_seen_proposal(&view, seen, std::slice::from_ref(&suggestion))?;
            curation::record_from(
                &state,
                &view,
                vec![decision],
                &actor.name,
                Some(seen),
                false,
            )
            .await?
        }
        None => curation::record(&state, &exercise, &round, vec![decision], &actor.name).await?,
    };
    Ok(Json(DecisionResponse { recorded }))
}

/// Which proposals to accept, or to preview.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptRequest {
    /// The proposed groups to accept, by number; all when absent.
    #[serde(default)]
    pub clusters: Option<Vec<usize>>,
    /// The version of the proposal the caller saw (`proposal_version` of the curation view or
    /// of the preview): required to accept; refused with 409, with what moved, when the
    /// proposal for the suggestions concerned has moved since.
    #[serde(default)]
    pub proposal_version: Option<i64>,
    /// `true`: say what accepting would do, and change nothing.
    #[serde(default)]
    pub preview: bool,
}

/// What accepting did, or would do.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptResponse {
    /// Suggestions assigned (0 for a preview).
    pub recorded: usize,
    /// The proposal version accepted or previewed.
    pub proposal_version: i64,
    /// For a preview: what accepting would do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview: Option<AcceptPreview>,
}

/// Accepts the system's proposals: the undecided suggestions of the given groups (all groups
/// when none are given) are assigned to the item their group matches, unless the match is of
/// low confidence, all or nothing, from the proposal version the caller saw; or, with
/// `"preview": true`, says what that would do (admin).
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/rounds/{round}/curation/accept", operation_id = "acceptProposals", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path)),
    request_body = AcceptRequest,
    responses((status = 200, body = AcceptResponse), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The proposal moved since `proposal_version` for the suggestions concerned; nothing was applied. The body also carries `seen`, `current` and `changes` (schema `ProposalConflict`)"),
        (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn accept(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
    ApiJson(request): ApiJson<AcceptRequest>,
) -> Result<Json<AcceptResponse>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    let (stored, view) = curation::load(&state, &exercise, &round).await?;
    if request.preview {
        let preview =
            curation::accept_preview(&stored.exercise, &view, request.clusters.as_deref())?;
        return Ok(Json(AcceptResponse {
            recorded: 0,
            proposal_version: view.proposal_version,
            preview: Some(preview),
        }));
    }
    let seen = request.proposal_version.ok_or_else(|| {
        AppError::field(
            "proposal_version",
            "give `proposal_version`: the version of the proposal you saw (from the curation view or the preview)",
        )
    })?;
    let recorded = curation::accept(
        &state,
        &view,
        request.clusters.as_deref(),
        seen,
        &actor.name,
    )
    .await?;
    Ok(Json(AcceptResponse {
        recorded,
        proposal_version: seen,
        preview: None,
    }))
}

/// Groups to merge.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The proposed groups to merge (`cluster` numbers of the curation view), two or more.
    pub clusters: Vec<usize>,
    /// The proposal version the groups were seen in.
    pub proposal_version: i64,
}

/// Suggestions to split out of their group.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitRequest {
    /// Suggestion ids, all of one group and not all of it.
    pub suggestions: Vec<String>,
    /// The proposal version the group was seen in.
    pub proposal_version: i64,
}

/// Merges proposed groups into one: stored as the next proposal version, made by the caller,
/// and re-applied when the proposal is computed again (admin).
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/rounds/{round}/curation/groups/merge", operation_id = "mergeGroups", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path)),
    request_body = MergeRequest,
    responses((status = 200, body = EditOutcome), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "The proposal moved since `proposal_version`; the body also carries `seen`, `current` and `changes` (schema `ProposalConflict`)"), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn merge(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
    ApiJson(request): ApiJson<MergeRequest>,
) -> Result<Json<EditOutcome>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    Ok(Json(
        curation::edit_groups(
            &state,
            (&exercise, &round),
            request.proposal_version,
            EditRequest::Merge(request.clusters),
            &actor.name,
        )
        .await?,
    ))
}

/// Splits suggestions out of their proposed group into a group of their own (without an
/// item): stored as the next proposal version, made by the caller, and re-applied when the
/// proposal is computed again (admin).
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/rounds/{round}/curation/groups/split", operation_id = "splitGroup", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path)),
    request_body = SplitRequest,
    responses((status = 200, body = EditOutcome), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "The proposal moved since `proposal_version`; the body also carries `seen`, `current` and `changes` (schema `ProposalConflict`)"), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn split(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
    ApiJson(request): ApiJson<SplitRequest>,
) -> Result<Json<EditOutcome>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    Ok(Json(
        curation::edit_groups(
            &state,
            (&exercise, &round),
            request.proposal_version,
            EditRequest::Split(request.suggestions),
            &actor.name,
        )
        .await?,
    ))
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
