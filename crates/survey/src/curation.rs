//! The curation file: what the research team decided for each suggestion of a suggest round.
//!
//! Turning round-1 suggestions into a long list is, in the James Lind Alliance's words, "the
//! most complex and time-consuming part" of a priority-setting exercise. A curation file
//! records it one suggestion per row, so that every item of the long list can be traced back to
//! the words people wrote, and every suggestion that did not become an item is still counted.
//!
//! # Format (CSV, UTF-8, header required)
//!
//! ```text
//! suggestion,respondent,group,text,status,item,cluster,similarity,note
//! r001:1,r001,young-people,How can we improve mental health?,assigned,mental-health,3,0.82,
//! r001:2,r001,young-people,More youth clubs,out-of-scope,,,,not a research question
//! ```
//!
//! - `suggestion`: the suggestion's id, `RESPONDENT:N`, where `N` is the 1-based position of the
//!   suggestion among that respondent's suggestions in the suggestions file (see
//!   [`suggestion_ids`]).
//! - `respondent`, `group`, `text`: as in the suggestions file.
//! - `status`: `proposed` (the system's proposal, not yet accepted), `assigned` (accepted: the
//!   suggestion is covered by `item`), `out-of-scope` (kept and counted, but not assigned;
//!   `note` gives the reason) or `unassigned`.
//! - `item`: an item id of the exercise; required for `assigned`, optional for `proposed`, empty
//!   otherwise.
//! - `cluster`: the number of the proposal's cluster of near-duplicates (optional).
//! - `similarity`: how similar the suggestion's cluster is to `item`, a number in [0, 1]
//!   (optional).
//! - `note`: free text (optional).
//!
//! Text cells are written with spreadsheet formulas neutralised, as in the exchange format
//! ([`neutralise_formula`]), and restored on reading. A file is either wholly valid or refused
//! with the file, the line and the field of its first problem.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use crate::definition::Exercise;
use crate::located::{LocatedError, Place};
use crate::responses::{Answers, Responses, neutralise_formula, restore_formula};

mod decision;
mod view;

pub use decision::{
    CheckedNewItem, DecisionError, DecisionInput, MAX_NOTE_CHARS, MAX_TITLE_CHARS, NewItemError,
    UnknownCluster, check_decision, check_new_item, check_title_length,
};
pub use view::{
    ClusterRow, CurationView, Decision, GroupCounts, ItemRow, MatchConfidence, ProposalChange,
    ProposalStep, ProposedGroup, ProposedMatch, Review, ReviewMark, Suggestion, SuggestionRow,
};

/// The header of a curation file, exactly.
pub const HEADER: [&str; 9] = [
    "suggestion",
    "respondent",
    "group",
    "text",
    "status",
    "item",
    "cluster",
    "similarity",
    "note",
];

/// The columns the service's curation export adds after [`HEADER`]: who made each decision,
/// when (UTC, `YYYY-MM-DDTHH:MM:SSZ`), and from which proposal version. A file with them reads
/// as one without them (they are the service's record, not part of the curation).
pub const PROVENANCE_HEADER: [&str; 3] = ["decided_by", "decided_at", "proposal_version"];

/// What the research team decided for a suggestion; written in JSON by its name in curation
/// files (`out-of-scope`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Status {
    /// The system's proposal, not yet accepted by the team.
    Proposed,
    /// Accepted: the suggestion is covered by an item of the exercise.
    Assigned,
    /// Kept and counted, but not assigned to an item (for example not a research question);
    /// the note gives the reason.
    OutOfScope,
    /// Not (yet) assigned to an item.
    Unassigned,
}

impl Status {
    /// Every status, in the order of the documentation.
    pub const ALL: [Status; 4] = [
        Status::Proposed,
        Status::Assigned,
        Status::OutOfScope,
        Status::Unassigned,
    ];

    /// The name used in curation files: `proposed`, `assigned`, `out-of-scope` or `unassigned`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Assigned => "assigned",
            Status::OutOfScope => "out-of-scope",
            Status::Unassigned => "unassigned",
        }
    }

    /// The status with this name, if any.
    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl std::str::FromStr for Status {
    type Err = UnknownStatus;

    fn from_str(text: &str) -> Result<Status, UnknownStatus> {
        Status::parse(text).ok_or_else(|| UnknownStatus(text.to_string()))
    }
}

/// A status name that is not one of [`Status::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown status `{0}`: expected proposed, assigned, out-of-scope or unassigned")]
pub struct UnknownStatus(pub String);

