//! Reading the exchange format: [`read_responses`] streams a CSV file, row by row, into
//! [`Responses`](super::Responses).

mod finish;
mod not_csv;
mod row;
mod shown;

use std::io::Read;

use super::error::Problems;
use super::formula::FORMULA_STARTS;
use super::header::{Columns, read_header};
use super::store::{Block, Interner, Store};
use super::{Against, ReadOutcome, ResponseKind, ResponseProblem, ResponsesError};
use crate::definition::RoundKind;

/// How many records are read on the calling thread before a second thread takes over the
/// splitting of records: below this, starting a thread costs more than it saves.
const INLINE_RECORDS: usize = 1 << 16;

/// How many records the reading thread hands over at a time.
const BATCH_RECORDS: usize = 4096;

/// A rank: a whole number from 1 up, digits only.
fn parse_rank(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() {
        return None;
    }
    let mut value: u32 = 0;
    for &byte in bytes {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u32::from(byte - b'0'))?;
    }
    (value >= 1).then_some(value)
}

/// A cell's bytes with surrounding spaces removed and a formula guard undone (see
/// [`restore_formula`](super::restore_formula)), before any UTF-8 check.
fn raw_cell(record: &csv::ByteRecord, index: usize) -> &[u8] {
    let bytes = record.get(index).unwrap_or_default().trim_ascii();
    match bytes {
        [b'\'', second, ..]
            if *second == b'\'' || FORMULA_STARTS.contains(&char::from(*second)) =>
        {
            &bytes[1..]
        }
        _ => bytes,
    }
}

/// The state of one read: the header's columns, the interned ids and the answers so far.
struct Reader<'a> {
    source_name: &'a str,
    against: Option<Against<'a>>,
    kind: ResponseKind,
    columns: Columns,
    groups: Interner,
    items: Interner,
    criteria: Interner,
    respondents: Interner,
    respondent_groups: Vec<u32>,
    respondent_lines: Vec<u64>,
    store: Store,
    /// The line of each answer in `store`, for messages about a respondent's whole answer.
    lines: Vec<u32>,
    blocks: Vec<Block>,
    /// The respondent of the row before, to skip the lookup in the usual case of consecutive
    /// rows.
    previous_respondent: Option<u32>,
    /// The group cell of the row before and its index, likewise.
    previous_group: Option<(Vec<u8>, u32)>,
    /// The bad rows found so far.
    problems: Problems,
    /// The order each respondent was shown, by respondent index, from the `shown_order`
    /// column; shorter than the respondents when the last ones recorded none.
    shown: Vec<super::Shown>,
    /// The line each respondent's shown order was first given on, for messages.
    shown_lines: Vec<u64>,
}

impl<'a> Reader<'a> {
    /// A reader for a file of `kind`; against an exercise, its groups, the round's items and
    /// the round's criteria are interned first.
    fn new(
        source_name: &'a str,
        against: Option<Against<'a>>,
        kind: ResponseKind,
        columns: Columns,
    ) -> Reader<'a> {
        let mut reader = Reader {
            source_name,
            against,
            kind,
            columns,
            groups: Interner::default(),
            items: Interner::default(),
            criteria: Interner::default(),
            respondents: Interner::default(),
            respondent_groups: Vec::new(),
            respondent_lines: Vec::new(),
            store: Store::new(kind),
            lines: Vec::new(),
            blocks: Vec::new(),
            previous_respondent: None,
            previous_group: None,
            problems: Problems::default(),
            shown: Vec::new(),
            shown_lines: Vec::new(),
        };
        if let Some(against) = against {
            // Interning the exercise's groups and the round's items first makes their indices
            // follow the definition's order.
            for group in &against.exercise.groups {
                reader.groups.intern(group.id.as_str());
            }
            for item in against.exercise.round_items(against.round) {
                reader.items.intern(item.id.as_str());
            }
            if let RoundKind::Rate { criteria, .. } = &against.round.kind {
                for criterion in criteria {
                    reader.criteria.intern(criterion.id.as_str());
                }
            }
        }
        reader
    }
}

/// Reads a whole response file, streaming, checking it against an exercise round when one is
/// given.
///
/// `source_name` is the file name used in messages. The input is read through a buffer and
/// never held whole in memory as text.
///
/// # Errors
/// [`ResponsesError`] listing every bad row, up to
/// [`MAX_LISTED_PROBLEMS`](super::MAX_LISTED_PROBLEMS) of them and then a count of the rest,
/// each with its line, its column and the reason: a row with the wrong number of fields, an
/// empty id, a rank that is not a positive whole number, a rating that is not a number or a
/// CHNRI answer, the same item twice for a respondent, a respondent in two groups, and (against
/// an exercise) unknown groups, items and criteria, ratings off the scale, ranks beyond `top_k`
/// and answers beyond the round's limits. Problems that make the rest meaningless come alone
/// (or after the bad rows found before them): a file separated by semicolons or tabs, a
/// workbook or a UTF-16 file under a CSV name, an empty file, a header that does not tell the
/// kind or is not that of the round's kind, and a read that fails. Nothing is returned when
/// any row is bad.
pub fn read_responses<R: Read + Send>(
    input: R,
    source_name: &str,
    against: Option<Against<'_>>,
) -> Result<ReadOutcome, ResponsesError> {
    let mut csv_reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    let mut notes = Vec::new();
    let (kind, columns) = read_first_line(&mut csv_reader, &mut record, source_name, &mut notes)?;
    if let Some(against) = against {
        check_round_kind(against, kind, source_name)?;
    }
    let mut reader = Reader::new(source_name, against, kind, columns);
    let read = match read_inline(&mut csv_reader, &mut record, &mut reader) {
        Ok(true) => read_on_two_threads(csv_reader, &mut reader),
        Ok(false) => Ok(()),
        Err(fatal) => Err(fatal),
    };
    if let Err(fatal) = read {
        return Err(reader.problems.ending_with(fatal));
    }
    let responses = reader.finish()?;
    Ok(ReadOutcome { responses, notes })
}

