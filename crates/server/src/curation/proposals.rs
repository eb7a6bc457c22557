//! Stored, versioned proposals: computed once per change of the suggestions or the items,
//! stored as the round's next version, and used by every load until the inputs change; merges
//! and splits of proposed groups by people, stored as further versions and re-applied to later
//! computations.
//!
//! # The stored body (JSON)
//! ```json
//! { "groups": [ { "suggestions": ["p1:1", "p2:1"],
//!                 "item": { "item": "housing", "similarity": 0.41, "confidence": "high",
//!                           "words": ["housing", "leavers"] } } ],
//!   "edits": [ { "kind": "merge", "suggestions": ["p1:1", "p3:2"], "by": "lead@example.org",
//!                "version": 3 } ],
//!   "history": { "p1:1": [ { "version": 1, "item": "housing", "confidence": "high" } ] } }
//! ```
//! Groups are by suggestion id (never by index), largest first (ties: the group whose first
//! suggestion was made first). `edits` are the people's merges and splits, in the order made;
//! `history` holds, for each suggestion, the versions at which its proposed item or confidence
//! changed, so that a decision can be compared with the version the person saw.
//!
//! # Inputs
//! The SHA-256 of: every suggestion's id and text (in submission order), every item's id and
//! matching text (in definition order), and the matching settings as `Debug` writes them (so a
//! setting added to `curate::Settings` can never be left out). Each part is written with its
//! length first, so no two inputs give the same bytes.
//!
//! # Re-applying people's edits
//! When the inputs change (a new suggestion or item), the proposal is computed afresh and the
//! edits of the latest version are replayed on it in order; an edit whose suggestions are not
//! all still there is dropped (and so not carried further).
//! - A merge gathers the groups that now hold any of its suggestions into one group (so a
//!   suggestion the new computation put beside them comes too).
//! - A split takes its suggestions out of their groups into a group of their own, without an
//!   item (a person said they differ from the group's; a person decides where they go).
//!
//! A merged group keeps the item match of its largest group that had one (ties: the more
//! similar); when the groups merged were proposed different items, the match is kept but its
//! confidence becomes low, so it is never accepted in bulk.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use store::{NewProposal, PutProposal, StoredExercise, StoredProposal, StoredSuggestion};
use survey::curation::{CurationView, MatchConfidence, ProposalStep, ProposedGroup, ProposedMatch};

use crate::AppState;
use crate::error::AppError;

/// Who made a computed proposal.
pub const SYSTEM: &str = "system";

/// How many times a load computes again when another version was stored meanwhile.
const ATTEMPTS: usize = 3;

/// A stored proposal: the groups, the people's edits, and each suggestion's history.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProposalBody {
    /// The proposed groups.
    pub groups: Vec<BodyGroup>,
    /// People's merges and splits, in the order made.
    #[serde(default)]
    pub edits: Vec<GroupEdit>,
    /// For each suggestion, the versions at which its proposal changed.
    #[serde(default)]
    pub history: BTreeMap<String, Vec<ProposalStep>>,
}

/// A proposed group of near-duplicate suggestions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyGroup {
    /// Its suggestions, by id.
    pub suggestions: Vec<String>,
    /// The item it matches, if any.
    #[serde(default)]
    pub item: Option<BodyMatch>,
}

/// The item a group matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyMatch {
    /// The item id.
    pub item: String,
    /// How similar, 0 to 1.
    pub similarity: f64,
    /// How sure.
    pub confidence: MatchConfidence,
    /// The words that drove it.
    #[serde(default)]
    pub words: Vec<String>,
}

/// A person's change to the proposed groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum GroupEdit {
    /// These suggestions' groups are one group.
    Merge {
        /// Every suggestion of the groups merged.
        suggestions: Vec<String>,
        /// Who.
        by: String,
        /// The version it made.
        version: i64,
    },
    /// These suggestions are a group of their own.
    Split {
        /// The suggestions split out.
        suggestions: Vec<String>,
        /// Who.
        by: String,
        /// The version it made.
        version: i64,
    },
}

impl GroupEdit {
    fn suggestions(&self) -> &[String] {
        match self {
            GroupEdit::Merge { suggestions, .. } | GroupEdit::Split { suggestions, .. } => {
                suggestions
            }
        }
    }
}

