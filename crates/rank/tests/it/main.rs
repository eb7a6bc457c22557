//! The public API of `rank` end to end: build a profile as the `survey` crate would, run every
//! ranking method, measure agreement and uncertainty, and compare the methods.

mod pref_voting;

use rank::agreement::kendall_w_rankings;
use rank::bootstrap::{BootstrapParams, bootstrap};
use rank::compare::compare;
use rank::{
    GroupWeighting, Method, Params, Profile, RankingProfileBuilder, Weighting, run, run_many,
};

/// The Tennessee capital example as PrefLib-style records ("42: 1,2,3,4"), items Memphis,
/// Nashville, Chattanooga, Knoxville, split into two groups.
fn tennessee() -> Profile {
    let mut builder = RankingProfileBuilder::new(4, 2).unwrap();
    builder.push_order(0, 42, &[0, 1, 2, 3]).unwrap();
    builder.push_order(0, 26, &[1, 2, 3, 0]).unwrap();
    builder.push_order(1, 15, &[2, 3, 1, 0]).unwrap();
    builder.push_order(1, 17, &[3, 2, 1, 0]).unwrap();
    builder.build().into()
}

#[test]
fn nashville_wins_under_every_majority_and_positional_method() {
    let profile = tennessee();
    let methods = [
        Method::Borda,
        Method::Copeland,
        Method::Schulze,
        Method::Kemeny,
        Method::PlackettLuce,
    ];
    let outcomes = run_many(
        &methods,
        &GroupWeighting::Pooled,
        &profile,
        &Params::default(),
    )
    .unwrap();
    for (method, outcome) in methods.iter().zip(&outcomes) {
        assert_eq!(outcome.order()[0], 1, "{method}");
    }
    // Copeland, Schulze and Kemeny agree on N > C > K > M; Borda puts Memphis (126) above
    // Knoxville (107): ρ = 1 − 6 · 2 / (4 · 15) = 0.8 against each of them.
    let references: Vec<&rank::Outcome> = outcomes[..4].iter().collect();
    let comparison = compare(&references, 2);
    for pair in &comparison.pairs {
        let expected = if pair.first == 0 { 0.8 } else { 1.0 };
        assert!(
            (pair.spearman_rho.unwrap() - expected).abs() < 1e-12,
            "{pair:?}"
        );
    }
    assert_eq!(compare(&references, 3).method_dependent, vec![0, 3]);
    assert!(comparison.method_dependent.is_empty());
}

#[test]
fn weighting_by_name_and_agreement() {
    let profile = tennessee();
    let weighting =
        GroupWeighting::from_name("equal-groups".parse::<Weighting>().unwrap(), None).unwrap();
    // Equal groups: group 0 (68 voters) and group 1 (32 voters) each weigh 1. Borda:
    // Memphis 42·3/68, Nashville (42·2 + 26·3)/68 + (15 + 17)/32, ...
    let outcome = run(Method::Borda, &weighting, &profile, &Params::default()).unwrap();
    let nashville = (42.0 * 2.0 + 26.0 * 3.0) / 68.0 + (15.0 + 17.0) / 32.0;
    assert!((outcome.scores[1] - nashville).abs() < 1e-12);
    let Profile::Ranking(rankings) = &profile else {
        unreachable!()
    };
    let agreement = kendall_w_rankings(rankings, None).unwrap();
    assert!(agreement.w > 0.0 && agreement.w < 1.0);
    assert_eq!(agreement.raters, 100);
}

#[test]
fn bootstrap_by_group() {
    let settings = BootstrapParams {
        resamples: 100,
        seed: 3,
        top_k: 1,
        by_group: true,
    };
    let summaries = bootstrap(
        &[Method::Borda],
        &GroupWeighting::Pooled,
        &tennessee(),
        &Params::default(),
        &settings,
        None,
    )
    .unwrap();
    let summary = &summaries[0];
    assert_eq!(summary.items.len(), 4);
    assert_eq!(summary.groups.len(), 2);
    // Memphis is last in group 1 in every resample: all 32 of its voters put it last.
    let group_one = summary.groups[1].as_ref().unwrap();
    assert_eq!(group_one[0].rank_interval, (4, 4));
    assert_eq!(group_one[0].p_top, 0.0);
}
