//! The pages of published results: the public page, its easy-read summary and the stored
//! method report (no sign-in, served from the stored snapshot), and the lead's page that
//! publishes and withdraws them.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::snapshot::{Snapshot, TOP_TEN, date_in_words, people};
use crate::AppState;
use crate::access::Permission;
use crate::error::{ApiListQuery, AppError};
use crate::handlers::exercises::stored_exercise;
use crate::pages::admin::method_report::report_response;
use crate::pages::admin::{AdminPageResult, AdminRejection, SignedIn, check_form};
use crate::pages::{Fields, FormToken, Layout, PageResult, field, render, see_other};

// ---------------------------------------------------------------------------------------------
// The public pages.

#[derive(Template)]
#[template(path = "public_results.html")]
struct ResultsPage<'a> {
    layout: Layout,
    snapshot: &'a Snapshot,
    top: &'a [super::ListEntry],
    rest: &'a [super::ListEntry],
    respondents: String,
    has_intervals: bool,
}

#[derive(Template)]
#[template(path = "public_easy_read.html")]
struct EasyReadPage<'a> {
    layout: Layout,
    snapshot: &'a Snapshot,
    top: &'a [super::ListEntry],
}

fn public_layout(title: String) -> Layout {
    Layout {
        title,
        ..Layout::default()
    }
}

/// The public results page of a snapshot, as HTML.
///
/// # Errors
/// 500 when the template fails.
pub fn results_page(snapshot: &Snapshot) -> Result<String, AppError> {
    let split = snapshot.final_list.len().min(TOP_TEN);
    let (top, rest) = snapshot.final_list.split_at(split);
    ResultsPage {
        layout: public_layout(format!("Results of {}", snapshot.exercise_title)),
        snapshot,
        top,
        rest,
        respondents: people(snapshot.respondents),
        has_intervals: snapshot
            .final_list
            .iter()
            .any(|entry| entry.rank_interval.is_some()),
    }
    .render()
    .map_err(|error| AppError::Internal(format!("the results page did not render: {error}")))
}

/// The easy-read summary of a snapshot, as HTML.
///
/// # Errors
/// 500 when the template fails.
pub fn easy_read_page(snapshot: &Snapshot) -> Result<String, AppError> {
    let split = snapshot.final_list.len().min(TOP_TEN);
    EasyReadPage {
        layout: public_layout(format!(
            "What we found: {} (easy read)",
            snapshot.exercise_title
        )),
        snapshot,
        top: &snapshot.final_list[..split],
    }
    .render()
    .map_err(|error| AppError::Internal(format!("the easy-read page did not render: {error}")))
}

/// A public page: HTML that a browser may keep but must check again before showing, so that
/// withdrawn results are gone at once.
fn public_html(html: &str) -> Response {
    let mut response = Html(html.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The page of an exercise whose results are not published (404).
async fn not_published(state: &AppState, token: &FormToken, exercise: &str) -> PageResult {
    let stored = stored_exercise(state, exercise).await?;
    let heading = format!(
        "The results of {} are not published yet",
        stored.exercise.title
    );
    Ok(crate::pages::message(
        state,
        token,
        StatusCode::NOT_FOUND,
        &heading,
        &["When the research team publishes them, they will appear on this page."],
        Some((&format!("/e/{exercise}"), "Go to the exercise")),
    ))
}

/// `GET /e/{exercise}/results`: the published results, for anyone.
pub async fn results(
    State(state): State<AppState>,
    token: FormToken,
    Path(exercise): Path<String>,
) -> PageResult {
    match super::current(&state, &exercise).await? {
        Some(rendered) => Ok(public_html(&rendered.page)),
        None => not_published(&state, &token, &exercise).await,
    }
}

/// `GET /e/{exercise}/results/easy-read`: the easy-read summary, for anyone.
pub async fn easy_read(
    State(state): State<AppState>,
    token: FormToken,
    Path(exercise): Path<String>,
) -> PageResult {
    match super::current(&state, &exercise).await? {
        Some(rendered) => Ok(public_html(&rendered.easy_read)),
        None => not_published(&state, &token, &exercise).await,
    }
}

/// What the report address takes.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// `1` to download the file rather than view it.
    pub download: Option<u8>,
}

/// `GET /e/{exercise}/results/report`: the method report stored with the publication, under
/// the report's own Content Security Policy (`?download=1` to save it).
pub async fn report(
    State(state): State<AppState>,
    token: FormToken,
    Path(exercise): Path<String>,
    ApiListQuery(query): ApiListQuery<ReportQuery>,
) -> PageResult {
    match super::current(&state, &exercise).await? {
        Some(rendered) => Ok(report_response(
            rendered.report_html.clone(),
            &exercise,
            query.download == Some(1),
        )),
        None => not_published(&state, &token, &exercise).await,
    }
}

// ---------------------------------------------------------------------------------------------
// The lead's page.

struct RoundChoice {
    id: String,
    label: String,
    selected: bool,
}

struct HistoryRow {
    id: i64,
    round: String,
    published_on: String,
    published_by: String,
    inputs_sha256: String,
    withdrawn_on: Option<String>,
}

struct Current {
    id: i64,
    round: String,
    published_on: String,
    inputs_sha256: String,
}

#[derive(Template)]
#[template(path = "admin/publish.html")]
struct PublishPage {
    layout: Layout,
    id: String,
    title: String,
    notice: Option<String>,
    current: Option<Current>,
    rounds: Vec<RoundChoice>,
    history: Vec<HistoryRow>,
}

/// What the lead's page says after an action.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishQuery {
    /// The snapshot just published.
    pub published: Option<i64>,
    /// Set when the results were just withdrawn.
    pub unpublished: Option<u8>,
    /// Set when there was nothing to withdraw.
    pub nothing: Option<u8>,
}

