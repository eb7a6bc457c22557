use super::*;
use crate::test_support::assert_close;

fn nine(ratings: &[[Option<i16>; 3]]) -> RatingProfile {
    let mut profile = RatingProfile::new(3, 1, RatingScale::one_to_nine()).unwrap();
    for answers in ratings {
        profile.push(0, 1, answers).unwrap();
    }
    profile
}

/// Round 1: five respondents rate items A, B, C.
fn first_round() -> RatingProfile {
    nine(&[
        [Some(8), Some(2), Some(5)],
        [Some(9), Some(5), Some(5)],
        [Some(7), None, Some(6)],
        [Some(3), Some(7), None],
        [Some(5), Some(8), Some(4)],
    ])
}

/// Round 2: respondents 0, 1 and 3 of round 1 come back (records 0, 1, 2); one is new.
fn second_round() -> RatingProfile {
    nine(&[
        [Some(8), Some(3), Some(6)],
        [Some(8), Some(5), Some(9)],
        [Some(7), Some(7), None],
        [Some(9), None, Some(2)],
    ])
}

const SHARED: [(usize, usize); 3] = [(0, 0), (1, 1), (2, 2)];
const PANEL: [(usize, usize); 3] = [(0, 0), (1, 1), (3, 2)];

#[test]
fn items_worked_by_hand() {
    let result = stability(
        &first_round(),
        &second_round(),
        &SHARED,
        &PANEL,
        &DelphiThresholds::default(),
        0.2,
    )
    .unwrap();
    let [a, b, c] = &result.items[..] else {
        panic!("three items")
    };
    // A: round 1 rates 8, 9, 7, 3, 5: three of five in 7-9, median 7; round 2 rates 8, 8, 7, 9:
    // all in 7-9 and none in 1-3, so consensus in; median 8. Change 0.4: not stable.
    assert_close(a.first_share, 0.6, 1e-12);
    assert_close(a.second_share, 1.0, 1e-12);
    assert_close(a.change, 0.4, 1e-12);
    assert_eq!(a.stable, Some(false));
    assert_eq!(a.first_class, DelphiClass::NoConsensus);
    assert_eq!(a.second_class, DelphiClass::ConsensusIn);
    assert_eq!((a.first_median, a.second_median), (7.0, 8.0));
    // Panel on A: 8→8, 9→8, 3→7: two of three changed, by 0 + 1 + 4.
    assert_eq!((a.panel.respondents, a.panel.changed), (3, 2));
    assert_close(a.panel.changed_share, 2.0 / 3.0, 1e-12);
    assert_close(a.panel.mean_absolute_change, 5.0 / 3.0, 1e-12);

    // B: 2, 5, 7, 8 then 3, 5, 7: shares 1/2 and 1/3, change −1/6: stable for 0.2.
    assert_close(b.first_share, 0.5, 1e-12);
    assert_close(b.second_share, 1.0 / 3.0, 1e-12);
    assert_close(b.change, -1.0 / 6.0, 1e-12);
    assert_eq!(b.stable, Some(true));
    assert_eq!((b.first_median, b.second_median), (6.0, 5.0));
    assert_eq!((b.panel.respondents, b.panel.changed), (3, 1));
    assert_close(b.panel.mean_absolute_change, 1.0 / 3.0, 1e-12);

    // C: 5, 5, 6, 4 then 6, 9, 2: shares 0 and 1/3, so not stable; one in 7-9 and one in 1-3
    // in round 2, so no consensus. Panel: 5→6 and 5→9 (respondent 3 rated it in neither).
    assert_close(c.first_share, 0.0, 1e-12);
    assert!(
        c.first_share.is_sign_positive(),
        "no one in the band is +0, not −0"
    );
    assert_close(c.second_share, 1.0 / 3.0, 1e-12);
    assert_eq!(c.stable, Some(false));
    assert_eq!(c.second_class, DelphiClass::NoConsensus);
    assert_eq!((c.first_median, c.second_median), (5.0, 6.0));
    assert_eq!((c.panel.respondents, c.panel.changed), (2, 2));
    assert_close(c.panel.mean_absolute_change, 2.5, 1e-12);
}

