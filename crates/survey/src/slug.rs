//! Identifiers: lowercase ASCII slugs.

use std::fmt;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A lowercase ASCII identifier: letters `a`–`z`, digits and the joiners `-` and `_`, starting
/// with a letter or a digit, at most 64 characters.
///
/// Exercise, group, item, round and criterion ids are slugs, so that they are safe in URLs, file
/// names, CSV cells and HTML attributes without escaping.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Slug(String);

/// The longest slug accepted.
pub const MAX_SLUG_LENGTH: usize = 64;

/// Why a text is not a slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    /// The text is empty.
    #[error("an id cannot be empty")]
    Empty,
    /// The text is longer than [`MAX_SLUG_LENGTH`].
    #[error("`{0}` is longer than {MAX_SLUG_LENGTH} characters")]
    TooLong(String),
    /// The text holds a character that is not allowed.
    #[error(
        "`{text}` is not a valid id: use lowercase letters a-z, digits, `-` and `_`, starting with a letter or digit (found {found:?})"
    )]
    BadCharacter {
        /// The text that was given.
        text: String,
        /// The first character that is not allowed.
        found: char,
    },
}

impl Slug {
    /// Checks that `text` is a slug.
    ///
    /// # Errors
    /// [`SlugError`] when the text is empty, too long, or holds a character other than
    /// `a`–`z`, `0`–`9`, `-` and `_`, or starts with `-` or `_`.
    pub fn new(text: &str) -> Result<Self, SlugError> {
        if text.is_empty() {
            return Err(SlugError::Empty);
        }
        if text.len() > MAX_SLUG_LENGTH {
            return Err(SlugError::TooLong(text.to_string()));
        }
        for (index, character) in text.char_indices() {
            let allowed = character.is_ascii_lowercase()
                || character.is_ascii_digit()
                || (index > 0 && (character == '-' || character == '_'));
            if !allowed {
                return Err(SlugError::BadCharacter {
                    text: text.to_string(),
                    found: character,
                });
            }
        }
        Ok(Slug(text.to_string()))
    }

