//! Kemeny–Young: the order minimising Σ over pairs (a above b in the order) of N\[b\]\[a\], that
//! is, the total weight of ballots disagreeing with the order pair by pair (Kemeny 1959; Young
//! and Levenglick 1978; METHODS.md, "Pairwise majority methods").
//!
//! Up to [`crate::tolerance::KEMENY_EXACT_DEFAULT_MAX`] items (configurable up to
//! [`crate::tolerance::KEMENY_EXACT_HARD_MAX`]) the optimum is found exactly by dynamic
//! programming over subsets: f(S) = min over a in S of f(S \ {a}) + Σ_{x in S \ {a}} N\[a\]\[x\],
//! the cost of the best order of S placed above the rest, with a last among S. It needs only the
//! margin matrix, so its cost does not depend on the number of ballots.
//!
//! Beyond that the heuristic is: start from the net-margin order (Σ_b N\[a\]\[b\] − N\[b\]\[a\], which is
//! the Borda order for complete strict ballots) and from any orders the caller gives (for example
//! Borda's and Schulze's), improve each by insertion local search (move any one item to its best
//! position while that lowers the objective), and keep the best. The result then reports the
//! objective and the lower bound Σ_{a<b} min(N\[a\]\[b\], N\[b\]\[a\]), so the gap is visible.

use crate::margin::MarginMatrix;
use crate::outcome::{Details, Outcome};

/// How a Kemeny order was found and how good it is.
#[derive(Debug, Clone, PartialEq)]
pub struct KemenyDetails {
    /// The items, best first.
    pub order: Vec<usize>,
    /// Σ over pairs (a above b in `order`) of N\[b\]\[a\].
    pub objective: f64,
    /// A lower bound on the optimal objective: Σ_{a<b} min(N\[a\]\[b\], N\[b\]\[a\]); equal to the
    /// objective when `exact`.
    pub lower_bound: f64,
    /// Whether `order` is proven optimal (found by the exact dynamic programme).
    pub exact: bool,
}

/// Kemeny's objective of `order`: Σ over pairs (a above b in `order`) of N\[b\]\[a\].
///
/// Complexity: O(m²).
///
/// # Panics
/// If `order` holds an item out of range.
pub fn kemeny_objective(margins: &MarginMatrix, order: &[usize]) -> f64 {
    let mut objective = 0.0;
    for (position, &above) in order.iter().enumerate() {
        for &below in &order[position + 1..] {
            objective += margins.get(below, above);
        }
    }
    objective
}

/// The simple lower bound Σ_{a<b} min(N\[a\]\[b\], N\[b\]\[a\]).
///
/// Complexity: O(m²).
pub fn kemeny_lower_bound(margins: &MarginMatrix) -> f64 {
    let m = margins.item_count();
    let mut bound = 0.0;
    for a in 0..m {
        for b in a + 1..m {
            bound += margins.get(a, b).min(margins.get(b, a));
        }
    }
    bound
}

/// The Kemeny ranking: exact when m ≤ `exact_max`, otherwise the heuristic described in the
/// module documentation, started also from each order in `starts`. Each item scores m − 1 − its
/// 0-based position, so ranks are 1..m with no ties; among several optimal orders the dynamic
/// programme keeps a deterministic one.
///
/// Complexity: exact O(2^m · m) time and O(2^m) memory; heuristic O(s · r · m²) for s starting
/// orders and r improving sweeps.
///
/// # Panics
/// If `exact_max` exceeds [`crate::tolerance::KEMENY_EXACT_HARD_MAX`] and m ≤ `exact_max` (the
/// run entry point checks this), or a starting order is not a permutation of the items.
pub fn kemeny(margins: &MarginMatrix, exact_max: usize, starts: &[Vec<usize>]) -> Outcome {
    let m = margins.item_count();
    let (order, exact) = if m <= exact_max {
        assert!(m <= crate::tolerance::KEMENY_EXACT_HARD_MAX);
        (exact_order(margins), true)
    } else {
        (heuristic_order(margins, starts), false)
    };
    let objective = kemeny_objective(margins, &order);
    let lower_bound = if exact {
        objective
    } else {
        kemeny_lower_bound(margins)
    };
    let mut scores = vec![0.0; m];
    for (position, &item) in order.iter().enumerate() {
        scores[item] = (m - 1 - position) as f64;
    }
    Outcome::from_scores(
        scores,
        Details::Kemeny(KemenyDetails {
            order,
            objective,
            lower_bound,
            exact,
        }),
    )
}

