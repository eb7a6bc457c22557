//! The admin calls that change exercises: a new definition, opening and closing rounds,
//! invites, participation and the audit log.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use store::RoundState;
use utoipa::ToSchema;

use super::stored_exercise;
use crate::AppState;
use crate::access::{Permission, require_all_exercises};
use crate::auth::AdminActor;
use crate::error::{ApiJson, ApiPath, ApiText, AppError, ErrorBody};
use crate::participation::ShownCounts;

/// The outcome of storing a definition.
#[derive(Debug, Serialize, ToSchema)]
pub struct PutExerciseResponse {
    /// The exercise id.
    pub exercise: String,
    /// The current version.
    pub version: i64,
    /// Whether a new version was stored.
    pub changed: bool,
}

/// Stores an exercise definition (TOML in the body) as the exercise's new version (admin).
/// The id in the path must match the definition's.
#[utoipa::path(put, path = "/api/v1/exercises/{exercise}", operation_id = "putExercise", tag = "exercises",
    params(("exercise" = String, Path, description = "The exercise id")),
    request_body(content((String = "application/toml"), (String = "text/plain")),
        description = "The definition, as TOML (any content type is read as the definition's text)"),
    responses((status = 200, body = PutExerciseResponse), (status = 201, body = PutExerciseResponse),
        (status = 422, body = ErrorBody, description = "The definition is not valid: each error names the line and field")),
    security(("bearer" = []), ("session" = [])))]
pub async fn put(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath(exercise): ApiPath<String>,
    ApiText(body): ApiText,
) -> Result<(StatusCode, Json<PutExerciseResponse>), AppError> {
    let existed = state
        .blocking({
            let exercise = exercise.clone();
            move |store| store.exercise(&exercise)
        })
        .await?
        .is_some();
    if existed {
        state.authorize(&actor, &exercise, Permission::Run).await?;
    } else {
        require_all_exercises(&actor)?;
    }
    let parsed = survey::Exercise::parse(&body, "the definition")
        .map_err(|errors| AppError::from(store::StoreError::Definition(errors)))?;
    if parsed.id.as_str() != exercise {
        return Err(AppError::field(
            "id",
            format!(
                "the definition's id is `{}` but the address names `{exercise}`: make them the same",
                parsed.id
            ),
        ));
    }
    let put = state
        .blocking(move |store| store.put_exercise(&body, "the definition", &actor.name))
        .await?;
    let status = if existed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(PutExerciseResponse {
            exercise: put.exercise,
            version: put.version,
            changed: put.changed,
        }),
    ))
}

/// A round's new state.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundStateResponse {
    /// The round id.
    pub round: String,
    /// Its state now.
    pub state: String,
}

async fn set_state(
    state: AppState,
    actor: AdminActor,
    exercise: String,
    round: String,
    target: RoundState,
) -> Result<Json<RoundStateResponse>, AppError> {
    let round_id = round.clone();
    let now = state.clock.now();
    state
        .blocking(move |store| {
            store.set_round_state_at(&exercise, &round, target, &actor.name, now)
        })
        .await?;
    Ok(Json(RoundStateResponse {
        round: round_id,
        state: target.to_string(),
    }))
}

/// Opens a round: it takes answers until closed (admin).
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/rounds/{round}/open", operation_id = "openRound", tag = "exercises",
    params(("exercise" = String, Path), ("round" = String, Path)),
    responses((status = 200, body = RoundStateResponse), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The round is not ready to open: it has no items yet")),
    security(("bearer" = []), ("session" = [])))]
pub async fn open_round(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
) -> Result<Json<RoundStateResponse>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    set_state(state, actor, exercise, round, RoundState::Open).await
}

/// Closes a round: it takes no more answers (admin).
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/rounds/{round}/close", operation_id = "closeRound", tag = "exercises",
    params(("exercise" = String, Path), ("round" = String, Path)),
    responses((status = 200, body = RoundStateResponse), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn close_round(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
) -> Result<Json<RoundStateResponse>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    set_state(state, actor, exercise, round, RoundState::Closed).await
}

/// How many invites to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    /// 1 to 10,000.
    #[schema(minimum = 1, maximum = 10000)]
    pub count: u32,
}

/// New invite tokens: shown once, only their hashes are kept.
#[derive(Debug, Serialize, ToSchema)]
pub struct InviteResponse {
    /// The tokens; each admits one respondent.
    pub invites: Vec<String>,
}

/// Creates invite tokens for an exercise (admin).
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/invites", operation_id = "createInvites", tag = "respondents",
    params(("exercise" = String, Path)), request_body = InviteRequest,
    responses((status = 201, body = InviteResponse), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_invites(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath(exercise): ApiPath<String>,
    ApiJson(request): ApiJson<InviteRequest>,
) -> Result<(StatusCode, Json<InviteResponse>), AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    let invites = state
        .blocking(move |store| store.create_invites(&exercise, request.count, &actor.name))
        .await?;
    Ok((StatusCode::CREATED, Json(InviteResponse { invites })))
}

