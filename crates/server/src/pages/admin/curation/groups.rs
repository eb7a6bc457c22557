//! One proposed group: its suggestions, its proposed item and why, and two forms: split
//! ticked suggestions out into a group of their own, or merge the group with others (by
//! number). Each change is stored as the next proposal version, made by the account, from the
//! version shown (refused, with what moved, when the proposal moved since).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use store::StoredExercise;
use survey::curation::CurationView;

use super::accept::{confidence_words, moved_page};
use crate::AppState;
use crate::access::Permission;
use crate::curation::{self, EditRequest};
use crate::error::AppError;
use crate::pages::admin::{AdminPageResult, AdminRejection, SignedIn, admin_layout, check_form};
use crate::pages::{FieldError, Fields, FormToken, Layout, PageResult, field, render, see_other};

struct GroupLine {
    id: String,
    input_id: String,
    text: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "admin/curate_group.html")]
struct GroupPage {
    layout: Layout,
    read_only: bool,
    id: String,
    round_id: String,
    round_title: String,
    number: usize,
    groups: usize,
    proposal_version: i64,
    proposed: Option<String>,
    confidence: &'static str,
    words: String,
    lines: Vec<GroupLine>,
    notice: Option<String>,
    merge_with: String,
    split_error: Option<String>,
    merge_error: Option<String>,
    errors: Vec<FieldError>,
}

/// What was posted, to show again with its error.
#[derive(Default)]
struct Posted {
    ticked: Vec<String>,
    merge_with: String,
    split_error: Option<String>,
    merge_error: Option<String>,
}

fn group_page(
    stored: &StoredExercise,
    view: &CurationView,
    number: usize,
    layout: Layout,
    posted: Posted,
) -> Result<GroupPage, AppError> {
    let cluster = view
        .clusters
        .get(number.wrapping_sub(1))
        .ok_or_else(|| AppError::NotFound(format!("there is no proposed group {number}")))?;
    let exercise = &stored.exercise;
    let texts: std::collections::HashMap<&str, &str> = view
        .suggestions
        .iter()
        .filter(|row| row.cluster == cluster.cluster)
        .map(|row| (row.id.as_str(), row.text.as_str()))
        .collect();
    let mut errors = Vec::new();
    if let Some(message) = &posted.split_error {
        errors.push(FieldError {
            anchor: "split-suggestions".to_string(),
            message: message.clone(),
        });
    }
    if let Some(message) = &posted.merge_error {
        errors.push(FieldError {
            anchor: "merge-with".to_string(),
            message: message.clone(),
        });
    }
    Ok(GroupPage {
        layout,
        read_only: false,
        id: exercise.id.to_string(),
        round_id: view.round.clone(),
        round_title: exercise
            .round(&view.round)
            .map_or_else(|| view.round.clone(), |found| found.title.clone()),
        number,
        groups: view.clusters.len(),
        proposal_version: view.proposal_version,
        proposed: cluster.proposed_item.as_deref().map(|item| {
            exercise
                .item(item)
                .map_or_else(|| item.to_string(), |found| found.title.clone())
        }),
        confidence: confidence_words(cluster.confidence),
        words: cluster.words.join(", "),
        lines: cluster
            .suggestions
            .iter()
            .enumerate()
            .map(|(index, id)| GroupLine {
                id: id.clone(),
                input_id: if index == 0 {
                    "split-suggestions".to_string()
                } else {
                    format!("split-suggestion-{index}")
                },
                text: texts
                    .get(id.as_str())
                    .copied()
                    .unwrap_or_default()
                    .to_string(),
                checked: posted.ticked.contains(id),
            })
            .collect(),
        notice: None,
        merge_with: posted.merge_with,
        split_error: posted.split_error,
        merge_error: posted.merge_error,
        errors,
    })
}

