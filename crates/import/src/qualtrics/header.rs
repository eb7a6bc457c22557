//! The header rows of a Qualtrics export: which layout it is, and what each column holds as
//! its ImportId (or, in a two-row legacy export, its export tag) says.

use crate::{ImportError, Tool};

/// What one column of a question holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Part {
    /// The whole answer (`QID7`): one choice, or several joined with `,`.
    Whole,
    /// One choice, statement or item (`QID2_1`, legacy `QID3-1`,
    /// `{"ImportId":"QID20","choiceId":"1"}`).
    Choice,
    /// Text typed in a box (`QID87_6_TEXT`, `QID4_TEXT`, legacy `QID18-TEXT`): a write-in or a
    /// text entry question, never an item.
    Text,
    /// The items a Pick, Group and Rank question's group holds, joined with `,`
    /// (`QID40_0_GROUP`).
    GroupList,
    /// An item's rank within one group of a Pick, Group and Rank question
    /// (`QID40_G0_1_RANK`): the group's number.
    Rank(String),
}

/// What a column of the file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Key {
    /// A column Qualtrics adds itself (dates, ids, `Status`, its `Q_` fields).
    Metadata,
    /// An embedded-data field the survey set (from the survey link, a contact list or the
    /// survey flow: `{"ImportId":"group"}`): a one-column question of its own, so that
    /// `--group-column` can name it.
    Embedded,
    /// A column of question `question` (`QID87`, or `QID4#1` for part 1 of a side-by-side
    /// question).
    Question {
        /// The question's ImportId (or export tag in a two-row legacy export).
        question: String,
        /// What the column holds.
        part: Part,
    },
}

/// One column of the file as its header rows describe it.
#[derive(Debug, Clone)]
pub(super) struct FileColumn {
    /// Row 1: the export tag (`Q34_7`).
    pub(super) tag: String,
    /// Row 2: the question text, `Question - Item` (legacy `Question-Item`).
    pub(super) text: String,
    /// What it holds.
    pub(super) key: Key,
}

/// The header of an export.
#[derive(Debug)]
pub(super) struct Header {
    /// How many header rows come before the data (three, or two in a legacy export).
    pub(super) rows: usize,
    /// Whether texts join stem and choice with a bare `-` (legacy exports), not ` - `.
    pub(super) legacy: bool,
    /// Every column of the file.
    pub(super) columns: Vec<FileColumn>,
    /// The respondent id column (`ResponseId`, legacy `ResponseID`).
    pub(super) respondent: Option<usize>,
    /// The `Status` column (response type).
    pub(super) status: Option<usize>,
    /// The `Finished` column.
    pub(super) finished: Option<usize>,
}

/// The value of `key` in an ImportId cell, quoted JSON-style (`{"ImportId":"QID2_1"}`) or
/// Python-style (`{'ImportId': 'QID3-1'}`); an unquoted value (`"choiceId":1`) is read up to
/// the next `,` or `}`.
pub(super) fn field<'a>(cell: &'a str, key: &str) -> Option<&'a str> {
    let after = ['"', '\''].iter().find_map(|quote| {
        cell.split_once(&format!("{quote}{key}{quote}"))
            .map(|(_, after)| after)
    })?;
    let after = after.trim_start().strip_prefix(':')?.trim_start();
    match after.chars().next()? {
        quote @ ('"' | '\'') => {
            let value = &after[1..];
            Some(&value[..value.find(quote)?])
        }
        _ => {
            let end = after.find([',', '}']).unwrap_or(after.len());
            Some(after[..end].trim())
        }
    }
}

/// The question and part of an ImportId (`QID87_6_TEXT`, `QID40_G0_1_RANK`, `QID3-1`,
/// `QID4#1-1`); `None` for the ids of Qualtrics' own columns. `has_choice` says the cell also
/// names a `choiceId`.
pub(super) fn question_key(id: &str, has_choice: bool) -> Option<Key> {
    let digits = id.strip_prefix("QID")?;
    let end = digits
        .find(|character: char| !character.is_ascii_digit())
        .unwrap_or(digits.len());
    if end == 0 {
        return None;
    }
    let mut question_end = 3 + end;
    // `QID4#1`: part 1 of side-by-side question 4, a question of its own.
    if let Some(after) = id[question_end..].strip_prefix('#') {
        let part_end = after
            .find(|character: char| !character.is_ascii_digit())
            .unwrap_or(after.len());
        if part_end == 0 {
            return None;
        }
        question_end += 1 + part_end;
    }
    let rest = &id[question_end..];
    if !(rest.is_empty() || rest.starts_with(['_', '-'])) {
        return None;
    }
    Some(Key::Question {
        question: id[..question_end].to_string(),
        part: part_of(rest, has_choice),
    })
}

/// What the rest of an id after its question (`_6_TEXT`, `_G0_1_RANK`, `-1`, empty) says.
fn part_of(rest: &str, has_choice: bool) -> Part {
    let components: Vec<&str> = rest
        .split(['_', '-'])
        .filter(|component| !component.is_empty())
        .collect();
    match components.as_slice() {
        [] if has_choice => Part::Choice,
        [] => Part::Whole,
        [.., last] if last.eq_ignore_ascii_case("TEXT") => Part::Text,
        [.., last] if last.eq_ignore_ascii_case("GROUP") => Part::GroupList,
        [group, _, last] if last.eq_ignore_ascii_case("RANK") => {
            Part::Rank(group.trim_start_matches(['G', 'g']).to_string())
        }
        _ => Part::Choice,
    }
}

