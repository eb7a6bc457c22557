//! The common result of every method: a score and a standard competition rank per item, plus
//! what is particular to the method.

use crate::tolerance;

/// What a method returns for a profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Score of each item, indexed by item; higher is better for every method.
    pub scores: Vec<f64>,
    /// Standard competition rank of each item, indexed by item: 1 for the best, tied items
    /// share a rank and the next rank skips (1, 2, 2, 4).
    pub ranks: Vec<usize>,
    /// What is particular to the method.
    pub details: Details,
}

/// Method-specific results.
#[derive(Debug, Clone, PartialEq)]
pub enum Details {
    /// Nothing beyond scores and ranks.
    None,
    /// Kemeny's objective and how it was found.
    Kemeny(crate::kemeny::KemenyDetails),
    /// A Plackett-Luce or Bradley-Terry fit.
    Fit(crate::plackett_luce::FitDetails),
    /// Delphi consensus classification of each item.
    Delphi(Vec<crate::rating::DelphiClass>),
    /// RAND/UCLA appropriateness of each item.
    RandUcla(Vec<crate::rating::RandUclaItem>),
    /// CHNRI criterion scores and agreement.
    Chnri(crate::rating::ChnriDetails),
    /// `jla-positions`: the rank of each item within each group (`None` for an empty group).
    JlaPositions {
        /// `group_ranks[group][item]`.
        group_ranks: Vec<Option<Vec<usize>>>,
    },
}

impl Outcome {
    /// An outcome whose ranks follow from its scores (see [`competition_ranks`]).
    pub fn from_scores(scores: Vec<f64>, details: Details) -> Self {
        let ranks = competition_ranks(&scores);
        Outcome {
            scores,
            ranks,
            details,
        }
    }

    /// The number of items.
    pub fn item_count(&self) -> usize {
        self.scores.len()
    }

    /// The items in rank order; tied items by item index.
    ///
    /// Complexity: O(m log m).
    pub fn order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.ranks.len()).collect();
        order.sort_by_key(|&item| (self.ranks[item], item));
        order
    }

    /// The items whose rank is at most `k`, in rank order. Items tied at the boundary are all
    /// included, so there may be more than `k`.
    pub fn top(&self, k: usize) -> Vec<usize> {
        self.order()
            .into_iter()
            .filter(|&item| self.ranks[item] <= k)
            .collect()
    }
}

/// Standard competition ranks of `scores`, higher scores first: tied scores share the best rank
/// of their run and the next rank skips (scores 5, 3, 3, 1 give ranks 1, 2, 2, 4).
///
/// Scores are tied when [`tolerance::scores_tied`] says so, chained along the sorted order (a run
/// of scores each within tolerance of the next is one tie). NaN scores rank last, tied.
///
/// Complexity: O(m log m).
pub fn competition_ranks(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&first, &second| {
        let (a, b) = (scores[first], scores[second]);
        match (a.is_nan(), b.is_nan()) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Greater,
            (false, true) => std::cmp::Ordering::Less,
            (false, false) => b.partial_cmp(&a).unwrap_or(std::cmp::Ordering::Equal),
        }
        .then(first.cmp(&second))
    });
    let mut ranks = vec![0; scores.len()];
    for (position, &item) in order.iter().enumerate() {
        let tied_with_previous = position > 0 && {
            let previous = scores[order[position - 1]];
            let current = scores[item];
            (previous.is_nan() && current.is_nan()) || tolerance::scores_tied(previous, current)
        };
        ranks[item] = if tied_with_previous {
            ranks[order[position - 1]]
        } else {
            position + 1
        };
    }
    ranks
}

/// Position points for a ranking, as in `jla-positions`: an item at competition rank r in a tie
/// of t items occupies positions r..r+t-1 and scores the mean of (m + 1 - p) over them, so first
/// place alone scores m and the last m-th place 1.
///
/// Complexity: O(m).
pub fn position_points(ranks: &[usize]) -> Vec<f64> {
    let item_count = ranks.len();
    let mut tie_sizes = vec![0usize; item_count + 2];
    for &rank in ranks {
        tie_sizes[rank] += 1;
    }
    ranks
        .iter()
        .map(|&rank| {
            let first = rank as f64;
            let last = (rank + tie_sizes[rank] - 1) as f64;
            item_count as f64 + 1.0 - (first + last) / 2.0
        })
        .collect()
}

/// Mid-ranks (ties averaged) of `values`, smallest value first: values 10, 20, 20, 30 give
/// 1, 2.5, 2.5, 4. Exact equality decides ties.
///
/// Complexity: O(m log m).
pub fn mid_ranks_ascending(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut mid = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        let rank = (start + 1 + end) as f64 / 2.0;
        for &item in &order[start..end] {
            mid[item] = rank;
        }
        start = end;
    }
    mid
}

#[cfg(test)]
mod tests;
