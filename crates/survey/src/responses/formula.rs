//! Formula guards: text cells a spreadsheet would run as a formula get a leading `'` on
//! writing, which reading removes again.

/// The characters that make a spreadsheet read a cell as a formula.
pub(super) const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Makes a text cell safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return gets a leading `'`, so that it shows as text rather than running
/// as a formula. A cell that starts with `'` followed by one of those characters or another `'`
/// gets one too, so that [`restore_formula`] gives back exactly the original text.
pub fn neutralise_formula(text: &str) -> std::borrow::Cow<'_, str> {
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
