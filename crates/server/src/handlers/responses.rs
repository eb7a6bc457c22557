//! Answers: saving a draft or submitting (acknowledged only once committed), reading the
//! current answer back, and proposing the next pair of a pairwise round.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use store::Submission;
use survey::answer::{Answer, PairChoice};
use survey::order::ShownOrder;
use survey::{Exercise, RoundKind, Slug};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiJson, ApiPath, ApiQuery, AppError, ErrorBody, from_value};
use crate::handlers::exercises::stored_exercise;
use crate::rate::ClientAddress;

/// The header that carries an idempotency key.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// An answer to save or submit: the answer's field for the round's kind, and `submit`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ResponseBody {
    /// `true` submits the answer; `false` saves it as a draft.
    pub submit: bool,
    /// A key for this submission (or the `Idempotency-Key` header): repeating a request with
    /// the same key returns the first receipt and stores nothing more.
    pub idempotency_key: Option<String>,
    /// Rank rounds: the top k item ids, most important first.
    pub ranking: Option<Vec<String>>,
    /// Rate rounds: per item id a rating, `null` for "don't know", or per criterion id
    /// `"yes"`, `"undecided"`, `"no"` or `null`.
    #[schema(value_type = Option<Object>)]
    pub ratings: Option<serde_json::Value>,
    /// Pick rounds: the item ids picked.
    pub picked: Option<Vec<String>>,
    /// Suggest rounds: the suggestions, as free text.
    pub suggestions: Option<Vec<String>>,
    /// Pairwise rounds: the choices made, as `{"winner": ..., "loser": ...}`.
    pub choices: Option<Vec<ChoiceBody>>,
    /// The order the client showed the items in, recorded with the answer for the method
    /// report's check of order effects: the item ids as shown, or for a pairwise round one
    /// `[first, second]` pair per choice, in the order of `choices`. Optional.
    #[schema(value_type = Option<Object>)]
    pub shown_order: Option<serde_json::Value>,
}

/// One pairwise choice, as [`ResponseBody`] holds it (read by `survey::answer`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ChoiceBody {
    /// The item chosen.
    pub winner: String,
    /// The item not chosen.
    pub loser: String,
}

/// The confirmation of a stored answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptView {
    /// The receipt id: the same for a repeated request.
    pub receipt: String,
    /// Whether the answer is submitted (else saved as a draft).
    pub submitted: bool,
    /// Whether this request repeated an earlier one and stored nothing new.
    pub replayed: bool,
}

/// Splits an answer body into the answer, `submit` and the idempotency key (from the body or
/// the header), each problem named by its field.
fn split_body(
    mut fields: serde_json::Map<String, serde_json::Value>,
    headers: &HeaderMap,
) -> Result<(Answer, bool, Option<String>, Option<ShownOrder>), AppError> {
    let shown_order = match fields.remove("shown_order") {
        None | Some(serde_json::Value::Null) => None,
        Some(value) => Some(serde_json::from_value::<ShownOrder>(value).map_err(|_| {
            AppError::field(
                "shown_order",
                "`shown_order` must be a list of item ids as shown, or for a pairwise round a list of `[first, second]` pairs, one per choice",
            )
        })?),
    };
    let submit = match fields.remove("submit") {
        Some(serde_json::Value::Bool(submit)) => submit,
        Some(_) => {
            return Err(AppError::field(
                "submit",
                "`submit` must be true (submit the answer) or false (save a draft)",
            ));
        }
        None => {
            return Err(AppError::field(
                "submit",
                "add `\"submit\": true` to submit the answer, or `false` to save a draft",
            ));
        }
    };
    let body_key = match fields.remove("idempotency_key") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(key)) => Some(key),
        Some(_) => {
            return Err(AppError::field(
                "idempotency_key",
                "`idempotency_key` must be a string",
            ));
        }
    };
    let header_key = match headers.get(IDEMPOTENCY_HEADER) {
        Some(value) => Some(
            value
                .to_str()
                .map_err(|_| {
                    AppError::field("Idempotency-Key", "the Idempotency-Key header must be text")
                })?
                .to_string(),
        ),
        None => None,
    };
    let key = match (header_key, body_key) {
        (Some(header), Some(body)) if header != body => {
            return Err(AppError::field(
                "idempotency_key",
                "the Idempotency-Key header and `idempotency_key` differ: send one of them",
            ));
        }
        (header, body) => header.or(body),
    };
    check_choices_are_objects(&fields)?;
    let answer: Answer = from_value(serde_json::Value::Object(fields))?;
    Ok((answer, submit, key, shown_order))
}

