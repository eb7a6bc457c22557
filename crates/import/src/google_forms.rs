//! Google Forms CSV downloads (Responses, "Download responses (.csv)", or the linked sheet's
//! File, Download, CSV).
//!
//! The file has one header row. The first column is `Timestamp` (`12/12/2022 14:41:26`, or
//! with a time zone, `2026/11/02 9:14:02 AM GMT`: never read as an answer), followed by
//! `Email Address` and `Score` when the form collects them, then one column per question
//! headed by the question's title. A grid question (multiple choice grid, used for ranking
//! with the grid's columns labelled `1st`, `2nd`, ... or `1`, `2`, ...) has one column per grid
//! row, headed `Question [Row]`, whose cells are the chosen column label. The group question
//! is an ordinary multiple-choice column; an "Other" answer appears as the text typed.
//! Respondents have no id in the file, so they are numbered `row-1`, `row-2`, ... in file
//! order.
//!
//! Two kinds of question need more than one column each, and are laid out so:
//!
//! - A **checkbox** (multi-select) question is one column holding the options chosen joined
//!   with `, `, though options may themselves contain `, ` (`We can attract RSEs, but can't
//!   hire them`). Its answers are split with [`split_joined`] (the labels known being the
//!   answers that hold one option) into one column per option, holding the option's label
//!   when chosen. A column is taken as a checkbox question when some answer splits into two
//!   or more options and either (a) each of that answer's options is also given alone by
//!   someone, or (b) three in five of all the options chosen (counted each time chosen) are
//!   chosen by two or more respondents and every option of the answers holding several starts
//!   as an option label does (a capital letter or a digit). Free text with commas (`One to
//!   industry, two to other institutions`) rarely repeats its pieces, and a single choice
//!   whose option holds a comma (`Research Services, part of Professional Services`) does
//!   not split, its words after the comma being lowercase or never given alone.
//! - A **linear scale** question is one column of whole numbers. Two or more consecutive
//!   columns whose answers are all whole numbers from 0 to 10 are read as one rating
//!   question whose items are the questions, named `first question … last question`, as
//!   Microsoft Forms' Likert statements are. Columns whose title asks for a count or a year
//!   (`how many`, `how much`, `number of`, `year`) or names the group are not scales.

use std::collections::{HashMap, HashSet};

use crate::choices::{JoinedChoices, split_joined};
use crate::questions::GROUP_HINTS;
use crate::sheet::{header_width, read_sheet, without_repeated_headers};
use crate::{Column, DataRow, ImportError, RespondentSource, Table, Tool, data_rows};

/// Columns Google Forms adds itself.
const METADATA: [&str; 4] = ["timestamp", "email address", "score", "email"];

/// The separator Google Forms joins a checkbox question's options with.
const SEPARATOR: &str = ", ";

/// The highest point of a linear scale Google Forms offers.
const MAX_SCALE_POINT: u8 = 10;

/// Words in a question's title that say it asks for a count or a year, not a scale point.
const COUNT_HINTS: [&str; 4] = ["how many", "how much", "number of", "year"];

/// Splits `Question [Row]` into the question and the row label.
fn split_grid_header(header: &str) -> Option<(&str, &str)> {
    let without_bracket = header.strip_suffix(']')?;
    let open = without_bracket.rfind('[')?;
    let question = without_bracket[..open].trim_end();
    let row = without_bracket[open + 1..].trim();
    (!question.is_empty() && !row.is_empty()).then_some((question, row))
}

