//! Curation and shortlisting, shared by the JSON API and the research lead's pages.
//!
//! - Curation turns a suggest round's suggestions into items: every suggestion with its group,
//!   the system's proposal (near-duplicates grouped by `curate`, each group matched to the most
//!   similar existing item), the team's decision (assigned to an item, out of scope with a
//!   reason, or not yet decided), items made from suggestions, their wording and the evidence
//!   checked, and counts per item and per group. Decisions live in the store; items live in
//!   the exercise definition, changed with `survey::edit` as a new version.
//! - Shortlisting builds a later round's items from a round's results by a rule of METHODS.md,
//!   with a preview of what goes through and why.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use store::{CurationDecision, StoredExercise, StoredSuggestion};
use survey::curation::{
    Curation, CurationView, Decision, DecisionInput, NewItemError, ProposedGroup, Suggestion,
};
use survey::edit::{ItemChange, NewItem};
use survey::shortlist::{RankedItems, ShortlistChoice, ShortlistError, TargetError};
use survey::{Exercise, RoundKind};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::AppError;
use crate::handlers::exercises::stored_exercise;
use crate::handlers::results::{ResultsQuery, compute_results, ranking_request};

// ---------------------------------------------------------------------------------------------
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
// Curation.

/// The suggest round `round` of `stored`, or a 404/422.
fn suggest_round<'a>(exercise: &'a Exercise, round: &str) -> Result<&'a survey::Round, AppError> {
    let found = exercise.round(round).ok_or_else(|| {
        AppError::NotFound(format!("exercise `{}` has no round `{round}`", exercise.id))
    })?;
    if !matches!(found.kind, RoundKind::Suggest { .. }) {
        return Err(AppError::unprocessable(format!(
            "round `{round}` is a {} round; only suggestions are curated",
            found.kind.name()
        )));
    }
    Ok(found)
}

/// A decision as the store keeps it.
fn to_store(decision: Decision) -> CurationDecision {
    CurationDecision {
        suggestion: decision.suggestion,
        status: decision.status,
        item: decision.item,
        note: decision.note,
    }
}

/// Builds the view from the stored suggestions and decisions with `curate`'s proposal (runs
/// off the async workers because clustering is O(n²)).
pub fn build_view(
    stored: &StoredExercise,
    round: &str,
    suggestions: Vec<StoredSuggestion>,
    decisions: Vec<CurationDecision>,
) -> CurationView {
    let exercise = &stored.exercise;
    let texts: Vec<&str> = suggestions.iter().map(|s| s.text.as_str()).collect();
    let item_texts: Vec<String> = exercise
        .items
        .iter()
        .map(survey::Item::matching_text)
        .collect();
    let item_refs: Vec<&str> = item_texts.iter().map(String::as_str).collect();
    let proposal: Vec<ProposedGroup> =
        curate::propose(&texts, &item_refs, &curate::Settings::default())
            .clusters
            .into_iter()
            .map(|cluster| ProposedGroup {
                members: cluster.members,
                item: cluster
                    .item
                    .map(|matched| (matched.item, matched.similarity)),
            })
            .collect();
    let suggestions: Vec<Suggestion> = suggestions
        .into_iter()
        .map(|suggestion| Suggestion {
            id: suggestion.id,
            respondent: suggestion.respondent,
            group: suggestion.group,
            text: suggestion.text,
        })
        .collect();
    let decisions: Vec<Decision> = decisions
        .into_iter()
        .map(|decision| Decision {
            suggestion: decision.suggestion,
            status: decision.status,
            item: decision.item,
            note: decision.note,
        })
        .collect();
    CurationView::build(
        exercise,
        round,
        stored.version,
        &suggestions,
        &decisions,
        &proposal,
    )
}

/// The curation of a suggest round, with the definition it was made from.
///
/// # Errors
/// 404 for an unknown exercise or round, 422 for a round that is not a suggest round.
pub async fn load(
    state: &AppState,
    exercise: &str,
    round: &str,
) -> Result<(StoredExercise, CurationView), AppError> {
    let stored = stored_exercise(state, exercise).await?;
    suggest_round(&stored.exercise, round)?;
    let (exercise_id, round_id) = (exercise.to_string(), round.to_string());
    let (suggestions, decisions) = state
        .blocking(move |store| {
            Ok((
                store.suggestions(&exercise_id, &round_id)?,
                store.curation(&exercise_id, &round_id)?,
            ))
        })
        .await?;
    let round = round.to_string();
    let view = tokio::task::spawn_blocking({
        let stored = stored.clone();
        move || build_view(&stored, &round, suggestions, decisions)
    })
    .await?;
    Ok((stored, view))
}

