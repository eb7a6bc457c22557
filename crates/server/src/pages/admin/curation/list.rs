//! The curation list page's content: one page of the suggestions that pass the search and
//! filters, in their proposed groups, with the filter form, the pagination and the form of
//! one decision for every suggestion selected.

use askama::Template;
use store::{StoredExercise, StoredReview};
use survey::curation::{CurationView, GroupCounts, MatchConfidence, Review, Status, SuggestionRow};

use crate::curation::{ConfidenceFilter, Filters, Listing, ReviewFilter};
use crate::pages::admin::Choice;
use crate::pages::{FieldError, Layout};

/// The suggestions per page offered in the filter form.
const PAGE_SIZES: [usize; 4] = [25, 50, 100, 200];

/// What the decision form says, kept to show again with its errors.
#[derive(Debug, Default, Clone)]
pub(super) struct DecisionForm {
    pub(super) ticked: Vec<String>,
    pub(super) groups: Vec<usize>,
    pub(super) action: String,
    pub(super) item: String,
    pub(super) title: String,
    pub(super) note: String,
    pub(super) review_note: String,
    pub(super) suggestion_error: Option<String>,
    pub(super) action_error: Option<String>,
    pub(super) item_error: Option<String>,
    pub(super) title_error: Option<String>,
    pub(super) note_error: Option<String>,
    pub(super) review_note_error: Option<String>,
}

pub(super) struct SuggestionLine {
    pub(super) id: String,
    pub(super) input_id: String,
    pub(super) text: String,
    pub(super) detail: String,
    pub(super) review: Option<String>,
    pub(super) checked: bool,
}

pub(super) struct GroupBlock {
    pub(super) number: usize,
    pub(super) size: usize,
    pub(super) matching: usize,
    pub(super) continued: bool,
    pub(super) proposed: Option<String>,
    pub(super) confidence: Option<String>,
    pub(super) low: bool,
    pub(super) words: String,
    pub(super) rows: Vec<SuggestionLine>,
    pub(super) selected: bool,
}

pub(super) struct ItemLine {
    pub(super) item: String,
    pub(super) title: String,
    pub(super) suggestions: usize,
    pub(super) by_group: String,
    pub(super) evidence: Option<String>,
    pub(super) answered: bool,
}

/// A link of the pagination: a page number, or a gap (`number` of 0).
pub(super) struct PageLink {
    pub(super) number: usize,
    pub(super) href: String,
    pub(super) current: bool,
}

#[derive(Template)]
#[template(path = "admin/curate.html")]
pub(super) struct CuratePage {
    pub(super) layout: Layout,
    /// Advisory members read the page; its decision form is shown disabled.
    pub(super) read_only: bool,
    pub(super) id: String,
    pub(super) exercise_title: String,
    pub(super) round_id: String,
    pub(super) round_title: String,
    pub(super) version: i64,
    pub(super) proposal_version: i64,
    pub(super) notice: Option<String>,
    pub(super) total: usize,
    pub(super) assigned: usize,
    pub(super) out_of_scope: usize,
    pub(super) undecided: usize,
    pub(super) queried: usize,
    pub(super) acceptable: usize,
    pub(super) groups: Vec<GroupCounts>,
    pub(super) items: Vec<ItemLine>,
    pub(super) errors: Vec<FieldError>,
    // The filter form.
    pub(super) q: String,
    pub(super) status_choices: Vec<Choice>,
    pub(super) group_choices: Vec<Choice>,
    pub(super) item_filter_choices: Vec<Choice>,
    pub(super) confidence_choices: Vec<Choice>,
    pub(super) review_choices: Vec<Choice>,
    pub(super) per_page_choices: Vec<Choice>,
    pub(super) narrowed: bool,
    /// The filters as hidden fields of the decision form (`list_` names), so that the page
    /// after a decision is the same page.
    pub(super) carried: Vec<(String, String)>,
    // The listing.
    pub(super) matching: usize,
    pub(super) matching_groups: usize,
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) page: usize,
    pub(super) pages: usize,
    pub(super) previous: Option<String>,
    pub(super) next: Option<String>,
    pub(super) page_links: Vec<PageLink>,
    pub(super) blocks: Vec<GroupBlock>,
    // The decision form.
    pub(super) form: DecisionForm,
    pub(super) item_choices: Vec<Choice>,
}

