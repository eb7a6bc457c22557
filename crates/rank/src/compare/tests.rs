use super::*;
use crate::Details;

#[test]
fn identical_outcomes_agree_and_reversed_ones_disagree() {
    let first = Outcome::from_scores(vec![3.0, 2.0, 1.0, 0.0], Details::None);
    let same = first.clone();
    let reversed = Outcome::from_scores(vec![0.0, 1.0, 2.0, 3.0], Details::None);
    let comparison = compare(&[&first, &same, &reversed], 2);
    assert_eq!(comparison.pairs.len(), 3);
    assert_eq!(comparison.pairs[0].spearman_rho, Some(1.0));
    assert_eq!(comparison.pairs[0].kendall_tau_b, Some(1.0));
    assert_eq!(comparison.pairs[0].top_overlap.proportion, 1.0);
    assert_eq!(comparison.pairs[1].spearman_rho, Some(-1.0));
    assert_eq!(comparison.pairs[1].top_overlap.shared, Vec::<usize>::new());
    // Every item is in some top 2 but not in all.
    assert_eq!(comparison.method_dependent, vec![0, 1, 2, 3]);
    assert!(compare(&[&first, &same], 2).method_dependent.is_empty());
}
