//! `prioritise report`: the method report of an exercise, from its rounds' response files.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use report::{
    MethodReport, RankingRequest, ReportInput, ResultsDocument, RoundData, SourceFile,
    method_report_with_curation, rank_round,
};
use sha2::{Digest, Sha256};
use survey::Exercise;
use survey::curation::{Curation, read_curation};
use survey::definition::RoundKind;
use survey::responses::{Against, Responses};

use crate::failure::with_hint;
use crate::input::{FileKind, file_kind, peek_kind, read_responses_hashed};
use crate::output::StagedFile;

/// Arguments of `prioritise report`.
#[derive(Debug, clap::Args)]
pub struct Arguments {
    /// Response files in the exchange format, one per round. Each is matched to the round of
    /// the exercise that collects its kind of answers (suggestions, ratings, rankings, picks or
    /// pairwise choices); write FILE:ROUND to name the round, as when two rounds collect the
    /// same kind.
    #[arg(required = true, value_name = "RESPONSES")]
    pub responses: Vec<PathBuf>,
    /// The exercise definition the responses answer.
    #[arg(long, value_name = "FILE")]
    pub exercise: PathBuf,
    /// The folder to write the report into (created if missing): report.html, report.md,
    /// results.json, results.csv and charts/. Each file appears only once complete.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// A method to compare with each round's own method (repeat for several; `all`, the
    /// default, for every method that fits each round's data). The round's own method (its
    /// `method`, else the default for its kind) always comes first and is the only one
    /// bootstrapped; name it alone to compare nothing.
    #[arg(long = "method", value_name = "M")]
    pub methods: Vec<String>,
    /// The length of the priority list.
    #[arg(long = "top", value_name = "K", default_value_t = 10)]
    pub top_k: usize,
    /// Bootstrap resamples for rank intervals and the share of resamples in the top list
    /// (1000 is usual).
    #[arg(long, value_name = "B")]
    pub bootstrap: Option<usize>,
    /// The seed of the bootstrap: the same seed gives the same numbers.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Say plainly at the top of the report that the responses were simulated.
    #[arg(long)]
    pub simulated: bool,
    /// The curation of the suggestion round (suggestion,respondent,group,text,status,item,
    /// cluster,similarity,note): the report then traces every final priority back to the
    /// suggestions behind it, groups the suggestions by item, and writes audit.csv (the long
    /// list in the James Lind Alliance's shape) beside results.csv.
    #[arg(long, value_name = "FILE")]
    pub curation: Option<PathBuf>,
}

/// A file named on the command line, with the round it was named for, if any.
struct Named {
    path: PathBuf,
    round: Option<String>,
}

/// Splits `FILE:ROUND` when the whole is not a file and ROUND is a round of the exercise.
fn split_round(argument: &Path, exercise: &Exercise) -> Named {
    if !argument.exists()
        && let Some(text) = argument.to_str()
        && let Some((file, round)) = text.rsplit_once(':')
        && exercise.round(round).is_some()
    {
        return Named {
            path: PathBuf::from(file),
            round: Some(round.to_string()),
        };
    }
    Named {
        path: argument.to_path_buf(),
        round: None,
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Reads and parses the exercise definition, returning it with its SHA-256.
fn read_exercise_hashed(path: &Path) -> anyhow::Result<(Exercise, String)> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read exercise definition {}", path.display()))?;
    let source = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{}: the file is not UTF-8 text", path.display()))?;
    let exercise = Exercise::parse(&source, &path.display().to_string()).map_err(|errors| {
        with_hint(
            errors,
            "see docs/exercise-format.md for every key an exercise definition may have",
        )
    })?;
    Ok((exercise, sha256_hex(source.as_bytes())))
}

/// An argument as a POSIX shell would need it typed.
fn shell_quote(argument: &str) -> String {
    let plain = !argument.is_empty()
        && argument
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || "_./=:,+-@%".contains(character));
    if plain {
        argument.to_string()
    } else {
        format!("'{}'", argument.replace('\'', r"'\''"))
    }
}

