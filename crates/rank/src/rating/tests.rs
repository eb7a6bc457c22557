use super::*;
use crate::test_support::{assert_all_close, assert_close};

fn nine(ratings: &[&[Option<i16>]]) -> RatingProfile {
    let mut profile = RatingProfile::new(ratings[0].len(), 1, RatingScale::one_to_nine()).unwrap();
    for answers in ratings {
        profile.push(0, 1, answers).unwrap();
    }
    profile
}

#[test]
fn mean_median_and_top_box_ignore_dont_know() {
    let profile = nine(&[
        &[Some(9), Some(1)],
        &[Some(7), None],
        &[Some(2), Some(5)],
        &[Some(8), Some(6)],
    ]);
    let weights = [1.0; 4];
    assert_all_close(&mean(&profile, &weights).scores, &[6.5, 4.0], 1e-12);
    // Item 0: 2, 7, 8, 9 → (7 + 8) / 2; item 1: 1, 5, 6 → 5.
    assert_all_close(&median(&profile, &weights).scores, &[7.5, 5.0], 1e-12);
    assert_all_close(&top_box(&profile, &weights, 7).scores, &[0.75, 0.0], 1e-12);
}

#[test]
fn weighted_median_of_weights() {
    assert_eq!(weighted_median(&mut [(1, 1.0), (5, 3.0)]), 5.0);
    assert_eq!(weighted_median(&mut [(1, 2.0), (5, 2.0)]), 3.0);
    assert_eq!(weighted_median(&mut [(4, 1.0), (2, 1.0), (9, 1.0)]), 4.0);
    assert!(weighted_median(&mut []).is_nan());
}

fn check_delphi(ratings: &[i16], expected: DelphiClass, top_share: f64) {
    let answers: Vec<Vec<Option<i16>>> = ratings.iter().map(|&r| vec![Some(r)]).collect();
    let rows: Vec<&[Option<i16>]> = answers.iter().map(Vec::as_slice).collect();
    let profile = nine(&rows);
    let outcome = delphi(
        &profile,
        &vec![1.0; ratings.len()],
        &DelphiThresholds::default(),
    );
    assert_eq!(
        outcome.details,
        Details::Delphi(vec![expected]),
        "{ratings:?}"
    );
    assert_close(outcome.scores[0], top_share, 1e-12);
}

#[test]
fn delphi_classification() {
    // 7 of 10 at 7–9 and 1 of 10 (10% < 15%) at 1–3: in.
    check_delphi(
        &[7, 7, 8, 8, 9, 9, 9, 5, 5, 2],
        DelphiClass::ConsensusIn,
        0.7,
    );
    // 7 of 10 at 7–9 but 2 of 10 (20%) at 1–3: no consensus.
    check_delphi(
        &[7, 7, 8, 8, 9, 9, 9, 5, 1, 2],
        DelphiClass::NoConsensus,
        0.7,
    );
    // 6 of 10 at 7–9: no consensus.
    check_delphi(
        &[7, 7, 8, 8, 9, 9, 5, 5, 5, 5],
        DelphiClass::NoConsensus,
        0.6,
    );
    // 8 of 10 at 1–3, none at 7–9: out.
    check_delphi(
        &[1, 1, 2, 2, 3, 3, 3, 3, 4, 6],
        DelphiClass::ConsensusOut,
        0.0,
    );
}

#[test]
fn delphi_within_every_group() {
    let mut profile = RatingProfile::new(1, 2, RatingScale::one_to_nine()).unwrap();
    profile.push(0, 8, &[Some(9)]).unwrap();
    profile.push(1, 1, &[Some(8)]).unwrap();
    profile.push(1, 1, &[Some(2)]).unwrap();
    // Record weights are multiplicity × group weight: 9 of 10 at 7–9, 1 of 10 at 1–3.
    let weights = [8.0, 1.0, 1.0];
    let overall = delphi(&profile, &weights, &DelphiThresholds::default());
    assert_eq!(
        overall.details,
        Details::Delphi(vec![DelphiClass::ConsensusIn])
    );
    let strict = DelphiThresholds {
        within_every_group: true,
        ..DelphiThresholds::default()
    };
    // Group 1 alone is 50% / 50%: no consensus there, so none overall.
    assert_eq!(
        delphi(&profile, &weights, &strict).details,
        Details::Delphi(vec![DelphiClass::NoConsensus])
    );
}

