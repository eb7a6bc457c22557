use super::population::{apportion, generator, mallows, stable_hash};
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
        Settings {
            respondents,
            seed,
            retention: 1.0,
        },
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

/// Simulates a round with drop-out and reads it back.
fn simulate_with_retention(
    round: &str,
    respondents: u64,
    seed: u64,
    retention: f64,
) -> (crate::responses::Responses, Summary) {
    let exercise = exercise();
    let round = exercise.round(round).unwrap();
    let mut output = Vec::new();
    let summary = simulate_round(
        &exercise,
        round,
        Settings {
            respondents,
            seed,
            retention,
        },
        &mut output,
    )
    .unwrap();
    let responses = read_responses(
        output.as_slice(),
        "simulated.csv",
        Some(Against {
            exercise: &exercise,
            round,
        }),
    )
    .unwrap_or_else(|error| panic!("{error}"))
    .responses;
    (responses, summary)
}

fn respondent_groups(
    responses: &crate::responses::Responses,
) -> std::collections::BTreeMap<String, u32> {
    responses
        .respondents
        .iter()
        .map(|respondent| (respondent.id.clone(), respondent.group))
        .collect()
}

#[test]
fn people_drop_out_between_rounds_and_never_come_back() {
    // The rounds, in the exercise's order: ideas, rating, chnri, top3, picks, pairs.
    let rounds = ["ideas", "rating", "chnri", "top3", "picks", "pairs"];
    let panels: Vec<_> = rounds
        .iter()
        .map(|round| simulate_with_retention(round, 2000, 5, 0.8))
        .collect();
    let (first, first_summary) = &panels[0];
    assert_eq!(
        first.respondents.len(),
        2000,
        "everyone answers the first round"
    );
    assert_eq!(first_summary.group_sizes, first_summary.panel_sizes);
    let mut previous = respondent_groups(first);
    for (position, (responses, summary)) in panels.iter().enumerate().skip(1) {
        let current = respondent_groups(responses);
        // Everyone in this round answered the previous one, in the same group.
        for (id, group) in &current {
            assert_eq!(previous.get(id), Some(group), "round {position}: {id}");
        }
        // About 80% stay (the exact share depends on the groups' and people's draws).
        let share = current.len() as f64 / previous.len() as f64;
        assert!(
            (0.72..=0.88).contains(&share),
            "round {position}: {share} stayed"
        );
        assert_eq!(summary.panel_sizes, first_summary.panel_sizes);
        assert_eq!(
            summary.group_sizes.iter().sum::<u64>(),
            current.len() as u64
        );
        previous = current;
    }
}

#[test]
fn retention_differs_between_groups() {
    let (_, first) = simulate_with_retention("ideas", 4000, 3, 0.8);
    let (_, fourth) = simulate_with_retention("top3", 4000, 3, 0.8);
    let shares: Vec<f64> = fourth
        .group_sizes
        .iter()
        .zip(&first.group_sizes)
        .map(|(&stayed, &started)| stayed as f64 / started as f64)
        .collect();
    let highest = shares.iter().cloned().fold(f64::MIN, f64::max);
    let lowest = shares.iter().cloned().fold(f64::MAX, f64::min);
    assert!(highest - lowest > 0.05, "{shares:?}");
}

#[test]
fn those_who_drop_out_rated_lower_than_those_who_stay() {
    let (rating, _) = simulate_with_retention("rating", 3000, 8, 0.8);
    let (next, _) = simulate_with_retention("chnri", 3000, 8, 0.8);
    let stayed = respondent_groups(&next);
    let Answers::Rating(entries) = &rating.answers else {
        panic!("ratings expected")
    };
    let (mut stayed_sum, mut stayed_count, mut left_sum, mut left_count) = (0.0, 0, 0.0, 0);
    for (index, respondent) in rating.respondents.iter().enumerate() {
        for entry in &entries[rating.range(index)] {
            if let Some(crate::responses::RatingValue::Score(score)) = entry.value {
                if stayed.contains_key(&respondent.id) {
                    stayed_sum += f64::from(score);
                    stayed_count += 1;
                } else {
                    left_sum += f64::from(score);
                    left_count += 1;
                }
            }
        }
    }
    let stayed_mean = stayed_sum / f64::from(stayed_count);
    let left_mean = left_sum / f64::from(left_count);
    assert!(left_count > 500, "enough people left: {left_count} ratings");
    assert!(
        stayed_mean - left_mean > 0.2,
        "stayed {stayed_mean:.2}, left {left_mean:.2}"
    );
}

