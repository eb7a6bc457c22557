//! `curate`: proposals of near-duplicate suggestions for research priority setting.
//!
//! After an open "suggest" round the research team reads every suggestion, groups those that
//! ask the same thing, and matches each group to an item of the long list or writes a new
//! item. This crate proposes that grouping, for the team to accept or change; it uses no
//! downloaded model, only the suggestions and the items' own words.
//!
//! # The method
//! 1. **Features** ([`text`]): each text is normalised (lowercase, Unicode-aware; everything
//!    but letters and digits becomes a space) and stop words are left out
//!    ([`Features::stop_words`]; by default this crate's function words and research-question
//!    boilerplate). Each remaining word gives two kinds of feature: its Snowball English stem
//!    (`rust-stemmers`: "carers" and "caring" become "carer" and "care", "vaccines" and
//!    "vaccination" both "vaccin"), and the character 3-grams of the word as written, padded
//!    with a space on each side, so that a typo or a compound still looks alike.
//! 2. **Weights** ([`tfidf`]): TF-IDF after Salton and Buckley (1988) with sublinear term
//!    frequency (`1 + ln tf`), fitted on the suggestions and the items' texts together. Stems
//!    and n-grams are two blocks, each normalised to unit length, so that the cosine of two
//!    texts is 0.6 × the cosine of their stems + 0.4 × the cosine of their n-grams
//!    ([`Features::word_weight`]).
//! 3. **Copies**: suggestions with the same vector (the same words up to case, punctuation,
//!    stop words and repeats) are clustered once, as one thing standing for its copies; this
//!    gives the same clusters as clustering every copy, since copies are similarity 1.
//! 4. **Similarity graph** ([`Curator::similarity_graph`]): candidate pairs come from an
//!    inverted index (feature → suggestions); a feature found in more than
//!    [`Settings::common_feature_share`] of the suggestions (and more than
//!    [`COMMON_FEATURE_MIN_TEXTS`]) finds no candidates, though it counts in the similarity of
//!    pairs found through other features. Only pairs at least [`Settings::pair_floor`] similar
//!    are stored: memory grows with the pairs kept, not with n².
//! 5. **Clusters** ([`cluster`]): average-linkage agglomerative clustering (UPGMA) over the
//!    graph, merging while the two most similar clusters are at least [`Settings::threshold`]
//!    similar on average. **A pair that is not stored counts as similarity 0**, so clusters
//!    can only be a little less inclusive than with every pair.
//! 6. **Items**: each cluster's centroid (the normalised sum of its members' vectors) is
//!    compared with every item's vector; the most similar item is proposed when the cosine is
//!    at least [`Settings::item_threshold`]. The match carries its margin over the runner-up
//!    item, a [`Confidence`] from both ([`Confidence::of_match`]), and the item's words that
//!    gave the most of the similarity ([`ItemMatch::words`]).
//!
//! The defaults were chosen on the tuning half of real questions grouped by people (COVID-Q,
//! split by a hash of the class label, [`labelled`]) among the combinations that did not lose
//! on simulated suggestions with known topics, and the confidence cut points were chosen by
//! five-fold cross-validation inside the same tuning half, pooled with the simulated
//! suggestions (`cargo run --release -p curate --example calibrate`); the held-out half is
//! only measured (`cargo run --release -p curate --example covid_q`).
//!
//! Measured on the held-out half (BENCHMARKS.md, "Clustering suggestions", which also says
//! what the figures do not show): for the fine classes ("asks the same thing") item accuracy
//! 0.383, High matches right 0.610 (25 of 41 texts), Medium 0.775 (55 of 71), Low 0.328; for
//! the 16 broad categories ("which theme"), matched to their titles, item accuracy 0.127,
//! High 0.924 (61 of 66), Medium 0.600 (6 of 10), Low 0.432. A High match is not a match to
//! accept unread.
//!
//! Complexity: O(total text length) for the features, O(Σ postings) for the candidate pairs
//! (a feature's posting list is at most the common share of the suggestions long), and
//! average linkage in O(E·d) for E stored pairs and d the most neighbours a cluster has;
//! memory O(n + E). 10,000 simulated suggestions, all different, take about 4.5 s and 250 MB.
//! Deterministic: the same texts in the same order give the same proposal.
#![deny(missing_docs)]

pub mod cluster;
pub mod evaluate;
pub mod labelled;
pub mod text;
pub mod tfidf;

