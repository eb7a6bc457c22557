//! Check your answers, and the confirmation.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use sha2::{Digest, Sha256};
use store::{RoundState, StoredExercise, Submission};
use survey::answer::{Answer, Rating};
use survey::{Exercise, Round, RoundKind, Scale};

use super::{address, current_answer, current_respondent, layout, round_context, round_for};
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
    let round = &round_for(
        &state,
        &id,
        &stored.exercise.rounds[position],
        &respondent.id,
    );
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
        shown_order: current.shown_order,
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
    /// Until when the answers can be changed, in words, when the round has a closing time.
    changes_until: Option<String>,
    /// The next open round not yet answered: (address, title).
    next: Option<(String, String)>,
    /// What happens next when no round is waiting: the next round and when it opens.
    later: Option<String>,
    /// The exercise's address and the resume page's, to read or print.
    exercise_address: String,
    resume_address: String,
    /// Where the results will be (or are) published, and whether they are.
    results_address: String,
    published: bool,
}

/// What happens after this round when no later round is open to answer now: the next round
/// not yet answered, and when it opens if that is known.
fn later_rounds(stored: &StoredExercise, position: usize) -> String {
    let upcoming = stored
        .exercise
        .rounds
        .iter()
        .zip(&stored.rounds)
        .skip(position + 1)
        .find(|(_, status)| status.state == RoundState::Draft);
    match upcoming {
        Some((round, status)) => match status.opens_at {
            Some(at) => format!(
                "The next set of questions, “{}”, opens on {}.",
                round.title,
                crate::schedule::in_words(at)
            ),
            None => format!(
                "The next set of questions, “{}”, is not open yet. The research team will open it once they have read everyone's answers to this one.",
                round.title
            ),
        },
        None => "There are no more questions for you to answer in this exercise.".to_string(),
    }
}

/// `GET /e/{exercise}/r/{round}/done`: the confirmation, and what happens next: the next
/// round (now, or when it opens), how to come back, and where the results will be.
pub async fn done(
    State(state): State<AppState>,
    token: FormToken,
    headers: HeaderMap,
    Path((id, round_id)): Path<(String, String)>,
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
    let status = &stored.rounds[position];
    let lookup = id.clone();
    let published = state
        .blocking(move |store| store.current_publication(&lookup))
        .await?
        .is_some();
    let page = DonePage {
        layout: layout("Answers submitted", &token, false),
        exercise_title: stored.exercise.title.clone(),
        round_title: stored.exercise.rounds[position].title.clone(),
        changes_until: status
            .closes_at
            .filter(|_| status.state == RoundState::Open)
            .map(crate::schedule::in_words),
        later: next.is_none().then(|| later_rounds(&stored, position)),
        next,
        exercise_address: address(&state, &format!("/e/{id}")),
        resume_address: address(&state, &format!("/e/{id}/resume")),
        results_address: address(&state, &format!("/e/{id}/results")),
        published,
        exercise_id: id,
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}
