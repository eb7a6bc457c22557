use super::*;
use crate::responses::read_responses;

fn responses(text: &str) -> Responses {
    read_responses(text.as_bytes(), "test.csv", None)
        .unwrap()
        .responses
}

#[test]
fn rankings_become_weak_orders_with_ties() {
    let ballots = to_ballots(
        &responses(
            "respondent,group,item,rank\nr1,g,a,1\nr1,g,b,2\nr2,h,b,1\nr2,h,c,1\nr2,h,a,3\n",
        ),
        ScaleChoice::Infer,
    )
    .unwrap();
    let Profile::Ranking(profile) = &ballots.profile else {
        panic!("ranking expected")
    };
    assert_eq!(profile.ballot_count(), 2);
    assert_eq!(profile.ballot(0).blocks(), vec![vec![0], vec![1]]);
    assert_eq!(profile.ballot(1).blocks(), vec![vec![1, 2], vec![0]]);
    assert_eq!(profile.groups(), &[0, 1]);
    assert!(ballots.excluded.is_empty());
}

#[test]
fn ratings_infer_the_grade_scale_and_exclude_all_dont_know() {
    let ballots = to_ballots(
        &responses("respondent,group,item,rating\nr1,g,a,7\nr1,g,b,\nr2,g,a,\nr2,g,b,\nr3,g,b,2\n"),
        ScaleChoice::Infer,
    )
    .unwrap();
    let Profile::Rating(profile) = &ballots.profile else {
        panic!("rating expected")
    };
    assert_eq!(profile.ballot_count(), 2);
    assert_eq!((profile.scale().min(), profile.scale().max()), (1, 9));
    assert_eq!(profile.rating(0, 0, 0), Some(7));
    assert_eq!(profile.rating(0, 1, 0), None);
    assert_eq!(profile.rating(1, 1, 0), Some(2));
    assert_eq!(
        ballots.excluded,
        [Exclusion {
            respondent: "r2".into(),
            reason: "answered \"don't know\" to everything"
        }]
    );
    assert_eq!(
        ballots.scale_source.as_deref(),
        Some("1-9, inferred: every rating lies within the GRADE scale")
    );
}

#[test]
fn a_stated_scale_is_checked() {
    let error = to_ballots(
        &responses("respondent,group,item,rating\nr1,g,a,7\n"),
        ScaleChoice::Stated { min: 1, max: 5 },
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "rating 7 of respondent `r1` is outside the scale 1-5"
    );
}

#[test]
fn chnri_answers_become_points_per_criterion() {
    let ballots = to_ballots(
        &responses("respondent,group,item,criterion,rating\nr1,g,a,x,yes\nr1,g,a,y,no\nr1,g,b,y,undecided\n"),
        ScaleChoice::Infer,
    )
    .unwrap();
    let Profile::Rating(profile) = &ballots.profile else {
        panic!("rating expected")
    };
    assert_eq!(profile.criterion_count(), 2);
    assert_eq!(profile.rating(0, 0, 0), Some(2));
    assert_eq!(profile.rating(0, 0, 1), Some(0));
    assert_eq!(profile.rating(0, 1, 0), None);
    assert_eq!(profile.rating(0, 1, 1), Some(1));
}

#[test]
fn mixed_ratings_and_suggestions_are_refused() {
    assert_eq!(
        to_ballots(
            &responses("respondent,group,item,rating\nr1,g,a,7\nr1,g,b,yes\n"),
            ScaleChoice::Infer
        )
        .unwrap_err(),
        BallotError::MixedRatings
    );
    assert_eq!(
        to_ballots(
            &responses("respondent,group,text\nr1,g,more research\n"),
            ScaleChoice::Infer
        )
        .unwrap_err(),
        BallotError::Suggestions
    );
}

#[test]
fn picks_and_pairs_keep_their_records() {
    let ballots = to_ballots(
        &responses("respondent,group,item\nr1,g,a\nr1,g,b\nr2,g,b\n"),
        ScaleChoice::Infer,
    )
    .unwrap();
    let Profile::Pick(profile) = &ballots.profile else {
        panic!("pick expected")
    };
    assert_eq!(profile.picked(0).collect::<Vec<_>>(), [0, 1]);
    let ballots = to_ballots(
        &responses("respondent,group,winner,loser\nr1,g,a,b\nr1,g,b,c\n"),
        ScaleChoice::Infer,
    )
    .unwrap();
    let Profile::Pairwise(profile) = &ballots.profile else {
        panic!("pairwise expected")
    };
    assert_eq!(profile.ballot_count(), 1);
}

#[test]
fn a_rating_tally_counts_every_respondent_and_only_ratings_on_the_scale() {
    // r1 (g): a = 7, b "don't know"; r2 (h): a = 8, b = 12 (off the 1-9 scale);
    // r3 (h): "don't know" to a, nothing else.
    let responses = responses(
        "respondent,group,item,rating\nr1,g,a,7\nr1,g,b,\nr2,h,a,8\nr2,h,b,12\nr3,h,a,\n",
    );
    let tally = rating_tally(&responses, RatingScale::one_to_nine());
    assert_eq!(tally.respondents(None), 3);
    assert_eq!(tally.respondents(Some(0)), 1);
    assert_eq!(tally.respondents(Some(1)), 2);
    let a = tally.item(0, None);
    assert_eq!(a.counts(), &[0, 0, 0, 0, 0, 0, 1, 1, 0]);
    assert_eq!((a.rated(), a.dont_know()), (2, 1));
    let b = tally.item(1, None);
    assert_eq!((b.rated(), b.dont_know()), (0, 1));
    let a_in_h = tally.item(0, Some(1));
    assert_eq!((a_in_h.rated(), a_in_h.dont_know()), (1, 1));
    assert_eq!(a_in_h.median(), Some(8.0));
}
