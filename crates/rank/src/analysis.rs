//! One call that runs everything `prioritise rank` reports: each method overall and per group,
//! bootstrap uncertainty, agreement, divergence between groups and the comparison of methods.
//!
//! This is orchestration only; each statistic is defined where it is computed.

use crate::agreement::{
    AgreementError, ItemDivergence, KendallW, TopOverlap, divergence, group_informed_consensus,
    kendall_tau_b, kendall_w_rankings_by_group, kendall_w_ratings, spearman_rho, top_k_overlap,
};
use crate::bootstrap::{BootstrapError, BootstrapParams, BootstrapSummary, bootstrap};
use crate::compare::{Comparison, compare};
use crate::profile::{Profile, ProfileError, RatingProfile};
use crate::run::{Params, RankError, run_many_by_group};
use crate::weighting::{GroupWeighting, disclosed_groups};
use crate::{DataKind, Method, Outcome};

/// How many places from the overall rank a group must put an item to count as far from it in
/// [`MethodResult::divergence`].
pub const FAR_RANK_DISTANCE: usize = 5;

/// What to compute.
#[derive(Debug, Clone)]
pub struct AnalysisOptions {
    /// The methods, in the order results are wanted.
    pub methods: Vec<Method>,
    /// The group weighting of the overall results.
    pub weighting: GroupWeighting,
    /// Method parameters.
    pub params: Params,
    /// k of the top-k list: `p_top`, overlaps and method-dependent items.
    pub top_k: usize,
    /// Bootstrap resamples and seed, if uncertainty is wanted.
    pub bootstrap: Option<(usize, u64)>,
    /// Whether the bootstrap also ranks each disclosed group alone in every resample.
    pub bootstrap_groups: bool,
    /// Groups with fewer respondents are not ranked on their own.
    pub disclosure_threshold: u64,
}

/// The results of one method.
#[derive(Debug, Clone)]
pub struct MethodResult {
    /// The method.
    pub method: Method,
    /// The overall outcome under the chosen weighting.
    pub overall: Outcome,
    /// Each group's own outcome, `None` for groups under the disclosure threshold, without
    /// ballots, or whose own data the method cannot rank (see `group_failures`).
    pub groups: Vec<Option<Outcome>>,
    /// Disclosed groups whose own data the method could not rank, and why (for example a
    /// Plackett-Luce fit whose maximum-likelihood estimate does not exist for a small group).
    pub group_failures: Vec<(usize, RankError)>,
    /// Bootstrap uncertainty, when asked for.
    pub uncertainty: Option<BootstrapSummary>,
    /// Per item: how far the disclosed groups' ranks spread, and which groups rank it at least
    /// [`FAR_RANK_DISTANCE`] places from the overall rank. Empty with fewer than two disclosed
    /// groups.
    pub divergence: Vec<Option<ItemDivergence>>,
    /// Agreement between every pair of disclosed groups' rankings.
    pub group_pairs: Vec<GroupPair>,
}

/// Agreement between two groups' rankings under one method.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupPair {
    /// The first group.
    pub first: usize,
    /// The second group.
    pub second: usize,
    /// Spearman's ρ of the two groups' scores (`None` when undefined).
    pub spearman_rho: Option<f64>,
    /// Kendall's τ-b of the two groups' scores (`None` when undefined).
    pub kendall_tau_b: Option<f64>,
    /// Overlap of the two groups' top k.
    pub top_overlap: TopOverlap,
}

/// Kendall's W overall and within each disclosed group.
#[derive(Debug, Clone)]
pub struct Agreement {
    /// Over all respondents; the error says why W is undefined.
    pub overall: Result<KendallW, AgreementError>,
    /// Within each group; `None` for groups not disclosed.
    pub groups: Vec<Option<Result<KendallW, AgreementError>>>,
}

