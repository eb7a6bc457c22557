//! Exercises: listing them with their rounds' states (public), and the admin calls that change
//! them: a new definition, opening and closing rounds, invites, participation and the audit log.

use axum::Json;
use axum::extract::State;
use store::StoredExercise;

use crate::AppState;
use crate::error::{ApiPath, AppError, ErrorBody};

mod admin;
mod view;

pub use admin::{
    __path_audit, __path_close_round, __path_create_invites, __path_open_round,
    __path_participation, __path_put, audit, close_round, create_invites, open_round,
    participation, put,
};
use view::summary;
pub use view::{ExerciseList, ExerciseView, exercise_view};

/// The stored exercise, or 404.
pub async fn stored_exercise(state: &AppState, id: &str) -> Result<StoredExercise, AppError> {
    let lookup = id.to_string();
    state
        .blocking(move |store| store.exercise(&lookup))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no exercise `{id}`")))
}

/// Lists the exercises with the states of their rounds.
#[utoipa::path(get, path = "/api/v1/exercises", operation_id = "listExercises", tag = "exercises",
    responses((status = 200, body = ExerciseList)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<ExerciseList>, AppError> {
    let exercises = state.blocking(|store| store.exercises()).await?;
    Ok(Json(ExerciseList {
        exercises: exercises.iter().map(summary).collect(),
    }))
}

/// One exercise with its groups, items and rounds (and each round's state).
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}", operation_id = "getExercise", tag = "exercises",
    params(("exercise" = String, Path, description = "The exercise id")),
    responses((status = 200, body = ExerciseView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    ApiPath(exercise): ApiPath<String>,
) -> Result<Json<ExerciseView>, AppError> {
    Ok(Json(exercise_view(
        &stored_exercise(&state, &exercise).await?,
    )))
}
