use proptest::prelude::*;

use super::*;
use crate::margin::MarginMatrix;
use crate::profile::{PairwiseProfile, PickProfile, RatingProfile, RatingScale};
use crate::test_support::{RandomBallot, assert_all_close, ballot_strategy, build, letters};
use crate::weighting::CustomWeights;

fn rankings(ballots: &[(usize, u32, &str)], item_count: usize, group_count: usize) -> Profile {
    Profile::Ranking(letters(item_count, group_count, ballots))
}

#[test]
fn methods_that_do_not_fit_are_refused() {
    let profile = rankings(&[(0, 1, "AB")], 2, 1);
    let error = run(
        Method::Mean,
        &GroupWeighting::Pooled,
        &profile,
        &Params::default(),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "method `mean` does not fit ranking data (it needs rating)"
    );
    let tied = rankings(&[(0, 1, "(AB)")], 2, 1);
    let error = run(
        Method::PlackettLuce,
        &GroupWeighting::Pooled,
        &tied,
        &Params::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            error,
            RankError::Fit {
                problem: FitError::Ties { ballot: 0 },
                ..
            }
        ),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .starts_with("plackett-luce: ballot 0 has tied items")
    );
}

#[test]
fn every_method_runs_on_its_kind() {
    let mut ratings = RatingProfile::new(2, 1, RatingScale::one_to_nine()).unwrap();
    ratings.push(0, 1, &[Some(8), Some(3)]).unwrap();
    ratings.push(0, 1, &[Some(9), Some(4)]).unwrap();
    let mut picks = PickProfile::new(2, 1).unwrap();
    picks.push(0, 1, &[1]).unwrap();
    let mut pairs = PairwiseProfile::new(2, 1).unwrap();
    pairs.push(0, 1, &[(0, 1), (1, 0), (0, 1)]).unwrap();
    let profiles = [
        rankings(&[(0, 2, "AB"), (0, 1, "BA"), (0, 1, "A")], 2, 1),
        Profile::Rating(ratings),
        Profile::Pick(picks),
        Profile::Pairwise(pairs),
    ];
    for method in Method::ALL {
        let fitting: Vec<&Profile> = profiles
            .iter()
            .filter(|p| method.fits_kind(p.kind()))
            .collect();
        assert!(!fitting.is_empty(), "{method}");
        for profile in fitting {
            let outcome = run(
                *method,
                &GroupWeighting::Pooled,
                profile,
                &Params::default(),
            )
            .unwrap();
            // Item 0 is preferred in every profile except the pick profile.
            let expected = if profile.kind() == DataKind::Pick {
                vec![2, 1]
            } else {
                vec![1, 2]
            };
            assert_eq!(outcome.ranks, expected, "{method} on {}", profile.kind());
        }
    }
}

/// JLA re-scoring through `run`: group 0 (two ballots A > B > C) ranks A, B, C; group 1 (B > A > C
/// and B > C > A) gives Borda B 4, A 1, C 1, so B first and A, C tied. Points: A 3 + 1.5,
/// B 2 + 3, C 1 + 1.5.
#[test]
fn jla_positions_through_run() {
    let profile = rankings(&[(0, 2, "ABC"), (1, 1, "BAC"), (1, 1, "BCA")], 3, 2);
    let outcome = run(
        Method::Borda,
        &GroupWeighting::JlaPositions,
        &profile,
        &Params::default(),
    )
    .unwrap();
    assert_eq!(outcome.scores, vec![4.5, 5.0, 2.5]);
    assert_eq!(outcome.ranks, vec![2, 1, 3]);
    assert_eq!(
        outcome.details,
        Details::JlaPositions {
            group_ranks: vec![Some(vec![1, 2, 3]), Some(vec![2, 1, 2])]
        }
    );
}

