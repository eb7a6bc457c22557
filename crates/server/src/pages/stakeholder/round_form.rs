//! The form of a round page: its view and the fields of each round kind.

use askama::Template;
use store::StoredExercise;
use survey::{Exercise, Round, RoundKind, Scale};

use super::feedback_text::{intro, item_feedback_html};
use super::layout;
use crate::feedback::{Feedback, RoundFeedback};
use crate::pages::forms::{DONT_KNOW, FormValues, point_label, rating_page};
use crate::pages::{FieldError, FormToken, Layout};

// ---------------------------------------------------------------------------------------------
// Round pages.

/// One option of a radio or select field.
struct OptionView {
    input_id: String,
    value: String,
    label: String,
    checked: bool,
}

/// A radio group (one rating, or one criterion of an item).
struct ChoiceField {
    name: String,
    legend: String,
    hint: Option<String>,
    error: Option<String>,
    options: Vec<OptionView>,
    /// In a re-rating round: the respondent's own earlier rating and how others rated it.
    feedback: Option<ItemFeedbackHtml>,
    /// The ids the fieldset's `aria-describedby` names: hint, feedback, error.
    described_by: String,
}

impl ChoiceField {
    /// Fills in `described_by` from the hint, the feedback and the error, in the page's order.
    fn describe(mut self) -> ChoiceField {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.name));
        }
        if let Some(feedback) = &self.feedback {
            ids.push(format!("{}-own", feedback.id));
            ids.push(format!("{}-summary", feedback.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.name));
        }
        self.described_by = ids.join(" ");
        self
    }
}

/// One row of the table of earlier ratings: a point of the scale, how many gave it, and their
/// share of the ratings given.
pub(super) struct FeedbackRow {
    pub(super) label: String,
    pub(super) count: u64,
    pub(super) share: String,
}

/// Delphi feedback beside one item of a re-rating round.
pub(super) struct ItemFeedbackHtml {
    /// The id prefix of its parts (`feedback-ITEM`).
    pub(super) id: String,
    /// The own earlier rating ("7 – Critical", "Don't know"), or `None` when not rated.
    pub(super) own: Option<String>,
    /// The distribution in one sentence: people, the three bands, the median.
    pub(super) summary: String,
    pub(super) caption: String,
    pub(super) rows: Vec<FeedbackRow>,
    /// The median and "don't know" answers, below the table.
    pub(super) footnote: String,
}

/// The explanation at the top of a re-rating round.
pub(super) struct FeedbackIntro {
    pub(super) paragraphs: Vec<String>,
}

/// An item of a rating round: its title and its fields (one, or one per criterion).
struct RatingItem {
    anchor: String,
    title: String,
    description: Option<String>,
    grouped: bool,
    fields: Vec<ChoiceField>,
}

/// A select (rank) or textarea (suggestion).
struct InputField {
    name: String,
    label: String,
    hint: Option<String>,
    value: String,
    error: Option<String>,
    options: Vec<OptionView>,
}

#[derive(Template)]
#[template(path = "round.html")]
pub(super) struct RoundPage {
    layout: Layout,
    exercise_id: String,
    exercise_title: String,
    round_title: String,
    question: Option<String>,
    kind: &'static str,
    action: String,
    errors: Vec<FieldError>,
    page: usize,
    pages: usize,
    max_length: u32,
    suggestions: Vec<InputField>,
    ratings: Vec<RatingItem>,
    ranks: Vec<InputField>,
    picks: Vec<OptionView>,
    pick_hints: Vec<Option<String>>,
    pick_error: Option<String>,
    instruction: String,
    feedback: Option<FeedbackIntro>,
}

fn error_at(errors: &[FieldError], anchors: &[String]) -> Option<String> {
    errors
        .iter()
        .find(|error| anchors.contains(&error.anchor))
        .map(|error| error.message.clone())
}

