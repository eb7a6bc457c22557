//! Delphi feedback: what a re-rating round shows each respondent beside each item — their own
//! rating in the earlier rating round, and how everyone (or their own group) rated it there.
//!
//! The earlier round's ratings are read back from its export (the exchange CSV the store
//! writes), so this module runs no SQL and sees exactly what the results and the report see:
//! the latest submitted answer of each respondent. The respondent's own earlier rating is their
//! current answer to that round, when it was submitted (a draft is not counted anywhere).
//!
//! A closed round never changes, so its tallies are cached in [`FeedbackCache`], keyed by the
//! exercise, the round, the definition version and the times the round was last opened and
//! closed; an open round is tallied afresh on every call. Used by the stakeholder page and by
//! `GET /api/v1/exercises/{exercise}/rounds/{round}/feedback`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::extract::{Path, State};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use rank::RatingScale;
use rank::tally::{ItemCounts, RatingTally, ScaleBands};
use store::{RoundState, StoredExercise};
use survey::answer::{Answer, Rating};
use survey::ballots::rating_tally;
use survey::definition::FeedbackBy;
use survey::responses::Responses;
use survey::{Round, RoundKind, Scale};

use crate::AppState;
use crate::error::{ApiQuery, AppError, ErrorBody};
use crate::handlers::exercises::stored_exercise;
use crate::handlers::results::{export, read_export};

/// A closed round is cached only once it has been closed for this many seconds. The store keeps
/// the times a round was opened and closed in whole seconds, so a round reopened, changed and
/// closed again within the same second as an earlier close would otherwise look unchanged.
const SETTLE_SECONDS: i64 = 2;

/// The tallies of one rating round's submitted ratings, per group and item: `rank`'s
/// [`RatingTally`] with the group and item ids of the round.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// Group ids, in the exercise's order.
    groups: Vec<String>,
    /// Item ids of the round, with their index.
    items: HashMap<String, usize>,
    /// Respondents with a submitted answer per group, and the counts per group, item and point.
    tally: RatingTally,
}

impl Distribution {
    /// Tallies a rating round's responses (read against the exercise) on `scale`. Every
    /// respondent with a submitted answer counts, even one who rated nothing; "don't know" is
    /// counted only where it was said, not for items left out. Criterion ratings and ratings off
    /// the scale are not counted (the reader has already refused both for a round with a
    /// numeric scale).
    pub fn from_responses(responses: &Responses, scale: RatingScale) -> Distribution {
        let tally = rating_tally(responses, scale);
        Distribution {
            groups: responses.groups.clone(),
            items: responses
                .items
                .iter()
                .enumerate()
                .map(|(index, item)| (item.id.clone(), index))
                .collect(),
            tally,
        }
    }

    /// Respondents with a submitted answer: in one group, or overall (`None`).
    pub fn respondents(&self, group: Option<&str>) -> u64 {
        match group.map(|id| self.group_index(id)) {
            Some(Some(index)) => self.tally.respondents(Some(index)),
            Some(None) => 0,
            None => self.tally.respondents(None),
        }
    }

    fn group_index(&self, id: &str) -> Option<usize> {
        self.groups.iter().position(|group| group == id)
    }

    /// How an item was rated, in one group or overall (`None`): the count at each point of the
    /// scale (lowest first) and the count of "don't know". All zero for an item the round did
    /// not ask about, or a group it does not know.
    pub fn item(&self, item: &str, group: Option<&str>) -> ItemCounts {
        let group = match group.map(|id| self.group_index(id)) {
            Some(Some(index)) => Some(index),
            Some(None) => return ItemCounts::none(self.tally.scale()),
            None => None,
        };
        match self.items.get(item) {
            Some(&item) => self.tally.item(item, group),
            None => ItemCounts::none(self.tally.scale()),
        }
    }
}

/// The fingerprint of a closed round's state: if any part differs, its answers may differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint {
    version: i64,
    opened_at: Option<i64>,
    closed_at: Option<i64>,
}

/// (exercise id, round id).
type RoundKey = (String, String);

/// A round's tallies and the state they were counted in.
type Cached = (Fingerprint, Arc<Distribution>);

