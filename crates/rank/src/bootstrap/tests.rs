use super::*;
use crate::test_support::letters;

fn settings(resamples: usize, seed: u64) -> BootstrapParams {
    BootstrapParams {
        resamples,
        seed,
        top_k: 1,
        by_group: true,
    }
}

#[test]
fn resamples_keep_group_sizes() {
    let profile = Profile::Ranking(letters(
        3,
        2,
        &[(0, 3, "ABC"), (0, 1, "BCA"), (1, 2, "CAB"), (1, 1, "C")],
    ));
    let strata = strata(&profile);
    for resample in 0..20 {
        let counts = resample_counts(&strata, 4, 9, resample);
        assert_eq!(counts[0] + counts[1], 4);
        assert_eq!(counts[2] + counts[3], 3);
    }
}

#[test]
fn unanimous_ballots_give_certain_ranks() {
    let profile = Profile::Ranking(letters(
        3,
        1,
        &[(0, 1, "ABC"), (0, 1, "ABC"), (0, 1, "ABC")],
    ));
    let summaries = bootstrap(
        &[Method::Borda, Method::Schulze],
        &GroupWeighting::Pooled,
        &profile,
        &Params::default(),
        &settings(50, 1),
        None,
    )
    .unwrap();
    for summary in &summaries {
        let intervals: Vec<(usize, usize)> = summary
            .items
            .iter()
            .map(|item| item.rank_interval)
            .collect();
        assert_eq!(intervals, vec![(1, 1), (2, 2), (3, 3)]);
        let p_top: Vec<f64> = summary.items.iter().map(|item| item.p_top).collect();
        assert_eq!(p_top, vec![1.0, 0.0, 0.0]);
    }
}

#[test]
fn the_same_seed_gives_the_same_numbers_with_any_thread_count() {
    let profile = Profile::Ranking(letters(
        4,
        2,
        &[
            (0, 3, "ABCD"),
            (0, 2, "BADC"),
            (0, 1, "DC"),
            (1, 2, "CDAB"),
            (1, 1, "(AB)C"),
            (1, 1, "B"),
        ],
    ));
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let progress = || {
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let run_with = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                bootstrap(
                    &[Method::Borda, Method::Schulze, Method::PlackettLuce],
                    &GroupWeighting::EqualGroups,
                    &profile,
                    &Params {
                        prior_alpha: Some(0.1),
                        ..Params::default()
                    },
                    &settings(200, 42),
                    None,
                )
            })
    };
    let one = run_with(1);
    let two = run_with(2);
    assert!(
        matches!(one, Err(BootstrapError::Resample { .. })),
        "tied ballots refuse plackett-luce"
    );
    assert_eq!(one, two);
    let methods = [Method::Borda, Method::Schulze];
    let run_two = |threads: usize, seed: u64| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                bootstrap(
                    &methods,
                    &GroupWeighting::EqualGroups,
                    &profile,
                    &Params::default(),
                    &settings(200, seed),
                    Some(&progress),
                )
            })
            .unwrap()
    };
    let first = run_two(1, 42);
    assert_eq!(first, run_two(2, 42));
    assert_eq!(first, run_two(3, 42));
    assert_ne!(first, run_two(2, 43));
    assert_eq!(counter.load(std::sync::atomic::Ordering::Relaxed), 4 * 200);
    for summary in &first {
        assert_eq!(summary.groups.len(), 2);
        for item in &summary.items {
            assert!(item.rank_interval.0 <= item.rank_interval.1);
            assert!((0.0..=1.0).contains(&item.p_top));
        }
    }
}

#[test]
fn no_resamples_is_an_error() {
    let profile = Profile::Ranking(letters(2, 1, &[(0, 1, "AB")]));
    let result = bootstrap(
        &[Method::Borda],
        &GroupWeighting::Pooled,
        &profile,
        &Params::default(),
        &settings(0, 0),
        None,
    );
    assert_eq!(result, Err(BootstrapError::NoResamples));
}

#[test]
fn nearest_rank_positions() {
    assert_eq!(
        (nearest_rank(1000, 0.025), nearest_rank(1000, 0.975)),
        (24, 974)
    );
    assert_eq!((nearest_rank(10, 0.025), nearest_rank(10, 0.975)), (0, 9));
}

#[test]
fn pairwise_majority_methods_are_bootstrapped() {
    use crate::profile::PairwiseProfile;
    // Group 0: four respondents who all choose A over B, B over C and A over C; group 1: two who
    // choose C over A and C over B. Resampled within their groups (sizes kept), the margins are
    // always A-B 4-0, B-C 4-2 and A-C 4-2, so the order A, B, C never changes under Copeland,
    // Schulze or Kemeny.
    let mut pairs = PairwiseProfile::new(3, 2).unwrap();
    for _ in 0..4 {
        pairs.push(0, 1, &[(0, 1), (1, 2), (0, 2)]).unwrap();
    }
    pairs.push(1, 2, &[(2, 0), (2, 1)]).unwrap();
    let profile = Profile::Pairwise(pairs);
    let methods = [Method::Copeland, Method::Schulze, Method::Kemeny];
    let summaries = bootstrap(
        &methods,
        &GroupWeighting::Pooled,
        &profile,
        &Params::default(),
        &settings(100, 5),
        None,
    )
    .unwrap();
    for (summary, method) in summaries.iter().zip(methods) {
        assert_eq!(summary.method, method);
        let intervals: Vec<(usize, usize)> = summary
            .items
            .iter()
            .map(|item| item.rank_interval)
            .collect();
        assert_eq!(intervals, vec![(1, 1), (2, 2), (3, 3)], "{method}");
        assert_eq!(summary.items[0].p_top, 1.0);
        // Group 1 alone puts C first every time: it is that group's Condorcet winner.
        let group_one = summary.groups[1].as_ref().unwrap();
        assert_eq!(group_one[2].rank_interval, (1, 1), "{method}");
    }
}
