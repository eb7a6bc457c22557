use super::*;
use crate::profile::{RatingProfile, RatingScale};
use crate::test_support::{assert_close, letters};

fn borda(profile: &Profile, left: &[bool], options: &AttritionParams) -> Attrition {
    attrition(
        Method::Borda,
        &GroupWeighting::Pooled,
        profile,
        left,
        &Params::default(),
        options,
    )
    .unwrap()
}

fn opposite_halves() -> Profile {
    Profile::Ranking(letters(
        3,
        1,
        &[(0, 1, "ABC"), (0, 1, "ABC"), (0, 1, "CBA"), (0, 1, "CBA")],
    ))
}

#[test]
fn opposite_orders_worked_by_hand() {
    let options = AttritionParams {
        top_k: 1,
        permutations: 1000,
        seed: 1,
    };
    let result = borda(&opposite_halves(), &[false, false, true, true], &options);
    assert_eq!((result.stayers, result.leavers), (2, 2));
    // Borda (m − p): stayers A 2 + 2, B 1 + 1, C 0; leavers the reverse.
    assert_eq!(result.stayers_outcome.scores, vec![4.0, 2.0, 0.0]);
    assert_eq!(result.leavers_outcome.scores, vec![0.0, 2.0, 4.0]);
    let differences: Vec<f64> = result.items.iter().map(|item| item.difference).collect();
    assert_eq!(differences, vec![4.0, 0.0, -4.0]);
    assert_eq!(
        (result.items[0].stayers_rank, result.items[0].leavers_rank),
        (1, 3)
    );
    assert_eq!(result.kendall_tau_b, Some(-1.0));
    assert!(result.top_overlap.shared.is_empty());
    // C(4, 2) = 6 relabellings: the two that split ABC from CBA give D = 2; the four that mix
    // one of each in both halves tie every item (τ-b undefined, taken as 0), D = 1.
    // Exact p = 2 / 6.
    let test = result.test.unwrap();
    assert!(test.exact);
    assert_eq!(test.permutations, 6);
    assert_eq!(test.at_least_as_extreme, 2);
    assert_close(test.statistic, 2.0, 1e-12);
    assert_close(test.p_value, 1.0 / 3.0, 1e-12);
}

#[test]
fn the_same_answers_give_no_evidence_of_a_difference() {
    let profile = Profile::Ranking(letters(
        3,
        1,
        &[(0, 1, "ABC"), (0, 1, "ABC"), (0, 1, "ABC"), (0, 1, "ABC")],
    ));
    let result = borda(
        &profile,
        &[false, true, false, true],
        &AttritionParams::default(),
    );
    assert_eq!(result.kendall_tau_b, Some(1.0));
    assert_eq!(result.top_overlap.proportion, 1.0);
    let test = result.test.unwrap();
    assert_close(test.statistic, 0.0, 1e-12);
    // Every relabelling gives D = 0 too.
    assert_eq!(test.p_value, 1.0);
}

#[test]
fn monte_carlo_when_there_are_too_many_relabellings() {
    // Six relabellings, but only five asked for: five random ones, p = (1 + x) / 6.
    let options = AttritionParams {
        top_k: 1,
        permutations: 5,
        seed: 7,
    };
    let left = [false, false, true, true];
    let result = borda(&opposite_halves(), &left, &options);
    let test = result.test.unwrap();
    assert!(!test.exact);
    assert_eq!(test.permutations, 5);
    assert_close(
        test.p_value,
        (1 + test.at_least_as_extreme) as f64 / 6.0,
        1e-12,
    );
    // Deterministic for a seed.
    assert_eq!(borda(&opposite_halves(), &left, &options).test, Some(test));
    // No test when no permutations are asked for.
    let none = AttritionParams {
        permutations: 0,
        ..options
    };
    assert_eq!(borda(&opposite_halves(), &left, &none).test, None);
}

#[test]
fn ratings_compared_by_the_rounds_method() {
    // Mean ratings: stayers rate item 0 at 9 and 7 (mean 8), item 1 at 3 and 5 (mean 4); the
    // leaver rates them 2 and 8.
    let mut profile = RatingProfile::new(2, 1, RatingScale::one_to_nine()).unwrap();
    profile.push(0, 1, &[Some(9), Some(3)]).unwrap();
    profile.push(0, 1, &[Some(7), Some(5)]).unwrap();
    profile.push(0, 1, &[Some(2), Some(8)]).unwrap();
    let result = attrition(
        Method::Mean,
        &GroupWeighting::Pooled,
        &Profile::Rating(profile),
        &[false, false, true],
        &Params::default(),
        &AttritionParams::default(),
    )
    .unwrap();
    assert_close(result.items[0].difference, 6.0, 1e-12);
    assert_close(result.items[1].difference, -4.0, 1e-12);
    assert_eq!(result.kendall_tau_b, Some(-1.0));
    // C(3, 1) = 3 relabellings. Leaver record 0: stayers (7,5)/(2,8) → 4.5, 6.5; leaver 9, 3:
    // reversed, D = 2. Leaver record 1: stayers 5.5, 5.5 tie (D = 1). Leaver record 2: the
    // observed D = 2. So p = 2 / 3.
    let test = result.test.unwrap();
    assert!(test.exact);
    assert_eq!(test.at_least_as_extreme, 2);
    assert_close(test.p_value, 2.0 / 3.0, 1e-12);
}

#[test]
fn both_sides_are_needed() {
    let profile = opposite_halves();
    assert_eq!(
        attrition(
            Method::Borda,
            &GroupWeighting::Pooled,
            &profile,
            &[false; 4],
            &Params::default(),
            &AttritionParams::default()
        ),
        Err(AttritionError::OneSided {
            stayers: 4,
            leavers: 0
        })
    );
    assert_eq!(
        attrition(
            Method::Borda,
            &GroupWeighting::Pooled,
            &profile,
            &[false; 3],
            &Params::default(),
            &AttritionParams::default()
        ),
        Err(AttritionError::WrongLength {
            expected: 4,
            given: 3
        })
    );
}

#[test]
fn binomials_and_combinations() {
    assert_eq!(binomial(4, 2), 6);
    assert_eq!(binomial(250, 0), 1);
    assert_eq!(binomial(250, 100), usize::MAX);
    assert_eq!(
        combinations(4, 2),
        vec![
            vec![0, 1],
            vec![0, 2],
            vec![0, 3],
            vec![1, 2],
            vec![1, 3],
            vec![2, 3]
        ]
    );
    assert_eq!(combinations(3, 0), vec![Vec::<usize>::new()]);
}