/// The SHA-256 (hex) of what a proposal is computed from (see the module documentation).
pub fn inputs_sha256(
    exercise: &survey::Exercise,
    suggestions: &[StoredSuggestion],
    settings: &curate::Settings,
) -> String {
    let mut hasher = Sha256::new();
    let mut part = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    part(b"prioritise curation proposal inputs 1");
    part(&(suggestions.len() as u64).to_le_bytes());
    for suggestion in suggestions {
        part(suggestion.id.as_bytes());
        part(suggestion.text.as_bytes());
    }
    part(&(exercise.items.len() as u64).to_le_bytes());
    for item in &exercise.items {
        part(item.id.as_str().as_bytes());
        part(item.matching_text().as_bytes());
    }
    part(format!("{settings:?}").as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn confidence(confidence: curate::Confidence) -> MatchConfidence {
    match confidence {
        curate::Confidence::Low => MatchConfidence::Low,
        curate::Confidence::Medium => MatchConfidence::Medium,
        curate::Confidence::High => MatchConfidence::High,
    }
}

/// Computes the proposal afresh with `curate` (O(n²)), replays the edits of `previous` whose
/// suggestions are all still there, and records the history as version `version`.
pub fn compute(
    exercise: &survey::Exercise,
    suggestions: &[StoredSuggestion],
    settings: &curate::Settings,
    previous: Option<&ProposalBody>,
    version: i64,
) -> ProposalBody {
    let texts: Vec<&str> = suggestions.iter().map(|s| s.text.as_str()).collect();
    let item_texts: Vec<String> = exercise
        .items
        .iter()
        .map(survey::Item::matching_text)
        .collect();
    let item_refs: Vec<&str> = item_texts.iter().map(String::as_str).collect();
    let groups = curate::propose(&texts, &item_refs, settings)
        .clusters
        .into_iter()
        .map(|cluster| BodyGroup {
            suggestions: cluster
                .members
                .iter()
                .map(|&member| suggestions[member].id.clone())
                .collect(),
            item: cluster.item.map(|matched| BodyMatch {
                item: exercise.items[matched.item].id.to_string(),
                similarity: matched.similarity,
                confidence: confidence(matched.confidence),
                words: matched.words,
            }),
        })
        .collect();
    let mut body = ProposalBody {
        groups,
        edits: Vec::new(),
        history: BTreeMap::new(),
    };
    let present: HashSet<&str> = suggestions.iter().map(|s| s.id.as_str()).collect();
    if let Some(previous) = previous {
        for edit in &previous.edits {
            if edit
                .suggestions()
                .iter()
                .all(|id| present.contains(id.as_str()))
            {
                apply_edit(&mut body.groups, edit);
                body.edits.push(edit.clone());
            }
        }
    }
    order_groups(&mut body.groups, suggestions.iter().map(|s| s.id.as_str()));
    body.history = next_history(previous, &body.groups, version);
    body
}

/// Applies a merge or a split to the groups (their suggestions must all be present).
pub fn apply_edit(groups: &mut Vec<BodyGroup>, edit: &GroupEdit) {
    let wanted: HashSet<&str> = edit.suggestions().iter().map(String::as_str).collect();
    match edit {
        GroupEdit::Merge { .. } => {
            let (merged, kept): (Vec<BodyGroup>, Vec<BodyGroup>) =
                std::mem::take(groups).into_iter().partition(|group| {
                    group
                        .suggestions
                        .iter()
                        .any(|id| wanted.contains(id.as_str()))
                });
            *groups = kept;
            if !merged.is_empty() {
                groups.push(merge_groups(merged));
            }
        }
        GroupEdit::Split { suggestions, .. } => {
            let whole = groups.iter().any(|group| {
                group.suggestions.len() == wanted.len()
                    && group
                        .suggestions
                        .iter()
                        .all(|id| wanted.contains(id.as_str()))
            });
            if whole {
                return;
            }
            for group in groups.iter_mut() {
                group.suggestions.retain(|id| !wanted.contains(id.as_str()));
            }
            groups.retain(|group| !group.suggestions.is_empty());
            groups.push(BodyGroup {
                suggestions: suggestions.clone(),
                item: None,
            });
        }
    }
}

/// One group of several: the suggestions of all, and the match of the largest that had one
/// (ties: the more similar), at low confidence when the groups matched different items.
fn merge_groups(merged: Vec<BodyGroup>) -> BodyGroup {
    let items: HashSet<&str> = merged
        .iter()
        .filter_map(|group| group.item.as_ref().map(|matched| matched.item.as_str()))
        .collect();
    let disagree = items.len() > 1;
    let best = merged
        .iter()
        .filter(|group| group.item.is_some())
        .max_by(|a, b| {
            a.suggestions.len().cmp(&b.suggestions.len()).then_with(|| {
                let similarity =
                    |group: &BodyGroup| group.item.as_ref().map_or(0.0, |m| m.similarity);
                similarity(a).total_cmp(&similarity(b))
            })
        })
        .and_then(|group| group.item.clone())
        .map(|mut matched| {
            if disagree {
                matched.confidence = MatchConfidence::Low;
            }
            matched
        });
    BodyGroup {
        suggestions: merged
            .into_iter()
            .flat_map(|group| group.suggestions)
            .collect(),
        item: best,
    }
}

/// Largest first; ties: the group whose earliest suggestion came first. Within a group, the
/// suggestions in submission order.
pub fn order_groups<'a>(groups: &mut [BodyGroup], order: impl IntoIterator<Item = &'a str>) {
    let position: HashMap<&str, usize> = order
        .into_iter()
        .enumerate()
        .map(|(index, id)| (id, index))
        .collect();
    let at = |id: &String| position.get(id.as_str()).copied().unwrap_or(usize::MAX);
    for group in groups.iter_mut() {
        group.suggestions.sort_by_key(at);
    }
    groups.sort_by_key(|group| {
        (
            std::cmp::Reverse(group.suggestions.len()),
            group.suggestions.first().map_or(usize::MAX, at),
        )
    });
}

/// The history of `previous` with a step at `version` for every suggestion whose proposal is
/// new or different in `groups`; suggestions no longer there are left out.
pub fn next_history(
    previous: Option<&ProposalBody>,
    groups: &[BodyGroup],
    version: i64,
) -> BTreeMap<String, Vec<ProposalStep>> {
    let mut history = BTreeMap::new();
    for group in groups {
        let now = ProposalStep {
            version,
            item: group.item.as_ref().map(|matched| matched.item.clone()),
            confidence: group.item.as_ref().map(|matched| matched.confidence),
        };
        for id in &group.suggestions {
            let mut steps: Vec<ProposalStep> = previous
                .and_then(|previous| previous.history.get(id))
                .cloned()
                .unwrap_or_default();
            let same = steps
                .last()
                .is_some_and(|last| last.item == now.item && last.confidence == now.confidence);
            if !same {
                steps.push(now.clone());
            }
            history.insert(id.clone(), steps);
        }
    }
    history
}

/// The body as the view's groups (by index into `suggestions` and the exercise's items). A
/// suggestion the body lacks (never, for a body made from the same inputs) is a group alone.
pub fn proposed_groups(
    exercise: &survey::Exercise,
    suggestions: &[StoredSuggestion],
    body: &ProposalBody,
) -> Vec<ProposedGroup> {
    let index: HashMap<&str, usize> = suggestions
        .iter()
        .enumerate()
        .map(|(index, s)| (s.id.as_str(), index))
        .collect();
    let mut placed = vec![false; suggestions.len()];
    let mut groups: Vec<ProposedGroup> = Vec::with_capacity(body.groups.len());
    for group in &body.groups {
        let members: Vec<usize> = group
            .suggestions
            .iter()
            .filter_map(|id| index.get(id.as_str()).copied())
            .filter(|&member| !std::mem::replace(&mut placed[member], true))
            .collect();
        if members.is_empty() {
            continue;
        }
        let item = group.item.as_ref().and_then(|matched| {
            exercise
                .items
                .iter()
                .position(|item| item.id.as_str() == matched.item)
                .map(|item| ProposedMatch {
                    item,
                    similarity: matched.similarity,
                    confidence: matched.confidence,
                    words: matched.words.clone(),
                })
        });
        groups.push(ProposedGroup { members, item });
    }
    for (member, done) in placed.into_iter().enumerate() {
        if !done {
            groups.push(ProposedGroup {
                members: vec![member],
                item: None,
            });
        }
    }
    groups
}

/// The proposal a view shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CurrentProposal {
    /// Its version (0: none stored, for a round without suggestions).
    pub version: i64,
    /// The SHA-256 of its inputs.
    pub inputs_sha256: String,
    /// The proposal.
    pub body: ProposalBody,
    /// The round's suggestion ids in submission order (how groups of a size are ordered).
    pub order: Vec<String>,
}

