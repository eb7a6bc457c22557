//! Names of the aggregation methods and group weightings, and which kind of data each fits.
//!
//! The definitions of the methods themselves are in `../shared/METHODS.md`; this module only
//! names them, so that exercise definitions and the command line can refer to them by the same
//! words everywhere.

use std::fmt;
use std::str::FromStr;

/// The kind of ballots a data set holds; a method fits one or more kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataKind {
    /// Weak orders over a subset of the items (full, top-k or tied rankings).
    Ranking,
    /// Integer ratings on a scale, or yes / undecided / no answers per criterion.
    Rating,
    /// Unordered sets of picked items.
    Pick,
    /// Lists of (winner, loser) choices.
    Pairwise,
}

impl DataKind {
    /// The lowercase name used in files and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            DataKind::Ranking => "ranking",
            DataKind::Rating => "rating",
            DataKind::Pick => "pick",
            DataKind::Pairwise => "pairwise",
        }
    }
}

impl fmt::Display for DataKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

macro_rules! named_enum {
    (
        $(#[$enum_meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$variant_meta:meta])* $variant:ident => $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$enum_meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$variant_meta])* $variant ),+
        }

        impl $name {
            /// Every value, in the order they are documented.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The name used in exercise definitions, on the command line and in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text ),+
                }
            }

            /// Every accepted name, comma-separated, for error messages and help text.
            pub fn names() -> String {
                Self::ALL.iter().map(|value| value.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|value| value.as_str() == text)
                    .ok_or_else(|| UnknownName {
                        what: $what,
                        given: text.to_string(),
                        expected: Self::names(),
                    })
            }
        }
    };
}

/// A name that is not one of the known methods or weightings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{given}` (expected one of: {expected})")]
pub struct UnknownName {
    /// What was being named: "method" or "weighting".
    pub what: &'static str,
    /// The name that was given.
    pub given: String,
    /// The accepted names, comma-separated.
    pub expected: String,
}

named_enum! {
    /// An aggregation method, as defined in METHODS.md.
    Method, "method" {
        /// Averaged Borda count.
        Borda => "borda",
        /// James Lind Alliance "choose and rank k" points.
        Points => "points",
        /// Dowdall (harmonic) positional scores.
        Dowdall => "dowdall",
        /// Count of ballots that rank or pick the item.
        Count => "count",
        /// Copeland: pairwise wins plus half ties.
        Copeland => "copeland",
        /// Schulze (winning votes).
        Schulze => "schulze",
        /// Kemeny-Young optimal order.
        Kemeny => "kemeny",
        /// Plackett-Luce maximum-likelihood strengths.
        PlackettLuce => "plackett-luce",
        /// Bradley-Terry maximum-likelihood strengths for pairwise choices.
        BradleyTerry => "bradley-terry",
        /// All Our Ideas win rate for pairwise choices.
        WinRate => "win-rate",
        /// Mean rating.
        Mean => "mean",
        /// Median rating.
        Median => "median",
        /// Share of ratings at or above a threshold.
        TopBox => "top-box",
        /// Delphi consensus classification (COMET / GRADE).
        Delphi => "delphi",
        /// RAND/UCLA appropriateness classification.
        RandUcla => "rand-ucla",
        /// CHNRI research priority score.
        Chnri => "chnri",
    }
}

impl Method {
    /// The kinds of data this method can rank.
    pub fn fits(self) -> &'static [DataKind] {
        match self {
            Method::Borda | Method::Points | Method::Dowdall | Method::PlackettLuce => {
                &[DataKind::Ranking]
            }
            // METHODS.md defines the margins N[a][b] for pairwise ballots too.
            Method::Copeland | Method::Schulze | Method::Kemeny => {
                &[DataKind::Ranking, DataKind::Pairwise]
            }
            Method::Count => &[DataKind::Ranking, DataKind::Pick],
            Method::BradleyTerry | Method::WinRate => &[DataKind::Pairwise],
            Method::Mean
            | Method::Median
            | Method::TopBox
            | Method::Delphi
            | Method::RandUcla
            | Method::Chnri => &[DataKind::Rating],
        }
    }

    /// Whether this method can rank data of the given kind.
    pub fn fits_kind(self, kind: DataKind) -> bool {
        self.fits().contains(&kind)
    }
}

named_enum! {
    /// How respondents in different stakeholder groups are weighted, as defined in METHODS.md.
    Weighting, "weighting" {
        /// Every respondent weighs 1.
        Pooled => "pooled",
        /// Each group carries the same total weight.
        EqualGroups => "equal-groups",
        /// James Lind Alliance: rank within each group, then sum position points across groups.
        JlaPositions => "jla-positions",
        /// Stated weights per group.
        Custom => "custom",
    }
}

#[cfg(test)]
mod tests;
