//! Rating tallies: how many respondents gave each point of a scale to each item, per group, with
//! the "don't know" answers beside them; the bands of the scale (bottom, middle and top thirds)
//! and the median read from the counts.
//!
//! This is the one tally behind the Delphi feedback a re-rating round shows (the service) and
//! the distribution of ratings in the method report. The bands are [`RatingScale`]'s
//! ([`RatingScale::bottom_band`], [`RatingScale::top_band`]), with the points between them as
//! the middle band, so that feedback, report and the Delphi classification of
//! [`crate::rating::delphi`] agree on what "rated 7–9" means.
//!
//! # Definitions
//!
//! For a scale `min..=max` with `P = max − min + 1` points, group `g`, item `i` and point `x`:
//!
//! - `count(g, i, x) = Σ_r w_r · [group(r) = g ∧ x_r(i) = x]`, where `w_r` is the multiplicity of
//!   record `r` (the number of identical respondents it stands for);
//! - `dont_know(g, i) = Σ_r w_r · [group(r) = g ∧ r answered "don't know" to i]`;
//! - over every group, `count(i, x) = Σ_g count(g, i, x)`, and likewise for `dont_know`;
//! - `rated(i) = Σ_x count(i, x)` ("don't know" excluded);
//! - `band_count(i, [a, b]) = Σ_{x = a}^{b} count(i, x)`;
//! - the median is the textbook median of the `n = rated(i)` ratings sorted ascending,
//!   `x_(1) ≤ … ≤ x_(n)`: `x_((n+1)/2)` for odd `n`, `(x_(n/2) + x_(n/2+1)) / 2` for even `n`,
//!   none for `n = 0`. It equals [`crate::rating::weighted_median`] with the counts as weights,
//!   computed exactly in integers.

use crate::profile::{RatingProfile, RatingScale};

/// The bands of a scale, each as (lowest, highest) point.
///
/// `bottom` and `top` are [`RatingScale::bottom_band`] and [`RatingScale::top_band`] (1–3 and
/// 7–9 on 1–9, 1 and 5 on 1–5); `middle` is every point between them (4–6 on 1–9), and is empty
/// (`lowest > highest`) on a scale of two points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleBands {
    /// The bottom third of the scale.
    pub bottom: (i16, i16),
    /// The points between the bottom and top bands; `lowest > highest` when there are none.
    pub middle: (i16, i16),
    /// The top third of the scale.
    pub top: (i16, i16),
}

impl ScaleBands {
    /// The bands of `scale`.
    ///
    /// Complexity: O(1).
    pub fn of(scale: RatingScale) -> ScaleBands {
        let bottom = scale.bottom_band();
        let top = scale.top_band();
        ScaleBands {
            bottom,
            middle: (bottom.1 + 1, top.0 - 1),
            top,
        }
    }

    /// The bands in scale order: bottom, middle, top.
    pub fn in_order(self) -> [(i16, i16); 3] {
        [self.bottom, self.middle, self.top]
    }
}

/// The sum of `counts` (one per point of `scale`, lowest first) over the points of `band`
/// (lowest, highest) that lie on the scale; 0 for an empty band.
///
/// Complexity: O(points in the band).
pub fn band_count(scale: RatingScale, counts: &[u64], (lowest, highest): (i16, i16)) -> u64 {
    let from = i32::from(lowest.max(scale.min())) - i32::from(scale.min());
    let to = i32::from(highest.min(scale.max())) - i32::from(scale.min());
    (from..=to)
        .filter_map(|offset| counts.get(offset as usize))
        .sum()
}

/// The median of ratings given as counts per point of `scale`, lowest point first: see the
/// module's definition. `None` when every count is 0.
///
/// Complexity: O(points).
pub fn median_of_counts(scale: RatingScale, counts: &[u64]) -> Option<f64> {
    let rated: u64 = counts.iter().sum();
    if rated == 0 {
        return None;
    }
    // The point of the k-th smallest rating (1-based): the first point whose cumulative count
    // reaches k.
    let kth = |k: u64| -> f64 {
        let mut cumulative = 0;
        for (offset, &count) in counts.iter().enumerate() {
            cumulative += count;
            if cumulative >= k {
                return f64::from(i32::from(scale.min()) + offset as i32);
            }
        }
        f64::from(scale.max())
    };
    if rated % 2 == 1 {
        Some(kth(rated.div_ceil(2)))
    } else {
        Some((kth(rated / 2) + kth(rated / 2 + 1)) / 2.0)
    }
}

/// How one item was rated, in one group or in all: the count at each point of the scale, lowest
/// first, and the count of "don't know".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemCounts {
    scale: RatingScale,
    counts: Vec<u64>,
    dont_know: u64,
}

impl ItemCounts {
    /// No answers at all on `scale`: every count 0.
    pub fn none(scale: RatingScale) -> ItemCounts {
        ItemCounts {
            scale,
            counts: vec![0; scale.points() as usize],
            dont_know: 0,
        }
    }

    /// The scale counted on.
    pub fn scale(&self) -> RatingScale {
        self.scale
    }

    /// The count at each point of the scale, lowest first.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// The counts at each point, lowest first, taken out.
    pub fn into_counts(self) -> Vec<u64> {
        self.counts
    }

    /// The count of "don't know".
    pub fn dont_know(&self) -> u64 {
        self.dont_know
    }