#[test]
fn those_who_stay_answer_as_they_would_without_drop_out() {
    let (full, _) = simulate_with_retention("top3", 300, 4, 1.0);
    let (panel, _) = simulate_with_retention("top3", 300, 4, 0.7);
    assert_eq!(full.respondents.len(), 300);
    assert!(panel.respondents.len() < 200, "{}", panel.respondents.len());
    let Answers::Ranking(full_entries) = &full.answers else {
        panic!("ranking expected")
    };
    let Answers::Ranking(panel_entries) = &panel.answers else {
        panic!("ranking expected")
    };
    let position: std::collections::HashMap<&str, usize> = full
        .respondents
        .iter()
        .enumerate()
        .map(|(index, respondent)| (respondent.id.as_str(), index))
        .collect();
    for (index, respondent) in panel.respondents.iter().enumerate() {
        let in_full = position[respondent.id.as_str()];
        assert_eq!(respondent.group, full.respondents[in_full].group);
        assert_eq!(
            &panel_entries[panel.range(index)],
            &full_entries[full.range(in_full)]
        );
    }
}

#[test]
fn a_retention_outside_the_unit_interval_is_refused() {
    let exercise = exercise();
    let round = exercise.round("rating").unwrap();
    for retention in [0.0, -0.5, 1.5, f64::NAN] {
        let settings = Settings {
            retention,
            ..Settings::default()
        };
        let error = simulate_round(&exercise, round, settings, Vec::new()).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
        assert!(error.to_string().contains("is not a share in (0, 1]"));
        assert!(simulate_suggestions(&exercise, round, settings).is_err());
    }
}

#[test]
fn simulated_suggestions_are_the_rows_written_with_their_topics() {
    let exercise = exercise();
    let round = exercise.round("ideas").unwrap();
    let settings = Settings {
        respondents: 400,
        seed: 12,
        retention: 0.8,
    };
    let mut output = Vec::new();
    simulate_round(&exercise, round, settings, &mut output).unwrap();
    let suggestions = simulate_suggestions(&exercise, round, settings)
        .unwrap()
        .unwrap();
    let mut reader = csv::Reader::from_reader(output.as_slice());
    let rows: Vec<(String, String, String)> = reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            (
                record[0].to_string(),
                record[1].to_string(),
                record[2].to_string(),
            )
        })
        .collect();
    assert_eq!(rows.len(), suggestions.len());
    for (row, suggestion) in rows.iter().zip(&suggestions) {
        assert_eq!(row.0, suggestion.respondent);
        assert_eq!(row.1, exercise.groups[suggestion.group].id.as_str());
        assert_eq!(row.2, suggestion.text);
    }
    // Most suggestions are about an item and name it; about 8% are outside the item list.
    let off_topic = suggestions
        .iter()
        .filter(|suggestion| suggestion.topic.is_none())
        .count();
    let share = off_topic as f64 / suggestions.len() as f64;
    assert!((0.04..0.13).contains(&share), "{share}");
    let naming = suggestions
        .iter()
        .filter_map(|suggestion| suggestion.topic.map(|topic| (suggestion, topic)))
        .filter(|(suggestion, topic)| {
            // The first word of the title, ignoring case (a swapped pair of letters may spoil
            // it now and then).
            let title = exercise.items[*topic].title.to_lowercase();
            let first_word = title.split(' ').next().unwrap();
            suggestion.text.to_lowercase().contains(first_word)
        })
        .count();
    let on_topic = suggestions.len() - off_topic;
    assert!(
        naming as f64 > 0.9 * on_topic as f64,
        "{naming} of {on_topic}"
    );
    // Not a suggest round: nothing.
    let rating = exercise.round("rating").unwrap();
    assert_eq!(
        simulate_suggestions(&exercise, rating, settings).unwrap(),
        None
    );
}
