//! Shortlisting: the rule form, the preview and making the next round from it.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use store::{Admin, StoredExercise};

use super::capitalise;
use crate::AppState;
use crate::access::Permission;
use crate::curation::{self, ShortlistPreview, ShortlistRequest};
use crate::error::AppError;
use crate::handlers::exercises::stored_exercise;
use crate::pages::admin::{
    AdminPageResult, AdminRejection, Choice, SignedIn, admin_layout, check_form,
};
use crate::pages::{FieldError, Fields, FormToken, Layout, PageResult, field, render, see_other};

// Shortlisting.

struct RuleOption {
    value: &'static str,
    input_id: &'static str,
    label: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "admin/shortlist.html")]
struct ShortlistPage {
    layout: Layout,
    /// Advisory members may preview a rule but not make the next round.
    read_only: bool,
    id: String,
    exercise_title: String,
    round_id: String,
    round_title: String,
    rules: Vec<RuleOption>,
    rule: String,
    k: String,
    j: String,
    group: String,
    groups: Vec<Choice>,
    preview: Option<ShortlistPreview>,
    into_title: Option<String>,
    problem: Option<String>,
    rule_error: Option<String>,
    k_error: Option<String>,
    j_error: Option<String>,
    group_error: Option<String>,
    errors: Vec<FieldError>,
}

/// The shortlist page's query: the rule, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ShortlistQuery {
    #[serde(default)]
    rule: Option<String>,
    #[serde(default)]
    k: Option<String>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    j: Option<String>,
}

