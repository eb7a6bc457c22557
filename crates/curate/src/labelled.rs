//! Scoring proposals on real texts that people grouped by hand: classes of texts that ask the
//! same thing, each with a title.
//!
//! The items a proposal may match are the titles of the classes of two or more texts; a text
//! whose class has no other member (a singleton) should be matched to no item. Pairwise
//! precision and recall count every class, singletons included, as its own topic
//! ([`crate::pairwise_precision_recall`] with no off-topic text), so a singleton put with
//! anything is a wrong pair.
//!
//! To measure without tuning to the figures, the classes (not the texts) are split in two
//! halves by [`half_of`]: a seeded FNV-1a hash of the class label, so that the split does not
//! depend on the order of the file or on anything about the texts.

use std::collections::BTreeMap;

use crate::{
    Confidence, ItemAccuracy, Proposal, Scores, Settings, item_accuracy, pairwise_precision_recall,
    propose,
};

/// The seed of [`half_of`]: the string hashed before each label.
pub const SPLIT_SEED: &str = "curate-split-1:";

/// One of the two halves of a set of classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Half {
    /// The classes every setting is chosen on.
    Tuning,
    /// The classes kept for checking, never used to choose anything.
    HeldOut,
}

/// The half a class label is in: the 64-bit FNV-1a hash of [`SPLIT_SEED`] followed by the
/// label; even hashes are [`Half::Tuning`], odd [`Half::HeldOut`].
pub fn half_of(label: &str) -> Half {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in SPLIT_SEED.bytes().chain(label.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    if hash.is_multiple_of(2) {
        Half::Tuning
    } else {
        Half::HeldOut
    }
}

/// How often matches of one confidence were right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Band {
    /// Suggestions in clusters matched with this confidence.
    pub suggestions: u64,
    /// Of them, those whose class's title is the item matched.
    pub right: u64,
}

impl Band {
    /// The share right; 1 when the band is empty.
    pub fn precision(&self) -> f64 {
        if self.suggestions == 0 {
            1.0
        } else {
            self.right as f64 / self.suggestions as f64
        }
    }

    /// The lower end of the 95% Wilson score interval of the share right; 0 when the band
    /// is empty. Members of one cluster are counted as independent, so the interval is
    /// somewhat narrower than it should be.
    pub fn wilson_lower(&self) -> f64 {
        if self.suggestions == 0 {
            return 0.0;
        }
        let z = 1.96_f64;
        let n = self.suggestions as f64;
        let p = self.precision();
        let centre = p + z * z / (2.0 * n);
        let spread = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
        (centre - spread) / (1.0 + z * z / n)
    }
}

/// One proposed match of a cluster to an item, and how many of its members it is right for.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchRecord {
    /// The label of the class whose title is the item matched.
    pub item_label: String,
    /// The match's similarity.
    pub similarity: f64,
    /// The match's margin over the runner-up item.
    pub margin: f64,
    /// The cluster's size.
    pub members: u64,
    /// Members whose class's title is the item matched.
    pub right: u64,
}

/// The figures of a proposal on hand-grouped texts.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The number of texts.
    pub texts: usize,
    /// The number of classes.
    pub classes: usize,
    /// The number of items (classes of two or more).
    pub items: usize,
    /// The number of clusters proposed.
    pub clusters: usize,
    /// Pairwise precision and recall against the classes.
    pub scores: Scores,
    /// Item accuracy (a singleton is right when matched to no item).
    pub item_accuracy: ItemAccuracy,
    /// Matches by confidence: Low, Medium, High.
    pub bands: [Band; 3],
    /// Every match proposed (clusters matched to an item at or above the item threshold).
    pub matches: Vec<MatchRecord>,
}

impl Evaluation {
    /// The band of one confidence.
    pub fn band(&self, confidence: Confidence) -> Band {
        self.bands[confidence as usize]
    }
}

