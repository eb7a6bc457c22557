//! Round forms: the fields of each round kind, their values from a stored answer, and the
//! answer from submitted fields, with an error per field in plain words.
//!
//! Field names: `suggestion-N` (suggest), `rating-ITEM` (rate), `rating-ITEM-CRITERION` (rate
//! with criteria), `rank-ITEM` (rank), `picked` (pick, repeated). Input ids are the field name,
//! or `FIELD-VALUE` for radios and checkboxes; an error links to the first input of its field.

use std::collections::{BTreeMap, BTreeSet};

use survey::answer::{Answer, CriterionAnswer, Rating};
use survey::{Criterion, Exercise, Round, RoundKind, Scale};

use super::{FieldError, Fields};

/// The value of a "don't know" radio.
pub const DONT_KNOW: &str = "dont-know";
/// Rating items shown on one page.
pub const RATINGS_PER_PAGE: usize = 8;

/// Form values by field name (a field may hold several values: checkboxes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormValues(BTreeMap<String, Vec<String>>);

impl FormValues {
    /// The values of a submitted form.
    pub fn from_fields(fields: &Fields) -> FormValues {
        let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in fields {
            values.entry(name.clone()).or_default().push(value.clone());
        }
        FormValues(values)
    }

    /// The values that show a stored answer in the round's form.
    pub fn from_answer(answer: &Answer) -> FormValues {
        let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut set = |name: String, value: String| values.entry(name).or_default().push(value);
        match answer {
            Answer::Rank(items) => {
                for (position, item) in items.iter().enumerate() {
                    set(format!("rank-{item}"), (position + 1).to_string());
                }
            }
            Answer::Rate(ratings) => {
                for (item, rating) in ratings {
                    match rating {
                        None => set(format!("rating-{item}"), DONT_KNOW.to_string()),
                        Some(Rating::Score(score)) => {
                            set(format!("rating-{item}"), score.to_string())
                        }
                        Some(Rating::Criteria(answers)) => {
                            for (criterion, answer) in answers {
                                let value = match answer {
                                    None => DONT_KNOW,
                                    Some(CriterionAnswer::Yes) => "yes",
                                    Some(CriterionAnswer::Undecided) => "undecided",
                                    Some(CriterionAnswer::No) => "no",
                                };
                                set(format!("rating-{item}-{criterion}"), value.to_string());
                            }
                        }
                    }
                }
            }
            Answer::Pick(items) => {
                for item in items {
                    set("picked".to_string(), item.clone());
                }
            }
            Answer::Suggest(suggestions) => {
                for (index, suggestion) in suggestions.iter().enumerate() {
                    set(format!("suggestion-{}", index + 1), suggestion.clone());
                }
            }
            Answer::Pairwise(_) => {}
        }
        FormValues(values)
    }

    /// The first value of a field, if any.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .and_then(|values| values.first())
            .map(String::as_str)
    }

    /// Every value of a field.
    pub fn all(&self, name: &str) -> &[String] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }
}

