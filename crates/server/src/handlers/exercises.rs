//! Exercises: listing them with their rounds' states (public), and the admin calls that change
//! them: a new definition, opening and closing rounds, invites, participation and the audit log.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use store::{RoundState, StoredExercise};
use survey::{RoundKind, Scale};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::AdminActor;
use crate::error::{ApiJson, AppError, ErrorBody};

/// A stakeholder group.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    /// The group id.
    pub id: String,
    /// The label shown to respondents.
    pub label: String,
    /// A longer description, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// An item.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemView {
    /// The item id.
    pub id: String,
    /// The short title.
    pub title: String,
    /// A longer description, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The theme, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
}

/// A CHNRI criterion.
#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionView {
    /// The criterion id.
    pub id: String,
    /// The question asked.
    pub label: String,
    /// The weight in the Research Priority Score.
    pub weight: f64,
}

/// A numeric rating scale.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScaleView {
    /// The lowest rating, or `None` for yes / undecided / no answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    /// The highest rating.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
    /// Labels of points of the scale.
    pub labels: BTreeMap<String, String>,
    /// The answers of a criteria round: `yes`, `undecided`, `no`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
}

/// A round with its state.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundView {
    /// The round id.
    pub id: String,
    /// The title.
    pub title: String,
    /// The question or instruction, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// `suggest`, `rate`, `rank`, `pick` or `pairwise`.
    pub kind: String,
    /// `draft`, `open` or `closed`.
    pub state: String,
    /// The ids of the items the round asks about, in order (empty for suggestions).
    pub items: Vec<String>,
    /// Rank rounds: how many items each respondent ranks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_k: Option<u32>,
    /// Pick rounds: the most items one may pick.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_picks: Option<u32>,
    /// Suggest rounds: the most suggestions one may make.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_suggestions: Option<u32>,
    /// Suggest rounds: the longest suggestion, in characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Rate rounds: the scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<ScaleView>,
    /// Rate rounds: whether "don't know" (null) is allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_dont_know: Option<bool>,
    /// Rate rounds with criteria: the criteria.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriterionView>,
    /// Pairwise rounds: the most choices one may make, if limited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_choices: Option<u32>,
    /// The method the round's results use, if set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The weighting the round's results use, if set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighting: Option<String>,
}

/// An exercise in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExerciseView {
    /// The exercise id.
    pub id: String,
    /// The title.
    pub title: String,
    /// What it is for.
    pub description: String,
    /// Whether an invite token is needed to take part.
    pub invite_only: bool,
    /// The current definition's version.
    pub version: i64,
    /// The ids of the rounds now open.
    pub open_rounds: Vec<String>,
    /// The stakeholder groups.
    pub groups: Vec<GroupView>,
    /// The items.
    pub items: Vec<ItemView>,
    /// The rounds, in order.
    pub rounds: Vec<RoundView>,
}

/// A round in the list of exercises.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundSummary {
    /// The round id.
    pub id: String,
    /// The title.
    pub title: String,
    /// The kind.
    pub kind: String,
    /// The state.
    pub state: String,
}

/// An exercise in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExerciseSummary {
    /// The exercise id.
    pub id: String,
    /// The title.
    pub title: String,
    /// What it is for.
    pub description: String,
    /// Whether an invite token is needed.
    pub invite_only: bool,
    /// The ids of the rounds now open.
    pub open_rounds: Vec<String>,
    /// Every round with its state.
    pub rounds: Vec<RoundSummary>,
}

/// The list of exercises.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExerciseList {
    /// The exercises, by id.
    pub exercises: Vec<ExerciseSummary>,
}

fn open_rounds(stored: &StoredExercise) -> Vec<String> {
    stored
        .rounds
        .iter()
        .filter(|status| status.state == RoundState::Open)
        .map(|status| status.round.clone())
        .collect()
}

fn summary(stored: &StoredExercise) -> ExerciseSummary {
    let exercise = &stored.exercise;
    ExerciseSummary {
        id: exercise.id.to_string(),
        title: exercise.title.clone(),
        description: exercise.description.clone(),
        invite_only: exercise.invite_only,
        open_rounds: open_rounds(stored),
        rounds: exercise
            .rounds
            .iter()
            .zip(&stored.rounds)
            .map(|(round, status)| RoundSummary {
                id: round.id.to_string(),
                title: round.title.clone(),
                kind: round.kind.name().to_string(),
                state: status.state.to_string(),
            })
            .collect(),
    }
}

