//! Microsoft Forms responses workbooks (the form's Responses tab, "Open results in Excel" or
//! "Download a copy", XLSX).
//!
//! The sheet has one header row: `ID`, `Start time`, `Completion time`, `Email`, `Name` (and
//! `Last modified time` in newer workbooks; `Total points`, `Quiz feedback` and per-question
//! `Points - ...` and `Feedback - ...` columns for a quiz), then one column per question
//! headed by the question's text. Answers are the chosen options' text. Forms writes these
//! headers in the language of the form's owner: French (`Heure de début`, `Heure de fin`,
//! `Adresse de messagerie`, `Nom`, `Heure de la dernière modification`), German (`Id`,
//! `Startzeit`, `Fertigstellungszeit`, `E-Mail`, `Name`), Spanish (`Hora de inicio`, `Hora de
//! finalización`, `Correo electrónico`, `Nombre`, `Hora de la última modificación`) and Dutch
//! (`Begintijd`, `Tijd van voltooien`, `E-mail`, `Naam`, `Tijd van laatste wijziging`) are
//! recognised, as they appear in published scripts that read such workbooks.
//!
//! The responses need not be on the first sheet: a workbook re-saved in another program may
//! start with an empty sheet and a hidden sheet holding the form's id. The sheet read is the
//! first whose first row names `ID` and a start time; a note names it.
//!
//! - A Ranking question is one column whose cell lists the items in the respondent's order,
//!   each followed by `;` (`Kinship care;Early help;Social work caseloads;`). It is split into
//!   one column per item holding its rank; a list that leaves items out is a partial ranking.
//! - A Choice question that allows several answers also lists the options chosen, each
//!   followed by `;` (`Early help;Kinship care;`), in the form's order of options. Such lists
//!   are told from rankings by their answers: lists that all name every option are a ranking;
//!   lists that vary in length are a multi-select unless two of them order two options
//!   differently (a partial ranking); a header mentioning `rank` is always a ranking. A
//!   multi-select is split into one column per option holding its label when chosen.
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
use crate::choices::{JoinedChoices, split_joined};
use crate::questions::GROUP_HINTS;
use crate::sheet::{
    Records, Sheet, header_beginning, is_workbook, read_sheet, read_workbook_sheet,
    rows_under_single_header, single_header,
};
use crate::{Column, DataRow, ImportError, RespondentSource, Table, Tool, cell_error};

/// The header of the start-time column, in the languages whose workbooks have been seen:
/// English, French, German, Spanish and Dutch.
const START_TIME: [&str; 5] = [
    "start time",
    "heure de début",
    "startzeit",
    "hora de inicio",
    "begintijd",
];

/// Columns Microsoft Forms adds itself, in the languages of [`START_TIME`] (lowercase): the
/// completion time, email, name and last-modified columns, and a quiz's points and feedback.
const METADATA: [&str; 20] = [
    "id",
    "completion time",
    "heure de fin",
    "fertigstellungszeit",
    "hora de finalización",
    "tijd van voltooien",
    "email",
    "adresse de messagerie",
    "e-mail",
    "correo electrónico",
    "name",
    "nom",
    "nombre",
    "naam",
    "last modified time",
    "heure de la dernière modification",
    "hora de la última modificación",
    "tijd van laatste wijziging",
    "total points",
    "quiz feedback",
];

fn is_metadata(header: &str) -> bool {
    let lower = header.trim().to_lowercase();
    METADATA.contains(&lower.as_str())
        || START_TIME.contains(&lower.as_str())
        || lower.starts_with("points - ")
        || lower.starts_with("feedback - ")
}

/// The index of the `ID` column of a Forms header: the header must name `ID` and a start time
/// (in one of the languages of [`START_TIME`]).
fn id_column_of(header: &[String]) -> Option<usize> {
    let has_start = header
        .iter()
        .any(|cell| START_TIME.contains(&cell.trim().to_lowercase().as_str()));
    header
        .iter()
        .position(|cell| cell.trim().eq_ignore_ascii_case("id"))
        .filter(|_| has_start)
}

/// What a question column holds, judged by its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    /// Bookkeeping of Forms itself.
    Metadata,
    /// `;`-terminated lists of every option in varying orders: a Ranking question.
    Ranking,
    /// `;`-terminated lists of some options, always in one order: a multi-select Choice
    /// question.
    Choices,
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
        return if lists_are_choices(&lower, &answers) {
            ColumnKind::Choices
        } else {
            ColumnKind::Ranking
        };
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

