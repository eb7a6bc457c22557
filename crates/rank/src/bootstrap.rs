//! Stratified bootstrap of ranks (METHODS.md, "Uncertainty").
//!
//! Each of B resamples draws, within every group, as many respondents as the group has, with
//! replacement (a record standing for several respondents can be drawn several times, each
//! draw picking one respondent uniformly). Every method is re-run on every resample; per item
//! the 2.5% and 97.5% percentiles of its rank and score and the share of resamples in which it
//! is in the top k (`p_top`) are reported.
//!
//! Resample b draws from ChaCha8 seeded with the seed, stream b, so its draws do not depend on
//! which thread runs it, and results are collected in resample order: the same seed gives the
//! same numbers on any machine and with any number of threads.
//!
//! Percentiles are nearest-rank: the p-th percentile of B sorted values is the value at 1-based
//! position ⌈p · B⌉ (the 25th and 975th of 1000), so rank intervals are whole ranks.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::profile::Profile;
use crate::run::{Params, RankError, run_many_with_counts};
use crate::weighting::GroupWeighting;
use crate::{Method, Outcome};

/// Bootstrap settings.
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapParams {
    /// The number of resamples B (METHODS.md default 1000).
    pub resamples: usize,
    /// The seed.
    pub seed: u64,
    /// k for `p_top`.
    pub top_k: usize,
    /// Also rank each group alone in every resample.
    pub by_group: bool,
}

impl Default for BootstrapParams {
    fn default() -> Self {
        BootstrapParams {
            resamples: 1000,
            seed: 0,
            top_k: 10,
            by_group: false,
        }
    }
}

/// The uncertainty of one item's position.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemUncertainty {
    /// 2.5% and 97.5% percentiles of the item's rank.
    pub rank_interval: (usize, usize),
    /// 2.5% and 97.5% percentiles of the item's score.
    pub score_interval: (f64, f64),
    /// Share of resamples in which the item's rank is at most k.
    pub p_top: f64,
}

/// The bootstrap summary of one method.
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapSummary {
    /// The method.
    pub method: Method,
    /// Per item, over the weighted whole.
    pub items: Vec<ItemUncertainty>,
    /// Per group (each group alone, respondents weighing 1), when asked for; `None` for empty
    /// groups.
    pub groups: Vec<Option<Vec<ItemUncertainty>>>,
}

/// Why a bootstrap failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BootstrapError {
    /// B must be at least 1.
    #[error("the number of resamples must be at least 1")]
    NoResamples,
    /// A method failed on a resample.
    #[error("resample {resample}: {problem}")]
    Resample {
        /// The 0-based resample.
        resample: usize,
        /// Why.
        problem: RankError,
    },
}

/// Nearest-rank percentile position (0-based) of fraction `p` among `count` sorted values.
fn nearest_rank(count: usize, p: f64) -> usize {
    ((p * count as f64).ceil() as usize).clamp(1, count) - 1
}

/// The records of each group and their cumulative respondent counts.
struct Stratum {
    records: Vec<usize>,
    cumulative: Vec<u64>,
}

fn strata(profile: &Profile) -> Vec<Stratum> {
    let mut strata: Vec<Stratum> = (0..profile.group_count())
        .map(|_| Stratum {
            records: Vec::new(),
            cumulative: Vec::new(),
        })
        .collect();
    for (record, (&group, &count)) in profile
        .groups()
        .iter()
        .zip(profile.multiplicities())
        .enumerate()
    {
        let stratum = &mut strata[group as usize];
        let previous = stratum.cumulative.last().copied().unwrap_or(0);
        stratum.records.push(record);
        stratum.cumulative.push(previous + u64::from(count));
    }
    strata
}

/// Draws resample `resample`'s per-record counts.
fn resample_counts(
    strata: &[Stratum],
    record_count: usize,
    seed: u64,
    resample: usize,
) -> Vec<u32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(resample as u64);
    let mut counts = vec![0u32; record_count];
    for stratum in strata {
        let total = stratum.cumulative.last().copied().unwrap_or(0);
        let unit = total == stratum.records.len() as u64;
        for _ in 0..total {
            let draw = rng.random_range(0..total);
            let position = if unit {
                draw as usize
            } else {
                stratum.cumulative.partition_point(|&end| end <= draw)
            };
            counts[stratum.records[position]] += 1;
        }
    }
    counts
}

