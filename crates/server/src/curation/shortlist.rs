//! Shortlisting: a later round's items from a round's results by a rule of METHODS.md, previewed
//! and applied.

use serde::{Deserialize, Serialize};
use survey::shortlist::{RankedItems, ShortlistChoice, ShortlistError, TargetError};
use utoipa::ToSchema;

use super::DefinitionChange;
use crate::AppState;
use crate::error::AppError;
use crate::handlers::exercises::stored_exercise;
use crate::handlers::results::{ResultsQuery, compute_results, ranking_request};

// Shortlisting.

/// A shortlist rule and where it goes, as the API and the pages give it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ShortlistRequest {
    /// `top` (top k overall), `group-union` (every group's top k) or `protected` (top k
    /// overall plus the top j of a named group).
    #[serde(default)]
    pub rule: Option<String>,
    /// k (default 10).
    #[serde(default)]
    #[schema(minimum = 1)]
    #[param(minimum = 1)]
    pub k: Option<usize>,
    /// The protected group, for `protected`.
    #[serde(default)]
    pub group: Option<String>,
    /// j, for `protected` (default 3).
    #[serde(default)]
    #[schema(minimum = 1)]
    #[param(minimum = 1)]
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
    let choice = ShortlistChoice {
        rule: request.rule.as_deref(),
        k: request.k,
        group: request.group.as_deref(),
        j: request.j,
    };
    // A bad k, j or rule is refused before anything is computed.
    survey::shortlist::check_choice(choice).map_err(shortlist_error)?;
    let query = ResultsQuery {
        method: request.method.iter().cloned().collect(),
        weighting: request.weighting.clone().filter(|w| !w.is_empty()),
        ..ResultsQuery::default()
    };
    let document = compute_results(state, exercise, round, ranking_request(query, state)?).await?;
    let results = shortlist_results(&document)?;
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
