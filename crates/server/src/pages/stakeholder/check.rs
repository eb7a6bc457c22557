//! Check your answers, and the confirmation.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use store::{RoundState, Submission};
use survey::answer::{Answer, Rating};
use survey::{Exercise, Round, RoundKind, Scale};

use super::{current_answer, current_respondent, layout, round_context};
use crate::AppState;
use crate::error::AppError;
use crate::handlers::exercises::stored_exercise;
use crate::pages::CheckedForm;
use crate::pages::forms::{point_label, rating_page};
use crate::pages::{FormToken, Layout, PageResult, render, see_other};
use crate::rate::ClientAddress;

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
                    let page = position / crate::pages::forms::RATINGS_PER_PAGE + 1;
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
    CheckedForm(_): CheckedForm,
) -> PageResult {
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
