//! Models of pairwise choices: `bradley-terry` strengths by Hunter's MM algorithm and the All
//! Our Ideas `win-rate` (METHODS.md, "Probabilistic models").
//!
//! Bradley–Terry (Bradley and Terry 1952; Hunter 2004, Annals of Statistics 32:384, §3): with
//! W\[a\]\[b\] the weighted number of times a was chosen over b, the MM step is
//! γ_a ← Σ_b W\[a\]\[b\] / Σ_b (W\[a\]\[b\] + W\[b\]\[a\]) / (γ_a + γ_b). The MLE exists only if the graph
//! with an edge a → b when W\[a\]\[b\] > 0 is strongly connected; otherwise the fit is refused unless
//! a prior α is given, which (as for Plackett–Luce) adds α wins and α losses for each item
//! against a virtual item of fixed strength 1.

use crate::outcome::{Details, Outcome};
use crate::plackett_luce::{
    FitError, check_prior, fitted, normalise_geometric, relative_change, strong_component_count,
};
use crate::profile::PairwiseProfile;
use crate::tolerance::{FIT_MAX_ITERATIONS, FIT_RELATIVE_CHANGE};

/// The weighted win matrix, `wins[a * m + b]` = weight of choices of a over b.
///
/// Complexity: O(total choices).
pub fn win_matrix(profile: &PairwiseProfile, record_weights: &[f64]) -> Vec<f64> {
    let m = profile.item_count();
    let mut wins = vec![0.0; m * m];
    for (ballot, &weight) in record_weights.iter().enumerate() {
        if weight <= 0.0 {
            continue;
        }
        for (winner, loser) in profile.choices(ballot) {
            wins[winner * m + loser] += weight;
        }
    }
    wins
}

/// Bradley–Terry log-strengths (centred) from a win matrix over `item_count` items.
///
/// Complexity: O(m²) per MM iteration.
///
/// # Errors
/// [`FitError::NotStronglyConnected`] (without a prior), [`FitError::NotConverged`] or
/// [`FitError::BadPrior`].
pub fn bradley_terry(
    item_count: usize,
    wins: &[f64],
    prior: Option<f64>,
) -> Result<Outcome, FitError> {
    check_prior(prior)?;
    let m = item_count;
    assert_eq!(wins.len(), m * m);
    if m == 1 {
        return Ok(fitted(vec![1.0], 0, 0.0, prior));
    }
    if prior.is_none() {
        let components = strong_component_count(m, |a, b| wins[a * m + b] > 0.0);
        if components > 1 {
            return Err(FitError::NotStronglyConnected { components });
        }
    }
    let alpha = prior.unwrap_or(0.0);
    let total_wins: Vec<f64> = (0..m)
        .map(|a| (0..m).map(|b| wins[a * m + b]).sum::<f64>() + alpha)
        .collect();
    let mut strengths = vec![1.0; m];
    let mut change = f64::INFINITY;
    for iteration in 1..=FIT_MAX_ITERATIONS {
        let mut next: Vec<f64> = (0..m)
            .map(|a| {
                let mut denominator = 2.0 * alpha / (strengths[a] + 1.0);
                for b in 0..m {
                    let games = wins[a * m + b] + wins[b * m + a];
                    if b != a && games > 0.0 {
                        denominator += games / (strengths[a] + strengths[b]);
                    }
                }
                total_wins[a] / denominator
            })
            .collect();
        if prior.is_none() {
            normalise_geometric(&mut next);
        }
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

/// All Our Ideas win rate (Salganik and Levy 2015): 100 · (wins + 1) / (wins + losses + 2),
/// with wins and losses weighted.
///
/// Complexity: O(m²).
pub fn win_rate(item_count: usize, wins: &[f64]) -> Outcome {
    let m = item_count;
    let scores = (0..m)
        .map(|a| {
            let won: f64 = (0..m).map(|b| wins[a * m + b]).sum();
            let lost: f64 = (0..m).map(|b| wins[b * m + a]).sum();
            100.0 * (won + 1.0) / (won + lost + 2.0)
        })
        .collect();
    Outcome::from_scores(scores, Details::None)
}

#[cfg(test)]
mod tests;