#[test]
fn delphi_within_every_group_never_reads_a_pooled_group_alone() {
    let pooled = DelphiThresholds {
        within_every_group: true,
        pool_groups_below: 5,
        ..DelphiThresholds::default()
    };
    let alone = DelphiThresholds {
        pool_groups_below: 0,
        ..pooled
    };
    // Groups of 6 and 6 rate 8; one person, a group of 1, rates 2. Overall 12 of 13 (92%) at
    // 7–9 and 1 of 13 (7.7%) at 1–3: consensus in. With a threshold of 5 the group of 1 is
    // pooled with the smallest shown group (the first 6): 6 of 7 (86%) in, 1 of 7 (14%) out,
    // still consensus in. Read alone, the group of 1 (0% in) would say no consensus: the
    // pooled check must not look at it.
    let mut profile = RatingProfile::new(1, 3, RatingScale::one_to_nine()).unwrap();
    profile.push(0, 6, &[Some(8)]).unwrap();
    profile.push(1, 6, &[Some(8)]).unwrap();
    profile.push(2, 1, &[Some(2)]).unwrap();
    let weights = [6.0, 6.0, 1.0];
    assert_eq!(
        delphi(&profile, &weights, &pooled).details,
        Details::Delphi(vec![DelphiClass::ConsensusIn])
    );
    assert_eq!(
        delphi(&profile, &weights, &alone).details,
        Details::Delphi(vec![DelphiClass::NoConsensus])
    );
    // Groups of 20 and 5 rate 8, a group of 2 rates 2. Overall 25 of 27 (93%) in, 2 of 27
    // (7.4%) out: consensus in. The pool (the 2 with the 5) has 5 of 7 (71%) in and 2 of 7
    // (29%) out: no consensus there, so none overall.
    let mut profile = RatingProfile::new(1, 3, RatingScale::one_to_nine()).unwrap();
    profile.push(0, 20, &[Some(8)]).unwrap();
    profile.push(1, 5, &[Some(8)]).unwrap();
    profile.push(2, 2, &[Some(2)]).unwrap();
    let weights = [20.0, 5.0, 2.0];
    assert_eq!(
        delphi(&profile, &weights, &pooled).details,
        Details::Delphi(vec![DelphiClass::NoConsensus])
    );
}

fn check_rand(
    ratings: &[i16],
    p30: f64,
    p70: f64,
    ipras: f64,
    disagreement: bool,
    class: Appropriateness,
) {
    let result = rand_ucla_item(ratings).unwrap();
    assert_close(result.p30, p30, 1e-12);
    assert_close(result.p70, p70, 1e-12);
    assert_close(result.ipr, p70 - p30, 1e-12);
    assert_close(result.ipras, ipras, 1e-12);
    assert_eq!(result.disagreement, disagreement, "{ratings:?}");
    assert_eq!(result.class, class);
    if disagreement {
        assert_eq!(result.final_class(), Appropriateness::Uncertain);
    } else {
        assert_eq!(result.final_class(), class);
    }
}

