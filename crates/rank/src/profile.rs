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

use std::fmt;

/// Why a profile could not be built.
///
/// Ballot numbers in messages are 0-based record indices, in the order the ballots were pushed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// A profile needs at least one item.
    #[error("a profile needs at least one item")]
    NoItems,
    /// A profile needs at least one group.
    #[error("a profile needs at least one group")]
    NoGroups,
    /// More items than the compact ballot encoding can hold.
    #[error("too many items: {item_count} (at most {max})")]
    TooManyItems {
        /// The number of items asked for.
        item_count: usize,
        /// The largest number supported.
        max: usize,
    },
    /// A ballot names an item outside `0..item_count`.
    #[error("ballot {ballot}: item {item} is out of range (there are {item_count} items)")]
    ItemOutOfRange {
        /// The 0-based ballot record.
        ballot: usize,
        /// The item given.
        item: usize,
        /// The number of items in the profile.
        item_count: usize,
    },
    /// A ballot names a group outside `0..group_count`.
    #[error("ballot {ballot}: group {group} is out of range (there are {group_count} groups)")]
    GroupOutOfRange {
        /// The 0-based ballot record.
        ballot: usize,
        /// The group given.
        group: usize,
        /// The number of groups in the profile.
        group_count: usize,
    },
    /// A ballot names the same item twice.
    #[error("ballot {ballot}: item {item} appears more than once")]
    DuplicateItem {
        /// The 0-based ballot record.
        ballot: usize,
        /// The repeated item.
        item: usize,
    },
    /// A ballot ranks, rates, picks or compares nothing.
    #[error("ballot {ballot} is empty")]
    EmptyBallot {
        /// The 0-based ballot record.
        ballot: usize,
    },
    /// A ranking ballot has a tie block with no items in it.
    #[error("ballot {ballot}: tie block {block} is empty")]
    EmptyTieBlock {
        /// The 0-based ballot record.
        ballot: usize,
        /// The 0-based block within the ballot.
        block: usize,
    },
    /// A ballot record stands for no respondents.
    #[error("ballot {ballot}: multiplicity must be at least 1")]
    ZeroMultiplicity {
        /// The 0-based ballot record.
        ballot: usize,
    },
    /// A rating scale whose minimum is not below its maximum.
    #[error("rating scale {min}..={max} is empty or a single point")]
    BadScale {
        /// The lowest rating.
        min: i16,
        /// The highest rating.
        max: i16,
    },
    /// A rating outside the scale.
    #[error("ballot {ballot}: rating {rating} of item {item} is outside the scale {min}..={max}")]
    RatingOutOfScale {
        /// The 0-based ballot record.
        ballot: usize,
        /// The item rated.
        item: usize,
        /// The rating given.
        rating: i16,
        /// The lowest rating.
        min: i16,
        /// The highest rating.
        max: i16,
    },
    /// A rating ballot with the wrong number of answers.
    #[error("ballot {ballot}: expected {expected} answers (items × criteria), got {given}")]
    WrongAnswerCount {
        /// The 0-based ballot record.
        ballot: usize,
        /// items × criteria.
        expected: usize,
        /// The number given.
        given: usize,
    },
    /// A rating profile needs at least one criterion.
    #[error("a rating profile needs at least one criterion")]
    NoCriteria,
    /// A pairwise choice of an item over itself.
    #[error("ballot {ballot}: item {item} is compared with itself")]
    SelfComparison {
        /// The 0-based ballot record.
        ballot: usize,
        /// The item.
        item: usize,
    },
}

/// High bit of a stored ranking entry: the item is tied with the entry before it.
const TIED_WITH_PREVIOUS: u32 = 1 << 31;
/// The bits of a stored ranking entry that hold the item.
const ITEM_MASK: u32 = TIED_WITH_PREVIOUS - 1;

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
struct Records {
    item_count: usize,
    group_count: usize,
    groups: Vec<u32>,
    multiplicities: Vec<u32>,
    seen_stamp: Vec<u32>,
}

