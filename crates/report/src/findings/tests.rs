use super::*;
use crate::results::GroupEntry;
use rank::Weighting;

fn row(item: &str, rank: usize) -> RankingRow {
    RankingRow {
        item: item.to_string(),
        label: format!("Item {}", item.to_uppercase()),
        rank,
        score: None,
        rank_interval: None,
        score_interval: None,
        p_top: None,
        class: None,
        divergence: None,
    }
}

fn entry(method: Method, order: &[&str], groups: &[&[&str]]) -> MethodEntry {
    let ranking = |order: &[&str]| {
        order
            .iter()
            .enumerate()
            .map(|(index, item)| row(item, index + 1))
            .collect::<Vec<_>>()
    };
    MethodEntry {
        method,
        weighting: Weighting::Pooled,
        ranking: ranking(order),
        groups: groups
            .iter()
            .enumerate()
            .map(|(index, order)| GroupEntry {
                group: format!("g{index}"),
                respondents: 5,
                ranking: ranking(order),
            })
            .collect(),
        group_agreement: Vec::new(),
        group_failures: Vec::new(),
        details: None,
    }
}

#[test]
fn two_items_that_swap_are_the_only_ones_moved() {
    let headline = entry(Method::Borda, &["a", "b", "c", "d", "e"], &[]);
    let other = entry(Method::Schulze, &["a", "b", "d", "c", "e"], &[]);
    let difference = method_difference(&headline, &other, 4);
    assert_eq!(difference.same_places, 2);
    assert_eq!(difference.shared_top, 4);
    assert!(!difference.same_top());
    let moved: Vec<_> = difference
        .moved
        .iter()
        .map(|moved| (moved.item.as_str(), moved.rank, moved.other_rank))
        .collect();
    assert_eq!(moved, [("c", 3, Some(4)), ("d", 4, Some(3))]);
}

#[test]
fn a_change_below_the_top_leaves_the_top_the_same() {
    let headline = entry(Method::Borda, &["a", "b", "c", "d", "e"], &[]);
    let other = entry(Method::Copeland, &["a", "b", "c", "e", "d"], &[]);
    let difference = method_difference(&headline, &other, 3);
    assert!(difference.same_top());
    assert_eq!(difference.same_places, 3);
    assert_eq!(difference.shared_top, 3);
}

#[test]
fn an_item_new_to_the_top_counts_as_moved() {
    let headline = entry(Method::Borda, &["a", "b", "c", "d"], &[]);
    let other = entry(Method::Copeland, &["a", "d", "b", "c"], &[]);
    let difference = method_difference(&headline, &other, 2);
    let moved: Vec<_> = difference.moved.iter().map(|m| m.item.as_str()).collect();
    assert_eq!(moved, ["b", "d"]);
    assert_eq!(difference.shared_top, 1);
}

#[test]
fn only_items_in_every_group_top_are_shared() {
    let overall = entry(
        Method::Borda,
        &["a", "b", "c", "d"],
        &[&["b", "a", "c", "d"], &["c", "a", "d", "b"]],
    );
    let shared: Vec<_> = in_every_group_top(&overall, 2)
        .iter()
        .map(|row| row.item.as_str())
        .collect();
    assert_eq!(shared, ["a"]);
    let alone = entry(Method::Borda, &["a", "b"], &[]);
    assert!(in_every_group_top(&alone, 2).is_empty());
}

#[test]
fn certain_places_and_the_cut_follow_the_intervals() {
    let mut rows = vec![row("a", 1), row("b", 2), row("c", 3)];
    rows[0].rank_interval = Some([1, 1]);
    rows[1].rank_interval = Some([2, 3]);
    rows[2].rank_interval = Some([2, 3]);
    assert!(is_certain_place(&rows[0]));
    assert!(!is_certain_place(&rows[1]));
    let crossing: Vec<_> = crossing_cut(&rows, 2)
        .map(|row| row.item.as_str())
        .collect();
    assert_eq!(crossing, ["b", "c"]);
    assert_eq!(agreement_strength(0.45), "moderate");
}
