use super::*;
use survey::responses::read_responses;

const CSV: &str = "respondent,group,item,rating
r1,carers,a,9
r1,carers,b,
r2,carers,a,7
r3,young,a,2
r3,young,b,5
r4,young,a,8
";

fn tallies() -> Distribution {
    let responses = read_responses(CSV.as_bytes(), "t.csv", None)
        .unwrap()
        .responses;
    Distribution::from_responses(&responses, RatingScale::one_to_nine())
}

fn check(actual: ItemCounts, points: &[(i32, u64)], dont_know: u64) {
    let mut expected = vec![0; 9];
    for &(point, count) in points {
        expected[(point - 1) as usize] = count;
    }
    assert_eq!(
        (actual.counts().to_vec(), actual.dont_know()),
        (expected, dont_know)
    );
}

#[test]
fn tallies_count_each_point_and_dont_know_per_group_and_overall() {
    let tallies = tallies();
    assert_eq!(tallies.respondents(None), 4);
    assert_eq!(tallies.respondents(Some("carers")), 2);
    assert_eq!(tallies.respondents(Some("young")), 2);
    assert_eq!(tallies.respondents(Some("nobody")), 0);
    check(
        tallies.item("a", None),
        &[(2, 1), (7, 1), (8, 1), (9, 1)],
        0,
    );
    check(tallies.item("b", None), &[(5, 1)], 1);
    check(tallies.item("a", Some("carers")), &[(7, 1), (9, 1)], 0);
    check(tallies.item("b", Some("carers")), &[], 1);
    check(tallies.item("b", Some("young")), &[(5, 1)], 0);
    // An item the round did not ask about, and a group it does not know: nothing.
    check(tallies.item("z", None), &[], 0);
    check(tallies.item("a", Some("nobody")), &[], 0);
}

/// The median is `rank::tally`'s; its cases from counts alone are tested there.
#[test]
fn the_median_is_the_textbook_one() {
    let tallies = tallies();
    // 2, 7, 8, 9: the mean of the two middle ratings.
    assert_eq!(tallies.item("a", None).median(), Some(7.5));
    // 7, 9.
    assert_eq!(tallies.item("a", Some("carers")).median(), Some(8.0));
    // 2, 8.
    assert_eq!(tallies.item("a", Some("young")).median(), Some(5.0));
    assert_eq!(tallies.item("b", None).median(), Some(5.0));
    assert_eq!(tallies.item("b", Some("carers")).median(), None);
}

fn feedback_on(min: i32, max: i32) -> RoundFeedback {
    RoundFeedback {
        from_round: "r".to_string(),
        from_title: "R".to_string(),
        from_number: 1,
        requested: FeedbackBy::Overall,
        shown: FeedbackBy::Overall,
        group: "g".to_string(),
        group_respondents: 0,
        respondents: 0,
        disclosure_threshold: 5,
        own_submitted: false,
        scale: RatingScale::new(min as i16, max as i16).unwrap(),
        min,
        max,
        labels: BTreeMap::new(),
        items: Vec::new(),
    }
}

#[test]
fn bands_are_the_thirds_of_the_scale_that_delphi_consensus_uses() {
    assert_eq!(feedback_on(1, 9).bands(), [(1, 3), (4, 6), (7, 9)]);
    assert_eq!(feedback_on(1, 5).bands(), [(1, 1), (2, 4), (5, 5)]);
    assert_eq!(feedback_on(0, 10).bands(), [(0, 2), (3, 7), (8, 10)]);
    // Two points: no middle band.
    let [_, middle, _] = feedback_on(1, 2).bands();
    assert!(middle.0 > middle.1);
    // The same bands as `rank`'s.
    let scale = rank::RatingScale::new(1, 9).unwrap();
    let [bottom, _, top] = feedback_on(1, 9).bands();
    assert_eq!((bottom.0 as i16, bottom.1 as i16), scale.bottom_band());
    assert_eq!((top.0 as i16, top.1 as i16), scale.top_band());
    let mut feedback = feedback_on(1, 9);
    let item = ItemFeedback {
        item: "a".to_string(),
        own: OwnRating::NotRated,
        counts: vec![1, 0, 2, 0, 0, 4, 7, 0, 1],
        dont_know: 0,
        rated: 15,
        median: None,
    };
    feedback.items.push(item.clone());
    let counts: Vec<u64> = feedback
        .bands()
        .iter()
        .map(|&band| feedback.band_count(&item, band))
        .collect();
    assert_eq!(counts, [3, 4, 8]);
}

#[test]
fn point_counts_serialise_in_scale_order() {
    let counts = PointCounts(vec![(1, 3), (2, 0), (10, 1)]);
    assert_eq!(
        serde_json::to_string(&counts).unwrap(),
        r#"{"1":3,"2":0,"10":1}"#
    );
}
