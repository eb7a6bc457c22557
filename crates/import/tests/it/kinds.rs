//! What every tool's table turns into, whatever the tool: pick (multi-select) questions,
//! single choices spread one column per option, a survey without a group question, responses
//! the tool marks incomplete, questions that asked only some of the round's items, and every
//! bad cell listed at once. Tables are built by hand so that each rule is seen on its own.

use import::{
    Column, DataRow, ImportError, Options, QuestionKind, RespondentSource, Table, Tool, Value,
    convert, list,
};
use survey::responses::ResponseKind;

use crate::{exercise, round_trip, rows_of};

/// A table with a respondent id column, then the given `(question, option)` columns, and
/// `rows` of `(complete, cells after the id)`.
fn table(columns: &[(&str, Option<&str>)], rows: &[(bool, &[&str])]) -> Table {
    let mut all_columns = vec![Column {
        question: "Respondent ID".to_string(),
        option: None,
        position: 0,
    }];
    for (index, (question, option)) in columns.iter().enumerate() {
        all_columns.push(Column {
            question: (*question).to_string(),
            option: option.map(str::to_string),
            position: index + 1,
        });
    }
    Table {
        tool: Tool::SurveyMonkey,
        source_name: "export.csv".to_string(),
        columns: all_columns,
        metadata: vec![0],
        respondents: RespondentSource::Column(0),
        rows: rows
            .iter()
            .enumerate()
            .map(|(index, (complete, cells))| DataRow {
                line: index as u64 + 3,
                cells: std::iter::once((index + 1).to_string())
                    .chain(cells.iter().map(|cell| (*cell).to_string()))
                    .collect(),
                complete: *complete,
            })
            .collect(),
        sheet: None,
        notes: Vec::new(),
    }
}

/// A group question spread one column per option, then a multi-select of the three topics.
fn spread_group_and_pick() -> Table {
    const PICK: &str = "Which topics matter? Select all that apply.";
    table(
        &[
            ("Which group are you in?", Some("Parents and carers")),
            ("Which group are you in?", Some("Practitioners")),
            (PICK, Some("Early help")),
            (PICK, Some("Kinship care")),
            (PICK, Some("Social work caseloads")),
        ],
        &[
            (
                true,
                &[
                    "Parents and carers",
                    "",
                    "Early help",
                    "",
                    "Social work caseloads",
                ],
            ),
            (true, &["", "Practitioners", "", "Kinship care", ""]),
            (
                false,
                &[
                    "",
                    "Practitioners",
                    "Early help",
                    "Kinship care",
                    "Social work caseloads",
                ],
            ),
            (true, &["Parents and carers", "", "", "", ""]),
        ],
    )
}

#[test]
fn a_multi_select_is_a_pick_and_a_spread_single_choice_is_the_group() {
    let table = spread_group_and_pick();
    let listing = list(&table, Options::default()).unwrap();
    let kinds: Vec<(QuestionKind, bool, usize)> = listing
        .questions
        .iter()
        .map(|question| (question.kind, question.is_group, question.answered))
        .collect();
    assert_eq!(
        kinds,
        [
            (QuestionKind::SingleChoice, true, 4),
            (QuestionKind::Pick, false, 3),
        ]
    );
    assert_eq!(listing.incomplete, 1);
    let imported = convert(&table, Options::default()).unwrap();
    assert_eq!(imported.kind, ResponseKind::Pick);
    assert_eq!(imported.respondent_count, 3);
    let (text, outcome) = round_trip(&imported);
    assert!(text.starts_with("respondent,group,item\n"), "{text}");
    assert_eq!(
        rows_of(&outcome),
        [
            "1,parents-and-carers,early-help,",
            "1,parents-and-carers,social-work-caseloads,",
            "2,practitioners,kinship-care,",
            "3,practitioners,early-help,",
            "3,practitioners,kinship-care,",
            "3,practitioners,social-work-caseloads,",
        ]
    );
    assert!(
        imported.notes.iter().any(|note| note
            == "kept 1 responses the tool marks incomplete, for the questions they answered; leave them out with --complete-only"),
        "{:?}",
        imported.notes
    );
    assert!(
        imported
            .notes
            .iter()
            .any(|note| note.starts_with("skipped 1 respondents who did not answer `Which topics"))
    );
}

