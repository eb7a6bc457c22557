//! Finding an export's questions and what each holds: the stakeholder-group question, and the
//! ranking, rating and pick (multi-select) blocks of columns.

use std::collections::{HashMap, HashSet};

use survey::responses::ResponseKind;

use crate::cells::{
    is_not_applicable, is_other_option, is_response_option, is_ticked, is_unticked, parse_rank,
    parse_rating, rating_number,
};
use crate::scales::{ScaleRead, scale_of};

use crate::{ImportError, Table, Tool};

/// What a question holds, as read from its columns and its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionKind {
    /// One column per item holding its rank.
    Ranking,
    /// One column per item holding its rating.
    Rating,
    /// A multi-select (checkbox) question: one column per option, ticked or not.
    Pick,
    /// One answer chosen from a few options: in one column, or spread one column per option
    /// with the chosen one ticked. The group question is one.
    SingleChoice,
    /// Anything else: text typed, numbers, or answers too varied to be choices.
    FreeText,
}

impl QuestionKind {
    /// How `--list` names the kind: `ranking`, `rating`, `pick`, `single choice`, `free text`.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Ranking => "ranking",
            QuestionKind::Rating => "rating",
            QuestionKind::Pick => "pick",
            QuestionKind::SingleChoice => "single choice",
            QuestionKind::FreeText => "free text",
        }
    }

    /// The exchange format's kind of an answer question; `None` for the others.
    pub fn response_kind(self) -> Option<ResponseKind> {
        match self {
            QuestionKind::Ranking => Some(ResponseKind::Ranking),
            QuestionKind::Rating => Some(ResponseKind::Rating),
            QuestionKind::Pick => Some(ResponseKind::Pick),
            QuestionKind::SingleChoice | QuestionKind::FreeText => None,
        }
    }
}

/// A question's columns: consecutive columns with the same question text, with what they
/// hold.
#[derive(Debug)]
pub(crate) struct Question {
    /// The question text.
    pub(crate) text: String,
    /// Its columns, in file order.
    pub(crate) columns: Vec<usize>,
    /// Its columns that hold items or options (not a single answer or an "Other" option).
    pub(crate) items: Vec<usize>,
    /// What it holds.
    pub(crate) kind: QuestionKind,
    /// For a rating question, the scale its labels in words are on.
    pub(crate) scale: ScaleRead,
}

impl Question {
    /// Whether it is a ranking, rating or pick question that can be imported.
    pub(crate) fn is_answer(&self) -> bool {
        self.kind.response_kind().is_some()
    }
}

/// The questions of `table`, in file order, each with its kind.
pub(crate) fn questions(table: &Table) -> Vec<Question> {
    let mut questions: Vec<(String, Vec<usize>)> = Vec::new();
    for (index, column) in table.columns.iter().enumerate() {
        if table.metadata.contains(&index) {
            continue;
        }
        match questions.last_mut() {
            Some((text, columns))
                if *text == column.question
                    && columns.last() == Some(&(index - 1))
                    && column.option.is_some() =>
            {
                columns.push(index);
            }
            _ => questions.push((column.question.clone(), vec![index])),
        }
    }
    questions
        .into_iter()
        .map(|(text, columns)| {
            let items: Vec<usize> = columns
                .iter()
                .copied()
                .filter(|&index| {
                    table.columns[index]
                        .option
                        .as_deref()
                        .is_some_and(|option| {
                            !is_response_option(option) && !is_other_option(option)
                        })
                })
                .collect();
            let kind = kind_of(table, &text, &columns, &items);
            let scale = if kind == QuestionKind::Rating {
                scale_of(words(table, &items))
            } else {
                ScaleRead::Numbers
            };
            Question {
                text,
                columns,
                items,
                kind,
                scale,
            }
        })
        .collect()
}

pub(crate) const GROUP_HINTS: [&str; 4] = [
    "group",
    "which best describes you",
    "stakeholder",
    "describes you",
];

