//! The rule choosing the next pair to show a respondent in a pairwise round.

use std::collections::{BTreeMap, HashSet};

use rand::SeedableRng;
use sha2::{Digest, Sha256};

use crate::answer::PairChoice;
use crate::slug::Slug;

/// The next pair for a respondent who has made `choices` among a round's `items`.
///
/// The pair is one not yet judged (in either order), chosen among the pairs whose two items
/// the respondent has seen least so far (fewest appearances in `choices`, summed over the two
/// items). Among those candidates, listed in the order of `items`, the first proposal is drawn
/// at random with a generator seeded by the SHA-256 of `respondent` and the number of choices
/// made, so the same request always gives the same pair; after `skipped` skips ("I can't
/// decide") the candidate `skipped` places further on is proposed, wrapping round, so a skipped
/// pair comes back only after every other candidate. Which item comes first is random too, so
/// that position does not bias choices.
///
/// Returns `None` when every pair is judged or `max_choices` choices have been made.
///
/// Complexity: O(n² + c) time and O(n² + c) space for n items and c choices, since every
/// unordered pair of items is considered once.
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
    let mut candidates = least_seen_pairs(items, choices);
    if candidates.is_empty() {
        return None;
    }
    let seed: [u8; 32] = Sha256::new()
        .chain_update(respondent.as_bytes())
        .chain_update((answered as u64).to_le_bytes())
        .finalize()
        .into();
    let mut generator = rand_chacha::ChaCha8Rng::from_seed(seed);
    // The first proposal is at random; each skip moves on to the next candidate, so a skipped
    // pair comes back only after every other candidate has been offered.
    let start = rand::Rng::random_range(&mut generator, 0..candidates.len());
    let index = (start + skipped as usize) % candidates.len();
    let mut pair = candidates.swap_remove(index);
    // Which item is shown first is random too, so that position does not bias choices.
    if rand::Rng::random_bool(&mut generator, 0.5) {
        pair.swap(0, 1);
    }
    Some(pair)
}

/// The pairs of `items` not yet judged in `choices` whose items appear least in `choices`, in
/// the order of `items`.
fn least_seen_pairs(items: &[&Slug], choices: &[PairChoice]) -> Vec<[Slug; 2]> {
    let mut seen_pairs = HashSet::new();
    let mut appearances: BTreeMap<&str, usize> = BTreeMap::new();
    for choice in choices {
        let (first, second) = ordered(choice.winner.as_str(), choice.loser.as_str());
        seen_pairs.insert((first, second));
        *appearances.entry(first).or_default() += 1;
        *appearances.entry(second).or_default() += 1;
    }
    let mut candidates = Vec::new();
    let mut fewest = usize::MAX;
    for (index, first) in items.iter().enumerate() {
        for second in &items[index + 1..] {
            if seen_pairs.contains(&ordered(first.as_str(), second.as_str())) {
                continue;
            }
            let weight = appearances.get(first.as_str()).copied().unwrap_or(0)
                + appearances.get(second.as_str()).copied().unwrap_or(0);
            if weight < fewest {
                fewest = weight;
                candidates.clear();
            }
            if weight == fewest {
                candidates.push([(*first).clone(), (*second).clone()]);
            }
        }
    }
    candidates
}

/// The two ids of a pair, smaller first, so that a pair is the same in either order.
fn ordered<'a>(one: &'a str, other: &'a str) -> (&'a str, &'a str) {
    if one <= other {
        (one, other)
    } else {
        (other, one)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn slugs(ids: &[&str]) -> Vec<Slug> {
        ids.iter().map(|id| Slug::new(id).unwrap()).collect()
    }

    fn choice(winner: &Slug, loser: &Slug) -> PairChoice {
        PairChoice {
            winner: winner.to_string(),
            loser: loser.to_string(),
        }
    }

    /// Answers every proposal with its first item winning until `next_pair` says stop.
    fn answer_all(items: &[&Slug], max_choices: Option<u32>) -> Vec<PairChoice> {
        let mut choices = Vec::new();
        while let Some([first, second]) = next_pair(items, &choices, max_choices, "r1", 0) {
            choices.push(choice(&first, &second));
            assert!(choices.len() <= 100, "next_pair never stops");
        }
        choices
    }

    fn unordered(choice: &PairChoice) -> (String, String) {
        let (first, second) = ordered(&choice.winner, &choice.loser);
        (first.to_string(), second.to_string())
    }

    #[test]
    fn every_pair_is_proposed_once_and_then_none() {
        let owned = slugs(&["a", "b", "c", "d", "e"]);
        let items: Vec<&Slug> = owned.iter().collect();
        let choices = answer_all(&items, None);
        let pairs: BTreeSet<_> = choices.iter().map(unordered).collect();
        assert_eq!(choices.len(), 10);
        assert_eq!(pairs.len(), 10, "a pair was proposed twice");
        for choice in &choices {
            assert_ne!(choice.winner, choice.loser);
        }
    }

    #[test]
    fn proposals_stop_at_max_choices() {
        let owned = slugs(&["a", "b", "c", "d"]);
        let items: Vec<&Slug> = owned.iter().collect();
        assert_eq!(answer_all(&items, Some(4)).len(), 4);
        assert_eq!(answer_all(&items, Some(0)).len(), 0);
    }

    #[test]
    fn items_seen_least_come_first() {
        let owned = slugs(&["a", "b", "c", "d"]);
        let items: Vec<&Slug> = owned.iter().collect();
        let choices = answer_all(&items, Some(2));
        let covered: BTreeSet<&str> = choices
            .iter()
            .flat_map(|choice| [choice.winner.as_str(), choice.loser.as_str()])
            .collect();
        assert_eq!(covered.len(), 4, "the first two pairs cover all four items");
    }

    #[test]
    fn the_same_request_gives_the_same_pair_and_a_skip_another() {
        let owned = slugs(&["a", "b", "c", "d"]);
        let items: Vec<&Slug> = owned.iter().collect();
        let first = next_pair(&items, &[], None, "r1", 0).unwrap();
        assert_eq!(next_pair(&items, &[], None, "r1", 0).unwrap(), first);
        let skipped = next_pair(&items, &[], None, "r1", 1).unwrap();
        let key = |pair: &[Slug; 2]| {
            let (first, second) = ordered(pair[0].as_str(), pair[1].as_str());
            (first.to_string(), second.to_string())
        };
        assert_ne!(key(&skipped), key(&first));
        // Six candidates at the start: six skips come back to the first proposal.
        let around = next_pair(&items, &[], None, "r1", 6).unwrap();
        assert_eq!(key(&around), key(&first));
    }

    #[test]
    fn fewer_than_two_items_give_no_pair() {
        let owned = slugs(&["a"]);
        let items: Vec<&Slug> = owned.iter().collect();
        assert_eq!(next_pair(&items, &[], None, "r1", 0), None);
        assert_eq!(next_pair(&[], &[], None, "r1", 0), None);
    }

    #[test]
    fn the_seeded_draw_stays_the_same() {
        // Respondents part-way through a round must keep being offered the pairs they were
        // offered before: the seed (SHA-256 of the respondent and their progress, ChaCha8) is
        // part of the rule. These are the pairs the service has always proposed.
        let owned = slugs(&["a", "b", "c", "d"]);
        let items: Vec<&Slug> = owned.iter().collect();
        let proposals: Vec<String> = (0..3)
            .map(|skipped| {
                let [first, second] = next_pair(&items, &[], None, "r1", skipped).unwrap();
                format!("{first}-{second}")
            })
            .collect();
        assert_eq!(proposals, ["c-d", "a-b", "a-c"]);
    }
}
