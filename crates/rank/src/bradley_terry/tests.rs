use super::*;
use crate::test_support::{assert_all_close, assert_close};

#[test]
fn pairwise_matches_choix() {
    use crate::plackett_luce::tests::{choix_fixture, item_lists, numbers};
    let fixture = &choix_fixture()["pairwise"];
    let pairs: Vec<(usize, usize)> = item_lists(&fixture["pairs"])
        .iter()
        .map(|pair| (pair[0], pair[1]))
        .collect();
    let mut profile = PairwiseProfile::new(4, 1).unwrap();
    profile.push(0, 1, &pairs).unwrap();
    let wins = win_matrix(&profile, &[1.0]);
    let outcome = bradley_terry(4, &wins, None).unwrap();
    assert_all_close(&outcome.scores, &numbers(&fixture["log_strengths"]), 1e-7);
    assert_eq!(outcome.ranks, vec![1, 2, 4, 3]);
}

#[test]
fn two_items_by_hand() {
    // 3 wins to 1: the MLE odds are 3, so the centred log-strengths are ±ln(3)/2.
    let mut profile = PairwiseProfile::new(2, 1).unwrap();
    profile.push(0, 3, &[(0, 1)]).unwrap();
    profile.push(0, 1, &[(1, 0)]).unwrap();
    let wins = win_matrix(&profile, &[3.0, 1.0]);
    let outcome = bradley_terry(2, &wins, None).unwrap();
    assert_all_close(
        &outcome.scores,
        &[3f64.ln() / 2.0, -(3f64.ln()) / 2.0],
        1e-9,
    );
    // Win rate: 100 · (3 + 1) / (4 + 2) and 100 · (1 + 1) / (4 + 2).
    let rates = win_rate(2, &wins);
    assert_close(rates.scores[0], 400.0 / 6.0, 1e-12);
    assert_close(rates.scores[1], 200.0 / 6.0, 1e-12);
}

#[test]
fn an_unbeaten_item_needs_a_prior() {
    let mut profile = PairwiseProfile::new(2, 1).unwrap();
    profile.push(0, 1, &[(0, 1)]).unwrap();
    let wins = win_matrix(&profile, &[1.0]);
    assert_eq!(
        bradley_terry(2, &wins, None),
        Err(FitError::NotStronglyConnected { components: 2 })
    );
    assert_eq!(
        bradley_terry(2, &wins, Some(0.5)).unwrap().ranks,
        vec![1, 2]
    );
}
