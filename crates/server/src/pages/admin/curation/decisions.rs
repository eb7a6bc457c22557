//! Curating a suggest round at volume: the list page (search, filters and paging of the
//! suggestions in their proposed groups), one decision for every suggestion selected (assign,
//! a new item, out of scope, back to undecided, or a second reviewer's mark), and accepting
//! every proposal.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use store::{StoredExercise, StoredReview};
use survey::curation::{CurationView, Review};

use super::capitalise;
use super::list::{
    DecisionForm, PageInput, curate_page, item_title, list_query, slug_id, with_query,
};
use crate::AppState;
use crate::access::Permission;
use crate::curation::{self, DecisionRequest, NewItemRequest};
use crate::curation::{Filters, ListQuery};
use crate::error::AppError;
use crate::pages::admin::{AdminPageResult, AdminRejection, SignedIn, admin_layout, check_form};
use crate::pages::{FieldError, Fields, FormToken, PageResult, field, render, see_other};

/// The curation page's query: the search, filters and page, and what was just done.
#[derive(Debug, Default, Deserialize)]
pub struct CurateQuery {
    #[serde(default)]
    saved: Option<String>,
    /// What the last decision did: `assigned`, `out-of-scope`, `undecided`, `new-item`,
    /// `reviewed`, `queried` or `cleared`.
    #[serde(default)]
    done: Option<String>,
    /// How many suggestions it concerned.
    #[serde(default)]
    count: Option<usize>,
    /// The item they were assigned to.
    #[serde(default)]
    to: Option<String>,
    /// Of a review, how many decisions had no recorded decider.
    #[serde(default)]
    free: Option<usize>,
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    item: Option<String>,
    #[serde(default)]
    confidence: Option<String>,
    #[serde(default)]
    review: Option<String>,
    #[serde(default)]
    page: Option<String>,
    #[serde(default)]
    per_page: Option<String>,
}

impl CurateQuery {
    fn list(&self) -> ListQuery {
        ListQuery {
            q: self.q.clone(),
            status: self.status.clone(),
            group: self.group.clone(),
            item: self.item.clone(),
            confidence: self.confidence.clone(),
            review: self.review.clone(),
            page: self.page.clone(),
            per_page: self.per_page.clone(),
        }
    }

    /// What was just done, in words, made here from the query's parts (never text from the
    /// address as it is).
    fn notice(&self, exercise: &survey::Exercise) -> Option<String> {
        if let Some(saved) = &self.saved {
            let accepted = saved
                .strip_prefix("accepted-")
                .and_then(|count| count.parse::<usize>().ok());
            return Some(match accepted {
                Some(0) => "There were no proposals to accept.".to_string(),
                Some(1) => "1 suggestion assigned to its proposed item.".to_string(),
                Some(count) => format!("{count} suggestions assigned to their proposed items."),
                None => format!("Saved: {}.", saved.replace('-', " ")),
            });
        }
        let count = self.count?;
        let suggestions = if count == 1 {
            "1 suggestion".to_string()
        } else {
            format!("{count} suggestions")
        };
        let done = match self.done.as_deref()? {
            "assigned" => format!(
                "{suggestions} assigned to {}",
                item_title(exercise, self.to.as_deref().unwrap_or_default())
            ),
            "new-item" => format!(
                "{suggestions} assigned to the new item {}",
                item_title(exercise, self.to.as_deref().unwrap_or_default())
            ),
            "out-of-scope" => format!("{suggestions} marked out of scope"),
            "undecided" => format!("{suggestions} back to not yet decided"),
            "reviewed" => format!("{suggestions} marked reviewed"),
            "queried" => format!("{suggestions} queried"),
            "cleared" => format!("{suggestions} no longer marked reviewed or queried"),
            _ => return None,
        };
        Some(match self.free.unwrap_or(0) {
            0 => format!("{done}."),
            free => format!(
                "{done}. {free} of them had no recorded decider, so anyone could check them."
            ),
        })
    }
}

fn curate_layout(
    stored: &StoredExercise,
    token: &FormToken,
    admin: &store::Admin,
    error: bool,
) -> crate::pages::Layout {
    admin_layout(
        &format!("Curate the suggestions: {}", stored.exercise.title),
        token,
        admin,
        error,
    )
}

