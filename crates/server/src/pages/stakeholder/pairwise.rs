//! Pairwise rounds: one pair per page.

use std::sync::Arc;

use askama::Template;
use axum::http::StatusCode;
use store::{StoredAnswer, StoredExercise};
use survey::Round;
use survey::answer::{Answer, PairChoice};
use survey::order::ShownOrder;

use super::{layout, save};
use crate::AppState;
use crate::handlers::responses::choose_pair;
use crate::pages::{Fields, FormToken, Layout, PageResult, field, render, see_other};

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
pub(super) async fn pair_page(
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
    let answered = choices.len();
    let seed =
        state
            .store
            .pseudonyms()
            .order_seed(exercise.id.as_str(), round.id.as_str(), respondent);
    let pair = choose_pair(
        Arc::clone(exercise),
        round.id.clone(),
        choices,
        max_choices,
        respondent.to_string(),
        skipped,
        seed,
    )
    .await?;
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
        answered,
        max_choices,
    };
    Ok(render(&page, StatusCode::OK, token, state))
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn pair_post(
    state: &AppState,
    stored: &StoredExercise,
    round: &Round,
    respondent: &str,
    current: Option<StoredAnswer>,
    fields: &Fields,
    action: &str,
    skipped: u32,
) -> PageResult {
    let id = stored.exercise.id.to_string();
    let here = format!("/e/{id}/r/{}", round.id);
    let (mut choices, shown) = match current {
        Some(StoredAnswer {
            answer: Answer::Pairwise(choices),
            shown_order,
            ..
        }) => (choices, shown_order),
        _ => (Vec::new(), None),
    };
    // The pairs as shown, one per choice; choices saved before sides were recorded have none,
    // and then none is recorded for the answer (a partial record would misalign).
    let mut shown_pairs = match shown {
        Some(ShownOrder::Pairs(pairs)) if pairs.len() == choices.len() => Some(pairs),
        None if choices.is_empty() => Some(Vec::new()),
        _ => None,
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
            // The page showed `left` first (on the left, or on top on a narrow screen).
            if let Some(pairs) = &mut shown_pairs {
                pairs.push([left.to_string(), right.to_string()]);
            }
            save(
                state,
                &id,
                round.id.as_str(),
                respondent,
                Answer::Pairwise(choices),
                false,
                shown_pairs.map(ShownOrder::Pairs),
            )
            .await?;
            Ok(see_other(&here))
        }
        _ => Ok(see_other(&here)),
    }
}
