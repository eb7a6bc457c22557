//! The single entry point: run a named method under a group weighting on any profile.

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use crate::margin::GroupMargins;
use crate::outcome::{Details, Outcome};
use crate::plackett_luce::FitError;
use crate::positional::{PositionalRule, combine_groups, pick_tallies, ranking_tallies};
use crate::profile::{PairwiseProfile, Profile, RankingProfile, RatingProfile, sizes_from_counts};
use crate::rating::DelphiThresholds;
use crate::tolerance::{KEMENY_EXACT_DEFAULT_MAX, KEMENY_EXACT_HARD_MAX};
use crate::weighting::{GroupWeighting, jla_position_scores};
use crate::{DataKind, Method, Weighting};

/// Why a method could not be run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RankError {
    /// The method does not fit the kind of data (for example `mean` on rankings).
    #[error("method `{method}` does not fit {kind} data (it needs {needs})")]
    MethodDoesNotFit {
        /// The method asked for.
        method: Method,
        /// The kind of data given.
        kind: DataKind,
        /// The kinds the method fits, comma-separated.
        needs: String,
    },
    /// The profile has no ballots (or a resample drew none).
    #[error("there are no ballots to rank")]
    NoBallots,
    /// Custom weights given for a different number of groups.
    #[error("custom weighting gives {given} weights but there are {expected} groups")]
    CustomWeightCount {
        /// The number of groups.
        expected: usize,
        /// The number of weights.
        given: usize,
    },
    /// The method does not take this weighting.
    #[error("method `{method}` cannot use weighting `{weighting}` ({reason})")]
    WeightingDoesNotFit {
        /// The method.
        method: Method,
        /// The weighting.
        weighting: Weighting,
        /// Why not.
        reason: &'static str,
    },
    /// A parameter is out of range.
    #[error("parameter `{name}` {reason}")]
    BadParameter {
        /// The parameter.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The method needs ratings on a particular scale.
    #[error("method `{method}` needs ratings on the 1-9 scale, got {scale}")]
    WrongScale {
        /// The method.
        method: Method,
        /// The profile's scale.
        scale: crate::profile::RatingScale,
    },
    /// The method rates one criterion per item but the profile has several.
    #[error(
        "method `{method}` needs one rating per item, but there are {criteria} criteria (use chnri)"
    )]
    SeveralCriteria {
        /// The method.
        method: Method,
        /// The number of criteria.
        criteria: usize,
    },
    /// A Plackett–Luce or Bradley–Terry fit failed.
    #[error("{method}: {problem}")]
    Fit {
        /// The method.
        method: Method,
        /// Why.
        problem: FitError,
    },
}

/// Method parameters; [`Params::default`] gives the values METHODS.md states.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// `points`: the number k of ranked places (default: the longest ballot).
    pub points_k: Option<usize>,
    /// `kemeny`: solve exactly up to this many items (default 20, at most 26).
    pub kemeny_exact_max: usize,
    /// `plackett-luce`, `bradley-terry`: prior α (default none: refuse a disconnected graph).
    pub prior_alpha: Option<f64>,
    /// `top-box`: the lowest rating counted (default: the top third of the scale, 7 on 1–9).
    pub top_box_threshold: Option<i16>,
    /// `delphi` thresholds.
    pub delphi: DelphiThresholds,
    /// `chnri`: weights of the criteria in the Research Priority Score (default equal).
    pub chnri_criterion_weights: Option<Vec<f64>>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            points_k: None,
            kemeny_exact_max: KEMENY_EXACT_DEFAULT_MAX,
            prior_alpha: None,
            top_box_threshold: None,
            delphi: DelphiThresholds::default(),
            chnri_criterion_weights: None,
        }
    }
}