pub use cluster::SimilarityGraph;
pub use evaluate::{ItemAccuracy, Scores, item_accuracy, pairwise_precision_recall};
pub use text::{Features, StopWords};
pub use tfidf::{Model, SparseVector};

use rustc_hash::FxHashMap;

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
    /// Pairs of suggestions less similar than this are not stored and count as 0 in average
    /// linkage; at most [`Settings::threshold`] (a larger value is lowered to it).
    pub pair_floor: f64,
    /// A feature found in more than this share of the suggestions (and in more than
    /// [`COMMON_FEATURE_MIN_TEXTS`]) does not make two suggestions a candidate pair; it still
    /// counts in the similarity of pairs found through other features.
    pub common_feature_share: f64,
    /// How much a cluster's single most similar member counts, beside its centroid, in the
    /// similarity of a cluster and an item, in [0, 1]: `(1 − w)·cos(centroid, item) +
    /// w·max over members of cos(member, item)`.
    pub member_weight: f64,
}

/// The default clustering threshold, chosen by measurement (BENCHMARKS.md).
pub const DEFAULT_THRESHOLD: f64 = 0.25;
/// The default item threshold, chosen by measurement (BENCHMARKS.md).
pub const DEFAULT_ITEM_THRESHOLD: f64 = 0.2;
/// The default [`Settings::pair_floor`].
pub const DEFAULT_PAIR_FLOOR: f64 = 0.2;
/// The default [`Settings::common_feature_share`].
pub const DEFAULT_COMMON_FEATURE_SHARE: f64 = 0.25;
/// The default [`Settings::member_weight`].
pub const DEFAULT_MEMBER_WEIGHT: f64 = 0.0;
/// A feature in at most this many suggestions always finds candidate pairs, whatever
/// [`Settings::common_feature_share`] says, so that small sets are compared in full.
pub const COMMON_FEATURE_MIN_TEXTS: usize = 100;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: DEFAULT_THRESHOLD,
            item_threshold: DEFAULT_ITEM_THRESHOLD,
            features: Features::default(),
            pair_floor: DEFAULT_PAIR_FLOOR,
            common_feature_share: DEFAULT_COMMON_FEATURE_SHARE,
            member_weight: DEFAULT_MEMBER_WEIGHT,
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
    /// Similarity, in [0, 1]: the cosine of the texts' centroid and the item, mixed with the
    /// best member's cosine by [`Settings::member_weight`].
    pub similarity: f64,
    /// How far ahead of the runner-up item the match is: its similarity less the next best
    /// item's (its whole similarity when there is no other item), in [0, 1].
    pub margin: f64,
    /// How sure the match is ([`Confidence::of_match`]). Only [`Confidence::High`] and
    /// [`Confidence::Medium`] matches may be pre-selected or accepted in bulk; a
    /// [`Confidence::Low`] match is shown as such, for a person to judge.
    pub confidence: Confidence,
    /// The words that drove the match: the item's words (as they appear in the item's text,
    /// normalised) that gave the most of the similarity, through their stem or their
    /// character n-grams, most first; at most [`MATCH_WORDS`], each giving at least
    /// [`MATCH_WORD_SHARE`] of it.
    pub words: Vec<String>,
}

/// The most words [`ItemMatch::words`] gives.
pub const MATCH_WORDS: usize = 5;
/// The least share of a match's similarity a word must give to be among [`ItemMatch::words`].
pub const MATCH_WORD_SHARE: f64 = 0.05;

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

// The four cut points below were chosen by `cargo run --release -p curate --example
// calibrate`: five-fold cross-validation inside the tuning half of COVID-Q, with the simulated
// suggestions beside it, aiming at the lower end of a 95% Wilson interval of 0.85 for High
// and 0.65 for Medium with at least 30 suggestions in each band. No rule reached either aim
// on COVID-Q; these are the ones with the highest lower ends (BENCHMARKS.md, "Clustering
// suggestions", for what they are worth on the held-out half).

/// Similarity at or above which a match is [`Confidence::High`].
pub const HIGH_CONFIDENCE: f64 = 0.6;
/// Similarity at or above which a match is [`Confidence::Medium`].
pub const MEDIUM_CONFIDENCE: f64 = 0.4;

/// Margin over the runner-up item at or above which a match may be [`Confidence::High`].
pub const HIGH_MARGIN: f64 = 0.25;
/// Margin over the runner-up item at or above which a match may be [`Confidence::Medium`].
pub const MEDIUM_MARGIN: f64 = 0.25;

