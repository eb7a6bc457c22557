//! What `prioritise import --list` says: every question of an export, what it holds, how many
//! answered it, and which is taken as the group.

use crate::cells::is_unticked;
use crate::questions::{Question, QuestionKind, find_group_question, questions};
use crate::{ImportError, Options, Table};

/// One question of an export as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionSummary {
    /// The question's text, as `--question` and `--group-column` match it.
    pub text: String,
    /// What it holds.
    pub kind: QuestionKind,
    /// The labels of its items or options, for a question of several columns; the answers
    /// given, in the order they first appear, for a single choice in one column (so that a
    /// group question can be told by its answers when its heading is only a code).
    pub options: Vec<String>,
    /// How many respondents answered it (any of its columns).
    pub answered: usize,
    /// Whether it is taken as the group question.
    pub is_group: bool,
}

/// Every question of an export, with the group question chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// The questions, in file order (the tool's own columns left out).
    pub questions: Vec<QuestionSummary>,
    /// The number of responses read (previews and tests already left out).
    pub responses: usize,
    /// How many of them the tool marks incomplete.
    pub incomplete: usize,
    /// What the reader noticed (the sheet read, the encoding, rows left out).
    pub notes: Vec<String>,
}

/// Lists the questions of `table` (see [`Listing`]); the group question is the one
/// `options.group_column` (or the mapping's) names, or the one inferred.
///
/// # Errors
/// [`ImportError::Layout`] when the group question named is missing.
pub fn list(table: &Table, options: Options<'_>) -> Result<Listing, ImportError> {
    let questions = questions(table);
    let group_column = options.group_column.or_else(|| {
        options
            .mapping
            .and_then(|mapping| mapping.group_question.as_deref())
    });
    let group = find_group_question(table, &questions, group_column)?;
    let summaries = questions
        .iter()
        .map(|question| QuestionSummary {
            text: question.text.clone(),
            kind: question.kind,
            options: options_of(table, question),
            answered: answered(table, question),
            is_group: group.is_some_and(|group| std::ptr::eq(group, question)),
        })
        .collect();
    let mut notes = table.notes.clone();
    // Which scale each rating question's labels in words were read on, so that a user sees
    // the points before importing.
    notes.extend(
        questions
            .iter()
            .filter(|question| question.kind == QuestionKind::Rating)
            .filter_map(|question| question.scale.note(&question.text)),
    );
    Ok(Listing {
        questions: summaries,
        responses: table.rows.len(),
        incomplete: table.rows.iter().filter(|row| !row.complete).count(),
        notes,
    })
}

/// The labels of a question's items, or the answers of a single choice in one column.
fn options_of(table: &Table, question: &Question) -> Vec<String> {
    if question.items.is_empty() && question.kind == QuestionKind::SingleChoice {
        let mut answers: Vec<String> = Vec::new();
        for row in &table.rows {
            let cell = &row.cells[question.columns[0]];
            if !cell.is_empty() && !answers.contains(cell) {
                answers.push(cell.clone());
            }
        }
        return answers;
    }
    question
        .items
        .iter()
        .filter_map(|&index| table.columns[index].option.clone())
        .collect()
}

/// How many rows answered `question`: ticked an option of a choice block, or wrote anything
/// in any other column (a `0` or `No` typed as an answer counts).
fn answered(table: &Table, question: &Question) -> usize {
    let choice_block = !question.items.is_empty()
        && matches!(
            question.kind,
            QuestionKind::Pick | QuestionKind::SingleChoice
        );
    table
        .rows
        .iter()
        .filter(|row| {
            question.columns.iter().any(|&index| {
                let cell = row.cells[index].as_str();
                if choice_block && question.items.contains(&index) {
                    !is_unticked(cell)
                } else {
                    !cell.trim().is_empty()
                }
            })
        })
        .count()
}

/// The text of every ranking, rating or pick question of `table` that
/// [`convert`](crate::convert) can import, in file order, leaving out the group question:
/// pass each as [`Options::question`] to import them one by one.
///
/// # Errors
/// [`ImportError::Layout`] when the group question named by the options is missing.
pub fn answer_questions(table: &Table, options: Options<'_>) -> Result<Vec<String>, ImportError> {
    let listing = list(table, options)?;
    let mut texts: Vec<String> = Vec::new();
    for question in listing.questions {
        if question.kind.response_kind().is_some()
            && !question.is_group
            && !texts.contains(&question.text)
        {
            texts.push(question.text);
        }
    }
    Ok(texts)
}