/// The exact optimum by dynamic programming over subsets.
fn exact_order(margins: &MarginMatrix) -> Vec<usize> {
    let m = margins.item_count();
    if m == 1 {
        return vec![0];
    }
    // Σ_{x in S} N[a][x] in O(1) from two tables over the low and high halves of the bits.
    let low_bits = m / 2;
    let high_bits = m - low_bits;
    let low_size = 1usize << low_bits;
    let high_size = 1usize << high_bits;
    let mut low_table = vec![0.0f64; m * low_size];
    let mut high_table = vec![0.0f64; m * high_size];
    for a in 0..m {
        for mask in 1..low_size {
            let lowest = mask.trailing_zeros() as usize;
            low_table[a * low_size + mask] =
                low_table[a * low_size + (mask & (mask - 1))] + margins.get(a, lowest);
        }
        for mask in 1..high_size {
            let lowest = mask.trailing_zeros() as usize;
            high_table[a * high_size + mask] =
                high_table[a * high_size + (mask & (mask - 1))] + margins.get(a, low_bits + lowest);
        }
    }
    let subsets = 1usize << m;
    let low_mask = low_size - 1;
    let mut best = vec![0.0f64; subsets];
    let mut last = vec![0u8; subsets];
    for set in 1..subsets {
        let mut best_cost = f64::INFINITY;
        let mut best_item = 0u8;
        let mut remaining = set;
        while remaining != 0 {
            let a = remaining.trailing_zeros() as usize;
            remaining &= remaining - 1;
            let rest = set ^ (1 << a);
            let cost = best[rest]
                + low_table[a * low_size + (rest & low_mask)]
                + high_table[a * high_size + (rest >> low_bits)];
            if cost < best_cost {
                best_cost = cost;
                best_item = a as u8;
            }
        }
        best[set] = best_cost;
        last[set] = best_item;
    }
    let mut order = Vec::with_capacity(m);
    let mut set = subsets - 1;
    while set != 0 {
        let a = last[set] as usize;
        order.push(a);
        set ^= 1 << a;
    }
    order.reverse();
    order
}

/// The net-margin order: Σ_b N\[a\]\[b\] − N\[b\]\[a\] descending, ties by item index.
pub fn net_margin_order(margins: &MarginMatrix) -> Vec<usize> {
    let m = margins.item_count();
    let net: Vec<f64> = (0..m)
        .map(|a| (0..m).map(|b| margins.get(a, b) - margins.get(b, a)).sum())
        .collect();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| net[b].total_cmp(&net[a]).then(a.cmp(&b)));
    order
}

/// Insertion local search from the net-margin order and each of `starts`; the best result.
fn heuristic_order(margins: &MarginMatrix, starts: &[Vec<usize>]) -> Vec<usize> {
    let mut best_order = improve_by_insertion(margins, net_margin_order(margins));
    let mut best_objective = kemeny_objective(margins, &best_order);
    for start in starts {
        let mut check = start.clone();
        check.sort_unstable();
        assert!(
            check.iter().copied().eq(0..margins.item_count()),
            "a Kemeny starting order must be a permutation of the items"
        );
        let order = improve_by_insertion(margins, start.clone());
        let objective = kemeny_objective(margins, &order);
        if objective < best_objective {
            best_objective = objective;
            best_order = order;
        }
    }
    best_order
}

/// Moves single items to their best positions until no move lowers the objective by more than
/// the margin tolerance.
fn improve_by_insertion(margins: &MarginMatrix, mut order: Vec<usize>) -> Vec<usize> {
    let m = order.len();
    let threshold = crate::tolerance::MARGIN_TIE_RELATIVE * margins.total_weight().max(1.0);
    loop {
        let mut improved = false;
        for position in 0..m {
            let item = order[position];
            // Cost of `item`'s pairs for every insertion point in the order without it.
            let rest: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&other| other != item)
                .collect();
            // Insertion point 0 (item on top): item is above all, disagreement Σ N[other][item].
            let mut cost: f64 = rest.iter().map(|&other| margins.get(other, item)).sum();
            let mut current_cost = if position == 0 { cost } else { f64::NAN };
            let mut best_cost = cost;
            let mut best_point = 0;
            for (point, &other) in rest.iter().enumerate() {
                // Moving the insertion point past `other` puts `other` above `item`.
                cost += margins.get(item, other) - margins.get(other, item);
                if point + 1 == position {
                    current_cost = cost;
                }
                if cost < best_cost {
                    best_cost = cost;
                    best_point = point + 1;
                }
            }
            if current_cost - best_cost > threshold {
                let mut next = rest;
                next.insert(best_point, item);
                order = next;
                improved = true;
            }
        }
        if !improved {
            return order;
        }
    }
}

#[cfg(test)]
mod tests;
