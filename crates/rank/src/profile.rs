//! Ballot profiles: the only input the methods take.
//!
//! Items are numbered `0..item_count` and stakeholder groups `0..group_count`; this crate knows
//! nothing else about them. Every profile stores its ballots flat (one vector of entries and one
//! of offsets, as in a compressed sparse row matrix), so that a million ballots over 30 items
//! take a few hundred megabytes at most and are read in order, without pointer chasing.
//!
//! Each ballot record carries a group and a multiplicity: a PrefLib line `500: 3,1,2` is one
//! record standing for 500 identical respondents. Constructors check everything once, so the
//! methods never meet an item out of range, a duplicate, an empty ballot or an empty tie block.

mod any;
mod error;
mod pairwise;
mod pick;
mod ranking;
mod rating;
mod records;

pub use any::Profile;
pub(crate) use any::sizes_from_counts;
pub use error::ProfileError;
pub use pairwise::PairwiseProfile;
pub use pick::PickProfile;
pub(crate) use ranking::entry_item;
pub use ranking::{RankingBallot, RankingProfile, RankingProfileBuilder};
pub use rating::{ChnriAnswer, RatingProfile, RatingScale};

#[cfg(test)]
mod tests;