/// The tallies of closed rating rounds, shared by every request. One entry per (exercise,
/// round): a newer fingerprint replaces the older entry, so the cache never holds more entries
/// than there are rounds.
#[derive(Clone, Default)]
pub struct FeedbackCache {
    entries: Arc<Mutex<HashMap<RoundKey, Cached>>>,
    hits: Arc<std::sync::atomic::AtomicU64>,
}

impl FeedbackCache {
    fn get(
        &self,
        exercise: &str,
        round: &str,
        fingerprint: Fingerprint,
    ) -> Option<Arc<Distribution>> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let (stored, distribution) = entries.get(&(exercise.to_string(), round.to_string()))?;
        (*stored == fingerprint).then(|| {
            self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Arc::clone(distribution)
        })
    }

    fn insert(
        &self,
        exercise: &str,
        round: &str,
        fingerprint: Fingerprint,
        distribution: Arc<Distribution>,
    ) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        entries.insert(
            (exercise.to_string(), round.to_string()),
            (fingerprint, distribution),
        );
    }

    /// How many rounds' tallies are held.
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .len()
    }

    /// Whether no round's tallies are held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many times a round's tallies were taken from the cache rather than counted again.
    pub fn hits(&self) -> u64 {
        self.hits.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// A respondent's own rating of an item in the earlier round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnRating {
    /// A point of the scale.
    Score(i32),
    /// "Don't know".
    DontKnow,
    /// Not rated: the item was left out, or the respondent submitted no answer to the round.
    NotRated,
}

/// The feedback on one item of a re-rating round.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemFeedback {
    /// The item id.
    pub item: String,
    /// The respondent's own earlier rating.
    pub own: OwnRating,
    /// Counts at each point of the scale, lowest first, in the distribution shown.
    pub counts: Vec<u64>,
    /// "Don't know" answers in the distribution shown.
    pub dont_know: u64,
    /// The ratings given (excluding "don't know"): the sum of `counts`.
    pub rated: u64,
    /// The median of the ratings given, if any.
    pub median: Option<f64>,
}

/// Everything a re-rating round shows one respondent.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundFeedback {
    /// The earlier round's id.
    pub from_round: String,
    /// The earlier round's title.
    pub from_title: String,
    /// The earlier round's number in the exercise, from 1.
    pub from_number: usize,
    /// Whether the earlier round is still taking answers (then these are the ratings so far).
    pub from_open: bool,
    /// What the definition asks to show.
    pub requested: FeedbackBy,
    /// What is shown: `Overall` also when the group was too small to be shown on its own.
    pub shown: FeedbackBy,
    /// The respondent's group id.
    pub group: String,
    /// Respondents of the respondent's group who submitted the earlier round.
    pub group_respondents: u64,
    /// Respondents in the distribution shown.
    pub respondents: u64,
    /// The disclosure threshold of the exercise.
    pub disclosure_threshold: u32,
    /// Whether the respondent submitted an answer to the earlier round.
    pub own_submitted: bool,
    /// The scale, for its bands: the points `min..=max`.
    pub scale: RatingScale,
    /// The scale's lowest point.
    pub min: i32,
    /// The scale's highest point.
    pub max: i32,
    /// Labels of the scale's points.
    pub labels: BTreeMap<i32, String>,
    /// One entry per item of the re-rating round, in the round's order.
    pub items: Vec<ItemFeedback>,
}

impl RoundFeedback {
    /// Whether the group's own ratings were asked for but the group was too small to show.
    pub fn fell_back(&self) -> bool {
        self.requested == FeedbackBy::Group && self.shown == FeedbackBy::Overall
    }

    /// The bottom, middle and top thirds of the scale, as (lowest, highest) points: 1–3, 4–6
    /// and 7–9 on 1–9 (the bands of Delphi consensus: `rank`'s [`ScaleBands`]).
    pub fn bands(&self) -> [(i32, i32); 3] {
        ScaleBands::of(self.scale)
            .in_order()
            .map(|(lowest, highest)| (i32::from(lowest), i32::from(highest)))
    }