/// A decision about one suggestion, as the API and the pages give it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// `assigned` (with `item`), `out-of-scope` (with a `note` saying why) or `unassigned`.
    pub status: String,
    /// The item, for `assigned`.
    #[serde(default)]
    pub item: Option<String>,
    /// A note; for `out-of-scope`, the reason.
    #[serde(default)]
    pub note: Option<String>,
}

/// Checks a decision against the exercise and the round's suggestions
/// (`survey::curation::check_decision`).
///
/// # Errors
/// 422 naming the field: an unknown status or item, `assigned` without an item, an item
/// marked answered by evidence, out of scope without a reason; 404 for an unknown suggestion.
pub fn check_decision(
    exercise: &Exercise,
    view: &CurationView,
    suggestion: &str,
    request: &DecisionRequest,
) -> Result<CurationDecision, AppError> {
    let input = DecisionInput {
        status: &request.status,
        item: request.item.as_deref(),
        note: request.note.as_deref(),
    };
    survey::curation::check_decision(exercise, view, suggestion, input)
        .map(to_store)
        .map_err(|error| match error.field() {
            None => AppError::NotFound(error.to_string()),
            Some(field) => AppError::field(field, error.to_string()),
        })
}

/// The answer to a new item or a wording that cannot be: 422 naming the field.
fn new_item_error(error: NewItemError) -> AppError {
    AppError::field(error.field(), error.to_string())
}

/// Refuses a changed definition that would change the items of a round already opened or
/// closed (a round that asks about every item gains or loses items when items are added or
/// marked answered): its answers were given about the items it had.
///
/// # Errors
/// 409 naming the round.
fn check_started_rounds_keep_their_items(
    stored: &StoredExercise,
    changed: &str,
) -> Result<(), AppError> {
    let after = Exercise::parse(changed, "the changed definition")
        .map_err(|errors| AppError::from(store::StoreError::Definition(errors)))?;
    for status in &stored.rounds {
        if status.state == store::RoundState::Draft {
            continue;
        }
        let ids = |exercise: &Exercise| -> Option<Vec<String>> {
            exercise.round(&status.round).map(|round| {
                exercise
                    .round_items(round)
                    .map(|item| item.id.to_string())
                    .collect()
            })
        };
        if ids(&stored.exercise) != ids(&after) {
            return Err(AppError::Conflict(format!(
                "round `{}` is {} and asks about every item: this change would alter its items. List its items in the definition (`items = [...]`) first, or make the change before it opens",
                status.round, status.state
            )));
        }
    }
    Ok(())
}

/// Records decisions.
///
/// # Errors
/// Store errors.
pub async fn record(
    state: &AppState,
    exercise: &str,
    round: &str,
    decisions: Vec<CurationDecision>,
    actor: &str,
) -> Result<usize, AppError> {
    let (exercise, round, actor) = (exercise.to_string(), round.to_string(), actor.to_string());
    state
        .blocking(move |store| store.set_curation(&exercise, &round, decisions, &actor))
        .await
}

/// Accepts the system's proposals: every undecided suggestion of the given clusters (all when
/// `None`) whose cluster matches an item is assigned to that item. Returns how many.
///
/// # Errors
/// 422 for an unknown cluster; store errors.
pub async fn accept(
    state: &AppState,
    view: &CurationView,
    clusters: Option<&[usize]>,
    actor: &str,
) -> Result<usize, AppError> {
    let decisions: Vec<CurationDecision> = view
        .accept_proposals(clusters)
        .map_err(|error| AppError::field("clusters", error.to_string()))?
        .into_iter()
        .map(to_store)
        .collect();
    if decisions.is_empty() {
        return Ok(0);
    }
    record(state, &view.exercise, &view.round, decisions, actor).await
}

/// A new item made from suggestions.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItemRequest {
    /// The item's wording (its title), as it will be shown to respondents.
    pub title: String,
    /// A longer description.
    #[serde(default)]
    pub description: Option<String>,
    /// A theme.
    #[serde(default)]
    pub theme: Option<String>,
    /// The id; made from the title when not given.
    #[serde(default)]
    pub id: Option<String>,
    /// The suggestions it is made from (assigned to it).
    #[serde(default)]
    pub suggestions: Vec<String>,
    /// The definition version the request was made from; refused if it changed meanwhile.
    #[serde(default)]
    pub version: Option<i64>,
}

