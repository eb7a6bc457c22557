//! The method report of an exercise, made from the stored answers.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;

use super::SignedIn;
use crate::AppState;
use crate::access::Permission;
use crate::error::{ApiListQuery, AppError};
use crate::handlers::exercises::stored_exercise;
use crate::handlers::results::{export, read_export, sha256_hex};
use crate::pages::{FormToken, PageResult};
use report::RankingError;

// ---------------------------------------------------------------------------------------------
// The method report.

/// What report to make.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// Bootstrap resamples (default 1,000, at most the service's limit).
    pub bootstrap: Option<usize>,
    /// The bootstrap's seed (default 1).
    pub seed: Option<u64>,
    /// `1` to download the file rather than view it.
    pub download: Option<u8>,
}

/// The Content Security Policy of the report: it has inline styles and inline SVG, and no
/// script at all.
pub(crate) const REPORT_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// `GET /admin/e/{exercise}/report`: the method report of every round with submitted answers,
/// made now from the stored answers (`?download=1` to save it as a file).
pub async fn report(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    ApiListQuery(query): ApiListQuery<ReportQuery>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    state.authorize(&admin, &id, Permission::Read).await?;
    let stored = stored_exercise(&state, &id).await?;
    let exports = round_exports(&state, &stored, None).await?;
    if exports.is_empty() {
        return Ok(crate::pages::message(
            &state,
            &token,
            StatusCode::CONFLICT,
            "There is nothing to report yet",
            &["No round has submitted answers yet. The report is made from submitted answers."],
            Some((&format!("/admin/e/{id}"), "Back to the exercise")),
        ));
    }
    let bootstrap = query
        .bootstrap
        .unwrap_or(1000)
        .min(state.settings.max_bootstrap);
    let seed = query.seed.unwrap_or(1);
    let command = format!("GET /admin/e/{id}/report?bootstrap={bootstrap}&seed={seed}");
    let actor = admin.email.clone();
    let html = method_report_html(&state, stored, exports, bootstrap, seed, command).await?;
    let audit_id = id.clone();
    state
        .blocking(move |store| store.audit(&actor, "make report", &format!("exercise {audit_id}")))
        .await?;
    Ok(report_response(html, &id, query.download == Some(1)))
}

/// The exports of the exercise's rounds that have submitted answers, in the definition's
/// order, as (round id, export); with `up_to`, only the rounds up to and including that one.
///
/// # Errors
/// Store errors.
pub(crate) async fn round_exports(
    state: &AppState,
    stored: &store::StoredExercise,
    up_to: Option<&str>,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let mut exports = Vec::new();
    for round in &stored.exercise.rounds {
        let (csv, count) = export(state, stored.exercise.id.as_str(), round.id.as_str()).await?;
        if count > 0 {
            exports.push((round.id.to_string(), csv));
        }
        if up_to == Some(round.id.as_str()) {
            break;
        }
    }
    Ok(exports)
}

/// The method report of `exports` (rounds of `stored`, as [`round_exports`] gives them) as one
/// HTML file, made on the blocking pool: the admin report page and published results share it.
///
/// # Errors
/// 422 for a round that cannot be ranked, 500 when the report fails.
pub(crate) async fn method_report_html(
    state: &AppState,
    stored: store::StoredExercise,
    exports: Vec<(String, Vec<u8>)>,
    bootstrap: usize,
    seed: u64,
    command: String,
) -> Result<String, AppError> {
    let curation = crate::curation::exercise_curation(state, &stored).await?;
    tokio::task::spawn_blocking(move || -> Result<String, AppError> {
        let exercise = &stored.exercise;
        let mut loaded = Vec::new();
        for (round_id, csv) in &exports {
            let round = exercise
                .round(round_id)
                .expect("the round ids come from the same definition");
            let responses = read_export(exercise, round, csv)?;
            loaded.push((round, sha256_hex(csv), responses));
        }
        let mut rounds = Vec::new();
        for (round, sha256, responses) in &loaded {
            let (results, notes) =
                rank_for_report(responses, exercise, round, bootstrap, seed, sha256)?;
            rounds.push(report::RoundData {
                round,
                source: report::SourceFile {
                    name: format!("{}.csv (export of round `{}`)", round.id, round.id),
                    sha256: sha256.clone(),
                },
                responses,
                results,
                notes,
            });
        }
        let input = report::ReportInput {
            exercise,
            exercise_source: report::SourceFile {
                name: format!(
                    "definition of `{}`, version {}",
                    exercise.id, stored.version
                ),
                sha256: sha256_hex(stored.source.as_bytes()),
            },
            rounds,
            command,
            program: format!("prioritise {}", env!("CARGO_PKG_VERSION")),
            simulated: false,
        };
        report::method_report_with_curation(&input, curation.as_ref())
            .map(|made| made.html)
            .map_err(|error| {
                AppError::Internal(format!("the report of `{}` failed: {error}", exercise.id))
            })
    })
    .await
    .map_err(AppError::from)?
}

/// The round's results for the report: the round's method and every other that fits, with a
/// bootstrap, and notes on how they were made; `None` for a round with nothing to rank.
fn rank_for_report(
    responses: &survey::responses::Responses,
    exercise: &survey::Exercise,
    round: &survey::Round,
    bootstrap: usize,
    seed: u64,
    sha256: &str,
) -> Result<(Option<report::results::ResultsDocument>, Vec<String>), AppError> {
    if round.kind.data_kind().is_none() {
        return Ok((None, Vec::new()));
    }
    let request = report::RankingRequest {
        methods: vec!["all".to_string()],
        bootstrap: (bootstrap > 0).then_some(bootstrap),
        seed,
        sha256: sha256.to_string(),
        ..report::RankingRequest::default()
    };
    let mut notes = Vec::new();
    let ranked = match report::rank_round(responses, exercise, round, &request, None) {
        Ok(ranked) => ranked,
        // With few answers a model's estimate may not exist (some items never
        // beaten, in the round's own method or in a bootstrap resample); the report
        // then uses the small prior METHODS.md allows, and says so, rather than
        // failing for the whole exercise.
        Err(
            error @ (RankingError::MethodFailed {
                error: rank::RankError::Fit { .. },
                ..
            }
            | RankingError::Bootstrap { .. }),
        ) if request.prior_alpha.is_none() => {
            let regularised = report::RankingRequest {
                prior_alpha: Some(0.1),
                ..request.clone()
            };
            let ranked = report::rank_round(responses, exercise, round, &regularised, None)
                .map_err(|again| {
                    AppError::unprocessable(format!("round `{}`: {}", round.id, again))
                })?;
            notes.push(format!(
                "fitted with a prior alpha of 0.1, because without one: {error}"
            ));
            ranked
        }
        Err(error) => {
            return Err(AppError::unprocessable(format!(
                "round `{}`: {}",
                round.id, error
            )));
        }
    };
    notes.extend(ranked.notes);
    Ok((Some(ranked.document), notes))
}

/// The report as an HTML response under its own Content Security Policy, never cached, and as
/// a download when asked.
pub(crate) fn report_response(html: String, id: &str, download: bool) -> axum::response::Response {
    let mut response = axum::response::Html(html).into_response();
    let response_headers = response.headers_mut();
    response_headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(REPORT_POLICY),
    );
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if download
        && let Ok(value) =
            HeaderValue::from_str(&format!("attachment; filename=\"{id}-report.html\""))
    {
        response_headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
