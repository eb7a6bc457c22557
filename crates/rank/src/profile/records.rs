//! The bookkeeping every profile shares: shape checks, each record's group and multiplicity,
//! and the accessors built on them.

use super::ranking::ITEM_MASK;
use super::{PairwiseProfile, PickProfile, ProfileError, RankingProfile, RatingProfile};

/// Checks the parts common to every profile and ballot.
fn check_shape(item_count: usize, group_count: usize) -> Result<(), ProfileError> {
    if item_count == 0 {
        return Err(ProfileError::NoItems);
    }
    if group_count == 0 {
        return Err(ProfileError::NoGroups);
    }
    if item_count > ITEM_MASK as usize {
        return Err(ProfileError::TooManyItems {
            item_count,
            max: ITEM_MASK as usize,
        });
    }
    Ok(())
}

/// Shared per-record bookkeeping: groups, multiplicities and a scratch stamp to spot duplicates
/// in O(ballot length).
#[derive(Debug, Clone)]
pub(super) struct Records {
    pub(super) item_count: usize,
    pub(super) group_count: usize,
    pub(super) groups: Vec<u32>,
    pub(super) multiplicities: Vec<u32>,
    pub(super) seen_stamp: Vec<u32>,
}

impl Records {
    pub(super) fn new(item_count: usize, group_count: usize) -> Result<Self, ProfileError> {
        check_shape(item_count, group_count)?;
        Ok(Records {
            item_count,
            group_count,
            groups: Vec::new(),
            multiplicities: Vec::new(),
            seen_stamp: vec![0; item_count],
        })
    }

    pub(super) fn next_ballot(&self) -> usize {
        self.groups.len()
    }

    pub(super) fn check_record(&self, group: usize, multiplicity: u32) -> Result<(), ProfileError> {
        let ballot = self.next_ballot();
        if group >= self.group_count {
            return Err(ProfileError::GroupOutOfRange {
                ballot,
                group,
                group_count: self.group_count,
            });
        }
        if multiplicity == 0 {
            return Err(ProfileError::ZeroMultiplicity { ballot });
        }
        Ok(())
    }

    /// Checks `item` is in range and not yet seen in this ballot; `stamp` must be unique to the
    /// ballot (the ballot index plus one, wrapping is impossible below 2^32 ballots).
    pub(super) fn check_item(&mut self, item: usize, stamp: u32) -> Result<(), ProfileError> {
        let ballot = self.next_ballot();
        if item >= self.item_count {
            return Err(ProfileError::ItemOutOfRange {
                ballot,
                item,
                item_count: self.item_count,
            });
        }
        if self.seen_stamp[item] == stamp {
            return Err(ProfileError::DuplicateItem { ballot, item });
        }
        self.seen_stamp[item] = stamp;
        Ok(())
    }

    pub(super) fn stamp(&self) -> u32 {
        // Stamps cycle through 1..=u32::MAX; after a wrap the stamp array is stale only for
        // items last seen exactly 2^32 - 1 ballots ago, which `reset_if_wrapped` clears.
        (self.next_ballot() as u64 % u64::from(u32::MAX)) as u32 + 1
    }

    pub(super) fn reset_if_wrapped(&mut self) {
        if self.stamp() == 1 {
            self.seen_stamp.fill(0);
        }
    }

    pub(super) fn push(&mut self, group: usize, multiplicity: u32) {
        self.groups.push(group as u32);
        self.multiplicities.push(multiplicity);
    }

    pub(super) fn group_sizes(&self) -> Vec<u64> {
        let mut sizes = vec![0u64; self.group_count];
        for (&group, &count) in self.groups.iter().zip(&self.multiplicities) {
            sizes[group as usize] += u64::from(count);
        }
        sizes
    }
}

/// The accessors every profile shares through its [`Records`]: counts of items, groups and
/// records, and each record's group and multiplicity.
macro_rules! record_accessors {
    ($($profile:ty),+) => {
        $(
            impl $profile {
                /// The number of items.
                pub fn item_count(&self) -> usize {
                    self.records.item_count
                }

                /// The number of groups.
                pub fn group_count(&self) -> usize {
                    self.records.group_count
                }

                /// The number of ballot records (a record stands for as many identical ballots
                /// as its multiplicity).
                pub fn ballot_count(&self) -> usize {
                    self.records.groups.len()
                }

                /// The number of respondents in each group.
                pub fn group_sizes(&self) -> Vec<u64> {
                    self.records.group_sizes()
                }

                /// The multiplicity of every record, in order.
                pub fn multiplicities(&self) -> &[u32] {
                    &self.records.multiplicities
                }

                /// The group of every record, in order.
                pub fn groups(&self) -> &[u32] {
                    &self.records.groups
                }
            }
        )+
    };
}

record_accessors!(RankingProfile, RatingProfile, PickProfile, PairwiseProfile);
