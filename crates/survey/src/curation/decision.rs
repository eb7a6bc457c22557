//! The checks of the team's curation decisions, with typed errors that name their field: a
//! decision about one suggestion, accepting the system's proposals, and an item made from
//! suggestions.

use super::Status;
use super::view::{CurationView, Decision, MatchConfidence};
use crate::definition::Exercise;

/// The longest note a decision may carry, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// The longest wording an item may have, in characters.
pub const MAX_TITLE_CHARS: usize = 300;

/// A decision about one suggestion, as given.
#[derive(Debug, Clone, Copy, Default)]
pub struct DecisionInput<'a> {
    /// `assigned` (with `item`), `out-of-scope` (with a `note` saying why) or `unassigned`.
    pub status: &'a str,
    /// The item, for `assigned`.
    pub item: Option<&'a str>,
    /// A note; for `out-of-scope`, the reason.
    pub note: Option<&'a str>,
}

/// Why a decision about a suggestion cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    /// The round has no suggestion with this id.
    #[error("round `{round}` has no suggestion `{suggestion}`")]
    UnknownSuggestion {
        /// The round.
        round: String,
        /// The suggestion id given.
        suggestion: String,
    },
    /// The note is longer than [`MAX_NOTE_CHARS`].
    #[error("the note is longer than 500 characters")]
    NoteTooLong,
    /// The status is not `assigned`, `out-of-scope` or `unassigned`.
    #[error("`status` is `{0}` but must be assigned, out-of-scope or unassigned")]
    UnknownStatus(String),
    /// `assigned` without an item.
    #[error("choose the item the suggestion belongs to")]
    NoItem,
    /// `assigned` to an item the exercise does not have.
    #[error("there is no item `{0}`")]
    UnknownItem(String),
    /// `out-of-scope` without a reason.
    #[error(
        "say why the suggestion is out of scope (it is kept and counted, and the reason is reported)"
    )]
    NoReason,
}

impl DecisionError {
    /// The field of the request the error is about (`None` for an unknown suggestion, which
    /// is not found rather than invalid).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            DecisionError::UnknownSuggestion { .. } => None,
            DecisionError::NoteTooLong | DecisionError::NoReason => Some("note"),
            DecisionError::UnknownStatus(_) => Some("status"),
            DecisionError::NoItem | DecisionError::UnknownItem(_) => Some("item"),
        }
    }
}

/// Checks a decision about `suggestion` against the exercise and the round's suggestions.
///
/// # Errors
/// In this order: an unknown suggestion, a note too long, an unknown status, `assigned`
/// without an item or with an unknown one, out of scope without a reason.
pub fn check_decision(
    exercise: &Exercise,
    view: &CurationView,
    suggestion: &str,
    input: DecisionInput<'_>,
) -> Result<Decision, DecisionError> {
    if !view.has_suggestion(suggestion) {
        return Err(DecisionError::UnknownSuggestion {
            round: view.round.clone(),
            suggestion: suggestion.to_string(),
        });
    }
    let note = input
        .note
        .map(str::trim)
        .filter(|note| !note.is_empty())
        .map(str::to_string);
    if note
        .as_ref()
        .is_some_and(|note| note.chars().count() > MAX_NOTE_CHARS)
    {
        return Err(DecisionError::NoteTooLong);
    }
    let status = match Status::parse(input.status) {
        Some(status @ (Status::Assigned | Status::OutOfScope | Status::Unassigned)) => status,
        Some(Status::Proposed) | None => {
            return Err(DecisionError::UnknownStatus(input.status.to_string()));
        }
    };
    let item = match status {
        Status::Assigned => {
            let Some(item) = input.item.filter(|item| !item.is_empty()) else {
                return Err(DecisionError::NoItem);
            };
            match exercise.item(item) {
                None => return Err(DecisionError::UnknownItem(item.to_string())),
                Some(found) => Some(found.id.to_string()),
            }
        }
        _ => None,
    };
    if status == Status::OutOfScope && note.is_none() {
        return Err(DecisionError::NoReason);
    }
    Ok(Decision {
        suggestion: suggestion.to_string(),
        status,
        item,
        note,
    })
}

