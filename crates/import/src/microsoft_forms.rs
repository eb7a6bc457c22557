//! Microsoft Forms responses workbooks (the form's Responses tab, "Open results in Excel" or
//! "Download a copy", XLSX).
//!
//! The sheet has one header row: `ID`, `Start time`, `Completion time`, `Email`, `Name` (and
//! `Last modified time` in newer workbooks; `Total points`, `Quiz feedback` and per-question
//! `Points - ...` and `Feedback - ...` columns for a quiz), then one column per question
//! headed by the question's text. Answers are the chosen options' text.
//!
//! - A Ranking question is one column whose cell lists the items in the respondent's order,
//!   each followed by `;` (`Kinship care;Early help;Social work caseloads;`). It is split into
//!   one column per item holding its rank; a list that leaves items out is a partial ranking.
//! - A Likert question has one column per statement, headed by the statement's text alone:
//!   Forms does not export the question's own text. Consecutive columns whose answers are all
//!   ratings (`4 - Very important`, `Very important`, or `N/A`) are taken as the statements of
//!   one Likert question, named `first statement … last statement`; a statement that appears
//!   again starts another question.
//! - A Choice question is one column holding the chosen option (an "Other" answer holds the
//!   text typed); it gives the group.
//!
//! Respondent ids are the `ID` column. A CSV saved from the workbook reads the same.

use std::collections::HashSet;

use crate::cells::{is_not_applicable, parse_rating};
use crate::questions::GROUP_HINTS;
use crate::sheet::{header_beginning, read_sheet, rows_under_single_header, single_header};
use crate::{Column, DataRow, ImportError, RespondentSource, Table, Tool, cell_error};

/// Columns Microsoft Forms adds itself.
const METADATA: [&str; 8] = [
    "id",
    "start time",
    "completion time",
    "email",
    "name",
    "last modified time",
    "total points",
    "quiz feedback",
];

fn is_metadata(header: &str) -> bool {
    let lower = header.trim().to_lowercase();
    METADATA.contains(&lower.as_str())
        || lower.starts_with("points - ")
        || lower.starts_with("feedback - ")
}

/// What a question column holds, judged by its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    /// Bookkeeping of Forms itself.
    Metadata,
    /// `;`-terminated lists: a Ranking question.
    Ranking,
    /// Ratings: one statement of a Likert question.
    Statement,
    /// Any other single answer.
    Single,
}

fn kind_of(header: &str, rows: &[DataRow], index: usize) -> ColumnKind {
    if is_metadata(header) {
        return ColumnKind::Metadata;
    }
    // A group question answered with numbered options (`1 - Parent`) is still the group.
    let lower = header.to_lowercase();
    let is_group = GROUP_HINTS.iter().any(|hint| lower.contains(hint));
    let answers: Vec<&str> = rows
        .iter()
        .map(|row| row.cells[index].as_str())
        .filter(|cell| !cell.is_empty())
        .collect();
    if answers.is_empty() {
        return ColumnKind::Single;
    }
    if answers.iter().all(|cell| cell.ends_with(';')) {
        return ColumnKind::Ranking;
    }
    let all_ratings = answers
        .iter()
        .all(|cell| is_not_applicable(cell) || parse_rating(cell).is_some());
    if !is_group && all_ratings && answers.iter().any(|cell| parse_rating(cell).is_some()) {
        ColumnKind::Statement
    } else {
        ColumnKind::Single
    }
}

/// The items of a ranking cell, in order.
fn ranked_items(cell: &str) -> Vec<&str> {
    cell.split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect()
}

/// How one output column takes its value from the file.
enum Source {
    /// The raw cell.
    Cell(usize),
    /// The rank of `item` in the ranking cell of the column.
    Rank { column: usize, item: String },
}

