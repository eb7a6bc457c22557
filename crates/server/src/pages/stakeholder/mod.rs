//! The pages people answer on: the list of exercises, an exercise's welcome page, choosing a
//! group once, resume codes, one page per round (rating rounds in pages of a few items), check
//! your answers, and the confirmation.
//!
//! A respondent is remembered per exercise by an `HttpOnly` cookie holding the respondent id;
//! the resume code brings it back on another device.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use store::{RoundState, RoundStatus, StoredExercise, Submission};
use survey::Round;
use survey::answer::Answer;
use survey::order::{ShownOrder, round_as_shown};

use super::{FormToken, Layout, PageError, message, see_other};
use crate::AppState;
use crate::error::AppError;
use crate::handlers::exercises::stored_exercise;

mod check;
mod feedback_text;
mod pairwise;
mod round;
mod round_form;
mod start;
mod welcome;

pub use check::{check, check_post, done};
pub use round::{round, round_post, saved};
pub use start::{resume, resume_post, start, start_post, started};
pub use welcome::{exercise_page, index};

/// How long the respondent cookie lasts: long enough for an exercise's rounds.
const RESPONDENT_COOKIE_DAYS: i64 = 180;

/// The name of the cookie that holds this browser's respondent for `exercise`.
pub(crate) fn respondent_cookie_name(exercise: &str) -> String {
    format!("prioritise_r_{exercise}")
}

/// The respondent this browser is, for an exercise, if any (and still known).
async fn current_respondent(
    state: &AppState,
    headers: &HeaderMap,
    exercise: &str,
) -> Result<Option<store::Respondent>, AppError> {
    let jar = CookieJar::from_headers(headers);
    let Some(id) = jar
        .get(&respondent_cookie_name(exercise))
        .map(|cookie| cookie.value().to_string())
    else {
        return Ok(None);
    };
    let exercise = exercise.to_string();
    Ok(state
        .blocking(move |store| store.respondent(&id))
        .await?
        .filter(|respondent| respondent.exercise == exercise))
}

fn respondent_cookie(state: &AppState, exercise: &str, respondent: &str) -> HeaderValue {
    let cookie = Cookie::build((respondent_cookie_name(exercise), respondent.to_string()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies)
        .path("/")
        .max_age(cookie::time::Duration::days(RESPONDENT_COOKIE_DAYS))
        .build();
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn layout(title: &str, token: &FormToken, has_errors: bool) -> Layout {
    Layout {
        title: title.to_string(),
        csrf: token.token.clone(),
        admin: None,
        has_errors,
    }
}

/// The address of `path` as people read it on a page or on paper: after the service's public
/// address when it is known (`--public-url`), else the path alone.
fn address(state: &AppState, path: &str) -> String {
    match &state.settings.public_url {
        Some(base) => format!("{}{path}", base.trim_end_matches('/')),
        None => path.to_string(),
    }
}

/// A round's dates as stakeholders read them (UTC): when a draft opens, and when a round that
/// has not closed closes.
fn round_dates(status: &RoundStatus) -> Vec<String> {
    let mut dates = Vec::new();
    if let (RoundState::Draft, Some(at)) = (status.state, status.opens_at) {
        dates.push(format!("Opens on {}", crate::schedule::in_words(at)));
    }
    if let (RoundState::Draft | RoundState::Open, Some(at)) = (status.state, status.closes_at) {
        dates.push(format!("Closes on {}", crate::schedule::in_words(at)));
    }
    dates
}

/// Everything a round page needs: the exercise, the round and the respondent; or the response
/// to give instead (start first, round not open).
async fn round_context(
    state: &AppState,
    token: &FormToken,
    headers: &HeaderMap,
    id: &str,
    round_id: &str,
) -> Result<Result<(StoredExercise, usize, store::Respondent), Response>, PageError> {
    let stored = stored_exercise(state, id).await?;
    let Some(position) = stored
        .exercise
        .rounds
        .iter()
        .position(|round| round.id.as_str() == round_id)
    else {
        return Err(AppError::NotFound(format!("no round `{round_id}`")).into());
    };
    let Some(respondent) = current_respondent(state, headers, id).await? else {
        return Ok(Err(see_other(&format!("/e/{id}/start"))));
    };
    if stored.rounds[position].state != RoundState::Open {
        let closed = stored.rounds[position].state == RoundState::Closed;
        let text = if closed {
            "This question has closed. Thank you for your interest."
        } else {
            "This question is not open yet. Please come back later."
        };
        return Ok(Err(message(
            state,
            token,
            StatusCode::CONFLICT,
            &stored.exercise.rounds[position].title,
            &[text],
            Some((&format!("/e/{id}"), "Back to the exercise")),
        )));
    }
    Ok(Ok((stored, position, respondent)))
}

/// The round as this respondent sees it: its items in the respondent's own order (drawn from
/// the store's order seed for the exercise, round and respondent, so the same on every visit
/// and device), or in the definition's order when the round fixes it.
fn round_for(state: &AppState, exercise: &str, round: &Round, respondent: &str) -> Round {
    let seed = state
        .store
        .pseudonyms()
        .order_seed(exercise, round.id.as_str(), respondent);
    round_as_shown(round, &seed)
}

/// The order a respondent is shown `round`'s items in, as recorded with their answer: the
/// item ids of the round as they see it ([`round_for`]).
fn shown_items(exercise: &survey::Exercise, shown_round: &Round) -> ShownOrder {
    ShownOrder::Items(
        exercise
            .round_items(shown_round)
            .map(|item| item.id.to_string())
            .collect(),
    )
}

async fn current_answer(
    state: &AppState,
    exercise: &str,
    round: &str,
    respondent: &str,
) -> Result<Option<store::StoredAnswer>, AppError> {
    let (exercise, round, respondent) = (
        exercise.to_string(),
        round.to_string(),
        respondent.to_string(),
    );
    state
        .blocking(move |store| store.current_answer(&exercise, &round, &respondent))
        .await
}

/// Saves a draft of a round answered in pages, remembering the page to come back to.
async fn save_draft_on_page(
    state: &AppState,
    exercise: &str,
    round: &str,
    respondent: &str,
    answer: Answer,
    page: Option<u32>,
    shown_order: Option<ShownOrder>,
) -> Result<store::Receipt, AppError> {
    let submission = Submission {
        exercise: exercise.to_string(),
        round: round.to_string(),
        respondent: respondent.to_string(),
        answer,
        submit: false,
        idempotency_key: None,
        shown_order,
    };
    state
        .blocking(move |store| store.save_answer_on_page(submission, page))
        .await
}

async fn save(
    state: &AppState,
    exercise: &str,
    round: &str,
    respondent: &str,
    answer: Answer,
    submit: bool,
    shown_order: Option<ShownOrder>,
) -> Result<store::Receipt, AppError> {
    let submission = Submission {
        exercise: exercise.to_string(),
        round: round.to_string(),
        respondent: respondent.to_string(),
        answer,
        submit,
        idempotency_key: None,
        shown_order,
    };
    state
        .blocking(move |store| store.save_answer(submission))
        .await
}