/// The full view of a stored exercise.
pub fn exercise_view(stored: &StoredExercise) -> ExerciseView {
    let exercise = &stored.exercise;
    ExerciseView {
        id: exercise.id.to_string(),
        title: exercise.title.clone(),
        description: exercise.description.clone(),
        invite_only: exercise.invite_only,
        version: stored.version,
        open_rounds: open_rounds(stored),
        groups: exercise
            .groups
            .iter()
            .map(|group| GroupView {
                id: group.id.to_string(),
                label: group.label.clone(),
                description: group.description.clone(),
            })
            .collect(),
        items: exercise
            .items
            .iter()
            .map(|item| ItemView {
                id: item.id.to_string(),
                title: item.title.clone(),
                description: item.description.clone(),
                theme: item.theme.clone(),
            })
            .collect(),
        rounds: exercise
            .rounds
            .iter()
            .zip(&stored.rounds)
            .map(|(round, status)| {
                let mut view = RoundView {
                    id: round.id.to_string(),
                    title: round.title.clone(),
                    question: round.question.clone(),
                    kind: round.kind.name().to_string(),
                    state: status.state.to_string(),
                    items: exercise
                        .round_items(round)
                        .map(|item| item.id.to_string())
                        .collect(),
                    top_k: None,
                    max_picks: None,
                    max_suggestions: None,
                    max_length: None,
                    scale: None,
                    allow_dont_know: None,
                    criteria: Vec::new(),
                    max_choices: None,
                    method: round.method.map(|method| method.as_str().to_string()),
                    weighting: round
                        .weighting
                        .map(|weighting| weighting.as_str().to_string()),
                };
                match &round.kind {
                    RoundKind::Suggest {
                        max_suggestions,
                        max_length,
                    } => {
                        view.max_suggestions = Some(*max_suggestions);
                        view.max_length = Some(*max_length);
                    }
                    RoundKind::Rate {
                        scale,
                        allow_dont_know,
                        criteria,
                    } => {
                        view.allow_dont_know = Some(*allow_dont_know);
                        view.scale = Some(match scale {
                            Scale::Numeric { min, max, labels } => ScaleView {
                                min: Some(*min),
                                max: Some(*max),
                                labels: labels
                                    .iter()
                                    .map(|(point, label)| (point.to_string(), label.clone()))
                                    .collect(),
                                answers: Vec::new(),
                            },
                            Scale::YesUndecidedNo => ScaleView {
                                min: None,
                                max: None,
                                labels: BTreeMap::new(),
                                answers: ["yes", "undecided", "no"].map(str::to_string).to_vec(),
                            },
                        });
                        view.criteria = criteria
                            .iter()
                            .map(|criterion| CriterionView {
                                id: criterion.id.to_string(),
                                label: criterion.label.clone(),
                                weight: criterion.weight,
                            })
                            .collect();
                    }
                    RoundKind::Rank { top_k } => view.top_k = Some(*top_k),
                    RoundKind::Pick { max_picks } => view.max_picks = Some(*max_picks),
                    RoundKind::Pairwise { max_choices } => view.max_choices = *max_choices,
                }
                view
            })
            .collect(),
    }
}

/// The stored exercise, or 404.
pub async fn stored_exercise(state: &AppState, id: &str) -> Result<StoredExercise, AppError> {
    let lookup = id.to_string();
    state
        .blocking(move |store| store.exercise(&lookup))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no exercise `{id}`")))
}

/// Lists the exercises with the states of their rounds.
#[utoipa::path(get, path = "/api/v1/exercises", tag = "exercises",
    responses((status = 200, body = ExerciseList)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<ExerciseList>, AppError> {
    let exercises = state.blocking(|store| store.exercises()).await?;
    Ok(Json(ExerciseList {
        exercises: exercises.iter().map(summary).collect(),
    }))
}

/// One exercise with its groups, items and rounds (and each round's state).
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}", tag = "exercises",
    params(("exercise" = String, Path, description = "The exercise id")),
    responses((status = 200, body = ExerciseView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    Path(exercise): Path<String>,
) -> Result<Json<ExerciseView>, AppError> {
    Ok(Json(exercise_view(
        &stored_exercise(&state, &exercise).await?,
    )))
}

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
#[utoipa::path(put, path = "/api/v1/exercises/{exercise}", tag = "admin",
    params(("exercise" = String, Path, description = "The exercise id")),
    request_body(content = String, content_type = "application/toml", description = "The definition"),
    responses((status = 200, body = PutExerciseResponse), (status = 201, body = PutExerciseResponse),
        (status = 422, body = ErrorBody, description = "The definition is not valid: each error names the line and field")),
    security(("bearer" = []), ("session" = [])))]
pub async fn put(
    State(state): State<AppState>,
    actor: AdminActor,
    Path(exercise): Path<String>,
    body: String,
) -> Result<(StatusCode, Json<PutExerciseResponse>), AppError> {
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
    let existed = state
        .blocking({
            let exercise = exercise.clone();
            move |store| store.exercise(&exercise)
        })
        .await?
        .is_some();
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
    state
        .blocking(move |store| store.set_round_state(&exercise, &round, target, &actor.name))
        .await?;
    Ok(Json(RoundStateResponse {
        round: round_id,
        state: target.to_string(),
    }))
}