/// The command as typed, with the program named `prioritise` whatever path ran it.
fn command_line(arguments: impl Iterator<Item = OsString>) -> String {
    let mut words = vec!["prioritise".to_string()];
    words.extend(
        arguments
            .skip(1)
            .map(|argument| shell_quote(&argument.to_string_lossy())),
    );
    words.join(" ")
}

/// Runs `prioritise report`.
pub fn run(arguments: Arguments) -> anyhow::Result<()> {
    let (exercise, exercise_sha256) = read_exercise_hashed(&arguments.exercise)?;
    let curation = match &arguments.curation {
        Some(path) => Some(read_curation_file(path, &exercise)?),
        None => None,
    };
    // Match every file to its round first, so that a mistake is reported before any work.
    let matched = match_rounds(&arguments.responses, &exercise)?;
    let mut loaded = load_rounds(&matched, &exercise)?;
    let rounds = rank_rounds(&mut loaded, &exercise, &arguments)?;
    let input = ReportInput {
        exercise: &exercise,
        exercise_source: SourceFile {
            name: arguments.exercise.display().to_string(),
            sha256: exercise_sha256,
        },
        rounds: rounds
            .into_iter()
            .zip(&loaded)
            .map(
                |((index, source, results, notes), (_, _, responses, _))| RoundData {
                    round: &exercise.rounds[index],
                    source,
                    responses,
                    results,
                    notes,
                },
            )
            .collect(),
        command: command_line(std::env::args_os()),
        program: format!("prioritise {}", env!("CARGO_PKG_VERSION")),
        simulated: arguments.simulated,
    };
    let report =
        method_report_with_curation(&input, curation.as_ref()).context("cannot make the report")?;
    write_report(&report, &arguments.out)?;
    eprintln!(
        "wrote the report to {}: report.html, report.md, results.json, results.csv{} and {} \
         charts (SVG and PNG) in charts/",
        arguments.out.display(),
        if report.audit_csv.is_some() {
            ", audit.csv"
        } else {
            ""
        },
        report.charts.len()
    );
    Ok(())
}

/// A round's response file as read: the round's index, the file, its responses and the notes
/// from reading it.
type LoadedRound = (usize, SourceFile, Responses, Vec<String>);

/// A round ready for the report: the round's index, the file, its results (none for a
/// suggestion round) and the notes from reading and ranking it.
type RankedRound = (usize, SourceFile, Option<ResultsDocument>, Vec<String>);

/// Reads the curation file, checked against the exercise.
fn read_curation_file(path: &Path, exercise: &Exercise) -> anyhow::Result<Curation> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot read curation file {}", path.display()))?;
    let curation = read_curation(
        std::io::BufReader::new(file),
        &path.display().to_string(),
        Some(exercise),
    )
    .map_err(|error| {
        with_hint(
            error,
            "a curation file has the header \
             suggestion,respondent,group,text,status,item,cluster,similarity,note",
        )
    })?;
    Ok(curation)
}

/// Matches every response file to the index of the round it answers, refusing two files for
/// one round.
fn match_rounds(responses: &[PathBuf], exercise: &Exercise) -> anyhow::Result<Vec<(Named, usize)>> {
    let mut matched: Vec<(Named, usize)> = Vec::new();
    for argument in responses {
        let named = split_round(argument, exercise);
        let (index, round_id) = round_of_file(&named, exercise)?;
        if let Some((other, _)) = matched.iter().find(|(_, other)| *other == index) {
            return Err(with_hint(
                anyhow::anyhow!(
                    "{} and {} both answer round `{}`",
                    other.path.display(),
                    named.path.display(),
                    round_id
                ),
                "give one file per round; name each file's round as FILE:ROUND",
            ));
        }
        matched.push((named, index));
    }
    Ok(matched)
}

