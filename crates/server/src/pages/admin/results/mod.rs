//! The results of a round for advisory groups and leads: the overall list with each shown
//! group's rank of every item (a table and a heatmap), where the groups agree and diverge,
//! which places are certain, and whether another method would change the list, in plain
//! words; each group's own full ranking behind a disclosure. Raw responses as CSV.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};

use super::{Choice, SignedIn, admin_layout};
use crate::AppState;
use crate::access::Permission;
use crate::error::{ApiListQuery, AppError};
use crate::handlers::exercises::stored_exercise;
use crate::handlers::results::{
    RESULTS_RETRY_SECONDS, ResultsQuery, capped_results, csv_response, export, ranking_request,
};
use crate::heavy::Computation;
use crate::pages::{FormToken, Layout, PageResult, render};

mod view;

use view::ResultsView;

/// Bootstrap resamples for the rank intervals when the page's address names none: enough for
/// stable 95% intervals on the page while keeping it responsive (the method report uses
/// 1,000).
pub const VIEW_BOOTSTRAP: usize = 200;

// ---------------------------------------------------------------------------------------------
// Exports.

/// `GET /admin/e/{exercise}/r/{round}/responses.csv`.
pub async fn responses_csv(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, String)>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    state.authorize(&admin, &id, Permission::Download).await?;
    let (body, _) = export(&state, &id, &round).await?;
    Ok(csv_response(body, &format!("{id}-{round}.csv")))
}

// ---------------------------------------------------------------------------------------------
// The results view.

#[derive(Template)]
#[template(path = "admin/results.html")]
struct ResultsPage {
    layout: Layout,
    id: String,
    exercise_title: String,
    round_id: String,
    round_title: String,
    methods: Vec<Choice>,
    weightings: Vec<Choice>,
    problem: Option<String>,
    /// The results wait for other computations: the page says so and refreshes itself.
    queued: bool,
    refresh_seconds: u64,
    /// This page's address with its query, to refresh it by hand.
    here: String,
    /// Whether the caller may download the raw responses.
    can_download: bool,
    view: Option<ResultsView>,
}

/// `GET /admin/e/{exercise}/r/{round}/results?method=...&weighting=...&bootstrap=...`. When
/// the results must wait for other computations, the page says so and refreshes itself until
/// they are ready.
pub async fn results(
    State(state): State<AppState>,
    token: FormToken,
    uri: Uri,
    Path((id, round_id)): Path<(String, String)>,
    ApiListQuery(query): ApiListQuery<ResultsQuery>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    state.authorize(&admin, &id, Permission::Read).await?;
    let can_download = state
        .authorize(&admin, &id, Permission::Download)
        .await
        .is_ok();
    let stored = stored_exercise(&state, &id).await?;
    let round = stored
        .exercise
        .round(&round_id)
        .ok_or_else(|| AppError::NotFound(format!("no round `{round_id}`")))?;
    let chosen_method = query
        .method
        .iter()
        .find(|method| !method.is_empty())
        .cloned()
        .unwrap_or_default();
    let chosen_weighting = query.weighting.clone().unwrap_or_default();
    let mut page = ResultsPage {
        layout: admin_layout(&format!("Results: {}", round.title), &token, &admin, false),
        id: id.clone(),
        exercise_title: stored.exercise.title.clone(),
        round_id: round_id.clone(),
        round_title: round.title.clone(),
        methods: method_choices(round, &chosen_method),
        weightings: weighting_choices(round, &chosen_weighting),
        problem: None,
        queued: false,
        refresh_seconds: RESULTS_RETRY_SECONDS,
        here: uri
            .path_and_query()
            .map_or_else(|| uri.path().to_string(), ToString::to_string),
        can_download,
        view: None,
    };
    let headline_method = if chosen_method.is_empty() {
        round_method(round).map(|method| method.as_str().to_string())
    } else {
        Some(chosen_method)
    };
    let bootstrap = query
        .bootstrap
        .unwrap_or(VIEW_BOOTSTRAP)
        .min(state.settings.max_bootstrap);
    let headline_query = ResultsQuery {
        method: headline_method.iter().cloned().collect(),
        weighting: query
            .weighting
            .clone()
            .filter(|weighting| !weighting.is_empty()),
        group_weights: query.group_weights.clone(),
        top: query.top,
        bootstrap: Some(bootstrap),
        seed: query.seed,
        prior_alpha: query.prior_alpha,
    };
    // Every method that fits, the headline one first, without a bootstrap: for the comparison
    // of methods only.
    let comparison_query = ResultsQuery {
        method: headline_method
            .iter()
            .cloned()
            .chain(["all".to_string()])
            .collect(),
        bootstrap: None,
        weighting: headline_query.weighting.clone(),
        group_weights: query.group_weights.clone(),
        top: query.top,
        seed: query.seed,
        prior_alpha: query.prior_alpha,
    };
    let headline = match ranking_request(headline_query, &state) {
        Ok(request) => capped_results(&state, &id, &round_id, request).await,
        Err(error) => Err(error),
    };
    let headline = match headline {
        Err(error) if error.status().is_client_error() => {
            page.problem = error.details().first().map(|detail| detail.detail.clone());
            return Ok(render(&page, StatusCode::OK, &token, &state));
        }
        Err(error) => return Err(error.into()),
        Ok(Computation::Ready(ranked)) => ranked,
        Ok(Computation::Queued) => {
            page.queued = true;
            return Ok(render(&page, StatusCode::OK, &token, &state));
        }
        Ok(Computation::Full) => {
            page.problem = Some(too_busy());
            return Ok(render(&page, StatusCode::OK, &token, &state));
        }
    };
    let comparison = match ranking_request(comparison_query, &state) {
        Ok(request) => capped_results(&state, &id, &round_id, request).await,
        Err(error) => Err(error),
    };
    let comparison = match comparison {
        Ok(Computation::Ready(ranked)) => view::Comparison::Ready(ranked),
        Ok(Computation::Queued) => {
            page.queued = true;
            view::Comparison::Waiting
        }
        Ok(Computation::Full) => view::Comparison::Waiting,
        Err(error) if error.status().is_client_error() => view::Comparison::Failed(
            error
                .details()
                .first()
                .map(|detail| detail.detail.clone())
                .unwrap_or_default(),
        ),
        Err(error) => return Err(error.into()),
    };
    page.view = Some(view::build(
        &stored.exercise,
        &headline.document,
        &comparison,
    ));
    Ok(render(&page, StatusCode::OK, &token, &state))
}

