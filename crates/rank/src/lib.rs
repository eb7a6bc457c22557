//! `rank`: every aggregation method, group weighting, agreement statistic and uncertainty
//! estimate of `prioritise`, as defined in `../shared/METHODS.md`.
//!
//! This crate is the leaf of the workspace: it knows only items, groups and ballots. It does no
//! I/O, reads no files and knows nothing of HTTP, SQL or survey formats.
//!
//! Items are numbered `0..m` and groups `0..g`. Build a profile ([`RankingProfileBuilder`],
//! [`RatingProfile`], [`PickProfile`], [`PairwiseProfile`]), then call [`run`] with a
//! [`Method`], a [`GroupWeighting`] and [`Params`]; every method returns an [`Outcome`]: a score
//! and a standard competition rank per item, plus the method's own [`Details`]. Lower-level
//! functions (for example [`schulze::schulze`] on a [`MarginMatrix`]) are public too.
//!
//! # Choices where METHODS.md leaves room
//!
//! - Scores are "higher is better" for every method: Kemeny scores m − 1 − position, Schulze
//!   the number of items an item is above, Plackett–Luce and Bradley–Terry the centred
//!   log-strength, Delphi the share rating in the top band, RAND/UCLA the median.
//! - Ties between scores are decided with the tolerances of [`tolerance`], never by `==`.
//! - `points` takes k from [`Params::points_k`], by default the longest ballot's length.
//! - `custom` weights are per-respondent multipliers (a group's total grows with its size);
//!   `equal-groups` gives 1 / n_g per respondent; `jla-positions` re-runs the method within
//!   each non-empty group and sums position points.
//! - Plackett–Luce refuses ballots with tied items rather than splitting them; its prior adds
//!   α wins and α losses per item against a virtual item of strength 1.
//! - RAND/UCLA: percentiles by linear interpolation (Hyndman–Fan type 7, Excel `PERCENTILE`);
//!   median ≥ 7 appropriate, ≤ 3.5 inappropriate, otherwise uncertain; it refuses
//!   `equal-groups` and `custom` weights (panel members count once each).
//! - Items nobody rated score NaN and rank last; empty ballots are refused when built.
//! - Bootstrap intervals use nearest-rank percentiles, so rank intervals are whole ranks.
//! - Copeland, Schulze and Kemeny on pairwise ballots use N\[a\]\[b\] = the weight of the
//!   choices of a over b (a pair chosen twice counts twice); their tie tolerance scales with
//!   the weighted number of choices, and Kemeny beyond the exact limit starts also from the
//!   win-rate order (the pairwise counterpart of Borda's).
#![deny(missing_docs)]

pub mod agreement;
pub mod analysis;
pub mod attrition;
pub mod bootstrap;
pub mod bradley_terry;
pub mod compare;
pub mod copeland;
pub mod disclosure;
pub mod kemeny;
pub mod margin;
mod method;
pub mod order_effect;
pub mod outcome;
pub mod plackett_luce;
pub mod positional;
pub mod profile;
pub mod rating;
mod run;
pub mod schulze;
pub mod stability;
pub mod tally;
pub mod tolerance;
pub mod weighting;

#[cfg(test)]
mod test_support;

pub use margin::MarginMatrix;
pub use method::{DataKind, Method, UnknownName, Weighting};
pub use outcome::{Details, Outcome};
pub use profile::{
    ChnriAnswer, PairwiseProfile, PickProfile, Profile, ProfileError, RankingProfile,
    RankingProfileBuilder, RatingProfile, RatingScale,
};
pub use run::{GroupOutcomes, Params, RankError, run, run_group, run_many, run_many_by_group};
pub use tally::{ItemCounts, RatingTally, ScaleBands};
pub use weighting::{
    CustomWeights, GroupWeighting, ShortlistEntry, ShortlistReason, ShortlistRule,
    ShortlistRuleName, UnknownShortlistRule, WeightingError,
};