/// Proposes groups for `texts` (with the class of each in `classes`) and matches to the
/// titles (from `titles`, by class label) of the classes of two or more, and scores the
/// proposal as the module documentation says. A class with no title in `titles` is matched
/// by its label.
///
/// # Panics
/// When `texts` and `classes` have different lengths.
pub fn evaluate(
    texts: &[&str],
    classes: &[&str],
    titles: &BTreeMap<&str, &str>,
    settings: &Settings,
) -> Evaluation {
    assert_eq!(texts.len(), classes.len(), "one class per text");
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for &class in classes {
        *sizes.entry(class).or_insert(0) += 1;
    }
    let class_numbers: BTreeMap<&str, usize> = sizes
        .keys()
        .enumerate()
        .map(|(number, &class)| (class, number))
        .collect();
    let item_labels: Vec<&str> = sizes
        .iter()
        .filter(|&(_, &size)| size >= 2)
        .map(|(&class, _)| class)
        .collect();
    let item_texts: Vec<&str> = item_labels
        .iter()
        .map(|&label| titles.get(label).copied().unwrap_or(label))
        .collect();
    let truth_class: Vec<Option<usize>> = classes
        .iter()
        .map(|class| Some(class_numbers[class]))
        .collect();
    let truth_item: Vec<Option<usize>> = classes
        .iter()
        .map(|class| item_labels.binary_search(class).ok())
        .collect();
    let proposal: Proposal = propose(texts, &item_texts, settings);
    let scores = pairwise_precision_recall(&proposal.cluster_of_each(texts.len()), &truth_class);
    let accuracy = item_accuracy(&proposal.item_of_each(texts.len()), &truth_item);
    let mut bands = [Band::default(); 3];
    let mut matches = Vec::new();
    for cluster in &proposal.clusters {
        if let Some(matched) = &cluster.item {
            let right = cluster
                .members
                .iter()
                .filter(|&&member| truth_item[member] == Some(matched.item))
                .count() as u64;
            let band = &mut bands[matched.confidence as usize];
            band.suggestions += cluster.members.len() as u64;
            band.right += right;
            matches.push(MatchRecord {
                item_label: item_labels[matched.item].to_string(),
                similarity: matched.similarity,
                margin: matched.margin,
                members: cluster.members.len() as u64,
                right,
            });
        }
    }
    Evaluation {
        texts: texts.len(),
        classes: sizes.len(),
        items: item_labels.len(),
        clusters: proposal.clusters.len(),
        scores,
        item_accuracy: accuracy,
        bands,
        matches,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_split_is_a_fixed_hash_of_the_label() {
        // FNV-1a of the seed and label, worked out independently of this code would be the
        // ideal check; here: stable, and roughly even over many labels.
        let labels: Vec<String> = (0..1000).map(|number| format!("q{number:04}")).collect();
        let tuning = labels
            .iter()
            .filter(|label| half_of(label) == Half::Tuning)
            .count();
        assert!((400..=600).contains(&tuning), "{tuning}");
        assert_eq!(half_of("q0042"), half_of("q0042"));
    }

    #[test]
    fn scoring_by_hand() {
        let texts = [
            "when will covid end",
            "how long will covid last",
            "can my dog catch covid",
            "can pets get covid",
            "is covid in the water supply",
        ];
        let classes = ["a", "a", "b", "b", "c"];
        let titles: BTreeMap<&str, &str> = [
            (
                "a",
                "Pandemic duration: when will it end, how long will it last",
            ),
            ("b", "Pets and animals: can dogs and pets catch it"),
            ("c", "is covid in the water supply"),
        ]
        .into_iter()
        .collect();
        let evaluation = evaluate(&texts, &classes, &titles, &Settings::default());
        assert_eq!(evaluation.texts, 5);
        assert_eq!(evaluation.classes, 3);
        assert_eq!(evaluation.items, 2);
        // Two true pairs; the singleton should match no item.
        assert_eq!(evaluation.scores.true_pairs, 2);
        assert_eq!(evaluation.item_accuracy.on_topic, 4);
        assert_eq!(evaluation.item_accuracy.off_topic, 1);
        let matched: u64 = evaluation.bands.iter().map(|band| band.suggestions).sum();
        let records: u64 = evaluation.matches.iter().map(|record| record.members).sum();
        assert_eq!(matched, records);
        assert_eq!(Band::default().precision(), 1.0);
        // Wilson interval, 95%: 8 of 10 right gives 0.490 to 0.943.
        let band = Band {
            suggestions: 10,
            right: 8,
        };
        assert!((band.wilson_lower() - 0.490).abs() < 0.001, "{band:?}");
        assert_eq!(Band::default().wilson_lower(), 0.0);
    }
}
