//! Curation at volume (admin): search, filters and paging of a suggest round's suggestions,
//! one decision for many suggestions (all or nothing), and the second reviewer's check of a
//! decision. The JSON API is here; the list page (`pages::admin::curation`) uses the same
//! functions.

use std::collections::HashSet;

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use store::{ReviewOutcome, StoredExercise, StoredReview};
use survey::curation::{CurationView, MatchConfidence, Review, ReviewMark, Status, SuggestionRow};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::Permission;
use crate::auth::AdminActor;
use crate::curation::{self, DecisionRequest};
use crate::error::{ApiJson, ApiPath, AppError, ErrorBody};

/// Suggestions per page when no `per_page` is given.
pub const DEFAULT_PER_PAGE: usize = 50;
/// The most suggestions on one page.
pub const MAX_PER_PAGE: usize = 500;

// ---------------------------------------------------------------------------------------------
// Loading with the reviews.

/// The curation of a suggest round (as [`curation::load`]) with the second reviewer's marks
/// on its decisions, and the decider of each decided suggestion (by suggestion id).
///
/// # Errors
/// As [`curation::load`]; store errors.
pub async fn load(
    state: &AppState,
    exercise: &str,
    round: &str,
) -> Result<(StoredExercise, CurationView, Vec<StoredReview>), AppError> {
    let (stored, mut view) = curation::load(state, exercise, round).await?;
    let (exercise_id, round_id) = (exercise.to_string(), round.to_string());
    let reviews = state
        .blocking(move |store| store.reviews(&exercise_id, &round_id))
        .await?;
    view.set_reviews(reviews.iter().filter_map(|stored| {
        Some((
            stored.suggestion.clone(),
            ReviewMark {
                review: stored.review?,
                note: stored.note.clone(),
                by: stored.reviewed_by.clone().unwrap_or_default(),
                at: stored.reviewed_at.unwrap_or_default(),
            },
        ))
    }));
    Ok((stored, view, reviews))
}

// ---------------------------------------------------------------------------------------------
// Search, filters and paging.

/// Search, filters and paging of a round's suggestions, as the API's query and the page's GET
/// form give them. Every parameter is optional; empty values are ignored.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Words the suggestion's text holds (case-insensitive).
    #[serde(default)]
    pub q: Option<String>,
    /// `undecided`, `assigned` or `out-of-scope`.
    #[serde(default)]
    pub status: Option<String>,
    /// A stakeholder group id.
    #[serde(default)]
    pub group: Option<String>,
    /// The item proposed for the suggestion's group (an item id), or `none` for groups with
    /// no proposed item.
    #[serde(default)]
    pub item: Option<String>,
    /// The confidence of the proposal: `high`, `medium`, `low`, or `none` (no proposal).
    #[serde(default)]
    pub confidence: Option<String>,
    /// The second reviewer's check: `not-reviewed` (decided, not yet checked), `reviewed` or
    /// `queried`.
    #[serde(default)]
    pub review: Option<String>,
    /// The page, a whole number from 1 (default 1; past the last page, the last page).
    #[serde(default)]
    pub page: Option<String>,
    /// Suggestions per page, a whole number from 1 to 500 (default 50).
    #[serde(default)]
    pub per_page: Option<String>,
}

/// The state of the second reviewer's check, to filter by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewFilter {
    /// Decided, and not yet reviewed or queried.
    NotReviewed,
    /// Marked reviewed or queried.
    Marked(Review),
}

/// The confidence of a proposal, to filter by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfidenceFilter {
    /// A proposal this sure.
    Of(MatchConfidence),
    /// No proposed item.
    Unproposed,
}

/// [`ListQuery`] checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    /// The search, lower case and trimmed (none when empty).
    pub text: Option<String>,
    /// The decision.
    pub status: Option<Status>,
    /// The stakeholder group id.
    pub group: Option<String>,
    /// The proposed item id (`Some(None)`: no proposed item).
    pub item: Option<Option<String>>,
    /// The proposal's confidence.
    pub confidence: Option<ConfidenceFilter>,
    /// The reviewer's check.
    pub review: Option<ReviewFilter>,
    /// The page, from 1.
    pub page: usize,
    /// Suggestions per page.
    pub per_page: usize,
}

