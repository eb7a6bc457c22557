use super::*;
use crate::profile::RankingProfileBuilder;

/// Four groups: a (6 voters) and b (6 voters) disagree about the top item; c has 2 voters and
/// d 3, both under the disclosure threshold of 5, and pooled they reach it.
fn profile() -> Profile {
    let mut builder = RankingProfileBuilder::new(4, 4).unwrap();
    builder.push_order(0, 6, &[0, 1, 2, 3]).unwrap();
    builder.push_order(1, 6, &[1, 0, 3, 2]).unwrap();
    builder.push_order(2, 2, &[3, 2, 1, 0]).unwrap();
    builder.push_order(3, 3, &[3, 2, 1, 0]).unwrap();
    builder.build().into()
}

fn options(methods: Vec<Method>) -> AnalysisOptions {
    AnalysisOptions {
        methods,
        weighting: GroupWeighting::Pooled,
        params: Params::default(),
        top_k: 2,
        bootstrap: None,
        bootstrap_groups: false,
        disclosure_threshold: 5,
    }
}

#[test]
fn small_groups_are_not_ranked_on_their_own_but_count_overall() {
    let analysis = analyse(&profile(), &options(vec![Method::Borda]), None).unwrap();
    assert_eq!(analysis.group_sizes, [6, 6, 2, 3]);
    assert_eq!(analysis.disclosed, [true, true, false, false]);
    let result = &analysis.results[0];
    assert!(result.groups[0].is_some() && result.groups[1].is_some());
    assert!(result.groups[2].is_none() && result.groups[3].is_none());
    // Borda over all 17 voters (m − p points): item 0: 6·3 + 6·2 + 5·0 = 30; item 1: 6·2 +
    // 6·3 + 5·1 = 35; item 2: 6·1 + 6·0 + 5·2 = 16; item 3: 0 + 6·1 + 5·3 = 21.
    assert_eq!(result.overall.scores, [30.0, 35.0, 16.0, 21.0]);
    assert_eq!(result.overall.ranks, [2, 1, 4, 3]);
    // Groups a and b agree on nothing at the top but share their top 2.
    assert_eq!(result.group_pairs.len(), 1);
    let pair = &result.group_pairs[0];
    assert_eq!((pair.first, pair.second), (0, 1));
    assert_eq!(pair.top_overlap.shared, [0, 1]);
    // Group a's ranks [1,2,3,4] against group b's [2,1,4,3]: ρ = 1 − 6·4/(4·15) = 0.6.
    assert!((pair.spearman_rho.unwrap() - 0.6).abs() < 1e-12);
}

#[test]
fn agreement_is_reported_overall_and_for_shown_groups_only() {
    let analysis = analyse(&profile(), &options(vec![Method::Borda]), None).unwrap();
    let agreement = analysis.agreement.unwrap();
    assert!(agreement.overall.is_ok());
    // Within a group every voter ranks alike: W = 1.
    let within = agreement.groups[0].as_ref().unwrap().as_ref().unwrap();
    assert!((within.w - 1.0).abs() < 1e-12);
    assert!(agreement.groups[2].is_none());
}

#[test]
fn several_methods_are_compared() {
    let analysis = analyse(
        &profile(),
        &options(vec![Method::Borda, Method::Copeland, Method::Schulze]),
        None,
    )
    .unwrap();
    let comparison = analysis.comparison.unwrap();
    assert_eq!(comparison.pairs.len(), 3);
    assert_eq!(
        analysis
            .results
            .iter()
            .map(|result| result.method)
            .collect::<Vec<_>>(),
        [Method::Borda, Method::Copeland, Method::Schulze]
    );
}

#[test]
fn bootstrap_results_hide_small_groups() {
    let mut settings = options(vec![Method::Borda]);
    settings.bootstrap = Some((50, 3));
    settings.bootstrap_groups = true;
    let analysis = analyse(&profile(), &settings, None).unwrap();
    let summary = analysis.results[0].uncertainty.as_ref().unwrap();
    assert_eq!(summary.items.len(), 4);
    assert!(summary.groups[0].is_some());
    assert!(summary.groups[2].is_none());
}

