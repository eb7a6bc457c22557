//! The Schulze method, winning-votes variant (Schulze 2011, Social Choice and Welfare 36:267;
//! METHODS.md, "Pairwise majority methods").
//!
//! d\[a\]\[b\] = N\[a\]\[b\] if N\[a\]\[b\] > N\[b\]\[a\], else 0; p\[a\]\[b\] is the strength of the strongest
//! (widest) path from a to b in d; a is above b when p\[a\]\[b\] > p\[b\]\[a\]. The relation is a
//! strict weak order (Schulze 2011, §4.1), and each item scores the number of items it is above.

use crate::margin::MarginMatrix;
use crate::outcome::{Details, Outcome};

/// Strongest path strengths p\[a\]\[b\] (row-major, m × m) by the Floyd–Warshall widest-path
/// recurrence.
///
/// Complexity: O(m³) time, O(m²) memory.
pub fn strongest_paths(margins: &MarginMatrix) -> Vec<f64> {
    let m = margins.item_count();
    let mut paths = vec![0.0; m * m];
    for a in 0..m {
        for b in 0..m {
            if a != b && margins.beats(a, b) {
                paths[a * m + b] = margins.get(a, b);
            }
        }
    }
    for via in 0..m {
        for a in 0..m {
            if a == via {
                continue;
            }
            let to_via = paths[a * m + via];
            if to_via == 0.0 {
                continue;
            }
            for b in 0..m {
                if b == a || b == via {
                    continue;
                }
                let through = to_via.min(paths[via * m + b]);
                if through > paths[a * m + b] {
                    paths[a * m + b] = through;
                }
            }
        }
    }
    paths
}

/// Schulze scores: the number of items each item is above, and the ranks that follow.
///
/// Complexity: O(m³).
pub fn schulze(margins: &MarginMatrix) -> Outcome {
    let m = margins.item_count();
    let paths = strongest_paths(margins);
    let scores = (0..m)
        .map(|a| {
            (0..m)
                .filter(|&b| {
                    b != a
                        && crate::tolerance::margin_greater(
                            paths[a * m + b],
                            paths[b * m + a],
                            margins.total_weight(),
                        )
                })
                .count() as f64
        })
        .collect();
    Outcome::from_scores(scores, Details::None)
}

#[cfg(test)]
mod tests;