/// What a change to the definition made.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DefinitionChange {
    /// The item (or round) changed.
    pub id: String,
    /// The definition's new version.
    pub version: i64,
}

/// Creates an item (a new definition version) and assigns the suggestions to it, together.
///
/// # Errors
/// 422 for an empty title, a taken id, an unknown suggestion, or a definition the change
/// would make invalid; 409 when the definition changed since `version`.
pub async fn create_item(
    state: &AppState,
    stored: &StoredExercise,
    view: &CurationView,
    request: NewItemRequest,
    actor: &str,
) -> Result<DefinitionChange, AppError> {
    let checked = survey::curation::check_new_item(
        &stored.exercise,
        view,
        &request.title,
        request.id.as_deref(),
        &request.suggestions,
    )
    .map_err(new_item_error)?;
    let (id, title) = (checked.id, checked.title);
    let decisions: Vec<CurationDecision> = checked.decisions.into_iter().map(to_store).collect();
    let based_on = request.version.unwrap_or(stored.version);
    let changed = survey::edit::add_item(
        &stored.source,
        &id,
        &NewItem {
            title,
            description: request.description,
            theme: request.theme,
        },
    )?;
    check_started_rounds_keep_their_items(stored, &changed)?;
    let (round, actor_name) = (view.round.clone(), actor.to_string());
    let put = state
        .blocking(move |store| {
            store.put_exercise_and_curate(&changed, based_on, &round, decisions, &actor_name)
        })
        .await?;
    Ok(DefinitionChange {
        id,
        version: put.version,
    })
}

/// Changes to an item.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemChangeRequest {
    /// New wording.
    #[serde(default)]
    pub title: Option<String>,
    /// New description (an empty text removes it).
    #[serde(default)]
    pub description: Option<String>,
    /// The evidence checked: a reference, or what was searched (an empty text removes it).
    #[serde(default)]
    pub evidence: Option<String>,
    /// Whether existing evidence answers the item (needs `evidence`).
    #[serde(default)]
    pub answered: Option<bool>,
    /// The definition version the request was made from.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Changes an item's wording or evidence (a new definition version).
///
/// # Errors
/// 404 for an unknown item; 422 for an empty title or an invalid result (for example marking
/// answered an item a round lists, or answered without evidence); 409 on a version conflict.
pub async fn change_item(
    state: &AppState,
    stored: &StoredExercise,
    item: &str,
    request: ItemChangeRequest,
    actor: &str,
) -> Result<DefinitionChange, AppError> {
    if let Some(title) = &request.title {
        survey::curation::check_title_length(title).map_err(new_item_error)?;
    }
    let optional =
        |text: Option<String>| text.map(|text| Some(text).filter(|t| !t.trim().is_empty()));
    let changed = survey::edit::change_item(
        &stored.source,
        item,
        &ItemChange {
            title: request.title,
            description: optional(request.description),
            evidence: optional(request.evidence),
            answered: request.answered,
        },
    )?;
    check_started_rounds_keep_their_items(stored, &changed)?;
    let based_on = request.version.unwrap_or(stored.version);
    let actor = actor.to_string();
    let put = state
        .blocking(move |store| {
            store.put_exercise_based_on(&changed, "the changed definition", based_on, &actor)
        })
        .await?;
    Ok(DefinitionChange {
        id: item.to_string(),
        version: put.version,
    })
}

// ---------------------------------------------------------------------------------------------
// Shortlisting.

/// A shortlist rule and where it goes, as the API and the pages give it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ShortlistRequest {
    /// `top` (top k overall), `group-union` (every group's top k) or `protected` (top k
    /// overall plus the top j of a named group).
    #[serde(default)]
    pub rule: Option<String>,
    /// k (default 10).
    #[serde(default)]
    pub k: Option<usize>,
    /// The protected group, for `protected`.
    #[serde(default)]
    pub group: Option<String>,
    /// j, for `protected` (default 3).
    #[serde(default)]
    pub j: Option<usize>,
    /// The method the results use (default: the round's).
    #[serde(default)]
    pub method: Option<String>,
    /// The weighting the results use (default: the round's).
    #[serde(default)]
    pub weighting: Option<String>,
    /// The round whose items are set (for the POST; default: the next round).
    #[serde(default)]
    pub into: Option<String>,
    /// The definition version the request was made from (for the POST).
    #[serde(default)]
    pub version: Option<i64>,
}