#[test]
fn methods_that_do_not_fit_are_refused() {
    let error = analyse(&profile(), &options(vec![Method::Mean]), None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "method `mean` does not fit ranking data (it needs rating)"
    );
    assert_eq!(
        analyse(&profile(), &options(vec![]), None).unwrap_err(),
        AnalysisError::NoMethods
    );
}

#[test]
fn methods_for_each_kind() {
    assert_eq!(
        methods_for(DataKind::Pairwise, 1),
        [
            Method::Copeland,
            Method::Schulze,
            Method::Kemeny,
            Method::BradleyTerry,
            Method::WinRate
        ]
    );
    assert_eq!(methods_for(DataKind::Rating, 3), [Method::Chnri]);
    assert!(!methods_for(DataKind::Rating, 1).contains(&Method::Chnri));
    assert_eq!(methods_for(DataKind::Pick, 1), [Method::Count]);
    assert_eq!(methods_for(DataKind::Ranking, 1).len(), 8);
}

#[test]
fn rating_data_get_group_informed_consensus() {
    use crate::profile::{RatingProfile, RatingScale};
    // Two groups of two raters on a 1-9 scale; agreeing means 7 or more.
    let mut ratings = RatingProfile::new(2, 2, RatingScale::one_to_nine()).unwrap();
    ratings.push(0, 1, &[Some(9), Some(2)]).unwrap();
    ratings.push(0, 1, &[Some(8), Some(7)]).unwrap();
    ratings.push(1, 1, &[Some(7), Some(1)]).unwrap();
    ratings.push(1, 1, &[Some(3), None]).unwrap();
    let mut settings = options(vec![Method::Mean]);
    settings.disclosure_threshold = 1;
    let analysis = analyse(&ratings.into(), &settings, None).unwrap();
    let (agree_from, consensus) = analysis.consensus.unwrap();
    assert_eq!(agree_from, 7);
    // Item 0: group 0 (2 + 1)/(2 + 2) = 3/4, group 1 (1 + 1)/(2 + 2) = 1/2: 3/8.
    // Item 1: group 0 (1 + 1)/(2 + 2) = 1/2, group 1 (0 + 1)/(1 + 2) = 1/3: 1/6.
    assert!((consensus[0] - 3.0 / 8.0).abs() < 1e-12);
    assert!((consensus[1] - 1.0 / 6.0).abs() < 1e-12);
}

/// Groups of 6, 5 and 2 with a threshold of 5: b and c are pooled. A shown group's factor of
/// the consensus follows from its own top-box share and size; divided out of the consensus,
/// it must leave the pool's factor (7 people), not the product of b's and c's factors, from
/// which c's agreement could be read.
#[test]
fn group_informed_consensus_counts_the_pool_as_one_group() {
    use crate::profile::{RatingProfile, RatingScale};
    let mut ratings = RatingProfile::new(1, 3, RatingScale::one_to_nine()).unwrap();
    // a: 6 raters, 3 agree; b: 5 raters, 1 agrees; c: 2 raters, both agree.
    ratings.push(0, 3, &[Some(8)]).unwrap();
    ratings.push(0, 3, &[Some(2)]).unwrap();
    ratings.push(1, 1, &[Some(9)]).unwrap();
    ratings.push(1, 4, &[Some(1)]).unwrap();
    ratings.push(2, 2, &[Some(7)]).unwrap();
    let analysis = analyse(&ratings.into(), &options(vec![Method::TopBox]), None).unwrap();
    assert_eq!(analysis.disclosed, [true, false, false]);
    let (_, consensus) = analysis.consensus.unwrap();
    // What the output shows of a: its top-box share (3 of 6) and its size.
    let result = &analysis.results[0];
    let share_a = result.groups[0].as_ref().unwrap().scores[0];
    let factor_a = (share_a * 6.0 + 1.0) / (6.0 + 2.0);
    let left = consensus[0] / factor_a;
    // The pool of b and c: 3 of 7 agree.
    assert!((left - (3.0 + 1.0) / (7.0 + 2.0)).abs() < 1e-12, "{left}");
    // Not b's factor times c's, (1 + 1)/(5 + 2) · (2 + 1)/(2 + 2), which gives c away.
    assert!((left - (2.0 / 7.0) * (3.0 / 4.0)).abs() > 1e-6);
}