/// Refuses a pairwise choice written as anything but an object (serde would read
/// `["a", "b"]` as `{"winner": "a", "loser": "b"}`).
///
/// # Errors
/// 422 naming the choice, as `choices[2]`.
fn check_choices_are_objects(
    fields: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), AppError> {
    let Some(serde_json::Value::Array(choices)) = fields.get("choices") else {
        return Ok(());
    };
    match choices.iter().position(|choice| !choice.is_object()) {
        Some(at) => Err(AppError::field(
            format!("choices[{at}]"),
            format!(
                "`choices[{at}]`: each choice is an object, `{{\"winner\": ITEM, \"loser\": ITEM}}`"
            ),
        )),
        None => Ok(()),
    }
}

/// Saves a draft (`"submit": false`) or submits an answer (`"submit": true`). The reply comes
/// only once the answer is durably stored. While the round is open, a later answer replaces an
/// earlier one, which is kept in history; repeating a request is harmless.
#[utoipa::path(put, path = "/api/v1/exercises/{exercise}/rounds/{round}/responses/{respondent}",
    operation_id = "putAnswer", tag = "answers",
    params(("exercise" = String, Path), ("round" = String, Path), ("respondent" = String, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "A key for this submission")),
    request_body = ResponseBody,
    responses((status = 200, body = ReceiptView),
        (status = 404, body = ErrorBody, description = "No such exercise, round or respondent"),
        (status = 409, body = ErrorBody, description = "The round is not open"),
        (status = 422, body = ErrorBody, description = "Every problem with the answer, by field"),
        (status = 429, body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    client: ClientAddress,
    ApiPath((exercise, round, respondent)): ApiPath<(String, String, String)>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> Result<Json<ReceiptView>, AppError> {
    state.limits.submit.check(client)?;
    let (answer, submit, idempotency_key, shown_order) = split_body(body, &headers)?;
    let receipt = state
        .blocking(move |store| {
            store.save_answer(Submission {
                exercise,
                round,
                respondent,
                answer,
                submit,
                idempotency_key,
                shown_order,
            })
        })
        .await?;
    Ok(Json(ReceiptView {
        receipt: receipt.receipt,
        submitted: receipt.submitted,
        replayed: receipt.replayed,
    }))
}

/// A respondent's current answer to a round.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentAnswer {
    /// The answer, in the body shape of its round kind.
    #[schema(value_type = Object)]
    pub answer: Answer,
    /// Whether it is submitted (else a draft).
    pub submitted: bool,
    /// Its receipt.
    pub receipt: String,
    /// The day it was saved (UTC), `YYYY-MM-DD`.
    pub saved_day: String,
}

async fn check_respondent(
    state: &AppState,
    exercise: &str,
    respondent: &str,
) -> Result<(), AppError> {
    let lookup = respondent.to_string();
    let found = state
        .blocking(move |store| store.respondent(&lookup))
        .await?;
    match found {
        Some(found) if found.exercise == exercise => Ok(()),
        _ => Err(AppError::NotFound(format!(
            "there is no respondent `{respondent}` in this exercise"
        ))),
    }
}

/// A respondent's current answer to a round (the latest saved, draft or submitted).
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/rounds/{round}/responses/{respondent}",
    operation_id = "getAnswer", tag = "answers",
    params(("exercise" = String, Path), ("round" = String, Path), ("respondent" = String, Path)),
    responses((status = 200, body = CurrentAnswer),
        (status = 404, body = ErrorBody, description = "No such respondent, or no answer yet")))]
pub async fn show(
    State(state): State<AppState>,
    ApiPath((exercise, round, respondent)): ApiPath<(String, String, String)>,
) -> Result<Json<CurrentAnswer>, AppError> {
    check_respondent(&state, &exercise, &respondent).await?;
    let current = state
        .blocking(move |store| store.current_answer(&exercise, &round, &respondent))
        .await?
        .ok_or_else(|| AppError::NotFound("there is no answer to this round yet".to_string()))?;
    Ok(Json(CurrentAnswer {
        answer: current.answer,
        submitted: current.submitted,
        receipt: current.receipt,
        saved_day: current.saved_day,
    }))
}

