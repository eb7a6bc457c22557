//! The API: `GET /api/v1/exercises/{exercise}/rounds/{round}/feedback?respondent=ID`, the
//! feedback of [`round_feedback`] as JSON, or a 409 saying why there is none.

use axum::Json;
use axum::extract::{Path, State};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use store::RoundState;

use super::{Feedback, OwnRating, RoundFeedback, round_feedback};
use crate::AppState;
use crate::error::{ApiQuery, AppError, ErrorBody};
use crate::handlers::exercises::stored_exercise;

/// Whose feedback is asked for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FeedbackQuery {
    /// The respondent id.
    pub respondent: String,
}

/// Counts per point of the scale, as a JSON object from the lowest point to the highest:
/// `{"1": 3, "2": 0, ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct PointCounts(pub(crate) Vec<(i32, u64)>);

impl Serialize for PointCounts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (point, count) in &self.0 {
            map.serialize_entry(&point.to_string(), count)?;
        }
        map.end()
    }
}

/// How one item was rated in the earlier round.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemFeedbackView {
    /// The item id.
    pub item: String,
    /// The respondent's own earlier rating; `null` for "don't know" or not rated.
    pub own_rating: Option<i32>,
    /// Whether the respondent answered this item in the earlier round (a rating or "don't
    /// know").
    pub own_answered: bool,
    /// Ratings given in the distribution shown, "don't know" excluded.
    pub n: u64,
    /// The median of those ratings; `null` when there are none.
    pub median: Option<f64>,
    /// The count at each point of the scale.
    #[schema(value_type = BTreeMap<String, u64>)]
    pub counts: PointCounts,
    /// "Don't know" answers in the distribution shown.
    pub dont_know: u64,
}

/// What a re-rating round shows a respondent beside each item.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackView {
    /// The earlier rating round.
    pub from_round: String,
    /// That round's state: always `closed` (feedback is never counted from an open round).
    pub from_round_state: String,
    /// Whose ratings the distributions are: `overall` or `group`.
    pub by: String,
    /// The respondent's group.
    pub group: String,
    /// Whether the round asks for the group's ratings but the group may not be shown on its
    /// own (it had fewer respondents than the exercise's disclosure threshold, or is pooled with
    /// a smaller group so that no subtraction isolates that one), so everyone's are shown instead.
    pub group_below_threshold: bool,
    /// Respondents with a submitted answer in the distribution shown.
    pub respondents: u64,
    /// One entry per item of the round, in the round's order.
    pub items: Vec<ItemFeedbackView>,
}

impl FeedbackView {
    /// The view of a respondent's feedback.
    pub fn new(feedback: &RoundFeedback, from_state: RoundState) -> FeedbackView {
        FeedbackView {
            from_round: feedback.from_round.clone(),
            from_round_state: from_state.as_str().to_string(),
            by: feedback.shown.as_str().to_string(),
            group: feedback.group.clone(),
            group_below_threshold: feedback.fell_back(),
            respondents: feedback.respondents,
            items: feedback
                .items
                .iter()
                .map(|item| ItemFeedbackView {
                    item: item.item.clone(),
                    own_rating: match item.own {
                        OwnRating::Score(score) => Some(score),
                        OwnRating::DontKnow | OwnRating::NotRated => None,
                    },
                    own_answered: item.own != OwnRating::NotRated,
                    n: item.rated,
                    median: item.median,
                    counts: PointCounts(
                        (feedback.min..=feedback.max)
                            .zip(item.counts.iter().copied())
                            .collect(),
                    ),
                    dont_know: item.dont_know,
                })
                .collect(),
        }
    }
}

/// Delphi feedback for a respondent in a re-rating round: beside each item, their own rating in
/// the earlier rating round and the distribution of that round's submitted ratings (everyone's,
/// or their own group's when the round says so and the disclosure rule shows the group on its
/// own). Given only while the re-rating round is open, once the earlier round is closed, and
/// when at least the disclosure threshold of people answered the earlier round.
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/rounds/{round}/feedback", operation_id = "getFeedback", tag = "answers",
    params(("exercise" = String, Path), ("round" = String, Path), FeedbackQuery),
    responses((status = 200, body = FeedbackView),
        (status = 404, body = ErrorBody,
            description = "No such exercise, round or respondent, or the round is not a re-rating round"),
        (status = 409, body = ErrorBody,
            description = "No feedback now: the re-rating round is not open, the source round is not closed, or fewer people than the disclosure threshold answered it")))]
pub async fn feedback(
    State(state): State<AppState>,
    Path((exercise, round)): Path<(String, String)>,
    ApiQuery(query): ApiQuery<FeedbackQuery>,
) -> Result<Json<FeedbackView>, AppError> {
    let stored = stored_exercise(&state, &exercise).await?;
    let position = stored
        .exercise
        .rounds
        .iter()
        .position(|candidate| candidate.id.as_str() == round)
        .ok_or_else(|| {
            AppError::NotFound(format!("exercise `{exercise}` has no round `{round}`"))
        })?;
    let Some(from) = stored.exercise.rounds[position]
        .feedback
        .map(|feedback| feedback.from)
    else {
        return Err(AppError::NotFound(format!(
            "round `{round}` is not a re-rating round: it shows no feedback"
        )));
    };
    let lookup = query.respondent.clone();
    let respondent = state
        .blocking(move |store| store.respondent(&lookup))
        .await?
        .filter(|found| found.exercise == exercise)
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "there is no respondent `{}` in this exercise",
                query.respondent
            ))
        })?;
    let feedback = round_feedback(&state, &stored, position, &respondent)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("round `{round}` shows no feedback")))?;
    match feedback {
        Feedback::Shown(feedback) => Ok(Json(FeedbackView::new(
            &feedback,
            stored.rounds[from].state,
        ))),
        Feedback::Withheld { reason, .. } => Err(AppError::Conflict(
            reason.detail(&round, stored.exercise.rounds[from].id.as_str()),
        )),
    }
}
