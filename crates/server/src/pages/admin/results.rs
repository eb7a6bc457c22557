//! Exports and results by group.

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

// ---------------------------------------------------------------------------------------------
// Exports and results.

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

struct ResultRow {
    rank: String,
    title: String,
    score: String,
}

struct ResultTable {
    caption: String,
    respondents: u64,
    rows: Vec<ResultRow>,
}

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
    overall: Option<ResultTable>,
    groups: Vec<ResultTable>,
    suppressed: Vec<String>,
    respondents: u64,
    method_text: String,
}

fn format_score(score: f64) -> String {
    report::numbers::score_for_results_page(score)
}

/// `GET /admin/e/{exercise}/r/{round}/results?method=...&weighting=...`. When the results
/// must wait for other computations, the page says so and refreshes itself until they are
/// ready.
pub async fn results(
    State(state): State<AppState>,
    token: FormToken,
    uri: Uri,
    Path((id, round_id)): Path<(String, String)>,
    ApiListQuery(query): ApiListQuery<ResultsQuery>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    state.authorize(&admin, &id, Permission::Read).await?;
    let stored = stored_exercise(&state, &id).await?;
    let round = stored
        .exercise
        .round(&round_id)
        .ok_or_else(|| AppError::NotFound(format!("no round `{round_id}`")))?;
    let chosen_method = query.method.first().cloned().unwrap_or_default();
    let chosen_weighting = query.weighting.clone().unwrap_or_default();
    let methods = method_choices(round, &chosen_method);
    let weightings = weighting_choices(round, &chosen_weighting);
    let mut page = ResultsPage {
        layout: admin_layout(&format!("Results: {}", round.title), &token, &admin, false),
        id: id.clone(),
        exercise_title: stored.exercise.title.clone(),
        round_id: round_id.clone(),
        round_title: round.title.clone(),
        methods,
        weightings,
        problem: None,
        queued: false,
        refresh_seconds: RESULTS_RETRY_SECONDS,
        here: uri
            .path_and_query()
            .map_or_else(|| uri.path().to_string(), ToString::to_string),
        overall: None,
        groups: Vec::new(),
        suppressed: Vec::new(),
        respondents: 0,
        method_text: String::new(),
    };
    let query = ResultsQuery {
        method: query
            .method
            .into_iter()
            .filter(|method| !method.is_empty())
            .collect(),
        weighting: query.weighting.filter(|weighting| !weighting.is_empty()),
        ..query
    };
    let outcome = match ranking_request(query, &state) {
        Ok(request) => capped_results(&state, &id, &round_id, request).await,
        Err(error) => Err(error),
    };
    match outcome {
        Err(error) if error.status().is_client_error() => {
            page.problem = error.details().first().map(|detail| detail.detail.clone());
        }
        Err(error) => return Err(error.into()),
        Ok(Computation::Ready(ranked)) => {
            fill_results(&mut page, &stored.exercise, &ranked.document)
        }
        Ok(Computation::Queued) => page.queued = true,
        Ok(Computation::Full) => {
            page.problem = Some(
                "Too many results are waiting to be computed just now. Try again in a minute."
                    .to_string(),
            );
        }
    }
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// The methods to choose from: the round's own first, then every method that fits its data.
fn method_choices(round: &survey::Round, chosen_method: &str) -> Vec<Choice> {
    let kind = round.kind.data_kind();
    let criteria = match &round.kind {
        survey::RoundKind::Rate { criteria, .. } => criteria.len().max(1),
        _ => 1,
    };
    let default_method = round
        .method
        .or_else(|| kind.map(|kind| report::ranking::default_method(kind, criteria)));
    let mut methods = vec![Choice {
        value: String::new(),
        label: match default_method {
            Some(method) => format!("The round's method ({method})"),
            None => "The round's method".to_string(),
        },
        selected: chosen_method.is_empty(),
    }];
    if let Some(kind) = kind {
        methods.extend(
            rank::analysis::methods_for(kind, criteria)
                .into_iter()
                .map(|method| Choice {
                    value: method.as_str().to_string(),
                    label: method.as_str().to_string(),
                    selected: chosen_method == method.as_str(),
                }),
        );
    }
    methods
}

/// The group weightings to choose from: the round's own first.
fn weighting_choices(round: &survey::Round, chosen_weighting: &str) -> Vec<Choice> {
    let mut weightings = vec![Choice {
        value: String::new(),
        label: format!(
            "The round's weighting ({})",
            round
                .weighting
                .map_or("pooled", |weighting| weighting.as_str())
        ),
        selected: chosen_weighting.is_empty(),
    }];
    weightings.extend(
        ["pooled", "equal-groups", "jla-positions"]
            .into_iter()
            .map(|weighting| Choice {
                value: weighting.to_string(),
                label: weighting.to_string(),
                selected: chosen_weighting == weighting,
            }),
    );
    weightings
}

/// Fills the page's tables from the results document, with titles and labels for ids.
fn fill_results(
    page: &mut ResultsPage,
    exercise: &survey::Exercise,
    document: &report::results::ResultsDocument,
) {
    let title = |item: &str| {
        exercise
            .item(item)
            .map_or(item.to_string(), |found| found.title.clone())
    };
    page.respondents = document.input.respondents;
    page.suppressed = document
        .input
        .suppressed_groups
        .iter()
        .map(|group| {
            exercise
                .group(group)
                .map_or(group.clone(), |found| found.label.clone())
        })
        .collect();
    if let Some(entry) = document.results.first() {
        page.method_text = format!("{}, weighting {}", entry.method, entry.weighting);
        let rows = |ranking: &[report::results::RankingRow]| {
            ranking
                .iter()
                .map(|row| ResultRow {
                    rank: row.rank.to_string(),
                    title: title(&row.item),
                    score: row.score.map_or("–".to_string(), format_score),
                })
                .collect()
        };
        page.overall = Some(ResultTable {
            caption: format!("Overall ranking ({})", page.method_text),
            respondents: document.input.respondents,
            rows: rows(&entry.ranking),
        });
        page.groups = entry
            .groups
            .iter()
            .map(|group| ResultTable {
                caption: format!(
                    "Ranking of {}",
                    exercise
                        .group(&group.group)
                        .map_or(group.group.clone(), |found| found.label.clone())
                ),
                respondents: group.respondents,
                rows: rows(&group.ranking),
            })
            .collect();
    }
}
