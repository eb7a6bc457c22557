//! Helpers shared by the unit tests.

use proptest::prelude::*;

use crate::profile::{RankingProfile, RankingProfileBuilder};

/// A ranking profile from ballots written with letters: `"A(BC)D"` ranks A first, B and C tied
/// second, D fourth; absent letters are unranked. Each entry is (group, multiplicity, ballot).
pub fn letters(
    item_count: usize,
    group_count: usize,
    ballots: &[(usize, u32, &str)],
) -> RankingProfile {
    let mut builder = RankingProfileBuilder::new(item_count, group_count).unwrap();
    for &(group, count, text) in ballots {
        builder
            .push_blocks(group, count, &parse_blocks(text))
            .unwrap();
    }
    builder.build()
}

/// Tie blocks from the letter notation of [`letters`].
pub fn parse_blocks(text: &str) -> Vec<Vec<usize>> {
    let mut blocks = Vec::new();
    let mut open: Option<Vec<usize>> = None;
    for character in text.chars() {
        match character {
            '(' => open = Some(Vec::new()),
            ')' => blocks.push(open.take().unwrap()),
            ' ' | '>' => {}
            letter => {
                let item = (letter as u8 - b'A') as usize;
                match open.as_mut() {
                    Some(block) => block.push(item),
                    None => blocks.push(vec![item]),
                }
            }
        }
    }
    blocks
}

/// Asserts two floats agree to `tolerance` (absolute).
#[track_caller]
pub fn assert_close(actual: f64, expected: f64, tolerance: f64) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "expected {expected}, got {actual} (tolerance {tolerance})"
    );
}

/// Asserts two float slices agree elementwise.
#[track_caller]
pub fn assert_all_close(actual: &[f64], expected: &[f64], tolerance: f64) {
    assert_eq!(
        actual.len(),
        expected.len(),
        "lengths differ: {actual:?} vs {expected:?}"
    );
    for (index, (&a, &e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            (a - e).abs() <= tolerance,
            "item {index}: expected {e}, got {a} (tolerance {tolerance}); all: {actual:?}"
        );
    }
}

/// A random weak-order ballot over `item_count` items: (group, multiplicity, blocks).
pub type RandomBallot = (usize, u32, Vec<Vec<usize>>);

/// A strategy for random ranking ballots: a random subset of the items in random order, cut into
/// random tie blocks, in one of `group_count` groups.
pub fn ballot_strategy(
    item_count: usize,
    group_count: usize,
    allow_ties: bool,
) -> impl Strategy<Value = RandomBallot> {
    (
        Just((0..item_count).collect::<Vec<usize>>()).prop_shuffle(),
        1..=item_count,
        proptest::collection::vec(any::<bool>(), item_count),
        0..group_count,
        1u32..4,
    )
        .prop_map(move |(order, length, cuts, group, count)| {
            let mut blocks: Vec<Vec<usize>> = Vec::new();
            for (position, &item) in order[..length].iter().enumerate() {
                let tie = allow_ties && position > 0 && cuts[position];
                match blocks.last_mut() {
                    Some(block) if tie => block.push(item),
                    _ => blocks.push(vec![item]),
                }
            }
            (group, count, blocks)
        })
}

/// Builds a profile from random ballots.
pub fn build(item_count: usize, group_count: usize, ballots: &[RandomBallot]) -> RankingProfile {
    let mut builder = RankingProfileBuilder::new(item_count, group_count).unwrap();
    for (group, count, blocks) in ballots {
        builder.push_blocks(*group, *count, blocks).unwrap();
    }
    builder.build()
}