/// Reads a stored body.
///
/// # Errors
/// 500 when it does not parse (it was written by this program).
pub fn parse_body(stored: &StoredProposal) -> Result<ProposalBody, AppError> {
    serde_json::from_str(&stored.body).map_err(|error| {
        AppError::Internal(format!(
            "the stored proposal version {} does not parse: {error}",
            stored.version
        ))
    })
}

fn write_body(body: &ProposalBody) -> Result<String, AppError> {
    serde_json::to_string(body)
        .map_err(|error| AppError::Internal(format!("cannot write a proposal: {error}")))
}

/// The round's current proposal: the latest stored version when it was made from these
/// inputs; otherwise computed once (on the blocking pool, holding a heavy-work permit) and
/// stored as the next version. Two loads at once store one version: the second finds the
/// first's and uses it. The version is 0, and nothing is stored, when the round has no
/// suggestions.
///
/// # Errors
/// Store errors; 503 when other versions kept being stored meanwhile.
pub async fn current(
    state: &AppState,
    stored: &StoredExercise,
    round: &str,
    suggestions: &[StoredSuggestion],
    latest: Option<StoredProposal>,
) -> Result<CurrentProposal, AppError> {
    if suggestions.is_empty() {
        return Ok(CurrentProposal::default());
    }
    let settings = curate::Settings::default();
    let sha = inputs_sha256(&stored.exercise, suggestions, &settings);
    let mut latest = latest;
    for _ in 0..ATTEMPTS {
        if let Some(found) = &latest
            && found.inputs_sha256 == sha
        {
            return Ok(CurrentProposal {
                version: found.version,
                inputs_sha256: sha,
                body: parse_body(found)?,
                order: suggestions.iter().map(|s| s.id.clone()).collect(),
            });
        }
        let previous = latest.as_ref().map(parse_body).transpose()?;
        let based_on = latest.as_ref().map_or(0, |found| found.version);
        let (exercise, texts) = (stored.exercise.clone(), suggestions.to_vec());
        let body = state
            .results_work
            .with_permit(move || {
                compute(
                    &exercise,
                    &texts,
                    &settings,
                    previous.as_ref(),
                    based_on + 1,
                )
            })
            .await?;
        let summary = format!(
            "computed from {} suggestions and {} items{}",
            suggestions.len(),
            stored.exercise.items.len(),
            match body.edits.len() {
                0 => String::new(),
                1 => ", with 1 merge or split by people".to_string(),
                many => format!(", with {many} merges or splits by people"),
            }
        );
        let proposal = NewProposal {
            inputs_sha256: sha.clone(),
            made_by: SYSTEM.to_string(),
            body: write_body(&body)?,
            summary,
        };
        let (exercise_id, round_id) = (stored.exercise.id.to_string(), round.to_string());
        let put = state
            .blocking(move |store| store.put_proposal(&exercise_id, &round_id, based_on, proposal))
            .await?;
        match put {
            PutProposal::Stored(version) => {
                return Ok(CurrentProposal {
                    version,
                    inputs_sha256: sha,
                    body,
                    order: suggestions.iter().map(|s| s.id.clone()).collect(),
                });
            }
            PutProposal::Moved(found) => latest = Some(found),
        }
    }
    Err(AppError::Unavailable)
}

