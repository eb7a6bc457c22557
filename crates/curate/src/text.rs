//! Normalising text and cutting it into features (character n-grams and words).

/// Which features a text is cut into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    /// The shortest character n-gram, at least 1.
    pub ngram_min: usize,
    /// The longest character n-gram, at least `ngram_min`.
    pub ngram_max: usize,
    /// Whether whole words are features too (besides their n-grams).
    pub words: bool,
    /// Which words are left out before cutting.
    pub stop_words: StopWords,
}

impl Default for Features {
    /// Character 3-grams of words padded with a space on each side, with function words and
    /// research-question boilerplate left out: the best of the combinations measured on
    /// simulated suggestions (see BENCHMARKS.md, "Clustering suggestions").
    fn default() -> Self {
        Features {
            ngram_min: 3,
            ngram_max: 3,
            words: false,
            stop_words: StopWords::FunctionAndBoilerplate,
        }
    }
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
    /// Leave out [`FUNCTION_WORDS`].
    FunctionWords,
    /// Leave out [`FUNCTION_WORDS`] and [`BOILERPLATE_WORDS`].
    FunctionAndBoilerplate,
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

/// Calls `emit` with every feature of `text`, in order, repeated as often as it occurs: for
/// each word of the normalised text (stop words left out if asked, unless the text has no
/// other word), the character n-grams of
/// the word padded with one space on each side (so "care" gives " ca", "car", "are", "re " for
/// 3-grams), then the word itself prefixed with `#` when words are features. A padded word
/// shorter than an n-gram gives itself once as that n-gram. N-grams never cross words, so word
/// order does not matter.
pub fn for_each_feature(text: &str, features: Features, mut emit: impl FnMut(&str)) {
    let normalised = normalise(text);
    let mut padded = String::new();
    let mut boundaries: Vec<usize> = Vec::new();
    let mut word_feature = String::new();
    // A text made only of stop words keeps them all: otherwise it would have no features.
    let stop_words = if normalised
        .split(' ')
        .any(|word| !word.is_empty() && !features.stop_words.contains(word))
    {
        features.stop_words
    } else {
        StopWords::Keep
    };
    for word in normalised.split(' ').filter(|word| !word.is_empty()) {
        if stop_words.contains(word) {
            continue;
        }
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
                // A padded word shorter than every n-gram stands for itself, once. When it is
                // longer than the smallest size, it was already given whole at its own size.
                if size == smallest {
                    emit(&padded);
                }
                break;
            }
            for start in 0..=characters - size {
                emit(&padded[boundaries[start]..boundaries[start + size]]);
            }
        }
        if features.words {
            word_feature.clear();
            word_feature.push('#');
            word_feature.push_str(word);
            emit(&word_feature);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(text: &str, features: Features) -> Vec<String> {
        let mut collected = Vec::new();
        for_each_feature(text, features, |feature| {
            collected.push(feature.to_string())
        });
        collected
    }

    const TRIGRAMS: Features = Features {
        ngram_min: 3,
        ngram_max: 3,
        words: false,
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
            words: true,
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
}
