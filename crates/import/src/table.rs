//! A tool's export read into columns and rows: what every reader produces and [`crate::convert`]
//! consumes.

use crate::{ImportError, Tool};

/// One column of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The question text.
    pub question: String,
    /// The option or sub-question label, for a column of a block (an item of a ranking or a
    /// row of a matrix); `None` for a column that holds a whole answer.
    pub option: Option<String>,
    /// The 0-based column of the file the values come from (several columns share one when a
    /// reader splits a list answer into one column per item).
    pub position: usize,
}

impl Column {
    /// The column as a user would name it: `Question [Option]` or `Question`.
    pub fn display(&self) -> String {
        match &self.option {
            Some(option) => format!("{} [{}]", self.question, option),
            None => self.question.clone(),
        }
    }
}

/// One data row of an export: where it starts and its cells (trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRow {
    /// The 1-based line where the row starts.
    pub line: u64,
    /// The cells, one per column (missing trailing cells are empty).
    pub cells: Vec<String>,
    /// Whether the tool marks the response finished (`false` for Qualtrics' `Finished` false,
    /// LimeSurvey's empty `submitdate`); `true` when the tool does not say.
    pub complete: bool,
}

/// Where the respondent ids come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RespondentSource {
    /// A column of ids.
    Column(usize),
    /// No id column: respondents are numbered `row-1`, `row-2`, ... in file order.
    RowNumber,
}

/// A tool's export read into columns and rows, before mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The tool the file came from.
    pub tool: Tool,
    /// The file name, for messages.
    pub source_name: String,
    /// The columns.
    pub columns: Vec<Column>,
    /// Columns the tool itself adds (ids, timestamps, addresses), never questions.
    pub metadata: Vec<usize>,
    /// Where respondent ids come from.
    pub respondents: RespondentSource,
    /// The data rows.
    pub rows: Vec<DataRow>,
    /// The workbook sheet the rows come from; `None` for a CSV file.
    pub sheet: Option<String>,
    /// Things the reader noticed that are worth telling the user (rows left out, the sheet
    /// read).
    pub notes: Vec<String>,
}

impl Table {
    /// An error about the cell of `row` in column `index`: with the sheet, row and column
    /// letters for a workbook, the line and the column's header for CSV.
    pub fn cell_error(&self, line: u64, index: usize, message: String) -> ImportError {
        cell_error(
            &self.source_name,
            self.sheet.as_deref(),
            line,
            self.columns[index].position,
            self.columns[index].display(),
            message,
        )
    }
}

/// An error about one cell; see [`Table::cell_error`].
pub(crate) fn cell_error(
    source_name: &str,
    sheet: Option<&str>,
    line: u64,
    position: usize,
    column: String,
    message: String,
) -> ImportError {
    match sheet {
        Some(sheet) => ImportError::SheetCell {
            source_name: source_name.to_string(),
            sheet: sheet.to_string(),
            line,
            position,
            column,
            message,
        },
        None => ImportError::Cell {
            source_name: source_name.to_string(),
            line,
            column,
            message,
        },
    }
}

/// Turns data records into rows of exactly `column_count` trimmed cells.
pub(crate) fn data_rows(
    records: &[(u64, Vec<String>)],
    columns: &[Column],
    source_name: &str,
    sheet: Option<&str>,
) -> Result<Vec<DataRow>, ImportError> {
    records
        .iter()
        .map(|(line, cells)| {
            if cells.len() > columns.len()
                && let Some(extra) = cells[columns.len()..]
                    .iter()
                    .position(|cell| !cell.trim().is_empty())
            {
                return Err(cell_error(
                    source_name,
                    sheet,
                    *line,
                    columns.len() + extra,
                    format!("{} (beyond the last header)", columns.len() + extra + 1),
                    format!(
                        "the row has a value beyond the {} columns the header names",
                        columns.len()
                    ),
                ));
            }
            let mut trimmed: Vec<String> = cells
                .iter()
                .take(columns.len())
                .map(|cell| cell.trim().to_string())
                .collect();
            trimmed.resize(columns.len(), String::new());
            Ok(DataRow {
                line: *line,
                cells: trimmed,
                complete: true,
            })
        })
        .collect()
}