/// The key of a column of a two-row legacy export, from its export tag: `V1` ... `V10` and
/// the location columns are Qualtrics' own; `Q2_1` is choice 1 of question `Q2`, `Q2_4_TEXT`
/// its write-in, `Q4#1_1` part 1 of side-by-side question `Q4`.
fn tag_key(tag: &str, text: &str) -> Key {
    let is_variable = tag
        .strip_prefix('V')
        .is_some_and(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()));
    if tag.is_empty() || is_variable || is_metadata_name(tag) || is_metadata_name(text) {
        return Key::Metadata;
    }
    let (question, rest) = match tag.find('_') {
        Some(at) => tag.split_at(at),
        None => (tag, ""),
    };
    Key::Question {
        question: question.to_string(),
        part: part_of(rest, false),
    }
}

/// Whether the column of ImportId `id` and export tag `tag`, no question's, is one of
/// Qualtrics' own (`startDate`, `_recordId`, `duration`, `Q_RecaptchaScore`, a contact list's
/// `panel-RecipientEmail`, `Location-LocationLatitude`, ...) or an embedded-data field.
fn own_or_embedded(id: &str, tag: &str) -> Key {
    let lower = id.to_lowercase();
    let own = is_metadata_name(id)
        || is_metadata_name(tag)
        || id.starts_with('_')
        || id.starts_with("Q_")
        || lower.starts_with("panel-")
        || lower.starts_with("location-")
        || ["duration", "responseid", "responsesetid"].contains(&lower.as_str());
    if own { Key::Metadata } else { Key::Embedded }
}

/// Column names Qualtrics gives its own columns, in any layout.
fn is_metadata_name(name: &str) -> bool {
    const NAMES: [&str; 22] = [
        "responseid",
        "responseset",
        "name",
        "externaldatareference",
        "externalreference",
        "emailaddress",
        "ipaddress",
        "status",
        "startdate",
        "enddate",
        "finished",
        "progress",
        "duration (in seconds)",
        "recordeddate",
        "recipientlastname",
        "recipientfirstname",
        "recipientemail",
        "locationlatitude",
        "locationlongitude",
        "locationaccuracy",
        "distributionchannel",
        "userlanguage",
    ];
    NAMES.contains(&name.trim().to_lowercase().as_str())
}

/// The error for a file whose header rows are not a Qualtrics header, saying what was `found`.
pub(super) fn layout_error(source_name: &str, found: String) -> ImportError {
    ImportError::Layout {
        source_name: source_name.to_string(),
        tool: Tool::Qualtrics,
        expected: "three header rows: the export tags (`StartDate`, ..., `ResponseId`, `Q1`, `Q2_1`, ...), the question texts, and the ImportIds (`{\"ImportId\":\"QID2_1\"}`); or a legacy export's two (`V1`, ..., `Q1`, ... over `ResponseID`, ..., the question texts)".to_string(),
        found,
    }
}

/// Reads the header rows of `records`: three when the third holds ImportIds, two in a legacy
/// export whose first row names Qualtrics' columns (`V1`, `ResponseID`, ...).
///
/// # Errors
/// [`ImportError::Layout`] when neither layout is there.
pub(super) fn read_header(
    records: &[(u64, Vec<String>)],
    source_name: &str,
) -> Result<Header, ImportError> {
    let row = |index: usize| records.get(index).map(|(_, cells)| cells.as_slice());
    let (Some(tags), Some(texts)) = (row(0), row(1)) else {
        return Err(layout_error(
            source_name,
            format!("only {} header rows", records.len()),
        ));
    };
    let ids = row(2).unwrap_or_default();
    let width = tags.len().max(texts.len());
    fn cell(cells: &[String], index: usize) -> &str {
        cells.get(index).map_or("", |cell| cell.trim())
    }
    let three_rows = ids.iter().any(|cell| field(cell, "ImportId").is_some());
    let legacy_two_rows = !three_rows
        && (0..width).any(|index| {
            cell(tags, index) == "V1" || cell(tags, index).eq_ignore_ascii_case("responseid")
        })
        && (0..width).any(|index| is_metadata_name(cell(texts, index)));
    if !three_rows && !legacy_two_rows {
        let beginning = ids
            .iter()
            .take(3)
            .map(|cell| format!("`{}`", cell.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(layout_error(
            source_name,
            format!("a third row beginning {beginning}"),
        ));
    }
    let width = if three_rows {
        width.max(ids.len())
    } else {
        width
    };
    let mut header = Header {
        rows: if three_rows { 3 } else { 2 },
        legacy: !three_rows || ids.iter().any(|cell| cell.contains("'ImportId'")),
        columns: Vec::with_capacity(width),
        respondent: None,
        status: None,
        finished: None,
    };
    for index in 0..width {
        let (tag, text) = (cell(tags, index), cell(texts, index));
        let id = if three_rows {
            field(cell(ids, index), "ImportId")
        } else {
            None
        };
        let key = match id {
            Some(id) => question_key(id, field(cell(ids, index), "choiceId").is_some())
                .unwrap_or_else(|| own_or_embedded(id, tag)),
            None if three_rows => Key::Metadata,
            None => tag_key(tag, text),
        };
        if key == Key::Metadata {
            let named = |name: &str| {
                tag.eq_ignore_ascii_case(name)
                    || id.is_some_and(|id| id.eq_ignore_ascii_case(name))
                    || (!three_rows && text.eq_ignore_ascii_case(name))
            };
            if named("ResponseId") || named("_recordId") {
                header.respondent.get_or_insert(index);
            }
            if named("Status") {
                header.status.get_or_insert(index);
            }
            if named("Finished") {
                header.finished.get_or_insert(index);
            }
        }
        header.columns.push(FileColumn {
            tag: tag.to_string(),
            text: text.to_string(),
            key,
        });
    }
    Ok(header)
}
