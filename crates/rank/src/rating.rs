//! Rating methods: `mean`, `median`, `top-box`, `delphi`, `rand-ucla` and `chnri`
//! (METHODS.md, "Rating methods").
//!
//! "Don't know" answers are missing and ignored. Each record r weighs `record_weights[r]`
//! (multiplicity × group weight); an item nobody rated scores NaN and ranks last.

use crate::outcome::{Details, Outcome};
use crate::profile::{RatingProfile, RatingScale};
use crate::tolerance::SHARE_ABSOLUTE;

/// The weighted non-missing ratings of `item` on `criterion`: (rating, weight), unsorted.
fn item_ratings(
    profile: &RatingProfile,
    record_weights: &[f64],
    item: usize,
    criterion: usize,
) -> Vec<(i16, f64)> {
    (0..profile.ballot_count())
        .filter(|&ballot| record_weights[ballot] > 0.0)
        .filter_map(|ballot| {
            profile
                .rating(ballot, item, criterion)
                .map(|rating| (rating, record_weights[ballot]))
        })
        .collect()
}

/// Weighted mean Σ w·r / Σ w of each item's ratings.
///
/// Complexity: O(n · m).
pub fn mean(profile: &RatingProfile, record_weights: &[f64]) -> Outcome {
    let scores = (0..profile.item_count())
        .map(|item| {
            let ratings = item_ratings(profile, record_weights, item, 0);
            let total: f64 = ratings.iter().map(|&(_, weight)| weight).sum();
            let sum: f64 = ratings
                .iter()
                .map(|&(rating, weight)| f64::from(rating) * weight)
                .sum();
            if total > 0.0 { sum / total } else { f64::NAN }
        })
        .collect();
    Outcome::from_scores(scores, Details::None)
}

/// The weighted median of (value, weight) pairs: the smallest value whose cumulative weight
/// reaches half the total; when the cumulative weight equals exactly half, the mean of that value
/// and the next. With unit weights this is the textbook median (the mean of the two middle
/// values for an even count). NaN for no values.
///
/// Complexity: O(n log n).
pub fn weighted_median(values: &mut [(i16, f64)]) -> f64 {
    values.sort_by_key(|&(value, _)| value);
    let total: f64 = values.iter().map(|&(_, weight)| weight).sum();
    if total <= 0.0 {
        return f64::NAN;
    }
    let half = total / 2.0;
    let tolerance = crate::tolerance::SHARE_ABSOLUTE * total;
    let mut cumulative = 0.0;
    for (index, &(value, weight)) in values.iter().enumerate() {
        cumulative += weight;
        if (cumulative - half).abs() <= tolerance {
            let next = values[index + 1..]
                .iter()
                .find(|&&(_, weight)| weight > 0.0)
                .map_or(value, |&(next, _)| next);
            return (f64::from(value) + f64::from(next)) / 2.0;
        }
        if cumulative > half {
            return f64::from(value);
        }
    }
    f64::from(values[values.len() - 1].0)
}

/// Weighted median of each item's ratings (see [`weighted_median`]).
///
/// Complexity: O(n · m · log n).
pub fn median(profile: &RatingProfile, record_weights: &[f64]) -> Outcome {
    let scores = (0..profile.item_count())
        .map(|item| weighted_median(&mut item_ratings(profile, record_weights, item, 0)))
        .collect();
    Outcome::from_scores(scores, Details::None)
}

/// The weighted share of `ratings` for which `keep` holds; NaN for none.
fn share(ratings: &[(i16, f64)], keep: impl Fn(i16) -> bool) -> f64 {
    let total: f64 = ratings.iter().map(|&(_, weight)| weight).sum();
    let kept: f64 = ratings
        .iter()
        .filter(|&&(rating, _)| keep(rating))
        .map(|&(_, weight)| weight)
        .sum();
    if total > 0.0 { kept / total } else { f64::NAN }
}

/// Top-box: the weighted share of each item's ratings at or above `threshold`.
///
/// Complexity: O(n · m).
pub fn top_box(profile: &RatingProfile, record_weights: &[f64], threshold: i16) -> Outcome {
    let scores = (0..profile.item_count())
        .map(|item| {
            share(&item_ratings(profile, record_weights, item, 0), |r| {
                r >= threshold
            })
        })
        .collect();
    Outcome::from_scores(scores, Details::None)
}

/// A Delphi consensus class (COMET Handbook; GRADE 1–9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DelphiClass {
    /// Consensus in: at least the agreement share rate in the top band and fewer than the
    /// dissent share in the bottom band.
    ConsensusIn,
    /// Consensus out: the mirror image.
    ConsensusOut,
    /// Neither.
    NoConsensus,
}

