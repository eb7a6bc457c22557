//! Ranking ballots: `RankingProfile`, its borrowed `RankingBallot`s and the
//! `RankingProfileBuilder` that checks each ballot.

use super::ProfileError;
use super::records::Records;

/// High bit of a stored ranking entry: the item is tied with the entry before it.
pub(super) const TIED_WITH_PREVIOUS: u32 = 1 << 31;
/// The bits of a stored ranking entry that hold the item.
pub(super) const ITEM_MASK: u32 = TIED_WITH_PREVIOUS - 1;

/// Ranking ballots: each a weak order over a subset of the items (METHODS.md, "Ballots").
///
/// A ballot is a list of tie blocks, best first. Every unranked item is below every ranked
/// item, and unranked items are tied with each other. Build one with [`RankingProfileBuilder`].
#[derive(Debug, Clone)]
pub struct RankingProfile {
    pub(super) records: Records,
    /// Items in ballot order; the high bit marks "tied with the previous entry".
    entries: Vec<u32>,
    /// Ballot `b` is `entries[offsets[b]..offsets[b + 1]]`.
    offsets: Vec<usize>,
    has_ties: bool,
    longest_ballot: usize,
}

/// One ranking ballot record, borrowed from a [`RankingProfile`].
#[derive(Debug, Clone, Copy)]
pub struct RankingBallot<'a> {
    /// The respondent's group.
    pub group: usize,
    /// How many identical respondents this record stands for.
    pub multiplicity: u32,
    entries: &'a [u32],
}

impl<'a> RankingBallot<'a> {
    /// The number of ranked items.
    pub fn ranked_count(&self) -> usize {
        self.entries.len()
    }

    /// The ranked items, best first (tied items in the order they were given).
    pub fn ranked_items(&self) -> impl Iterator<Item = usize> + 'a {
        self.entries
            .iter()
            .map(|&entry| (entry & ITEM_MASK) as usize)
    }

    /// The tie blocks, best first, each as a list of items.
    ///
    /// Complexity: O(ranked items).
    pub fn blocks(&self) -> Vec<Vec<usize>> {
        let mut blocks: Vec<Vec<usize>> = Vec::new();
        for &entry in self.entries {
            let item = (entry & ITEM_MASK) as usize;
            match blocks.last_mut() {
                Some(block) if entry & TIED_WITH_PREVIOUS != 0 => block.push(item),
                _ => blocks.push(vec![item]),
            }
        }
        blocks
    }

    /// Whether any two ranked items are tied.
    pub fn has_ties(&self) -> bool {
        self.entries
            .iter()
            .any(|&entry| entry & TIED_WITH_PREVIOUS != 0)
    }

    /// Calls `visit(first_position, block)` for each tie block, where `first_position` is the
    /// 0-based position of the block's first item and `block` holds raw entries (mask them with
    /// [`entry_item`]).
    pub(crate) fn for_each_block(&self, mut visit: impl FnMut(usize, &[u32])) {
        let mut start = 0;
        let entries = self.entries;
        while start < entries.len() {
            let mut end = start + 1;
            while end < entries.len() && entries[end] & TIED_WITH_PREVIOUS != 0 {
                end += 1;
            }
            visit(start, &entries[start..end]);
            start = end;
        }
    }

    /// The raw entries (items with a tie flag in the high bit).
    pub(crate) fn entries(&self) -> &'a [u32] {
        self.entries
    }
}

/// The item held by a raw ranking entry.
#[inline]
pub(crate) fn entry_item(entry: u32) -> usize {
    (entry & ITEM_MASK) as usize
}

impl RankingProfile {
    /// The number of respondents: the sum of the multiplicities.
    pub fn respondent_count(&self) -> u64 {
        self.records
            .multiplicities
            .iter()
            .map(|&count| u64::from(count))
            .sum()
    }

    /// Whether any ballot has tied ranked items.
    pub fn has_ties(&self) -> bool {
        self.has_ties
    }

    /// The largest number of items any ballot ranks.
    pub fn longest_ballot(&self) -> usize {
        self.longest_ballot
    }

    /// Ballot record `index`.
    ///
    /// # Panics
    /// If `index >= ballot_count()`.
    pub fn ballot(&self, index: usize) -> RankingBallot<'_> {
        RankingBallot {
            group: self.records.groups[index] as usize,
            multiplicity: self.records.multiplicities[index],
            entries: &self.entries[self.offsets[index]..self.offsets[index + 1]],
        }
    }

    /// Every ballot record, in order.
    pub fn ballots(&self) -> impl ExactSizeIterator<Item = RankingBallot<'_>> + '_ {
        (0..self.ballot_count()).map(|index| self.ballot(index))
    }
}

