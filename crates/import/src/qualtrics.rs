//! Qualtrics CSV exports (Data & Analysis, Export & Import, Export data, CSV).
//!
//! The file has three header rows:
//!
//! 1. the export tags: `StartDate`, `EndDate`, `Status`, `IPAddress`, `Progress`,
//!    `Duration (in seconds)`, `Finished`, `RecordedDate`, `ResponseId`, `RecipientLastName`,
//!    ..., `UserLanguage`, then `Q1`, `Q1_4_TEXT`, `Q2_1`, `Q2_2`, ...;
//! 2. the question texts, a block's columns reading `Question - Item`
//!    (`Please rank these topics - Early help`), a multiple-choice question with a text box
//!    reading `Question - Selected Choice` and `Question - Other (please specify) - Text`;
//! 3. the ImportIds as JSON: `{"ImportId":"QID2_1"}` for question columns,
//!    `{"ImportId":"startDate","timeZone":"..."}` and the like for the columns Qualtrics adds.
//!
//! Columns whose ImportId is `QID<n>` or `QID<n>_...` belong to question `QID<n>`; all others
//! are metadata. A rank-order question's columns hold rank numbers; a matrix (Likert)
//! question's hold the chosen scale point, as its text ("Use choice text") or its recode value
//! ("Use numeric values"). A multiple-choice question gives the group: its text, or its
//! recode value when exported as numbers. Respondent ids are `ResponseId`; rows whose
//! `Status` is `Survey Preview` or `Survey Test` (`1` as a numeric value) are left out.

use crate::sheet::{header_width, read_sheet, without_repeated_headers};
use crate::{Column, DataRow, ImportError, RespondentSource, Table, Tool, data_rows};

/// The ImportId of a cell of the third header row: `{"ImportId":"QID2_1"}` gives `QID2_1`.
fn import_id(cell: &str) -> Option<&str> {
    let after = cell.split_once("\"ImportId\"")?.1.trim_start();
    let after = after.strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let end = after.find('"')?;
    Some(&after[..end])
}

/// The question an ImportId belongs to: `QID2` for `QID2`, `QID2_1` and `QID2_4_TEXT`.
fn question_id(import_id: &str) -> Option<&str> {
    let digits = import_id.strip_prefix("QID")?;
    let end = digits
        .find(|character: char| !character.is_ascii_digit())
        .unwrap_or(digits.len());
    if end == 0 || !(digits[end..].is_empty() || digits[end..].starts_with('_')) {
        return None;
    }
    Some(&import_id[..3 + end])
}

/// Splits the second-row texts of one question's columns into the question's text and each
/// column's option: the longest `Question` that every text starts with as `Question - `.
fn split_texts(texts: &[&str], has_options: bool) -> (String, Vec<Option<String>>) {
    let Some(first) = texts.first() else {
        return (String::new(), Vec::new());
    };
    if texts.len() == 1 && !has_options {
        return (first.to_string(), vec![None]);
    }
    let splits: Vec<usize> = first.match_indices(" - ").map(|(at, _)| at).collect();
    for &at in splits.iter().rev() {
        let question = &first[..at];
        let prefix = format!("{question} - ");
        if texts.iter().all(|text| text.starts_with(&prefix)) {
            return (
                question.to_string(),
                texts
                    .iter()
                    .map(|text| Some(text[prefix.len()..].trim().to_string()))
                    .collect(),
            );
        }
    }
    (
        first.to_string(),
        texts
            .iter()
            .map(|text| has_options.then(|| text.trim().to_string()))
            .collect(),
    )
}

/// Whether a `Status` cell marks a preview or test response rather than a real one.
fn is_preview(status: &str) -> bool {
    matches!(
        status.trim().to_lowercase().as_str(),
        "survey preview" | "survey test" | "1"
    )
}

