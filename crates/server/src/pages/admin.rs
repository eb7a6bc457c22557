//! The research lead's pages: sign-in, exercises and rounds with their state, opening and
//! closing rounds, participation by group and round, invites, the definition (with errors at
//! their line), exports and results by group.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum_extra::extract::CookieJar;
use store::{Admin, RoundState, StoredExercise};

use super::{
    FieldError, Fields, FormToken, Layout, PageResult, expired_form, field, render, see_other,
};
use crate::AppState;
use crate::auth::{removal_cookie, session_cookie, session_token};
use crate::error::{ApiListQuery, AppError};
use crate::handlers::exercises::stored_exercise;
use crate::handlers::results::{
    ResultsQuery, compute_results, csv_response, export, ranking_request, read_export, sha256_hex,
};
use crate::handlers::sessions::{SignInOutcome, check_credentials};
use crate::rate::ClientAddress;
use report::RankingError;

fn admin_layout(title: &str, token: &FormToken, admin: &Admin, has_errors: bool) -> Layout {
    Layout {
        title: title.to_string(),
        csrf: token.token.clone(),
        admin: Some(admin.email.clone()),
        has_errors,
    }
}

mod access;
pub mod curation;

pub(crate) use access::{AdminPageResult, AdminRejection, SignedIn, check_form, signed_in};

// ---------------------------------------------------------------------------------------------
// Signing in and out.

#[derive(Template)]
#[template(path = "admin/sign_in.html")]
struct SignInPage {
    layout: Layout,
    email: String,
    errors: Vec<FieldError>,
}

