use super::*;
use crate::definition::MAX_CHOICES;
use proptest::prelude::*;
use test_support::ExerciseToml;

/// The rounds of the test exercise, one of each kind and setting the tests need; the
/// rest is the shared small exercise of `test-support`.
const ROUNDS: &str = r#"
[[rounds]]
id = "ideas"
kind = "suggest"
max_suggestions = 2
max_length = 20

[[rounds]]
id = "rating"
kind = "rate"
scale = { min = 1, max = 9 }

[[rounds]]
id = "chnri"
kind = "rate"
criteria = [{ id = "answerable", label = "Answerable?" }, { id = "equity", label = "Equity?" }]

[[rounds]]
id = "top2"
kind = "rank"
items = ["c", "b", "a"]
top_k = 2

[[rounds]]
id = "picks"
kind = "pick"
max_picks = 1

[[rounds]]
id = "pairs"
kind = "pairwise"
max_choices = 2
"#;

/// The test exercise as TOML.
fn exercise_toml() -> String {
    ExerciseToml::tiny()
        .groups(&[("young-people", "Young people"), ("carers", "Carers")])
        .items(&[("a", "Item A"), ("b", "Item B"), ("c", "Item C")])
        .rounds(ROUNDS)
        .build()
}

fn exercise() -> Exercise {
    Exercise::parse(&exercise_toml(), "tiny.toml").unwrap()
}

fn read(text: &str, round: Option<&str>) -> Result<ReadOutcome, ResponsesError> {
    let exercise = exercise();
    let against = round.map(|id| Against {
        exercise: &exercise,
        round: exercise.round(id).unwrap(),
    });
    read_responses(text.as_bytes(), "answers.csv", against)
}

/// Checks that reading `text` (against `round`, if given) fails with exactly `expected`.
fn check_error(text: &str, round: Option<&str>, expected: &str) {
    match read(text, round) {
        Ok(outcome) => panic!(
            "expected an error, read {} respondents",
            outcome.responses.respondents.len()
        ),
        Err(error) => assert_eq!(error.to_string(), expected),
    }
}

fn written(responses: &Responses) -> String {
    String::from_utf8(write_responses(responses, Vec::new()).unwrap()).unwrap()
}

#[test]
fn reads_a_ranking_file_with_ties_and_gaps() {
    let outcome = read(
        "respondent,group,item,rank\nr1,carers,b,2\nr1,carers,a,1\nr2,young-people,c,1\nr2,young-people,a,1\nr2,young-people,b,4\n",
        None,
    )
    .unwrap();
    let responses = outcome.responses;
    assert_eq!(responses.kind(), ResponseKind::Ranking);
    assert_eq!(responses.groups, ["carers", "young-people"]);
    let ids: Vec<&str> = responses
        .items
        .iter()
        .map(|item| item.id.as_str())
        .collect();
    assert_eq!(ids, ["b", "a", "c"]);
    assert_eq!(responses.respondents.len(), 2);
    let Answers::Ranking(entries) = &responses.answers else {
        panic!("ranking expected")
    };
    // Put in rank order within each respondent.
    assert_eq!(
        &entries[responses.range(0)],
        &[
            RankEntry { item: 1, rank: 1 },
            RankEntry { item: 0, rank: 2 }
        ]
    );
    assert_eq!(
        &entries[responses.range(1)],
        &[
            RankEntry { item: 2, rank: 1 },
            RankEntry { item: 1, rank: 1 },
            RankEntry { item: 0, rank: 4 }
        ]
    );
    assert!(outcome.notes.is_empty());
}