/// Reads a Qualtrics CSV export (or the same layout in an XLSX workbook) into a [`Table`].
///
/// # Errors
/// [`ImportError::Csv`] for malformed CSV, [`ImportError::Layout`] when the three header rows
/// (the third holding ImportIds) are missing, [`ImportError::Cell`] for a row longer than the
/// header.
pub fn read_table(input: &[u8], source_name: &str) -> Result<Table, ImportError> {
    let sheet = read_sheet(input, source_name, b',')?;
    let records = &sheet.records;
    check_header_rows(records, source_name)?;
    let (tags, texts, ids) = (&records[0].1, &records[1].1, &records[2].1);
    let width = header_width(&[tags, texts, ids]);
    let import_ids = read_import_ids(ids, source_name)?;
    let header = header_columns(tags, texts, &import_ids, width);
    let mut notes = sheet.notes.clone();
    let data = without_repeated_headers(&records[3..], &[tags, texts, ids], &mut notes);
    let mut rows = data_rows(&data, &header.columns, source_name, sheet.name.as_deref())?;
    if let Some(status) = header.status_column {
        leave_out_previews(&mut rows, status, &mut notes);
    }
    let respondents = respondent_source(header.respondent_column, &mut notes);
    Ok(Table {
        tool: Tool::Qualtrics,
        source_name: source_name.to_string(),
        columns: header.columns,
        metadata: header.metadata,
        respondents,
        rows,
        sheet: sheet.name,
        notes,
    })
}

/// The error for a file whose header rows are not a Qualtrics header, saying what was `found`.
fn layout_error(source_name: &str, found: String) -> ImportError {
    ImportError::Layout {
        source_name: source_name.to_string(),
        tool: Tool::Qualtrics,
        expected: "three header rows: the export tags (`StartDate`, ..., `ResponseId`, `Q1`, `Q2_1`, ...), the question texts, and the ImportIds (`{\"ImportId\":\"QID2_1\"}`)".to_string(),
        found,
    }
}

/// Refuses a file with fewer than the three header rows.
fn check_header_rows(records: &[(u64, Vec<String>)], source_name: &str) -> Result<(), ImportError> {
    if records.len() < 3 {
        return Err(layout_error(
            source_name,
            format!(
                "{} header rows",
                match records.len() {
                    0 => "no".to_string(),
                    count => format!("only {count}"),
                }
            ),
        ));
    }
    Ok(())
}

