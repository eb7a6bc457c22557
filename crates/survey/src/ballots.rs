//! Turning responses into `rank`'s ballots, and a rating round's responses into `rank`'s
//! rating tally.
//!
//! Indices carry over unchanged: item `i` of [`Responses::items`] is item `i` of the profile,
//! and likewise for groups and criteria.

use rank::{
    ChnriAnswer, PairwiseProfile, PickProfile, Profile, RankingProfileBuilder, RatingProfile,
    RatingScale, RatingTally,
};

use crate::definition::Scale;
use crate::responses::{Answers, Choice, RankEntry, RatingEntry, RatingValue, Responses};

/// The counts of a rating round's `responses` on `scale`, per group, item and point: the one
/// way the service's Delphi feedback and the method report's rating distribution count ratings.
///
/// Every respondent counts (with their multiplicity), even one who rated nothing; a rating on
/// the scale is counted at its point; "don't know" only where it was said, not for an item left
/// out. Criterion ratings and ratings off the scale are not counted (a reader checking against
/// the exercise has refused both for a round with a numeric scale). O(answers).
pub fn rating_tally(responses: &Responses, scale: RatingScale) -> RatingTally {
    let mut tally = RatingTally::new(responses.items.len(), responses.groups.len(), scale);
    let Answers::Rating(entries) = &responses.answers else {
        return tally;
    };
    for (index, respondent) in responses.respondents.iter().enumerate() {
        let group = respondent.group as usize;
        let weight = u64::from(respondent.count);
        tally.add_respondent(group, weight);
        for entry in &entries[responses.range(index)] {
            if entry.criterion.is_some() {
                continue;
            }
            let item = entry.item as usize;
            match entry.value {
                None => tally.add_answer(group, item, None, weight),
                Some(RatingValue::Score(score)) => {
                    if let Some(rating) = i16::try_from(score)
                        .ok()
                        .filter(|rating| (scale.min()..=scale.max()).contains(rating))
                    {
                        tally.add_answer(group, item, Some(rating), weight);
                    }
                }
                Some(_) => {}
            }
        }
    }
    tally
}

/// Per group of a rating round's `responses` (in their order): respondents, with their
/// multiplicity, who give a ballot — who rated at least one item rather than answering only
/// "don't know" — the people [`to_ballots`] ranks and so the sizes `rank` applies the disclosure
/// rule to. Delphi feedback applies the rule to the same sizes, so that a round's feedback and
/// its results pool the same groups. All zero for other kinds of answer. O(answers).
pub fn raters_per_group(responses: &Responses) -> Vec<u64> {
    let mut raters = vec![0; responses.groups.len()];
    let Answers::Rating(entries) = &responses.answers else {
        return raters;
    };
    for (index, respondent) in responses.respondents.iter().enumerate() {
        if rates_anything(&entries[responses.range(index)])
            && let Some(count) = raters.get_mut(respondent.group as usize)
        {
            *count += u64::from(respondent.count);
        }
    }
    raters
}

/// Whether one respondent's rating entries give a ballot: at least one rating that is not
/// "don't know". The one rule for [`raters_per_group`] and the ballots' exclusions.
fn rates_anything(entries: &[RatingEntry]) -> bool {
    entries.iter().any(|entry| entry.value.is_some())
}

/// Respondents left out of the ballots, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    /// The respondent id.
    pub respondent: String,
    /// Why the respondent's answer gives no ballot.
    pub reason: &'static str,
}

/// The ballots of a response set, ready for `rank`.
#[derive(Debug, Clone)]
pub struct Ballots {
    /// The profile; record `r` is the `r`-th respondent not excluded.
    pub profile: Profile,
    /// Respondents whose answers give no ballot.
    pub excluded: Vec<Exclusion>,
    /// The rating scale used, for rating data.
    pub scale: Option<RatingScale>,
    /// How the scale was chosen, for the record ("from the exercise", "inferred ...").
    pub scale_source: Option<String>,
}