#[test]
fn against_an_exercise_items_and_groups_follow_the_definition() {
    let responses = read(
        "respondent,group,item,rank\nr1,carers,a,1\nr1,carers,c,2\n",
        Some("top2"),
    )
    .unwrap()
    .responses;
    assert_eq!(responses.groups, ["young-people", "carers"]);
    let ids: Vec<&str> = responses
        .items
        .iter()
        .map(|item| item.id.as_str())
        .collect();
    assert_eq!(ids, ["c", "b", "a"]);
    assert_eq!(responses.items[0].label.as_deref(), Some("Item C"));
    assert_eq!(responses.respondents[0].group, 1);
    let Answers::Ranking(entries) = &responses.answers else {
        panic!("ranking expected")
    };
    assert_eq!(
        entries,
        &[
            RankEntry { item: 2, rank: 1 },
            RankEntry { item: 0, rank: 2 }
        ]
    );
}

#[test]
fn tolerates_bom_crlf_quotes_column_order_and_extra_columns() {
    let text = "\u{feff}Group,Respondent,Text,Comment\r\ncarers,r1,\"Support, for \"\"kinship\"\" carers\r\nand more\",x\r\n\r\n";
    let outcome = read(text, None).unwrap();
    let Answers::Suggestions(texts) = &outcome.responses.answers else {
        panic!("suggestions expected")
    };
    assert_eq!(texts, &["Support, for \"kinship\" carers\r\nand more"]);
    assert_eq!(
        outcome.notes,
        ["answers.csv: column `Comment` is not part of the exchange format and was ignored"]
    );
}

#[test]
fn rows_of_a_respondent_need_not_be_consecutive() {
    let responses = read(
        "respondent,group,item\nr1,carers,a\nr2,carers,b\nr1,carers,c\n",
        None,
    )
    .unwrap()
    .responses;
    let Answers::Pick(picks) = &responses.answers else {
        panic!("picks expected")
    };
    assert_eq!(&picks[responses.range(0)], &[0, 2]);
    assert_eq!(&picks[responses.range(1)], &[1]);
}

#[test]
fn reads_ratings_with_dont_know_and_criteria() {
    let responses = read(
        "respondent,group,item,rating\nr1,carers,a,9\nr1,carers,b,\n",
        Some("rating"),
    )
    .unwrap()
    .responses;
    let Answers::Rating(ratings) = &responses.answers else {
        panic!("ratings expected")
    };
    assert_eq!(ratings[0].value, Some(RatingValue::Score(9)));
    assert_eq!(ratings[1].value, None);

    let responses = read(
        "respondent,group,item,criterion,rating\nr1,carers,a,equity,Yes\nr1,carers,a,answerable,undecided\n",
        Some("chnri"),
    )
    .unwrap()
    .responses;
    assert_eq!(responses.criteria, ["answerable", "equity"]);
    let Answers::Rating(ratings) = &responses.answers else {
        panic!("ratings expected")
    };
    assert_eq!(ratings[0].criterion, Some(1));
    assert_eq!(ratings[0].value, Some(RatingValue::Yes));
    assert_eq!(ratings[1].value, Some(RatingValue::Undecided));
}

#[test]
fn header_problems_are_explained() {
    check_error(
        "",
        None,
        "answers.csv: the file is empty; expected a header such as `respondent,group,item,rank`",
    );
    check_error(
        "respondent,item,rank\n",
        None,
        "answers.csv:1: the header has no `group` column; expected a header such as `respondent,group,item,rank`",
    );
    check_error(
        "respondent,group,item,rank,rating\n",
        None,
        "answers.csv:1: the header mixes columns of different kinds (rank, rating): a file holds one kind of answer",
    );
    check_error(
        "respondent,group,winner\n",
        None,
        "answers.csv:1: a pairwise file needs a `loser` column",
    );
    check_error(
        "respondent,group,item,item,rank\n",
        None,
        "answers.csv:1: the header names column `item` twice",
    );
    check_error(
        "respondent,group,item,rank\n",
        Some("rating"),
        "answers.csv:1: the header is that of a ranking file, but round `rating` collects rating answers",
    );
}

