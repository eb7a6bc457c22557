//! Respondents: starting one in a stakeholder group (chosen once for the whole exercise), and
//! coming back with a resume code.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiJson, ApiPath, AppError, ErrorBody};
use crate::rate::ClientAddress;

/// The longest invite token or resume code looked at; longer ones cannot be right.
const MAX_CODE_LENGTH: usize = 200;

/// Starting a respondent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRespondentRequest {
    /// The stakeholder group id: chosen once, kept for every round.
    pub group: String,
    /// The invite token, for invite-only exercises.
    #[serde(default)]
    pub invite: Option<String>,
}

/// A new respondent.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewRespondentResponse {
    /// The respondent id, for the answer addresses.
    pub respondent: String,
    /// The code to come back on another device; shown once.
    pub resume_code: String,
}

/// Starts a respondent in a stakeholder group; invite-only exercises need an invite token,
/// which is used up.
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/respondents", operation_id = "startRespondent", tag = "respondents",
    params(("exercise" = String, Path)), request_body = NewRespondentRequest,
    responses((status = 201, body = NewRespondentResponse),
        (status = 403, body = ErrorBody, description = "The invite is not valid or already used"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    client: ClientAddress,
    ApiPath(exercise): ApiPath<String>,
    ApiJson(request): ApiJson<NewRespondentRequest>,
) -> Result<(StatusCode, Json<NewRespondentResponse>), AppError> {
    state.limits.submit.check(client)?;
    if request
        .invite
        .as_ref()
        .is_some_and(|invite| invite.len() > MAX_CODE_LENGTH)
    {
        return Err(AppError::Forbidden(
            store::StoreError::InviteNotValid.to_string(),
        ));
    }
    let created = state
        .blocking(move |store| {
            store.create_respondent(&exercise, &request.group, request.invite.as_deref())
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewRespondentResponse {
            respondent: created.respondent,
            resume_code: created.resume_code,
        }),
    ))
}

/// Coming back with a resume code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResumeRequest {
    /// The code given when the respondent started (dashes, spaces and case do not matter).
    pub resume_code: String,
}

/// The respondent a resume code belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct RespondentView {
    /// The respondent id.
    pub respondent: String,
    /// The stakeholder group chosen at the start.
    pub group: String,
}

/// Finds the respondent a resume code belongs to, to carry on on another device.
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/resume", operation_id = "resumeRespondent", tag = "respondents",
    params(("exercise" = String, Path)), request_body = ResumeRequest,
    responses((status = 200, body = RespondentView), (status = 404, body = ErrorBody),
        (status = 429, body = ErrorBody)))]
pub async fn resume(
    State(state): State<AppState>,
    client: ClientAddress,
    ApiPath(exercise): ApiPath<String>,
    ApiJson(request): ApiJson<ResumeRequest>,
) -> Result<Json<RespondentView>, AppError> {
    // Guessing codes has a bucket of its own, apart from the admins' sign-in.
    state.limits.resume.check(client)?;
    let not_found = || {
        AppError::NotFound(
            "that resume code is not right for this exercise: check it and try again".to_string(),
        )
    };
    if request.resume_code.len() > MAX_CODE_LENGTH {
        return Err(not_found());
    }
    let respondent = state
        .blocking(move |store| store.resume(&exercise, &request.resume_code))
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(RespondentView {
        respondent: respondent.id,
        group: respondent.group,
    }))
}

/// A respondent's group.
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/respondents/{respondent}", operation_id = "getRespondent", tag = "respondents",
    params(("exercise" = String, Path), ("respondent" = String, Path)),
    responses((status = 200, body = RespondentView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    ApiPath((exercise, respondent)): ApiPath<(String, String)>,
) -> Result<Json<RespondentView>, AppError> {
    let found = state
        .blocking(move |store| store.respondent(&respondent))
        .await?
        .filter(|found| found.exercise == exercise)
        .ok_or_else(|| {
            AppError::NotFound("there is no such respondent in this exercise".to_string())
        })?;
    Ok(Json(RespondentView {
        respondent: found.id,
        group: found.group,
    }))
}
