//! Delphi stability between two rating rounds, and the stopping rules of a Delphi exercise
//! (METHODS.md, "Rating methods", `delphi`; COMET Handbook, Williamson et al. 2017, §3.4).
//!
//! A Delphi re-rating round asks the same people to rate the same items again after showing
//! them how everyone rated in an earlier round. Stability asks how much the ratings moved.
//!
//! # Definitions
//!
//! For each item shared by the two rounds (`shared` pairs the first round's item index with
//! the second's):
//!
//! - **Top-band share** in a round: Σ c_r · [rating_r in the top band] / Σ c_r over the records
//!   r that rated the item (not "don't know"), c_r the record's multiplicity: every respondent
//!   counts once, as the feedback they were shown does. The top band is 7–9 on 1–9
//!   ([`RatingScale::top_band`]). NaN when nobody rated the item.
//! - **Change** = share in the second round − share in the first (−1 to 1; 0.10 is ten
//!   percentage points).
//! - **Stable** when |change| < `max_change` (strictly; 0.15 means fewer than 15 percentage
//!   points), as in the COMET Handbook's and Scheibe, Skutsch and Schofer's (1975) "stability
//!   of the group response". Unknown (`None`) when either share is NaN.
//! - **Delphi class** in each round: [`crate::rating::delphi`] with every record weighing its
//!   multiplicity and the thresholds given (including "within every group" when asked).
//! - **Median** in each round: [`weighted_median`] with the multiplicities as weights.
//! - **Panel**: over the respondents present in both rounds (`panel` pairs a record of the
//!   first round with the same person's record of the second; each pair counts once) who
//!   rated the item in both: how many there are, the share whose rating differs, and the mean
//!   of |second rating − first rating|.
//!
//! [`consensus`] gives the same per-item figures (and the share in the bottom band) for one
//! round alone.
//!
//! Overall: the number and share of shared items that are stable (the share is over every
//! shared item: an item nobody rated in one round counts as not stable), and Kendall's τ-b
//! ([`kendall_tau_b`]) between the two rounds' top-band shares of the items rated in both,
//! which is the agreement between the two rounds' orders of the items.
//!
//! # Stopping rules
//!
//! [`evaluate_stopping`] decides whether a round meets the rule the exercise chose:
//! - [`StoppingRule::Rounds`]: a fixed number of rounds; met at the last rating round defined.
//! - [`StoppingRule::Consensus`]: met when at least `share` of the round's items are consensus
//!   in or consensus out.
//! - [`StoppingRule::Stability`]: met when at least `share` of the items shared with the round
//!   before are stable for the rule's `max_change`; never met by a round with no earlier round
//!   to compare with.
//!
//! Shares are compared with thresholds allowing [`SHARE_ABSOLUTE`] of slack, so that 17 of 20
//! meets 85% exactly.

use crate::agreement::kendall_tau_b;
use crate::outcome::Details;
use crate::profile::{RatingProfile, RatingScale};
use crate::rating::{DelphiClass, DelphiThresholds, delphi, weighted_median};
use crate::tolerance::SHARE_ABSOLUTE;

/// The largest change of the top-band share that counts as stable when the exercise sets none:
/// 15 percentage points (Scheibe, Skutsch and Schofer 1975, the usual Delphi choice).
pub const DEFAULT_MAX_CHANGE: f64 = 0.15;

/// Why stability could not be computed, or a stopping rule evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StabilityError {
    /// The two rounds use different rating scales, so their bands differ.
    #[error("the two rounds use different scales ({first} and {second})")]
    ScalesDiffer {
        /// The first round's scale.
        first: RatingScale,
        /// The second round's scale.
        second: RatingScale,
    },
    /// A round rates several criteria per item; stability needs one rating per item.
    #[error("stability needs one rating per item, but a round has {criteria} criteria")]
    SeveralCriteria {
        /// The number of criteria.
        criteria: usize,
    },
    /// A shared item's index is out of range.
    #[error("shared item ({first}, {second}) is out of range")]
    ItemOutOfRange {
        /// The item's index in the first round.
        first: usize,
        /// The item's index in the second round.
        second: usize,
    },
    /// A panel pair's record index is out of range.
    #[error("panel record pair ({first}, {second}) is out of range")]
    RecordOutOfRange {
        /// The record's index in the first round.
        first: usize,
        /// The record's index in the second round.
        second: usize,
    },
    /// A share or change threshold is not in its range.
    #[error("`{name}` must be in {range}, got {value}")]
    BadThreshold {
        /// The parameter.
        name: &'static str,
        /// The allowed range.
        range: &'static str,
        /// The value given.
        value: f64,
    },
}

