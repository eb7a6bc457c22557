use proptest::prelude::*;

use super::*;
use crate::test_support::{RandomBallot, ballot_strategy, build, letters};

/// N\[a\]\[b\] straight from the definition, ballot by ballot, O(m²) each.
fn naive(item_count: usize, ballots: &[RandomBallot], group_weights: &[f64]) -> Vec<f64> {
    let mut values = vec![0.0; item_count * item_count];
    for (group, count, blocks) in ballots {
        let mut level = vec![usize::MAX; item_count];
        for (index, block) in blocks.iter().enumerate() {
            for &item in block {
                level[item] = index;
            }
        }
        for a in 0..item_count {
            for b in 0..item_count {
                if level[a] < level[b] {
                    values[a * item_count + b] += f64::from(*count) * group_weights[*group];
                }
            }
        }
    }
    values
}

fn check(margins: &MarginMatrix, expected: &[f64]) {
    let m = margins.item_count();
    for a in 0..m {
        for b in 0..m {
            assert!(
                (margins.get(a, b) - expected[a * m + b]).abs() < 1e-9,
                "N[{a}][{b}]"
            );
        }
    }
}

#[test]
fn ranked_beats_unranked_and_ties_count_for_neither() {
    // "A(BC)" over A..D, three times: A above B, C, D; B and C above D; B, C tied.
    let profile = letters(4, 1, &[(0, 3, "A(BC)")]);
    let margins = MarginMatrix::from_profile(&profile, &[1.0]);
    #[rustfmt::skip]
    let expected = [
        0.0, 3.0, 3.0, 3.0,
        0.0, 0.0, 0.0, 3.0,
        0.0, 0.0, 0.0, 3.0,
        0.0, 0.0, 0.0, 0.0,
    ];
    check(&margins, &expected);
    assert_eq!(margins.total_weight(), 3.0);
    assert_eq!(margins.condorcet_winner(), Some(0));
}

#[test]
fn from_rows_checks_its_input() {
    assert!(matches!(
        MarginMatrix::from_rows(&[vec![0.0, 1.0]]),
        Err(MarginError::NotSquare { .. })
    ));
    assert!(matches!(
        MarginMatrix::from_rows(&[vec![0.0, -1.0], vec![0.0, 0.0]]),
        Err(MarginError::BadValue { a: 0, b: 1, .. })
    ));
}

#[test]
fn parallel_tally_matches_the_definition() {
    // Enough ballots to take the parallel path, generated deterministically.
    let item_count = 9;
    let mut ballots = Vec::new();
    let mut state = 12345u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for _ in 0..(PARALLEL_MIN_BALLOTS + 1000) {
        let mut items: Vec<usize> = (0..item_count).collect();
        for i in (1..item_count).rev() {
            items.swap(i, next() % (i + 1));
        }
        let length = 1 + next() % item_count;
        let mut blocks: Vec<Vec<usize>> = Vec::new();
        for (position, &item) in items[..length].iter().enumerate() {
            match blocks.last_mut() {
                Some(block) if position > 0 && next() % 3 == 0 => block.push(item),
                _ => blocks.push(vec![item]),
            }
        }
        ballots.push((next() % 3, 1 + (next() % 5) as u32, blocks));
    }
    let weights = [1.0, 0.25, 3.0];
    let profile = build(item_count, 3, &ballots);
    check(
        &MarginMatrix::from_profile(&profile, &weights),
        &naive(item_count, &ballots, &weights),
    );
}

proptest! {
    #[test]
    fn tally_matches_the_definition(
        ballots in proptest::collection::vec(ballot_strategy(6, 2, true), 1..30),
        weight in 0.1f64..3.0,
    ) {
        let weights = [1.0, weight];
        let profile = build(6, 2, &ballots);
        check(&MarginMatrix::from_profile(&profile, &weights), &naive(6, &ballots, &weights));
    }
}