/// Everything `prioritise rank` reports.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Respondents (ballots, counting multiplicities) per group.
    pub group_sizes: Vec<u64>,
    /// Which groups may be shown on their own.
    pub disclosed: Vec<bool>,
    /// One result per method, in the order asked.
    pub results: Vec<MethodResult>,
    /// Kendall's W, for ranking and single-criterion rating data.
    pub agreement: Option<Agreement>,
    /// The comparison of methods, when there are several.
    pub comparison: Option<Comparison>,
    /// Group-informed consensus of each item (single-criterion rating data only): the product
    /// over groups of (agree + 1) / (answers + 2), agreeing meaning a rating in the top third of
    /// the scale, with the threshold used.
    pub consensus: Option<(i16, Vec<f64>)>,
}

/// Why an analysis failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalysisError {
    /// No method was asked for.
    #[error("no method was given")]
    NoMethods,
    /// k must be at least 1.
    #[error("the top-k list must hold at least 1 item")]
    NoTopK,
    /// A method failed.
    #[error(transparent)]
    Rank(#[from] RankError),
    /// The bootstrap failed.
    #[error("bootstrap: {0}")]
    Bootstrap(BootstrapError),
}

// Written out rather than derived so that the bootstrap error is part of the message only, not
// also a `source` that an error chain would print a second time.
impl From<BootstrapError> for AnalysisError {
    fn from(error: BootstrapError) -> Self {
        AnalysisError::Bootstrap(error)
    }
}

/// Runs every method overall and per disclosed group, with optional bootstrap, agreement and
/// comparison. `progress` is called once per finished bootstrap resample.
///
/// Complexity: the sum of the methods' costs, times (1 + groups), plus B times that with the
/// bootstrap.
///
/// # Errors
/// [`AnalysisError`]: no method, k of 0, or a method that does not fit the data or fails.
pub fn analyse(
    profile: &Profile,
    options: &AnalysisOptions,
    progress: Option<&(dyn Fn() + Sync)>,
) -> Result<Analysis, AnalysisError> {
    check_options(options)?;
    // "Within every group" checks groups as the disclosure rule shows them.
    let mut options = options.clone();
    options.params.delphi.pool_groups_below = options.disclosure_threshold;
    let options = &options;
    let group_sizes = profile.group_sizes();
    let disclosed = disclosed_groups(&group_sizes, options.disclosure_threshold);
    // Kendall's W is one more pass over the ballots, independent of the methods: it runs on
    // the other core meanwhile.
    let (ranked, agreement) = rayon::join(
        || {
            run_many_by_group(
                &options.methods,
                &options.weighting,
                profile,
                &options.params,
                &disclosed,
            )
        },
        || agreement(profile, &disclosed),
    );
    let (overall, mut group_outcomes) = ranked?;
    let uncertainty = run_bootstrap(profile, options, progress)?;
    let mut results = Vec::with_capacity(options.methods.len());
    for (index, (&method, overall)) in options.methods.iter().zip(overall).enumerate() {
        let uncertainty = uncertainty
            .as_ref()
            .map(|summaries| summaries[index].clone());
        results.push(method_result(
            method,
            overall,
            std::mem::take(&mut group_outcomes[index]),
            uncertainty,
            &disclosed,
            options.top_k,
        ));
    }
    let comparison = (results.len() > 1).then(|| {
        let outcomes: Vec<&Outcome> = results.iter().map(|result| &result.overall).collect();
        compare(&outcomes, options.top_k)
    });
    let consensus = consensus(profile, &options.params, &disclosed);
    Ok(Analysis {
        group_sizes,
        disclosed,
        results,
        agreement,
        comparison,
        consensus,
    })
}

/// Rejects options that ask for no method or an empty top-k list.
fn check_options(options: &AnalysisOptions) -> Result<(), AnalysisError> {
    if options.methods.is_empty() {
        return Err(AnalysisError::NoMethods);
    }
    if options.top_k == 0 {
        return Err(AnalysisError::NoTopK);
    }
    Ok(())
}

