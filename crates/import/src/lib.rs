//! `import`: other survey tools' exports to the responses exchange format (DESIGN.md,
//! "Responses exchange format").
//!
//! Each tool has its own module that reads the tool's layout into a [`Table`]: columns that
//! each know their question and, for a block of columns belonging to one question, the option
//! (item) label; a tool that writes a whole ranking in one cell (Microsoft Forms) or one column
//! per rank (LimeSurvey) is turned into one column per item holding its rank. [`convert`] then
//! finds the stakeholder-group question and the ranking or rating block (or takes them from
//! the options or a [`Mapping`]), maps labels to ids, and builds every row in memory, so that a
//! bad cell fails the whole import and nothing is half-written. [`answer_questions`] lists the
//! blocks, to import several questions of one export.
//!
//! Supported: [`surveymonkey`] exports (CSV or XLSX), [`google_forms`] CSV downloads,
//! [`microsoft_forms`] Excel workbooks, [`qualtrics`] CSV exports and [`limesurvey`] CSV
//! exports. Every reader takes CSV or the first sheet of an XLSX workbook alike (see
//! [`read_table`]); errors in a workbook name the sheet, its row and its column letter.
#![deny(missing_docs)]

pub mod google_forms;

pub mod limesurvey;
mod mapping;
pub mod microsoft_forms;
pub mod qualtrics;
mod sheet;
pub mod surveymonkey;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io::Write;

use survey::Exercise;
use survey::responses::{RatingValue, ResponseKind, ResponseWriter};

pub use mapping::Mapping;
pub use survey::slug::slug_of;

/// The tools whose exports can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// SurveyMonkey, CSV or XLSX export with two header rows.
    SurveyMonkey,
    /// Google Forms, CSV download of the responses.
    GoogleForms,
    /// Microsoft Forms, the responses' Excel workbook.
    MicrosoftForms,
    /// Qualtrics, CSV export with three header rows.
    Qualtrics,
    /// LimeSurvey, CSV export of the responses.
    LimeSurvey,
}

impl Tool {
    /// Every tool, in the order the command line lists them.
    pub const ALL: [Tool; 5] = [
        Tool::SurveyMonkey,
        Tool::GoogleForms,
        Tool::MicrosoftForms,
        Tool::Qualtrics,
        Tool::LimeSurvey,
    ];

    /// The name used on the command line: `surveymonkey`, `google-forms`, `microsoft-forms`,
    /// `qualtrics` or `limesurvey`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tool::SurveyMonkey => "surveymonkey",
            Tool::GoogleForms => "google-forms",
            Tool::MicrosoftForms => "microsoft-forms",
            Tool::Qualtrics => "qualtrics",
            Tool::LimeSurvey => "limesurvey",
        }
    }
}

impl fmt::Display for Tool {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// What an import may be told besides the file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// The exercise whose item titles (and group labels) the export's labels are matched to;
    /// without one, ids are slugs made from the labels.
    pub exercise: Option<&'a Exercise>,
    /// Text contained in the header of the question that holds the stakeholder group
    /// (case-insensitive); without it, the group question is inferred.
    pub group_column: Option<&'a str>,
    /// Text of the ranking or rating question to import (case-insensitive): a question whose
    /// text equals it, else the first whose text contains it; without it, the first ranking
    /// question, else the first rating question.
    pub question: Option<&'a str>,
    /// A mapping file's choices; `group_column` and `question` take precedence over its
    /// questions.
    pub mapping: Option<&'a Mapping>,
}

/// Why an export cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The file is not well-formed CSV.
    #[error("{source_name}:{line}: cannot read the CSV: {message}")]
    Csv {
        /// The file name.
        source_name: String,
        /// The 1-based line of the problem.
        line: u64,
        /// What the CSV reader said.
        message: String,
    },
    /// The file does not have the layout the tool's exports have.
    #[error("{source_name}: not a {tool} export: expected {expected}, found {found}")]
    Layout {
        /// The file name.
        source_name: String,
        /// The tool the file was read as.
        tool: Tool,
        /// What the layout should have.
        expected: String,
        /// What the file has instead.
        found: String,
    },
    /// The file is not an XLSX workbook that can be read.
    #[error("{source_name}: cannot read the workbook: {message}")]
    Workbook {
        /// The file name.
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// A cell of a workbook's sheet cannot be read.
    #[error(
        "{source_name}: sheet `{sheet}`, line {line}, column {} (`{column}`): {message}",
        sheet::column_letters(*position)
    )]
    SheetCell {
        /// The file name.
        source_name: String,
        /// The sheet's name.
        sheet: String,
        /// The 1-based row of the sheet.
        line: u64,
        /// The 0-based column, shown as its spreadsheet letters (`C` for 2).
        position: usize,
        /// The column's header.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// A cell of a CSV file cannot be read.
    #[error("{source_name}:{line}: column `{column}`: {message}")]
    Cell {
        /// The file name.
        source_name: String,
        /// The 1-based line where the row starts.
        line: u64,
        /// The column's header.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// Labels of the export that match nothing in the exercise.
    #[error(
        "{source_name}: {what} labels not found in exercise `{exercise}`: {}; known: {}",
        quoted(unmatched),
        quoted(known)
    )]
    Unmatched {
        /// The file name.
        source_name: String,
        /// `item` or `group`.
        what: &'static str,
        /// The exercise id.
        exercise: String,
        /// The labels that match nothing.
        unmatched: Vec<String>,
        /// The titles or labels the exercise has.
        known: Vec<String>,
    },
    /// A mapping file cannot be read.
    #[error("{source_name}: {message}")]
    Mapping {
        /// The mapping file's name.
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// Two labels give the same id.
    #[error("{source_name}: {what} labels `{first}` and `{second}` both give the id `{id}`")]
    DuplicateId {
        /// The file name.
        source_name: String,
        /// `item` or `group`.
        what: &'static str,
        /// The first label.
        first: String,
        /// The second label.
        second: String,
        /// The id they share.
        id: String,
    },
}

