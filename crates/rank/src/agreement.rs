//! Agreement and divergence (METHODS.md, "Agreement and divergence"): Kendall's W with tie
//! correction, rank correlations and top-k overlap between two rankings, per-item divergence
//! across groups, and group-informed consensus.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::outcome::{Outcome, mid_ranks_ascending};
use crate::profile::{RankingProfile, RatingProfile};

/// Why Kendall's W could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AgreementError {
    /// W needs at least two items.
    #[error("kendall's w needs at least two items, got {items}")]
    TooFewItems {
        /// The number of items.
        items: usize,
    },
    /// W needs at least two raters.
    #[error("kendall's w needs at least two raters, got {raters}")]
    TooFewRaters {
        /// The raters that count.
        raters: u64,
    },
    /// Every rater tied every item, so W is 0 / 0.
    #[error("kendall's w is undefined: every rater tied every item")]
    AllTied,
    /// The group asked for does not exist.
    #[error("group {group} is out of range (there are {group_count} groups)")]
    GroupOutOfRange {
        /// The group asked for.
        group: usize,
        /// The number of groups.
        group_count: usize,
    },
}

/// Kendall's coefficient of concordance and its test.
#[derive(Debug, Clone, PartialEq)]
pub struct KendallW {
    /// W in [0, 1].
    pub w: f64,
    /// χ² = k (m − 1) W.
    pub chi_square: f64,
    /// m − 1.
    pub degrees_of_freedom: usize,
    /// P(χ²_{m−1} ≥ chi_square).
    pub p_value: f64,
    /// k: the raters that count.
    pub raters: u64,
    /// Raters left out (rating ballots that did not rate every item).
    pub left_out: u64,
}

/// Sums needed for W: rank sums R_i, Σ_j T_j and k.
struct Concordance {
    rank_sums: Vec<f64>,
    tie_sum: f64,
    raters: u64,
}

impl Concordance {
    fn finish(self, left_out: u64) -> Result<KendallW, AgreementError> {
        let m = self.rank_sums.len();
        if m < 2 {
            return Err(AgreementError::TooFewItems { items: m });
        }
        if self.raters < 2 {
            return Err(AgreementError::TooFewRaters {
                raters: self.raters,
            });
        }
        let k = self.raters as f64;
        let m_f = m as f64;
        let mean = k * (m_f + 1.0) / 2.0;
        let s: f64 = self.rank_sums.iter().map(|r| (r - mean).powi(2)).sum();
        let denominator = k * k * (m_f.powi(3) - m_f) - k * self.tie_sum;
        if denominator <= 0.0 {
            return Err(AgreementError::AllTied);
        }
        let w = (12.0 * s / denominator).clamp(0.0, 1.0);
        let chi_square = k * (m_f - 1.0) * w;
        let degrees_of_freedom = m - 1;
        let p_value = ChiSquared::new(degrees_of_freedom as f64)
            .map(|distribution| distribution.sf(chi_square))
            .unwrap_or(f64::NAN);
        Ok(KendallW {
            w,
            chi_square,
            degrees_of_freedom,
            p_value,
            raters: self.raters,
            left_out,
        })
    }
}

/// Kendall's W with tie correction over ranking ballots (Kendall and Babington Smith 1939;
/// Siegel and Castellan 1988, §9.4): each ballot is a complete weak order, unranked items tied
/// at the bottom. Every respondent is one rater (multiplicities count), of group `group` only
/// if given. Mid-ranks r; R_i = Σ ranks of item i; S = Σ (R_i − k(m+1)/2)²;
/// T_j = Σ (t³ − t) over rater j's tie groups (the unranked block included);
/// W = 12 S / (k² (m³ − m) − k Σ T_j); χ² = k (m − 1) W on m − 1 degrees of freedom.
///
/// Complexity: O(total ranked entries + m).
///
/// # Errors
/// Fewer than two items or raters, every item tied by every rater, or a group out of range.
pub fn kendall_w_rankings(
    profile: &RankingProfile,
    group: Option<usize>,
) -> Result<KendallW, AgreementError> {
    check_group(group, profile.group_count())?;
    let (overall, groups) = ranking_concordances(profile);
    match group {
        None => overall.finish(0),
        Some(group) => groups
            .into_iter()
            .nth(group)
            .expect("the group was checked")
            .finish(0),
    }
}

