//! Group weighting, shortlist rules and disclosure control (METHODS.md, "Group weighting").

use crate::Weighting;
use crate::outcome::{Outcome, position_points};

/// The disclosure threshold: groups with fewer respondents are never shown on their own.
pub const DEFAULT_DISCLOSURE_THRESHOLD: u64 = 5;

/// Why custom group weights were refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightingError {
    /// A weight is negative, infinite or NaN.
    #[error("weight of group {group} is {weight}, not a finite non-negative number")]
    BadWeight {
        /// The group.
        group: usize,
        /// The weight given.
        weight: f64,
    },
    /// Every weight is zero.
    #[error("at least one group weight must be positive")]
    AllZero,
    /// `custom` was named without weights.
    #[error("weighting `custom` needs a weight for each group")]
    MissingCustomWeights,
    /// Weights were given for a weighting that does not take them.
    #[error("weighting `{weighting}` does not take group weights (only `custom` does)")]
    UnexpectedWeights {
        /// The weighting named.
        weighting: Weighting,
    },
}

/// A group weighting with everything it needs.
#[derive(Debug, Clone, PartialEq)]
pub enum GroupWeighting {
    /// `pooled`: every respondent weighs 1.
    Pooled,
    /// `equal-groups`: each respondent of group g weighs 1 / n_g, so every group with any
    /// respondents carries total weight 1.
    EqualGroups,
    /// `jla-positions` (James Lind Alliance Guidebook, ch. 5–8): rank the items within each
    /// group, give each item position points within each group (m for first, m − 1 next, ...,
    /// ties sharing the mean), and sum the points across groups; empty groups are skipped.
    JlaPositions,
    /// `custom`: each respondent of group g weighs the stated `weights[g]` (a per-respondent
    /// multiplier, so a group's total weight grows with its size).
    Custom(CustomWeights),
}

/// Validated custom weights, one per group.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomWeights(Vec<f64>);

impl CustomWeights {
    /// Checks the weights.
    ///
    /// # Errors
    /// [`WeightingError::BadWeight`] or [`WeightingError::AllZero`].
    pub fn new(weights: Vec<f64>) -> Result<Self, WeightingError> {
        for (group, &weight) in weights.iter().enumerate() {
            if !weight.is_finite() || weight < 0.0 {
                return Err(WeightingError::BadWeight { group, weight });
            }
        }
        if weights.iter().all(|&weight| weight == 0.0) {
            return Err(WeightingError::AllZero);
        }
        Ok(CustomWeights(weights))
    }

    /// The weights, one per group.
    pub fn weights(&self) -> &[f64] {
        &self.0
    }
}

impl GroupWeighting {
    /// The weighting named `name`, with `custom` weights where it takes them.
    ///
    /// # Errors
    /// [`WeightingError::MissingCustomWeights`] for `custom` without weights,
    /// [`WeightingError::UnexpectedWeights`] for weights with another weighting, and the errors
    /// of [`CustomWeights::new`].
    pub fn from_name(name: Weighting, custom: Option<Vec<f64>>) -> Result<Self, WeightingError> {
        match (name, custom) {
            (Weighting::Custom, Some(weights)) => {
                Ok(GroupWeighting::Custom(CustomWeights::new(weights)?))
            }
            (Weighting::Custom, None) => Err(WeightingError::MissingCustomWeights),
            (weighting, Some(_)) => Err(WeightingError::UnexpectedWeights { weighting }),
            (Weighting::Pooled, None) => Ok(GroupWeighting::Pooled),
            (Weighting::EqualGroups, None) => Ok(GroupWeighting::EqualGroups),
            (Weighting::JlaPositions, None) => Ok(GroupWeighting::JlaPositions),
        }
    }

    /// The weighting's name.
    pub fn name(&self) -> Weighting {
        match self {
            GroupWeighting::Pooled => Weighting::Pooled,
            GroupWeighting::EqualGroups => Weighting::EqualGroups,
            GroupWeighting::JlaPositions => Weighting::JlaPositions,
            GroupWeighting::Custom(_) => Weighting::Custom,
        }
    }