/// One suggestion and what was decided for it.
#[derive(Debug, Clone, PartialEq)]
pub struct CuratedSuggestion {
    /// The suggestion id, `RESPONDENT:N` (see [`suggestion_ids`]).
    pub id: String,
    /// The respondent who made the suggestion.
    pub respondent: String,
    /// The respondent's stakeholder group.
    pub group: String,
    /// The suggestion, as written.
    pub text: String,
    /// What was decided.
    pub status: Status,
    /// The item that covers the suggestion: always present when `status` is
    /// [`Status::Assigned`], perhaps present when [`Status::Proposed`], absent otherwise.
    pub item: Option<String>,
    /// The proposal's cluster of near-duplicates this suggestion belongs to.
    pub cluster: Option<u32>,
    /// How similar the suggestion's cluster is to `item`, in [0, 1].
    pub similarity: Option<f64>,
    /// Free text: for an out-of-scope suggestion, the reason.
    pub note: Option<String>,
}

/// A whole curation file: one row per suggestion, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Curation {
    /// The suggestions, in file order.
    pub suggestions: Vec<CuratedSuggestion>,
}

/// The ids of suggestions, `RESPONDENT:N`, given the respondent of each suggestion in the
/// order of the suggestions file: `N` counts, from 1, the suggestions of the same respondent
/// met so far. `["r1", "r2", "r1"]` gives `["r1:1", "r2:1", "r1:2"]`.
pub fn suggestion_ids<'a>(respondents: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen: BTreeMap<&'a str, u32> = BTreeMap::new();
    respondents
        .into_iter()
        .map(|respondent| {
            let count = seen.entry(respondent).or_insert(0);
            *count += 1;
            format!("{respondent}:{count}")
        })
        .collect()
}

impl Curation {
    /// Every suggestion of a suggestions file, with its id, [`Status::Unassigned`] and nothing
    /// else decided, in the order of the file's respondents (each respondent's suggestions in
    /// file order). Returns `None` when `responses` does not hold suggestions.
    pub fn unassigned(responses: &Responses) -> Option<Curation> {
        let Answers::Suggestions(texts) = &responses.answers else {
            return None;
        };
        let mut suggestions = Vec::with_capacity(texts.len());
        for (index, respondent) in responses.respondents.iter().enumerate() {
            let group = &responses.groups[respondent.group as usize];
            // Every suggestion of a respondent is in one range, in file order, so the position
            // within the range is the `N` of the id (as `suggestion_ids` computes it).
            for (position, text) in texts[responses.range(index)].iter().enumerate() {
                suggestions.push(CuratedSuggestion {
                    id: format!("{}:{}", respondent.id, position + 1),
                    respondent: respondent.id.clone(),
                    group: group.clone(),
                    text: text.clone(),
                    status: Status::Unassigned,
                    item: None,
                    cluster: None,
                    similarity: None,
                    note: None,
                });
            }
        }
        Some(Curation { suggestions })
    }

    /// The suggestion with this id.
    pub fn suggestion(&self, id: &str) -> Option<&CuratedSuggestion> {
        self.suggestions
            .iter()
            .find(|suggestion| suggestion.id == id)
    }

