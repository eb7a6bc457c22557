//! LimeSurvey exports of the responses (Responses, Export, Export responses), as CSV or as an
//! Excel workbook (XLSX, its first sheet), with question codes or full question texts as
//! headings and answer codes or full answers as cells.
//!
//! The file has one header row: `id`, `submitdate`, `lastpage`, `startlanguage`, `seed` (and
//! `token`, `startdate`, `datestamp`, `ipaddr`, `refurl` when the survey records them), then
//! the questions, then, when the survey records timings, `interviewtime`, `groupTime7`, ...,
//! `g1Time`, ... (`Total time`, `Group time: ...`, `Question time: ...` with full headings).
//! These are the tool's own columns, never questions. Headings are either question codes or
//! full question texts, as chosen under "Headings":
//!
//! - a single-answer question is `Q1` (or its text), with `Q1[other]` (`Text [Other]`) for the
//!   text of an "Other" answer, whose code is `-oth-`, and `Q1[comment]` for a list with
//!   comment. A Yes/No question left unanswered is written `N/A` with full answers: it is
//!   read as no answer;
//! - a ranking question is one column per rank, `Q2[1]`, `Q2[2]`, ... (`Text [Rank 1]`,
//!   `Text [Rank 2]`, ...), each holding the item placed there: its answer code or its full
//!   text, as chosen under "Responses". It is turned into one column per item holding its
//!   rank; ranks left blank make a partial ranking;
//! - an array question is one column per subquestion, `Q3[SQ001]` (`Text [Subquestion]`),
//!   holding the chosen scale point; an array of numbers with checkboxes is one column per
//!   row and column of the grid, `Q0[SQ001_SQ002]`, holding `1` when ticked; a multiple-choice
//!   question is one column per option holding `Y` (or `Yes`, or `1`) when ticked. Ticked
//!   columns are read as a pick question whoever ticked how many, since LimeSurvey writes a
//!   single choice in one column; the comments of a multiple choice with comments,
//!   `Q5[SQ001comment]`, are questions of their own (typed text). A scale point whose label
//!   ends with its number is written with the two joined (`Very helpful<br>10` becomes
//!   `Very helpful10`): it is read as the number;
//! - an array of one subquestion, `Q4[SQ001]`, is a question of its own named by its code
//!   `Q4`: a rating of one item, named `Q4` too (or by the subquestion's code when it is not
//!   LimeSurvey's default `SQ001`), when it holds numbers, and a single choice otherwise.
//!
//! A response is incomplete when its `submitdate` (`Date submitted`) is empty: LimeSurvey
//! fills it only when the respondent submits the last page (`lastpage` says how far they
//! got). A column added to the file after export (a heading that is neither a LimeSurvey code
//! nor one of its own columns, or no heading at all, named `column F` by its letters) is a
//! question of its own, read like any other.
//!
//! The CSV is separated by commas, or by the semicolons or tabs that the export's "CSV field
//! separator" may choose instead. Respondent ids are `id`.

use std::collections::HashSet;

use crate::cells::is_not_applicable;
use crate::sheet::{
    Sheet, column_letters, delimiter_of, header_beginning, read_sheet, rows_under_single_header,
    single_header,
};
use crate::{Column, DataRow, ImportError, RespondentSource, Table, Tool, cell_error};

/// Columns LimeSurvey adds itself, as codes and as full headings.
const METADATA: [&str; 21] = [
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "token",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "interviewtime",
    "response id",
    "date submitted",
    "last page",
    "start language",
    "date started",
    "date last action",
    "ip address",
    "referrer url",
    "total time",
    "access code",
];

/// Splits `Q2[1]` or `Question text [Rank 1]` into the question and the bracketed part.
fn split_heading(heading: &str) -> Option<(&str, &str)> {
    let without_bracket = heading.strip_suffix(']')?;
    let open = without_bracket.rfind('[')?;
    let question = without_bracket[..open].trim_end();
    let sub = without_bracket[open + 1..].trim();
    (!question.is_empty() && !sub.is_empty()).then_some((question, sub))
}

