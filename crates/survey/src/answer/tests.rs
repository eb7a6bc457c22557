use super::*;
use crate::definition::RoundKind;
use crate::responses::{Against, read_responses};
use proptest::prelude::*;
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
id = "rating"
kind = "rate"
scale = { min = 1, max = 9 }
items = ["a", "b", "c"]

[[rounds]]
id = "strict"
kind = "rate"
scale = { min = 1, max = 5 }
allow_dont_know = false
items = ["a", "b", "c"]

[[rounds]]
id = "chnri"
kind = "rate"
items = ["a", "b", "c"]
criteria = [{ id = "answerability", label = "Answerable?" }, { id = "equity", label = "Equity?" }]

[[rounds]]
id = "top2"
kind = "rank"
items = ["c", "b", "a"]
top_k = 2

[[rounds]]
id = "picks"
kind = "pick"
items = ["a", "b", "c"]
max_picks = 2

[[rounds]]
id = "pairs"
kind = "pairwise"
items = ["a", "b", "c"]
max_choices = 2
"#;

/// The test exercise as TOML.
fn exercise_toml() -> String {
    ExerciseToml::tiny()
        .groups(&[("carers", "Carers")])
        .items(&[
            ("a", "Item A"),
            ("b", "Item B"),
            ("c", "Item C"),
            ("housing", "Housing"),
        ])
        .rounds(ROUNDS)
        .build()
}

fn exercise() -> Exercise {
    Exercise::parse(&exercise_toml(), "exercise.toml").expect("the test exercise is valid")
}

/// Parses `json`, checks it against `round`, and compares the messages with `expected` (empty
/// for a valid answer).
fn check(round: &str, json: &str, expected: &[&str]) {
    let exercise = exercise();
    let round = exercise.round(round).expect("the round exists");
    let answer: Answer = serde_json::from_str(json).expect("the JSON is an answer");
    let messages: Vec<String> = match answer.check(&exercise, round) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.errors.iter().map(ToString::to_string).collect(),
    };
    assert_eq!(messages, expected, "for {json}");
}

fn parse_error(json: &str) -> String {
    serde_json::from_str::<Answer>(json)
        .expect_err("the JSON is refused")
        .to_string()
}

