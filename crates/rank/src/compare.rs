//! Method comparison: how much the list depends on the method chosen.

use crate::agreement::{TopOverlap, kendall_tau_b, spearman_rho, top_k_overlap};
use crate::outcome::Outcome;

/// The agreement of two methods' rankings.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodPair {
    /// Index of the first outcome.
    pub first: usize,
    /// Index of the second outcome.
    pub second: usize,
    /// Spearman's ρ between their ranks (`None` if either ties everything).
    pub spearman_rho: Option<f64>,
    /// Kendall's τ-b between their ranks.
    pub kendall_tau_b: Option<f64>,
    /// Overlap of their top k.
    pub top_overlap: TopOverlap,
}

/// A comparison of several methods' outcomes on the same items.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Every pair of outcomes (first < second), in order.
    pub pairs: Vec<MethodPair>,
    /// Items in the top k of some outcomes but not of all, by item index.
    pub method_dependent: Vec<usize>,
}

/// Compares outcomes pairwise (ρ, τ-b, top-k overlap) and lists the items whose top-k membership
/// depends on the method.
///
/// Complexity: O(s² · m²) for s outcomes.
///
/// # Panics
/// If the outcomes do not all have the same number of items.
pub fn compare(outcomes: &[&Outcome], k: usize) -> Comparison {
    let ranks: Vec<Vec<f64>> = outcomes
        .iter()
        .map(|outcome| outcome.ranks.iter().map(|&rank| rank as f64).collect())
        .collect();
    if let Some(first) = outcomes.first() {
        assert!(
            outcomes
                .iter()
                .all(|outcome| outcome.item_count() == first.item_count())
        );
    }
    let mut pairs = Vec::new();
    for first in 0..outcomes.len() {
        for second in first + 1..outcomes.len() {
            pairs.push(MethodPair {
                first,
                second,
                spearman_rho: spearman_rho(&ranks[first], &ranks[second]),
                kendall_tau_b: kendall_tau_b(&ranks[first], &ranks[second]),
                top_overlap: top_k_overlap(outcomes[first], outcomes[second], k),
            });
        }
    }
    let item_count = outcomes.first().map_or(0, |outcome| outcome.item_count());
    let method_dependent = (0..item_count)
        .filter(|&item| {
            let in_top = outcomes
                .iter()
                .filter(|outcome| outcome.ranks[item] <= k)
                .count();
            in_top > 0 && in_top < outcomes.len()
        })
        .collect();
    Comparison {
        pairs,
        method_dependent,
    }
}

#[cfg(test)]
mod tests;
