//! Curating a suggest round: the proposed groups, each group's decision, and accepting every
//! proposal.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use store::{CurationDecision, StoredExercise};
use survey::curation::{CurationView, GroupCounts, Status, SuggestionRow};

use super::capitalise;
use crate::AppState;
use crate::access::Permission;
use crate::curation::{self, NewItemRequest};
use crate::error::AppError;
use crate::pages::admin::{
    AdminPageResult, AdminRejection, Choice, SignedIn, admin_layout, check_form,
};
use crate::pages::{FieldError, Fields, FormToken, Layout, PageResult, field, render, see_other};

/// What a group's form says, kept to show again with its errors.
#[derive(Debug, Default, Clone)]
struct ClusterForm {
    number: usize,
    ticked: Vec<String>,
    action: String,
    item: String,
    title: String,
    note: String,
    suggestion_error: Option<String>,
    action_error: Option<String>,
    item_error: Option<String>,
    title_error: Option<String>,
    note_error: Option<String>,
}

struct SuggestionLine {
    id: String,
    input_id: String,
    text: String,
    group: String,
    status: String,
    checked: bool,
}

struct ClusterBlock {
    number: usize,
    proposed: Option<String>,
    rows: Vec<SuggestionLine>,
    items: Vec<Choice>,
    action: String,
    title: String,
    note: String,
    suggestion_error: Option<String>,
    action_error: Option<String>,
    item_error: Option<String>,
    title_error: Option<String>,
    note_error: Option<String>,
}

struct ItemLine {
    item: String,
    title: String,
    suggestions: usize,
    by_group: String,
    evidence: Option<String>,
    answered: bool,
}

#[derive(Template)]
#[template(path = "admin/curate.html")]
struct CuratePage {
    layout: Layout,
    /// Advisory members read the page; its forms are shown disabled.
    read_only: bool,
    id: String,
    exercise_title: String,
    round_id: String,
    round_title: String,
    version: i64,
    notice: Option<String>,
    total: usize,
    assigned: usize,
    out_of_scope: usize,
    undecided: usize,
    acceptable: usize,
    groups: Vec<GroupCounts>,
    clusters: Vec<ClusterBlock>,
    items: Vec<ItemLine>,
    errors: Vec<FieldError>,
}

fn status_words(status: Status, item: Option<&str>, stored: &StoredExercise) -> String {
    match status {
        Status::Assigned => {
            let title = item
                .and_then(|item| stored.exercise.item(item))
                .map_or("an item", |item| item.title.as_str());
            format!("assigned to {title}")
        }
        Status::OutOfScope => "out of scope".to_string(),
        _ => "not yet decided".to_string(),
    }
}

/// The curation page: every proposed group with its form (`failed` filled in again with its
/// errors), and the items with their suggestions.
fn curate_page(
    stored: &StoredExercise,
    view: &CurationView,
    layout: Layout,
    notice: Option<String>,
    failed: Option<ClusterForm>,
    errors: Vec<FieldError>,
) -> CuratePage {
    let exercise = &stored.exercise;
    let clusters = view
        .clusters
        .iter()
        .map(|cluster| cluster_block(stored, view, cluster, failed.as_ref()))
        .collect();
    CuratePage {
        read_only: false,
        layout,
        id: exercise.id.to_string(),
        exercise_title: exercise.title.clone(),
        round_id: view.round.clone(),
        round_title: exercise
            .round(&view.round)
            .map_or_else(|| view.round.clone(), |round| round.title.clone()),
        version: view.version,
        notice,
        total: view.total,
        assigned: view.assigned,
        out_of_scope: view.out_of_scope,
        undecided: view.undecided,
        acceptable: view.acceptable(),
        groups: view.groups.clone(),
        clusters,
        items: view
            .items
            .iter()
            .map(|item| ItemLine {
                item: item.item.clone(),
                title: item.title.clone(),
                suggestions: item.suggestions,
                by_group: if item.by_group.is_empty() {
                    "none".to_string()
                } else {
                    item.by_group
                        .iter()
                        .map(|(group, count)| format!("{} {count}", group_label(exercise, group)))
                        .collect::<Vec<_>>()
                        .join("; ")
                },
                evidence: item.evidence.clone(),
                answered: item.answered,
            })
            .collect(),
        errors,
    }
}

/// An item's title, or its id when the definition has no such item.
fn item_title(exercise: &survey::Exercise, item: &str) -> String {
    exercise
        .item(item)
        .map_or_else(|| item.to_string(), |found| found.title.clone())
}

/// A group's label, or its id when the definition has no such group.
fn group_label(exercise: &survey::Exercise, group: &str) -> String {
    exercise
        .group(group)
        .map_or_else(|| group.to_string(), |found| found.label.clone())
}