/// "high confidence", "medium confidence" or "low confidence — check".
pub(super) fn confidence_words(confidence: MatchConfidence) -> &'static str {
    match confidence {
        MatchConfidence::High => "high confidence",
        MatchConfidence::Medium => "medium confidence",
        MatchConfidence::Low => "low confidence — check",
    }
}

/// An item's title, or its id when the definition has no such item.
pub(super) fn item_title(exercise: &survey::Exercise, item: &str) -> String {
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

/// A suggestion id (`RESPONDENT:N`) as part of an HTML id.
pub(super) fn slug_id(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

fn status_words(row: &SuggestionRow, exercise: &survey::Exercise) -> String {
    match row.status {
        Status::Assigned => format!(
            "assigned to {}",
            row.item
                .as_deref()
                .map_or_else(|| "an item".to_string(), |item| item_title(exercise, item))
        ),
        Status::OutOfScope => match row.note.as_deref() {
            Some(note) if !note.is_empty() => format!("out of scope: {note}"),
            _ => "out of scope".to_string(),
        },
        _ => "not yet decided".to_string(),
    }
}

fn review_words(row: &SuggestionRow, decided_by: Option<&str>) -> Option<String> {
    if row.status == Status::Unassigned {
        return None;
    }
    let decider = match decided_by.filter(|decider| !decider.is_empty()) {
        Some(decider) => format!("decided by {decider}"),
        None => "no recorded decider, so anyone may check it".to_string(),
    };
    Some(match &row.review {
        None => format!("not reviewed yet ({decider})"),
        Some(mark) => {
            let what = match mark.review {
                Review::Reviewed => "reviewed",
                Review::Queried => "queried",
            };
            let note = mark
                .note
                .as_deref()
                .map(|note| format!(": “{note}”"))
                .unwrap_or_default();
            format!("{what} by {}{note} ({decider})", mark.by)
        }
    })
}

fn choices(
    values: impl IntoIterator<Item = (String, String)>,
    selected: &str,
    any: &str,
) -> Vec<Choice> {
    std::iter::once((String::new(), any.to_string()))
        .chain(values)
        .map(|(value, label)| Choice {
            selected: value == selected,
            value,
            label,
        })
        .collect()
}

/// The query string of a list page: the filters and the page (empty values left out).
pub(super) fn list_query(filters: &Filters, page: usize) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(text) = &filters.text {
        pairs.push(("q".into(), text.clone()));
    }
    if let Some(status) = filters.status {
        pairs.push(("status".into(), status_value(status).into()));
    }
    if let Some(group) = &filters.group {
        pairs.push(("group".into(), group.clone()));
    }
    if let Some(item) = &filters.item {
        pairs.push(("item".into(), item.clone().unwrap_or_else(|| "none".into())));
    }
    if let Some(confidence) = filters.confidence {
        pairs.push(("confidence".into(), confidence_value(confidence).into()));
    }
    if let Some(review) = filters.review {
        pairs.push(("review".into(), review_value(review).into()));
    }
    if page > 1 {
        pairs.push(("page".into(), page.to_string()));
    }
    if filters.per_page != crate::curation::DEFAULT_PER_PAGE {
        pairs.push(("per_page".into(), filters.per_page.to_string()));
    }
    pairs
}

/// `path?query` (or `path` when the query is empty).
pub(super) fn with_query(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let query = serde_html_form::to_string(pairs).unwrap_or_default();
    format!("{path}?{query}")
}

fn status_value(status: Status) -> &'static str {
    match status {
        Status::Assigned => "assigned",
        Status::OutOfScope => "out-of-scope",
        _ => "undecided",
    }
}