impl Params {
    /// Checks every parameter against the profile.
    ///
    /// # Errors
    /// [`RankError::BadParameter`] naming the parameter.
    pub fn check(&self, profile: &Profile) -> Result<(), RankError> {
        let bad = |name, reason: String| Err(RankError::BadParameter { name, reason });
        if self.points_k == Some(0) {
            return bad("points_k", "must be at least 1".into());
        }
        if self.kemeny_exact_max > KEMENY_EXACT_HARD_MAX {
            return bad(
                "kemeny_exact_max",
                format!(
                    "must be at most {KEMENY_EXACT_HARD_MAX}, got {}",
                    self.kemeny_exact_max
                ),
            );
        }
        if let Some(alpha) = self
            .prior_alpha
            .filter(|alpha| !(alpha.is_finite() && *alpha > 0.0))
        {
            return bad(
                "prior_alpha",
                format!("must be a finite positive number, got {alpha}"),
            );
        }
        let delphi = &self.delphi;
        if !(delphi.agreement > 0.0 && delphi.agreement <= 1.0) {
            return bad(
                "delphi.agreement",
                format!("must be in (0, 1], got {}", delphi.agreement),
            );
        }
        if !(delphi.dissent > 0.0 && delphi.dissent <= 1.0) {
            return bad(
                "delphi.dissent",
                format!("must be in (0, 1], got {}", delphi.dissent),
            );
        }
        if let Profile::Rating(ratings) = profile {
            if let Some(threshold) = self.top_box_threshold {
                let scale = ratings.scale();
                if threshold < scale.min() || threshold > scale.max() {
                    return bad(
                        "top_box_threshold",
                        format!("{threshold} is outside the scale {scale}"),
                    );
                }
            }
            if let Some(weights) = &self.chnri_criterion_weights {
                if weights.len() != ratings.criterion_count() {
                    return bad(
                        "chnri_criterion_weights",
                        format!(
                            "gives {} weights for {} criteria",
                            weights.len(),
                            ratings.criterion_count()
                        ),
                    );
                }
                if weights.iter().any(|w| !(w.is_finite() && *w >= 0.0))
                    || weights.iter().all(|w| *w == 0.0)
                {
                    return bad(
                        "chnri_criterion_weights",
                        "must be non-negative with at least one positive".into(),
                    );
                }
            }
        }
        Ok(())
    }
}

/// Runs `method` under `weighting` on `profile` (METHODS.md throughout).
///
/// Under `jla-positions` the method is run within each group with respondents, each item gets
/// position points within each group, and the points are summed; the details then hold each
/// group's ranks.
///
/// Complexity: that of the method; under `jla-positions`, once per group.
///
/// # Errors
/// A method that does not fit the data kind, an empty profile, bad parameters or weights, and
/// the method's own errors (for example ties for `plackett-luce`).
pub fn run(
    method: Method,
    weighting: &GroupWeighting,
    profile: &Profile,
    params: &Params,
) -> Result<Outcome, RankError> {
    run_with_counts(method, weighting, profile, profile.multiplicities(), params)
}

/// Runs `method` on the respondents of one group only, each weighing 1.
///
/// # Errors
/// As [`run`]; [`RankError::NoBallots`] for an empty group.
///
/// # Panics
/// If `group` is out of range.
pub fn run_group(
    method: Method,
    group: usize,
    profile: &Profile,
    params: &Params,
) -> Result<Outcome, RankError> {
    let counts: Vec<u32> = profile
        .groups()
        .iter()
        .zip(profile.multiplicities())
        .map(|(&record_group, &count)| {
            if record_group as usize == group {
                count
            } else {
                0
            }
        })
        .collect();
    run_with_counts(method, &GroupWeighting::Pooled, profile, &counts, params)
}

/// Runs several methods on the same profile, sharing work between them (the margin matrix of
/// ranking or pairwise ballots is tallied once for `copeland`, `schulze` and `kemeny`). Outcomes are in the order of `methods`.
///
/// # Errors
/// As [`run`], for the first method that fails.
pub fn run_many(
    methods: &[Method],
    weighting: &GroupWeighting,
    profile: &Profile,
    params: &Params,
) -> Result<Vec<Outcome>, RankError> {
    run_many_with_counts(
        methods,
        weighting,
        profile,
        profile.multiplicities(),
        params,
    )
}

/// Each method's outcome for each group alone, `None` for groups not asked for or without
/// ballots: `[method][group]`.
pub type GroupOutcomes = Vec<Vec<Option<Result<Outcome, RankError>>>>;