/// The page of a round (not pairwise) with `values` filled in and `errors` shown; rating rounds
/// show page `page` of their items.
pub(super) fn round_page(
    stored: &StoredExercise,
    round: &Round,
    token: &FormToken,
    values: &FormValues,
    errors: Vec<FieldError>,
    page: usize,
    feedback: Option<&Feedback>,
) -> RoundPage {
    let exercise = &stored.exercise;
    let id = exercise.id.to_string();
    let mut view = RoundPage {
        layout: layout(&round.title, token, !errors.is_empty()),
        exercise_id: id.clone(),
        exercise_title: exercise.title.clone(),
        round_title: round.title.clone(),
        question: round.question.clone(),
        kind: round.kind.name(),
        action: format!("/e/{id}/r/{}", round.id),
        errors: Vec::new(),
        page: 1,
        pages: 1,
        max_length: 0,
        suggestions: Vec::new(),
        ratings: Vec::new(),
        ranks: Vec::new(),
        picks: Vec::new(),
        pick_hints: Vec::new(),
        pick_error: None,
        instruction: String::new(),
        feedback: feedback.map(|feedback| intro(exercise, feedback)),
    };
    match &round.kind {
        RoundKind::Suggest {
            max_suggestions,
            max_length,
        } => suggest_fields(&mut view, *max_suggestions, *max_length, values, &errors),
        RoundKind::Rate {
            scale,
            allow_dont_know,
            criteria,
        } => {
            let (items, pages) = rating_page(round, page);
            view.page = page.clamp(1, pages);
            view.pages = pages;
            if pages > 1 {
                view.action = format!("/e/{id}/r/{}?page={}", round.id, view.page);
            }
            view.instruction = if criteria.is_empty() {
                "Choose one answer for each topic.".to_string()
            } else {
                "Answer each question for each topic.".to_string()
            };
            let rating = Rating {
                scale,
                allow_dont_know: *allow_dont_know,
                criteria,
                values,
                errors: &errors,
                feedback: feedback.and_then(Feedback::shown),
            };
            view.ratings = items
                .into_iter()
                .map(|index| rating_item(&rating, &exercise.items[index]))
                .collect();
        }
        RoundKind::Rank { top_k } => {
            rank_fields(&mut view, exercise, round, *top_k, values, &errors)
        }
        RoundKind::Pick { max_picks } => {
            pick_options(&mut view, exercise, round, *max_picks, values, &errors);
        }
        RoundKind::Pairwise { .. } => {}
    }
    view.errors = errors;
    view
}

/// A suggest round: one text box per suggestion allowed.
fn suggest_fields(
    view: &mut RoundPage,
    max_suggestions: u32,
    max_length: u32,
    values: &FormValues,
    errors: &[FieldError],
) {
    view.max_length = max_length;
    view.instruction = format!(
        "Write up to {max_suggestions} questions, one in each box. Each can be up to {max_length} characters long. You only need to fill in one box."
    );
    for number in 1..=max_suggestions as usize {
        let name = format!("suggestion-{number}");
        view.suggestions.push(InputField {
            error: error_at(errors, std::slice::from_ref(&name)),
            value: values.get(&name).unwrap_or_default().to_string(),
            label: format!("Question {number}"),
            hint: None,
            options: Vec::new(),
            name,
        });
    }
}

/// What every item of a rating round page is drawn from.
struct Rating<'a> {
    scale: &'a Scale,
    allow_dont_know: bool,
    criteria: &'a [survey::Criterion],
    values: &'a FormValues,
    errors: &'a [FieldError],
    feedback: Option<&'a RoundFeedback>,
}

/// The "Don't know" option of the field `name`.
fn dont_know_option(name: &str, values: &FormValues) -> OptionView {
    OptionView {
        input_id: format!("{name}-{DONT_KNOW}"),
        value: DONT_KNOW.to_string(),
        label: "Don't know".to_string(),
        checked: values.get(name) == Some(DONT_KNOW),
    }
}

/// One item of a rating round: one field on the scale, or one field per criterion.
fn rating_item(rating: &Rating, item: &survey::Item) -> RatingItem {
    let fields = if rating.criteria.is_empty() {
        vec![scale_field(rating, item)]
    } else {
        rating
            .criteria
            .iter()
            .map(|criterion| criterion_field(rating, item, criterion))
            .collect()
    };
    RatingItem {
        anchor: format!("rating-{}", item.id),
        grouped: !rating.criteria.is_empty(),
        title: item.title.clone(),
        description: if rating.criteria.is_empty() {
            None
        } else {
            item.description.clone()
        },
        fields,
    }
}