/// Reads a Google Forms CSV download into a [`Table`].
///
/// # Errors
/// [`ImportError::Csv`] for malformed CSV, [`ImportError::Layout`] when the `Timestamp` column
/// is missing, [`ImportError::Cell`] for a row longer than the header. The linked Google
/// Sheet downloaded as XLSX reads the same.
pub fn read_table(input: &[u8], source_name: &str) -> Result<Table, ImportError> {
    let sheet = read_sheet(input, source_name, b',')?;
    let records = sheet.records;
    let layout = |found: String| ImportError::Layout {
        source_name: source_name.to_string(),
        tool: Tool::GoogleForms,
        expected: "one header row starting with `Timestamp`, then the question titles".to_string(),
        found,
    };
    let Some((_, header)) = records.first() else {
        return Err(layout("an empty file".to_string()));
    };
    if !header
        .first()
        .is_some_and(|cell| cell.trim().eq_ignore_ascii_case("timestamp"))
    {
        return Err(layout(format!(
            "a header beginning {}",
            header
                .iter()
                .take(3)
                .map(|cell| format!("`{}`", cell.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let mut notes = sheet.notes;
    let data = without_repeated_headers(&records[1..], &[header], &mut notes);
    let header: Vec<String> = header[..header_width(&[header])]
        .iter()
        .map(|cell| cell.trim().to_string())
        .collect();
    let raw_columns: Vec<Column> = header
        .iter()
        .enumerate()
        .map(|(index, text)| Column {
            question: text.clone(),
            option: None,
            position: index,
        })
        .collect();
    let raw_rows = data_rows(&data, &raw_columns, source_name, sheet.name.as_deref())?;
    let layout = lay_out(&header, &raw_rows);
    let rows = raw_rows
        .iter()
        .enumerate()
        .map(|(row_index, row)| DataRow {
            line: row.line,
            complete: row.complete,
            cells: layout
                .sources
                .iter()
                .map(|source| source.cell(row, row_index, &layout.choices))
                .collect(),
        })
        .collect();
    Ok(Table {
        tool: Tool::GoogleForms,
        source_name: source_name.to_string(),
        columns: layout.columns,
        metadata: layout.metadata,
        respondents: RespondentSource::RowNumber,
        rows,
        sheet: sheet.name,
        notes,
    })
}

/// How one output column takes its value from the file.
enum Source {
    /// The raw cell of a column.
    Cell(usize),
    /// Option `option` of the checkbox answers split into `Layout::choices[split]`: its
    /// label when the row chose it, else blank.
    Chosen { split: usize, option: usize },
}

impl Source {
    /// The output cell of `row` (the `row_index`-th data row).
    fn cell(&self, row: &DataRow, row_index: usize, choices: &[JoinedChoices]) -> String {
        match self {
            Source::Cell(index) => row.cells[*index].clone(),
            Source::Chosen { split, option } => choices[*split].cell(row_index, *option),
        }
    }
}

/// The output columns, with where each takes its value from.
#[derive(Default)]
struct Layout {
    columns: Vec<Column>,
    sources: Vec<Source>,
    metadata: Vec<usize>,
    /// For each checkbox question, the options each row chose.
    choices: Vec<JoinedChoices>,
}

impl Layout {
    fn push(&mut self, question: &str, option: Option<&str>, index: usize) {
        self.columns.push(Column {
            question: question.to_string(),
            option: option.map(str::to_string),
            position: index,
        });
        self.sources.push(Source::Cell(index));
    }
}

/// Lays out the output columns: metadata and single answers as they are, grid rows as a
/// block, checkbox answers one column per option, and runs of linear scales as one rating
/// question.
fn lay_out(header: &[String], raw_rows: &[DataRow]) -> Layout {
    let mut layout = Layout::default();
    let is_metadata = |text: &str| METADATA.contains(&text.to_lowercase().as_str());
    let mut names: HashSet<String> = HashSet::new();
    let mut index = 0;
    while index < header.len() {
        let text = header[index].as_str();
        if is_metadata(text) {
            layout.metadata.push(layout.columns.len());
            layout.push(text, None, index);
            index += 1;
            continue;
        }
        if let Some((question, row)) = split_grid_header(text) {
            layout.push(question, Some(row), index);
            index += 1;
            continue;
        }
        let is_scale = |column: usize| {
            !is_metadata(&header[column])
                && split_grid_header(&header[column]).is_none()
                && is_scale_column(&header[column], raw_rows, column)
        };
        let scale_end = (index..header.len())
            .find(|&column| !is_scale(column))
            .unwrap_or(header.len());
        if scale_end - index >= 2 {
            let base = format!("{text} … {}", header[scale_end - 1]);
            let mut name = base.clone();
            let mut number = 1;
            while !names.insert(name.clone()) {
                number += 1;
                name = format!("{base} ({number})");
            }
            for (column, question) in header.iter().enumerate().take(scale_end).skip(index) {
                layout.push(&name, Some(question), column);
            }
            index = scale_end;
            continue;
        }
        let cells: Vec<&str> = raw_rows
            .iter()
            .map(|row| row.cells[index].as_str())
            .collect();
        match checkbox_split(&cells) {
            Some(split) => {
                let slot = layout.choices.len();
                for (option, label) in split.options.iter().enumerate() {
                    layout.columns.push(Column {
                        question: text.to_string(),
                        option: Some(label.clone()),
                        position: index,
                    });
                    layout.sources.push(Source::Chosen {
                        split: slot,
                        option,
                    });
                }
                layout.choices.push(split);
            }
            None => layout.push(text, None, index),
        }
        index += 1;
    }
    layout
}

/// Whether a column is one linear-scale question: every answer a whole number from 0 to
/// [`MAX_SCALE_POINT`], at least one answer, and a title that asks for neither a count nor a
/// year nor the group.
fn is_scale_column(text: &str, raw_rows: &[DataRow], column: usize) -> bool {
    let lower = text.to_lowercase();
    if COUNT_HINTS
        .iter()
        .chain(GROUP_HINTS.iter())
        .any(|hint| lower.contains(hint))
    {
        return false;
    }
    let mut answered = false;
    for row in raw_rows {
        let cell = row.cells[column].as_str();
        if cell.is_empty() {
            continue;
        }
        if !cell
            .parse::<u8>()
            .is_ok_and(|point| point <= MAX_SCALE_POINT)
        {
            return false;
        }
        answered = true;
    }
    answered
}

/// The options of a checkbox column and what each row chose, or `None` when the column is
/// not a checkbox question (see the module's documentation for the rule).
fn checkbox_split(cells: &[&str]) -> Option<JoinedChoices> {
    let split = split_joined(cells, SEPARATOR, &[]);
    let several: Vec<&Vec<usize>> = split
        .chosen
        .iter()
        .filter(|chosen| chosen.len() >= 2)
        .collect();
    if several.is_empty() {
        return None;
    }
    // How many respondents chose each option, and which options someone gave alone.
    let mut chosen_by: HashMap<usize, usize> = HashMap::new();
    let mut alone: HashSet<usize> = HashSet::new();
    for chosen in &split.chosen {
        for &option in chosen {
            *chosen_by.entry(option).or_default() += 1;
        }
        if let [option] = chosen.as_slice() {
            alone.insert(*option);
        }
    }
    let each_also_alone = several
        .iter()
        .any(|chosen| chosen.iter().all(|option| alone.contains(option)));
    let total: usize = chosen_by.values().sum();
    let repeated: usize = chosen_by.values().filter(|count| **count >= 2).sum();
    let like_labels = several.iter().all(|chosen| {
        chosen.iter().all(|&option| {
            split.options[option]
                .chars()
                .next()
                .is_some_and(|first| !first.is_lowercase())
        })
    });
    let options_repeat = repeated * 5 >= total * 3 && like_labels;
    (each_also_alone || options_repeat).then_some(split)
}