#[test]
fn overall_worked_by_hand() {
    let result = stability(
        &first_round(),
        &second_round(),
        &SHARED,
        &PANEL,
        &DelphiThresholds::default(),
        0.2,
    )
    .unwrap();
    assert_eq!(result.stable_items, 1);
    assert_close(result.stable_share, 1.0 / 3.0, 1e-12);
    // Shares (0.6, 0.5, 0) then (1, 1/3, 1/3): A above B and C in both (concordant), B above C
    // in round 1 but tied with it in round 2. τ-b = (2 − 0) / √((3 − 0)(3 − 1)) = 2 / √6.
    assert_close(result.kendall_tau_b.unwrap(), 2.0 / 6f64.sqrt(), 1e-12);
    assert_eq!(result.panel_respondents, 3);
    // 3 + 3 + 2 paired ratings, 2 + 1 + 2 changed, by 5 + 1 + 5 points in all.
    assert_eq!((result.panel_ratings, result.panel_changed), (8, 5));
    assert_close(result.panel_mean_absolute_change, 11.0 / 8.0, 1e-12);
}

#[test]
fn stable_means_strictly_less_than_the_largest_change() {
    assert_eq!(is_stable(0.14, 0.15), Some(true));
    assert_eq!(is_stable(-0.14, 0.15), Some(true));
    // 0.70 − 0.55 is 0.1499999... in floating point, yet exactly 15 points: not stable.
    assert_eq!(is_stable(0.70 - 0.55, 0.15), Some(false));
    assert_eq!(is_stable(0.15, 0.15), Some(false));
    assert_eq!(is_stable(f64::NAN, 0.15), None);
    // With the default of 15 points, item B (−1/6) is no longer stable.
    let result = stability(
        &first_round(),
        &second_round(),
        &SHARED,
        &PANEL,
        &DelphiThresholds::default(),
        DEFAULT_MAX_CHANGE,
    )
    .unwrap();
    assert_eq!(result.stable_items, 0);
}

#[test]
fn an_item_unrated_in_one_round_is_not_stable() {
    let first = nine(&[[Some(8), None, Some(5)], [Some(9), None, Some(5)]]);
    let second = nine(&[[Some(8), Some(8), Some(5)], [Some(9), Some(2), Some(5)]]);
    let result = stability(
        &first,
        &second,
        &SHARED,
        &[(0, 0), (1, 1)],
        &DelphiThresholds::default(),
        0.15,
    )
    .unwrap();
    assert!(result.items[1].first_share.is_nan());
    assert_eq!(result.items[1].stable, None);
    assert_eq!(result.items[1].panel.respondents, 0);
    assert!(result.items[1].panel.mean_absolute_change.is_nan());
    assert_eq!(result.stable_items, 2);
    assert_close(result.stable_share, 2.0 / 3.0, 1e-12);
}

#[test]
fn items_are_matched_through_the_mapping() {
    // Round 2 asks only about C and A, in that order.
    let mut second = RatingProfile::new(2, 1, RatingScale::one_to_nine()).unwrap();
    second.push(0, 1, &[Some(6), Some(8)]).unwrap();
    second.push(0, 1, &[Some(9), Some(8)]).unwrap();
    let result = stability(
        &first_round(),
        &second,
        &[(0, 1), (2, 0)],
        &[(0, 0), (1, 1)],
        &DelphiThresholds::default(),
        0.15,
    )
    .unwrap();
    assert_eq!(result.items.len(), 2);
    assert_eq!(
        (result.items[0].first_item, result.items[0].second_item),
        (0, 1)
    );
    assert_close(result.items[0].second_share, 1.0, 1e-12);
    // C: 5→6 and 5→9 for the two who came back; top band 0 then 1/2.
    assert_close(result.items[1].change, 0.5, 1e-12);
    assert_eq!(result.items[1].panel.changed, 2);
}

#[test]
fn bad_inputs_are_refused() {
    let other_scale = RatingProfile::new(3, 1, RatingScale::new(1, 5).unwrap()).unwrap();
    let thresholds = DelphiThresholds::default();
    assert!(matches!(
        stability(
            &first_round(),
            &other_scale,
            &SHARED,
            &[],
            &thresholds,
            0.15
        ),
        Err(StabilityError::ScalesDiffer { .. })
    ));
    assert_eq!(
        stability(
            &first_round(),
            &second_round(),
            &[(0, 3)],
            &[],
            &thresholds,
            0.15
        ),
        Err(StabilityError::ItemOutOfRange {
            first: 0,
            second: 3
        })
    );
    assert_eq!(
        stability(
            &first_round(),
            &second_round(),
            &SHARED,
            &[(5, 0)],
            &thresholds,
            0.15
        ),
        Err(StabilityError::RecordOutOfRange {
            first: 5,
            second: 0
        })
    );
    assert!(matches!(
        stability(
            &first_round(),
            &second_round(),
            &SHARED,
            &[],
            &thresholds,
            1.5
        ),
        Err(StabilityError::BadThreshold {
            name: "max_change",
            ..
        })
    ));
}