fn confidence_value(confidence: ConfidenceFilter) -> &'static str {
    match confidence {
        ConfidenceFilter::Of(confidence) => confidence.as_str(),
        ConfidenceFilter::Unproposed => "none",
    }
}

fn review_value(review: ReviewFilter) -> &'static str {
    match review {
        ReviewFilter::NotReviewed => "not-reviewed",
        ReviewFilter::Marked(review) => review.as_str(),
    }
}

/// The page numbers to link: the first, the last, and those next to the current one, with
/// gaps (0) between (GOV.UK pagination).
fn page_numbers(page: usize, pages: usize) -> Vec<usize> {
    let mut numbers = Vec::new();
    for number in 1..=pages {
        let near = number + 1 >= page && number <= page + 1;
        if number == 1 || number == pages || near {
            numbers.push(number);
        } else if numbers.last() != Some(&0) {
            numbers.push(0);
        }
    }
    numbers
}

/// Everything the list page shows.
pub(super) struct PageInput<'a> {
    pub(super) stored: &'a StoredExercise,
    pub(super) view: &'a CurationView,
    pub(super) reviews: &'a [StoredReview],
    pub(super) filters: &'a Filters,
    pub(super) layout: Layout,
    pub(super) notice: Option<String>,
    pub(super) form: DecisionForm,
    pub(super) errors: Vec<FieldError>,
    pub(super) read_only: bool,
}