/// Why responses cannot become ballots.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BallotError {
    /// Suggestions are free text; they are curated into items before anything is ranked.
    #[error("suggestions cannot be ranked: curate them into items first")]
    Suggestions,
    /// A rating file mixes numbers with yes / undecided / no answers.
    #[error("the ratings mix numbers with yes / undecided / no answers")]
    MixedRatings,
    /// A rating lies outside the scale given.
    #[error("rating {rating} of respondent `{respondent}` is outside the scale {min}-{max}")]
    OffScale {
        /// The respondent.
        respondent: String,
        /// The rating.
        rating: i32,
        /// The scale's lowest point.
        min: i32,
        /// The scale's highest point.
        max: i32,
    },
    /// A scale that `rank` cannot hold.
    #[error("the scale {min}-{max} is not usable: {reason}")]
    BadScale {
        /// The lowest point.
        min: i32,
        /// The highest point.
        max: i32,
        /// Why.
        reason: String,
    },
    /// `rank` refused the ballots (a bug: the reader checks everything `rank` checks).
    #[error("the ballots are inconsistent: {0}")]
    Profile(#[from] rank::ProfileError),
}

/// How to choose the scale of rating data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScaleChoice<'a> {
    /// The scale of the exercise's round.
    FromRound(&'a Scale),
    /// A scale stated by the user.
    Stated {
        /// The lowest point.
        min: i32,
        /// The highest point.
        max: i32,
    },
    /// Inferred from the data: 1–9 (the GRADE scale of Delphi studies) when every rating lies
    /// within it, otherwise the lowest to the highest rating given.
    Infer,
}

fn to_i16(value: i32, min: i32, max: i32) -> Result<i16, BallotError> {
    i16::try_from(value).map_err(|_| BallotError::BadScale {
        min,
        max,
        reason: format!("{value} is too large"),
    })
}

/// Turns responses into ballots for `rank`.
///
/// Ranking answers become weak orders (equal ranks tie; only the order of ranks matters);
/// rating answers become ratings on the chosen scale, or CHNRI answers; a respondent whose
/// every rating is "don't know", or who ranked or picked nothing, is excluded and listed.
///
/// # Errors
/// [`BallotError`]: suggestions, mixed rating kinds, or ratings off the chosen scale.
pub fn to_ballots(responses: &Responses, scale: ScaleChoice<'_>) -> Result<Ballots, BallotError> {
    let item_count = responses.items.len().max(1);
    let group_count = responses.groups.len().max(1);
    let mut excluded = Vec::new();
    let mut chosen_scale = None;
    let mut scale_source = None;
    let profile: Profile = match &responses.answers {
        Answers::Suggestions(_) => return Err(BallotError::Suggestions),
        Answers::Ranking(entries) => {
            ranking_profile(responses, entries, item_count, group_count, &mut excluded)?
        }
        Answers::Pick(entries) => {
            pick_profile(responses, entries, item_count, group_count, &mut excluded)?
        }
        Answers::Pairwise(entries) => {
            pairwise_profile(responses, entries, item_count, group_count, &mut excluded)?
        }
        Answers::Rating(entries) => {
            let chosen = choose_rating_scale(responses, entries, scale)?;
            chosen_scale = Some(chosen.rating_scale);
            scale_source = Some(chosen.source.clone());
            rating_profile(
                responses,
                entries,
                &chosen,
                item_count,
                group_count,
                &mut excluded,
            )?
        }
    };
    Ok(Ballots {
        profile,
        excluded,
        scale: chosen_scale,
        scale_source,
    })
}

/// Records that the `index`-th respondent gives no ballot, and why.
fn exclude(
    excluded: &mut Vec<Exclusion>,
    responses: &Responses,
    index: usize,
    reason: &'static str,
) {
    excluded.push(Exclusion {
        respondent: responses.respondents[index].id.clone(),
        reason,
    });
}

