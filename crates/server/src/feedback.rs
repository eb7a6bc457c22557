//! Delphi feedback: what a re-rating round shows each respondent beside each item — their own
//! rating in the earlier rating round, and how everyone (or their own group) rated it there.
//!
//! The earlier round's ratings are read back from its export (the exchange CSV the store
//! writes), so this module runs no SQL and sees exactly what the results and the report see:
//! the latest submitted answer of each respondent. The respondent's own earlier rating is their
//! current answer to that round, when it was submitted (a draft is not counted anywhere).
//!
//! Feedback is shown only while the re-rating round is open, and only from an earlier round
//! that is closed: counted live, two readings either side of one submission would give that
//! person's ratings. It is withheld when fewer people than the exercise's disclosure threshold
//! answered the earlier round, and a group's own ratings are shown only when the group is shown
//! under [`rank::disclosure::Disclosure`] of the earlier round's respondents per group, so that
//! everyone's counts minus the shown groups' never isolate a small group. See [`Withheld`].
//!
//! A closed round never changes, so its tallies are cached in [`FeedbackCache`], keyed by the
//! exercise, the round, the definition version and the times the round was last opened and
//! closed. Used by the stakeholder page and by
//! `GET /api/v1/exercises/{exercise}/rounds/{round}/feedback`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use rank::RatingScale;
use rank::disclosure::Disclosure;
use rank::tally::{ItemCounts, RatingTally, ScaleBands};
use store::{RoundState, StoredExercise};
use survey::answer::{Answer, Rating};
use survey::ballots::rating_tally;
use survey::definition::FeedbackBy;
use survey::responses::Responses;
use survey::{Round, RoundKind, Scale};

use crate::AppState;
use crate::error::AppError;
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
    /// Per group (in `groups`' order): respondents who gave at least one rating on the scale,
    /// that is those the round's results rank (someone who answered only "don't know" gives no
    /// ballot). The disclosure rule is applied to these, exactly as the results apply it, so
    /// that the feedback and the results of one round pool the same groups.
    raters: Vec<u64>,
}

impl Distribution {
    /// Tallies a rating round's responses (read against the exercise) on `scale`. Every
    /// respondent with a submitted answer counts, even one who rated nothing; "don't know" is
    /// counted only where it was said, not for items left out. Criterion ratings and ratings off
    /// the scale are not counted (the reader has already refused both for a round with a
    /// numeric scale).
    pub fn from_responses(responses: &Responses, scale: RatingScale) -> Distribution {
        let tally = rating_tally(responses, scale);
        let raters = survey::ballots::raters_per_group(responses);
        Distribution {
            groups: responses.groups.clone(),
            items: responses
                .items
                .iter()
                .enumerate()
                .map(|(index, item)| (item.id.clone(), index))
                .collect(),
            tally,
            raters,
        }
    }

    /// Respondents who gave at least one rating on the scale, in all groups: the number the
    /// round's results rank, and so the number the disclosure threshold is checked against.
    pub fn raters(&self) -> u64 {
        self.raters.iter().sum()
    }

    /// Respondents with a submitted answer: in one group, or overall (`None`).
    pub fn respondents(&self, group: Option<&str>) -> u64 {
        match group.map(|id| self.group_index(id)) {
            Some(Some(index)) => self.tally.respondents(Some(index)),
            Some(None) => 0,
            None => self.tally.respondents(None),
        }
    }

    /// Respondents who gave at least one rating on the scale in each of `groups` (ids), in
    /// that order: the sizes the disclosure rule is applied to, the same as the round's results
    /// (`rank::analysis`) apply it to.
    pub fn group_sizes<'a>(&self, groups: impl IntoIterator<Item = &'a str>) -> Vec<u64> {
        groups
            .into_iter()
            .map(|id| {
                self.group_index(id)
                    .map_or(0, |index| self.raters.get(index).copied().unwrap_or(0))
            })
            .collect()
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
    /// What the definition asks to show.
    pub requested: FeedbackBy,
    /// What is shown: `Overall` also when the group may not be shown on its own (under the
    /// disclosure threshold, or pooled with a smaller group).
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
    /// Whether the group's own ratings were asked for but the group may not be shown on its own.
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

/// Why a re-rating round shows no one's ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withheld {
    /// The re-rating round is not open (a draft, or closed): feedback is for those re-rating.
    RoundNotOpen(RoundState),
    /// The earlier round is still open or a draft: counts that change with each submission
    /// would give away each submitter's ratings.
    SourceNotClosed(RoundState),
    /// Fewer people than the disclosure threshold answered the earlier round.
    TooFewAnswers {
        /// The exercise's disclosure threshold.
        threshold: u32,
    },
}

impl Withheld {
    /// Why, in words, for an API client: `round` is the re-rating round, `from` the earlier one.
    pub fn detail(&self, round: &str, from: &str) -> String {
        match self {
            Withheld::RoundNotOpen(state) => format!(
                "round `{round}` is {}: feedback is shown only while a re-rating round is open",
                state_words(*state)
            ),
            Withheld::SourceNotClosed(state) => format!(
                "the source round `{from}` is {}: feedback is shown only once it is closed, so that \
                 its counts do not change with each answer",
                state_words(*state)
            ),
            Withheld::TooFewAnswers { threshold } => format!(
                "fewer than {threshold} people (the disclosure threshold) answered the source round \
                 `{from}`: no distribution is shown"
            ),
        }
    }
}

