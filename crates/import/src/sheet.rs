//! The rows of an export, from a CSV file or from the first sheet of an XLSX workbook.
//!
//! Every tool's reader works on the same records: the cells of each non-blank row as text,
//! with the row's 1-based line (the CSV line where the record starts, or the sheet's row
//! number). A workbook's numbers are written as a spreadsheet shows them: whole numbers
//! without a trailing `.0`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

use crate::ImportError;

/// The most cells a sheet may span (rows times columns), so that a workbook whose few cells
/// sit far apart cannot make the reader allocate without bound.
const MAX_SHEET_CELLS: usize = 20_000_000;

/// The rows of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sheet {
    /// The workbook sheet the rows come from; `None` for a CSV file.
    pub(crate) name: Option<String>,
    /// Each non-blank row's line and cells.
    pub(crate) records: Vec<(u64, Vec<String>)>,
    /// Things worth telling the user about the file.
    pub(crate) notes: Vec<String>,
}

/// Whether `input` is an XLSX workbook: its name says so, or it is a ZIP archive (which no
/// CSV export is).
pub(crate) fn is_workbook(input: &[u8], source_name: &str) -> bool {
    let lower = source_name.to_lowercase();
    lower.ends_with(".xlsx") || lower.ends_with(".xlsm") || input.starts_with(b"PK\x03\x04")
}

/// Reads `input` as a workbook (see [`is_workbook`]) or as CSV separated by `delimiter` (or by
/// tabs, when the header line has tabs and no `delimiter`: see [`read_records`]).
///
/// # Errors
/// [`ImportError::Csv`] for malformed CSV, [`ImportError::Workbook`] for a workbook that
/// cannot be read.
pub(crate) fn read_sheet(
    input: &[u8],
    source_name: &str,
    delimiter: u8,
) -> Result<Sheet, ImportError> {
    if is_workbook(input, source_name) {
        read_workbook(input, source_name)
    } else {
        let records = read_records(input, source_name, delimiter)?;
        let mut notes = Vec::new();
        if separator_of(input, delimiter) != delimiter {
            notes.push(format!(
                "read as tab-separated text: its header line has tabs and no `{}`",
                char::from(delimiter)
            ));
        }
        Ok(Sheet {
            name: None,
            records,
            notes,
        })
    }
}

/// Reads all records of a CSV file, trimming nothing, with their starting lines; blank rows
/// are left out.
///
/// Lines end at CR LF, LF or a lone CR alike (classic Mac Excel writes CR alone, and a file
/// whose CR LF was converted again ends its records with `\r\r\n`), inside quoted cells too,
/// whose line breaks become LF; a record's line is counted as a text editor counts lines, so
/// `\r\r\n` leaves a blank line after each record. The file is separated by `delimiter`,
/// or by tabs when its header line (the first that is not blank) has tabs and no `delimiter`
/// outside quotes, as Excel's "Unicode text" has.
pub(crate) fn read_records(
    input: &[u8],
    source_name: &str,
    delimiter: u8,
) -> Result<Vec<(u64, Vec<String>)>, ImportError> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let input = with_lf_line_ends(input);
    let separator = separator_of(&input, delimiter);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(input.as_ref());
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| ImportError::Csv {
            source_name: source_name.to_string(),
            line: error.position().map_or(0, |position| position.line()),
            message: match error.kind() {
                csv::ErrorKind::Utf8 { .. } => {
                    "the file is not UTF-8 text; give its encoding with --encoding".to_string()
                }
                _ => error.to_string(),
            },
        })?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        // The reader's position is where it began reading the record, before the blank lines
        // it skipped on the way.
        let line = record.position().map_or(0, |position| {
            let skipped = input
                .get(usize::try_from(position.byte()).unwrap_or(usize::MAX)..)
                .map_or(0, |rest| {
                    rest.iter().take_while(|byte| **byte == b'\n').count()
                });
            position.line() + skipped as u64
        });
        records.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(records)
}

/// `input` with every CR LF and every lone CR made LF, so that the CSV reader counts lines
/// as a text editor does.
fn with_lf_line_ends(input: &[u8]) -> Cow<'_, [u8]> {
    if !input.contains(&b'\r') {
        return Cow::Borrowed(input);
    }
    let mut output = Vec::with_capacity(input.len());
    let mut bytes = input.iter().copied().peekable();
    while let Some(byte) = bytes.next() {
        if byte == b'\r' {
            bytes.next_if_eq(&b'\n');
            output.push(b'\n');
        } else {
            output.push(byte);
        }
    }
    Cow::Owned(output)
}

