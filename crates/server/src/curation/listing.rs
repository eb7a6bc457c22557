//! Search, filters and paging of a suggest round's suggestions, for the API's query and the
//! list page's GET form.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use survey::curation::{CurationView, MatchConfidence, Review, Status, SuggestionRow};
use utoipa::ToSchema;

use crate::error::AppError;

/// Suggestions per page when no `per_page` is given.
pub const DEFAULT_PER_PAGE: usize = 50;
/// The most suggestions on one page.
pub const MAX_PER_PAGE: usize = 500;

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
    /// what it used in its form). Each parameter is checked alone, so that one bad value
    /// leaves the others in force.
    pub fn lenient(&self, exercise: &survey::Exercise) -> Filters {
        let alone = |query: ListQuery| query.check(exercise).unwrap_or_default();
        let blank = ListQuery::default;
        Filters {
            text: alone(ListQuery {
                q: self.q.clone(),
                ..blank()
            })
            .text,
            status: alone(ListQuery {
                status: self.status.clone(),
                ..blank()
            })
            .status,
            group: alone(ListQuery {
                group: self.group.clone(),
                ..blank()
            })
            .group,
            item: alone(ListQuery {
                item: self.item.clone(),
                ..blank()
            })
            .item,
            confidence: alone(ListQuery {
                confidence: self.confidence.clone(),
                ..blank()
            })
            .confidence,
            review: alone(ListQuery {
                review: self.review.clone(),
                ..blank()
            })
            .review,
            page: alone(ListQuery {
                page: self.page.clone(),
                ..blank()
            })
            .page,
            per_page: alone(ListQuery {
                per_page: self.per_page.clone(),
                ..blank()
            })
            .per_page,
        }
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
