//! Ids made from labels.

use survey::slug::MAX_SLUG_LENGTH;

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