/// One item of a shortlist preview.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShortlistRow {
    /// The item id.
    pub item: String,
    /// Its title.
    pub title: String,
    /// Its overall rank in the round's results.
    pub rank: usize,
    /// Its overall score, where the method gives one.
    pub score: Option<f64>,
    /// Whether it goes through.
    pub included: bool,
    /// Why it goes through, in words.
    pub reasons: Vec<String>,
}

/// What a shortlist rule would give.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShortlistPreview {
    /// The round the results come from.
    pub round: String,
    /// The method and weighting of the results.
    pub method: String,
    /// The weighting.
    pub weighting: String,
    /// The rule in words.
    pub rule: String,
    /// The round whose items would be set.
    pub into: Option<String>,
    /// How many go through.
    pub included: usize,
    /// Every item of the round, in overall rank order.
    pub items: Vec<ShortlistRow>,
    /// Groups too small to be shown on their own, which give no reason of their own.
    pub suppressed_groups: Vec<String>,
    /// The definition version the preview was made from.
    pub version: i64,
}

/// What the shortlist needs of a round's results document, read in this one place: the ranked
/// items by index, each item's label and score, the method, the weighting and the groups too
/// small to be shown.
struct ShortlistResults {
    ranked: RankedItems,
    labels: Vec<String>,
    scores: Vec<Option<f64>>,
    method: String,
    weighting: String,
    suppressed_groups: Vec<String>,
}

/// Reads the first method's results of `document` for shortlisting.
///
/// # Errors
/// 500 when the document has no method.
fn shortlist_results(document: &report::ResultsDocument) -> Result<ShortlistResults, AppError> {
    let result = document
        .results
        .first()
        .ok_or_else(|| AppError::Internal("the results have no method".to_string()))?;
    fn ranks(ranking: &[report::results::RankingRow]) -> Vec<(&str, usize)> {
        ranking
            .iter()
            .map(|row| (row.item.as_str(), row.rank))
            .collect()
    }
    let groups: Vec<(&str, Vec<(&str, usize)>)> = result
        .groups
        .iter()
        .map(|group| (group.group.as_str(), ranks(&group.ranking)))
        .collect();
    Ok(ShortlistResults {
        ranked: RankedItems::from_rankings(&ranks(&result.ranking), &groups),
        labels: result.ranking.iter().map(|row| row.label.clone()).collect(),
        scores: result.ranking.iter().map(|row| row.score).collect(),
        method: result.method.to_string(),
        weighting: result.weighting.to_string(),
        suppressed_groups: document.input.suppressed_groups.clone(),
    })
}

/// The answer to a shortlist rule that cannot be applied: 422 naming the field.
fn shortlist_error(error: ShortlistError) -> AppError {
    AppError::field(error.field(), error.to_string())
}

/// Previews a shortlist of `round`'s items by a rule, from the round's results.
///
/// # Errors
/// As [`compute_results`]; 422 naming the field of a bad rule.
pub async fn preview(
    state: &AppState,
    exercise: &str,
    round: &str,
    request: &ShortlistRequest,
) -> Result<ShortlistPreview, AppError> {
    let stored = stored_exercise(state, exercise).await?;
    let query = ResultsQuery {
        method: request.method.iter().cloned().collect(),
        weighting: request.weighting.clone().filter(|w| !w.is_empty()),
        ..ResultsQuery::default()
    };
    let document = compute_results(state, exercise, round, ranking_request(query, state)?).await?;
    let results = shortlist_results(&document)?;
    let choice = ShortlistChoice {
        rule: request.rule.as_deref(),
        k: request.k,
        group: request.group.as_deref(),
        j: request.j,
    };
    let (rule, rule_text) =
        survey::shortlist::shortlist_rule(&stored.exercise, choice, &results.ranked.groups)
            .map_err(shortlist_error)?;
    let items: Vec<ShortlistRow> =
        survey::shortlist::shortlist(&stored.exercise, &results.ranked, rule)
            .into_iter()
            .map(|line| ShortlistRow {
                item: results.ranked.items[line.item].clone(),
                title: results.labels[line.item].clone(),
                rank: line.rank,
                score: results.scores[line.item],
                included: line.included,
                reasons: line.reasons,
            })
            .collect();
    Ok(ShortlistPreview {
        round: round.to_string(),
        method: results.method,
        weighting: results.weighting,
        rule: rule_text,
        into: request.into.clone().or_else(|| {
            survey::shortlist::next_round(&stored.exercise, round).map(|r| r.id.to_string())
        }),
        included: items.iter().filter(|row| row.included).count(),
        items,
        suppressed_groups: results.suppressed_groups,
        version: stored.version,
    })
}

