//! The method report: everything a reader needs to understand and repeat a priority list, as
//! one self-contained HTML file, the same content in Markdown, the charts as SVG and PNG, and
//! the numbers as `results.json` and `results.csv`.
//!
//! The report is made from an exercise definition and, for each round with data, its
//! responses and (for rounds that are ranked) the results document of
//! [`rank_responses`](crate::rank_responses) — normally through [`rank_round`], which runs the
//! round's own method with the bootstrap and the other methods once each for comparison.
//! Nothing here computes a statistic beyond counting answers (participation, drop-out,
//! straight-lining, the distribution of ratings); the rest is arranged from the documents.
//!
//! # Sections, in order
//!
//! Summary (the final list); participation by group and round, with drop-out; the exercise
//! and each round as asked; the method and weighting in plain English with their formulas;
//! results overall and per group, with charts; agreement and divergence; uncertainty;
//! sensitivity to the method; exclusions and data quality; reproducibility; and the
//! suggestions as written.
//!
//! # Text from people
//!
//! Labels, titles, questions, group names, suggestions and file names come from people. The
//! report is built as a tree of plain text (the `document` module) and escaped in one place per format:
//! [`escape_html`] for HTML, [`escape_markdown`] for Markdown; the charts escape their own SVG
//! and `results.csv` neutralises formulas as the exchange format does.

mod document;
mod html;
mod markdown;
mod method_text;
mod rounds;
mod sections;

use serde::Serialize;
use survey::curation::Curation;
use survey::definition::{Exercise, Round};
use survey::responses::Responses;

use crate::audit::{audit_trail, write_audit_csv};
use crate::charts::{ChartError, RenderedChart};
use crate::disclosure::{GroupLine, POOLED_GROUPS_LABEL};
use crate::results::{ResultsDocument, results_csv};

pub use html::escape_html;
pub use markdown::escape_markdown;
pub use rounds::rank_round;

/// A file the report was made from: its name as given and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// The file name or path, as the user gave it.
    pub name: String,
    /// SHA-256 of the file's bytes, in lowercase hex.
    pub sha256: String,
}

/// One round's data.
#[derive(Debug, Clone)]
pub struct RoundData<'a> {
    /// The round of the exercise the responses answer.
    pub round: &'a Round,
    /// The response file.
    pub source: SourceFile,
    /// The responses, as read against the exercise and round.
    pub responses: &'a Responses,
    /// The results, for rounds that are ranked; `None` for suggestion rounds.
    pub results: Option<ResultsDocument>,
    /// Notes from reading and ranking (ignored columns, methods left out, ...).
    pub notes: Vec<String>,
}

/// Everything the report is made from.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// The exercise definition.
    pub exercise: &'a Exercise,
    /// The definition's file.
    pub exercise_source: SourceFile,
    /// The rounds with data, in any order (the report follows the exercise's order).
    pub rounds: Vec<RoundData<'a>>,
    /// The command that made the report, as it would be typed.
    pub command: String,
    /// The program and version, such as `prioritise 0.1.0`.
    pub program: String,
    /// Whether the responses were simulated: the report then says so at the top.
    pub simulated: bool,
}

/// A chart of the report, with the file name (without extension) it is saved under in
/// `charts/`.
#[derive(Debug, Clone)]
pub struct ChartFile {
    /// The file stem: lowercase ASCII, digits and hyphens (made from round ids).
    pub name: String,
    /// The chart.
    pub chart: RenderedChart,
}

/// The finished report, ready to be written to a folder.
#[derive(Debug, Clone)]
pub struct MethodReport {
    /// `report.html`: self-contained, charts inline as SVG.
    pub html: String,
    /// `report.md`: the same content, charts linked as `charts/NAME.png`.
    pub markdown: String,
    /// `results.json`: one results document per round, keyed by round id, and the record of
    /// how the report was made.
    pub results_json: String,
    /// `results.csv`: the rows of [`results_csv`] for every round, with a `round` column first.
    pub results_csv: String,
    /// The charts, each saved as `charts/NAME.svg` and `charts/NAME.png`.
    pub charts: Vec<ChartFile>,
    /// `audit.csv`, the audit trail of [`crate::audit`], when a curation was given.
    pub audit_csv: Option<String>,
}

