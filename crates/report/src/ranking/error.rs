//! Why the results could not be computed: [`RankingError`], one variant per cause, with the
//! hint shown after it.

use rank::analysis::{AnalysisError, methods_for};
use rank::bootstrap::BootstrapError;
use rank::plackett_luce::FitError;
use rank::weighting::WeightingError;
use rank::{DataKind, Method, RankError, UnknownName};
use survey::ballots::BallotError;

/// Why the results could not be computed: one variant per cause.
///
/// The problem lies either in the request (a name that is not a method or a weighting, a
/// method that does not fit the data, missing custom weights), which the user fixes by asking
/// differently, or in the data ([`RankingError::in_data`]): responses that give no ballots, or
/// a method, the bootstrap or the analysis failing on them. The messages are the ones shown to
/// users, on the command line and in the service; [`RankingError::hint`] says what to do where
/// that is clear.
///
/// No variant has a `source`: each message already includes the cause's own words, so an error
/// chain printed with `{:#}` says it once.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RankingError {
    /// The responses give no ballots (suggestions, mixed or off-scale ratings). In the data.
    #[error("{error}")]
    Ballots {
        /// Why the responses cannot become ballots.
        error: BallotError,
    },
    /// A name asked for is not a method.
    #[error("{error}")]
    UnknownMethod {
        /// The name and the accepted names.
        error: UnknownName,
        /// The methods that fit the data, for the hint.
        fitting: FittingMethods,
    },
    /// A method asked for does not fit the kind of data.
    #[error("method `{method}` does not fit {} data", fitting.kind)]
    MethodDoesNotFit {
        /// The method asked for.
        method: Method,
        /// The methods that fit the data, for the hint.
        fitting: FittingMethods,
    },
    /// The weighting asked for is not a weighting.
    #[error("{error}")]
    UnknownWeighting {
        /// The name and the accepted names.
        error: UnknownName,
    },
    /// A custom weight names a group that the responses do not have.
    #[error(
        "group weights: `{group}` is not a group of the responses (groups: {})",
        groups.join(", ")
    )]
    UnknownGroup {
        /// The group named.
        group: String,
        /// The groups of the responses.
        groups: Vec<String>,
    },
    /// Custom weighting without a weight for every group.
    #[error(
        "custom weighting needs a weight for every group; missing: {}",
        missing.join(", ")
    )]
    MissingGroupWeights {
        /// The groups without a weight, in the responses' order.
        missing: Vec<String>,
    },
    /// The group weights were refused (a negative weight, or all zero).
    #[error("{error}")]
    Weighting {
        /// Why.
        error: WeightingError,
    },
    /// One method failed on these data (for example a Plackett–Luce fit whose estimate does not
    /// exist, or `rand-ucla` under group weighting). In the data.
    #[error("{error}")]
    MethodFailed {
        /// The method that failed.
        method: Method,
        /// Why.
        error: RankError,
    },
    /// The bootstrap failed on a resample. In the data.
    #[error("bootstrap: {error}")]
    Bootstrap {
        /// Why.
        error: BootstrapError,
    },
    /// The analysis failed for a reason that concerns no one method (no ballots, a parameter
    /// out of range). In the data.
    #[error("{error}")]
    Analysis {
        /// Why.
        error: AnalysisError,
    },
}

impl RankingError {
    /// Whether the problem lies in the data (else in the request): the command line then names
    /// the file, and the service's report tries again with a small prior.
    pub fn in_data(&self) -> bool {
        matches!(
            self,
            RankingError::Ballots { .. }
                | RankingError::MethodFailed { .. }
                | RankingError::Bootstrap { .. }
                | RankingError::Analysis { .. }
        )
    }

    /// What to do about it, when that is clear.
    pub fn hint(&self) -> Option<String> {
        match self {
            RankingError::UnknownMethod { fitting, .. }
            | RankingError::MethodDoesNotFit { fitting, .. } => Some(fitting.to_string()),
            RankingError::UnknownWeighting { .. } => {
                Some("weightings: pooled, equal-groups, jla-positions, custom".to_string())
            }
            RankingError::MissingGroupWeights { .. } => Some(
                "give them as GROUP=WEIGHT pairs (--group-weights GROUP=WEIGHT,...)".to_string(),
            ),
            RankingError::MethodFailed {
                error:
                    RankError::Fit {
                        problem: FitError::NotStronglyConnected { .. },
                        ..
                    },
                ..
            } => Some(
                "add a prior alpha of 0.1 (--prior-alpha 0.1) to fit a regularised model"
                    .to_string(),
            ),
            _ => None,
        }
    }
}

/// The methods that fit a kind of data, as the hint after a method name that does not:
/// "methods that fit ranking data: borda, ...".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FittingMethods {
    /// The kind of data.
    pub kind: DataKind,
    /// The methods that fit it, in METHODS.md's order.
    pub methods: Vec<Method>,
}

impl FittingMethods {
    pub(super) fn of(kind: DataKind, criterion_count: usize) -> Self {
        FittingMethods {
            kind,
            methods: methods_for(kind, criterion_count),
        }
    }
}

impl std::fmt::Display for FittingMethods {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "methods that fit {} data: {}",
            self.kind,
            self.methods
                .iter()
                .map(|method| method.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// The method a [`RankError`] is about, when it is about one.
fn failing_method(error: &RankError) -> Option<Method> {
    match error {
        RankError::MethodDoesNotFit { method, .. }
        | RankError::WeightingDoesNotFit { method, .. }
        | RankError::WrongScale { method, .. }
        | RankError::SeveralCriteria { method, .. }
        | RankError::Fit { method, .. } => Some(*method),
        _ => None,
    }
}

impl From<AnalysisError> for RankingError {
    fn from(error: AnalysisError) -> Self {
        match error {
            AnalysisError::Rank(error) => match failing_method(&error) {
                Some(method) => RankingError::MethodFailed { method, error },
                None => RankingError::Analysis {
                    error: AnalysisError::Rank(error),
                },
            },
            AnalysisError::Bootstrap(error) => RankingError::Bootstrap { error },
            error => RankingError::Analysis { error },
        }
    }
}