impl DelphiClass {
    /// The name used in output: `consensus-in`, `consensus-out` or `no-consensus`.
    pub fn as_str(self) -> &'static str {
        match self {
            DelphiClass::ConsensusIn => "consensus-in",
            DelphiClass::ConsensusOut => "consensus-out",
            DelphiClass::NoConsensus => "no-consensus",
        }
    }
}

/// Delphi thresholds (defaults: 70% and 15%, bands 1–3 and 7–9 on 1–9).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DelphiThresholds {
    /// Share needed in a band for consensus (0.70).
    pub agreement: f64,
    /// Share in the opposite band that must not be reached (0.15).
    pub dissent: f64,
    /// Whether the class must also hold within every group with ratings of the item.
    pub within_every_group: bool,
    /// With `within_every_group`: groups are taken as the disclosure rule shows them with this
    /// threshold ([`crate::disclosure::Disclosure`]): each shown group alone, and the pooled
    /// groups together as one, so that no class depends on a group too small to be shown on
    /// its own. 0 (the default) checks every group alone; [`crate::analysis::analyse`] sets it
    /// to its disclosure threshold.
    pub pool_groups_below: u64,
}

impl Default for DelphiThresholds {
    fn default() -> Self {
        DelphiThresholds {
            agreement: 0.70,
            dissent: 0.15,
            within_every_group: false,
            pool_groups_below: 0,
        }
    }
}

/// The Delphi class of some ratings: consensus in if share(top band) ≥ agreement and
/// share(bottom band) < dissent; out if the mirror image; otherwise none.
fn delphi_class(
    ratings: &[(i16, f64)],
    scale: RatingScale,
    thresholds: &DelphiThresholds,
) -> DelphiClass {
    let (bottom_low, bottom_high) = scale.bottom_band();
    let (top_low, top_high) = scale.top_band();
    let top = share(ratings, |r| (top_low..=top_high).contains(&r));
    let bottom = share(ratings, |r| (bottom_low..=bottom_high).contains(&r));
    let at_least = |value: f64, threshold: f64| value >= threshold - SHARE_ABSOLUTE;
    let below = |value: f64, threshold: f64| value < threshold - SHARE_ABSOLUTE;
    if at_least(top, thresholds.agreement) && below(bottom, thresholds.dissent) {
        DelphiClass::ConsensusIn
    } else if at_least(bottom, thresholds.agreement) && below(top, thresholds.dissent) {
        DelphiClass::ConsensusOut
    } else {
        DelphiClass::NoConsensus
    }
}

/// Delphi classification of each item; the score is the weighted share rating the item in the
/// top band (7–9 on 1–9; the top third of any other scale, see [`RatingScale::top_band`]).
///
/// Complexity: O(n · m).
pub fn delphi(
    profile: &RatingProfile,
    record_weights: &[f64],
    thresholds: &DelphiThresholds,
) -> Outcome {
    let scale = profile.scale();
    let (top_low, top_high) = scale.top_band();
    let checked_groups = checked_groups(profile, thresholds.pool_groups_below);
    let mut classes = Vec::with_capacity(profile.item_count());
    let mut scores = Vec::with_capacity(profile.item_count());
    for item in 0..profile.item_count() {
        let ratings = item_ratings(profile, record_weights, item, 0);
        let mut class = delphi_class(&ratings, scale, thresholds);
        if thresholds.within_every_group && class != DelphiClass::NoConsensus {
            for members in &checked_groups {
                let group_ratings: Vec<(i16, f64)> = (0..profile.ballot_count())
                    .filter(|&ballot| {
                        members[profile.groups()[ballot] as usize] && record_weights[ballot] > 0.0
                    })
                    .filter_map(|ballot| {
                        profile
                            .rating(ballot, item, 0)
                            .map(|rating| (rating, record_weights[ballot]))
                    })
                    .collect();
                if !group_ratings.is_empty()
                    && delphi_class(&group_ratings, scale, thresholds) != class
                {
                    class = DelphiClass::NoConsensus;
                }
            }
        }
        classes.push(class);
        scores.push(share(&ratings, |r| (top_low..=top_high).contains(&r)));
    }
    Outcome::from_scores(scores, Details::Delphi(classes))
}

