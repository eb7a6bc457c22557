//! Curation: loading the view, checking and recording decisions, accepting proposals, and
//! making and changing items through `survey::edit`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use store::{
    CurationDecision, DecisionProvenance, DecisionSource, Recorded, StoredExercise,
    StoredSuggestion,
};
use survey::curation::{
    CurationView, Decision, DecisionInput, NewItemError, ProposedGroup, Suggestion,
};
use survey::edit::{ItemChange, NewItem};
use survey::{Exercise, RoundKind};
use utoipa::ToSchema;

use super::proposals::{self, CurrentProposal};
use crate::AppState;
use crate::error::{AppError, ErrorDetail, ProposalConflict};
use crate::handlers::exercises::stored_exercise;

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
pub(crate) fn to_store(decision: Decision) -> CurationDecision {
    CurationDecision {
        suggestion: decision.suggestion,
        status: decision.status,
        item: decision.item,
        note: decision.note,
    }
}

/// Builds the view from the stored suggestions and decisions with the stored proposal
/// `version` (`body`), and each decision's provenance.
pub fn build_view(
    stored: &StoredExercise,
    round: &str,
    suggestions: Vec<StoredSuggestion>,
    decisions: Vec<CurationDecision>,
    provenance: Vec<DecisionProvenance>,
    proposal: &CurrentProposal,
) -> CurationView {
    let (version, body) = (proposal.version, &proposal.body);
    let exercise = &stored.exercise;
    let proposal: Vec<ProposedGroup> = proposals::proposed_groups(exercise, &suggestions, body);
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
    let mut view = CurationView::build(
        exercise,
        round,
        stored.version,
        &suggestions,
        &decisions,
        version,
        &proposal,
    );
    let provenance: HashMap<String, DecisionProvenance> = provenance
        .into_iter()
        .map(|row| (row.suggestion.clone(), row))
        .collect();
    for row in &mut view.suggestions {
        if let Some(found) = provenance.get(&row.id) {
            row.decided_by.clone_from(&found.decided_by);
            row.decided_at = Some(found.decided_at);
            row.decided_from_proposal = found.proposal_version;
        }
    }
    view.proposal_history = body
        .history
        .iter()
        .map(|(id, steps)| (id.clone(), steps.clone()))
        .collect();
    view
}

/// The curation of a suggest round, with the definition it was made from. The proposal is
/// the stored one when the suggestions and items are unchanged; otherwise it is computed and
/// stored as the next version ([`proposals::current`]).
///
/// # Errors
/// 404 for an unknown exercise or round, 422 for a round that is not a suggest round.
pub async fn load(
    state: &AppState,
    exercise: &str,
    round: &str,
) -> Result<(StoredExercise, CurationView), AppError> {
    let (stored, view, _) = load_with_proposal(state, exercise, round).await?;
    Ok((stored, view))
}

