//! `curate`: proposals of near-duplicate suggestions for research priority setting.
//!
//! After an open "suggest" round the research team reads every suggestion, groups those that
//! ask the same thing, and matches each group to an item of the long list or writes a new
//! item. This crate proposes that grouping, for the team to accept or change; it uses no
//! downloaded model, only the suggestions and the items' own words.
//!
//! # The method
//! 1. **Features** ([`text`]): each text is normalised (lowercase, Unicode-aware; everything
//!    but letters and digits becomes a space), stop words and the boilerplate of research
//!    questions are left out, and each remaining word, padded with a space on each side, is cut
//!    into character 3-grams. Character n-grams make "carer" and "carers", or a typo, still
//!    look alike.
//! 2. **Weights** ([`tfidf`]): TF-IDF after Salton and Buckley (1988), fitted on the
//!    suggestions and the items' texts together, each vector normalised to unit length (L2).
//! 3. **Similarity**: the cosine of two vectors (their dot product), in [0, 1].
//! 4. **Clusters** ([`cluster`]): average-linkage agglomerative clustering (UPGMA), merging
//!    while the two most similar clusters are at least [`Settings::threshold`] similar.
//! 5. **Items**: each cluster's centroid (the sum of its members' vectors, normalised) is
//!    compared with every item's vector; the most similar item is proposed when its cosine is
//!    at least [`Settings::item_threshold`].
//!
//! The defaults were chosen by measuring pairwise precision and recall, and item accuracy, on
//! simulated suggestions with known topics (BENCHMARKS.md, "Clustering suggestions").
//!
//! Complexity: O(n²) time and memory for n suggestions (the similarity matrix as `f32`, 50 MB
//! for 5,000 suggestions), plus O(n·m) for m items. Meant for up to about 5,000 suggestions.
//! Deterministic: the same texts in the same order give the same proposal.
#![deny(missing_docs)]

pub mod cluster;
pub mod evaluate;
pub mod text;
pub mod tfidf;

pub use evaluate::{ItemAccuracy, Scores, item_accuracy, pairwise_precision_recall};
pub use text::{Features, StopWords};
pub use tfidf::{Model, SparseVector};

/// How suggestions are grouped and matched to items.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Two clusters merge while their average similarity is at least this, in [0, 1].
    pub threshold: f64,
    /// A cluster is matched to its most similar item when their similarity is at least this,
    /// in [0, 1].
    pub item_threshold: f64,
    /// The features texts are cut into.
    pub features: Features,
}

/// The default clustering threshold, chosen by measurement (BENCHMARKS.md).
pub const DEFAULT_THRESHOLD: f64 = 0.4;
/// The default item threshold, chosen by measurement (BENCHMARKS.md).
pub const DEFAULT_ITEM_THRESHOLD: f64 = 0.15;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: DEFAULT_THRESHOLD,
            item_threshold: DEFAULT_ITEM_THRESHOLD,
            features: Features::default(),
        }
    }
}

/// A proposed grouping of suggestions.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The clusters: every suggestion is in exactly one. Largest first (ties: by smallest
    /// member).
    pub clusters: Vec<Cluster>,
}

/// A group of suggestions that look alike.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Indices into the suggestions, increasing.
    pub members: Vec<usize>,
    /// The existing item the cluster matches, if any is similar enough.
    pub item: Option<ItemMatch>,
}

/// An item and how similar it is.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemMatch {
    /// Index into the items.
    pub item: usize,
    /// Cosine similarity, in [0, 1].
    pub similarity: f64,
    /// How sure the match is ([`Confidence::of`]). Only [`Confidence::High`] and
    /// [`Confidence::Medium`] matches may be pre-selected or accepted in bulk; a
    /// [`Confidence::Low`] match is shown as such, for a person to judge.
    pub confidence: Confidence,
    /// The words that drove the match: the item's words found in the matched texts, most
    /// shared first (at most [`MATCH_WORDS`]), as they appear in the item's text, normalised.
    pub words: Vec<String>,
}

/// The most words [`ItemMatch::words`] gives.
pub const MATCH_WORDS: usize = 5;

/// How sure a proposed match of suggestions to an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    /// Weak: shown for a person to judge, never pre-selected or accepted in bulk.
    Low,
    /// Worth accepting after reading.
    Medium,
    /// Strong.
    High,
}