/// `GET /admin/sign-in`.
pub async fn sign_in(
    State(state): State<AppState>,
    token: FormToken,
    headers: HeaderMap,
) -> PageResult {
    if signed_in(&state, &headers).await?.is_some() {
        return Ok(see_other("/admin"));
    }
    let page = SignInPage {
        layout: Layout {
            title: "Sign in".to_string(),
            csrf: token.token.clone(),
            ..Layout::default()
        },
        email: String::new(),
        errors: Vec::new(),
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `POST /admin/sign-in`.
pub async fn sign_in_post(
    State(state): State<AppState>,
    token: FormToken,
    client: ClientAddress,
    Form(fields): Form<Fields>,
) -> PageResult {
    if !token.accepts(field(&fields, "csrf_token")) {
        return Ok(expired_form(&state, &token, "/admin/sign-in"));
    }
    let email = field(&fields, "email")
        .unwrap_or_default()
        .trim()
        .to_string();
    let password = field(&fields, "password").unwrap_or_default().to_string();
    let mut errors = Vec::new();
    if email.is_empty() {
        errors.push(FieldError {
            anchor: "email".to_string(),
            message: "Enter your email address".to_string(),
        });
    }
    if password.is_empty() {
        errors.push(FieldError {
            anchor: "password".to_string(),
            message: "Enter your password".to_string(),
        });
    }
    if errors.is_empty() {
        state.limits.sign_in.check(client)?;
        match check_credentials(&state, email.clone(), password).await? {
            SignInOutcome::SignedIn { token: session, .. } => {
                let cookie = session_cookie(
                    session,
                    state.settings.secure_cookies,
                    state.settings.session_seconds,
                );
                let mut response = see_other("/admin");
                if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
                return Ok(response);
            }
            SignInOutcome::Refused => errors.push(FieldError {
                anchor: "email".to_string(),
                message: "The email address or password is not right".to_string(),
            }),
        }
    }
    let page = SignInPage {
        layout: Layout {
            title: "Sign in".to_string(),
            csrf: token.token.clone(),
            has_errors: true,
            ..Layout::default()
        },
        email,
        errors,
    };
    Ok(render(
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
        &token,
        &state,
    ))
}

/// `POST /admin/sign-out`.
pub async fn sign_out(
    State(state): State<AppState>,
    token: FormToken,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> PageResult {
    if !token.accepts(field(&fields, "csrf_token")) {
        return Ok(expired_form(&state, &token, "/admin"));
    }
    if let Some(session) = session_token(&headers) {
        let admin = signed_in(&state, &headers).await?;
        state
            .blocking(move |store| {
                store.delete_session(&session)?;
                if let Some(admin) = admin {
                    store.audit(&admin.email, "sign out", "")?;
                }
                Ok(())
            })
            .await?;
    }
    let jar = CookieJar::from_headers(&headers).add(removal_cookie(state.settings.secure_cookies));
    Ok((jar, see_other("/admin/sign-in")).into_response())
}

// ---------------------------------------------------------------------------------------------
// The dashboard.

struct RoundRow {
    id: String,
    title: String,
    kind: &'static str,
    state: String,
    open: bool,
    rankable: bool,
    suggest: bool,
    respondents: u64,
}

struct ExerciseRow {
    id: String,
    title: String,
    version: i64,
    rounds: Vec<RoundRow>,
}

#[derive(Template)]
#[template(path = "admin/index.html")]
struct DashboardPage {
    layout: Layout,
    exercises: Vec<ExerciseRow>,
}

async fn round_rows(state: &AppState, stored: &StoredExercise) -> Result<Vec<RoundRow>, AppError> {
    let id = stored.exercise.id.to_string();
    let counts = state
        .blocking(move |store| store.participation(&id))
        .await?;
    Ok(stored
        .exercise
        .rounds
        .iter()
        .zip(&stored.rounds)
        .map(|(round, status)| RoundRow {
            id: round.id.to_string(),
            title: round.title.clone(),
            kind: round.kind.name(),
            state: status.state.to_string(),
            open: status.state == RoundState::Open,
            rankable: round.kind.data_kind().is_some(),
            suggest: round.kind.data_kind().is_none(),
            respondents: counts
                .iter()
                .filter(|count| count.round == round.id.as_str())
                .map(|count| count.respondents)
                .sum(),
        })
        .collect())
}

/// `GET /admin`.
pub async fn dashboard(
    State(state): State<AppState>,
    token: FormToken,
    SignedIn(admin): SignedIn,
) -> PageResult {
    let exercises = state.blocking(|store| store.exercises()).await?;
    let mut rows = Vec::new();
    for stored in &exercises {
        rows.push(ExerciseRow {
            id: stored.exercise.id.to_string(),
            title: stored.exercise.title.clone(),
            version: stored.version,
            rounds: round_rows(&state, stored).await?,
        });
    }
    let page = DashboardPage {
        layout: admin_layout("Exercises", &token, &admin, false),
        exercises: rows,
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}

// ---------------------------------------------------------------------------------------------
// One exercise.

struct ParticipationRow {
    group: String,
    counts: Vec<u64>,
}

#[derive(Template)]
#[template(path = "admin/exercise.html")]
struct ExerciseAdminPage {
    layout: Layout,
    id: String,
    title: String,
    version: i64,
    invite_only: bool,
    rounds: Vec<RoundRow>,
    round_titles: Vec<String>,
    participation: Vec<ParticipationRow>,
    totals: Vec<u64>,
    dropped: Vec<String>,
    invites: Vec<String>,
    invite_error: Option<String>,
    errors: Vec<FieldError>,
}

async fn exercise_admin_page(
    state: &AppState,
    token: &FormToken,
    admin: &Admin,
    id: &str,
    invites: Vec<String>,
    errors: Vec<FieldError>,
) -> Result<ExerciseAdminPage, AppError> {
    let stored = stored_exercise(state, id).await?;
    let lookup = id.to_string();
    let (counts, continuation) = state
        .blocking(move |store| Ok((store.participation(&lookup)?, store.continuation(&lookup)?)))
        .await?;
    let exercise = &stored.exercise;
    let participation: Vec<ParticipationRow> = exercise
        .groups
        .iter()
        .map(|group| ParticipationRow {
            group: group.label.clone(),
            counts: exercise
                .rounds
                .iter()
                .map(|round| {
                    counts
                        .iter()
                        .filter(|count| {
                            count.round == round.id.as_str() && count.group == group.id.as_str()
                        })
                        .map(|count| count.respondents)
                        .sum()
                })
                .collect(),
        })
        .collect();
    let totals: Vec<u64> = (0..exercise.rounds.len())
        .map(|index| participation.iter().map(|row| row.counts[index]).sum())
        .collect();
    // Drop-out: of those who answered the previous round, how many did not answer this one.
    let dropped: Vec<String> = exercise
        .rounds
        .iter()
        .enumerate()
        .map(|(index, round)| {
            let Some(previous) = index.checked_sub(1).map(|at| &exercise.rounds[at]) else {
                return "–".to_string();
            };
            let continued: u64 = continuation
                .iter()
                .filter(|pair| {
                    pair.from_round == previous.id.as_str() && pair.to_round == round.id.as_str()
                })
                .map(|pair| pair.respondents)
                .sum();
            let before = totals[index - 1];
            let left = before.saturating_sub(continued);
            if before == 0 {
                "–".to_string()
            } else {
                format!(
                    "{left} of {before} ({:.0}%)",
                    100.0 * left as f64 / before as f64
                )
            }
        })
        .collect();
    Ok(ExerciseAdminPage {
        layout: admin_layout(&exercise.title, token, admin, !errors.is_empty()),
        id: id.to_string(),
        title: exercise.title.clone(),
        version: stored.version,
        invite_only: exercise.invite_only,
        rounds: round_rows(state, &stored).await?,
        round_titles: exercise
            .rounds
            .iter()
            .map(|round| round.title.clone())
            .collect(),
        participation,
        totals,
        dropped,
        invites,
        invite_error: errors.first().map(|error| error.message.clone()),
        errors,
    })
}

/// `GET /admin/e/{exercise}`.
pub async fn exercise(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    let page = exercise_admin_page(&state, &token, &admin, &id, Vec::new(), Vec::new()).await?;
    Ok(render(&page, StatusCode::OK, &token, &state))
}

async fn set_round(
    state: AppState,
    token: FormToken,
    admin: Result<SignedIn, AdminRejection>,
    id: String,
    round: String,
    fields: Fields,
    target: RoundState,
) -> AdminPageResult {
    let back = format!("/admin/e/{id}");
    check_form(&state, &token, &fields, &back)?;
    let SignedIn(admin) = admin?;
    state
        .blocking(move |store| store.set_round_state(&id, &round, target, &admin.email))
        .await?;
    Ok(see_other(&back))
}

/// `POST /admin/e/{exercise}/r/{round}/open`.
pub async fn open_round(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    set_round(state, token, admin, id, round, fields, RoundState::Open).await
}

/// `POST /admin/e/{exercise}/r/{round}/close`.
pub async fn close_round(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    set_round(state, token, admin, id, round, fields, RoundState::Closed).await
}

/// `POST /admin/e/{exercise}/invites`: shows the new invite codes once.
pub async fn invites(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    check_form(&state, &token, &fields, &format!("/admin/e/{id}"))?;
    let SignedIn(admin) = admin?;
    let text = field(&fields, "count")
        .unwrap_or_default()
        .trim()
        .to_string();
    let count = text
        .parse::<u32>()
        .ok()
        .filter(|count| (1..=store::MAX_INVITES_PER_CALL).contains(count));
    let Some(count) = count else {
        let errors = vec![FieldError {
            anchor: "count".to_string(),
            message: format!(
                "Enter a number of invites from 1 to {}",
                store::MAX_INVITES_PER_CALL
            ),
        }];
        let page = exercise_admin_page(&state, &token, &admin, &id, Vec::new(), errors).await?;
        return Ok(render(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            &token,
            &state,
        ));
    };
    let (exercise, actor) = (id.clone(), admin.email.clone());
    let created = state
        .blocking(move |store| store.create_invites(&exercise, count, &actor))
        .await?;
    let page = exercise_admin_page(&state, &token, &admin, &id, created, Vec::new()).await?;
    Ok(render(&page, StatusCode::OK, &token, &state))
}

// ---------------------------------------------------------------------------------------------
// Definitions.

#[derive(Template)]
#[template(path = "admin/definition.html")]
struct DefinitionPage {
    layout: Layout,
    heading: String,
    action: String,
    back: String,
    text: String,
    errors: Vec<FieldError>,
}

/// `GET /admin/e/{exercise}/definition`.
pub async fn definition(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    let stored = stored_exercise(&state, &id).await?;
    let page = DefinitionPage {
        layout: admin_layout("Edit the definition", &token, &admin, false),
        heading: format!("Edit the definition of “{}”", stored.exercise.title),
        action: format!("/admin/e/{id}/definition"),
        back: format!("/admin/e/{id}"),
        text: stored.source,
        errors: Vec::new(),
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `GET /admin/new`: a new exercise from a definition.
pub async fn new_exercise(
    State(state): State<AppState>,
    token: FormToken,
    SignedIn(admin): SignedIn,
) -> PageResult {
    let page = DefinitionPage {
        layout: admin_layout("Add an exercise", &token, &admin, false),
        heading: "Add an exercise".to_string(),
        action: "/admin/new".to_string(),
        back: "/admin".to_string(),
        text: String::new(),
        errors: Vec::new(),
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `POST /admin/new`: stores a new exercise's definition, or shows every problem with its line.
pub async fn new_exercise_post(
    State(state): State<AppState>,
    token: FormToken,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    save_definition(state, token, admin, None, fields).await
}

/// `POST /admin/e/{exercise}/definition`: stores the definition as a new version, or shows
/// every problem with its line.
pub async fn definition_post(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    save_definition(state, token, admin, Some(id), fields).await
}

async fn save_definition(
    state: AppState,
    token: FormToken,
    admin: Result<SignedIn, AdminRejection>,
    id: Option<String>,
    fields: Fields,
) -> AdminPageResult {
    let (action, back) = match &id {
        Some(id) => (
            format!("/admin/e/{id}/definition"),
            format!("/admin/e/{id}"),
        ),
        None => ("/admin/new".to_string(), "/admin".to_string()),
    };
    check_form(&state, &token, &fields, &action)?;
    let SignedIn(admin) = admin?;
    let text = field(&fields, "definition")
        .unwrap_or_default()
        .replace("\r\n", "\n");
    let heading = match &id {
        Some(id) => format!("Edit the definition of `{id}`"),
        None => "Add an exercise".to_string(),
    };
    let mut errors = Vec::new();
    if text.trim().is_empty() {
        errors.push(FieldError {
            anchor: "definition".to_string(),
            message: "Paste or write the definition (TOML)".to_string(),
        });
    } else {
        match survey::Exercise::parse(&text, "the definition") {
            Err(problems) => {
                for problem in &problems.0 {
                    let place = problem
                        .line
                        .map_or(String::new(), |line| format!("Line {line}: "));
                    let context = problem
                        .context
                        .as_ref()
                        .map_or(String::new(), |context| format!("{context}: "));
                    errors.push(FieldError {
                        anchor: "definition".to_string(),
                        message: format!("{place}{context}{}", problem.message),
                    });
                }
            }
            Ok(parsed) => {
                if let Some(id) = &id
                    && parsed.id.as_str() != id
                {
                    errors.push(FieldError {
                        anchor: "definition".to_string(),
                        message: format!(
                            "The definition's id is “{}” but this is exercise “{id}”. Keep the id the same, or add it as a new exercise",
                            parsed.id
                        ),
                    });
                } else {
                    let (source, actor) = (text.clone(), admin.email.clone());
                    let put = state
                        .blocking(move |store| {
                            store.put_exercise(&source, "the definition", &actor)
                        })
                        .await?;
                    return Ok(see_other(&format!("/admin/e/{}", put.exercise)));
                }
            }
        }
    }
    let page = DefinitionPage {
        layout: admin_layout(&heading, &token, &admin, true),
        heading,
        action,
        back,
        text,
        errors,
    };
    Ok(render(
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
        &token,
        &state,
    ))
}

// ---------------------------------------------------------------------------------------------
// Exports and results.

/// `GET /admin/e/{exercise}/r/{round}/responses.csv`.
pub async fn responses_csv(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, String)>,
    _admin: SignedIn,
) -> PageResult {
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

struct Choice {
    value: String,
    label: String,
    selected: bool,
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
    overall: Option<ResultTable>,
    groups: Vec<ResultTable>,
    suppressed: Vec<String>,
    respondents: u64,
    method_text: String,
}

fn format_score(score: f64) -> String {
    report::numbers::score_for_results_page(score)
}

/// `GET /admin/e/{exercise}/r/{round}/results?method=...&weighting=...`.
pub async fn results(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round_id)): Path<(String, String)>,
    ApiListQuery(query): ApiListQuery<ResultsQuery>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    let stored = stored_exercise(&state, &id).await?;
    let round = stored
        .exercise
        .round(&round_id)
        .ok_or_else(|| AppError::NotFound(format!("no round `{round_id}`")))?;
    let chosen_method = query.method.first().cloned().unwrap_or_default();
    let chosen_weighting = query.weighting.clone().unwrap_or_default();
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
    let mut page = ResultsPage {
        layout: admin_layout(&format!("Results: {}", round.title), &token, &admin, false),
        id: id.clone(),
        exercise_title: stored.exercise.title.clone(),
        round_id: round_id.clone(),
        round_title: round.title.clone(),
        methods,
        weightings,
        problem: None,
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
        Ok(request) => compute_results(&state, &id, &round_id, request).await,
        Err(error) => Err(error),
    };
    match outcome {
        Err(error) if error.status().is_client_error() => {
            page.problem = error.details().first().map(|detail| detail.detail.clone());
        }
        Err(error) => return Err(error.into()),
        Ok(document) => {
            let title = |item: &str| {
                stored
                    .exercise
                    .item(item)
                    .map_or(item.to_string(), |found| found.title.clone())
            };
            page.respondents = document.input.respondents;
            page.suppressed = document
                .input
                .suppressed_groups
                .iter()
                .map(|group| {
                    stored
                        .exercise
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
                            stored
                                .exercise
                                .group(&group.group)
                                .map_or(group.group.clone(), |found| found.label.clone())
                        ),
                        respondents: group.respondents,
                        rows: rows(&group.ranking),
                    })
                    .collect();
            }
        }
    }
    Ok(render(&page, StatusCode::OK, &token, &state))
}

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
const REPORT_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// `GET /admin/e/{exercise}/report`: the method report of every round with submitted answers,
/// made now from the stored answers (`?download=1` to save it as a file).
pub async fn report(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    ApiListQuery(query): ApiListQuery<ReportQuery>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    let stored = stored_exercise(&state, &id).await?;
    let mut exports = Vec::new();
    for round in &stored.exercise.rounds {
        let (csv, count) = export(&state, &id, round.id.as_str()).await?;
        if count > 0 {
            exports.push((round.id.to_string(), csv));
        }
    }
    if exports.is_empty() {
        return Ok(super::message(
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
    let curation = crate::curation::exercise_curation(&state, &stored).await?;
    let html = tokio::task::spawn_blocking(move || -> Result<String, AppError> {
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
            let (results, notes) = if round.kind.data_kind().is_none() {
                (None, Vec::new())
            } else {
                let request = report::RankingRequest {
                    methods: vec!["all".to_string()],
                    bootstrap: (bootstrap > 0).then_some(bootstrap),
                    seed,
                    sha256: sha256.clone(),
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
                        let ranked =
                            report::rank_round(responses, exercise, round, &regularised, None)
                                .map_err(|again| {
                                    AppError::unprocessable(format!(
                                        "round `{}`: {}",
                                        round.id, again
                                    ))
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
                (Some(ranked.document), notes)
            };
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
    .map_err(AppError::from)??;
    let audit_id = id.clone();
    state
        .blocking(move |store| store.audit(&actor, "make report", &format!("exercise {audit_id}")))
        .await?;
    let mut response = axum::response::Html(html).into_response();
    let response_headers = response.headers_mut();
    response_headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(REPORT_POLICY),
    );
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if query.download == Some(1)
        && let Ok(value) =
            HeaderValue::from_str(&format!("attachment; filename=\"{id}-report.html\""))
    {
        response_headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
