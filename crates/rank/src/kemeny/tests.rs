use proptest::prelude::*;

use super::*;
use crate::test_support::{ballot_strategy, build, letters};

/// The best objective over every order, by brute force.
fn brute_force(margins: &MarginMatrix) -> f64 {
    fn permute(items: &mut Vec<usize>, start: usize, margins: &MarginMatrix, best: &mut f64) {
        if start == items.len() {
            *best = best.min(kemeny_objective(margins, items));
            return;
        }
        for index in start..items.len() {
            items.swap(start, index);
            permute(items, start + 1, margins, best);
            items.swap(start, index);
        }
    }
    let mut best = f64::INFINITY;
    permute(
        &mut (0..margins.item_count()).collect(),
        0,
        margins,
        &mut best,
    );
    best
}

fn details(outcome: &Outcome) -> &KemenyDetails {
    match &outcome.details {
        Details::Kemeny(details) => details,
        other => panic!("expected Kemeny details, got {other:?}"),
    }
}

#[test]
fn tennessee_order_and_objective() {
    let profile = letters(
        4,
        1,
        &[
            (0, 42, "ABCD"),
            (0, 26, "BCDA"),
            (0, 15, "CDBA"),
            (0, 17, "DCBA"),
        ],
    );
    let margins = MarginMatrix::from_profile(&profile, &[1.0]);
    let outcome = kemeny(&margins, 20, &[]);
    let found = details(&outcome);
    // Nashville > Chattanooga > Knoxville > Memphis; disagreements: B>C 32, B>D 32, B>A 42,
    // C>D 17, C>A 42, D>A 42.
    assert_eq!(found.order, vec![1, 2, 3, 0]);
    assert_eq!(found.objective, 32.0 + 32.0 + 42.0 + 17.0 + 42.0 + 42.0);
    assert!(found.exact);
    assert_eq!(outcome.ranks, vec![4, 1, 2, 3]);
}

#[test]
#[allow(clippy::needless_range_loop)] // filling a[b] and b[a] together needs both indices
fn a_sixteen_item_problem_is_solved_exactly_and_matches_insertion_from_the_optimum() {
    // A noisy profile over 16 items from a fixed generator.
    let m = 16;
    let mut state = 7u64;
    let mut rows = vec![vec![0.0; m]; m];
    for a in 0..m {
        for b in a + 1..m {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let share = ((state >> 33) % 100) as f64;
            // Item a tends to beat b when a < b, with noise.
            let towards_a = (share + 30.0).min(100.0);
            rows[a][b] = towards_a;
            rows[b][a] = 100.0 - towards_a;
        }
    }
    let margins = MarginMatrix::from_rows(&rows).unwrap();
    let exact = kemeny(&margins, 20, &[]);
    let heuristic = kemeny(&margins, 0, &[]);
    let (exact, heuristic) = (details(&exact), details(&heuristic));
    assert!(exact.exact && !heuristic.exact);
    assert!(exact.objective <= heuristic.objective);
    assert!(heuristic.lower_bound <= exact.objective + 1e-9);
    // The exact optimum is a local optimum of insertion search.
    assert_eq!(
        improve_by_insertion(&margins, exact.order.clone()),
        exact.order
    );
}

proptest! {
    #[test]
    fn exact_matches_brute_force(ballots in proptest::collection::vec(ballot_strategy(6, 1, true), 1..15)) {
        let margins = MarginMatrix::from_profile(&build(6, 1, &ballots), &[1.0]);
        let outcome = kemeny(&margins, 20, &[]);
        let found = details(&outcome);
        prop_assert!((found.objective - brute_force(&margins)).abs() < 1e-9);
        prop_assert!((kemeny_objective(&margins, &found.order) - found.objective).abs() < 1e-9);
    }

    #[test]
    fn heuristic_is_never_below_the_bound_nor_worse_than_its_starts(
        ballots in proptest::collection::vec(ballot_strategy(7, 1, true), 1..15),
        start in Just((0..7).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let margins = MarginMatrix::from_profile(&build(7, 1, &ballots), &[1.0]);
        let outcome = kemeny(&margins, 0, std::slice::from_ref(&start));
        let found = details(&outcome);
        prop_assert!(found.objective >= found.lower_bound - 1e-9);
        prop_assert!(found.objective >= brute_force(&margins) - 1e-9);
        prop_assert!(found.objective <= kemeny_objective(&margins, &start) + 1e-9);
        prop_assert!(found.objective <= kemeny_objective(&margins, &net_margin_order(&margins)) + 1e-9);
    }
}