    /// The suggestions assigned to `item` (accepted), in file order.
    pub fn assigned_to<'a>(
        &'a self,
        item: &'a str,
    ) -> impl Iterator<Item = &'a CuratedSuggestion> + 'a {
        self.suggestions.iter().filter(move |suggestion| {
            suggestion.status == Status::Assigned && suggestion.item.as_deref() == Some(item)
        })
    }

    /// How many suggestions are assigned to each item (accepted assignments only), by item id.
    /// Items with no suggestion are absent.
    pub fn suggestions_per_item(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for suggestion in &self.suggestions {
            if suggestion.status == Status::Assigned
                && let Some(item) = &suggestion.item
            {
                *counts.entry(item.as_str()).or_insert(0) += 1;
            }
        }
        counts
    }

    /// How many suggestions are assigned to each item from each group: item id, then group id.
    pub fn suggestions_per_item_and_group(&self) -> BTreeMap<&str, BTreeMap<&str, usize>> {
        let mut counts: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        for suggestion in &self.suggestions {
            if suggestion.status == Status::Assigned
                && let Some(item) = &suggestion.item
            {
                *counts
                    .entry(item.as_str())
                    .or_default()
                    .entry(suggestion.group.as_str())
                    .or_insert(0) += 1;
            }
        }
        counts
    }

    /// How many suggestions each group made, whatever was decided, by group id.
    pub fn suggestions_per_group(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for suggestion in &self.suggestions {
            *counts.entry(suggestion.group.as_str()).or_insert(0) += 1;
        }
        counts
    }

    /// How many of each group's suggestions are out of scope, by group id. Groups with none
    /// are absent.
    pub fn out_of_scope_per_group(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for suggestion in &self.suggestions {
            if suggestion.status == Status::OutOfScope {
                *counts.entry(suggestion.group.as_str()).or_insert(0) += 1;
            }
        }
        counts
    }

    /// How many of each group's suggestions have each status, in the order of
    /// [`Status::ALL`], by group id. Groups with no suggestion are absent.
    pub fn status_counts_by_group(&self) -> BTreeMap<&str, [(Status, usize); 4]> {
        let mut counts: BTreeMap<&str, [(Status, usize); 4]> = BTreeMap::new();
        for suggestion in &self.suggestions {
            let group = counts
                .entry(suggestion.group.as_str())
                .or_insert(Status::ALL.map(|status| (status, 0)));
            for (status, count) in group.iter_mut() {
                if *status == suggestion.status {
                    *count += 1;
                }
            }
        }
        counts
    }

    /// How many suggestions have each status, in the order of [`Status::ALL`].
    pub fn status_counts(&self) -> [(Status, usize); 4] {
        Status::ALL.map(|status| {
            let count = self
                .suggestions
                .iter()
                .filter(|suggestion| suggestion.status == status)
                .count();
            (status, count)
        })
    }
}

/// A problem with a curation file: the file name as given to the reader, the 1-based line and
/// the field ([`Place::Field`]) of the problem when known, and what is wrong.
pub type CurationError = LocatedError;

/// Reads a curation file, checked against `exercise` when given (groups and items must be the
/// exercise's).
///
/// # Errors
/// [`CurationError`] naming the line and the field of the first problem: malformed CSV or text
/// that is not UTF-8, a header other than [`HEADER`], a row with the wrong number of fields, an
/// empty suggestion id, respondent, group or text, a suggestion id that is not
/// `RESPONDENT:N` for the row's respondent, the same suggestion id twice, an unknown status,
/// `assigned` without an item, an item given with `out-of-scope` or `unassigned`, a cluster
/// that is not a whole number, a similarity that is not a number in [0, 1], and (against an
/// exercise) unknown groups and item ids. Nothing is returned when any row is bad.
pub fn read_curation<R: Read>(
    input: R,
    source_name: &str,
    exercise: Option<&Exercise>,
) -> Result<Curation, CurationError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut records = reader.records();
    read_curation_header(&mut records, source_name)?;
    let mut suggestions = Vec::new();
    let mut lines_by_id: BTreeMap<String, u64> = BTreeMap::new();
    for record in records {
        let record = record.map_err(|csv_error| curation_csv_error(source_name, csv_error))?;
        let (line, suggestion) = read_curation_row(&record, source_name, exercise, &lines_by_id)?;
        lines_by_id.insert(suggestion.id.clone(), line);
        suggestions.push(suggestion);
    }
    Ok(Curation { suggestions })
}

/// Builds a [`CurationError`] at an optional line and field of the file.
fn curation_error(
    source_name: &str,
    line: Option<u64>,
    field: Option<&str>,
    message: String,
) -> CurationError {
    CurationError {
        source_name: source_name.to_string(),
        line,
        context: field.map(|field| Place::Field(field.to_string())),
        message,
    }
}

/// Turns a CSV reader's error into a [`CurationError`] at its line.
fn curation_csv_error(source_name: &str, csv_error: csv::Error) -> CurationError {
    let line = csv_error.position().map(|position| position.line());
    let message = match csv_error.kind() {
        csv::ErrorKind::Io(io_error) => format!("cannot read the file: {io_error}"),
        csv::ErrorKind::Utf8 { .. } => {
            "the text is not valid UTF-8 (save the file as UTF-8)".to_string()
        }
        _ => format!("malformed CSV: {csv_error}"),
    };
    curation_error(source_name, line, None, message)
}