impl Confidence {
    /// The confidence of a match of this similarity and margin over the runner-up: High when
    /// both reach [`HIGH_CONFIDENCE`] and [`HIGH_MARGIN`], Medium when both reach
    /// [`MEDIUM_CONFIDENCE`] and [`MEDIUM_MARGIN`], Low otherwise.
    pub fn of_match(similarity: f64, margin: f64) -> Confidence {
        if similarity >= HIGH_CONFIDENCE && margin >= HIGH_MARGIN {
            Confidence::High
        } else if similarity >= MEDIUM_CONFIDENCE && margin >= MEDIUM_MARGIN {
            Confidence::Medium
        } else {
            Confidence::Low
        }
    }

    /// The confidence of a match of this similarity alone: [`HIGH_CONFIDENCE`] and
    /// [`MEDIUM_CONFIDENCE`] are the cut points ([`Confidence::of_match`] with a margin that
    /// passes).
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
    /// For each suggestion, the index of the first suggestion with the same vector (its
    /// representative: itself when it is the first).
    representative: Vec<u32>,
    /// The representatives, in increasing order, and how many suggestions each stands for.
    distinct: Vec<(u32, usize)>,
    /// Each item's distinct words (normalised, stop words left out), in order, with their
    /// features' indices in the model.
    item_words: Vec<Vec<(String, Vec<u32>)>>,
    settings: Settings,
}

/// The words of a text, normalised, stop words left out (unless all are), in order, without
/// repeats, each with the indices of its features that the model knows.
fn words_with_features(text: &str, model: &Model) -> Vec<(String, Vec<u32>)> {
    let features = model.features();
    let normalised = text::normalise(text);
    let mut words: Vec<(String, Vec<u32>)> = Vec::new();
    for word in normalised.split(' ') {
        if word.is_empty()
            || features.stop_words.contains(word)
            || words.iter().any(|(known, _)| known == word)
        {
            continue;
        }
        let mut ids = Vec::new();
        text::for_each_feature(word, features, |feature, _| {
            if let Some(id) = model.feature_id(feature) {
                ids.push(id);
            }
        });
        ids.sort_unstable();
        ids.dedup();
        words.push((word.to_string(), ids));
    }
    words
}

/// The weight of feature `id` in a vector, 0 when absent. O(log len).
fn weight_of(vector: &SparseVector, id: u32) -> f64 {
    let entries = vector.entries();
    entries
        .binary_search_by_key(&id, |&(feature, _)| feature)
        .map_or(0.0, |position| entries[position].1)
}