/// Stores `body` (the current proposal `based_on` with a person's edit applied) as the next
/// version, made by `actor`.
///
/// # Errors
/// 409 when another version was stored meanwhile; store errors.
pub async fn store_edit(
    state: &AppState,
    (exercise, round): (&str, &str),
    based_on: &CurrentProposal,
    body: &ProposalBody,
    actor: &str,
    summary: String,
) -> Result<i64, AppError> {
    let proposal = NewProposal {
        inputs_sha256: based_on.inputs_sha256.clone(),
        made_by: actor.to_string(),
        body: write_body(body)?,
        summary,
    };
    let (exercise_id, round_id, version) =
        (exercise.to_string(), round.to_string(), based_on.version);
    match state
        .blocking(move |store| store.put_proposal(&exercise_id, &round_id, version, proposal))
        .await?
    {
        PutProposal::Stored(version) => Ok(version),
        PutProposal::Moved(found) => Err(AppError::Conflict(format!(
            "the proposal changed while your change was being saved (it is now version {}); nothing was saved: review the current proposal and try again",
            found.version
        ))),
    }
}

/// A person's change to the proposed groups, as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditRequest {
    /// Merge these groups (numbers of the view's `clusters`), two or more.
    Merge(Vec<usize>),
    /// Split these suggestions (all of one group, not all of it) out into a group of their
    /// own.
    Split(Vec<String>),
}

/// What a merge or split made.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EditOutcome {
    /// The new proposal version (send it with the next decisions).
    pub proposal_version: i64,
    /// The number of the merged group, or of the group split out, in the new version.
    pub cluster: usize,
}

