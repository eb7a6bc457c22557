//! Scoring a proposal against known topics: pairwise precision and recall of the clusters, and
//! the accuracy of the items the clusters were matched to.

/// Pairwise precision and recall of a clustering.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// Of the pairs put in the same cluster, the share that are about the same topic; 1 when
    /// no pair was put together.
    pub precision: f64,
    /// Of the pairs about the same topic, the share put in the same cluster; 1 when no two
    /// suggestions share a topic.
    pub recall: f64,
    /// The harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
    /// Pairs put together that share a topic.
    pub true_positive_pairs: u64,
    /// Pairs put together (pairs of two off-topic suggestions left out).
    pub predicted_pairs: u64,
    /// Pairs that share a topic.
    pub true_pairs: u64,
}

fn pairs(count: u64) -> u64 {
    count * count.saturating_sub(1) / 2
}

/// Pairwise precision and recall of the clustering `predicted` (a cluster label per
/// suggestion) against the true topics `truth` (the item each suggestion is about, or `None`
/// for an off-topic suggestion).
///
/// Every pair of suggestions counts once. Two suggestions about the same item are a true pair;
/// a pair put in the same cluster is a predicted pair. Off-topic suggestions count this way:
/// an off-topic suggestion put with an on-topic one is a wrong pair (it lowers precision); a
/// pair of two off-topic suggestions is left out altogether, neither right nor wrong, because
/// the truth does not say whether two off-topic suggestions are about the same thing. (How
/// off-topic suggestions are kept away from items is measured by [`item_accuracy`].)
///
/// O(n log n) for n suggestions, by counting through the contingency table.
///
/// # Panics
/// When the two slices have different lengths.
pub fn pairwise_precision_recall(predicted: &[usize], truth: &[Option<usize>]) -> Scores {
    assert_eq!(
        predicted.len(),
        truth.len(),
        "one cluster label and one topic per suggestion"
    );
    let mut by_cluster: std::collections::BTreeMap<usize, (u64, u64)> = Default::default();
    let mut by_cluster_and_topic: std::collections::BTreeMap<(usize, usize), u64> =
        Default::default();
    let mut by_topic: std::collections::BTreeMap<usize, u64> = Default::default();
    for (&cluster, &topic) in predicted.iter().zip(truth) {
        let (all, off_topic) = by_cluster.entry(cluster).or_default();
        *all += 1;
        match topic {
            Some(topic) => {
                *by_cluster_and_topic.entry((cluster, topic)).or_default() += 1;
                *by_topic.entry(topic).or_default() += 1;
            }
            None => *off_topic += 1,
        }
    }
    let predicted_pairs: u64 = by_cluster
        .values()
        .map(|&(all, off_topic)| pairs(all) - pairs(off_topic))
        .sum();
    let true_pairs: u64 = by_topic.values().map(|&count| pairs(count)).sum();
    let true_positive_pairs: u64 = by_cluster_and_topic
        .values()
        .map(|&count| pairs(count))
        .sum();
    let ratio = |numerator: u64, denominator: u64| {
        if denominator == 0 {
            1.0
        } else {
            numerator as f64 / denominator as f64
        }
    };
    let precision = ratio(true_positive_pairs, predicted_pairs);
    let recall = ratio(true_positive_pairs, true_pairs);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Scores {
        precision,
        recall,
        f1,
        true_positive_pairs,
        predicted_pairs,
        true_pairs,
    }
}

/// How well suggestions were matched to existing items.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemAccuracy {
    /// The share of all suggestions whose item is right: the true item for an on-topic
    /// suggestion, no item for an off-topic one.
    pub accuracy: f64,
    /// On-topic suggestions matched to their true item.
    pub on_topic_correct: u64,
    /// On-topic suggestions matched to no item.
    pub on_topic_unmatched: u64,
    /// On-topic suggestions.
    pub on_topic: u64,
    /// Off-topic suggestions matched to no item (right).
    pub off_topic_unmatched: u64,
    /// Off-topic suggestions.
    pub off_topic: u64,
}