#[test]
fn every_class_of_bad_row_is_explained() {
    let header = "respondent,group,item,rank\n";
    check_error(
        &format!("{header}r1,carers,a,1\nr1,carers,b,0\n"),
        None,
        "answers.csv:3: column `rank`: `0` is not a positive whole number (rank 1 is most important)",
    );
    check_error(
        &format!("{header}r1,carers,a,first\n"),
        None,
        "answers.csv:2: column `rank`: `first` is not a positive whole number (rank 1 is most important)",
    );
    check_error(
        &format!("{header}r1,carers,a,1\nr2,carers,b,1\nr1,carers,a,2\n"),
        None,
        "answers.csv:4: column `item`: respondent `r1` ranks item `a` twice (first at line 2)",
    );
    check_error(
        &format!("{header}r1,carers,a,1\nr1,young-people,b,2\n"),
        None,
        "answers.csv:3: column `group`: respondent `r1` is in group `young-people` here but in group `carers` at line 2: a respondent belongs to one group",
    );
    check_error(
        &format!("{header}r1,carers,a\n"),
        None,
        "answers.csv:2: the row has 3 fields but the header has 4",
    );
    check_error(
        &format!("{header},carers,a,1\n"),
        None,
        "answers.csv:2: column `respondent`: the respondent is empty",
    );
    check_error(
        &format!("{header}r1,leaders,a,1\n"),
        Some("top2"),
        "answers.csv:2: column `group`: group `leaders` is not a group of exercise `tiny` (its groups are: young-people, carers)",
    );
    check_error(
        &format!("{header}r1,carers,z,1\n"),
        Some("top2"),
        "answers.csv:2: column `item`: item `z` is not an item of exercise `tiny` (round `top2` asks about: c, b, a)",
    );
    check_error(
        &format!("{header}r1,carers,a,3\n"),
        Some("top2"),
        "answers.csv:2: column `rank`: rank 3 is beyond the top 2 that round `top2` asks for",
    );
    check_error(
        &format!("{header}r1,carers,a,1\nr1,carers,b,2\nr1,carers,c,2\n"),
        Some("top2"),
        "answers.csv:4: respondent `r1` ranks 3 items, but round `top2` asks for the top 2",
    );
    check_error(
        "respondent,group,item,rating\nr1,carers,a,10\n",
        Some("rating"),
        "answers.csv:2: column `rating`: rating 10 is off round `rating`'s scale of 1 to 9",
    );
    check_error(
        "respondent,group,item,rating\nr1,carers,a,high\n",
        None,
        "answers.csv:2: column `rating`: `high` is not a rating: expected a whole number, `yes`, `undecided`, `no`, or nothing for \"don't know\"",
    );
    check_error(
        "respondent,group,item,rating\nr1,carers,a,yes\n",
        Some("rating"),
        "answers.csv:2: column `rating`: `yes` is not a rating on round `rating`'s scale of 1 to 9",
    );
    check_error(
        "respondent,group,item,rating\nr1,carers,a,yes\n",
        Some("chnri"),
        "answers.csv:2: round `chnri` rates items against criteria, so the file needs a `criterion` column",
    );
    check_error(
        "respondent,group,item,criterion,rating\nr1,carers,a,cost,yes\n",
        Some("chnri"),
        "answers.csv:2: column `criterion`: criterion `cost` is not a criterion of round `chnri` (its criteria are: answerable, equity)",
    );
    check_error(
        "respondent,group,item,criterion,rating\nr1,carers,a,equity,yes\nr1,carers,a,equity,no\n",
        None,
        "answers.csv:3: column `item`: respondent `r1` rates item `a` on criterion `equity` twice (first at line 2)",
    );
    check_error(
        "respondent,group,item\nr1,carers,a\nr1,carers,b\n",
        Some("picks"),
        "answers.csv:3: respondent `r1` picks 2 items, but round `picks` allows at most 1 picked",
    );
    check_error(
        "respondent,group,winner,loser\nr1,carers,a,a\n",
        None,
        "answers.csv:2: column `loser`: the winner and the loser are both `a`: a choice is between two different items",
    );
    check_error(
        "respondent,group,winner,loser\nr1,carers,a,\n",
        None,
        "answers.csv:2: column `loser`: the loser is empty",
    );
    check_error(
        "respondent,group,winner,loser\nr1,carers,a,b\nr1,carers,a,c\nr1,carers,b,c\n",
        Some("pairs"),
        "answers.csv:4: respondent `r1` makes 3 choices, but round `pairs` allows at most 2",
    );
    check_error(
        "respondent,group,text\nr1,carers,\"\"\n",
        None,
        "answers.csv:2: column `text`: the suggestion is empty",
    );
    check_error(
        "respondent,group,text\nr1,carers,a suggestion that is far too long\n",
        Some("ideas"),
        "answers.csv:2: column `text`: the suggestion has 33 characters but round `ideas` allows at most 20",
    );
    check_error(
        "respondent,group,text\nr1,carers,one\nr1,carers,two\nr1,carers,three\n",
        Some("ideas"),
        "answers.csv:4: respondent `r1` makes 3 suggestions, but round `ideas` allows at most 2",
    );
}