    /// The count in a band of an item's distribution (points off the scale count nothing).
    pub fn band_count(&self, item: &ItemFeedback, band: (i32, i32)) -> u64 {
        let point = |value: i32| value.clamp(i16::MIN.into(), i16::MAX.into()) as i16;
        rank::tally::band_count(self.scale, &item.counts, (point(band.0), point(band.1)))
    }
}

fn now_seconds() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

/// The tallies of round `from` (an index into the exercise's rounds): from the cache when the
/// round is closed and was counted before, else counted from its export.
async fn distribution(
    state: &AppState,
    stored: &StoredExercise,
    from: usize,
    scale: RatingScale,
) -> Result<Arc<Distribution>, AppError> {
    let exercise_id = stored.exercise.id.to_string();
    let round = &stored.exercise.rounds[from];
    let round_id = round.id.to_string();
    let status = &stored.rounds[from];
    let fingerprint = Fingerprint {
        version: stored.version,
        opened_at: status.opened_at,
        closed_at: status.closed_at,
    };
    let closed = status.state == RoundState::Closed;
    if closed
        && let Some(found) = state
            .feedback_cache
            .get(&exercise_id, &round_id, fingerprint)
    {
        return Ok(found);
    }
    let started = now_seconds();
    let (csv, _) = export(state, &exercise_id, &round_id).await?;
    let exercise = Arc::clone(&stored.exercise);
    let distribution = tokio::task::spawn_blocking(move || {
        let round = &exercise.rounds[from];
        let responses = read_export(&exercise, round, &csv)?;
        Ok::<_, AppError>(Distribution::from_responses(&responses, scale))
    })
    .await??;
    let distribution = Arc::new(distribution);
    let settled = status
        .closed_at
        .is_some_and(|closed_at| closed_at <= started - SETTLE_SECONDS);
    if closed && settled {
        state.feedback_cache.insert(
            &exercise_id,
            &round_id,
            fingerprint,
            Arc::clone(&distribution),
        );
    }
    Ok(distribution)
}

/// What round `round` (an index into the exercise's rounds) shows `respondent` beside each
/// item, or `None` when the round is not a re-rating round.
///
/// # Errors
/// Store errors; a 500 if the earlier round's export does not read back.
pub async fn round_feedback(
    state: &AppState,
    stored: &StoredExercise,
    round: usize,
    respondent: &store::Respondent,
) -> Result<Option<RoundFeedback>, AppError> {
    let exercise = &stored.exercise;
    let this = &exercise.rounds[round];
    let Some(feedback) = this.feedback else {
        return Ok(None);
    };
    let from = &exercise.rounds[feedback.from];
    let EarlierScale {
        scale,
        min,
        max,
        labels,
    } = earlier_scale(this, from)?;
    let tallies = distribution(state, stored, feedback.from, scale).await?;
    let (own_submitted, own_ratings) = own_earlier_ratings(state, stored, from, respondent).await?;
    let group_respondents = tallies.respondents(Some(&respondent.group));
    let shown = match feedback.by {
        FeedbackBy::Group if group_respondents >= u64::from(exercise.disclosure_threshold) => {
            FeedbackBy::Group
        }
        _ => FeedbackBy::Overall,
    };
    let whose = match shown {
        FeedbackBy::Group => Some(respondent.group.as_str()),
        FeedbackBy::Overall => None,
    };
    let items = items_feedback(stored, this, &own_ratings, &tallies, whose);
    Ok(Some(RoundFeedback {
        from_round: from.id.to_string(),
        from_title: from.title.clone(),
        from_number: feedback.from + 1,
        from_open: stored.rounds[feedback.from].state == RoundState::Open,
        requested: feedback.by,
        shown,
        group: respondent.group.clone(),
        group_respondents,
        respondents: tallies.respondents(whose),
        disclosure_threshold: exercise.disclosure_threshold,
        own_submitted,
        scale,
        min,
        max,
        labels: labels.clone(),
        items,
    }))
}

/// The numeric scale an earlier round is rated on.
struct EarlierScale<'a> {
    /// The scale, as `rank` holds it.
    scale: RatingScale,
    /// The lowest point.
    min: i32,
    /// The highest point.
    max: i32,
    /// The labels of the scale's points.
    labels: &'a BTreeMap<i32, String>,
}