impl Default for Filters {
    fn default() -> Filters {
        Filters {
            text: None,
            status: None,
            group: None,
            item: None,
            confidence: None,
            review: None,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

fn given(value: Option<&String>) -> Option<&str> {
    value
        .map(|value| value.trim())
        .filter(|value| !value.is_empty())
}

impl ListQuery {
    /// Whether any search, filter or paging parameter is given.
    pub fn is_empty(&self) -> bool {
        [
            &self.q,
            &self.status,
            &self.group,
            &self.item,
            &self.confidence,
            &self.review,
            &self.page,
            &self.per_page,
        ]
        .into_iter()
        .all(|value| given(value.as_ref()).is_none())
    }

    /// The filters, checked against the exercise.
    ///
    /// # Errors
    /// 422 naming the parameter: an unknown status, group, item, confidence or review state,
    /// or a page or page size that is not a whole number in range.
    pub fn check(&self, exercise: &survey::Exercise) -> Result<Filters, AppError> {
        let mut filters = Filters {
            text: given(self.q.as_ref()).map(str::to_lowercase),
            ..Filters::default()
        };
        if let Some(status) = given(self.status.as_ref()) {
            filters.status = Some(match status {
                "undecided" | "unassigned" => Status::Unassigned,
                "assigned" => Status::Assigned,
                "out-of-scope" => Status::OutOfScope,
                other => {
                    return Err(AppError::field(
                        "status",
                        format!(
                            "`{other}` is not a status: use `undecided`, `assigned` or `out-of-scope`"
                        ),
                    ));
                }
            });
        }
        if let Some(group) = given(self.group.as_ref()) {
            if exercise.group(group).is_none() {
                return Err(AppError::field(
                    "group",
                    format!("exercise `{}` has no group `{group}`", exercise.id),
                ));
            }
            filters.group = Some(group.to_string());
        }
        if let Some(item) = given(self.item.as_ref()) {
            filters.item = Some(match item {
                "none" => None,
                item if exercise.item(item).is_some() => Some(item.to_string()),
                item => {
                    return Err(AppError::field(
                        "item",
                        format!(
                            "exercise `{}` has no item `{item}` (use `none` for suggestions with no proposed item)",
                            exercise.id
                        ),
                    ));
                }
            });
        }
        if let Some(confidence) = given(self.confidence.as_ref()) {
            filters.confidence = Some(match confidence {
                "none" => ConfidenceFilter::Unproposed,
                other => ConfidenceFilter::Of(MatchConfidence::parse(other).ok_or_else(|| {
                    AppError::field(
                        "confidence",
                        format!(
                            "`{other}` is not a confidence: use `high`, `medium`, `low` or `none`"
                        ),
                    )
                })?),
            });
        }
        if let Some(review) = given(self.review.as_ref()) {
            filters.review = Some(match review {
                "not-reviewed" => ReviewFilter::NotReviewed,
                other => ReviewFilter::Marked(Review::parse(other).ok_or_else(|| {
                    AppError::field(
                        "review",
                        format!(
                            "`{other}` is not a review state: use `not-reviewed`, `reviewed` or `queried`"
                        ),
                    )
                })?),
            });
        }
        let whole =
            |field: &str, value: Option<&String>, range: std::ops::RangeInclusive<usize>| {
                given(value)
                    .map(|text| {
                        text.parse::<usize>()
                        .ok()
                        .filter(|number| range.contains(number))
                        .ok_or_else(|| {
                            AppError::field(
                                field,
                                format!(
                                    "`{field}` must be a whole number from {} to {}, not `{text}`",
                                    range.start(),
                                    range.end()
                                ),
                            )
                        })
                    })
                    .transpose()
            };
        filters.page = whole("page", self.page.as_ref(), 1..=usize::MAX)?.unwrap_or(1);
        filters.per_page = whole("per_page", self.per_page.as_ref(), 1..=MAX_PER_PAGE)?
            .unwrap_or(DEFAULT_PER_PAGE);
        Ok(filters)
    }

    /// The filters, leaving out any value that does not check (for the page, which shows
    /// what it used in its form).
    pub fn lenient(&self, exercise: &survey::Exercise) -> Filters {
        let mut checked = Filters::default();
        let single = |query: ListQuery| query.check(exercise).ok();
        let base = ListQuery::default();
        if let Some(filters) = single(ListQuery {
            q: self.q.clone(),
            ..base.clone()
        }) {
            checked.text = filters.text;
        }
        let one = |query: ListQuery| single(query).unwrap_or_default();
        checked.status = one(ListQuery {
            status: self.status.clone(),
            ..base.clone()
        })
        .status;
        checked.group = one(ListQuery {
            group: self.group.clone(),
            ..base.clone()
        })
        .group;
        checked.item = one(ListQuery {
            item: self.item.clone(),
            ..base.clone()
        })
        .item;
        checked.confidence = one(ListQuery {
            confidence: self.confidence.clone(),
            ..base.clone()
        })
        .confidence;
        checked.review = one(ListQuery {
            review: self.review.clone(),
            ..base.clone()
        })
        .review;
        checked.page = one(ListQuery {
            page: self.page.clone(),
            ..base.clone()
        })
        .page;
        checked.per_page = one(ListQuery {
            per_page: self.per_page.clone(),
            ..base
        })
        .per_page;
        checked
    }
}

impl Filters {
    /// Whether a suggestion passes every filter.
    pub fn admits(&self, row: &SuggestionRow) -> bool {
        if let Some(text) = &self.text
            && !row.text.to_lowercase().contains(text.as_str())
        {
            return false;
        }
        if self.status.is_some_and(|status| status != row.status) {
            return false;
        }
        if self.group.as_ref().is_some_and(|group| *group != row.group) {
            return false;
        }
        if self
            .item
            .as_ref()
            .is_some_and(|item| *item != row.proposed_item)
        {
            return false;
        }
        match self.confidence {
            Some(ConfidenceFilter::Unproposed) if row.proposed_item.is_some() => return false,
            Some(ConfidenceFilter::Of(confidence))
                if row.proposed_item.is_none() || row.proposed_confidence != Some(confidence) =>
            {
                return false;
            }
            _ => {}
        }
        match self.review {
            Some(ReviewFilter::NotReviewed) => {
                row.status != Status::Unassigned && row.review.is_none()
            }
            Some(ReviewFilter::Marked(review)) => row
                .review
                .as_ref()
                .is_some_and(|mark| mark.review == review),
            None => true,
        }
    }

    /// Whether any search or filter is set (paging aside).
    pub fn narrows(&self) -> bool {
        self.text.is_some()
            || self.status.is_some()
            || self.group.is_some()
            || self.item.is_some()
            || self.confidence.is_some()
            || self.review.is_some()
    }
}

/// One page of the suggestions that pass the filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// The indices (into `view.suggestions`) of the suggestions on the page, in the view's
    /// order (by proposed group).
    pub rows: Vec<usize>,
    /// Suggestions that pass the filters, on every page.
    pub matching: usize,
    /// Proposed groups with at least one suggestion that passes.
    pub matching_groups: usize,
    /// The page shown, from 1 (the last page when the one asked for is past it).
    pub page: usize,
    /// Pages in all (at least 1).
    pub pages: usize,
    /// Suggestions per page.
    pub per_page: usize,
}

impl Listing {
    /// The page of `view`'s suggestions that `filters` asks for.
    ///
    /// Complexity: O(n · t) for n suggestions of t characters (the text search).
    pub fn of(view: &CurationView, filters: &Filters) -> Listing {
        let matching: Vec<usize> = view
            .suggestions
            .iter()
            .enumerate()
            .filter(|(_, row)| filters.admits(row))
            .map(|(index, _)| index)
            .collect();
        let matching_groups = matching
            .iter()
            .map(|&index| view.suggestions[index].cluster)
            .collect::<HashSet<_>>()
            .len();
        let per_page = filters.per_page.max(1);
        let pages = matching.len().div_ceil(per_page).max(1);
        let page = filters.page.clamp(1, pages);
        let rows = matching
            .iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .copied()
            .collect();
        Listing {
            rows,
            matching: matching.len(),
            matching_groups,
            page,
            pages,
            per_page,
        }
    }

    /// The 1-based position of the first suggestion shown (0 when none is).
    pub fn first(&self) -> usize {
        if self.rows.is_empty() {
            0
        } else {
            (self.page - 1) * self.per_page + 1
        }
    }

    /// The 1-based position of the last suggestion shown.
    pub fn last(&self) -> usize {
        (self.page - 1) * self.per_page + self.rows.len()
    }
}

/// A page of a round's curation: the view with only the suggestions of the page (and the
/// proposed groups they are in), and where the page stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurationPage {
    /// The view, its `suggestions` and `clusters` narrowed to the page; its counts are of
    /// the whole round.
    #[serde(flatten)]
    pub view: CurationView,
    /// Suggestions that pass the search and filters, on every page.
    pub matching: usize,
    /// The page, from 1.
    pub page: usize,
    /// Pages in all.
    pub pages: usize,
    /// Suggestions per page.
    pub per_page: usize,
}

/// The page of `view` that `query` asks for (the whole view, as one page, when the query is
/// empty).
///
/// # Errors
/// 422 naming the parameter, as [`ListQuery::check`].
pub fn page_of(
    exercise: &survey::Exercise,
    mut view: CurationView,
    query: &ListQuery,
) -> Result<CurationPage, AppError> {
    if query.is_empty() {
        let total = view.suggestions.len();
        return Ok(CurationPage {
            view,
            matching: total,
            page: 1,
            pages: 1,
            per_page: total,
        });
    }
    let filters = query.check(exercise)?;
    let listing = Listing::of(&view, &filters);
    let shown: Vec<SuggestionRow> = listing
        .rows
        .iter()
        .map(|&index| view.suggestions[index].clone())
        .collect();
    let clusters: HashSet<usize> = shown.iter().map(|row| row.cluster).collect();
    view.suggestions = shown;
    view.clusters
        .retain(|cluster| clusters.contains(&cluster.cluster));
    Ok(CurationPage {
        view,
        matching: listing.matching,
        page: listing.page,
        pages: listing.pages,
        per_page: listing.per_page,
    })
}

// ---------------------------------------------------------------------------------------------
// One decision for many.

/// One decision for many suggestions.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkDecisionRequest {
    /// The suggestions (`RESPONDENT:N`), at least one.
    pub suggestions: Vec<String>,
    /// `assigned` (with `item`), `out-of-scope` (with a `note` saying why) or `unassigned`.
    pub status: String,
    /// The item, for `assigned`.
    #[serde(default)]
    pub item: Option<String>,
    /// A note; for `out-of-scope`, the reason.
    #[serde(default)]
    pub note: Option<String>,
    /// The version of the proposal the caller saw (`proposal_version` of the curation view):
    /// refused with 409 when the proposal has moved since.
    pub proposal_version: i64,
}

