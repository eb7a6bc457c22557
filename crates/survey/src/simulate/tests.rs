use super::*;
use crate::responses::{Against, Answers, read_responses};

const EXERCISE: &str = r#"
id = "sim"
title = "Simulation test"

[[groups]]
id = "young-people"
label = "Young people"
[[groups]]
id = "carers"
label = "Carers"
[[groups]]
id = "practitioners"
label = "Practitioners"
[[groups]]
id = "leaders"
label = "Leaders"

[[items]]
id = "a"
title = "CAMHS waiting times"
[[items]]
id = "b"
title = "Transitions"
[[items]]
id = "c"
title = "Stable workforce"
[[items]]
id = "d"
title = "Domestic abuse"
[[items]]
id = "e"
title = "Emotional abuse"

[[rounds]]
id = "ideas"
kind = "suggest"
max_suggestions = 3
max_length = 60

[[rounds]]
id = "rating"
kind = "rate"
scale = { min = 1, max = 9 }

[[rounds]]
id = "chnri"
kind = "rate"
criteria = [{ id = "answerable", label = "Answerable?" }, { id = "equity", label = "Equity?" }]

[[rounds]]
id = "top3"
kind = "rank"
items = ["e", "d", "c", "b"]
top_k = 3

[[rounds]]
id = "picks"
kind = "pick"
max_picks = 2

[[rounds]]
id = "pairs"
kind = "pairwise"
max_choices = 12
"#;

fn exercise() -> Exercise {
    Exercise::parse(EXERCISE, "sim.toml").unwrap()
}

fn simulate(round: &str, respondents: u64, seed: u64) -> (Vec<u8>, Summary) {
    let exercise = exercise();
    let round = exercise.round(round).unwrap();
    let mut output = Vec::new();
    let summary = simulate_round(
        &exercise,
        round,
        Settings { respondents, seed },
        &mut output,
    )
    .unwrap();
    (output, summary)
}

/// Simulates a round and reads it back, checked against the exercise.
fn simulate_and_read(round: &str, respondents: u64, seed: u64) -> crate::responses::Responses {
    let exercise = exercise();
    let (output, _) = simulate(round, respondents, seed);
    let round = exercise.round(round).unwrap();
    read_responses(
        output.as_slice(),
        "simulated.csv",
        Some(Against {
            exercise: &exercise,
            round,
        }),
    )
    .unwrap_or_else(|error| panic!("{error}"))
    .responses
}

