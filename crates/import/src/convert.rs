//! [`convert`]: from a [`Table`] to the answers of one question, in memory.

use std::collections::{HashMap, HashSet};

use survey::responses::{Against, MAX_LISTED_PROBLEMS, ResponseKind};

use crate::cells::{
    is_not_applicable, is_other_option, is_response_option, is_ticked, is_unticked,
};
use crate::cells::{parse_rank, parse_rating_on, rating_number};
use crate::labels::map_labels;
use crate::questions::{Question, QuestionKind, find_group_question, questions};
use crate::scales::{ScaleRead, unknown_label_message};
use crate::{
    Answer, DataRow, ImportError, Imported, Mapping, Options, RespondentSource, Table, Tool, Value,
};

/// The group every respondent is in when the export asked nobody's group.
pub(crate) const ONE_GROUP: &str = "all";

/// Finds the group question and the ranking, rating or pick question of `table`, maps labels
/// to ids and builds every answer in memory.
///
/// # Errors
/// [`ImportError`] for a missing answer question, unreadable cells (every one, up to 50), a
/// repeated respondent id, labels that match nothing in the exercise, and items of the
/// exercise's round that the question did not ask.
pub fn convert(table: &Table, options: Options<'_>) -> Result<Imported, ImportError> {
    if table.rows.is_empty() {
        return Err(ImportError::NoResponses {
            source_name: table.source_name.clone(),
            why: table
                .notes
                .last()
                .map_or_else(String::new, |note| format!(" ({note})")),
        });
    }
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
    let mut blocks: Vec<&Question> = questions
        .iter()
        .filter(|question| question.is_answer())
        .filter(|question| !group_question.is_some_and(|group| std::ptr::eq(*question, group)))
        .collect();
    if let Some(wanted) = wanted_question {
        keep_blocks_asked_for(table, &questions, &mut blocks, wanted)?;
    }
    let chosen = choose_block(table, &questions, &blocks)?;
    for (index, block) in blocks.iter().enumerate() {
        if index != chosen {
            notes.push(format!(
                "ignored {} question `{}` ({} columns); only `{}` was imported (choose another with --question; see them all with --list)",
                block.kind.as_str(),
                block.text,
                block.items.len(),
                blocks[chosen].text
            ));
        }
    }
    let block = blocks[chosen];
    let kind = block
        .kind
        .response_kind()
        .expect("only answer questions are chosen");
    let scale_table = mapping
        .map(|mapping| &mapping.scale)
        .filter(|scale| !scale.is_empty());
    if kind == ResponseKind::Rating {
        match scale_table {
            Some(scale) => notes.push(format!(
                "read the labels of `{}` with the mapping's [scale]: {}",
                block.text,
                scale
                    .iter()
                    .map(|(label, point)| format!("`{label}` = {point}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            None => notes.extend(block.scale.note(&block.text)),
        }
    }
    let item_labels = item_labels(table, block);
    let item_ids = map_item_labels(table, &item_labels, options)?;
    check_items_asked(table, block, kind, &item_ids, options)?;
    let group_labels = match group_question {
        Some(question) => group_labels(table, question),
        None => {
            notes.push(format!(
                "no question about the respondent's group was found, so everyone is in one group `{ONE_GROUP}`; name the group question with --group-column (see the questions with --list)"
            ));
            vec![ONE_GROUP.to_string()]
        }
    };
    let group_ids = map_group_labels(table, &group_labels, group_question.is_none(), options)?;
    let rows = kept_rows(table, options.complete_only, &mut notes);
    let read = read_rows(
        table,
        &rows,
        Block {
            question: block,
            item_labels: &item_labels,
            item_ids: &item_ids,
            scale_table,
        },
        group_question,
        &group_ids,
    )?;
    if read.without_answers > 0 {
        notes.push(format!(
            "skipped {} respondents who did not answer `{}`",
            read.without_answers, block.text
        ));
    }
    if read.renumbered_count > 0 {
        notes.push(format!(
            "renumbered the ranks of {} respondents whose ranks skipped places (an \"Other\" option, a blank place, or ranks typed beyond the items), keeping their order and ties",
            read.renumbered_count
        ));
    }
    if let Some(group_question) = group_question
        && read.without_group > 0
    {
        notes.push(format!(
            "skipped {} respondents who did not answer `{}`",
            read.without_group, group_question.text
        ));
    }
    let used = Mapping {
        group_question: group_question.map(|question| question.text.clone()),
        question: Some(block.text.clone()),
        items: item_ids.into_iter().collect(),
        groups: group_ids.into_iter().collect(),
        scale: match (scale_table, &block.scale) {
            (Some(scale), _) => scale.clone(),
            (None, ScaleRead::Words { scale, labels }) => labels
                .iter()
                .filter_map(|label| scale.point(label).map(|point| (label.clone(), point)))
                .collect(),
            (None, _) => std::collections::BTreeMap::new(),
        },
    };
    Ok(Imported {
        kind,
        answers: read.answers,
        respondent_count: read.respondent_count,
        notes,
        mapping: used,
    })
}

/// The rows to read: all, or only those the tool marks complete; a note counts the
/// incomplete ones either way.
fn kept_rows<'t>(
    table: &'t Table,
    complete_only: bool,
    notes: &mut Vec<String>,
) -> Vec<&'t DataRow> {
    let incomplete = table.rows.iter().filter(|row| !row.complete).count();
    if incomplete > 0 {
        notes.push(if complete_only {
            format!("left out {incomplete} responses the tool marks incomplete (--complete-only)")
        } else {
            format!(
                "kept {incomplete} responses the tool marks incomplete, for the questions they answered; leave them out with --complete-only"
            )
        });
    }
    table
        .rows
        .iter()
        .filter(|row| row.complete || !complete_only)
        .collect()
}

/// Refuses an import whose question asked fewer items than the exercise's round has: the
/// round would rank the items nobody was asked as if everyone had left them unranked.
fn check_items_asked(
    table: &Table,
    block: &Question,
    kind: ResponseKind,
    item_ids: &HashMap<String, String>,
    options: Options<'_>,
) -> Result<(), ImportError> {
    let Some(exercise) = options.exercise else {
        return Ok(());
    };
    let (round, expected): (Option<String>, Vec<&survey::Item>) =
        match Against::choose(exercise, options.round, kind) {
            Ok(against) => (
                Some(against.round.id.to_string()),
                exercise.round_items(against.round).collect(),
            ),
            Err(message) if options.round.is_some() => {
                return Err(ImportError::Mapping {
                    source_name: table.source_name.clone(),
                    message,
                });
            }
            Err(_) => (None, exercise.items.iter().collect()),
        };
    let asked: HashSet<&str> = item_ids.values().map(String::as_str).collect();
    let unasked: Vec<String> = expected
        .iter()
        .filter(|item| !asked.contains(item.id.as_str()))
        .map(|item| item.title.clone())
        .collect();
    if unasked.is_empty() {
        return Ok(());
    }
    let mut asked: Vec<String> = asked.iter().map(|id| (*id).to_string()).collect();
    asked.sort_unstable();
    Err(ImportError::Unasked {
        source_name: table.source_name.clone(),
        question: block.text.clone(),
        asked,
        against: match round {
            Some(round) => format!("round `{round}` of exercise `{}`", exercise.id),
            None => format!("exercise `{}`", exercise.id),
        },
        unasked,
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
    blocks: &mut Vec<&Question>,
    wanted: &str,
) -> Result<(), ImportError> {
    let wanted = wanted.trim().to_lowercase();
    // A question whose text is exactly the one asked for wins over those that contain it,
    // so that every question can be chosen even when one's text contains another's.
    if blocks
        .iter()
        .any(|block| block.text.trim().to_lowercase() == wanted)
    {
        blocks.retain(|block| block.text.trim().to_lowercase() == wanted);
    } else {
        blocks.retain(|block| block.text.to_lowercase().contains(&wanted));
    }
    if blocks.is_empty() {
        let named = questions
            .iter()
            .find(|question| question.text.trim().to_lowercase() == wanted)
            .or_else(|| {
                questions
                    .iter()
                    .find(|question| question.text.to_lowercase().contains(&wanted))
            });
        return Err(ImportError::Layout {
            source_name: table.source_name.clone(),
            tool: table.tool,
            expected: format!(
                "a ranking, rating or pick question whose header contains `{wanted}`"
            ),
            found: match named {
                Some(question) => format!(
                    "`{}`, which reads as a {} question (see every question with --list)",
                    question.text,
                    question.kind.as_str()
                ),
                None => format!("the questions {}", question_list(questions)),
            },
        });
    }
    Ok(())
}

/// The index of the block to import: the first ranking block, else the first rating block,
/// else the first pick block.
fn choose_block(
    table: &Table,
    questions: &[Question],
    blocks: &[&Question],
) -> Result<usize, ImportError> {
    [QuestionKind::Ranking, QuestionKind::Rating, QuestionKind::Pick]
        .iter()
        .find_map(|kind| blocks.iter().position(|block| block.kind == *kind))
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
            found: format!(
                "only single-answer questions: {} (see what each holds with --list)",
                question_list(questions)
            ),
        })
}

/// The item label of each of the block's item columns, trimmed.
fn item_labels(table: &Table, block: &Question) -> Vec<String> {
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
/// `one_group` says the export asked nobody's group and everyone is in [`ONE_GROUP`].
fn map_group_labels(
    table: &Table,
    group_labels: &[String],
    one_group: bool,
    options: Options<'_>,
) -> Result<HashMap<String, String>, ImportError> {
    if one_group
        && let Some(exercise) = options.exercise
        && !exercise
            .groups
            .iter()
            .any(|group| group.id.as_str() == ONE_GROUP)
    {
        return Err(ImportError::Layout {
            source_name: table.source_name.clone(),
            tool: table.tool,
            expected: format!(
                "a question about the respondent's group, as exercise `{}` has groups {}: name it with --group-column (see the questions with --list)",
                exercise.id,
                exercise
                    .groups
                    .iter()
                    .map(|group| format!("`{}`", group.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            found: "no question whose header suggests a group".to_string(),
        });
    }
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

/// The group answer of `row`: the single answer column, or a ticked option of a block, or the
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
            Some(option) if !is_response_option(option) => {
                if !is_unticked(cell) {
                    return Some(option.to_string());
                }
            }
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

/// The question being imported, with its item labels and ids and the mapping's [scale].
#[derive(Clone, Copy)]
struct Block<'a> {
    /// The question.
    question: &'a Question,
    /// The label of each of its item columns.
    item_labels: &'a [String],
    /// Each item label's id.
    item_ids: &'a HashMap<String, String>,
    /// The mapping file's label-to-point table, when it has one.
    scale_table: Option<&'a std::collections::BTreeMap<String, i32>>,
}

/// Reads the answers of every row, leaving out rows without answers or without a group.
///
/// # Errors
/// Every unreadable cell and repeated or empty respondent id, up to
/// [`MAX_LISTED_PROBLEMS`], as one [`ImportError::Many`] (or the error itself when there is
/// one).
fn read_rows(
    table: &Table,
    rows: &[&DataRow],
    block: Block<'_>,
    group_question: Option<&Question>,
    group_ids: &HashMap<String, String>,
) -> Result<RowsRead, ImportError> {
    let mut read = RowsRead {
        answers: Vec::new(),
        respondent_count: 0,
        without_group: 0,
        without_answers: 0,
        renumbered_count: 0,
    };
    let mut problems = Problems::default();
    let mut seen_respondents = HashSet::new();
    for (row_number, row) in rows.iter().enumerate() {
        let respondent = respondent_of(table, row, row_number, &mut seen_respondents);
        let row_answers = row_answers(table, row, block);
        let (respondent, mut row_answers) = match (respondent, row_answers) {
            (Ok(respondent), Ok(row_answers)) => (respondent, row_answers),
            (respondent, row_answers) => {
                problems.extend(respondent.err());
                problems.extend(row_answers.err().into_iter().flatten());
                continue;
            }
        };
        // Ranking rows are written in rank order, as a reader would list them.
        row_answers.sort_by_key(|(_, value)| match value {
            Value::Rank(rank) => *rank,
            Value::Rating(_) | Value::Picked => 0,
        });
        let renumbered = renumber_ranks(&mut row_answers);
        if row_answers.is_empty() {
            read.without_answers += 1;
            continue;
        }
        let group_label = match group_question {
            Some(question) => group_value(table, question, row),
            None => Some(ONE_GROUP.to_string()),
        };
        let Some(group_label) = group_label else {
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
    problems.into_result()?;
    Ok(read)
}

/// The problems found so far, the first [`MAX_LISTED_PROBLEMS`] kept and the rest counted.
#[derive(Default)]
pub(crate) struct Problems {
    listed: Vec<ImportError>,
    more: usize,
}

impl Problems {
    /// Adds problems.
    pub(crate) fn extend(&mut self, problems: impl IntoIterator<Item = ImportError>) {
        for problem in problems {
            if self.listed.len() < MAX_LISTED_PROBLEMS {
                self.listed.push(problem);
            } else {
                self.more += 1;
            }
        }
    }

    /// `Ok` when there are none, the problem itself when there is one, else all of them.
    pub(crate) fn into_result(mut self) -> Result<(), ImportError> {
        match (self.listed.len(), self.more) {
            (0, _) => Ok(()),
            (1, 0) => Err(self.listed.remove(0)),
            _ => Err(ImportError::Many {
                problems: self.listed,
                more: self.more,
            }),
        }
    }
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
///
/// # Errors
/// Every cell of the row that cannot be read.
fn row_answers(
    table: &Table,
    row: &DataRow,
    block: Block<'_>,
) -> Result<Vec<(String, Value)>, Vec<ImportError>> {
    let Block {
        question: block,
        item_labels,
        item_ids,
        scale_table,
    } = block;
    let cell_error = |index: usize, message: String| table.cell_error(row.line, index, message);
    let mut row_answers = Vec::new();
    let mut errors = Vec::new();
    for (&index, label) in block.items.iter().zip(item_labels) {
        let cell = row.cells[index].as_str();
        let value = match block.kind {
            QuestionKind::Ranking => {
                if cell.is_empty() || is_not_applicable(cell) {
                    continue;
                }
                match parse_rank(cell) {
                    Some(rank) => Value::Rank(rank),
                    None => {
                        errors.push(cell_error(
                            index,
                            format!("`{cell}` is not a rank (1, 2, ... or 1st, 2nd, ...)"),
                        ));
                        continue;
                    }
                }
            }
            QuestionKind::Pick => {
                if is_unticked(cell) {
                    continue;
                }
                if !is_ticked(cell, label) {
                    errors.push(cell_error(
                        index,
                        format!("`{cell}` does not say whether `{label}` was chosen (expected its label, `1`, `Y` or a blank)"),
                    ));
                    continue;
                }
                Value::Picked
            }
            _ if cell.is_empty() => continue,
            _ if is_not_applicable(cell) => Value::Rating(None),
            _ => match rating_of(cell, block, scale_table) {
                Ok(rating) => Value::Rating(Some(rating)),
                Err(message) => {
                    errors.push(cell_error(index, message));
                    continue;
                }
            },
        };
        row_answers.push((item_ids[label].clone(), value));
    }
    if errors.is_empty() {
        Ok(row_answers)
    } else {
        Err(errors)
    }
}

/// The rating of `cell` of a rating question: a number (`4`, `4 - Very important`), else its
/// point under the mapping's [scale] when there is one, else on the question's scale in
/// words; the error message says what to do otherwise.
fn rating_of(
    cell: &str,
    block: &Question,
    scale_table: Option<&std::collections::BTreeMap<String, i32>>,
) -> Result<survey::responses::RatingValue, String> {
    if let Some(rating) = rating_number(cell) {
        return Ok(rating);
    }
    match scale_table {
        Some(table) => table
            .iter()
            .find(|(label, _)| label.trim().eq_ignore_ascii_case(cell.trim()))
            .map(|(_, point)| survey::responses::RatingValue::Score(*point))
            .ok_or_else(|| {
                format!("`{cell}` is not a rating: it is not a number and not under [scale] in the mapping file")
            }),
        None => parse_rating_on(cell, block.scale.scale())
            .ok_or_else(|| unknown_label_message(cell, block.scale.scale())),
    }
}

/// Renumbers ranks that skip places (an "Other" option ranked among the items, a blank place,
/// a rank typed beyond the number of items) as competition ranks of the items ranked, keeping
/// their order and ties: the items' order is the answer, and a round's top k counts items.
/// Returns whether any rank changed.
fn renumber_ranks(row_answers: &mut [(String, Value)]) -> bool {
    let ranks: Vec<u32> = row_answers
        .iter()
        .filter_map(|(_, value)| match value {
            Value::Rank(rank) => Some(*rank),
            Value::Rating(_) | Value::Picked => None,
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