/// What a bulk decision recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkDecisionResponse {
    /// Suggestions recorded.
    pub recorded: usize,
    /// What was done, in words.
    pub message: String,
}

/// The suggestions given, each once, in the order first given.
pub fn distinct(suggestions: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    suggestions
        .iter()
        .filter(|suggestion| seen.insert(suggestion.as_str()))
        .cloned()
        .collect()
}

/// Checks one decision for every suggestion and records them all, or none: refused when the
/// proposal moved since `seen` or when any one decision is not valid.
///
/// # Errors
/// 422 naming `suggestions` (none given, or one not in the round) or the decision's field
/// (`status`, `item`, `note`); 409 when the proposal moved; store errors.
pub async fn decide_many(
    state: &AppState,
    stored: &StoredExercise,
    view: &CurationView,
    suggestions: &[String],
    request: &DecisionRequest,
    seen: i64,
    actor: &str,
) -> Result<usize, AppError> {
    let suggestions = distinct(suggestions);
    if suggestions.is_empty() {
        return Err(AppError::field(
            "suggestions",
            "choose at least one suggestion",
        ));
    }
    curation::check_seen_proposal(view, seen, &suggestions)?;
    let mut decisions = Vec::with_capacity(suggestions.len());
    for suggestion in &suggestions {
        let decision = curation::check_decision(&stored.exercise, view, suggestion, request)
            .map_err(|error| match error {
                AppError::NotFound(detail) => AppError::field("suggestions", detail),
                other => other,
            })?;
        decisions.push(decision);
    }
    curation::record(state, &view.exercise, &view.round, decisions, actor).await
}

