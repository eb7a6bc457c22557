//! Integration tests of `import`: fixture exports of each tool round-tripped to the exchange
//! format, the JLA re-scoring of an imported ranking, and fuzzing.

mod awkward;
mod encodings;
mod fuzz;
mod google_forms;
mod jla;
mod kinds;
mod limesurvey;
mod mapping;
mod microsoft_forms;
mod qualtrics;
mod real_google_forms;
mod real_limesurvey;
mod real_microsoft_forms;
mod real_qualtrics;
mod real_surveymonkey;
mod surveymonkey;
mod xlsx;

use std::path::PathBuf;

use import::{Imported, Options, Tool, import};
use report::{RankingRequest, rank_responses};
use survey::Exercise;
use survey::responses::{Against, Answers, ReadOutcome, ResponseKind, read_responses};

/// The path of a fixture.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The fixture exercise.
pub fn exercise() -> Exercise {
    let path = fixture("exercise.toml");
    let source = std::fs::read_to_string(&path).unwrap();
    Exercise::parse(&source, "exercise.toml").unwrap()
}

/// Imports a fixture.
pub fn import_fixture(tool: Tool, name: &str, options: Options<'_>) -> Imported {
    let bytes = std::fs::read(fixture(name)).unwrap();
    import(tool, &bytes, name, options).unwrap_or_else(|error| panic!("{error}"))
}

/// Writes an import in the exchange format and reads it back.
pub fn round_trip(imported: &Imported) -> (String, ReadOutcome) {
    let bytes = imported.write(Vec::new()).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let outcome = read_responses(text.as_bytes(), "imported.csv", None)
        .unwrap_or_else(|error| panic!("{error}\n{text}"));
    (text, outcome)
}

/// The rows a read-back file holds, as `respondent,group,item,value` lines (`respondent,group,
/// item,` for a pick).
pub fn rows_of(outcome: &ReadOutcome) -> Vec<String> {
    let responses = &outcome.responses;
    let mut rows = Vec::new();
    for (index, respondent) in responses.respondents.iter().enumerate() {
        let group = &responses.groups[respondent.group as usize];
        for answer in responses.range(index) {
            let (item, value) = match &responses.answers {
                Answers::Ranking(entries) => {
                    (entries[answer].item, entries[answer].rank.to_string())
                }
                Answers::Rating(entries) => (
                    entries[answer].item,
                    entries[answer]
                        .value
                        .map(|value| value.to_string())
                        .unwrap_or_default(),
                ),
                Answers::Pick(items) => (items[answer], String::new()),
                other => panic!("unexpected answers {other:?}"),
            };
            let item = &responses.items[item as usize].id;
            rows.push(format!("{},{group},{item},{value}", respondent.id));
        }
    }
    rows
}

/// Checks that a fixture imports and reads back as `expected` rows.
pub fn check(tool: Tool, name: &str, options: Options<'_>, expected: &[&str]) -> Imported {
    let imported = import_fixture(tool, name, options);
    let (_, outcome) = round_trip(&imported);
    assert_eq!(rows_of(&outcome), expected, "{name}");
    imported
}

/// Ranks exchange-format ranking `text` against the fixture exercise with its round's own
/// method (points, re-scored the James Lind Alliance way) and checks each item's id and score
/// in rank order.
pub fn check_ranked(text: &str, expected: &[(&str, f64)]) {
    let exercise = exercise();
    let against = Against::choose(&exercise, None, ResponseKind::Ranking).unwrap();
    let round = against.round;
    let outcome = read_responses(text.as_bytes(), "imported.csv", Some(against))
        .unwrap_or_else(|error| panic!("{error}\n{text}"));
    let request = RankingRequest {
        methods: vec!["points".to_string()],
        weighting: Some("jla-positions".to_string()),
        ..RankingRequest::default()
    };
    let ranked = rank_responses(
        &outcome.responses,
        Some(&exercise),
        Some(round),
        &request,
        None,
    )
    .unwrap();
    let scores: Vec<(&str, f64)> = ranked.document.results[0]
        .ranking
        .iter()
        .map(|row| (row.item.as_str(), row.score.unwrap()))
        .collect();
    assert_eq!(scores, expected, "{text}");
}
