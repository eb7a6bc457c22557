use proptest::prelude::*;

use super::*;
use crate::test_support::{assert_close, ballot_strategy, build, letters};

/// Worked by hand, in the manner of Siegel and Castellan (1988, §9.4), three raters, four items
/// A–D, with ties:
///
/// | rater | A   | B   | C   | D   | T = Σ (t³ − t) |
/// |-------|-----|-----|-----|-----|----------------|
/// | 1     | 1   | 2   | 3   | 4   | 0              |
/// | 2     | 1.5 | 1.5 | 3   | 4   | 2³ − 2 = 6     |
/// | 3     | 2   | 1   | 3.5 | 3.5 | 6 (C, D unranked, tied at the bottom) |
/// | R     | 4.5 | 4.5 | 9.5 | 11.5|                |
///
/// Mean R = k(m + 1)/2 = 7.5; S = 9 + 9 + 4 + 16 = 38;
/// W = 12 · 38 / (3² · (4³ − 4) − 3 · 12) = 456 / 504 = 19/21 ≈ 0.9048;
/// χ² = k (m − 1) W = 9 · 19/21 = 57/7 ≈ 8.1429 on 3 df, p ≈ 0.04315 (scipy.stats.chi2.sf).
#[test]
fn kendall_w_with_ties_by_hand() {
    let profile = letters(4, 1, &[(0, 1, "ABCD"), (0, 1, "(AB)CD"), (0, 1, "BA")]);
    let result = kendall_w_rankings(&profile, None).unwrap();
    assert_close(result.w, 19.0 / 21.0, 1e-12);
    assert_close(result.chi_square, 57.0 / 7.0, 1e-12);
    assert_eq!(result.degrees_of_freedom, 3);
    assert_close(result.p_value, 0.04314972425390147, 1e-9);
    assert_eq!((result.raters, result.left_out), (3, 0));
}

#[test]
fn kendall_w_on_ratings_leaves_out_incomplete_raters() {
    // The same three raters as ratings (higher is better, W does not care about direction),
    // plus one who skipped an item.
    let mut profile = RatingProfile::new(4, 1, crate::RatingScale::one_to_nine()).unwrap();
    profile
        .push(0, 1, &[Some(9), Some(8), Some(7), Some(6)])
        .unwrap();
    profile
        .push(0, 1, &[Some(9), Some(9), Some(7), Some(6)])
        .unwrap();
    profile
        .push(0, 1, &[Some(8), Some(9), Some(2), Some(2)])
        .unwrap();
    profile
        .push(0, 1, &[Some(8), None, Some(2), Some(2)])
        .unwrap();
    let result = kendall_w_ratings(&profile, None).unwrap();
    assert_close(result.w, 19.0 / 21.0, 1e-12);
    assert_eq!((result.raters, result.left_out), (3, 1));
}

#[test]
fn kendall_w_errors() {
    let tied = letters(3, 1, &[(0, 2, "(ABC)")]);
    assert_eq!(
        kendall_w_rankings(&tied, None),
        Err(AgreementError::AllTied)
    );
    let one = letters(3, 1, &[(0, 1, "ABC")]);
    assert_eq!(
        kendall_w_rankings(&one, None),
        Err(AgreementError::TooFewRaters { raters: 1 })
    );
    assert!(matches!(
        kendall_w_rankings(&one, Some(1)),
        Err(AgreementError::GroupOutOfRange { .. })
    ));
}

fn check_correlations(first: &[f64], second: &[f64], rho: f64, tau: f64) {
    assert_close(spearman_rho(first, second).unwrap(), rho, 1e-12);
    assert_close(kendall_tau_b(first, second).unwrap(), tau, 1e-12);
}

#[test]
fn correlations_match_scipy() {
    // scipy.stats.spearmanr and scipy.stats.kendalltau (τ-b) on the same vectors.
    check_correlations(
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        &[2.0, 1.0, 4.0, 3.0, 6.0, 6.0],
        0.8696565534786727,
        0.6900655593423543,
    );
    check_correlations(
        &[1.0, 2.0, 2.0, 4.0, 5.0],
        &[3.0, 3.0, 1.0, 5.0, 4.0],
        0.6578947368421054,
        0.4444444444444444,
    );
    check_correlations(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0], -1.0, -1.0);
    assert_eq!(spearman_rho(&[1.0, 1.0], &[1.0, 2.0]), None);
}