/// One proposed group: its suggestions and its form, as posted when `failed` is this group's.
fn cluster_block(
    stored: &StoredExercise,
    view: &CurationView,
    cluster: &survey::curation::ClusterRow,
    failed: Option<&ClusterForm>,
) -> ClusterBlock {
    let exercise = &stored.exercise;
    let number = cluster.cluster + 1;
    let form = failed.filter(|form| form.number == number);
    let rows: Vec<&SuggestionRow> = view
        .suggestions
        .iter()
        .filter(|row| row.cluster == cluster.cluster)
        .collect();
    let default_item = rows
        .iter()
        .find_map(|row| row.item.clone())
        .or_else(|| cluster.proposed_item.clone())
        .unwrap_or_default();
    let chosen_item = form.map_or(default_item, |form| form.item.clone());
    ClusterBlock {
        number,
        proposed: cluster
            .proposed_item
            .as_deref()
            .map(|item| item_title(exercise, item)),
        rows: rows
            .iter()
            .map(|row| SuggestionLine {
                id: row.id.clone(),
                input_id: format!("group-{number}-suggestion-{}", slug_id(&row.id)),
                text: row.text.clone(),
                group: group_label(exercise, &row.group),
                status: status_words(row.status, row.item.as_deref(), stored),
                checked: match form {
                    Some(form) => form.ticked.contains(&row.id),
                    None => row.status == Status::Unassigned,
                },
            })
            .collect(),
        items: exercise
            .items
            .iter()
            .map(|item| Choice {
                value: item.id.to_string(),
                label: item.title.clone(),
                selected: item.id.as_str() == chosen_item,
            })
            .collect(),
        action: form.map_or_else(
            || {
                if cluster.proposed_item.is_some() {
                    "assign".to_string()
                } else {
                    String::new()
                }
            },
            |form| form.action.clone(),
        ),
        title: form.map_or_else(
            || {
                if cluster.proposed_item.is_none() {
                    rows.first().map(|row| row.text.clone()).unwrap_or_default()
                } else {
                    String::new()
                }
            },
            |form| form.title.clone(),
        ),
        note: form.map_or_else(String::new, |form| form.note.clone()),
        suggestion_error: form.and_then(|form| form.suggestion_error.clone()),
        action_error: form.and_then(|form| form.action_error.clone()),
        item_error: form.and_then(|form| form.item_error.clone()),
        title_error: form.and_then(|form| form.title_error.clone()),
        note_error: form.and_then(|form| form.note_error.clone()),
    }
}