/// The groups the "within every group" rule checks, each as membership per profile group: each
/// group the disclosure rule shows alone, then the pooled groups as one (when a group is shown
/// beside them; otherwise the pool is everyone, which the overall class already covers).
fn checked_groups(profile: &RatingProfile, pool_groups_below: u64) -> Vec<Vec<bool>> {
    let group_count = profile.group_count();
    let alone = |group: usize| (0..group_count).map(|other| other == group).collect();
    if pool_groups_below <= 1 {
        return (0..group_count).map(alone).collect();
    }
    let plan = crate::disclosure::Disclosure::plan(&profile.group_sizes(), pool_groups_below);
    let mut checked: Vec<Vec<bool>> = (0..group_count)
        .filter(|&group| plan.is_shown(group))
        .map(alone)
        .collect();
    if plan.pool_shown() {
        checked.push(plan.pooled().to_vec());
    }
    checked
}

/// RAND/UCLA appropriateness of one item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RandUclaItem {
    /// Median rating.
    pub median: f64,
    /// 30th percentile.
    pub p30: f64,
    /// 70th percentile.
    pub p70: f64,
    /// Interpercentile range P70 − P30.
    pub ipr: f64,
    /// Interpercentile range adjusted for symmetry: 2.35 + 1.5 · |5 − (P30 + P70) / 2|.
    pub ipras: f64,
    /// Whether IPR > IPRAS.
    pub disagreement: bool,
    /// The class from the median alone.
    pub class: Appropriateness,
}

impl RandUclaItem {
    /// The final RAND/UCLA class: items rated with disagreement are uncertain whatever their
    /// median (Fitch et al. 2001, ch. 8); otherwise the class from the median.
    pub fn final_class(&self) -> Appropriateness {
        if self.disagreement {
            Appropriateness::Uncertain
        } else {
            self.class
        }
    }
}

/// A RAND/UCLA appropriateness class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Appropriateness {
    /// Median 7–9 (≥ 7).
    Appropriate,
    /// Median 4–6 (above 3.5 and below 7).
    Uncertain,
    /// Median 1–3 (≤ 3.5).
    Inappropriate,
}

impl Appropriateness {
    /// The name used in output: `appropriate`, `uncertain` or `inappropriate`.
    pub fn as_str(self) -> &'static str {
        match self {
            Appropriateness::Appropriate => "appropriate",
            Appropriateness::Uncertain => "uncertain",
            Appropriateness::Inappropriate => "inappropriate",
        }
    }
}

/// The p-th percentile (0 ≤ p ≤ 1) of sorted values by linear interpolation between closest
/// ranks, h = (n − 1) p: Hyndman and Fan's type 7, the rule of Excel's PERCENTILE (and R's and
/// numpy's default), which RAND/UCLA panels usually compute with.
///
/// # Panics
/// If `sorted` is empty.
pub fn percentile_linear(sorted: &[f64], p: f64) -> f64 {
    let position = (sorted.len() - 1) as f64 * p;
    let lower = position.floor() as usize;
    let fraction = position - lower as f64;
    if lower + 1 < sorted.len() {
        sorted[lower] + fraction * (sorted[lower + 1] - sorted[lower])
    } else {
        sorted[lower]
    }
}

/// RAND/UCLA statistics of a panel's ratings on 1–9 (Fitch et al. 2001, ch. 8): median, P30 and
/// P70 by [`percentile_linear`], IPR = P70 − P30, IPRCP = (P30 + P70) / 2, AI = |5 − IPRCP|,
/// IPRAS = 2.35 + 1.5 · AI, disagreement if IPR > IPRAS. `None` for no ratings.
pub fn rand_ucla_item(ratings: &[i16]) -> Option<RandUclaItem> {
    if ratings.is_empty() {
        return None;
    }
    let mut sorted: Vec<f64> = ratings.iter().map(|&r| f64::from(r)).collect();
    sorted.sort_by(f64::total_cmp);
    let median = percentile_linear(&sorted, 0.5);
    let p30 = percentile_linear(&sorted, 0.3);
    let p70 = percentile_linear(&sorted, 0.7);
    let ipr = p70 - p30;
    let asymmetry = (5.0 - (p30 + p70) / 2.0).abs();
    let ipras = 2.35 + 1.5 * asymmetry;
    let class = if median >= 7.0 {
        Appropriateness::Appropriate
    } else if median <= 3.5 {
        Appropriateness::Inappropriate
    } else {
        Appropriateness::Uncertain
    };
    Some(RandUclaItem {
        median,
        p30,
        p70,
        ipr,
        ipras,
        disagreement: ipr > ipras + SHARE_ABSOLUTE,
        class,
    })
}

