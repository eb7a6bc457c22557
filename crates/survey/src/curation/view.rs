//! The curation view of a suggest round: every suggestion with the team's decision and the
//! system's proposal, the proposed groups of near-duplicates, every item with the suggestions
//! assigned to it (by group), and the counts per group and in all.
//!
//! It is built from plain data (the suggestions, the decisions and the proposed groups), so the
//! service and the command line make the same view; the counts are [`Curation`]'s. The view
//! serialises to the JSON of the service's curation API as it is (with the `openapi` feature,
//! its schema too).

use std::collections::{BTreeMap, HashMap};

use super::{CuratedSuggestion, Curation, Status};
use crate::definition::Exercise;

/// A suggestion of a suggest round, numbered as the round's export writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// `RESPONDENT:N`.
    pub id: String,
    /// The respondent id.
    pub respondent: String,
    /// The respondent's group id.
    pub group: String,
    /// The text as written.
    pub text: String,
}

/// The team's decision about one suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The suggestion id (`RESPONDENT:N`).
    pub suggestion: String,
    /// The decision.
    pub status: Status,
    /// The item the suggestion is assigned (or proposed) to.
    pub item: Option<String>,
    /// A note, such as why a suggestion is out of scope.
    pub note: Option<String>,
}

/// A proposed group of near-duplicate suggestions (from `curate`), by index.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposedGroup {
    /// The suggestions in it, as indices into the suggestions given.
    pub members: Vec<usize>,
    /// The exercise's item it matches, if any is similar enough.
    pub item: Option<ProposedMatch>,
}

/// The item a proposed group matches.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposedMatch {
    /// The index of the exercise's item.
    pub item: usize,
    /// How similar the group is to it, 0 to 1.
    pub similarity: f64,
    /// How sure the match is.
    pub confidence: MatchConfidence,
    /// The words that drove the match, most telling first.
    pub words: Vec<String>,
}

/// How sure a proposed match is. A `low` match is shown as such, never pre-selected and never
/// accepted in bulk.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum MatchConfidence {
    /// Weak: for a person to judge.
    Low,
    /// Worth accepting after reading.
    Medium,
    /// Strong.
    High,
}

impl MatchConfidence {
    /// `low`, `medium` or `high`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchConfidence::Low => "low",
            MatchConfidence::Medium => "medium",
            MatchConfidence::High => "high",
        }
    }

    /// The confidence named `low`, `medium` or `high`.
    pub fn parse(text: &str) -> Option<MatchConfidence> {
        match text {
            "low" => Some(MatchConfidence::Low),
            "medium" => Some(MatchConfidence::Medium),
            "high" => Some(MatchConfidence::High),
            _ => None,
        }
    }

    /// Whether a match this sure may be pre-selected or accepted in bulk.
    pub fn acceptable(self) -> bool {
        self != MatchConfidence::Low
    }
}

/// One suggestion with the team's decision and the system's proposal.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionRow {
    /// `RESPONDENT:N`.
    pub id: String,
    /// The respondent id.
    pub respondent: String,
    /// The group id.
    pub group: String,
    /// The text as written.
    pub text: String,
    /// Assigned, out of scope or unassigned (not yet decided; a `proposed` decision from an
    /// imported curation file is not yet a decision).
    pub status: Status,
    /// The item it is assigned to.
    pub item: Option<String>,
    /// The team's note (why it is out of scope, for example).
    pub note: Option<String>,
    /// The number of its proposed group of near-duplicates (see `clusters`).
    pub cluster: usize,
    /// The item the system proposes for its group, if any is similar enough.
    pub proposed_item: Option<String>,
    /// How sure that proposal is.
    pub proposed_confidence: Option<MatchConfidence>,
    // Provenance of the decision (the proposals part of issue 17).
    /// The account that made the decision (absent when undecided, or decided before this
    /// was recorded).
    pub decided_by: Option<String>,
    /// When the decision was made (Unix seconds).
    pub decided_at: Option<i64>,
    /// The proposal version the decision was made from (absent for a decision made by hand
    /// without a proposal).
    pub decided_from_proposal: Option<i64>,
    /// A second reviewer's check of the decision (none until someone other than the decider
    /// marks it; a changed decision clears it).
    pub review: Option<ReviewMark>,
}