/// Respondents with a submitted answer by round and group, through the disclosure rule: a
/// group under the exercise's disclosure threshold is never shown on its own.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipationResponse {
    /// The exercise id.
    pub exercise: String,
    /// One entry per round, in the exercise's order.
    pub rounds: Vec<RoundParticipation>,
}

/// Counts by group as they may be shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupCountsView {
    /// Respondents per group id, for the groups shown on their own (and groups with nobody,
    /// when saying so isolates no one). A group that is absent is counted in `other_groups`
    /// or only in `total`.
    pub groups: BTreeMap<String, u64>,
    /// The groups not shown on their own, as one "other groups" count; `null` when there are
    /// none, or when they cannot be shown without isolating fewer people than the threshold
    /// (then only `total` counts them).
    pub other_groups: Option<u64>,
    /// Respondents in all.
    pub total: u64,
}

impl GroupCountsView {
    fn new(exercise: &survey::Exercise, counts: &ShownCounts) -> GroupCountsView {
        GroupCountsView {
            groups: exercise
                .groups
                .iter()
                .zip(&counts.groups)
                .filter_map(|(group, count)| count.count().map(|n| (group.id.to_string(), n)))
                .collect(),
            other_groups: counts.other_groups,
            total: counts.total,
        }
    }
}

/// One round's participation.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundParticipation {
    /// The round id.
    pub round: String,
    /// The round's state.
    pub state: String,
    /// Respondents per group id shown on its own (see `GroupCountsView`).
    pub groups: BTreeMap<String, u64>,
    /// The groups not shown on their own, as one count (`null`: none, or not shown).
    pub other_groups: Option<u64>,
    /// Respondents in all.
    pub total: u64,
    /// For rounds after the first: of those who answered the previous round, how many
    /// answered this one too (the rest dropped out). A group's own count is given only when
    /// the group is shown on its own in both rounds.
    pub continued: Option<GroupCountsView>,
}

/// Participation by group and round (admin). Groups under the exercise's disclosure threshold
/// are pooled as "other groups" (with the next smallest group when needed, so that the pool
/// reaches the threshold) and never shown on their own.
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/participation", operation_id = "getParticipation", tag = "results",
    params(("exercise" = String, Path)),
    responses((status = 200, body = ParticipationResponse), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn participation(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath(exercise): ApiPath<String>,
) -> Result<Json<ParticipationResponse>, AppError> {
    state.authorize(&actor, &exercise, Permission::Read).await?;
    let stored = stored_exercise(&state, &exercise).await?;
    let lookup = exercise.clone();
    let (counts, continuation) = state
        .blocking(move |store| Ok((store.participation(&lookup)?, store.continuation(&lookup)?)))
        .await?;
    let shown = crate::participation::participation(&stored.exercise, &counts, &continuation);
    let rounds: Vec<RoundParticipation> = stored
        .exercise
        .rounds
        .iter()
        .zip(&stored.rounds)
        .zip(&shown)
        .map(|((round, status), shown)| {
            let respondents = GroupCountsView::new(&stored.exercise, &shown.respondents);
            RoundParticipation {
                round: round.id.to_string(),
                state: status.state.to_string(),
                groups: respondents.groups,
                other_groups: respondents.other_groups,
                total: respondents.total,
                continued: shown
                    .continued
                    .as_ref()
                    .map(|continued| GroupCountsView::new(&stored.exercise, continued)),
            }
        })
        .collect();
    Ok(Json(ParticipationResponse { exercise, rounds }))
}

/// One audit entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    /// Increasing id.
    pub id: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Details.
    pub detail: String,
}

/// The audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditResponse {
    /// The latest entries, newest first.
    pub entries: Vec<AuditView>,
}

/// The latest 500 administrative actions, newest first (admin).
#[utoipa::path(get, path = "/api/v1/audit", operation_id = "getAuditLog", tag = "accounts",
    responses((status = 200, body = AuditResponse)),
    security(("bearer" = []), ("session" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    actor: AdminActor,
) -> Result<Json<AuditResponse>, AppError> {
    require_all_exercises(&actor)?;
    let entries = state.blocking(|store| store.audit_log(500)).await?;
    Ok(Json(AuditResponse {
        entries: entries
            .into_iter()
            .map(|entry| AuditView {
                id: entry.id,
                at: entry.at,
                actor: entry.actor,
                action: entry.action,
                detail: entry.detail,
            })
            .collect(),
    }))
}
