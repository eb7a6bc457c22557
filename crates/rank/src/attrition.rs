//! Attrition: did those who dropped out after a round answer it differently from those who
//! stayed? (Issue "attrition"; METHODS.md, "Agreement and divergence" for τ-b and top-k
//! overlap.)
//!
//! The round's records are split into stayers (who answered a later round too) and leavers.
//! Each subset is ranked on its own with the round's method and weighting ([`crate::run`] with
//! the other subset's records left out); the two orders are compared by Kendall's τ-b and the
//! overlap of their top k, and every item's score is compared (stayers − leavers).
//!
//! # The test
//!
//! A permutation test of the distance between the two orders (Good 2005, *Permutation,
//! Parametric and Bootstrap Tests of Hypotheses*, ch. 3): the statistic is
//! D = 1 − τ-b(stayers' scores, leavers' scores), from 0 (the same order) to 2 (the reverse).
//! Under the null hypothesis that leaving is unrelated to how a person answered, the labels
//! "stayed" and "left" are exchangeable between records, so D is recomputed on relabellings
//! that keep the number of leaver records:
//!
//! - **exact** when the number of relabellings C(n, l) (n records, l of them leavers) is at most
//!   the number of permutations asked for: every relabelling once, p = #{D* ≥ D} / C(n, l)
//!   (the observed labelling is one of them);
//! - **Monte Carlo** otherwise: B random relabellings, relabelling b drawn from ChaCha8 seeded
//!   with the seed, stream b (so results do not depend on threads), and
//!   p = (1 + #{D* ≥ D}) / (1 + B) (Phipson and Smyth 2010, "Permutation p-values should never
//!   be zero").
//!
//! D* ≥ D allows [`SHARE_ABSOLUTE`] of slack for rounding. When a subset's scores tie every
//! item, τ-b is undefined; it is then taken as 0 (no association), so D = 1. The records are
//! the units that are relabelled: in the exchange format each respondent is one record.
//! The test is two-sided in effect: any difference of order, whichever way, raises D. It says
//! nothing of which items differ; the per-item score differences show that.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::Method;
use crate::agreement::{TopOverlap, kendall_tau_b, top_k_overlap};
use crate::outcome::Outcome;
use crate::profile::Profile;
use crate::run::{Params, RankError, run_with_counts};
use crate::tolerance::SHARE_ABSOLUTE;
use crate::weighting::GroupWeighting;

/// Settings of the comparison and its test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttritionParams {
    /// k for the top-k overlap.
    pub top_k: usize,
    /// The most relabellings: the test is exact when there are no more than this many
    /// distinct ones, Monte Carlo with this many otherwise; 0 runs no test.
    pub permutations: usize,
    /// The seed of the Monte Carlo relabellings.
    pub seed: u64,
}

impl Default for AttritionParams {
    fn default() -> Self {
        AttritionParams {
            top_k: 10,
            permutations: 1000,
            seed: 0,
        }
    }
}

/// Why the comparison could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AttritionError {
    /// `left` does not have one entry per record of the profile.
    #[error("`left` has {given} entries but the profile has {expected} records")]
    WrongLength {
        /// Records in the profile.
        expected: usize,
        /// Entries given.
        given: usize,
    },
    /// Nobody (or everybody) left, so there is nothing to compare.
    #[error("there are {stayers} stayers and {leavers} leavers; both are needed")]
    OneSided {
        /// Respondents who stayed.
        stayers: u64,
        /// Respondents who left.
        leavers: u64,
    },
    /// The method failed on one of the subsets.
    #[error("{0}")]
    Rank(#[from] RankError),
}

/// One item's scores among stayers and leavers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemAttrition {
    /// The item's score among those who stayed.
    pub stayers_score: f64,
    /// Its score among those who left.
    pub leavers_score: f64,
    /// stayers_score − leavers_score (NaN when either is).
    pub difference: f64,
    /// Its rank among those who stayed.
    pub stayers_rank: usize,
    /// Its rank among those who left.
    pub leavers_rank: usize,
}