/// Compares the item each suggestion was matched to (`assigned`, `None` for none) with its
/// true topic (`truth`, `None` for off-topic). An off-topic suggestion is right when it is
/// matched to no item.
///
/// # Panics
/// When the two slices have different lengths.
pub fn item_accuracy(assigned: &[Option<usize>], truth: &[Option<usize>]) -> ItemAccuracy {
    assert_eq!(
        assigned.len(),
        truth.len(),
        "one item and one topic per suggestion"
    );
    let mut scores = ItemAccuracy {
        accuracy: 1.0,
        on_topic_correct: 0,
        on_topic_unmatched: 0,
        on_topic: 0,
        off_topic_unmatched: 0,
        off_topic: 0,
    };
    for (&assigned, &topic) in assigned.iter().zip(truth) {
        match topic {
            Some(_) => {
                scores.on_topic += 1;
                if assigned == topic {
                    scores.on_topic_correct += 1;
                } else if assigned.is_none() {
                    scores.on_topic_unmatched += 1;
                }
            }
            None => {
                scores.off_topic += 1;
                if assigned.is_none() {
                    scores.off_topic_unmatched += 1;
                }
            }
        }
    }
    let total = scores.on_topic + scores.off_topic;
    if total > 0 {
        scores.accuracy =
            (scores.on_topic_correct + scores.off_topic_unmatched) as f64 / total as f64;
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_counted_by_hand() {
        // Topics: a a a b None None; clusters: {0, 1} {2, 3, 4} {5}.
        // True pairs: (0,1) (0,2) (1,2) = 3.
        // Predicted pairs: (0,1); (2,3) (2,4) (3,4) = 4. None of them both off-topic.
        // Right: (0,1) = 1.
        let scores = pairwise_precision_recall(
            &[0, 0, 1, 1, 1, 2],
            &[Some(0), Some(0), Some(0), Some(1), None, None],
        );
        assert_eq!(scores.true_pairs, 3);
        assert_eq!(scores.predicted_pairs, 4);
        assert_eq!(scores.true_positive_pairs, 1);
        assert_eq!(scores.precision, 0.25);
        assert!((scores.recall - 1.0 / 3.0).abs() < 1e-15);
        assert!((scores.f1 - 2.0 * 0.25 / 3.0 / (0.25 + 1.0 / 3.0)).abs() < 1e-15);
    }

    #[test]
    fn off_topic_pairs_are_left_out_and_perfect_clusterings_score_one() {
        let truth = [Some(3), None, Some(3), None, Some(1)];
        let scores = pairwise_precision_recall(&[0, 1, 0, 1, 2], &truth);
        assert_eq!(
            (scores.precision, scores.recall, scores.f1),
            (1.0, 1.0, 1.0)
        );
        assert_eq!(scores.predicted_pairs, 1);
        // Everything in one cluster: only the (0, 2) pair is right among the 9 counted
        // (10 pairs less the off-topic pair (1, 3)).
        let scores = pairwise_precision_recall(&[0; 5], &truth);
        assert_eq!(scores.predicted_pairs, 9);
        assert_eq!(scores.recall, 1.0);
        assert!((scores.precision - 1.0 / 9.0).abs() < 1e-15);
        // Nothing put together: precision 1 by convention, recall 0.
        let scores = pairwise_precision_recall(&[0, 1, 2, 3, 4], &truth);
        assert_eq!(
            (scores.precision, scores.recall, scores.f1),
            (1.0, 0.0, 0.0)
        );
    }

    #[test]
    fn item_accuracy_by_hand() {
        let accuracy = item_accuracy(
            &[Some(0), Some(1), None, None, Some(2)],
            &[Some(0), Some(0), Some(2), None, None],
        );
        assert_eq!(accuracy.on_topic, 3);
        assert_eq!(accuracy.on_topic_correct, 1);
        assert_eq!(accuracy.on_topic_unmatched, 1);
        assert_eq!(accuracy.off_topic, 2);
        assert_eq!(accuracy.off_topic_unmatched, 1);
        assert_eq!(accuracy.accuracy, 0.4);
        assert_eq!(item_accuracy(&[], &[]).accuracy, 1.0);
    }
}
