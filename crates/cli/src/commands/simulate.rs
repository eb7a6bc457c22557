//! `prioritise simulate`: realistic synthetic responses for a round of an exercise.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use survey::simulate::{DEFAULT_RESPONDENTS, Settings, simulate_round};

use crate::failure::with_hint;
use crate::input::read_exercise;

/// Arguments of `prioritise simulate`.
#[derive(Debug, clap::Args)]
pub struct Arguments {
    /// The exercise definition whose round to simulate.
    #[arg(long, value_name = "FILE")]
    pub exercise: PathBuf,
    /// The round to simulate (may be left out when the exercise has one round).
    #[arg(long, value_name = "ID")]
    pub round: Option<String>,
    /// How many respondents to simulate, spread over the groups in unequal sizes.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_RESPONDENTS)]
    pub respondents: u64,
    /// The seed: the same seed gives the same bytes.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Write to this file instead of stdout. The file appears only once complete.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs `prioritise simulate`.
pub fn run(arguments: Arguments) -> anyhow::Result<()> {
    let exercise = read_exercise(&arguments.exercise)?;
    let round = match &arguments.round {
        Some(id) => exercise.round(id).ok_or_else(|| {
            with_hint(
                anyhow::anyhow!("exercise `{}` has no round `{id}`", exercise.id),
                format!("its rounds are: {}", exercise.round_ids()),
            )
        })?,
        None if exercise.rounds.len() == 1 => &exercise.rounds[0],
        None => {
            return Err(with_hint(
                anyhow::anyhow!(
                    "exercise `{}` has {} rounds; say which to simulate",
                    exercise.id,
                    exercise.rounds.len()
                ),
                format!("add --round ROUND, one of: {}", exercise.round_ids()),
            ));
        }
    };
    let settings = Settings {
        respondents: arguments.respondents,
        seed: arguments.seed,
    };
    let summary = match &arguments.out {
        Some(path) => {
            let directory = path
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty())
                .unwrap_or_else(|| std::path::Path::new("."));
            let file = tempfile::NamedTempFile::new_in(directory)
                .with_context(|| format!("cannot write in {}", directory.display()))?;
            let summary = simulate_round(&exercise, round, settings, BufWriter::new(&file))
                .with_context(|| format!("cannot write {}", path.display()))?;
            file.as_file().sync_all()?;
            make_readable(&file)?;
            file.persist(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            summary
        }
        None => {
            let stdout = std::io::stdout().lock();
            let mut output = BufWriter::with_capacity(1 << 16, stdout);
            let summary = simulate_round(&exercise, round, settings, &mut output);
            match summary.and_then(|summary| output.flush().map(|()| summary)) {
                Ok(summary) => summary,
                // A closed pipe (`| head`) is not an error worth a message.
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
                Err(error) => return Err(error).context("cannot write to stdout"),
            }
        }
    };
    let sizes: Vec<String> = exercise
        .groups
        .iter()
        .zip(&summary.group_sizes)
        .map(|(group, size)| format!("{} {size}", group.id))
        .collect();
    eprintln!(
        "simulated round `{}` ({}) of `{}`: {} respondents, {} rows, seed {}; by group: {}",
        round.id,
        round.kind.name(),
        exercise.id,
        arguments.respondents,
        summary.rows,
        arguments.seed,
        sizes.join(", ")
    );
    Ok(())
}

/// Gives the finished file the usual permissions: temporary files are created readable by
/// their owner only, but simulated data is meant to be shared.
fn make_readable(file: &tempfile::NamedTempFile) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}