/// Sets the `into` round's items to the shortlist (a new definition version).
///
/// # Errors
/// 422 when there is no later round, the target is not a later draft round that asks about
/// items, or the shortlist does not fit it (for example fewer items than its `top_k`); 409 when
/// the target round is already open or closed, or the definition changed since `version`.
pub async fn apply(
    state: &AppState,
    exercise: &str,
    round: &str,
    request: &ShortlistRequest,
    actor: &str,
) -> Result<(ShortlistPreview, DefinitionChange), AppError> {
    let preview = preview(state, exercise, round, request).await?;
    let stored = stored_exercise(state, exercise).await?;
    let into = match preview.into.as_deref() {
        None => Err(TargetError::NoLaterRound(round.to_string())),
        Some(into) => survey::shortlist::target_round(&stored.exercise, round, Some(into)),
    }
    .map_err(|error| AppError::field("into", error.to_string()))?
    .id
    .to_string();
    let state_of = stored
        .rounds
        .iter()
        .find(|status| status.round == into)
        .map(|status| status.state);
    if state_of.is_some_and(|s| s != store::RoundState::Draft) {
        return Err(AppError::Conflict(format!(
            "round `{into}` has been opened: its items can no longer change"
        )));
    }
    let items: Vec<&str> = preview
        .items
        .iter()
        .filter(|row| row.included)
        .map(|row| row.item.as_str())
        .collect();
    let changed = survey::edit::set_round_items(&stored.source, &into, &items)?;
    let based_on = request.version.unwrap_or(stored.version);
    let actor = actor.to_string();
    let put = state
        .blocking(move |store| {
            store.put_exercise_based_on(&changed, "the changed definition", based_on, &actor)
        })
        .await?;
    Ok((
        preview,
        DefinitionChange {
            id: into,
            version: put.version,
        },
    ))
}

// ---------------------------------------------------------------------------------------------
// The audit trail.

/// The curation of the exercise's first suggest round that has suggestions (undecided
/// suggestions carry the system's proposal, which the audit trail does not count as assigned),
/// or `None` when there is none.
///
/// # Errors
/// Store errors.
pub async fn exercise_curation(
    state: &AppState,
    stored: &StoredExercise,
) -> Result<Option<Curation>, AppError> {
    for round in &stored.exercise.rounds {
        if !matches!(round.kind, RoundKind::Suggest { .. }) {
            continue;
        }
        let (_, view) = load(state, stored.exercise.id.as_str(), round.id.as_str()).await?;
        if view.total > 0 {
            return Ok(Some(view.to_curation()));
        }
    }
    Ok(None)
}

/// The audit trail as CSV in the James Lind Alliance's shape: every item of the long list
/// with the suggestions behind it, the evidence checked and its scores by round (each round
/// ranked by its own method and weighting, without bootstrap).
///
/// # Errors
/// 409 when no suggest round has suggestions; errors of the rounds' results.
pub async fn audit_csv(state: &AppState, exercise: &str) -> Result<Vec<u8>, AppError> {
    let stored = stored_exercise(state, exercise).await?;
    let Some(curation) = exercise_curation(state, &stored).await? else {
        return Err(AppError::Conflict(format!(
            "exercise `{exercise}` has no suggestions yet: the audit trail starts from them"
        )));
    };
    let mut documents = Vec::new();
    for (round, status) in stored.exercise.rounds.iter().zip(&stored.rounds) {
        if round.kind.data_kind().is_none() || status.state == store::RoundState::Draft {
            continue;
        }
        let request = ranking_request(ResultsQuery::default(), state)?;
        match compute_results(state, exercise, round.id.as_str(), request).await {
            Ok(document) => documents.push((round.id.to_string(), document)),
            // A round without submitted answers has no scores yet.
            Err(AppError::Conflict(_)) => {}
            Err(other) => return Err(other),
        }
    }
    let rounds: Vec<(&survey::Round, &report::ResultsDocument)> = documents
        .iter()
        .filter_map(|(round, document)| stored.exercise.round(round).map(|r| (r, document)))
        .collect();
    let trail = report::audit::audit_trail(&stored.exercise, &curation, &rounds);
    report::audit::write_audit_csv(&trail, Vec::new())
        .map_err(|error| AppError::Internal(format!("cannot write the audit trail: {error}")))
}
