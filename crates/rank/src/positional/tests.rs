use super::*;
use crate::test_support::{assert_all_close, letters};

fn check(
    rule: PositionalRule,
    item_count: usize,
    ballots: &[(usize, u32, &str)],
    expected: &[f64],
) {
    let profile = letters(item_count, 1, ballots);
    assert_all_close(&positional_scores(&profile, rule, &[1.0]), expected, 1e-12);
}

/// The Tennessee capital example: Memphis (A) 42%, Nashville (B) 26%, Chattanooga (C) 15%,
/// Knoxville (D) 17%. Borda m − p: Memphis 42·3 = 126; Nashville 42·2 + 26·3 + 15 + 17 = 194;
/// Chattanooga 42 + 26·2 + 15·3 + 17·2 = 173; Knoxville 26 + 15·2 + 17·3 = 107.
const TENNESSEE: &[(usize, u32, &str)] = &[
    (0, 42, "ABCD"),
    (0, 26, "BCDA"),
    (0, 15, "CDBA"),
    (0, 17, "DCBA"),
];

#[test]
fn borda_tennessee() {
    check(
        PositionalRule::Borda,
        4,
        TENNESSEE,
        &[126.0, 194.0, 173.0, 107.0],
    );
}

#[test]
fn borda_averages_ties_and_unranked_items() {
    // "A(BC)": A 3; B, C share positions 2–3: (2 + 1) / 2; D is the only unranked: (4−3−1)/2 = 0.
    // "B": B 3; A, C, D share (4 − 1 − 1) / 2 = 1.
    check(
        PositionalRule::Borda,
        4,
        &[(0, 1, "A(BC)"), (0, 1, "B")],
        &[4.0, 4.5, 2.5, 1.0],
    );
}

#[test]
fn points_give_k_plus_one_minus_position() {
    // k = 3: "A(BC)" gives A 3, B and C (2 + 1) / 2; "DA" gives D 3, A 2.
    check(
        PositionalRule::Points { k: 3 },
        4,
        &[(0, 1, "A(BC)"), (0, 2, "DA")],
        &[7.0, 1.5, 1.5, 6.0],
    );
    // Positions beyond k score nothing.
    check(
        PositionalRule::Points { k: 1 },
        3,
        &[(0, 1, "ABC")],
        &[1.0, 0.0, 0.0],
    );
}

#[test]
fn dowdall_gives_reciprocal_positions() {
    // "A(BC)": A 1, B and C (1/2 + 1/3) / 2 = 5/12.
    check(
        PositionalRule::Dowdall,
        4,
        &[(0, 1, "A(BC)")],
        &[1.0, 5.0 / 12.0, 5.0 / 12.0, 0.0],
    );
}

#[test]
fn count_counts_ballots_ranking_the_item() {
    check(
        PositionalRule::Count,
        4,
        &[(0, 1, "A(BC)"), (0, 3, "B")],
        &[1.0, 4.0, 1.0, 0.0],
    );
}

#[test]
fn group_weights_scale_each_group() {
    let profile = letters(3, 2, &[(0, 2, "ABC"), (1, 1, "CBA")]);
    // Borda: group 0 gives A 4, B 2; group 1 gives C 2, B 1. Weights 0.5 and 2.
    let scores = positional_scores(&profile, PositionalRule::Borda, &[0.5, 2.0]);
    assert_all_close(&scores, &[2.0, 3.0, 4.0], 1e-12);
}

#[test]
fn pick_counts() {
    let mut picks = PickProfile::new(3, 2).unwrap();
    picks.push(0, 2, &[0, 2]).unwrap();
    picks.push(1, 1, &[2]).unwrap();
    let tallies = pick_tallies(&picks, picks.multiplicities());
    assert_all_close(
        &combine_groups(&tallies, &[1.0, 1.0], 3),
        &[2.0, 0.0, 3.0],
        0.0,
    );
}
