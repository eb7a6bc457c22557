//! The disclosure rule of METHODS.md: which groups may be shown on their own, and which are
//! pooled as "other groups" so that no shown figure minus another isolates a small group.
//!
//! A group under the threshold is never shown alone. It still counts overall, so the overall
//! figure minus the shown groups' figures would isolate it: the hidden groups are therefore
//! pooled, and the pool must itself reach the threshold. When it does not, the smallest shown
//! group (by size, then by position) joins it, and so on until it does or nothing is left to
//! show. Groups with nobody in them are neither shown nor pooled: there is no one to isolate.

/// The label of the pool of groups that are not shown on their own.
pub const POOLED_GROUPS_LABEL: &str = "other groups";

/// Which groups of one set of figures are shown, and which are pooled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    threshold: u64,
    sizes: Vec<u64>,
    shown: Vec<bool>,
    pooled: Vec<bool>,
}

impl Disclosure {
    /// The rule applied to `group_sizes` (respondents per group, in the groups' order) with
    /// `threshold`. A threshold of 0 or 1 shows every group that has anyone in it.
    pub fn plan(group_sizes: &[u64], threshold: u64) -> Disclosure {
        let mut pooled: Vec<bool> = group_sizes
            .iter()
            .map(|&size| size > 0 && size < threshold)
            .collect();
        let pool_size = |pooled: &[bool]| -> u64 {
            group_sizes
                .iter()
                .zip(pooled)
                .filter(|(_, in_pool)| **in_pool)
                .map(|(size, _)| size)
                .sum()
        };
        if pooled.iter().any(|&in_pool| in_pool) {
            while pool_size(&pooled) < threshold {
                let smallest_shown = group_sizes
                    .iter()
                    .enumerate()
                    .filter(|&(group, &size)| size > 0 && !pooled[group])
                    .min_by_key(|&(group, &size)| (size, group))
                    .map(|(group, _)| group);
                match smallest_shown {
                    Some(group) => pooled[group] = true,
                    None => break,
                }
            }
        }
        let shown = group_sizes
            .iter()
            .zip(&pooled)
            .map(|(&size, &in_pool)| size > 0 && !in_pool)
            .collect();
        Disclosure {
            threshold,
            sizes: group_sizes.to_vec(),
            shown,
            pooled,
        }
    }

    /// The threshold the rule was applied with.
    pub fn threshold(&self) -> u64 {
        self.threshold
    }

    /// Per group: may it be shown on its own (with its figures and its count)?
    pub fn shown(&self) -> &[bool] {
        &self.shown
    }

    /// Whether `group` may be shown on its own.
    pub fn is_shown(&self, group: usize) -> bool {
        self.shown.get(group).copied().unwrap_or(false)
    }

    /// Per group: is it counted only in the pool of "other groups"?
    pub fn pooled(&self) -> &[bool] {
        &self.pooled
    }

    /// Whether `group` is in the pool.
    pub fn is_pooled(&self, group: usize) -> bool {
        self.pooled.get(group).copied().unwrap_or(false)
    }

    /// The groups in the pool, in their order.
    pub fn pooled_groups(&self) -> impl Iterator<Item = usize> + '_ {
        self.pooled
            .iter()
            .enumerate()
            .filter(|(_, in_pool)| **in_pool)
            .map(|(group, _)| group)
    }

    /// How many respondents the pool holds (0 without one).
    pub fn pool_size(&self) -> u64 {
        self.sizes
            .iter()
            .zip(&self.pooled)
            .filter(|(_, in_pool)| **in_pool)
            .map(|(size, _)| size)
            .sum()
    }

    /// Whether the pool's count may be shown as one "other groups" line: it has someone and
    /// reaches the threshold. (When it does not, every group with anyone in it is pooled and
    /// the pool is everyone: only the overall figure is shown.)
    pub fn pool_shown(&self) -> bool {
        let size = self.pool_size();
        size > 0 && size >= self.threshold && self.shown.iter().any(|&shown| shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_at_the_threshold_are_shown_without_a_pool() {
        let plan = Disclosure::plan(&[6, 5, 0, 100], 5);
        assert_eq!(plan.shown(), [true, true, false, true]);
        assert_eq!(plan.pool_size(), 0);
        assert!(!plan.pool_shown());
    }

    #[test]
    fn a_lone_small_group_takes_the_smallest_shown_group_into_the_pool() {
        // The example: 6, 5 and 2 with a threshold of 5.
        let plan = Disclosure::plan(&[6, 5, 2], 5);
        assert_eq!(plan.shown(), [true, false, false]);
        assert_eq!(plan.pooled(), [false, true, true]);
        assert_eq!(plan.pool_size(), 7);
        assert!(plan.pool_shown());
    }

    #[test]
    fn small_groups_that_reach_the_threshold_together_pool_alone() {
        let plan = Disclosure::plan(&[9, 3, 2, 7], 5);
        assert_eq!(plan.shown(), [true, false, false, true]);
        assert_eq!(plan.pool_size(), 5);
    }

    #[test]
    fn ties_in_size_take_the_earlier_group() {
        let plan = Disclosure::plan(&[8, 6, 6, 1], 5);
        assert_eq!(plan.pooled(), [false, true, false, true]);
    }

    #[test]
    fn when_nothing_reaches_the_threshold_everything_is_pooled() {
        let plan = Disclosure::plan(&[3, 1], 5);
        assert_eq!(plan.shown(), [false, false]);
        assert!(!plan.pool_shown());
        let plan = Disclosure::plan(&[3, 6], 5);
        assert_eq!(plan.shown(), [false, false]);
    }

    #[test]
    fn threshold_zero_or_one_shows_everyone() {
        assert_eq!(Disclosure::plan(&[1, 2, 0], 1).shown(), [true, true, false]);
        assert_eq!(Disclosure::plan(&[1, 2, 0], 0).shown(), [true, true, false]);
    }

    #[test]
    fn no_difference_of_shown_counts_isolates_fewer_than_the_threshold() {
        // Exhaustive over small sizes: overall minus any subset of the shown groups (and of
        // the pool) leaves either nobody, or at least `threshold` people.
        for threshold in 2..=5u64 {
            for a in 0..=8u64 {
                for b in 0..=8u64 {
                    for c in 0..=8u64 {
                        let sizes = [a, b, c];
                        let plan = Disclosure::plan(&sizes, threshold);
                        let mut parts: Vec<u64> = sizes
                            .iter()
                            .zip(plan.shown())
                            .filter(|(_, s)| **s)
                            .map(|(n, _)| *n)
                            .collect();
                        if plan.pool_size() > 0 {
                            parts.push(plan.pool_size());
                        }
                        // Every part shown alone (or as the pool) reaches the threshold when
                        // any group is shown at all.
                        if plan.shown().iter().any(|&s| s) {
                            assert!(
                                parts.iter().all(|&n| n >= threshold),
                                "{sizes:?} {threshold}"
                            );
                        }
                    }
                }
            }
        }
    }
}
