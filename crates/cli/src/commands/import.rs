//! `prioritise import`: other survey tools' exports to the exchange format.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use import::{
    ImportError, Listing, Mapping, Options, ReadOptions, Table, Tool, answer_questions, convert,
    list, read_table_with, slug_of,
};

use crate::failure::with_hint;
use crate::input::read_exercise;
use crate::output::{StagedFile, write_output};

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
    /// The encoding of a CSV export, as a label such as utf-8, windows-1252 (latin1),
    /// utf-16le, utf-16be or shift_jis; without it, the encoding is detected and a note says
    /// which was used when it was not UTF-8.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// An exercise definition: item labels must match its item titles (ignoring case and
    /// surrounding spaces), and group answers its group labels or ids; without one, ids are
    /// made from the labels.
    #[arg(long, value_name = "FILE")]
    pub exercise: Option<PathBuf>,
    /// Text contained in the header of the question that holds the stakeholder group, when it
    /// cannot be inferred.
    #[arg(long, value_name = "TEXT")]
    pub group_column: Option<String>,
    /// The ranking or rating question to import, when the export has several: its text, or
    /// text contained in it. Repeat it with --out-dir to import several questions at once.
    #[arg(long, value_name = "TEXT")]
    pub question: Vec<String>,
    /// A mapping file (TOML) naming the group question, the answer question and the id of each
    /// label; see docs/import.md.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Also write the mapping this import used to FILE, to edit and pass back with --mapping.
    #[arg(long, value_name = "FILE", conflicts_with = "out_dir")]
    pub draft_mapping: Option<PathBuf>,
    /// Write to this file instead of stdout. The file appears only once complete.
    #[arg(long, short, value_name = "FILE", conflicts_with = "out_dir")]
    pub out: Option<PathBuf>,
    /// The exercise's round the answers are for, when the exercise has several of the kind;
    /// the question must have asked every item of the round.
    #[arg(long, value_name = "ID", requires = "exercise")]
    pub round: Option<String>,
    /// Leave out the responses the tool marks incomplete (Qualtrics `Finished` false,
    /// LimeSurvey without a `submitdate`); by default anyone who answered the question is kept.
    #[arg(long)]
    pub complete_only: bool,
    /// List every question of the export instead of importing: its kind as read (ranking,
    /// rating, pick, single choice, free text), how many answered it, and which is taken as
    /// the group.
    #[arg(long, conflicts_with_all = ["out", "out_dir", "draft_mapping"])]
    pub list: bool,
    /// Import several questions, each to its own file in DIR named after the question
    /// (`please-rank-these-topics.csv`): those named with --question, or else every ranking and
    /// rating question of the export. The files appear only once every question has imported.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
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
        question: None,
        mapping: mapping.as_ref(),
        round: arguments.round.as_deref(),
        complete_only: arguments.complete_only,
    };
    let read_options = ReadOptions {
        encoding: arguments.encoding.as_deref(),
    };
    let table = read_table_with(tool, &bytes, &source_name, &read_options).map_err(hinted)?;
    if arguments.list {
        let listing = list(&table, options).map_err(hinted)?;
        print!("{}", listing_text(&listing, tool, &source_name));
        return Ok(());
    }
    if let Some(directory) = &arguments.out_dir {
        return import_to_directory(&table, options, &arguments.question, directory);
    }
    if arguments.question.len() > 1 {
        return Err(with_hint(
            anyhow::anyhow!(
                "{} questions asked for, but stdout or --out takes one",
                arguments.question.len()
            ),
            "write each question to its own file with --out-dir DIR",
        ));
    }
    let imported = convert(
        &table,
        Options {
            question: arguments.question.first().map(String::as_str),
            ..options
        },
    )
    .map_err(|error| hinted_with_notes(error, &table))?;
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

/// An import error with its hint, after telling the user what the reader noticed (the
/// encoding it read the file in, the sheet, rows left out), which may explain the error.
fn hinted_with_notes(error: ImportError, table: &Table) -> anyhow::Error {
    for note in &table.notes {
        eprintln!("note: {note}");
    }
    hinted(error)
}

/// An import error with the hint that helps with it.
fn hinted(error: ImportError) -> anyhow::Error {
    let hint = match &error {
        ImportError::Layout { .. } => {
            "see docs/import.md for the export option to choose in each tool; --list shows every question of a readable export and what it holds"
        }
        ImportError::Csv { .. } | ImportError::Workbook { .. } => {
            "see docs/import.md for the export option to choose in each tool"
        }
        ImportError::Unmatched { .. } | ImportError::DuplicateId { .. } => {
            "draft a mapping without --exercise (--draft-mapping FILE), set the exercise's ids in it, then import with --mapping FILE --exercise"
        }
        ImportError::Encoding { .. } | ImportError::UnknownEncoding { .. } => {
            "give the file's encoding with --encoding LABEL (such as windows-1252 or utf-16le), or leave --encoding out to detect it"
        }
        ImportError::Mapping { .. } => "see docs/import.md for the mapping file's keys",
        ImportError::Cell { .. } | ImportError::SheetCell { .. } | ImportError::Many { .. } => {
            "fix the cells in the export, or clear them to leave them unanswered"
        }
        ImportError::NoResponses { .. } => {
            "export the responses again, including the real ones; --list shows what the file holds"
        }
        ImportError::Unasked { .. } => {
            "see what each question asked with --list; docs/import.md, \"Questions that asked a few of the items\""
        }
    };
    with_hint(error, hint)
}