/// RAND/UCLA classification of each item; the score is the median. Records count as many
/// times as `record_counts` says (panels are not weighted); `None` entries of the details are
/// items nobody rated.
///
/// Complexity: O(n · m · log n).
pub fn rand_ucla(profile: &RatingProfile, record_counts: &[u32]) -> Outcome {
    let mut items = Vec::with_capacity(profile.item_count());
    let mut scores = Vec::with_capacity(profile.item_count());
    for item in 0..profile.item_count() {
        let mut ratings = Vec::new();
        for (ballot, &count) in record_counts.iter().enumerate() {
            if let Some(rating) = profile.rating(ballot, item, 0) {
                ratings.extend(std::iter::repeat_n(rating, count as usize));
            }
        }
        let statistics = rand_ucla_item(&ratings);
        scores.push(statistics.map_or(f64::NAN, |s| s.median));
        items.push(statistics.unwrap_or(RandUclaItem {
            median: f64::NAN,
            p30: f64::NAN,
            p70: f64::NAN,
            ipr: f64::NAN,
            ipras: f64::NAN,
            disagreement: false,
            class: Appropriateness::Uncertain,
        }));
    }
    Outcome::from_scores(scores, Details::RandUcla(items))
}

/// CHNRI details per item.
#[derive(Debug, Clone, PartialEq)]
pub struct ChnriDetails {
    /// `criterion_scores[item][criterion]`: 100 · Σ points / answers (NaN when unanswered).
    pub criterion_scores: Vec<Vec<f64>>,
    /// Average Expert Agreement of each item: the mean over answered criteria of the share of
    /// answers equal to the most common answer.
    pub average_expert_agreement: Vec<f64>,
}

/// CHNRI scoring (Rudan et al. 2008, Croatian Medical Journal 49:720): an answer scores
/// (rating − min) / (max − min) points, so on [`RatingScale::chnri`] yes = 1, undecided = 0.5,
/// no = 0; blank answers are ignored. Criterion score = 100 · Σ w · points / Σ w; Research
/// Priority Score (the item's score) = mean of its answered criterion scores weighted by
/// `criterion_weights` (equal when `None`); Average Expert Agreement as in [`ChnriDetails`].
///
/// Complexity: O(n · m · c).
///
/// # Panics
/// If `criterion_weights` has the wrong length (the run entry point checks this).
pub fn chnri(
    profile: &RatingProfile,
    record_weights: &[f64],
    criterion_weights: Option<&[f64]>,
) -> Outcome {
    let scale = profile.scale();
    let span = f64::from(scale.max()) - f64::from(scale.min());
    let criteria = profile.criterion_count();
    if let Some(weights) = criterion_weights {
        assert_eq!(weights.len(), criteria);
    }
    let mut criterion_scores = Vec::with_capacity(profile.item_count());
    let mut agreement = Vec::with_capacity(profile.item_count());
    let mut scores = Vec::with_capacity(profile.item_count());
    for item in 0..profile.item_count() {
        let mut item_scores = Vec::with_capacity(criteria);
        let mut agreement_sum = 0.0;
        let mut answered = 0usize;
        for criterion in 0..criteria {
            let ratings = item_ratings(profile, record_weights, item, criterion);
            let total: f64 = ratings.iter().map(|&(_, weight)| weight).sum();
            if total <= 0.0 {
                item_scores.push(f64::NAN);
                continue;
            }
            let points: f64 = ratings
                .iter()
                .map(|&(rating, weight)| {
                    weight * (f64::from(rating) - f64::from(scale.min())) / span
                })
                .sum();
            item_scores.push(100.0 * points / total);
            let mut by_answer = vec![0.0; (scale.points()) as usize];
            for &(rating, weight) in &ratings {
                by_answer[(rating - scale.min()) as usize] += weight;
            }
            let most_common = by_answer.iter().copied().fold(0.0, f64::max);
            agreement_sum += most_common / total;
            answered += 1;
        }
        let (weighted, weight_total) = item_scores
            .iter()
            .enumerate()
            .filter(|(_, score)| !score.is_nan())
            .map(|(criterion, &score)| {
                let weight = criterion_weights.map_or(1.0, |weights| weights[criterion]);
                (score * weight, weight)
            })
            .fold((0.0, 0.0), |(sum, total), (value, weight)| {
                (sum + value, total + weight)
            });
        scores.push(if weight_total > 0.0 {
            weighted / weight_total
        } else {
            f64::NAN
        });
        agreement.push(if answered > 0 {
            agreement_sum / answered as f64
        } else {
            f64::NAN
        });
        criterion_scores.push(item_scores);
    }
    Outcome::from_scores(
        scores,
        Details::Chnri(ChnriDetails {
            criterion_scores,
            average_expert_agreement: agreement,
        }),
    )
}

#[cfg(test)]
mod tests;
