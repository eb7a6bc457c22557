//! Qualtrics CSV exports (Data & Analysis, Export & Import, Export data, CSV), in the current
//! layout and the legacy ones.
//!
//! The current layout has three header rows:
//!
//! 1. the export tags: `StartDate`, `EndDate`, `Status`, `IPAddress`, `Progress`,
//!    `Duration (in seconds)`, `Finished`, `RecordedDate`, `ResponseId`, ..., `UserLanguage`,
//!    then `Q1`, `Q1_4_TEXT`, `Q2_1`, `Q2_2`, ...;
//! 2. the question texts, a block's columns reading `Question - Item`
//!    (`Please rank these topics - Early help`), a question with a text box reading
//!    `Question - Selected Choice` and `Question - Other - Text`;
//! 3. the ImportIds as JSON: `{"ImportId":"QID2_1"}` (or `{"ImportId":"QID20","choiceId":"1"}`)
//!    for question columns, `{"ImportId":"startDate","timeZone":"..."}` and the like for the
//!    columns Qualtrics adds.
//!
//! The 2016–17 "Insights" layout has the same three rows with Python-quoted ImportIds
//! (`{'ImportId': 'QID3-1'}`) and texts joining stem and choice with a bare `-`
//! (`Please rate each fruit.-Oranges`); the older legacy layout has two rows, the tags (`V1`
//! ... `V10`, `Q1`, `Q2_1`, ...) over the names and texts (`ResponseID`, ..., `Status`, ...,
//! `Finished`, question texts), and its questions are told apart by their tags.
//!
//! Columns belong to the question their ImportId names (`QID87` for `QID87_1` and
//! `QID87_6_TEXT`; `QID4#1` for part 1 of a side-by-side question), wherever they are and
//! whatever their export tags say (tags need not follow the ImportIds: `Q34_7` may be
//! `QID87_4`); a column whose ImportId is an embedded-data field's name (`group`) is a
//! one-column question, so `--group-column` can name it; other columns are Qualtrics' own.
//! Each question is laid out as:
//!
//! - its block of choices (`QID2_1`, `QID2_2`, ...): the text the block's texts share is the
//!   question, the rest of each its item's label; a block whose texts are bare labels takes
//!   its question text from its answer or write-in column, else its export tag (`Q5`);
//! - its answer column (`QID7`, text `Question - Selected Choice`): one column, or, when it
//!   holds a multi-select answer joined with `,` (its text says "(s)" or "check all", or an
//!   answer joins options others chose alone), one column per option, read as a pick;
//! - a Pick, Group and Rank question's ranks (`QID40_G0_1_RANK`, text `Question - Ranks -
//!   Group - Item - Rank`): a ranking of the items each respondent put in the group (the
//!   question's text, followed by ` - Group` when it has several groups); the group's list
//!   (`QID40_0_GROUP`, the same items joined with `,` in rank order) is not read;
//! - each text box (`QID87_6_TEXT`: `Question - Other - Text`): a free-text question of its
//!   own, never an item of the block.
//!
//! A rank-order question's columns hold ranks as typed (ties, and ranks beyond the stated
//! range, are renumbered by the import keeping their order); a matrix (Likert) question's
//! hold the chosen scale point, as its text ("Use choice text") or its recode value ("Use
//! numeric values"); a legacy multi-select question has one column per choice holding `1`.
//! Respondent ids are `ResponseId`. Responses whose `Status` marks a preview, test or spam
//! (`Survey Preview`, `Survey Test`, `Spam`, ...; as numeric values 1, 2, 8, 9, 12, 17, 40)
//! are left out with a note counting each; `Finished` false (`False`, `FALSE`, `0`) marks a
//! response incomplete. Dates are not read, so a file re-saved by Excel (`4/13/2020 15:41`,
//! `TRUE`) reads the same.

mod header;
mod layout;

use std::collections::BTreeMap;

use crate::sheet::{read_sheet, without_repeated_headers};
use crate::{Column, DataRow, ImportError, RespondentSource, Table, Tool, data_rows};