/// Kendall's W over ranking ballots for all respondents and for each group alone, in one pass
/// (as [`kendall_w_rankings`] with `None` and with each group).
///
/// Complexity: O(total ranked entries + g · m).
pub fn kendall_w_rankings_by_group(
    profile: &RankingProfile,
) -> (
    Result<KendallW, AgreementError>,
    Vec<Result<KendallW, AgreementError>>,
) {
    let (overall, groups) = ranking_concordances(profile);
    (
        overall.finish(0),
        groups.into_iter().map(|group| group.finish(0)).collect(),
    )
}

/// The concordance tallies of every group, and of everyone, in one pass.
fn ranking_concordances(profile: &RankingProfile) -> (Concordance, Vec<Concordance>) {
    let m = profile.item_count();
    let group_count = profile.group_count();
    let mut rank_sums = vec![0.0; group_count * m];
    let mut everyone = vec![0.0; group_count];
    let mut tie_sums = vec![0.0; group_count];
    let mut raters = vec![0u64; group_count];
    let cube = |t: usize| (t as f64).powi(3) - t as f64;
    for ballot in profile.ballots() {
        let group = ballot.group;
        let count = f64::from(ballot.multiplicity);
        raters[group] += u64::from(ballot.multiplicity);
        let ranked = ballot.ranked_count();
        let unranked_rank = (ranked + 1 + m) as f64 / 2.0;
        everyone[group] += count * unranked_rank;
        let mut tie_sum = cube(m - ranked);
        let sums = &mut rank_sums[group * m..(group + 1) * m];
        ballot.for_each_block(|start, block| {
            let mid = (2 * start + 1 + block.len()) as f64 / 2.0;
            tie_sum += cube(block.len());
            for &entry in block {
                sums[crate::profile::entry_item(entry)] += count * (mid - unranked_rank);
            }
        });
        tie_sums[group] += count * tie_sum;
    }
    let groups: Vec<Concordance> = (0..group_count)
        .map(|group| Concordance {
            rank_sums: rank_sums[group * m..(group + 1) * m]
                .iter()
                .map(|sum| sum + everyone[group])
                .collect(),
            tie_sum: tie_sums[group],
            raters: raters[group],
        })
        .collect();
    let overall = Concordance {
        rank_sums: (0..m)
            .map(|item| groups.iter().map(|group| group.rank_sums[item]).sum())
            .collect(),
        tie_sum: tie_sums.iter().sum(),
        raters: raters.iter().sum(),
    };
    (overall, groups)
}

/// Kendall's W over rating ballots (single criterion): only respondents who rated every item
/// count (the number left out is reported); each one's ratings become mid-ranks, ties
/// corrected as in [`kendall_w_rankings`].
///
/// Complexity: O(n · m log m).
///
/// # Errors
/// As [`kendall_w_rankings`].
pub fn kendall_w_ratings(
    profile: &RatingProfile,
    group: Option<usize>,
) -> Result<KendallW, AgreementError> {
    check_group(group, profile.group_count())?;
    let m = profile.item_count();
    let mut rank_sums = vec![0.0; m];
    let mut tie_sum = 0.0;
    let mut raters = 0u64;
    let mut left_out = 0u64;
    let mut values = vec![0.0; m];
    for ballot in 0..profile.ballot_count() {
        if group.is_some_and(|group| group != profile.groups()[ballot] as usize) {
            continue;
        }
        let count = profile.multiplicities()[ballot];
        let mut complete = true;
        for (item, value) in values.iter_mut().enumerate() {
            match profile.rating(ballot, item, 0) {
                Some(rating) => *value = f64::from(rating),
                None => complete = false,
            }
        }
        if !complete {
            left_out += u64::from(count);
            continue;
        }
        raters += u64::from(count);
        let ranks = mid_ranks_ascending(&values);
        for (sum, rank) in rank_sums.iter_mut().zip(&ranks) {
            *sum += f64::from(count) * rank;
        }
        tie_sum += f64::from(count) * tie_correction(&values);
    }
    Concordance {
        rank_sums,
        tie_sum,
        raters,
    }
    .finish(left_out)
}