#[test]
fn equal_groups_and_custom_weights() {
    // Group 0: three A > B; group 1: one B > A. Borda pooled: A 3, B 1; equal groups: A 1, B 1.
    let profile = rankings(&[(0, 3, "AB"), (1, 1, "BA")], 2, 2);
    let equal = run(
        Method::Borda,
        &GroupWeighting::EqualGroups,
        &profile,
        &Params::default(),
    )
    .unwrap();
    assert_all_close(&equal.scores, &[1.0, 1.0], 1e-12);
    let copeland = run(
        Method::Copeland,
        &GroupWeighting::EqualGroups,
        &profile,
        &Params::default(),
    )
    .unwrap();
    assert_eq!(copeland.ranks, vec![1, 1]);
    let custom = GroupWeighting::Custom(CustomWeights::new(vec![1.0, 4.0]).unwrap());
    assert_eq!(
        run(Method::Borda, &custom, &profile, &Params::default())
            .unwrap()
            .scores,
        vec![3.0, 4.0]
    );
    let wrong = GroupWeighting::Custom(CustomWeights::new(vec![1.0]).unwrap());
    assert_eq!(
        run(Method::Borda, &wrong, &profile, &Params::default()),
        Err(RankError::CustomWeightCount {
            expected: 2,
            given: 1
        })
    );
    let group = run_group(Method::Borda, 1, &profile, &Params::default()).unwrap();
    assert_eq!(group.ranks, vec![2, 1]);
}

#[test]
fn run_many_matches_run() {
    let profile = rankings(&[(0, 3, "ABC"), (0, 2, "CBA"), (0, 2, "BCA")], 3, 1);
    let methods = [
        Method::Borda,
        Method::Copeland,
        Method::Schulze,
        Method::Kemeny,
    ];
    let together = run_many(
        &methods,
        &GroupWeighting::Pooled,
        &profile,
        &Params::default(),
    )
    .unwrap();
    for (method, outcome) in methods.iter().zip(together) {
        assert_eq!(
            outcome,
            run(
                *method,
                &GroupWeighting::Pooled,
                &profile,
                &Params::default()
            )
            .unwrap()
        );
    }
}

#[test]
fn bad_parameters_are_named() {
    let profile = rankings(&[(0, 1, "AB")], 2, 1);
    let params = Params {
        kemeny_exact_max: 40,
        ..Params::default()
    };
    let error = run(Method::Kemeny, &GroupWeighting::Pooled, &profile, &params).unwrap_err();
    assert_eq!(
        error.to_string(),
        "parameter `kemeny_exact_max` must be at most 26, got 40"
    );
}

const RANKING_METHODS: [Method; 7] = [
    Method::Borda,
    Method::Points,
    Method::Dowdall,
    Method::Count,
    Method::Copeland,
    Method::Schulze,
    Method::Kemeny,
];

fn outcomes(ballots: &[RandomBallot], item_count: usize) -> Vec<Outcome> {
    let profile = Profile::Ranking(build(item_count, 2, ballots));
    run_many(
        &RANKING_METHODS,
        &GroupWeighting::EqualGroups,
        &profile,
        &Params::default(),
    )
    .unwrap()
}

fn kemeny_objective_of(outcome: &Outcome) -> f64 {
    match &outcome.details {
        Details::Kemeny(details) => details.objective,
        other => panic!("expected Kemeny details, got {other:?}"),
    }
}

