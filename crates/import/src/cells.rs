//! Reading one cell: ranks, ratings, "not applicable" answers and option labels that are not
//! items.

use survey::responses::RatingValue;

use crate::scales::{Scale, point_of};

/// Whether a cell says "not applicable" or "don't know" rather than giving an answer.
pub(crate) fn is_not_applicable(cell: &str) -> bool {
    let lower = cell.trim().to_lowercase();
    // `Unfamiliar (N/A)`, as SurveyMonkey matrices label their "does not apply" column.
    if lower.ends_with("(n/a)") || lower.ends_with("(na)") {
        return true;
    }
    matches!(
        lower.as_str(),
        "n/a"
            | "na"
            | "not applicable"
            | "don't know"
            | "don\u{2019}t know"
            | "dont know"
            | "not sure"
            | "unsure"
    )
}

/// Whether an option label is a free-text "Other" answer rather than an item (LimeSurvey
/// writes the code `-oth-` for it).
pub(crate) fn is_other_option(label: &str) -> bool {
    let label = label.trim().to_lowercase();
    label.starts_with("other") && (label.contains("specify") || label.contains("please"))
        || label == "other"
        || label == "-oth-"
}

/// Whether an option label marks the single answer column of a question, not an item
/// (Qualtrics calls it `Selected Choice` when the question has a text box too).
pub(crate) fn is_response_option(label: &str) -> bool {
    matches!(
        label.trim().to_lowercase().as_str(),
        "" | "response" | "open-ended response" | "selected choice"
    )
}

/// Reads a rank cell: `3`, `3rd`, `1st`, `Rank 2`.
pub(crate) fn parse_rank(cell: &str) -> Option<u32> {
    let lower = cell.trim().to_lowercase();
    let lower = lower.strip_prefix("rank").unwrap_or(&lower).trim();
    let digits_end = lower
        .find(|character: char| !character.is_ascii_digit())
        .unwrap_or(lower.len());
    let (digits, suffix) = lower.split_at(digits_end);
    if !matches!(suffix.trim(), "" | "st" | "nd" | "rd" | "th" | ".0") {
        return None;
    }
    digits.parse::<u32>().ok().filter(|rank| *rank > 0)
}

/// Reads a rating cell: a number, a label starting with a number (`4 - Very important`), or a
/// label of a usual scale in words read alone (see [`crate::scales`]: `Very important` is 4,
/// `Strongly agree` 5).
pub(crate) fn parse_rating(cell: &str) -> Option<RatingValue> {
    rating_number(cell).or_else(|| point_of(cell.trim()).map(RatingValue::Score))
}

/// Reads a rating cell of a question whose labels in words are on `scale`: a number, a label
/// starting with a number, or a label of `scale`; with no scale, numbers only.
pub(crate) fn parse_rating_on(cell: &str, scale: Option<&Scale>) -> Option<RatingValue> {
    rating_number(cell).or_else(|| {
        scale
            .and_then(|scale| scale.point(cell))
            .map(RatingValue::Score)
    })
}

/// Reads a rating cell that is a number or a label starting with one (`4 - Very important`,
/// `2: Slightly`).
pub(crate) fn rating_number(cell: &str) -> Option<RatingValue> {
    let trimmed = cell.trim();
    let digits_end = trimmed
        .find(|character: char| !(character.is_ascii_digit() || character == '-'))
        .unwrap_or(trimmed.len());
    let (number, rest) = trimmed.split_at(digits_end);
    let score = number.parse::<i32>().ok()?;
    let rest = rest.trim_start();
    (rest.is_empty() || rest.starts_with(['-', '\u{2013}', ':', '(', '=', ' ']))
        .then_some(RatingValue::Score(score))
}

/// Whether a cell of one option's column of a choice question marks the option chosen: the
/// option's own text (SurveyMonkey, Qualtrics' legacy layout), or a tick (`Y`, `1`, `Yes`,
/// `TRUE`, `x`, `Checked`, `Selected`) as LimeSurvey, Excel and other tools write it.
pub(crate) fn is_ticked(cell: &str, option: &str) -> bool {
    let cell = cell.trim();
    !cell.is_empty()
        && (cell.eq_ignore_ascii_case(option.trim())
            || matches!(
                cell.to_lowercase().as_str(),
                "y" | "yes" | "1" | "true" | "x" | "\u{2713}" | "checked" | "selected" | "on"
            ))
}

/// Whether a cell of one option's column says the option was not chosen: blank, or an
/// explicit `N`, `0`, `No`, `FALSE`, `Not selected`, `Not checked`.
pub(crate) fn is_unticked(cell: &str) -> bool {
    matches!(
        cell.trim().to_lowercase().as_str(),
        "" | "n" | "no" | "0" | "false" | "not selected" | "not checked" | "unchecked" | "off"
    )
}
