//! Every numerical tolerance and iteration limit of the crate, in one place.
//!
//! Scores and margins are sums of floating-point weights, so two quantities that are equal in
//! exact arithmetic can differ in their last bits when the weights are fractions (for example
//! `equal-groups`, where each respondent weighs 1 / n_g). Comparisons that decide a tie therefore
//! go through the helpers here rather than through `==`.

/// Two scores are tied when they differ by at most this much relative to the larger magnitude
/// (or to 1, whichever is larger). Used when turning scores into competition ranks.
///
/// Per-group tallies are exact (integer counts times integer or half-integer points) and are
/// weighted once per group, so rounding is a few ulps, far below this; and it is small enough
/// that half a Borda point still separates two items with a billion respondents.
pub const SCORE_TIE_RELATIVE: f64 = 1e-12;

/// Two pairwise margins N\[a\]\[b\] and N\[b\]\[a\] are tied when they differ by at most this much
/// relative to the total ballot weight (or to 1, whichever is larger): one vote in a billion
/// still counts.
pub const MARGIN_TIE_RELATIVE: f64 = 1e-12;

/// Plackett-Luce and Bradley-Terry iterations stop when the largest relative change of any
/// strength between two iterations falls below this (METHODS.md: "relative change below 1e-10").
pub const FIT_RELATIVE_CHANGE: f64 = 1e-10;

/// The most MM iterations a Plackett-Luce or Bradley-Terry fit may take before it is reported as
/// not converged.
pub const FIT_MAX_ITERATIONS: usize = 100_000;

/// The largest number of items for which Kemeny is solved exactly by default. The dynamic
/// programme over subsets takes O(2^m · m) time and 2^m · 9 bytes of memory.
pub const KEMENY_EXACT_DEFAULT_MAX: usize = 20;

/// The hard ceiling on the exact Kemeny limit a caller may ask for (2^26 subsets, about 600 MB).
pub const KEMENY_EXACT_HARD_MAX: usize = 26;

/// Whether two scores count as tied (see [`SCORE_TIE_RELATIVE`]).
pub fn scores_tied(first: f64, second: f64) -> bool {
    let scale = first.abs().max(second.abs()).max(1.0);
    (first - second).abs() <= SCORE_TIE_RELATIVE * scale
}

/// Whether `first` is larger than `second` by more than the margin tolerance for a profile of
/// total weight `total_weight` (see [`MARGIN_TIE_RELATIVE`]).
pub fn margin_greater(first: f64, second: f64, total_weight: f64) -> bool {
    first - second > MARGIN_TIE_RELATIVE * total_weight.max(1.0)
}

/// Shares (proportions of ratings) are compared with thresholds such as 70% allowing this much
/// absolute slack, so that 7 of 10 counts as 70% whatever the weights' rounding.
pub const SHARE_ABSOLUTE: f64 = 1e-12;
