//! A round's answers: the export in the exchange format, and the results computed by `rank`
//! (through `report`'s pipeline, the same as `prioritise rank`).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use report::{Ranked, RankingError, RankingRequest, ResultsDocument, rank_responses};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use store::StoredExercise;
use survey::responses::{Against, Responses, read_responses};
use survey::{Exercise, Round};

use crate::AppState;
use crate::access::Permission;
use crate::auth::AdminActor;
use crate::error::{ApiListQuery, ApiPath, AppError, ErrorBody, ErrorDetail};
use crate::handlers::exercises::stored_exercise;
use crate::heavy::{Computation, ResultsKey};

/// Exports a round's submitted answers in one buffer, with the count of respondents.
///
/// # Errors
/// 404 for an unknown exercise or round; store errors.
pub async fn export(
    state: &AppState,
    exercise: &str,
    round: &str,
) -> Result<(Vec<u8>, u64), AppError> {
    let (exercise, round) = (exercise.to_string(), round.to_string());
    state
        .blocking(move |store| store.export_round(&exercise, &round, Vec::with_capacity(1 << 16)))
        .await
}

/// A CSV download response.
pub fn csv_response(body: Vec<u8>, filename: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The submitted answers of a round in the exchange format (admin). Text cells that a
/// spreadsheet would run as a formula are neutralised.
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/rounds/{round}/responses.csv", operation_id = "getResponsesCsv", tag = "results",
    params(("exercise" = String, Path), ("round" = String, Path)),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn responses_csv(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
) -> Result<Response, AppError> {
    state
        .authorize(&actor, &exercise, Permission::Download)
        .await?;
    let (body, _) = export(&state, &exercise, &round).await?;
    Ok(csv_response(body, &format!("{exercise}-{round}.csv")))
}

/// What results to compute.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResultsQuery {
    /// Methods (repeat, or separate with commas; `all` for every method that fits). Default:
    /// the round's method.
    #[serde(default)]
    pub method: Vec<String>,
    /// The weighting: pooled, equal-groups, jla-positions or custom. Default: the round's.
    pub weighting: Option<String>,
    /// Weights of `custom` weighting as `GROUP=WEIGHT,...`. Default: the round's.
    pub group_weights: Option<String>,
    /// The length of the priority list (default 10).
    #[param(minimum = 1)]
    pub top: Option<usize>,
    /// Bootstrap resamples for rank intervals (at most the service's limit, 2,000 by default).
    pub bootstrap: Option<usize>,
    /// The bootstrap's seed (default 1): a whole number from 0 to 2⁶³ − 1, the range of the
    /// document's `int64` (the command line's `--seed` takes the same seeds).
    #[param(minimum = 0, maximum = 9223372036854775807_i64)]
    pub seed: Option<u64>,
    /// The prior of plackett-luce and bradley-terry: a finite positive number.
    #[param(exclusive_minimum = 0.0)]
    pub prior_alpha: Option<f64>,
}

/// The ranking request a results query asks for.
///
/// # Errors
/// 422 naming the query field that is not right.
pub fn ranking_request(query: ResultsQuery, state: &AppState) -> Result<RankingRequest, AppError> {
    let methods = query
        .method
        .iter()
        .flat_map(|names| names.split(','))
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect();
    let group_weights = match &query.group_weights {
        None => None,
        Some(text) => Some(
            text.split(',')
                .map(|pair| {
                    let (group, weight) = pair.split_once('=').ok_or_else(|| {
                        AppError::field(
                            "group_weights",
                            format!("`{pair}` is not GROUP=WEIGHT, for example carers=2"),
                        )
                    })?;
                    let weight: f64 = weight.trim().parse().map_err(|_| {
                        AppError::field(
                            "group_weights",
                            format!("`{}` is not a number", weight.trim()),
                        )
                    })?;
                    Ok((group.trim().to_string(), weight))
                })
                .collect::<Result<Vec<_>, AppError>>()?,
        ),
    };
    let top_k = query.top.unwrap_or(10);
    if top_k == 0 {
        return Err(AppError::field("top", "`top` must be at least 1"));
    }
    if let Some(resamples) = query.bootstrap
        && resamples > state.settings.max_bootstrap
    {
        return Err(AppError::field(
            "bootstrap",
            format!(
                "`bootstrap` is at most {} resamples here; use `prioritise rank` for more",
                state.settings.max_bootstrap
            ),
        ));
    }
    if let Some(seed) = query.seed
        && i64::try_from(seed).is_err()
    {
        return Err(AppError::field(
            "seed",
            format!("`seed` is {seed} but may be at most {}", i64::MAX),
        ));
    }
    Ok(RankingRequest {
        methods,
        weighting: query.weighting,
        group_weights,
        top_k,
        bootstrap: query.bootstrap.filter(|&resamples| resamples > 0),
        seed: query.seed.unwrap_or(1),
        scale: None,
        disclosure_threshold: None,
        prior_alpha: query.prior_alpha,
        sha256: String::new(),
    })
}