#[test]
fn invalid_utf8_is_reported_with_its_line() {
    let mut bytes = b"respondent,group,text\nr1,carers,ok\nr2,carers,".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, b'\n']);
    let error = read_responses(bytes.as_slice(), "answers.csv", None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "answers.csv:3: column `text`: the text is not valid UTF-8 (save the file as UTF-8)"
    );
}

#[test]
fn choosing_a_round_explains_ambiguity() {
    let exercise = exercise();
    assert_eq!(
        Against::choose(&exercise, None, ResponseKind::Rating).unwrap_err(),
        "exercise `tiny` has several rounds that collect rating answers (rating, chnri): name one with --round"
    );
    assert_eq!(
        Against::choose(&exercise, None, ResponseKind::Ranking)
            .unwrap()
            .round
            .id
            .as_str(),
        "top2"
    );
    assert_eq!(
        Against::choose(&exercise, Some("pairs"), ResponseKind::Ranking).unwrap_err(),
        "round `pairs` collects pairwise answers, but the file holds ranking answers"
    );
    assert_eq!(
        Against::choose(&exercise, Some("nope"), ResponseKind::Ranking).unwrap_err(),
        "exercise `tiny` has no round `nope` (its rounds are: ideas, rating, chnri, top2, picks, pairs)"
    );
}

