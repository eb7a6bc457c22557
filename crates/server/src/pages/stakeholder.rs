//! The pages people answer on: the list of exercises, an exercise's welcome page, choosing a
//! group once, resume codes, one page per round (rating rounds in pages of a few items), check
//! your answers, and the confirmation.
//!
//! A respondent is remembered per exercise by an `HttpOnly` cookie holding the respondent id;
//! the resume code brings it back on another device.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use store::{RoundState, StoredExercise, Submission};
use survey::answer::{Answer, PairChoice, Rating};
use survey::definition::FeedbackBy;
use survey::{Exercise, Round, RoundKind, Scale};

use super::forms::{DONT_KNOW, FormValues, parse_answer, point_label, rating_page};
use super::{
    FieldError, Fields, FormToken, Layout, PageError, PageResult, expired_form, field, message,
    render, see_other,
};
use crate::AppState;
use crate::error::AppError;
use crate::feedback::{ItemFeedback, OwnRating, RoundFeedback, round_feedback};
use crate::handlers::exercises::stored_exercise;
use crate::rate::ClientAddress;

/// How long the respondent cookie lasts: long enough for an exercise's rounds.
const RESPONDENT_COOKIE_DAYS: i64 = 180;

fn respondent_cookie_name(exercise: &str) -> String {
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
            });
        }
    }
    let exercise = &stored.exercise;
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
        any_open: stored
            .rounds
            .iter()
            .any(|round| round.state == RoundState::Open),
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

// ---------------------------------------------------------------------------------------------
// Choosing a group.

struct GroupOption {
    id: String,
    input_id: String,
    label: String,
    description: Option<String>,
    checked: bool,
}

#[derive(Template)]
#[template(path = "start.html")]
struct StartPage {
    layout: Layout,
    id: String,
    title: String,
    groups: Vec<GroupOption>,
    invite_only: bool,
    invite: String,
    errors: Vec<FieldError>,
    group_error: Option<String>,
    invite_error: Option<String>,
}

fn start_page(
    stored: &StoredExercise,
    token: &FormToken,
    chosen: Option<&str>,
    invite: &str,
    errors: Vec<FieldError>,
) -> StartPage {
    let exercise = &stored.exercise;
    let error_for = |anchor_prefix: &str| {
        errors
            .iter()
            .find(|error| error.anchor.starts_with(anchor_prefix))
            .map(|error| error.message.clone())
    };
    StartPage {
        layout: layout("Which group are you in?", token, !errors.is_empty()),
        id: exercise.id.to_string(),
        title: exercise.title.clone(),
        groups: exercise
            .groups
            .iter()
            .map(|group| GroupOption {
                id: group.id.to_string(),
                input_id: format!("group-{}", group.id),
                label: group.label.clone(),
                description: group.description.clone(),
                checked: chosen == Some(group.id.as_str()),
            })
            .collect(),
        invite_only: exercise.invite_only,
        invite: invite.to_string(),
        group_error: error_for("group-"),
        invite_error: error_for("invite"),
        errors,
    }
}

