//! LimeSurvey CSV exports, with question-code headings and answer codes
//! (`limesurvey_codes.csv`, comma-separated) and with full question texts and full answers
//! (`limesurvey_full.csv`, semicolon-separated): a list question for the group with "Other",
//! a ranking question (one column per rank holding the item), an array question and a text
//! question. Response 3 is incomplete (no `submitdate`) and ranked two topics.

use import::{ImportError, Mapping, Options, Tool, answer_questions, import, read_table};
use survey::responses::ResponseKind;

use crate::{check, exercise, fixture, round_trip};

const CODES_MAPPING: &str = "group_question = \"Q1\"\nquestion = \"Q2\"\n\n[items]\nAO01 = \"early-help\"\nAO02 = \"kinship-care\"\nAO03 = \"caseloads\"\n\n[groups]\nA1 = \"parents\"\nA2 = \"practitioners\"\nOther = \"other\"\n";

#[test]
fn full_texts_and_answers_round_trip_the_ranking() {
    let imported = check(
        Tool::LimeSurvey,
        "limesurvey_full.csv",
        Options::default(),
        &[
            "1,parents-and-carers,early-help,1",
            "1,parents-and-carers,kinship-care,2",
            "1,parents-and-carers,social-work-caseloads,3",
            "2,practitioners,kinship-care,1",
            "2,practitioners,social-work-caseloads,2",
            "2,practitioners,early-help,3",
            "3,practitioners,early-help,1",
            "3,practitioners,social-work-caseloads,2",
            "4,other,social-work-caseloads,1",
            "4,other,early-help,2",
            "4,other,kinship-care,3",
        ],
    );
    assert_eq!(imported.kind, ResponseKind::Ranking);
    assert_eq!(
        imported.mapping.question.as_deref(),
        Some("Please rank these topics")
    );
}

#[test]
fn full_texts_and_answers_round_trip_the_array() {
    // "Don't know" is a rating of "don't know"; blank cells are no answer.
    check(
        Tool::LimeSurvey,
        "limesurvey_full.csv",
        Options {
            question: Some("how important"),
            ..Options::default()
        },
        &[
            "1,parents-and-carers,early-help,4",
            "1,parents-and-carers,kinship-care,5",
            "1,parents-and-carers,social-work-caseloads,1",
            "2,practitioners,early-help,3",
            "2,practitioners,kinship-care,",
            "4,other,early-help,2",
            "4,other,kinship-care,4",
            "4,other,social-work-caseloads,5",
            "5,parents-and-carers,early-help,4",
            "5,parents-and-carers,kinship-care,4",
            "5,parents-and-carers,social-work-caseloads,3",
        ],
    );
}

#[test]
fn codes_need_a_mapping_and_then_rank_as_computed_by_hand() {
    let bytes = std::fs::read(fixture("limesurvey_codes.csv")).unwrap();
    // Question codes say nothing about which question holds the group: without one named,
    // everyone is in one group, with a note saying how to name it.
    let imported = import(Tool::LimeSurvey, &bytes, "codes.csv", Options::default()).unwrap();
    assert!(imported.answers.iter().all(|answer| answer.group == "all"));
    assert!(
        imported
            .notes
            .iter()
            .any(|note| note.contains("name the group question with --group-column")),
        "{:?}",
        imported.notes
    );
    let table = read_table(Tool::LimeSurvey, &bytes, "codes.csv").unwrap();
    assert_eq!(
        answer_questions(
            &table,
            Options {
                group_column: Some("q1"),
                ..Options::default()
            }
        )
        .unwrap(),
        ["Q2", "Q3"]
    );
    let mapping = Mapping::parse(CODES_MAPPING, "mapping.toml").unwrap();
    let exercise = exercise();
    let imported = import(
        Tool::LimeSurvey,
        &bytes,
        "codes.csv",
        Options {
            exercise: Some(&exercise),
            mapping: Some(&mapping),
            ..Options::default()
        },
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let (text, _) = round_trip(&imported);
    assert_eq!(
        text,
        "respondent,group,item,rank\n1,parents,early-help,1\n1,parents,kinship-care,2\n1,parents,caseloads,3\n2,practitioners,kinship-care,1\n2,practitioners,caseloads,2\n2,practitioners,early-help,3\n3,practitioners,early-help,1\n3,practitioners,caseloads,2\n4,other,caseloads,1\n4,other,early-help,2\n4,other,kinship-care,3\n"
    );
    // The same answers as the Microsoft Forms fixture, so the same hand computation:
    // EH 3 + 2.5 + 2 = 7.5; CL 1 + 2.5 + 3 = 6.5; KC 2 + 1 + 1 = 4.
    crate::check_ranked(
        &text,
        &[
            ("early-help", 7.5),
            ("caseloads", 6.5),
            ("kinship-care", 4.0),
        ],
    );
    // The 5-point array's answer codes are its points.
    let rating = import(
        Tool::LimeSurvey,
        &bytes,
        "codes.csv",
        Options {
            group_column: Some("Q1"),
            question: Some("Q3"),
            ..Options::default()
        },
    )
    .unwrap();
    let (text, _) = round_trip(&rating);
    assert!(
        text.starts_with(
            "respondent,group,item,rating\n1,a1,sq001,4\n1,a1,sq002,5\n1,a1,sq003,1\n2,a2,sq001,3\n"
        ),
        "{text}"
    );
}

#[test]
fn a_ranking_that_places_an_item_twice_names_its_line_and_column() {
    let text = std::fs::read_to_string(fixture("limesurvey_codes.csv"))
        .unwrap()
        .replacen("A2,,AO02,AO03,AO01", "A2,,AO02,AO02,AO01", 1);
    let error = import(
        Tool::LimeSurvey,
        text.as_bytes(),
        "codes.csv",
        Options::default(),
    )
    .unwrap_err();
    assert!(matches!(error, ImportError::Cell { .. }));
    assert_eq!(
        error.to_string(),
        "codes.csv:3: column `Q2[2]`: the ranking places `AO02` twice"
    );
}

#[test]
fn another_layout_says_what_was_expected() {
    let bytes = std::fs::read(fixture("surveymonkey_ranking.csv")).unwrap();
    let error = import(Tool::LimeSurvey, &bytes, "sm.csv", Options::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "sm.csv: not a limesurvey export: expected one header row with `id` (or `Response ID`), `submitdate`, `lastpage`, `startlanguage`, `seed`, then the questions (`Q1`, `Q2[1]`, ... or their full texts), found a header beginning `Respondent ID`, `Collector ID`, `Start Date`, `End Date`"
    );
}

#[test]
fn an_array_with_numbered_subquestions_is_not_a_ranking() {
    // Subquestions coded 1, 2, 3 look like ranks, but the cells hold scale points.
    let text =
        "id,submitdate,Your stakeholder group,Q3[1],Q3[2],Q3[3]\n1,2026-11-02,Parents,4,4,2\n";
    let imported = import(
        Tool::LimeSurvey,
        text.as_bytes(),
        "array.csv",
        Options::default(),
    )
    .unwrap();
    assert_eq!(imported.kind, ResponseKind::Rating);
}