#[test]
fn formula_cells_are_neutralised_and_restored() {
    for (text, cell) in [
        ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
        ("+1", "'+1"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("'=x", "''=x"),
        ("''", "'''"),
        ("'Looked after' children", "'Looked after' children"),
        ("plain", "plain"),
        ("'", "'"),
    ] {
        assert_eq!(neutralise_formula(text), cell);
        assert_eq!(restore_formula(&neutralise_formula(text)), text);
    }
    let responses = read("respondent,group,text\nr1,carers,=1+1\n", None)
        .unwrap()
        .responses;
    assert_eq!(
        written(&responses),
        "respondent,group,text\nr1,carers,'=1+1\n"
    );
}

fn kind_strategy() -> impl Strategy<Value = usize> {
    0usize..5
}

/// Generates a valid response set of any kind, as respondents with their answers.
fn responses_strategy() -> impl Strategy<Value = Responses> {
    // A set, so that there are always at least two distinct items (a pairwise choice needs two).
    let item_ids = prop::collection::btree_set("[a-z][a-z0-9-]{0,6}", 2..6)
        .prop_map(|ids| ids.into_iter().collect::<Vec<String>>());
    (kind_strategy(), item_ids, 1usize..4, 0usize..8)
        .prop_flat_map(|(kind, items, group_count, respondent_count)| {
            let item_count = items.len();
            let answer = prop::collection::vec(
                (
                    0..item_count,
                    1u32..5,
                    prop::option::of(-3i32..10),
                    "[ -~]{1,12}",
                    any::<bool>(),
                ),
                1..4,
            );
            (
                Just(kind),
                Just(items),
                Just(group_count),
                prop::collection::vec(
                    (0..group_count, answer),
                    respondent_count..=respondent_count,
                ),
            )
        })
        .prop_map(|(kind, items, group_count, answers)| build(kind, items, group_count, answers))
}

type Generated = Vec<(usize, Vec<(usize, u32, Option<i32>, String, bool)>)>;

fn build(kind: usize, items: Vec<String>, group_count: usize, generated: Generated) -> Responses {
    let groups: Vec<String> = (0..group_count)
        .map(|index| format!("group-{index}"))
        .collect();
    let mut respondents = Vec::new();
    let mut offsets = vec![0];
    let mut ranking = Vec::new();
    let mut rating = Vec::new();
    let mut pick = Vec::new();
    let mut pairwise = Vec::new();
    let mut suggestions = Vec::new();
    let item_count = items.len() as u32;
    for (index, (group, answer)) in generated.into_iter().enumerate() {
        let mut used = std::collections::BTreeSet::new();
        let mut entries = Vec::new();
        for (item, rank, value, text, flag) in answer {
            match kind {
                0..=2 => {
                    if used.insert(item) {
                        entries.push((item as u32, rank, value, flag));
                    }
                }
                3 => pairwise.push(Choice {
                    winner: item as u32,
                    loser: (item as u32 + 1) % item_count,
                }),
                _ => suggestions.push(
                    if flag { format!("={text}") } else { text }
                        .trim()
                        .to_string(),
                ),
            }
        }
        entries.sort_by_key(|entry| entry.1);
        for (item, rank, value, flag) in entries {
            match kind {
                0 => ranking.push(RankEntry { item, rank }),
                1 => rating.push(RatingEntry {
                    item,
                    criterion: None,
                    value: value.map(|score| {
                        if flag {
                            RatingValue::Score(score)
                        } else {
                            RatingValue::No
                        }
                    }),
                }),
                _ => pick.push(item),
            }
        }
        if kind == 4 {
            suggestions.retain(|text: &String| !text.trim().is_empty());
        }
        respondents.push(Respondent {
            id: format!("r{index}"),
            group: group as u32,
            count: 1,
        });
        let length = match kind {
            0 => ranking.len(),
            1 => rating.len(),
            2 => pick.len(),
            3 => pairwise.len(),
            _ => suggestions.len(),
        };
        offsets.push(length);
    }
    let answers = match kind {
        0 => Answers::Ranking(ranking),
        1 => Answers::Rating(rating),
        2 => Answers::Pick(pick),
        3 => Answers::Pairwise(pairwise),
        _ => Answers::Suggestions(suggestions),
    };
    Responses::from_parts(
        groups,
        items
            .into_iter()
            .map(|id| ItemInfo { id, label: None })
            .collect(),
        Vec::new(),
        respondents,
        offsets,
        answers,
    )
}

/// Compares two response sets by what they say, ignoring index order (reading numbers groups
/// and items by first appearance, and drops respondents with no answer).
fn canonical(responses: &Responses) -> Vec<(String, String, Vec<String>)> {
    let item = |index: u32| responses.items[index as usize].id.clone();
    let mut rows: Vec<(String, String, Vec<String>)> = responses
        .respondents
        .iter()
        .enumerate()
        .map(|(index, respondent)| {
            let range = responses.range(index);
            let answer: Vec<String> = match &responses.answers {
                Answers::Ranking(entries) => entries[range]
                    .iter()
                    .map(|entry| format!("{}={}", item(entry.item), entry.rank))
                    .collect(),
                Answers::Rating(entries) => entries[range]
                    .iter()
                    .map(|entry| format!("{}={:?}", item(entry.item), entry.value))
                    .collect(),
                Answers::Pick(entries) => {
                    entries[range].iter().map(|&picked| item(picked)).collect()
                }
                Answers::Pairwise(entries) => entries[range]
                    .iter()
                    .map(|choice| format!("{}>{}", item(choice.winner), item(choice.loser)))
                    .collect(),
                Answers::Suggestions(entries) => entries[range].to_vec(),
            };
            (
                respondent.id.clone(),
                responses.groups[respondent.group as usize].clone(),
                answer,
            )
        })
        .filter(|(_, _, answer)| !answer.is_empty())
        .collect();
    rows.sort();
    rows
}

proptest! {
    #[test]
    fn every_kind_round_trips_through_write_and_read(responses in responses_strategy()) {
        let text = written(&responses);
        let read_back = read_responses(text.as_bytes(), "round-trip.csv", None)
            .unwrap_or_else(|error| panic!("{error}\n{text}"))
            .responses;
        prop_assert_eq!(read_back.kind(), responses.kind());
        prop_assert_eq!(canonical(&read_back), canonical(&responses));
        // Writing what was read gives the same bytes again.
        prop_assert_eq!(written(&read_back), text);
    }

    #[test]
    fn no_input_makes_the_reader_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = read_responses(bytes.as_slice(), "fuzz.csv", None);
    }

    #[test]
    fn no_text_input_makes_the_reader_panic_against_an_exercise(
        header in prop::sample::select(vec![
            "respondent,group,item,rank", "respondent,group,item,rating",
            "respondent,group,item,criterion,rating", "respondent,group,item",
            "respondent,group,winner,loser", "respondent,group,text",
        ]),
        body in "([a-z0-9,\"=\\-]{0,12}\n){0,6}",
        round in prop::sample::select(vec!["ideas", "rating", "chnri", "top2", "picks", "pairs"]),
    ) {
        let exercise = exercise();
        let round = exercise.round(round).unwrap();
        let text = format!("{header}\n{body}");
        let _ = read_responses(text.as_bytes(), "fuzz.csv", Some(Against { exercise: &exercise, round }));
    }
}