/// A second reviewer's mark on a decision.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Review {
    /// Checked and agreed.
    Reviewed,
    /// Checked and questioned: the note says what to look at again.
    Queried,
}

impl Review {
    /// `reviewed` or `queried`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Review::Reviewed => "reviewed",
            Review::Queried => "queried",
        }
    }

    /// The mark named `reviewed` or `queried`.
    pub fn parse(text: &str) -> Option<Review> {
        match text {
            "reviewed" => Some(Review::Reviewed),
            "queried" => Some(Review::Queried),
            _ => None,
        }
    }
}

/// Who checked a decision, when, and what they said.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewMark {
    /// Reviewed or queried.
    pub review: Review,
    /// The reviewer's note (what to check again, for a query).
    pub note: Option<String>,
    /// The reviewer's account.
    pub by: String,
    /// When (Unix seconds).
    pub at: i64,
}

/// A proposed group of near-duplicate suggestions.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClusterRow {
    /// Its number.
    pub cluster: usize,
    /// The suggestions in it, by id.
    pub suggestions: Vec<String>,
    /// The existing item it matches, if any.
    pub proposed_item: Option<String>,
    /// How similar the group is to that item (cosine of TF-IDF vectors, 0 to 1).
    pub similarity: Option<f64>,
    /// How sure the match to that item is.
    pub confidence: Option<MatchConfidence>,
    /// The words that drove the match, most telling first.
    pub words: Vec<String>,
    /// How many of its suggestions are not yet decided.
    pub undecided: usize,
}

/// An item with the suggestions behind it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CurationView {
    /// The exercise id.
    pub exercise: String,
    /// The suggest round.
    pub round: String,
    /// The definition version the items come from (send it back with changes).
    pub version: i64,
    /// The version of the stored proposal shown (send it back with decisions: a decision
    /// made from a proposal that has since moved is refused).
    pub proposal_version: i64,
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
    /// Each suggestion's proposal through the stored versions (by suggestion id): what
    /// [`CurationView::proposal_changes`] compares. Not part of the JSON.
    #[serde(skip)]
    pub proposal_history: HashMap<String, Vec<ProposalStep>>,
}

/// From `version` on (until a later step), a suggestion's group was proposed `item` with
/// `confidence` (both absent: no item).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProposalStep {
    /// The proposal version.
    pub version: i64,
    /// The proposed item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// How sure the match is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<MatchConfidence>,
}

impl ProposalStep {
    /// Whether a decision made from `self` would be made differently from `other`: another
    /// item, or a match that moved across the line of what is accepted in bulk
    /// ([`MatchConfidence::acceptable`]). A change within medium and high is not a move.
    pub fn moved_from(&self, other: &ProposalStep) -> bool {
        let acceptable =
            |step: &ProposalStep| step.confidence.is_some_and(MatchConfidence::acceptable);
        self.item != other.item || acceptable(self) != acceptable(other)
    }
}

/// How one suggestion's proposal differs between the version a person saw and the current
/// one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalChange {
    /// The suggestion id.
    pub suggestion: String,
    /// Its text.
    pub text: String,
    /// Whether the suggestion was in the proposal seen at all (a suggestion made since was
    /// not).
    pub was_shown: bool,
    /// The item proposed in the version seen.
    pub before: Option<String>,
    /// How sure that was.
    pub before_confidence: Option<MatchConfidence>,
    /// The item proposed now.
    pub after: Option<String>,
    /// How sure that is.
    pub after_confidence: Option<MatchConfidence>,
}