/// Builds the ranking profile: one weak order per respondent who ranked something.
fn ranking_profile(
    responses: &Responses,
    entries: &[RankEntry],
    item_count: usize,
    group_count: usize,
    excluded: &mut Vec<Exclusion>,
) -> Result<Profile, BallotError> {
    let mut builder = RankingProfileBuilder::new(item_count, group_count)?;
    builder.reserve(responses.respondents.len(), entries.len());
    let mut order: Vec<usize> = Vec::new();
    let mut ranked: Vec<(usize, u32)> = Vec::new();
    for (index, respondent) in responses.respondents.iter().enumerate() {
        let answer = &entries[responses.range(index)];
        if answer.is_empty() {
            exclude(excluded, responses, index, "ranked nothing");
            continue;
        }
        // Entries are in rank order; a strict order is pushed without sorting again.
        let strict = answer.windows(2).all(|pair| pair[0].rank < pair[1].rank);
        if strict {
            order.clear();
            order.extend(answer.iter().map(|entry| entry.item as usize));
            builder.push_order(respondent.group as usize, respondent.count, &order)?;
        } else {
            ranked.clear();
            ranked.extend(answer.iter().map(|entry| (entry.item as usize, entry.rank)));
            builder.push_ranks(respondent.group as usize, respondent.count, &ranked)?;
        }
    }
    Ok(builder.build().into())
}

/// Builds the pick profile: one set of picked items per respondent who picked something.
fn pick_profile(
    responses: &Responses,
    entries: &[u32],
    item_count: usize,
    group_count: usize,
    excluded: &mut Vec<Exclusion>,
) -> Result<Profile, BallotError> {
    let mut profile = PickProfile::new(item_count, group_count)?;
    let mut picked: Vec<usize> = Vec::new();
    for (index, respondent) in responses.respondents.iter().enumerate() {
        picked.clear();
        picked.extend(
            entries[responses.range(index)]
                .iter()
                .map(|&item| item as usize),
        );
        if picked.is_empty() {
            exclude(excluded, responses, index, "picked nothing");
            continue;
        }
        profile.push(respondent.group as usize, respondent.count, &picked)?;
    }
    Ok(profile.into())
}

/// Builds the pairwise profile: one list of choices per respondent who made a choice.
fn pairwise_profile(
    responses: &Responses,
    entries: &[Choice],
    item_count: usize,
    group_count: usize,
    excluded: &mut Vec<Exclusion>,
) -> Result<Profile, BallotError> {
    let mut profile = PairwiseProfile::new(item_count, group_count)?;
    let mut choices: Vec<(usize, usize)> = Vec::new();
    for (index, respondent) in responses.respondents.iter().enumerate() {
        choices.clear();
        choices.extend(
            entries[responses.range(index)]
                .iter()
                .map(|choice| (choice.winner as usize, choice.loser as usize)),
        );
        if choices.is_empty() {
            exclude(excluded, responses, index, "made no choice");
            continue;
        }
        profile.push(respondent.group as usize, respondent.count, &choices)?;
    }
    Ok(profile.into())
}

/// The scale chosen for rating data, with its bounds and how it was chosen.
struct ChosenScale {
    /// The scale given to `rank`.
    rating_scale: RatingScale,
    /// The lowest rating allowed.
    min: i32,
    /// The highest rating allowed.
    max: i32,
    /// How the scale was chosen, for the record.
    source: String,
}

/// Chooses the scale of rating data: CHNRI for yes / undecided / no answers, otherwise the
/// round's, the stated or an inferred numeric scale.
fn choose_rating_scale(
    responses: &Responses,
    entries: &[RatingEntry],
    scale: ScaleChoice<'_>,
) -> Result<ChosenScale, BallotError> {
    let has_scores = entries
        .iter()
        .any(|entry| matches!(entry.value, Some(RatingValue::Score(_))));
    let has_answers = entries.iter().any(|entry| {
        matches!(
            entry.value,
            Some(RatingValue::Yes | RatingValue::Undecided | RatingValue::No)
        )
    });
    if has_scores && has_answers {
        return Err(BallotError::MixedRatings);
    }
    let chnri = has_answers
        || matches!(scale, ScaleChoice::FromRound(Scale::YesUndecidedNo))
        || !responses.criteria.is_empty();
    let (min, max, source) = if chnri {
        (0, 2, "yes / undecided / no answers (CHNRI)".to_string())
    } else {
        numeric_scale_bounds(entries, scale)
    };
    let rating_scale = if chnri {
        RatingScale::chnri()
    } else {
        RatingScale::new(to_i16(min, min, max)?, to_i16(max, min, max)?).map_err(|error| {
            BallotError::BadScale {
                min,
                max,
                reason: error.to_string(),
            }
        })?
    };
    Ok(ChosenScale {
        rating_scale,
        min,
        max,
        source,
    })
}

