//! The research lead's curation and shortlisting pages: the suggestions of a suggest round in
//! proposed groups, each group's decision in one form (assign, make a new item, out of scope,
//! undecided), the items with their suggestions and evidence, an item's wording and evidence,
//! and the shortlist preview with the button that makes the next round from it. Every change
//! goes through `crate::curation`, as the API's do.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use store::{Admin, CurationDecision, StoredExercise};
use survey::curation::{CurationView, GroupCounts, Status, SuggestionRow};

use super::{AdminPageResult, AdminRejection, Choice, SignedIn, admin_layout, check_form};
use crate::AppState;
use crate::curation::{
    self, ItemChangeRequest, NewItemRequest, ShortlistPreview, ShortlistRequest,
};
use crate::error::AppError;
use crate::handlers::exercises::stored_exercise;
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

fn curate_page(
    stored: &StoredExercise,
    view: &CurationView,
    layout: Layout,
    notice: Option<String>,
    failed: Option<ClusterForm>,
    errors: Vec<FieldError>,
) -> CuratePage {
    let exercise = &stored.exercise;
    let title_of = |item: &str| {
        exercise
            .item(item)
            .map_or_else(|| item.to_string(), |found| found.title.clone())
    };
    let group_label = |group: &str| {
        exercise
            .group(group)
            .map_or_else(|| group.to_string(), |found| found.label.clone())
    };
    let clusters = view
        .clusters
        .iter()
        .map(|cluster| {
            let number = cluster.cluster + 1;
            let form = failed.as_ref().filter(|form| form.number == number);
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
                proposed: cluster.proposed_item.as_deref().map(title_of),
                rows: rows
                    .iter()
                    .map(|row| SuggestionLine {
                        id: row.id.clone(),
                        input_id: format!("group-{number}-suggestion-{}", slug_id(&row.id)),
                        text: row.text.clone(),
                        group: group_label(&row.group),
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
        })
        .collect();
    CuratePage {
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
                        .map(|(group, count)| format!("{} {count}", group_label(group)))
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
    let page = curate_page(&stored, &view, layout, notice, None, Vec::new());
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
    let outcome: Result<String, (String, &'static str, String)> = match form.action.as_str() {
        _ if !errors.is_empty() => Err((String::new(), "", String::new())),
        "assign" | "out" | "undecided" => {
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
                match curation::check_decision(&stored.exercise, &view, suggestion, &request) {
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
                    Err((anchor, slot, message))
                }
                Some(other) => return Err(other.into()),
                None => {
                    let count = decisions.len();
                    curation::record(&state, &id, &round, decisions, &admin.email).await?;
                    Ok(format!(
                        "{count}-{}",
                        match form.action.as_str() {
                            "assign" => "assigned",
                            "out" => "out-of-scope",
                            _ => "undecided",
                        }
                    ))
                }
            }
        }
        "new" => {
            let request = NewItemRequest {
                title: form.title.clone(),
                description: None,
                theme: None,
                id: None,
                suggestions: form.ticked.clone(),
                version,
            };
            match curation::create_item(&state, &stored, &view, request, &admin.email).await {
                Ok(change) => Ok(format!("new-item-{}", change.id)),
                Err(AppError::Invalid { details, .. }) => Err((
                    format!("group-{number}-title"),
                    "title",
                    details.into_iter().next().map_or_else(
                        || "Give the new item's wording".to_string(),
                        |detail| capitalise(&detail.detail),
                    ),
                )),
                Err(other) => return Err(other.into()),
            }
        }
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

fn capitalise(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

fn lower_first(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_lowercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// `POST /admin/e/{exercise}/r/{round}/curate/accept`: accepts every proposal.
pub async fn accept_post(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    let back = format!("/admin/e/{id}/r/{round}/curate");
    check_form(&state, &token, &fields, &back)?;
    let SignedIn(admin) = admin?;
    let (_, view) = curation::load(&state, &id, &round).await?;
    let accepted = curation::accept(&state, &view, None, &admin.email).await?;
    Ok(see_other(&format!("{back}?saved=accepted-{accepted}")))
}

// ---------------------------------------------------------------------------------------------
// An item's wording and evidence.

#[derive(Template)]
#[template(path = "admin/item.html")]
struct ItemPage {
    layout: Layout,
    id: String,
    item: String,
    current_title: String,
    version: i64,
    from: String,
    back: String,
    suggestions: usize,
    title: String,
    description: String,
    evidence: String,
    answered: bool,
    title_error: Option<String>,
    evidence_error: Option<String>,
    errors: Vec<FieldError>,
}

/// The item page's query: the curation page to go back to.
#[derive(Debug, Default, Deserialize)]
pub struct ItemQuery {
    #[serde(default)]
    from: Option<String>,
}

fn back_to(id: &str, from: &str) -> String {
    if from.is_empty() {
        format!("/admin/e/{id}")
    } else {
        format!("/admin/e/{id}/r/{from}/curate")
    }
}

async fn item_suggestions(state: &AppState, stored: &StoredExercise, item: &str) -> usize {
    let id = stored.exercise.id.to_string();
    let rounds: Vec<String> = stored
        .exercise
        .rounds
        .iter()
        .filter(|round| matches!(round.kind, survey::RoundKind::Suggest { .. }))
        .map(|round| round.id.to_string())
        .collect();
    let item = item.to_string();
    state
        .blocking(move |store| {
            let mut count = 0;
            for round in &rounds {
                count += store
                    .curation(&id, round)?
                    .iter()
                    .filter(|d| d.status == Status::Assigned && d.item.as_deref() == Some(&item))
                    .count();
            }
            Ok(count)
        })
        .await
        .unwrap_or(0)
}

/// `GET /admin/e/{exercise}/items/{item}`.
pub async fn item(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, item)): Path<(String, String)>,
    Query(query): Query<ItemQuery>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    let stored = stored_exercise(&state, &id).await?;
    let found = stored
        .exercise
        .item(&item)
        .ok_or_else(|| AppError::NotFound(format!("there is no item `{item}`")))?
        .clone();
    let from = query.from.unwrap_or_default();
    let from = if stored.exercise.round(&from).is_some() {
        from
    } else {
        String::new()
    };
    let page = ItemPage {
        layout: admin_layout(
            &format!("Edit the item: {}", found.title),
            &token,
            &admin,
            false,
        ),
        id: id.clone(),
        item: item.clone(),
        current_title: found.title.clone(),
        version: stored.version,
        back: back_to(&id, &from),
        from,
        suggestions: item_suggestions(&state, &stored, &item).await,
        title: found.title,
        description: found.description.unwrap_or_default(),
        evidence: found.evidence.unwrap_or_default(),
        answered: found.answered,
        title_error: None,
        evidence_error: None,
        errors: Vec::new(),
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `POST /admin/e/{exercise}/items/{item}`.
pub async fn item_post(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, item)): Path<(String, String)>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    let from = field(&fields, "from").unwrap_or_default().to_string();
    let back = back_to(&id, &from);
    check_form(&state, &token, &fields, &back)?;
    let SignedIn(admin) = admin?;
    let stored = stored_exercise(&state, &id).await?;
    let found = stored
        .exercise
        .item(&item)
        .ok_or_else(|| AppError::NotFound(format!("there is no item `{item}`")))?
        .clone();
    let title = field(&fields, "title").unwrap_or_default().to_string();
    let description = field(&fields, "description")
        .unwrap_or_default()
        .to_string();
    let evidence = field(&fields, "evidence").unwrap_or_default().to_string();
    let answered = field(&fields, "answered") == Some("yes");
    let request = ItemChangeRequest {
        title: Some(title.clone()),
        description: Some(description.clone()),
        evidence: Some(evidence.clone()),
        answered: Some(answered),
        version: field(&fields, "version").and_then(|text| text.parse().ok()),
    };
    match curation::change_item(&state, &stored, &item, request, &admin.email).await {
        Ok(_) => Ok(see_other(&back)),
        Err(AppError::Invalid { details, .. }) => {
            let message = details
                .into_iter()
                .next()
                .map_or_else(String::new, |detail| detail.detail);
            let (title_error, evidence_error, anchor, shown) = if message.contains("title") {
                (
                    Some("Enter the item's wording".to_string()),
                    None,
                    "title",
                    "Enter the item's wording".to_string(),
                )
            } else if message.contains("evidence") {
                let text = "Give the evidence that answers the item, or untick the box".to_string();
                (None, Some(text.clone()), "evidence", text)
            } else {
                let text = capitalise(&message);
                (Some(text.clone()), None, "title", text)
            };
            let page = ItemPage {
                layout: admin_layout(
                    &format!("Edit the item: {}", found.title),
                    &token,
                    &admin,
                    true,
                ),
                id: id.clone(),
                item: item.clone(),
                current_title: found.title.clone(),
                version: stored.version,
                back,
                from,
                suggestions: item_suggestions(&state, &stored, &item).await,
                title,
                description,
                evidence,
                answered,
                title_error,
                evidence_error,
                errors: vec![FieldError {
                    anchor: anchor.to_string(),
                    message: shown,
                }],
            };
            Ok(render(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                &token,
                &state,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
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
        rules: [
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
        .collect(),
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
    let mut status = StatusCode::OK;
    let mut field_errors: Vec<(String, String)> = problems
        .into_iter()
        .map(|(name, message)| (name.to_string(), message))
        .collect();
    if field_errors.is_empty() && (asked || submitted_error.is_some()) {
        let outcome = match submitted_error {
            Some(error) => Err(error),
            None => curation::preview(state, id, round, &request).await,
        };
        match outcome {
            Ok(preview) => {
                let target = preview.into.as_deref().and_then(|into| {
                    let draft = stored.rounds.iter().any(|status| {
                        status.round == into && status.state == store::RoundState::Draft
                    });
                    exercise.round(into).filter(|_| draft)
                });
                page.into_title = target.map(|round| round.title.clone());
                page.preview = Some(preview);
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
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(AppError::Conflict(problem)) => {
                page.problem = Some(capitalise(&problem));
                status = StatusCode::CONFLICT;
            }
            Err(other) => return Err(other),
        }
    }
    for (name, message) in field_errors {
        status = StatusCode::UNPROCESSABLE_ENTITY;
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
    let (page, status) = shortlist_page(&state, &token, &admin, &id, &round, query, None).await?;
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