#[test]
fn complete_only_leaves_out_what_the_tool_marks_unfinished() {
    let imported = convert(
        &spread_group_and_pick(),
        Options {
            complete_only: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(imported.respondent_count, 2);
    assert!(
        imported
            .answers
            .iter()
            .all(|answer| answer.respondent != "3")
    );
    assert!(
        imported
            .notes
            .iter()
            .any(|note| note == "left out 1 responses the tool marks incomplete (--complete-only)")
    );
}

#[test]
fn ticks_may_be_y_or_1_and_a_lone_tick_is_a_single_choice() {
    let table = table(
        &[
            ("Your stakeholder group", None),
            ("Topics", Some("Early help")),
            ("Topics", Some("Kinship care")),
            ("Best one", Some("Early help")),
            ("Best one", Some("Kinship care")),
        ],
        &[
            (true, &["Parents", "Y", "Y", "1", "0"]),
            (true, &["Parents", "N", "Y", "0", "1"]),
            (true, &["Others", "", "", "", ""]),
        ],
    );
    let listing = list(&table, Options::default()).unwrap();
    let kinds: Vec<QuestionKind> = listing
        .questions
        .iter()
        .map(|question| question.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            QuestionKind::SingleChoice,
            QuestionKind::Pick,
            QuestionKind::SingleChoice
        ]
    );
    let imported = convert(&table, Options::default()).unwrap();
    let picked: Vec<(&str, &str)> = imported
        .answers
        .iter()
        .map(|answer| (answer.respondent.as_str(), answer.item.as_str()))
        .collect();
    assert_eq!(
        picked,
        [
            ("1", "early-help"),
            ("1", "kinship-care"),
            ("2", "kinship-care")
        ]
    );
    assert!(
        imported
            .answers
            .iter()
            .all(|answer| answer.value == Value::Picked)
    );
}

#[test]
fn without_a_group_question_everyone_is_in_group_all() {
    let table = table(
        &[
            ("Rank these", Some("Early help")),
            ("Rank these", Some("Kinship care")),
        ],
        &[(true, &["1", "2"]), (true, &["2", "1"])],
    );
    let imported = convert(&table, Options::default()).unwrap();
    assert!(imported.answers.iter().all(|answer| answer.group == "all"));
    assert_eq!(imported.mapping.group_question, None);
    assert!(imported.notes.iter().any(|note| note.starts_with(
        "no question about the respondent's group was found, so everyone is in one group `all`"
    )));
    let listing = list(&table, Options::default()).unwrap();
    assert!(listing.questions.iter().all(|question| !question.is_group));
}

#[test]
fn a_question_that_asked_fewer_items_than_the_round_is_refused_with_the_list() {
    // The fixture exercise's ranking round has three items; this question asked two.
    let table = table(
        &[
            ("Which group best describes you?", None),
            ("Rank these", Some("Early help")),
            ("Rank these", Some("Kinship care")),
        ],
        &[
            (true, &["Parents and carers", "1", "2"]),
            (true, &["Practitioners", "2", "1"]),
        ],
    );
    let exercise = exercise();
    let error = convert(
        &table,
        Options {
            exercise: Some(&exercise),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(matches!(error, ImportError::Unasked { .. }));
    assert_eq!(
        error.to_string(),
        "export.csv: `Rank these` asked 2 items, but round `rank` of exercise `import-example` also has `Social work caseloads`; they would rank as if every respondent had left them unranked. Import against a round whose `items` are the 2 asked ([\"early-help\", \"kinship-care\"]; give it with --round), or import without --exercise"
    );
    // Without the exercise, the two asked items are all there is.
    let imported = convert(&table, Options::default()).unwrap();
    assert_eq!(imported.respondent_count, 2);
}

#[test]
fn every_bad_cell_is_listed_at_once_up_to_fifty() {
    let rows: Vec<(bool, Vec<&str>)> = (0..60)
        .map(|index| {
            (
                true,
                vec!["Parents", if index % 2 == 0 { "x" } else { "1" }, "2"],
            )
        })
        .collect();
    let borrowed: Vec<(bool, &[&str])> = rows
        .iter()
        .map(|(complete, cells)| (*complete, cells.as_slice()))
        .collect();
    let table = table(
        &[
            ("Your stakeholder group", None),
            ("Rank these", Some("Early help")),
            ("Rank these", Some("Kinship care")),
        ],
        &borrowed,
    );
    let error = convert(&table, Options::default()).unwrap_err();
    let ImportError::Many { problems, more } = &error else {
        panic!("{error}");
    };
    assert_eq!((problems.len(), *more), (30, 0));
    let text = error.to_string();
    assert!(text.starts_with("30 cells cannot be read:\nexport.csv:3: column `Rank these [Early help]`: `x` is not a rank"), "{text}");
    assert!(
        text.contains("\nexport.csv:61: column `Rank these [Early help]`"),
        "{text}"
    );
    // One bad cell in each of 60 rows: 50 listed, 10 counted.
    let rows: Vec<(bool, Vec<&str>)> = (0..60)
        .map(|_| (true, vec!["Parents", "bad", "2"]))
        .collect();
    let borrowed: Vec<(bool, &[&str])> = rows
        .iter()
        .map(|(complete, cells)| (*complete, cells.as_slice()))
        .collect();
    let many = self::table(
        &[
            ("Your stakeholder group", None),
            ("Rank these", Some("Early help")),
            ("Rank these", Some("Kinship care")),
        ],
        &borrowed,
    );
    let error = convert(&many, Options::default()).unwrap_err();
    let ImportError::Many { problems, more } = &error else {
        panic!("{error}");
    };
    assert_eq!((problems.len(), *more), (50, 10));
    assert!(error.to_string().starts_with("60 cells cannot be read:\n"));
    assert!(error.to_string().ends_with("\n... and 10 more"));
}
