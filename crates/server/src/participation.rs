//! Participation as it may be shown: respondents per round and group, and how many of those who
//! answered the previous round answered again, through the disclosure rule of METHODS.md
//! ([`rank::disclosure::Disclosure`]).
//!
//! A round's counts go through `Disclosure::plan` on the round's respondents per group: a shown
//! group by name, the pooled groups as one "other groups" line (only when the pool may be
//! shown), never a pooled group's count alone. A group with nobody in it is shown as 0 only
//! when something is shown by group or nobody answered at all: otherwise "0" beside the other
//! groups would make the total the count of the one group left. The counts of those who
//! continued from the previous round are given only for groups shown in both rounds; the
//! rest are one "other groups" line, so that no continued count bounds a hidden group. Used by
//! the participation API and the admin exercise page.

use rank::disclosure::Disclosure;
use store::{Continuation, Participation};
use survey::Exercise;

/// One group's count as it may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupCount {
    /// The group is shown on its own with this many respondents.
    Shown(u64),
    /// The group has nobody, and saying so isolates no one.
    Nobody,
    /// The group is not shown on its own (pooled, or a zero that would isolate another group).
    Hidden,
}

impl GroupCount {
    /// The count, when it may be shown (0 for [`GroupCount::Nobody`]).
    pub fn count(self) -> Option<u64> {
        match self {
            GroupCount::Shown(count) => Some(count),
            GroupCount::Nobody => Some(0),
            GroupCount::Hidden => None,
        }
    }
}

/// Counts by group as they may be shown: one entry per group of the exercise, the pooled
/// groups as one line, and the total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownCounts {
    /// Per group of the exercise, in its order.
    pub groups: Vec<GroupCount>,
    /// The groups not shown on their own, as one "other groups" line, when it may be shown.
    pub other_groups: Option<u64>,
    /// Everyone counted.
    pub total: u64,
}

impl ShownCounts {
    /// `sizes` (per group, in the exercise's order) shown through `plan`, which must have been
    /// made from the same sizes.
    fn planned(sizes: &[u64], plan: &Disclosure) -> ShownCounts {
        let total: u64 = sizes.iter().sum();
        let zeros_shown = total == 0 || plan.shown().iter().any(|&shown| shown);
        let groups = sizes
            .iter()
            .enumerate()
            .map(|(group, &size)| {
                if plan.is_shown(group) {
                    GroupCount::Shown(size)
                } else if size == 0 && zeros_shown {
                    GroupCount::Nobody
                } else {
                    GroupCount::Hidden
                }
            })
            .collect();
        ShownCounts {
            groups,
            other_groups: plan.pool_shown().then(|| plan.pool_size()),
            total,
        }
    }
}

/// One round's participation as it may be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundCounts {
    /// Respondents with a submitted answer.
    pub respondents: ShownCounts,
    /// For rounds after the first: of those who answered the previous round, how many answered
    /// this one too.
    pub continued: Option<ShownCounts>,
}

/// Respondents per group (in the exercise's order) of round `round` in `counts`.
fn round_sizes(exercise: &Exercise, counts: &[Participation], round: &str) -> Vec<u64> {
    exercise
        .groups
        .iter()
        .map(|group| {
            counts
                .iter()
                .filter(|count| count.round == round && count.group == group.id.as_str())
                .map(|count| count.respondents)
                .sum()
        })
        .collect()
}

/// Respondents per group (in the exercise's order) who answered both `from` and `to`.
fn continued_sizes(
    exercise: &Exercise,
    continuation: &[Continuation],
    from: &str,
    to: &str,
) -> Vec<u64> {
    exercise
        .groups
        .iter()
        .map(|group| {
            continuation
                .iter()
                .filter(|pair| {
                    pair.from_round == from
                        && pair.to_round == to
                        && pair.group == group.id.as_str()
                })
                .map(|pair| pair.respondents)
                .sum()
        })
        .collect()
}