/// `GET /admin/e/{exercise}/r/{round}/curate`: one page of the suggestions that pass the
/// search and filters, in their proposed groups.
pub async fn curate(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    Query(query): Query<CurateQuery>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    let role = state.authorize(&admin, &id, Permission::Read).await?;
    let (stored, view, reviews) = curation::load_with_reviews(&state, &id, &round).await?;
    let filters = query.list().lenient(&stored.exercise);
    let page = curate_page(PageInput {
        stored: &stored,
        view: &view,
        reviews: &reviews,
        filters: &filters,
        layout: curate_layout(&stored, &token, &admin, false),
        notice: query.notice(&stored.exercise),
        form: DecisionForm::default(),
        errors: Vec::new(),
        read_only: role < store::Role::Lead,
    });
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// The filters a decision form carries (as `list_` fields).
fn carried_filters(fields: &Fields, exercise: &survey::Exercise) -> Filters {
    let value = |name: &str| field(fields, &format!("list_{name}")).map(str::to_string);
    ListQuery {
        q: value("q"),
        status: value("status"),
        group: value("group"),
        item: value("item"),
        confidence: value("confidence"),
        review: value("review"),
        page: value("page"),
        per_page: value("per_page"),
    }
    .lenient(exercise)
}

/// The suggestions a decision form selects: those ticked, and every suggestion that passes
/// the filters of each group selected whole.
fn selected(form: &DecisionForm, view: &CurationView, filters: &Filters) -> Vec<String> {
    let mut ids: Vec<String> = form.ticked.clone();
    for row in &view.suggestions {
        if form.groups.contains(&(row.cluster + 1)) && filters.admits(row) {
            ids.push(row.id.clone());
        }
    }
    curation::distinct(&ids)
}

/// `POST /admin/e/{exercise}/r/{round}/curate`: one decision for every suggestion selected,
/// all of them or none.
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
    let (stored, view, reviews) = curation::load_with_reviews(&state, &id, &round).await?;
    let filters = carried_filters(&fields, &stored.exercise);
    let all = |name: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    };
    let mut form = DecisionForm {
        ticked: all("suggestion"),
        groups: all("select_group")
            .iter()
            .filter_map(|number| number.parse().ok())
            .collect(),
        action: field(&fields, "action").unwrap_or_default().to_string(),
        item: field(&fields, "item").unwrap_or_default().to_string(),
        title: field(&fields, "title").unwrap_or_default().to_string(),
        note: field(&fields, "note").unwrap_or_default().to_string(),
        review_note: field(&fields, "review_note")
            .unwrap_or_default()
            .to_string(),
        ..DecisionForm::default()
    };
    let seen = field(&fields, "proposal_version")
        .and_then(|text| text.parse().ok())
        .unwrap_or(view.proposal_version);
    let version = field(&fields, "version").and_then(|text| text.parse().ok());
    let suggestions = selected(&form, &view, &filters);
    let outcome = if suggestions.is_empty() {
        Err(AppError::field(
            "suggestions",
            "Select at least one suggestion",
        ))
    } else {
        apply(
            &state,
            (&stored, &view),
            &form,
            &suggestions,
            (seen, version),
            &admin.email,
        )
        .await
    };
    match outcome {
        Ok(done) => {
            let mut pairs = list_query(&filters, filters.page);
            pairs.extend(done);
            Ok(see_other(&with_query(&back, &pairs)))
        }
        Err(AppError::Invalid { details, .. }) => {
            let detail = details.into_iter().next();
            let which = detail
                .as_ref()
                .and_then(|detail| detail.field.clone())
                .unwrap_or_default();
            let said = detail.map(|detail| detail.detail).unwrap_or_default();
            let errors = vec![mark_error(&mut form, &which, &said, &view, &filters)];
            Ok(error_page(
                &state,
                &token,
                &admin,
                (&stored, &view, &reviews),
                &filters,
                form,
                errors,
            ))
        }
        Err(AppError::ProposalMoved(conflict)) => Ok(super::accept::moved_page(
            &state,
            &token,
            &admin,
            &stored,
            &round,
            (conflict.seen, conflict.current, &conflict.changes),
            with_query(&back, &list_query(&filters, filters.page)),
        )),
        Err(other) => Err(other.into()),
    }
}