/// A suggestion id (`RESPONDENT:N`) as part of an HTML id.
fn slug_id(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// The curation page's query: what was just saved.
#[derive(Debug, Default, Deserialize)]
pub struct CurateQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// `GET /admin/e/{exercise}/r/{round}/curate`.
pub async fn curate(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    Query(query): Query<CurateQuery>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    let role = state.authorize(&admin, &id, Permission::Read).await?;
    let (stored, view) = curation::load(&state, &id, &round).await?;
    let layout = admin_layout(
        &format!("Curate the suggestions: {}", stored.exercise.title),
        &token,
        &admin,
        false,
    );
    let notice = query.saved.map(|saved| match saved.as_str() {
        "accepted-0" => "There were no proposals to accept.".to_string(),
        other => format!("Saved: {}.", other.replace('-', " ")),
    });
    let mut page = curate_page(&stored, &view, layout, notice, None, Vec::new());
    page.read_only = role < store::Role::Lead;
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `POST /admin/e/{exercise}/r/{round}/curate`: one proposed group's decision.
pub async fn curate_post(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    let back = format!("/admin/e/{id}/r/{round}/curate");
    check_form(&state, &token, &fields, &back)?;
    let SignedIn(admin) = admin?;
    state.authorize(&admin, &id, Permission::Run).await?;
    let (stored, view) = curation::load(&state, &id, &round).await?;
    let number: usize = field(&fields, "cluster")
        .and_then(|text| text.parse().ok())
        .filter(|&number| number >= 1 && number <= view.clusters.len())
        .ok_or_else(|| AppError::bad_request("the form names no proposed group"))?;
    let mut form = ClusterForm {
        number,
        ticked: fields
            .iter()
            .filter(|(key, _)| key == "suggestion")
            .map(|(_, value)| value.clone())
            .collect(),
        action: field(&fields, "action").unwrap_or_default().to_string(),
        item: field(&fields, "item").unwrap_or_default().to_string(),
        title: field(&fields, "title").unwrap_or_default().to_string(),
        note: field(&fields, "note").unwrap_or_default().to_string(),
        ..ClusterForm::default()
    };
    let version = field(&fields, "version").and_then(|text| text.parse().ok());
    let mut errors = Vec::new();
    if form.ticked.is_empty() {
        // The same words beside the field and in the summary (GOV.UK), naming the group
        // because the page holds one form per group.
        let message = format!("Group {number}: tick at least one suggestion");
        form.suggestion_error = Some(message.clone());
        errors.push(FieldError {
            anchor: format!(
                "group-{number}-suggestion-{}",
                slug_id(&view.clusters[number - 1].suggestions[0])
            ),
            message,
        });
    }
    let outcome = match form.action.as_str() {
        _ if !errors.is_empty() => Err((String::new(), "", String::new())),
        "assign" | "out" | "undecided" => {
            record_decisions(&state, &stored, &view, &form, (&id, &round), &admin.email).await?
        }
        "new" => make_item(&state, &stored, &view, &form, version, &admin.email).await?,
        _ => Err((
            format!("group-{number}-assign"),
            "action",
            "Choose what to do with the ticked suggestions".to_string(),
        )),
    };
    match outcome {
        Ok(saved) => Ok(see_other(&format!("{back}?saved={saved}#group-{number}"))),
        Err((anchor, slot, message)) => {
            if !slot.is_empty() {
                let labelled = format!("Group {number}: {}", lower_first(&message));
                let beside = Some(labelled.clone());
                match slot {
                    "item" => form.item_error = beside,
                    "note" => form.note_error = beside,
                    "title" => form.title_error = beside,
                    _ => form.action_error = beside,
                }
                errors.push(FieldError {
                    anchor,
                    message: labelled,
                });
            }
            let layout = admin_layout(
                &format!("Curate the suggestions: {}", stored.exercise.title),
                &token,
                &admin,
                true,
            );
            let page = curate_page(&stored, &view, layout, None, Some(form), errors);
            Ok(render(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                &token,
                &state,
            ))
        }
    }
}

fn lower_first(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_lowercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// `POST /admin/e/{exercise}/r/{round}/curate/accept`: accepts the proposals previewed (see
/// the `accept` module, which the proposals part of issue 17 owns).
pub use super::accept::accept_post;

// ---------------------------------------------------------------------------------------------

/// Where a group's decision went: the `saved` words for the page, or the field to mark with its
/// slot and message.
type Outcome = Result<String, (String, &'static str, String)>;

/// Records the ticked suggestions as assigned, out of scope or undecided, if every decision
/// is valid.
async fn record_decisions(
    state: &AppState,
    stored: &StoredExercise,
    view: &CurationView,
    form: &ClusterForm,
    (id, round): (&str, &str),
    email: &str,
) -> Result<Outcome, AppError> {
    let number = form.number;
    let request = curation::DecisionRequest {
        status: match form.action.as_str() {
            "assign" => Status::Assigned,
            "out" => Status::OutOfScope,
            _ => Status::Unassigned,
        }
        .as_str()
        .to_string(),
        item: Some(form.item.clone()),
        note: Some(form.note.clone()),
    };
    let mut decisions: Vec<CurationDecision> = Vec::new();
    let mut problem = None;
    for suggestion in &form.ticked {
        match curation::check_decision(&stored.exercise, view, suggestion, &request) {
            Ok(decision) => decisions.push(decision),
            Err(error) => {
                problem = Some(error);
                break;
            }
        }
    }
    match problem {
        Some(AppError::Invalid { details, .. }) => {
            let detail = details.into_iter().next();
            let which = detail
                .as_ref()
                .and_then(|detail| detail.field.clone())
                .unwrap_or_default();
            let (anchor, slot) = match which.as_str() {
                "item" => (format!("group-{number}-item"), "item"),
                _ => (format!("group-{number}-note"), "note"),
            };
            let message = match slot {
                "item" => "Choose the item the suggestions belong to".to_string(),
                _ => "Say why the suggestions are out of scope".to_string(),
            };
            Ok(Err((anchor, slot, message)))
        }
        Some(other) => Err(other),
        None => {
            let count = decisions.len();
            curation::record(state, id, round, decisions, email).await?;
            Ok(Ok(format!(
                "{count}-{}",
                match form.action.as_str() {
                    "assign" => "assigned",
                    "out" => "out-of-scope",
                    _ => "undecided",
                }
            )))
        }
    }
}

/// Makes a new item from the ticked suggestions.
async fn make_item(
    state: &AppState,
    stored: &StoredExercise,
    view: &CurationView,
    form: &ClusterForm,
    version: Option<i64>,
    email: &str,
) -> Result<Outcome, AppError> {
    let number = form.number;
    let request = NewItemRequest {
        title: form.title.clone(),
        description: None,
        theme: None,
        id: None,
        suggestions: form.ticked.clone(),
        version,
    };
    match curation::create_item(state, stored, view, request, email).await {
        Ok(change) => Ok(Ok(format!("new-item-{}", change.id))),
        Err(AppError::Invalid { details, .. }) => Ok(Err((
            format!("group-{number}-title"),
            "title",
            details.into_iter().next().map_or_else(
                || "Give the new item's wording".to_string(),
                |detail| capitalise(&detail.detail),
            ),
        ))),
        Err(other) => Err(other),
    }
}
