//! Normalising text and cutting it into features: whole words (stemmed) and character
//! n-grams of words.

use std::borrow::Cow;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashSet;

/// Which features a text is cut into, and how they are weighted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Features {
    /// The shortest character n-gram, at least 1.
    pub ngram_min: usize,
    /// The longest character n-gram, at least `ngram_min`.
    pub ngram_max: usize,
    /// The share of a similarity that comes from whole words, in [0, 1]; the rest comes from
    /// character n-grams. Words and n-grams are weighted and normalised as two blocks, so the
    /// cosine of two texts is `word_weight · cos(words) + (1 − word_weight) · cos(n-grams)`.
    /// 0 gives n-grams only, 1 words only.
    pub word_weight: f64,
    /// Whether words are reduced to their Snowball (Porter 2) English stem ("carers" and
    /// "caring" both become "care") before they are features. N-grams are cut from the word
    /// as written.
    pub stem: bool,
    /// Whether a feature's term frequency `tf` counts as `1 + ln(tf)` (sublinear) instead of
    /// `tf`, so that a word said three times does not outweigh the rest of a text.
    pub sublinear_tf: bool,
    /// Which words are left out before cutting.
    pub stop_words: StopWords,
}

impl Default for Features {
    /// Stemmed words (60% of the similarity) and character 3-grams (40%), sublinear term
    /// frequencies, this crate's function words and research boilerplate left out: the best
    /// on the tuning half of the COVID-Q questions among the combinations that do not lose
    /// on the simulated suggestions (BENCHMARKS.md, "Clustering suggestions"). The standard
    /// English stop list scored lower on both: it leaves out "where", "when", "why" and
    /// "who", which tell questions apart.
    fn default() -> Self {
        Features {
            ngram_min: 3,
            ngram_max: 3,
            word_weight: 0.6,
            stem: true,
            sublinear_tf: true,
            stop_words: StopWords::FunctionAndBoilerplate,
        }
    }
}

/// Which block of a vector a feature belongs to (see [`Features::word_weight`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Block {
    /// A whole word (stemmed if [`Features::stem`]).
    Word,
    /// A character n-gram of a word.
    Ngram,
}

/// The standard English stop list of NLTK (179 words: "the", "of", "how", "should", ...),
/// as the `stop-words` crate ships it, normalised as texts are ("don't" gives "don" and "t",
/// both already in the list).
pub fn english_stop_words() -> &'static FxHashSet<String> {
    static LIST: OnceLock<FxHashSet<String>> = OnceLock::new();
    LIST.get_or_init(|| {
        stop_words::get("en")
            .iter()
            .flat_map(|word| {
                normalise(word)
                    .split(' ')
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|word| !word.is_empty())
            .collect()
    })
}

/// Common English function words: they say nothing about the topic of a suggestion.
pub const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "being", "between", "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from",
    "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "like", "made",
    "make", "makes", "many", "more", "most", "much", "my", "no", "not", "of", "on", "or", "our",
    "out", "over", "please", "say", "should", "so", "some", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "to", "up", "us", "very", "was",
    "we", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with", "would",
    "you", "your",
];

/// The boilerplate of research questions ("what works", "how can we improve", "the impact
/// of", "more research is needed on"): suggestions to priority-setting exercises are full of
/// these, and two suggestions that share only them are not about the same thing. Written from
/// the phrasings of James Lind Alliance and similar question lists; note that the simulator's
/// suggestion templates use such phrasings too, so figures measured on simulated suggestions
/// favour this list (BENCHMARKS.md says by how much).
pub const BOILERPLATE_WORDS: &[&str] = &[
    "approach",
    "approaches",
    "best",
    "better",
    "biggest",
    "difference",
    "effective",
    "evidence",
    "help",
    "helps",
    "impact",
    "improve",
    "know",
    "look",
    "looks",
    "need",
    "needed",
    "outcome",
    "outcomes",
    "practice",
    "question",
    "questions",
    "research",
    "support",
    "use",
    "ways",
    "work",
    "works",
];

/// Which words are left out before a text is cut into features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopWords {
    /// Keep every word.
    Keep,
    /// Leave out [`FUNCTION_WORDS`] (this crate's own short list).
    FunctionWords,
    /// Leave out [`FUNCTION_WORDS`] and [`BOILERPLATE_WORDS`] (the defaults before the
    /// COVID-Q measurements; tuned to the simulator's phrasings).
    FunctionAndBoilerplate,
    /// Leave out the standard English stop list ([`english_stop_words`]).
    English,
    /// Leave out [`english_stop_words`] and [`BOILERPLATE_WORDS`].
    EnglishAndBoilerplate,
}

