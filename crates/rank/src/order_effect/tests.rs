use super::*;

fn respondent(values: &[f64]) -> Vec<PositionedAnswer> {
    values
        .iter()
        .enumerate()
        .map(|(position, &value)| PositionedAnswer { position, value })
        .collect()
}

#[test]
fn opposite_respondents_cancel_and_every_shuffle_is_as_extreme() {
    // Worked by hand: the first respondent rates down the list (Spearman −1), the second up
    // it (+1); the mean is 0, every shuffle's |mean| is at least 0, so p = 1. Each position
    // averages (9 + 1) / 2, 5, (1 + 9) / 2.
    let effect = order_effect(
        &[respondent(&[9.0, 5.0, 1.0]), respondent(&[1.0, 5.0, 9.0])],
        200,
        7,
    );
    assert_eq!(effect.correlation, 0.0);
    assert_eq!(effect.p_value, 1.0);
    assert_eq!(effect.respondents, 2);
    assert_eq!(
        effect
            .by_position
            .iter()
            .map(|position| (position.position, position.mean, position.count))
            .collect::<Vec<_>>(),
        [(0, 5.0, 2), (1, 5.0, 2), (2, 5.0, 2)]
    );
}

#[test]
fn two_respondents_rating_down_the_list_match_the_exact_permutation_p() {
    // Worked by hand: each respondent's three ratings can be shuffled 6 ways, so 36 equally
    // likely pairs of shuffles; the mean correlation is ±1 only when both are sorted the same
    // way (2 of 36), so the exact p is 2/36 = 0.0556. With 2,000 shuffles the estimate is
    // (1 + about 111) / 2001, within a few standard errors (0.005) of it.
    let effect = order_effect(
        &[respondent(&[9.0, 5.0, 1.0]), respondent(&[8.0, 4.0, 2.0])],
        2000,
        11,
    );
    assert!((effect.correlation + 1.0).abs() < 1e-12);
    assert!(
        (0.040..=0.072).contains(&effect.p_value),
        "p = {}",
        effect.p_value
    );
    // The same seed gives the same p.
    let again = order_effect(
        &[respondent(&[9.0, 5.0, 1.0]), respondent(&[8.0, 4.0, 2.0])],
        2000,
        11,
    );
    assert_eq!(effect.p_value, again.p_value);
}

#[test]
fn respondents_without_a_correlation_are_left_out() {
    let effect = order_effect(&[respondent(&[3.0, 3.0]), respondent(&[4.0])], 100, 1);
    assert_eq!(effect.respondents, 0);
    assert!(effect.p_value.is_nan());
    // Ties take midranks: answers 1, 1, 2, 2 rank 1.5, 1.5, 3.5, 3.5 (centred −1, −1, 1, 1)
    // against positions centred −1.5, −0.5, 0.5, 1.5: the products sum to 4 and the squares to
    // 4 and 5, so the correlation is 4 / √20 = 0.894.
    let effect = order_effect(&[respondent(&[1.0, 1.0, 2.0, 2.0])], 10, 1);
    let expected = 4.0 / (5.0f64 * 4.0).sqrt();
    assert!(
        (effect.correlation - expected).abs() < 1e-12,
        "{}",
        effect.correlation
    );
}

#[test]
fn the_binomial_test_of_the_item_shown_first() {
    // Worked by hand: 9 wins of 10: P(X ≥ 9) = (10 + 1) / 1024; two-sided, twice that.
    let effect = first_shown_effect(9, 10);
    assert!(
        (effect.p_value - 22.0 / 1024.0).abs() < 1e-12,
        "{}",
        effect.p_value
    );
    assert_eq!(effect.first_share, 0.9);
    // 5 of 10 is exactly what chance gives.
    assert_eq!(first_shown_effect(5, 10).p_value, 1.0);
    // 0 of 4: P(X = 0) = 1/16, doubled.
    assert!((first_shown_effect(0, 4).p_value - 0.125).abs() < 1e-12);
    assert!(first_shown_effect(0, 0).p_value.is_nan());
}
