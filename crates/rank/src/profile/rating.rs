//! Rating ballots: `RatingProfile` on a `RatingScale` (with its bands), and CHNRI answers.

use std::fmt;

use super::ProfileError;
use super::records::Records;

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
    pub(super) records: Records,
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
