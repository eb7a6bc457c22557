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

#[test]
fn a_multiple_choice_ticked_with_y_is_a_pick_however_few_ticked_two() {
    // LimeSurvey writes a single choice in one column, so columns ticked `Y` (blank or `N`
    // when not) are a multiple choice even when nobody ticked two of them. Response 3 has
    // no `submitdate`: incomplete.
    let text = "id,submitdate,lastpage,startlanguage,seed,Q1,Q5[SQ001],Q5[SQ002],Q5[SQ003],Q5[other]\n\
                1,2026-11-02 09:20:45,2,en,11,A1,Y,,,\n\
                2,2026-11-02 10:05:31,2,en,12,A2,N,N,Y,\n\
                3,,1,en,13,A1,,Y,N,\n\
                4,2026-11-03 08:09:54,2,en,14,A2,,,,kinship care\n";
    let imported = import(
        Tool::LimeSurvey,
        text.as_bytes(),
        "ticks.csv",
        Options::default(),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(imported.kind, ResponseKind::Pick);
    let (written, _) = round_trip(&imported);
    assert_eq!(
        written,
        "respondent,group,item\n1,all,sq001\n2,all,sq003\n3,all,sq002\n"
    );
    assert_eq!(imported.respondent_count, 3);
    assert!(
        imported
            .notes
            .iter()
            .any(|note| note.starts_with("kept 1 responses the tool marks incomplete")),
        "{:?}",
        imported.notes
    );
    let complete = import(
        Tool::LimeSurvey,
        text.as_bytes(),
        "ticks.csv",
        Options {
            complete_only: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(complete.respondent_count, 2);
}

#[test]
fn columns_added_after_export_are_questions_of_their_own() {
    // `Coder` was added between the questions and the timings, and a last column was filled
    // in without a heading: neither breaks reading, and each is listed as a question. The
    // timings are LimeSurvey's own columns.
    let text = "id,submitdate,lastpage,startlanguage,seed,Q1,Q3[SQ001],Q3[SQ002],Coder,interviewtime,groupTime1,Q1Time,Q3Time\n\
                1,2026-11-02 09:20:45,2,en,11,Parents,4,5,AB,61.2,30.1,10.5,20.7,checked\n\
                2,2026-11-02 10:05:31,2,en,12,Practitioners,3,,CD,55,20,10,10\n\
                3,,1,en,13,Parents,2,2,AB,40,20,10,10,checked\n";
    let table = read_table(Tool::LimeSurvey, text.as_bytes(), "added.csv").unwrap();
    let listing = import::list(&table, Options::default()).unwrap();
    let texts: Vec<&str> = listing
        .questions
        .iter()
        .map(|question| question.text.as_str())
        .collect();
    assert_eq!(texts, ["Q1", "Q3", "Coder", "column 14"]);
    assert_eq!(listing.incomplete, 1);
    assert!(
        listing
            .notes
            .iter()
            .any(|note| note.contains("`column 14`")),
        "{:?}",
        listing.notes
    );
    let imported = import(
        Tool::LimeSurvey,
        text.as_bytes(),
        "added.csv",
        Options {
            group_column: Some("Q1"),
            ..Options::default()
        },
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let (written, _) = round_trip(&imported);
    assert_eq!(
        written,
        "respondent,group,item,rating\n1,parents,sq001,4\n1,parents,sq002,5\n2,practitioners,sq001,3\n3,parents,sq001,2\n3,parents,sq002,2\n"
    );
}

#[test]
fn an_array_answered_in_words_is_no_ranking() {
    // Answers that are neither ranks nor numbered scale points: a rating whose import names
    // every cell it cannot read, not a ranking.
    // (`Agree` and `Disagree` would be read on the agreement scale: see scales.rs.)
    let text =
        "id,submitdate,Q3[SQ001],Q3[SQ002]\n1,2026-11-02,Yellow,Blue\n2,2026-11-02,Blue,Yellow\n";
    let table = read_table(Tool::LimeSurvey, text.as_bytes(), "words.csv").unwrap();
    let listing = import::list(&table, Options::default()).unwrap();
    assert_eq!(listing.questions[0].kind, import::QuestionKind::Rating);
    let error = import(
        Tool::LimeSurvey,
        text.as_bytes(),
        "words.csv",
        Options::default(),
    )
    .unwrap_err();
    assert!(matches!(error, ImportError::Many { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("`Yellow` is on no rating scale that is known"),
        "{error}"
    );
}

#[test]
fn the_comments_of_a_multiple_choice_are_questions_of_their_own() {
    let text = "id,submitdate,Q5[SQ001],Q5[SQ001comment],Q5[SQ002],Q5[SQ002comment]\n\
                1,2026-11-02,Y,because it matters,,\n\
                2,2026-11-02,,,Y,\n";
    let table = read_table(Tool::LimeSurvey, text.as_bytes(), "comments.csv").unwrap();
    let listing = import::list(&table, Options::default()).unwrap();
    let texts: Vec<&str> = listing
        .questions
        .iter()
        .map(|question| question.text.as_str())
        .collect();
    assert_eq!(texts, ["Q5", "Q5[SQ001comment]", "Q5[SQ002comment]"]);
    assert_eq!(listing.questions[0].kind, import::QuestionKind::Pick);
    assert_eq!(listing.questions[0].options, ["SQ001", "SQ002"]);
    let imported = import(
        Tool::LimeSurvey,
        text.as_bytes(),
        "comments.csv",
        Options::default(),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let (written, _) = round_trip(&imported);
    assert_eq!(written, "respondent,group,item\n1,all,sq001\n2,all,sq002\n");
}
