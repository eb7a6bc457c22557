//! `prioritise import`: other survey tools' exports to the exchange format.

use std::path::PathBuf;

use anyhow::Context as _;
use import::{ImportError, Mapping, Options, Tool, import};

use crate::failure::with_hint;
use crate::input::read_exercise;
use crate::output::write_output;

/// The tools `--from` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FromTool {
    /// SurveyMonkey, export of all individual responses as CSV or XLSX (two header rows).
    Surveymonkey,
    /// Google Forms, responses downloaded as CSV.
    GoogleForms,
    /// Microsoft Forms, the responses' Excel workbook (XLSX).
    MicrosoftForms,
    /// Qualtrics, data exported as CSV (three header rows).
    Qualtrics,
    /// LimeSurvey, responses exported as CSV.
    Limesurvey,
}

impl FromTool {
    fn tool(self) -> Tool {
        match self {
            FromTool::Surveymonkey => Tool::SurveyMonkey,
            FromTool::GoogleForms => Tool::GoogleForms,
            FromTool::MicrosoftForms => Tool::MicrosoftForms,
            FromTool::Qualtrics => Tool::Qualtrics,
            FromTool::Limesurvey => Tool::LimeSurvey,
        }
    }
}

/// Arguments of `prioritise import`.
#[derive(Debug, clap::Args)]
pub struct Arguments {
    /// The tool that made the export.
    #[arg(long, value_name = "TOOL")]
    pub from: FromTool,
    /// The export: a CSV file, or an XLSX workbook (read when its name ends in .xlsx).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// An exercise definition: item labels must match its item titles (ignoring case and
    /// surrounding spaces), and group answers its group labels or ids; without one, ids are
    /// made from the labels.
    #[arg(long, value_name = "FILE")]
    pub exercise: Option<PathBuf>,
    /// Text contained in the header of the question that holds the stakeholder group, when it
    /// cannot be inferred.
    #[arg(long, value_name = "TEXT")]
    pub group_column: Option<String>,
    /// Text contained in the header of the ranking or rating question to import, when the
    /// export has several.
    #[arg(long, value_name = "TEXT")]
    pub question: Option<String>,
    /// A mapping file (TOML) naming the group question, the answer question and the id of each
    /// label; see docs/import.md.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Also write the mapping this import used to FILE, to edit and pass back with --mapping.
    #[arg(long, value_name = "FILE")]
    pub draft_mapping: Option<PathBuf>,
    /// Write to this file instead of stdout. The file appears only once complete.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs `prioritise import`.
pub fn run(arguments: Arguments) -> anyhow::Result<()> {
    let tool = arguments.from.tool();
    let exercise = arguments
        .exercise
        .as_deref()
        .map(read_exercise)
        .transpose()?;
    let mapping = match &arguments.mapping {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read mapping file {}", path.display()))?;
            Some(
                Mapping::parse(&text, &path.display().to_string()).map_err(|error| {
                    with_hint(
                        error,
                        "write a draft to edit with --draft-mapping FILE; see docs/import.md",
                    )
                })?,
            )
        }
        None => None,
    };
    let bytes = std::fs::read(&arguments.file)
        .with_context(|| format!("cannot read {}", arguments.file.display()))?;
    let source_name = arguments.file.display().to_string();
    let options = Options {
        exercise: exercise.as_ref(),
        group_column: arguments.group_column.as_deref(),
        question: arguments.question.as_deref(),
        mapping: mapping.as_ref(),
    };
    let imported = import(tool, &bytes, &source_name, options).map_err(|error| {
        let hint = match &error {
            ImportError::Layout { .. } | ImportError::Csv { .. } | ImportError::Workbook { .. } => {
                "see docs/import.md for the export option to choose in each tool"
            }
            ImportError::Unmatched { .. } | ImportError::DuplicateId { .. } => {
                "draft a mapping without --exercise (--draft-mapping FILE), set the exercise's ids in it, then import with --mapping FILE --exercise"
            }
            ImportError::Mapping { .. } => "see docs/import.md for the mapping file's keys",
            ImportError::Cell { .. } | ImportError::SheetCell { .. } => {
                "fix the cell in the export, or clear it to leave it unanswered"
            }
        };
        with_hint(error, hint)
    })?;
    let Some(_) = write_output(arguments.out.as_deref(), |output| {
        imported.write(output).map(|_| ())
    })?
    else {
        return Ok(());
    };
    if let Some(path) = &arguments.draft_mapping {
        let draft = imported.mapping.to_toml();
        write_output(Some(path), |output| output.write_all(draft.as_bytes()))?;
        eprintln!("wrote the mapping used to {}", path.display());
    }
    for note in &imported.notes {
        eprintln!("note: {note}");
    }
    eprintln!(
        "imported {} {} answers of {} respondents from {tool} export {source_name}",
        imported.answers.len(),
        imported.kind,
        imported.respondent_count
    );
    Ok(())
}
