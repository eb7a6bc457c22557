//! Plackett–Luce maximum-likelihood strengths by Hunter's MM algorithm (Hunter 2004, Annals of
//! Statistics 32:384, §5; METHODS.md, "Probabilistic models").
//!
//! A ballot ranking k items is k successive choices, each among all items not yet chosen,
//! unranked items included (the proper top-k likelihood). When a ballot ranks every item the
//! last "choice" is certain and carries no information, so a ballot makes min(k, m − 1)
//! choices. With γ the strengths, w_t the weighted number of choices won by t, and
//! D_ji = Σ_{s in R_ji} γ_s the total strength of the set of stage i of ballot j, one MM step is
//!
//! γ_t ← w_t / Σ_j weight_j Σ_{i : t ∈ R_ji} 1 / D_ji.
//!
//! The inner sum is a prefix sum of 1 / D_ji along the ballot, so a step costs O(Σ_r k_r), not
//! O(n · m). Tied ranked items are not allowed by the model and are refused.
//!
//! The MLE exists only if the comparison graph (an edge a → b when some ballot puts a above b)
//! is strongly connected (Hunter 2004, Assumption 1). Otherwise the fit is refused, unless a
//! prior α > 0 is given: each item is then also taken to have won α and lost α comparisons
//! against a virtual reference item of fixed strength 1, which makes the graph strongly
//! connected and shrinks strengths towards the reference. Strengths are reported as
//! log-strengths centred at mean 0, as `choix` does.

use crate::outcome::{Details, Outcome};
use crate::profile::{RankingProfile, entry_item};
use crate::tolerance::{FIT_MAX_ITERATIONS, FIT_RELATIVE_CHANGE};

/// Why a Plackett–Luce or Bradley–Terry fit failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    /// A ballot has tied ranked items, which the model does not allow.
    #[error(
        "ballot {ballot} has tied items, which plackett-luce does not allow (use a positional or pairwise majority method, or break the ties)"
    )]
    Ties {
        /// The 0-based ballot record.
        ballot: usize,
    },
    /// The comparison graph is not strongly connected, so the maximum-likelihood estimate does
    /// not exist.
    #[error(
        "the comparison graph is not strongly connected ({components} separate groups of items, some never beaten or never beating the rest), so maximum-likelihood strengths do not exist; set a small prior alpha (for example 0.1) to fit a regularised model"
    )]
    NotStronglyConnected {
        /// The number of strongly connected components.
        components: usize,
    },
    /// The iterations did not converge.
    #[error(
        "the fit did not converge within {iterations} iterations (last relative change {change:e})"
    )]
    NotConverged {
        /// Iterations run.
        iterations: usize,
        /// The last relative change.
        change: f64,
    },
    /// The prior is negative, infinite or NaN.
    #[error("prior alpha must be a finite positive number, got {alpha}")]
    BadPrior {
        /// The prior given.
        alpha: f64,
    },
}

/// How a Plackett–Luce or Bradley–Terry fit went.
#[derive(Debug, Clone, PartialEq)]
pub struct FitDetails {
    /// MM iterations run.
    pub iterations: usize,
    /// The largest relative change of a strength in the last iteration.
    pub final_relative_change: f64,
    /// The prior α used, if any.
    pub prior: Option<f64>,
}

/// Checks a prior.
pub(crate) fn check_prior(prior: Option<f64>) -> Result<(), FitError> {
    match prior {
        Some(alpha) if !(alpha.is_finite() && alpha > 0.0) => Err(FitError::BadPrior { alpha }),
        _ => Ok(()),
    }
}

/// The number of strongly connected components of the directed graph on `item_count` nodes
/// with an edge a → b when `edge(a, b)` (Kosaraju's algorithm).
///
/// Complexity: O(m²) calls of `edge`.
pub fn strong_component_count(item_count: usize, edge: impl Fn(usize, usize) -> bool) -> usize {
    // First pass: finishing order of a depth-first search on the graph.
    let mut visited = vec![false; item_count];
    let mut finish_order = Vec::with_capacity(item_count);
    for root in 0..item_count {
        if visited[root] {
            continue;
        }
        visited[root] = true;
        let mut stack = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(target) = (*next..item_count).find(|&t| !visited[t] && edge(node, t)) {
                *next = target + 1;
                visited[target] = true;
                stack.push((target, 0));
            } else {
                finish_order.push(node);
                stack.pop();
            }
        }
    }
    // Second pass: searches on the reversed graph in reverse finishing order.
    let mut assigned = vec![false; item_count];
    let mut components = 0;
    for &root in finish_order.iter().rev() {
        if assigned[root] {
            continue;
        }
        components += 1;
        assigned[root] = true;
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            for (source, source_assigned) in assigned.iter_mut().enumerate() {
                if !*source_assigned && edge(source, node) {
                    *source_assigned = true;
                    stack.push(source);
                }
            }
        }
    }
    components
}