/// Labels in backquotes, line breaks written `\n` as a mapping file's key would write them.
fn quoted(labels: &[String]) -> String {
    labels
        .iter()
        .map(|label| format!("`{}`", label.replace('\r', "").replace('\n', "\\n")))
        .collect::<Vec<_>>()
        .join(", ")
}

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

/// The value of one imported answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A rank, 1 most important.
    Rank(u32),
    /// A rating, `None` for "don't know".
    Rating(Option<RatingValue>),
}

/// One imported answer: a row of the exchange format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The respondent id.
    pub respondent: String,
    /// The group id.
    pub group: String,
    /// The item id.
    pub item: String,
    /// The rank or rating.
    pub value: Value,
}

/// A whole import, in memory, ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Ranking or rating.
    pub kind: ResponseKind,
    /// The answers, respondent by respondent in file order.
    pub answers: Vec<Answer>,
    /// How many respondents gave at least one answer.
    pub respondent_count: usize,
    /// Things worth telling the user; the import succeeded regardless.
    pub notes: Vec<String>,
    /// The mapping used: the questions chosen and every label's id, as a mapping file would
    /// say it (see [`Mapping::to_toml`]).
    pub mapping: Mapping,
}

impl Imported {
    /// Writes the exchange format (text cells neutralised against spreadsheet formulas).
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn write<W: Write>(&self, output: W) -> std::io::Result<W> {
        let mut writer = ResponseWriter::new(output, self.kind, false)?;
        for answer in &self.answers {
            match answer.value {
                Value::Rank(rank) => {
                    writer.write_rank(&answer.respondent, &answer.group, &answer.item, rank)?;
                }
                Value::Rating(rating) => writer.write_rating(
                    &answer.respondent,
                    &answer.group,
                    &answer.item,
                    None,
                    rating,
                )?,
            }
        }
        writer.finish()
    }
}

/// Imports `input`, an export of `tool`: [`read_table`], then [`convert`].
///
/// # Errors
/// [`ImportError`]: malformed CSV or workbook, a layout the tool does not write, a cell that
/// cannot be read (with its line and column), labels that match nothing in the exercise.
pub fn import(
    tool: Tool,
    input: &[u8],
    source_name: &str,
    options: Options<'_>,
) -> Result<Imported, ImportError> {
    convert(&read_table(tool, input, source_name)?, options)
}

/// Reads `input`, an export of `tool`, into a [`Table`]. The file is read as an XLSX
/// workbook (its first sheet) when its name ends in `.xlsx` or `.xlsm` or its bytes are a
/// ZIP archive, and as CSV otherwise.
///
/// # Errors
/// [`ImportError`]: malformed CSV or workbook, a layout the tool does not write, a cell that
/// cannot be read.
pub fn read_table(tool: Tool, input: &[u8], source_name: &str) -> Result<Table, ImportError> {
    match tool {
        Tool::SurveyMonkey => surveymonkey::read_table(input, source_name),
        Tool::GoogleForms => google_forms::read_table(input, source_name),
        Tool::MicrosoftForms => microsoft_forms::read_table(input, source_name),
        Tool::Qualtrics => qualtrics::read_table(input, source_name),
        Tool::LimeSurvey => limesurvey::read_table(input, source_name),
    }
}

/// Whether a cell says "not applicable" or "don't know" rather than giving an answer.
fn is_not_applicable(cell: &str) -> bool {
    matches!(
        cell.to_lowercase().as_str(),
        "n/a"
            | "na"
            | "not applicable"
            | "don't know"
            | "don\u{2019}t know"
            | "dont know"
            | "not sure"
            | "unsure"
    )
}

