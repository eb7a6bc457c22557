//! Reading the files named on the command line: exercise definitions, response files and
//! PrefLib files.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use anyhow::Context;
use sha2::{Digest, Sha256};
use survey::Exercise;
use survey::responses::{Against, ResponseKind, Responses, read_responses};

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

/// A reader that hashes everything read through it with SHA-256, so that a file's hash costs
/// no second pass.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> HashingReader<R> {
    /// Wraps a reader.
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// Reads what is left, then returns the hash of everything in hex.
    pub fn finish(mut self) -> std::io::Result<String> {
        std::io::copy(&mut self, &mut std::io::sink())?;
        Ok(self
            .hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect())
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let count = self.inner.read(buffer)?;
        self.hasher.update(&buffer[..count]);
        Ok(count)
    }
}

/// Reads a response file, checked against a round of `exercise` when one is given; returns the
/// responses, the file's SHA-256 and notes for the user.
pub fn read_responses_hashed(
    path: &Path,
    exercise: Option<&Exercise>,
    round: Option<&str>,
) -> anyhow::Result<(Responses, String, Vec<String>)> {
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
    let mut reader = HashingReader::new(open(path)?);
    let outcome = read_responses(&mut reader, &path.display().to_string(), against)?;
    let sha256 = reader
        .finish()
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok((outcome.responses, sha256, outcome.notes))
}

/// Reads a PrefLib file (`.soc`, `.soi`, `.toc`, `.toi`) as ranking responses in group `all`;
/// returns the responses, the file's SHA-256 and notes for the user.
pub fn read_preflib_hashed(path: &Path) -> anyhow::Result<(Responses, String, Vec<String>)> {
    let data_type = survey::preflib::DataType::from_path(path);
    let mut reader = HashingReader::new(open(path)?);
    let outcome = survey::preflib::read_preflib(
        BufReader::with_capacity(1 << 16, &mut reader),
        &path.display().to_string(),
        data_type,
    )?;
    let sha256 = reader
        .finish()
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok((outcome.responses, sha256, outcome.notes))
}