/// What `--list` prints: the file's responses, then one line per question with its kind, how
/// many answered it and its options, marking the group question, then how to choose.
fn listing_text(listing: &Listing, tool: Tool, source_name: &str) -> String {
    let mut text = format!(
        "{source_name}: {tool} export, {} responses{}\n",
        listing.responses,
        match listing.incomplete {
            0 => String::new(),
            count =>
                format!(" ({count} marked incomplete by {tool}; --complete-only leaves them out)"),
        }
    );
    for note in &listing.notes {
        text.push_str(&format!("note: {note}\n"));
    }
    text.push_str(&format!("\n{:<14} {:>8}  question\n", "kind", "answered"));
    for question in &listing.questions {
        let mut line = format!(
            "{:<14} {:>8}  {}",
            question.kind.as_str(),
            question.answered,
            one_line(&question.text)
        );
        if !question.options.is_empty() {
            let shown: Vec<String> = question
                .options
                .iter()
                .take(6)
                .map(|option| one_line(option))
                .collect();
            let more = question.options.len().saturating_sub(shown.len());
            line.push_str(&format!(
                " [{} option{}: {}{}]",
                question.options.len(),
                if question.options.len() == 1 { "" } else { "s" },
                shown.join("; "),
                if more > 0 {
                    format!("; and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        if question.is_group {
            line.push_str("  <- taken as the group");
        }
        text.push_str(&line);
        text.push('\n');
    }
    text.push('\n');
    if !listing.questions.iter().any(|question| question.is_group) {
        text.push_str("No question is taken as the group: everyone would be in one group `all`. Name one with --group-column TEXT.\n");
    }
    text.push_str("Import a ranking, rating or pick question with --question TEXT (its text, or part of it); choose the group with --group-column TEXT.\n");
    text
}

/// Text on one line: line breaks written as spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Imports each of `questions` (every ranking and rating question when empty) to its own file
/// in `directory`, named by the question's slug. Every question is converted before anything
/// is written, and each file is written to a temporary file beside its place and renamed
/// only once all are written, so that a failure leaves no file behind.
fn import_to_directory(
    table: &Table,
    options: Options<'_>,
    questions: &[String],
    directory: &Path,
) -> anyhow::Result<()> {
    // Every question of the export, when none is named: one whose cells cannot be read is
    // left out with a line saying why, and the others are written. Questions named are all
    // or nothing.
    let every_question = questions.is_empty();
    let questions: Vec<String> = if every_question {
        answer_questions(table, options).map_err(hinted)?
    } else {
        questions.to_vec()
    };
    let mut imports = Vec::with_capacity(questions.len());
    let mut names: HashSet<String> = HashSet::new();
    let mut left_out = Vec::new();
    for question in &questions {
        let imported = match convert(
            table,
            Options {
                question: Some(question),
                ..options
            },
        ) {
            Ok(imported) => imported,
            Err(
                error @ (ImportError::Many { .. }
                | ImportError::Cell { .. }
                | ImportError::SheetCell { .. }),
            ) if every_question => {
                let problems = error.problems();
                left_out.push(format!(
                    "not written: `{}`: {} cell{} cannot be read, the first: {}; import it alone with --question to see them all",
                    one_line(question),
                    match &error {
                        ImportError::Many { problems, more } => problems.len() + more,
                        _ => 1,
                    },
                    if problems.len() == 1 { "" } else { "s" },
                    problems[0]
                ));
                continue;
            }
            Err(error) => return Err(hinted_with_notes(error, table)),
        };
        let chosen = imported.mapping.question.clone().unwrap_or_default();
        let base = slug_of(&chosen);
        let mut name = format!("{base}.csv");
        let mut number = 1;
        while !names.insert(name.clone()) {
            number += 1;
            name = format!("{base}-{number}.csv");
        }
        imports.push((chosen, directory.join(name), imported));
    }
    if imports.is_empty() && !left_out.is_empty() {
        for line in &left_out {
            eprintln!("{line}");
        }
        return Err(with_hint(
            anyhow::anyhow!("no question of the export could be imported"),
            "import one with --question TEXT to see every cell that cannot be read",
        ));
    }
    std::fs::create_dir_all(directory)
        .with_context(|| format!("cannot create {}", directory.display()))?;
    let mut written = Vec::with_capacity(imports.len());
    for (_, path, imported) in &imports {
        let (file, ()) = StagedFile::write(path, &tempfile::Builder::new(), |output| {
            imported.write(output).map(|_| ())
        })?;
        written.push(file);
    }
    let mut shown_notes = HashSet::new();
    for ((question, path, imported), file) in imports.iter().zip(written) {
        file.make_readable()?;
        file.persist()?;
        for note in &imported.notes {
            if shown_notes.insert(note.clone()) {
                eprintln!("note: {note}");
            }
        }
        eprintln!(
            "wrote {} {} answers of {} respondents to `{question}` to {}",
            imported.answers.len(),
            imported.kind,
            imported.respondent_count,
            path.display()
        );
    }
    for line in &left_out {
        eprintln!("note: {line}");
    }
    Ok(())
}