/// Reads a Microsoft Forms responses workbook (or a CSV saved from it) into a [`Table`].
///
/// # Errors
/// [`ImportError::Workbook`] or [`ImportError::Csv`] for a file that cannot be read,
/// [`ImportError::Layout`] when the header does not start with `ID` and name `Start time`,
/// [`ImportError::SheetCell`] for a ranking that lists an item twice or a row longer than the
/// header.
pub fn read_table(input: &[u8], source_name: &str) -> Result<Table, ImportError> {
    let sheet = read_sheet(input, source_name, b',')?;
    let layout = |found: String| {
        ImportError::Layout {
        source_name: source_name.to_string(),
        tool: Tool::MicrosoftForms,
        expected: "one header row starting with `ID`, `Start time`, `Completion time`, `Email`, `Name`, then the questions".to_string(),
        found,
    }
    };
    let Some(header) = single_header(&sheet) else {
        return Err(layout("an empty sheet".to_string()));
    };
    let id_column = header
        .iter()
        .position(|cell| cell.eq_ignore_ascii_case("id"));
    let has_start = header
        .iter()
        .any(|cell| cell.eq_ignore_ascii_case("start time"));
    let Some(id_column) = id_column.filter(|_| has_start) else {
        return Err(layout(header_beginning(&header, 5)));
    };
    let (raw_rows, notes) = rows_under_single_header(&sheet, &header, source_name)?;

    let mut columns = Vec::new();
    let mut sources = Vec::new();
    let mut metadata = Vec::new();
    let mut respondent_column = 0;
    // The Likert question being gathered: where its columns start and its statements.
    let mut statements: Option<(usize, HashSet<String>)> = None;
    let mut names: HashSet<String> = HashSet::new();
    let mut close_statements =
        |columns: &mut Vec<Column>, statements: &mut Option<(usize, HashSet<String>)>| {
            if let Some((start, _)) = statements.take() {
                let first = columns[start].option.clone().unwrap_or_default();
                let last = columns[columns.len() - 1]
                    .option
                    .clone()
                    .unwrap_or_default();
                let base = if columns.len() - start == 1 {
                    first
                } else {
                    format!("{first} … {last}")
                };
                // Two Likert questions with the same statements must stay two questions.
                let mut name = base.clone();
                let mut number = 1;
                while !names.insert(name.clone()) {
                    number += 1;
                    name = format!("{base} ({number})");
                }
                for column in &mut columns[start..] {
                    column.question.clone_from(&name);
                }
            }
        };
    for (index, text) in header.iter().enumerate() {
        let kind = kind_of(text, &raw_rows, index);
        if kind != ColumnKind::Statement
            || statements
                .as_ref()
                .is_some_and(|(_, seen)| seen.contains(text))
        {
            close_statements(&mut columns, &mut statements);
        }
        match kind {
            ColumnKind::Metadata | ColumnKind::Single => {
                if kind == ColumnKind::Metadata {
                    metadata.push(columns.len());
                }
                if index == id_column {
                    respondent_column = columns.len();
                }
                columns.push(Column {
                    question: text.clone(),
                    option: None,
                    position: index,
                });
                sources.push(Source::Cell(index));
            }
            ColumnKind::Statement => {
                let (_, seen) = statements.get_or_insert_with(|| (columns.len(), HashSet::new()));
                seen.insert(text.clone());
                columns.push(Column {
                    // Named once the question's last statement is known.
                    question: String::new(),
                    option: Some(text.clone()),
                    position: index,
                });
                sources.push(Source::Cell(index));
            }
            ColumnKind::Ranking => {
                let mut items: Vec<String> = Vec::new();
                for row in &raw_rows {
                    let mut in_row = HashSet::new();
                    for item in ranked_items(&row.cells[index]) {
                        if !in_row.insert(item) {
                            return Err(cell_error(
                                source_name,
                                sheet.name.as_deref(),
                                row.line,
                                index,
                                text.clone(),
                                format!("the ranking lists `{item}` twice"),
                            ));
                        }
                        if !items.iter().any(|known| known == item) {
                            items.push(item.to_string());
                        }
                    }
                }
                for item in items {
                    columns.push(Column {
                        question: text.clone(),
                        option: Some(item.clone()),
                        position: index,
                    });
                    sources.push(Source::Rank {
                        column: index,
                        item,
                    });
                }
            }
        }
    }
    close_statements(&mut columns, &mut statements);

    let rows = raw_rows
        .iter()
        .map(|row| DataRow {
            line: row.line,
            cells: sources
                .iter()
                .map(|source| match source {
                    Source::Cell(index) => row.cells[*index].clone(),
                    Source::Rank { column, item } => ranked_items(&row.cells[*column])
                        .iter()
                        .position(|ranked| ranked == item)
                        .map(|position| (position + 1).to_string())
                        .unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    Ok(Table {
        tool: Tool::MicrosoftForms,
        source_name: source_name.to_string(),
        columns,
        metadata,
        respondents: RespondentSource::Column(respondent_column),
        rows,
        sheet: sheet.name,
        notes,
    })
}