/// The ImportId of each cell of the third header row; a row without any is a legacy export.
fn read_import_ids<'a>(
    ids: &'a [String],
    source_name: &str,
) -> Result<Vec<Option<&'a str>>, ImportError> {
    let import_ids: Vec<Option<&str>> = ids.iter().map(|cell| import_id(cell)).collect();
    if !import_ids.iter().any(Option::is_some) {
        let beginning = ids
            .iter()
            .take(3)
            .map(|cell| format!("`{}`", cell.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(layout_error(
            source_name,
            format!(
                "a third row beginning {beginning} (a file exported with the legacy format has two header rows: export again without \"Use legacy format\")"
            ),
        ));
    }
    Ok(import_ids)
}

/// The table's columns as read from the header rows, with the metadata, respondent id and
/// `Status` columns among them.
struct HeaderColumns {
    columns: Vec<Column>,
    metadata: Vec<usize>,
    respondent_column: Option<usize>,
    status_column: Option<usize>,
}

/// Lays out the columns: one per metadata column, and each question's consecutive columns
/// split into its text and options.
fn header_columns(
    tags: &[String],
    texts: &[String],
    import_ids: &[Option<&str>],
    width: usize,
) -> HeaderColumns {
    let mut header = HeaderColumns {
        columns: Vec::with_capacity(width),
        metadata: Vec::new(),
        respondent_column: None,
        status_column: None,
    };
    let mut index = 0;
    while index < width {
        let tag = tags.get(index).map_or("", |tag| tag.trim());
        let id = import_ids.get(index).copied().flatten();
        let Some(question) = id.and_then(question_id) else {
            header.push_metadata(index, tag, id, texts);
            index += 1;
            continue;
        };
        let start = index;
        while index < width
            && import_ids
                .get(index)
                .copied()
                .flatten()
                .and_then(question_id)
                == Some(question)
        {
            index += 1;
        }
        // A lone `QID4_TEXT` is a text entry question, not a block with one option.
        let has_options =
            index - start > 1 || id.is_some_and(|id| id != question && !id.ends_with("_TEXT"));
        header.push_question(start..index, texts, has_options);
    }
    header
}

impl HeaderColumns {
    /// Adds a column Qualtrics adds itself, noting the respondent id and `Status` columns.
    fn push_metadata(&mut self, index: usize, tag: &str, id: Option<&str>, texts: &[String]) {
        if tag.eq_ignore_ascii_case("responseid") || id == Some("_recordId") {
            self.respondent_column = Some(index);
        }
        if tag.eq_ignore_ascii_case("status") {
            self.status_column = Some(index);
        }
        self.metadata.push(index);
        self.columns.push(Column {
            question: texts.get(index).map_or(tag, |text| text.trim()).to_string(),
            option: None,
            position: index,
        });
    }

    /// Adds the columns `range` of one question, split into its text and options.
    fn push_question(
        &mut self,
        range: std::ops::Range<usize>,
        texts: &[String],
        has_options: bool,
    ) {
        let start = range.start;
        let group_texts: Vec<&str> = range
            .map(|column| texts.get(column).map_or("", |text| text.trim()))
            .collect();
        let (text, options) = split_texts(&group_texts, has_options);
        for (offset, option) in options.into_iter().enumerate() {
            self.columns.push(Column {
                question: text.clone(),
                option,
                position: start + offset,
            });
        }
    }
}

/// Leaves out preview and test responses, with a note saying how many.
fn leave_out_previews(rows: &mut Vec<DataRow>, status: usize, notes: &mut Vec<String>) {
    let before = rows.len();
    rows.retain(|row| !is_preview(&row.cells[status]));
    if rows.len() < before {
        notes.push(format!(
            "left out {} preview or test responses (`Status`)",
            before - rows.len()
        ));
    }
}

/// Respondents by `ResponseId`, or numbered by row with a note when there is none.
fn respondent_source(
    respondent_column: Option<usize>,
    notes: &mut Vec<String>,
) -> RespondentSource {
    match respondent_column {
        Some(column) => RespondentSource::Column(column),
        None => {
            notes.push(
                "the export has no `ResponseId` column, so respondents are numbered row-1, row-2, ..."
                    .to_string(),
            );
            RespondentSource::RowNumber
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{import_id, question_id, split_texts};

    #[test]
    fn import_ids_and_their_questions_are_read() {
        assert_eq!(import_id("{\"ImportId\":\"QID2_1\"}"), Some("QID2_1"));
        assert_eq!(
            import_id("{\"ImportId\": \"startDate\", \"timeZone\": \"Europe/London\"}"),
            Some("startDate")
        );
        assert_eq!(import_id("Q2_1"), None);
        assert_eq!(question_id("QID2_1"), Some("QID2"));
        assert_eq!(question_id("QID14_4_TEXT"), Some("QID14"));
        assert_eq!(question_id("QID7"), Some("QID7"));
        assert_eq!(question_id("QIDx"), None);
        assert_eq!(question_id("QID2x"), None);
        assert_eq!(question_id("startDate"), None);
    }

    #[test]
    fn texts_split_at_the_longest_shared_question() {
        let (question, options) = split_texts(
            &[
                "Rank - most to least - Early help",
                "Rank - most to least - Kinship care",
            ],
            true,
        );
        assert_eq!(question, "Rank - most to least");
        assert_eq!(
            options,
            [
                Some("Early help".to_string()),
                Some("Kinship care".to_string())
            ]
        );
        let (question, options) = split_texts(
            &[
                "Which group? - Selected Choice",
                "Which group? - Other (please specify) - Text",
            ],
            true,
        );
        assert_eq!(question, "Which group?");
        assert_eq!(
            options,
            [
                Some("Selected Choice".to_string()),
                Some("Other (please specify) - Text".to_string())
            ]
        );
        assert_eq!(
            split_texts(&["Which group - if any?"], false),
            ("Which group - if any?".to_string(), vec![None])
        );
    }
}
