//! `Profile`: any of the four profiles, tagged with its kind.

use super::{PairwiseProfile, PickProfile, RankingProfile, RatingProfile};

/// Any profile, tagged with its kind.
#[derive(Debug, Clone)]
pub enum Profile {
    /// Ranking ballots.
    Ranking(RankingProfile),
    /// Rating ballots.
    Rating(RatingProfile),
    /// Pick ballots.
    Pick(PickProfile),
    /// Pairwise ballots.
    Pairwise(PairwiseProfile),
}

impl Profile {
    /// The kind of data.
    pub fn kind(&self) -> crate::DataKind {
        match self {
            Profile::Ranking(_) => crate::DataKind::Ranking,
            Profile::Rating(_) => crate::DataKind::Rating,
            Profile::Pick(_) => crate::DataKind::Pick,
            Profile::Pairwise(_) => crate::DataKind::Pairwise,
        }
    }

    /// The number of items.
    pub fn item_count(&self) -> usize {
        match self {
            Profile::Ranking(profile) => profile.item_count(),
            Profile::Rating(profile) => profile.item_count(),
            Profile::Pick(profile) => profile.item_count(),
            Profile::Pairwise(profile) => profile.item_count(),
        }
    }

    /// The number of groups.
    pub fn group_count(&self) -> usize {
        match self {
            Profile::Ranking(profile) => profile.group_count(),
            Profile::Rating(profile) => profile.group_count(),
            Profile::Pick(profile) => profile.group_count(),
            Profile::Pairwise(profile) => profile.group_count(),
        }
    }

    /// The multiplicity of every record.
    pub fn multiplicities(&self) -> &[u32] {
        match self {
            Profile::Ranking(profile) => profile.multiplicities(),
            Profile::Rating(profile) => profile.multiplicities(),
            Profile::Pick(profile) => profile.multiplicities(),
            Profile::Pairwise(profile) => profile.multiplicities(),
        }
    }

    /// The group of every record.
    pub fn groups(&self) -> &[u32] {
        match self {
            Profile::Ranking(profile) => profile.groups(),
            Profile::Rating(profile) => profile.groups(),
            Profile::Pick(profile) => profile.groups(),
            Profile::Pairwise(profile) => profile.groups(),
        }
    }

    /// The number of respondents in each group.
    pub fn group_sizes(&self) -> Vec<u64> {
        sizes_from_counts(self.groups(), self.multiplicities(), self.group_count())
    }
}

impl From<RankingProfile> for Profile {
    fn from(profile: RankingProfile) -> Self {
        Profile::Ranking(profile)
    }
}

impl From<RatingProfile> for Profile {
    fn from(profile: RatingProfile) -> Self {
        Profile::Rating(profile)
    }
}

impl From<PickProfile> for Profile {
    fn from(profile: PickProfile) -> Self {
        Profile::Pick(profile)
    }
}

impl From<PairwiseProfile> for Profile {
    fn from(profile: PairwiseProfile) -> Self {
        Profile::Pairwise(profile)
    }
}

/// Respondents per group for given per-record counts.
pub(crate) fn sizes_from_counts(groups: &[u32], counts: &[u32], group_count: usize) -> Vec<u64> {
    let mut sizes = vec![0u64; group_count];
    for (&group, &count) in groups.iter().zip(counts) {
        sizes[group as usize] += u64::from(count);
    }
    sizes
}