/// The rank a ranking column's bracketed part names: `1` (code headings) or `Rank 1` (full
/// headings), with whether it said `Rank`.
fn rank_position(sub: &str) -> Option<(usize, bool)> {
    let lower = sub.trim().to_lowercase();
    let (digits, named) = match lower.strip_prefix("rank") {
        Some(rest) => (rest.trim(), true),
        None => (lower.as_str(), false),
    };
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    digits
        .parse::<usize>()
        .ok()
        .filter(|rank| *rank > 0)
        .map(|rank| (rank, named))
}

/// One question of the header: its text and its columns with their bracketed parts.
struct HeadingGroup {
    question: String,
    columns: Vec<(usize, Option<String>)>,
}

/// How one output column takes its value from the file.
enum Source {
    /// The raw cell.
    Cell(usize),
    /// The rank at which `item` appears among the ranking's columns.
    Rank {
        columns: Vec<(usize, usize)>,
        item: String,
    },
}

/// Whether a question's columns are a ranking: `[1]`, `[2]`, ... or `[Rank 1]`, ...
/// consecutively from 1; with bare numbers, the cells must also hold something other than
/// numbers (item codes or texts), since an array may number its subquestions too.
fn ranking_positions(group: &HeadingGroup, rows: &[DataRow]) -> Option<Vec<(usize, usize)>> {
    let mut positions = Vec::new();
    let mut named = false;
    for (expected, (index, sub)) in group.columns.iter().enumerate() {
        let (rank, said_rank) = rank_position(sub.as_deref()?)?;
        if rank != expected + 1 {
            return None;
        }
        named |= said_rank;
        positions.push((*index, rank));
    }
    let holds_items = rows.iter().any(|row| {
        positions.iter().any(|(index, _)| {
            let cell = row.cells[*index].as_str();
            !cell.is_empty() && !is_not_applicable(cell) && cell.parse::<f64>().is_err()
        })
    });
    (named || holds_items).then_some(positions)
}

/// Reads a LimeSurvey CSV export (or the same layout in an XLSX workbook) into a [`Table`].
///
/// # Errors
/// [`ImportError::Csv`] for malformed CSV, [`ImportError::Layout`] when the `id` column is
/// missing, [`ImportError::Cell`] for a ranking that places one item twice or a row longer
/// than the header.
pub fn read_table(input: &[u8], source_name: &str) -> Result<Table, ImportError> {
    let sheet = read_sheet(input, source_name, delimiter_of(input))?;
    let (mut header, id_column) = read_header(&sheet, source_name)?;
    let mut notes = Vec::new();
    name_unheaded_columns(&sheet, &mut header, &mut notes);
    let (mut raw_rows, sheet_notes) = rows_under_single_header(&sheet, &header, source_name)?;
    notes.splice(0..0, sheet_notes);
    mark_incomplete(&header, &mut raw_rows);
    let (groups, metadata_columns) = heading_groups(&header);
    let mut output = OutputColumns::default();
    let mut yes_no_questions = Vec::new();
    for group in &groups {
        if let Some(positions) = ranking_positions(group, &raw_rows) {
            let items = ranking_items(
                &raw_rows,
                &positions,
                &header,
                source_name,
                sheet.name.as_deref(),
            )?;
            output.push_ranking(group, &positions, items);
            continue;
        }
        let columns: Vec<usize> = group.columns.iter().map(|(index, _)| *index).collect();
        if columns.iter().any(|index| metadata_columns.contains(index)) {
            output.push_cells(group, &metadata_columns, id_column);
            continue;
        }
        match group.columns.as_slice() {
            [(index, None)] => {
                if blank_unanswered_yes_no(&mut raw_rows, *index) {
                    yes_no_questions.push(format!("`{}`", group.question));
                }
                output.push_cells(group, &metadata_columns, id_column);
            }
            [(index, Some(sub))] => {
                notes.extend(join_scale_labels(&mut raw_rows, &columns, &group.question));
                let option = holds_numbers(&raw_rows, *index)
                    .then(|| single_item_label(&group.question, sub));
                output.push_column(&group.question, option, *index);
            }
            _ => {
                notes.extend(join_scale_labels(&mut raw_rows, &columns, &group.question));
                output.push_cells(group, &metadata_columns, id_column);
            }
        }
    }
    if !yes_no_questions.is_empty() {
        notes.push(format!(
            "read `N/A` as no answer in the Yes/No questions {} (LimeSurvey writes it for a Yes/No question left unanswered)",
            yes_no_questions.join(", ")
        ));
    }
    let rows = data_rows(&raw_rows, &output.sources);
    Ok(Table {
        tool: Tool::LimeSurvey,
        source_name: source_name.to_string(),
        columns: output.columns,
        metadata: output.metadata,
        respondents: RespondentSource::Column(output.respondent_column),
        rows,
        sheet: sheet.name,
        notes,
    })
}

