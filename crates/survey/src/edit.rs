//! Changes to an exercise definition made by the research team's tools rather than by hand:
//! curation adds items and edits their wording, marks items answered by existing evidence, and
//! shortlisting sets the items of the next round.
//!
//! Each change edits the TOML text with `toml_edit`, keeping the file's comments, order and
//! layout, and returns the new text only if it still parses as a valid definition, so a change
//! can never leave a broken definition behind.

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item as TomlItem, Table, value};

use crate::definition::{DefinitionErrors, Exercise};
use crate::slug::{MAX_SLUG_LENGTH, Slug, slug_of};

/// Why a change could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The definition text is not TOML.
    #[error("the definition is not valid TOML: {0}")]
    Syntax(String),
    /// No item has this id.
    #[error("there is no item `{0}`")]
    UnknownItem(String),
    /// No round has this id.
    #[error("there is no round `{0}`")]
    UnknownRound(String),
    /// An item with this id exists already.
    #[error("an item `{0}` exists already")]
    ItemExists(String),
    /// A text that must not be empty is empty.
    #[error("the {0} cannot be empty")]
    Empty(&'static str),
    /// The changed definition would not be valid.
    #[error("the change would make the definition invalid:\n{0}")]
    Invalid(DefinitionErrors),
}

/// A new item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewItem {
    /// The short title.
    pub title: String,
    /// A longer description.
    pub description: Option<String>,
    /// A theme.
    pub theme: Option<String>,
}

/// Changes to an item; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemChange {
    /// A new title.
    pub title: Option<String>,
    /// A new description (`Some(None)` removes it).
    pub description: Option<Option<String>>,
    /// The evidence checked (`Some(None)` removes it).
    pub evidence: Option<Option<String>>,
    /// Whether existing evidence answers the item.
    pub answered: Option<bool>,
}

fn parse(source: &str) -> Result<DocumentMut, EditError> {
    source
        .parse::<DocumentMut>()
        .map_err(|error| EditError::Syntax(error.to_string()))
}

/// Parses the changed text; the change stands only if the definition is still valid.
fn checked(document: &DocumentMut) -> Result<String, EditError> {
    let text = document.to_string();
    Exercise::parse(&text, "the changed definition").map_err(EditError::Invalid)?;
    Ok(text)
}

fn table_with_id<'a>(tables: &'a mut ArrayOfTables, id: &str) -> Option<&'a mut Table> {
    tables
        .iter_mut()
        .find(|table| table.get("id").and_then(TomlItem::as_str) == Some(id))
}

fn items_of(document: &mut DocumentMut) -> Option<&mut ArrayOfTables> {
    document
        .get_mut("items")
        .and_then(TomlItem::as_array_of_tables_mut)
}

fn cleaned(text: &str, what: &'static str) -> Result<String, EditError> {
    let text = text.trim();
    if text.is_empty() {
        Err(EditError::Empty(what))
    } else {
        Ok(text.to_string())
    }
}

fn set_optional(table: &mut Table, key: &str, text: Option<&str>) {
    match text.map(str::trim).filter(|text| !text.is_empty()) {
        Some(text) => {
            table.insert(key, value(text));
        }
        None => {
            table.remove(key);
        }
    }
}

/// An id for a new item made from its title, unlike every id in `taken`: `early-help`, or
/// `early-help-2` when that is taken. At most five words of the title are used.
pub fn new_item_id<'a>(title: &str, taken: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let short: Vec<&str> = title.split_whitespace().take(5).collect();
    let base = slug_of(&short.join(" "));
    let is_taken = |candidate: &str| taken.clone().into_iter().any(|id| id == candidate);
    if !is_taken(&base) {
        return base;
    }
    (2..)
        .map(|number| {
            let suffix = format!("-{number}");
            let mut stem = base.clone();
            stem.truncate(MAX_SLUG_LENGTH - suffix.len());
            format!("{}{suffix}", stem.trim_end_matches('-'))
        })
        .find(|candidate| !is_taken(candidate))
        .expect("some number is free")
}

