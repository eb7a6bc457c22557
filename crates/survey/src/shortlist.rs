//! Shortlisting: a later round's items chosen from a round's results by a rule of METHODS.md
//! ("Shortlist rules"), with the reason each item goes through, in words.
//!
//! The results arrive as ranked item ids ([`RankedItems::from_rankings`]); `rank` applies the
//! rule to indices ([`rank::weighting::shortlist_with_reasons`]); this module names the rule,
//! checks it against the exercise, words the reasons with the groups' labels and finds the
//! round that takes the shortlist.

use std::collections::HashMap;

use rank::{ShortlistReason, ShortlistRule, ShortlistRuleName};

use crate::definition::{Exercise, Round, RoundKind};

/// k when none is given.
pub const DEFAULT_K: usize = 10;

/// j when none is given.
pub const DEFAULT_J: usize = 3;

/// A round's results as `rank`'s shortlist rules take them: item and group ids with their
/// indices, and the ranks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankedItems {
    /// The item ids in the order of the overall ranking; an item's index is its position here.
    pub items: Vec<String>,
    /// Each item's overall rank.
    pub overall: Vec<usize>,
    /// The groups ranked on their own, by id; a group's index is its position here.
    pub groups: Vec<String>,
    /// Each group's rank of each item (`usize::MAX` for an item the group did not rank).
    pub group_ranks: Vec<Vec<usize>>,
}

impl RankedItems {
    /// From ranked item ids: the overall ranking as `(item, rank)` in order, and each group's
    /// ranking by group id. An item a group ranking lists that is not in the overall ranking
    /// is ignored.
    ///
    /// Complexity: O(m · (g + 1)) for m items and g groups.
    pub fn from_rankings(overall: &[(&str, usize)], groups: &[(&str, Vec<(&str, usize)>)]) -> Self {
        let index: HashMap<&str, usize> = overall
            .iter()
            .enumerate()
            .map(|(position, (item, _))| (*item, position))
            .collect();
        let group_ranks = groups
            .iter()
            .map(|(_, ranking)| {
                let mut ranks = vec![usize::MAX; overall.len()];
                for (item, rank) in ranking {
                    if let Some(&position) = index.get(item) {
                        ranks[position] = *rank;
                    }
                }
                ranks
            })
            .collect();
        RankedItems {
            items: overall.iter().map(|(item, _)| item.to_string()).collect(),
            overall: overall.iter().map(|(_, rank)| *rank).collect(),
            groups: groups.iter().map(|(group, _)| group.to_string()).collect(),
            group_ranks,
        }
    }
}

/// A shortlist rule as asked for: each part may be missing.
#[derive(Debug, Clone, Copy, Default)]
pub struct ShortlistChoice<'a> {
    /// `top` (the default), `group-union` or `protected`.
    pub rule: Option<&'a str>,
    /// k (default [`DEFAULT_K`]).
    pub k: Option<usize>,
    /// The protected group's id, for `protected`.
    pub group: Option<&'a str>,
    /// j, for `protected` (default [`DEFAULT_J`]).
    pub j: Option<usize>,
}

/// Why a shortlist rule cannot be applied; each names its field ([`ShortlistError::field`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShortlistError {
    /// k is 0.
    #[error("k must be at least 1")]
    ZeroK,
    /// j is 0.
    #[error("j must be at least 1")]
    ZeroJ,
    /// `protected` without a group.
    #[error("choose the protected group")]
    NoGroup,
    /// A protected group the exercise does not have.
    #[error("there is no group `{0}`")]
    UnknownGroup(String),
    /// A protected group too small to be shown on its own (its label).
    #[error(
        "{0} has too few answers in this round to be shown on its own, so it cannot be the protected group"
    )]
    GroupTooSmall(String),
    /// A rule name that is not `top`, `group-union` or `protected`.
    #[error("`rule` is `{0}` but must be top, group-union or protected")]
    UnknownRule(String),
}

impl ShortlistError {
    /// The field of the request the error is about: `k`, `j`, `group` or `rule`.
    pub fn field(&self) -> &'static str {
        match self {
            ShortlistError::ZeroK => "k",
            ShortlistError::ZeroJ => "j",
            ShortlistError::NoGroup
            | ShortlistError::UnknownGroup(_)
            | ShortlistError::GroupTooSmall(_) => "group",
            ShortlistError::UnknownRule(_) => "rule",
        }
    }
}

/// The checks of a choice that need neither the exercise nor the results (k of 0, j of 0, an
/// unknown rule, in that order), so that a caller can refuse a bad choice before computing
/// anything; [`shortlist_rule`] makes them first. Gives the rule's name.
///
/// # Errors
/// [`ShortlistError::ZeroK`], [`ShortlistError::ZeroJ`] (whatever the rule: a j given is a j
/// meant), [`ShortlistError::UnknownRule`].
pub fn check_choice(choice: ShortlistChoice<'_>) -> Result<ShortlistRuleName, ShortlistError> {
    if choice.k == Some(0) {
        return Err(ShortlistError::ZeroK);
    }
    if choice.j == Some(0) {
        return Err(ShortlistError::ZeroJ);
    }
    let name = choice.rule.unwrap_or("top");
    name.parse()
        .map_err(|_| ShortlistError::UnknownRule(name.to_string()))
}