/// Kendall's W overall and per disclosed group, for ranking and single-criterion rating data.
fn agreement(profile: &Profile, disclosed: &[bool]) -> Option<Agreement> {
    match profile {
        Profile::Ranking(rankings) => {
            let (overall, groups) = kendall_w_rankings_by_group(rankings);
            Some(Agreement {
                overall,
                groups: groups
                    .into_iter()
                    .zip(disclosed)
                    .map(|(result, &shown)| shown.then_some(result))
                    .collect(),
            })
        }
        Profile::Rating(ratings) if ratings.criterion_count() == 1 => Some(Agreement {
            overall: kendall_w_ratings(ratings, None),
            groups: disclosed
                .iter()
                .enumerate()
                .map(|(group, &shown)| shown.then(|| kendall_w_ratings(ratings, Some(group))))
                .collect(),
        }),
        _ => None,
    }
}

/// Runs the bootstrap of every method when the options ask for it.
fn run_bootstrap(
    profile: &Profile,
    options: &AnalysisOptions,
    progress: Option<&(dyn Fn() + Sync)>,
) -> Result<Option<Vec<BootstrapSummary>>, AnalysisError> {
    let uncertainty = match options.bootstrap {
        Some((resamples, seed)) => Some(bootstrap(
            &options.methods,
            &options.weighting,
            profile,
            &options.params,
            &BootstrapParams {
                resamples,
                seed,
                top_k: options.top_k,
                by_group: options.bootstrap_groups,
            },
            progress,
        )?),
        None => None,
    };
    Ok(uncertainty)
}

/// Assembles one method's result: its group outcomes, uncertainty, divergence and group pairs.
fn method_result(
    method: Method,
    overall: Outcome,
    group_outcomes: Vec<Option<Result<Outcome, RankError>>>,
    uncertainty: Option<BootstrapSummary>,
    disclosed: &[bool],
    top_k: usize,
) -> MethodResult {
    let (groups, group_failures) = split_group_outcomes(group_outcomes);
    let uncertainty = uncertainty.map(|summary| hide_undisclosed_groups(summary, disclosed));
    let divergence = group_divergence(&overall, &groups);
    let group_pairs = group_pairs(&groups, top_k);
    MethodResult {
        method,
        overall,
        groups,
        group_failures,
        uncertainty,
        divergence,
        group_pairs,
    }
}

/// Splits each group's outcome into the outcomes shown and the failures with their group.
fn split_group_outcomes(
    group_outcomes: Vec<Option<Result<Outcome, RankError>>>,
) -> (Vec<Option<Outcome>>, Vec<(usize, RankError)>) {
    let mut groups = Vec::with_capacity(group_outcomes.len());
    let mut group_failures = Vec::new();
    for (group, outcome) in group_outcomes.into_iter().enumerate() {
        groups.push(match outcome {
            Some(Ok(outcome)) => Some(outcome),
            Some(Err(error)) => {
                group_failures.push((group, error));
                None
            }
            None => None,
        });
    }
    (groups, group_failures)
}

/// Drops the per-group intervals of groups that may not be shown.
fn hide_undisclosed_groups(mut summary: BootstrapSummary, disclosed: &[bool]) -> BootstrapSummary {
    // Per-group intervals of groups that may not be shown are dropped here, so that no caller
    // can show them by mistake.
    for (group, shown) in disclosed.iter().enumerate() {
        if !shown && let Some(slot) = summary.groups.get_mut(group) {
            *slot = None;
        }
    }
    summary
}

/// Per item, how far the shown groups' ranks spread; empty with fewer than two shown groups.
fn group_divergence(overall: &Outcome, groups: &[Option<Outcome>]) -> Vec<Option<ItemDivergence>> {
    let group_ranks: Vec<Option<Vec<usize>>> = groups
        .iter()
        .map(|outcome| outcome.as_ref().map(|outcome| outcome.ranks.clone()))
        .collect();
    let shown_groups = group_ranks.iter().flatten().count();
    if shown_groups >= 2 {
        divergence(&overall.ranks, &group_ranks, FAR_RANK_DISTANCE)
    } else {
        Vec::new()
    }
}

