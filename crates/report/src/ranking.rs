//! From responses to the results document: the one pipeline that `prioritise rank` and the
//! service's results endpoint share, so that both give the same numbers for the same input.
//!
//! The request names methods and weightings as text (as a user types them); every problem
//! is a [`RankingError`], one variant per cause, with a message and, where one helps, a hint.
//! [`rank_responses`] is cut into named steps: check the request and build the profile
//! (`build_profile`, `choose_methods`, `choose_weighting`, `group_weighting`,
//! `disclosure_threshold`, `method_params`, `leave_out_unfittable`), run the methods with the
//! bootstrap ([`analyse`]), and label the results (`suppressed_groups` and
//! [`results_document`](crate::results::results_document)).
//!
//! Why here rather than in a crate of its own between `survey` and `report` (issue 13 allows
//! either): the pipeline's product is [`ResultsDocument`], which lives in `report` beside the
//! JSON, CSV and table writers and the method report that read it; a `ranking` crate would
//! have to take the document with it, or return `rank`'s `Analysis` and leave the labelling
//! here, splitting one pipeline over two crates. It depends only on `rank` and `survey`, so it
//! can move as one file when the document no longer needs to live in `report`.

use rank::analysis::{Analysis, AnalysisOptions, analyse, methods_for};
use rank::{DataKind, GroupWeighting, Method, Params, Profile, RankError, Weighting};
use survey::ballots::{Ballots, ScaleChoice, to_ballots};
use survey::definition::{DEFAULT_DISCLOSURE_THRESHOLD, Exercise, Round, RoundKind};
use survey::responses::Responses;

use crate::results::{Context, Excluded, InputSummary, ResultsDocument, Settings};

mod error;

pub use error::{FittingMethods, RankingError};

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
/// The steps: check the request against the data (methods, weighting, parameters, disclosure
/// threshold) and build the profile, then run every method with the bootstrap and label the
/// results.
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
    Plan::new(responses, exercise, round, request)?.run(progress)
}

/// A request checked against the data: the profile and everything the analysis needs, before
/// anything runs. [`rank_round`](crate::rank_round) keeps one to run again without a comparison
/// method that failed.
pub(crate) struct Plan<'a> {
    responses: &'a Responses,
    request: &'a RankingRequest,
    ballots: Ballots,
    /// The methods, in the order results are wanted, without repeats.
    pub(crate) methods: Vec<Method>,
    weighting_name: Weighting,
    weighting: GroupWeighting,
    params: Params,
    disclosure_threshold: u64,
    notes: Vec<String>,
}

impl<'a> Plan<'a> {
    /// Checks `request` against `responses` and builds the profile, in the order the problems
    /// are reported: the data first, then the methods, the weighting and the parameters.
    ///
    /// # Errors
    /// Every [`RankingError`] but those of running.
    pub(crate) fn new(
        responses: &'a Responses,
        exercise: Option<&Exercise>,
        round: Option<&Round>,
        request: &'a RankingRequest,
    ) -> Result<Self, RankingError> {
        let ballots = build_profile(responses, round, request)?;
        let kind = ballots.profile.kind();
        let criterion_count = responses.criteria.len().max(1);
        let (mut methods, asked_for_all) =
            choose_methods(&request.methods, round, kind, criterion_count)?;
        let weighting_name = choose_weighting(request, round)?;
        let weighting = group_weighting(weighting_name, responses, round, request)?;
        let disclosure_threshold = disclosure_threshold(request, exercise);
        let params = method_params(request, exercise, round);
        let notes = if asked_for_all {
            leave_out_unfittable(&mut methods, &weighting, &ballots.profile, &params)
        } else {
            Vec::new()
        };
        Ok(Plan {
            responses,
            request,
            ballots,
            methods,
            weighting_name,
            weighting,
            params,
            disclosure_threshold,
            notes,
        })
    }