/// How the panel (the respondents in both rounds) changed their rating of one item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PanelChange {
    /// Respondents who rated the item in both rounds.
    pub respondents: u64,
    /// Of those, how many gave a different rating the second time.
    pub changed: u64,
    /// changed / respondents (NaN for no respondents).
    pub changed_share: f64,
    /// Mean of |second rating − first rating| over those respondents (NaN for none).
    pub mean_absolute_change: f64,
}

/// The stability of one shared item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemStability {
    /// The item's index in the first round.
    pub first_item: usize,
    /// The item's index in the second round.
    pub second_item: usize,
    /// Share rating the item in the top band in the first round (NaN if unrated).
    pub first_share: f64,
    /// The same in the second round.
    pub second_share: f64,
    /// second_share − first_share (NaN if either is).
    pub change: f64,
    /// |change| < max_change; `None` when either share is NaN.
    pub stable: Option<bool>,
    /// The Delphi class in the first round.
    pub first_class: DelphiClass,
    /// The Delphi class in the second round.
    pub second_class: DelphiClass,
    /// The median rating in the first round (NaN if unrated).
    pub first_median: f64,
    /// The median rating in the second round.
    pub second_median: f64,
    /// How the respondents present in both rounds changed their ratings.
    pub panel: PanelChange,
}

/// Stability between two rating rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Stability {
    /// One entry per shared item, in the order of `shared`.
    pub items: Vec<ItemStability>,
    /// The largest change that counts as stable.
    pub max_change: f64,
    /// Items that are stable.
    pub stable_items: usize,
    /// stable_items / the number of shared items (NaN for none).
    pub stable_share: f64,
    /// Kendall's τ-b between the two rounds' top-band shares, over the items rated in both;
    /// `None` when fewer than two such items, or one round ties them all.
    pub kendall_tau_b: Option<f64>,
    /// The panel pairs given (respondents in both rounds).
    pub panel_respondents: usize,
    /// Ratings given by the panel to the same item in both rounds, over all items.
    pub panel_ratings: u64,
    /// Of those, how many changed.
    pub panel_changed: u64,
    /// Mean absolute change over all those ratings (NaN for none).
    pub panel_mean_absolute_change: f64,
}

/// Checks that a share threshold lies in [0, 1].
fn check_share(name: &'static str, value: f64) -> Result<(), StabilityError> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(StabilityError::BadThreshold {
            name,
            range: "[0, 1]",
            value,
        })
    }
}

/// The top-band share and the median of one item, every record weighing its multiplicity.
fn share_and_median(profile: &RatingProfile, item: usize) -> (f64, f64) {
    let (top_low, top_high) = profile.scale().top_band();
    let mut ratings: Vec<(i16, f64)> = (0..profile.ballot_count())
        .filter_map(|ballot| {
            profile
                .rating(ballot, item, 0)
                .map(|rating| (rating, f64::from(profile.multiplicities()[ballot])))
        })
        .collect();
    // Folded from +0.0: an empty float sum is −0.0, which would print as "−0%".
    let total = ratings.iter().fold(0.0, |sum, &(_, weight)| sum + weight);
    let top = ratings
        .iter()
        .filter(|&&(rating, _)| (top_low..=top_high).contains(&rating))
        .fold(0.0, |sum, &(_, weight)| sum + weight);
    let share = if total > 0.0 { top / total } else { f64::NAN };
    (share, weighted_median(&mut ratings))
}

/// The Delphi class of every item of a round, every record weighing its multiplicity.
fn classes(profile: &RatingProfile, thresholds: &DelphiThresholds) -> Vec<DelphiClass> {
    let weights: Vec<f64> = profile
        .multiplicities()
        .iter()
        .map(|&count| f64::from(count))
        .collect();
    match delphi(profile, &weights, thresholds).details {
        Details::Delphi(classes) => classes,
        _ => unreachable!("delphi returns Delphi details"),
    }
}