fn round_two_stability() -> Stability {
    stability(
        &first_round(),
        &second_round(),
        &SHARED,
        &PANEL,
        &DelphiThresholds::default(),
        0.2,
    )
    .unwrap()
}

#[test]
fn stopping_by_consensus() {
    let result = round_two_stability();
    let classes: Vec<DelphiClass> = result.items.iter().map(|item| item.second_class).collect();
    // One of three items (A) reached consensus.
    let decision =
        evaluate_stopping(StoppingRule::Consensus { share: 0.3 }, &classes, None, 2, 3).unwrap();
    assert!(decision.met);
    let StoppingEvidence::Consensus {
        reached,
        items,
        share,
        required,
    } = decision.evidence
    else {
        panic!("consensus evidence")
    };
    assert_eq!((reached, items, required), (1, 3, 0.3));
    assert_close(share, 1.0 / 3.0, 1e-12);
    let decision =
        evaluate_stopping(StoppingRule::Consensus { share: 0.5 }, &classes, None, 2, 3).unwrap();
    assert!(!decision.met);
}

#[test]
fn stopping_by_stability_uses_the_rules_own_largest_change() {
    let result = round_two_stability();
    // For 0.2, only B (−1/6) is stable: 1 of 3 meets a third exactly.
    let rule = StoppingRule::Stability {
        max_change: 0.2,
        share: 1.0 / 3.0,
    };
    let decision = evaluate_stopping(rule, &[], Some(&result), 2, 2).unwrap();
    assert!(decision.met);
    assert_eq!(
        decision.evidence,
        StoppingEvidence::Stability {
            stable: 1,
            items: 3,
            share: 1.0 / 3.0,
            required: 1.0 / 3.0,
            max_change: 0.2
        }
    );
    // For 0.15, none is stable; 0.35 makes A (0.4) still unstable but C (1/3) stable.
    let strict = StoppingRule::Stability {
        max_change: 0.15,
        share: 0.3,
    };
    assert!(
        !evaluate_stopping(strict, &[], Some(&result), 2, 2)
            .unwrap()
            .met
    );
    let loose = StoppingRule::Stability {
        max_change: 0.35,
        share: 0.6,
    };
    let decision = evaluate_stopping(loose, &[], Some(&result), 2, 2).unwrap();
    assert!(decision.met);
    assert!(matches!(
        decision.evidence,
        StoppingEvidence::Stability { stable: 2, .. }
    ));
    // The first rating round has nothing to be stable against.
    let decision = evaluate_stopping(rule, &[], None, 1, 2).unwrap();
    assert!(!decision.met);
    assert_eq!(decision.evidence, StoppingEvidence::NoEarlierRound);
}

#[test]
fn stopping_after_a_fixed_number_of_rounds() {
    let decision = evaluate_stopping(StoppingRule::Rounds, &[], None, 1, 2).unwrap();
    assert!(!decision.met);
    assert_eq!(
        decision.evidence,
        StoppingEvidence::Rounds {
            round: 1,
            rounds: 2
        }
    );
    assert!(
        evaluate_stopping(StoppingRule::Rounds, &[], None, 2, 2)
            .unwrap()
            .met
    );
    assert!(matches!(
        evaluate_stopping(StoppingRule::Consensus { share: -0.1 }, &[], None, 1, 1),
        Err(StabilityError::BadThreshold { name: "share", .. })
    ));
}

#[test]
fn consensus_of_one_round_worked_by_hand() {
    let items = consensus(&second_round(), &DelphiThresholds::default()).unwrap();
    // A: 8, 8, 7, 9: all in 7-9, none in 1-3, consensus in.
    assert_eq!(items[0].respondents, 4);
    assert_close(items[0].top_share, 1.0, 1e-12);
    assert_close(items[0].bottom_share, 0.0, 1e-12);
    assert_eq!(items[0].median, 8.0);
    assert_eq!(items[0].class, DelphiClass::ConsensusIn);
    // B: 3, 5, 7: a third in each band.
    assert_eq!(items[1].respondents, 3);
    assert_close(items[1].bottom_share, 1.0 / 3.0, 1e-12);
    assert_eq!(items[1].class, DelphiClass::NoConsensus);
    // Out: three of four rate 1-3 (75% >= 70%) and none 7-9.
    let out = nine(&[
        [Some(1), Some(5), Some(5)],
        [Some(2), Some(5), Some(5)],
        [Some(3), Some(5), Some(5)],
        [Some(5), Some(5), Some(5)],
    ]);
    let items = consensus(&out, &DelphiThresholds::default()).unwrap();
    assert_eq!(items[0].class, DelphiClass::ConsensusOut);
    assert_close(items[0].bottom_share, 0.75, 1e-12);
}
