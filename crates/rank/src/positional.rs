//! Positional scores of ranking ballots: `borda`, `points`, `dowdall`, `count` (METHODS.md,
//! "Positional scores"), and `count` of pick ballots.
//!
//! Score = Σ_r w_r · points_r(item). Tallies are kept per group (sums of multiplicity × points)
//! so that any group weighting is applied afterwards in O(g · m).

use crate::profile::{PickProfile, RankingProfile, entry_item};

/// Which positional rule scores a position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PositionalRule {
    /// Averaged Borda: position p scores m − p; a tie block spanning positions p..q scores the
    /// mean of m − p .. m − q; the m − k unranked items of a ballot ranking k share
    /// (m − k − 1) / 2 (Borda 1781; METHODS.md).
    Borda,
    /// James Lind Alliance "choose and rank k": position p scores max(0, k + 1 − p); unranked
    /// items 0; ties share the mean of their positions' points.
    Points {
        /// The number of ranked places the round asked for.
        k: usize,
    },
    /// Dowdall: position p scores 1 / p; unranked 0; ties share the mean.
    Dowdall,
    /// Count: 1 for every ballot that ranks the item (JLA "choose k").
    Count,
}

impl PositionalRule {
    /// The mean points of the 1-based positions `first..=last` for `item_count` items.
    fn block_points(self, item_count: usize, first: usize, last: usize) -> f64 {
        let span = (last - first + 1) as f64;
        match self {
            PositionalRule::Borda => item_count as f64 - (first + last) as f64 / 2.0,
            PositionalRule::Points { k } => {
                (first..=last)
                    .map(|position| (k + 1).saturating_sub(position) as f64)
                    .sum::<f64>()
                    / span
            }
            PositionalRule::Dowdall => {
                (first..=last)
                    .map(|position| 1.0 / position as f64)
                    .sum::<f64>()
                    / span
            }
            PositionalRule::Count => 1.0,
        }
    }

    /// The points every unranked item of a ballot ranking `ranked` of `item_count` items gets.
    fn unranked_points(self, item_count: usize, ranked: usize) -> f64 {
        match self {
            PositionalRule::Borda => (item_count - ranked).saturating_sub(1) as f64 / 2.0,
            _ => 0.0,
        }
    }
}

/// Per-group positional tallies: `tallies[group * m + item]` = Σ over the group's records of
/// `counts[record]` × points.
///
/// `counts` gives each record's multiplicity (the profile's own, or a bootstrap resample's).
///
/// Complexity: O(total ranked entries + g · m).
pub(crate) fn ranking_tallies(
    profile: &RankingProfile,
    counts: &[u32],
    rule: PositionalRule,
) -> Vec<f64> {
    let item_count = profile.item_count();
    let group_count = profile.group_count();
    let mut tallies = vec![0.0; group_count * item_count];
    // Points that every item of a group gets from the unranked share, corrected below for the
    // items a ballot does rank; this keeps the work per ballot proportional to its length.
    let mut everyone = vec![0.0; group_count];
    for (index, ballot) in profile.ballots().enumerate() {
        let count = counts[index];
        if count == 0 {
            continue;
        }
        let weight = f64::from(count);
        let unranked = rule.unranked_points(item_count, ballot.ranked_count());
        everyone[ballot.group] += weight * unranked;
        let row = &mut tallies[ballot.group * item_count..(ballot.group + 1) * item_count];
        ballot.for_each_block(|start, block| {
            let points = rule.block_points(item_count, start + 1, start + block.len());
            for &entry in block {
                row[entry_item(entry)] += weight * (points - unranked);
            }
        });
    }
    for (group, &share) in everyone.iter().enumerate() {
        if share != 0.0 {
            for tally in &mut tallies[group * item_count..(group + 1) * item_count] {
                *tally += share;
            }
        }
    }
    tallies
}

/// Per-group pick counts: `tallies[group * m + item]` = Σ counts of the group's records that
/// pick the item.
///
/// Complexity: O(total picks + g · m).
pub(crate) fn pick_tallies(profile: &PickProfile, counts: &[u32]) -> Vec<f64> {
    let item_count = profile.item_count();
    let mut tallies = vec![0.0; profile.group_count() * item_count];
    for (ballot, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let group = profile.groups()[ballot] as usize;
        for item in profile.picked(ballot) {
            tallies[group * item_count + item] += f64::from(count);
        }
    }
    tallies
}

/// Σ_g group_weights\[g\] · tallies\[g\]\[item\] for every item.
///
/// Complexity: O(g · m).
pub(crate) fn combine_groups(
    tallies: &[f64],
    group_weights: &[f64],
    item_count: usize,
) -> Vec<f64> {
    let mut scores = vec![0.0; item_count];
    for (group, &weight) in group_weights.iter().enumerate() {
        if weight == 0.0 {
            continue;
        }
        for (score, &tally) in scores
            .iter_mut()
            .zip(&tallies[group * item_count..(group + 1) * item_count])
        {
            *score += weight * tally;
        }
    }
    scores
}

/// Positional scores of a ranking profile under `rule`, each respondent of group g weighing
/// `group_weights[g]` (METHODS.md, "Positional scores").
///
/// Complexity: O(total ranked entries + g · m).
///
/// # Panics
/// If `group_weights` does not have one weight per group.
pub fn positional_scores(
    profile: &RankingProfile,
    rule: PositionalRule,
    group_weights: &[f64],
) -> Vec<f64> {
    assert_eq!(group_weights.len(), profile.group_count());
    let tallies = ranking_tallies(profile, profile.multiplicities(), rule);
    combine_groups(&tallies, group_weights, profile.item_count())
}

#[cfg(test)]
mod tests;
