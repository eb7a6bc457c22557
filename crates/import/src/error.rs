//! Why an export cannot be imported.

use crate::Tool;

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
        crate::sheet::column_letters(*position)
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
    /// The file's bytes are not text in the encoding it was read as.
    #[error("{source_name}:{line}: byte offset {offset}: {bytes} is not {encoding} text")]
    Encoding {
        /// The file name.
        source_name: String,
        /// The 1-based line of the first bytes that are not text, as a text editor counts
        /// lines.
        line: u64,
        /// The 0-based offset of those bytes in the file.
        offset: u64,
        /// Those bytes, in hexadecimal (`0xE9`).
        bytes: String,
        /// The encoding the file was read as.
        encoding: String,
    },
    /// An encoding label that names no encoding.
    #[error("unknown encoding `{label}`: expected a label such as {known}")]
    UnknownEncoding {
        /// The label given.
        label: String,
        /// Common labels, for the message.
        known: String,
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
    /// Several cells cannot be read: each is listed (up to 50), the rest counted.
    #[error("{} cells cannot be read:\n{}", problems.len() + more, listed(problems, *more))]
    Many {
        /// The problems listed.
        problems: Vec<ImportError>,
        /// How many more there are.
        more: usize,
    },
    /// The question asked fewer items than the exercise's round has.
    #[error(
        "{source_name}: `{question}` asked {} items, but {against} also has {}; they would rank as if every respondent had left them unranked. Import against a round whose `items` are the {} asked ([{}]; give it with --round), or import without --exercise",
        asked.len(),
        quoted(unasked),
        asked.len(),
        asked.iter().map(|id| format!("\"{id}\"")).collect::<Vec<_>>().join(", ")
    )]
    Unasked {
        /// The file name.
        source_name: String,
        /// The question's text.
        question: String,
        /// The round or exercise compared with.
        against: String,
        /// The titles of the items it did not ask.
        unasked: Vec<String>,
        /// The ids of the items it asked, sorted.
        asked: Vec<String>,
    },
    /// The export holds no response to import (none under the header, or only previews and
    /// tests).
    #[error("{source_name}: no responses to import{why}")]
    NoResponses {
        /// The file name.
        source_name: String,
        /// What the reader noticed, in brackets, or empty.
        why: String,
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

impl ImportError {
    /// Each problem on its own: the listed problems of [`ImportError::Many`], or the error
    /// itself.
    pub fn problems(&self) -> Vec<&ImportError> {
        match self {
            ImportError::Many { problems, .. } => problems.iter().collect(),
            other => vec![other],
        }
    }
}

/// Problems one per line.
fn listed(problems: &[ImportError], more: usize) -> String {
    let mut text = problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    if more > 0 {
        text.push_str(&format!("\n... and {more} more"));
    }
    text
}

/// Labels in backquotes, line breaks written `\n` as a mapping file's key would write them.
fn quoted(labels: &[String]) -> String {
    labels
        .iter()
        .map(|label| format!("`{}`", label.replace('\r', "").replace('\n', "\\n")))
        .collect::<Vec<_>>()
        .join(", ")
}
