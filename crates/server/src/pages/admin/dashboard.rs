//! The dashboard: every exercise the account has a role in, with its rounds.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use store::{Role, RoundState, StoredExercise};

use super::{SignedIn, admin_layout};
use crate::AppState;
use crate::error::AppError;
use crate::pages::{FormToken, Layout, PageResult, render};

// ---------------------------------------------------------------------------------------------
// The dashboard.

pub(super) struct RoundRow {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) kind: &'static str,
    pub(super) state: String,
    pub(super) open: bool,
    pub(super) rankable: bool,
    pub(super) suggest: bool,
    pub(super) respondents: u64,
}

struct ExerciseRow {
    id: String,
    title: String,
    version: i64,
    /// The account's role in it, for people ("owner", "research lead", ...).
    role: &'static str,
    rounds: Vec<RoundRow>,
}

#[derive(Template)]
#[template(path = "admin/index.html")]
struct DashboardPage {
    layout: Layout,
    exercises: Vec<ExerciseRow>,
    /// Whether the account may add exercises (it owns every exercise).
    can_add: bool,
}

pub(super) async fn round_rows(
    state: &AppState,
    stored: &StoredExercise,
) -> Result<Vec<RoundRow>, AppError> {
    let id = stored.exercise.id.to_string();
    let counts = state
        .blocking(move |store| store.participation(&id))
        .await?;
    Ok(stored
        .exercise
        .rounds
        .iter()
        .zip(&stored.rounds)
        .map(|(round, status)| RoundRow {
            id: round.id.to_string(),
            title: round.title.clone(),
            kind: round.kind.name(),
            state: status.state.to_string(),
            open: status.state == RoundState::Open,
            rankable: round.kind.data_kind().is_some(),
            suggest: round.kind.data_kind().is_none(),
            respondents: counts
                .iter()
                .filter(|count| count.round == round.id.as_str())
                .map(|count| count.respondents)
                .sum(),
        })
        .collect())
}

/// `GET /admin`.
pub async fn dashboard(
    State(state): State<AppState>,
    token: FormToken,
    SignedIn(admin): SignedIn,
) -> PageResult {
    let account = admin.id;
    let (exercises, roles) = state
        .blocking(move |store| Ok((store.exercises()?, store.roles_of(account)?)))
        .await?;
    let roles: std::collections::BTreeMap<String, Role> = roles.into_iter().collect();
    let mut rows = Vec::new();
    for stored in &exercises {
        let Some(role) = roles.get(stored.exercise.id.as_str()) else {
            continue;
        };
        rows.push(ExerciseRow {
            id: stored.exercise.id.to_string(),
            title: stored.exercise.title.clone(),
            version: stored.version,
            role: role.label(),
            rounds: round_rows(&state, stored).await?,
        });
    }
    let page = DashboardPage {
        layout: admin_layout("Exercises", &token, &admin, false),
        exercises: rows,
        can_add: admin.all_exercises,
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}