    /// The weight of one respondent in each group, given the group sizes; `None` for
    /// `jla-positions`, which does not weight respondents, or for custom weights of the wrong
    /// length.
    ///
    /// Complexity: O(g).
    pub fn respondent_weights(&self, group_sizes: &[u64]) -> Option<Vec<f64>> {
        match self {
            GroupWeighting::Pooled => Some(vec![1.0; group_sizes.len()]),
            GroupWeighting::EqualGroups => Some(
                group_sizes
                    .iter()
                    .map(|&size| if size == 0 { 0.0 } else { 1.0 / size as f64 })
                    .collect(),
            ),
            GroupWeighting::JlaPositions => None,
            GroupWeighting::Custom(weights) => {
                (weights.0.len() == group_sizes.len()).then(|| weights.0.clone())
            }
        }
    }
}

/// `jla-positions` scores: the sum over groups of each item's position points within the group
/// (see [`position_points`]); `None` entries (empty groups) are skipped.
///
/// Complexity: O(g · m).
pub fn jla_position_scores(group_ranks: &[Option<Vec<usize>>], item_count: usize) -> Vec<f64> {
    let mut scores = vec![0.0; item_count];
    for ranks in group_ranks.iter().flatten() {
        for (score, points) in scores.iter_mut().zip(position_points(ranks)) {
            *score += points;
        }
    }
    scores
}

/// Shortlist rule "top k overall": the items ranked k or better (ties at the boundary all
/// included), in rank order.
pub fn shortlist_top(overall: &Outcome, k: usize) -> Vec<usize> {
    overall.top(k)
}

/// Shortlist rule "union of each group's top k": every item in some group's top k (ties at the
/// boundary included), listed in overall rank order.
///
/// Complexity: O(g · m + m log m).
pub fn shortlist_group_union(overall: &Outcome, groups: &[&Outcome], k: usize) -> Vec<usize> {
    let mut chosen = vec![false; overall.item_count()];
    for group in groups {
        for item in group.top(k) {
            chosen[item] = true;
        }
    }
    overall
        .order()
        .into_iter()
        .filter(|&item| chosen[item])
        .collect()
}

/// Shortlist rule "protected group": the top k overall plus the top j of the protected group,
/// in overall rank order.
///
/// Complexity: O(m log m).
pub fn shortlist_protected(
    overall: &Outcome,
    protected: &Outcome,
    k: usize,
    j: usize,
) -> Vec<usize> {
    let mut chosen = vec![false; overall.item_count()];
    for item in overall.top(k).into_iter().chain(protected.top(j)) {
        chosen[item] = true;
    }
    overall
        .order()
        .into_iter()
        .filter(|&item| chosen[item])
        .collect()
}

/// A shortlist rule (METHODS.md, "Shortlist rules").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShortlistRule {
    /// The items ranked k or better overall.
    Top {
        /// How many.
        k: usize,
    },
    /// Every item ranked k or better by some group.
    GroupUnion {
        /// How many of each group.
        k: usize,
    },
    /// The top k overall plus the top j of a protected group.
    Protected {
        /// How many overall.
        k: usize,
        /// The protected group's index among the groups given.
        group: usize,
        /// How many of the protected group.
        j: usize,
    },
}

impl ShortlistRule {
    /// The rule's name.
    pub fn name(&self) -> ShortlistRuleName {
        match self {
            ShortlistRule::Top { .. } => ShortlistRuleName::Top,
            ShortlistRule::GroupUnion { .. } => ShortlistRuleName::GroupUnion,
            ShortlistRule::Protected { .. } => ShortlistRuleName::Protected,
        }
    }
}

/// The name of a shortlist rule, as requests and forms give it: `top`, `group-union` or
/// `protected` (METHODS.md, "Shortlist rules"). Parse it with [`str::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShortlistRuleName {
    /// [`ShortlistRule::Top`].
    Top,
    /// [`ShortlistRule::GroupUnion`].
    GroupUnion,
    /// [`ShortlistRule::Protected`].
    Protected,
}

impl ShortlistRuleName {
    /// Every rule name, in the order of METHODS.md.
    pub const ALL: [ShortlistRuleName; 3] = [
        ShortlistRuleName::Top,
        ShortlistRuleName::GroupUnion,
        ShortlistRuleName::Protected,
    ];

    /// The name: `top`, `group-union` or `protected`.
    pub fn as_str(self) -> &'static str {
        match self {
            ShortlistRuleName::Top => "top",
            ShortlistRuleName::GroupUnion => "group-union",
            ShortlistRuleName::Protected => "protected",
        }
    }
}

