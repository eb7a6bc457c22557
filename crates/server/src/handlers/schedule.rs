//! Setting when a round opens and closes by itself.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::Permission;
use crate::auth::AdminActor;
use crate::error::{ApiJson, ApiPath, AppError, ErrorBody};
use crate::handlers::exercises::stored_exercise;
use crate::schedule::{parse_rfc3339, rfc3339};

/// When a round is to open and close by itself; `null` (or leaving a field out) clears it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRequest {
    /// When the round opens, as RFC 3339 (`2027-01-10T09:00:00Z`); acted on while the round
    /// is a draft. A round that is not ready then (no items yet) stays a draft, and the audit
    /// log says why.
    #[schema(format = DateTime)]
    pub opens_at: Option<String>,
    /// When the round closes, as RFC 3339; acted on while the round is open. Must be after
    /// `opens_at` when both are given.
    #[schema(format = DateTime)]
    pub closes_at: Option<String>,
}

/// A round's schedule and state.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleResponse {
    /// The round id.
    pub round: String,
    /// Its state now: `draft`, `open` or `closed`.
    pub state: String,
    /// When it opens by itself (RFC 3339, UTC), if scheduled.
    pub opens_at: Option<String>,
    /// When it closes by itself (RFC 3339, UTC), if scheduled.
    pub closes_at: Option<String>,
}

/// A time of the request as Unix seconds, or the error naming its field.
fn parse(field: &str, text: Option<&str>) -> Result<Option<i64>, AppError> {
    text.map(|text| {
        parse_rfc3339(text).ok_or_else(|| {
            AppError::field(
                field,
                format!(
                    "`{field}` must be an RFC 3339 date and time such as 2027-01-10T09:00:00Z, or null"
                ),
            )
        })
    })
    .transpose()
}

/// Sets when a round opens and closes by itself (leads and owners). The service looks every
/// few seconds for rounds due to open or close; each change is in the audit log, by `schedule`.
#[utoipa::path(put, path = "/api/v1/exercises/{exercise}/rounds/{round}/schedule", operation_id = "setRoundSchedule", tag = "exercises",
    params(("exercise" = String, Path), ("round" = String, Path)),
    request_body = ScheduleRequest,
    responses((status = 200, body = ScheduleResponse), (status = 404, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "The caller is not a lead or owner of the exercise"),
        (status = 422, body = ErrorBody, description = "A time is not RFC 3339, or the closing time is not after the opening time: the error names the field")),
    security(("bearer" = []), ("session" = [])))]
pub async fn set_schedule(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
    ApiJson(request): ApiJson<ScheduleRequest>,
) -> Result<Json<ScheduleResponse>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    let opens_at = parse("opens_at", request.opens_at.as_deref())?;
    let closes_at = parse("closes_at", request.closes_at.as_deref())?;
    let (exercise_id, round_id) = (exercise.clone(), round.clone());
    state
        .blocking(move |store| {
            store.set_round_schedule(&exercise_id, &round_id, opens_at, closes_at, &actor.name)
        })
        .await?;
    let stored = stored_exercise(&state, &exercise).await?;
    let status = stored
        .rounds
        .iter()
        .find(|status| status.round == round)
        .ok_or_else(|| {
            AppError::NotFound(format!("exercise `{exercise}` has no round `{round}`"))
        })?;
    Ok(Json(ScheduleResponse {
        round,
        state: status.state.to_string(),
        opens_at: status.opens_at.map(rfc3339),
        closes_at: status.closes_at.map(rfc3339),
    }))
}
