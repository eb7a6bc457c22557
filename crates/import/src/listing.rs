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
    /// The labels of its items or options, for a question of several columns.
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
            options: question
                .items
                .iter()
                .filter_map(|&index| table.columns[index].option.clone())
                .collect(),
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

/// How many rows answered any column of `question`: a cell not blank in a one-column
/// question (where `No` is an answer), a cell not unticked in a block.
fn answered(table: &Table, question: &Question) -> usize {
    let one_column = question.items.is_empty();
    table
        .rows
        .iter()
        .filter(|row| {
            question.columns.iter().any(|&index| {
                let cell = row.cells[index].as_str();
                if one_column {
                    !cell.is_empty()
                } else {
                    !is_unticked(cell)
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
