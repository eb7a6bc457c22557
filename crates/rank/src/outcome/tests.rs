use super::*;

fn check_ranks(scores: &[f64], expected: &[usize]) {
    assert_eq!(competition_ranks(scores), expected, "scores {scores:?}");
}

#[test]
fn ties_share_a_rank_and_the_next_rank_skips() {
    check_ranks(&[5.0, 3.0, 3.0, 1.0], &[1, 2, 2, 4]);
    check_ranks(&[1.0, 2.0, 2.0, 2.0], &[4, 1, 1, 1]);
    check_ranks(&[0.1 + 0.2, 0.3, 0.0], &[1, 1, 3]);
    check_ranks(&[f64::NAN, 1.0, f64::NAN], &[2, 1, 2]);
}

#[test]
fn order_lists_ties_by_item_index() {
    let outcome = Outcome::from_scores(vec![1.0, 3.0, 1.0, 2.0], Details::None);
    assert_eq!(outcome.order(), vec![1, 3, 0, 2]);
    assert_eq!(outcome.top(3), vec![1, 3, 0, 2]);
    assert_eq!(outcome.top(2), vec![1, 3]);
}

#[test]
fn position_points_share_the_mean_of_tied_positions() {
    // Ranks 1, 2, 2, 4 of four items: 4, then (3 + 2) / 2 twice, then 1.
    assert_eq!(position_points(&[1, 2, 2, 4]), vec![4.0, 2.5, 2.5, 1.0]);
}

#[test]
fn mid_ranks_average_ties() {
    assert_eq!(
        mid_ranks_ascending(&[10.0, 20.0, 20.0, 30.0]),
        vec![1.0, 2.5, 2.5, 4.0]
    );
}