impl Curator {
    /// Fits the TF-IDF model on the suggestions and the items' texts (for example each item's
    /// title and description joined), and turns each into a vector. O(total text length).
    pub fn new(suggestions: &[&str], items: &[&str], settings: &Settings) -> Curator {
        let model = Model::fit(
            suggestions.iter().chain(items.iter()).copied(),
            settings.features,
        );
        let item_words = items
            .iter()
            .map(|text| words_with_features(text, &model))
            .collect();
        let suggestions: Vec<SparseVector> =
            suggestions.iter().map(|text| model.vector(text)).collect();
        let items = items.iter().map(|text| model.vector(text)).collect();
        // Suggestions with the same vector (the same words, up to case, punctuation, stop
        // words and repeats) are clustered once, as one weighted thing.
        let mut first_with: FxHashMap<Vec<(u32, u64)>, u32> = FxHashMap::default();
        let mut representative = Vec::with_capacity(suggestions.len());
        let mut distinct: Vec<(u32, usize)> = Vec::new();
        let mut position_of: FxHashMap<u32, usize> = FxHashMap::default();
        for (index, vector) in suggestions.iter().enumerate() {
            let key: Vec<(u32, u64)> = vector
                .entries()
                .iter()
                .map(|&(feature, weight)| (feature, weight.to_bits()))
                .collect();
            let first = *first_with.entry(key).or_insert(index as u32);
            representative.push(first);
            if first == index as u32 {
                position_of.insert(first, distinct.len());
                distinct.push((first, 1));
            } else {
                distinct[position_of[&first]].1 += 1;
            }
        }
        Curator {
            model,
            representative,
            distinct,
            suggestions,
            items,
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

    /// The number of distinct suggestions: suggestions with the same vector (the same words
    /// up to case, punctuation, stop words and repeats) count once.
    pub fn distinct_count(&self) -> usize {
        self.distinct.len()
    }

    /// The distinct suggestions, in order of first appearance: the index of the first
    /// suggestion with each vector, and how many suggestions share it.
    pub fn distinct(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.distinct
            .iter()
            .map(|&(index, copies)| (index as usize, copies))
    }

    /// The pairs of distinct suggestions (numbered 0 to [`Curator::distinct_count`], in order
    /// of first appearance) at least [`Settings::pair_floor`] similar, found through an
    /// inverted index (feature → suggestions) so that only pairs sharing a feature cost
    /// anything. Features in more than [`Settings::common_feature_share`] of the distinct
    /// suggestions (and more than [`COMMON_FEATURE_MIN_TEXTS`]) are left out of the index, so
    /// two suggestions that share only such features are not compared (their similarity
    /// counts as 0); for pairs found through other features they are added afterwards.
    /// Memory O(n + pairs kept).
    pub fn similarity_graph(&self) -> SimilarityGraph {
        let vectors: Vec<&SparseVector> = self
            .distinct
            .iter()
            .map(|&(index, _)| &self.suggestions[index as usize])
            .collect();
        let count = vectors.len();
        let mut postings: Vec<Vec<(u32, f64)>> = vec![Vec::new(); self.model.feature_count()];
        for (index, vector) in vectors.iter().enumerate() {
            for &(feature, weight) in vector.entries() {
                postings[feature as usize].push((index as u32, weight));
            }
        }
        let common_limit = ((self.settings.common_feature_share * count as f64).ceil() as usize)
            .max(COMMON_FEATURE_MIN_TEXTS);
        let is_common: Vec<bool> = postings
            .iter()
            .map(|list| list.len() > common_limit)
            .collect();
        let common_parts: Vec<SparseVector> = vectors
            .iter()
            .map(|vector| {
                SparseVector::from_sorted(
                    vector
                        .entries()
                        .iter()
                        .copied()
                        .filter(|&(feature, _)| is_common[feature as usize])
                        .collect(),
                )
            })
            .collect();
        let floor = self
            .settings
            .pair_floor
            .min(self.settings.threshold)
            .max(0.0);
        let mut graph = SimilarityGraph::new(count);
        let mut sums = vec![0.0f64; count];
        let mut touched: Vec<u32> = Vec::new();
        for first in 0..count {
            for &(feature, weight) in vectors[first].entries() {
                if is_common[feature as usize] {
                    continue;
                }
                let list = &postings[feature as usize];
                let start = list.partition_point(|&(index, _)| index as usize <= first);
                for &(second, other_weight) in &list[start..] {
                    let sum = &mut sums[second as usize];
                    if *sum == 0.0 {
                        touched.push(second);
                    }
                    *sum += weight * other_weight;
                }
            }
            touched.sort_unstable();
            for &second in &touched {
                let second = second as usize;
                let similarity =
                    (sums[second] + common_parts[first].dot(&common_parts[second])).clamp(0.0, 1.0);
                sums[second] = 0.0;
                graph.push(first, second, similarity, floor);
            }
            touched.clear();
        }
        graph
    }

    /// Each item's similarity to a group of suggestions with this centroid (unit length) and
    /// these members, by item index (see [`Settings::member_weight`]).
    fn item_similarities(&self, centroid: &SparseVector, members: &[usize]) -> Vec<f64> {
        let member_weight = self.settings.member_weight.clamp(0.0, 1.0);
        self.items
            .iter()
            .map(|item_vector| {
                let central = centroid.dot(item_vector).clamp(0.0, 1.0);
                if member_weight == 0.0 || members.len() < 2 {
                    return central;
                }
                let best_member = members
                    .iter()
                    .map(|&member| self.suggestions[member].dot(item_vector))
                    .fold(0.0f64, f64::max)
                    .clamp(0.0, 1.0);
                (1.0 - member_weight) * central + member_weight * best_member
            })
            .collect()
    }

    /// The items most similar to a group (its centroid and members), best first (ties: by
    /// item index), at most `count`, each with its margin, confidence and driving words.
    fn nearest_to(
        &self,
        centroid: &SparseVector,
        members: &[usize],
        count: usize,
    ) -> Vec<ItemMatch> {
        let similarities = self.item_similarities(centroid, members);
        let mut ranked: Vec<(usize, f64)> = similarities.into_iter().enumerate().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let runner_up = |position: usize| {
            ranked
                .iter()
                .enumerate()
                .find(|&(other, _)| other != position)
                .map_or(0.0, |(_, &(_, similarity))| similarity)
        };
        ranked
            .iter()
            .take(count)
            .enumerate()
            .map(|(position, &(item, similarity))| {
                let margin = (similarity - runner_up(position)).max(0.0);
                ItemMatch {
                    item,
                    similarity,
                    margin,
                    confidence: Confidence::of_match(similarity, margin),
                    words: self.driving_words(item, centroid),
                }
            })
            .collect()
    }

    /// The item's words that give the most of its dot product with `vector`: each word is
    /// credited with its stem's product and, for each of its n-grams, the n-gram's product
    /// shared among the item's words that contain it. Most first (ties: in the item's order),
    /// at most [`MATCH_WORDS`], each at least [`MATCH_WORD_SHARE`] of the total.
    fn driving_words(&self, item: usize, vector: &SparseVector) -> Vec<String> {
        let item_vector = &self.items[item];
        let words = &self.item_words[item];
        let mut holders: FxHashMap<u32, usize> = FxHashMap::default();
        for (_, ids) in words {
            for &id in ids {
                *holders.entry(id).or_insert(0) += 1;
            }
        }
        let total = vector.dot(item_vector);
        if total <= 0.0 {
            return Vec::new();
        }
        let mut credited: Vec<(f64, usize)> = words
            .iter()
            .enumerate()
            .map(|(position, (_, ids))| {
                let credit: f64 = ids
                    .iter()
                    .map(|&id| {
                        weight_of(vector, id) * weight_of(item_vector, id) / holders[&id] as f64
                    })
                    .sum();
                (credit, position)
            })
            .filter(|&(credit, _)| credit >= MATCH_WORD_SHARE * total)
            .collect();
        credited.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        credited
            .into_iter()
            .take(MATCH_WORDS)
            .map(|(_, position)| words[position].0.clone())
            .collect()
    }

    /// The `count` items most similar to suggestion `suggestion`, best first, whatever their
    /// similarity: for offering "assign to an existing item" (typically `count` = 3).
    ///
    /// # Panics
    /// When the index is out of range.
    pub fn nearest_items(&self, suggestion: usize, count: usize) -> Vec<ItemMatch> {
        self.nearest_to(&self.suggestions[suggestion], &[suggestion], count)
    }

    /// The `count` items most similar to a text that was not among the suggestions (features
    /// the model never met are left out), best first.
    pub fn nearest_items_to_text(&self, text: &str, count: usize) -> Vec<ItemMatch> {
        self.nearest_to(&self.model.vector(text), &[], count)
    }

    /// Groups the suggestions by average linkage over the similarity graph and matches each
    /// group to its most similar item, as the module documentation describes.
    pub fn propose(&self) -> Proposal {
        self.propose_from(self.similarity_graph())
    }

    /// [`Curator::propose`] from a graph already built by [`Curator::similarity_graph`].
    pub fn propose_from(&self, graph: SimilarityGraph) -> Proposal {
        let weights: Vec<usize> = self.distinct.iter().map(|&(_, copies)| copies).collect();
        let groups = cluster::average_linkage_weighted(graph, &weights, self.settings.threshold);
        // Each distinct suggestion's copies, by its position among the distinct ones.
        let mut copies: Vec<Vec<usize>> = vec![Vec::new(); self.distinct.len()];
        let position: FxHashMap<u32, usize> = self
            .distinct
            .iter()
            .enumerate()
            .map(|(position, &(index, _))| (index, position))
            .collect();
        for (index, first) in self.representative.iter().enumerate() {
            copies[position[first]].push(index);
        }
        let mut groups: Vec<Vec<usize>> = groups
            .into_iter()
            .map(|(distinct, _)| {
                let mut members: Vec<usize> = distinct
                    .iter()
                    .flat_map(|&position| copies[position].iter().copied())
                    .collect();
                members.sort_unstable();
                members
            })
            .collect();
        groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
        let clusters = groups
            .into_iter()
            .map(|members| {
                let centroid =
                    SparseVector::sum(members.iter().map(|&member| &self.suggestions[member]))
                        .normalised();
                let item = self
                    .nearest_to(&centroid, &members, 1)
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