/// Checks a merge or split against the view and says what it does.
///
/// # Errors
/// 422 naming `clusters` or `suggestions`.
fn check_edit(
    view: &CurationView,
    request: EditRequest,
    actor: &str,
    version: i64,
) -> Result<(GroupEdit, String), AppError> {
    match request {
        EditRequest::Merge(clusters) => {
            let mut numbers = clusters;
            numbers.sort_unstable();
            numbers.dedup();
            if let Some(&unknown) = numbers.iter().find(|&&n| n >= view.clusters.len()) {
                return Err(AppError::field(
                    "clusters",
                    format!("there is no proposed group {unknown}"),
                ));
            }
            if numbers.len() < 2 {
                return Err(AppError::field(
                    "clusters",
                    "choose two or more groups to merge",
                ));
            }
            let suggestions: Vec<String> = numbers
                .iter()
                .flat_map(|&number| view.clusters[number].suggestions.iter().cloned())
                .collect();
            let summary = format!(
                "groups {} merged ({} suggestions)",
                numbers
                    .iter()
                    .map(|number| (number + 1).to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                suggestions.len()
            );
            Ok((
                GroupEdit::Merge {
                    suggestions,
                    by: actor.to_string(),
                    version,
                },
                summary,
            ))
        }
        EditRequest::Split(suggestions) => {
            let mut chosen: Vec<String> = Vec::new();
            for id in suggestions {
                if !chosen.contains(&id) {
                    chosen.push(id);
                }
            }
            if chosen.is_empty() {
                return Err(AppError::field(
                    "suggestions",
                    "choose the suggestions to split out of their group",
                ));
            }
            let cluster_of: HashMap<&str, usize> = view
                .suggestions
                .iter()
                .map(|row| (row.id.as_str(), row.cluster))
                .collect();
            let mut clusters = HashSet::new();
            for id in &chosen {
                let Some(&cluster) = cluster_of.get(id.as_str()) else {
                    return Err(AppError::field(
                        "suggestions",
                        format!("round `{}` has no suggestion `{id}`", view.round),
                    ));
                };
                clusters.insert(cluster);
            }
            if clusters.len() > 1 {
                return Err(AppError::field(
                    "suggestions",
                    "the suggestions to split out must all be in one group",
                ));
            }
            let cluster = clusters.into_iter().next().unwrap_or_default();
            if view.clusters[cluster].suggestions.len() == chosen.len() {
                return Err(AppError::field(
                    "suggestions",
                    "leave at least one suggestion in the group: splitting out all of them changes nothing",
                ));
            }
            let summary = format!(
                "{} suggestion{} split out of group {}",
                chosen.len(),
                if chosen.len() == 1 { "" } else { "s" },
                cluster + 1
            );
            Ok((
                GroupEdit::Split {
                    suggestions: chosen,
                    by: actor.to_string(),
                    version,
                },
                summary,
            ))
        }
    }
}

/// Merges groups or splits suggestions out of a group, from proposal version `seen`: the
/// result is stored as the next version, made by `actor`, and later computations re-apply it
/// (see the module documentation).
///
/// # Errors
/// 409 when the proposal moved since `seen` (with what moved) or while saving; 422 for groups
/// or suggestions that cannot be merged or split.
pub async fn edit_groups(
    state: &AppState,
    (exercise, round): (&str, &str),
    seen: i64,
    request: EditRequest,
    actor: &str,
) -> Result<EditOutcome, AppError> {
    let (_, view, current) = super::load_with_proposal(state, exercise, round).await?;
    if seen != view.proposal_version {
        let every: Vec<String> = view.suggestions.iter().map(|row| row.id.clone()).collect();
        super::check_seen_proposal(&view, seen, &every)?;
        // Only the groups moved (their numbers name other groups now): still refused.
        return Err(AppError::ProposalMoved(Box::new(
            crate::error::ProposalConflict {
                errors: vec![crate::error::ErrorDetail {
                    detail: format!(
                        "the proposed groups changed since you saw them (you saw version {seen}, it is now version {}); nothing was changed: review the current groups and try again",
                        view.proposal_version
                    ),
                    field: Some("proposal_version".to_string()),
                }],
                seen,
                current: view.proposal_version,
                changes: Vec::new(),
            },
        )));
    }
    let version = current.version + 1;
    let (edit, summary) = check_edit(&view, request, actor, version)?;
    let mut body = current.body.clone();
    apply_edit(&mut body.groups, &edit);
    order_groups(&mut body.groups, current.order.iter().map(String::as_str));
    body.history = next_history(Some(&current.body), &body.groups, version);
    let first = edit.suggestions().first().cloned().unwrap_or_default();
    body.edits.push(edit);
    let cluster = body
        .groups
        .iter()
        .position(|group| group.suggestions.contains(&first))
        .unwrap_or_default();
    let stored = store_edit(state, (exercise, round), &current, &body, actor, summary).await?;
    Ok(EditOutcome {
        proposal_version: stored,
        cluster,
    })
}