/// The rule a choice asks for, checked against the exercise and the groups ranked on their
/// own, with the rule in words (naming the protected group by its label).
///
/// # Errors
/// In this order: k of 0, j of 0 (refused whatever the rule, since a j given is a j meant),
/// an unknown rule; for `protected`, no group, an unknown group, a group not ranked on its own.
pub fn shortlist_rule(
    exercise: &Exercise,
    choice: ShortlistChoice<'_>,
    groups: &[String],
) -> Result<(ShortlistRule, String), ShortlistError> {
    let name = check_choice(choice)?;
    let k = choice.k.unwrap_or(DEFAULT_K);
    match name {
        ShortlistRuleName::Top => Ok((ShortlistRule::Top { k }, format!("the top {k} overall"))),
        ShortlistRuleName::GroupUnion => Ok((
            ShortlistRule::GroupUnion { k },
            format!("every item in the top {k} of any group"),
        )),
        ShortlistRuleName::Protected => {
            let j = choice.j.unwrap_or(DEFAULT_J);
            if j == 0 {
                return Err(ShortlistError::ZeroJ);
            }
            let Some(group_id) = choice.group.filter(|group| !group.is_empty()) else {
                return Err(ShortlistError::NoGroup);
            };
            let Some(group) = exercise.group(group_id) else {
                return Err(ShortlistError::UnknownGroup(group_id.to_string()));
            };
            let Some(index) = groups.iter().position(|id| id == group_id) else {
                return Err(ShortlistError::GroupTooSmall(group.label.clone()));
            };
            Ok((
                ShortlistRule::Protected { k, group: index, j },
                format!("the top {k} overall and the top {j} of {}", group.label),
            ))
        }
    }
}

/// One item of a shortlist: every item of the results is listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortlistLine {
    /// The item's index in [`RankedItems::items`].
    pub item: usize,
    /// Its overall rank.
    pub rank: usize,
    /// Whether it goes through.
    pub included: bool,
    /// Why it goes through, in words (`ranked 2 overall`, `ranked 1 by Carers (protected
    /// group)`).
    pub reasons: Vec<String>,
}

/// Applies a rule to a round's results: every item in overall rank order, whether it goes
/// through and why, groups named by their labels in the exercise.
///
/// Complexity: as [`rank::weighting::shortlist_with_reasons`].
pub fn shortlist(
    exercise: &Exercise,
    ranked: &RankedItems,
    rule: ShortlistRule,
) -> Vec<ShortlistLine> {
    let group_refs: Vec<Option<&[usize]>> = ranked
        .group_ranks
        .iter()
        .map(|ranks| Some(ranks.as_slice()))
        .collect();
    let label = |group: usize| {
        exercise
            .group(&ranked.groups[group])
            .map_or_else(|| ranked.groups[group].clone(), |g| g.label.clone())
    };
    rank::weighting::shortlist_with_reasons(&ranked.overall, &group_refs, rule)
        .iter()
        .map(|entry| ShortlistLine {
            item: entry.item,
            rank: entry.rank,
            included: entry.included(),
            reasons: entry
                .reasons
                .iter()
                .map(|reason| match *reason {
                    ShortlistReason::Overall { rank } => format!("ranked {rank} overall"),
                    ShortlistReason::Group {
                        group,
                        rank,
                        protected: true,
                    } => format!("ranked {rank} by {} (protected group)", label(group)),
                    ShortlistReason::Group { group, rank, .. } => {
                        format!("ranked {rank} by {}", label(group))
                    }
                })
                .collect(),
        })
        .collect()
}

/// The round after `round` whose items a shortlist would set, if any: the next round that asks
/// about items.
pub fn next_round<'a>(exercise: &'a Exercise, round: &str) -> Option<&'a Round> {
    let position = exercise
        .rounds
        .iter()
        .position(|r| r.id.as_str() == round)?;
    exercise.rounds[position + 1..]
        .iter()
        .find(|r| !matches!(r.kind, RoundKind::Suggest { .. }))
}

/// Why a round cannot take a shortlist; all are about the field `into`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// No round comes after the shortlisted one.
    #[error("no round comes after `{0}` to take the shortlist")]
    NoLaterRound(String),
    /// The round named does not exist.
    #[error("there is no round `{0}`")]
    UnknownRound(String),
    /// The round named comes before, or asks for suggestions.
    #[error("`{0}` must be a later round that asks about items")]
    NotLaterItemRound(String),
}

/// The round that takes the shortlist of `round`: `into` when given, else [`next_round`]. It
/// must come later and ask about items.
///
/// # Errors
/// [`TargetError`].
pub fn target_round<'a>(
    exercise: &'a Exercise,
    round: &str,
    into: Option<&str>,
) -> Result<&'a Round, TargetError> {
    let Some(into) = into.or_else(|| next_round(exercise, round).map(|r| r.id.as_str())) else {
        return Err(TargetError::NoLaterRound(round.to_string()));
    };
    let positions = |id: &str| exercise.rounds.iter().position(|r| r.id.as_str() == id);
    let (Some(from_at), Some(into_at)) = (positions(round), positions(into)) else {
        return Err(TargetError::UnknownRound(into.to_string()));
    };
    let target = &exercise.rounds[into_at];
    if into_at <= from_at || matches!(target.kind, RoundKind::Suggest { .. }) {
        return Err(TargetError::NotLaterItemRound(into.to_string()));
    }
    Ok(target)
}

#[cfg(test)]
mod tests;