/// Agreement between every pair of shown groups' rankings, in order of the first then second.
fn group_pairs(groups: &[Option<Outcome>], top_k: usize) -> Vec<GroupPair> {
    let mut group_pairs = Vec::new();
    for first in 0..groups.len() {
        for second in first + 1..groups.len() {
            if let (Some(a), Some(b)) = (&groups[first], &groups[second]) {
                group_pairs.push(GroupPair {
                    first,
                    second,
                    spearman_rho: spearman_rho(&a.scores, &b.scores),
                    kendall_tau_b: kendall_tau_b(&a.scores, &b.scores),
                    top_overlap: top_k_overlap(a, b, top_k),
                });
            }
        }
    }
    group_pairs
}

/// Group-informed consensus of each item with its threshold, for single-criterion ratings,
/// with the groups not `disclosed` counted as one group (the pool of "other groups").
///
/// The consensus is a product of one factor per group, and a shown group's factor follows from
/// its own figures (a top-box share and its size): divided out of the product, the shown
/// groups' factors would leave the product of the hidden groups' factors, which for one small
/// group is its own agreement. Over the pool as one group, what is left is the pool's factor:
/// a figure of at least the threshold of people.
fn consensus(profile: &Profile, params: &Params, disclosed: &[bool]) -> Option<(i16, Vec<f64>)> {
    match profile {
        Profile::Rating(ratings) if ratings.criterion_count() == 1 => {
            let agree_from = params
                .top_box_threshold
                .unwrap_or(ratings.scale().top_band().0);
            let values = match pooled_as_one_group(ratings, disclosed) {
                Ok(Some(pooled)) => group_informed_consensus(&pooled, agree_from),
                Ok(None) => group_informed_consensus(ratings, agree_from),
                // Ratings that made one profile make the other; never fall back to the
                // groups apart.
                Err(_) => return None,
            };
            Some((agree_from, values))
        }
        _ => None,
    }
}

/// The same ratings with every group that has respondents but is not `disclosed` moved into
/// one extra group; `None` when no such group exists.
fn pooled_as_one_group(
    ratings: &RatingProfile,
    disclosed: &[bool],
) -> Result<Option<RatingProfile>, ProfileError> {
    let sizes = ratings.group_sizes();
    let hidden = |group: usize| sizes[group] > 0 && !disclosed.get(group).copied().unwrap_or(false);
    let group_count = ratings.group_count();
    if !(0..group_count).any(hidden) {
        return Ok(None);
    }
    let item_count = ratings.item_count();
    let mut pooled = RatingProfile::new(item_count, group_count + 1, ratings.scale())?;
    let mut answers = vec![None; item_count];
    for ballot in 0..ratings.ballot_count() {
        let group = ratings.groups()[ballot] as usize;
        for (item, answer) in answers.iter_mut().enumerate() {
            *answer = ratings.rating(ballot, item, 0);
        }
        let into = if hidden(group) { group_count } else { group };
        pooled.push(into, ratings.multiplicities()[ballot], &answers)?;
    }
    Ok(Some(pooled))
}

/// Every method that fits data of `kind`, in METHODS.md's order; for rating data, `chnri`
/// only when there are several criteria and the single-criterion methods otherwise.
pub fn methods_for(kind: DataKind, criterion_count: usize) -> Vec<Method> {
    Method::ALL
        .iter()
        .copied()
        .filter(|method| method.fits_kind(kind))
        .filter(|method| match kind {
            DataKind::Rating if criterion_count > 1 => *method == Method::Chnri,
            DataKind::Rating => *method != Method::Chnri,
            _ => true,
        })
        .collect()
}

#[cfg(test)]
mod tests;