/// Opens a round: it takes answers until closed (admin).
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/rounds/{round}/open", tag = "admin",
    params(("exercise" = String, Path), ("round" = String, Path)),
    responses((status = 200, body = RoundStateResponse), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn open_round(
    State(state): State<AppState>,
    actor: AdminActor,
    Path((exercise, round)): Path<(String, String)>,
) -> Result<Json<RoundStateResponse>, AppError> {
    set_state(state, actor, exercise, round, RoundState::Open).await
}

/// Closes a round: it takes no more answers (admin).
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/rounds/{round}/close", tag = "admin",
    params(("exercise" = String, Path), ("round" = String, Path)),
    responses((status = 200, body = RoundStateResponse), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn close_round(
    State(state): State<AppState>,
    actor: AdminActor,
    Path((exercise, round)): Path<(String, String)>,
) -> Result<Json<RoundStateResponse>, AppError> {
    set_state(state, actor, exercise, round, RoundState::Closed).await
}

/// How many invites to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    /// 1 to 10,000.
    pub count: u32,
}

/// New invite tokens: shown once, only their hashes are kept.
#[derive(Debug, Serialize, ToSchema)]
pub struct InviteResponse {
    /// The tokens; each admits one respondent.
    pub invites: Vec<String>,
}

/// Creates invite tokens for an exercise (admin).
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/invites", tag = "admin",
    params(("exercise" = String, Path)), request_body = InviteRequest,
    responses((status = 201, body = InviteResponse), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_invites(
    State(state): State<AppState>,
    actor: AdminActor,
    Path(exercise): Path<String>,
    ApiJson(request): ApiJson<InviteRequest>,
) -> Result<(StatusCode, Json<InviteResponse>), AppError> {
    let invites = state
        .blocking(move |store| store.create_invites(&exercise, request.count, &actor.name))
        .await?;
    Ok((StatusCode::CREATED, Json(InviteResponse { invites })))
}

/// Respondents with a submitted answer by round and group.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipationResponse {
    /// The exercise id.
    pub exercise: String,
    /// Per round: per group id, respondents (every group of the exercise, zeros included).
    pub rounds: Vec<RoundParticipation>,
}

/// One round's participation.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundParticipation {
    /// The round id.
    pub round: String,
    /// The round's state.
    pub state: String,
    /// Respondents per group id.
    pub groups: BTreeMap<String, u64>,
    /// Respondents in all.
    pub total: u64,
    /// For rounds after the first: of those who answered the previous round, how many in
    /// each group answered this one too (the rest dropped out).
    pub continued: Option<BTreeMap<String, u64>>,
}

/// Participation by group and round (admin).
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/participation", tag = "admin",
    params(("exercise" = String, Path)),
    responses((status = 200, body = ParticipationResponse), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn participation(
    State(state): State<AppState>,
    _actor: AdminActor,
    Path(exercise): Path<String>,
) -> Result<Json<ParticipationResponse>, AppError> {
    let stored = stored_exercise(&state, &exercise).await?;
    let lookup = exercise.clone();
    let (counts, continuation) = state
        .blocking(move |store| Ok((store.participation(&lookup)?, store.continuation(&lookup)?)))
        .await?;
    let rounds: Vec<RoundParticipation> = stored
        .exercise
        .rounds
        .iter()
        .zip(&stored.rounds)
        .map(|(round, status)| {
            let mut groups: BTreeMap<String, u64> = stored
                .exercise
                .groups
                .iter()
                .map(|group| (group.id.to_string(), 0))
                .collect();
            for count in counts
                .iter()
                .filter(|count| count.round == round.id.as_str())
            {
                *groups.entry(count.group.clone()).or_default() += count.respondents;
            }
            let previous = stored
                .exercise
                .rounds
                .iter()
                .position(|r| r.id == round.id)
                .and_then(|at| at.checked_sub(1))
                .map(|at| stored.exercise.rounds[at].id.to_string());
            let continued = previous.map(|previous| {
                let mut continued: BTreeMap<String, u64> = stored
                    .exercise
                    .groups
                    .iter()
                    .map(|group| (group.id.to_string(), 0))
                    .collect();
                for pair in continuation.iter().filter(|pair| {
                    pair.from_round == previous && pair.to_round == round.id.as_str()
                }) {
                    *continued.entry(pair.group.clone()).or_default() += pair.respondents;
                }
                continued
            });
            RoundParticipation {
                round: round.id.to_string(),
                state: status.state.to_string(),
                total: groups.values().sum(),
                groups,
                continued,
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
#[utoipa::path(get, path = "/api/v1/audit", tag = "admin",
    responses((status = 200, body = AuditResponse)),
    security(("bearer" = []), ("session" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    _actor: AdminActor,
) -> Result<Json<AuditResponse>, AppError> {
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