/// Names every column the header leaves blank (a column added to the file after export, or
/// one whose heading was deleted) up to the last column holding anything: `column F` in a
/// workbook, `column 6` in CSV, so that it is read as a question of its own instead of
/// failing the rows that fill it; says which in `notes`.
fn name_unheaded_columns(sheet: &Sheet, header: &mut Vec<String>, notes: &mut Vec<String>) {
    let width = sheet
        .records
        .iter()
        .skip(1)
        .filter_map(|(_, cells)| cells.iter().rposition(|cell| !cell.trim().is_empty()))
        .map(|last| last + 1)
        .max()
        .unwrap_or(0)
        .max(header.len());
    header.resize(width, String::new());
    let mut named = Vec::new();
    for (index, heading) in header.iter_mut().enumerate() {
        if heading.is_empty() {
            *heading = match sheet.name {
                Some(_) => format!("column {}", column_letters(index)),
                None => format!("column {}", index + 1),
            };
            named.push(format!("`{heading}`"));
        }
    }
    if !named.is_empty() {
        notes.push(format!(
            "named the columns without a heading {}: each is read as a question of its own",
            named.join(", ")
        ));
    }
}

/// Marks incomplete the rows whose `submitdate` (`Date submitted`) is empty: LimeSurvey fills
/// it only when the last page is submitted.
fn mark_incomplete(header: &[String], rows: &mut [DataRow]) {
    let Some(submitted) = header.iter().position(|heading| {
        heading.eq_ignore_ascii_case("submitdate") || heading.eq_ignore_ascii_case("date submitted")
    }) else {
        return;
    };
    for row in rows {
        row.complete = !row.cells[submitted].is_empty();
    }
}

/// Blanks the `N/A` cells of a Yes/No question (a column holding only `Yes`, `No` and `N/A`,
/// or `Male`, `Female` and `N/A` for LimeSurvey's gender question): LimeSurvey's full answers
/// write `N/A` for such a question left unanswered. Returns whether it did.
fn blank_unanswered_yes_no(rows: &mut [DataRow], index: usize) -> bool {
    let mut answered = false;
    let mut unanswered = false;
    for row in rows.iter() {
        match row.cells[index].to_lowercase().as_str() {
            "" => {}
            "yes" | "no" | "male" | "female" => answered = true,
            "n/a" => unanswered = true,
            _ => return false,
        }
    }
    if !(answered && unanswered) {
        return false;
    }
    for row in rows {
        if row.cells[index].eq_ignore_ascii_case("n/a") {
            row.cells[index].clear();
        }
    }
    true
}

/// The number a scale point's label joined to its number ends with: `Very helpful10` is 10,
/// as LimeSurvey writes the full answer `Very helpful<br>10` once its markup is stripped.
fn joined_scale_point(cell: &str) -> Option<&str> {
    let label_part = cell.trim_end_matches(|character: char| character.is_ascii_digit());
    let label = label_part.trim();
    (label_part.len() < cell.len()
        && label.chars().any(char::is_alphabetic)
        && !label.ends_with(|character: char| character.is_ascii_digit()))
    .then(|| &cell[label_part.len()..])
}