/// "still open", "still a draft", "closed".
fn state_words(state: RoundState) -> &'static str {
    match state {
        RoundState::Draft => "still a draft",
        RoundState::Open => "still open",
        RoundState::Closed => "closed",
    }
}

/// What a re-rating round shows one respondent: the feedback, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum Feedback {
    /// The feedback beside each item.
    Shown(RoundFeedback),
    /// No one's ratings are shown, and why.
    Withheld {
        /// The earlier round's title.
        from_title: String,
        /// The earlier round's number in the exercise, from 1.
        from_number: usize,
        /// Why.
        reason: Withheld,
    },
}

impl Feedback {
    /// The feedback, when it is shown.
    pub fn shown(&self) -> Option<&RoundFeedback> {
        match self {
            Feedback::Shown(feedback) => Some(feedback),
            Feedback::Withheld { .. } => None,
        }
    }
}

fn now_seconds() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

/// The tallies of the closed round `from` (an index into the exercise's rounds): from the cache
/// when counted before, else counted from its export. The round's state is read again after
/// counting: if it was reopened meanwhile, the count is refused rather than shown.
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
    if let Some(found) = state
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
    let again = stored_exercise(state, &exercise_id).await?;
    let unchanged = again.version == stored.version
        && again.rounds.get(from).is_some_and(|now| {
            now.state == RoundState::Closed
                && now.opened_at == status.opened_at
                && now.closed_at == status.closed_at
        });
    if !unchanged {
        return Err(AppError::Conflict(format!(
            "the source round `{round_id}` changed while its ratings were counted: try again"
        )));
    }
    let distribution = Arc::new(distribution);
    let settled = status
        .closed_at
        .is_some_and(|closed_at| closed_at <= started - SETTLE_SECONDS);
    if settled {
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
/// item, or `None` when the round is not a re-rating round. The feedback is withheld while the
/// round is not open, while the earlier round is not closed, and when fewer people than the
/// disclosure threshold answered the earlier round; a group's own ratings are shown only when
/// the disclosure rule shows the group on its own, else everyone's.
///
/// # Errors
/// Store errors; a 409 if the earlier round was reopened while it was counted; a 500 if its
/// export does not read back.
pub async fn round_feedback(
    state: &AppState,
    stored: &StoredExercise,
    round: usize,
    respondent: &store::Respondent,
) -> Result<Option<Feedback>, AppError> {
    let exercise = &stored.exercise;
    let this = &exercise.rounds[round];
    let Some(feedback) = this.feedback else {
        return Ok(None);
    };
    let from = &exercise.rounds[feedback.from];
    let withheld = |reason| {
        Ok(Some(Feedback::Withheld {
            from_title: from.title.clone(),
            from_number: feedback.from + 1,
            reason,
        }))
    };
    let (this_state, from_state) = (
        stored.rounds[round].state,
        stored.rounds[feedback.from].state,
    );
    if this_state != RoundState::Open {
        return withheld(Withheld::RoundNotOpen(this_state));
    }
    if from_state != RoundState::Closed {
        return withheld(Withheld::SourceNotClosed(from_state));
    }
    let EarlierScale {
        scale,
        min,
        max,
        labels,
    } = earlier_scale(this, from)?;
    let tallies = distribution(state, stored, feedback.from, scale).await?;
    let threshold = exercise.disclosure_threshold;
    if tallies.raters() < u64::from(threshold) {
        return withheld(Withheld::TooFewAnswers { threshold });
    }
    let (own_submitted, own_ratings) = own_earlier_ratings(state, stored, from, respondent).await?;
    let shown = shown_by(exercise, feedback.by, &tallies, &respondent.group);
    let whose = match shown {
        FeedbackBy::Group => Some(respondent.group.as_str()),
        FeedbackBy::Overall => None,
    };
    let items = items_feedback(stored, this, &own_ratings, &tallies, whose);
    Ok(Some(Feedback::Shown(RoundFeedback {
        from_round: from.id.to_string(),
        from_title: from.title.clone(),
        from_number: feedback.from + 1,
        requested: feedback.by,
        shown,
        group: respondent.group.clone(),
        group_respondents: tallies.respondents(Some(&respondent.group)),
        respondents: tallies.respondents(whose),
        disclosure_threshold: threshold,
        own_submitted,
        scale,
        min,
        max,
        labels: labels.clone(),
        items,
    })))
}

/// Whose ratings are shown to a member of `group`: the group's own when asked for and the
/// disclosure rule, applied to the earlier round's respondents per group, shows the group on its
/// own; else everyone's. So everyone's counts minus any shown group's leave a pool of at least
/// the threshold.
fn shown_by(
    exercise: &survey::Exercise,
    requested: FeedbackBy,
    tallies: &Distribution,
    group: &str,
) -> FeedbackBy {
    if requested != FeedbackBy::Group {
        return FeedbackBy::Overall;
    }
    let sizes = tallies.group_sizes(exercise.groups.iter().map(|group| group.id.as_str()));
    let plan = Disclosure::plan(&sizes, u64::from(exercise.disclosure_threshold));
    let index = exercise
        .groups
        .iter()
        .position(|candidate| candidate.id.as_str() == group);
    if index.is_some_and(|index| plan.is_shown(index)) {
        FeedbackBy::Group
    } else {
        FeedbackBy::Overall
    }
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

mod api;

pub use api::{
    __path_feedback, FeedbackQuery, FeedbackView, ItemFeedbackView, PointCounts, feedback,
};

#[cfg(test)]
mod tests;
