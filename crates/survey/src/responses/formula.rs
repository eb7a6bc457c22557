//! Formula guards: text cells a spreadsheet would run as a formula get a leading `'` on
//! writing, which reading removes again; control characters (C0 other than tab, line feed and
//! carriage return, and DEL) are never written raw.

/// The characters that make a spreadsheet read a cell as a formula.
pub(super) const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether free text may not hold `character`: a C0 control character (U+0000 to U+001F) other
/// than tab, line feed and carriage return, or DEL (U+007F). NUL, BEL, BS and ESC among them
/// end strings, ring, erase or start terminal escapes when a file is printed or opened.
pub fn is_refused_control(character: char) -> bool {
    matches!(character, '\u{0}'..='\u{1f}' | '\u{7f}') && !matches!(character, '\t' | '\n' | '\r')
}

/// The first character of `text` that free text may not hold ([`is_refused_control`]), if any.
pub fn first_refused_control(text: &str) -> Option<char> {
    text.chars()
        .find(|character| is_refused_control(*character))
}

/// Makes a text cell safe to open in a spreadsheet: control characters
/// ([`is_refused_control`]) become U+FFFD, and a cell that starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return gets a leading `'`, so that it shows as text rather than running
/// as a formula. A cell that starts with `'` followed by one of those characters or another `'`
/// gets one too, so that [`restore_formula`] gives back exactly the original text (control
/// characters aside: they are not given back).
pub fn neutralise_formula(text: &str) -> std::borrow::Cow<'_, str> {
    if first_refused_control(text).is_some() {
        let replaced: String = text
            .chars()
            .map(|character| {
                if is_refused_control(character) {
                    char::REPLACEMENT_CHARACTER
                } else {
                    character
                }
            })
            .collect();
        return std::borrow::Cow::Owned(neutralise_formula(&replaced).into_owned());
    }
    let mut characters = text.chars();
    let needs_quote = match characters.next() {
        Some(first) if FORMULA_STARTS.contains(&first) => true,
        Some('\'') => {
            matches!(characters.next(), Some(second) if second == '\'' || FORMULA_STARTS.contains(&second))
        }
        _ => false,
    };
    if needs_quote {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Undoes [`neutralise_formula`].
pub fn restore_formula(text: &str) -> &str {
    let mut characters = text.chars();
    if characters.next() == Some('\'')
        && matches!(characters.next(), Some(second) if second == '\'' || FORMULA_STARTS.contains(&second))
    {
        &text[1..]
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_replaced_and_formulas_still_quoted() {
        assert_eq!(
            neutralise_formula("a\u{0}b\u{7}c\u{8}d\u{1b}[2J"),
            "a\u{fffd}b\u{fffd}c\u{fffd}d\u{fffd}[2J"
        );
        assert_eq!(neutralise_formula("=1+1\u{7f}"), "'=1+1\u{fffd}");
        assert_eq!(neutralise_formula("\u{0}=1"), "\u{fffd}=1");
        assert_eq!(neutralise_formula("tab\there\r\nline"), "tab\there\r\nline");
        assert!(matches!(
            neutralise_formula("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn only_c0_controls_but_tab_lf_cr_and_del_are_refused() {
        let refused: Vec<u32> = (0u32..0x100)
            .filter_map(char::from_u32)
            .filter(|character| is_refused_control(*character))
            .map(u32::from)
            .collect();
        let expected: Vec<u32> = (0u32..0x20)
            .filter(|code| ![9, 10, 13].contains(code))
            .chain([0x7f])
            .collect();
        assert_eq!(refused, expected);
        assert_eq!(first_refused_control("ok\u{7}then\u{0}"), Some('\u{7}'));
        assert_eq!(first_refused_control("fine\ttext\n"), None);
    }
}
