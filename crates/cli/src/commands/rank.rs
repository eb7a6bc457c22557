//! `prioritise rank`: rank responses without the service.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use report::{Ranked, RankingRequest, ResultsDocument, rank_responses, results_csv, results_table};
use survey::responses::{Against, Responses};
use survey::{Exercise, Round};

use crate::failure::with_hint;
use crate::input::{
    FileKind, file_kind, read_exercise, read_preflib_hashed, read_responses_hashed,
};

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tables for reading in a terminal (80 columns).
    Table,
    /// The JSON object of DESIGN.md, for other programs.
    Json,
    /// One row per method, scope and item, for spreadsheets.
    Csv,
}

/// Arguments of `prioritise rank`.
#[derive(Debug, clap::Args)]
pub struct Arguments {
    /// The responses: an exchange-format CSV file or a PrefLib file (.soc, .soi, .toc, .toi).
    pub responses: PathBuf,
    /// The exercise definition: labels, and checks of groups, items and scale.
    #[arg(long, value_name = "FILE")]
    pub exercise: Option<PathBuf>,
    /// The round of the exercise the responses belong to (when several collect the same kind).
    #[arg(long, value_name = "ID", requires = "exercise")]
    pub round: Option<String>,
    /// A method (repeat, or separate with commas, for several; `all` for every method that
    /// fits the data). Default: the round's method, else borda (rankings), mean (ratings),
    /// chnri (criteria), count (picks), bradley-terry (pairwise).
    #[arg(long = "method", value_name = "M", value_delimiter = ',')]
    pub methods: Vec<String>,
    /// Group weighting: pooled, equal-groups, jla-positions or custom. Default: the round's
    /// weighting, else pooled.
    #[arg(long, value_name = "W")]
    pub weighting: Option<String>,
    /// Weights of `custom` weighting, as GROUP=WEIGHT pairs separated by commas.
    #[arg(long, value_name = "G=W,...")]
    pub group_weights: Option<String>,
    /// The length of the priority list: p_top, overlaps, and rows shown in tables.
    #[arg(long = "top", value_name = "K", default_value_t = 10)]
    pub top_k: usize,
    /// Also rank each stakeholder group on its own (tables; JSON always has groups).
    #[arg(long)]
    pub by_group: bool,
    /// Bootstrap resamples for rank intervals and p_top (1000 is usual).
    #[arg(long, value_name = "B")]
    pub bootstrap: Option<usize>,
    /// The seed of the bootstrap: the same seed gives the same numbers.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// The rating scale as MIN-MAX (for example 1-5), when there is no exercise definition.
    #[arg(long, value_name = "MIN-MAX")]
    pub scale: Option<String>,
    /// Groups with fewer respondents are not shown on their own. Default: the exercise's
    /// threshold, else 5.
    #[arg(long, value_name = "N")]
    pub disclosure_threshold: Option<u64>,
    /// A prior for plackett-luce and bradley-terry (alpha wins and losses against a virtual
    /// item), needed when some items never beat, or are never beaten by, the rest.
    #[arg(long, value_name = "ALPHA")]
    pub prior_alpha: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn parse_scale(text: &str) -> anyhow::Result<(i32, i32)> {
    let parsed = text
        .split_once('-')
        .and_then(|(min, max)| Some((min.trim().parse().ok()?, max.trim().parse().ok()?)));
    match parsed {
        Some((min, max)) if min < max => Ok((min, max)),
        _ => Err(with_hint(
            anyhow::anyhow!("--scale `{text}` is not a scale"),
            "write it as MIN-MAX, for example --scale 1-9",
        )),
    }
}

/// Parses `GROUP=WEIGHT,...`.
fn parse_group_weights(text: &str) -> anyhow::Result<Vec<(String, f64)>> {
    text.split(',')
        .map(|pair| {
            let (group, weight) = pair.split_once('=').ok_or_else(|| {
                with_hint(
                    anyhow::anyhow!("--group-weights: `{pair}` is not GROUP=WEIGHT"),
                    "for example --group-weights young-people=2,practitioners=1",
                )
            })?;
            let weight: f64 = weight.trim().parse().map_err(|_| {
                anyhow::anyhow!("--group-weights: `{}` is not a number", weight.trim())
            })?;
            Ok((group.trim().to_string(), weight))
        })
        .collect()
}

/// Runs `prioritise rank`.
pub fn run(arguments: Arguments) -> anyhow::Result<()> {
    let exercise = match &arguments.exercise {
        Some(path) => Some(read_exercise(path)?),
        None => None,
    };
    let path = &arguments.responses;
    let (responses, sha256, notes) = read_input(path, exercise.as_ref(), &arguments)?;
    for note in &notes {
        eprintln!("note: {note}");
    }
    let round = match &exercise {
        Some(exercise) => Some(
            Against::choose(exercise, arguments.round.as_deref(), responses.kind())
                .map_err(|message| anyhow::anyhow!(message))?
                .round,
        ),
        None => None,
    };
    let request = ranking_request(&arguments, sha256)?;
    let ranked = rank_with_progress(&responses, exercise.as_ref(), round, &request, path)?;
    for note in &ranked.notes {
        eprintln!("note: {note}");
    }
    print_results(&ranked.document, &arguments)
}

/// Reads the responses (a PrefLib file or exchange-format responses, against the exercise
/// when given) with their SHA-256 and the notes from reading them.
fn read_input(
    path: &Path,
    exercise: Option<&Exercise>,
    arguments: &Arguments,
) -> anyhow::Result<(Responses, String, Vec<String>)> {
    match file_kind(path) {
        FileKind::Preflib => read_preflib_hashed(path),
        FileKind::Definition => Err(with_hint(
            anyhow::anyhow!(
                "{} is an exercise definition, not responses",
                path.display()
            ),
            "pass it with --exercise, and the responses as the first argument",
        )),
        FileKind::Responses => read_responses_hashed(path, exercise, arguments.round.as_deref()),
    }
}

/// The ranking request the arguments ask for, with the responses' SHA-256.
fn ranking_request(arguments: &Arguments, sha256: String) -> anyhow::Result<RankingRequest> {
    let scale = match &arguments.scale {
        Some(text) => Some(parse_scale(text)?),
        None => None,
    };
    let group_weights = match &arguments.group_weights {
        Some(text) => Some(parse_group_weights(text)?),
        None => None,
    };
    Ok(RankingRequest {
        methods: arguments.methods.clone(),
        weighting: arguments.weighting.clone(),
        group_weights,
        top_k: arguments.top_k,
        bootstrap: arguments.bootstrap,
        seed: arguments.seed,
        scale,
        disclosure_threshold: arguments.disclosure_threshold,
        prior_alpha: arguments.prior_alpha,
        sha256,
    })
}

/// Ranks the responses, with a progress bar for the bootstrap when stderr is a terminal; an
/// error in the data names the file.
fn rank_with_progress(
    responses: &Responses,
    exercise: Option<&Exercise>,
    round: Option<&Round>,
    request: &RankingRequest,
    path: &Path,
) -> anyhow::Result<Ranked> {
    let progress_bar = match request.bootstrap {
        Some(resamples) if std::io::stderr().is_terminal() => {
            let bar = indicatif::ProgressBar::new(resamples as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "bootstrap {bar:40} {pos}/{len} resamples ({eta} left)",
                )
                .expect("the progress template is valid"),
            );
            Some(bar)
        }
        _ => None,
    };
    let tick = || {
        if let Some(bar) = &progress_bar {
            bar.inc(1);
        }
    };
    let ranked =
        rank_responses(responses, exercise, round, request, Some(&tick)).map_err(|error| {
            let hint = error.hint();
            let in_data = error.in_data();
            let mut error = anyhow::Error::new(error);
            if in_data {
                error = error.context(path.display().to_string());
            }
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

/// Prints the results on stdout in the format asked for; a closed pipe is not an error.
fn print_results(document: &ResultsDocument, arguments: &Arguments) -> anyhow::Result<()> {
    let stdout = std::io::stdout().lock();
    let mut output = std::io::BufWriter::new(stdout);
    let written = match arguments.format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(document)
                .context("cannot write the results as JSON")?;
            text.push('\n');
            output.write_all(text.as_bytes())
        }
        Format::Csv => results_csv(document, &mut output).map(|_| ()),
        Format::Table => output.write_all(results_table(document, arguments.by_group).as_bytes()),
    };
    match written.and_then(|()| output.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(error).context("cannot write to stdout"),
    }
}