/// Adds an item after the last one (or, in a definition without items, before the rounds).
///
/// # Errors
/// [`EditError`] when the id is not a slug or is taken, the title is empty, or the result is
/// not a valid definition.
pub fn add_item(source: &str, id: &str, item: &NewItem) -> Result<String, EditError> {
    let mut document = parse(source)?;
    let id = Slug::new(id)
        .map_err(|problem| EditError::Invalid(DefinitionErrors(vec![invalid_id(problem)])))?;
    let title = cleaned(&item.title, "title")?;
    let mut table = Table::new();
    table.insert("id", value(id.as_str()));
    table.insert("title", value(title));
    set_optional(&mut table, "description", item.description.as_deref());
    set_optional(&mut table, "theme", item.theme.as_deref());
    // Keep items together: place the new table after the last item, or before the first round.
    let position = match items_of(&mut document) {
        Some(items) => {
            if table_with_id(items, id.as_str()).is_some() {
                return Err(EditError::ItemExists(id.to_string()));
            }
            items.iter().filter_map(Table::position).max()
        }
        None => document
            .get("rounds")
            .and_then(TomlItem::as_array_of_tables)
            .and_then(|rounds| rounds.iter().filter_map(Table::position).min())
            .map(|first| first.saturating_sub(1)),
    };
    if let Some(position) = position {
        // Positions of later tables move up by one so the new table sorts in between.
        shift_positions(&mut document, position);
        table.set_position(Some(position + 1));
    }
    match items_of(&mut document) {
        Some(items) => items.push(table),
        None => {
            let mut items = ArrayOfTables::new();
            items.push(table);
            document.insert("items", TomlItem::ArrayOfTables(items));
        }
    }
    checked(&document)
}

fn invalid_id(problem: crate::slug::SlugError) -> crate::definition::DefinitionError {
    crate::definition::DefinitionError {
        source_name: "the changed definition".to_string(),
        line: None,
        context: None,
        message: format!("item `id`: {problem}"),
    }
}

/// Moves every table placed after `after` one place later.
fn shift_positions(document: &mut DocumentMut, after: isize) {
    for (_, item) in document.iter_mut() {
        match item {
            TomlItem::Table(table) => {
                if let Some(position) = table.position()
                    && position > after
                {
                    table.set_position(Some(position + 1));
                }
            }
            TomlItem::ArrayOfTables(tables) => {
                for table in tables.iter_mut() {
                    if let Some(position) = table.position()
                        && position > after
                    {
                        table.set_position(Some(position + 1));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Changes an item's wording, description or evidence.
///
/// # Errors
/// [`EditError`] when there is no such item, a title is empty, or the result is not a valid
/// definition (for example marking answered an item that a round lists).
pub fn change_item(source: &str, id: &str, change: &ItemChange) -> Result<String, EditError> {
    let mut document = parse(source)?;
    let table = items_of(&mut document)
        .and_then(|items| table_with_id(items, id))
        .ok_or_else(|| EditError::UnknownItem(id.to_string()))?;
    if let Some(title) = &change.title {
        table.insert("title", value(cleaned(title, "title")?));
    }
    if let Some(description) = &change.description {
        set_optional(table, "description", description.as_deref());
    }
    if let Some(evidence) = &change.evidence {
        set_optional(table, "evidence", evidence.as_deref());
    }
    match change.answered {
        Some(true) => {
            table.insert("answered", value(true));
        }
        Some(false) => {
            table.remove("answered");
        }
        None => {}
    }
    checked(&document)
}

/// Sets the items a round asks about, in order (a shortlist or a long list).
///
/// # Errors
/// [`EditError`] when there is no such round or the result is not a valid definition (for
/// example an unknown item id, or fewer items than the round's `top_k`).
pub fn set_round_items(source: &str, round: &str, items: &[&str]) -> Result<String, EditError> {
    let mut document = parse(source)?;
    let table = document
        .get_mut("rounds")
        .and_then(TomlItem::as_array_of_tables_mut)
        .and_then(|rounds| table_with_id(rounds, round))
        .ok_or_else(|| EditError::UnknownRound(round.to_string()))?;
    let mut list = Array::new();
    for item in items {
        list.push(*item);
    }
    // One item per line, as people write long lists by hand.
    for entry in list.iter_mut() {
        entry.decor_mut().set_prefix("\n  ");
    }
    list.set_trailing("\n");
    list.set_trailing_comma(true);
    table.insert("items", value(list));
    checked(&document)
}

#[cfg(test)]
mod tests;