fn check_group(group: Option<usize>, group_count: usize) -> Result<(), AgreementError> {
    match group {
        Some(group) if group >= group_count => {
            Err(AgreementError::GroupOutOfRange { group, group_count })
        }
        _ => Ok(()),
    }
}

/// Σ (t³ − t) over the groups of equal values.
fn tie_correction(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut total = 0.0;
    let mut start = 0;
    while start < sorted.len() {
        let mut end = start + 1;
        while end < sorted.len() && sorted[end] == sorted[start] {
            end += 1;
        }
        let t = (end - start) as f64;
        total += t * t * t - t;
        start = end;
    }
    total
}

/// Spearman's ρ between two rankings of the same items: the Pearson correlation of their
/// mid-ranks (ties averaged). Pass ranks (lower better) or any values ordered the same way in
/// both. `None` when either ranking ties every item, or the lengths differ or are below 2.
///
/// Complexity: O(m log m).
pub fn spearman_rho(first: &[f64], second: &[f64]) -> Option<f64> {
    if first.len() != second.len() || first.len() < 2 {
        return None;
    }
    let a = mid_ranks_ascending(first);
    let b = mid_ranks_ascending(second);
    let n = a.len() as f64;
    let mean_a = a.iter().sum::<f64>() / n;
    let mean_b = b.iter().sum::<f64>() / n;
    let mut covariance = 0.0;
    let mut variance_a = 0.0;
    let mut variance_b = 0.0;
    for (x, y) in a.iter().zip(&b) {
        covariance += (x - mean_a) * (y - mean_b);
        variance_a += (x - mean_a).powi(2);
        variance_b += (y - mean_b).powi(2);
    }
    if variance_a == 0.0 || variance_b == 0.0 {
        return None;
    }
    Some((covariance / (variance_a * variance_b).sqrt()).clamp(-1.0, 1.0))
}

/// Kendall's τ-b between two rankings: (n_c − n_d) / √((n_0 − n_1)(n_0 − n_2)), with n_0 the
/// number of pairs, n_1 and n_2 the pairs tied in the first and second ranking (Kendall 1945).
/// `None` when either ranking ties every item, or the lengths differ or are below 2.
///
/// Complexity: O(m²).
pub fn kendall_tau_b(first: &[f64], second: &[f64]) -> Option<f64> {
    if first.len() != second.len() || first.len() < 2 {
        return None;
    }
    let (mut concordant, mut discordant, mut tied_first, mut tied_second) =
        (0i64, 0i64, 0i64, 0i64);
    for i in 0..first.len() {
        for j in i + 1..first.len() {
            let a = (first[i] - first[j]).partial_cmp(&0.0)?;
            let b = (second[i] - second[j]).partial_cmp(&0.0)?;
            use std::cmp::Ordering::Equal;
            match (a, b) {
                (Equal, Equal) => {
                    tied_first += 1;
                    tied_second += 1;
                }
                (Equal, _) => tied_first += 1,
                (_, Equal) => tied_second += 1,
                _ if a == b => concordant += 1,
                _ => discordant += 1,
            }
        }
    }
    let pairs = (first.len() * (first.len() - 1) / 2) as i64;
    let denominator = (((pairs - tied_first) * (pairs - tied_second)) as f64).sqrt();
    if denominator == 0.0 {
        return None;
    }
    Some((concordant - discordant) as f64 / denominator)
}

/// How much two top-k lists share.
#[derive(Debug, Clone, PartialEq)]
pub struct TopOverlap {
    /// k.
    pub k: usize,
    /// Items in both top-k lists.
    pub shared: Vec<usize>,
    /// Size of the first top-k list (more than k with ties at the boundary).
    pub first_size: usize,
    /// Size of the second.
    pub second_size: usize,
    /// shared / max(first_size, second_size): 1 when the lists are the same.
    pub proportion: f64,
}

