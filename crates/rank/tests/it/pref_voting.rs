//! Copeland, Schulze and Kemeny on real pairwise data against `pref_voting`, an independent
//! implementation: the 2014/15 Austrian Bundesliga, each match day a respondent choosing the
//! winner of each of its matches (a draw is "can't decide"). The expected values were computed
//! by `tests/data/pref_voting_pairwise.py` (see `tests/data/SOURCES.md`).

use rank::bootstrap::{BootstrapParams, bootstrap};
use rank::{
    CustomWeights, Details, GroupWeighting, MarginMatrix, Method, PairwiseProfile, Params, Profile,
    run_many,
};
use serde_json::Value;

const MATCHES: &str = include_str!("../data/austria-bundesliga-2014-15.csv");
const EXPECTED: &str = include_str!("../data/pref_voting_pairwise.json");

/// The match days as a pairwise profile: items in the order of the fixture's `items`, match days
/// 1-18 in group 0 and 19-36 in group 1, one record per match day holding its decided matches.
fn match_days(teams: &[String]) -> PairwiseProfile {
    let mut days: Vec<Vec<(usize, usize)>> = vec![Vec::new(); 36];
    let item = |code: &str| teams.iter().position(|team| team == code).unwrap();
    for line in MATCHES.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let [round, _date, home, away, home_goals, away_goals] = fields[..] else {
            panic!("a match has six fields: {line}")
        };
        let day: usize = round.parse().unwrap();
        let (home_goals, away_goals): (u32, u32) =
            (home_goals.parse().unwrap(), away_goals.parse().unwrap());
        let (home, away) = (item(home), item(away));
        if home_goals > away_goals {
            days[day - 1].push((home, away));
        } else if away_goals > home_goals {
            days[day - 1].push((away, home));
        }
    }
    let mut profile = PairwiseProfile::new(teams.len(), 2).unwrap();
    for (index, choices) in days.iter().enumerate() {
        profile.push(usize::from(index >= 18), 1, choices).unwrap();
    }
    profile
}

fn numbers(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|number| number.as_f64().unwrap())
        .collect()
}

fn order(value: &Value) -> Vec<usize> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item.as_u64().unwrap() as usize)
        .collect()
}

#[test]
fn majority_methods_on_pairwise_data_agree_with_pref_voting() {
    let expected: Value = serde_json::from_str(EXPECTED).unwrap();
    let teams: Vec<String> = serde_json::from_value(expected["items"].clone()).unwrap();
    let pairs = match_days(&teams);
    assert_eq!(
        pairs.ballot_count() as u64,
        expected["respondents"].as_u64().unwrap()
    );
    let choices: usize = (0..pairs.ballot_count())
        .map(|day| pairs.choices(day).count())
        .sum();
    assert_eq!(choices as u64, expected["choices"].as_u64().unwrap());
    let profile = Profile::Pairwise(pairs.clone());
    let methods = [Method::Copeland, Method::Schulze, Method::Kemeny];
    for (name, case) in expected["weightings"].as_object().unwrap() {
        let group_weights = numbers(&case["group_weights"]);
        let weighting = if name == "pooled" {
            GroupWeighting::Pooled
        } else {
            GroupWeighting::Custom(CustomWeights::new(group_weights.clone()).unwrap())
        };
        // The margins themselves, cell by cell.
        let margins = MarginMatrix::from_pairwise(&pairs, &group_weights);
        for (a, row) in case["margins"].as_array().unwrap().iter().enumerate() {
            for (b, value) in numbers(row).into_iter().enumerate() {
                assert_eq!(margins.get(a, b), value, "{name}: N[{a}][{b}]");
            }
        }
        let outcomes = run_many(&methods, &weighting, &profile, &Params::default()).unwrap();
        assert_eq!(
            outcomes[0].scores,
            numbers(&case["copeland_scores"]),
            "{name}: copeland"
        );
        assert_eq!(
            outcomes[1].scores,
            numbers(&case["schulze_scores"]),
            "{name}: schulze"
        );
        let Details::Kemeny(kemeny) = &outcomes[2].details else {
            panic!("kemeny details expected")
        };
        assert!(kemeny.exact, "{name}: ten items are solved exactly");
        assert_eq!(
            kemeny.objective,
            case["kemeny_objective"].as_f64().unwrap(),
            "{name}: kemeny objective"
        );
        let optimal: Vec<Vec<usize>> = case["kemeny_optimal_orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(order)
            .collect();
        assert!(
            optimal.contains(&kemeny.order),
            "{name}: {:?} is not one of pref_voting's optimal orders {optimal:?}",
            kemeny.order
        );
        assert!(order(&case["kemeny_winners"]).contains(&kemeny.order[0]));
    }
}

#[test]
fn majority_methods_on_pairwise_data_are_bootstrapped_by_match_day() {
    let expected: Value = serde_json::from_str(EXPECTED).unwrap();
    let teams: Vec<String> = serde_json::from_value(expected["items"].clone()).unwrap();
    let profile = Profile::Pairwise(match_days(&teams));
    let methods = [Method::Copeland, Method::Schulze, Method::Kemeny];
    let settings = BootstrapParams {
        resamples: 200,
        seed: 7,
        top_k: 3,
        by_group: true,
    };
    let summaries = bootstrap(
        &methods,
        &GroupWeighting::Pooled,
        &profile,
        &Params::default(),
        &settings,
        None,
    )
    .unwrap();
    for (summary, method) in summaries.iter().zip(methods) {
        assert_eq!(summary.method, method);
        assert_eq!(summary.items.len(), teams.len());
        // Both halves of the season are ranked on their own in every resample.
        assert!(summary.groups.iter().all(Option::is_some), "{method}");
        for item in &summary.items {
            assert!(item.rank_interval.0 <= item.rank_interval.1, "{method}");
            assert!(
                (1..=teams.len()).contains(&item.rank_interval.1),
                "{method}"
            );
        }
        // With standard competition ranks at least k items rank in the top k of every
        // resample, so the shares add up to at least k.
        let p_top_sum: f64 = summary.items.iter().map(|item| item.p_top).sum();
        assert!(p_top_sum >= 3.0 - 1e-12, "{method}: {p_top_sum}");
    }
    // Resampled match days move the teams: the ranks are not all certain.
    assert!(
        summaries
            .iter()
            .flat_map(|summary| &summary.items)
            .any(|item| item.rank_interval.0 < item.rank_interval.1)
    );
    // The same seed gives the same numbers.
    let again = bootstrap(
        &methods,
        &GroupWeighting::Pooled,
        &profile,
        &Params::default(),
        &settings,
        None,
    )
    .unwrap();
    assert_eq!(again, summaries);
}