/// A CSV error as a [`ResponseProblem`], with its line when the CSV reader knows it.
fn csv_error(source_name: &str, error: csv::Error) -> ResponseProblem {
    let line = error.position().map(|position| position.line());
    let message = match error.kind() {
        csv::ErrorKind::Io(io_error) => format!("cannot read the file: {io_error}"),
        csv::ErrorKind::Utf8 { .. } => {
            "the text is not valid UTF-8 (save the file as UTF-8)".to_string()
        }
        _ => format!("malformed CSV: {error}"),
    };
    ResponseProblem {
        source_name: source_name.to_string(),
        line,
        context: None,
        message,
    }
}

/// Reads the header line: refuses an empty file, a file that is not comma-separated text and
/// a header that is not UTF-8, and tells the kind and the columns.
fn read_first_line<R: Read>(
    csv_reader: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
    source_name: &str,
    notes: &mut Vec<String>,
) -> Result<(ResponseKind, Columns), ResponseProblem> {
    if !csv_reader
        .read_byte_record(record)
        .map_err(|error| csv_error(source_name, error))?
    {
        return Err(ResponseProblem {
            source_name: source_name.to_string(),
            line: None,
            context: None,
            message: "the file is empty; expected a header such as `respondent,group,item,rank`"
                .to_string(),
        });
    }
    not_csv::check_comma_separated(record, source_name)?;
    let header =
        csv::StringRecord::from_byte_record(record.clone()).map_err(|_| ResponseProblem {
            source_name: source_name.to_string(),
            line: Some(1),
            context: None,
            message: "the header is not valid UTF-8 (save the file as UTF-8)".to_string(),
        })?;
    read_header(&header, source_name, notes)
}

/// Checks that the header's kind is the kind of answers the round collects.
fn check_round_kind(
    against: Against<'_>,
    kind: ResponseKind,
    source_name: &str,
) -> Result<(), ResponseProblem> {
    let round_kind = ResponseKind::of_round(&against.round.kind);
    if round_kind != kind {
        return Err(ResponseProblem {
            source_name: source_name.to_string(),
            line: Some(1),
            context: None,
            message: format!(
                "the header is that of a {kind} file, but round `{}` collects {round_kind} answers",
                against.round.id
            ),
        });
    }
    Ok(())
}

/// The 1-based line a record starts on.
fn record_line(record: &csv::ByteRecord) -> u64 {
    record
        .position()
        .map(|position| position.line())
        .unwrap_or(0)
}

/// Whether a record is a blank line, often at the end of a hand-edited file.
fn is_blank(record: &csv::ByteRecord) -> bool {
    record.len() == 1 && record.get(0).is_some_and(|field| field.is_empty())
}

/// Reads up to [`INLINE_RECORDS`] records on this thread, one record buffer reused, so that a
/// small file needs no second thread. Returns whether records remain; bad rows are recorded in
/// the reader, and only a failed read is an error.
fn read_inline<R: Read>(
    csv_reader: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
    reader: &mut Reader<'_>,
) -> Result<bool, ResponseProblem> {
    let mut rows_read = 0;
    while rows_read < INLINE_RECORDS {
        if !csv_reader
            .read_byte_record(record)
            .map_err(|error| csv_error(reader.source_name, error))?
        {
            return Ok(false);
        }
        rows_read += 1;
        let line = record_line(record);
        if is_blank(record) {
            continue;
        }
        reader.row(record, line);
    }
    Ok(true)
}

/// Reads the rest of a larger file in two stages on two threads: one reads and splits the CSV
/// into records, in batches; this thread checks and stores them. Batches are recycled, so
/// records keep their buffers. Bad rows are recorded in the reader; only a failed read is an
/// error.
fn read_on_two_threads<R: Read + Send>(
    mut csv_reader: csv::Reader<R>,
    reader: &mut Reader<'_>,
) -> Result<(), ResponseProblem> {
    let source_name = reader.source_name;
    std::thread::scope(|scope| -> Result<(), ResponseProblem> {
        let (full_sender, full_receiver) =
            std::sync::mpsc::sync_channel::<Result<Vec<csv::ByteRecord>, ResponseProblem>>(4);
        let (empty_sender, empty_receiver) =
            std::sync::mpsc::sync_channel::<Vec<csv::ByteRecord>>(6);
        scope.spawn(move || {
            loop {
                let mut batch = empty_receiver.try_recv().unwrap_or_default();
                let mut filled = 0;
                let mut finished = false;
                while filled < BATCH_RECORDS {
                    if batch.len() == filled {
                        batch.push(csv::ByteRecord::new());
                    }
                    match csv_reader.read_byte_record(&mut batch[filled]) {
                        Ok(true) => filled += 1,
                        Ok(false) => {
                            finished = true;
                            break;
                        }
                        Err(error) => {
                            let _ = full_sender.send(Err(csv_error(source_name, error)));
                            return;
                        }
                    }
                }
                batch.truncate(filled);
                // A closed channel means the other stage has stopped.
                if full_sender.send(Ok(batch)).is_err() || finished {
                    return;
                }
            }
        });
        for batch in full_receiver {
            let batch = batch?;
            for record in &batch {
                let line = record_line(record);
                if is_blank(record) {
                    continue;
                }
                reader.row(record, line);
            }
            let _ = empty_sender.try_send(batch);
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests;