/// Reads the first record and checks that it is [`HEADER`] (a byte-order mark and spaces
/// around the fields are allowed).
fn read_curation_header<R: Read>(
    records: &mut csv::StringRecordsIter<'_, R>,
    source_name: &str,
) -> Result<(), CurationError> {
    let header = match records.next() {
        None => {
            return Err(curation_error(
                source_name,
                None,
                None,
                format!(
                    "the file is empty: a curation file starts with the header `{}`",
                    HEADER.join(",")
                ),
            ));
        }
        Some(record) => record.map_err(|csv_error| curation_csv_error(source_name, csv_error))?,
    };
    let header_fields: Vec<&str> = header
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let field = if index == 0 {
                field.trim_start_matches('\u{feff}')
            } else {
                field
            };
            field.trim()
        })
        .collect();
    let with_provenance = header_fields.len() == HEADER.len() + PROVENANCE_HEADER.len()
        && header_fields[..HEADER.len()] == HEADER
        && header_fields[HEADER.len()..] == PROVENANCE_HEADER;
    if header_fields != HEADER && !with_provenance {
        return Err(curation_error(
            source_name,
            Some(1),
            None,
            format!(
                "the header is `{}` but a curation file's header is `{}`",
                header_fields.join(","),
                HEADER.join(",")
            ),
        ));
    }
    Ok(())
}

/// The fields of one row that name its suggestion: id, respondent, group and text.
struct RowIdentity {
    /// The suggestion id, `RESPONDENT:N`.
    id: String,
    /// The respondent who wrote the suggestion.
    respondent: String,
    /// The respondent's group.
    group: String,
    /// The suggestion's text, as written.
    text: String,
}

/// Reads one data row into a suggestion, with the row's line; `lines_by_id` holds the line of
/// every suggestion read so far.
fn read_curation_row(
    record: &csv::StringRecord,
    source_name: &str,
    exercise: Option<&Exercise>,
    lines_by_id: &BTreeMap<String, u64>,
) -> Result<(u64, CuratedSuggestion), CurationError> {
    let line = record.position().map_or(0, |position| position.line());
    let at = |field: &str, message: String| {
        curation_error(source_name, Some(line), Some(field), message)
    };
    let expected = if record.len() == HEADER.len() + PROVENANCE_HEADER.len() {
        record.len()
    } else {
        HEADER.len()
    };
    if record.len() != expected {
        return Err(curation_error(
            source_name,
            Some(line),
            None,
            format!(
                "the row has {} fields but the header has {}",
                record.len(),
                HEADER.len()
            ),
        ));
    }
    let RowIdentity {
        id,
        respondent,
        group,
        text,
    } = read_row_identity(record, exercise, lines_by_id, &at)?;
    let plain_field = |index: usize| record[index].trim();
    let (status, item) = read_row_status_and_item(plain_field(4), plain_field(5), exercise, &at)?;
    let cluster = read_row_cluster(plain_field(6), &at)?;
    let similarity = read_row_similarity(plain_field(7), &at)?;
    let note = Some(restore_formula(&record[8]).to_string()).filter(|note| !note.trim().is_empty());
    let suggestion = CuratedSuggestion {
        id,
        respondent,
        group,
        text,
        status,
        item,
        cluster,
        similarity,
        note,
    };
    Ok((line, suggestion))
}

