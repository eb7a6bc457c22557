use std::collections::{BTreeMap, BTreeSet, HashSet};

use proptest::prelude::*;

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

/// The two ids of a pair, smaller first.
fn ordered_ids<'a>(one: &'a str, other: &'a str) -> (&'a str, &'a str) {
    if one <= other {
        (one, other)
    } else {
        (other, one)
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
    let (first, second) = ordered_ids(&choice.winner, &choice.loser);
    (first.to_string(), second.to_string())
}

/// The rule as it was first written: every unjudged pair listed, the least seen kept, one
/// drawn. O(n²); the counting rule must choose exactly the same pair.
fn next_pair_by_listing(
    items: &[&Slug],
    choices: &[PairChoice],
    respondent: &str,
    skipped: u32,
) -> Option<[Slug; 2]> {
    let mut seen_pairs = HashSet::new();
    let mut appearances: BTreeMap<&str, usize> = BTreeMap::new();
    for choice in choices {
        let (first, second) = ordered_ids(choice.winner.as_str(), choice.loser.as_str());
        seen_pairs.insert((first, second));
        *appearances.entry(choice.winner.as_str()).or_default() += 1;
        *appearances.entry(choice.loser.as_str()).or_default() += 1;
    }
    let mut candidates = Vec::new();
    let mut fewest = usize::MAX;
    for (index, first) in items.iter().enumerate() {
        for second in &items[index + 1..] {
            if seen_pairs.contains(&ordered_ids(first.as_str(), second.as_str())) {
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
    if candidates.is_empty() {
        return None;
    }
    let seed: [u8; 32] = Sha256::new()
        .chain_update(respondent.as_bytes())
        .chain_update((choices.len() as u64).to_le_bytes())
        .finalize()
        .into();
    let mut generator = rand_chacha::ChaCha8Rng::from_seed(seed);
    let start = rand::Rng::random_range(&mut generator, 0..candidates.len());
    let mut pair = candidates.swap_remove((start + skipped as usize) % candidates.len());
    if rand::Rng::random_bool(&mut generator, 0.5) {
        pair.swap(0, 1);
    }
    Some(pair)
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
        let (first, second) = ordered_ids(pair[0].as_str(), pair[1].as_str());
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

/// `count` items named `i0000`, `i0001`, …
fn numbered(count: usize) -> Vec<Slug> {
    (0..count)
        .map(|index| Slug::new(&format!("i{index:04}")).unwrap())
        .collect()
}

#[test]
fn a_large_round_with_many_judged_pairs_gets_an_unjudged_least_seen_pair() {
    // 3,000 items and the most choices an answer may hold, all among the first 60 items, so
    // those are seen often and the other 2,940 never: the next pair is two unseen items.
    let owned = numbered(3000);
    let items: Vec<&Slug> = owned.iter().collect();
    let choices: Vec<PairChoice> = (0..60)
        .flat_map(|first| (first + 1..60).map(move |second| (first, second)))
        .take(crate::definition::MAX_CHOICES)
        .map(|(first, second)| choice(&owned[first], &owned[second]))
        .collect();
    assert_eq!(choices.len(), crate::definition::MAX_CHOICES);
    for skipped in 0..5 {
        let [first, second] = next_pair(&items, &choices, None, "r1", skipped).unwrap();
        assert!(first.as_str() >= "i0060" && second.as_str() >= "i0060");
        assert_ne!(first, second);
    }
}

#[test]
fn when_only_seen_items_are_left_the_unjudged_pair_is_found() {
    // Every pair of 45 items judged but one: that one is the only candidate.
    let owned = numbered(45);
    let items: Vec<&Slug> = owned.iter().collect();
    let choices: Vec<PairChoice> = (0..45)
        .flat_map(|first| (first + 1..45).map(move |second| (first, second)))
        .filter(|&pair| pair != (7, 31))
        .map(|(first, second)| choice(&owned[second], &owned[first]))
        .collect();
    let [first, second] = next_pair(&items, &choices, None, "r9", 3).unwrap();
    let mut found = [first.to_string(), second.to_string()];
    found.sort();
    assert_eq!(found, ["i0007", "i0031"]);
    let mut all = choices;
    all.push(choice(&owned[7], &owned[31]));
    assert_eq!(next_pair(&items, &all, None, "r9", 0), None);
}

proptest! {
    /// The counting rule proposes exactly what listing every pair proposed, whatever has been
    /// judged (including choices naming ids outside the round and repeated pairs).
    #[test]
    fn counting_chooses_what_listing_chose(
        item_count in 0usize..12,
        judged in proptest::collection::vec((0usize..14, 0usize..14), 0..40),
        respondent in "[a-z0-9]{1,8}",
        skipped in 0u32..50,
    ) {
        let owned = numbered(14);
        let items: Vec<&Slug> = owned[..item_count].iter().collect();
        let choices: Vec<PairChoice> = judged
            .iter()
            .filter(|(winner, loser)| winner != loser)
            .map(|&(winner, loser)| choice(&owned[winner], &owned[loser]))
            .collect();
        prop_assert_eq!(
            next_pair(&items, &choices, None, &respondent, skipped),
            next_pair_by_listing(&items, &choices, &respondent, skipped)
        );
    }
}