/// In an array whose answers are whole numbers, reads a scale point written as its label
/// joined to its number (`Very helpful10`) as the number; returns a note saying which labels
/// were read so.
fn join_scale_labels(rows: &mut [DataRow], columns: &[usize], question: &str) -> Option<String> {
    let answers = || {
        rows.iter()
            .flat_map(|row| columns.iter().map(move |&index| row.cells[index].as_str()))
            .filter(|cell| !cell.is_empty() && !is_not_applicable(cell))
    };
    let whole = |cell: &str| cell.parse::<i64>().is_ok();
    if !answers().any(whole)
        || !answers().all(|cell| whole(cell) || joined_scale_point(cell).is_some())
    {
        return None;
    }
    let mut labels: Vec<String> = Vec::new();
    for row in rows.iter_mut() {
        for &index in columns {
            let cell = &row.cells[index];
            if whole(cell) || is_not_applicable(cell) {
                continue;
            }
            if let Some(point) = joined_scale_point(cell) {
                let point = point.to_string();
                let label = format!("`{cell}`");
                if !labels.contains(&label) {
                    labels.push(label);
                }
                row.cells[index] = point;
            }
        }
    }
    (!labels.is_empty()).then(|| {
        format!(
            "read {} in `{question}` as the number each ends with (LimeSurvey joins a scale point's label to its number)",
            labels.join(", ")
        )
    })
}

/// Whether a column's answers are all numbers (or there are none): an array of one
/// subquestion holding numbers is a rating of one item.
fn holds_numbers(rows: &[DataRow], index: usize) -> bool {
    rows.iter()
        .map(|row| row.cells[index].as_str())
        .filter(|cell| !cell.is_empty() && !is_not_applicable(cell))
        .all(|cell| cell.parse::<f64>().is_ok())
}

/// The item an array of one subquestion rates: the question's code when the subquestion has
/// LimeSurvey's default code (`SQ001`), which says nothing, else the subquestion's own code or
/// text.
fn single_item_label(question: &str, sub: &str) -> String {
    let default_code = sub.strip_prefix("SQ").is_some_and(|digits| {
        !digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit())
    });
    if default_code { question } else { sub }.to_string()
}

/// The error for a file whose header is not a LimeSurvey header, saying what was `found`.
fn layout_error(source_name: &str, found: String) -> ImportError {
    ImportError::Layout {
        source_name: source_name.to_string(),
        tool: Tool::LimeSurvey,
        expected: "one header row with `id` (or `Response ID`), `submitdate`, `lastpage`, `startlanguage`, `seed`, then the questions (`Q1`, `Q2[1]`, ... or their full texts)".to_string(),
        found,
    }
}

/// The header row and the index of its `id` (or `Response ID`) column.
fn read_header(sheet: &Sheet, source_name: &str) -> Result<(Vec<String>, usize), ImportError> {
    let Some(header) = single_header(sheet) else {
        return Err(layout_error(source_name, "an empty file".to_string()));
    };
    let Some(id_column) = header.iter().position(|cell| {
        cell.eq_ignore_ascii_case("id") || cell.eq_ignore_ascii_case("response id")
    }) else {
        return Err(layout_error(source_name, header_beginning(&header, 4)));
    };
    Ok((header, id_column))
}

/// Whether a heading after the total time (`interviewtime`) is the time spent on a group or a
/// question: `groupTime7`, `g1Time` (`Group time: ...`, `Question time: ...`).
fn is_timing_heading(heading: &str) -> bool {
    let lower = heading.to_lowercase();
    if lower.starts_with("group time:") || lower.starts_with("question time:") {
        return true;
    }
    if let Some(digits) = heading.strip_prefix("groupTime") {
        return !digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit());
    }
    heading.strip_suffix("Time").is_some_and(|code| {
        code.starts_with(|character: char| character.is_ascii_alphabetic())
            && code
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || character == '_')
    })
}