/// The group question: the one `group_column` names (its text, else a text containing it,
/// case ignored), or else the first single-choice question whose text suggests a group
/// ([`GROUP_HINTS`]); `None` when no question suggests one and none is named.
///
/// # Errors
/// [`ImportError::Layout`] when `group_column` names no question.
pub(crate) fn find_group_question<'q>(
    table: &Table,
    questions: &'q [Question],
    group_column: Option<&str>,
) -> Result<Option<&'q Question>, ImportError> {
    let found_questions = || {
        questions
            .iter()
            .map(|question| format!("`{}`", question.text))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let layout = |expected: String| ImportError::Layout {
        source_name: table.source_name.clone(),
        tool: table.tool,
        expected,
        found: format!("the questions {}", found_questions()),
    };
    match group_column {
        Some(wanted) => {
            let wanted = wanted.trim().to_lowercase();
            questions
                .iter()
                .find(|question| question.text.trim().to_lowercase() == wanted)
                .or_else(|| {
                    questions
                        .iter()
                        .find(|question| question.text.to_lowercase().contains(&wanted))
                })
                .map(Some)
                .ok_or_else(|| {
                    layout(format!(
                        "a question whose header contains `{wanted}` (see the questions with --list)"
                    ))
                })
        }
        None => {
            let candidates: Vec<&Question> = questions
                .iter()
                .filter(|question| {
                    let text = question.text.to_lowercase();
                    question.kind == QuestionKind::SingleChoice
                        && GROUP_HINTS.iter().any(|hint| text.contains(hint))
                })
                .collect();
            // Answers in words beat numbers (`How many staff left your group?`); numbers
            // are taken when they are all there is (a numeric export's recode values).
            Ok(candidates
                .iter()
                .find(|question| !answers_are_numbers(table, question))
                .or_else(|| candidates.first())
                .copied())
        }
    }
}

/// Words in a question's text that say respondents may tick several options.
const SEVERAL_HINTS: [&str; 7] = [
    "all that apply",
    "select all",
    "check all",
    "tick all",
    "choose all",
    "one or more",
    "(s)",
];

/// What a question holds: a choice when every answer in its option columns is a tick (a pick
/// when anyone ticked two, or its text says several may be ticked), else a ranking or rating;
/// a question of one column is a single choice when its answers repeat a few options, and
/// free text otherwise.
fn kind_of(table: &Table, text: &str, columns: &[usize], items: &[usize]) -> QuestionKind {
    if items.is_empty() {
        return single_column_kind(table, columns);
    }
    let mut answered = false;
    let mut all_ticks = true;
    let mut several = false;
    for row in &table.rows {
        let mut ticked = 0;
        for &index in items {
            let cell = row.cells[index].as_str();
            if is_unticked(cell) {
                continue;
            }
            answered = true;
            let option = table.columns[index].option.as_deref().unwrap_or_default();
            if is_ticked(cell, option) {
                ticked += 1;
            } else {
                all_ticks = false;
            }
        }
        several |= ticked > 1;
    }
    if answered && all_ticks {
        let lower = text.to_lowercase();
        // LimeSurvey writes a single choice in one column, so its ticked columns are always
        // a multiple choice, however few ticked two.
        return if several
            || table.tool == Tool::LimeSurvey
            || SEVERAL_HINTS.iter().any(|hint| lower.contains(hint))
        {
            QuestionKind::Pick
        } else {
            QuestionKind::SingleChoice
        };
    }
    // An "Other" option ranked among the items still takes a place, so ranks may reach the
    // number of the question's columns.
    match classify(table, items, columns.len(), asks_to_rank(text)) {
        ResponseKind::Ranking => QuestionKind::Ranking,
        _ => QuestionKind::Rating,
    }
}

/// The most distinct answers a single-choice question is taken to have.
const MAX_CHOICES: usize = 25;

/// The longest answer a single-choice option is taken to have, in characters.
const MAX_CHOICE_LENGTH: usize = 120;