/// Similarity at or above which a match is [`Confidence::High`].
pub const HIGH_CONFIDENCE: f64 = 0.35;
/// Similarity at or above which a match is [`Confidence::Medium`].
pub const MEDIUM_CONFIDENCE: f64 = 0.22;

impl Confidence {
    /// The confidence of a match of this similarity: [`HIGH_CONFIDENCE`] and
    /// [`MEDIUM_CONFIDENCE`] are the cut points.
    pub fn of(similarity: f64) -> Confidence {
        if similarity >= HIGH_CONFIDENCE {
            Confidence::High
        } else if similarity >= MEDIUM_CONFIDENCE {
            Confidence::Medium
        } else {
            Confidence::Low
        }
    }

    /// `high`, `medium` or `low`.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

impl Proposal {
    /// Each suggestion's cluster number (its position in [`Proposal::clusters`]), by
    /// suggestion index, for `suggestion_count` suggestions.
    ///
    /// # Panics
    /// When a member index is not below `suggestion_count`.
    pub fn cluster_of_each(&self, suggestion_count: usize) -> Vec<usize> {
        let mut labels = vec![usize::MAX; suggestion_count];
        for (number, cluster) in self.clusters.iter().enumerate() {
            for &member in &cluster.members {
                labels[member] = number;
            }
        }
        labels
    }

    /// The item each suggestion's cluster is matched to, by suggestion index.
    ///
    /// # Panics
    /// When a member index is not below `suggestion_count`.
    pub fn item_of_each(&self, suggestion_count: usize) -> Vec<Option<usize>> {
        let mut items = vec![None; suggestion_count];
        for cluster in &self.clusters {
            for &member in &cluster.members {
                items[member] = cluster.item.as_ref().map(|matched| matched.item);
            }
        }
        items
    }
}

/// Suggestions and items as TF-IDF vectors, ready to be clustered and compared.
#[derive(Debug, Clone)]
pub struct Curator {
    model: Model,
    suggestions: Vec<SparseVector>,
    items: Vec<SparseVector>,
    /// Each suggestion's words (normalised, stop words left out), sorted, without repeats.
    suggestion_words: Vec<Vec<String>>,
    /// Each item's words, in the order they first appear, without repeats.
    item_words: Vec<Vec<String>>,
    settings: Settings,
}

/// The words of a text, normalised, stop words left out, in order, without repeats.
fn words_of(text: &str, stop_words: StopWords) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in text::normalise(text).split(' ') {
        if !word.is_empty() && !stop_words.contains(word) && !words.iter().any(|w| w == word) {
            words.push(word.to_string());
        }
    }
    words
}

impl Curator {
    /// Fits the TF-IDF model on the suggestions and the items' texts (for example each item's
    /// title and description joined), and turns each into a vector. O(total text length).
    pub fn new(suggestions: &[&str], items: &[&str], settings: &Settings) -> Curator {
        let model = Model::fit(
            suggestions.iter().chain(items.iter()).copied(),
            settings.features,
        );
        let stop_words = settings.features.stop_words;
        let suggestion_words = suggestions
            .iter()
            .map(|text| {
                let mut words = words_of(text, stop_words);
                words.sort_unstable();
                words
            })
            .collect();
        let item_words = items
            .iter()
            .map(|text| words_of(text, stop_words))
            .collect();
        let suggestions = suggestions.iter().map(|text| model.vector(text)).collect();
        let items = items.iter().map(|text| model.vector(text)).collect();
        Curator {
            model,
            suggestions,
            items,
            suggestion_words,
            item_words,
            settings: *settings,
        }
    }

    /// The fitted model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The cosine similarity of two suggestions, by index.
    ///
    /// # Panics
    /// When an index is out of range.
    pub fn similarity(&self, first: usize, second: usize) -> f64 {
        self.suggestions[first].cosine(&self.suggestions[second])
    }

