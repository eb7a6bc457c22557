//! LimeSurvey CSV exports (Responses, Export, Export responses, format CSV).
//!
//! The file has one header row: `id`, `submitdate`, `lastpage`, `startlanguage`, `seed` (and
//! `token`, `startdate`, `datestamp`, `ipaddr`, `refurl` when the survey records them), then
//! the questions. Headings are either question codes or full question texts, as chosen under
//! "Headings":
//!
//! - a single-answer question is `Q1` (or its text), with `Q1[other]` (`Text [Other]`) for the
//!   text of an "Other" answer, whose code is `-oth-`;
//! - a ranking question is one column per rank, `Q2[1]`, `Q2[2]`, ... (`Text [Rank 1]`,
//!   `Text [Rank 2]`, ...), each holding the item placed there: its answer code or its full
//!   text, as chosen under "Responses". It is turned into one column per item holding its
//!   rank; ranks left blank make a partial ranking;
//! - an array question is one column per subquestion, `Q3[SQ001]` (`Text [Subquestion]`),
//!   holding the chosen scale point.
//!
//! The CSV is separated by commas, or by the semicolons or tabs that the export's "CSV field
//! separator" may choose instead. Respondent ids are `id`.

use std::collections::HashSet;

use crate::cells::is_not_applicable;
use crate::sheet::{
    Sheet, delimiter_of, header_beginning, read_sheet, rows_under_single_header, single_header,
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
    let (header, id_column) = read_header(&sheet, source_name)?;
    let (raw_rows, notes) = rows_under_single_header(&sheet, &header, source_name)?;
    let (groups, metadata_columns) = heading_groups(&header);
    let mut output = OutputColumns::default();
    for group in &groups {
        match ranking_positions(group, &raw_rows) {
            Some(positions) => {
                let items = ranking_items(
                    &raw_rows,
                    &positions,
                    &header,
                    source_name,
                    sheet.name.as_deref(),
                )?;
                output.push_ranking(group, &positions, items);
            }
            None => output.push_cells(group, &metadata_columns, id_column),
        }
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

/// Groups consecutive columns of one question, with the set of metadata columns.
fn heading_groups(header: &[String]) -> (Vec<HeadingGroup>, HashSet<usize>) {
    let mut groups: Vec<HeadingGroup> = Vec::new();
    let mut metadata_columns = HashSet::new();
    for (index, heading) in header.iter().enumerate() {
        if METADATA.contains(&heading.to_lowercase().as_str()) {
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
    (groups, metadata_columns)
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
    use super::{delimiter_of, rank_position, split_heading};

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