/// Groups consecutive columns of one question, with the set of metadata columns (LimeSurvey's
/// own, timings included).
fn heading_groups(header: &[String]) -> (Vec<HeadingGroup>, HashSet<usize>) {
    let mut groups: Vec<HeadingGroup> = Vec::new();
    let mut metadata_columns = HashSet::new();
    let mut timings = false;
    for (index, heading) in header.iter().enumerate() {
        let lower = heading.to_lowercase();
        timings |= lower == "interviewtime" || lower == "total time";
        if METADATA.contains(&lower.as_str()) || timings && is_timing_heading(heading) {
            metadata_columns.insert(index);
            groups.push(HeadingGroup {
                question: heading.clone(),
                columns: vec![(index, None)],
            });
            continue;
        }
        let (question, sub) = match split_heading(heading) {
            Some((question, sub)) => (question.to_string(), Some(sub.to_string())),
            None => (heading.clone(), None),
        };
        match groups.last_mut() {
            Some(last)
                if last.question == question
                    && sub.is_some()
                    && !metadata_columns.contains(&(index - 1)) =>
            {
                last.columns.push((index, sub));
            }
            _ => groups.push(HeadingGroup {
                question,
                columns: vec![(index, sub)],
            }),
        }
    }
    (
        groups.into_iter().flat_map(without_comments).collect(),
        metadata_columns,
    )
}

/// A question's columns with its comment columns (`Q5[SQ001comment]` of a multiple choice
/// with comments, `Q1[comment]` of a list with comment) moved after it, each a question of
/// its own named by its heading: they hold typed text, not ticks or scale points.
fn without_comments(group: HeadingGroup) -> Vec<HeadingGroup> {
    let (comments, columns): (Vec<_>, Vec<_>) = group.columns.into_iter().partition(|(_, sub)| {
        sub.as_deref()
            .is_some_and(|sub| sub.to_lowercase().ends_with("comment"))
    });
    let comment_groups = comments.into_iter().map(|(index, sub)| HeadingGroup {
        question: format!("{}[{}]", group.question, sub.unwrap_or_default()),
        columns: vec![(index, None)],
    });
    let question = group.question.clone();
    (!columns.is_empty())
        .then_some(HeadingGroup { question, columns })
        .into_iter()
        .chain(comment_groups)
        .collect()
}

/// The items a ranking's columns hold, in order of first appearance; an item placed twice in
/// one row is an error.
fn ranking_items(
    raw_rows: &[DataRow],
    positions: &[(usize, usize)],
    header: &[String],
    source_name: &str,
    sheet_name: Option<&str>,
) -> Result<Vec<String>, ImportError> {
    let mut items: Vec<String> = Vec::new();
    for row in raw_rows {
        let mut in_row = HashSet::new();
        for (index, _) in positions {
            let item = row.cells[*index].as_str();
            if item.is_empty() {
                continue;
            }
            if !in_row.insert(item) {
                return Err(cell_error(
                    source_name,
                    sheet_name,
                    row.line,
                    *index,
                    header[*index].clone(),
                    format!("the ranking places `{item}` twice"),
                ));
            }
            if !items.iter().any(|known| known == item) {
                items.push(item.to_string());
            }
        }
    }
    Ok(items)
}

/// The output columns being built, with where each takes its value from.
#[derive(Default)]
struct OutputColumns {
    columns: Vec<Column>,
    sources: Vec<Source>,
    metadata: Vec<usize>,
    respondent_column: usize,
}

impl OutputColumns {
    /// Adds one rank column per item of a ranking question.
    fn push_ranking(
        &mut self,
        group: &HeadingGroup,
        positions: &[(usize, usize)],
        items: Vec<String>,
    ) {
        for item in items {
            self.columns.push(Column {
                question: group.question.clone(),
                option: Some(item.clone()),
                position: group.columns[0].0,
            });
            self.sources.push(Source::Rank {
                columns: positions.to_vec(),
                item,
            });
        }
    }

