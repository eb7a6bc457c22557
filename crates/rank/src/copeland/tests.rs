use super::*;
use crate::test_support::letters;

fn check(item_count: usize, ballots: &[(usize, u32, &str)], scores: &[f64], ranks: &[usize]) {
    let margins = MarginMatrix::from_profile(&letters(item_count, 1, ballots), &[1.0]);
    let outcome = copeland(&margins);
    assert_eq!(outcome.scores, scores);
    assert_eq!(outcome.ranks, ranks);
}

#[test]
fn tennessee_nashville_is_the_condorcet_winner() {
    // Nashville (B) beats Memphis 58–42, Chattanooga 68–32, Knoxville 68–32; Chattanooga (C)
    // beats Knoxville 83–17 and Memphis 58–42; Knoxville (D) beats Memphis 58–42.
    check(
        4,
        &[
            (0, 42, "ABCD"),
            (0, 26, "BCDA"),
            (0, 15, "CDBA"),
            (0, 17, "DCBA"),
        ],
        &[0.0, 3.0, 2.0, 1.0],
        &[4, 1, 2, 3],
    );
}

#[test]
fn a_cycle_is_all_ties_and_half_points_for_pairwise_ties() {
    check(
        3,
        &[(0, 1, "ABC"), (0, 1, "BCA"), (0, 1, "CAB")],
        &[1.0, 1.0, 1.0],
        &[1, 1, 1],
    );
    // A and B tie 1–1; both beat C.
    check(
        3,
        &[(0, 1, "ABC"), (0, 1, "BAC")],
        &[1.5, 1.5, 0.0],
        &[1, 1, 3],
    );
}