/// Reads and checks a row's id, respondent, group and text: none empty, the id
/// `RESPONDENT:N` and not seen before, and the group the exercise's when there is one.
fn read_row_identity(
    record: &csv::StringRecord,
    exercise: Option<&Exercise>,
    lines_by_id: &BTreeMap<String, u64>,
    at: &impl Fn(&str, String) -> CurationError,
) -> Result<RowIdentity, CurationError> {
    let id = restore_formula(record[0].trim()).to_string();
    let respondent = restore_formula(record[1].trim()).to_string();
    let group = restore_formula(record[2].trim()).to_string();
    let text = restore_formula(&record[3]).to_string();
    for (field, value) in [
        ("suggestion", &id),
        ("respondent", &respondent),
        ("group", &group),
    ] {
        if value.is_empty() {
            return Err(at(field, format!("the {field} is empty")));
        }
    }
    if text.trim().is_empty() {
        return Err(at("text", "the suggestion's text is empty".to_string()));
    }
    match id.rsplit_once(':') {
        Some((prefix, number))
            if prefix == respondent
                && number.parse::<u32>().is_ok_and(|number| number >= 1)
                && !number.starts_with(['+', '0']) => {}
        _ => {
            return Err(at(
                "suggestion",
                format!(
                    "the suggestion id `{id}` is not `{respondent}:N` (the respondent, a colon and the suggestion's position among the respondent's suggestions, from 1)"
                ),
            ));
        }
    }
    if let Some(first_line) = lines_by_id.get(&id) {
        return Err(at(
            "suggestion",
            format!("the suggestion `{id}` is already on line {first_line}"),
        ));
    }
    if let Some(exercise) = exercise
        && exercise.group(&group).is_none()
    {
        return Err(at(
            "group",
            format!(
                "exercise `{}` has no group `{group}` (its groups are: {})",
                exercise.id,
                exercise
                    .groups
                    .iter()
                    .map(|group| group.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    Ok(RowIdentity {
        id,
        respondent,
        group,
        text,
    })
}

/// Reads a row's status and item and checks that they agree with each other and, when there is
/// one, with the exercise's items.
fn read_row_status_and_item(
    status_field: &str,
    item_field: &str,
    exercise: Option<&Exercise>,
    at: &impl Fn(&str, String) -> CurationError,
) -> Result<(Status, Option<String>), CurationError> {
    let status = Status::parse(status_field).ok_or_else(|| {
        at(
            "status",
            UnknownStatus(status_field.to_string()).to_string(),
        )
    })?;
    let item = Some(item_field)
        .filter(|item| !item.is_empty())
        .map(str::to_string);
    match (status, &item) {
        (Status::Assigned, None) => {
            return Err(at(
                "item",
                "an assigned suggestion needs the id of the item that covers it".to_string(),
            ));
        }
        (Status::OutOfScope | Status::Unassigned, Some(item)) => {
            return Err(at(
                "item",
                format!(
                    "a suggestion marked {status} has no item, but the row names `{item}` (mark it assigned, or leave the item empty)"
                ),
            ));
        }
        _ => {}
    }
    if let (Some(exercise), Some(item)) = (exercise, &item)
        && exercise.item(item).is_none()
    {
        return Err(at(
            "item",
            format!(
                "exercise `{}` has no item `{item}` (add the item to the definition first)",
                exercise.id
            ),
        ));
    }
    Ok((status, item))
}

/// Reads a row's optional cluster number, a whole number from 0.
fn read_row_cluster(
    field: &str,
    at: &impl Fn(&str, String) -> CurationError,
) -> Result<Option<u32>, CurationError> {
    match field {
        "" => Ok(None),
        text => text.parse::<u32>().map(Some).map_err(|_| {
            at(
                "cluster",
                format!("the cluster `{text}` is not a whole number from 0"),
            )
        }),
    }
}

/// Reads a row's optional similarity, a number from 0 to 1.
fn read_row_similarity(
    field: &str,
    at: &impl Fn(&str, String) -> CurationError,
) -> Result<Option<f64>, CurationError> {
    match field {
        "" => Ok(None),
        text => text
            .parse::<f64>()
            .ok()
            .filter(|value| (0.0..=1.0).contains(value))
            .map(Some)
            .ok_or_else(|| {
                at(
                    "similarity",
                    format!("the similarity `{text}` is not a number from 0 to 1"),
                )
            }),
    }
}

/// Writes a curation file: the header, then one row per suggestion in the order given. Text
/// cells are neutralised for spreadsheets ([`neutralise_formula`]); [`read_curation`] restores
/// them exactly. A similarity is written in the shortest form that reads back as the same
/// number.
///
/// # Errors
/// The output's I/O error.
pub fn write_curation<W: Write>(curation: &Curation, output: W) -> std::io::Result<W> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(output);
    writer.write_record(HEADER)?;
    for suggestion in &curation.suggestions {
        let cluster = suggestion
            .cluster
            .map(|cluster| cluster.to_string())
            .unwrap_or_default();
        let similarity = suggestion
            .similarity
            .map(|similarity| similarity.to_string())
            .unwrap_or_default();
        writer.write_record([
            neutralise_formula(&suggestion.id).as_ref(),
            neutralise_formula(&suggestion.respondent).as_ref(),
            neutralise_formula(&suggestion.group).as_ref(),
            neutralise_formula(&suggestion.text).as_ref(),
            suggestion.status.as_str(),
            suggestion.item.as_deref().unwrap_or_default(),
            &cluster,
            &similarity,
            neutralise_formula(suggestion.note.as_deref().unwrap_or_default()).as_ref(),
        ])?;
    }
    writer.into_inner().map_err(|error| error.into_error())
}

#[cfg(test)]
mod tests;
