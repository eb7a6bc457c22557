//! One exercise: its rounds, opening and closing them, participation and invites.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use rank::disclosure::POOLED_GROUPS_LABEL;
use store::{Admin, RoundState};

use super::dashboard::{RoundRow, round_rows};
use super::{AdminPageResult, AdminRejection, SignedIn, admin_layout, check_form};
use crate::AppState;
use crate::error::AppError;
use crate::handlers::exercises::stored_exercise;
use crate::pages::{FieldError, Fields, FormToken, Layout, PageResult, field, render, see_other};
use crate::participation::RoundCounts;

// ---------------------------------------------------------------------------------------------
// One exercise.

struct ParticipationRow {
    group: String,
    counts: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/exercise.html")]
struct ExerciseAdminPage {
    layout: Layout,
    id: String,
    title: String,
    version: i64,
    invite_only: bool,
    rounds: Vec<RoundRow>,
    round_titles: Vec<String>,
    participation: Vec<ParticipationRow>,
    other_groups: Option<Vec<String>>,
    other_label: String,
    totals: Vec<u64>,
    dropped: Vec<String>,
    invites: Vec<String>,
    invite_error: Option<String>,
    errors: Vec<FieldError>,
    threshold: u32,
}

/// A count in the participation table: the number, or "–" for a group not shown on its own.
fn cell(count: Option<u64>) -> String {
    count.map_or_else(|| NOT_SHOWN.to_string(), |count| count.to_string())
}

/// "Other groups" from "other groups".
fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// What a cell of a group not shown on its own holds.
const NOT_SHOWN: &str = "–";

/// The participation table's rows through the disclosure rule: one per group (its count per
/// round, or "–" where it is not shown on its own), the "other groups" row when any round has
/// one, and the totals.
fn participation_rows(
    exercise: &survey::Exercise,
    shown: &[RoundCounts],
) -> (Vec<ParticipationRow>, Option<Vec<String>>, Vec<u64>) {
    let rows = exercise
        .groups
        .iter()
        .enumerate()
        .map(|(group, label)| ParticipationRow {
            group: label.label.clone(),
            counts: shown
                .iter()
                .map(|round| cell(round.respondents.groups[group].count()))
                .collect(),
        })
        .collect();
    let other_groups = shown
        .iter()
        .any(|round| round.respondents.other_groups.is_some())
        .then(|| {
            shown
                .iter()
                .map(|round| cell(round.respondents.other_groups))
                .collect()
        });
    let totals = shown.iter().map(|round| round.respondents.total).collect();
    (rows, other_groups, totals)
}

/// Drop-out: of those who answered the previous round, how many did not answer this one
/// (totals only).
fn dropped_out(shown: &[RoundCounts]) -> Vec<String> {
    shown
        .iter()
        .enumerate()
        .map(|(index, round)| {
            let Some(continued) = &round.continued else {
                return NOT_SHOWN.to_string();
            };
            let before = shown[index - 1].respondents.total;
            let left = before.saturating_sub(continued.total);
            if before == 0 {
                NOT_SHOWN.to_string()
            } else {
                format!(
                    "{left} of {before} ({:.0}%)",
                    100.0 * left as f64 / before as f64
                )
            }
        })
        .collect()
}

async fn exercise_admin_page(
    state: &AppState,
    token: &FormToken,
    admin: &Admin,
    id: &str,
    invites: Vec<String>,
    errors: Vec<FieldError>,
) -> Result<ExerciseAdminPage, AppError> {
    let stored = stored_exercise(state, id).await?;
    let lookup = id.to_string();
    let (counts, continuation) = state
        .blocking(move |store| Ok((store.participation(&lookup)?, store.continuation(&lookup)?)))
        .await?;
    let exercise = &stored.exercise;
    let shown = crate::participation::participation(exercise, &counts, &continuation);
    let (participation, other_groups, totals) = participation_rows(exercise, &shown);
    let dropped = dropped_out(&shown);
    Ok(ExerciseAdminPage {
        layout: admin_layout(&exercise.title, token, admin, !errors.is_empty()),
        id: id.to_string(),
        title: exercise.title.clone(),
        version: stored.version,
        invite_only: exercise.invite_only,
        rounds: round_rows(state, &stored).await?,
        round_titles: exercise
            .rounds
            .iter()
            .map(|round| round.title.clone())
            .collect(),
        participation,
        other_groups,
        other_label: capitalised(POOLED_GROUPS_LABEL),
        totals,
        dropped,
        threshold: exercise.disclosure_threshold,
        invites,
        invite_error: errors.first().map(|error| error.message.clone()),
        errors,
    })
}

/// `GET /admin/e/{exercise}`.
pub async fn exercise(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    let page = exercise_admin_page(&state, &token, &admin, &id, Vec::new(), Vec::new()).await?;
    Ok(render(&page, StatusCode::OK, &token, &state))
}

async fn set_round(
    state: AppState,
    token: FormToken,
    admin: Result<SignedIn, AdminRejection>,
    id: String,
    round: String,
    fields: Fields,
    target: RoundState,
) -> AdminPageResult {
    let back = format!("/admin/e/{id}");
    check_form(&state, &token, &fields, &back)?;
    let SignedIn(admin) = admin?;
    state
        .blocking(move |store| store.set_round_state(&id, &round, target, &admin.email))
        .await?;
    Ok(see_other(&back))
}

/// `POST /admin/e/{exercise}/r/{round}/open`.
pub async fn open_round(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    set_round(state, token, admin, id, round, fields, RoundState::Open).await
}

/// `POST /admin/e/{exercise}/r/{round}/close`.
pub async fn close_round(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    set_round(state, token, admin, id, round, fields, RoundState::Closed).await
}

/// `POST /admin/e/{exercise}/invites`: shows the new invite codes once.
pub async fn invites(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    check_form(&state, &token, &fields, &format!("/admin/e/{id}"))?;
    let SignedIn(admin) = admin?;
    let text = field(&fields, "count")
        .unwrap_or_default()
        .trim()
        .to_string();
    let count = text
        .parse::<u32>()
        .ok()
        .filter(|count| (1..=store::MAX_INVITES_PER_CALL).contains(count));
    let Some(count) = count else {
        let errors = vec![FieldError {
            anchor: "count".to_string(),
            message: format!(
                "Enter a number of invites from 1 to {}",
                store::MAX_INVITES_PER_CALL
            ),
        }];
        let page = exercise_admin_page(&state, &token, &admin, &id, Vec::new(), errors).await?;
        return Ok(render(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            &token,
            &state,
        ));
    };
    let (exercise, actor) = (id.clone(), admin.email.clone());
    let created = state
        .blocking(move |store| store.create_invites(&exercise, count, &actor))
        .await?;
    let page = exercise_admin_page(&state, &token, &admin, &id, created, Vec::new()).await?;
    Ok(render(&page, StatusCode::OK, &token, &state))
}
