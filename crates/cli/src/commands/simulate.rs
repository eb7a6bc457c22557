//! `prioritise simulate`: realistic synthetic responses for a round of an exercise.

use std::path::PathBuf;

use survey::simulate::{DEFAULT_RESPONDENTS, Settings, simulate_round};

use crate::failure::with_hint;
use crate::input::read_exercise;
use crate::output::write_output;

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
    let Some(summary) = write_output(arguments.out.as_deref(), |output| {
        simulate_round(&exercise, round, settings, output)
    })?
    else {
        return Ok(());
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