#[test]
fn valid_answers_of_every_kind_pass() {
    check("top2", r#"{"ranking": ["a", "c"]}"#, &[]);
    check("top2", r#"{"ranking": ["b"]}"#, &[]);
    check("rating", r#"{"ratings": {"a": 7, "b": null}}"#, &[]);
    check("strict", r#"{"ratings": {"a": 1, "c": 5}}"#, &[]);
    check(
        "chnri",
        r#"{"ratings": {"a": {"answerability": "yes", "equity": "undecided"}, "b": {"answerability": "no", "equity": null}}}"#,
        &[],
    );
    check("picks", r#"{"picked": ["c", "a"]}"#, &[]);
    check("ideas", r#"{"suggestions": ["  short  ", "=1+1"]}"#, &[]);
    check(
        "pairs",
        r#"{"choices": [{"winner": "a", "loser": "b"}, {"winner": "a", "loser": "b"}]}"#,
        &[],
    );
}

#[test]
fn an_answer_of_another_kind_is_refused() {
    check(
        "top2",
        r#"{"picked": ["a"]}"#,
        &["`picked`: round `top2` is a rank round, so the answer needs `ranking`, not `picked`"],
    );
    check(
        "ideas",
        r#"{"ranking": ["a"]}"#,
        &[
            "`ranking`: round `ideas` is a suggest round, so the answer needs `suggestions`, not `ranking`",
        ],
    );
}

#[test]
fn bodies_with_no_or_several_answers_are_refused() {
    assert!(parse_error(r#"{}"#).contains(
        "an answer needs one of `ranking`, `ratings`, `picked`, `suggestions` or `choices`"
    ));
    assert!(
        parse_error(r#"{"ranking": ["a"], "picked": ["a"]}"#)
            .contains("but this one holds `ranking` and `picked`")
    );
    // Any other key is refused (the service takes `submit` out of its body first).
    assert!(parse_error(r#"{"ranking": ["a"], "evil": 1}"#).contains("unknown field `evil`"));
    let answer: Answer = serde_json::from_str(r#"{"ranking": ["a"]}"#).unwrap();
    assert_eq!(answer, Answer::Rank(vec!["a".to_string()]));
}

#[test]
fn malformed_ratings_are_refused_while_reading() {
    assert!(
        parse_error(r#"{"ratings": {"a": 7.5}}"#).contains("the rating 7.5 is not a whole number")
    );
    assert!(parse_error(r#"{"ratings": {"a": 1, "a": 2}}"#).contains("`ratings` names `a` twice"));
    assert!(
        parse_error(r#"{"ratings": {"a": {"equity": "yes", "equity": "no"}}}"#)
            .contains("a rating names `equity` twice")
    );
    assert!(
        parse_error(r#"{"ratings": {"a": {"equity": "maybe"}}}"#)
            .contains("unknown variant `maybe`")
    );
    assert!(parse_error(r#"{"ratings": {"a": 99999999999}}"#).contains("far off any scale"));
    assert!(
        parse_error(r#"{"ratings": {"a": "7"}}"#).contains("a whole number, null for don't know")
    );
    assert!(
        parse_error(r#"{"choices": [{"winner": "a", "loser": "b", "tie": true}]}"#)
            .contains("unknown field `tie`")
    );
}

#[test]
fn rankings_must_be_a_top_k_of_the_rounds_items() {
    check(
        "top2",
        r#"{"ranking": ["c", "housing"]}"#,
        &["`ranking[1]`: `housing` is not one of this round's items (its items are: c, b, a)"],
    );
    check(
        "top2",
        r#"{"ranking": ["c", "c"]}"#,
        &["`ranking[1]`: `c` is already given at `ranking[0]`"],
    );
    check(
        "top2",
        r#"{"ranking": ["c", "b", "a"]}"#,
        &["`ranking`: the answer ranks 3 items, but round `top2` asks for the top 2"],
    );
    check(
        "top2",
        r#"{"ranking": []}"#,
        &["`ranking`: the answer is empty: give at least one item"],
    );
}

#[test]
fn picks_are_bounded_and_unique() {
    check(
        "picks",
        r#"{"picked": ["a", "b", "c"]}"#,
        &["`picked`: the answer picks 3 items, but round `picks` asks for at most 2"],
    );
    check(
        "picks",
        r#"{"picked": ["a", "a"]}"#,
        &["`picked[1]`: `a` is already given at `picked[0]`"],
    );
    check(
        "picks",
        r#"{"picked": ["zzz"]}"#,
        &["`picked[0]`: `zzz` is not one of this round's items (its items are: a, b, c)"],
    );
    check(
        "picks",
        r#"{"picked": []}"#,
        &["`picked`: the answer is empty: give at least one item"],
    );
}

#[test]
fn ratings_must_be_on_the_scale_and_name_the_rounds_items() {
    check(
        "rating",
        r#"{"ratings": {"a": 0, "b": 10, "housing": 5}}"#,
        &[
            "`ratings.a`: 0 is off the scale: give a whole number from 1 to 9",
            "`ratings.b`: 10 is off the scale: give a whole number from 1 to 9",
            "`ratings.housing`: `housing` is not one of this round's items (its items are: a, b, c)",
        ],
    );
    check(
        "strict",
        r#"{"ratings": {"a": null}}"#,
        &["`ratings.a`: `null` (don't know) is not allowed in round `strict`: give a rating"],
    );
    check(
        "rating",
        r#"{"ratings": {}}"#,
        &["`ratings`: the answer is empty: give at least one rating"],
    );
    check(
        "rating",
        r#"{"ratings": {"a": {"equity": "yes"}}}"#,
        &["`ratings.a`: round `rating` has no criteria: give a whole number from 1 to 9"],
    );
}

#[test]
fn criteria_answers_cover_exactly_the_rounds_criteria() {
    check(
        "chnri",
        r#"{"ratings": {"a": {"answerability": "yes"}}}"#,
        &["`ratings.a`: criterion `equity` is not answered: give `yes`, `undecided`, `no` or null"],
    );
    check(
        "chnri",
        r#"{"ratings": {"a": {"answerability": "yes", "equity": "no", "cost": "yes"}}}"#,
        &[
            "`ratings.a.cost`: `cost` is not a criterion of round `chnri` (its criteria are: answerability, equity)",
        ],
    );
    check(
        "chnri",
        r#"{"ratings": {"a": 3}}"#,
        &[
            "`ratings.a`: round `chnri` rates items against criteria: give an object such as {\"answerability\": \"yes\"} with `yes`, `undecided` or `no` for each criterion",
        ],
    );
    check(
        "chnri",
        r#"{"ratings": {"a": null}}"#,
        &[
            "`ratings.a`: round `chnri` rates items against criteria: give an object with `yes`, `undecided`, `no` or null for each criterion rather than `null`",
        ],
    );
}

#[test]
fn suggestions_are_trimmed_counted_and_measured() {
    check(
        "ideas",
        r#"{"suggestions": ["   ", "0123456789X"]}"#,
        &[
            "`suggestions[0]`: the suggestion is empty: write something or remove it",
            "`suggestions[1]`: the suggestion has 11 characters but round `ideas` allows at most 10",
        ],
    );
    check(
        "ideas",
        r#"{"suggestions": ["a", "b", "c"]}"#,
        &["`suggestions`: the answer makes 3 suggestions, but round `ideas` takes at most 2"],
    );
    check(
        "ideas",
        r#"{"suggestions": []}"#,
        &["`suggestions`: the answer is empty: give at least one suggestion"],
    );
    // Length is counted in characters, not bytes, and after trimming.
    check(
        "ideas",
        r#"{"suggestions": ["  ééééééééééé  "]}"#,
        &["`suggestions[0]`: the suggestion has 11 characters but round `ideas` allows at most 10"],
    );
    check("ideas", r#"{"suggestions": ["  éééééééééé  "]}"#, &[]);
}

#[test]
fn suggestions_with_control_characters_are_refused_by_field() {
    // NUL, BEL, BS, ESC and DEL are refused, each named by its field.
    for (escaped, code) in [
        ("\\u0000", "0000"),
        ("\\u0007", "0007"),
        ("\\b", "0008"),
        ("\\u001b[2J", "001B"),
        ("\\u007f", "007F"),
    ] {
        let body = format!(r#"{{"suggestions": ["fine", "a{escaped}b"]}}"#);
        check(
            "ideas",
            &body,
            &[format!(
                "`suggestions[1]`: the suggestion holds a control character (U+{code}), which cannot be saved: remove it"
            )
            .as_str()],
        );
    }
    // Tabs and line breaks inside a suggestion are text.
    check("ideas", r#"{"suggestions": ["a\tb\r\nc"]}"#, &[]);
    let exercise = exercise();
    let round = exercise.round("ideas").unwrap();
    let checked = Answer::Suggest(vec!["  hello ".to_string()])
        .check(&exercise, round)
        .unwrap();
    assert_eq!(
        checked.answer(),
        &Answer::Suggest(vec!["hello".to_string()])
    );
    assert_eq!(checked.to_json(), r#"{"suggestions":["hello"]}"#);
}

#[test]
fn choices_are_between_two_different_items_of_the_round() {
    check(
        "pairs",
        r#"{"choices": [{"winner": "a", "loser": "a"}]}"#,
        &["`choices[0]`: `a` is both winner and loser: a choice is between two different items"],
    );
    check(
        "pairs",
        r#"{"choices": [{"winner": "housing", "loser": "a"}]}"#,
        &[
            "`choices[0].winner`: `housing` is not one of this round's items (its items are: a, b, c)",
        ],
    );
    check(
        "pairs",
        r#"{"choices": [{"winner": "a", "loser": "b"}, {"winner": "a", "loser": "c"}, {"winner": "b", "loser": "c"}]}"#,
        &["`choices`: the answer makes 3 choices, but round `pairs` takes at most 2"],
    );
    check(
        "pairs",
        r#"{"choices": []}"#,
        &["`choices`: the answer is empty: give at least one choice"],
    );
}

#[test]
fn errors_are_bounded_and_long_ids_cut_short() {
    let exercise = exercise();
    let round = exercise.round("rating").unwrap();
    // More unknown keys than the round has items: one message, not one per key.
    let many: BTreeMap<String, Option<Rating>> = (0..1000)
        .map(|index| (format!("x{index}"), Some(Rating::Score(1))))
        .collect();
    let errors = Answer::Rate(many).check(&exercise, round).unwrap_err();
    assert_eq!(
        errors.to_string(),
        "`ratings`: the answer rates 1000 items, but round `rating` has only 3"
    );
    let long = "y".repeat(500);
    let errors = Answer::Rank(vec![long])
        .check(&exercise, exercise.round("top2").unwrap())
        .unwrap_err();
    assert!(errors.to_string().len() < 200, "{errors}");
    assert!(errors.to_string().contains('…'));
    // Bounded count of reported problems.
    let round = exercise.round("pairs").unwrap();
    let mut unbounded = round.clone();
    unbounded.kind = RoundKind::Pairwise { max_choices: None };
    let choices = (0..50)
        .map(|_| PairChoice {
            winner: "nope".to_string(),
            loser: "a".to_string(),
        })
        .collect();
    let errors = Answer::Pairwise(choices)
        .check(&exercise, &unbounded)
        .unwrap_err();
    assert_eq!(errors.errors.len(), MAX_REPORTED_ERRORS);
    assert_eq!(errors.more, 30);
    assert!(errors.to_string().ends_with("; and 30 more problems"));
}

/// Writes checked answers with [`AnswerWriter`] and reads them back with the exchange reader,
/// checked against the same round.
fn export(round_id: &str, answers: &[(&str, &str)]) -> String {
    let exercise = exercise();
    let round = exercise.round(round_id).unwrap();
    let mut writer = AnswerWriter::new(Vec::new(), round).unwrap();
    for (respondent, json) in answers {
        let answer: Answer = serde_json::from_str(json).unwrap();
        let checked = answer.check(&exercise, round).unwrap();
        writer
            .write(respondent, "carers", checked.answer())
            .unwrap();
    }
    let bytes = writer.finish().unwrap();
    let kind = ResponseKind::of_round(&round.kind);
    let against = Against::choose(&exercise, Some(round_id), kind).unwrap();
    read_responses(bytes.as_slice(), "export.csv", Some(against)).expect("the export reads back");
    String::from_utf8(bytes).unwrap()
}

#[test]
fn answers_export_as_the_exchange_format() {
    assert_eq!(
        export(
            "top2",
            &[
                ("r1", r#"{"ranking": ["a", "c"]}"#),
                ("r2", r#"{"ranking": ["b"]}"#)
            ]
        ),
        "respondent,group,item,rank\nr1,carers,a,1\nr1,carers,c,2\nr2,carers,b,1\n"
    );
    assert_eq!(
        export("rating", &[("r1", r#"{"ratings": {"b": null, "a": 7}}"#)]),
        "respondent,group,item,rating\nr1,carers,a,7\nr1,carers,b,\n"
    );
    assert_eq!(
        export(
            "chnri",
            &[(
                "r1",
                r#"{"ratings": {"a": {"equity": null, "answerability": "yes"}}}"#
            )]
        ),
        "respondent,group,item,criterion,rating\nr1,carers,a,answerability,yes\nr1,carers,a,equity,\n"
    );
    assert_eq!(
        export("picks", &[("r1", r#"{"picked": ["c", "a"]}"#)]),
        "respondent,group,item\nr1,carers,c\nr1,carers,a\n"
    );
    assert_eq!(
        export(
            "pairs",
            &[("r1", r#"{"choices": [{"winner": "b", "loser": "a"}]}"#)]
        ),
        "respondent,group,winner,loser\nr1,carers,b,a\n"
    );
    // Text is neutralised for spreadsheets and quoted where CSV needs it.
    assert_eq!(
        export(
            "ideas",
            &[("r1", r#"{"suggestions": [" =SUM(A1) ", "a, b"]}"#)]
        ),
        "respondent,group,text\nr1,carers,'=SUM(A1)\nr1,carers,\"a, b\"\n"
    );
}

#[test]
fn the_writer_refuses_answers_of_another_shape() {
    let exercise = exercise();
    let mut writer = AnswerWriter::new(Vec::new(), exercise.round("top2").unwrap()).unwrap();
    let error = writer
        .write("r1", "carers", &Answer::Pick(vec!["a".to_string()]))
        .unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert!(
        error
            .to_string()
            .contains("pick answers, which do not fit a ranking file")
    );
    let mut writer = AnswerWriter::new(Vec::new(), exercise.round("chnri").unwrap()).unwrap();
    let plain = Answer::Rate(BTreeMap::from([("a".to_string(), Some(Rating::Score(3)))]));
    assert!(writer.write("r1", "carers", &plain).is_err());
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9-]{0,8}",
        any::<String>(),
        Just("=cmd|' /C calc'!A0".to_string()),
    ]
}

fn criterion_answer() -> impl Strategy<Value = Option<CriterionAnswer>> {
    prop_oneof![
        Just(None),
        Just(Some(CriterionAnswer::Yes)),
        Just(Some(CriterionAnswer::Undecided)),
        Just(Some(CriterionAnswer::No)),
    ]
}

fn rating() -> impl Strategy<Value = Option<Rating>> {
    prop_oneof![
        Just(None),
        any::<i32>().prop_map(|score| Some(Rating::Score(score))),
        prop::collection::btree_map(text(), criterion_answer(), 0..4)
            .prop_map(|answers| Some(Rating::Criteria(answers))),
    ]
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        prop::collection::vec(text(), 0..6).prop_map(Answer::Rank),
        prop::collection::btree_map(text(), rating(), 0..6).prop_map(Answer::Rate),
        prop::collection::vec(text(), 0..6).prop_map(Answer::Pick),
        prop::collection::vec(text(), 0..6).prop_map(Answer::Suggest),
        prop::collection::vec(
            (text(), text()).prop_map(|(winner, loser)| PairChoice { winner, loser }),
            0..6
        )
        .prop_map(Answer::Pairwise),
    ]
}

proptest! {
    #[test]
    fn answers_round_trip_through_json(answer in answer()) {
        let json = serde_json::to_string(&answer).unwrap();
        let back: Answer = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &answer);
        // And through a generic JSON value, as a server that nests the answer would do.
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(value.as_object().map(|object| object.len()), Some(1));
        prop_assert!(value.get(answer.field()).is_some());
        let back: Answer = serde_json::from_value(value).unwrap();
        prop_assert_eq!(back, answer);
    }

    #[test]
    fn valid_rankings_check_and_export(order in Just(vec!["a", "b", "c"]).prop_shuffle(), length in 1usize..=2) {
        let ranking: Vec<String> = order[..length].iter().map(|id| id.to_string()).collect();
        let json = serde_json::to_string(&Answer::Rank(ranking.clone())).unwrap();
        let csv = export("top2", &[("r1", &json)]);
        prop_assert_eq!(csv.lines().count(), length + 1);
    }
}