impl Records {
    fn new(item_count: usize, group_count: usize) -> Result<Self, ProfileError> {
        check_shape(item_count, group_count)?;
        Ok(Records {
            item_count,
            group_count,
            groups: Vec::new(),
            multiplicities: Vec::new(),
            seen_stamp: vec![0; item_count],
        })
    }

    fn next_ballot(&self) -> usize {
        self.groups.len()
    }

    fn check_record(&self, group: usize, multiplicity: u32) -> Result<(), ProfileError> {
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
    fn check_item(&mut self, item: usize, stamp: u32) -> Result<(), ProfileError> {
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

    fn stamp(&self) -> u32 {
        // Stamps cycle through 1..=u32::MAX; after a wrap the stamp array is stale only for
        // items last seen exactly 2^32 - 1 ballots ago, which `reset_if_wrapped` clears.
        (self.next_ballot() as u64 % u64::from(u32::MAX)) as u32 + 1
    }

    fn reset_if_wrapped(&mut self) {
        if self.stamp() == 1 {
            self.seen_stamp.fill(0);
        }
    }

    fn push(&mut self, group: usize, multiplicity: u32) {
        self.groups.push(group as u32);
        self.multiplicities.push(multiplicity);
    }

    fn group_sizes(&self) -> Vec<u64> {
        let mut sizes = vec![0u64; self.group_count];
        for (&group, &count) in self.groups.iter().zip(&self.multiplicities) {
            sizes[group as usize] += u64::from(count);
        }
        sizes
    }
}

/// Ranking ballots: each a weak order over a subset of the items (METHODS.md, "Ballots").
///
/// A ballot is a list of tie blocks, best first. Every unranked item is below every ranked
/// item, and unranked items are tied with each other. Build one with [`RankingProfileBuilder`].
#[derive(Debug, Clone)]
pub struct RankingProfile {
    records: Records,
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

/// A rating scale `min..=max` of integers, for example 1–9.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatingScale {
    min: i16,
    max: i16,
}

impl RatingScale {
    /// A scale from `min` to `max` inclusive.
    ///
    /// # Errors
    /// [`ProfileError::BadScale`] unless `min < max`.
    pub fn new(min: i16, max: i16) -> Result<Self, ProfileError> {
        if min >= max {
            return Err(ProfileError::BadScale { min, max });
        }
        Ok(RatingScale { min, max })
    }

    /// The GRADE / COMET 1–9 scale.
    pub fn one_to_nine() -> Self {
        RatingScale { min: 1, max: 9 }
    }

    /// The CHNRI answers as a scale: no = 0, undecided = 1, yes = 2.
    pub fn chnri() -> Self {
        RatingScale { min: 0, max: 2 }
    }

    /// The lowest rating.
    pub fn min(self) -> i16 {
        self.min
    }

    /// The highest rating.
    pub fn max(self) -> i16 {
        self.max
    }

    /// The number of points on the scale.
    pub fn points(self) -> i32 {
        i32::from(self.max) - i32::from(self.min) + 1
    }

    /// The bottom third of the scale: `min..=min + points/3 - 1` (1–3 on 1–9).
    pub fn bottom_band(self) -> (i16, i16) {
        let third = (self.points() / 3).max(1) as i16;
        (self.min, self.min + third - 1)
    }

    /// The top third of the scale: `max - points/3 + 1..=max` (7–9 on 1–9).
    pub fn top_band(self) -> (i16, i16) {
        let third = (self.points() / 3).max(1) as i16;
        (self.max - third + 1, self.max)
    }
}

impl fmt::Display for RatingScale {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}..={}", self.min, self.max)
    }
}

/// A CHNRI answer to one criterion (Rudan et al. 2008).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChnriAnswer {
    /// Yes: 1 point.
    Yes,
    /// Undecided: 0.5 points.
    Undecided,
    /// No: 0 points.
    No,
}

impl ChnriAnswer {
    /// The answer as a rating on [`RatingScale::chnri`].
    pub fn as_rating(self) -> i16 {
        match self {
            ChnriAnswer::No => 0,
            ChnriAnswer::Undecided => 1,
            ChnriAnswer::Yes => 2,
        }
    }
}