/// The overlap of the top k of two outcomes (see [`Outcome::top`] for ties at the boundary).
///
/// Complexity: O(m log m).
pub fn top_k_overlap(first: &Outcome, second: &Outcome, k: usize) -> TopOverlap {
    let first_top = first.top(k);
    let second_top = second.top(k);
    let shared: Vec<usize> = first_top
        .iter()
        .copied()
        .filter(|item| second_top.contains(item))
        .collect();
    let largest = first_top.len().max(second_top.len());
    TopOverlap {
        k,
        proportion: if largest == 0 {
            1.0
        } else {
            shared.len() as f64 / largest as f64
        },
        shared,
        first_size: first_top.len(),
        second_size: second_top.len(),
    }
}

/// How differently the groups rank one item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemDivergence {
    /// Best rank in any group.
    pub best_rank: usize,
    /// Worst rank in any group.
    pub worst_rank: usize,
    /// worst − best.
    pub spread: usize,
    /// Population standard deviation of the group ranks.
    pub standard_deviation: f64,
    /// Groups whose rank differs from the overall rank by at least the threshold.
    pub far_groups: Vec<usize>,
}

/// Per-item divergence across the groups that have ranks (`None` groups, for example those under
/// the disclosure threshold, are skipped): the spread of the item's rank and the groups that rank
/// it at least `far` places from `overall_ranks`. `None` per item when no group has ranks.
///
/// Complexity: O(g · m).
pub fn divergence(
    overall_ranks: &[usize],
    group_ranks: &[Option<Vec<usize>>],
    far: usize,
) -> Vec<Option<ItemDivergence>> {
    (0..overall_ranks.len())
        .map(|item| {
            let ranks: Vec<(usize, usize)> = group_ranks
                .iter()
                .enumerate()
                .filter_map(|(group, ranks)| ranks.as_ref().map(|ranks| (group, ranks[item])))
                .collect();
            if ranks.is_empty() {
                return None;
            }
            let best_rank = ranks.iter().map(|&(_, rank)| rank).min()?;
            let worst_rank = ranks.iter().map(|&(_, rank)| rank).max()?;
            let n = ranks.len() as f64;
            let mean = ranks.iter().map(|&(_, rank)| rank as f64).sum::<f64>() / n;
            let variance = ranks
                .iter()
                .map(|&(_, rank)| (rank as f64 - mean).powi(2))
                .sum::<f64>()
                / n;
            Some(ItemDivergence {
                best_rank,
                worst_rank,
                spread: worst_rank - best_rank,
                standard_deviation: variance.sqrt(),
                far_groups: ranks
                    .iter()
                    .filter(|&&(_, rank)| rank.abs_diff(overall_ranks[item]) >= far)
                    .map(|&(group, _)| group)
                    .collect(),
            })
        })
        .collect()
}

/// Group-informed consensus (Small et al. 2021, Pol.is) of each item of a rating profile:
/// Π over groups with respondents of (agree_g + 1) / (n_g + 2), where n_g counts the group's
/// non-missing ratings of the item and agree_g those at or above `agree_from` (multiplicities
/// count; group weights do not apply).
///
/// Complexity: O(n · m + g · m).
pub fn group_informed_consensus(profile: &RatingProfile, agree_from: i16) -> Vec<f64> {
    let g = profile.group_count();
    let m = profile.item_count();
    let sizes = profile.group_sizes();
    let mut agree = vec![0u64; g * m];
    let mut answered = vec![0u64; g * m];
    for ballot in 0..profile.ballot_count() {
        let group = profile.groups()[ballot] as usize;
        let count = u64::from(profile.multiplicities()[ballot]);
        for item in 0..m {
            if let Some(rating) = profile.rating(ballot, item, 0) {
                answered[group * m + item] += count;
                if rating >= agree_from {
                    agree[group * m + item] += count;
                }
            }
        }
    }
    (0..m)
        .map(|item| {
            (0..g)
                .filter(|&group| sizes[group] > 0)
                .map(|group| {
                    (agree[group * m + item] as f64 + 1.0)
                        / (answered[group * m + item] as f64 + 2.0)
                })
                .product()
        })
        .collect()
}

#[cfg(test)]
mod tests;