impl std::fmt::Display for ShortlistRuleName {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl std::str::FromStr for ShortlistRuleName {
    type Err = UnknownShortlistRule;

    /// # Errors
    /// [`UnknownShortlistRule`] for any text that is not one of [`ShortlistRuleName::ALL`]'s
    /// names (exactly: names are lowercase).
    fn from_str(text: &str) -> Result<ShortlistRuleName, UnknownShortlistRule> {
        ShortlistRuleName::ALL
            .into_iter()
            .find(|name| name.as_str() == text)
            .ok_or_else(|| UnknownShortlistRule(text.to_string()))
    }
}

/// A shortlist rule name that is not one of [`ShortlistRuleName::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown shortlist rule `{0}`: expected top, group-union or protected")]
pub struct UnknownShortlistRule(pub String);

/// Why an item goes through to the shortlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShortlistReason {
    /// It is in the top k overall, at this rank.
    Overall {
        /// Its overall rank.
        rank: usize,
    },
    /// It is in a group's top k (or the protected group's top j), at this rank.
    Group {
        /// The group's index among the groups given.
        group: usize,
        /// Its rank in that group.
        rank: usize,
        /// Whether the group is the protected group of [`ShortlistRule::Protected`].
        protected: bool,
    },
}

/// One item of a shortlist preview: every item is listed, with the reasons it goes through
/// (none: it does not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortlistEntry {
    /// The item's index.
    pub item: usize,
    /// Its overall rank.
    pub rank: usize,
    /// Why it goes through; empty when it does not.
    pub reasons: Vec<ShortlistReason>,
}

impl ShortlistEntry {
    /// Whether the item goes through.
    pub fn included(&self) -> bool {
        !self.reasons.is_empty()
    }
}

/// Applies a shortlist rule to ranks already computed: `overall[i]` is item i's overall rank and
/// `groups[g]` group g's ranks (`None` for a group that may not be shown on its own, which
/// then gives no reason of its own). Items tied at a boundary all go through, as with
/// [`Outcome::top`], so this agrees with [`shortlist_top`], [`shortlist_group_union`] and
/// [`shortlist_protected`]. Every item is returned, in overall rank order (ties by index).
///
/// Complexity: O(g · m + m log m).
pub fn shortlist_with_reasons(
    overall: &[usize],
    groups: &[Option<&[usize]>],
    rule: ShortlistRule,
) -> Vec<ShortlistEntry> {
    let mut order: Vec<usize> = (0..overall.len()).collect();
    order.sort_by_key(|&item| (overall[item], item));
    order
        .into_iter()
        .map(|item| {
            let mut reasons = Vec::new();
            let overall_k = match rule {
                ShortlistRule::Top { k } | ShortlistRule::Protected { k, .. } => Some(k),
                ShortlistRule::GroupUnion { .. } => None,
            };
            if let Some(k) = overall_k
                && overall[item] <= k
            {
                reasons.push(ShortlistReason::Overall {
                    rank: overall[item],
                });
            }
            for (group, ranks) in groups.iter().enumerate() {
                let Some(ranks) = ranks else { continue };
                let (cut, protected) = match rule {
                    ShortlistRule::GroupUnion { k } => (k, false),
                    ShortlistRule::Protected {
                        group: protected,
                        j,
                        ..
                    } if protected == group => (j, true),
                    _ => continue,
                };
                if ranks[item] <= cut {
                    reasons.push(ShortlistReason::Group {
                        group,
                        rank: ranks[item],
                        protected,
                    });
                }
            }
            ShortlistEntry {
                item,
                rank: overall[item],
                reasons,
            }
        })
        .collect()
}

/// Which groups may be shown on their own under the disclosure rule of METHODS.md (the
/// default threshold is [`DEFAULT_DISCLOSURE_THRESHOLD`]): see [`crate::disclosure::Disclosure`].
/// Groups under the threshold, and as many of the smallest others as it takes for their pool
/// to reach it, still count overall but are not shown on their own.
pub fn disclosed_groups(group_sizes: &[u64], threshold: u64) -> Vec<bool> {
    crate::disclosure::Disclosure::plan(group_sizes, threshold)
        .shown()
        .to_vec()
}

#[cfg(test)]
mod tests;