/// What a decision did, in words: "12 suggestions assigned to Kinship care".
pub fn decision_words(
    exercise: &survey::Exercise,
    count: usize,
    request: &DecisionRequest,
) -> String {
    let suggestions = if count == 1 {
        "1 suggestion".to_string()
    } else {
        format!("{count} suggestions")
    };
    match Status::parse(&request.status) {
        Some(Status::Assigned) => {
            let item = request.item.as_deref().unwrap_or_default();
            let title = exercise
                .item(item)
                .map_or_else(|| item.to_string(), |found| found.title.clone());
            format!("{suggestions} assigned to {title}")
        }
        Some(Status::OutOfScope) => format!("{suggestions} marked out of scope"),
        _ => format!("{suggestions} back to not yet decided"),
    }
}

/// Records one decision for many suggestions of a suggest round: assigned to an item, out of
/// scope (with the reason) or back to undecided; all of them or, when any one is not valid or
/// the proposal moved since the caller saw it, none (admin).
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/rounds/{round}/curation/decisions", operation_id = "decideSuggestions", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path, description = "A suggest round")),
    request_body = BulkDecisionRequest,
    responses((status = 200, body = BulkDecisionResponse), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The proposal moved since `proposal_version`: nothing was recorded"),
        (status = 422, body = ErrorBody, description = "A decision is not valid (the field is named): nothing was recorded")),
    security(("bearer" = []), ("session" = [])))]
