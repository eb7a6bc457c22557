//! What accepting the proposals would do, before doing it: per proposed item, the suggestions
//! that would go to it, and what is left for a person. Built from the same decisions that
//! accepting records ([`CurationView::accept_proposals`]), so the preview is what happens.

use std::collections::BTreeMap;

use serde::Serialize;
use survey::curation::{CurationView, MatchConfidence, Status};
use utoipa::ToSchema;

use crate::error::AppError;

/// One suggestion in a preview.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PreviewSuggestion {
    /// The suggestion id.
    pub suggestion: String,
    /// Its text.
    pub text: String,
    /// Its proposed group's number.
    pub cluster: usize,
    /// The item proposed for its group, if any.
    pub proposed_item: Option<String>,
    /// How sure that is.
    pub confidence: Option<MatchConfidence>,
}

/// A proposed item and the suggestions accepting would assign to it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PreviewItem {
    /// The item id.
    pub item: String,
    /// Its title.
    pub title: String,
    /// The least sure of its matches (medium or high).
    pub confidence: MatchConfidence,
    /// The suggestions that would be assigned to it.
    pub suggestions: Vec<PreviewSuggestion>,
}

/// What accepting the proposals of proposal version `proposal_version` would do.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AcceptPreview {
    /// The proposal version previewed: send it to apply exactly this.
    pub proposal_version: i64,
    /// How many suggestions would be assigned.
    pub to_assign: usize,
    /// Per proposed item (in the exercise's item order), the suggestions it would receive.
    pub items: Vec<PreviewItem>,
    /// Undecided suggestions matched to an item at low confidence: left for a person.
    pub low_confidence: Vec<PreviewSuggestion>,
    /// Undecided suggestions whose group matches no item: left for a person.
    pub without_item: Vec<PreviewSuggestion>,
    /// Suggestions already decided (left as they are).
    pub already_decided: usize,
}

/// The preview of accepting the proposals of `clusters` (all when `None`).
///
/// # Errors
/// 422 naming `clusters` for an unknown group.
pub fn accept_preview(
    exercise: &survey::Exercise,
    view: &CurationView,
    clusters: Option<&[usize]>,
) -> Result<AcceptPreview, AppError> {
    let decisions = view
        .accept_proposals(clusters)
        .map_err(|error| AppError::field("clusters", error.to_string()))?;
    let rows: Vec<_> = view
        .suggestions
        .iter()
        .filter(|row| clusters.is_none_or(|numbers| numbers.contains(&row.cluster)))
        .collect();
    let line = |row: &survey::curation::SuggestionRow| PreviewSuggestion {
        suggestion: row.id.clone(),
        text: row.text.clone(),
        cluster: row.cluster,
        proposed_item: row.proposed_item.clone(),
        confidence: row.proposed_confidence,
    };
    let by_id: std::collections::HashMap<&str, &survey::curation::SuggestionRow> =
        rows.iter().map(|row| (row.id.as_str(), *row)).collect();
    let mut per_item: BTreeMap<usize, PreviewItem> = BTreeMap::new();
    for decision in &decisions {
        let (Some(item), Some(row)) = (
            decision.item.as_deref(),
            by_id.get(decision.suggestion.as_str()),
        ) else {
            continue;
        };
        let position = exercise
            .items
            .iter()
            .position(|found| found.id.as_str() == item)
            .unwrap_or(usize::MAX);
        let confidence = row.proposed_confidence.unwrap_or(MatchConfidence::Medium);
        let entry = per_item.entry(position).or_insert_with(|| PreviewItem {
            item: item.to_string(),
            title: exercise
                .item(item)
                .map_or_else(|| item.to_string(), |found| found.title.clone()),
            confidence,
            suggestions: Vec::new(),
        });
        entry.confidence = entry.confidence.min(confidence);
        entry.suggestions.push(line(row));
    }
    let undecided = |row: &&&survey::curation::SuggestionRow| row.status == Status::Unassigned;
    Ok(AcceptPreview {
        proposal_version: view.proposal_version,
        to_assign: decisions.len(),
        items: per_item.into_values().collect(),
        low_confidence: rows
            .iter()
            .filter(undecided)
            .filter(|row| {
                row.proposed_item.is_some()
                    && !row
                        .proposed_confidence
                        .is_some_and(MatchConfidence::acceptable)
            })
            .map(|row| line(row))
            .collect(),
        without_item: rows
            .iter()
            .filter(undecided)
            .filter(|row| row.proposed_item.is_none())
            .map(|row| line(row))
            .collect(),
        already_decided: rows
            .iter()
            .filter(|row| row.status != Status::Unassigned)
            .count(),
    })
}
