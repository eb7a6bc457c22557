//! The pairwise margin matrix N\[a\]\[b\] = Σ w_r over ballots that put a strictly above b
//! (METHODS.md, "Pairwise majority methods"): ranked beats unranked; tied, or both unranked,
//! counts for neither. For pairwise ballots, N\[a\]\[b\] = Σ w_r over the respondent's choices of
//! a over b: a respondent who chose a over b twice counts twice, and "can't decide" (never
//! stored as a choice) counts for neither.
//!
//! Counts are accumulated exactly, in 64-bit integers per group, and weighted once at the end,
//! so the result does not depend on ballot order or thread count. Per ballot the work is
//! O(k²/2) for k ranked items rather than O(m²): every ranked item first "beats everything"
//! through a per-row bonus, and the items at or above its own tie block are taken back.

use rayon::prelude::*;

use crate::profile::{PairwiseProfile, RankingProfile, entry_item, sizes_from_counts};

/// Why a margin matrix could not be made from given values.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MarginError {
    /// The matrix is not square or has no items.
    #[error(
        "margin matrix must be square with at least one item, got {rows} rows of lengths {lengths:?}"
    )]
    NotSquare {
        /// Number of rows given.
        rows: usize,
        /// Length of each row.
        lengths: Vec<usize>,
    },
    /// A value is negative, infinite or NaN.
    #[error("margin N[{a}][{b}] = {value} is not a finite non-negative number")]
    BadValue {
        /// Row item.
        a: usize,
        /// Column item.
        b: usize,
        /// The value given.
        value: f64,
    },
}

/// A weighted pairwise margin matrix over m items.
#[derive(Debug, Clone, PartialEq)]
pub struct MarginMatrix {
    item_count: usize,
    values: Vec<f64>,
    total_weight: f64,
}

impl MarginMatrix {
    /// A margin matrix from rows, `rows[a][b]` = N\[a\]\[b\]; the diagonal is ignored and set to 0.
    /// The total weight (used only to scale tie tolerances) is the largest N\[a\]\[b\] + N\[b\]\[a\].
    ///
    /// # Errors
    /// [`MarginError::NotSquare`] or [`MarginError::BadValue`].
    pub fn from_rows(rows: &[Vec<f64>]) -> Result<Self, MarginError> {
        let item_count = rows.len();
        if item_count == 0 || rows.iter().any(|row| row.len() != item_count) {
            return Err(MarginError::NotSquare {
                rows: item_count,
                lengths: rows.iter().map(Vec::len).collect(),
            });
        }
        let mut values = vec![0.0; item_count * item_count];
        let mut total_weight: f64 = 0.0;
        for (a, row) in rows.iter().enumerate() {
            for (b, &value) in row.iter().enumerate() {
                if a == b {
                    continue;
                }
                if !value.is_finite() || value < 0.0 {
                    return Err(MarginError::BadValue { a, b, value });
                }
                values[a * item_count + b] = value;
                total_weight = total_weight.max(value + rows[b][a]);
            }
        }
        Ok(MarginMatrix {
            item_count,
            values,
            total_weight,
        })
    }

    /// The margin matrix of a ranking profile, each respondent of group g weighing
    /// `group_weights[g]`.
    ///
    /// Complexity: O(Σ_r k_r² + g · m²) for ballots ranking k_r items, in parallel over ballots.
    ///
    /// # Panics
    /// If `group_weights` does not have one weight per group.
    pub fn from_profile(profile: &RankingProfile, group_weights: &[f64]) -> Self {
        GroupMargins::tally(profile, profile.multiplicities()).combine(group_weights)
    }

    /// The margin matrix of a pairwise profile, N\[a\]\[b\] = Σ w_r over the respondent's choices
    /// of a over b, each respondent of group g weighing `group_weights[g]`.
    ///
    /// Complexity: O(total choices + g · m²).
    ///
    /// # Panics
    /// If `group_weights` does not have one weight per group.
    pub fn from_pairwise(profile: &PairwiseProfile, group_weights: &[f64]) -> Self {
        GroupMargins::tally_pairwise(profile, profile.multiplicities()).combine(group_weights)
    }

    /// The number of items.
    pub fn item_count(&self) -> usize {
        self.item_count
    }

    /// N\[a\]\[b\]: the weight of ballots putting a strictly above b.
    ///
    /// # Panics
    /// If an index is out of range.
    #[inline]
    pub fn get(&self, a: usize, b: usize) -> f64 {
        self.values[a * self.item_count + b]
    }

    /// The total weight of the ballots, or of the choices for pairwise ballots (the scale for tie
    /// tolerances).
    pub fn total_weight(&self) -> f64 {
        self.total_weight
    }

    /// Whether a beats b: N\[a\]\[b\] > N\[b\]\[a\] beyond the tie tolerance.
    #[inline]
    pub fn beats(&self, a: usize, b: usize) -> bool {
        crate::tolerance::margin_greater(self.get(a, b), self.get(b, a), self.total_weight)
    }

    /// The Condorcet winner, if one item beats every other.
    ///
    /// Complexity: O(m²).
    pub fn condorcet_winner(&self) -> Option<usize> {
        (0..self.item_count).find(|&a| (0..self.item_count).all(|b| a == b || self.beats(a, b)))
    }
}

