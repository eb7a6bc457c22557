use super::*;
use crate::test_support::letters;

fn check(item_count: usize, ballots: &[(usize, u32, &str)], ranks: &[usize]) {
    let margins = MarginMatrix::from_profile(&letters(item_count, 1, ballots), &[1.0]);
    assert_eq!(schulze(&margins).ranks, ranks);
}

/// Schulze 2011, §3.1 example 1 (45 voters, 5 candidates): the strongest paths give
/// E > A > C > B > D.
#[test]
fn schulze_45_voter_example() {
    check(
        5,
        &[
            (0, 5, "ACBED"),
            (0, 5, "ADECB"),
            (0, 8, "BEDAC"),
            (0, 3, "CABED"),
            (0, 7, "CAEBD"),
            (0, 2, "CBADE"),
            (0, 7, "DCEBA"),
            (0, 8, "EBADC"),
        ],
        &[2, 4, 3, 5, 1],
    );
}

#[test]
fn schulze_45_voter_example_strongest_paths() {
    // Schulze's table of path strengths p[X][Y], rows A..E.
    #[rustfmt::skip]
    let expected = [
        0.0, 28.0, 28.0, 30.0, 24.0,
        25.0, 0.0, 28.0, 33.0, 24.0,
        25.0, 29.0, 0.0, 29.0, 24.0,
        25.0, 28.0, 28.0, 0.0, 24.0,
        25.0, 28.0, 28.0, 31.0, 0.0,
    ];
    let profile = letters(
        5,
        1,
        &[
            (0, 5, "ACBED"),
            (0, 5, "ADECB"),
            (0, 8, "BEDAC"),
            (0, 3, "CABED"),
            (0, 7, "CAEBD"),
            (0, 2, "CBADE"),
            (0, 7, "DCEBA"),
            (0, 8, "EBADC"),
        ],
    );
    assert_eq!(
        strongest_paths(&MarginMatrix::from_profile(&profile, &[1.0])),
        expected
    );
}

#[test]
fn a_symmetric_cycle_ties_everything() {
    check(
        3,
        &[(0, 1, "ABC"), (0, 1, "BCA"), (0, 1, "CAB")],
        &[1, 1, 1],
    );
}

#[test]
fn a_weak_cycle_link_is_broken() {
    // A>B 6–3, B>C 7–2, C>A 5–4 (the weakest defeat): A wins, then B, then C.
    check(
        3,
        &[
            (0, 3, "ABC"),
            (0, 2, "BCA"),
            (0, 2, "CAB"),
            (0, 1, "ACB"),
            (0, 1, "BAC"),
        ],
        &[1, 2, 3],
    );
}
