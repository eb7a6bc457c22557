//! `ProfileError`: why a profile or one of its ballots was refused.

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