/// The field rating an item on the round's scale, with its Delphi feedback in a re-rating round.
fn scale_field(rating: &Rating, item: &survey::Item) -> ChoiceField {
    let values = rating.values;
    let name = format!("rating-{}", item.id);
    let mut options: Vec<OptionView> = match rating.scale {
        Scale::Numeric { min, max, labels } => (*min..=*max)
            .map(|point| OptionView {
                input_id: format!("{name}-{point}"),
                value: point.to_string(),
                label: point_label(labels, point),
                checked: values.get(&name) == Some(point.to_string().as_str()),
            })
            .collect(),
        Scale::YesUndecidedNo => Vec::new(),
    };
    if rating.allow_dont_know {
        options.push(dont_know_option(&name, values));
    }
    let anchors: Vec<String> = options
        .first()
        .map(|option| option.input_id.clone())
        .into_iter()
        .collect();
    let item_feedback = rating.feedback.and_then(|feedback| {
        feedback
            .items
            .iter()
            .find(|entry| entry.item == item.id.as_str())
            .map(|entry| item_feedback_html(feedback, entry))
    });
    ChoiceField {
        error: error_at(rating.errors, &anchors),
        legend: item.title.clone(),
        hint: item.description.clone(),
        name,
        options,
        feedback: item_feedback,
        described_by: String::new(),
    }
    .describe()
}

/// The field answering one criterion for an item: yes, not sure or no.
fn criterion_field(
    rating: &Rating,
    item: &survey::Item,
    criterion: &survey::Criterion,
) -> ChoiceField {
    let values = rating.values;
    let name = format!("rating-{}-{}", item.id, criterion.id);
    let mut options: Vec<OptionView> = [("yes", "Yes"), ("undecided", "Not sure"), ("no", "No")]
        .into_iter()
        .map(|(value, label)| OptionView {
            input_id: format!("{name}-{value}"),
            value: value.to_string(),
            label: label.to_string(),
            checked: values.get(&name) == Some(value),
        })
        .collect();
    if rating.allow_dont_know {
        options.push(dont_know_option(&name, values));
    }
    ChoiceField {
        error: error_at(rating.errors, &[format!("{name}-yes")]),
        legend: criterion.label.clone(),
        hint: None,
        name,
        options,
        feedback: None,
        described_by: String::new(),
    }
    .describe()
}

/// A rank round: one select per item, "Not ranked" or a position up to `top_k`.
fn rank_fields(
    view: &mut RoundPage,
    exercise: &Exercise,
    round: &Round,
    top_k: u32,
    values: &FormValues,
    errors: &[FieldError],
) {
    let wanted = (top_k as usize).min(round.items.len());
    view.instruction = format!(
        "Give your most important topic number 1, the next number 2, and so on up to {wanted}. Leave the other topics as “Not ranked”. Each number can be used once."
    );
    for &index in &round.items {
        let item = &exercise.items[index];
        let name = format!("rank-{}", item.id);
        let current = values.get(&name).unwrap_or_default().to_string();
        let mut options = vec![OptionView {
            input_id: String::new(),
            value: String::new(),
            label: "Not ranked".to_string(),
            checked: current.is_empty(),
        }];
        options.extend((1..=wanted).map(|position| OptionView {
            input_id: String::new(),
            value: position.to_string(),
            label: position.to_string(),
            checked: current == position.to_string(),
        }));
        view.ranks.push(InputField {
            error: error_at(errors, std::slice::from_ref(&name)),
            label: item.title.clone(),
            hint: item.description.clone(),
            value: current,
            options,
            name,
        });
    }
}

/// A pick round: one checkbox per item.
fn pick_options(
    view: &mut RoundPage,
    exercise: &Exercise,
    round: &Round,
    max_picks: u32,
    values: &FormValues,
    errors: &[FieldError],
) {
    view.instruction = format!("Pick up to {max_picks} topics.");
    let chosen = values.all("picked");
    for &index in &round.items {
        let item = &exercise.items[index];
        view.picks.push(OptionView {
            input_id: format!("picked-{}", item.id),
            value: item.id.to_string(),
            label: item.title.clone(),
            checked: chosen.iter().any(|value| value == item.id.as_str()),
        });
        view.pick_hints.push(item.description.clone());
    }
    let anchors: Vec<String> = view
        .picks
        .first()
        .map(|option| option.input_id.clone())
        .into_iter()
        .collect();
    view.pick_error = error_at(errors, &anchors);
}