/// What the proposal and the decisions say of each suggestion, before counting.
fn suggestion_rows(
    exercise: &Exercise,
    suggestions: &[Suggestion],
    decisions: &HashMap<&str, &Decision>,
    proposal: &[ProposedGroup],
) -> (Vec<SuggestionRow>, Vec<ClusterRow>) {
    let mut rows = Vec::with_capacity(suggestions.len());
    let mut clusters = Vec::with_capacity(proposal.len());
    for (number, cluster) in proposal.iter().enumerate() {
        let proposed_item = cluster
            .item
            .as_ref()
            .map(|matched| exercise.items[matched.item].id.to_string());
        let proposed_confidence = cluster.item.as_ref().map(|matched| matched.confidence);
        let mut undecided = 0;
        for &member in &cluster.members {
            let suggestion = &suggestions[member];
            let decision = decisions.get(suggestion.id.as_str()).copied();
            let status = decision.map_or(Status::Unassigned, |decision| decision.status);
            // A `proposed` decision (from an imported curation file) is not yet a decision.
            let status = if status == Status::Proposed {
                Status::Unassigned
            } else {
                status
            };
            if status == Status::Unassigned {
                undecided += 1;
            }
            rows.push(SuggestionRow {
                id: suggestion.id.clone(),
                respondent: suggestion.respondent.clone(),
                group: suggestion.group.clone(),
                text: suggestion.text.clone(),
                status,
                item: decision
                    .filter(|_| status == Status::Assigned)
                    .and_then(|decision| decision.item.clone()),
                note: decision.and_then(|decision| decision.note.clone()),
                cluster: number,
                proposed_item: proposed_item.clone(),
                proposed_confidence,
                decided_by: None,
                decided_at: None,
                decided_from_proposal: None,
                review: None,
            });
        }
        clusters.push(ClusterRow {
            cluster: number,
            suggestions: cluster
                .members
                .iter()
                .map(|&member| suggestions[member].id.clone())
                .collect(),
            proposed_item,
            similarity: cluster.item.as_ref().map(|matched| matched.similarity),
            confidence: proposed_confidence,
            words: cluster
                .item
                .as_ref()
                .map(|matched| matched.words.clone())
                .unwrap_or_default(),
            undecided,
        });
    }
    (rows, clusters)
}

/// The suggestions as decided (undecided ones unassigned, without the system's proposal), to
/// count with [`Curation`]'s counts.
fn decided(rows: &[SuggestionRow]) -> Curation {
    Curation {
        suggestions: rows
            .iter()
            .map(|row| CuratedSuggestion {
                id: row.id.clone(),
                respondent: row.respondent.clone(),
                group: row.group.clone(),
                text: row.text.clone(),
                status: row.status,
                item: row.item.clone(),
                cluster: None,
                similarity: None,
                note: row.note.clone(),
            })
            .collect(),
    }
}

impl CurationView {
    /// Builds the view of suggest round `round` from its suggestions, the team's decisions
    /// (the last for a suggestion counts) and the proposed groups of near-duplicates, which
    /// must together hold every suggestion once.
    ///
    /// Complexity: O(n + m · g) for n suggestions, m items and g groups; the proposal itself
    /// (clustering, O(n²)) is made beforehand by `curate`.
    pub fn build(
        exercise: &Exercise,
        round: &str,
        version: i64,
        suggestions: &[Suggestion],
        decisions: &[Decision],
        proposal_version: i64,
        proposal: &[ProposedGroup],
    ) -> CurationView {
        let decisions: HashMap<&str, &Decision> = decisions
            .iter()
            .map(|decision| (decision.suggestion.as_str(), decision))
            .collect();
        let (rows, clusters) = suggestion_rows(exercise, suggestions, &decisions, proposal);
        let curation = decided(&rows);
        let per_item = curation.suggestions_per_item_and_group();
        let items = exercise
            .items
            .iter()
            .map(|item| {
                let by_group: BTreeMap<String, usize> = per_item
                    .get(item.id.as_str())
                    .into_iter()
                    .flatten()
                    .map(|(group, count)| (group.to_string(), *count))
                    .collect();
                ItemRow {
                    item: item.id.to_string(),
                    title: item.title.clone(),
                    description: item.description.clone(),
                    evidence: item.evidence.clone(),
                    answered: item.answered,
                    suggestions: by_group.values().sum(),
                    by_group,
                }
            })
            .collect();
        let per_group = curation.status_counts_by_group();
        let count = |counts: Option<&[(Status, usize); 4]>, wanted: Status| {
            counts
                .and_then(|counts| counts.iter().find(|(status, _)| *status == wanted))
                .map_or(0, |(_, count)| *count)
        };
        let groups = exercise
            .groups
            .iter()
            .map(|group| {
                let counts = per_group.get(group.id.as_str());
                GroupCounts {
                    group: group.id.to_string(),
                    label: group.label.clone(),
                    suggestions: counts.map_or(0, |counts| counts.iter().map(|(_, n)| n).sum()),
                    assigned: count(counts, Status::Assigned),
                    out_of_scope: count(counts, Status::OutOfScope),
                    undecided: count(counts, Status::Unassigned),
                }
            })
            .collect();
        let totals = curation.status_counts();
        CurationView {
            exercise: exercise.id.to_string(),
            round: round.to_string(),
            version,
            proposal_version,
            total: rows.len(),
            assigned: count(Some(&totals), Status::Assigned),
            out_of_scope: count(Some(&totals), Status::OutOfScope),
            undecided: count(Some(&totals), Status::Unassigned),
            suggestions: rows,
            clusters,
            items,
            groups,
            proposal_history: HashMap::new(),
        }
    }