    /// Every pair's similarity, through an inverted index (feature → suggestions), so that
    /// only pairs sharing a feature cost anything.
    fn similarity_matrix(&self) -> cluster::SimilarityMatrix {
        let count = self.suggestions.len();
        let mut postings: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.model.feature_count()];
        for (index, vector) in self.suggestions.iter().enumerate() {
            for &(feature, weight) in vector.entries() {
                postings[feature as usize].push((index, weight));
            }
        }
        cluster::SimilarityMatrix::from_rows(count, |first, row| {
            for &(feature, weight) in self.suggestions[first].entries() {
                let list = &postings[feature as usize];
                let start = list.partition_point(|&(index, _)| index <= first);
                for &(second, other_weight) in &list[start..] {
                    row[second] += weight * other_weight;
                }
            }
            for value in row.iter_mut() {
                *value = value.clamp(0.0, 1.0);
            }
        })
    }

    /// The items most similar to a vector, best first (ties: by item index), at most `count`,
    /// with the words of `members` (suggestion indices) that each shares.
    fn nearest_to(&self, vector: &SparseVector, count: usize, members: &[usize]) -> Vec<ItemMatch> {
        let mut matches: Vec<(usize, f64)> = self
            .items
            .iter()
            .enumerate()
            .map(|(item, item_vector)| (item, vector.cosine(item_vector)))
            .collect();
        matches.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        matches.truncate(count);
        matches
            .into_iter()
            .map(|(item, similarity)| ItemMatch {
                item,
                similarity,
                confidence: Confidence::of(similarity),
                words: self.shared_words(item, members),
            })
            .collect()
    }

    /// The item's words found in the suggestions `members`, in the most of them first (ties:
    /// in the item's order), at most [`MATCH_WORDS`].
    fn shared_words(&self, item: usize, members: &[usize]) -> Vec<String> {
        let mut counted: Vec<(usize, usize, &String)> = self.item_words[item]
            .iter()
            .enumerate()
            .filter_map(|(position, word)| {
                let found = members
                    .iter()
                    .filter(|&&member| self.suggestion_words[member].binary_search(word).is_ok())
                    .count();
                (found > 0).then_some((found, position, word))
            })
            .collect();
        counted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        counted
            .into_iter()
            .take(MATCH_WORDS)
            .map(|(_, _, word)| word.clone())
            .collect()
    }

    /// The `count` items most similar to suggestion `suggestion`, best first, whatever their
    /// similarity: for offering "assign to an existing item" (typically `count` = 3).
    ///
    /// # Panics
    /// When the index is out of range.
    pub fn nearest_items(&self, suggestion: usize, count: usize) -> Vec<ItemMatch> {
        self.nearest_to(&self.suggestions[suggestion], count, &[suggestion])
    }

    /// The `count` items most similar to a text that was not among the suggestions (features
    /// the model never met are left out), best first. Their [`ItemMatch::words`] are empty.
    pub fn nearest_items_to_text(&self, text: &str, count: usize) -> Vec<ItemMatch> {
        self.nearest_to(&self.model.vector(text), count, &[])
    }

    /// Groups the suggestions by average linkage and matches each group to its most similar
    /// item, as the module documentation describes.
    pub fn propose(&self) -> Proposal {
        let groups = cluster::average_linkage(self.similarity_matrix(), self.settings.threshold);
        let clusters = groups
            .into_iter()
            .map(|members| {
                let centroid =
                    SparseVector::sum(members.iter().map(|&member| &self.suggestions[member]));
                let item = self
                    .nearest_to(&centroid, 1, &members)
                    .into_iter()
                    .next()
                    .filter(|best| best.similarity >= self.settings.item_threshold);
                Cluster { members, item }
            })
            .collect();
        Proposal { clusters }
    }
}

/// Proposes groups of near-duplicate suggestions and the existing item each group matches.
/// `items` are the items' texts (title and description joined, for example), by item index.
/// See the module documentation for the method; the same texts in the same order give the
/// same proposal.
pub fn propose(suggestions: &[&str], items: &[&str], settings: &Settings) -> Proposal {
    Curator::new(suggestions, items, settings).propose()
}

/// The `count` items most similar to one suggestion, best first, with the model fitted on the
/// items and the suggestion. To rank items for many suggestions, build one [`Curator`] and use
/// [`Curator::nearest_items`].
pub fn nearest_items(
    suggestion: &str,
    items: &[&str],
    count: usize,
    settings: &Settings,
) -> Vec<ItemMatch> {
    Curator::new(&[suggestion], items, settings).nearest_items(0, count)
}

/// The cosine similarity of two texts, with the model fitted on the two of them.
pub fn similarity(first: &str, second: &str, features: Features) -> f64 {
    let model = Model::fit([first, second], features);
    model.vector(first).cosine(&model.vector(second))
}

#[cfg(test)]
mod tests;