fn too_busy() -> String {
    "Too many results are waiting to be computed just now. Try again in a minute.".to_string()
}

/// The round's own method: the one its definition names, else the default for its data.
fn round_method(round: &survey::Round) -> Option<rank::Method> {
    let kind = round.kind.data_kind()?;
    Some(
        round
            .method
            .unwrap_or_else(|| report::ranking::default_method(kind, criterion_count(round))),
    )
}

fn criterion_count(round: &survey::Round) -> usize {
    match &round.kind {
        survey::RoundKind::Rate { criteria, .. } => criteria.len().max(1),
        _ => 1,
    }
}

/// The methods to choose from, in words (the values are their ids): the round's own first,
/// then every method that fits its data.
fn method_choices(round: &survey::Round, chosen_method: &str) -> Vec<Choice> {
    let mut methods = vec![Choice {
        value: String::new(),
        label: match round_method(round) {
            Some(method) => format!(
                "The round's method: {}",
                report::plain::method_in_words(method)
            ),
            None => "The round's method".to_string(),
        },
        selected: chosen_method.is_empty(),
    }];
    if let Some(kind) = round.kind.data_kind() {
        methods.extend(
            rank::analysis::methods_for(kind, criterion_count(round))
                .into_iter()
                .map(|method| Choice {
                    value: method.as_str().to_string(),
                    label: capitalised(report::plain::method_in_words(method)),
                    selected: chosen_method == method.as_str(),
                }),
        );
    }
    methods
}

/// The group weightings to choose from, in words (the values are their ids): the round's own
/// first.
fn weighting_choices(round: &survey::Round, chosen_weighting: &str) -> Vec<Choice> {
    let own = round.weighting.unwrap_or(rank::Weighting::Pooled);
    let mut weightings = vec![Choice {
        value: String::new(),
        label: format!(
            "The round's weighting: {}",
            report::plain::weighting_in_words(own)
        ),
        selected: chosen_weighting.is_empty(),
    }];
    weightings.extend(
        [
            rank::Weighting::Pooled,
            rank::Weighting::EqualGroups,
            rank::Weighting::JlaPositions,
        ]
        .into_iter()
        .map(|weighting| Choice {
            value: weighting.as_str().to_string(),
            label: capitalised(report::plain::weighting_in_words(weighting)),
            selected: chosen_weighting == weighting.as_str(),
        }),
    );
    weightings
}

/// `text` with its first letter in capitals, for a label that starts a line.
fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    characters.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(characters).collect()
    })
}
