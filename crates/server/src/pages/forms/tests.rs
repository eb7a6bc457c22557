use survey::Exercise;
use survey::answer::{Answer, CriterionAnswer, Rating};

use super::*;
use test_support::ExerciseToml;

/// The rounds of the test exercise, one of each kind and setting the tests need; the
/// rest is the shared small exercise of `test-support`.
const ROUNDS: &str = r#"
[[rounds]]
id = "ideas"
kind = "suggest"
max_suggestions = 2
max_length = 10

[[rounds]]
id = "scores"
kind = "rate"
scale = { min = 1, max = 5 }
allow_dont_know = false

[[rounds]]
id = "chnri"
kind = "rate"
criteria = [{ id = "answerable", label = "Answerable?" }]

[[rounds]]
id = "top2"
kind = "rank"
top_k = 2

[[rounds]]
id = "choose"
kind = "pick"
max_picks = 1
"#;

/// The test exercise as TOML.
fn exercise_toml() -> String {
    ExerciseToml::tiny()
        .id("forms")
        .title("Forms")
        .groups(&[("carers", "Carers")])
        .items(&[("a", "Item A"), ("b", "Item B"), ("c", "Item C")])
        .rounds(ROUNDS)
        .build()
}

fn exercise() -> Exercise {
    Exercise::parse(&exercise_toml(), "forms.toml").unwrap()
}

fn values(pairs: &[(&str, &str)]) -> FormValues {
    FormValues::from_fields(
        &pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect(),
    )
}

fn parse(round: &str, pairs: &[(&str, &str)]) -> Result<Answer, Vec<FieldError>> {
    let exercise = exercise();
    let round = exercise.round(round).unwrap();
    parse_answer(&exercise, round, &values(pairs), &round.items, None)
}

fn messages(result: Result<Answer, Vec<FieldError>>) -> Vec<(String, String)> {
    result
        .unwrap_err()
        .into_iter()
        .map(|error| (error.anchor, error.message))
        .collect()
}

#[test]
fn rankings_need_each_number_once_and_all_of_the_top_k() {
    assert_eq!(
        parse("top2", &[("rank-a", "2"), ("rank-b", ""), ("rank-c", "1")]).unwrap(),
        Answer::Rank(vec!["c".to_string(), "a".to_string()])
    );
    assert_eq!(
        messages(parse(
            "top2",
            &[("rank-a", "1"), ("rank-b", "1"), ("rank-c", "")]
        )),
        [(
            "rank-b".to_string(),
            "You gave number 1 to more than one topic. Give “Item B” a different number"
                .to_string()
        )]
    );
    assert_eq!(
        messages(parse("top2", &[("rank-a", "1")])),
        [(
            "rank-b".to_string(),
            "Choose your top 2: number 2 is not given to any topic yet".to_string()
        )]
    );
    assert_eq!(
        messages(parse("top2", &[("rank-a", "3"), ("rank-b", "1")]))[0].0,
        "rank-a"
    );
}

#[test]
fn ratings_need_an_answer_for_each_item_on_the_page() {
    assert_eq!(
        parse(
            "scores",
            &[("rating-a", "5"), ("rating-b", "1"), ("rating-c", "3")]
        )
        .unwrap(),
        Answer::Rate(
            [("a", 5), ("b", 1), ("c", 3)]
                .into_iter()
                .map(|(item, score)| (item.to_string(), Some(Rating::Score(score))))
                .collect()
        )
    );
    let errors = messages(parse(
        "scores",
        &[("rating-a", "9"), ("rating-b", "dont-know")],
    ));
    assert_eq!(
        errors[0],
        (
            "rating-a-1".to_string(),
            "Choose one of the ratings for “Item A”".to_string()
        )
    );
    // "Don't know" is refused where the round does not allow it.
    assert_eq!(errors[1].0, "rating-b-1");
    assert_eq!(
        errors[2],
        (
            "rating-c-1".to_string(),
            "Choose a rating for “Item C”".to_string()
        )
    );
    // Ratings of other pages are kept.
    let exercise = exercise();
    let round = exercise.round("scores").unwrap();
    let earlier = Answer::Rate(
        [("c".to_string(), Some(Rating::Score(2)))]
            .into_iter()
            .collect(),
    );
    let merged = parse_answer(
        &exercise,
        round,
        &values(&[("rating-a", "4")]),
        &[0],
        Some(&earlier),
    )
    .unwrap();
    assert_eq!(
        merged,
        Answer::Rate(
            [("a", 4), ("c", 2)]
                .into_iter()
                .map(|(item, score)| (item.to_string(), Some(Rating::Score(score))))
                .collect()
        )
    );
}