/// Exact per-group integer margin counts, before weighting.
#[derive(Debug, Clone)]
pub(crate) struct GroupMargins {
    item_count: usize,
    group_count: usize,
    /// `counts[(group * m + a) * m + b]`, without the row bonus.
    counts: Vec<i64>,
    /// `bonus[group * m + a]`: added to every off-diagonal entry of row a.
    bonus: Vec<i64>,
    /// Per group, the most a group's respondent count can add to N\[a\]\[b\] + N\[b\]\[a\]: its
    /// respondents for rankings, its choices for pairwise ballots (a respondent may choose
    /// between the same two items more than once). Weighted, it scales the tie tolerance.
    group_scales: Vec<u64>,
}

/// Below this many ballot records the tally runs on one thread.
const PARALLEL_MIN_BALLOTS: usize = 8192;

impl GroupMargins {
    /// Tallies the profile with `counts[record]` as each record's multiplicity.
    pub(crate) fn tally(profile: &RankingProfile, counts: &[u32]) -> Self {
        let item_count = profile.item_count();
        let group_count = profile.group_count();
        let ballot_count = profile.ballot_count();
        let tally_range = |range: std::ops::Range<usize>| {
            let mut counts_matrix = vec![0i64; group_count * item_count * item_count];
            let mut bonus = vec![0i64; group_count * item_count];
            for index in range {
                let count = i64::from(counts[index]);
                if count == 0 {
                    continue;
                }
                let ballot = profile.ballot(index);
                let entries = ballot.entries();
                let group_base = ballot.group * item_count;
                ballot.for_each_block(|start, block| {
                    let end = start + block.len();
                    for &entry in block {
                        let a = entry_item(entry);
                        bonus[group_base + a] += count;
                        let row_start = (group_base + a) * item_count;
                        let row = &mut counts_matrix[row_start..row_start + item_count];
                        for &above in &entries[..end] {
                            row[entry_item(above)] -= count;
                        }
                    }
                });
            }
            (counts_matrix, bonus)
        };
        let (counts_matrix, bonus) = if ballot_count < PARALLEL_MIN_BALLOTS {
            tally_range(0..ballot_count)
        } else {
            let chunk_count = rayon::current_num_threads() * 4;
            let chunk = ballot_count.div_ceil(chunk_count);
            (0..chunk_count)
                .into_par_iter()
                .map(|chunk_index| {
                    let start = (chunk_index * chunk).min(ballot_count);
                    let end = ((chunk_index + 1) * chunk).min(ballot_count);
                    tally_range(start..end)
                })
                .reduce_with(
                    |(mut left_counts, mut left_bonus), (right_counts, right_bonus)| {
                        for (left, right) in left_counts.iter_mut().zip(right_counts) {
                            *left += right;
                        }
                        for (left, right) in left_bonus.iter_mut().zip(right_bonus) {
                            *left += right;
                        }
                        (left_counts, left_bonus)
                    },
                )
                .unwrap_or_else(|| tally_range(0..0))
        };
        GroupMargins {
            item_count,
            group_count,
            counts: counts_matrix,
            bonus,
            group_scales: sizes_from_counts(profile.groups(), counts, group_count),
        }
    }

    /// Tallies pairwise ballots with `counts[record]` as each record's multiplicity: each choice
    /// of a over b adds the record's count to group g's count of a over b.
    ///
    /// Complexity: O(total choices + g · m²); a pairwise round has far fewer choices than a
    /// ranking round has implied pairs, so this runs on one thread.
    pub(crate) fn tally_pairwise(profile: &PairwiseProfile, counts: &[u32]) -> Self {
        let item_count = profile.item_count();
        let group_count = profile.group_count();
        let mut counts_matrix = vec![0i64; group_count * item_count * item_count];
        let mut group_scales = vec![0u64; group_count];
        for (record, (&count, &group)) in counts.iter().zip(profile.groups()).enumerate() {
            if count == 0 {
                continue;
            }
            let group = group as usize;
            let group_base = group * item_count;
            for (winner, loser) in profile.choices(record) {
                counts_matrix[(group_base + winner) * item_count + loser] += i64::from(count);
                group_scales[group] += u64::from(count);
            }
        }
        GroupMargins {
            item_count,
            group_count,
            counts: counts_matrix,
            bonus: vec![0; group_count * item_count],
            group_scales,
        }
    }

    /// The exact count of group `group`'s respondents putting a strictly above b.
    #[inline]
    pub(crate) fn group_count_of(&self, group: usize, a: usize, b: usize) -> i64 {
        if a == b {
            return 0;
        }
        let m = self.item_count;
        self.counts[(group * m + a) * m + b] + self.bonus[group * m + a]
    }

    /// Weighted margins: N\[a\]\[b\] = Σ_g group_weights\[g\] · count_g\[a\]\[b\].
    pub(crate) fn combine(&self, group_weights: &[f64]) -> MarginMatrix {
        assert_eq!(group_weights.len(), self.group_count);
        let m = self.item_count;
        let mut values = vec![0.0; m * m];
        let mut total_weight = 0.0;
        for (group, &weight) in group_weights.iter().enumerate() {
            if weight == 0.0 || self.group_scales[group] == 0 {
                continue;
            }
            total_weight += weight * self.group_scales[group] as f64;
            for a in 0..m {
                for b in 0..m {
                    if a != b {
                        values[a * m + b] += weight * self.group_count_of(group, a, b) as f64;
                    }
                }
            }
        }
        MarginMatrix {
            item_count: m,
            values,
            total_weight,
        }
    }
}

#[cfg(test)]
mod tests;
