//! A round's page and its post, and the page after "Save and come back later".

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use survey::RoundKind;

use super::pairwise::{pair_page, pair_post};
use super::round_form::round_page;
use super::{current_answer, layout, round_context, round_for, save_draft_on_page, shown_items};
use crate::AppState;
use crate::feedback::round_feedback;
use crate::handlers::exercises::stored_exercise;
use crate::pages::CheckedForm;
use crate::pages::forms::{FormValues, parse_answer, rating_page};
use crate::pages::{FormToken, Layout, PageResult, field, render, see_other};
use crate::rate::ClientAddress;

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
    // The round as this respondent sees it: the items in their own order, page by page.
    let round = &round_for(
        &state,
        &id,
        &stored.exercise.rounds[position],
        &respondent.id,
    );
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
        )
        .await;
    }
    let values = current
        .as_ref()
        .map(|answer| FormValues::from_answer(&answer.answer))
        .unwrap_or_default();
    // Without a page in the address (coming back to the round), a draft opens at the page
    // it was left on.
    let resumed_page = current
        .as_ref()
        .filter(|answer| !answer.submitted)
        .and_then(|answer| answer.page)
        .map(|page| page as usize);
    let feedback = round_feedback(&state, &stored, position, &respondent).await?;
    let page = round_page(
        &stored,
        round,
        &token,
        &values,
        Vec::new(),
        query.page.or(resumed_page).unwrap_or(1),
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
    CheckedForm(fields): CheckedForm,
) -> PageResult {
    let here = format!("/e/{id}/r/{round_id}");
    state.limits.submit.check(client)?;
    let (stored, position, respondent) =
        match round_context(&state, &token, &headers, &id, &round_id).await? {
            Ok(context) => context,
            Err(response) => return Ok(response),
        };
    let round = &round_for(
        &state,
        &id,
        &stored.exercise.rounds[position],
        &respondent.id,
    );
    let current = current_answer(&state, &id, &round_id, &respondent.id).await?;
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
    let current = current.map(|answer| answer.answer);
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
            let page = page.clamp(1, pages);
            // The page to come back to: this one after "Save and come back later", else the
            // one this leads to (the last, for the check page).
            let come_back = if action == "save" {
                page
            } else {
                (page + 1).min(pages)
            };
            let remembered = (pages > 1).then(|| u32::try_from(come_back).unwrap_or(1));
            // The order recorded is the one the pages show: the whole round's, in the
            // respondent's order, whichever page was saved.
            let shown =
                survey::order::records_order(round).then(|| shown_items(&stored.exercise, round));
            save_draft_on_page(
                &state,
                &id,
                &round_id,
                &respondent.id,
                answer,
                remembered,
                shown,
            )
            .await?;
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

#[derive(Template)]
#[template(path = "saved.html")]
struct SavedPage {
    layout: Layout,
    id: String,
    title: String,
    exercise_address: String,
    resume_address: String,
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
        exercise_address: super::address(&state, &format!("/e/{id}")),
        resume_address: super::address(&state, &format!("/e/{id}/resume")),
        id,
        title: stored.exercise.title.clone(),
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}
