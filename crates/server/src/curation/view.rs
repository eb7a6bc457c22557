//! The curation view as JSON: `survey::curation::CurationView` with the API's names and schema.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

// The view as JSON: `survey::curation::CurationView` with the API's names and schema.

/// One suggestion with the team's decision and the system's proposal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SuggestionRow {
    /// `RESPONDENT:N`.
    pub id: String,
    /// The respondent id.
    pub respondent: String,
    /// The group id.
    pub group: String,
    /// The text as written.
    pub text: String,
    /// `assigned`, `out-of-scope` or `unassigned` (not yet decided).
    pub status: String,
    /// The item it is assigned to.
    pub item: Option<String>,
    /// The team's note (why it is out of scope, for example).
    pub note: Option<String>,
    /// The number of its proposed group of near-duplicates (see `clusters`).
    pub cluster: usize,
    /// The item the system proposes for its group, if any is similar enough.
    pub proposed_item: Option<String>,
}

/// A proposed group of near-duplicate suggestions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClusterRow {
    /// Its number.
    pub cluster: usize,
    /// The suggestions in it, by id.
    pub suggestions: Vec<String>,
    /// The existing item it matches, if any.
    pub proposed_item: Option<String>,
    /// How similar the group is to that item (cosine of TF-IDF vectors, 0 to 1).
    pub similarity: Option<f64>,
    /// How many of its suggestions are not yet decided.
    pub undecided: usize,
}

/// An item with the suggestions behind it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemRow {
    /// The item id.
    pub item: String,
    /// Its title.
    pub title: String,
    /// Its description.
    pub description: Option<String>,
    /// The evidence checked.
    pub evidence: Option<String>,
    /// Whether existing evidence answers it (it is then left out of later rounds).
    pub answered: bool,
    /// Suggestions assigned to it.
    pub suggestions: usize,
    /// Suggestions assigned to it, by group id (groups with none left out).
    pub by_group: BTreeMap<String, usize>,
}

/// Counts of one group's suggestions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupCounts {
    /// The group id.
    pub group: String,
    /// Its label.
    pub label: String,
    /// Suggestions made.
    pub suggestions: usize,
    /// Assigned to an item.
    pub assigned: usize,
    /// Out of scope.
    pub out_of_scope: usize,
    /// Not yet decided.
    pub undecided: usize,
}

/// Everything about a suggest round's curation.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CurationView)]
pub struct CurationViewBody {
    /// The exercise id.
    pub exercise: String,
    /// The suggest round.
    pub round: String,
    /// The definition version the items come from (send it back with changes).
    pub version: i64,
    /// Every suggestion, grouped by proposed cluster (largest first).
    pub suggestions: Vec<SuggestionRow>,
    /// The proposed groups of near-duplicates.
    pub clusters: Vec<ClusterRow>,
    /// Every item of the exercise with its suggestions.
    pub items: Vec<ItemRow>,
    /// Counts by group, in the exercise's group order.
    pub groups: Vec<GroupCounts>,
    /// Suggestions in all.
    pub total: usize,
    /// Assigned to an item.
    pub assigned: usize,
    /// Out of scope.
    pub out_of_scope: usize,
    /// Not yet decided.
    pub undecided: usize,
}

impl From<&survey::curation::CurationView> for self::CurationViewBody {
    fn from(view: &survey::curation::CurationView) -> Self {
        CurationViewBody {
            exercise: view.exercise.clone(),
            round: view.round.clone(),
            version: view.version,
            suggestions: view
                .suggestions
                .iter()
                .map(|row| SuggestionRow {
                    id: row.id.clone(),
                    respondent: row.respondent.clone(),
                    group: row.group.clone(),
                    text: row.text.clone(),
                    status: row.status.as_str().to_string(),
                    item: row.item.clone(),
                    note: row.note.clone(),
                    cluster: row.cluster,
                    proposed_item: row.proposed_item.clone(),
                })
                .collect(),
            clusters: view
                .clusters
                .iter()
                .map(|cluster| ClusterRow {
                    cluster: cluster.cluster,
                    suggestions: cluster.suggestions.clone(),
                    proposed_item: cluster.proposed_item.clone(),
                    similarity: cluster.similarity,
                    undecided: cluster.undecided,
                })
                .collect(),
            items: view
                .items
                .iter()
                .map(|item| ItemRow {
                    item: item.item.clone(),
                    title: item.title.clone(),
                    description: item.description.clone(),
                    evidence: item.evidence.clone(),
                    answered: item.answered,
                    suggestions: item.suggestions,
                    by_group: item.by_group.clone(),
                })
                .collect(),
            groups: view
                .groups
                .iter()
                .map(|group| GroupCounts {
                    group: group.group.clone(),
                    label: group.label.clone(),
                    suggestions: group.suggestions,
                    assigned: group.assigned,
                    out_of_scope: group.out_of_scope,
                    undecided: group.undecided,
                })
                .collect(),
            total: view.total,
            assigned: view.assigned,
            out_of_scope: view.out_of_scope,
            undecided: view.undecided,
        }
    }
}

// ---------------------------------------------------------------------------------------------
