//! `prioritise rank`: rank responses without the service.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context as _;
use rank::analysis::{AnalysisOptions, analyse, methods_for};
use rank::{DataKind, GroupWeighting, Method, Params, Weighting};
use report::results::Excluded;
use report::{Context, InputSummary, Settings, results_csv, results_document, results_table};
use survey::ballots::{ScaleChoice, to_ballots};
use survey::definition::DEFAULT_DISCLOSURE_THRESHOLD;
use survey::responses::{Against, ResponseKind};

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
    /// A method (repeat for several, or `all` for every method that fits the data). Default:
    /// the round's method, else borda (rankings), mean (ratings), chnri (criteria), count
    /// (picks), bradley-terry (pairwise).
    #[arg(long = "method", value_name = "M")]
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

fn default_method(kind: DataKind, criterion_count: usize) -> Method {
    match kind {
        DataKind::Ranking => Method::Borda,
        DataKind::Rating if criterion_count > 1 => Method::Chnri,
        DataKind::Rating => Method::Mean,
        DataKind::Pick => Method::Count,
        DataKind::Pairwise => Method::BradleyTerry,
    }
}

/// Runs `prioritise rank`.
pub fn run(arguments: Arguments) -> anyhow::Result<()> {
    let exercise = match &arguments.exercise {
        Some(path) => Some(read_exercise(path)?),
        None => None,
    };
    let path = &arguments.responses;
    let (responses, sha256, notes) = match file_kind(path) {
        FileKind::Preflib => read_preflib_hashed(path)?,
        FileKind::Definition => {
            return Err(with_hint(
                anyhow::anyhow!(
                    "{} is an exercise definition, not responses",
                    path.display()
                ),
                "pass it with --exercise, and the responses as the first argument",
            ));
        }
        FileKind::Responses => {
            read_responses_hashed(path, exercise.as_ref(), arguments.round.as_deref())?
        }
    };
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

    let scale = match (&arguments.scale, round) {
        (Some(text), _) => {
            let (min, max) = parse_scale(text)?;
            ScaleChoice::Stated { min, max }
        }
        (None, Some(round)) => match &round.kind {
            survey::RoundKind::Rate { scale, .. } => ScaleChoice::FromRound(scale),
            _ => ScaleChoice::Infer,
        },
        (None, None) => ScaleChoice::Infer,
    };
    let ballots = to_ballots(&responses, scale).with_context(|| format!("{}", path.display()))?;
    let kind = ballots.profile.kind();
    let criterion_count = responses.criteria.len().max(1);

    let fitting_methods = || {
        format!(
            "methods that fit {kind} data: {}",
            methods_for(kind, criterion_count)
                .iter()
                .map(|method| method.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let mut methods = Vec::new();
    let mut asked_for_all = false;
    for name in &arguments.methods {
        if name == "all" {
            asked_for_all = true;
            methods.extend(methods_for(kind, criterion_count));
        } else {
            let method: Method = name
                .parse()
                .map_err(|error| with_hint(anyhow::Error::new(error), fitting_methods()))?;
            if !method.fits_kind(kind) {
                return Err(with_hint(
                    anyhow::anyhow!("method `{method}` does not fit {kind} data"),
                    fitting_methods(),
                ));
            }
            methods.push(method);
        }
    }
    methods.dedup();
    if methods.is_empty() {
        methods.push(
            round
                .and_then(|round| round.method)
                .unwrap_or_else(|| default_method(kind, criterion_count)),
        );
    }

    let weighting_name = match &arguments.weighting {
        Some(name) => name.parse::<Weighting>().map_err(anyhow::Error::new)?,
        None => round
            .and_then(|round| round.weighting)
            .unwrap_or(Weighting::Pooled),
    };
    let custom = if weighting_name == Weighting::Custom {
        let mut weights = vec![None; responses.groups.len()];
        match &arguments.group_weights {
            Some(text) => {
                for pair in text.split(',') {
                    let (group, weight) = pair.split_once('=').ok_or_else(|| {
                        with_hint(
                            anyhow::anyhow!("--group-weights: `{pair}` is not GROUP=WEIGHT"),
                            "for example --group-weights young-people=2,practitioners=1",
                        )
                    })?;
                    let index = responses.groups.iter().position(|name| name == group.trim()).ok_or_else(|| {
                        anyhow::anyhow!("--group-weights: `{}` is not a group of the responses (groups: {})", group.trim(), responses.groups.join(", "))
                    })?;
                    let weight: f64 = weight.trim().parse().map_err(|_| {
                        anyhow::anyhow!("--group-weights: `{}` is not a number", weight.trim())
                    })?;
                    weights[index] = Some(weight);
                }
            }
            None => {
                if let Some(round) = round {
                    for (index, group) in responses.groups.iter().enumerate() {
                        weights[index] = round.group_weights.get(group).copied();
                    }
                }
            }
        }
        let missing: Vec<&str> = weights
            .iter()
            .zip(&responses.groups)
            .filter(|(weight, _)| weight.is_none())
            .map(|(_, group)| group.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(with_hint(
                anyhow::anyhow!(
                    "custom weighting needs a weight for every group; missing: {}",
                    missing.join(", ")
                ),
                "give them with --group-weights GROUP=WEIGHT,...",
            ));
        }
        Some(
            weights
                .into_iter()
                .map(|weight| weight.unwrap_or(0.0))
                .collect(),
        )
    } else {
        None
    };
    let weighting = GroupWeighting::from_name(weighting_name, custom)?;

    let disclosure_threshold = arguments
        .disclosure_threshold
        .or(exercise
            .as_ref()
            .map(|exercise| u64::from(exercise.disclosure_threshold)))
        .unwrap_or(u64::from(DEFAULT_DISCLOSURE_THRESHOLD));
    let mut params = Params {
        prior_alpha: arguments.prior_alpha,
        ..Params::default()
    };
    if let Some(round) = round
        && let survey::RoundKind::Rate { criteria, .. } = &round.kind
        && !criteria.is_empty()
    {
        params.chnri_criterion_weights =
            Some(criteria.iter().map(|criterion| criterion.weight).collect());
    }
    if asked_for_all {
        // `all` means every method that fits; a model whose maximum-likelihood estimate does
        // not exist for these data is left out with a note rather than failing the rest.
        methods.retain(|&method| {
            if !matches!(method, Method::PlackettLuce | Method::BradleyTerry) {
                return true;
            }
            match rank::run(method, &weighting, &ballots.profile, &params) {
                Err(error @ rank::RankError::Fit { .. }) => {
                    eprintln!(
                        "note: {method} left out: {error}; add --prior-alpha 0.1 to include it"
                    );
                    false
                }
                _ => true,
            }
        });
    }
    let options = AnalysisOptions {
        methods,
        weighting,
        params,
        top_k: arguments.top_k,
        bootstrap: arguments
            .bootstrap
            .map(|resamples| (resamples, arguments.seed)),
        bootstrap_groups: true,
        disclosure_threshold,
    };

    let progress_bar = match arguments.bootstrap {
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
    let analysis = analyse(&ballots.profile, &options, Some(&tick)).map_err(|error| {
        let needs_prior = matches!(
            &error,
            rank::analysis::AnalysisError::Rank(rank::RankError::Fit {
                problem: rank::plackett_luce::FitError::NotStronglyConnected { .. },
                ..
            })
        );
        let error = anyhow::Error::new(error).context(path.display().to_string());
        if needs_prior {
            with_hint(error, "add --prior-alpha 0.1 to fit a regularised model")
        } else {
            error
        }
    })?;
    if let Some(bar) = progress_bar {
        bar.finish_and_clear();
    }

    let suppressed_groups = analysis
        .disclosed
        .iter()
        .zip(&responses.groups)
        .zip(&analysis.group_sizes)
        .filter(|((shown, _), size)| !**shown && **size > 0)
        .map(|((_, group), _)| group.clone())
        .collect();
    let context = Context {
        items: &responses.items,
        groups: &responses.groups,
        weighting: weighting_name,
        top_k: arguments.top_k,
        input: InputSummary {
            sha256,
            kind: responses_kind_name(responses.kind()),
            respondents: analysis.group_sizes.iter().sum(),
            items: responses.items.len(),
            groups: responses.groups.clone(),
            excluded: ballots
                .excluded
                .iter()
                .map(|exclusion| Excluded {
                    respondent: exclusion.respondent.clone(),
                    reason: exclusion.reason.to_string(),
                })
                .collect(),
            suppressed_groups,
        },
        settings: Settings {
            top_k: arguments.top_k,
            bootstrap: arguments.bootstrap,
            seed: arguments.bootstrap.map(|_| arguments.seed),
            disclosure_threshold,
            scale: ballots.scale_source.clone(),
            program: format!("prioritise {}", env!("CARGO_PKG_VERSION")),
        },
    };
    let document = results_document(&analysis, &context);
    let stdout = std::io::stdout().lock();
    let mut output = std::io::BufWriter::new(stdout);
    let written = match arguments.format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&document)
                .context("cannot write the results as JSON")?;
            text.push('\n');
            output.write_all(text.as_bytes())
        }
        Format::Csv => results_csv(&document, &mut output).map(|_| ()),
        Format::Table => output.write_all(results_table(&document, arguments.by_group).as_bytes()),
    };
    match written.and_then(|()| output.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(error).context("cannot write to stdout"),
    }
}

fn responses_kind_name(kind: ResponseKind) -> String {
    kind.as_str().to_string()
}
