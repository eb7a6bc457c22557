//! Reading the files named on the command line: exercise definitions, response files and
//! PrefLib files.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use anyhow::Context;
use survey::Exercise;
use survey::responses::{Against, ReadOutcome, ResponseKind, read_responses};

use crate::failure::with_hint;

/// Reads and parses an exercise definition.
pub fn read_exercise(path: &Path) -> anyhow::Result<Exercise> {
    let source = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read exercise definition {}", path.display()))?;
    Exercise::parse(&source, &path.display().to_string()).map_err(|errors| {
        with_hint(
            errors,
            "see docs/exercise-format.md for every key an exercise definition may have",
        )
    })
}

/// The kinds of file `validate` understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An exercise definition (`.toml`).
    Definition,
    /// A PrefLib file (`.soc`, `.soi`, `.toc`, `.toi`).
    Preflib,
    /// A response file in the exchange format (anything else, normally `.csv`).
    Responses,
}

/// Tells the kind of a file by its name.
pub fn file_kind(path: &Path) -> FileKind {
    let extension = path
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("toml") => FileKind::Definition,
        Some("soc" | "soi" | "toc" | "toi") => FileKind::Preflib,
        _ => FileKind::Responses,
    }
}

fn open(path: &Path) -> anyhow::Result<BufReader<File>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(BufReader::with_capacity(1 << 16, file))
}

/// Peeks at a response file's header to tell which kind of answers it holds, so that the right
/// round of an exercise can be chosen before the whole file is read.
pub fn peek_kind(path: &Path) -> anyhow::Result<Option<ResponseKind>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(open(path)?);
    let mut record = csv::StringRecord::new();
    if !reader.read_record(&mut record).unwrap_or(false) {
        return Ok(None);
    }
    let names: Vec<String> = record
        .iter()
        .map(|name| {
            name.trim_start_matches('\u{feff}')
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    let has = |name: &str| names.iter().any(|given| given == name);
    Ok(if has("rank") {
        Some(ResponseKind::Ranking)
    } else if has("rating") {
        Some(ResponseKind::Rating)
    } else if has("winner") || has("loser") {
        Some(ResponseKind::Pairwise)
    } else if has("text") {
        Some(ResponseKind::Suggestions)
    } else if has("item") {
        Some(ResponseKind::Pick)
    } else {
        None
    })
}

/// Reads a response file, checked against a round of `exercise` when one is given.
pub fn read_response_file(
    path: &Path,
    exercise: Option<&Exercise>,
    round: Option<&str>,
) -> anyhow::Result<ReadOutcome> {
    let against = match exercise {
        Some(exercise) => match peek_kind(path)? {
            Some(kind) => Some(Against::choose(exercise, round, kind).map_err(|message| {
                with_hint(
                    anyhow::anyhow!("{}: {message}", path.display()),
                    "name the round the answers belong to with --round ROUND",
                )
            })?),
            // An unreadable header is reported by the reader with its line.
            None => None,
        },
        None => None,
    };
    let outcome = read_responses(open(path)?, &path.display().to_string(), against)?;
    Ok(outcome)
}

/// Reads a PrefLib file (`.soc`, `.soi`, `.toc`, `.toi`) as ranking responses in group `all`.
pub fn read_preflib_file(path: &Path) -> anyhow::Result<survey::responses::Responses> {
    let data_type = survey::preflib::DataType::from_path(path);
    let outcome =
        survey::preflib::read_preflib(open(path)?, &path.display().to_string(), data_type)?;
    for note in &outcome.notes {
        eprintln!("note: {note}");
    }
    Ok(outcome.responses)
}
