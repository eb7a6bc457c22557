//! An item's wording and evidence.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use store::StoredExercise;
use survey::curation::Status;

use super::capitalise;
use crate::AppState;
use crate::access::Permission;
use crate::curation::{self, ItemChangeRequest};
use crate::error::AppError;
use crate::handlers::exercises::stored_exercise;
use crate::pages::admin::{AdminPageResult, AdminRejection, SignedIn, admin_layout, check_form};
use crate::pages::{FieldError, Fields, FormToken, Layout, PageResult, field, render, see_other};

// An item's wording and evidence.

#[derive(Template)]
#[template(path = "admin/item.html")]
struct ItemPage {
    layout: Layout,
    /// Advisory members read the page; its form is shown disabled.
    read_only: bool,
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
    let role = state.authorize(&admin, &id, Permission::Read).await?;
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
        read_only: role < store::Role::Lead,
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
    state.authorize(&admin, &id, Permission::Run).await?;
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
                read_only: false,
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