/// Runs several methods overall under `weighting`, and on each group in `include` alone (each
/// respondent weighing 1, as [`run_group`] does), tallying the pairwise margins once for all of
/// them: a group's margins are its part of the per-group tally. A group's failure (for example
/// a Plackett-Luce fit that does not exist for a small group) is returned in its place rather
/// than failing the rest.
///
/// # Errors
/// As [`run_many`], for the overall outcomes.
pub fn run_many_by_group(
    methods: &[Method],
    weighting: &GroupWeighting,
    profile: &Profile,
    params: &Params,
    include: &[bool],
) -> Result<(Vec<Outcome>, GroupOutcomes), RankError> {
    let prepared = Prepared {
        profile,
        counts: profile.multiplicities(),
        margins: OnceCell::new(),
        positional: RefCell::new(Vec::new()),
    };
    let overall = methods
        .iter()
        .map(|&method| prepared.run(method, weighting, params))
        .collect::<Result<Vec<_>, _>>()?;
    let sizes = profile.group_sizes();
    let groups = methods
        .iter()
        .map(|&method| {
            (0..profile.group_count())
                .map(|group| {
                    if !include.get(group).copied().unwrap_or(false) || sizes[group] == 0 {
                        return None;
                    }
                    let mut one_hot = vec![0.0; profile.group_count()];
                    one_hot[group] = 1.0;
                    Some(prepared.score(method, &one_hot, params))
                })
                .collect()
        })
        .collect();
    Ok((overall, groups))
}

/// [`run`] with each record's multiplicity replaced by `counts[record]` (bootstrap resamples).
pub(crate) fn run_with_counts(
    method: Method,
    weighting: &GroupWeighting,
    profile: &Profile,
    counts: &[u32],
    params: &Params,
) -> Result<Outcome, RankError> {
    let mut outcomes = run_many_with_counts(&[method], weighting, profile, counts, params)?;
    Ok(outcomes.remove(0))
}

/// [`run_many`] with each record's multiplicity replaced by `counts[record]`.
pub(crate) fn run_many_with_counts(
    methods: &[Method],
    weighting: &GroupWeighting,
    profile: &Profile,
    counts: &[u32],
    params: &Params,
) -> Result<Vec<Outcome>, RankError> {
    let prepared = Prepared {
        profile,
        counts,
        margins: OnceCell::new(),
        positional: RefCell::new(Vec::new()),
    };
    methods
        .iter()
        .map(|&method| prepared.run(method, weighting, params))
        .collect()
}

impl Prepared<'_> {
    fn run(
        &self,
        method: Method,
        weighting: &GroupWeighting,
        params: &Params,
    ) -> Result<Outcome, RankError> {
        let profile = self.profile;
        let counts = self.counts;
        let kind = profile.kind();
        if !method.fits_kind(kind) {
            return Err(RankError::MethodDoesNotFit {
                method,
                kind,
                needs: method
                    .fits()
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(" or "),
            });
        }
        params.check(profile)?;
        let custom_count = match weighting {
            GroupWeighting::Custom(weights) => weights.weights().len(),
            _ => profile.group_count(),
        };
        if custom_count != profile.group_count() {
            return Err(RankError::CustomWeightCount {
                expected: profile.group_count(),
                given: custom_count,
            });
        }
        if method == Method::RandUcla
            && matches!(
                weighting,
                GroupWeighting::EqualGroups | GroupWeighting::Custom(_)
            )
        {
            return Err(RankError::WeightingDoesNotFit {
                method,
                weighting: weighting.name(),
                reason: "RAND/UCLA panels count every rating once",
            });
        }
        let sizes = sizes_from_counts(profile.groups(), counts, profile.group_count());
        if sizes.iter().all(|&size| size == 0) {
            return Err(RankError::NoBallots);
        }
        match weighting.respondent_weights(&sizes) {
            Some(group_weights) => self.score(method, &group_weights, params),
            None => {
                let mut group_ranks = Vec::with_capacity(sizes.len());
                for (group, &size) in sizes.iter().enumerate() {
                    if size == 0 {
                        group_ranks.push(None);
                        continue;
                    }
                    let mut one_hot = vec![0.0; sizes.len()];
                    one_hot[group] = 1.0;
                    group_ranks.push(Some(self.score(method, &one_hot, params)?.ranks));
                }
                let scores = jla_position_scores(&group_ranks, profile.item_count());
                Ok(Outcome::from_scores(
                    scores,
                    Details::JlaPositions { group_ranks },
                ))
            }
        }
    }
}

