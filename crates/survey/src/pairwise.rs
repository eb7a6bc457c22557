//! The rule choosing the next pair to show a respondent in a pairwise round.
//!
//! The candidates are never listed: a round of n items has n(n−1)/2 pairs (4.5 million for
//! 3,000 items), so the rule counts the candidates of each item and walks to the chosen one,
//! in O(n log n + c) time and O(n + c) memory for c choices. The tests in `pairwise/tests.rs`
//! check it against the plain enumeration it replaces.

use std::ops::ControlFlow;

use rand::SeedableRng;
use rustc_hash::{FxHashMap, FxHashSet};
use sha2::{Digest, Sha256};

use crate::answer::PairChoice;
use crate::slug::Slug;

/// The next pair for a respondent who has made `choices` among a round's `items` (distinct
/// ids, as a definition guarantees).
///
/// The pair is one not yet judged (in either order), chosen among the pairs whose two items
/// the respondent has seen least so far (fewest appearances in `choices`, summed over the two
/// items). Among those candidates, listed in the order of `items` (by first item, then second),
/// the first proposal is drawn at random with a generator seeded by the SHA-256 of `respondent`
/// and the number of choices made, so the same request always gives the same pair; after
/// `skipped` skips ("I can't decide") the candidate `skipped` places further on is proposed,
/// wrapping round, so a skipped pair comes back only after every other candidate. Which item
/// comes first is random too, so that position does not bias choices.
///
/// Returns `None` when every pair is judged or `max_choices` choices have been made.
///
/// Complexity: O(n log n + c) time and O(n + c) space for n items and c choices. The
/// candidates are counted per item rather than listed, so no structure of n² pairs is built.
pub fn next_pair(
    items: &[&Slug],
    choices: &[PairChoice],
    max_choices: Option<u32>,
    respondent: &str,
    skipped: u32,
) -> Option<[Slug; 2]> {
    let answered = choices.len();
    if max_choices.is_some_and(|max| answered >= max as usize) {
        return None;
    }
    let progress = Progress::new(items, choices);
    let candidates = progress.least_seen()?;
    let seed: [u8; 32] = Sha256::new()
        .chain_update(respondent.as_bytes())
        .chain_update((answered as u64).to_le_bytes())
        .finalize()
        .into();
    let mut generator = rand_chacha::ChaCha8Rng::from_seed(seed);
    // The first proposal is at random; each skip moves on to the next candidate, so a skipped
    // pair comes back only after every other candidate has been offered.
    let start = rand::Rng::random_range(&mut generator, 0..candidates.total);
    let index = (start + skipped as usize) % candidates.total;
    let (first, second) = progress.candidate_at(&candidates, index);
    let mut pair = [items[first].clone(), items[second].clone()];
    // Which item is shown first is random too, so that position does not bias choices.
    if rand::Rng::random_bool(&mut generator, 0.5) {
        pair.swap(0, 1);
    }
    Some(pair)
}

/// What a respondent has done so far, by item position in the round.
struct Progress {
    /// How often each item has appeared in the choices.
    appearances: Vec<usize>,
    /// The pairs judged, as positions, smaller first.
    judged: FxHashSet<(usize, usize)>,
}

/// The candidates: the unjudged pairs of least summed appearances, counted per first item.
struct Candidates {
    /// The summed appearances of every candidate, the least of any unjudged pair.
    weight: usize,
    /// For each position, how many candidates have it as their first (smaller) position.
    per_first: Vec<usize>,
    /// How many candidates there are (at least one).
    total: usize,
}

impl Progress {
    /// Counts appearances and judged pairs; choices naming ids outside `items` count only for
    /// the items they do name.
    fn new(items: &[&Slug], choices: &[PairChoice]) -> Progress {
        let position: FxHashMap<&str, usize> = items
            .iter()
            .enumerate()
            .map(|(index, item)| (item.as_str(), index))
            .collect();
        let mut appearances = vec![0; items.len()];
        let mut judged = FxHashSet::default();
        for choice in choices {
            let winner = position.get(choice.winner.as_str()).copied();
            let loser = position.get(choice.loser.as_str()).copied();
            for index in [winner, loser].into_iter().flatten() {
                appearances[index] += 1;
            }
            if let (Some(winner), Some(loser)) = (winner, loser)
                && winner != loser
            {
                judged.insert(ordered(winner, loser));
            }
        }
        Progress {
            appearances,
            judged,
        }
    }

    fn is_judged(&self, one: usize, other: usize) -> bool {
        self.judged.contains(&ordered(one, other))
    }

    /// The least summed appearances of an unjudged pair, and the candidates of that weight
    /// counted per first position; `None` when every pair is judged.
    fn least_seen(&self) -> Option<Candidates> {
        let weight = self.least_weight()?;
        let count = self.appearances.len();
        // `later[v]`: how many positions after the current one have `v` appearances.
        let most = self.appearances.iter().copied().max().unwrap_or(0);
        let mut later = vec![0usize; most + 1];
        let mut per_first = vec![0usize; count];
        for first in (0..count).rev() {
            let own = self.appearances[first];
            if let Some(wanted) = weight.checked_sub(own)
                && wanted <= most
            {
                per_first[first] = later[wanted];
            }
            later[own] += 1;
        }
        for &(first, second) in &self.judged {
            if self.appearances[first] + self.appearances[second] == weight {
                per_first[first] -= 1;
            }
        }
        let total = per_first.iter().sum();
        Some(Candidates {
            weight,
            per_first,
            total,
        })
    }

    /// The least summed appearances of an unjudged pair. Each item is matched with the least
    /// seen item it has not been judged against: walking the items from least seen, it skips
    /// at most its own judged partners and itself, so the walk is O(n + c) after the sort.
    fn least_weight(&self) -> Option<usize> {
        let mut by_appearances: Vec<usize> = (0..self.appearances.len()).collect();
        by_appearances.sort_unstable_by_key(|&index| (self.appearances[index], index));
        let mut least: Option<usize> = None;
        for &item in &by_appearances {
            let partner = by_appearances
                .iter()
                .find(|&&other| other != item && !self.is_judged(item, other));
            if let Some(&partner) = partner {
                let weight = self.appearances[item] + self.appearances[partner];
                least = Some(least.map_or(weight, |least| least.min(weight)));
            }
        }
        least
    }

    /// The positions of the candidate at `index` in the order of the items (by first
    /// position, then second); `index` is below `candidates.total`.
    fn candidate_at(&self, candidates: &Candidates, index: usize) -> (usize, usize) {
        let found =
            candidates
                .per_first
                .iter()
                .enumerate()
                .try_fold(index, |left, (first, &count)| {
                    if left < count {
                        ControlFlow::Break((first, left))
                    } else {
                        ControlFlow::Continue(left - count)
                    }
                });
        let ControlFlow::Break((first, offset)) = found else {
            unreachable!("the index is below the number of candidates");
        };
        let wanted = candidates.weight - self.appearances[first];
        let second = (first + 1..self.appearances.len())
            .filter(|&second| self.appearances[second] == wanted && !self.is_judged(first, second))
            .nth(offset)
            .expect("the first position has more candidates than the offset");
        (first, second)
    }
}

/// The two positions of a pair, smaller first, so that a pair is the same in either order.
fn ordered(one: usize, other: usize) -> (usize, usize) {
    if one <= other {
        (one, other)
    } else {
        (other, one)
    }
}

#[cfg(test)]
mod tests;
