//! [`convert`]: from a [`Table`] to the answers of one question, in memory.

use std::collections::{HashMap, HashSet};

use survey::responses::ResponseKind;

use crate::cells::{
    is_not_applicable, is_other_option, is_response_option, parse_rank, parse_rating,
};
use crate::labels::map_labels;
use crate::questions::{Block, Question, answer_blocks, find_group_question, questions};
use crate::{
    Answer, DataRow, ImportError, Imported, Mapping, Options, RespondentSource, Table, Tool, Value,
};

/// Finds the group question and the ranking or rating block of `table`, maps labels to ids and
/// builds every answer in memory.
///
/// # Errors
/// [`ImportError`] for a missing group question or answer block, an unreadable cell, a
/// repeated respondent id, and labels that match nothing in the exercise.
pub fn convert(table: &Table, options: Options<'_>) -> Result<Imported, ImportError> {
    let questions = questions(table);
    let mapping = options.mapping;
    let group_column = options
        .group_column
        .or_else(|| mapping.and_then(|mapping| mapping.group_question.as_deref()));
    let wanted_question = options
        .question
        .or_else(|| mapping.and_then(|mapping| mapping.question.as_deref()));
    let group_question = find_group_question(table, &questions, group_column)?;
    let mut notes = table.notes.clone();
    let mut blocks = answer_blocks(table, &questions, group_question);
    if let Some(wanted) = wanted_question {
        keep_blocks_asked_for(table, &questions, &mut blocks, wanted)?;
    }
    let chosen = choose_block(table, &questions, &blocks)?;
    for (index, block) in blocks.iter().enumerate() {
        if index != chosen {
            notes.push(format!(
                "ignored question `{}` ({} columns); only `{}` was imported (choose another with --question)",
                block.question.text,
                block.items.len(),
                blocks[chosen].question.text
            ));
        }
    }
    let block = &blocks[chosen];
    let item_labels = item_labels(table, block);
    let item_ids = map_item_labels(table, &item_labels, options)?;
    let group_labels = group_labels(table, group_question);
    let group_ids = map_group_labels(table, &group_labels, options)?;
    let read = read_rows(
        table,
        block,
        &item_labels,
        &item_ids,
        group_question,
        &group_ids,
    )?;
    if read.without_answers > 0 {
        notes.push(format!(
            "skipped {} respondents who did not answer `{}`",
            read.without_answers, block.question.text
        ));
    }
    if read.renumbered_count > 0 {
        notes.push(format!(
            "renumbered the ranks of {} respondents whose ranks skipped places (an \"Other\" option or a blank place), keeping their order",
            read.renumbered_count
        ));
    }
    if read.without_group > 0 {
        notes.push(format!(
            "skipped {} respondents who did not answer `{}`",
            read.without_group, group_question.text
        ));
    }
    let used = Mapping {
        group_question: Some(group_question.text.clone()),
        question: Some(block.question.text.clone()),
        items: item_ids.into_iter().collect(),
        groups: group_ids.into_iter().collect(),
    };
    Ok(Imported {
        kind: block.kind,
        answers: read.answers,
        respondent_count: read.respondent_count,
        notes,
        mapping: used,
    })
}