/// A question of one answer column (and perhaps an "Other" text column): a single choice when
/// most answers (three in five) repeat one of a few short options, the rest being typed
/// "Other" answers, or there are only a few answers; numbers are a single choice only when
/// they are a few whole numbers from 0 to 10 (a scale's points); free text otherwise.
fn single_column_kind(table: &Table, columns: &[usize]) -> QuestionKind {
    let Some(&column) = columns.first() else {
        return QuestionKind::FreeText;
    };
    // SurveyMonkey names a comment box's column so.
    if table.columns[column]
        .option
        .as_deref()
        .is_some_and(|option| option.trim().eq_ignore_ascii_case("open-ended response"))
    {
        return QuestionKind::FreeText;
    }
    // Qualtrics names a write-in box `Question - Other - Text`: what it holds was typed, even
    // when a few answers look like options (and it is never the group chosen).
    if table.columns[column]
        .question
        .trim_end()
        .ends_with(" - Text")
    {
        return QuestionKind::FreeText;
    }
    let answers: Vec<&str> = table
        .rows
        .iter()
        .map(|row| row.cells[column].as_str())
        .filter(|cell| !cell.is_empty())
        .collect();
    if answers.is_empty() {
        return QuestionKind::FreeText;
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for answer in &answers {
        *counts.entry(answer.to_lowercase()).or_default() += 1;
    }
    if answers.iter().all(|answer| answer.parse::<f64>().is_ok()) {
        let points = answers
            .iter()
            .all(|answer| answer.parse::<u8>().is_ok_and(|point| point <= 10));
        return if points && counts.len() <= 11 {
            QuestionKind::SingleChoice
        } else {
            QuestionKind::FreeText
        };
    }
    let common: Vec<(&String, &usize)> = counts.iter().filter(|(_, count)| **count >= 2).collect();
    let covered: usize = common.iter().map(|(_, count)| **count).sum();
    let short = |text: &str| text.chars().count() <= MAX_CHOICE_LENGTH;
    let few_options = !common.is_empty()
        && common.len() <= MAX_CHOICES
        && covered * 5 >= answers.len() * 3
        && common.iter().all(|(text, _)| short(text));
    // With only a few answers nothing repeats yet: short one-line answers are taken as options.
    let few_answers = answers.len() <= 3
        && answers
            .iter()
            .all(|answer| answer.chars().count() <= 40 && !answer.contains('\n'));
    if few_options || few_answers {
        QuestionKind::SingleChoice
    } else {
        QuestionKind::FreeText
    }
}

/// Whether every answer of a one-column question is a number: such a question is guessed to
/// be the group only when no question answered in words is.
fn answers_are_numbers(table: &Table, question: &Question) -> bool {
    question.items.is_empty()
        && question.columns.first().is_some_and(|&column| {
            table
                .rows
                .iter()
                .map(|row| row.cells[column].as_str())
                .filter(|cell| !cell.is_empty())
                .all(|cell| cell.parse::<f64>().is_ok())
        })
}

/// Whether a question's text asks to rank (a word starting with `rank`: its whole numbers
/// are ranks even when respondents typed ties or ranks beyond the items), `Some(false)` when
/// it asks to rate instead (`rate`, `rating`: its numbers are ratings even when they look like
/// ranks), `None` when it says neither.
fn asks_to_rank(text: &str) -> Option<bool> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|character: char| !character.is_alphanumeric())
        .collect();
    if words.iter().any(|word| word.starts_with("rank")) {
        Some(true)
    } else if words
        .iter()
        .any(|word| matches!(*word, "rate" | "rating" | "ratings"))
    {
        Some(false)
    } else {
        None
    }
}

/// The answers in words of a rating block's cells (numbers, blanks and "don't know" left out).
fn words<'t>(table: &'t Table, items: &[usize]) -> Vec<&'t str> {
    table
        .rows
        .iter()
        .flat_map(|row| items.iter().map(|&index| row.cells[index].as_str()))
        .filter(|cell| {
            !cell.is_empty() && !is_not_applicable(cell) && rating_number(cell).is_none()
        })
        .collect()
}

/// Tells a ranking block from a rating block by its answers (blank and `N/A` cells aside):
/// any rating label (`Very important`) makes it rating; any ordinal (`1st`) makes it ranking;
/// otherwise whole numbers are ranks when the question asks to rank (`ranked`), or, unless it
/// asks to rate, when they never exceed the number of the question's columns (`places`) and
/// never repeat within a respondent; other numbers are ratings. A block holding no rank at all
/// (answers in words that are no rating label) is taken as a rating, whose import then names
/// every cell it cannot read.
fn classify(table: &Table, items: &[usize], places: usize, ranked: Option<bool>) -> ResponseKind {
    let mut numbers_fit = true;
    let mut all_ranks = true;
    let mut any_ordinal = false;
    let mut any_rank = false;
    for row in &table.rows {
        let mut seen = HashSet::new();
        for &index in items {
            let cell = row.cells[index].as_str();
            if cell.is_empty() || is_not_applicable(cell) {
                continue;
            }
            match parse_rank(cell) {
                Some(rank) => {
                    any_rank = true;
                    any_ordinal |= cell.parse::<u32>().is_err();
                    numbers_fit &= rank as usize <= places && seen.insert(rank);
                }
                None if parse_rating(cell).is_some() => return ResponseKind::Rating,
                None => all_ranks = false,
            }
        }
    }
    if !any_rank {
        return ResponseKind::Rating;
    }
    let asked_ranks = ranked == Some(true) && all_ranks;
    let fitting_ranks = numbers_fit && ranked != Some(false);
    if any_ordinal || asked_ranks || fitting_ranks {
        ResponseKind::Ranking
    } else {
        ResponseKind::Rating
    }
}
