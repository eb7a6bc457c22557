//! The header of a response file: which columns it has, and so which kind of answers.

use std::collections::HashMap;

use super::{ResponseKind, ResponseProblem};

/// Where each known column is in a row (`None` when the header lacks it), and how many fields
/// a row has.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Columns {
    pub(super) respondent: usize,
    pub(super) group: usize,
    pub(super) item: Option<usize>,
    pub(super) rank: Option<usize>,
    pub(super) rating: Option<usize>,
    pub(super) criterion: Option<usize>,
    pub(super) winner: Option<usize>,
    pub(super) loser: Option<usize>,
    pub(super) text: Option<usize>,
    pub(super) shown_order: Option<usize>,
    pub(super) width: usize,
}

/// The columns of the exchange format; any other column is ignored with a note.
pub(super) const KNOWN_COLUMNS: [&str; 10] = [
    "respondent",
    "group",
    "item",
    "rank",
    "rating",
    "criterion",
    "winner",
    "loser",
    "text",
    "shown_order",
];

/// Reads the header, finds the columns and tells the kind.
pub(super) fn read_header(
    header: &csv::StringRecord,
    source_name: &str,
    notes: &mut Vec<String>,
) -> Result<(ResponseKind, Columns), ResponseProblem> {
    let error = |message: String| header_error(source_name, message);
    let mut found = find_columns(header, source_name, notes)?;
    for required in ["respondent", "group"] {
        if !found.contains_key(required) {
            return Err(error(format!(
                "the header has no `{required}` column; expected a header such as `respondent,group,item,rank`"
            )));
        }
    }
    let kind = kind_of_columns(&found, source_name)?;
    check_columns_of_kind(&found, kind, source_name)?;
    if kind == ResponseKind::Suggestions && found.remove("shown_order").is_some() {
        notes.push(format!(
            "{source_name}: column `shown_order` does not apply to suggestions (they show no items) and was ignored"
        ));
    }
    let columns = Columns {
        respondent: found["respondent"],
        group: found["group"],
        item: found.get("item").copied(),
        rank: found.get("rank").copied(),
        rating: found.get("rating").copied(),
        criterion: found.get("criterion").copied(),
        winner: found.get("winner").copied(),
        loser: found.get("loser").copied(),
        text: found.get("text").copied(),
        shown_order: found.get("shown_order").copied(),
        width: header.len(),
    };
    Ok((kind, columns))
}

/// A problem with the header, which is line 1.
fn header_error(source_name: &str, message: String) -> ResponseProblem {
    ResponseProblem {
        source_name: source_name.to_string(),
        line: Some(1),
        context: None,
        message,
    }
}

/// The position of each known column, refusing one named twice and noting unknown ones.
fn find_columns(
    header: &csv::StringRecord,
    source_name: &str,
    notes: &mut Vec<String>,
) -> Result<HashMap<&'static str, usize>, ResponseProblem> {
    let mut found: HashMap<&'static str, usize> = HashMap::new();
    for (index, name) in header.iter().enumerate() {
        let name = if index == 0 {
            name.trim_start_matches('\u{feff}')
        } else {
            name
        };
        let name = name.trim();
        let lower = name.to_ascii_lowercase();
        if let Some(known) = KNOWN_COLUMNS.iter().find(|known| **known == lower) {
            if found.insert(known, index).is_some() {
                return Err(header_error(
                    source_name,
                    format!("the header names column `{known}` twice"),
                ));
            }
        } else {
            notes.push(format!(
                "{source_name}: column `{name}` is not part of the exchange format and was ignored"
            ));
        }
    }
    Ok(found)
}

/// The kind of answers the columns found tell, refusing a header that tells none or mixes two.
fn kind_of_columns(
    found: &HashMap<&'static str, usize>,
    source_name: &str,
) -> Result<ResponseKind, ResponseProblem> {
    let has = |name: &str| found.contains_key(name);
    let kind = match (
        has("rank"),
        has("rating"),
        has("winner") || has("loser"),
        has("text"),
    ) {
        (true, false, false, false) => ResponseKind::Ranking,
        (false, true, false, false) => ResponseKind::Rating,
        (false, false, true, false) => ResponseKind::Pairwise,
        (false, false, false, true) => ResponseKind::Suggestions,
        (false, false, false, false) if has("item") => ResponseKind::Pick,
        (false, false, false, false) => {
            return Err(header_error(
                source_name,
                "the header does not tell the kind of answers: expected `respondent,group,item,rank` (ranking), `respondent,group,item,rating` (rating), `respondent,group,item` (pick), `respondent,group,winner,loser` (pairwise) or `respondent,group,text` (suggestions)".to_string(),
            ));
        }
        _ => {
            let present: Vec<&str> = ["rank", "rating", "winner", "loser", "text"]
                .into_iter()
                .filter(|name| has(name))
                .collect();
            return Err(header_error(
                source_name,
                format!(
                    "the header mixes columns of different kinds ({}): a file holds one kind of answer",
                    present.join(", ")
                ),
            ));
        }
    };
    Ok(kind)
}

/// Checks that the header has the columns a file of `kind` needs and none that belong to
/// another kind.
fn check_columns_of_kind(
    found: &HashMap<&'static str, usize>,
    kind: ResponseKind,
    source_name: &str,
) -> Result<(), ResponseProblem> {
    let has = |name: &str| found.contains_key(name);
    let needed: &[&str] = match kind {
        ResponseKind::Ranking | ResponseKind::Rating | ResponseKind::Pick => &["item"],
        ResponseKind::Pairwise => &["winner", "loser"],
        ResponseKind::Suggestions => &[],
    };
    for name in needed {
        if !has(name) {
            return Err(header_error(
                source_name,
                format!("a {kind} file needs a `{name}` column"),
            ));
        }
    }
    let allowed: &[&str] = match kind {
        ResponseKind::Ranking => &["item", "rank"],
        ResponseKind::Rating => &["item", "rating", "criterion"],
        ResponseKind::Pick => &["item"],
        ResponseKind::Pairwise => &["winner", "loser"],
        ResponseKind::Suggestions => &["text"],
    };
    for name in ["item", "criterion"] {
        if has(name) && !allowed.contains(&name) {
            return Err(header_error(
                source_name,
                format!("column `{name}` does not belong in a {kind} file"),
            ));
        }
    }
    Ok(())
}