/// The bounds of a numeric rating scale and how they were chosen: the round's, the stated, or
/// inferred from the ratings given.
fn numeric_scale_bounds(entries: &[RatingEntry], scale: ScaleChoice<'_>) -> (i32, i32, String) {
    match scale {
        ScaleChoice::FromRound(Scale::Numeric { min, max, .. }) => (
            *min,
            *max,
            format!("{min}-{max}, from the exercise definition"),
        ),
        ScaleChoice::FromRound(Scale::YesUndecidedNo) => {
            unreachable!("handled as CHNRI above")
        }
        ScaleChoice::Stated { min, max } => (min, max, format!("{min}-{max}, as stated")),
        ScaleChoice::Infer => {
            let scores = entries.iter().filter_map(|entry| match entry.value {
                Some(RatingValue::Score(score)) => Some(score),
                _ => None,
            });
            let (low, high) = scores.fold((i32::MAX, i32::MIN), |(low, high), score| {
                (low.min(score), high.max(score))
            });
            if low >= 1 && high <= 9 {
                (
                    1,
                    9,
                    "1-9, inferred: every rating lies within the GRADE scale".to_string(),
                )
            } else if low <= high {
                (
                    low,
                    high,
                    format!("{low}-{high}, inferred from the lowest and highest ratings given"),
                )
            } else {
                (1, 9, "1-9, assumed: no ratings were given".to_string())
            }
        }
    }
}

/// Builds the rating profile on the chosen scale: one row of ratings per respondent who gave a
/// rating other than "don't know".
fn rating_profile(
    responses: &Responses,
    entries: &[RatingEntry],
    chosen: &ChosenScale,
    item_count: usize,
    group_count: usize,
    excluded: &mut Vec<Exclusion>,
) -> Result<Profile, BallotError> {
    let (min, max) = (chosen.min, chosen.max);
    let criterion_count = responses.criteria.len().max(1);
    let mut profile = RatingProfile::with_criteria(
        item_count,
        group_count,
        criterion_count,
        chosen.rating_scale,
    )?;
    let mut answers: Vec<Option<i16>> = vec![None; item_count * criterion_count];
    for (index, respondent) in responses.respondents.iter().enumerate() {
        answers.fill(None);
        for entry in &entries[responses.range(index)] {
            let slot =
                entry.item as usize * criterion_count + entry.criterion.unwrap_or(0) as usize;
            answers[slot] = match entry.value {
                None => None,
                Some(RatingValue::Score(score)) => {
                    if score < min || score > max {
                        return Err(BallotError::OffScale {
                            respondent: respondent.id.clone(),
                            rating: score,
                            min,
                            max,
                        });
                    }
                    Some(score as i16)
                }
                Some(RatingValue::Yes) => Some(ChnriAnswer::Yes.as_rating()),
                Some(RatingValue::Undecided) => Some(ChnriAnswer::Undecided.as_rating()),
                Some(RatingValue::No) => Some(ChnriAnswer::No.as_rating()),
            };
        }
        if !rates_anything(&entries[responses.range(index)]) {
            exclude(
                excluded,
                responses,
                index,
                "answered \"don't know\" to everything",
            );
            continue;
        }
        profile.push(respondent.group as usize, respondent.count, &answers)?;
    }
    Ok(profile.into())
}

#[cfg(test)]
mod tests;