#[test]
fn criteria_answers_and_dont_know() {
    let answer = parse(
        "chnri",
        &[
            ("rating-a-answerable", "yes"),
            ("rating-b-answerable", "dont-know"),
            ("rating-c-answerable", "no"),
        ],
    )
    .unwrap();
    let Answer::Rate(ratings) = &answer else {
        panic!()
    };
    assert_eq!(
        ratings["a"],
        Some(Rating::Criteria(
            [("answerable".to_string(), Some(CriterionAnswer::Yes))]
                .into_iter()
                .collect()
        ))
    );
    assert_eq!(
        ratings["b"],
        Some(Rating::Criteria(
            [("answerable".to_string(), None)].into_iter().collect()
        ))
    );
    assert_eq!(
        FormValues::from_answer(&answer).get("rating-b-answerable"),
        Some("dont-know")
    );
    assert_eq!(
        messages(parse(
            "chnri",
            &[
                ("rating-a-answerable", "yes"),
                ("rating-b-answerable", "no")
            ]
        )),
        [(
            "rating-c-answerable-yes".to_string(),
            "Answer “Answerable?” for “Item C”".to_string()
        )]
    );
}

#[test]
fn picks_and_suggestions_have_limits() {
    assert_eq!(
        parse("choose", &[("picked", "b")]).unwrap(),
        Answer::Pick(vec!["b".to_string()])
    );
    assert_eq!(
        messages(parse("choose", &[("picked", "a"), ("picked", "b")])),
        [(
            "picked-a".to_string(),
            "Pick up to 1 topics. You picked 2".to_string()
        )]
    );
    assert_eq!(
        messages(parse("choose", &[]))[0].1,
        "Pick at least one topic"
    );
    assert_eq!(
        parse(
            "ideas",
            &[("suggestion-1", "  "), ("suggestion-2", " short ")]
        )
        .unwrap(),
        Answer::Suggest(vec!["short".to_string()])
    );
    assert_eq!(
        messages(parse("ideas", &[("suggestion-1", "far too long here")])),
        [(
            "suggestion-1".to_string(),
            "Question 1 must be 10 characters or fewer. It has 17.".to_string()
        )]
    );
    assert_eq!(messages(parse("ideas", &[]))[0].0, "suggestion-1");
}

#[test]
fn stored_answers_fill_the_form_back() {
    let rank = Answer::Rank(vec!["c".to_string(), "a".to_string()]);
    let values = FormValues::from_answer(&rank);
    assert_eq!(values.get("rank-c"), Some("1"));
    assert_eq!(values.get("rank-a"), Some("2"));
    assert_eq!(
        parse("top2", &[("rank-c", "1"), ("rank-a", "2")]).unwrap(),
        rank
    );
    let suggestions =
        FormValues::from_answer(&Answer::Suggest(vec!["x".to_string(), "y".to_string()]));
    assert_eq!(suggestions.get("suggestion-2"), Some("y"));
    let picks = FormValues::from_answer(&Answer::Pick(vec!["a".to_string(), "c".to_string()]));
    assert_eq!(picks.all("picked"), ["a", "c"]);
}

#[test]
fn rating_pages_hold_eight_items() {
    let exercise = exercise();
    let round = exercise.round("scores").unwrap();
    assert_eq!(rating_page(round, 1), (vec![0, 1, 2], 1));
    assert_eq!(rating_page(round, 5), (vec![0, 1, 2], 1));
}
