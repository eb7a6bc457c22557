//! Finding an export's questions: the stakeholder-group question and the ranking or rating
//! blocks of columns.

use std::collections::HashSet;

use survey::responses::ResponseKind;

use crate::cells::{
    is_not_applicable, is_other_option, is_response_option, parse_rank, parse_rating,
};

use crate::{ImportError, Options, Table};

/// A question's columns: consecutive columns with the same question text.
#[derive(Debug)]
pub(crate) struct Question {
    /// The question text.
    pub(crate) text: String,
    /// Its columns, in file order.
    pub(crate) columns: Vec<usize>,
}

pub(crate) fn questions(table: &Table) -> Vec<Question> {
    let mut questions: Vec<Question> = Vec::new();
    for (index, column) in table.columns.iter().enumerate() {
        if table.metadata.contains(&index) {
            continue;
        }
        match questions.last_mut() {
            Some(last)
                if last.text == column.question
                    && last.columns.last() == Some(&(index - 1))
                    && column.option.is_some() =>
            {
                last.columns.push(index);
            }
            _ => questions.push(Question {
                text: column.question.clone(),
                columns: vec![index],
            }),
        }
    }
    questions
}

pub(crate) const GROUP_HINTS: [&str; 4] = [
    "group",
    "which best describes you",
    "stakeholder",
    "describes you",
];

pub(crate) fn find_group_question<'q>(
    table: &Table,
    questions: &'q [Question],
    group_column: Option<&str>,
) -> Result<&'q Question, ImportError> {
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
                .ok_or_else(|| layout(format!("a question whose header contains `{wanted}`")))
        }
        None => questions
            .iter()
            .find(|question| {
                let text = question.text.to_lowercase();
                GROUP_HINTS.iter().any(|hint| text.contains(hint))
            })
            .ok_or_else(|| {
                layout(
                    "a question about the respondent's group (a header containing `group`, `which best describes you` or `stakeholder`; name it with --group-column)"
                        .to_string(),
                )
            }),
    }
}

/// The answer block chosen from the questions, with its kind.
pub(crate) struct Block<'q> {
    /// The question.
    pub(crate) question: &'q Question,
    /// Its columns that hold items (not a single answer or an "Other" option).
    pub(crate) items: Vec<usize>,
    /// Ranking or rating.
    pub(crate) kind: ResponseKind,
}

/// Tells a ranking block from a rating block by its answers (blank and `N/A` cells aside):
/// any rating label (`Very important`) makes it rating; any ordinal (`1st`) makes it ranking;
/// otherwise whole numbers that never exceed the number of the question's columns (`places`)
/// and never repeat within a respondent are ranks, and other numbers are ratings.
fn classify(table: &Table, items: &[usize], places: usize) -> ResponseKind {
    let mut numbers_fit = true;
    let mut any_ordinal = false;
    for row in &table.rows {
        let mut seen = HashSet::new();
        for &index in items {
            let cell = row.cells[index].as_str();
            if cell.is_empty() || is_not_applicable(cell) {
                continue;
            }
            match parse_rank(cell) {
                Some(rank) => {
                    any_ordinal |= cell.parse::<u32>().is_err();
                    numbers_fit &= rank as usize <= places && seen.insert(rank);
                }
                None if parse_rating(cell).is_some() => return ResponseKind::Rating,
                None => {}
            }
        }
    }
    if any_ordinal || numbers_fit {
        ResponseKind::Ranking
    } else {
        ResponseKind::Rating
    }
}

fn block_of<'q>(table: &Table, question: &'q Question) -> Option<Block<'q>> {
    let items: Vec<usize> = question
        .columns
        .iter()
        .copied()
        .filter(|&index| {
            let option = table.columns[index].option.as_deref();
            option.is_some_and(|option| !is_response_option(option) && !is_other_option(option))
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    // An "Other" option ranked among the items still takes a place, so ranks may reach the
    // number of the question's columns.
    let kind = classify(table, &items, question.columns.len());
    Some(Block {
        question,
        items,
        kind,
    })
}

/// The text of every ranking or rating question of `table` that [`convert`](crate::convert)
/// can import, in file order: pass each as [`Options::question`] to import them one by one.
///
/// # Errors
/// [`ImportError::Layout`] when the group question named by the options (or inferred) is
/// missing.
pub fn answer_questions(table: &Table, options: Options<'_>) -> Result<Vec<String>, ImportError> {
    let questions = questions(table);
    let group_column = options.group_column.or_else(|| {
        options
            .mapping
            .and_then(|mapping| mapping.group_question.as_deref())
    });
    let group_question = find_group_question(table, &questions, group_column)?;
    let mut texts: Vec<String> = Vec::new();
    for block in answer_blocks(table, &questions, group_question) {
        if !texts.contains(&block.question.text) {
            texts.push(block.question.text.clone());
        }
    }
    Ok(texts)
}

/// The ranking and rating blocks of `table`, leaving out the group question.
pub(crate) fn answer_blocks<'q>(
    table: &Table,
    questions: &'q [Question],
    group_question: &Question,
) -> Vec<Block<'q>> {
    questions
        .iter()
        .filter(|question| !std::ptr::eq(*question, group_question))
        .filter_map(|question| block_of(table, question))
        .collect()
}