/// One item's Delphi figures in one round, every respondent counting once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemConsensus {
    /// Respondents who rated the item (multiplicities counted).
    pub respondents: u64,
    /// Share of them rating it in the top band (NaN for none).
    pub top_share: f64,
    /// Share rating it in the bottom band (NaN for none).
    pub bottom_share: f64,
    /// The median rating (NaN for none).
    pub median: f64,
    /// The Delphi class ([`crate::rating::delphi`] with the multiplicities as weights).
    pub class: DelphiClass,
}

/// The Delphi figures of every item of one rating round, every record weighing its
/// multiplicity: the same top-band shares, medians and classes that [`stability`] compares.
///
/// Complexity: O(n · m log n).
///
/// # Errors
/// [`StabilityError::SeveralCriteria`] for a profile with several criteria.
pub fn consensus(
    profile: &RatingProfile,
    thresholds: &DelphiThresholds,
) -> Result<Vec<ItemConsensus>, StabilityError> {
    if profile.criterion_count() != 1 {
        return Err(StabilityError::SeveralCriteria {
            criteria: profile.criterion_count(),
        });
    }
    let (bottom_low, bottom_high) = profile.scale().bottom_band();
    let item_classes = classes(profile, thresholds);
    Ok((0..profile.item_count())
        .map(|item| {
            let (top_share, median) = share_and_median(profile, item);
            let (mut rated, mut bottom) = (0u64, 0u64);
            for ballot in 0..profile.ballot_count() {
                if let Some(rating) = profile.rating(ballot, item, 0) {
                    let count = u64::from(profile.multiplicities()[ballot]);
                    rated += count;
                    if (bottom_low..=bottom_high).contains(&rating) {
                        bottom += count;
                    }
                }
            }
            ItemConsensus {
                respondents: rated,
                top_share,
                bottom_share: if rated > 0 {
                    bottom as f64 / rated as f64
                } else {
                    f64::NAN
                },
                median,
                class: item_classes[item],
            }
        })
        .collect())
}

/// Whether a change counts as stable for `max_change` (see the module documentation).
pub fn is_stable(change: f64, max_change: f64) -> Option<bool> {
    (!change.is_nan()).then(|| change.abs() < max_change - SHARE_ABSOLUTE)
}

/// Stability between two rating rounds, as defined in the module documentation.
///
/// `shared` pairs each item's index in `first` with its index in `second`; `panel` pairs the
/// record of each respondent present in both rounds in `first` with theirs in `second`.
///
/// Complexity: O((n₁ + n₂) · s + p · s + s²) for s shared items and p panel pairs.
///
/// # Errors
/// [`StabilityError`]: different scales, several criteria, an index out of range, or
/// `max_change` outside [0, 1].
pub fn stability(
    first: &RatingProfile,
    second: &RatingProfile,
    shared: &[(usize, usize)],
    panel: &[(usize, usize)],
    thresholds: &DelphiThresholds,
    max_change: f64,
) -> Result<Stability, StabilityError> {
    check_rounds(first, second, shared, panel, max_change)?;
    let first_classes = classes(first, thresholds);
    let second_classes = classes(second, thresholds);
    let mut items = Vec::with_capacity(shared.len());
    let mut panel_distance = 0u64;
    for &item_pair in shared {
        let (item, distance) = item_stability(
            first,
            second,
            item_pair,
            (&first_classes, &second_classes),
            panel,
            max_change,
        );
        panel_distance += distance;
        items.push(item);
    }
    Ok(summarise_stability(
        items,
        max_change,
        panel.len(),
        panel_distance,
    ))
}

