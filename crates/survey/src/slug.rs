//! Identifiers: lowercase ASCII slugs.

use std::fmt;

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
/// becoming one `-`, at most 64 characters; `item` when nothing is left. Accented Latin
/// letters lose their accents (`Éducation` gives `education`).
pub fn slug_of(label: &str) -> String {
    let mut slug = String::new();
    for character in label.trim().chars().flat_map(char::to_lowercase) {
        let character = without_accent(character);
        if character.is_ascii_alphanumeric() {
            if slug.len() == MAX_SLUG_LENGTH {
                break;
            }
            slug.push(character.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            if slug.len() + 1 >= MAX_SLUG_LENGTH {
                break;
            }
            slug.push('-');
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

/// The unaccented letter of a common accented Latin letter (lowercase), else the character.
fn without_accent(character: char) -> char {
    match character {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
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
}