pub async fn decide(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round)): ApiPath<(String, String)>,
    ApiJson(request): ApiJson<BulkDecisionRequest>,
) -> Result<Json<BulkDecisionResponse>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    let (stored, view) = curation::load(&state, &exercise, &round).await?;
    let decision = DecisionRequest {
        status: request.status,
        item: request.item,
        note: request.note,
    };
    let recorded = decide_many(
        &state,
        &stored,
        &view,
        &request.suggestions,
        &decision,
        request.proposal_version,
        &actor.name,
    )
    .await?;
    Ok(Json(BulkDecisionResponse {
        recorded,
        message: decision_words(&stored.exercise, recorded, &decision),
    }))
}

// ---------------------------------------------------------------------------------------------
// The second reviewer's check.

/// A second reviewer's mark on a decision.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// `reviewed`, `queried` (with a `note` saying what to check), or null to clear the mark.
    pub review: Option<String>,
    /// The reviewer's note; needed for `queried`.
    #[serde(default)]
    pub note: Option<String>,
}

/// What a review did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewResponse {
    /// Suggestions marked (or cleared).
    pub marked: usize,
    /// Of those, how many had no recorded decider, so that anyone could check them.
    pub without_decider: usize,
    /// What was done, in words.
    pub message: String,
}

/// Checks a review mark: the state, and a note (needed for a query; no control characters;
/// at most `survey::curation::MAX_NOTE_CHARS` characters).
///
/// # Errors
/// 422 naming `review` or `note`.
pub fn check_review(
    review: Option<&str>,
    note: Option<&str>,
) -> Result<(Option<Review>, Option<String>), AppError> {
    let review = match review.map(str::trim).filter(|text| !text.is_empty()) {
        None => None,
        Some(text) => Some(Review::parse(text).ok_or_else(|| {
            AppError::field(
                "review",
                format!("`{text}` is not a review: use `reviewed` or `queried`, or null to clear"),
            )
        })?),
    };
    let note = note
        .map(str::trim)
        .filter(|note| !note.is_empty())
        .map(str::to_string);
    if let Some(control) = note
        .as_deref()
        .and_then(survey::responses::first_refused_control)
    {
        return Err(AppError::field(
            "note",
            format!(
                "`note` holds a control character (U+{:04X}), which cannot be saved: remove it",
                u32::from(control)
            ),
        ));
    }
    if note
        .as_deref()
        .is_some_and(|note| note.chars().count() > survey::curation::MAX_NOTE_CHARS)
    {
        return Err(AppError::field(
            "note",
            format!(
                "the note is longer than {} characters: shorten it",
                survey::curation::MAX_NOTE_CHARS
            ),
        ));
    }
    if review == Some(Review::Queried) && note.is_none() {
        return Err(AppError::field(
            "note",
            "say what to check again: a query needs a note",
        ));
    }
    Ok((review, note))
}