#[test]
fn every_round_gives_a_valid_file_with_every_respondent() {
    let exercise = exercise();
    for round in &exercise.rounds {
        let (output, summary) = simulate(round.id.as_str(), 250, 7);
        assert_eq!(summary.group_sizes.iter().sum::<u64>(), 250);
        let outcome = read_responses(
            output.as_slice(),
            "simulated.csv",
            Some(Against {
                exercise: &exercise,
                round,
            }),
        )
        .unwrap_or_else(|error| panic!("round {}: {error}", round.id));
        let responses = outcome.responses;
        assert_eq!(responses.respondents.len(), 250, "round {}", round.id);
        for (group, size) in summary.group_sizes.iter().enumerate() {
            let counted = responses
                .respondents
                .iter()
                .filter(|respondent| respondent.group as usize == group)
                .count();
            assert_eq!(counted as u64, *size, "round {} group {group}", round.id);
        }
        let rows = output.iter().filter(|&&byte| byte == b'\n').count() as u64 - 1;
        assert_eq!(rows, summary.rows);
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    for round in ["ideas", "rating", "chnri", "top3", "picks", "pairs"] {
        let (first, _) = simulate(round, 60, 3);
        let (second, _) = simulate(round, 60, 3);
        let (other, _) = simulate(round, 60, 4);
        assert_eq!(first, second, "round {round}");
        assert_ne!(first, other, "round {round}");
    }
}

#[test]
fn respondents_keep_their_group_across_rounds() {
    let exercise = exercise();
    let groups_in = |round: &str| {
        let (output, _) = simulate(round, 80, 11);
        let round = exercise.round(round).unwrap();
        let responses = read_responses(
            output.as_slice(),
            "x.csv",
            Some(Against {
                exercise: &exercise,
                round,
            }),
        )
        .unwrap()
        .responses;
        responses
            .respondents
            .iter()
            .map(|respondent| (respondent.id.clone(), respondent.group))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    assert_eq!(groups_in("rating"), groups_in("top3"));
    assert_eq!(groups_in("ideas"), groups_in("pairs"));
}

#[test]
fn group_sizes_are_unequal_with_a_small_group() {
    let (_, summary) = simulate("top3", 250, 1);
    let smallest = *summary.group_sizes.iter().min().unwrap();
    let largest = *summary.group_sizes.iter().max().unwrap();
    assert!(smallest < 10, "{:?}", summary.group_sizes);
    assert!(largest > 2 * smallest, "{:?}", summary.group_sizes);
}

#[test]
fn answers_are_partial_sometimes_and_ratings_include_dont_know() {
    let responses = simulate_and_read("top3", 400, 5);
    let lengths: Vec<usize> = (0..responses.respondents.len())
        .map(|index| responses.range(index).len())
        .collect();
    assert!(lengths.contains(&3));
    assert!(lengths.iter().any(|&length| length < 3));

    let responses = simulate_and_read("rating", 400, 5);
    let Answers::Rating(ratings) = &responses.answers else {
        panic!("ratings expected")
    };
    assert!(ratings.iter().any(|rating| rating.value.is_none()));
    let scores: std::collections::HashSet<_> =
        ratings.iter().filter_map(|rating| rating.value).collect();
    assert!(
        scores.len() >= 6,
        "ratings use much of the scale: {scores:?}"
    );
}

#[test]
fn groups_have_different_views() {
    // With many respondents, each group's most often ranked-first item should not be the same
    // for every group in every seed; check that the first choices differ between groups.
    let responses = simulate_and_read("top3", 4000, 2);
    let Answers::Ranking(entries) = &responses.answers else {
        panic!("ranking expected")
    };
    let mut first_counts = vec![vec![0u32; responses.items.len()]; responses.groups.len()];
    for (index, respondent) in responses.respondents.iter().enumerate() {
        let first = entries[responses.range(index)][0];
        first_counts[respondent.group as usize][first.item as usize] += 1;
    }
    let shares: Vec<Vec<f64>> = first_counts
        .iter()
        .map(|counts| {
            let total: u32 = counts.iter().sum();
            counts
                .iter()
                .map(|&count| f64::from(count) / f64::from(total.max(1)))
                .collect()
        })
        .collect();
    let largest_gap = (0..responses.items.len())
        .map(|item| {
            let values: Vec<f64> = shares.iter().map(|group| group[item]).collect();
            values.iter().cloned().fold(f64::MIN, f64::max)
                - values.iter().cloned().fold(f64::MAX, f64::min)
        })
        .fold(0.0, f64::max);
    assert!(
        largest_gap > 0.1,
        "groups differ in their first choices: {shares:?}"
    );
}

#[test]
fn suggestions_have_near_duplicates_and_respect_the_length_limit() {
    let (output, _) = simulate("ideas", 300, 9);
    let text = String::from_utf8(output).unwrap();
    let exercise = exercise();
    let round = exercise.round("ideas").unwrap();
    let responses = read_responses(
        text.as_bytes(),
        "x.csv",
        Some(Against {
            exercise: &exercise,
            round,
        }),
    )
    .unwrap()
    .responses;
    let Answers::Suggestions(texts) = &responses.answers else {
        panic!("suggestions expected")
    };
    assert!(texts.iter().all(|text| text.chars().count() <= 60));
    let distinct: std::collections::BTreeSet<&String> = texts.iter().collect();
    assert!(
        distinct.len() < texts.len(),
        "some suggestions repeat exactly"
    );
    assert!(distinct.len() > 20, "and many differ");
    let lowered: std::collections::BTreeSet<String> =
        texts.iter().map(|text| text.to_lowercase()).collect();
    assert!(lowered.len() < distinct.len(), "some differ only in case");
}

#[test]
fn mallows_with_tiny_dispersion_keeps_the_central_order() {
    let mut rng = generator(1, "test", 0);
    let central = [4, 2, 0, 1, 3];
    assert_eq!(mallows(&central, 1e-12, &mut rng), central);
    // With φ = 1 every order is equally likely: the first place is spread out.
    let mut firsts = [0u32; 5];
    for _ in 0..5000 {
        firsts[mallows(&central, 1.0, &mut rng)[0]] += 1;
    }
    assert!(
        firsts.iter().all(|&count| (850..1150).contains(&count)),
        "{firsts:?}"
    );
}

#[test]
fn apportionment_is_exact_and_gives_everyone_a_place() {
    assert_eq!(apportion(&[1.0, 1.0, 1.0], 10), [4, 3, 3]);
    assert_eq!(apportion(&[8.0, 1.0, 0.001], 250).iter().sum::<u64>(), 250);
    assert_eq!(apportion(&[8.0, 1.0, 0.001], 250)[2], 1);
    assert_eq!(apportion(&[1.0, 1.0], 1), [1, 0]);
}

#[test]
fn stable_hash_is_fnv1a() {
    // Published FNV-1a 64-bit test vectors.
    assert_eq!(stable_hash(""), 0xcbf29ce484222325);
    assert_eq!(stable_hash("a"), 0xaf63dc4c8601ec8c);
    assert_eq!(stable_hash("foobar"), 0x85944171f73967e8);
}
