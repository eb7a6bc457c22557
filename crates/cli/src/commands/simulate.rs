//! `prioritise simulate`: realistic synthetic responses for a round of an exercise, or for
//! every round at once.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use survey::simulate::{
    DEFAULT_RESPONDENTS, DEFAULT_RETENTION, Settings, Summary, simulate_round_shown,
};
use survey::{Exercise, Round};

use crate::failure::with_hint;
use crate::input::read_exercise;
use crate::output::{StagedFile, write_output};

/// Arguments of `prioritise simulate`.
#[derive(Debug, clap::Args)]
pub struct Arguments {
    /// The exercise definition whose round to simulate.
    #[arg(long, value_name = "FILE")]
    pub exercise: PathBuf,
    /// The round to simulate (may be left out when the exercise has one round).
    #[arg(long, value_name = "ID", conflicts_with = "out_dir")]
    pub round: Option<String>,
    /// How many people take part in the first round, spread over the groups in unequal sizes.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_RESPONDENTS)]
    pub respondents: u64,
    /// The seed: the same seed gives the same bytes.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// The share of respondents who stay from one round to the next, more than 0 and at most
    /// 1 (1: nobody drops out). Groups and people vary around it; those who rate generously
    /// stay more often.
    #[arg(long, value_name = "R", default_value_t = DEFAULT_RETENTION, value_parser = parse_retention)]
    pub retention: f64,
    /// Show each person the items in an order of their own (written in the `shown_order`
    /// column) and let the order sway them by X: in rating, ranking and pick rounds the item
    /// shown first gains X in utility and the last loses X (linearly between; the items'
    /// importance has standard deviation 1), and in pairwise rounds the item shown first
    /// gains X. 0 records the orders without any effect; 0.5 is a strong bias. Without it,
    /// no order is simulated or written.
    #[arg(long, value_name = "X", value_parser = parse_position_bias)]
    pub position_bias: Option<f64>,
    /// Write to this file instead of stdout. The file appears only once complete.
    #[arg(long, short, value_name = "FILE", conflicts_with = "out_dir")]
    pub out: Option<PathBuf>,
    /// Simulate every round of the exercise, one panel of respondents throughout, and write
    /// each to DIR/ROUND.csv. The files appear only once all of them are complete.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

fn parse_retention(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if value > 0.0 && value <= 1.0 {
        Ok(value)
    } else {
        Err(format!(
            "the retention is a share more than 0 and at most 1, not {text}"
        ))
    }
}

fn parse_position_bias(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(format!("the position bias is 0 or more, not {text}"))
    }
}

/// Runs `prioritise simulate`.
pub fn run(arguments: Arguments) -> anyhow::Result<()> {
    let exercise = read_exercise(&arguments.exercise)?;
    let settings = Settings {
        respondents: arguments.respondents,
        seed: arguments.seed,
        retention: arguments.retention,
    };
    if let Some(directory) = &arguments.out_dir {
        return simulate_every_round(&exercise, settings, arguments.position_bias, directory);
    }
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
                format!(
                    "add --round ROUND, one of: {}; or --out-dir DIR for every round",
                    exercise.round_ids()
                ),
            ));
        }
    };
    let Some(summary) = write_output(arguments.out.as_deref(), |output| {
        simulate_round_shown(&exercise, round, settings, arguments.position_bias, output)
    })?
    else {
        return Ok(());
    };
    report_round(&exercise, round, settings, &summary);
    Ok(())
}

/// Tells what was simulated for one round, on stderr.
fn report_round(exercise: &Exercise, round: &Round, settings: Settings, summary: &Summary) {
    let sizes: Vec<String> = exercise
        .groups
        .iter()
        .zip(&summary.group_sizes)
        .map(|(group, size)| format!("{} {size}", group.id))
        .collect();
    let answered: u64 = summary.group_sizes.iter().sum();
    let panel: u64 = summary.panel_sizes.iter().sum();
    let of_panel = if answered == panel {
        String::new()
    } else {
        format!(" of {panel} in the first round")
    };
    eprintln!(
        "simulated round `{}` ({}) of `{}`: {answered} respondents{of_panel}, {} rows, seed {}; by group: {}",
        round.id,
        round.kind.name(),
        exercise.id,
        summary.rows,
        settings.seed,
        sizes.join(", ")
    );
}

/// Simulates every round into `directory`, all or nothing: each round is written to a
/// temporary file in the directory, and the files are renamed to `ROUND.csv` only once every
/// round has been written and synced.
fn simulate_every_round(
    exercise: &Exercise,
    settings: Settings,
    position_bias: Option<f64>,
    directory: &Path,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(directory)
        .with_context(|| format!("cannot create {}", directory.display()))?;
    let mut written = Vec::with_capacity(exercise.rounds.len());
    for round in &exercise.rounds {
        let path = directory.join(format!("{}.csv", round.id));
        let prefix = format!(".{}.", round.id);
        let mut temporary = tempfile::Builder::new();
        temporary.prefix(&prefix).suffix(".csv.tmp");
        let (file, summary) = StagedFile::write(&path, &temporary, |output| {
            simulate_round_shown(exercise, round, settings, position_bias, output)
        })?;
        written.push((round, file, summary));
    }
    for (_, file, _) in &written {
        file.make_readable()
            .context("cannot set the permissions of a simulated file")?;
    }
    let mut summaries = Vec::with_capacity(written.len());
    for (round, file, summary) in written {
        file.persist()?;
        summaries.push((round, summary));
    }
    for (round, summary) in &summaries {
        report_round(exercise, round, settings, summary);
    }
    eprintln!(
        "wrote {} rounds to {} (retention {})",
        summaries.len(),
        directory.display(),
        settings.retention
    );
    Ok(())
}