async fn publish_page(
    state: &AppState,
    token: &FormToken,
    admin: &store::Admin,
    id: &str,
    notice: Option<String>,
    problem: Option<String>,
) -> Result<PublishPage, AppError> {
    let stored = stored_exercise(state, id).await?;
    let lookup = id.to_string();
    let (history, participation) = state
        .blocking(move |store| Ok((store.publications(&lookup)?, store.participation(&lookup)?)))
        .await?;
    let round_title = |round: &str| {
        stored
            .exercise
            .round(round)
            .map_or_else(|| round.to_string(), |found| found.title.clone())
    };
    let answered: Vec<(String, u64)> = stored
        .exercise
        .rounds
        .iter()
        .filter(|round| round.kind.data_kind().is_some())
        .filter_map(|round| {
            let count: u64 = participation
                .iter()
                .filter(|row| row.round == round.id.as_str())
                .map(|row| row.respondents)
                .sum();
            (count > 0).then(|| (round.id.to_string(), count))
        })
        .collect();
    let last = answered.len().saturating_sub(1);
    let rounds = answered
        .iter()
        .enumerate()
        .map(|(index, (round, count))| RoundChoice {
            id: round.clone(),
            label: format!(
                "{} ({} {})",
                round_title(round),
                count,
                if *count == 1 { "answer" } else { "answers" }
            ),
            selected: index == last,
        })
        .collect();
    let current = history
        .iter()
        .find(|publication| publication.withdrawn_at.is_none())
        .map(|publication| Current {
            id: publication.id,
            round: round_title(&publication.round),
            published_on: date_in_words(publication.published_at),
            inputs_sha256: publication.inputs_sha256.clone(),
        });
    let history = history
        .iter()
        .map(|publication| HistoryRow {
            id: publication.id,
            round: round_title(&publication.round),
            published_on: date_in_words(publication.published_at),
            published_by: publication.published_by.clone(),
            inputs_sha256: publication.inputs_sha256.clone(),
            withdrawn_on: publication.withdrawn_at.map(date_in_words),
        })
        .collect();
    let has_problem = problem.is_some();
    Ok(PublishPage {
        layout: Layout {
            title: format!("Publish results: {}", stored.exercise.title),
            csrf: token.token.clone(),
            admin: Some(admin.email.clone()),
            has_errors: has_problem,
        },
        id: id.to_string(),
        title: stored.exercise.title.clone(),
        notice: problem.or(notice),
        current,
        rounds,
        history,
    })
}

/// `GET /admin/e/{exercise}/publish`: what is published now, the history, and the forms to
/// publish a round and to withdraw the results. Leads and owners.
pub async fn publish_get(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    ApiListQuery(query): ApiListQuery<PublishQuery>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    state.authorize(&admin, &id, Permission::Run).await?;
    let notice = if let Some(publication) = query.published {
        Some(format!(
            "Published snapshot {publication}: the public results page now shows it."
        ))
    } else if query.unpublished.is_some() {
        Some(
            "Unpublished: the public results page now says the results are not published."
                .to_string(),
        )
    } else if query.nothing.is_some() {
        Some("Nothing was published, so nothing was unpublished.".to_string())
    } else {
        None
    };
    let page = publish_page(&state, &token, &admin, &id, notice, None).await?;
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `POST /admin/e/{exercise}/publish`: publishes the chosen round's results as a new snapshot.
pub async fn publish_post(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    let back = format!("/admin/e/{id}/publish");
    check_form(&state, &token, &fields, &back)?;
    let SignedIn(admin) = admin?;
    state.authorize(&admin, &id, Permission::Run).await?;
    let round = field(&fields, "round").unwrap_or_default().to_string();
    match super::publish(&state, &id, &round, &admin.email).await {
        Ok((publication, _)) => Ok(see_other(&format!("{back}?published={publication}"))),
        Err(error) if error.status().is_client_error() => {
            let detail = error
                .details()
                .first()
                .map(|detail| detail.detail.clone())
                .unwrap_or_default();
            let problem = if round.is_empty() {
                "Choose the round whose results to publish".to_string()
            } else {
                format!("The results were not published: {detail}")
            };
            let page = publish_page(&state, &token, &admin, &id, None, Some(problem)).await?;
            Ok(render(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                &token,
                &state,
            ))
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /admin/e/{exercise}/unpublish`: withdraws the published results.
pub async fn unpublish_post(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    let back = format!("/admin/e/{id}/publish");
    check_form(&state, &token, &fields, &back)?;
    let SignedIn(admin) = admin?;
    state.authorize(&admin, &id, Permission::Run).await?;
    let (exercise, actor) = (id.clone(), admin.email.clone());
    let withdrawn = state
        .blocking(move |store| store.unpublish(&exercise, &actor))
        .await?;
    Ok(see_other(&if withdrawn {
        format!("{back}?unpublished=1")
    } else {
        format!("{back}?nothing=1")
    }))
}