/// A profile with per-record counts, and the tallies once computed: the pairwise margins, and
/// the positional tallies of each rule used (per group, so that every group weighting and every
/// group alone reuses them).
struct Prepared<'a> {
    profile: &'a Profile,
    counts: &'a [u32],
    margins: OnceCell<GroupMargins>,
    positional: RefCell<Vec<(PositionalRule, Rc<Vec<f64>>)>>,
}

impl Prepared<'_> {
    /// The per-group tallies of a positional rule, computed on first use.
    fn positional_tallies(&self, rankings: &RankingProfile, rule: PositionalRule) -> Rc<Vec<f64>> {
        if let Some((_, tallies)) = self
            .positional
            .borrow()
            .iter()
            .find(|(known, _)| *known == rule)
        {
            return Rc::clone(tallies);
        }
        let tallies = Rc::new(ranking_tallies(rankings, self.counts, rule));
        self.positional
            .borrow_mut()
            .push((rule, Rc::clone(&tallies)));
        tallies
    }

    /// The per-group margin counts of ranking or pairwise ballots, tallied on first use.
    fn margins(&self) -> &GroupMargins {
        self.margins.get_or_init(|| match self.profile {
            Profile::Ranking(rankings) => GroupMargins::tally(rankings, self.counts),
            Profile::Pairwise(pairs) => GroupMargins::tally_pairwise(pairs, self.counts),
            Profile::Rating(_) | Profile::Pick(_) => {
                unreachable!("no majority method fits rating or pick data")
            }
        })
    }

    /// Copeland, Schulze or Kemeny on the weighted margins; `heuristic_starts` gives Kemeny's
    /// extra starting orders when there are too many items to solve it exactly.
    fn score_majority(
        &self,
        method: Method,
        group_weights: &[f64],
        params: &Params,
        heuristic_starts: impl FnOnce(&crate::MarginMatrix) -> Vec<Vec<usize>>,
    ) -> Outcome {
        let margins = self.margins().combine(group_weights);
        match method {
            Method::Copeland => crate::copeland::copeland(&margins),
            Method::Schulze => crate::schulze::schulze(&margins),
            Method::Kemeny => {
                let starts = if margins.item_count() > params.kemeny_exact_max {
                    heuristic_starts(&margins)
                } else {
                    Vec::new()
                };
                crate::kemeny::kemeny(&margins, params.kemeny_exact_max, &starts)
            }
            _ => unreachable!("only copeland, schulze and kemeny use the margins"),
        }
    }

    fn record_weights(&self, group_weights: &[f64]) -> Vec<f64> {
        self.profile
            .groups()
            .iter()
            .zip(self.counts)
            .map(|(&group, &count)| f64::from(count) * group_weights[group as usize])
            .collect()
    }

    fn score(
        &self,
        method: Method,
        group_weights: &[f64],
        params: &Params,
    ) -> Result<Outcome, RankError> {
        match self.profile {
            Profile::Ranking(rankings) => {
                self.score_ranking(rankings, method, group_weights, params)
            }
            Profile::Pick(picks) => {
                let tallies = pick_tallies(picks, self.counts);
                Ok(Outcome::from_scores(
                    combine_groups(&tallies, group_weights, picks.item_count()),
                    Details::None,
                ))
            }
            Profile::Pairwise(pairs) => self.score_pairwise(pairs, method, group_weights, params),
            Profile::Rating(ratings) => self.score_rating(ratings, method, group_weights, params),
        }
    }

    /// Scores ranking data: a positional rule, a margin-based method or Plackett-Luce.
    fn score_ranking(
        &self,
        rankings: &RankingProfile,
        method: Method,
        group_weights: &[f64],
        params: &Params,
    ) -> Result<Outcome, RankError> {
        let positional = |rule| {
            let tallies = self.positional_tallies(rankings, rule);
            combine_groups(&tallies, group_weights, rankings.item_count())
        };
        let rule = match method {
            Method::Borda => Some(PositionalRule::Borda),
            Method::Points => Some(PositionalRule::Points {
                k: params.points_k.unwrap_or(rankings.longest_ballot()),
            }),
            Method::Dowdall => Some(PositionalRule::Dowdall),
            Method::Count => Some(PositionalRule::Count),
            _ => None,
        };
        if let Some(rule) = rule {
            return Ok(Outcome::from_scores(positional(rule), Details::None));
        }
        match method {
            Method::Copeland | Method::Schulze | Method::Kemeny => {
                Ok(
                    self.score_majority(method, group_weights, params, |margins| {
                        let borda =
                            Outcome::from_scores(positional(PositionalRule::Borda), Details::None);
                        vec![borda.order(), crate::schulze::schulze(margins).order()]
                    }),
                )
            }
            Method::PlackettLuce => crate::plackett_luce::plackett_luce(
                rankings,
                &self.record_weights(group_weights),
                params.prior_alpha,
            )
            .map_err(|problem| RankError::Fit { method, problem }),
            _ => unreachable!("every ranking method is handled above"),
        }
    }

    /// Scores pairwise data: a margin-based method (METHODS.md defines N\[a\]\[b\] for pairwise
    /// ballots), Bradley-Terry or the win rate.
    fn score_pairwise(
        &self,
        pairs: &PairwiseProfile,
        method: Method,
        group_weights: &[f64],
        params: &Params,
    ) -> Result<Outcome, RankError> {
        if matches!(method, Method::Copeland | Method::Schulze | Method::Kemeny) {
            // Beyond the exact limit Kemeny starts also from the win-rate order (the pairwise
            // counterpart of Borda's) and Schulze's.
            return Ok(
                self.score_majority(method, group_weights, params, |margins| {
                    let wins = crate::bradley_terry::win_matrix(
                        pairs,
                        &self.record_weights(group_weights),
                    );
                    vec![
                        crate::bradley_terry::win_rate(pairs.item_count(), &wins).order(),
                        crate::schulze::schulze(margins).order(),
                    ]
                }),
            );
        }
        let wins = crate::bradley_terry::win_matrix(pairs, &self.record_weights(group_weights));
        match method {
            Method::BradleyTerry => {
                crate::bradley_terry::bradley_terry(pairs.item_count(), &wins, params.prior_alpha)
                    .map_err(|problem| RankError::Fit { method, problem })
            }
            _ => Ok(crate::bradley_terry::win_rate(pairs.item_count(), &wins)),
        }
    }

    /// Scores rating data; only CHNRI takes several criteria.
    fn score_rating(
        &self,
        ratings: &RatingProfile,
        method: Method,
        group_weights: &[f64],
        params: &Params,
    ) -> Result<Outcome, RankError> {
        if method != Method::Chnri && ratings.criterion_count() > 1 {
            return Err(RankError::SeveralCriteria {
                method,
                criteria: ratings.criterion_count(),
            });
        }
        let weights = self.record_weights(group_weights);
        Ok(match method {
            Method::Mean => crate::rating::mean(ratings, &weights),
            Method::Median => crate::rating::median(ratings, &weights),
            Method::TopBox => {
                let threshold = params
                    .top_box_threshold
                    .unwrap_or(ratings.scale().top_band().0);
                crate::rating::top_box(ratings, &weights, threshold)
            }
            Method::Delphi => crate::rating::delphi(ratings, &weights, &params.delphi),
            Method::RandUcla => self.score_rand_ucla(ratings, group_weights)?,
            Method::Chnri => {
                crate::rating::chnri(ratings, &weights, params.chnri_criterion_weights.as_deref())
            }
            _ => unreachable!("every rating method is handled above"),
        })
    }

    /// RAND/UCLA on the 1-9 scale, counting each rating of a group with weight once.
    fn score_rand_ucla(
        &self,
        ratings: &RatingProfile,
        group_weights: &[f64],
    ) -> Result<Outcome, RankError> {
        if ratings.scale() != crate::profile::RatingScale::one_to_nine() {
            return Err(RankError::WrongScale {
                method: Method::RandUcla,
                scale: ratings.scale(),
            });
        }
        let counts: Vec<u32> = self
            .counts
            .iter()
            .zip(self.profile.groups())
            .map(|(&count, &group)| {
                if group_weights[group as usize] > 0.0 {
                    count
                } else {
                    0
                }
            })
            .collect();
        Ok(crate::rating::rand_ucla(ratings, &counts))
    }
}

#[cfg(test)]
mod tests;
