//! Choosing a group once, the resume code shown after starting, and coming back with it.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use store::{RoundState, StoredExercise};

use super::{current_respondent, layout, respondent_cookie};
use crate::AppState;
use crate::error::AppError;
use crate::handlers::exercises::stored_exercise;
use crate::pages::CheckedForm;
use crate::pages::{FieldError, FormToken, Layout, PageResult, field, render, see_other};
use crate::rate::ClientAddress;

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
    CheckedForm(fields): CheckedForm,
) -> PageResult {
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
    /// Where to type the resume code, as an address to read or print.
    resume_address: String,
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
        resume_address: super::address(&state, &format!("/e/{id}/resume")),
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
    CheckedForm(fields): CheckedForm,
) -> PageResult {
    let stored = stored_exercise(&state, &id).await?;
    let value = field(&fields, "resume_code")
        .unwrap_or_default()
        .trim()
        .to_string();
    let message = if value.is_empty() {
        "Enter your resume code".to_string()
    } else {
        state.limits.resume.check(client)?;
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
