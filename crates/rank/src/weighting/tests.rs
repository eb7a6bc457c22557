use super::*;
use crate::Details;

#[test]
fn respondent_weights_per_weighting() {
    let sizes = [4, 1, 0];
    assert_eq!(
        GroupWeighting::Pooled.respondent_weights(&sizes),
        Some(vec![1.0, 1.0, 1.0])
    );
    assert_eq!(
        GroupWeighting::EqualGroups.respondent_weights(&sizes),
        Some(vec![0.25, 1.0, 0.0])
    );
    assert_eq!(
        GroupWeighting::JlaPositions.respondent_weights(&sizes),
        None
    );
    let custom = CustomWeights::new(vec![2.0, 0.5, 1.0]).unwrap();
    assert_eq!(
        GroupWeighting::Custom(custom).respondent_weights(&sizes),
        Some(vec![2.0, 0.5, 1.0])
    );
}

#[test]
fn custom_weights_are_checked() {
    assert_eq!(
        CustomWeights::new(vec![0.0, 0.0]),
        Err(WeightingError::AllZero)
    );
    assert_eq!(
        CustomWeights::new(vec![1.0, -1.0]),
        Err(WeightingError::BadWeight {
            group: 1,
            weight: -1.0
        })
    );
}

/// James Lind Alliance re-scoring by hand: group 0 ranks A, B, C (points 3, 2, 1); group 1
/// ranks B first and ties A and C (points 3, then (2 + 1) / 2 = 1.5 each); group 2 is empty.
/// Totals: A 4.5, B 5, C 2.5.
#[test]
fn jla_positions_by_hand() {
    let scores = jla_position_scores(&[Some(vec![1, 2, 3]), Some(vec![2, 1, 2]), None], 3);
    assert_eq!(scores, vec![4.5, 5.0, 2.5]);
}

fn outcome(scores: &[f64]) -> Outcome {
    Outcome::from_scores(scores.to_vec(), Details::None)
}

#[test]
fn shortlist_rules() {
    let overall = outcome(&[5.0, 4.0, 3.0, 2.0, 1.0]);
    let group_a = outcome(&[1.0, 5.0, 4.0, 0.0, 0.0]);
    let group_b = outcome(&[0.0, 0.0, 1.0, 2.0, 5.0]);
    assert_eq!(shortlist_top(&overall, 2), vec![0, 1]);
    // Group a's top 2: 1, 2; group b's: 4, 3.
    assert_eq!(
        shortlist_group_union(&overall, &[&group_a, &group_b], 2),
        vec![1, 2, 3, 4]
    );
    assert_eq!(shortlist_protected(&overall, &group_b, 2, 1), vec![0, 1, 4]);
    // Ties at the boundary are kept.
    assert_eq!(shortlist_top(&outcome(&[3.0, 2.0, 2.0]), 2), vec![0, 1, 2]);
}

#[test]
fn disclosure_threshold() {
    assert_eq!(
        disclosed_groups(&[5, 4, 0, 100], DEFAULT_DISCLOSURE_THRESHOLD),
        // 4 is under the threshold; alone it would be overall minus the others, so the
        // smallest shown group (5) is pooled with it.
        vec![false, false, false, true]
    );
}

#[test]
fn weightings_from_names() {
    assert_eq!(
        GroupWeighting::from_name(Weighting::EqualGroups, None),
        Ok(GroupWeighting::EqualGroups)
    );
    assert_eq!(
        GroupWeighting::from_name(Weighting::Custom, None),
        Err(WeightingError::MissingCustomWeights)
    );
    assert_eq!(
        GroupWeighting::from_name(Weighting::Pooled, Some(vec![1.0])),
        Err(WeightingError::UnexpectedWeights {
            weighting: Weighting::Pooled
        })
    );
    assert_eq!(
        GroupWeighting::from_name(Weighting::Custom, Some(vec![1.0, 2.0]))
            .unwrap()
            .name(),
        Weighting::Custom
    );
}

#[test]
fn shortlist_with_reasons_agrees_with_the_rules_and_says_why() {
    let overall = outcome(&[5.0, 4.0, 3.0, 2.0, 1.0]);
    let group_a = outcome(&[1.0, 5.0, 4.0, 0.0, 0.0]);
    let group_b = outcome(&[0.0, 0.0, 1.0, 2.0, 5.0]);
    let groups = [
        Some(group_a.ranks.as_slice()),
        Some(group_b.ranks.as_slice()),
    ];
    let included = |rule| -> Vec<usize> {
        shortlist_with_reasons(&overall.ranks, &groups, rule)
            .into_iter()
            .filter(ShortlistEntry::included)
            .map(|entry| entry.item)
            .collect()
    };
    assert_eq!(
        included(ShortlistRule::Top { k: 2 }),
        shortlist_top(&overall, 2)
    );
    assert_eq!(
        included(ShortlistRule::GroupUnion { k: 2 }),
        shortlist_group_union(&overall, &[&group_a, &group_b], 2)
    );
    assert_eq!(
        included(ShortlistRule::Protected {
            k: 2,
            group: 1,
            j: 1
        }),
        shortlist_protected(&overall, &group_b, 2, 1)
    );
    // Every item is listed, in overall order, with its reasons.
    let preview = shortlist_with_reasons(
        &overall.ranks,
        &groups,
        ShortlistRule::Protected {
            k: 2,
            group: 1,
            j: 1,
        },
    );
    assert_eq!(preview.len(), 5);
    assert_eq!(preview[0].reasons, [ShortlistReason::Overall { rank: 1 }]);
    assert_eq!(
        preview[4],
        ShortlistEntry {
            item: 4,
            rank: 5,
            reasons: vec![ShortlistReason::Group {
                group: 1,
                rank: 1,
                protected: true
            }],
        }
    );
    assert!(!preview[2].included());
    // A group that may not be shown on its own gives no reason of its own.
    let hidden = shortlist_with_reasons(
        &overall.ranks,
        &[Some(group_a.ranks.as_slice()), None],
        ShortlistRule::GroupUnion { k: 1 },
    );
    let through: Vec<usize> = hidden
        .iter()
        .filter(|e| e.included())
        .map(|e| e.item)
        .collect();
    assert_eq!(through, [1]);
}

#[test]
fn shortlist_rule_names_parse_and_round_trip() {
    for name in ShortlistRuleName::ALL {
        assert_eq!(name.as_str().parse::<ShortlistRuleName>(), Ok(name));
    }
    assert_eq!(
        "group-union".parse::<ShortlistRuleName>(),
        Ok(ShortlistRuleName::GroupUnion)
    );
    let refused = "Top".parse::<ShortlistRuleName>().unwrap_err();
    assert_eq!(refused, UnknownShortlistRule("Top".to_string()));
    assert_eq!(
        refused.to_string(),
        "unknown shortlist rule `Top`: expected top, group-union or protected"
    );
    assert_eq!(
        ShortlistRule::Protected {
            k: 1,
            group: 0,
            j: 1
        }
        .name(),
        ShortlistRuleName::Protected
    );
}