/// How often each of `separators` occurs outside quotes in the header line: the first line
/// that is not blank, lines ending at LF or at CR (CR LF and CR-only files alike).
fn counts_in_header_line<const N: usize>(input: &[u8], separators: [u8; N]) -> [usize; N] {
    let is_line_end = |byte: &u8| matches!(byte, b'\n' | b'\r');
    let start = input
        .iter()
        .position(|byte| !is_line_end(byte))
        .unwrap_or(input.len());
    let mut counts = [0usize; N];
    let mut quoted = false;
    for byte in &input[start..] {
        if *byte == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if is_line_end(byte) {
                break;
            }
            if let Some(index) = separators.iter().position(|separator| separator == byte) {
                counts[index] += 1;
            }
        }
    }
    counts
}

/// `delimiter`, or tab when the header line has tabs and no `delimiter` outside quotes.
fn separator_of(input: &[u8], delimiter: u8) -> u8 {
    match counts_in_header_line(input, [delimiter, b'\t']) {
        [0, tabs] if tabs > 0 => b'\t',
        _ => delimiter,
    }
}

/// The field separator of a CSV export that may choose its own (LimeSurvey's): the commonest
/// of `,`, `;` and tab outside quotes in its header line, `,` on a tie.
pub(crate) fn delimiter_of(input: &[u8]) -> u8 {
    let separators = [b',', b';', b'\t'];
    let counts = counts_in_header_line(input, separators);
    separators
        .into_iter()
        .zip(counts)
        .max_by_key(|(separator, count)| (*count, *separator == b','))
        .map_or(b',', |(separator, _)| separator)
}

/// The text of a workbook cell as a spreadsheet shows it.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(number) => number.to_string(),
        DataRef::Float(number) => number_text(*number),
        DataRef::String(text) => text.clone(),
        DataRef::SharedString(text) => (*text).to_string(),
        DataRef::Bool(true) => "TRUE".to_string(),
        DataRef::Bool(false) => "FALSE".to_string(),
        DataRef::DateTime(date_time) => number_text(date_time.as_f64()),
        DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => text.clone(),
        DataRef::Error(error) => error.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// A number without a trailing `.0` when it is whole.
fn number_text(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        // Whole and well inside i64, so the conversion is exact.
        #[allow(clippy::cast_possible_truncation)]
        let whole = number as i64;
        whole.to_string()
    } else {
        number.to_string()
    }
}

/// A sheet's non-blank rows, each with its 1-based row number.
pub(crate) type Records = [(u64, Vec<String>)];

/// Reads the first sheet of an XLSX workbook.
fn read_workbook(input: &[u8], source_name: &str) -> Result<Sheet, ImportError> {
    read_workbook_sheet(input, source_name, &|_| true, "")
}

/// Reads the first sheet of an XLSX workbook whose records `wanted` accepts, trying the
/// sheets in order (hidden ones too), or the first sheet when none is accepted; the notes
/// name the sheet read when the workbook has several, and say it is the first whose header is
/// `wanted_text` when it is not the first sheet.
pub(crate) fn read_workbook_sheet(
    input: &[u8],
    source_name: &str,
    wanted: &dyn Fn(&Records) -> bool,
    wanted_text: &str,
) -> Result<Sheet, ImportError> {
    let error = |message: String| ImportError::Workbook {
        source_name: source_name.to_string(),
        message,
    };
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(input))
        .map_err(|problem| error(format!("not an XLSX workbook ({problem})")))?;
    let names = workbook.sheet_names();
    let Some(first) = names.first() else {
        return Err(error("the workbook has no sheets".to_string()));
    };
    let mut first_records = None;
    for (position, name) in names.iter().enumerate() {
        let records = read_worksheet(&mut workbook, name, &error)?;
        if wanted(&records) {
            let notes = if position > 0 {
                vec![format!(
                    "read sheet `{name}`, sheet {} of the workbook's {}: the first whose header is {wanted_text}",
                    position + 1,
                    names.len()
                )]
            } else if names.len() > 1 {
                vec![format!(
                    "read sheet `{name}`, the first of the workbook's {} sheets",
                    names.len()
                )]
            } else {
                Vec::new()
            };
            return Ok(Sheet {
                name: Some(name.clone()),
                records,
                notes,
            });
        }
        first_records.get_or_insert(records);
    }
    Ok(Sheet {
        name: Some(first.clone()),
        records: first_records.unwrap_or_default(),
        notes: Vec::new(),
    })
}

/// The non-blank rows of one sheet, with their 1-based row numbers.
fn read_worksheet(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    error: &dyn Fn(String) -> ImportError,
) -> Result<Vec<(u64, Vec<String>)>, ImportError> {
    let mut reader = workbook
        .worksheet_cells_reader(name)
        .map_err(|problem| error(format!("cannot read sheet `{name}`: {problem}")))?;
    let mut rows: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    let mut width = 0usize;
    while let Some(cell) = reader
        .next_cell()
        .map_err(|problem| error(format!("cannot read sheet `{name}`: {problem}")))?
    {
        let text = cell_text(cell.get_value());
        if text.trim().is_empty() {
            continue;
        }
        let (row, column) = cell.get_position();
        width = width.max(column as usize + 1);
        rows.entry(row).or_default().push((column, text));
    }
    drop(reader);
    if rows.len().saturating_mul(width) > MAX_SHEET_CELLS {
        return Err(error(format!(
            "sheet `{name}` spans {} rows of {width} columns, more than this reader takes ({MAX_SHEET_CELLS} cells)",
            rows.len()
        )));
    }
    Ok(rows
        .into_iter()
        .map(|(row, cells)| {
            let mut texts = vec![String::new(); width];
            for (column, text) in cells {
                texts[column as usize] = text;
            }
            (u64::from(row) + 1, texts)
        })
        .collect())
}

