//! TF-IDF vectors of texts and their cosine similarity.
//!
//! Term weighting after Salton and Buckley (1988), "Term-weighting approaches in automatic
//! text retrieval", Information Processing & Management 24(5):513–523: a feature's weight in a
//! text is its term frequency (the number of times it occurs) times its inverse document
//! frequency, and each text's vector is normalised to unit length (their `tfc` scheme), so
//! that the cosine of two texts is the dot product of their vectors.
//!
//! The inverse document frequency is smoothed as scikit-learn's `TfidfVectorizer` does by
//! default: `idf(f) = ln((1 + N) / (1 + df(f))) + 1`, where `N` is the number of texts the
//! model was fitted on and `df(f)` the number of them containing feature `f`. Unlike Salton
//! and Buckley's `ln(N / df)`, it never gives a feature weight 0, so that two copies of a text
//! in a corpus of two still have a cosine of 1.
//!
//! Two refinements (both measured, BENCHMARKS.md): the term frequency may count sublinearly,
//! `1 + ln(tf)` (Manning, Raghavan and Schütze 2008, "Introduction to Information Retrieval",
//! section 6.4.1), and whole words and character n-grams are two blocks, each normalised to
//! unit length and scaled by the square root of its share ([`Features::word_weight`]), so that
//! the cosine of two texts is the weighted mean of their word cosine and their n-gram cosine.

use rustc_hash::FxHashMap;

#[cfg(test)]
use crate::text::StopWords;
use crate::text::{Block, Features, for_each_feature};

/// A sparse vector: feature indices in increasing order with their weights.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SparseVector {
    entries: Vec<(u32, f64)>,
}

impl SparseVector {
    /// A vector from entries already in increasing order of feature index.
    ///
    /// # Panics
    /// When the entries are not in strictly increasing order of feature index.
    pub fn from_sorted(entries: Vec<(u32, f64)>) -> SparseVector {
        assert!(
            entries.windows(2).all(|pair| pair[0].0 < pair[1].0),
            "entries in increasing order of feature"
        );
        SparseVector { entries }
    }

    /// The non-zero entries, by increasing feature index.
    pub fn entries(&self) -> &[(u32, f64)] {
        &self.entries
    }

    /// Whether the vector has no non-zero entry (a text with no known feature).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The Euclidean (L2) norm.
    pub fn norm(&self) -> f64 {
        self.entries
            .iter()
            .map(|(_, weight)| weight * weight)
            .sum::<f64>()
            .sqrt()
    }

    /// The vector scaled to unit length; an empty vector stays empty.
    pub fn normalised(mut self) -> SparseVector {
        let norm = self.norm();
        if norm > 0.0 {
            for (_, weight) in &mut self.entries {
                *weight /= norm;
            }
        }
        self
    }

    /// The dot product, by merging the two sorted entry lists: O(len(a) + len(b)).
    pub fn dot(&self, other: &SparseVector) -> f64 {
        let (mut left, mut right) = (0, 0);
        let mut sum = 0.0;
        while left < self.entries.len() && right < other.entries.len() {
            let (left_feature, left_weight) = self.entries[left];
            let (right_feature, right_weight) = other.entries[right];
            match left_feature.cmp(&right_feature) {
                std::cmp::Ordering::Less => left += 1,
                std::cmp::Ordering::Greater => right += 1,
                std::cmp::Ordering::Equal => {
                    sum += left_weight * right_weight;
                    left += 1;
                    right += 1;
                }
            }
        }
        sum
    }

    /// The cosine similarity, clamped to [0, 1] (weights are never negative, so only rounding
    /// could take it outside). 0 when either vector is empty.
    pub fn cosine(&self, other: &SparseVector) -> f64 {
        let norms = self.norm() * other.norm();
        if norms == 0.0 {
            return 0.0;
        }
        (self.dot(other) / norms).clamp(0.0, 1.0)
    }

    /// The sum of several vectors (for a cluster's centroid, up to a factor).
    pub fn sum<'a>(vectors: impl IntoIterator<Item = &'a SparseVector>) -> SparseVector {
        let mut totals: Vec<(u32, f64)> = vectors
            .into_iter()
            .flat_map(|vector| vector.entries.iter().copied())
            .collect();
        totals.sort_by_key(|&(feature, _)| feature);
        let mut entries: Vec<(u32, f64)> = Vec::with_capacity(totals.len());
        for (feature, weight) in totals {
            match entries.last_mut() {
                Some((last, total)) if *last == feature => *total += weight,
                _ => entries.push((feature, weight)),
            }
        }
        SparseVector { entries }
    }
}

/// A TF-IDF model: a vocabulary of features and their inverse document frequencies, fitted on
/// a corpus of texts.
#[derive(Debug, Clone)]
pub struct Model {
    features: Features,
    vocabulary: FxHashMap<String, u32>,
    inverse_document_frequency: Vec<f64>,
    document_frequency: Vec<u32>,
    blocks: Vec<Block>,
    document_count: usize,
}

