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
//! [`microsoft_forms`] Excel workbooks, [`qualtrics`] CSV exports and [`limesurvey`] CSV or XLSX
//! exports. Every reader takes CSV or the first sheet of an XLSX workbook alike (see
//! [`read_table`]); errors in a workbook name the sheet, its row and its column letter. CSV is
//! read in any encoding ([`decode`]: UTF-8, UTF-16, Windows-1252, ..., detected or given) and
//! with any line endings (CR LF, LF, CR alone, `\r\r\n`), tab-separated text included.
#![deny(missing_docs)]

mod cells;
pub mod choices;
mod convert;
pub mod decode;
mod error;
pub mod google_forms;
mod labels;
pub mod limesurvey;
mod listing;
mod mapping;
pub mod microsoft_forms;
pub mod qualtrics;
mod questions;
mod scales;
mod sheet;
pub mod surveymonkey;
mod table;

use std::fmt;
use std::io::Write;

use survey::Exercise;
use survey::responses::{RatingValue, ResponseKind, ResponseWriter};

pub use convert::convert;
pub use error::ImportError;
pub use listing::{Listing, QuestionSummary, answer_questions, list};
pub use mapping::Mapping;
pub use questions::QuestionKind;
pub use survey::slug::slug_of;
pub use table::{Column, DataRow, RespondentSource, Table};
pub(crate) use table::{cell_error, data_rows};

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
    /// LimeSurvey, CSV or XLSX export of the responses.
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
    /// The exercise's round the answers are for (with `exercise`); without it, the one round
    /// that collects answers of the question's kind, as `prioritise rank` chooses it.
    pub round: Option<&'a str>,
    /// Leave out responses the tool marks incomplete (Qualtrics `Finished` false, LimeSurvey
    /// without a `submitdate`); by default they are kept with a note counting them.
    pub complete_only: bool,
}

/// The value of one imported answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A rank, 1 most important.
    Rank(u32),
    /// A rating, `None` for "don't know".
    Rating(Option<RatingValue>),
    /// A chosen option of a multi-select question.
    Picked,
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
    /// Ranking, rating or pick.
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
                Value::Picked => {
                    writer.write_pick(&answer.respondent, &answer.group, &answer.item)?;
                }
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

/// How to read an export's bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions<'a> {
    /// The encoding of a CSV export, as a label of the Encoding Standard (`utf-8`,
    /// `windows-1252`, `latin1`, `utf-16le`, `shift_jis`, ...); without it, the encoding is
    /// detected (see [`decode`]). Workbooks are not decoded.
    pub encoding: Option<&'a str>,
}

/// Reads `input`, an export of `tool`, into a [`Table`], detecting the encoding of a CSV
/// file: [`read_table_with`] with the default [`ReadOptions`].
///
/// # Errors
/// As [`read_table_with`].
pub fn read_table(tool: Tool, input: &[u8], source_name: &str) -> Result<Table, ImportError> {
    read_table_with(tool, input, source_name, &ReadOptions::default())
}

/// Reads `input`, an export of `tool`, into a [`Table`]. The file is read as an XLSX
/// workbook (its first sheet) when its name ends in `.xlsx` or `.xlsm` or its bytes are a
/// ZIP archive, and as CSV otherwise, decoded to UTF-8 first ([`decode::decode`]); the
/// table's notes then begin with the encoding read, when it was not plain UTF-8.
///
/// # Errors
/// [`ImportError`]: an unknown encoding label, bytes that are not text in the encoding given,
/// malformed CSV or workbook, a layout the tool does not write, a cell that cannot be read.
pub fn read_table_with(
    tool: Tool,
    input: &[u8],
    source_name: &str,
    options: &ReadOptions<'_>,
) -> Result<Table, ImportError> {
    if sheet::is_workbook(input, source_name) {
        if let Some(label) = options.encoding {
            decode::encoding_for_label(label)?;
        }
        let mut table = read_tool_table(tool, input, source_name)?;
        if let Some(label) = options.encoding {
            table.notes.insert(
                0,
                format!("--encoding {label} is not used: a workbook's text is Unicode"),
            );
        }
        return Ok(table);
    }
    let decoded = decode::decode(input, source_name, options.encoding)?;
    let mut table = read_tool_table(tool, decoded.text.as_bytes(), source_name)?;
    if let Some(note) = decoded.note {
        table.notes.insert(0, note);
    }
    Ok(table)
}

/// Reads `input`, a workbook or UTF-8 CSV, with `tool`'s reader.
fn read_tool_table(tool: Tool, input: &[u8], source_name: &str) -> Result<Table, ImportError> {
    match tool {
        Tool::SurveyMonkey => surveymonkey::read_table(input, source_name),
        Tool::GoogleForms => google_forms::read_table(input, source_name),
        Tool::MicrosoftForms => microsoft_forms::read_table(input, source_name),
        Tool::Qualtrics => qualtrics::read_table(input, source_name),
        Tool::LimeSurvey => limesurvey::read_table(input, source_name),
    }
}

#[cfg(test)]
mod tests;