/// How long a client is asked to wait before asking again for results being computed.
pub const RESULTS_RETRY_SECONDS: u64 = 5;

/// The results document, with the notes of `prioritise rank` (a method of `all` left out, and
/// why) when there are any.
#[derive(Debug, Serialize)]
pub struct ResultsReply<'a> {
    /// The results document of DESIGN.md.
    #[serde(flatten)]
    pub document: &'a ResultsDocument,
    /// Methods of `method=all` that do not fit the round's data, scale or weighting, left out,
    /// each with why.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub notes: &'a [String],
}

/// The results of a round overall and per group (admin): the `prioritise rank --format json`
/// object, computed from the submitted answers as exported. `method=all` gives every method
/// that fits the round, leaving out with a note in `notes` those that do not fit its scale or
/// weighting, as `prioritise rank --method all` does. Computations run at most
/// `--heavy-computations` at once and are cached per definition version, export and query:
/// when none can start, the computation is queued and the answer is a 503 with `Retry-After`;
/// asking again after that many seconds gets the result once it is ready.
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/rounds/{round}/results", operation_id = "getResults", tag = "results",
    params(("exercise" = String, Path), ("round" = String, Path), ResultsQuery),
    responses((status = 200, description = "The results document of DESIGN.md, with `notes` when methods of `all` were left out", body = Object),
        (status = 404, body = ErrorBody, description = "No such exercise or round"),
        (status = 409, body = ErrorBody, description = "The round has no submitted answers yet"),
        (status = 422, body = ErrorBody, description = "A suggest round, or a method, weighting or parameter that does not fit the round: `field` names the query parameter"),
        (status = 503, description = "The results are being computed (queued behind other \
            computations): ask again after `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait before asking again")))),
    security(("bearer" = []), ("session" = [])))]
pub async fn results(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
    ApiListQuery(query): ApiListQuery<ResultsQuery>,
) -> Result<Response, AppError> {
    state.authorize(&actor, &exercise, Permission::Read).await?;
    let request = ranking_request(query, &state)?;
    let (detail, retry_after) = match capped_results(&state, &exercise, &round, request).await? {
        Computation::Ready(ranked) => {
            return Ok(Json(ResultsReply {
                document: &ranked.document,
                notes: &ranked.notes,
            })
            .into_response());
        }
        Computation::Queued => (
            format!(
                "the results of round `{round}` are being computed: ask again in \
                 {RESULTS_RETRY_SECONDS} seconds"
            ),
            RESULTS_RETRY_SECONDS,
        ),
        Computation::Full => (
            "too many results are waiting to be computed: ask again in a minute".to_string(),
            60,
        ),
    };
    let body = ErrorBody {
        errors: vec![ErrorDetail {
            detail,
            field: None,
        }],
    };
    Ok((
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, retry_after.to_string())],
        Json(body),
    )
        .into_response())
}

/// A round's export, checked and ready to rank as a request asks.
struct Prepared {
    stored: StoredExercise,
    round: String,
    csv: Vec<u8>,
    request: RankingRequest,
}

impl Prepared {
    /// Checks the round, exports its submitted answers and fills the request's `sha256` with
    /// the export's.
    async fn new(
        state: &AppState,
        exercise: &str,
        round: &str,
        mut request: RankingRequest,
    ) -> Result<Prepared, AppError> {
        let stored = stored_exercise(state, exercise).await?;
        let definition = stored.exercise.round(round).ok_or_else(|| {
            AppError::NotFound(format!("exercise `{exercise}` has no round `{round}`"))
        })?;
        if definition.kind.data_kind().is_none() {
            return Err(AppError::field(
                "round",
                format!(
                    "round `{round}` collects suggestions, which are curated into items rather \
                     than ranked"
                ),
            ));
        }
        let (csv, count) = export(state, exercise, round).await?;
        if count == 0 {
            return Err(AppError::Conflict(format!(
                "round `{round}` has no submitted answers yet"
            )));
        }
        request.sha256 = sha256_hex(&csv);
        Ok(Prepared {
            stored,
            round: round.to_string(),
            csv,
            request,
        })
    }