impl MethodReport {
    /// Every file of the report as (path relative to the report folder, bytes): the charts
    /// first, then the results, then the Markdown and HTML, so that a reader who finds the
    /// report finds its charts too.
    pub fn files(&self) -> Vec<(String, &[u8])> {
        let mut files: Vec<(String, &[u8])> = Vec::with_capacity(self.charts.len() * 2 + 4);
        for file in &self.charts {
            files.push((
                format!("charts/{}.svg", file.name),
                file.chart.svg.as_bytes(),
            ));
            files.push((
                format!("charts/{}.png", file.name),
                file.chart.png.as_slice(),
            ));
        }
        files.push(("results.json".to_string(), self.results_json.as_bytes()));
        files.push(("results.csv".to_string(), self.results_csv.as_bytes()));
        if let Some(audit) = &self.audit_csv {
            files.push(("audit.csv".to_string(), audit.as_bytes()));
        }
        files.push(("report.md".to_string(), self.markdown.as_bytes()));
        files.push(("report.html".to_string(), self.html.as_bytes()));
        files
    }
}

/// Why the report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A round's data does not belong to the exercise.
    #[error("round `{0}` is not a round of the exercise")]
    UnknownRound(String),
    /// Two sets of responses were given for one round.
    #[error("round `{0}` was given twice")]
    DuplicateRound(String),
    /// A chart could not be drawn.
    #[error("chart `{name}`: {source}")]
    Chart {
        /// The chart's file name.
        name: String,
        /// What went wrong.
        source: ChartError,
    },
    /// The results could not be written as JSON or CSV.
    #[error("could not write the results: {0}")]
    Results(String),
}

/// Makes the report.
///
/// # Errors
/// [`ReportError`]: data for a round not in the exercise or given twice, or a chart that
/// cannot be drawn.
pub fn method_report(input: &ReportInput<'_>) -> Result<MethodReport, ReportError> {
    method_report_with_curation(input, None)
}

/// Makes the report, with the curation of the suggestions when given: the suggestions appendix
/// is then grouped by item, the section "From suggestion to priority" traces every final
/// priority back to the suggestions behind it, and [`MethodReport::audit_csv`] holds
/// `audit.csv` ([`crate::audit`]).
///
/// # Errors
/// As [`method_report`].
pub fn method_report_with_curation(
    input: &ReportInput<'_>,
    curation: Option<&Curation>,
) -> Result<MethodReport, ReportError> {
    let mut rounds: Vec<(usize, &RoundData<'_>)> = Vec::with_capacity(input.rounds.len());
    for data in &input.rounds {
        let index = input
            .exercise
            .rounds
            .iter()
            .position(|round| round.id == data.round.id)
            .ok_or_else(|| ReportError::UnknownRound(data.round.id.to_string()))?;
        if rounds.iter().any(|(other, _)| *other == index) {
            return Err(ReportError::DuplicateRound(data.round.id.to_string()));
        }
        rounds.push((index, data));
    }
    rounds.sort_by_key(|(index, _)| *index);

    let trail = curation.map(|curation| {
        let ranked: Vec<(&Round, &ResultsDocument)> = rounds
            .iter()
            .filter_map(|(_, data)| data.results.as_ref().map(|document| (data.round, document)))
            .collect();
        audit_trail(input.exercise, curation, &ranked)
    });
    let audit_csv = match &trail {
        Some(trail) => {
            let bytes = write_audit_csv(trail, Vec::new())
                .map_err(|error| ReportError::Results(error.to_string()))?;
            Some(
                String::from_utf8(bytes)
                    .map_err(|error| ReportError::Results(error.to_string()))?,
            )
        }
        None => None,
    };
    let (document, charts) = sections::build(input, &rounds, curation, trail)?;
    let html = html::render(&document, &charts);
    let markdown = markdown::render(&document, &charts);
    let results_json = results_json(input, &rounds)?;
    let results_csv = results_csv_with_rounds(&rounds)?;
    Ok(MethodReport {
        html,
        markdown,
        results_json,
        results_csv,
        charts,
        audit_csv,
    })
}

#[derive(Serialize)]
struct JsonReport<'a> {
    exercise: JsonExercise<'a>,
    simulated: bool,
    rounds: serde_json::Map<String, serde_json::Value>,
    suggestions: serde_json::Map<String, serde_json::Value>,
    reproducibility: JsonReproducibility<'a>,
}

#[derive(Serialize)]
struct JsonExercise<'a> {
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct JsonReproducibility<'a> {
    program: &'a str,
    command: &'a str,
    exercise_definition: &'a SourceFile,
    inputs: Vec<JsonInput<'a>>,
    seed: Option<u64>,
    bootstrap: Option<usize>,
    bootstrapped_methods: Vec<JsonBootstrapped<'a>>,
}

#[derive(Serialize)]
struct JsonInput<'a> {
    round: &'a str,
    kind: &'static str,
    file: &'a str,
    sha256: &'a str,
    respondents: u64,
}

#[derive(Serialize)]
struct JsonBootstrapped<'a> {
    round: &'a str,
    method: &'a str,
}

#[derive(Serialize)]
struct JsonSuggestionGroup {
    group: String,
    respondents: u64,
    suggestions: usize,
}