/// The request a shortlist form asks for, or the field errors.
fn shortlist_request(query: &ShortlistQuery) -> (ShortlistRequest, Vec<(&'static str, String)>) {
    let mut problems = Vec::new();
    let mut number = |name: &'static str, text: Option<&str>, default: usize| match text
        .map(str::trim)
        .filter(|text| !text.is_empty())
    {
        None => Some(default),
        Some(text) => match text.parse::<usize>() {
            Ok(value) if value >= 1 => Some(value),
            _ => {
                problems.push((name, format!("Enter {name} as a whole number, 1 or more")));
                None
            }
        },
    };
    let k = number("k", query.k.as_deref(), 10);
    let j = number("j", query.j.as_deref(), 3);
    (
        ShortlistRequest {
            rule: query.rule.clone().filter(|rule| !rule.is_empty()),
            k,
            group: query.group.clone().filter(|group| !group.is_empty()),
            j,
            ..ShortlistRequest::default()
        },
        problems,
    )
}

async fn shortlist_page(
    state: &AppState,
    token: &FormToken,
    admin: &Admin,
    id: &str,
    round: &str,
    query: ShortlistQuery,
    submitted_error: Option<AppError>,
) -> Result<(ShortlistPage, StatusCode), AppError> {
    let stored = stored_exercise(state, id).await?;
    let exercise = &stored.exercise;
    let round_definition = exercise
        .round(round)
        .ok_or_else(|| AppError::NotFound(format!("there is no round `{round}`")))?;
    let asked = query.rule.is_some();
    let rule = query.rule.clone().unwrap_or_else(|| "top".to_string());
    let (request, problems) = shortlist_request(&query);
    let mut page = ShortlistPage {
        read_only: false,
        layout: admin_layout(
            &format!("Shortlist: {}", exercise.title),
            token,
            admin,
            false,
        ),
        id: id.to_string(),
        exercise_title: exercise.title.clone(),
        round_id: round.to_string(),
        round_title: round_definition.title.clone(),
        rules: rule_options(&rule),
        rule: rule.clone(),
        k: query.k.clone().unwrap_or_else(|| "10".to_string()),
        j: query.j.clone().unwrap_or_else(|| "3".to_string()),
        group: query.group.clone().unwrap_or_default(),
        groups: exercise
            .groups
            .iter()
            .map(|group| Choice {
                value: group.id.to_string(),
                label: group.label.clone(),
                selected: query.group.as_deref() == Some(group.id.as_str()),
            })
            .collect(),
        preview: None,
        into_title: None,
        problem: None,
        rule_error: None,
        k_error: None,
        j_error: None,
        group_error: None,
        errors: Vec::new(),
    };
    let mut field_errors: Vec<(String, String)> = problems
        .into_iter()
        .map(|(name, message)| (name.to_string(), message))
        .collect();
    let mut status = StatusCode::OK;
    if field_errors.is_empty() && (asked || submitted_error.is_some()) {
        status = add_preview(
            state,
            &stored,
            &mut page,
            &request,
            submitted_error,
            &mut field_errors,
        )
        .await?;
    }
    if !field_errors.is_empty() {
        status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    add_field_errors(&mut page, field_errors);
    page.layout.has_errors = !page.errors.is_empty();
    Ok((page, status))
}

/// `GET /admin/e/{exercise}/r/{round}/shortlist`: the rule form and, once asked, the preview.
pub async fn shortlist(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    Query(query): Query<ShortlistQuery>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    let role = state.authorize(&admin, &id, Permission::Read).await?;
    let (mut page, status) =
        shortlist_page(&state, &token, &admin, &id, &round, query, None).await?;
    page.read_only = role < store::Role::Lead;
    Ok(render(&page, status, &token, &state))
}

/// `POST /admin/e/{exercise}/r/{round}/shortlist`: makes the next round from the shortlist.
pub async fn shortlist_post(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    check_form(
        &state,
        &token,
        &fields,
        &format!("/admin/e/{id}/r/{round}/shortlist"),
    )?;
    let SignedIn(admin) = admin?;
    state.authorize(&admin, &id, Permission::Run).await?;
    let query = ShortlistQuery {
        rule: field(&fields, "rule").map(str::to_string),
        k: field(&fields, "k").map(str::to_string),
        group: field(&fields, "group").map(str::to_string),
        j: field(&fields, "j").map(str::to_string),
    };
    let (mut request, problems) = shortlist_request(&query);
    request.version = field(&fields, "version").and_then(|text| text.parse().ok());
    if problems.is_empty() {
        match curation::apply(&state, &id, &round, &request, &admin.email).await {
            Ok(_) => return Ok(see_other(&format!("/admin/e/{id}"))),
            Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
                let (page, status) =
                    shortlist_page(&state, &token, &admin, &id, &round, query, Some(error)).await?;
                return Ok(render(&page, status, &token, &state));
            }
            Err(other) => return Err(other.into()),
        }
    }
    let (page, status) = shortlist_page(&state, &token, &admin, &id, &round, query, None).await?;
    Ok(render(&page, status, &token, &state))
}

/// The three rules, with `rule` checked.
fn rule_options(rule: &str) -> Vec<RuleOption> {
    [
        ("top", "rule-top", "The top k overall"),
        (
            "group-union",
            "rule-group-union",
            "Every item in the top k of any group",
        ),
        (
            "protected",
            "rule-protected",
            "The top k overall and the top j of a protected group",
        ),
    ]
    .into_iter()
    .map(|(value, input_id, label)| RuleOption {
        value,
        input_id,
        label,
        checked: value == rule,
    })
    .collect()
}

/// Puts the preview on the page, or what is wrong with the rule (field problems added to
/// `field_errors`); the status to answer with.
async fn add_preview(
    state: &AppState,
    stored: &StoredExercise,
    page: &mut ShortlistPage,
    request: &ShortlistRequest,
    submitted_error: Option<AppError>,
    field_errors: &mut Vec<(String, String)>,
) -> Result<StatusCode, AppError> {
    let outcome = match submitted_error {
        Some(error) => Err(error),
        None => curation::preview(state, &page.id, &page.round_id, request).await,
    };
    match outcome {
        Ok(preview) => {
            let target = preview.into.as_deref().and_then(|into| {
                let draft = stored
                    .rounds
                    .iter()
                    .any(|status| status.round == into && status.state == store::RoundState::Draft);
                stored.exercise.round(into).filter(|_| draft)
            });
            page.into_title = target.map(|round| round.title.clone());
            page.preview = Some(preview);
            Ok(StatusCode::OK)
        }
        Err(AppError::Invalid { details, .. }) => {
            for detail in details {
                match detail.field.as_deref() {
                    Some(name @ ("rule" | "k" | "j" | "group")) => {
                        field_errors.push((name.to_string(), capitalise(&detail.detail)));
                    }
                    _ => page.problem = Some(capitalise(&detail.detail)),
                }
            }
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AppError::Conflict(problem)) => {
            page.problem = Some(capitalise(&problem));
            Ok(StatusCode::CONFLICT)
        }
        Err(other) => Err(other),
    }
}

/// Shows each field's error beside it and in the summary.
fn add_field_errors(page: &mut ShortlistPage, field_errors: Vec<(String, String)>) {
    for (name, message) in field_errors {
        let anchor = match name.as_str() {
            "rule" => "rule-top".to_string(),
            other => other.to_string(),
        };
        page.errors.push(FieldError {
            anchor,
            message: message.clone(),
        });
        match name.as_str() {
            "rule" => page.rule_error = Some(message),
            "k" => page.k_error = Some(message),
            "j" => page.j_error = Some(message),
            _ => page.group_error = Some(message),
        }
    }
}