proptest! {
    #[test]
    fn anonymity(ballots in proptest::collection::vec(ballot_strategy(5, 2, true), 1..12), seed in any::<u64>()) {
        let mut shuffled = ballots.clone();
        // A deterministic shuffle from the seed.
        let mut state = seed;
        for index in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            shuffled.swap(index, (state >> 33) as usize % (index + 1));
        }
        for (first, second) in outcomes(&ballots, 5).iter().zip(outcomes(&shuffled, 5)) {
            prop_assert_eq!(&first.ranks, &second.ranks);
            for (a, b) in first.scores.iter().zip(&second.scores) {
                prop_assert!((a - b).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn neutrality(
        ballots in proptest::collection::vec(ballot_strategy(5, 2, true), 1..12),
        relabel in Just((0..5).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let renamed: Vec<RandomBallot> = ballots
            .iter()
            .map(|(group, count, blocks)| {
                (*group, *count, blocks.iter().map(|block| block.iter().map(|&item| relabel[item]).collect()).collect())
            })
            .collect();
        for ((method, first), second) in RANKING_METHODS.iter().zip(outcomes(&ballots, 5)).zip(outcomes(&renamed, 5)) {
            if *method == Method::Kemeny {
                // Several orders can be optimal; the optimum itself must not change.
                prop_assert!((kemeny_objective_of(&first) - kemeny_objective_of(&second)).abs() < 1e-9);
                continue;
            }
            for (item, &renamed_item) in relabel.iter().enumerate() {
                prop_assert_eq!(first.ranks[item], second.ranks[renamed_item], "{}", method);
                prop_assert!((first.scores[item] - second.scores[renamed_item]).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn condorcet_consistency(ballots in proptest::collection::vec(ballot_strategy(5, 2, true), 1..12)) {
        let profile = build(5, 2, &ballots);
        let sizes = profile.group_sizes();
        let weights = GroupWeighting::EqualGroups.respondent_weights(&sizes).unwrap();
        if let Some(winner) = MarginMatrix::from_profile(&profile, &weights).condorcet_winner() {
            let all = outcomes(&ballots, 5);
            for (method, outcome) in RANKING_METHODS.iter().zip(&all) {
                if matches!(method, Method::Copeland | Method::Schulze | Method::Kemeny) {
                    prop_assert_eq!(outcome.ranks[winner], 1, "{}", method);
                    prop_assert_eq!(outcome.ranks.iter().filter(|&&rank| rank == 1).count(), 1);
                }
            }
        }
    }

    #[test]
    fn kemeny_is_never_worse_than_another_order(ballots in proptest::collection::vec(ballot_strategy(6, 2, true), 1..12)) {
        let profile = build(6, 2, &ballots);
        let sizes = profile.group_sizes();
        let weights = GroupWeighting::EqualGroups.respondent_weights(&sizes).unwrap();
        let margins = MarginMatrix::from_profile(&profile, &weights);
        let all = outcomes(&ballots, 6);
        let kemeny = kemeny_objective_of(&all[6]);
        // The heuristic, forced by a low exact limit, starts from Borda's and Schulze's orders.
        let heuristic = run(
            Method::Kemeny,
            &GroupWeighting::EqualGroups,
            &Profile::Ranking(profile.clone()),
            &Params { kemeny_exact_max: 2, ..Params::default() },
        )
        .unwrap();
        let heuristic = kemeny_objective_of(&heuristic);
        prop_assert!(kemeny <= heuristic + 1e-9);
        for outcome in &all {
            let other = crate::kemeny::kemeny_objective(&margins, &outcome.order());
            prop_assert!(kemeny <= other + 1e-9);
            if !matches!(&outcome.details, Details::Kemeny(_)) && (outcome.ranks == all[0].ranks || outcome.ranks == all[5].ranks) {
                prop_assert!(heuristic <= other + 1e-9);
            }
        }
    }
}

#[test]
fn by_group_runs_match_run_group() {
    let mut builder = crate::profile::RankingProfileBuilder::new(4, 3).unwrap();
    builder.push_order(0, 3, &[0, 1, 2, 3]).unwrap();
    builder.push_order(0, 1, &[2, 1]).unwrap();
    builder.push_order(1, 2, &[3, 2, 1, 0]).unwrap();
    builder.push_order(1, 1, &[1, 3]).unwrap();
    builder.push_order(2, 4, &[2, 0, 3]).unwrap();
    let profile: Profile = builder.build().into();
    let methods = [
        Method::Borda,
        Method::Copeland,
        Method::Schulze,
        Method::Kemeny,
        Method::Dowdall,
    ];
    let params = Params::default();
    let (overall, groups) = run_many_by_group(
        &methods,
        &GroupWeighting::EqualGroups,
        &profile,
        &params,
        &[true, true, false],
    )
    .unwrap();
    for (index, &method) in methods.iter().enumerate() {
        assert_eq!(
            overall[index],
            run(method, &GroupWeighting::EqualGroups, &profile, &params).unwrap()
        );
        for (group, outcome) in groups[index].iter().take(2).enumerate() {
            let alone = run_group(method, group, &profile, &params).unwrap();
            assert_eq!(
                outcome.as_ref().unwrap().as_ref().unwrap(),
                &alone,
                "{method} group {group}"
            );
        }
        assert!(groups[index][2].is_none());
    }
}

/// The hand-worked pairwise example of `margin::tests` (three respondents, items A, B, C; one
/// "can't decide" between A and C) through `run`, under three weightings.
fn three_pairwise_respondents() -> Profile {
    let mut profile = PairwiseProfile::new(3, 2).unwrap();
    profile.push(0, 1, &[(0, 1), (0, 2), (1, 2)]).unwrap();
    profile.push(0, 1, &[(1, 0), (2, 1)]).unwrap();
    profile.push(1, 1, &[(2, 0), (2, 1), (2, 1)]).unwrap();
    Profile::Pairwise(profile)
}

#[test]
fn majority_methods_rank_pairwise_ballots_with_weights() {
    let profile = three_pairwise_respondents();
    let ranks = |method, weighting: &GroupWeighting| {
        let outcome = run(method, weighting, &profile, &Params::default()).unwrap();
        (outcome.scores, outcome.ranks)
    };
    // Pooled: N = [[0,1,1],[1,0,1],[1,3,0]]. A ties B and C; C beats B 3-1.
    // Copeland: A ½ + ½, B ½ + 0, C ½ + 1.
    assert_eq!(
        ranks(Method::Copeland, &GroupWeighting::Pooled),
        (vec![1.0, 0.5, 1.5], vec![2, 3, 1])
    );
    // Schulze: the only defeat is C over B (3); no path joins A to anything, so C is above B only.
    assert_eq!(
        ranks(Method::Schulze, &GroupWeighting::Pooled),
        (vec![0.0, 0.0, 1.0], vec![2, 2, 1])
    );
    // Equal groups (respondents 1 and 2 weigh ½): C beats A 1-½ and B 2½-½; A ties B ½-½.
    assert_eq!(
        ranks(Method::Copeland, &GroupWeighting::EqualGroups),
        (vec![0.5, 0.5, 2.0], vec![2, 2, 1])
    );
    // Custom weights 3 and 1 per respondent: A beats C 3-1, C beats B 5-3, A ties B 3-3, so A
    // leads Copeland, and the Kemeny order is A, C, B with objective N[C][A] + N[B][A] + N[B][C]
    // = 1 + 3 + 3 = 7, the lower bound min(3,3) + min(3,1) + min(3,4).
    let custom = GroupWeighting::Custom(CustomWeights::new(vec![3.0, 1.0]).unwrap());
    assert_eq!(
        ranks(Method::Copeland, &custom),
        (vec![1.5, 0.5, 1.0], vec![1, 3, 2])
    );
    let kemeny = run(Method::Kemeny, &custom, &profile, &Params::default()).unwrap();
    let Details::Kemeny(details) = &kemeny.details else {
        panic!("kemeny details expected, got {:?}", kemeny.details)
    };
    assert_eq!(details.order, vec![0, 2, 1]);
    assert_eq!(details.objective, 7.0);
    assert_eq!(details.lower_bound, 7.0);
    assert!(details.exact);
}

#[test]
fn pairwise_majority_methods_under_jla_positions_and_by_group() {
    let profile = three_pairwise_respondents();
    // Group 0 alone: A-B 1-1, A-C 1-0, B-C 1-1: A first on Copeland (1½), B and C 1 and ½.
    let group_zero = run_group(Method::Copeland, 0, &profile, &Params::default()).unwrap();
    assert_eq!(group_zero.scores, vec![1.5, 1.0, 0.5]);
    // JLA positions: group 0 ranks A, B, C (3, 2, 1 points); group 1 (C over A and B) ranks C
    // first and A, B tied (2 + 1 shared: 1.5 each).
    let jla = run(
        Method::Copeland,
        &GroupWeighting::JlaPositions,
        &profile,
        &Params::default(),
    )
    .unwrap();
    assert_eq!(jla.scores, vec![4.5, 3.5, 4.0]);
}

#[test]
fn kemeny_beyond_the_exact_limit_on_pairwise_ballots_starts_from_the_win_rate() {
    // Five items in a strict chain 0 > 1 > ... > 4 chosen by one respondent: the heuristic finds
    // the chain with objective 0 even when the exact limit is lowered below m.
    let mut pairs = PairwiseProfile::new(5, 1).unwrap();
    let choices: Vec<(usize, usize)> = (0..5)
        .flat_map(|a| (a + 1..5).map(move |b| (a, b)))
        .collect();
    pairs.push(0, 1, &choices).unwrap();
    let params = Params {
        kemeny_exact_max: 3,
        ..Params::default()
    };
    let outcome = run(
        Method::Kemeny,
        &GroupWeighting::Pooled,
        &Profile::Pairwise(pairs),
        &params,
    )
    .unwrap();
    assert_eq!(outcome.ranks, vec![1, 2, 3, 4, 5]);
    let Details::Kemeny(details) = &outcome.details else {
        panic!("kemeny details expected")
    };
    assert!(!details.exact);
    assert_eq!(details.objective, 0.0);
}