/// Reads a Qualtrics CSV export (or the same layout in an XLSX workbook) into a [`Table`],
/// leaving out previews, tests and spam.
///
/// # Errors
/// [`ImportError::Csv`] for malformed CSV, [`ImportError::Layout`] when the header rows are
/// not a Qualtrics export's, [`ImportError::Cell`] for a row longer than the header.
pub fn read_table(input: &[u8], source_name: &str) -> Result<Table, ImportError> {
    read(input, source_name, false)
}

/// Reads a Qualtrics export as [`read_table`] does but keeps the responses marked as
/// previews, tests or spam: Qualtrics' generated test responses are how an analysis is tried
/// out before a survey opens.
///
/// # Errors
/// As [`read_table`].
pub fn read_table_keeping_tests(input: &[u8], source_name: &str) -> Result<Table, ImportError> {
    read(input, source_name, true)
}

/// Reads the export; `keep_tests` keeps previews, tests and spam.
fn read(input: &[u8], source_name: &str, keep_tests: bool) -> Result<Table, ImportError> {
    let sheet = read_sheet(input, source_name, b',')?;
    let header = header::read_header(&sheet.records, source_name)?;
    let header_rows: Vec<&Vec<String>> = sheet.records[..header.rows]
        .iter()
        .map(|(_, cells)| cells)
        .collect();
    let mut notes = sheet.notes.clone();
    let data = without_repeated_headers(&sheet.records[header.rows..], &header_rows, &mut notes);
    let file_columns: Vec<Column> = (0..header.columns.len())
        .map(|position| Column {
            question: header.columns[position].tag.clone(),
            option: None,
            position,
        })
        .collect();
    let mut rows = data_rows(&data, &file_columns, source_name, sheet.name.as_deref())?;
    if let Some(status) = header.status
        && !keep_tests
    {
        leave_out_unreal(&mut rows, status, &mut notes);
    }
    if let Some(finished) = header.finished {
        for row in &mut rows {
            row.complete = !is_false(&row.cells[finished]);
        }
    }
    let layout = layout::lay_out(&header, &rows);
    let rows = rows
        .iter()
        .enumerate()
        .map(|(index, row)| DataRow {
            line: row.line,
            cells: layout.cells(index, &row.cells),
            complete: row.complete,
        })
        .collect();
    let respondents = match header
        .respondent
        .and_then(|position| layout.table_column[position])
    {
        Some(column) => RespondentSource::Column(column),
        None => {
            notes.push(
                "the export has no `ResponseId` column, so respondents are numbered row-1, row-2, ..."
                    .to_string(),
            );
            RespondentSource::RowNumber
        }
    };
    Ok(Table {
        tool: Tool::Qualtrics,
        source_name: source_name.to_string(),
        columns: layout.columns,
        metadata: layout.metadata,
        respondents,
        rows,
        sheet: sheet.name,
        notes,
    })
}

/// Whether a `Finished` cell says the response was not finished.
fn is_false(cell: &str) -> bool {
    matches!(cell.trim().to_lowercase().as_str(), "false" | "0")
}

/// What a `Status` cell calls a response that is not a real one (a preview, a test, spam);
/// `None` for a real response (`IP Address`, `Imported`, `Offline`, or 0, 4, 16, 32, 48).
fn unreal_status(status: &str) -> Option<String> {
    let status = status.trim();
    let named = match status {
        "1" => "Survey Preview",
        "2" => "Survey Test",
        "8" => "Spam",
        "9" => "Survey Preview Spam",
        "12" => "Imported Spam",
        "17" => "Offline Survey Preview",
        "40" => "EX Spam",
        _ => {
            let lower = status.to_lowercase();
            return ["preview", "test", "spam"]
                .iter()
                .any(|word| lower.contains(word))
                .then(|| format!("`{status}`"));
        }
    };
    Some(format!("{named} (`{status}`)"))
}