/// The group page's query: what was just done.
#[derive(Debug, Default, Deserialize)]
pub struct GroupQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// `GET /admin/e/{exercise}/r/{round}/curate/groups/{number}` (numbers from 1).
pub async fn group_page_get(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round, number)): Path<(String, String, usize)>,
    Query(query): Query<GroupQuery>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    let role = state.authorize(&admin, &id, Permission::Read).await?;
    let (stored, view) = curation::load(&state, &id, &round).await?;
    let layout = admin_layout(
        &format!("Proposed group {number}: {}", stored.exercise.title),
        &token,
        &admin,
        false,
    );
    let mut page = group_page(&stored, &view, number, layout, Posted::default())?;
    page.read_only = role < store::Role::Lead;
    page.notice = query.saved.map(|saved| match saved.as_str() {
        "merged" => "Groups merged: this is the merged group.".to_string(),
        _ => "Suggestions split out: this is their new group.".to_string(),
    });
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `POST /admin/e/{exercise}/r/{round}/curate/groups/{number}`: `action` = `split` (the
/// ticked `suggestion`s) or `merge` (with the groups numbered in `merge_with`).
pub async fn group_post(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round, number)): Path<(String, String, usize)>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    let back = format!("/admin/e/{id}/r/{round}/curate/groups/{number}");
    check_form(&state, &token, &fields, &back)?;
    let SignedIn(admin) = admin?;
    state.authorize(&admin, &id, Permission::Run).await?;
    let seen: i64 = field(&fields, "proposal_version")
        .and_then(|text| text.trim().parse().ok())
        .ok_or_else(|| AppError::bad_request("the form names no proposal version"))?;
    let (stored, view) = curation::load(&state, &id, &round).await?;
    if number == 0 || number > view.clusters.len() {
        return Err(AppError::NotFound(format!("there is no proposed group {number}")).into());
    }
    let ticked: Vec<String> = fields
        .iter()
        .filter(|(key, _)| key == "suggestion")
        .map(|(_, value)| value.clone())
        .collect();
    let merge_with = field(&fields, "merge_with").unwrap_or_default().to_string();
    let mut posted = Posted {
        ticked: ticked.clone(),
        merge_with: merge_with.clone(),
        ..Posted::default()
    };
    let action = field(&fields, "action").unwrap_or_default();
    let request = match action {
        "split" if ticked.is_empty() => {
            posted.split_error = Some("Tick the suggestions to split out".to_string());
            None
        }
        "split" => Some(EditRequest::Split(ticked)),
        "merge" => {
            let numbers: Result<Vec<usize>, _> = merge_with
                .split([',', ' ', ';'])
                .filter(|part| !part.trim().is_empty())
                .map(|part| part.trim().parse::<usize>())
                .collect();
            match numbers {
                Ok(numbers)
                    if let Some(&unknown) =
                        numbers.iter().find(|&&n| n == 0 || n > view.clusters.len()) =>
                {
                    posted.merge_error = Some(format!(
                        "There is no group {unknown}: the groups are numbered 1 to {}",
                        view.clusters.len()
                    ));
                    None
                }
                Ok(numbers) if !numbers.is_empty() => {
                    let mut clusters: Vec<usize> = numbers.into_iter().map(|n| n - 1).collect();
                    clusters.push(number - 1);
                    Some(EditRequest::Merge(clusters))
                }
                _ => {
                    posted.merge_error = Some(
                        "Enter the numbers of the groups to merge with, for example 4, 7"
                            .to_string(),
                    );
                    None
                }
            }
        }
        _ => return Err(AppError::bad_request("the form names no action").into()),
    };
    if let Some(request) = request {
        let merging = matches!(request, EditRequest::Merge(_));
        match curation::edit_groups(&state, (&id, &round), seen, request, &admin.email).await {
            Ok(outcome) => {
                let saved = if merging { "merged" } else { "split" };
                return Ok(see_other(&format!(
                    "/admin/e/{id}/r/{round}/curate/groups/{}?saved={saved}",
                    outcome.cluster + 1
                )));
            }
            Err(AppError::ProposalMoved(conflict)) => {
                return Ok(moved_page(
                    &state,
                    &token,
                    &admin,
                    &stored,
                    &round,
                    (conflict.seen, conflict.current, &conflict.changes),
                    back,
                ));
            }
            Err(AppError::Invalid { details, .. }) => {
                let message = details
                    .into_iter()
                    .next()
                    .map_or_else(String::new, |detail| super::capitalise(&detail.detail));
                if merging {
                    posted.merge_error = Some(message);
                } else {
                    posted.split_error = Some(message);
                }
            }
            Err(other) => return Err(other.into()),
        }
    }
    let layout = admin_layout(
        &format!("Proposed group {number}: {}", stored.exercise.title),
        &token,
        &admin,
        true,
    );
    let page = group_page(&stored, &view, number, layout, posted)?;
    Ok(render(
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
        &token,
        &state,
    ))
}