/// Marks decided suggestions reviewed or queried (or clears the mark) as `actor`: all or
/// none.
///
/// # Errors
/// 422 naming `suggestions` for none given, one not in the round or not decided; 409 when
/// `actor` made one of the decisions; store errors.
pub async fn review_many(
    state: &AppState,
    view: &CurationView,
    suggestions: &[String],
    (review, note): (Option<Review>, Option<String>),
    actor: &str,
) -> Result<ReviewOutcome, AppError> {
    let suggestions = distinct(suggestions);
    if suggestions.is_empty() {
        return Err(AppError::field(
            "suggestions",
            "choose at least one suggestion",
        ));
    }
    if let Some(unknown) = suggestions.iter().find(|id| !view.has_suggestion(id)) {
        return Err(AppError::field(
            "suggestions",
            format!("round `{}` has no suggestion `{unknown}`", view.round),
        ));
    }
    let (exercise, round, actor) = (view.exercise.clone(), view.round.clone(), actor.to_string());
    state
        .blocking(move |store| {
            store.set_review(
                &exercise,
                &round,
                &suggestions,
                review,
                note.as_deref(),
                &actor,
            )
        })
        .await
}

/// What a review did, in words.
pub fn review_words(review: Option<Review>, outcome: ReviewOutcome) -> String {
    let suggestions = if outcome.marked == 1 {
        "1 suggestion".to_string()
    } else {
        format!("{} suggestions", outcome.marked)
    };
    let done = match review {
        Some(Review::Reviewed) => format!("{suggestions} marked reviewed"),
        Some(Review::Queried) => format!("{suggestions} queried"),
        None => format!("{suggestions} no longer marked"),
    };
    match outcome.without_decider {
        0 => done,
        1 if outcome.marked == 1 => {
            format!("{done} (its decision has no recorded decider, so anyone may check it)")
        }
        count => {
            format!("{done} ({count} of them have no recorded decider, so anyone may check them)")
        }
    }
}

/// Marks a decided suggestion `reviewed` or `queried` (with a note), or clears the mark: a
/// second reviewer's check, by an account other than the one that made the decision (anyone,
/// when the decision has no recorded decider). Recorded with who and when, and in the audit
/// log; a changed decision clears it (admin).
#[utoipa::path(put, path = "/api/v1/exercises/{exercise}/rounds/{round}/curation/{suggestion}/review", operation_id = "reviewSuggestion", tag = "curation",
    params(("exercise" = String, Path), ("round" = String, Path), ("suggestion" = String, Path, description = "RESPONDENT:N")),
    request_body = ReviewRequest,
    responses((status = 200, body = ReviewResponse), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The caller made the decision: a second reviewer must be someone else"),
        (status = 422, body = ErrorBody, description = "Not decided yet, an unknown review, or a query without a note")),
    security(("bearer" = []), ("session" = [])))]
pub async fn review(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, round, suggestion)): ApiPath<(String, String, String)>,
    ApiJson(request): ApiJson<ReviewRequest>,
) -> Result<Json<ReviewResponse>, AppError> {
    state.authorize(&actor, &exercise, Permission::Run).await?;
    let (_, view) = curation::load(&state, &exercise, &round).await?;
    if !view.has_suggestion(&suggestion) {
        return Err(AppError::NotFound(format!(
            "round `{round}` has no suggestion `{suggestion}`"
        )));
    }
    let (mark, note) = check_review(request.review.as_deref(), request.note.as_deref())?;
    let outcome = review_many(&state, &view, &[suggestion], (mark, note), &actor.name).await?;
    Ok(Json(ReviewResponse {
        marked: outcome.marked,
        without_decider: outcome.without_decider,
        message: review_words(mark, outcome),
    }))
}