/// The index and id of the round a response file answers, from the kind of its answers and
/// the round it was named for; refuses files that are not exchange-format responses.
fn round_of_file(named: &Named, exercise: &Exercise) -> anyhow::Result<(usize, String)> {
    let path = &named.path;
    match file_kind(path) {
        FileKind::Definition => {
            return Err(with_hint(
                anyhow::anyhow!(
                    "{} is an exercise definition, not responses",
                    path.display()
                ),
                "pass it with --exercise, and the response files as the other arguments",
            ));
        }
        FileKind::Preflib => {
            return Err(with_hint(
                anyhow::anyhow!(
                    "{} is a PrefLib file; a report needs the exchange-format responses of \
                     the exercise's rounds",
                    path.display()
                ),
                "rank PrefLib files with `prioritise rank`",
            ));
        }
        FileKind::Responses => {}
    }
    let kind = peek_kind(path)?.ok_or_else(|| {
        with_hint(
            anyhow::anyhow!(
                "{}: the header does not say what the answers are",
                path.display()
            ),
            "the header must be one of respondent,group,item,rank / \
             respondent,group,item,rating / respondent,group,item / \
             respondent,group,winner,loser / respondent,group,text",
        )
    })?;
    let against = Against::choose(exercise, named.round.as_deref(), kind).map_err(|message| {
        with_hint(
            anyhow::anyhow!("{}: {message}", path.display()),
            "name the round the answers belong to as FILE:ROUND",
        )
    })?;
    let index = exercise
        .rounds
        .iter()
        .position(|round| round.id == against.round.id)
        .expect("the round was chosen from the exercise");
    Ok((index, against.round.id.to_string()))
}

/// Reads every matched response file against its round, printing the notes from reading it.
fn load_rounds(
    matched: &[(Named, usize)],
    exercise: &Exercise,
) -> anyhow::Result<Vec<LoadedRound>> {
    let mut loaded: Vec<LoadedRound> = Vec::new();
    for (named, index) in matched {
        let round = &exercise.rounds[*index];
        let (responses, sha256, notes) =
            read_responses_hashed(&named.path, Some(exercise), Some(round.id.as_str()))?;
        for note in &notes {
            eprintln!("note: {}: {note}", named.path.display());
        }
        loaded.push((
            *index,
            SourceFile {
                name: named.path.display().to_string(),
                sha256,
            },
            responses,
            notes,
        ));
    }
    Ok(loaded)
}

/// Ranks every loaded round but suggestion rounds, printing a line about each; the notes of
/// each round move into its ranked round.
fn rank_rounds(
    loaded: &mut [LoadedRound],
    exercise: &Exercise,
    arguments: &Arguments,
) -> anyhow::Result<Vec<RankedRound>> {
    let methods = if arguments.methods.is_empty() {
        vec!["all".to_string()]
    } else {
        arguments.methods.clone()
    };
    let mut rounds = Vec::with_capacity(loaded.len());
    for (index, source, responses, notes) in loaded.iter_mut() {
        let round = &exercise.rounds[*index];
        let results = if matches!(round.kind, RoundKind::Suggest { .. }) {
            eprintln!(
                "round `{}` ({}): {} respondents, suggestions (not ranked)",
                round.id,
                round.kind.name(),
                responses.ballot_count()
            );
            None
        } else {
            let request = RankingRequest {
                methods: methods.clone(),
                top_k: arguments.top_k,
                bootstrap: arguments.bootstrap,
                seed: arguments.seed,
                sha256: source.sha256.clone(),
                ..RankingRequest::default()
            };
            let ranked = rank_with_progress(responses, exercise, *index, &request, &source.name)?;
            Some(announce_ranked(round, ranked, notes))
        };
        rounds.push((*index, source.clone(), results, std::mem::take(notes)));
    }
    Ok(rounds)
}