/// Ballot records handled in one block of an MM step. Fixed, so the floating-point sums, and
/// so the results, do not depend on the number of threads.
const RECORDS_PER_BLOCK: usize = 4096;

/// Plackett–Luce log-strengths (centred) of a ranking profile, record r weighing
/// `record_weights[r]` (multiplicity × group weight; zero weights are skipped).
///
/// Complexity: O(Σ_r k_r) per MM iteration, plus O(Σ_r k_r² + m²) once for the connectivity
/// check.
///
/// # Errors
/// [`FitError::Ties`] for a ballot of positive weight with tied items,
/// [`FitError::NotStronglyConnected`] (without a prior),
/// [`FitError::NotConverged`] or [`FitError::BadPrior`].
pub fn plackett_luce(
    profile: &RankingProfile,
    record_weights: &[f64],
    prior: Option<f64>,
) -> Result<Outcome, FitError> {
    check_prior(prior)?;
    let m = profile.item_count();
    if m == 1 {
        return Ok(fitted(vec![1.0], 0, 0.0, prior));
    }
    check_no_ties(profile, record_weights)?;
    if prior.is_none() {
        check_strongly_connected(profile, record_weights)?;
    }
    let wins = choice_wins(profile, record_weights, prior);
    let mut strengths = vec![1.0; m];
    let mut change = f64::INFINITY;
    for iteration in 1..=FIT_MAX_ITERATIONS {
        let next = mm_step(profile, record_weights, &strengths, &wins, prior);
        change = relative_change(&strengths, &next);
        strengths = next;
        if change < FIT_RELATIVE_CHANGE {
            return Ok(fitted(strengths, iteration, change, prior));
        }
    }
    Err(FitError::NotConverged {
        iterations: FIT_MAX_ITERATIONS,
        change,
    })
}

/// Refuses the first ballot of positive weight with tied ranked items.
fn check_no_ties(profile: &RankingProfile, record_weights: &[f64]) -> Result<(), FitError> {
    // Only ballots that count here are checked, so that one group's ties do not stop a fit of
    // another group alone.
    if let Some(ballot) = profile
        .ballots()
        .zip(record_weights)
        .position(|(ballot, &weight)| weight > 0.0 && ballot.has_ties())
    {
        return Err(FitError::Ties { ballot });
    }
    Ok(())
}

/// Refuses a comparison graph that is not strongly connected (the MLE would not exist).
fn check_strongly_connected(
    profile: &RankingProfile,
    record_weights: &[f64],
) -> Result<(), FitError> {
    let m = profile.item_count();
    let mut above = vec![false; m * m];
    for (ballot, &weight) in profile.ballots().zip(record_weights) {
        if weight <= 0.0 {
            continue;
        }
        let entries = ballot.entries();
        let mut ranked = vec![false; m];
        for &entry in entries {
            ranked[entry_item(entry)] = true;
        }
        for (position, &entry) in entries.iter().enumerate() {
            let a = entry_item(entry);
            for &below in &entries[position + 1..] {
                above[a * m + entry_item(below)] = true;
            }
            for (b, &is_ranked) in ranked.iter().enumerate() {
                if !is_ranked {
                    above[a * m + b] = true;
                }
            }
        }
    }
    let components = strong_component_count(m, |a, b| above[a * m + b]);
    if components > 1 {
        return Err(FitError::NotStronglyConnected { components });
    }
    Ok(())
}

/// Weighted number of choices won by each item, starting from the prior's α.
fn choice_wins(profile: &RankingProfile, record_weights: &[f64], prior: Option<f64>) -> Vec<f64> {
    let m = profile.item_count();
    let mut wins = vec![prior.unwrap_or(0.0); m];
    for (ballot, &weight) in profile.ballots().zip(record_weights) {
        if weight <= 0.0 {
            continue;
        }
        let stages = ballot.ranked_count().min(m - 1);
        for item in ballot.ranked_items().take(stages) {
            wins[item] += weight;
        }
    }
    wins
}

