//! Google Forms CSV downloads (Responses, "Download responses (.csv)", or the linked sheet's
//! File, Download, CSV).
//!
//! The file has one header row. The first column is `Timestamp`, followed by `Email Address`
//! and `Score` when the form collects them, then one column per question headed by the
//! question's title. A grid question (multiple choice grid, used for ranking with the grid's
//! columns labelled `1st`, `2nd`, ... or `1`, `2`, ...) has one column per grid row, headed
//! `Question [Row]`, whose cells are the chosen column label. The group question is an
//! ordinary multiple-choice column; an "Other" answer appears as the text typed.
//! Respondents have no id in the file, so they are numbered `row-1`, `row-2`, ... in file order.

use crate::sheet::{header_width, read_sheet, without_repeated_headers};
use crate::{Column, ImportError, RespondentSource, Table, Tool, data_rows};

/// Columns Google Forms adds itself.
const METADATA: [&str; 4] = ["timestamp", "email address", "score", "email"];

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
    let header = &header[..header_width(&[header])];
    let mut columns = Vec::with_capacity(header.len());
    let mut metadata = Vec::new();
    for (index, cell) in header.iter().enumerate() {
        let cell = cell.trim();
        if METADATA.contains(&cell.to_lowercase().as_str()) {
            metadata.push(index);
            columns.push(Column {
                question: cell.to_string(),
                option: None,
                position: index,
            });
        } else if let Some((question, row)) = split_grid_header(cell) {
            columns.push(Column {
                question: question.to_string(),
                option: Some(row.to_string()),
                position: index,
            });
        } else {
            columns.push(Column {
                question: cell.to_string(),
                option: None,
                position: index,
            });
        }
    }
    let rows = data_rows(&data, &columns, source_name, sheet.name.as_deref())?;
    Ok(Table {
        tool: Tool::GoogleForms,
        source_name: source_name.to_string(),
        columns,
        metadata,
        respondents: RespondentSource::RowNumber,
        rows,
        sheet: sheet.name,
        notes,
    })
}