impl StopWords {
    /// Whether `word` (normalised) is left out.
    pub fn contains(self, word: &str) -> bool {
        match self {
            StopWords::Keep => false,
            StopWords::FunctionWords => FUNCTION_WORDS.contains(&word),
            StopWords::FunctionAndBoilerplate => {
                FUNCTION_WORDS.contains(&word) || BOILERPLATE_WORDS.contains(&word)
            }
            StopWords::English => english_stop_words().contains(word),
            StopWords::EnglishAndBoilerplate => {
                english_stop_words().contains(word) || BOILERPLATE_WORDS.contains(&word)
            }
        }
    }
}

/// Normalises a text for comparison: lowercase (Unicode-aware), every character that is not a
/// letter or a digit turned into a space, runs of spaces collapsed, and no space at either end.
/// "What's *next*?  Care-leavers" becomes "what s next care leavers".
pub fn normalise(text: &str) -> String {
    let mut normalised = String::with_capacity(text.len());
    let mut pending_space = false;
    for character in text.chars().flat_map(char::to_lowercase) {
        if character.is_alphanumeric() {
            if pending_space && !normalised.is_empty() {
                normalised.push(' ');
            }
            pending_space = false;
            normalised.push(character);
        } else {
            pending_space = true;
        }
    }
    normalised
}

/// The Snowball English stem of a normalised word when `stem` is set, else the word.
pub fn stem_of(word: &str, stem: bool) -> Cow<'_, str> {
    if stem {
        Stemmer::create(Algorithm::English).stem(word)
    } else {
        Cow::Borrowed(word)
    }
}

