//! Publishing through the API: publish a round's results, withdraw them, and read the current
//! snapshot (public).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::AppState;
use crate::access::Permission;
use crate::auth::AdminActor;
use crate::error::{ApiPath, AppError, ErrorBody};

/// What was published.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicationSummary {
    /// The snapshot's id.
    pub publication: i64,
    /// The exercise.
    pub exercise: String,
    /// The round whose results it holds.
    pub round: String,
    /// The SHA-256 of its inputs: the definition's TOML followed by the round's export.
    pub inputs_sha256: String,
    /// How many people answered the round.
    pub respondents: u64,
    /// The public page that shows it.
    pub page: String,
}

/// Publishes a round's results (leads and owners): computes them once with the round's own
/// method and weighting, with rank intervals when a bootstrap is cheap enough, and stores them
/// with the method report as the exercise's current publication, a frozen snapshot that
/// `/e/{exercise}/results` shows to anyone. Publishing again makes a new snapshot. Audited.
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/rounds/{round}/publication", operation_id = "publishResults", tag = "results",
    params(("exercise" = String, Path), ("round" = String, Path)),
    responses((status = 201, body = PublicationSummary, description = "Published: the new snapshot"),
        (status = 403, body = ErrorBody, description = "Only leads and owners of the exercise publish"),
        (status = 404, body = ErrorBody, description = "No such exercise or round"),
        (status = 409, body = ErrorBody, description = "The round has no submitted answers yet"),
        (status = 422, body = ErrorBody, description = "A suggestion round, or results that cannot be computed")),
    security(("bearer" = []), ("session" = [])))]
pub async fn publish(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
) -> Result<(StatusCode, Json<PublicationSummary>), AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    let (publication, made) = super::publish(&state, &exercise, &round, &actor.name).await?;
    let snapshot: super::Snapshot = serde_json::from_str(&made.snapshot_json)
        .map_err(|error| AppError::Internal(format!("a new snapshot does not read: {error}")))?;
    Ok((
        StatusCode::CREATED,
        Json(PublicationSummary {
            publication,
            page: format!("/e/{exercise}/results"),
            exercise,
            round: made.round,
            inputs_sha256: made.inputs_sha256,
            respondents: snapshot.respondents,
        }),
    ))
}

/// Withdraws an exercise's published results (leads and owners): the public page then says
/// they are not published. The snapshots stay in the history. Audited.
#[utoipa::path(delete, path = "/api/v1/exercises/{exercise}/publication", operation_id = "unpublishResults", tag = "results",
    params(("exercise" = String, Path)),
    responses((status = 204, description = "Withdrawn"),
        (status = 403, body = ErrorBody, description = "Only leads and owners of the exercise unpublish"),
        (status = 404, body = ErrorBody, description = "No such exercise, or nothing is published")),
    security(("bearer" = []), ("session" = [])))]
pub async fn unpublish(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath(exercise): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    crate::handlers::exercises::stored_exercise(&state, &exercise).await?;
    let (lookup, name) = (exercise.clone(), actor.name.clone());
    if state
        .blocking(move |store| store.unpublish(&lookup, &name))
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound(format!(
            "the results of exercise `{exercise}` are not published"
        )))
    }
}

/// The exercise's published results (anyone, no sign-in): the stored snapshot, exactly as it
/// was published. `format` says which version of the snapshot's fields it is.
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/publication", operation_id = "getPublication", tag = "results",
    params(("exercise" = String, Path)),
    responses((status = 200, body = Object, description = "The snapshot: `format`, the exercise and round, the date, how many answered, the final list, the plain explanation, each disclosed group's top priorities and the easy-read sentences"),
        (status = 404, body = ErrorBody, description = "No such exercise, or its results are not published")))]
pub async fn show(
    State(state): State<AppState>,
    ApiPath(exercise): ApiPath<String>,
) -> Result<Response, AppError> {
    let Some(rendered) = super::current(&state, &exercise).await? else {
        crate::handlers::exercises::stored_exercise(&state, &exercise).await?;
        return Err(AppError::NotFound(format!(
            "the results of exercise `{exercise}` are not published yet"
        )));
    };
    let mut response = rendered.snapshot_json.clone().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}