/// As [`load`], with the proposal the view shows.
///
/// # Errors
/// As [`load`].
pub async fn load_with_proposal(
    state: &AppState,
    exercise: &str,
    round: &str,
) -> Result<(StoredExercise, CurationView, CurrentProposal), AppError> {
    let stored = stored_exercise(state, exercise).await?;
    suggest_round(&stored.exercise, round)?;
    let (exercise_id, round_id) = (exercise.to_string(), round.to_string());
    let (suggestions, decisions, provenance, latest) = state
        .blocking(move |store| {
            Ok((
                store.suggestions(&exercise_id, &round_id)?,
                store.curation(&exercise_id, &round_id)?,
                store.curation_provenance(&exercise_id, &round_id)?,
                store.latest_proposal(&exercise_id, &round_id)?,
            ))
        })
        .await?;
    let proposal = proposals::current(state, &stored, round, &suggestions, latest).await?;
    let round = round.to_string();
    let (view, proposal) = tokio::task::spawn_blocking({
        let stored = stored.clone();
        move || {
            let view = build_view(
                &stored,
                &round,
                suggestions,
                decisions,
                provenance,
                &proposal,
            );
            (view, proposal)
        }
    })
    .await?;
    Ok((stored, view, proposal))
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
    refuse_controls([("note", request.note.as_deref())])?;
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

/// Refuses free text that holds a control character (C0 other than tab, line feed and
/// carriage return, or DEL; [`survey::responses::is_refused_control`]): 422 naming the field.
/// Refused rather than stripped, so that what is saved is what the research lead wrote.
pub(super) fn refuse_controls<'a>(
    texts: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Result<(), AppError> {
    for (field, text) in texts {
        if let Some(control) = text.and_then(survey::responses::first_refused_control) {
            return Err(AppError::field(
                field,
                format!(
                    "`{field}` holds a control character (U+{:04X}), which cannot be saved: remove it",
                    u32::from(control)
                ),
            ));
        }
    }
    Ok(())
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

/// Refuses decisions made from a proposal that has since moved for the suggestions they
/// concern: the person saw proposal `seen` (from a form or a request) and acts on
/// `suggestions`. A suggestion's proposal moved when the item proposed for it, or whether its
/// match may be accepted in bulk, differs between version `seen` and the current version, or
/// when it was not in version `seen` at all ([`CurationView::proposal_changes`]). A move of
/// other suggestions' proposals does not refuse: what the person decided about these is still
/// what they saw. Nothing is applied when it refuses.
///
/// # Errors
/// 409 ([`AppError::ProposalMoved`]) with the differences; 422 naming `proposal_version` for
/// a version the round never had.
pub fn check_seen_proposal(
    view: &CurationView,
    seen: i64,
    suggestions: &[String],
) -> Result<(), AppError> {
    if seen < 0 || seen > view.proposal_version {
        return Err(AppError::field(
            "proposal_version",
            format!(
                "there is no proposal version {seen}: the latest is version {}",
                view.proposal_version
            ),
        ));
    }
    let changes = view.proposal_changes(seen, suggestions);
    if changes.is_empty() {
        return Ok(());
    }
    let detail = format!(
        "the proposal changed since you saw it (you saw version {seen}, it is now version {}) for {} of the suggestions you decided about; nothing was changed: review the current proposal and decide again",
        view.proposal_version,
        changes.len()
    );
    Err(AppError::ProposalMoved(Box::new(ProposalConflict {
        errors: vec![ErrorDetail {
            detail,
            field: Some("proposal_version".to_string()),
        }],
        seen,
        current: view.proposal_version,
        changes,
    })))
}

/// Records decisions made by hand (no proposal version).
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

/// Records decisions made from proposal `seen` of `view` (checked with
/// [`check_seen_proposal`] beforehand), with that version, only if the round's latest proposal
/// is still the one the view shows: otherwise nothing is recorded.
///
/// # Errors
/// 409 when the proposal moved while saving; store errors.
pub async fn record_from(
    state: &AppState,
    view: &CurationView,
    decisions: Vec<CurationDecision>,
    actor: &str,
    seen: Option<i64>,
    accepted: bool,
) -> Result<usize, AppError> {
    let (exercise, round, actor) = (view.exercise.clone(), view.round.clone(), actor.to_string());
    let source = DecisionSource {
        proposal_version: seen,
        checked_against: Some(view.proposal_version),
        accepted,
    };
    let recorded = state
        .blocking(move |store| {
            store.set_curation_from(&exercise, &round, decisions, &actor, source)
        })
        .await?;
    match recorded {
        Recorded::Saved(count) => Ok(count),
        Recorded::ProposalMoved { latest } => Err(AppError::Conflict(format!(
            "the proposal changed while your decisions were being saved (it is now version {latest}); nothing was saved: review the current proposal and decide again"
        ))),
    }
}

/// Accepts the system's proposals as seen in version `seen`: every undecided suggestion of
/// the given clusters (all when `None`) whose cluster matches an item (not at low
/// confidence) is assigned to that item, all or nothing. Returns how many.
///
/// # Errors
/// 422 for an unknown cluster or version; 409 when the proposal moved for those suggestions
/// since `seen`; store errors.
pub async fn accept(
    state: &AppState,
    view: &CurationView,
    clusters: Option<&[usize]>,
    seen: i64,
    actor: &str,
) -> Result<usize, AppError> {
    let decisions: Vec<CurationDecision> = view
        .accept_proposals(clusters)
        .map_err(|error| AppError::field("clusters", error.to_string()))?
        .into_iter()
        .map(to_store)
        .collect();
    let concerned: Vec<String> = decisions
        .iter()
        .map(|decision| decision.suggestion.clone())
        .collect();
    check_seen_proposal(view, seen, &concerned)?;
    if decisions.is_empty() {
        return Ok(0);
    }
    record_from(state, view, decisions, actor, Some(seen), true).await
}

/// A new item made from suggestions.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItemRequest {
    /// The item's wording (its title), as it will be shown to respondents: 1 to 300
    /// characters once trimmed.
    #[schema(min_length = 1, pattern = r"^\s*\S([\s\S]{0,298}\S)?\s*$")]
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
    refuse_controls([
        ("title", Some(request.title.as_str())),
        ("description", request.description.as_deref()),
        ("theme", request.theme.as_deref()),
    ])?;
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
    /// New wording: at most 300 characters, not blank.
    #[serde(default)]
    #[schema(max_length = 300, pattern = r"\S")]
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
    refuse_controls([
        ("title", request.title.as_deref()),
        ("description", request.description.as_deref()),
        ("evidence", request.evidence.as_deref()),
    ])?;
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