impl Model {
    /// Fits a model on `documents`: every feature met gets an index (in order of first
    /// appearance, so the model does not depend on hash order) and its smoothed inverse
    /// document frequency. O(total length of the documents).
    pub fn fit<'a>(documents: impl IntoIterator<Item = &'a str>, features: Features) -> Model {
        let mut vocabulary: FxHashMap<String, u32> = FxHashMap::default();
        let mut document_frequency: Vec<u32> = Vec::new();
        let mut blocks: Vec<Block> = Vec::new();
        // The last document each feature was counted in, so that each counts once per text.
        let mut last_seen: Vec<usize> = Vec::new();
        let mut document_count = 0;
        for (index, document) in documents.into_iter().enumerate() {
            document_count += 1;
            for_each_feature(document, features, |feature, block| {
                let id = match vocabulary.get(feature) {
                    Some(&id) => id,
                    None => {
                        let id = document_frequency.len() as u32;
                        vocabulary.insert(feature.to_string(), id);
                        document_frequency.push(0);
                        blocks.push(block);
                        last_seen.push(usize::MAX);
                        id
                    }
                };
                if last_seen[id as usize] != index {
                    last_seen[id as usize] = index;
                    document_frequency[id as usize] += 1;
                }
            });
        }
        let inverse_document_frequency = document_frequency
            .iter()
            .map(|&frequency| {
                ((1.0 + document_count as f64) / (1.0 + f64::from(frequency))).ln() + 1.0
            })
            .collect();
        Model {
            features,
            vocabulary,
            inverse_document_frequency,
            document_frequency,
            blocks,
            document_count,
        }
    }

    /// The features the model was fitted with.
    pub fn features(&self) -> Features {
        self.features
    }

    /// A feature's index, if the model has met it.
    pub fn feature_id(&self, feature: &str) -> Option<u32> {
        self.vocabulary.get(feature).copied()
    }

    /// The number of texts the model was fitted on that contain feature `id`.
    ///
    /// # Panics
    /// When `id` is not below [`Model::feature_count`].
    pub fn document_frequency(&self, id: u32) -> u32 {
        self.document_frequency[id as usize]
    }

    /// The number of texts the model was fitted on.
    pub fn document_count(&self) -> usize {
        self.document_count
    }

    /// The number of distinct features met.
    pub fn feature_count(&self) -> usize {
        self.inverse_document_frequency.len()
    }

    /// The inverse document frequency of a feature (see [`crate::text::for_each_feature`] for
    /// their spelling), if the model has met it.
    pub fn inverse_document_frequency(&self, feature: &str) -> Option<f64> {
        self.vocabulary
            .get(feature)
            .map(|&id| self.inverse_document_frequency[id as usize])
    }

    /// The unit-length TF-IDF vector of `text`, its word and n-gram blocks weighted as the
    /// module documentation says. Features the model has not met are left out.
    pub fn vector(&self, text: &str) -> SparseVector {
        let mut counts: Vec<(u32, f64)> = Vec::new();
        for_each_feature(text, self.features, |feature, _| {
            if let Some(&id) = self.vocabulary.get(feature) {
                counts.push((id, 1.0));
            }
        });
        let mut vector = SparseVector::sum([&SparseVector { entries: counts }]);
        let mut squares = [0.0f64; 2];
        for (id, weight) in &mut vector.entries {
            if self.features.sublinear_tf {
                *weight = 1.0 + weight.ln();
            }
            *weight *= self.inverse_document_frequency[*id as usize];
            squares[self.blocks[*id as usize] as usize] += *weight * *weight;
        }
        let word_weight = self.features.word_weight.clamp(0.0, 1.0);
        let scales = [
            (word_weight, squares[Block::Word as usize]),
            (1.0 - word_weight, squares[Block::Ngram as usize]),
        ]
        .map(|(share, square)| {
            if square > 0.0 {
                (share / square).sqrt()
            } else {
                0.0
            }
        });
        for (id, weight) in &mut vector.entries {
            *weight *= scales[self.blocks[*id as usize] as usize];
        }
        // When a text has only one block (or one block has weight 0), the other's share is
        // given back by normalising the whole.
        vector.entries.retain(|&(_, weight)| weight > 0.0);
        vector.normalised()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-12,
            "{actual} is not {expected}"
        );
    }

    const TRIGRAMS: Features = Features {
        ngram_min: 3,
        ngram_max: 3,
        word_weight: 0.0,
        stem: false,
        sublinear_tf: false,
        stop_words: StopWords::Keep,
    };

    #[test]
    fn a_tf_idf_weight_by_hand() {
        // Three texts. Trigrams of " cat " are " ca", "cat", "at ";
        // of " car " are " ca", "car", "ar "; of " dog " are " do", "dog", "og ".
        let model = Model::fit(["cat", "car", "dog"], TRIGRAMS);
        assert_eq!(model.document_count(), 3);
        assert_eq!(model.feature_count(), 8);
        // " ca" is in 2 of 3 texts: idf = ln(4/3) + 1; "cat" in 1 of 3: ln(4/2) + 1.
        let shared = (4.0f64 / 3.0).ln() + 1.0;
        let own = 2.0f64.ln() + 1.0;
        close(model.inverse_document_frequency(" ca").unwrap(), shared);
        close(model.inverse_document_frequency("cat").unwrap(), own);
        assert_eq!(model.inverse_document_frequency("xyz"), None);

        // "cat cat": each trigram twice, so tf = 2; the vector is (2·shared, 2·own, 2·own),
        // normalised by its length.
        let vector = model.vector("cat cat");
        let length = (4.0 * shared * shared + 8.0 * own * own).sqrt();
        let weights: Vec<f64> = vector.entries().iter().map(|&(_, weight)| weight).collect();
        assert_eq!(weights.len(), 3);
        close(weights[0], 2.0 * shared / length);
        close(weights[1], 2.0 * own / length);
        close(weights[2], 2.0 * own / length);
        close(vector.norm(), 1.0);
    }

    #[test]
    fn a_cosine_by_hand() {
        let model = Model::fit(["cat", "car", "dog"], TRIGRAMS);
        let shared = (4.0f64 / 3.0).ln() + 1.0;
        let own = 2.0f64.ln() + 1.0;
        // "cat" and "car" share only " ca": cosine = shared² / (shared² + 2·own²).
        let expected = shared * shared / (shared * shared + 2.0 * own * own);
        close(model.vector("cat").cosine(&model.vector("car")), expected);
        close(model.vector("cat").dot(&model.vector("car")), expected);
        // About 0.2, for the record.
        assert!((expected - 0.2243).abs() < 1e-4, "{expected}");
        close(model.vector("cat").cosine(&model.vector("dog")), 0.0);
        close(model.vector("Cat!").cosine(&model.vector("cat")), 1.0);
        // Unknown features are left out; a text of them alone is empty, with cosine 0.
        assert!(model.vector("zebra").is_empty());
        close(model.vector("zebra").cosine(&model.vector("zebra")), 0.0);
    }

    #[test]
    fn sums_merge_features() {
        let a = SparseVector {
            entries: vec![(0, 1.0), (2, 2.0)],
        };
        let b = SparseVector {
            entries: vec![(1, 1.0), (2, 1.0)],
        };
        assert_eq!(
            SparseVector::sum([&a, &b]).entries(),
            [(0, 1.0), (1, 1.0), (2, 3.0)]
        );
        close(a.dot(&b), 2.0);
    }

    #[test]
    fn blocks_mix_word_and_n_gram_cosines_by_their_weights() {
        let texts = ["caring for carers", "carers at home", "school meals"];
        let mixed = Features {
            word_weight: 0.7,
            stem: true,
            sublinear_tf: true,
            ..TRIGRAMS
        };
        let words = Features {
            word_weight: 1.0,
            ..mixed
        };
        let ngrams = Features {
            word_weight: 0.0,
            ..mixed
        };
        let cosine = |features: Features, first: usize, second: usize| {
            let model = Model::fit(texts, features);
            model.vector(texts[first]).dot(&model.vector(texts[second]))
        };
        for (first, second) in [(0, 1), (0, 2), (1, 2)] {
            let expected = 0.7 * cosine(words, first, second) + 0.3 * cosine(ngrams, first, second);
            close(cosine(mixed, first, second), expected);
        }
        let model = Model::fit(texts, mixed);
        close(model.vector(texts[0]).norm(), 1.0);
        // "caring" and "carers" stem to "care" and "carer": different words, shared n-grams.
        assert!(cosine(words, 0, 1) > 0.0);
        assert_eq!(
            model.document_frequency(model.feature_id("#carer").unwrap()),
            2
        );
    }

    #[test]
    fn sublinear_term_frequency() {
        let features = Features {
            sublinear_tf: true,
            ..TRIGRAMS
        };
        let model = Model::fit(["cat", "dog"], features);
        // "cat cat cat": tf 3 counts 1 + ln 3, the same for each trigram, so the vector is the
        // same as for "cat" once normalised; against "cat dog" the weights differ.
        close(
            model.vector("cat cat cat").cosine(&model.vector("cat")),
            1.0,
        );
        let plain = Model::fit(["cat", "dog"], TRIGRAMS);
        let sublinear = model.vector("cat cat cat").cosine(&model.vector("cat dog"));
        let linear = plain.vector("cat cat cat").cosine(&plain.vector("cat dog"));
        close(sublinear, linear);
        let uneven = model
            .vector("cat cat cat dog")
            .cosine(&model.vector("cat dog"));
        let uneven_linear = plain
            .vector("cat cat cat dog")
            .cosine(&plain.vector("cat dog"));
        assert!(uneven > uneven_linear, "{uneven} {uneven_linear}");
    }
}