/// Calls `emit` with every feature of `text` and its block, in order, repeated as often as it
/// occurs: for each word of the normalised text (stop words left out if asked, unless the text
/// has no other word), when n-grams count (`word_weight` < 1) the character n-grams of the
/// word as written, padded with one space on each side (so "care" gives " ca", "car", "are",
/// "re " for 3-grams), then when words count (`word_weight` > 0) the word's stem prefixed with
/// `#`. A padded word shorter than an n-gram gives itself once as that n-gram. N-grams never
/// cross words, so word order does not matter.
pub fn for_each_feature(text: &str, features: Features, mut emit: impl FnMut(&str, Block)) {
    let normalised = normalise(text);
    let mut padded = String::new();
    let mut boundaries: Vec<usize> = Vec::new();
    let mut word_feature = String::new();
    let stemmer = Stemmer::create(Algorithm::English);
    // A text made only of stop words keeps them all: otherwise it would have no features.
    let stop_words = if normalised
        .split(' ')
        .any(|word| !word.is_empty() && !features.stop_words.contains(word))
    {
        features.stop_words
    } else {
        StopWords::Keep
    };
    let ngrams = features.word_weight < 1.0;
    let words = features.word_weight > 0.0;
    for word in normalised.split(' ').filter(|word| !word.is_empty()) {
        if stop_words.contains(word) {
            continue;
        }
        if ngrams {
            padded.clear();
            padded.push(' ');
            padded.push_str(word);
            padded.push(' ');
            boundaries.clear();
            boundaries.extend(padded.char_indices().map(|(index, _)| index));
            boundaries.push(padded.len());
            let characters = boundaries.len() - 1;
            let smallest = features.ngram_min.max(1);
            for size in smallest..=features.ngram_max.max(smallest) {
                if characters < size {
                    // A padded word shorter than every n-gram stands for itself, once. When it
                    // is longer than the smallest size, it was already given whole at its own
                    // size.
                    if size == smallest {
                        emit(&padded, Block::Ngram);
                    }
                    break;
                }
                for start in 0..=characters - size {
                    emit(
                        &padded[boundaries[start]..boundaries[start + size]],
                        Block::Ngram,
                    );
                }
            }
        }
        if words {
            word_feature.clear();
            word_feature.push('#');
            if features.stem {
                word_feature.push_str(&stemmer.stem(word));
            } else {
                word_feature.push_str(word);
            }
            emit(&word_feature, Block::Word);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(text: &str, features: Features) -> Vec<String> {
        let mut collected = Vec::new();
        for_each_feature(text, features, |feature, _| {
            collected.push(feature.to_string())
        });
        collected
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
    fn normalising_lowercases_and_turns_punctuation_into_single_spaces() {
        assert_eq!(
            normalise("What's *next*?  Care-leavers"),
            "what s next care leavers"
        );
        assert_eq!(normalise("  ÉCOLE, Straße!! "), "école straße");
        assert_eq!(normalise("?!"), "");
        assert_eq!(normalise("CAMHS 2024"), "camhs 2024");
    }

    #[test]
    fn trigrams_of_padded_words() {
        assert_eq!(collect("Care", TRIGRAMS), [" ca", "car", "are", "re "]);
        assert_eq!(
            collect("in care", TRIGRAMS),
            [" in", "in ", " ca", "car", "are", "re "]
        );
        // A one-letter word padded is three characters: one trigram.
        assert_eq!(collect("a", TRIGRAMS), [" a "]);
        // Unicode letters are whole characters.
        assert_eq!(collect("Éa", TRIGRAMS), [" éa", "éa "]);
    }

    #[test]
    fn several_sizes_words_and_stop_words() {
        let features = Features {
            ngram_min: 2,
            ngram_max: 3,
            word_weight: 0.5,
            stem: false,
            sublinear_tf: false,
            stop_words: StopWords::FunctionAndBoilerplate,
        };
        assert_eq!(
            collect("the CARE", features),
            [
                " c", "ca", "ar", "re", "e ", " ca", "car", "are", "re ", "#care"
            ]
        );
        // A short word is given once, at the smallest size.
        assert_eq!(collect("x", features), [" x", "x ", " x ", "#x"]);
        assert_eq!(
            collect("what about care", features).last().unwrap(),
            "#care"
        );
        assert!(!collect("what about care", features).contains(&"#what".to_string()));
        // A text of stop words alone keeps them.
        assert_eq!(
            collect("What is?", features),
            [
                " w", "wh", "ha", "at", "t ", " wh", "wha", "hat", "at ", "#what", " i", "is",
                "s ", " is", "is ", "#is"
            ]
        );
        assert!(collect("?!", features).is_empty());
    }

    #[test]
    fn stop_words_are_lowercase_and_listed_once() {
        let all: Vec<&str> = FUNCTION_WORDS
            .iter()
            .chain(BOILERPLATE_WORDS)
            .copied()
            .collect();
        let distinct: std::collections::BTreeSet<&str> = all.iter().copied().collect();
        assert_eq!(distinct.len(), all.len());
        assert!(all.iter().all(|word| normalise(word) == *word));
        assert!(StopWords::FunctionWords.contains("what"));
        assert!(!StopWords::FunctionWords.contains("impact"));
        assert!(StopWords::FunctionAndBoilerplate.contains("impact"));
        assert!(!StopWords::FunctionAndBoilerplate.contains("care"));
        assert!(!StopWords::Keep.contains("the"));
    }

    #[test]
    fn words_are_stemmed_and_n_grams_cut_from_the_word_as_written() {
        let features = Features {
            word_weight: 0.5,
            ..Features::default()
        };
        let mut blocks = Vec::new();
        for_each_feature("The carers", features, |feature, block| {
            blocks.push((feature.to_string(), block))
        });
        // "the" is an English stop word; "carers" stems to "carer".
        assert_eq!(blocks.last().unwrap(), &("#carer".to_string(), Block::Word));
        assert_eq!(blocks[0], (" ca".to_string(), Block::Ngram));
        assert_eq!(
            blocks
                .iter()
                .filter(|(_, block)| *block == Block::Word)
                .count(),
            1
        );
        assert_eq!(stem_of("vaccines", true), "vaccin");
        assert_eq!(stem_of("vaccination", true), "vaccin");
        assert_eq!(stem_of("caring", true), "care");
        assert_eq!(stem_of("caring", false), "caring");
        // Words only: no n-grams.
        let words_only = Features {
            word_weight: 1.0,
            ..Features::default()
        };
        assert_eq!(
            collect("Spreading in schools", words_only),
            ["#spread", "#school"]
        );
    }

    #[test]
    fn the_english_stop_list_is_the_standard_one() {
        let list = english_stop_words();
        assert!(list.len() > 150, "{}", list.len());
        for word in ["the", "of", "how", "should", "t", "don", "what", "is"] {
            assert!(StopWords::English.contains(word), "{word}");
        }
        for word in ["covid", "care", "vaccine", "children"] {
            assert!(!StopWords::English.contains(word), "{word}");
        }
        assert!(StopWords::EnglishAndBoilerplate.contains("research"));
        assert!(!StopWords::English.contains("research"));
        assert!(list.iter().all(|word| normalise(word) == *word));
    }
}