/// Whether an option label is a free-text "Other" answer rather than an item (LimeSurvey
/// writes the code `-oth-` for it).
fn is_other_option(label: &str) -> bool {
    let label = label.trim().to_lowercase();
    label.starts_with("other") && (label.contains("specify") || label.contains("please"))
        || label == "other"
        || label == "-oth-"
}

/// Whether an option label marks the single answer column of a question, not an item
/// (Qualtrics calls it `Selected Choice` when the question has a text box too).
fn is_response_option(label: &str) -> bool {
    matches!(
        label.trim().to_lowercase().as_str(),
        "" | "response" | "open-ended response" | "selected choice"
    )
}

/// A question's columns: consecutive columns with the same question text.
#[derive(Debug)]
struct Question {
    text: String,
    columns: Vec<usize>,
}

fn questions(table: &Table) -> Vec<Question> {
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

const GROUP_HINTS: [&str; 4] = [
    "group",
    "which best describes you",
    "stakeholder",
    "describes you",
];

fn find_group_question<'q>(
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

/// Reads a rank cell: `3`, `3rd`, `1st`, `Rank 2`.
fn parse_rank(cell: &str) -> Option<u32> {
    let lower = cell.trim().to_lowercase();
    let lower = lower.strip_prefix("rank").unwrap_or(&lower).trim();
    let digits_end = lower
        .find(|character: char| !character.is_ascii_digit())
        .unwrap_or(lower.len());
    let (digits, suffix) = lower.split_at(digits_end);
    if !matches!(suffix.trim(), "" | "st" | "nd" | "rd" | "th" | ".0") {
        return None;
    }
    digits.parse::<u32>().ok().filter(|rank| *rank > 0)
}

/// Reads a rating cell: a number, a label starting with a number (`4 - Very important`) or
/// one of the common five-point importance labels.
fn parse_rating(cell: &str) -> Option<RatingValue> {
    let trimmed = cell.trim();
    let digits_end = trimmed
        .find(|character: char| !(character.is_ascii_digit() || character == '-'))
        .unwrap_or(trimmed.len());
    let (number, rest) = trimmed.split_at(digits_end);
    if let Ok(score) = number.parse::<i32>() {
        let rest = rest.trim_start();
        if rest.is_empty() || rest.starts_with(['-', '\u{2013}', ':', '(', '=', ' ']) {
            return Some(RatingValue::Score(score));
        }
    }
    let score = match trimmed.to_lowercase().as_str() {
        "not at all important" | "not important" => 1,
        "slightly important" | "of little importance" => 2,
        "moderately important" | "somewhat important" => 3,
        "very important" => 4,
        "extremely important" | "essential" | "critical" => 5,
        _ => return None,
    };
    Some(RatingValue::Score(score))
}

/// Ids an exercise offers, each with the names (title, or id and label) that match it.
type Candidates = Vec<(String, Vec<String>)>;

/// Maps labels to ids: exercise titles (or group labels and ids) when an exercise is given,
/// slugs otherwise.
fn map_labels(
    table: &Table,
    what: &'static str,
    labels: &[String],
    known: Option<(&Exercise, Candidates)>,
    overrides: Option<&BTreeMap<String, String>>,
) -> Result<HashMap<String, String>, ImportError> {
    let mut mapping = HashMap::new();
    let mut by_id: HashMap<String, String> = HashMap::new();
    let mut unmatched = Vec::new();
    for label in labels {
        let folded = label.trim().to_lowercase();
        let overridden = overrides.and_then(|overrides| {
            overrides
                .iter()
                .find(|(key, _)| key.trim().to_lowercase() == folded)
                .map(|(_, id)| id.clone())
        });
        let id = match (&known, overridden) {
            (Some((_, candidates)), Some(id)) => {
                if candidates.iter().any(|(known_id, _)| *known_id == id) {
                    id
                } else {
                    unmatched.push(label.clone());
                    continue;
                }
            }
            (None, Some(id)) => id,
            (known, None) => match known {
                Some((_, candidates)) => {
                    let folded = label.trim().to_lowercase();
                    match candidates.iter().find(|(_, names)| {
                        names
                            .iter()
                            .any(|name| name.trim().to_lowercase() == folded)
                    }) {
                        Some((id, _)) => id.clone(),
                        None => {
                            unmatched.push(label.clone());
                            continue;
                        }
                    }
                }
                None => slug_of(label),
            },
        };
        if let Some(first) = by_id.get(&id)
            && first != label
        {
            return Err(ImportError::DuplicateId {
                source_name: table.source_name.clone(),
                what,
                first: first.clone(),
                second: label.clone(),
                id,
            });
        }
        by_id.insert(id.clone(), label.clone());
        mapping.insert(label.clone(), id);
    }
    if let Some((exercise, candidates)) = known
        && !unmatched.is_empty()
    {
        return Err(ImportError::Unmatched {
            source_name: table.source_name.clone(),
            what,
            exercise: exercise.id.to_string(),
            unmatched,
            known: candidates
                .into_iter()
                .filter_map(|(_, mut names)| names.pop())
                .collect(),
        });
    }
    Ok(mapping)
}

/// The answer block chosen from the questions, with its kind.
struct Block<'q> {
    question: &'q Question,
    items: Vec<usize>,
    kind: ResponseKind,
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
                found: format!(
                    "the questions {}",
                    questions
                        .iter()
                        .map(|question| format!("`{}`", question.text))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    let chosen = blocks
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
            found: format!(
                "only single-answer questions: {}",
                questions
                    .iter()
                    .map(|question| format!("`{}`", question.text))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })?;
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

    let item_labels: Vec<String> = block
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
        .collect();
    let item_ids = map_labels(
        table,
        "item",
        &item_labels,
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
        mapping.map(|mapping| &mapping.items),
    )?;

    // The group answer: the single answer column, or a chosen option of a block, or the text of
    // an "Other (please specify)" column.
    let group_value = |row: &DataRow| -> Option<String> {
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
    };
    let mut group_labels: Vec<String> = Vec::new();
    let mut seen_groups = HashSet::new();
    for row in &table.rows {
        if let Some(label) = group_value(row)
            && seen_groups.insert(label.clone())
        {
            group_labels.push(label);
        }
    }
    let group_ids = map_labels(
        table,
        "group",
        &group_labels,
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
        mapping.map(|mapping| &mapping.groups),
    )?;

    let mut answers = Vec::new();
    let mut seen_respondents = HashSet::new();
    let mut without_group = 0usize;
    let mut without_answers = 0usize;
    let mut respondent_count = 0usize;
    let mut renumbered_count = 0usize;
    for (row_number, row) in table.rows.iter().enumerate() {
        let cell_error = |index: usize, message: String| table.cell_error(row.line, index, message);
        let respondent = match table.respondents {
            RespondentSource::Column(index) => {
                let id = row.cells[index].clone();
                if id.is_empty() {
                    return Err(cell_error(index, "the respondent id is empty".to_string()));
                }
                if !seen_respondents.insert(id.clone()) {
                    return Err(cell_error(
                        index,
                        format!("respondent `{id}` appears twice"),
                    ));
                }
                id
            }
            RespondentSource::RowNumber => format!("row-{}", row_number + 1),
        };
        let mut row_answers = Vec::new();
        for (&index, label) in block.items.iter().zip(&item_labels) {
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
        // Ranking rows are written in rank order, as a reader would list them.
        row_answers.sort_by_key(|(_, value)| match value {
            Value::Rank(rank) => *rank,
            Value::Rating(_) => 0,
        });
        // Ranks that skip places (an "Other" option ranked among the items, a blank place)
        // are renumbered as competition ranks of the items ranked, keeping their order and
        // ties: the items' order is the answer, and a round's top k counts items.
        let ranks: Vec<u32> = row_answers
            .iter()
            .filter_map(|(_, value)| match value {
                Value::Rank(rank) => Some(*rank),
                Value::Rating(_) => None,
            })
            .collect();
        let mut renumbered = false;
        for (_, value) in &mut row_answers {
            if let Value::Rank(rank) = value {
                let place = ranks.iter().filter(|other| **other < *rank).count() + 1;
                let place = u32::try_from(place).unwrap_or(u32::MAX);
                renumbered |= place != *rank;
                *rank = place;
            }
        }
        if row_answers.is_empty() {
            without_answers += 1;
            continue;
        }
        let Some(group_label) = group_value(row) else {
            without_group += 1;
            continue;
        };
        let group = group_ids[&group_label].clone();
        respondent_count += 1;
        renumbered_count += usize::from(renumbered);
        for (item, value) in row_answers {
            answers.push(Answer {
                respondent: respondent.clone(),
                group: group.clone(),
                item,
                value,
            });
        }
    }
    if without_answers > 0 {
        notes.push(format!(
            "skipped {without_answers} respondents who did not answer `{}`",
            block.question.text
        ));
    }
    if renumbered_count > 0 {
        notes.push(format!(
            "renumbered the ranks of {renumbered_count} respondents whose ranks skipped places (an \"Other\" option or a blank place), keeping their order"
        ));
    }
    if without_group > 0 {
        notes.push(format!(
            "skipped {without_group} respondents who did not answer `{}`",
            group_question.text
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
        answers,
        respondent_count,
        notes,
        mapping: used,
    })
}

/// The text of every ranking or rating question of `table` that [`convert`] can import, in
/// file order: pass each as [`Options::question`] to import them one by one.
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
fn answer_blocks<'q>(
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
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