/// Summarises per-resample outcomes of one ranking (overall or one group).
fn summarise(outcomes: &[&Outcome], top_k: usize) -> Vec<ItemUncertainty> {
    let count = outcomes.len();
    let item_count = outcomes.first().map_or(0, |outcome| outcome.item_count());
    let lower = nearest_rank(count, 0.025);
    let upper = nearest_rank(count, 0.975);
    (0..item_count)
        .map(|item| {
            let mut ranks: Vec<usize> = outcomes.iter().map(|o| o.ranks[item]).collect();
            let mut scores: Vec<f64> = outcomes.iter().map(|o| o.scores[item]).collect();
            ranks.sort_unstable();
            scores.sort_by(f64::total_cmp);
            ItemUncertainty {
                rank_interval: (ranks[lower], ranks[upper]),
                score_interval: (scores[lower], scores[upper]),
                p_top: ranks.iter().filter(|&&rank| rank <= top_k).count() as f64 / count as f64,
            }
        })
        .collect()
}

/// One resample's outcomes: per method overall, and per group (when asked) per method.
type ResampleOutcomes = (Vec<Outcome>, Vec<Option<Vec<Outcome>>>);

/// Stratified bootstrap of `methods` under `weighting` (the same resamples for every method).
/// `progress`, if given, is called once per finished resample (from any thread).
///
/// Complexity: B times the cost of the methods (plus g times that with `by_group`), spread over
/// the rayon thread pool.
///
/// # Errors
/// [`BootstrapError::NoResamples`], or the first resample (in resample order) on which a method
/// fails.
pub fn bootstrap(
    methods: &[Method],
    weighting: &GroupWeighting,
    profile: &Profile,
    params: &Params,
    settings: &BootstrapParams,
    progress: Option<&(dyn Fn() + Sync)>,
) -> Result<Vec<BootstrapSummary>, BootstrapError> {
    if settings.resamples == 0 {
        return Err(BootstrapError::NoResamples);
    }
    let sizes = profile.group_sizes();
    let strata = strata(profile);
    let record_count = profile.multiplicities().len();
    let per_resample: Vec<Result<ResampleOutcomes, BootstrapError>> = (0..settings.resamples)
        .into_par_iter()
        .map(|resample| {
            let counts = resample_counts(&strata, record_count, settings.seed, resample);
            let fail = |problem| BootstrapError::Resample { resample, problem };
            let overall =
                run_many_with_counts(methods, weighting, profile, &counts, params).map_err(fail)?;
            let mut groups = Vec::new();
            if settings.by_group {
                for (group, &size) in sizes.iter().enumerate() {
                    if size == 0 {
                        groups.push(None);
                        continue;
                    }
                    let group_counts: Vec<u32> = counts
                        .iter()
                        .zip(profile.groups())
                        .map(|(&count, &record_group)| {
                            if record_group as usize == group {
                                count
                            } else {
                                0
                            }
                        })
                        .collect();
                    groups.push(Some(
                        run_many_with_counts(
                            methods,
                            &GroupWeighting::Pooled,
                            profile,
                            &group_counts,
                            params,
                        )
                        .map_err(fail)?,
                    ));
                }
            }
            if let Some(progress) = progress {
                progress();
            }
            Ok((overall, groups))
        })
        .collect();
    let mut resamples = Vec::with_capacity(per_resample.len());
    for result in per_resample {
        resamples.push(result?);
    }
    Ok(methods
        .iter()
        .enumerate()
        .map(|(index, &method)| {
            let overall: Vec<&Outcome> = resamples
                .iter()
                .map(|(overall, _)| &overall[index])
                .collect();
            let groups = if settings.by_group {
                (0..sizes.len())
                    .map(|group| {
                        let outcomes: Option<Vec<&Outcome>> = resamples
                            .iter()
                            .map(|(_, groups)| {
                                groups[group].as_ref().map(|outcomes| &outcomes[index])
                            })
                            .collect();
                        outcomes.map(|outcomes| summarise(&outcomes, settings.top_k))
                    })
                    .collect()
            } else {
                Vec::new()
            };
            BootstrapSummary {
                method,
                items: summarise(&overall, settings.top_k),
                groups,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests;