    /// Adds one column of the file as `question` with `option`.
    fn push_column(&mut self, question: &str, option: Option<String>, index: usize) {
        self.columns.push(Column {
            question: question.to_string(),
            option,
            position: index,
        });
        self.sources.push(Source::Cell(index));
    }

    /// Adds a question's columns as they are, noting metadata and the respondent id.
    fn push_cells(
        &mut self,
        group: &HeadingGroup,
        metadata_columns: &HashSet<usize>,
        id_column: usize,
    ) {
        for (index, sub) in &group.columns {
            if metadata_columns.contains(index) {
                self.metadata.push(self.columns.len());
            }
            if *index == id_column {
                self.respondent_column = self.columns.len();
            }
            self.columns.push(Column {
                question: group.question.clone(),
                option: sub.clone(),
                position: *index,
            });
            self.sources.push(Source::Cell(*index));
        }
    }
}

/// Each row's output cells: raw cells, or the rank at which an item appears.
fn data_rows(raw_rows: &[DataRow], sources: &[Source]) -> Vec<DataRow> {
    raw_rows
        .iter()
        .map(|row| DataRow {
            line: row.line,
            complete: row.complete,
            cells: sources
                .iter()
                .map(|source| match source {
                    Source::Cell(index) => row.cells[*index].clone(),
                    Source::Rank { columns, item } => columns
                        .iter()
                        .find(|(index, _)| row.cells[*index] == *item)
                        .map(|(_, rank)| rank.to_string())
                        .unwrap_or_default(),
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{
        delimiter_of, is_timing_heading, joined_scale_point, rank_position, single_item_label,
        split_heading,
    };

    #[test]
    fn timings_and_joined_scale_points_are_recognised() {
        assert!(is_timing_heading("groupTime7"));
        assert!(is_timing_heading("g1Time"));
        assert!(is_timing_heading("Question time: g1"));
        assert!(is_timing_heading("Group time: General"));
        assert!(!is_timing_heading("groupTime"));
        assert!(!is_timing_heading("Time"));
        assert!(!is_timing_heading("g2[SQ001]"));
        assert_eq!(joined_scale_point("Very helpful10"), Some("10"));
        assert_eq!(joined_scale_point("Not helpful 1"), Some("1"));
        assert_eq!(joined_scale_point("10"), None);
        assert_eq!(joined_scale_point("1-5"), None);
        assert_eq!(joined_scale_point("Very helpful"), None);
        assert_eq!(single_item_label("g2", "SQ001"), "g2");
        assert_eq!(single_item_label("g2", "clarity"), "clarity");
    }

    #[test]
    fn headings_split_into_question_and_subquestion() {
        assert_eq!(split_heading("Q2[1]"), Some(("Q2", "1")));
        assert_eq!(
            split_heading("Please rank these topics [Rank 2]"),
            Some(("Please rank these topics", "Rank 2"))
        );
        assert_eq!(split_heading("Q3[SQ001]"), Some(("Q3", "SQ001")));
        assert_eq!(split_heading("Q1"), None);
        assert_eq!(split_heading("[1]"), None);
        assert_eq!(rank_position("Rank 3"), Some((3, true)));
        assert_eq!(rank_position("3"), Some((3, false)));
        assert_eq!(rank_position("SQ001"), None);
        assert_eq!(rank_position("0"), None);
    }

    #[test]
    fn the_separator_is_the_commonest_outside_quotes() {
        assert_eq!(delimiter_of(b"id,submitdate,\"a;b;c;d\"\n"), b',');
        assert_eq!(delimiter_of(b"id;submitdate;lastpage\n1,2,3"), b';');
        assert_eq!(delimiter_of(b"id\tsubmitdate\n"), b'\t');
        assert_eq!(delimiter_of(b""), b',');
    }
}