/// Whether `;`-terminated `answers` are a multi-select's choices rather than a ranking. A
/// ranking lists every item in every answer, in the respondent's order; a multi-select lists
/// the options chosen, so answers differ in length, always in the form's order of options.
/// So lists that all name every option are a ranking; lists that vary in length are choices
/// unless two of them order two options differently (then they are a partial ranking). A
/// header that mentions ranking (`lower_header` contains `rank`) is always a ranking.
fn lists_are_choices(lower_header: &str, answers: &[&str]) -> bool {
    if lower_header.contains("rank") {
        return false;
    }
    let lists: Vec<Vec<&str>> = answers.iter().map(|cell| ranked_items(cell)).collect();
    let options: HashSet<&str> = lists.iter().flatten().copied().collect();
    if lists.iter().all(|list| list.len() == options.len()) {
        return false;
    }
    let mut before: HashSet<(&str, &str)> = HashSet::new();
    for list in &lists {
        for (position, first) in list.iter().enumerate() {
            for second in &list[position + 1..] {
                before.insert((first, second));
            }
        }
    }
    !before
        .iter()
        .any(|(first, second)| first != second && before.contains(&(*second, *first)))
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
    /// Option `option` of the multi-select answers split into `OutputColumns::choices[split]`:
    /// its label when the row chose it, else blank.
    Chosen { split: usize, option: usize },
}

/// Reads a Microsoft Forms responses workbook (or a CSV saved from it) into a [`Table`].
///
/// # Errors
/// [`ImportError::Workbook`] or [`ImportError::Csv`] for a file that cannot be read,
/// [`ImportError::Layout`] when no sheet's header names `ID` and a start time,
/// [`ImportError::SheetCell`] for a ranking that lists an item twice or a row longer than the
/// header.
pub fn read_table(input: &[u8], source_name: &str) -> Result<Table, ImportError> {
    // The responses need not be on the first sheet: a workbook re-saved elsewhere may start
    // with an empty sheet or Forms' hidden sheet holding the form's id.
    let sheet = if is_workbook(input, source_name) {
        let is_forms_header = |records: &Records| {
            records
                .first()
                .is_some_and(|(_, header)| id_column_of(header).is_some())
        };
        read_workbook_sheet(
            input,
            source_name,
            &is_forms_header,
            "Microsoft Forms' (`ID`, `Start time`, `Completion time`, ...)",
        )?
    } else {
        read_sheet(input, source_name, b',')?
    };
    let (header, id_column) = read_header(&sheet, source_name)?;
    let (raw_rows, notes) = rows_under_single_header(&sheet, &header, source_name)?;
    let output = output_columns(
        &header,
        &raw_rows,
        id_column,
        source_name,
        sheet.name.as_deref(),
    )?;
    let rows = data_rows(&raw_rows, &output.sources, &output.choices);
    Ok(Table {
        tool: Tool::MicrosoftForms,
        source_name: source_name.to_string(),
        columns: output.columns,
        metadata: output.metadata,
        respondents: RespondentSource::Column(output.respondent_column),
        rows,
        sheet: sheet.name,
        notes,
    })
}

/// The error for a sheet whose header is not a Forms header, saying what was `found`.
fn layout_error(source_name: &str, found: String) -> ImportError {
    ImportError::Layout {
        source_name: source_name.to_string(),
        tool: Tool::MicrosoftForms,
        expected: "one header row starting with `ID`, `Start time`, `Completion time`, `Email`, `Name`, then the questions".to_string(),
        found,
    }
}

/// The header row and the index of its `ID` column; the header must also name a start time.
fn read_header(sheet: &Sheet, source_name: &str) -> Result<(Vec<String>, usize), ImportError> {
    // A workbook's sheet is its first when no sheet has a Forms header.
    let on_sheet = |found: String| match &sheet.name {
        Some(name) => format!("{found} on the first sheet `{name}`, and no sheet with that header"),
        None => found,
    };
    let Some(header) = single_header(sheet) else {
        return Err(layout_error(
            source_name,
            on_sheet("an empty sheet".to_string()),
        ));
    };
    let Some(id_column) = id_column_of(&header) else {
        return Err(layout_error(
            source_name,
            on_sheet(header_beginning(&header, 5)),
        ));
    };
    Ok((header, id_column))
}

/// The output columns being built, with where each takes its value from.
#[derive(Default)]
struct OutputColumns {
    columns: Vec<Column>,
    sources: Vec<Source>,
    metadata: Vec<usize>,
    respondent_column: usize,
    /// The Likert question being gathered: where its columns start and its statements.
    statements: Option<(usize, HashSet<String>)>,
    /// The names given to Likert questions so far.
    names: HashSet<String>,
    /// For each multi-select question, the options each row chose (see [`split_joined`]).
    choices: Vec<JoinedChoices>,
}

impl OutputColumns {
    /// Names the Likert question being gathered, if any, after its first and last statements.
    fn close_statements(&mut self) {
        let columns = &mut self.columns;
        if let Some((start, _)) = self.statements.take() {
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
            while !self.names.insert(name.clone()) {
                number += 1;
                name = format!("{base} ({number})");
            }
            for column in &mut columns[start..] {
                column.question.clone_from(&name);
            }
        }
    }