/// RAND/UCLA worked by hand, panels of nine, percentiles by linear interpolation with
/// h = (n − 1) p (so P30 sits at h = 2.4 and P70 at h = 5.6, 0-based):
#[test]
fn rand_ucla_worked_examples() {
    // 1..9: P30 = 3 + 0.4 = 3.4; P70 = 6 + 0.6 = 6.6; IPR 3.2; IPRCP 5, AI 0, IPRAS 2.35:
    // disagreement; median 5: uncertain.
    check_rand(
        &[1, 2, 3, 4, 5, 6, 7, 8, 9],
        3.4,
        6.6,
        2.35,
        true,
        Appropriateness::Uncertain,
    );
    // 7 7 8 8 8 8 9 9 9: P30 = 8; P70 = 8 + 0.6 = 8.6; IPR 0.6; IPRCP 8.3, AI 3.3,
    // IPRAS = 2.35 + 4.95 = 7.3: agreement; median 8: appropriate.
    check_rand(
        &[7, 7, 8, 8, 8, 8, 9, 9, 9],
        8.0,
        8.6,
        7.3,
        false,
        Appropriateness::Appropriate,
    );
    // 1 1 1 2 5 8 9 9 9: P30 = 1 + 0.4 = 1.4; P70 = 8 + 0.6 = 8.6; IPR 7.2 > IPRAS 2.35:
    // disagreement (a polarised panel); median 5.
    check_rand(
        &[9, 1, 8, 1, 9, 2, 1, 5, 9],
        1.4,
        8.6,
        2.35,
        true,
        Appropriateness::Uncertain,
    );
    // 1 1 2 2 2 3 3 4 9: P30 = 2; P70 = 3; IPR 1; IPRCP 2.5, AI 2.5, IPRAS 6.1; median 2.
    check_rand(
        &[1, 1, 2, 2, 2, 3, 3, 4, 9],
        2.0,
        3.0,
        6.1,
        false,
        Appropriateness::Inappropriate,
    );
}

#[test]
fn class_names() {
    assert_eq!(DelphiClass::ConsensusIn.as_str(), "consensus-in");
    assert_eq!(Appropriateness::Inappropriate.as_str(), "inappropriate");
}

#[test]
fn percentile_interpolates_linearly() {
    let sorted = [1.0, 2.0, 4.0, 8.0];
    assert_eq!(percentile_linear(&sorted, 0.0), 1.0);
    assert_eq!(percentile_linear(&sorted, 0.5), 3.0);
    assert_eq!(percentile_linear(&sorted, 1.0), 8.0);
}

/// CHNRI worked by hand: three experts, one item, two criteria.
/// Criterion 1: yes, yes, undecided → 100 · (1 + 1 + 0.5) / 3 = 83.33; most common yes 2 of 3.
/// Criterion 2: no, yes, blank → 100 · 1 / 2 = 50; most common (no or yes) 1 of 2.
/// RPS = (83.33 + 50) / 2 = 66.67; AEA = (2/3 + 1/2) / 2 = 7/12.
/// With weights 3 and 1 on the criteria: RPS = (3 · 83.33 + 50) / 4 = 75.
#[test]
fn chnri_worked_example() {
    use crate::ChnriAnswer::{No, Undecided, Yes};
    let mut profile = RatingProfile::with_criteria(1, 1, 2, RatingScale::chnri()).unwrap();
    for answers in [
        [Some(Yes), Some(No)],
        [Some(Yes), Some(Yes)],
        [Some(Undecided), None],
    ] {
        let ratings: Vec<Option<i16>> = answers
            .iter()
            .map(|a| a.map(ChnriAnswer::as_rating))
            .collect();
        profile.push(0, 1, &ratings).unwrap();
    }
    let weights = [1.0; 3];
    let outcome = chnri(&profile, &weights, None);
    assert_close(outcome.scores[0], (250.0 / 3.0 + 50.0) / 2.0, 1e-12);
    let Details::Chnri(details) = &outcome.details else {
        panic!("expected CHNRI details");
    };
    assert_all_close(&details.criterion_scores[0], &[250.0 / 3.0, 50.0], 1e-12);
    assert_close(details.average_expert_agreement[0], 7.0 / 12.0, 1e-12);
    assert_close(
        chnri(&profile, &weights, Some(&[3.0, 1.0])).scores[0],
        75.0,
        1e-12,
    );
}

use crate::ChnriAnswer;