    /// Runs every method overall and per disclosed group, with the bootstrap when asked for,
    /// and labels the results.
    ///
    /// # Errors
    /// [`RankingError::MethodFailed`] naming the method that failed,
    /// [`RankingError::Bootstrap`], or [`RankingError::Analysis`].
    pub(crate) fn run(&self, progress: Option<&(dyn Fn() + Sync)>) -> Result<Ranked, RankingError> {
        let request = self.request;
        let options = AnalysisOptions {
            methods: self.methods.clone(),
            weighting: self.weighting.clone(),
            params: self.params.clone(),
            top_k: request.top_k,
            bootstrap: request.bootstrap.map(|resamples| (resamples, request.seed)),
            bootstrap_groups: true,
            disclosure_threshold: self.disclosure_threshold,
        };
        let analysis = analyse(&self.ballots.profile, &options, progress)?;
        Ok(Ranked {
            document: self.label(&analysis),
            notes: self.notes.clone(),
        })
    }

    /// The results document: the analysis with the items' and groups' ids, the input and the
    /// settings.
    fn label(&self, analysis: &Analysis) -> ResultsDocument {
        let (responses, request) = (self.responses, self.request);
        let context = Context {
            items: &responses.items,
            groups: &responses.groups,
            weighting: self.weighting_name,
            top_k: request.top_k,
            input: InputSummary {
                sha256: request.sha256.clone(),
                kind: responses.kind().as_str().to_string(),
                respondents: analysis.group_sizes.iter().sum(),
                items: responses.items.len(),
                groups: responses.groups.clone(),
                excluded: self
                    .ballots
                    .excluded
                    .iter()
                    .map(|exclusion| Excluded {
                        respondent: exclusion.respondent.clone(),
                        reason: exclusion.reason.to_string(),
                    })
                    .collect(),
                suppressed_groups: suppressed_groups(analysis, &responses.groups),
            },
            settings: Settings {
                top_k: request.top_k,
                bootstrap: request.bootstrap,
                seed: request.bootstrap.map(|_| request.seed),
                disclosure_threshold: self.disclosure_threshold,
                scale: self.ballots.scale_source.clone(),
                program: format!("prioritise {}", env!("CARGO_PKG_VERSION")),
            },
        };
        crate::results::results_document(analysis, &context)
    }
}

/// The ballots of `responses`, on the scale the user states, else the round's, else the one
/// the ratings imply.
fn build_profile(
    responses: &Responses,
    round: Option<&Round>,
    request: &RankingRequest,
) -> Result<Ballots, RankingError> {
    let scale = match (request.scale, round) {
        (Some((min, max)), _) => ScaleChoice::Stated { min, max },
        (None, Some(round)) => match &round.kind {
            RoundKind::Rate { scale, .. } => ScaleChoice::FromRound(scale),
            _ => ScaleChoice::Infer,
        },
        (None, None) => ScaleChoice::Infer,
    };
    to_ballots(responses, scale).map_err(|error| RankingError::Ballots { error })
}