/// `GET /e/{exercise}/start`: choose a group (once).
pub async fn start(
    State(state): State<AppState>,
    token: FormToken,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let stored = stored_exercise(&state, &id).await?;
    if current_respondent(&state, &headers, &id).await?.is_some() {
        return Ok(see_other(&format!("/e/{id}")));
    }
    let page = start_page(&stored, &token, None, "", Vec::new());
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `POST /e/{exercise}/start`: start a respondent in the chosen group.
pub async fn start_post(
    State(state): State<AppState>,
    token: FormToken,
    client: ClientAddress,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> PageResult {
    if !token.accepts(field(&fields, "csrf_token")) {
        return Ok(expired_form(&state, &token, &format!("/e/{id}/start")));
    }
    state.limits.submit.check(client)?;
    let stored = stored_exercise(&state, &id).await?;
    let group = field(&fields, "group").map(str::to_string);
    let invite = field(&fields, "invite")
        .unwrap_or_default()
        .trim()
        .to_string();
    let mut errors = Vec::new();
    let first_group = stored
        .exercise
        .groups
        .first()
        .map(|group| format!("group-{}", group.id))
        .unwrap_or_default();
    match &group {
        Some(group) if stored.exercise.group(group).is_some() => {}
        _ => errors.push(FieldError {
            anchor: first_group.clone(),
            message: "Choose the group you belong to".to_string(),
        }),
    }
    if stored.exercise.invite_only && invite.is_empty() {
        errors.push(FieldError {
            anchor: "invite".to_string(),
            message: "Enter the invite code from your invitation".to_string(),
        });
    }
    if errors.is_empty() {
        let exercise = id.clone();
        let chosen = group.clone().unwrap_or_default();
        let invite_code = (!invite.is_empty()).then(|| invite.clone());
        let created = state
            .blocking(move |store| {
                store.create_respondent(&exercise, &chosen, invite_code.as_deref())
            })
            .await;
        match created {
            Ok(created) => {
                let mut response = see_other(&format!("/e/{id}/started"));
                let headers = response.headers_mut();
                headers.append(
                    header::SET_COOKIE,
                    respondent_cookie(&state, &id, &created.respondent),
                );
                // The resume code is shown once, on the next page, from a short-lived cookie.
                let code = Cookie::build(("prioritise_code", created.resume_code))
                    .http_only(true)
                    .same_site(SameSite::Strict)
                    .secure(state.settings.secure_cookies)
                    .path(format!("/e/{id}/started"))
                    .max_age(cookie::time::Duration::minutes(10))
                    .build();
                if let Ok(value) = HeaderValue::from_str(&code.to_string()) {
                    headers.append(header::SET_COOKIE, value);
                }
                return Ok(response);
            }
            Err(AppError::Forbidden(_)) => errors.push(FieldError {
                anchor: "invite".to_string(),
                message:
                    "This invite code is not right or has already been used. Check it and try again"
                        .to_string(),
            }),
            Err(error) => return Err(error.into()),
        }
    }
    let page = start_page(&stored, &token, group.as_deref(), &invite, errors);
    Ok(render(
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
        &token,
        &state,
    ))
}

#[derive(Template)]
#[template(path = "started.html")]
struct StartedPage {
    layout: Layout,
    id: String,
    title: String,
    resume_code: Option<String>,
    group: String,
    next: Option<(String, String)>,
}

/// The first open round's page and title, if any.
fn first_open_round(stored: &StoredExercise) -> Option<(String, String)> {
    stored
        .exercise
        .rounds
        .iter()
        .zip(&stored.rounds)
        .find(|(_, status)| status.state == RoundState::Open)
        .map(|(round, _)| {
            (
                format!("/e/{}/r/{}", stored.exercise.id, round.id),
                round.title.clone(),
            )
        })
}

/// `GET /e/{exercise}/started`: the resume code, once, and the way on.
pub async fn started(
    State(state): State<AppState>,
    token: FormToken,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let stored = stored_exercise(&state, &id).await?;
    let Some(respondent) = current_respondent(&state, &headers, &id).await? else {
        return Ok(see_other(&format!("/e/{id}/start")));
    };
    let jar = CookieJar::from_headers(&headers);
    let code = jar
        .get("prioritise_code")
        .map(|cookie| cookie.value().to_string());
    let page = StartedPage {
        layout: layout("You have started", &token, false),
        id: id.clone(),
        title: stored.exercise.title.clone(),
        resume_code: code,
        group: stored
            .exercise
            .group(&respondent.group)
            .map_or(respondent.group.clone(), |group| group.label.clone()),
        next: first_open_round(&stored),
    };
    let mut response = render(&page, StatusCode::OK, &token, &state);
    let removal = Cookie::build(("prioritise_code", ""))
        .path(format!("/e/{id}/started"))
        .max_age(cookie::time::Duration::ZERO)
        .build();
    if let Ok(value) = HeaderValue::from_str(&removal.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// Resume codes.

#[derive(Template)]
#[template(path = "resume.html")]
struct ResumePage {
    layout: Layout,
    id: String,
    title: String,
    value: String,
    errors: Vec<FieldError>,
}

/// `GET /e/{exercise}/resume`.
pub async fn resume(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
) -> PageResult {
    let stored = stored_exercise(&state, &id).await?;
    let page = ResumePage {
        layout: layout("Come back to your answers", &token, false),
        id,
        title: stored.exercise.title.clone(),
        value: String::new(),
        errors: Vec::new(),
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `POST /e/{exercise}/resume`.
pub async fn resume_post(
    State(state): State<AppState>,
    token: FormToken,
    client: ClientAddress,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> PageResult {
    if !token.accepts(field(&fields, "csrf_token")) {
        return Ok(expired_form(&state, &token, &format!("/e/{id}/resume")));
    }
    let stored = stored_exercise(&state, &id).await?;
    let value = field(&fields, "resume_code")
        .unwrap_or_default()
        .trim()
        .to_string();
    let message = if value.is_empty() {
        "Enter your resume code".to_string()
    } else {
        state.limits.sign_in.check(client)?;
        let (exercise, code) = (id.clone(), value.clone());
        let found = if code.len() > 100 {
            None
        } else {
            state
                .blocking(move |store| store.resume(&exercise, &code))
                .await?
        };
        if let Some(respondent) = found {
            let mut response = see_other(&format!("/e/{id}"));
            response.headers_mut().append(
                header::SET_COOKIE,
                respondent_cookie(&state, &id, &respondent.id),
            );
            return Ok(response);
        }
        "This resume code is not right. Check it and try again: it looks like abcd-efgh-jkmn-pqrs"
            .to_string()
    };
    let page = ResumePage {
        layout: layout("Come back to your answers", &token, true),
        id,
        title: stored.exercise.title.clone(),
        value,
        errors: vec![FieldError {
            anchor: "resume_code".to_string(),
            message,
        }],
    };
    Ok(render(
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
        &token,
        &state,
    ))
}

// ---------------------------------------------------------------------------------------------
// Round pages.

/// One option of a radio or select field.
struct OptionView {
    input_id: String,
    value: String,
    label: String,
    checked: bool,
}

/// A radio group (one rating, or one criterion of an item).
struct ChoiceField {
    name: String,
    legend: String,
    hint: Option<String>,
    error: Option<String>,
    options: Vec<OptionView>,
    /// In a re-rating round: the respondent's own earlier rating and how others rated it.
    feedback: Option<ItemFeedbackHtml>,
    /// The ids the fieldset's `aria-describedby` names: hint, feedback, error.
    described_by: String,
}

impl ChoiceField {
    /// Fills in `described_by` from the hint, the feedback and the error, in the page's order.
    fn describe(mut self) -> ChoiceField {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.name));
        }
        if let Some(feedback) = &self.feedback {
            ids.push(format!("{}-own", feedback.id));
            ids.push(format!("{}-summary", feedback.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.name));
        }
        self.described_by = ids.join(" ");
        self
    }
}

/// One row of the table of earlier ratings: a point of the scale, how many gave it, and their
/// share of the ratings given.
struct FeedbackRow {
    label: String,
    count: u64,
    share: String,
}

/// Delphi feedback beside one item of a re-rating round.
struct ItemFeedbackHtml {
    /// The id prefix of its parts (`feedback-ITEM`).
    id: String,
    /// The own earlier rating ("7 – Critical", "Don't know"), or `None` when not rated.
    own: Option<String>,
    /// The distribution in one sentence: people, the three bands, the median.
    summary: String,
    caption: String,
    rows: Vec<FeedbackRow>,
    /// The median and "don't know" answers, below the table.
    footnote: String,
}

/// The explanation at the top of a re-rating round.
struct FeedbackIntro {
    paragraphs: Vec<String>,
}

/// An item of a rating round: its title and its fields (one, or one per criterion).
struct RatingItem {
    anchor: String,
    title: String,
    description: Option<String>,
    grouped: bool,
    fields: Vec<ChoiceField>,
}

/// A select (rank) or textarea (suggestion).
struct InputField {
    name: String,
    label: String,
    hint: Option<String>,
    value: String,
    error: Option<String>,
    options: Vec<OptionView>,
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    layout: Layout,
    exercise_id: String,
    exercise_title: String,
    round_title: String,
    question: Option<String>,
    kind: &'static str,
    action: String,
    errors: Vec<FieldError>,
    page: usize,
    pages: usize,
    max_length: u32,
    suggestions: Vec<InputField>,
    ratings: Vec<RatingItem>,
    ranks: Vec<InputField>,
    picks: Vec<OptionView>,
    pick_hints: Vec<Option<String>>,
    pick_error: Option<String>,
    instruction: String,
    feedback: Option<FeedbackIntro>,
}

fn error_at(errors: &[FieldError], anchors: &[String]) -> Option<String> {
    errors
        .iter()
        .find(|error| anchors.contains(&error.anchor))
        .map(|error| error.message.clone())
}

fn round_page(
    stored: &StoredExercise,
    round: &Round,
    token: &FormToken,
    values: &FormValues,
    errors: Vec<FieldError>,
    page: usize,
    feedback: Option<&RoundFeedback>,
) -> RoundPage {
    let exercise = &stored.exercise;
    let id = exercise.id.to_string();
    let mut view = RoundPage {
        layout: layout(&round.title, token, !errors.is_empty()),
        exercise_id: id.clone(),
        exercise_title: exercise.title.clone(),
        round_title: round.title.clone(),
        question: round.question.clone(),
        kind: round.kind.name(),
        action: format!("/e/{id}/r/{}", round.id),
        errors: Vec::new(),
        page: 1,
        pages: 1,
        max_length: 0,
        suggestions: Vec::new(),
        ratings: Vec::new(),
        ranks: Vec::new(),
        picks: Vec::new(),
        pick_hints: Vec::new(),
        pick_error: None,
        instruction: String::new(),
        feedback: feedback.map(|feedback| feedback_intro(exercise, feedback)),
    };
    match &round.kind {
        RoundKind::Suggest {
            max_suggestions,
            max_length,
        } => {
            view.max_length = *max_length;
            view.instruction = format!(
                "Write up to {max_suggestions} questions, one in each box. Each can be up to {max_length} characters long. You only need to fill in one box."
            );
            for number in 1..=*max_suggestions as usize {
                let name = format!("suggestion-{number}");
                view.suggestions.push(InputField {
                    error: error_at(&errors, std::slice::from_ref(&name)),
                    value: values.get(&name).unwrap_or_default().to_string(),
                    label: format!("Question {number}"),
                    hint: None,
                    options: Vec::new(),
                    name,
                });
            }
        }
        RoundKind::Rate {
            scale,
            allow_dont_know,
            criteria,
        } => {
            let (items, pages) = rating_page(round, page);
            view.page = page.clamp(1, pages);
            view.pages = pages;
            if pages > 1 {
                view.action = format!("/e/{id}/r/{}?page={}", round.id, view.page);
            }
            view.instruction = if criteria.is_empty() {
                "Choose one answer for each topic.".to_string()
            } else {
                "Answer each question for each topic.".to_string()
            };
            for index in items {
                let item = &exercise.items[index];
                let mut fields = Vec::new();
                if criteria.is_empty() {
                    let name = format!("rating-{}", item.id);
                    let mut options: Vec<OptionView> = match scale {
                        Scale::Numeric { min, max, labels } => (*min..=*max)
                            .map(|point| OptionView {
                                input_id: format!("{name}-{point}"),
                                value: point.to_string(),
                                label: point_label(labels, point),
                                checked: values.get(&name) == Some(point.to_string().as_str()),
                            })
                            .collect(),
                        Scale::YesUndecidedNo => Vec::new(),
                    };
                    if *allow_dont_know {
                        options.push(OptionView {
                            input_id: format!("{name}-{DONT_KNOW}"),
                            value: DONT_KNOW.to_string(),
                            label: "Don't know".to_string(),
                            checked: values.get(&name) == Some(DONT_KNOW),
                        });
                    }
                    let anchors: Vec<String> = options
                        .first()
                        .map(|option| option.input_id.clone())
                        .into_iter()
                        .collect();
                    let item_feedback = feedback.and_then(|feedback| {
                        feedback
                            .items
                            .iter()
                            .find(|entry| entry.item == item.id.as_str())
                            .map(|entry| item_feedback_html(feedback, entry))
                    });
                    fields.push(
                        ChoiceField {
                            error: error_at(&errors, &anchors),
                            legend: item.title.clone(),
                            hint: item.description.clone(),
                            name,
                            options,
                            feedback: item_feedback,
                            described_by: String::new(),
                        }
                        .describe(),
                    );
                } else {
                    for criterion in criteria {
                        let name = format!("rating-{}-{}", item.id, criterion.id);
                        let mut options: Vec<OptionView> =
                            [("yes", "Yes"), ("undecided", "Not sure"), ("no", "No")]
                                .into_iter()
                                .map(|(value, label)| OptionView {
                                    input_id: format!("{name}-{value}"),
                                    value: value.to_string(),
                                    label: label.to_string(),
                                    checked: values.get(&name) == Some(value),
                                })
                                .collect();
                        if *allow_dont_know {
                            options.push(OptionView {
                                input_id: format!("{name}-{DONT_KNOW}"),
                                value: DONT_KNOW.to_string(),
                                label: "Don't know".to_string(),
                                checked: values.get(&name) == Some(DONT_KNOW),
                            });
                        }
                        fields.push(
                            ChoiceField {
                                error: error_at(&errors, &[format!("{name}-yes")]),
                                legend: criterion.label.clone(),
                                hint: None,
                                name,
                                options,
                                feedback: None,
                                described_by: String::new(),
                            }
                            .describe(),
                        );
                    }
                }
                view.ratings.push(RatingItem {
                    anchor: format!("rating-{}", item.id),
                    grouped: !criteria.is_empty(),
                    title: item.title.clone(),
                    description: if criteria.is_empty() {
                        None
                    } else {
                        item.description.clone()
                    },
                    fields,
                });
            }
        }
        RoundKind::Rank { top_k } => {
            let wanted = (*top_k as usize).min(round.items.len());
            view.instruction = format!(
                "Give your most important topic number 1, the next number 2, and so on up to {wanted}. Leave the other topics as “Not ranked”. Each number can be used once."
            );
            for &index in &round.items {
                let item = &exercise.items[index];
                let name = format!("rank-{}", item.id);
                let current = values.get(&name).unwrap_or_default().to_string();
                let mut options = vec![OptionView {
                    input_id: String::new(),
                    value: String::new(),
                    label: "Not ranked".to_string(),
                    checked: current.is_empty(),
                }];
                options.extend((1..=wanted).map(|position| OptionView {
                    input_id: String::new(),
                    value: position.to_string(),
                    label: position.to_string(),
                    checked: current == position.to_string(),
                }));
                view.ranks.push(InputField {
                    error: error_at(&errors, std::slice::from_ref(&name)),
                    label: item.title.clone(),
                    hint: item.description.clone(),
                    value: current,
                    options,
                    name,
                });
            }
        }
        RoundKind::Pick { max_picks } => {
            view.instruction = format!("Pick up to {max_picks} topics.");
            let chosen = values.all("picked");
            for &index in &round.items {
                let item = &exercise.items[index];
                view.picks.push(OptionView {
                    input_id: format!("picked-{}", item.id),
                    value: item.id.to_string(),
                    label: item.title.clone(),
                    checked: chosen.iter().any(|value| value == item.id.as_str()),
                });
                view.pick_hints.push(item.description.clone());
            }
            let anchors: Vec<String> = view
                .picks
                .first()
                .map(|option| option.input_id.clone())
                .into_iter()
                .collect();
            view.pick_error = error_at(&errors, &anchors);
        }
        RoundKind::Pairwise { .. } => {}
    }
    view.errors = errors;
    view
}

// ---------------------------------------------------------------------------------------------
// Delphi feedback in re-rating rounds: words for what `feedback` computes.

/// "1 person", "12 people".
fn people(count: u64) -> String {
    if count == 1 {
        "1 person".to_string()
    } else {
        format!("{count} people")
    }
}

/// `count` as a whole percentage of `total`, rounded half up: "58%".
fn percent(count: u64, total: u64) -> String {
    if total == 0 {
        return "0%".to_string();
    }
    format!("{}%", (count * 200 + total) / (total * 2))
}

/// A median as people write it: "7", "6.5".
fn median_text(median: f64) -> String {
    if median.fract() == 0.0 {
        format!("{median:.0}")
    } else {
        format!("{median:.1}")
    }
}

/// "gave 5" or "gave 4 to 6".
fn band_text((low, high): (i32, i32)) -> String {
    if low == high {
        format!("gave {low}")
    } else {
        format!("gave {low} to {high}")
    }
}

/// The explanation at the top of a re-rating round: what is shown, whose ratings, and whether
/// the earlier round is still open.
fn feedback_intro(exercise: &Exercise, feedback: &RoundFeedback) -> FeedbackIntro {
    let round = feedback.from_number;
    let group = exercise
        .group(&feedback.group)
        .map_or(feedback.group.clone(), |group| group.label.clone());
    let mut paragraphs = vec![format!(
        "Beside each topic you can see how you and others rated it in round {round} (“{}”). You can keep your rating or change it.",
        feedback.from_title
    )];
    paragraphs.push(match feedback.shown {
        FeedbackBy::Group => format!(
            "The ratings shown are those of your group, {group}: {} answered round {round}.",
            people(feedback.respondents)
        ),
        FeedbackBy::Overall if feedback.fell_back() => format!(
            "Fewer than {} people in your group, {group}, answered round {round}, so to keep their answers anonymous you see everyone’s ratings instead: {} answered round {round}.",
            feedback.disclosure_threshold,
            people(feedback.respondents)
        ),
        FeedbackBy::Overall => format!(
            "The ratings shown are everyone’s: {} answered round {round}.",
            people(feedback.respondents)
        ),
    });
    if feedback.from_open {
        paragraphs.push(format!(
            "Round {round} is still open, so these are the ratings so far. They may change."
        ));
    }
    if !feedback.own_submitted {
        paragraphs.push(format!(
            "You did not submit answers in round {round}, so there is no rating of yours to show."
        ));
    }
    FeedbackIntro { paragraphs }
}

/// The feedback beside one item: the own earlier rating, a one-sentence summary by bands with
/// the median, and a table of every point of the scale.
fn item_feedback_html(feedback: &RoundFeedback, item: &ItemFeedback) -> ItemFeedbackHtml {
    let own = match item.own {
        OwnRating::Score(score) => Some(point_label(&feedback.labels, score)),
        OwnRating::DontKnow => Some("Don't know".to_string()),
        OwnRating::NotRated => None,
    };
    let whose = match feedback.shown {
        FeedbackBy::Group => " in your group",
        FeedbackBy::Overall => "",
    };
    let dont_know = match item.dont_know {
        0 => String::new(),
        1 => " 1 person said they don't know.".to_string(),
        count => format!(" {count} people said they don't know."),
    };
    let summary = if item.rated == 0 {
        format!("No one{whose} gave this a rating last time.{dont_know}")
    } else {
        let [bottom, middle, top] = feedback.bands();
        let mut parts: Vec<String> = Vec::new();
        for band in [top, middle, bottom] {
            if band.0 > band.1 {
                continue;
            }
            let count = feedback.band_count(item, band);
            parts.push(format!(
                "{count} ({}) {}",
                percent(count, item.rated),
                band_text(band)
            ));
        }
        let last = parts.pop().unwrap_or_default();
        let listed = if parts.is_empty() {
            last
        } else {
            format!("{} and {last}", parts.join(", "))
        };
        format!(
            "Last time, {}{whose} rated this: {listed}. The middle rating (median) was {}.{dont_know}",
            people(item.rated),
            item.median.map(median_text).unwrap_or_default(),
        )
    };
    // Highest point first, as the summary puts the top band first.
    let rows = item
        .counts
        .iter()
        .enumerate()
        .rev()
        .map(|(offset, &count)| FeedbackRow {
            label: point_label(&feedback.labels, feedback.min + offset as i32),
            count,
            share: percent(count, item.rated),
        })
        .collect();
    let caption = match feedback.shown {
        FeedbackBy::Group => format!("Ratings in round {} (your group)", feedback.from_number),
        FeedbackBy::Overall => format!("Ratings in round {} (everyone)", feedback.from_number),
    };
    let mut footnote = match item.median {
        Some(median) => format!(
            "{} gave a rating; the median was {}.",
            people(item.rated),
            median_text(median)
        ),
        None => "No one gave a rating.".to_string(),
    };
    footnote.push_str(&match item.dont_know {
        0 => " No one said they don't know.".to_string(),
        count => format!(
            " {} said they don't know (not counted in the shares).",
            people(count)
        ),
    });
    ItemFeedbackHtml {
        id: format!("feedback-{}", item.item),
        own,
        summary,
        caption,
        rows,
        footnote,
    }
}

/// The page number of a rating round page.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    /// 1-based.
    #[serde(default)]
    page: Option<usize>,
    /// Pairwise: pairs skipped since the last choice.
    #[serde(default)]
    skipped: Option<u32>,
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

/// `GET /e/{exercise}/r/{round}`: the round's form, filled with the answer so far.
pub async fn round(
    State(state): State<AppState>,
    token: FormToken,
    headers: HeaderMap,
    Path((id, round_id)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
) -> PageResult {
    let (stored, position, respondent) =
        match round_context(&state, &token, &headers, &id, &round_id).await? {
            Ok(context) => context,
            Err(response) => return Ok(response),
        };
    let round = &stored.exercise.rounds[position];
    let current = current_answer(&state, &id, &round_id, &respondent.id).await?;
    if let RoundKind::Pairwise { max_choices } = round.kind {
        return pair_page(
            &state,
            &token,
            &stored,
            round,
            &respondent.id,
            current.map(|answer| answer.answer),
            max_choices,
            query.skipped.unwrap_or(0),
        );
    }
    let values = current
        .as_ref()
        .map(|answer| FormValues::from_answer(&answer.answer))
        .unwrap_or_default();
    let feedback = round_feedback(&state, &stored, position, &respondent).await?;
    let page = round_page(
        &stored,
        round,
        &token,
        &values,
        Vec::new(),
        query.page.unwrap_or(1),
        feedback.as_ref(),
    );
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `POST /e/{exercise}/r/{round}`: saves the page as a draft; then the next page, the check
/// page, or back to the exercise.
pub async fn round_post(
    State(state): State<AppState>,
    token: FormToken,
    client: ClientAddress,
    headers: HeaderMap,
    Path((id, round_id)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let here = format!("/e/{id}/r/{round_id}");
    if !token.accepts(field(&fields, "csrf_token")) {
        return Ok(expired_form(&state, &token, &here));
    }
    state.limits.submit.check(client)?;
    let (stored, position, respondent) =
        match round_context(&state, &token, &headers, &id, &round_id).await? {
            Ok(context) => context,
            Err(response) => return Ok(response),
        };
    let round = &stored.exercise.rounds[position];
    let current = current_answer(&state, &id, &round_id, &respondent.id)
        .await?
        .map(|answer| answer.answer);
    let action = field(&fields, "action").unwrap_or("continue").to_string();
    if let RoundKind::Pairwise { .. } = round.kind {
        return pair_post(
            &state,
            &stored,
            round,
            &respondent.id,
            current,
            &fields,
            &action,
            query.skipped.unwrap_or(0),
        )
        .await;
    }
    let page = query.page.unwrap_or(1);
    let (page_items, pages) = match round.kind {
        RoundKind::Rate { .. } => rating_page(round, page),
        _ => (round.items.clone(), 1),
    };
    let values = FormValues::from_fields(&fields);
    match parse_answer(
        &stored.exercise,
        round,
        &values,
        &page_items,
        current.as_ref(),
    ) {
        Err(errors) => {
            let feedback = round_feedback(&state, &stored, position, &respondent).await?;
            let view = round_page(
                &stored,
                round,
                &token,
                &values,
                errors,
                page,
                feedback.as_ref(),
            );
            Ok(render(
                &view,
                StatusCode::UNPROCESSABLE_ENTITY,
                &token,
                &state,
            ))
        }
        Ok(answer) => {
            if let Err(error) = save(&state, &id, &round_id, &respondent.id, answer, false).await {
                return Err(error.into());
            }
            let page = page.clamp(1, pages);
            let next = if action == "save" {
                format!("/e/{id}/saved")
            } else if page < pages {
                format!("{here}?page={}", page + 1)
            } else {
                format!("{here}/check")
            };
            Ok(see_other(&next))
        }
    }
}

async fn save(
    state: &AppState,
    exercise: &str,
    round: &str,
    respondent: &str,
    answer: Answer,
    submit: bool,
) -> Result<store::Receipt, AppError> {
    let submission = Submission {
        exercise: exercise.to_string(),
        round: round.to_string(),
        respondent: respondent.to_string(),
        answer,
        submit,
        idempotency_key: None,
    };
    state
        .blocking(move |store| store.save_answer(submission))
        .await
}

#[derive(Template)]
#[template(path = "saved.html")]
struct SavedPage {
    layout: Layout,
    id: String,
    title: String,
}

/// `GET /e/{exercise}/saved`: after "Save and come back later".
pub async fn saved(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
) -> PageResult {
    let stored = stored_exercise(&state, &id).await?;
    let page = SavedPage {
        layout: layout("Your answers have been saved", &token, false),
        id,
        title: stored.exercise.title.clone(),
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}

// ---------------------------------------------------------------------------------------------
// Pairwise rounds: one pair per page.

struct PairItem {
    id: String,
    title: String,
}

#[derive(Template)]
#[template(path = "pair.html")]
struct PairPage {
    layout: Layout,
    exercise_id: String,
    exercise_title: String,
    round_title: String,
    question: Option<String>,
    action: String,
    pair: Vec<PairItem>,
    answered: usize,
    max_choices: Option<u32>,
}

#[allow(clippy::too_many_arguments)]
fn pair_page(
    state: &AppState,
    token: &FormToken,
    stored: &StoredExercise,
    round: &Round,
    respondent: &str,
    current: Option<Answer>,
    max_choices: Option<u32>,
    skipped: u32,
) -> PageResult {
    let exercise = &stored.exercise;
    let choices = match current {
        Some(Answer::Pairwise(choices)) => choices,
        _ => Vec::new(),
    };
    let items: Vec<&survey::Slug> = exercise.round_items(round).map(|item| &item.id).collect();
    let pair = survey::pairwise::next_pair(&items, &choices, max_choices, respondent, skipped);
    let item = |id: &str| {
        let found = exercise.item(id);
        PairItem {
            id: id.to_string(),
            title: found.map_or(id.to_string(), |item| item.title.clone()),
        }
    };
    let page = PairPage {
        layout: layout(&round.title, token, false),
        exercise_id: exercise.id.to_string(),
        exercise_title: exercise.title.clone(),
        round_title: round.title.clone(),
        question: round.question.clone(),
        action: format!("/e/{}/r/{}?skipped={skipped}", exercise.id, round.id),
        pair: pair.map_or_else(Vec::new, |[left, right]| {
            vec![item(left.as_str()), item(right.as_str())]
        }),
        answered: choices.len(),
        max_choices,
    };
    Ok(render(&page, StatusCode::OK, token, state))
}

#[allow(clippy::too_many_arguments)]
async fn pair_post(
    state: &AppState,
    stored: &StoredExercise,
    round: &Round,
    respondent: &str,
    current: Option<Answer>,
    fields: &Fields,
    action: &str,
    skipped: u32,
) -> PageResult {
    let id = stored.exercise.id.to_string();
    let here = format!("/e/{id}/r/{}", round.id);
    let mut choices = match current {
        Some(Answer::Pairwise(choices)) => choices,
        _ => Vec::new(),
    };
    match (action, field(fields, "choice")) {
        ("cant-decide", _) => Ok(see_other(&format!("{here}?skipped={}", skipped + 1))),
        ("finish", _) | ("continue", None) => Ok(see_other(&if choices.is_empty() {
            here
        } else {
            format!("{here}/check")
        })),
        ("save", None) => Ok(see_other(&format!("/e/{id}/saved"))),
        (_, Some(winner)) => {
            let left = field(fields, "left").unwrap_or_default();
            let right = field(fields, "right").unwrap_or_default();
            let loser = if winner == left { right } else { left };
            if (winner != left && winner != right) || loser.is_empty() {
                return Ok(see_other(&here));
            }
            choices.push(PairChoice {
                winner: winner.to_string(),
                loser: loser.to_string(),
            });
            save(
                state,
                &id,
                round.id.as_str(),
                respondent,
                Answer::Pairwise(choices),
                false,
            )
            .await?;
            Ok(see_other(&here))
        }
        _ => Ok(see_other(&here)),
    }
}

// ---------------------------------------------------------------------------------------------
// Check your answers, and the confirmation.

struct SummaryRow {
    key: String,
    values: Vec<String>,
    change: String,
}

#[derive(Template)]
#[template(path = "check.html")]
struct CheckPage {
    layout: Layout,
    exercise_id: String,
    exercise_title: String,
    round_title: String,
    action: String,
    rows: Vec<SummaryRow>,
    submitted: bool,
}

fn summary_rows(exercise: &Exercise, round: &Round, answer: &Answer) -> Vec<SummaryRow> {
    let base = format!("/e/{}/r/{}", exercise.id, round.id);
    let title = |id: &str| {
        exercise
            .item(id)
            .map_or(id.to_string(), |item| item.title.clone())
    };
    match answer {
        Answer::Suggest(suggestions) => suggestions
            .iter()
            .enumerate()
            .map(|(index, text)| SummaryRow {
                key: format!("Question {}", index + 1),
                values: vec![text.clone()],
                change: format!("{base}#suggestion-{}", index + 1),
            })
            .collect(),
        Answer::Rank(items) => items
            .iter()
            .enumerate()
            .map(|(index, item)| SummaryRow {
                key: format!("Number {}", index + 1),
                values: vec![title(item)],
                change: format!("{base}#rank-{item}"),
            })
            .collect(),
        Answer::Pick(items) => vec![SummaryRow {
            key: "Topics you picked".to_string(),
            values: items.iter().map(|item| title(item)).collect(),
            change: base.clone(),
        }],
        Answer::Pairwise(choices) => vec![SummaryRow {
            key: "Your choices".to_string(),
            values: choices
                .iter()
                .map(|choice| format!("{} over {}", title(&choice.winner), title(&choice.loser)))
                .collect(),
            change: base.clone(),
        }],
        Answer::Rate(ratings) => {
            let (labels, criteria) = match &round.kind {
                RoundKind::Rate {
                    scale: Scale::Numeric { labels, .. },
                    criteria,
                    ..
                } => (Some(labels), criteria.as_slice()),
                RoundKind::Rate { criteria, .. } => (None, criteria.as_slice()),
                _ => (None, &[][..]),
            };
            let (_, pages) = rating_page(round, 1);
            round
                .items
                .iter()
                .enumerate()
                .filter_map(|(position, &index)| {
                    let item = exercise.items[index].id.as_str();
                    let rating = ratings.get(item)?;
                    let page = position / super::forms::RATINGS_PER_PAGE + 1;
                    let values = match rating {
                        None => vec!["Don't know".to_string()],
                        Some(Rating::Score(score)) => vec![
                            labels.map_or(score.to_string(), |labels| point_label(labels, *score)),
                        ],
                        Some(Rating::Criteria(answers)) => criteria
                            .iter()
                            .map(|criterion| {
                                let answer = match answers.get(criterion.id.as_str()) {
                                    Some(Some(survey::answer::CriterionAnswer::Yes)) => "Yes",
                                    Some(Some(survey::answer::CriterionAnswer::Undecided)) => {
                                        "Not sure"
                                    }
                                    Some(Some(survey::answer::CriterionAnswer::No)) => "No",
                                    Some(None) => "Don't know",
                                    None => "Not answered",
                                };
                                format!("{}: {answer}", criterion.label)
                            })
                            .collect(),
                    };
                    let page_part = if pages > 1 {
                        format!("?page={page}")
                    } else {
                        String::new()
                    };
                    Some(SummaryRow {
                        key: exercise.items[index].title.clone(),
                        values,
                        change: format!("{base}{page_part}#rating-{item}"),
                    })
                })
                .collect()
        }
    }
}

/// `GET /e/{exercise}/r/{round}/check`: check your answers.
pub async fn check(
    State(state): State<AppState>,
    token: FormToken,
    headers: HeaderMap,
    Path((id, round_id)): Path<(String, String)>,
) -> PageResult {
    let (stored, position, respondent) =
        match round_context(&state, &token, &headers, &id, &round_id).await? {
            Ok(context) => context,
            Err(response) => return Ok(response),
        };
    let round = &stored.exercise.rounds[position];
    let Some(current) = current_answer(&state, &id, &round_id, &respondent.id).await? else {
        return Ok(see_other(&format!("/e/{id}/r/{round_id}")));
    };
    let page = CheckPage {
        layout: layout("Check your answers", &token, false),
        exercise_id: id.clone(),
        exercise_title: stored.exercise.title.clone(),
        round_title: round.title.clone(),
        action: format!("/e/{id}/r/{round_id}/check"),
        rows: summary_rows(&stored.exercise, round, &current.answer),
        submitted: current.submitted,
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `POST /e/{exercise}/r/{round}/check`: submits the answer shown. Submitting twice (a double
/// click) stores it once.
pub async fn check_post(
    State(state): State<AppState>,
    token: FormToken,
    client: ClientAddress,
    headers: HeaderMap,
    Path((id, round_id)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let here = format!("/e/{id}/r/{round_id}/check");
    if !token.accepts(field(&fields, "csrf_token")) {
        return Ok(expired_form(&state, &token, &here));
    }
    state.limits.submit.check(client)?;
    let (stored, _, respondent) =
        match round_context(&state, &token, &headers, &id, &round_id).await? {
            Ok(context) => context,
            Err(response) => return Ok(response),
        };
    let Some(current) = current_answer(&state, &id, &round_id, &respondent.id).await? else {
        return Ok(see_other(&format!("/e/{id}/r/{round_id}")));
    };
    // The key is the draft's receipt: repeating the submission of the same draft is harmless.
    let key: String = Sha256::digest(current.receipt.as_bytes())
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let submission = Submission {
        exercise: id.clone(),
        round: round_id.clone(),
        respondent: respondent.id.clone(),
        answer: current.answer,
        submit: true,
        idempotency_key: if current.submitted { None } else { Some(key) },
    };
    let receipt = state
        .blocking(move |store| store.save_answer(submission))
        .await?;
    let _ = stored;
    Ok(see_other(&format!(
        "/e/{id}/r/{round_id}/done?receipt={}",
        receipt.receipt
    )))
}

#[derive(Template)]
#[template(path = "done.html")]
struct DonePage {
    layout: Layout,
    exercise_id: String,
    exercise_title: String,
    round_title: String,
    receipt: String,
    next: Option<(String, String)>,
}

/// The confirmation's query.
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    receipt: Option<String>,
}

/// `GET /e/{exercise}/r/{round}/done`: the confirmation, and the next open round.
pub async fn done(
    State(state): State<AppState>,
    token: FormToken,
    headers: HeaderMap,
    Path((id, round_id)): Path<(String, String)>,
    Query(query): Query<DoneQuery>,
) -> PageResult {
    let stored = stored_exercise(&state, &id).await?;
    let Some(position) = stored
        .exercise
        .rounds
        .iter()
        .position(|round| round.id.as_str() == round_id)
    else {
        return Err(AppError::NotFound(format!("no round `{round_id}`")).into());
    };
    let respondent = current_respondent(&state, &headers, &id).await?;
    let mut next = None;
    if let Some(respondent) = respondent {
        for (round, status) in stored
            .exercise
            .rounds
            .iter()
            .zip(&stored.rounds)
            .skip(position + 1)
        {
            if status.state != RoundState::Open {
                continue;
            }
            let answered = current_answer(&state, &id, round.id.as_str(), &respondent.id)
                .await?
                .is_some_and(|answer| answer.submitted);
            if !answered {
                next = Some((format!("/e/{id}/r/{}", round.id), round.title.clone()));
                break;
            }
        }
    }
    let receipt = query
        .receipt
        .filter(|receipt| receipt.len() <= 64 && receipt.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_default();
    let page = DonePage {
        layout: layout("Answers submitted", &token, false),
        exercise_id: id,
        exercise_title: stored.exercise.title.clone(),
        round_title: stored.exercise.rounds[position].title.clone(),
        receipt,
        next,
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}
