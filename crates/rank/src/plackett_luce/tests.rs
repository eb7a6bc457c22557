use super::*;
use crate::profile::RankingProfileBuilder;
use crate::test_support::{assert_all_close, letters};

/// choix's values, from tests/fixtures/make_choix_expected.py.
pub(crate) fn choix_fixture() -> serde_json::Value {
    serde_json::from_str(include_str!("../../tests/fixtures/choix_expected.json")).unwrap()
}

/// A list of numbers from the fixture.
pub(crate) fn numbers(value: &serde_json::Value) -> Vec<f64> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|number| number.as_f64().unwrap())
        .collect()
}

/// A list of lists of items from the fixture.
pub(crate) fn item_lists(value: &serde_json::Value) -> Vec<Vec<usize>> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|list| {
            list.as_array()
                .unwrap()
                .iter()
                .map(|item| item.as_u64().unwrap() as usize)
                .collect()
        })
        .collect()
}

fn check_against_choix(section: &str, list: &str) {
    let fixture = &choix_fixture()[section];
    let item_count = fixture["items"].as_u64().unwrap() as usize;
    let ballots = item_lists(&fixture[list]);
    let mut builder = RankingProfileBuilder::new(item_count, 1).unwrap();
    for ballot in &ballots {
        builder.push_order(0, 1, ballot).unwrap();
    }
    let profile = builder.build();
    let outcome = plackett_luce(&profile, &vec![1.0; ballots.len()], None).unwrap();
    assert_all_close(&outcome.scores, &numbers(&fixture["log_strengths"]), 1e-7);
}

#[test]
fn full_rankings_match_choix() {
    check_against_choix("full_rankings", "rankings");
}

#[test]
fn top_k_rankings_match_choix_choices_from_sets() {
    check_against_choix("top_k", "ballots");
}

/// Top-1 ballots are single choices from the full set, so the MLE is the multinomial share:
/// γ ∝ (2, 1, 1) for A chosen twice, B and C once; centred logs: (2/3, −1/3, −1/3) · ln 2.
/// (A "likelihood of the listed items alone" would make every top-1 ballot carry no
/// information at all.)
#[test]
fn top_one_ballots_by_hand() {
    let profile = letters(3, 1, &[(0, 2, "A"), (0, 1, "B"), (0, 1, "C")]);
    let outcome = plackett_luce(&profile, &[2.0, 1.0, 1.0], None).unwrap();
    let ln2 = std::f64::consts::LN_2;
    assert_all_close(
        &outcome.scores,
        &[2.0 * ln2 / 3.0, -ln2 / 3.0, -ln2 / 3.0],
        1e-9,
    );
    assert_eq!(outcome.ranks, vec![1, 2, 2]);
}

#[test]
fn ties_and_disconnected_graphs_are_refused() {
    let tied = letters(3, 1, &[(0, 1, "ABC"), (0, 1, "(AB)C")]);
    assert_eq!(
        plackett_luce(&tied, &[1.0, 1.0], None),
        Err(FitError::Ties { ballot: 1 })
    );
    // A is never beaten: no MLE.
    let dominated = letters(3, 1, &[(0, 1, "ABC"), (0, 1, "ACB")]);
    assert_eq!(
        plackett_luce(&dominated, &[1.0, 1.0], None),
        Err(FitError::NotStronglyConnected { components: 2 })
    );
    // With a prior the fit exists, A first, B and C tied by symmetry.
    let outcome = plackett_luce(&dominated, &[1.0, 1.0], Some(0.1)).unwrap();
    assert_eq!(outcome.ranks, vec![1, 2, 2]);
    assert!(plackett_luce(&dominated, &[1.0, 1.0], Some(-1.0)).is_err());
}

#[test]
fn strong_components() {
    // 0 ⇄ 1, 1 → 2: components {0, 1} and {2}.
    let edges = [(0, 1), (1, 0), (1, 2)];
    assert_eq!(strong_component_count(3, |a, b| edges.contains(&(a, b))), 2);
    assert_eq!(strong_component_count(3, |a, b| a != b), 1);
}