fn results_json(
    input: &ReportInput<'_>,
    rounds: &[(usize, &RoundData<'_>)],
) -> Result<String, ReportError> {
    let mut documents = serde_json::Map::new();
    let mut suggestions = serde_json::Map::new();
    for (_, data) in rounds {
        match &data.results {
            Some(document) => {
                let value = serde_json::to_value(document)
                    .map_err(|error| ReportError::Results(error.to_string()))?;
                documents.insert(data.round.id.to_string(), value);
            }
            None => {
                let groups: Vec<JsonSuggestionGroup> =
                    sections::disclosed_suggestion_counts(input.exercise, data)
                        .into_iter()
                        .map(|(line, respondents, count)| JsonSuggestionGroup {
                            group: match line {
                                GroupLine::Group(id) => id,
                                GroupLine::Pool => POOLED_GROUPS_LABEL.to_string(),
                            },
                            respondents,
                            suggestions: count,
                        })
                        .collect();
                let suggestion_round = !sections::suggestion_counts(data.responses).is_empty();
                if suggestion_round || data.responses.respondents.is_empty() {
                    let value = serde_json::to_value(groups)
                        .map_err(|error| ReportError::Results(error.to_string()))?;
                    suggestions.insert(data.round.id.to_string(), value);
                }
            }
        }
    }
    let first_settings = rounds
        .iter()
        .filter_map(|(_, data)| data.results.as_ref())
        .map(|document| &document.settings)
        .find(|settings| settings.bootstrap.is_some());
    let report = JsonReport {
        exercise: JsonExercise {
            id: input.exercise.id.as_str(),
            title: &input.exercise.title,
        },
        simulated: input.simulated,
        rounds: documents,
        suggestions,
        reproducibility: JsonReproducibility {
            program: &input.program,
            command: &input.command,
            exercise_definition: &input.exercise_source,
            inputs: rounds
                .iter()
                .map(|(_, data)| JsonInput {
                    round: data.round.id.as_str(),
                    kind: data.responses.kind().as_str(),
                    file: &data.source.name,
                    sha256: &data.source.sha256,
                    respondents: data.responses.ballot_count(),
                })
                .collect(),
            seed: first_settings.and_then(|settings| settings.seed),
            bootstrap: first_settings.and_then(|settings| settings.bootstrap),
            bootstrapped_methods: rounds
                .iter()
                .filter_map(|(_, data)| {
                    let document = data.results.as_ref()?;
                    document.settings.bootstrap?;
                    Some(JsonBootstrapped {
                        round: data.round.id.as_str(),
                        method: document.results.first()?.method.as_str(),
                    })
                })
                .collect(),
        },
    };
    let mut text = serde_json::to_string_pretty(&report)
        .map_err(|error| ReportError::Results(error.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// The rows of [`results_csv`] for every ranked round, with the round id first.
fn results_csv_with_rounds(rounds: &[(usize, &RoundData<'_>)]) -> Result<String, ReportError> {
    let failed = |error: &dyn std::fmt::Display| ReportError::Results(error.to_string());
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut wrote_header = false;
    for (_, data) in rounds {
        let Some(document) = &data.results else {
            continue;
        };
        let bytes = results_csv(document, Vec::new()).map_err(|error| failed(&error))?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(bytes.as_slice());
        for (line, record) in reader.records().enumerate() {
            let record = record.map_err(|error| failed(&error))?;
            if line == 0 {
                if !wrote_header {
                    let mut header = vec!["round"];
                    header.extend(record.iter());
                    writer
                        .write_record(&header)
                        .map_err(|error| failed(&error))?;
                    wrote_header = true;
                }
                continue;
            }
            let mut row = vec![data.round.id.as_str()];
            row.extend(record.iter());
            writer.write_record(&row).map_err(|error| failed(&error))?;
        }
    }
    if !wrote_header {
        // No ranked round: the header alone, so that the file still says what it would hold.
        let bytes = results_csv(&empty_document(), Vec::new()).map_err(|error| failed(&error))?;
        return Ok(format!("round,{}", String::from_utf8_lossy(&bytes)));
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| failed(&error.into_error()))?;
    String::from_utf8(bytes).map_err(|error| failed(&error))
}

fn empty_document() -> ResultsDocument {
    ResultsDocument {
        input: crate::results::InputSummary {
            sha256: String::new(),
            kind: String::new(),
            respondents: 0,
            items: 0,
            groups: Vec::new(),
            excluded: Vec::new(),
            suppressed_groups: Vec::new(),
        },
        settings: crate::results::Settings {
            top_k: 0,
            bootstrap: None,
            seed: None,
            disclosure_threshold: 0,
            scale: None,
            program: String::new(),
        },
        results: Vec::new(),
        agreement: None,
        comparison: None,
        group_consensus: None,
    }
}

#[cfg(test)]
mod tests;