const MISSING_RATING: i16 = i16::MIN;

/// Rating ballots: for each respondent, for each item and criterion, a rating on the scale or
/// "don't know" (missing). Stored densely: items × criteria ratings per record.
#[derive(Debug, Clone)]
pub struct RatingProfile {
    records: Records,
    scale: RatingScale,
    criterion_count: usize,
    ratings: Vec<i16>,
}

impl RatingProfile {
    /// Starts an empty profile with one criterion.
    ///
    /// # Errors
    /// [`ProfileError::NoItems`], [`ProfileError::NoGroups`] or [`ProfileError::TooManyItems`].
    pub fn new(
        item_count: usize,
        group_count: usize,
        scale: RatingScale,
    ) -> Result<Self, ProfileError> {
        Self::with_criteria(item_count, group_count, 1, scale)
    }

    /// Starts an empty profile with `criterion_count` criteria per item (CHNRI style).
    ///
    /// # Errors
    /// As [`Self::new`], and [`ProfileError::NoCriteria`].
    pub fn with_criteria(
        item_count: usize,
        group_count: usize,
        criterion_count: usize,
        scale: RatingScale,
    ) -> Result<Self, ProfileError> {
        if criterion_count == 0 {
            return Err(ProfileError::NoCriteria);
        }
        Ok(RatingProfile {
            records: Records::new(item_count, group_count)?,
            scale,
            criterion_count,
            ratings: Vec::new(),
        })
    }

    /// Adds one respondent's ratings, `answers[item * criterion_count + criterion]`, `None`
    /// meaning "don't know".
    ///
    /// # Errors
    /// Group out of range, zero multiplicity, the wrong number of answers, a rating outside the
    /// scale, or no rating at all ([`ProfileError::EmptyBallot`]).
    pub fn push(
        &mut self,
        group: usize,
        multiplicity: u32,
        answers: &[Option<i16>],
    ) -> Result<(), ProfileError> {
        self.records.check_record(group, multiplicity)?;
        let ballot = self.records.next_ballot();
        let expected = self.records.item_count * self.criterion_count;
        if answers.len() != expected {
            return Err(ProfileError::WrongAnswerCount {
                ballot,
                expected,
                given: answers.len(),
            });
        }
        for (index, answer) in answers.iter().enumerate() {
            let outside = |rating: &i16| *rating < self.scale.min || *rating > self.scale.max;
            if let Some(rating) = answer.filter(outside) {
                return Err(ProfileError::RatingOutOfScale {
                    ballot,
                    item: index / self.criterion_count,
                    rating,
                    min: self.scale.min,
                    max: self.scale.max,
                });
            }
        }
        if answers.iter().all(Option::is_none) {
            return Err(ProfileError::EmptyBallot { ballot });
        }
        self.ratings.extend(
            answers
                .iter()
                .map(|answer| answer.unwrap_or(MISSING_RATING)),
        );
        self.records.push(group, multiplicity);
        Ok(())
    }

    /// The number of criteria per item.
    pub fn criterion_count(&self) -> usize {
        self.criterion_count
    }

    /// The rating scale.
    pub fn scale(&self) -> RatingScale {
        self.scale
    }

    /// The rating record `ballot` gave `item` on `criterion`, `None` for "don't know".
    ///
    /// # Panics
    /// If any index is out of range.
    pub fn rating(&self, ballot: usize, item: usize, criterion: usize) -> Option<i16> {
        assert!(item < self.item_count() && criterion < self.criterion_count);
        let value =
            self.ratings[(ballot * self.item_count() + item) * self.criterion_count + criterion];
        (value != MISSING_RATING).then_some(value)
    }
}

/// Pick ballots: each an unordered set of chosen items.
#[derive(Debug, Clone)]
pub struct PickProfile {
    records: Records,
    items: Vec<u32>,
    offsets: Vec<usize>,
}