/// The methods named (`all` for every one that fits), without repeats; none named: the
/// round's method, else the default for the data. Also whether `all` was asked for.
fn choose_methods(
    names: &[String],
    round: Option<&Round>,
    kind: DataKind,
    criterion_count: usize,
) -> Result<(Vec<Method>, bool), RankingError> {
    let mut methods = Vec::new();
    let mut asked_for_all = false;
    for name in names {
        if name == "all" {
            asked_for_all = true;
            methods.extend(methods_for(kind, criterion_count));
        } else {
            let method: Method = name.parse().map_err(|error| RankingError::UnknownMethod {
                error,
                fitting: FittingMethods::of(kind, criterion_count),
            })?;
            if !method.fits_kind(kind) {
                return Err(RankingError::MethodDoesNotFit {
                    method,
                    fitting: FittingMethods::of(kind, criterion_count),
                });
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
    Ok((methods, asked_for_all))
}

/// The weighting named, else the round's, else pooled.
fn choose_weighting(
    request: &RankingRequest,
    round: Option<&Round>,
) -> Result<Weighting, RankingError> {
    match &request.weighting {
        Some(name) => name
            .parse::<Weighting>()
            .map_err(|error| RankingError::UnknownWeighting { error }),
        None => Ok(round
            .and_then(|round| round.weighting)
            .unwrap_or(Weighting::Pooled)),
    }
}

/// The weighting with its custom weights: those of the request, else the round's, one for
/// every group of the responses.
fn group_weighting(
    name: Weighting,
    responses: &Responses,
    round: Option<&Round>,
    request: &RankingRequest,
) -> Result<GroupWeighting, RankingError> {
    let custom = if name == Weighting::Custom {
        Some(custom_weights(responses, round, request)?)
    } else {
        None
    };
    GroupWeighting::from_name(name, custom).map_err(|error| RankingError::Weighting { error })
}

/// The custom weight of every group of the responses, in their order.
fn custom_weights(
    responses: &Responses,
    round: Option<&Round>,
    request: &RankingRequest,
) -> Result<Vec<f64>, RankingError> {
    let mut weights = vec![None; responses.groups.len()];
    match &request.group_weights {
        Some(pairs) => {
            for (group, weight) in pairs {
                let index = responses
                    .groups
                    .iter()
                    .position(|name| name == group)
                    .ok_or_else(|| RankingError::UnknownGroup {
                        group: group.clone(),
                        groups: responses.groups.clone(),
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
    let missing: Vec<String> = weights
        .iter()
        .zip(&responses.groups)
        .filter(|(weight, _)| weight.is_none())
        .map(|(_, group)| group.clone())
        .collect();
    if !missing.is_empty() {
        return Err(RankingError::MissingGroupWeights { missing });
    }
    Ok(weights
        .into_iter()
        .map(|weight| weight.unwrap_or(0.0))
        .collect())
}

/// The disclosure threshold asked for, else the exercise's, else the default.
fn disclosure_threshold(request: &RankingRequest, exercise: Option<&Exercise>) -> u64 {
    request
        .disclosure_threshold
        .or(exercise.map(|exercise| u64::from(exercise.disclosure_threshold)))
        .unwrap_or(u64::from(DEFAULT_DISCLOSURE_THRESHOLD))
}

/// The methods' parameters: the prior asked for, the exercise's Delphi thresholds and the
/// round's criterion weights.
fn method_params(
    request: &RankingRequest,
    exercise: Option<&Exercise>,
    round: Option<&Round>,
) -> Params {
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
    params
}

/// Leaves out of `all`, with a note, rather than failing the rest (`all` means every method
/// that fits): a model whose maximum-likelihood estimate does not exist for these data, and a
/// rating method that does not fit the round's scale (rand-ucla off the 1-9 scale), its
/// weighting (rand-ucla under `equal-groups` or `custom`) or its criteria. Rating methods are
/// cheap, so each is tried; of the others only the fitted models can fail this way.
fn leave_out_unfittable(
    methods: &mut Vec<Method>,
    weighting: &GroupWeighting,
    profile: &Profile,
    params: &Params,
) -> Vec<String> {
    let rating = profile.kind() == DataKind::Rating;
    let mut notes = Vec::new();
    methods.retain(|&method| {
        if !rating && !matches!(method, Method::PlackettLuce | Method::BradleyTerry) {
            return true;
        }
        match rank::run(method, weighting, profile, params) {
            Err(error @ RankError::Fit { .. }) => {
                notes.push(format!(
                    "{method} left out: {error}; a prior alpha of 0.1 would include it"
                ));
                false
            }
            Err(
                error @ (RankError::WrongScale { .. }
                | RankError::WeightingDoesNotFit { .. }
                | RankError::SeveralCriteria { .. }),
            ) => {
                notes.push(format!("{method} left out: {error}"));
                false
            }
            _ => true,
        }
    });
    notes
}

/// Groups with respondents that may not be shown on their own (under the disclosure
/// threshold).
fn suppressed_groups(analysis: &Analysis, groups: &[String]) -> Vec<String> {
    analysis
        .disclosed
        .iter()
        .zip(groups)
        .zip(&analysis.group_sizes)
        .filter(|((shown, _), size)| !**shown && **size > 0)
        .map(|((_, group), _)| group.clone())
        .collect()
}

#[cfg(test)]
mod tests;