/// The continued counts: a group's own only where it is shown in both rounds, the rest as one
/// line when something is shown by group and someone of the rest is in either round.
fn continued_counts(
    continued: &[u64],
    previous: (&[u64], &Disclosure),
    this: (&[u64], &Disclosure),
) -> ShownCounts {
    let total: u64 = continued.iter().sum();
    let shown_in_both = |group: usize| previous.1.is_shown(group) && this.1.is_shown(group);
    let groups: Vec<GroupCount> = continued
        .iter()
        .enumerate()
        .map(|(group, &count)| {
            if shown_in_both(group) {
                GroupCount::Shown(count)
            } else {
                GroupCount::Hidden
            }
        })
        .collect();
    let any_shown = groups
        .iter()
        .any(|count| matches!(count, GroupCount::Shown(_)));
    let rest_present = (0..continued.len())
        .any(|group| !shown_in_both(group) && (previous.0[group] > 0 || this.0[group] > 0));
    let shown_sum: u64 = groups.iter().filter_map(|count| count.count()).sum();
    ShownCounts {
        groups,
        other_groups: (any_shown && rest_present).then(|| total - shown_sum),
        total,
    }
}

/// Every round's participation as it may be shown, with the exercise's disclosure threshold.
pub fn participation(
    exercise: &Exercise,
    counts: &[Participation],
    continuation: &[Continuation],
) -> Vec<RoundCounts> {
    let threshold = u64::from(exercise.disclosure_threshold);
    let sizes: Vec<Vec<u64>> = exercise
        .rounds
        .iter()
        .map(|round| round_sizes(exercise, counts, round.id.as_str()))
        .collect();
    let plans: Vec<Disclosure> = sizes
        .iter()
        .map(|sizes| Disclosure::plan(sizes, threshold))
        .collect();
    exercise
        .rounds
        .iter()
        .enumerate()
        .map(|(index, round)| {
            let continued = index.checked_sub(1).map(|previous| {
                let pairs = continued_sizes(
                    exercise,
                    continuation,
                    exercise.rounds[previous].id.as_str(),
                    round.id.as_str(),
                );
                continued_counts(
                    &pairs,
                    (&sizes[previous], &plans[previous]),
                    (&sizes[index], &plans[index]),
                )
            });
            RoundCounts {
                respondents: ShownCounts::planned(&sizes[index], &plans[index]),
                continued,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(sizes: &[u64], threshold: u64) -> ShownCounts {
        ShownCounts::planned(sizes, &Disclosure::plan(sizes, threshold))
    }

    #[test]
    fn a_small_group_is_pooled_with_the_next_smallest_and_never_shown_alone() {
        let counts = shown(&[6, 5, 2], 5);
        assert_eq!(
            counts.groups,
            [GroupCount::Shown(6), GroupCount::Hidden, GroupCount::Hidden]
        );
        assert_eq!(counts.other_groups, Some(7));
        assert_eq!(counts.total, 13);
    }

    #[test]
    fn zeros_are_shown_only_where_they_isolate_no_one() {
        // Something is shown: the empty group is 0, the pool stays two groups.
        let counts = shown(&[6, 0, 5], 5);
        assert_eq!(
            counts.groups,
            [
                GroupCount::Shown(6),
                GroupCount::Nobody,
                GroupCount::Shown(5)
            ]
        );
        assert_eq!(counts.other_groups, None);
        // Nothing is shown: "0" for the others would make the total the small group's count.
        let counts = shown(&[3, 0, 0], 5);
        assert_eq!(counts.groups, [GroupCount::Hidden; 3]);
        assert_eq!((counts.other_groups, counts.total), (None, 3));
        // Nobody at all.
        assert_eq!(shown(&[0, 0], 5).groups, [GroupCount::Nobody; 2]);
    }

    #[test]
    fn continued_counts_are_shown_only_for_groups_shown_in_both_rounds() {
        // Round 1: 6, 5, 2 (the 2 pooled with the 5); round 2: 6, 6, 6 (all shown).
        let (before, after) = ([6, 5, 2], [6, 6, 6]);
        let (plan_before, plan_after) = (Disclosure::plan(&before, 5), Disclosure::plan(&after, 5));
        let counts = continued_counts(&[6, 5, 2], (&before, &plan_before), (&after, &plan_after));
        // The 2 who continued from the small group would bound it (with the 5 of the other):
        // both are one line.
        assert_eq!(
            counts.groups,
            [GroupCount::Shown(6), GroupCount::Hidden, GroupCount::Hidden]
        );
        assert_eq!((counts.other_groups, counts.total), (Some(7), 13));
    }
}