/// Builds a [`RankingProfile`] one ballot at a time, checking each.
#[derive(Debug, Clone)]
pub struct RankingProfileBuilder {
    profile: RankingProfile,
}

impl RankingProfileBuilder {
    /// Starts an empty profile.
    ///
    /// # Errors
    /// [`ProfileError::NoItems`], [`ProfileError::NoGroups`] or [`ProfileError::TooManyItems`].
    pub fn new(item_count: usize, group_count: usize) -> Result<Self, ProfileError> {
        Ok(RankingProfileBuilder {
            profile: RankingProfile {
                records: Records::new(item_count, group_count)?,
                entries: Vec::new(),
                offsets: vec![0],
                has_ties: false,
                longest_ballot: 0,
            },
        })
    }

    /// Reserves room for `ballots` more records holding `entries` ranked items in all.
    pub fn reserve(&mut self, ballots: usize, entries: usize) {
        self.profile.records.groups.reserve(ballots);
        self.profile.records.multiplicities.reserve(ballots);
        self.profile.offsets.reserve(ballots);
        self.profile.entries.reserve(entries);
    }

    /// Adds a ballot given as tie blocks, best first.
    ///
    /// Complexity: O(ranked items).
    ///
    /// # Errors
    /// Group or item out of range, a duplicate item, an empty block, an empty ballot, or a zero
    /// multiplicity; the profile is left unchanged.
    pub fn push_blocks<B: AsRef<[usize]>>(
        &mut self,
        group: usize,
        multiplicity: u32,
        blocks: &[B],
    ) -> Result<(), ProfileError> {
        let records = &mut self.profile.records;
        records.check_record(group, multiplicity)?;
        records.reset_if_wrapped();
        let stamp = records.stamp();
        let ballot = records.next_ballot();
        let start = self.profile.entries.len();
        let mut has_ties = false;
        let mut checked = || -> Result<(), ProfileError> {
            for (block_index, block) in blocks.iter().enumerate() {
                let block = block.as_ref();
                if block.is_empty() {
                    return Err(ProfileError::EmptyTieBlock {
                        ballot,
                        block: block_index,
                    });
                }
                for (position, &item) in block.iter().enumerate() {
                    records.check_item(item, stamp)?;
                    let flag = if position > 0 {
                        has_ties = true;
                        TIED_WITH_PREVIOUS
                    } else {
                        0
                    };
                    self.profile.entries.push(item as u32 | flag);
                }
            }
            if self.profile.entries.len() == start {
                return Err(ProfileError::EmptyBallot { ballot });
            }
            Ok(())
        };
        if let Err(error) = checked() {
            self.profile.entries.truncate(start);
            // Forget this failed ballot's stamps so that a retry is not misjudged a duplicate.
            self.profile.records.seen_stamp.fill(0);
            return Err(error);
        }
        let length = self.profile.entries.len() - start;
        let records = &mut self.profile.records;
        records.push(group, multiplicity);
        self.profile.offsets.push(self.profile.entries.len());
        self.profile.has_ties |= has_ties;
        self.profile.longest_ballot = self.profile.longest_ballot.max(length);
        Ok(())
    }

    /// Adds a strict ballot: `order` lists the ranked items best first, with no ties.
    ///
    /// # Errors
    /// As [`Self::push_blocks`].
    pub fn push_order(
        &mut self,
        group: usize,
        multiplicity: u32,
        order: &[usize],
    ) -> Result<(), ProfileError> {
        let blocks: Vec<[usize; 1]> = order.iter().map(|&item| [item]).collect();
        self.push_blocks(group, multiplicity, &blocks)
    }

    /// Adds a ballot given as (item, rank) pairs, rank 1 best; equal ranks are ties and only
    /// the order of the ranks matters (1, 1, 3 and 1, 1, 2 give the same ballot).
    ///
    /// # Errors
    /// As [`Self::push_blocks`].
    pub fn push_ranks(
        &mut self,
        group: usize,
        multiplicity: u32,
        ranked: &[(usize, u32)],
    ) -> Result<(), ProfileError> {
        let mut sorted = ranked.to_vec();
        sorted.sort_by_key(|&(item, rank)| (rank, item));
        let mut blocks: Vec<Vec<usize>> = Vec::new();
        let mut previous_rank = None;
        for (item, rank) in sorted {
            if previous_rank == Some(rank) {
                if let Some(block) = blocks.last_mut() {
                    block.push(item);
                }
            } else {
                blocks.push(vec![item]);
            }
            previous_rank = Some(rank);
        }
        self.push_blocks(group, multiplicity, &blocks)
    }

    /// Finishes the profile.
    pub fn build(self) -> RankingProfile {
        self.profile
    }
}