/// The numeric scale the earlier round `from` is rated on, as `rank` holds it, with its lowest
/// and highest points and their labels.
fn earlier_scale<'a>(this: &Round, from: &'a Round) -> Result<EarlierScale<'a>, AppError> {
    let RoundKind::Rate {
        scale: Scale::Numeric { min, max, labels },
        ..
    } = &from.kind
    else {
        // The definition checks that the earlier round is rated on a numeric scale.
        return Err(AppError::Internal(format!(
            "round `{}` takes feedback from `{}`, which is not rated on a scale",
            this.id, from.id
        )));
    };
    let (min, max) = (*min, *max);
    let scale = i16::try_from(min)
        .ok()
        .zip(i16::try_from(max).ok())
        .and_then(|(low, high)| RatingScale::new(low, high).ok())
        .ok_or_else(|| {
            // The definition checks that a scale lies within -1000..=1000 and is not empty.
            AppError::Internal(format!(
                "round `{}` is rated on {min}-{max}, which is not a usable scale",
                from.id
            ))
        })?;
    Ok(EarlierScale {
        scale,
        min,
        max,
        labels,
    })
}

/// Whether the respondent submitted an answer to the earlier round `from`, and their ratings
/// in it (none when they did not).
async fn own_earlier_ratings(
    state: &AppState,
    stored: &StoredExercise,
    from: &Round,
    respondent: &store::Respondent,
) -> Result<(bool, BTreeMap<String, Option<Rating>>), AppError> {
    let (exercise_id, from_id, respondent_id) = (
        stored.exercise.id.to_string(),
        from.id.to_string(),
        respondent.id.clone(),
    );
    let own_answer = state
        .blocking(move |store| store.current_answer(&exercise_id, &from_id, &respondent_id))
        .await?
        .filter(|answer| answer.submitted)
        .map(|answer| answer.answer);
    let own_submitted = own_answer.is_some();
    let own_ratings = match own_answer {
        Some(Answer::Rate(ratings)) => ratings,
        _ => BTreeMap::new(),
    };
    Ok((own_submitted, own_ratings))
}

/// The feedback beside each item of round `this`: the respondent's own earlier rating and the
/// counts of everyone's (or the group `whose`).
fn items_feedback(
    stored: &StoredExercise,
    this: &Round,
    own_ratings: &BTreeMap<String, Option<Rating>>,
    tallies: &Distribution,
    whose: Option<&str>,
) -> Vec<ItemFeedback> {
    stored
        .exercise
        .round_items(this)
        .map(|item| {
            let id = item.id.as_str();
            let own = match own_ratings.get(id) {
                Some(Some(Rating::Score(score))) => OwnRating::Score(*score),
                Some(None) => OwnRating::DontKnow,
                Some(Some(Rating::Criteria(_))) | None => OwnRating::NotRated,
            };
            let counts = tallies.item(id, whose);
            ItemFeedback {
                item: id.to_string(),
                own,
                rated: counts.rated(),
                median: counts.median(),
                dont_know: counts.dont_know(),
                counts: counts.into_counts(),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The API: `GET /api/v1/exercises/{exercise}/rounds/{round}/feedback?respondent=ID`.

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
pub struct PointCounts(Vec<(i32, u64)>);

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
    /// That round's state: `open` (the ratings so far), `closed` or `draft`.
    pub from_round_state: String,
    /// Whose ratings the distributions are: `overall` or `group`.
    pub by: String,
    /// The respondent's group.
    pub group: String,
    /// Whether the round asks for the group's ratings but the group had fewer respondents than
    /// the exercise's disclosure threshold, so everyone's are shown instead.
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
/// or their own group's when the round says so and the group reaches the disclosure threshold).
/// While the earlier round is open these are the ratings so far.
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/rounds/{round}/feedback", operation_id = "getFeedback", tag = "answers",
    params(("exercise" = String, Path), ("round" = String, Path), FeedbackQuery),
    responses((status = 200, body = FeedbackView),
        (status = 404, body = ErrorBody,
            description = "No such exercise, round or respondent, or the round is not a re-rating round")))]
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
    Ok(Json(FeedbackView::new(
        &feedback,
        stored.rounds[from].state,
    )))
}

#[cfg(test)]
mod tests;