/// The result of the permutation test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PermutationTest {
    /// The observed D = 1 − τ-b (τ-b taken as 0 when undefined).
    pub statistic: f64,
    /// The p-value (see the module documentation).
    pub p_value: f64,
    /// Relabellings evaluated: all of them when `exact`, else the Monte Carlo count.
    pub permutations: usize,
    /// Relabellings with D* ≥ D.
    pub at_least_as_extreme: usize,
    /// Whether every relabelling was evaluated.
    pub exact: bool,
}

/// The comparison of stayers and leavers on one round.
#[derive(Debug, Clone, PartialEq)]
pub struct Attrition {
    /// Respondents who stayed (multiplicities counted).
    pub stayers: u64,
    /// Respondents who left.
    pub leavers: u64,
    /// The stayers' outcome.
    pub stayers_outcome: Outcome,
    /// The leavers' outcome.
    pub leavers_outcome: Outcome,
    /// Per item, by item index.
    pub items: Vec<ItemAttrition>,
    /// Kendall's τ-b between the stayers' and the leavers' scores (`None` if undefined).
    pub kendall_tau_b: Option<f64>,
    /// The overlap of their top k.
    pub top_overlap: TopOverlap,
    /// The permutation test, unless `permutations` was 0.
    pub test: Option<PermutationTest>,
}

/// D = 1 − τ-b between two outcomes' scores, τ-b taken as 0 when undefined.
fn distance(stayers: &Outcome, leavers: &Outcome) -> f64 {
    1.0 - kendall_tau_b(&stayers.scores, &leavers.scores).unwrap_or(0.0)
}

/// Per-record counts of one subset: the record's multiplicity where `keep` holds, else 0.
fn subset_counts(multiplicities: &[u32], left: &[bool], leavers: bool) -> Vec<u32> {
    multiplicities
        .iter()
        .zip(left)
        .map(|(&count, &record_left)| if record_left == leavers { count } else { 0 })
        .collect()
}

/// D for one labelling of the records.
fn labelled_distance(
    method: Method,
    weighting: &GroupWeighting,
    profile: &Profile,
    params: &Params,
    left: &[bool],
) -> Result<f64, RankError> {
    let multiplicities = profile.multiplicities();
    let stayers = run_with_counts(
        method,
        weighting,
        profile,
        &subset_counts(multiplicities, left, false),
        params,
    )?;
    let leavers = run_with_counts(
        method,
        weighting,
        profile,
        &subset_counts(multiplicities, left, true),
        params,
    )?;
    Ok(distance(&stayers, &leavers))
}

/// C(n, k), saturating at `usize::MAX`.
fn binomial(n: usize, k: usize) -> usize {
    let k = k.min(n - k);
    let mut result: u128 = 1;
    for step in 0..k {
        result = result * (n - step) as u128 / (step + 1) as u128;
        if result > usize::MAX as u128 {
            return usize::MAX;
        }
    }
    result as usize
}

/// Every k-subset of 0..n in lexicographic order, as index lists.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut all = Vec::new();
    let mut current: Vec<usize> = (0..k).collect();
    loop {
        all.push(current.clone());
        let Some(position) = (0..k).rev().find(|&i| current[i] < n - k + i) else {
            return all;
        };
        current[position] += 1;
        for next in position + 1..k {
            current[next] = current[next - 1] + 1;
        }
    }
}