    /// Adds a metadata or single-answer column taken as it is.
    fn push_cell(&mut self, kind: ColumnKind, text: &str, index: usize, id_column: usize) {
        if kind == ColumnKind::Metadata {
            self.metadata.push(self.columns.len());
        }
        if index == id_column {
            self.respondent_column = self.columns.len();
        }
        self.columns.push(Column {
            question: text.to_string(),
            option: None,
            position: index,
        });
        self.sources.push(Source::Cell(index));
    }

    /// Adds one statement to the Likert question being gathered, starting one if needed.
    fn push_statement(&mut self, text: &str, index: usize) {
        let start = self.columns.len();
        let (_, seen) = self
            .statements
            .get_or_insert_with(|| (start, HashSet::new()));
        seen.insert(text.to_string());
        self.columns.push(Column {
            // Named once the question's last statement is known.
            question: String::new(),
            option: Some(text.to_string()),
            position: index,
        });
        self.sources.push(Source::Cell(index));
    }

    /// Adds one column per option of a multi-select question, from its answers split.
    fn push_choices(&mut self, text: &str, index: usize, split: JoinedChoices) {
        let slot = self.choices.len();
        for (option, label) in split.options.iter().enumerate() {
            self.columns.push(Column {
                question: text.to_string(),
                option: Some(label.clone()),
                position: index,
            });
            self.sources.push(Source::Chosen {
                split: slot,
                option,
            });
        }
        self.choices.push(split);
    }

    /// Adds one rank column per item of a Ranking question.
    fn push_ranking(&mut self, text: &str, index: usize, items: Vec<String>) {
        for item in items {
            self.columns.push(Column {
                question: text.to_string(),
                option: Some(item.clone()),
                position: index,
            });
            self.sources.push(Source::Rank {
                column: index,
                item,
            });
        }
    }
}

/// Judges every header column by its answers and lays out the output columns.
fn output_columns(
    header: &[String],
    raw_rows: &[DataRow],
    id_column: usize,
    source_name: &str,
    sheet_name: Option<&str>,
) -> Result<OutputColumns, ImportError> {
    let mut output = OutputColumns::default();
    for (index, text) in header.iter().enumerate() {
        let kind = kind_of(text, raw_rows, index);
        if kind != ColumnKind::Statement
            || output
                .statements
                .as_ref()
                .is_some_and(|(_, seen)| seen.contains(text))
        {
            output.close_statements();
        }
        match kind {
            ColumnKind::Metadata | ColumnKind::Single => {
                output.push_cell(kind, text, index, id_column);
            }
            ColumnKind::Statement => output.push_statement(text, index),
            ColumnKind::Ranking => {
                let items = ranking_items(raw_rows, index, text, source_name, sheet_name)?;
                output.push_ranking(text, index, items);
            }
            ColumnKind::Choices => {
                let cells: Vec<&str> = raw_rows
                    .iter()
                    .map(|row| row.cells[index].as_str())
                    .collect();
                output.push_choices(text, index, split_joined(&cells, ";", &[]));
            }
        }
    }
    output.close_statements();
    Ok(output)
}

/// The items of a Ranking column in order of first appearance; an item listed twice in one
/// answer is an error.
fn ranking_items(
    raw_rows: &[DataRow],
    index: usize,
    text: &str,
    source_name: &str,
    sheet_name: Option<&str>,
) -> Result<Vec<String>, ImportError> {
    let mut items: Vec<String> = Vec::new();
    for row in raw_rows {
        let mut in_row = HashSet::new();
        for item in ranked_items(&row.cells[index]) {
            if !in_row.insert(item) {
                return Err(cell_error(
                    source_name,
                    sheet_name,
                    row.line,
                    index,
                    text.to_string(),
                    format!("the ranking lists `{item}` twice"),
                ));
            }
            if !items.iter().any(|known| known == item) {
                items.push(item.to_string());
            }
        }
    }
    Ok(items)
}

/// Each row's output cells: raw cells, an item's rank in its ranking cell, or an option's
/// label when the row chose it.
fn data_rows(raw_rows: &[DataRow], sources: &[Source], choices: &[JoinedChoices]) -> Vec<DataRow> {
    raw_rows
        .iter()
        .enumerate()
        .map(|(row_index, row)| DataRow {
            line: row.line,
            complete: row.complete,
            cells: sources
                .iter()
                .map(|source| match source {
                    Source::Cell(index) => row.cells[*index].clone(),
                    Source::Chosen { split, option } => choices[*split].cell(row_index, *option),
                    Source::Rank { column, item } => ranked_items(&row.cells[*column])
                        .iter()
                        .position(|ranked| ranked == item)
                        .map(|position| (position + 1).to_string())
                        .unwrap_or_default(),
                })
                .collect(),
        })
        .collect()
}
