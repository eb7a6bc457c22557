//! `prioritise validate FILE`: check a definition, response file or PrefLib file.

use std::path::PathBuf;

use survey::responses::{Answers, Responses};

use crate::input::{FileKind, file_kind, read_exercise, read_responses_hashed};

/// Arguments of `prioritise validate`.
#[derive(Debug, clap::Args)]
pub struct Arguments {
    /// The file to check: an exercise definition (.toml), a response file in the exchange
    /// format (.csv) or a PrefLib file (.soc, .soi, .toc, .toi).
    pub file: PathBuf,
    /// Check a response file against this exercise definition: groups, items, scale and limits.
    #[arg(long, value_name = "FILE")]
    pub exercise: Option<PathBuf>,
    /// The round of the exercise the responses belong to (needed when several rounds collect
    /// the same kind of answer).
    #[arg(long, value_name = "ID", requires = "exercise")]
    pub round: Option<String>,
}

/// Runs `prioritise validate`.
pub fn run(arguments: Arguments) -> anyhow::Result<()> {
    let path = &arguments.file;
    match file_kind(path) {
        FileKind::Definition => {
            let exercise = read_exercise(path)?;
            let rounds: Vec<String> = exercise
                .rounds
                .iter()
                .map(|round| format!("{} ({})", round.id, round.kind.name()))
                .collect();
            println!(
                "ok: {}: exercise `{}` with {} groups, {} items and {} rounds: {}",
                path.display(),
                exercise.id,
                exercise.groups.len(),
                exercise.items.len(),
                exercise.rounds.len(),
                rounds.join(", ")
            );
        }
        FileKind::Preflib => {
            let (responses, _, notes) = crate::input::read_preflib_hashed(path)?;
            for note in &notes {
                eprintln!("note: {note}");
            }
            println!("ok: {}: {}", path.display(), describe(&responses));
        }
        FileKind::Responses => {
            let exercise = match &arguments.exercise {
                Some(exercise_path) => Some(read_exercise(exercise_path)?),
                None => None,
            };
            let (responses, _, notes) =
                read_responses_hashed(path, exercise.as_ref(), arguments.round.as_deref())?;
            for note in &notes {
                eprintln!("note: {note}");
            }
            println!("ok: {}: {}", path.display(), describe(&responses));
        }
    }
    Ok(())
}

/// One line describing what a response set holds.
fn describe(responses: &Responses) -> String {
    let answers = match &responses.answers {
        Answers::Ranking(entries) => format!("{} ranked items", entries.len()),
        Answers::Rating(entries) => format!("{} ratings", entries.len()),
        Answers::Pick(entries) => format!("{} picks", entries.len()),
        Answers::Pairwise(entries) => format!("{} choices", entries.len()),
        Answers::Suggestions(entries) => format!("{} suggestions", entries.len()),
    };
    let mut group_counts = vec![0u64; responses.groups.len()];
    for respondent in &responses.respondents {
        group_counts[respondent.group as usize] += u64::from(respondent.count);
    }
    let groups: Vec<String> = responses
        .groups
        .iter()
        .zip(&group_counts)
        .map(|(group, count)| format!("{group} {count}"))
        .collect();
    format!(
        "{} file, {} respondents, {} items, {answers}; by group: {}",
        responses.kind(),
        responses.ballot_count(),
        responses.items.len(),
        groups.join(", ")
    )
}