/// A proposed group number that the view does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("there is no proposed group {0}")]
pub struct UnknownCluster(pub usize);

impl CurationView {
    /// The decisions that accept the system's proposals: every undecided suggestion of the
    /// given proposed groups (all when `None`) whose group matches an item is assigned to it,
    /// unless the match is [`MatchConfidence::Low`] (those are for a person to judge, one by
    /// one).
    ///
    /// # Errors
    /// [`UnknownCluster`] for a group number the view does not have.
    pub fn accept_proposals(
        &self,
        clusters: Option<&[usize]>,
    ) -> Result<Vec<Decision>, UnknownCluster> {
        if let Some(numbers) = clusters
            && let Some(&unknown) = numbers.iter().find(|&&n| n >= self.clusters.len())
        {
            return Err(UnknownCluster(unknown));
        }
        Ok(self
            .suggestions
            .iter()
            .filter(|row| clusters.is_none_or(|numbers| numbers.contains(&row.cluster)))
            .filter(|row| row.status == Status::Unassigned)
            .filter(|row| {
                row.proposed_confidence
                    .is_some_and(MatchConfidence::acceptable)
            })
            .filter_map(|row| {
                row.proposed_item.as_ref().map(|item| Decision {
                    suggestion: row.id.clone(),
                    status: Status::Assigned,
                    item: Some(item.clone()),
                    note: None,
                })
            })
            .collect())
    }
}

/// Why an item cannot be made from suggestions, or reworded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NewItemError {
    /// The wording is empty.
    #[error("give the item's wording")]
    NoTitle,
    /// The wording is longer than [`MAX_TITLE_CHARS`].
    #[error("the wording is longer than 300 characters")]
    TitleTooLong,
    /// A suggestion the round does not have.
    #[error("round `{round}` has no suggestion `{suggestion}`")]
    UnknownSuggestion {
        /// The round.
        round: String,
        /// The suggestion id given.
        suggestion: String,
    },
}

impl NewItemError {
    /// The field of the request the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            NewItemError::NoTitle | NewItemError::TitleTooLong => "title",
            NewItemError::UnknownSuggestion { .. } => "suggestions",
        }
    }
}

/// Checks an item's new wording: not longer than [`MAX_TITLE_CHARS`].
///
/// # Errors
/// [`NewItemError::TitleTooLong`].
pub fn check_title_length(title: &str) -> Result<(), NewItemError> {
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(NewItemError::TitleTooLong);
    }
    Ok(())
}

/// An item to make from suggestions, checked: its id, its wording and the decisions that
/// assign the suggestions to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedNewItem {
    /// The item id: the one given, or one made from the title.
    pub id: String,
    /// The wording, trimmed.
    pub title: String,
    /// The suggestions, assigned to the item.
    pub decisions: Vec<Decision>,
}

/// Checks an item to make from suggestions: a wording (trimmed, not empty, not too long), an
/// id (the one given, or one made from the title unlike any of the exercise's) and suggestions
/// the round has.
///
/// # Errors
/// In this order: an empty or too long wording, an unknown suggestion.
pub fn check_new_item(
    exercise: &Exercise,
    view: &CurationView,
    title: &str,
    id: Option<&str>,
    suggestions: &[String],
) -> Result<CheckedNewItem, NewItemError> {
    let title = title.trim().to_string();
    if title.is_empty() {
        return Err(NewItemError::NoTitle);
    }
    check_title_length(&title)?;
    let id = match id.map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => id.to_string(),
        None => {
            crate::edit::new_item_id(&title, exercise.items.iter().map(|item| item.id.as_str()))
        }
    };
    let mut decisions = Vec::new();
    for suggestion in suggestions {
        if !view.has_suggestion(suggestion) {
            return Err(NewItemError::UnknownSuggestion {
                round: view.round.clone(),
                suggestion: suggestion.clone(),
            });
        }
        decisions.push(Decision {
            suggestion: suggestion.clone(),
            status: Status::Assigned,
            item: Some(id.clone()),
            note: None,
        });
    }
    Ok(CheckedNewItem {
        id,
        title,
        decisions,
    })
}
