//! "Accept all" in two steps: a preview of what accepting the proposals does (per proposed
//! item, how many suggestions go to it and which, how sure, and what is left for a person),
//! then the button that applies exactly that proposal version. When the proposal moved since
//! the preview for the suggestions concerned, nothing is filed and a page says what moved.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use store::StoredExercise;
use survey::curation::{MatchConfidence, ProposalChange};

use crate::AppState;
use crate::access::Permission;
use crate::curation::{self, AcceptPreview};
use crate::error::AppError;
use crate::pages::admin::{AdminPageResult, AdminRejection, SignedIn, admin_layout, check_form};
use crate::pages::{Fields, FormToken, Layout, PageResult, field, render, see_other};

/// How sure a match is, in words.
pub(super) fn confidence_words(confidence: Option<MatchConfidence>) -> &'static str {
    match confidence {
        Some(MatchConfidence::High) => "high confidence",
        Some(MatchConfidence::Medium) => "medium confidence",
        Some(MatchConfidence::Low) => "low confidence: check",
        None => "no item proposed",
    }
}

/// A proposed item and what would go to it.
struct ItemBlock {
    title: String,
    count: usize,
    confidence: &'static str,
    texts: Vec<String>,
}

/// A suggestion left for a person, with what was proposed for it.
struct LeftLine {
    text: String,
    proposed: String,
}

#[derive(Template)]
#[template(path = "admin/curate_accept.html")]
struct AcceptPage {
    layout: Layout,
    id: String,
    exercise_title: String,
    round_id: String,
    round_title: String,
    proposal_version: i64,
    to_assign: usize,
    already_decided: usize,
    items: Vec<ItemBlock>,
    low: Vec<LeftLine>,
    without: Vec<String>,
}

impl AcceptPage {
    fn new(
        stored: &StoredExercise,
        round: &str,
        layout: Layout,
        preview: AcceptPreview,
    ) -> AcceptPage {
        let exercise = &stored.exercise;
        AcceptPage {
            layout,
            id: exercise.id.to_string(),
            exercise_title: exercise.title.clone(),
            round_id: round.to_string(),
            round_title: exercise
                .round(round)
                .map_or_else(|| round.to_string(), |found| found.title.clone()),
            proposal_version: preview.proposal_version,
            to_assign: preview.to_assign,
            already_decided: preview.already_decided,
            items: preview
                .items
                .into_iter()
                .map(|item| ItemBlock {
                    title: item.title,
                    count: item.suggestions.len(),
                    confidence: confidence_words(Some(item.confidence)),
                    texts: item.suggestions.into_iter().map(|line| line.text).collect(),
                })
                .collect(),
            low: preview
                .low_confidence
                .into_iter()
                .map(|line| LeftLine {
                    proposed: proposal_words(
                        exercise,
                        line.proposed_item.as_deref(),
                        line.confidence,
                    ),
                    text: line.text,
                })
                .collect(),
            without: preview
                .without_item
                .into_iter()
                .map(|line| line.text)
                .collect(),
        }
    }
}

/// One moved suggestion, in words.
struct MovedLine {
    text: String,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "admin/curate_moved.html")]
struct MovedPage {
    layout: Layout,
    id: String,
    exercise_title: String,
    round_id: String,
    seen: i64,
    current: i64,
    lines: Vec<MovedLine>,
    review_href: String,
}

/// A proposal in words: the item's title and how sure, or that none was proposed.
fn proposal_words(
    exercise: &survey::Exercise,
    item: Option<&str>,
    confidence: Option<MatchConfidence>,
) -> String {
    match item {
        None => "no item".to_string(),
        Some(item) => format!(
            "{} ({})",
            exercise
                .item(item)
                .map_or_else(|| item.to_string(), |found| found.title.clone()),
            confidence_words(confidence)
        ),
    }
}

/// The page that says a decision was refused because the proposal moved, listing what moved
/// in words, with a way to review the current proposal. Status 409.
pub(super) fn moved_page(
    state: &AppState,
    token: &FormToken,
    admin: &store::Admin,
    stored: &StoredExercise,
    round: &str,
    (seen, current, changes): (i64, i64, &[ProposalChange]),
    review_href: String,
) -> axum::response::Response {
    let exercise = &stored.exercise;
    let page = MovedPage {
        layout: admin_layout(
            &format!("The proposal changed: {}", exercise.title),
            token,
            admin,
            false,
        ),
        id: exercise.id.to_string(),
        exercise_title: exercise.title.clone(),
        round_id: round.to_string(),
        seen,
        current,
        lines: changes
            .iter()
            .map(|change| MovedLine {
                text: change.text.clone(),
                before: if change.was_shown {
                    proposal_words(exercise, change.before.as_deref(), change.before_confidence)
                } else {
                    "not shown: it is new since".to_string()
                },
                after: proposal_words(exercise, change.after.as_deref(), change.after_confidence),
            })
            .collect(),
        review_href,
    };
    render(&page, StatusCode::CONFLICT, token, state)
}

/// `GET /admin/e/{exercise}/r/{round}/curate/accept`: what accepting every proposal would do.
pub async fn accept_page(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    state.authorize(&admin, &id, Permission::Run).await?;
    let (stored, view) = curation::load(&state, &id, &round).await?;
    let preview = curation::accept_preview(&stored.exercise, &view, None)?;
    let layout = admin_layout(
        &format!("Accept the proposals: {}", stored.exercise.title),
        &token,
        &admin,
        false,
    );
    let page = AcceptPage::new(&stored, &view.round, layout, preview);
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `POST /admin/e/{exercise}/r/{round}/curate/accept`: accepts the proposals of the version
/// previewed (`proposal_version`). Without it (a form from before the preview existed), shows
/// the preview first.
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
    state.authorize(&admin, &id, Permission::Run).await?;
    let Some(seen) = field(&fields, "proposal_version").and_then(|text| text.trim().parse().ok())
    else {
        return Ok(see_other(&format!("{back}/accept")));
    };
    let (stored, view) = curation::load(&state, &id, &round).await?;
    match curation::accept(&state, &view, None, seen, &admin.email).await {
        Ok(accepted) => Ok(see_other(&format!("{back}?saved=accepted-{accepted}"))),
        Err(AppError::ProposalMoved(conflict)) => Ok(moved_page(
            &state,
            &token,
            &admin,
            &stored,
            &round,
            (conflict.seen, conflict.current, &conflict.changes),
            format!("{back}/accept"),
        )),
        Err(other) => Err(other.into()),
    }
}
