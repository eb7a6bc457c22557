//! From responses to the results document: the one pipeline that `prioritise rank` and the
//! service's results endpoint share, so that both give the same numbers for the same input.
//!
//! The request names methods and weightings as text (as a user types them); every problem
//! is a [`RankingError`] with a message and, where one helps, a hint.

use rank::analysis::{AnalysisOptions, analyse, methods_for};
use rank::{DataKind, GroupWeighting, Method, Params, Weighting};
use survey::ballots::{ScaleChoice, to_ballots};
use survey::definition::{DEFAULT_DISCLOSURE_THRESHOLD, Exercise, Round, RoundKind};
use survey::responses::Responses;

use crate::results::{Context, Excluded, InputSummary, ResultsDocument, Settings};

/// What to compute, as a user asks for it.
#[derive(Debug, Clone)]
pub struct RankingRequest {
    /// Method names, or `all` for every method that fits the data; empty: the round's method,
    /// else the default for the data kind.
    pub methods: Vec<String>,
    /// A weighting name; `None`: the round's weighting, else pooled.
    pub weighting: Option<String>,
    /// Weights of `custom` weighting by group id; `None`: the round's `group_weights`.
    pub group_weights: Option<Vec<(String, f64)>>,
    /// k of the top-k list.
    pub top_k: usize,
    /// Bootstrap resamples, if any.
    pub bootstrap: Option<usize>,
    /// The bootstrap's seed.
    pub seed: u64,
    /// A rating scale stated by the user, overriding the round's.
    pub scale: Option<(i32, i32)>,
    /// The disclosure threshold; `None`: the exercise's, else the default.
    pub disclosure_threshold: Option<u64>,
    /// The prior of plackett-luce and bradley-terry.
    pub prior_alpha: Option<f64>,
    /// SHA-256 of the input, in hex, for the record.
    pub sha256: String,
}

impl Default for RankingRequest {
    fn default() -> Self {
        RankingRequest {
            methods: Vec::new(),
            weighting: None,
            group_weights: None,
            top_k: 10,
            bootstrap: None,
            seed: 1,
            scale: None,
            disclosure_threshold: None,
            prior_alpha: None,
            sha256: String::new(),
        }
    }
}

/// Why the results could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RankingError {
    /// What is wrong, starting lowercase.
    pub message: String,
    /// What to do about it, when that is clear.
    pub hint: Option<String>,
    /// Whether the problem lies in the data (else in the request).
    pub in_data: bool,
}

impl RankingError {
    fn new(message: impl Into<String>) -> Self {
        RankingError {
            message: message.into(),
            hint: None,
            in_data: false,
        }
    }

    fn in_data(mut self) -> Self {
        self.in_data = true;
        self
    }

    fn with_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        RankingError {
            message: message.into(),
            hint: Some(hint.into()),
            in_data: false,
        }
    }
}

/// The results, with notes for the user (methods left out and why).
#[derive(Debug, Clone)]
pub struct Ranked {
    /// The results document.
    pub document: ResultsDocument,
    /// Notes worth showing, such as a method left out of `all`.
    pub notes: Vec<String>,
}

/// The method used when none is asked for and the round sets none.
pub fn default_method(kind: DataKind, criterion_count: usize) -> Method {
    match kind {
        DataKind::Ranking => Method::Borda,
        DataKind::Rating if criterion_count > 1 => Method::Chnri,
        DataKind::Rating => Method::Mean,
        DataKind::Pick => Method::Count,
        DataKind::Pairwise => Method::BradleyTerry,
    }
}