    /// The ratings given, "don't know" excluded: the sum of the counts.
    ///
    /// Complexity: O(points).
    pub fn rated(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The count in `band` (lowest, highest); see [`band_count`].
    pub fn band_count(&self, band: (i16, i16)) -> u64 {
        band_count(self.scale, &self.counts, band)
    }

    /// The counts in the bottom, middle and top bands of the scale ([`ScaleBands`]).
    ///
    /// Complexity: O(points).
    pub fn band_counts(&self) -> [u64; 3] {
        ScaleBands::of(self.scale)
            .in_order()
            .map(|band| self.band_count(band))
    }

    /// The median of the ratings given; see [`median_of_counts`].
    pub fn median(&self) -> Option<f64> {
        median_of_counts(self.scale, &self.counts)
    }
}

/// The counts of ratings per group × item × point of a scale, with "don't know" per group ×
/// item and respondents per group.
///
/// Stored flat: the count of group `g`, item `i`, point `x` is at
/// `(g · items + i) · points + (x − min)`; memory O(groups · items · points).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingTally {
    scale: RatingScale,
    item_count: usize,
    group_count: usize,
    /// Respondents per group.
    respondents: Vec<u64>,
    /// `counts[(group * items + item) * points + point - min]`.
    counts: Vec<u64>,
    /// `dont_know[group * items + item]`.
    dont_know: Vec<u64>,
}

impl RatingTally {
    /// An empty tally of `item_count` items and `group_count` groups on `scale`.
    ///
    /// Complexity: O(groups · items · points).
    pub fn new(item_count: usize, group_count: usize, scale: RatingScale) -> RatingTally {
        let points = scale.points() as usize;
        RatingTally {
            scale,
            item_count,
            group_count,
            respondents: vec![0; group_count],
            counts: vec![0; group_count * item_count * points],
            dont_know: vec![0; group_count * item_count],
        }
    }

    /// The tally of one criterion of a rating profile (criterion 0 for a profile of plain
    /// ratings), on the profile's scale; every record counts its multiplicity.
    ///
    /// A profile stores "don't know" and an item left unrated alike, as a missing rating, so
    /// here both count as "don't know". A respondent who rated nothing is not in a profile at
    /// all (it refuses empty ballots), so is counted nowhere.
    ///
    /// Complexity: O(records · items + groups · items · points).
    ///
    /// # Panics
    /// If `criterion >= profile.criterion_count()`.
    pub fn from_profile(profile: &RatingProfile, criterion: usize) -> RatingTally {
        assert!(criterion < profile.criterion_count());
        let mut tally =
            RatingTally::new(profile.item_count(), profile.group_count(), profile.scale());
        let records = profile.groups().iter().zip(profile.multiplicities());
        for (record, (&group, &multiplicity)) in records.enumerate() {
            let (group, weight) = (group as usize, u64::from(multiplicity));
            tally.add_respondent(group, weight);
            for item in 0..profile.item_count() {
                tally.add_answer(group, item, profile.rating(record, item, criterion), weight);
            }
        }
        tally
    }

    /// Counts `weight` more respondents in `group`.
    ///
    /// # Panics
    /// If `group` is out of range.
    pub fn add_respondent(&mut self, group: usize, weight: u64) {
        self.respondents[group] += weight;
    }

    /// Counts `weight` answers of `group` to `item`: a rating, or "don't know" (`None`).
    ///
    /// Complexity: O(1).
    ///
    /// # Panics
    /// If `group` or `item` is out of range, or the rating is off the scale.
    pub fn add_answer(&mut self, group: usize, item: usize, rating: Option<i16>, weight: u64) {
        assert!(group < self.group_count && item < self.item_count);
        let cell = group * self.item_count + item;
        match rating {
            None => self.dont_know[cell] += weight,
            Some(rating) => {
                assert!(
                    (self.scale.min()..=self.scale.max()).contains(&rating),
                    "rating {rating} is off the scale {}",
                    self.scale
                );
                let offset = (i32::from(rating) - i32::from(self.scale.min())) as usize;
                let index = cell * self.points() + offset;
                self.counts[index] += weight;
            }
        }
    }

    /// The scale counted on.
    pub fn scale(&self) -> RatingScale {
        self.scale
    }

    /// The number of items.
    pub fn item_count(&self) -> usize {
        self.item_count
    }

    /// The number of groups.
    pub fn group_count(&self) -> usize {
        self.group_count
    }

    fn points(&self) -> usize {
        self.scale.points() as usize
    }

    /// Respondents in `group`, or in every group (`None`).
    ///
    /// Complexity: O(groups).
    ///
    /// # Panics
    /// If `group` is out of range.
    pub fn respondents(&self, group: Option<usize>) -> u64 {
        match group {
            Some(group) => self.respondents[group],
            None => self.respondents.iter().sum(),
        }
    }

    /// How `item` was rated in `group`, or in every group (`None`).
    ///
    /// Complexity: O(groups · points).
    ///
    /// # Panics
    /// If `group` or `item` is out of range.
    pub fn item(&self, item: usize, group: Option<usize>) -> ItemCounts {
        assert!(item < self.item_count);
        let groups = match group {
            Some(group) => {
                assert!(group < self.group_count);
                group..group + 1
            }
            None => 0..self.group_count,
        };
        let points = self.points();
        let mut counts = vec![0; points];
        let mut dont_know = 0;
        for group in groups {
            let cell = group * self.item_count + item;
            for (total, &count) in counts
                .iter_mut()
                .zip(&self.counts[cell * points..(cell + 1) * points])
            {
                *total += count;
            }
            dont_know += self.dont_know[cell];
        }
        ItemCounts {
            scale: self.scale,
            counts,
            dont_know,
        }
    }
}

#[cfg(test)]
mod tests;
