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

/// The hand-worked example of the pairwise margins: three respondents, items A, B, C.
/// Respondent 1 (group 0) chose A over B, A over C and B over C; respondent 2 (group 0) chose B
/// over A and C over B, and answered "can't decide" for A and C, which the exchange format does
/// not store as a choice; respondent 3 (group 1) chose C over A and C over B twice (shown the
/// pair again). Each cell is the weight of the choices of the row over the column.
fn three_respondents() -> PairwiseProfile {
    let mut profile = PairwiseProfile::new(3, 2).unwrap();
    profile.push(0, 1, &[(0, 1), (0, 2), (1, 2)]).unwrap();
    profile.push(0, 1, &[(1, 0), (2, 1)]).unwrap();
    profile.push(1, 1, &[(2, 0), (2, 1), (2, 1)]).unwrap();
    profile
}

#[test]
fn pairwise_margins_count_each_choice_of_a_over_b() {
    let margins = MarginMatrix::from_pairwise(&three_respondents(), &[1.0, 1.0]);
    #[rustfmt::skip]
    let expected = [
        0.0, 1.0, 1.0, // A over B: respondent 1; A over C: respondent 1
        1.0, 0.0, 1.0, // B over A: respondent 2; B over C: respondent 1
        1.0, 3.0, 0.0, // C over A: respondent 3; C over B: respondent 2, respondent 3 twice
    ];
    check(&margins, &expected);
    // The tolerance scale is the number of choices (8), not of respondents.
    assert_eq!(margins.total_weight(), 8.0);
    // A and B tie 1-1, A and C tie 1-1 ("can't decide" counts for neither): no Condorcet winner.
    assert_eq!(margins.condorcet_winner(), None);
    assert!(margins.beats(2, 1));
}

#[test]
fn pairwise_margins_weigh_each_respondent_by_their_group() {
    // Equal groups: respondents 1 and 2 weigh 1/2, respondent 3 weighs 1. C now beats A
    // (1 against 1/2) and so is the Condorcet winner.
    let margins = MarginMatrix::from_pairwise(&three_respondents(), &[0.5, 1.0]);
    #[rustfmt::skip]
    let expected = [
        0.0, 0.5, 0.5,
        0.5, 0.0, 0.5,
        1.0, 2.5, 0.0,
    ];
    check(&margins, &expected);
    assert_eq!(margins.total_weight(), 0.5 * 5.0 + 3.0);
    assert_eq!(margins.condorcet_winner(), Some(2));
    // A group weighing nothing adds nothing, and a record's multiplicity counts as that many
    // respondents.
    let mut doubled = PairwiseProfile::new(2, 2).unwrap();
    doubled.push(0, 2, &[(1, 0)]).unwrap();
    doubled.push(1, 5, &[(0, 1)]).unwrap();
    let margins = MarginMatrix::from_pairwise(&doubled, &[1.0, 0.0]);
    check(&margins, &[0.0, 0.0, 2.0, 0.0]);
}