/// One MM step: the next strengths, summing the blocks' denominators in block order.
fn mm_step(
    profile: &RankingProfile,
    record_weights: &[f64],
    strengths: &[f64],
    wins: &[f64],
    prior: Option<f64>,
) -> Vec<f64> {
    let m = profile.item_count();
    let blocks = profile.ballot_count().div_ceil(RECORDS_PER_BLOCK);
    let total: f64 = strengths.iter().sum();
    let partial: Vec<(Vec<f64>, f64)> = {
        use rayon::prelude::*;
        (0..blocks)
            .into_par_iter()
            .map(|block| {
                let start = block * RECORDS_PER_BLOCK;
                let end = (start + RECORDS_PER_BLOCK).min(profile.ballot_count());
                denominators(profile, record_weights, strengths, total, start..end)
            })
            .collect()
    };
    let mut denominator = vec![0.0; m];
    let mut everyone = 0.0;
    for (block_denominator, block_everyone) in partial {
        for (sum, value) in denominator.iter_mut().zip(block_denominator) {
            *sum += value;
        }
        everyone += block_everyone;
    }
    let mut next: Vec<f64> = (0..m)
        .map(|t| {
            let mut denominator_t = denominator[t] + everyone;
            if let Some(alpha) = prior {
                denominator_t += 2.0 * alpha / (strengths[t] + 1.0);
            }
            wins[t] / denominator_t
        })
        .collect();
    if prior.is_none() {
        normalise_geometric(&mut next);
    }
    next
}

/// The MM denominators contributed by records `range`: per-item sums for ranked items, and one
/// sum shared by every item (the unranked items' share, corrected for the ranked ones).
fn denominators(
    profile: &RankingProfile,
    record_weights: &[f64],
    strengths: &[f64],
    total: f64,
    range: std::ops::Range<usize>,
) -> (Vec<f64>, f64) {
    let m = profile.item_count();
    let mut denominator = vec![0.0; m];
    let mut everyone = 0.0;
    let mut cumulative = Vec::with_capacity(m);
    let mut suffix = Vec::with_capacity(m + 1);
    for index in range {
        let weight = record_weights[index];
        if weight <= 0.0 {
            continue;
        }
        let entries = profile.ballot(index).entries();
        let ranked = entries.len();
        let stages = ranked.min(m - 1);
        // Strength of the unranked items, then of each stage's set as suffix sums, which avoids
        // the cancellation of subtracting chosen strengths from the total one by one.
        let ranked_strength: f64 = entries.iter().map(|&e| strengths[entry_item(e)]).sum();
        let unranked_strength = if ranked == m {
            0.0
        } else {
            (total - ranked_strength).max(0.0)
        };
        suffix.clear();
        suffix.resize(ranked + 1, 0.0);
        suffix[ranked] = unranked_strength;
        for position in (0..ranked).rev() {
            suffix[position] = suffix[position + 1] + strengths[entry_item(entries[position])];
        }
        cumulative.clear();
        let mut running = 0.0;
        for set_strength in &suffix[..stages] {
            running += 1.0 / set_strength;
            cumulative.push(running);
        }
        let last = cumulative[stages - 1];
        everyone += weight * last;
        for (position, &entry) in entries.iter().enumerate() {
            let own = cumulative[position.min(stages - 1)];
            denominator[entry_item(entry)] += weight * (own - last);
        }
    }
    (denominator, everyone)
}

/// Scales strengths so that their logarithms have mean 0.
pub(crate) fn normalise_geometric(strengths: &mut [f64]) {
    let mean_log = strengths.iter().map(|s| s.ln()).sum::<f64>() / strengths.len() as f64;
    let factor = (-mean_log).exp();
    for strength in strengths {
        *strength *= factor;
    }
}

/// The largest |new − old| / old.
pub(crate) fn relative_change(old: &[f64], new: &[f64]) -> f64 {
    old.iter()
        .zip(new)
        .map(|(&old, &new)| ((new - old) / old).abs())
        .fold(0.0, f64::max)
}

/// The outcome of a converged fit: centred log-strengths as scores.
pub(crate) fn fitted(
    strengths: Vec<f64>,
    iterations: usize,
    change: f64,
    prior: Option<f64>,
) -> Outcome {
    let logs: Vec<f64> = strengths.iter().map(|s| s.ln()).collect();
    let mean = logs.iter().sum::<f64>() / logs.len() as f64;
    let centred = logs.into_iter().map(|log| log - mean).collect();
    Outcome::from_scores(
        centred,
        Details::Fit(FitDetails {
            iterations,
            final_relative_change: change,
            prior,
        }),
    )
}

#[cfg(test)]
pub(crate) mod tests;