#[test]
fn large_files_read_on_two_threads_give_the_same_answers_and_lines() {
    // Well past the rows read on one thread, so that the two-stage path is taken.
    let mut text = String::from("respondent,group,item,rank\n");
    for respondent in 0..30_000 {
        for (rank, item) in ["a", "b", "c"].iter().enumerate() {
            text.push_str(&format!(
                "r{respondent},g{},{item},{}\n",
                respondent % 3,
                rank + 1
            ));
        }
    }
    let responses = read(&text, None).unwrap().responses;
    assert_eq!(responses.respondents.len(), 30_000);
    assert_eq!(responses.groups, ["g0", "g1", "g2"]);
    assert_eq!(written(&responses), text);
    // A bad row late in the file is reported with its own line.
    let bad = text.replacen("r25000,g1,b,2", "r25000,g1,b,0", 1);
    check_error(
        &bad,
        None,
        "answers.csv:75003: column `rank`: `0` is not a positive whole number (rank 1 is most important)",
    );
    // So is a short row at the very end.
    let mut broken = text.clone();
    broken.push_str("r9,g0\n");
    check_error(
        &broken,
        None,
        "answers.csv:90002: the row has 2 fields but the header has 4",
    );
}

proptest! {
    /// Each kind's header, with or without extra columns, over a near-miss body, read without
    /// an exercise: the reader never panics, and what it reads writes back and reads again.
    #[test]
    fn no_body_under_each_kind_of_header_makes_the_reader_panic(
        header in prop::sample::select(vec![
            "respondent,group,item,rank", "respondent,group,item,rating",
            "respondent,group,item,criterion,rating", "respondent,group,item",
            "respondent,group,winner,loser", "respondent,group,text",
            "respondent,group,item,rank,note", "note,respondent,group,text",
        ]),
        body in "([a-z0-9,\"=\\-' ]{0,16}\n){0,6}",
    ) {
        let text = format!("{header}\n{body}");
        if let Ok(outcome) = read_responses(text.as_bytes(), "fuzz.csv", None) {
            let again = written(&outcome.responses);
            prop_assert!(
                read_responses(again.as_bytes(), "again.csv", None).is_ok(),
                "{again}"
            );
        }
    }
}