#[test]
fn top_overlap_and_divergence() {
    let first = Outcome::from_scores(vec![4.0, 3.0, 2.0, 1.0], crate::Details::None);
    let second = Outcome::from_scores(vec![4.0, 1.0, 3.0, 3.0], crate::Details::None);
    let overlap = top_k_overlap(&first, &second, 2);
    // Second's top 2 is {0, 2, 3} (2 and 3 tie for second).
    assert_eq!(
        (
            overlap.shared.clone(),
            overlap.first_size,
            overlap.second_size
        ),
        (vec![0], 2, 3)
    );
    assert_close(overlap.proportion, 1.0 / 3.0, 1e-15);

    let spread = divergence(
        &[1, 2, 3],
        &[Some(vec![1, 3, 2]), None, Some(vec![3, 2, 1])],
        2,
    );
    let item0 = spread[0].clone().unwrap();
    assert_eq!((item0.best_rank, item0.worst_rank, item0.spread), (1, 3, 2));
    assert_close(item0.standard_deviation, 1.0, 1e-15);
    assert_eq!(item0.far_groups, vec![2]);
    assert_eq!(spread[2].clone().unwrap().far_groups, vec![2]);
}

#[test]
fn group_informed_consensus_multiplies_group_shares() {
    // Item 0: group 0 agrees 2 of 2 → 3/4; group 1 agrees 0 of 1 → 1/3; product 1/4.
    // Item 1: group 0 agrees 1 of 2 → 2/4; group 1 agrees 1 of 1 → 2/3; product 1/3.
    let mut profile = RatingProfile::new(2, 2, crate::RatingScale::one_to_nine()).unwrap();
    profile.push(0, 2, &[Some(8), None]).unwrap();
    profile.push(0, 1, &[None, Some(7)]).unwrap();
    profile.push(0, 1, &[None, Some(2)]).unwrap();
    profile.push(1, 1, &[Some(3), Some(9)]).unwrap();
    let consensus = group_informed_consensus(&profile, 7);
    assert_close(consensus[0], 0.25, 1e-15);
    assert_close(consensus[1], 1.0 / 3.0, 1e-15);
}

proptest! {
    #[test]
    fn w_is_within_zero_and_one(ballots in proptest::collection::vec(ballot_strategy(5, 1, true), 2..20)) {
        if let Ok(result) = kendall_w_rankings(&build(5, 1, &ballots), None) {
            prop_assert!((0.0..=1.0).contains(&result.w));
            prop_assert!((0.0..=1.0).contains(&result.p_value));
        }
    }

    #[test]
    fn identical_complete_ballots_agree_perfectly(
        ballot in ballot_strategy(5, 1, false),
        copies in 2u32..6,
    ) {
        let (_, _, mut blocks) = ballot;
        // Make the ballot complete so that nothing is tied.
        let ranked: Vec<usize> = blocks.iter().flatten().copied().collect();
        blocks.extend((0..5).filter(|item| !ranked.contains(item)).map(|item| vec![item]));
        let profile = build(5, 1, &[(0, copies, blocks)]);
        let result = kendall_w_rankings(&profile, None).unwrap();
        prop_assert!((result.w - 1.0).abs() < 1e-12);
    }
}

#[test]
fn one_pass_by_group_matches_each_group_alone() {
    let mut builder = crate::profile::RankingProfileBuilder::new(4, 2).unwrap();
    builder.push_order(0, 3, &[0, 1, 2, 3]).unwrap();
    builder.push_blocks(0, 1, &[vec![2, 1], vec![0]]).unwrap();
    builder.push_order(1, 2, &[3, 2, 1, 0]).unwrap();
    builder.push_order(1, 1, &[1]).unwrap();
    let profile = builder.build();
    let (overall, groups) = kendall_w_rankings_by_group(&profile);
    assert_eq!(overall, kendall_w_rankings(&profile, None));
    for (group, result) in groups.iter().enumerate() {
        assert_eq!(result, &kendall_w_rankings(&profile, Some(group)));
    }
}