/// Checks the scales, criteria, `max_change` and every shared item and panel pair, in that
/// order.
fn check_rounds(
    first: &RatingProfile,
    second: &RatingProfile,
    shared: &[(usize, usize)],
    panel: &[(usize, usize)],
    max_change: f64,
) -> Result<(), StabilityError> {
    if first.scale() != second.scale() {
        return Err(StabilityError::ScalesDiffer {
            first: first.scale(),
            second: second.scale(),
        });
    }
    for profile in [first, second] {
        if profile.criterion_count() != 1 {
            return Err(StabilityError::SeveralCriteria {
                criteria: profile.criterion_count(),
            });
        }
    }
    check_share("max_change", max_change)?;
    if let Some(&(a, b)) = shared
        .iter()
        .find(|&&(a, b)| a >= first.item_count() || b >= second.item_count())
    {
        return Err(StabilityError::ItemOutOfRange {
            first: a,
            second: b,
        });
    }
    if let Some(&(a, b)) = panel
        .iter()
        .find(|&&(a, b)| a >= first.ballot_count() || b >= second.ballot_count())
    {
        return Err(StabilityError::RecordOutOfRange {
            first: a,
            second: b,
        });
    }
    Ok(())
}

/// The stability of one shared item, with the panel's summed rating distance on it.
fn item_stability(
    first: &RatingProfile,
    second: &RatingProfile,
    (first_item, second_item): (usize, usize),
    (first_classes, second_classes): (&[DelphiClass], &[DelphiClass]),
    panel: &[(usize, usize)],
    max_change: f64,
) -> (ItemStability, u64) {
    let (first_share, first_median) = share_and_median(first, first_item);
    let (second_share, second_median) = share_and_median(second, second_item);
    let change = second_share - first_share;
    let (respondents, changed, distance) =
        panel_counts(first, second, (first_item, second_item), panel);
    let per_respondent = |value: u64| {
        if respondents > 0 {
            value as f64 / respondents as f64
        } else {
            f64::NAN
        }
    };
    let item = ItemStability {
        first_item,
        second_item,
        first_share,
        second_share,
        change,
        stable: is_stable(change, max_change),
        first_class: first_classes[first_item],
        second_class: second_classes[second_item],
        first_median,
        second_median,
        panel: PanelChange {
            respondents,
            changed,
            changed_share: per_respondent(changed),
            mean_absolute_change: per_respondent(distance),
        },
    };
    (item, distance)
}

/// The panel respondents who rated an item in both rounds, how many changed, and the summed
/// distance of their changes.
fn panel_counts(
    first: &RatingProfile,
    second: &RatingProfile,
    (first_item, second_item): (usize, usize),
    panel: &[(usize, usize)],
) -> (u64, u64, u64) {
    let (mut respondents, mut changed, mut distance) = (0u64, 0u64, 0u64);
    for &(first_record, second_record) in panel {
        if let (Some(before), Some(after)) = (
            first.rating(first_record, first_item, 0),
            second.rating(second_record, second_item, 0),
        ) {
            respondents += 1;
            let moved = u64::from(before.abs_diff(after));
            distance += moved;
            changed += u64::from(moved > 0);
        }
    }
    (respondents, changed, distance)
}

/// The overall figures over the shared items: stable count and share, τ-b and panel totals.
fn summarise_stability(
    items: Vec<ItemStability>,
    max_change: f64,
    panel_respondents: usize,
    panel_distance: u64,
) -> Stability {
    let panel_ratings: u64 = items.iter().map(|item| item.panel.respondents).sum();
    let panel_changed: u64 = items.iter().map(|item| item.panel.changed).sum();
    let stable_items = items
        .iter()
        .filter(|item| item.stable == Some(true))
        .count();
    let (before, after): (Vec<f64>, Vec<f64>) = items
        .iter()
        .filter(|item| !item.change.is_nan())
        .map(|item| (item.first_share, item.second_share))
        .unzip();
    Stability {
        stable_share: if items.is_empty() {
            f64::NAN
        } else {
            stable_items as f64 / items.len() as f64
        },
        items,
        max_change,
        stable_items,
        kendall_tau_b: kendall_tau_b(&before, &after),
        panel_respondents,
        panel_ratings,
        panel_changed,
        panel_mean_absolute_change: if panel_ratings > 0 {
            panel_distance as f64 / panel_ratings as f64
        } else {
            f64::NAN
        },
    }
}