/// Ranks `responses` as `request` asks, with the round's settings as defaults. `progress` is
/// called once per bootstrap resample.
///
/// # Errors
/// [`RankingError`] for an unknown method or weighting, a method that does not fit the data,
/// missing custom weights, responses that give no ballots (suggestions), or a model that cannot
/// be fitted (with a hint to add a prior).
pub fn rank_responses(
    responses: &Responses,
    exercise: Option<&Exercise>,
    round: Option<&Round>,
    request: &RankingRequest,
    progress: Option<&(dyn Fn() + Sync)>,
) -> Result<Ranked, RankingError> {
    let scale = match (request.scale, round) {
        (Some((min, max)), _) => ScaleChoice::Stated { min, max },
        (None, Some(round)) => match &round.kind {
            RoundKind::Rate { scale, .. } => ScaleChoice::FromRound(scale),
            _ => ScaleChoice::Infer,
        },
        (None, None) => ScaleChoice::Infer,
    };
    let ballots = to_ballots(responses, scale)
        .map_err(|error| RankingError::new(error.to_string()).in_data())?;
    let kind = ballots.profile.kind();
    let criterion_count = responses.criteria.len().max(1);
    let mut notes = Vec::new();

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
    for name in &request.methods {
        if name == "all" {
            asked_for_all = true;
            methods.extend(methods_for(kind, criterion_count));
        } else {
            let method: Method =
                name.parse()
                    .map_err(|error: <Method as std::str::FromStr>::Err| {
                        RankingError::with_hint(error.to_string(), fitting_methods())
                    })?;
            if !method.fits_kind(kind) {
                return Err(RankingError::with_hint(
                    format!("method `{method}` does not fit {kind} data"),
                    fitting_methods(),
                ));
            }
            methods.push(method);
        }
    }
    let mut seen = Vec::new();
    methods.retain(|method| {
        let new = !seen.contains(method);
        seen.push(*method);
        new
    });
    if methods.is_empty() {
        methods.push(
            round
                .and_then(|round| round.method)
                .unwrap_or_else(|| default_method(kind, criterion_count)),
        );
    }

    let weighting_name = match &request.weighting {
        Some(name) => name.parse::<Weighting>().map_err(|error| {
            RankingError::with_hint(
                error.to_string(),
                "weightings: pooled, equal-groups, jla-positions, custom",
            )
        })?,
        None => round
            .and_then(|round| round.weighting)
            .unwrap_or(Weighting::Pooled),
    };
    let custom = if weighting_name == Weighting::Custom {
        let mut weights = vec![None; responses.groups.len()];
        match &request.group_weights {
            Some(pairs) => {
                for (group, weight) in pairs {
                    let index = responses
                        .groups
                        .iter()
                        .position(|name| name == group)
                        .ok_or_else(|| {
                            RankingError::new(format!(
                                "group weights: `{group}` is not a group of the responses (groups: {})",
                                responses.groups.join(", ")
                            ))
                        })?;
                    weights[index] = Some(*weight);
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
            return Err(RankingError::with_hint(
                format!(
                    "custom weighting needs a weight for every group; missing: {}",
                    missing.join(", ")
                ),
                "give them as GROUP=WEIGHT pairs (--group-weights GROUP=WEIGHT,...)",
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
    let weighting = GroupWeighting::from_name(weighting_name, custom)
        .map_err(|error| RankingError::new(error.to_string()))?;

    let disclosure_threshold = request
        .disclosure_threshold
        .or(exercise.map(|exercise| u64::from(exercise.disclosure_threshold)))
        .unwrap_or(u64::from(DEFAULT_DISCLOSURE_THRESHOLD));
    let mut params = Params {
        prior_alpha: request.prior_alpha,
        ..Params::default()
    };
    // The exercise's Delphi thresholds classify its items, here as in the Delphi section.
    if let Some(exercise) = exercise {
        params.delphi = exercise.delphi.thresholds;
    }
    if let Some(round) = round
        && let RoundKind::Rate { criteria, .. } = &round.kind
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
                    notes.push(format!(
                        "{method} left out: {error}; a prior alpha of 0.1 would include it"
                    ));
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
        top_k: request.top_k,
        bootstrap: request.bootstrap.map(|resamples| (resamples, request.seed)),
        bootstrap_groups: true,
        disclosure_threshold,
    };
    let analysis = analyse(&ballots.profile, &options, progress).map_err(|error| {
        let needs_prior = matches!(
            &error,
            rank::analysis::AnalysisError::Rank(rank::RankError::Fit {
                problem: rank::plackett_luce::FitError::NotStronglyConnected { .. },
                ..
            })
        );
        if needs_prior {
            RankingError::with_hint(
                error.to_string(),
                "add a prior alpha of 0.1 (--prior-alpha 0.1) to fit a regularised model",
            )
            .in_data()
        } else {
            RankingError::new(error.to_string()).in_data()
        }
    })?;

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
        top_k: request.top_k,
        input: InputSummary {
            sha256: request.sha256.clone(),
            kind: responses.kind().as_str().to_string(),
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
            top_k: request.top_k,
            bootstrap: request.bootstrap,
            seed: request.bootstrap.map(|_| request.seed),
            disclosure_threshold,
            scale: ballots.scale_source.clone(),
            program: format!("prioritise {}", env!("CARGO_PKG_VERSION")),
        },
    };
    Ok(Ranked {
        document: crate::results::results_document(&analysis, &context),
        notes,
    })
}
