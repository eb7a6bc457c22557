//! SurveyMonkey exports ("All individual responses", CSV or XLSX, expanded columns).
//!
//! The CSV file and the XLSX workbook's sheet have the same layout: two header rows. Row 1 holds
//! the question text above the first column of each question and is blank above the question's
//! further columns; row 2 holds the answer option or matrix row of each column (`Response` or
//! `Open-Ended Response` for a column that holds a whole answer). The first columns are
//! metadata: `Respondent ID`, `Collector ID`, `Start Date`, `End Date`, `IP Address`,
//! `Email Address`, `First Name`, `Last Name`, `Custom Data 1`. Older exports write them
//! without spaces (`RespondentID`, `CollectorID`, `StartDate`, `LastName`), and files trimmed
//! by others may keep `RespondentID` alone (fivethirtyeight's StarWars.csv and MIDWEST.csv).
//!
//! - A ranking question is a block of columns, one per item, whose cells are rank numbers;
//!   an item the respondent did not rank is blank (or `N/A`).
//! - A matrix rating question is a block of columns, one per item, whose cells are the chosen
//!   column label (`Very favorably`, `4 - Very important`; docs/import.md, "Rating scales in
//!   words").
//! - A multiple-choice question is one `Response` column holding the chosen label, followed by
//!   an `Other (please specify)` column when the question has one; it gives the group.
//! - Any closed question may instead be spread one column per option, the option's text in the
//!   ticked cell and blank elsewhere: a multi-select (read as a pick question) or a single
//!   choice (which can give the group) alike; [`crate::QuestionKind`] tells them apart.

use crate::sheet::{header_width, read_sheet, without_repeated_headers};
use crate::{Column, ImportError, RespondentSource, Table, Tool, data_rows};

/// Metadata columns that SurveyMonkey adds before the questions, lowercase and without
/// spaces: the current exports write `Respondent ID`, the old ones `RespondentID`,
/// `CollectorID`, `StartDate`, `LastName`.
const METADATA: [&str; 9] = [
    "respondentid",
    "collectorid",
    "startdate",
    "enddate",
    "ipaddress",
    "emailaddress",
    "firstname",
    "lastname",
    "customdata",
];

/// A header cell as [`METADATA`] lists it: lowercase, without spaces, and without the number of
/// a `Custom Data 1` column.
fn metadata_key(cell: &str) -> String {
    let key: String = cell
        .chars()
        .filter(|character| !character.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if key.starts_with("customdata") {
        "customdata".to_string()
    } else {
        key
    }
}

/// Reads a SurveyMonkey CSV export or XLSX workbook into a [`Table`].
///
/// # Errors
/// [`ImportError::Csv`] or [`ImportError::Workbook`] for a file that cannot be read,
/// [`ImportError::Layout`] when the two header rows with a `Respondent ID` (or
/// `RespondentID`) column are missing, [`ImportError::Cell`] or [`ImportError::SheetCell`] for a row longer than the
/// header.
pub fn read_table(input: &[u8], source_name: &str) -> Result<Table, ImportError> {
    let sheet = read_sheet(input, source_name, b',')?;
    let records = sheet.records;
    let layout = |found: String| {
        ImportError::Layout {
        source_name: source_name.to_string(),
        tool: Tool::SurveyMonkey,
        expected: "two header rows, the first with `Respondent ID` and the question texts, the second with the answer options".to_string(),
        found,
    }
    };
    let Some((_, questions_row)) = records.first() else {
        return Err(layout("an empty file".to_string()));
    };
    let respondent_column = questions_row
        .iter()
        .position(|cell| metadata_key(cell) == "respondentid")
        .ok_or_else(|| {
            layout(format!(
                "a first row beginning {}",
                questions_row
                    .iter()
                    .take(4)
                    .map(|cell| format!("`{}`", cell.trim()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
    let Some((_, options_row)) = records.get(1) else {
        return Err(layout("only one header row".to_string()));
    };
    let width = header_width(&[questions_row, options_row]);
    let questions_row_full = questions_row;
    let questions_row = &questions_row[..width.min(questions_row.len())];
    let mut columns = Vec::with_capacity(width);
    let mut metadata = Vec::new();
    let mut current_question: Option<String> = None;
    for index in 0..width {
        let question = questions_row.get(index).map_or("", |cell| cell.trim());
        let option = options_row.get(index).map(|cell| cell.trim().to_string());
        if METADATA.contains(&metadata_key(question).as_str()) {
            metadata.push(index);
            current_question = None;
            columns.push(Column {
                question: question.to_string(),
                option: None,
                position: index,
            });
            continue;
        }
        if !question.is_empty() {
            current_question = Some(question.to_string());
        }
        let Some(text) = current_question.clone() else {
            return Err(layout(format!(
                "column {} with no question above it in row 1",
                index + 1
            )));
        };
        columns.push(Column {
            question: text,
            option: Some(option.unwrap_or_default()),
            position: index,
        });
    }
    let mut notes = sheet.notes;
    let records = without_repeated_headers(
        &records[2..],
        &[questions_row_full, options_row],
        &mut notes,
    );
    let rows = data_rows(&records, &columns, source_name, sheet.name.as_deref())?;
    Ok(Table {
        tool: Tool::SurveyMonkey,
        source_name: source_name.to_string(),
        columns,
        metadata,
        respondents: RespondentSource::Column(respondent_column),
        rows,
        sheet: sheet.name,
        notes,
    })
}