/// Leaves out previews, tests and spam, with a note counting each kind.
fn leave_out_unreal(rows: &mut Vec<DataRow>, status: usize, notes: &mut Vec<String>) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    rows.retain(|row| match unreal_status(&row.cells[status]) {
        Some(name) => {
            *counts.entry(name).or_default() += 1;
            false
        }
        None => true,
    });
    if counts.is_empty() {
        return;
    }
    let counted = counts
        .iter()
        .map(|(name, count)| format!("{count} {name}"))
        .collect::<Vec<_>>()
        .join(", ");
    let total: usize = counts.values().sum();
    let mut note = format!(
        "left out {total} responses that Qualtrics marks as previews, tests or spam (`Status`): {counted}"
    );
    if rows.is_empty() {
        note.push_str("; the file holds no other responses, so there is nothing to import");
    }
    notes.push(note);
}

#[cfg(test)]
mod tests {
    use super::header::{Key, Part, field, question_key};
    use super::{is_false, unreal_status};

    fn key(question: &str, part: Part) -> Option<Key> {
        Some(Key::Question {
            question: question.to_string(),
            part,
        })
    }

    #[test]
    fn import_ids_and_their_parts_are_read() {
        assert_eq!(
            field("{\"ImportId\":\"QID2_1\"}", "ImportId"),
            Some("QID2_1")
        );
        assert_eq!(
            field(
                "{\"ImportId\": \"startDate\", \"timeZone\": \"Europe/London\"}",
                "ImportId"
            ),
            Some("startDate")
        );
        assert_eq!(field("{'ImportId': 'QID3-1'}", "ImportId"), Some("QID3-1"));
        assert_eq!(
            field("{\"ImportId\":\"QID20\",\"choiceId\":\"1\"}", "choiceId"),
            Some("1")
        );
        assert_eq!(
            field("{\"ImportId\":\"QID20\",\"choiceId\":4}", "choiceId"),
            Some("4")
        );
        assert_eq!(field("Q2_1", "ImportId"), None);
        assert_eq!(question_key("QID2_1", false), key("QID2", Part::Choice));
        assert_eq!(
            question_key("QID14_4_TEXT", false),
            key("QID14", Part::Text)
        );
        assert_eq!(question_key("QID7", false), key("QID7", Part::Whole));
        assert_eq!(question_key("QID20", true), key("QID20", Part::Choice));
        assert_eq!(question_key("QID3-1", false), key("QID3", Part::Choice));
        assert_eq!(question_key("QID44-1-1", false), key("QID44", Part::Choice));
        assert_eq!(question_key("QID18-TEXT", false), key("QID18", Part::Text));
        assert_eq!(question_key("QID4#1-1", false), key("QID4#1", Part::Choice));
        assert_eq!(
            question_key("QID11#1-1-1-TEXT", false),
            key("QID11#1", Part::Text)
        );
        assert_eq!(
            question_key("QID40_0_GROUP", false),
            key("QID40", Part::GroupList)
        );
        assert_eq!(
            question_key("QID40_G0_15_RANK", false),
            key("QID40", Part::Rank("0".to_string()))
        );
        assert_eq!(question_key("QIDx", false), None);
        assert_eq!(question_key("QID2x", false), None);
        assert_eq!(question_key("startDate", false), None);
    }

    #[test]
    fn statuses_and_finished_cells_are_read() {
        assert_eq!(unreal_status("IP Address"), None);
        assert_eq!(unreal_status("0"), None);
        assert_eq!(unreal_status("Imported"), None);
        assert_eq!(unreal_status("2").as_deref(), Some("Survey Test (`2`)"));
        assert_eq!(
            unreal_status("Survey Preview").as_deref(),
            Some("`Survey Preview`")
        );
        assert_eq!(unreal_status("Spam").as_deref(), Some("`Spam`"));
        assert!(is_false("FALSE") && is_false("False") && is_false("0"));
        assert!(!is_false("TRUE") && !is_false("1") && !is_false(""));
    }
}