/// The list page.
pub(super) fn curate_page(input: PageInput<'_>) -> CuratePage {
    let PageInput {
        stored,
        view,
        reviews,
        filters,
        layout,
        notice,
        form,
        errors,
        read_only,
    } = input;
    let exercise = &stored.exercise;
    let listing = Listing::of(view, filters);
    let path = format!("/admin/e/{}/r/{}/curate", exercise.id, view.round);
    let href = |page: usize| with_query(&path, &list_query(filters, page));
    let decider = |id: &str| {
        reviews
            .iter()
            .find(|review| review.suggestion == id)
            .and_then(|review| review.decided_by.as_deref())
    };
    // One pass over the round: how many of each group's suggestions pass the filters, and
    // where the first of them is (a group that began on an earlier page is "continued").
    let mut per_group: std::collections::HashMap<usize, (usize, usize)> =
        std::collections::HashMap::new();
    for (index, row) in view.suggestions.iter().enumerate() {
        if filters.admits(row) {
            per_group.entry(row.cluster).or_insert((0, index)).0 += 1;
        }
    }
    let mut blocks: Vec<GroupBlock> = Vec::new();
    for &index in &listing.rows {
        let row = &view.suggestions[index];
        if blocks
            .last()
            .is_none_or(|block| block.number != row.cluster + 1)
        {
            let cluster = &view.clusters[row.cluster];
            let (matching, first) = per_group.get(&row.cluster).copied().unwrap_or((0, index));
            let continued = first < index;
            blocks.push(GroupBlock {
                number: row.cluster + 1,
                size: cluster.suggestions.len(),
                matching,
                continued,
                proposed: cluster
                    .proposed_item
                    .as_deref()
                    .map(|item| item_title(exercise, item)),
                confidence: cluster.confidence.map(|c| confidence_words(c).to_string()),
                low: cluster.confidence == Some(MatchConfidence::Low),
                words: cluster.words.join(", "),
                rows: Vec::new(),
                selected: form.groups.contains(&(row.cluster + 1)),
            });
        }
        let block = blocks.last_mut().expect("a block was just pushed");
        block.rows.push(SuggestionLine {
            id: row.id.clone(),
            input_id: format!("suggestion-{}", slug_id(&row.id)),
            text: row.text.clone(),
            detail: format!(
                "{}; {}",
                group_label(exercise, &row.group),
                status_words(row, exercise)
            ),
            review: review_words(row, decider(&row.id)),
            checked: form.ticked.contains(&row.id),
        });
    }
    let item_filter = match &filters.item {
        Some(Some(item)) => item.clone(),
        Some(None) => "none".to_string(),
        None => String::new(),
    };
    let carried = list_query(filters, listing.page)
        .into_iter()
        .map(|(name, value)| (format!("list_{name}"), value))
        .collect();
    CuratePage {
        read_only,
        layout,
        id: exercise.id.to_string(),
        exercise_title: exercise.title.clone(),
        round_id: view.round.clone(),
        round_title: exercise
            .round(&view.round)
            .map_or_else(|| view.round.clone(), |round| round.title.clone()),
        version: view.version,
        proposal_version: view.proposal_version,
        notice,
        total: view.total,
        assigned: view.assigned,
        out_of_scope: view.out_of_scope,
        undecided: view.undecided,
        queried: view
            .suggestions
            .iter()
            .filter(|row| {
                row.review
                    .as_ref()
                    .is_some_and(|mark| mark.review == Review::Queried)
            })
            .count(),
        acceptable: view.acceptable(),
        groups: view.groups.clone(),
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
        q: filters.text.clone().unwrap_or_default(),
        status_choices: choices(
            [
                ("undecided", "Not yet decided"),
                ("assigned", "Assigned"),
                ("out-of-scope", "Out of scope"),
            ]
            .map(|(value, label)| (value.to_string(), label.to_string())),
            filters.status.map_or("", status_value),
            "Any status",
        ),
        group_choices: choices(
            exercise
                .groups
                .iter()
                .map(|group| (group.id.to_string(), group.label.clone())),
            filters.group.as_deref().unwrap_or_default(),
            "Any group",
        ),
        item_filter_choices: choices(
            exercise
                .items
                .iter()
                .map(|item| (item.id.to_string(), item.title.clone()))
                .chain([("none".to_string(), "No proposed item".to_string())]),
            &item_filter,
            "Any proposed item",
        ),
        confidence_choices: choices(
            [
                ("high", "High"),
                ("medium", "Medium"),
                ("low", "Low"),
                ("none", "No proposal"),
            ]
            .map(|(value, label)| (value.to_string(), label.to_string())),
            filters.confidence.map_or("", confidence_value),
            "Any confidence",
        ),
        review_choices: choices(
            [
                ("not-reviewed", "Decided, not reviewed"),
                ("reviewed", "Reviewed"),
                ("queried", "Queried"),
            ]
            .map(|(value, label)| (value.to_string(), label.to_string())),
            filters.review.map_or("", review_value),
            "Any review state",
        ),
        per_page_choices: PAGE_SIZES
            .iter()
            .chain(Some(&filters.per_page).filter(|size| !PAGE_SIZES.contains(size)))
            .map(|size| Choice {
                value: size.to_string(),
                label: size.to_string(),
                selected: *size == filters.per_page,
            })
            .collect(),
        narrowed: filters.narrows(),
        carried,
        matching: listing.matching,
        matching_groups: listing.matching_groups,
        first: listing.first(),
        last: listing.last(),
        page: listing.page,
        pages: listing.pages,
        previous: (listing.page > 1).then(|| href(listing.page - 1)),
        next: (listing.page < listing.pages).then(|| href(listing.page + 1)),
        page_links: page_numbers(listing.page, listing.pages)
            .into_iter()
            .map(|number| PageLink {
                number,
                href: if number == 0 {
                    String::new()
                } else {
                    href(number)
                },
                current: number == listing.page,
            })
            .collect(),
        blocks,
        item_choices: exercise
            .items
            .iter()
            .map(|item| Choice {
                value: item.id.to_string(),
                label: item.title.clone(),
                selected: item.id.as_str() == form.item,
            })
            .collect(),
        form,
    }
}
