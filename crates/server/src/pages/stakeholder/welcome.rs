//! The list of exercises and an exercise's welcome page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use store::RoundState;
use survey::RoundKind;

use super::{current_respondent, layout, round_dates};
use crate::AppState;
use crate::handlers::exercises::stored_exercise;
use crate::pages::{FormToken, Layout, PageResult, render};

// ---------------------------------------------------------------------------------------------
// The list of exercises.

struct ExerciseLink {
    href: String,
    title: String,
    description: String,
    open_rounds: usize,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    layout: Layout,
    exercises: Vec<ExerciseLink>,
}

/// `GET /`: the exercises.
pub async fn index(State(state): State<AppState>, token: FormToken) -> PageResult {
    let exercises = state.blocking(|store| store.exercises()).await?;
    let page = IndexPage {
        layout: layout("Research priority-setting exercises", &token, false),
        exercises: exercises
            .iter()
            .map(|stored| ExerciseLink {
                href: format!("/e/{}", stored.exercise.id),
                title: stored.exercise.title.clone(),
                description: first_paragraph(&stored.exercise.description),
                open_rounds: stored
                    .rounds
                    .iter()
                    .filter(|round| round.state == RoundState::Open)
                    .count(),
            })
            .collect(),
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}

fn first_paragraph(text: &str) -> String {
    text.split("\n\n")
        .next()
        .unwrap_or_default()
        .replace('\n', " ")
}

// ---------------------------------------------------------------------------------------------
// The welcome page.

struct RoundLink {
    title: String,
    kind_text: &'static str,
    href: String,
    status: String,
    open: bool,
    /// "Opens on …", "Closes on …" (UTC), when set.
    dates: Vec<String>,
}

#[derive(Template)]
#[template(path = "exercise.html")]
struct ExercisePage {
    layout: Layout,
    id: String,
    title: String,
    paragraphs: Vec<String>,
    group: Option<String>,
    rounds: Vec<RoundLink>,
    invite_only: bool,
    disclosure_threshold: u32,
    any_open: bool,
    /// Every round has closed: no "Start now", and the results when published.
    all_closed: bool,
    /// When the next questions open, in words, when none is open and one is scheduled.
    next_opening: Option<String>,
    /// Whether results are published at `/e/{exercise}/results`.
    published: bool,
    /// Where they are published, as an address to read.
    results_address: String,
}

fn kind_text(kind: &RoundKind) -> &'static str {
    match kind {
        RoundKind::Suggest { .. } => "Suggest questions",
        RoundKind::Rate { criteria, .. } if !criteria.is_empty() => "Judge each topic",
        RoundKind::Rate { .. } => "Rate each topic",
        RoundKind::Rank { .. } => "Put topics in order",
        RoundKind::Pick { .. } => "Pick topics",
        RoundKind::Pairwise { .. } => "Choose between two topics",
    }
}

/// `GET /e/{exercise}`: what the exercise is for, how answers are used, privacy, and the rounds.
pub async fn exercise_page(
    State(state): State<AppState>,
    token: FormToken,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let stored = stored_exercise(&state, &id).await?;
    let respondent = current_respondent(&state, &headers, &id).await?;
    let mut rounds = Vec::new();
    if let Some(respondent) = &respondent {
        for (round, status) in stored.exercise.rounds.iter().zip(&stored.rounds) {
            let (exercise_id, round_id, respondent_id) =
                (id.clone(), round.id.to_string(), respondent.id.clone());
            let current = state
                .blocking(move |store| {
                    store.current_answer(&exercise_id, &round_id, &respondent_id)
                })
                .await?;
            let open = status.state == RoundState::Open;
            let answered = match &current {
                Some(answer) if answer.submitted => "Submitted",
                Some(_) => "Started, not submitted yet",
                None => "Not started",
            };
            let status_text = match status.state {
                RoundState::Open => answered.to_string(),
                RoundState::Draft => "Not open yet".to_string(),
                RoundState::Closed => match &current {
                    Some(answer) if answer.submitted => "Closed (you took part)".to_string(),
                    _ => "Closed".to_string(),
                },
            };
            rounds.push(RoundLink {
                title: round.title.clone(),
                kind_text: kind_text(&round.kind),
                href: format!("/e/{id}/r/{}", round.id),
                status: status_text,
                open,
                dates: round_dates(status),
            });
        }
    }
    let exercise = &stored.exercise;
    let any_open = stored
        .rounds
        .iter()
        .any(|round| round.state == RoundState::Open);
    let all_closed = !stored.rounds.is_empty()
        && stored
            .rounds
            .iter()
            .all(|round| round.state == RoundState::Closed);
    let next_opening = stored
        .rounds
        .iter()
        .filter(|round| round.state == RoundState::Draft)
        .filter_map(|round| round.opens_at)
        .min()
        .filter(|_| !any_open)
        .map(crate::schedule::in_words);
    let lookup = id.clone();
    let published = state
        .blocking(move |store| store.current_publication(&lookup))
        .await?
        .is_some();
    let page = ExercisePage {
        layout: layout(&exercise.title, &token, false),
        id: id.clone(),
        title: exercise.title.clone(),
        paragraphs: paragraphs(&exercise.description),
        group: respondent.as_ref().map(|respondent| {
            exercise
                .group(&respondent.group)
                .map_or(respondent.group.clone(), |group| group.label.clone())
        }),
        any_open,
        all_closed,
        next_opening,
        published,
        results_address: super::address(&state, &format!("/e/{id}/results")),
        rounds,
        invite_only: exercise.invite_only,
        disclosure_threshold: exercise.disclosure_threshold,
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|paragraph| !paragraph.is_empty())
        .collect()
}