    /// Wraps text without checking it. Only for stand-ins while a definition with errors is
    /// still being checked, so that later messages name what the author wrote; such a value is
    /// never returned to a caller because the errors are.
    pub(crate) fn unchecked_stand_in(text: &str) -> Self {
        Slug(text.to_string())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Slug {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// Makes an id from a label: lowercase ASCII letters and digits, every other run of characters
/// becoming one `-`, at most 64 characters; `item` when nothing is left. Letters are
/// transliterated to ASCII first: decomposed (Unicode NFKD) with their accents and other
/// combining marks dropped, so `Māori` gives `maori` and `Gàidhlig` gives `gaidhlig`; the
/// letters that have no decomposition but an accepted spelling in ASCII get it (`ß` gives
/// `ss`, `æ` gives `ae`, `ø` gives `o`, `ł` gives `l`, `đ` gives `d`, `þ` gives `th`, `œ`
/// gives `oe`). A label in ASCII gives the same id as it always has.
pub fn slug_of(label: &str) -> String {
    let mut slug = String::new();
    let letters = label
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .nfkd()
        .filter(|character| !is_combining_mark(*character));
    'letters: for letter in letters {
        let mut single = [0u8; 4];
        let spelled = match ascii_spelling(letter) {
            Some(spelling) => spelling,
            None => &*letter.encode_utf8(&mut single),
        };
        for character in spelled.chars() {
            if character.is_ascii_alphanumeric() {
                if slug.len() == MAX_SLUG_LENGTH {
                    break 'letters;
                }
                slug.push(character.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                if slug.len() + 1 >= MAX_SLUG_LENGTH {
                    break 'letters;
                }
                slug.push('-');
            }
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("item");
    }
    slug
}

/// The ASCII spelling of a lowercase letter that Unicode does not decompose into an ASCII
/// letter and a mark, where readers of the languages that use it would expect one.
fn ascii_spelling(letter: char) -> Option<&'static str> {
    Some(match letter {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ħ' => "h",
        'ı' => "i",
        'ŧ' => "t",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_lowercase_slugs() {
        for text in ["a", "mental-health", "q_12", "1", "young-people-2020"] {
            assert_eq!(Slug::new(text).unwrap().as_str(), text);
        }
    }

    #[test]
    fn rejects_other_text_with_a_reason() {
        assert_eq!(Slug::new(""), Err(SlugError::Empty));
        assert_eq!(
            Slug::new("Mental").unwrap_err().to_string(),
            "`Mental` is not a valid id: use lowercase letters a-z, digits, `-` and `_`, starting with a letter or digit (found 'M')"
        );
        assert!(matches!(
            Slug::new("-a"),
            Err(SlugError::BadCharacter { found: '-', .. })
        ));
        assert!(matches!(
            Slug::new("a b"),
            Err(SlugError::BadCharacter { found: ' ', .. })
        ));
        assert!(matches!(
            Slug::new(&"a".repeat(65)),
            Err(SlugError::TooLong(_))
        ));
    }

    /// Checks the id made from each label.
    fn check_slugs(cases: &[(&str, &str)]) {
        for (label, expected) in cases {
            assert_eq!(slug_of(label), *expected, "the id of {label:?}");
            Slug::new(expected).unwrap();
        }
    }

    #[test]
    fn ids_from_labels_drop_accents_and_other_marks() {
        check_slugs(&[
            (
                "Culture, identity and language (Māori, Welsh, Gàidhlig)",
                "culture-identity-and-language-maori-welsh-gaidhlig",
            ),
            ("Éducation", "education"),
            ("Crème brûlée", "creme-brulee"),
            ("Đặng Thị Ngọc Thịnh", "dang-thi-ngoc-thinh"),
            ("Zürich, Kraków, İstanbul", "zurich-krakow-istanbul"),
            ("Señor Ñandú", "senor-nandu"),
            ("Ŵyau a ŷd", "wyau-a-yd"),
            // Compatibility forms become their plain letters and digits.
            (
                "ﬁrst ﬂoor, Ｆｕｌｌｗｉｄｔｈ ２",
                "first-floor-fullwidth-2",
            ),
        ]);
    }

    #[test]
    fn letters_without_a_decomposition_get_their_usual_ascii_spelling() {
        check_slugs(&[
            ("Straße", "strasse"),
            ("STRASSE ẞ", "strasse-ss"),
            ("Æbleskiver", "aebleskiver"),
            ("Øresund", "oresund"),
            ("Łódź", "lodz"),
            ("Đakovo", "dakovo"),
            ("Þingvellir", "thingvellir"),
            ("Œuvre", "oeuvre"),
            ("Hafnarfjörður", "hafnarfjordur"),
        ]);
    }

    #[test]
    fn ascii_labels_give_the_ids_they_always_gave() {
        check_slugs(&[
            ("Mental health", "mental-health"),
            ("  Young people (16-25)  ", "young-people-16-25"),
            ("Q12: What matters?", "q12-what-matters"),
            ("already-an-id_2", "already-an-id-2"),
            ("!!!", "item"),
            ("", "item"),
        ]);
    }

    #[test]
    fn ids_are_at_most_the_longest_slug_and_do_not_end_with_a_joiner() {
        let long = "Ā".repeat(MAX_SLUG_LENGTH + 10);
        assert_eq!(slug_of(&long), "a".repeat(MAX_SLUG_LENGTH));
        // A two-letter spelling at the limit is cut, not allowed past it.
        let at_limit = format!("{}ß", "a".repeat(MAX_SLUG_LENGTH - 1));
        assert_eq!(
            slug_of(&at_limit),
            format!("{}s", "a".repeat(MAX_SLUG_LENGTH - 1))
        );
        // Twelve words and their joiners take 60 characters; the thirteenth word fills the
        // slug to 64, and no joiner follows it.
        assert_eq!(
            slug_of(&"word ".repeat(20)),
            format!("{}word", "word-".repeat(12))
        );
    }

    #[test]
    fn labels_in_other_scripts_leave_what_is_latin() {
        check_slugs(&[
            ("Здоровье 2024", "2024"),
            ("健康", "item"),
            ("Ελλάδα and Wales", "and-wales"),
        ]);
    }
}