/// Which respondent wants a pair.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PairQuery {
    /// The respondent id.
    pub respondent: String,
    /// How many pairs the respondent has skipped ("I can't decide") since the last choice, so
    /// that a skipped pair is not proposed again at once (at most [`MAX_SKIPPED`]).
    #[serde(default)]
    #[param(minimum = 0, maximum = 1000000)]
    pub skipped: u32,
}

/// The most skips a pair request may count: far more than the pairs of a round at the item
/// cap could need, and what the document states as `skipped`'s maximum.
pub const MAX_SKIPPED: u32 = 1_000_000;

/// The next pair to choose between.
#[derive(Debug, Serialize, ToSchema)]
pub struct PairProposal {
    /// Two item ids, or `null` when there is nothing more to ask.
    pub pair: Option<[String; 2]>,
    /// Choices the respondent has made so far (in the current answer).
    pub answered: usize,
    /// The most choices allowed, if limited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_choices: Option<u32>,
}

/// Proposes the next pair for a respondent: a pair the respondent has not yet judged, chosen at
/// random among those whose items the respondent has seen least. The choice is seeded by the
/// respondent and their progress, so the same request gives the same pair. The rule is
/// [`survey::pairwise::next_pair`].
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/rounds/{round}/pair", operation_id = "getPair", tag = "answers",
    params(("exercise" = String, Path), ("round" = String, Path), PairQuery),
    responses((status = 200, body = PairProposal),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn pair(
    State(state): State<AppState>,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
    ApiQuery(query): ApiQuery<PairQuery>,
) -> Result<Json<PairProposal>, AppError> {
    let stored = stored_exercise(&state, &exercise).await?;
    let definition = stored.exercise.round(&round).ok_or_else(|| {
        AppError::NotFound(format!("exercise `{exercise}` has no round `{round}`"))
    })?;
    let RoundKind::Pairwise { max_choices } = definition.kind else {
        return Err(AppError::field(
            "round",
            format!(
                "round `{round}` is a {} round, not a pairwise one",
                definition.kind.name()
            ),
        ));
    };
    if query.skipped > MAX_SKIPPED {
        return Err(AppError::field(
            "skipped",
            format!(
                "`skipped` is {} but may be at most {MAX_SKIPPED}",
                query.skipped
            ),
        ));
    }
    check_respondent(&state, &exercise, &query.respondent).await?;
    let respondent = query.respondent.clone();
    let current = state
        .blocking(move |store| store.current_answer(&exercise, &round, &respondent))
        .await?;
    let choices = match current.map(|current| current.answer) {
        Some(Answer::Pairwise(choices)) => choices,
        _ => Vec::new(),
    };
    let answered = choices.len();
    let seed = state.store.pseudonyms().order_seed(
        stored.exercise.id.as_str(),
        definition.id.as_str(),
        &query.respondent,
    );
    let pair = choose_pair(
        Arc::clone(&stored.exercise),
        definition.id.clone(),
        choices,
        max_choices,
        query.respondent,
        query.skipped,
        seed,
    )
    .await?
    .map(|pair| pair.map(|id| id.to_string()));
    Ok(Json(PairProposal {
        pair,
        answered,
        max_choices,
    }))
}

/// Chooses the next pair of `round` with [`survey::pairwise::next_pair`] on the blocking pool,
/// so that a large round never holds up the async workers; `None` when there is nothing more
/// to ask (or, which cannot happen for a round taken from `exercise`, no such round). The pair
/// comes in the order to show it, drawn from `seed` (the respondent's order seed for the
/// round, see [`survey::order::pair_as_shown`]), so each item of a pair is shown first about
/// half the time.
///
/// # Errors
/// Only if the blocking task panics.
pub(crate) async fn choose_pair(
    exercise: Arc<Exercise>,
    round: Slug,
    choices: Vec<PairChoice>,
    max_choices: Option<u32>,
    respondent: String,
    skipped: u32,
    seed: survey::order::OrderSeed,
) -> Result<Option<[Slug; 2]>, AppError> {
    Ok(tokio::task::spawn_blocking(move || {
        let round = exercise.round(round.as_str())?;
        let items: Vec<&Slug> = exercise.round_items(round).map(|item| &item.id).collect();
        survey::pairwise::next_pair(&items, &choices, max_choices, &respondent, skipped)
            .map(|pair| survey::order::pair_as_shown(round, &seed, pair))
    })
    .await?)
}