/// The items of a rating round on page `page` (1-based), and the number of pages.
pub fn rating_page(round: &Round, page: usize) -> (Vec<usize>, usize) {
    let pages = round.items.len().div_ceil(RATINGS_PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let start = (page - 1) * RATINGS_PER_PAGE;
    let items = round
        .items
        .iter()
        .skip(start)
        .take(RATINGS_PER_PAGE)
        .copied()
        .collect();
    (items, pages)
}

/// The labels of a numeric scale's points: "7" or "9 – Critical".
pub fn point_label(labels: &BTreeMap<i32, String>, point: i32) -> String {
    match labels.get(&point) {
        Some(label) => format!("{point} – {label}"),
        None => point.to_string(),
    }
}

/// The answer the submitted `values` give for `round`, or an error per field. Rating rounds
/// take the items of one page (`page_items`) and keep the ratings of other pages from
/// `earlier`.
///
/// # Errors
/// One [`FieldError`] per field to fix, in the order of the form.
pub fn parse_answer(
    exercise: &Exercise,
    round: &Round,
    values: &FormValues,
    page_items: &[usize],
    earlier: Option<&Answer>,
) -> Result<Answer, Vec<FieldError>> {
    let mut errors = Vec::new();
    let answer = match &round.kind {
        RoundKind::Suggest {
            max_suggestions,
            max_length,
        } => parse_suggestions(values, *max_suggestions, *max_length, &mut errors),
        RoundKind::Rate {
            scale,
            criteria,
            allow_dont_know,
            ..
        } => {
            let mut ratings: BTreeMap<String, Option<Rating>> = match earlier {
                Some(Answer::Rate(ratings)) => ratings.clone(),
                _ => BTreeMap::new(),
            };
            for &index in page_items {
                let item = exercise.items[index].id.to_string();
                let rating = if criteria.is_empty() {
                    parse_score(
                        exercise,
                        index,
                        values,
                        scale,
                        *allow_dont_know,
                        &mut errors,
                    )
                } else {
                    Some(Some(parse_criteria(
                        exercise,
                        index,
                        values,
                        criteria,
                        *allow_dont_know,
                        &mut errors,
                    )))
                };
                if let Some(rating) = rating {
                    ratings.insert(item, rating);
                }
            }
            Answer::Rate(ratings)
        }
        RoundKind::Rank { top_k } => parse_ranks(exercise, round, values, *top_k, &mut errors),
        RoundKind::Pick { max_picks } => {
            parse_picks(exercise, round, values, *max_picks, &mut errors)
        }
        RoundKind::Pairwise { .. } => match earlier {
            Some(answer @ Answer::Pairwise(_)) => answer.clone(),
            _ => Answer::Pairwise(Vec::new()),
        },
    };
    if errors.is_empty() {
        Ok(answer)
    } else {
        Err(errors)
    }
}

/// Reads a suggest round's answer: the non-empty `suggestion-N` fields, each within the
/// length allowed and without control characters, and at least one of them.
fn parse_suggestions(
    values: &FormValues,
    max_suggestions: u32,
    max_length: u32,
    errors: &mut Vec<FieldError>,
) -> Answer {
    let mut suggestions = Vec::new();
    for number in 1..=max_suggestions as usize {
        let name = format!("suggestion-{number}");
        let text = values.get(&name).unwrap_or_default().trim();
        if text.is_empty() {
            continue;
        }
        let length = text.chars().count();
        if length > max_length as usize {
            errors.push(FieldError {
                anchor: name,
                message: format!(
                    "Question {number} must be {max_length} characters or fewer. It has {length}."
                ),
            });
        } else if let Some(control) = survey::responses::first_refused_control(text) {
            errors.push(FieldError {
                anchor: name,
                message: format!(
                    "Question {number} must not contain a control character (U+{:04X}). Remove it.",
                    u32::from(control)
                ),
            });
        }
        suggestions.push(text.to_string());
    }
    if suggestions.is_empty() && errors.is_empty() {
        errors.push(FieldError {
            anchor: "suggestion-1".to_string(),
            message: "Write at least one question".to_string(),
        });
    }
    Answer::Suggest(suggestions)
}

/// Reads the rating of item `index` on a round without criteria: the rating to store (`None`
/// inside for "don't know"), or nothing when the field has an error.
fn parse_score(
    exercise: &Exercise,
    index: usize,
    values: &FormValues,
    scale: &Scale,
    allow_dont_know: bool,
    errors: &mut Vec<FieldError>,
) -> Option<Option<Rating>> {
    let item = &exercise.items[index];
    let name = format!("rating-{}", item.id);
    let first = match scale {
        Scale::Numeric { min, .. } => min.to_string(),
        Scale::YesUndecidedNo => "yes".to_string(),
    };
    let anchor = format!("{name}-{first}");
    match values.get(&name) {
        None => {
            errors.push(FieldError {
                anchor,
                message: format!("Choose a rating for “{}”", item.title),
            });
            None
        }
        Some(DONT_KNOW) if allow_dont_know => Some(None),
        Some(text) => match text.parse::<i32>() {
            Ok(score) if scale.contains(score) => Some(Some(Rating::Score(score))),
            _ => {
                errors.push(FieldError {
                    anchor,
                    message: format!("Choose one of the ratings for “{}”", item.title),
                });
                None
            }
        },
    }
}

/// Reads the answers for item `index` on a round with criteria, one per criterion: the rating
/// holds the answers given, and each criterion left unanswered is an error.
fn parse_criteria(
    exercise: &Exercise,
    index: usize,
    values: &FormValues,
    criteria: &[Criterion],
    allow_dont_know: bool,
    errors: &mut Vec<FieldError>,
) -> Rating {
    let item = &exercise.items[index];
    let mut answers = BTreeMap::new();
    for criterion in criteria {
        let name = format!("rating-{}-{}", item.id, criterion.id);
        let anchor = format!("{name}-yes");
        let answer = match values.get(&name) {
            Some("yes") => Some(Some(CriterionAnswer::Yes)),
            Some("undecided") => Some(Some(CriterionAnswer::Undecided)),
            Some("no") => Some(Some(CriterionAnswer::No)),
            Some(DONT_KNOW) if allow_dont_know => Some(None),
            _ => None,
        };
        match answer {
            Some(answer) => {
                answers.insert(criterion.id.to_string(), answer);
            }
            None => errors.push(FieldError {
                anchor,
                message: format!("Answer “{}” for “{}”", criterion.label, item.title),
            }),
        }
    }
    Rating::Criteria(answers)
}

/// Reads a rank round's answer: the items in the order of the numbers given, each number
/// from 1 to the top `top_k` given once, and all of them given.
fn parse_ranks(
    exercise: &Exercise,
    round: &Round,
    values: &FormValues,
    top_k: u32,
    errors: &mut Vec<FieldError>,
) -> Answer {
    let wanted = (top_k as usize).min(round.items.len());
    let by_position = read_rank_positions(exercise, round, values, wanted, errors);
    let chosen = by_position.len();
    if errors.is_empty() && chosen < wanted {
        let missing: Vec<String> = (1..=wanted)
            .filter(|position| !by_position.contains_key(position))
            .map(|position| position.to_string())
            .collect();
        let anchor = round
            .items
            .iter()
            .map(|&index| format!("rank-{}", exercise.items[index].id))
            .find(|name| values.get(name).unwrap_or_default().is_empty())
            .unwrap_or_default();
        errors.push(FieldError {
            anchor,
            message: format!(
                "Choose your top {wanted}: number {} {} not given to any topic yet",
                missing.join(", "),
                if missing.len() == 1 { "is" } else { "are" }
            ),
        });
    }
    Answer::Rank(
        by_position
            .values()
            .map(|items| exercise.items[items[0]].id.to_string())
            .collect(),
    )
}

/// Reads the `rank-ITEM` fields into the items given each number from 1 to `wanted`, with an
/// error for each number out of range and each number given to more than one item.
fn read_rank_positions(
    exercise: &Exercise,
    round: &Round,
    values: &FormValues,
    wanted: usize,
    errors: &mut Vec<FieldError>,
) -> BTreeMap<usize, Vec<usize>> {
    let mut by_position: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &index in &round.items {
        let name = format!("rank-{}", exercise.items[index].id);
        match values.get(&name).unwrap_or_default() {
            "" => {}
            text => match text.parse::<usize>() {
                Ok(position) if (1..=wanted).contains(&position) => {
                    by_position.entry(position).or_default().push(index);
                }
                _ => errors.push(FieldError {
                    anchor: name,
                    message: format!(
                        "Choose a number from 1 to {wanted} for “{}”, or leave it not ranked",
                        exercise.items[index].title
                    ),
                }),
            },
        }
    }
    for (position, items) in &by_position {
        if items.len() > 1 {
            for &index in &items[1..] {
                errors.push(FieldError {
                    anchor: format!("rank-{}", exercise.items[index].id),
                    message: format!(
                        "You gave number {position} to more than one topic. Give “{}” a different number",
                        exercise.items[index].title
                    ),
                });
            }
        }
    }
    by_position
}

/// Reads a pick round's answer: the round's items picked, each once, from one to
/// `max_picks` of them.
fn parse_picks(
    exercise: &Exercise,
    round: &Round,
    values: &FormValues,
    max_picks: u32,
    errors: &mut Vec<FieldError>,
) -> Answer {
    let known: BTreeSet<String> = round
        .items
        .iter()
        .map(|&index| exercise.items[index].id.to_string())
        .collect();
    let mut picked: Vec<String> = Vec::new();
    for value in values.all("picked") {
        if known.contains(value) && !picked.contains(value) {
            picked.push(value.clone());
        }
    }
    let anchor = round
        .items
        .first()
        .map(|&index| format!("picked-{}", exercise.items[index].id))
        .unwrap_or_default();
    if picked.is_empty() {
        errors.push(FieldError {
            anchor,
            message: "Pick at least one topic".to_string(),
        });
    } else if picked.len() > max_picks as usize {
        errors.push(FieldError {
            anchor,
            message: format!("Pick up to {max_picks} topics. You picked {}", picked.len()),
        });
    }
    Answer::Pick(picked)
}

#[cfg(test)]
mod tests;
