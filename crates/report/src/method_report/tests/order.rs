//! The "Order of items" section finds a simulated position bias and finds none without it.

use survey::Exercise;
use survey::responses::{Against, read_responses};
use survey::simulate::{Settings, simulate_round_shown};

use super::super::*;
use super::source;

const ORDER_EXERCISE: &str = r#"
id = "ordered"
title = "Order check"

[[groups]]
id = "all"
label = "Everyone"

[[items]]
id = "a"
title = "A"
[[items]]
id = "b"
title = "B"
[[items]]
id = "c"
title = "C"
[[items]]
id = "d"
title = "D"
[[items]]
id = "e"
title = "E"
[[items]]
id = "f"
title = "F"
[[items]]
id = "g"
title = "G"
[[items]]
id = "h"
title = "H"

[[rounds]]
id = "rate"
kind = "rate"
scale = { min = 1, max = 9 }

[[rounds]]
id = "rank"
kind = "rank"

[[rounds]]
id = "pick"
kind = "pick"
max_picks = 3

[[rounds]]
id = "pairs"
kind = "pairwise"

[[rounds]]
id = "fixed"
kind = "rate"
scale = { min = 1, max = 9 }
order = "fixed"
order_reason = "the topics follow a care journey"
"#;

/// The report's markdown for 300 simulated people with `position_bias`.
fn order_report(position_bias: f64) -> String {
    let exercise = Exercise::parse(ORDER_EXERCISE, "ordered.toml").unwrap();
    let settings = Settings {
        respondents: 300,
        seed: 3,
        retention: 1.0,
    };
    let mut files = Vec::new();
    for round in &exercise.rounds {
        let mut output = Vec::new();
        simulate_round_shown(&exercise, round, settings, Some(position_bias), &mut output).unwrap();
        files.push((round, String::from_utf8(output).unwrap()));
    }
    let responses: Vec<_> = files
        .iter()
        .map(|(round, text)| {
            read_responses(
                text.as_bytes(),
                "x.csv",
                Some(Against {
                    exercise: &exercise,
                    round,
                }),
            )
            .unwrap()
            .responses
        })
        .collect();
    let input = ReportInput {
        exercise: &exercise,
        exercise_source: source("ordered.toml", ORDER_EXERCISE),
        rounds: files
            .iter()
            .zip(&responses)
            .map(|((round, text), responses)| RoundData {
                round,
                source: source(&format!("{}.csv", round.id), text),
                responses,
                results: None,
                notes: Vec::new(),
            })
            .collect(),
        command: "prioritise report".to_string(),
        program: "prioritise".to_string(),
        simulated: true,
    };
    method_report(&input).unwrap().markdown
}

/// The text of the section's subsection for `round`.
fn subsection<'a>(markdown: &'a str, title: &str) -> &'a str {
    let order = &markdown[markdown.find("## Order of items").unwrap()..];
    let start = order.find(title).unwrap();
    let rest = &order[start..];
    let end = rest[1..].find("\n### ").map_or(rest.len(), |end| end + 1);
    &rest[..end]
}

#[test]
fn a_simulated_position_bias_is_found_in_every_kind_of_round() {
    let markdown = order_report(0.6);
    let rate = subsection(&markdown, "Round 1: rate");
    assert!(
        rate.contains("Items shown earlier were rated higher (p \\< 0.001)"),
        "{rate}"
    );
    assert!(
        rate.contains("| Position shown | Mean rating | Answers |"),
        "{rate}"
    );
    let rank = subsection(&markdown, "Round 2: rank");
    assert!(
        rank.contains("Items shown earlier were ranked higher (p \\< 0.001)"),
        "{rank}"
    );
    let pick = subsection(&markdown, "Round 3: pick");
    assert!(
        pick.contains("Items shown earlier were picked more often (p \\< 0.001)"),
        "{pick}"
    );
    let pairs = subsection(&markdown, "Round 4: pairs");
    assert!(pairs.contains("The item shown first won"), "{pairs}");
    assert!(pairs.contains("more often for the first item"), "{pairs}");
    let fixed = subsection(&markdown, "Round 5: fixed");
    assert!(
        fixed.contains("because: the topics follow a care journey"),
        "{fixed}"
    );
}

#[test]
fn without_a_position_bias_the_check_finds_nothing() {
    let markdown = order_report(0.0);
    for title in ["Round 1: rate", "Round 2: rank", "Round 3: pick"] {
        let text = subsection(&markdown, title);
        assert!(
            text.contains("No sign that the order items were shown in changed the answers (p = "),
            "{text}"
        );
    }
    let pairs = subsection(&markdown, "Round 4: pairs");
    assert!(
        pairs.contains("No sign that which item was shown first changed the choices"),
        "{pairs}"
    );
}
