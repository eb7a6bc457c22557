//! Copeland's method (METHODS.md, "Pairwise majority methods"): an item scores one point for
//! every item it beats in a pairwise majority contest and half a point for every tie.
//!
//! A wins against b when N\[a\]\[b\] > N\[b\]\[a\] (Copeland 1951; the ½-for-ties variant is often
//! called Copeland^½).

use crate::margin::MarginMatrix;
use crate::outcome::{Details, Outcome};

/// Copeland scores: wins + ½ ties, and the ranks that follow from them.
///
/// Complexity: O(m²).
pub fn copeland(margins: &MarginMatrix) -> Outcome {
    let item_count = margins.item_count();
    let scores = (0..item_count)
        .map(|a| {
            (0..item_count)
                .filter(|&b| b != a)
                .map(|b| {
                    if margins.beats(a, b) {
                        1.0
                    } else if margins.beats(b, a) {
                        0.0
                    } else {
                        0.5
                    }
                })
                .sum()
        })
        .collect();
    Outcome::from_scores(scores, Details::None)
}

#[cfg(test)]
mod tests;