    /// What identifies the computation in the cache: the definition's version and the whole
    /// request, which holds the export's SHA-256.
    fn key(&self) -> ResultsKey {
        ResultsKey {
            exercise: self.stored.exercise.id.to_string(),
            round: self.round.clone(),
            version: self.stored.version,
            request: format!("{:?}", self.request),
        }
    }

    /// Ranks the export, with the notes of methods left out of `all`: CPU-bound, for the
    /// blocking pool.
    fn rank(self) -> Result<Ranked, AppError> {
        let exercise = &self.stored.exercise;
        let round = exercise
            .round(&self.round)
            .expect("the round was found when prepared, in the same definition");
        let responses = read_export(exercise, round, &self.csv)?;
        rank_responses(&responses, Some(exercise), Some(round), &self.request, None)
            .map_err(ranking_error)
    }
}

/// A ranking that cannot be made as asked: 422 with the hint, naming the query parameter to
/// blame when one is.
fn ranking_error(error: RankingError) -> AppError {
    let field = match &error {
        RankingError::UnknownMethod { .. }
        | RankingError::MethodDoesNotFit { .. }
        | RankingError::MethodFailed { .. } => Some("method"),
        RankingError::UnknownWeighting { .. } => Some("weighting"),
        RankingError::UnknownGroup { .. }
        | RankingError::MissingGroupWeights { .. }
        | RankingError::Weighting { .. } => Some("group_weights"),
        RankingError::Bootstrap { .. } => Some("bootstrap"),
        _ => None,
    };
    let mut detail = error.to_string();
    if let Some(hint) = error.hint() {
        detail.push_str(": ");
        detail.push_str(&hint);
    }
    match field {
        Some(field) => AppError::field(field, detail),
        None => AppError::unprocessable(detail),
    }
}

/// The results document of a round's submitted answers, as `request` asks (the request's
/// `sha256` is filled in with the export's), computed now on the blocking pool. For the light
/// requests of curation (the round's method, no bootstrap); what an admin asks for in the
/// results API and page goes through [`capped_results`].
///
/// # Errors
/// 404 for an unknown exercise or round, 422 for a suggestion round or a request the data
/// cannot meet, 409 when nothing is submitted yet.
pub async fn compute_results(
    state: &AppState,
    exercise: &str,
    round: &str,
    request: RankingRequest,
) -> Result<ResultsDocument, AppError> {
    let prepared = Prepared::new(state, exercise, round, request).await?;
    tokio::task::spawn_blocking(move || prepared.rank().map(|ranked| ranked.document)).await?
}

/// As [`compute_results`], through the service's cap on heavy computations and its cache
/// ([`crate::heavy`]): the cached document, or the document computed now if a permit is free,
/// or [`Computation::Queued`] when the computation must wait (it then lands in the cache).
///
/// # Errors
/// As [`compute_results`].
pub async fn capped_results(
    state: &AppState,
    exercise: &str,
    round: &str,
    request: RankingRequest,
) -> Result<Computation<Ranked>, AppError> {
    let prepared = Prepared::new(state, exercise, round, request).await?;
    let key = prepared.key();
    state
        .results_work
        .results(key, move || prepared.rank())
        .await
}

/// SHA-256 of `bytes`, in lowercase hex (the record of an export in results and reports).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Reads a round's export back as responses, checked against the round.
///
/// # Errors
/// 500: the store wrote an export that does not read back, which is a bug.
pub fn read_export(exercise: &Exercise, round: &Round, csv: &[u8]) -> Result<Responses, AppError> {
    read_responses(
        csv,
        &format!("{}.csv", round.id),
        Some(Against { exercise, round }),
    )
    .map(|outcome| outcome.responses)
    .map_err(|error| {
        AppError::Internal(format!(
            "the export of round `{}` did not read back: {error}",
            round.id
        ))
    })
}