/// The questions of `table`, `` `text` `` each, for a message.
fn question_list(questions: &[Question]) -> String {
    questions
        .iter()
        .map(|question| format!("`{}`", question.text))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Keeps the blocks whose question is the one `wanted` (case-insensitive): the question whose
/// text equals it, else those whose text contains it.
fn keep_blocks_asked_for(
    table: &Table,
    questions: &[Question],
    blocks: &mut Vec<Block<'_>>,
    wanted: &str,
) -> Result<(), ImportError> {
    let wanted = wanted.trim().to_lowercase();
    // A question whose text is exactly the one asked for wins over those that contain it,
    // so that every question can be chosen even when one's text contains another's.
    if blocks
        .iter()
        .any(|block| block.question.text.trim().to_lowercase() == wanted)
    {
        blocks.retain(|block| block.question.text.trim().to_lowercase() == wanted);
    } else {
        blocks.retain(|block| block.question.text.to_lowercase().contains(&wanted));
    }
    if blocks.is_empty() {
        return Err(ImportError::Layout {
            source_name: table.source_name.clone(),
            tool: table.tool,
            expected: format!("a ranking or rating question whose header contains `{wanted}`"),
            found: format!("the questions {}", question_list(questions)),
        });
    }
    Ok(())
}

/// The index of the block to import: the first ranking block, else the first block.
fn choose_block(
    table: &Table,
    questions: &[Question],
    blocks: &[Block<'_>],
) -> Result<usize, ImportError> {
    blocks
        .iter()
        .position(|block| block.kind == ResponseKind::Ranking)
        .or_else(|| (!blocks.is_empty()).then_some(0))
        .ok_or_else(|| ImportError::Layout {
            source_name: table.source_name.clone(),
            tool: table.tool,
            expected: match table.tool {
                Tool::SurveyMonkey => "a ranking or matrix rating question: a block of columns under one question, one per item (row 2 of the header naming the item)".to_string(),
                Tool::GoogleForms => "a ranking grid: columns headed `Question [Item]`".to_string(),
                Tool::MicrosoftForms => "a Ranking question (cells listing the items in order, each followed by `;`) or a Likert question (one column per statement holding the chosen rating)".to_string(),
                Tool::Qualtrics => "a rank order or matrix question: columns `Q2_1`, `Q2_2`, ... whose second header row reads `Question - Item`".to_string(),
                Tool::LimeSurvey => "a ranking or array question: columns `Q2[1]`, `Q2[2]`, ... (or `Question [Rank 1]`, `Question [Item]`)".to_string(),
            },
            found: format!("only single-answer questions: {}", question_list(questions)),
        })
}

/// The item label of each of the block's item columns, trimmed.
fn item_labels(table: &Table, block: &Block<'_>) -> Vec<String> {
    block
        .items
        .iter()
        .map(|&index| {
            table.columns[index]
                .option
                .clone()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .collect()
}

/// Maps item labels to the exercise's item ids (matched by title), or to slugs.
fn map_item_labels(
    table: &Table,
    item_labels: &[String],
    options: Options<'_>,
) -> Result<HashMap<String, String>, ImportError> {
    map_labels(
        table,
        "item",
        item_labels,
        options.exercise.map(|exercise| {
            (
                exercise,
                exercise
                    .items
                    .iter()
                    .map(|item| (item.id.to_string(), vec![item.title.clone()]))
                    .collect(),
            )
        }),
        options.mapping.map(|mapping| &mapping.items),
    )
}

/// Maps group answers to the exercise's group ids (matched by id or label), or to slugs.
fn map_group_labels(
    table: &Table,
    group_labels: &[String],
    options: Options<'_>,
) -> Result<HashMap<String, String>, ImportError> {
    map_labels(
        table,
        "group",
        group_labels,
        options.exercise.map(|exercise| {
            (
                exercise,
                exercise
                    .groups
                    .iter()
                    .map(|group| {
                        (
                            group.id.to_string(),
                            vec![group.id.to_string(), group.label.clone()],
                        )
                    })
                    .collect(),
            )
        }),
        options.mapping.map(|mapping| &mapping.groups),
    )
}

/// The group answer of `row`: the single answer column, or a chosen option of a block, or the
/// text of an "Other (please specify)" column.
fn group_value(table: &Table, group_question: &Question, row: &DataRow) -> Option<String> {
    let mut other = None;
    for &index in &group_question.columns {
        let cell = row.cells[index].as_str();
        if cell.is_empty() {
            continue;
        }
        match table.columns[index].option.as_deref() {
            Some(option) if is_other_option(option) => other = Some("Other".to_string()),
            Some(option) if !is_response_option(option) => return Some(option.to_string()),
            // A chosen "Other (please specify)" whose text is in another column.
            _ if is_other_option(cell) => return Some("Other".to_string()),
            _ => return Some(cell.to_string()),
        }
    }
    other
}

/// Every group answer of the table, once each, in the order they first appear.
fn group_labels(table: &Table, group_question: &Question) -> Vec<String> {
    let mut group_labels: Vec<String> = Vec::new();
    let mut seen_groups = HashSet::new();
    for row in &table.rows {
        if let Some(label) = group_value(table, group_question, row)
            && seen_groups.insert(label.clone())
        {
            group_labels.push(label);
        }
    }
    group_labels
}

/// The answers of every row, with counts of the rows left out and renumbered.
struct RowsRead {
    /// The answers, respondent by respondent in file order.
    answers: Vec<Answer>,
    /// How many respondents gave at least one answer and a group.
    respondent_count: usize,
    /// Rows without a group answer.
    without_group: usize,
    /// Rows without an answer to the block.
    without_answers: usize,
    /// Respondents whose ranks were renumbered.
    renumbered_count: usize,
}

/// Reads the answers of every row, leaving out rows without answers or without a group.
fn read_rows(
    table: &Table,
    block: &Block<'_>,
    item_labels: &[String],
    item_ids: &HashMap<String, String>,
    group_question: &Question,
    group_ids: &HashMap<String, String>,
) -> Result<RowsRead, ImportError> {
    let mut read = RowsRead {
        answers: Vec::new(),
        respondent_count: 0,
        without_group: 0,
        without_answers: 0,
        renumbered_count: 0,
    };
    let mut seen_respondents = HashSet::new();
    for (row_number, row) in table.rows.iter().enumerate() {
        let respondent = respondent_of(table, row, row_number, &mut seen_respondents)?;
        let mut row_answers = row_answers(table, row, block, item_labels, item_ids)?;
        // Ranking rows are written in rank order, as a reader would list them.
        row_answers.sort_by_key(|(_, value)| match value {
            Value::Rank(rank) => *rank,
            Value::Rating(_) => 0,
        });
        let renumbered = renumber_ranks(&mut row_answers);
        if row_answers.is_empty() {
            read.without_answers += 1;
            continue;
        }
        let Some(group_label) = group_value(table, group_question, row) else {
            read.without_group += 1;
            continue;
        };
        let group = group_ids[&group_label].clone();
        read.respondent_count += 1;
        read.renumbered_count += usize::from(renumbered);
        for (item, value) in row_answers {
            read.answers.push(Answer {
                respondent: respondent.clone(),
                group: group.clone(),
                item,
                value,
            });
        }
    }
    Ok(read)
}

/// The respondent id of `row`: its id column (not empty, not seen before), or `row-N`.
fn respondent_of(
    table: &Table,
    row: &DataRow,
    row_number: usize,
    seen_respondents: &mut HashSet<String>,
) -> Result<String, ImportError> {
    match table.respondents {
        RespondentSource::Column(index) => {
            let id = row.cells[index].clone();
            if id.is_empty() {
                return Err(table.cell_error(
                    row.line,
                    index,
                    "the respondent id is empty".to_string(),
                ));
            }
            if !seen_respondents.insert(id.clone()) {
                return Err(table.cell_error(
                    row.line,
                    index,
                    format!("respondent `{id}` appears twice"),
                ));
            }
            Ok(id)
        }
        RespondentSource::RowNumber => Ok(format!("row-{}", row_number + 1)),
    }
}

/// The item id and value of each answered cell of the block in `row`, in column order.
fn row_answers(
    table: &Table,
    row: &DataRow,
    block: &Block<'_>,
    item_labels: &[String],
    item_ids: &HashMap<String, String>,
) -> Result<Vec<(String, Value)>, ImportError> {
    let cell_error = |index: usize, message: String| table.cell_error(row.line, index, message);
    let mut row_answers = Vec::new();
    for (&index, label) in block.items.iter().zip(item_labels) {
        let cell = row.cells[index].as_str();
        let value = if block.kind == ResponseKind::Ranking {
            if cell.is_empty() || is_not_applicable(cell) {
                continue;
            }
            Value::Rank(parse_rank(cell).ok_or_else(|| {
                cell_error(
                    index,
                    format!("`{cell}` is not a rank (1, 2, ... or 1st, 2nd, ...)"),
                )
            })?)
        } else if cell.is_empty() {
            continue;
        } else if is_not_applicable(cell) {
            Value::Rating(None)
        } else {
            Value::Rating(Some(parse_rating(cell).ok_or_else(|| {
                cell_error(
                    index,
                    format!(
                        "`{cell}` is not a rating: give the scale's labels numbers (`1 - Not important`) or use the usual five importance labels"
                    ),
                )
            })?))
        };
        row_answers.push((item_ids[label].clone(), value));
    }
    Ok(row_answers)
}

/// Renumbers ranks that skip places (an "Other" option ranked among the items, a blank place)
/// as competition ranks of the items ranked, keeping their order and ties: the items' order is
/// the answer, and a round's top k counts items. Returns whether any rank changed.
fn renumber_ranks(row_answers: &mut [(String, Value)]) -> bool {
    let ranks: Vec<u32> = row_answers
        .iter()
        .filter_map(|(_, value)| match value {
            Value::Rank(rank) => Some(*rank),
            Value::Rating(_) => None,
        })
        .collect();
    let mut renumbered = false;
    for (_, value) in row_answers.iter_mut() {
        if let Value::Rank(rank) = value {
            let place = ranks.iter().filter(|other| **other < *rank).count() + 1;
            let place = u32::try_from(place).unwrap_or(u32::MAX);
            renumbered |= place != *rank;
            *rank = place;
        }
    }
    renumbered
}
