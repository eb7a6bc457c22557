//! The disclosure rule of METHODS.md ([`rank::disclosure::Disclosure`]) for groups named by id:
//! which groups a table, chart or file may show on its own, and the one "other groups" line
//! that stands for the rest.
//!
//! A table by group shows each shown group by name with its figure, the pooled groups only
//! together as one [`POOLED_GROUPS_LABEL`] line (the pool reaches the threshold), and the
//! total. No pooled group is ever named beside a number of its own. Every output of one round
//! uses the same [`PooledGroups`]: the results document's when the round was ranked (planned by
//! `rank::analysis` on the ballots behind every figure), else the rule applied to the people
//! behind the round's counts.

use std::collections::BTreeSet;

use rank::disclosure::Disclosure;
use survey::definition::Exercise;

use crate::results::ResultsDocument;

pub use rank::disclosure::POOLED_GROUPS_LABEL;

/// The groups, by id, that are counted only in the pool of "other groups".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PooledGroups {
    pooled: BTreeSet<String>,
}

/// One line of a table by group: a shown group, or the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupLine {
    /// A group shown on its own, by id.
    Group(String),
    /// The pooled groups together ([`POOLED_GROUPS_LABEL`]).
    Pool,
}

impl PooledGroups {
    /// The rule applied to `(group id, people behind its figures)`, in the groups' order (ties
    /// in size take the earlier group into the pool).
    pub fn plan<'a>(
        sizes: impl IntoIterator<Item = (&'a str, u64)>,
        threshold: u64,
    ) -> PooledGroups {
        let (ids, sizes): (Vec<&str>, Vec<u64>) = sizes.into_iter().unzip();
        let plan = Disclosure::plan(&sizes, threshold);
        PooledGroups {
            pooled: plan
                .pooled_groups()
                .map(|group| ids[group].to_string())
                .collect(),
        }
    }

    /// The pooled groups of a ranked round: its results document's `suppressed_groups`, which
    /// `rank::analysis` planned with [`Disclosure`] on the ballots per group. Every count of
    /// the round's people is at least its ballots, so its pool still reaches the threshold.
    pub fn of_results(document: &ResultsDocument) -> PooledGroups {
        PooledGroups {
            pooled: document.input.suppressed_groups.iter().cloned().collect(),
        }
    }

    /// Exactly the groups `ids`, for a pool already decided by the rule (or a group that must
    /// join one, such as a group with no ballots that a count of people would still show).
    pub(crate) fn of_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> PooledGroups {
        PooledGroups {
            pooled: ids.into_iter().map(str::to_string).collect(),
        }
    }

    /// The groups pooled here or in `other`. A table that spans several rounds pools a group
    /// pooled in any of them: each of its figures is then a sum of a round's shown groups and
    /// that round's own pool, so nothing it shows, alone or against any round's own outputs,
    /// isolates fewer people than the round's own plan allows.
    pub fn union(&self, other: &PooledGroups) -> PooledGroups {
        PooledGroups {
            pooled: self.pooled.union(&other.pooled).cloned().collect(),
        }
    }

    /// Whether `group` is counted only in the pool.
    pub fn contains(&self, group: &str) -> bool {
        self.pooled.contains(group)
    }

    /// Whether no group is pooled.
    pub fn is_empty(&self) -> bool {
        self.pooled.is_empty()
    }

    /// The pooled groups' ids, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.pooled.iter().map(String::as_str)
    }

    /// The lines of a table by group for `groups` (ids in display order, each with whether
    /// anyone of it is behind the table's figures): the shown groups in order, then the pool
    /// when a group with people is shown beside it. When every group with people is pooled,
    /// only the total may be shown, so no line is returned for them.
    pub fn lines<'a>(&self, groups: impl IntoIterator<Item = (&'a str, bool)>) -> Vec<GroupLine> {
        let mut lines = Vec::new();
        let mut shown_with_people = false;
        let mut pool_has_people = false;
        for (group, has_people) in groups {
            if self.contains(group) {
                pool_has_people |= has_people;
            } else {
                shown_with_people |= has_people;
                lines.push(GroupLine::Group(group.to_string()));
            }
        }
        if pool_has_people && shown_with_people {
            lines.push(GroupLine::Pool);
        }
        lines
    }

    /// The sum of `value` over the groups of `line` (a shown group's own value, or every
    /// pooled group's).
    pub fn sum_for<'a, V: std::iter::Sum<V>>(
        &self,
        line: &GroupLine,
        values: impl IntoIterator<Item = (&'a str, V)>,
    ) -> V {
        values
            .into_iter()
            .filter(|(group, _)| match line {
                GroupLine::Group(id) => group == id,
                GroupLine::Pool => self.contains(group),
            })
            .map(|(_, value)| value)
            .sum()
    }
}

/// Sorts `entries` by their group (`group_of`) in the exercise's group order, groups the
/// exercise does not know after them by id: the order in which the disclosure rule breaks ties
/// in size.
pub(crate) fn in_exercise_order<T>(
    exercise: &Exercise,
    entries: &mut [T],
    group_of: impl Fn(&T) -> &str,
) {
    entries.sort_by_cached_key(|entry| {
        let group = group_of(entry);
        let position = exercise
            .groups
            .iter()
            .position(|known| known.id.as_str() == group)
            .unwrap_or(usize::MAX);
        (position, group.to_string())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_example_pools_the_small_group_with_the_smallest_shown_one() {
        let plan = PooledGroups::plan([("a", 6), ("b", 5), ("c", 2)], 5);
        assert_eq!(plan.ids().collect::<Vec<_>>(), ["b", "c"]);
        let lines = plan.lines([("a", true), ("b", true), ("c", true)]);
        assert_eq!(lines, [GroupLine::Group("a".to_string()), GroupLine::Pool]);
        let sizes = [("a", 6u64), ("b", 5), ("c", 2)];
        assert_eq!(plan.sum_for(&GroupLine::Pool, sizes), 7);
        assert_eq!(plan.sum_for(&lines[0], sizes), 6);
    }

    #[test]
    fn nothing_is_pooled_when_every_group_reaches_the_threshold() {
        let plan = PooledGroups::plan([("a", 6), ("b", 5), ("c", 0)], 5);
        assert!(plan.is_empty());
        assert_eq!(
            plan.lines([("a", true), ("b", true), ("c", false)]).len(),
            3
        );
    }

    #[test]
    fn with_everyone_pooled_there_is_no_line_but_the_total() {
        let plan = PooledGroups::plan([("a", 3), ("b", 1)], 5);
        assert!(plan.lines([("a", true), ("b", true)]).is_empty());
    }

    #[test]
    fn a_union_pools_a_group_pooled_in_either() {
        let first = PooledGroups::plan([("a", 9), ("b", 6), ("c", 3), ("d", 2)], 5);
        let second = PooledGroups::plan([("a", 2), ("b", 6), ("c", 6), ("d", 9)], 5);
        let both = first.union(&second);
        assert_eq!(both.ids().collect::<Vec<_>>(), ["a", "b", "c", "d"]);
    }
}