/// Puts an error beside its field of the decision form, in the words of GOV.UK's patterns,
/// and returns it for the summary.
fn mark_error(
    form: &mut DecisionForm,
    which: &str,
    said: &str,
    view: &CurationView,
    filters: &Filters,
) -> FieldError {
    let (anchor, message, slot) = match which {
        "suggestions" => {
            let first = curation::Listing::of(view, filters)
                .rows
                .first()
                .map_or_else(
                    || "action-assign".to_string(),
                    |&index| format!("suggestion-{}", slug_id(&view.suggestions[index].id)),
                );
            let message = if said.starts_with("Select") {
                said.to_string()
            } else {
                capitalise(said)
            };
            (first, message, &mut form.suggestion_error)
        }
        "item" => (
            "item".to_string(),
            "Choose the item the suggestions belong to".to_string(),
            &mut form.item_error,
        ),
        "note" if form.action == "out" => (
            "note".to_string(),
            "Say why the suggestions are out of scope".to_string(),
            &mut form.note_error,
        ),
        "note" => (
            "review-note".to_string(),
            capitalise(said),
            &mut form.review_note_error,
        ),
        "title" => ("title".to_string(), capitalise(said), &mut form.title_error),
        _ => (
            "action-assign".to_string(),
            "Choose what to do with the selected suggestions".to_string(),
            &mut form.action_error,
        ),
    };
    *slot = Some(message.clone());
    FieldError { anchor, message }
}

fn error_page(
    state: &AppState,
    token: &FormToken,
    admin: &store::Admin,
    (stored, view, reviews): (&StoredExercise, &CurationView, &[StoredReview]),
    filters: &Filters,
    form: DecisionForm,
    errors: Vec<FieldError>,
) -> Response {
    let page = curate_page(PageInput {
        stored,
        view,
        reviews,
        filters,
        layout: curate_layout(stored, token, admin, true),
        notice: None,
        form,
        errors,
        read_only: false,
    });
    render(&page, StatusCode::UNPROCESSABLE_ENTITY, token, state)
}

/// Applies the form's action to the selected suggestions; returns the query pairs that say
/// what was done.
async fn apply(
    state: &AppState,
    (stored, view): (&StoredExercise, &CurationView),
    form: &DecisionForm,
    suggestions: &[String],
    (seen, version): (i64, Option<i64>),
    email: &str,
) -> Result<Vec<(String, String)>, AppError> {
    let done = |what: &str, count: usize| {
        vec![
            ("done".to_string(), what.to_string()),
            ("count".to_string(), count.to_string()),
        ]
    };
    match form.action.as_str() {
        "assign" | "out" | "undecided" => {
            let (status, what) = match form.action.as_str() {
                "assign" => ("assigned", "assigned"),
                "out" => ("out-of-scope", "out-of-scope"),
                _ => ("unassigned", "undecided"),
            };
            let request = DecisionRequest {
                status: status.to_string(),
                item: Some(form.item.clone()).filter(|_| form.action == "assign"),
                note: Some(form.note.clone()).filter(|_| form.action == "out"),
            };
            let count =
                curation::decide_many(state, stored, view, suggestions, &request, seen, email)
                    .await?;
            let mut pairs = done(what, count);
            if form.action == "assign" {
                pairs.push(("to".to_string(), form.item.clone()));
            }
            Ok(pairs)
        }
        "new" => {
            curation::check_seen_proposal(view, seen, suggestions)?;
            let request = NewItemRequest {
                title: form.title.clone(),
                description: None,
                theme: None,
                id: None,
                suggestions: suggestions.to_vec(),
                version,
            };
            let change = curation::create_item(state, stored, view, request, email)
                .await
                .map_err(|error| match error {
                    // Every refusal of a new item's wording concerns the title field.
                    AppError::Invalid { details, .. } => AppError::field(
                        "title",
                        details.into_iter().next().map_or_else(
                            || "give the new item's wording".to_string(),
                            |d| d.detail,
                        ),
                    ),
                    other => other,
                })?;
            let mut pairs = done("new-item", suggestions.len());
            pairs.push(("to".to_string(), change.id));
            Ok(pairs)
        }
        "reviewed" | "queried" | "clear-review" => {
            let review = match form.action.as_str() {
                "reviewed" => Some(Review::Reviewed),
                "queried" => Some(Review::Queried),
                _ => None,
            };
            let checked = curation::check_review(
                review.map(Review::as_str),
                Some(form.review_note.as_str()),
            )?;
            let outcome = curation::review_many(state, view, suggestions, checked, email)
                .await
                .map_err(|error| match error {
                    // Self-review is about the suggestions selected: shown beside them.
                    AppError::Conflict(detail) => AppError::field("suggestions", detail),
                    other => other,
                })?;
            let what = review.map_or("cleared", Review::as_str);
            let mut pairs = done(what, outcome.marked);
            if outcome.without_decider > 0 {
                pairs.push(("free".to_string(), outcome.without_decider.to_string()));
            }
            Ok(pairs)
        }
        _ => Err(AppError::field(
            "action",
            "choose what to do with the selected suggestions",
        )),
    }
}

/// `POST /admin/e/{exercise}/r/{round}/curate/accept`: accepts the proposals previewed (see
/// the `accept` module).
pub use super::accept::accept_post;