/// Compares those who left after a round with those who stayed, and tests the difference.
///
/// `left[r]` says whether record r of `profile` belongs to someone who did not answer the
/// later round. Both subsets are ranked by `method` under `weighting` with `params`; see the
/// module documentation for the comparison and the test.
///
/// Complexity: (2 + 2 · relabellings) runs of the method, spread over the rayon pool.
///
/// # Errors
/// [`AttritionError`]: `left` of the wrong length, no stayers or no leavers, or the method
/// failing on the stayers, the leavers or any relabelling (the first in order).
pub fn attrition(
    method: Method,
    weighting: &GroupWeighting,
    profile: &Profile,
    left: &[bool],
    params: &Params,
    options: &AttritionParams,
) -> Result<Attrition, AttritionError> {
    let multiplicities = profile.multiplicities();
    if left.len() != multiplicities.len() {
        return Err(AttritionError::WrongLength {
            expected: multiplicities.len(),
            given: left.len(),
        });
    }
    let total = |leavers: bool| -> u64 {
        subset_counts(multiplicities, left, leavers)
            .iter()
            .map(|&count| u64::from(count))
            .sum()
    };
    let (stayers, leavers) = (total(false), total(true));
    if stayers == 0 || leavers == 0 {
        return Err(AttritionError::OneSided { stayers, leavers });
    }
    let stayers_outcome = run_with_counts(
        method,
        weighting,
        profile,
        &subset_counts(multiplicities, left, false),
        params,
    )?;
    let leavers_outcome = run_with_counts(
        method,
        weighting,
        profile,
        &subset_counts(multiplicities, left, true),
        params,
    )?;
    let items = (0..profile.item_count())
        .map(|item| ItemAttrition {
            stayers_score: stayers_outcome.scores[item],
            leavers_score: leavers_outcome.scores[item],
            difference: stayers_outcome.scores[item] - leavers_outcome.scores[item],
            stayers_rank: stayers_outcome.ranks[item],
            leavers_rank: leavers_outcome.ranks[item],
        })
        .collect();
    let observed = distance(&stayers_outcome, &leavers_outcome);
    let test = if options.permutations == 0 {
        None
    } else {
        Some(permutation_test(
            method, weighting, profile, left, params, options, observed,
        )?)
    };
    Ok(Attrition {
        stayers,
        leavers,
        kendall_tau_b: kendall_tau_b(&stayers_outcome.scores, &leavers_outcome.scores),
        top_overlap: top_k_overlap(&stayers_outcome, &leavers_outcome, options.top_k),
        stayers_outcome,
        leavers_outcome,
        items,
        test,
    })
}

/// The permutation test of the module documentation.
fn permutation_test(
    method: Method,
    weighting: &GroupWeighting,
    profile: &Profile,
    left: &[bool],
    params: &Params,
    options: &AttritionParams,
    observed: f64,
) -> Result<PermutationTest, RankError> {
    // Only records that stand for someone are relabelled.
    let units: Vec<usize> = (0..left.len())
        .filter(|&record| profile.multiplicities()[record] > 0)
        .collect();
    let leaver_units = units.iter().filter(|&&record| left[record]).count();
    let relabellings = binomial(units.len(), leaver_units);
    let exact = relabellings <= options.permutations;
    let labelling = |chosen: &[usize]| -> Vec<bool> {
        let mut labels = vec![false; left.len()];
        for &position in chosen {
            labels[units[position]] = true;
        }
        labels
    };
    let distances: Vec<f64> = if exact {
        combinations(units.len(), leaver_units)
            .par_iter()
            .map(|chosen| labelled_distance(method, weighting, profile, params, &labelling(chosen)))
            .collect::<Result<_, _>>()?
    } else {
        (0..options.permutations)
            .into_par_iter()
            .map(|permutation| {
                let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
                rng.set_stream(permutation as u64);
                // A partial Fisher–Yates shuffle: the first `leaver_units` positions are a
                // uniformly drawn subset.
                let mut positions: Vec<usize> = (0..units.len()).collect();
                for next in 0..leaver_units {
                    let swap = rng.random_range(next..positions.len());
                    positions.swap(next, swap);
                }
                labelled_distance(
                    method,
                    weighting,
                    profile,
                    params,
                    &labelling(&positions[..leaver_units]),
                )
            })
            .collect::<Result<_, _>>()?
    };
    let at_least_as_extreme = distances
        .iter()
        .filter(|&&value| value >= observed - SHARE_ABSOLUTE)
        .count();
    let p_value = if exact {
        at_least_as_extreme as f64 / distances.len() as f64
    } else {
        (1 + at_least_as_extreme) as f64 / (1 + distances.len()) as f64
    };
    Ok(PermutationTest {
        statistic: observed,
        p_value,
        permutations: distances.len(),
        at_least_as_extreme,
        exact,
    })
}

#[cfg(test)]
mod tests;