/// The spreadsheet letters of a 0-based column: `A`, ..., `Z`, `AA`, ...
pub(crate) fn column_letters(index: usize) -> String {
    let mut letters = Vec::new();
    let mut number = index + 1;
    while number > 0 {
        let remainder = (number - 1) % 26;
        // remainder < 26, so the cast cannot truncate.
        #[allow(clippy::cast_possible_truncation)]
        letters.push(char::from(b'A' + remainder as u8));
        number = (number - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// How many columns header rows name: up to the last non-blank cell of any of them. A
/// workbook's rows all span the sheet's used width, so blank cells after the header must not
/// count as columns.
pub(crate) fn header_width(rows: &[&Vec<String>]) -> usize {
    rows.iter()
        .map(|row| {
            row.iter()
                .rposition(|cell| !cell.trim().is_empty())
                .map_or(0, |last| last + 1)
        })
        .max()
        .unwrap_or(0)
}

/// Leaves out data records that repeat one of the header rows, as exports pasted one after
/// another do; says how many in `notes`.
pub(crate) fn without_repeated_headers(
    records: &[(u64, Vec<String>)],
    headers: &[&Vec<String>],
    notes: &mut Vec<String>,
) -> Vec<(u64, Vec<String>)> {
    let trimmed = |row: &[String]| -> Vec<String> {
        let mut cells: Vec<String> = row.iter().map(|cell| cell.trim().to_string()).collect();
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        cells
    };
    let headers: Vec<Vec<String>> = headers.iter().map(|row| trimmed(row)).collect();
    let kept: Vec<(u64, Vec<String>)> = records
        .iter()
        .filter(|(_, cells)| !headers.contains(&trimmed(cells)))
        .cloned()
        .collect();
    if kept.len() < records.len() {
        notes.push(format!(
            "left out {} rows that repeat the header",
            records.len() - kept.len()
        ));
    }
    kept
}

/// The trimmed cells of a sheet's single header row (up to its last non-blank cell), or
/// `None` for an empty sheet.
pub(crate) fn single_header(sheet: &Sheet) -> Option<Vec<String>> {
    let (_, header) = sheet.records.first()?;
    Some(
        header[..header_width(&[header])]
            .iter()
            .map(|cell| cell.trim().to_string())
            .collect(),
    )
}

/// The first `count` cells of a header, quoted, for a message saying what a file begins with.
pub(crate) fn header_beginning(header: &[String], count: usize) -> String {
    format!(
        "a header beginning {}",
        header
            .iter()
            .take(count)
            .map(|cell| format!("`{cell}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The data rows under a single header row, one column per header cell, leaving out rows
/// that repeat the header; returns them with the sheet's notes (and one about the repeats).
pub(crate) fn rows_under_single_header(
    sheet: &Sheet,
    header: &[String],
    source_name: &str,
) -> Result<(Vec<crate::DataRow>, Vec<String>), crate::ImportError> {
    let columns: Vec<crate::Column> = header
        .iter()
        .enumerate()
        .map(|(index, text)| crate::Column {
            question: text.clone(),
            option: None,
            position: index,
        })
        .collect();
    let mut notes = sheet.notes.clone();
    let data = without_repeated_headers(&sheet.records[1..], &[&sheet.records[0].1], &mut notes);
    let rows = crate::data_rows(&data, &columns, source_name, sheet.name.as_deref())?;
    Ok((rows, notes))
}

#[cfg(test)]
mod tests {
    use super::{delimiter_of, separator_of};

    #[test]
    fn the_header_line_is_the_first_that_is_not_blank_whatever_its_line_end() {
        assert_eq!(delimiter_of(b"\r\n\nid;submitdate\r1,2,3,4"), b';');
        assert_eq!(delimiter_of(b"\r\"\";\"\""), b';');
        assert_eq!(delimiter_of(b"id\tseed\r1,2,3"), b'\t');
        assert_eq!(delimiter_of(b"\"a,b\";c\n"), b';');
        assert_eq!(delimiter_of(b"\n\n"), b',');
        assert_eq!(separator_of(b"\nA\tB\rC,D", b','), b'\t');
        assert_eq!(separator_of(b"A\tB,C", b','), b',');
        assert_eq!(separator_of(b"\"A\tB\"", b','), b',');
        assert_eq!(separator_of(b"A;B\tC", b';'), b';');
    }
}