/// The rule that ends a Delphi exercise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StoppingRule {
    /// A fixed number of rounds: stop after the last rating round defined.
    Rounds,
    /// Stop when at least `share` of the items have reached consensus (in or out).
    Consensus {
        /// The share of items needed, in [0, 1].
        share: f64,
    },
    /// Stop when at least `share` of the items are stable: their top-band share changed by
    /// less than `max_change` since the previous rating round.
    Stability {
        /// The largest change that counts as stable, in [0, 1].
        max_change: f64,
        /// The share of items needed, in [0, 1].
        share: f64,
    },
}

/// The figures that decided a stopping rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StoppingEvidence {
    /// For [`StoppingRule::Rounds`]: this round's position among the rating rounds.
    Rounds {
        /// 1-based position of this round among the exercise's rating rounds.
        round: usize,
        /// The number of rating rounds defined.
        rounds: usize,
    },
    /// For [`StoppingRule::Consensus`].
    Consensus {
        /// Items with consensus in or out.
        reached: usize,
        /// The round's items.
        items: usize,
        /// reached / items (NaN for no items).
        share: f64,
        /// The share the rule needs.
        required: f64,
    },
    /// For [`StoppingRule::Stability`].
    Stability {
        /// Items whose top-band share changed by less than `max_change`.
        stable: usize,
        /// Items shared with the previous rating round.
        items: usize,
        /// stable / items (NaN for no items).
        share: f64,
        /// The share the rule needs.
        required: f64,
        /// The largest change that counts as stable.
        max_change: f64,
    },
    /// For [`StoppingRule::Stability`] on a round with no earlier rating round to compare.
    NoEarlierRound,
}

/// Whether a round meets the stopping rule, and the figures that decided it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoppingDecision {
    /// The rule.
    pub rule: StoppingRule,
    /// Whether the rule is met: the exercise can stop after this round.
    pub met: bool,
    /// The figures that decided it.
    pub evidence: StoppingEvidence,
}

/// Evaluates `rule` for a rating round: `classes` are the round's Delphi classes (for
/// `Consensus`), `stability` its stability against the previous rating round if there is one
/// (for `Stability`; its items' changes are judged against the rule's own `max_change`), and
/// `round` its 1-based position among the `rounds` rating rounds of the exercise (for
/// `Rounds`). See the module documentation for each rule.
///
/// Complexity: O(m).
///
/// # Errors
/// [`StabilityError::BadThreshold`] for a share or `max_change` outside [0, 1].
pub fn evaluate_stopping(
    rule: StoppingRule,
    classes: &[DelphiClass],
    stability: Option<&Stability>,
    round: usize,
    rounds: usize,
) -> Result<StoppingDecision, StabilityError> {
    let reaches = |share: f64, required: f64| share >= required - SHARE_ABSOLUTE;
    let ratio = |count: usize, of: usize| {
        if of == 0 {
            f64::NAN
        } else {
            count as f64 / of as f64
        }
    };
    let (met, evidence) = match rule {
        StoppingRule::Rounds => (round >= rounds, StoppingEvidence::Rounds { round, rounds }),
        StoppingRule::Consensus { share: required } => {
            check_share("share", required)?;
            let reached = classes
                .iter()
                .filter(|class| **class != DelphiClass::NoConsensus)
                .count();
            let share = ratio(reached, classes.len());
            (
                reaches(share, required),
                StoppingEvidence::Consensus {
                    reached,
                    items: classes.len(),
                    share,
                    required,
                },
            )
        }
        StoppingRule::Stability {
            max_change,
            share: required,
        } => {
            check_share("share", required)?;
            check_share("max_change", max_change)?;
            match stability {
                None => (false, StoppingEvidence::NoEarlierRound),
                Some(stability) => {
                    let stable = stability
                        .items
                        .iter()
                        .filter(|item| is_stable(item.change, max_change) == Some(true))
                        .count();
                    let share = ratio(stable, stability.items.len());
                    (
                        reaches(share, required),
                        StoppingEvidence::Stability {
                            stable,
                            items: stability.items.len(),
                            share,
                            required,
                            max_change,
                        },
                    )
                }
            }
        }
    };
    Ok(StoppingDecision {
        rule,
        met,
        evidence,
    })
}

#[cfg(test)]
mod tests;
