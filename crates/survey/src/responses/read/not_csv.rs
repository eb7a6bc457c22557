//! Files that are not comma-separated CSV at all, told apart by their first line: a workbook or
//! UTF-16 text saved under a `.csv` name, or CSV separated by semicolons or tabs (what Excel
//! writes in locales where the comma is the decimal mark). Reading them as CSV would only give
//! confusing messages about the header, so each is refused with one that says what the file is.

use super::super::ResponseProblem;
use super::super::header::KNOWN_COLUMNS;

/// How to save a file that Excel has open as the exchange format wants it.
const SAVE_AS_CSV: &str = "save it as CSV with commas (Excel: CSV UTF-8 (Comma delimited))";

/// Refuses a file whose first record shows it is not comma-separated UTF-8 text. `first` is the
/// first record as read with commas.
pub(super) fn check_comma_separated(
    first: &csv::ByteRecord,
    source_name: &str,
) -> Result<(), ResponseProblem> {
    let start = first.get(0).unwrap_or_default();
    if let Some(message) = not_text(start) {
        return Err(ResponseProblem {
            source_name: source_name.to_string(),
            line: None,
            context: None,
            message,
        });
    }
    if let Some(separator) = other_separator(first) {
        return Err(ResponseProblem {
            source_name: source_name.to_string(),
            line: Some(1),
            context: None,
            message: format!("the file is separated by {separator}, not commas: {SAVE_AS_CSV}"),
        });
    }
    Ok(())
}

/// What a file is when its first bytes show it is not text: a ZIP (an `.xlsx` or `.ods`
/// workbook), an OLE compound file (a legacy `.xls` workbook) or UTF-16 text.
fn not_text(start: &[u8]) -> Option<String> {
    const OPEN_AND_SAVE: &str = "open it and save it as CSV UTF-8 (Comma delimited), or import it with `prioritise import --from TOOL FILE` (TOOL: surveymonkey, google-forms, microsoft-forms, qualtrics, limesurvey)";
    let what = if start.starts_with(b"PK\x03\x04") {
        // An OpenDocument file names its kind in a `mimetype` entry stored first.
        if contains(start, b"application/vnd.oasis.opendocument.spreadsheet") {
            "an OpenDocument spreadsheet (.ods)"
        } else {
            "an Excel workbook (.xlsx)"
        }
    } else if start.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "a legacy Excel workbook (.xls)"
    } else if start.starts_with(&[0xFF, 0xFE]) || start.starts_with(&[0xFE, 0xFF]) {
        return Some(format!(
            "the file is UTF-16 text (Excel: Unicode Text), not UTF-8 CSV: {SAVE_AS_CSV}"
        ));
    } else {
        return None;
    };
    Some(format!("the file is {what}, not CSV: {OPEN_AND_SAVE}"))
}

/// Whether `haystack` holds `needle`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// The separator of a header that was not written with commas: `semicolons` or `tabs`, when the
/// header read with commas has no `respondent` column but one of them splits it into columns of
/// the exchange format, or when the header read with commas is one cell holding that separator.
fn other_separator(first: &csv::ByteRecord) -> Option<&'static str> {
    let names_respondent = first
        .iter()
        .any(|cell| column_name(cell) == b"respondent".as_slice());
    if names_respondent {
        return None;
    }
    // The cells joined again: a cell of a semicolon-separated file may hold a comma.
    let line = first.iter().collect::<Vec<&[u8]>>().join(b",".as_slice());
    for (separator, name) in [(b';', "semicolons"), (b'\t', "tabs")] {
        let known = line
            .split(|&byte| byte == separator)
            .filter(|cell| {
                let cell = column_name(cell);
                KNOWN_COLUMNS.iter().any(|known| known.as_bytes() == cell)
            })
            .count();
        let one_cell = first.len() == 1 && line.contains(&separator);
        if known >= 2 || one_cell {
            return Some(name);
        }
    }
    None
}

/// A header cell as a column name: without a byte order mark, surrounding spaces and quotes,
/// in lowercase.
fn column_name(cell: &[u8]) -> Vec<u8> {
    let cell = cell
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(cell)
        .trim_ascii();
    let cell = cell
        .strip_prefix(b"\"")
        .and_then(|inner| inner.strip_suffix(b"\""))
        .unwrap_or(cell);
    cell.trim_ascii().to_ascii_lowercase()
}