/// Prints the notes of a ranked round and a line saying how it was ranked, adds the notes to
/// the round's, and returns its results.
fn announce_ranked(
    round: &survey::Round,
    ranked: report::Ranked,
    notes: &mut Vec<String>,
) -> ResultsDocument {
    for note in &ranked.notes {
        eprintln!("note: round `{}`: {note}", round.id);
    }
    notes.extend(ranked.notes);
    let entry = ranked.document.results.first();
    eprintln!(
        "round `{}` ({}): {} respondents, {} with {} weighting{}",
        round.id,
        round.kind.name(),
        ranked.document.input.respondents,
        entry.map_or("", |entry| entry.method.as_str()),
        entry.map_or("", |entry| entry.weighting.as_str()),
        match ranked.document.results.len() {
            0 | 1 => String::new(),
            count => format!(", compared with {} other methods", count - 1),
        }
    );
    ranked.document
}

fn rank_with_progress(
    responses: &Responses,
    exercise: &Exercise,
    index: usize,
    request: &RankingRequest,
    file: &str,
) -> anyhow::Result<report::Ranked> {
    let round = &exercise.rounds[index];
    let progress_bar = match request.bootstrap {
        Some(resamples) if std::io::stderr().is_terminal() => {
            let bar = indicatif::ProgressBar::new(resamples as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "round {msg}: bootstrap {bar:40} {pos}/{len} resamples ({eta} left)",
                )
                .expect("the progress template is valid"),
            );
            bar.set_message(round.id.to_string());
            Some(bar)
        }
        _ => None,
    };
    let tick = || {
        if let Some(bar) = &progress_bar {
            bar.inc(1);
        }
    };
    let ranked = rank_round(responses, exercise, round, request, Some(&tick)).map_err(|error| {
        let hint = error.hint();
        let error =
            anyhow::Error::new(error).context(format!("{file}: cannot rank round `{}`", round.id));
        match hint {
            Some(hint) => with_hint(error, hint),
            None => error,
        }
    })?;
    if let Some(bar) = progress_bar {
        bar.finish_and_clear();
    }
    Ok(ranked)
}

/// Writes every file beside its place under a temporary name and syncs it, then renames each
/// into place, charts first: a reader never sees half a file, and a failure leaves the earlier
/// report as it was.
fn write_report(report: &MethodReport, out: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out.join("charts"))
        .with_context(|| format!("cannot create {}", out.join("charts").display()))?;
    // Report files are created with the permissions the umask gives a new file, as
    // `File::create` would, rather than made readable by everyone like other output.
    let mut temporary = tempfile::Builder::new();
    temporary.prefix(".report-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temporary.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let files = report.files();
    let mut staged = Vec::with_capacity(files.len());
    for (name, bytes) in &files {
        let (file, ()) = StagedFile::write(&out.join(name), &temporary, |output| {
            output.write_all(bytes)
        })?;
        staged.push(file);
    }
    for file in staged {
        file.persist()?;
    }
    // Charts of an earlier report that this one does not have are left alone, but named, so
    // that nobody publishes them by mistake.
    let current: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    if let Ok(entries) = std::fs::read_dir(out.join("charts")) {
        let mut stale: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|name| name.ends_with(".svg") || name.ends_with(".png"))
            .map(|name| format!("charts/{name}"))
            .filter(|name| !current.contains(&name.as_str()))
            .collect();
        stale.sort();
        if !stale.is_empty() {
            eprintln!(
                "note: {} holds charts that are not part of this report: {}",
                out.display(),
                stale.join(", ")
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_quoted_only_where_a_shell_needs_it() {
        assert_eq!(shell_quote("--bootstrap"), "--bootstrap");
        assert_eq!(shell_quote("/tmp/a b.csv"), "'/tmp/a b.csv'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
        let line = command_line(
            [
                "target/release/prioritise",
                "report",
                "x.csv:rank",
                "--seed",
                "1",
            ]
            .into_iter()
            .map(OsString::from),
        );
        assert_eq!(line, "prioritise report x.csv:rank --seed 1");
    }
}