    /// How the proposal of each of `suggestions` (ids; unknown ones are left out) differs
    /// between version `seen` and the current version ([`ProposalStep::moved_from`]), in the
    /// order given; empty when nothing they depend on moved. O(k · h) for k suggestions of h
    /// steps each.
    pub fn proposal_changes(&self, seen: i64, suggestions: &[String]) -> Vec<ProposalChange> {
        if seen == self.proposal_version {
            return Vec::new();
        }
        let rows: HashMap<&str, &SuggestionRow> = self
            .suggestions
            .iter()
            .map(|row| (row.id.as_str(), row))
            .collect();
        suggestions
            .iter()
            .filter_map(|id| rows.get(id.as_str()).copied())
            .filter_map(|row| {
                let now = ProposalStep {
                    version: self.proposal_version,
                    item: row.proposed_item.clone(),
                    confidence: row.proposed_confidence,
                };
                let then = self.proposal_history.get(&row.id).and_then(|steps| {
                    steps
                        .iter()
                        .rev()
                        .find(|step| step.version <= seen)
                        .cloned()
                });
                let moved = then.as_ref().is_none_or(|then| now.moved_from(then));
                moved.then(|| ProposalChange {
                    suggestion: row.id.clone(),
                    text: row.text.clone(),
                    was_shown: then.is_some(),
                    before: then.as_ref().and_then(|then| then.item.clone()),
                    before_confidence: then.as_ref().and_then(|then| then.confidence),
                    after: now.item,
                    after_confidence: now.confidence,
                })
            })
            .collect()
    }

    /// Puts the second reviewer's marks, by suggestion id, on the decided suggestions (marks
    /// on suggestions that are not decided, or not in the round, are left out).
    pub fn set_reviews(&mut self, marks: impl IntoIterator<Item = (String, ReviewMark)>) {
        let mut marks: HashMap<String, ReviewMark> = marks.into_iter().collect();
        for row in &mut self.suggestions {
            row.review = if row.status == Status::Unassigned {
                None
            } else {
                marks.remove(&row.id)
            };
        }
    }

    /// Whether the round has a suggestion with this id.
    pub fn has_suggestion(&self, id: &str) -> bool {
        self.suggestions.iter().any(|row| row.id == id)
    }

    /// How many undecided suggestions have a proposed item sure enough to accept in bulk
    /// (not [`MatchConfidence::Low`]).
    pub fn acceptable(&self) -> usize {
        self.suggestions
            .iter()
            .filter(|row| row.status == Status::Unassigned && row.proposed_item.is_some())
            .filter(|row| {
                row.proposed_confidence
                    .is_some_and(MatchConfidence::acceptable)
            })
            .count()
    }

    /// The curation file of the round: decided suggestions as decided, the others as the
    /// system's proposal (status `proposed`).
    pub fn to_curation(&self) -> Curation {
        let similarity: HashMap<usize, Option<f64>> = self
            .clusters
            .iter()
            .map(|cluster| (cluster.cluster, cluster.similarity))
            .collect();
        Curation {
            suggestions: self
                .suggestions
                .iter()
                .map(|row| {
                    let decided = row.status != Status::Unassigned;
                    CuratedSuggestion {
                        id: row.id.clone(),
                        respondent: row.respondent.clone(),
                        group: row.group.clone(),
                        text: row.text.clone(),
                        status: if decided {
                            row.status
                        } else if row.proposed_item.is_some() {
                            Status::Proposed
                        } else {
                            Status::Unassigned
                        },
                        item: if decided {
                            row.item.clone()
                        } else {
                            row.proposed_item.clone()
                        },
                        cluster: u32::try_from(row.cluster + 1).ok(),
                        similarity: if row.proposed_item.is_some() {
                            similarity.get(&row.cluster).copied().flatten()
                        } else {
                            None
                        },
                        note: row.note.clone(),
                    }
                })
                .collect(),
        }
    }
}
