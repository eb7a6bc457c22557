use super::*;
use crate::test_support::parse_blocks;

#[test]
fn ballots_keep_their_blocks_groups_and_multiplicities() {
    let mut builder = RankingProfileBuilder::new(5, 2).unwrap();
    builder.push_blocks(1, 500, &parse_blocks("C(AB)")).unwrap();
    builder.push_ranks(0, 1, &[(4, 2), (0, 1), (3, 2)]).unwrap();
    let profile = builder.build();
    assert_eq!(profile.ballot_count(), 2);
    assert_eq!(profile.respondent_count(), 501);
    assert_eq!(profile.group_sizes(), vec![1, 500]);
    assert!(profile.has_ties());
    assert_eq!(profile.longest_ballot(), 3);
    let first = profile.ballot(0);
    assert_eq!((first.group, first.multiplicity), (1, 500));
    assert_eq!(first.blocks(), vec![vec![2], vec![0, 1]]);
    assert_eq!(profile.ballot(1).blocks(), vec![vec![0], vec![3, 4]]);
}

fn check_ranking_error(blocks: &[Vec<usize>], group: usize, count: u32, expected: ProfileError) {
    let mut builder = RankingProfileBuilder::new(3, 1).unwrap();
    builder.push_order(0, 1, &[0]).unwrap();
    assert_eq!(builder.push_blocks(group, count, blocks), Err(expected));
    // A failed ballot leaves nothing behind: the same items are accepted afterwards.
    builder.push_order(0, 1, &[0, 1, 2]).unwrap();
    let profile = builder.build();
    assert_eq!(profile.ballot_count(), 2);
    assert_eq!(profile.ballot(1).blocks(), vec![vec![0], vec![1], vec![2]]);
}

#[test]
fn bad_ranking_ballots_are_refused_with_their_reason() {
    check_ranking_error(
        &[vec![0], vec![3]],
        0,
        1,
        ProfileError::ItemOutOfRange {
            ballot: 1,
            item: 3,
            item_count: 3,
        },
    );
    check_ranking_error(
        &[vec![0, 1], vec![1]],
        0,
        1,
        ProfileError::DuplicateItem { ballot: 1, item: 1 },
    );
    check_ranking_error(
        &[vec![0, 1], vec![]],
        0,
        1,
        ProfileError::EmptyTieBlock {
            ballot: 1,
            block: 1,
        },
    );
    check_ranking_error(&[], 0, 1, ProfileError::EmptyBallot { ballot: 1 });
    check_ranking_error(
        &[vec![0]],
        1,
        1,
        ProfileError::GroupOutOfRange {
            ballot: 1,
            group: 1,
            group_count: 1,
        },
    );
    check_ranking_error(
        &[vec![0]],
        0,
        0,
        ProfileError::ZeroMultiplicity { ballot: 1 },
    );
}

#[test]
fn messages_are_lowercase_without_a_full_stop() {
    let errors = [
        ProfileError::NoItems,
        ProfileError::DuplicateItem { ballot: 2, item: 1 },
        ProfileError::BadScale { min: 3, max: 3 },
    ];
    for error in errors {
        let message = error.to_string();
        assert!(message.chars().next().unwrap().is_lowercase(), "{message}");
        assert!(!message.ends_with('.'), "{message}");
    }
    assert_eq!(
        ProfileError::DuplicateItem { ballot: 2, item: 1 }.to_string(),
        "ballot 2: item 1 appears more than once"
    );
}

#[test]
fn empty_shapes_are_refused() {
    assert_eq!(
        RankingProfileBuilder::new(0, 1).unwrap_err(),
        ProfileError::NoItems
    );
    assert_eq!(PickProfile::new(3, 0).unwrap_err(), ProfileError::NoGroups);
    assert_eq!(
        RatingScale::new(5, 5).unwrap_err(),
        ProfileError::BadScale { min: 5, max: 5 }
    );
}

#[test]
fn rating_ballots_are_checked_and_stored() {
    let mut profile = RatingProfile::new(2, 1, RatingScale::one_to_nine()).unwrap();
    profile.push(0, 1, &[Some(7), None]).unwrap();
    assert_eq!(
        profile.push(0, 1, &[Some(10), None]),
        Err(ProfileError::RatingOutOfScale {
            ballot: 1,
            item: 0,
            rating: 10,
            min: 1,
            max: 9
        })
    );
    assert_eq!(
        profile.push(0, 1, &[None, None]),
        Err(ProfileError::EmptyBallot { ballot: 1 })
    );
    assert_eq!(
        profile.push(0, 1, &[Some(1)]),
        Err(ProfileError::WrongAnswerCount {
            ballot: 1,
            expected: 2,
            given: 1
        })
    );
    assert_eq!(profile.rating(0, 0, 0), Some(7));
    assert_eq!(profile.rating(0, 1, 0), None);
}

#[test]
fn scale_bands_are_thirds() {
    let nine = RatingScale::one_to_nine();
    assert_eq!((nine.bottom_band(), nine.top_band()), ((1, 3), (7, 9)));
    let five = RatingScale::new(1, 5).unwrap();
    assert_eq!((five.bottom_band(), five.top_band()), ((1, 1), (5, 5)));
}

#[test]
fn pick_and_pairwise_ballots_are_checked() {
    let mut picks = PickProfile::new(3, 1).unwrap();
    picks.push(0, 2, &[2, 0]).unwrap();
    assert_eq!(
        picks.push(0, 1, &[1, 1]),
        Err(ProfileError::DuplicateItem { ballot: 1, item: 1 })
    );
    assert_eq!(picks.picked(0).collect::<Vec<_>>(), vec![2, 0]);
    let mut pairs = PairwiseProfile::new(3, 1).unwrap();
    pairs.push(0, 1, &[(0, 1), (0, 1)]).unwrap();
    assert_eq!(
        pairs.push(0, 1, &[(2, 2)]),
        Err(ProfileError::SelfComparison { ballot: 1, item: 2 })
    );
    assert_eq!(pairs.choices(0).count(), 2);
}
