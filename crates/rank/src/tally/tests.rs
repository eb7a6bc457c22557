use proptest::prelude::*;

use super::*;
use crate::rating::weighted_median;

/// The hand-worked example: a 1–5 scale, two groups, two items.
///
/// | record | group | multiplicity | item 0     | item 1     |
/// |--------|-------|--------------|------------|------------|
/// | 0      | 0     | 2            | 5          | don't know |
/// | 1      | 0     | 1            | 4          | 1          |
/// | 2      | 1     | 3            | 1          | 2          |
/// | 3      | 1     | 1            | don't know | 5          |
fn example() -> RatingTally {
    let mut profile = RatingProfile::new(2, 2, RatingScale::new(1, 5).unwrap()).unwrap();
    profile.push(0, 2, &[Some(5), None]).unwrap();
    profile.push(0, 1, &[Some(4), Some(1)]).unwrap();
    profile.push(1, 3, &[Some(1), Some(2)]).unwrap();
    profile.push(1, 1, &[None, Some(5)]).unwrap();
    RatingTally::from_profile(&profile, 0)
}

/// One row of the table: (item, group (`None`: everyone), counts at 1..=5, "don't know", rated,
/// counts in the bottom (1), middle (2–4) and top (5) bands, median).
type Row = (
    usize,
    Option<usize>,
    [u64; 5],
    u64,
    u64,
    [u64; 3],
    Option<f64>,
);

fn check(tally: &RatingTally, row: Row) {
    let (item, group, counts, dont_know, rated, bands, median) = row;
    let actual = tally.item(item, group);
    let context = format!("item {item}, group {group:?}");
    assert_eq!(actual.counts(), counts, "{context}: counts");
    assert_eq!(actual.dont_know(), dont_know, "{context}: don't know");
    assert_eq!(actual.rated(), rated, "{context}: rated");
    assert_eq!(actual.band_counts(), bands, "{context}: bands");
    assert_eq!(actual.median(), median, "{context}: median");
}

#[test]
fn the_hand_worked_example_counts_each_point_band_and_median() {
    let tally = example();
    assert_eq!(tally.respondents(Some(0)), 3);
    assert_eq!(tally.respondents(Some(1)), 4);
    assert_eq!(tally.respondents(None), 7);
    #[rustfmt::skip]
    let rows: [Row; 6] = [
        // Ratings 4, 5, 5.
        (0, Some(0), [0, 0, 0, 1, 2], 0, 3, [0, 1, 2], Some(5.0)),
        // Ratings 1, 1, 1.
        (0, Some(1), [3, 0, 0, 0, 0], 1, 3, [3, 0, 0], Some(1.0)),
        // Ratings 1, 1, 1, 4, 5, 5: the mean of the two middle ones, 1 and 4.
        (0, None,    [3, 0, 0, 1, 2], 1, 6, [3, 1, 2], Some(2.5)),
        // Rating 1.
        (1, Some(0), [1, 0, 0, 0, 0], 2, 1, [1, 0, 0], Some(1.0)),
        // Ratings 2, 2, 2, 5.
        (1, Some(1), [0, 3, 0, 0, 1], 0, 4, [0, 3, 1], Some(2.0)),
        // Ratings 1, 2, 2, 2, 5.
        (1, None,    [1, 3, 0, 0, 1], 2, 5, [1, 3, 1], Some(2.0)),
    ];
    for row in rows {
        check(&tally, row);
    }
}

#[test]
fn answers_added_one_by_one_give_the_same_tally_as_the_profile() {
    let mut tally = RatingTally::new(2, 2, RatingScale::new(1, 5).unwrap());
    for (group, weight, answers) in [
        (0, 2, [Some(5), None]),
        (0, 1, [Some(4), Some(1)]),
        (1, 3, [Some(1), Some(2)]),
        (1, 1, [None, Some(5)]),
    ] {
        tally.add_respondent(group, weight);
        for (item, answer) in answers.into_iter().enumerate() {
            tally.add_answer(group, item, answer, weight);
        }
    }
    assert_eq!(tally, example());
}

#[test]
fn bands_are_the_thirds_of_the_scale_with_the_points_between() {
    let bands = |min, max| ScaleBands::of(RatingScale::new(min, max).unwrap()).in_order();
    assert_eq!(bands(1, 9), [(1, 3), (4, 6), (7, 9)]);
    assert_eq!(bands(1, 5), [(1, 1), (2, 4), (5, 5)]);
    assert_eq!(bands(0, 10), [(0, 2), (3, 7), (8, 10)]);
    // Two points: no middle band.
    let [_, middle, _] = bands(1, 2);
    assert!(middle.0 > middle.1);
    let nine = RatingScale::one_to_nine();
    assert_eq!(
        band_count(
            nine,
            &[1, 0, 2, 0, 0, 4, 7, 0, 1],
            ScaleBands::of(nine).middle
        ),
        4
    );
    let counts = [1, 0, 2, 0, 0, 4, 7, 0, 1];
    let bands_of_nine = ScaleBands::of(nine).in_order();
    assert_eq!(
        bands_of_nine.map(|band| band_count(nine, &counts, band)),
        [3, 4, 8]
    );
    // Points off the scale count nothing.
    assert_eq!(band_count(nine, &counts, (-3, 1)), 1);
    assert_eq!(band_count(nine, &counts, (9, 12)), 1);
    assert_eq!(band_count(nine, &counts, (12, 20)), 0);
}

#[test]
fn the_median_of_counts_is_the_textbook_one() {
    let five = RatingScale::new(1, 5).unwrap();
    // 3, 3, 3, 4.
    assert_eq!(median_of_counts(five, &[0, 0, 3, 1, 0]), Some(3.0));
    // 1, 1, 5, 5.
    assert_eq!(median_of_counts(five, &[2, 0, 0, 0, 2]), Some(3.0));
    assert_eq!(median_of_counts(five, &[0, 0, 0, 0, 0]), None);
    let nine = RatingScale::one_to_nine();
    // 2, 7, 8, 9.
    assert_eq!(
        median_of_counts(nine, &[0, 1, 0, 0, 0, 0, 1, 1, 1]),
        Some(7.5)
    );
}

proptest! {
    #[test]
    fn bands_partition_the_ratings_and_the_median_is_rank_s(
        counts in proptest::collection::vec(0u64..50, 9)
    ) {
        let scale = RatingScale::one_to_nine();
        let mut tally = RatingTally::new(1, 1, scale);
        for (offset, &count) in counts.iter().enumerate() {
            tally.add_answer(0, 0, Some(1 + offset as i16), count);
        }
        let item = tally.item(0, None);
        prop_assert_eq!(item.band_counts().iter().sum::<u64>(), item.rated());
        let mut weighted: Vec<(i16, f64)> = counts
            .iter()
            .enumerate()
            .filter(|&(_, &count)| count > 0)
            .map(|(offset, &count)| (1 + offset as i16, count as f64))
            .collect();
        let expected = (!weighted.is_empty()).then(|| weighted_median(&mut weighted));
        prop_assert_eq!(item.median(), expected);
    }
}