/// A pairwise round without `max_choices` takes at most `MAX_CHOICES` choices from one
/// respondent in a file, as the service takes at most that many in one answer: both read the
/// round's `AnswerLimits`. (The reader used to take any number.)
#[test]
fn a_pairwise_round_without_max_choices_takes_at_most_max_choices() {
    let source = exercise_toml().replace("max_choices = 2\n", "");
    let exercise = Exercise::parse(&source, "tiny.toml").unwrap();
    let round = exercise.round("pairs").unwrap();
    let file = |choices: usize| {
        let mut text = "respondent,group,winner,loser\n".to_string();
        for _ in 0..choices {
            text.push_str("r1,carers,a,b\n");
        }
        text
    };
    let read_against = |text: String| {
        read_responses(
            text.as_bytes(),
            "answers.csv",
            Some(Against {
                exercise: &exercise,
                round,
            }),
        )
    };
    let outcome = read_against(file(MAX_CHOICES)).unwrap();
    assert_eq!(outcome.responses.respondents.len(), 1);
    let error = read_against(file(MAX_CHOICES + 1)).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "answers.csv:{}: respondent `r1` makes {} choices, but round `pairs` allows at most {MAX_CHOICES}",
            MAX_CHOICES + 2,
            MAX_CHOICES + 1
        )
    );
}

#[test]
fn the_shown_order_column_is_read_written_back_and_checked() {
    let text = "respondent,group,item,rank,shown_order\n\
                r1,carers,b,1,c b a\n\
                r1,carers,a,2,c b a\n\
                r2,carers,a,1,\n";
    let outcome = read(text, None).unwrap();
    assert!(outcome.notes.is_empty(), "{:?}", outcome.notes);
    let responses = outcome.responses;
    let id = |index: u32| responses.items[index as usize].id.as_str();
    match &responses.shown.as_ref().unwrap()[0] {
        Shown::Items(order) => {
            assert_eq!(
                order.iter().map(|&item| id(item)).collect::<Vec<_>>(),
                ["c", "b", "a"]
            );
        }
        other => panic!("expected an order, got {other:?}"),
    }
    assert_eq!(responses.shown.as_ref().unwrap()[1], Shown::NotRecorded);
    assert_eq!(written(&responses), text);

    // A file without the column has no shown orders, and writes none.
    let plain = read("respondent,group,item,rank\nr1,carers,a,1\n", None).unwrap();
    assert_eq!(plain.responses.shown, None);
    assert_eq!(
        written(&plain.responses),
        "respondent,group,item,rank\nr1,carers,a,1\n"
    );

    check_error(
        "respondent,group,item,rank,shown_order\nr1,carers,b,1,c b a\nr1,carers,a,2,a b c\n",
        None,
        "answers.csv:3: column `shown_order`: the shown order differs from the one given for the same respondent at line 2: a respondent was shown one order",
    );
}

#[test]
fn a_pairwise_file_records_the_side_each_pair_was_shown() {
    let text = "respondent,group,winner,loser,shown_order\n\
                r1,carers,a,b,a b\n\
                r1,carers,c,a,a c\n\
                r1,carers,b,c,\n";
    let responses = read(text, None).unwrap().responses;
    match &responses.shown.as_ref().unwrap()[0] {
        Shown::Pairs(pairs) => {
            assert_eq!(
                pairs
                    .iter()
                    .map(|pair| pair.winner_first)
                    .collect::<Vec<_>>(),
                [true, false]
            );
        }
        other => panic!("expected pairs, got {other:?}"),
    }
    assert_eq!(written(&responses), text);
    check_error(
        "respondent,group,winner,loser,shown_order\nr1,carers,a,b,a c\n",
        None,
        "answers.csv:2: column `shown_order`: `a c` is not the row's pair as shown: give the winner and the loser, the one shown first before the other",
    );
}