impl PickProfile {
    /// Starts an empty profile.
    ///
    /// # Errors
    /// [`ProfileError::NoItems`], [`ProfileError::NoGroups`] or [`ProfileError::TooManyItems`].
    pub fn new(item_count: usize, group_count: usize) -> Result<Self, ProfileError> {
        Ok(PickProfile {
            records: Records::new(item_count, group_count)?,
            items: Vec::new(),
            offsets: vec![0],
        })
    }

    /// Adds one respondent's picks.
    ///
    /// # Errors
    /// Group or item out of range, a duplicate, nothing picked, or a zero multiplicity.
    pub fn push(
        &mut self,
        group: usize,
        multiplicity: u32,
        picked: &[usize],
    ) -> Result<(), ProfileError> {
        self.records.check_record(group, multiplicity)?;
        self.records.reset_if_wrapped();
        let stamp = self.records.stamp();
        let ballot = self.records.next_ballot();
        if picked.is_empty() {
            return Err(ProfileError::EmptyBallot { ballot });
        }
        for &item in picked {
            if let Err(error) = self.records.check_item(item, stamp) {
                self.records.seen_stamp.fill(0);
                return Err(error);
            }
        }
        self.items.extend(picked.iter().map(|&item| item as u32));
        self.offsets.push(self.items.len());
        self.records.push(group, multiplicity);
        Ok(())
    }

    /// The items picked by record `ballot`.
    ///
    /// # Panics
    /// If `ballot >= ballot_count()`.
    pub fn picked(&self, ballot: usize) -> impl Iterator<Item = usize> + '_ {
        self.items[self.offsets[ballot]..self.offsets[ballot + 1]]
            .iter()
            .map(|&item| item as usize)
    }
}

/// Pairwise ballots: each a list of (winner, loser) choices by one respondent.
#[derive(Debug, Clone)]
pub struct PairwiseProfile {
    records: Records,
    choices: Vec<(u32, u32)>,
    offsets: Vec<usize>,
}

impl PairwiseProfile {
    /// Starts an empty profile.
    ///
    /// # Errors
    /// [`ProfileError::NoItems`], [`ProfileError::NoGroups`] or [`ProfileError::TooManyItems`].
    pub fn new(item_count: usize, group_count: usize) -> Result<Self, ProfileError> {
        Ok(PairwiseProfile {
            records: Records::new(item_count, group_count)?,
            choices: Vec::new(),
            offsets: vec![0],
        })
    }

    /// Adds one respondent's choices as (winner, loser) pairs. The same pair may appear more
    /// than once (a respondent can be shown a pair again).
    ///
    /// # Errors
    /// Group or item out of range, an item compared with itself, no choices, or a zero
    /// multiplicity.
    pub fn push(
        &mut self,
        group: usize,
        multiplicity: u32,
        choices: &[(usize, usize)],
    ) -> Result<(), ProfileError> {
        self.records.check_record(group, multiplicity)?;
        let ballot = self.records.next_ballot();
        if choices.is_empty() {
            return Err(ProfileError::EmptyBallot { ballot });
        }
        let item_count = self.records.item_count;
        for &(winner, loser) in choices {
            for item in [winner, loser] {
                if item >= item_count {
                    return Err(ProfileError::ItemOutOfRange {
                        ballot,
                        item,
                        item_count,
                    });
                }
            }
            if winner == loser {
                return Err(ProfileError::SelfComparison {
                    ballot,
                    item: winner,
                });
            }
        }
        self.choices.extend(
            choices
                .iter()
                .map(|&(winner, loser)| (winner as u32, loser as u32)),
        );
        self.offsets.push(self.choices.len());
        self.records.push(group, multiplicity);
        Ok(())
    }

    /// The (winner, loser) choices of record `ballot`.
    ///
    /// # Panics
    /// If `ballot >= ballot_count()`.
    pub fn choices(&self, ballot: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.choices[self.offsets[ballot]..self.offsets[ballot + 1]]
            .iter()
            .map(|&(winner, loser)| (winner as usize, loser as usize))
    }
}

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

#[cfg(test)]
mod tests;
