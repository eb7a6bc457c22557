//! A real LimeSurvey export: `limesurvey/results-survey54231.xlsx` of the shared real exports
//! (bhermann/artifact-survey, `results/results-survey54231.xlsx`, CC BY 4.0; see
//! `SOURCES.md` there), an artifact-evaluation survey of 257 responses exported with question
//! codes as headings and full answers as cells, then re-saved in Mac Excel. It has a grid of
//! checkboxes (`g0[CICSE_Y2011]` ... `g0[CTACAS_Y2019]`, `1` when ticked), a 1–10 rating of
//! one subquestion (`g2[SQ001]`, its ends written `Not helpful1`/`Very helpful10`), Yes/No
//! questions (`N/A` when unanswered), arrays of one subquestion answered in ranges
//! (`au1[SQ001]`: `None`, `1-5`, ...), free text, timings (`interviewtime`, `groupTime7`,
//! `g1Time`, ...) and a column `anonymized` put where the e-mail question `f3` was.
//!
//! The counts below were made independently of the importer, with python3's zipfile and
//! xml.etree reading `xl/sharedStrings.xml` and `xl/worksheets/sheet1.xml` into rows `data`
//! (header `h`), e.g.:
//! - responses: `len(data)` = 257; incomplete: `sum(r[h.index('submitdate')] == '' for r in
//!   data)` = 133;
//! - `g0`: `sum(any(r[i] == '1' for i in range(7, 151)) for r in data)` = 153, 110 of them with
//!   a `submitdate`;
//! - `g2`: `sum(r[152] != '' for r in data)` = 99, 75 with a `submitdate`; with `ae10` as the
//!   group, `sum(r[152] != '' and r[164] in ('Yes', 'No') for r in data)` = 72;
//! - answered: `g1` 107 `Yes` + 52 `No` = 159 (98 `N/A`); `au1` 130; `anonymized` 85.

use import::{ImportError, Options, QuestionKind, Tool, Value, import, list, read_table};
use survey::responses::ResponseKind;

/// The real workbook, beside the checkout (CI has `../shared` there too).
const WORKBOOK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/real-exports/limesurvey/results-survey54231.xlsx"
);

const NAME: &str = "results-survey54231.xlsx";

fn bytes() -> Vec<u8> {
    std::fs::read(WORKBOOK).unwrap_or_else(|error| panic!("{WORKBOOK}: {error}"))
}

fn import_real(options: Options<'_>) -> import::Imported {
    import(Tool::LimeSurvey, &bytes(), NAME, options).unwrap_or_else(|error| panic!("{error}"))
}

/// The answers of one respondent as `group item value` strings.
fn answers_of(imported: &import::Imported, respondent: &str) -> Vec<String> {
    imported
        .answers
        .iter()
        .filter(|answer| answer.respondent == respondent)
        .map(|answer| {
            let value = match answer.value {
                Value::Rank(rank) => rank.to_string(),
                Value::Rating(Some(rating)) => rating.to_string(),
                Value::Rating(None) => "don't know".to_string(),
                Value::Picked => "picked".to_string(),
            };
            format!("{} {} {value}", answer.group, answer.item)
        })
        .collect()
}

#[test]
fn every_question_reads_as_what_it_is() {
    let table = read_table(Tool::LimeSurvey, &bytes(), NAME).unwrap();
    let listing = list(&table, Options::default()).unwrap();
    assert_eq!(listing.responses, 257);
    assert_eq!(listing.incomplete, 133);
    let kinds: Vec<(&str, QuestionKind)> = listing
        .questions
        .iter()
        .map(|question| (question.text.as_str(), question.kind))
        .collect();
    use QuestionKind::{FreeText, Pick, Rating, SingleChoice};
    // The timings after `interviewtime` are LimeSurvey's own columns, not questions; the
    // column `anonymized` added after export is a question like any other (one answer,
    // repeated: a single choice).
    assert_eq!(
        kinds,
        [
            ("g0", Pick),
            ("g1", SingleChoice),
            ("g2", Rating),
            ("g3", FreeText),
            ("g4", FreeText),
            ("ae1", FreeText),
            ("ae2", FreeText),
            ("ae3", FreeText),
            ("ae4", FreeText),
            ("ae5", FreeText),
            ("ae6", SingleChoice),
            ("ae7", FreeText),
            ("ae8", FreeText),
            ("ae9", FreeText),
            ("ae10", SingleChoice),
            ("ae11", FreeText),
            ("au1", SingleChoice),
            ("au3", SingleChoice),
            ("au2", FreeText),
            ("au4", SingleChoice),
            ("au6", SingleChoice),
            ("au5", FreeText),
            ("au7", SingleChoice),
            ("au9", SingleChoice),
            ("au8", FreeText),
            ("au10", SingleChoice),
            ("au11", FreeText),
            ("au12", FreeText),
            ("f0", SingleChoice),
            ("f01", FreeText),
            ("f02", FreeText),
            ("f03", FreeText),
            ("f99", FreeText),
            ("f1", SingleChoice),
            ("f2", SingleChoice),
            ("anonymized", SingleChoice),
        ]
    );
    let question = |text: &str| {
        listing
            .questions
            .iter()
            .find(|question| question.text == text)
            .unwrap()
    };
    // The grid: one option per conference and year, named by its code.
    let g0 = question("g0");
    assert_eq!(g0.options.len(), 144);
    assert_eq!(g0.options[0], "CICSE_Y2011");
    assert_eq!(g0.options[143], "CTACAS_Y2019");
    assert_eq!(g0.answered, 153);
    // `N/A` is no answer, and a single choice lists its answers so that a group question can
    // be found without opening the file.
    let g1 = question("g1");
    assert_eq!(
        (g1.answered, g1.options.clone()),
        (159, vec!["Yes".to_string(), "No".to_string()])
    );
    assert_eq!(question("g2").options, ["g2"]);
    assert_eq!(question("g2").answered, 99);
    let au1 = question("au1");
    assert_eq!(au1.answered, 130);
    assert_eq!(au1.options, ["None", "10-20", "1-5", "5-10"]);
    assert_eq!(question("anonymized").answered, 85);
    // No question suggests a group.
    assert!(listing.questions.iter().all(|question| !question.is_group));
    assert!(
        listing
            .notes
            .iter()
            .any(|note| note.contains("`Very helpful10`") && note.contains("`g2`")),
        "{:?}",
        listing.notes
    );
}

#[test]
fn the_grid_of_checkboxes_imports_as_a_pick() {
    let imported = import_real(Options {
        question: Some("g0"),
        ..Options::default()
    });
    assert_eq!(imported.kind, ResponseKind::Pick);
    assert_eq!(imported.respondent_count, 153);
    assert!(
        imported
            .notes
            .iter()
            .any(|note| note.contains("kept 133 responses the tool marks incomplete")),
        "{:?}",
        imported.notes
    );
    // Read by hand from the sheet: rows 33 (id 41, complete) and 42 (id 42, complete), and
    // row 25 (id 33, no `submitdate`).
    assert_eq!(
        answers_of(&imported, "41"),
        [
            "all coopsla-y2017 picked",
            "all coopsla-y2018 picked",
            "all cecoop-y2014 picked",
            "all cecoop-y2015 picked"
        ]
    );
    assert_eq!(
        answers_of(&imported, "42"),
        [
            "all coopsla-y2017 picked",
            "all coopsla-y2018 picked",
            "all cecoop-y2013 picked",
            "all cpopl-y2015 picked",
            "all cpldi-y2014 picked"
        ]
    );
    assert_eq!(
        answers_of(&imported, "33"),
        ["all cissta-y2016 picked", "all cissta-y2018 picked"]
    );
    let complete = import_real(Options {
        question: Some("g0"),
        complete_only: true,
        ..Options::default()
    });
    assert_eq!(complete.respondent_count, 110);
    assert!(answers_of(&complete, "33").is_empty());
    assert_eq!(answers_of(&complete, "41").len(), 4);
}

#[test]
fn the_rating_of_one_subquestion_imports_as_one_item() {
    // Without --question, the first rating question is taken: `g2`.
    let imported = import_real(Options::default());
    assert_eq!(imported.kind, ResponseKind::Rating);
    assert_eq!(imported.mapping.question.as_deref(), Some("g2"));
    assert_eq!(imported.respondent_count, 99);
    // Ids 4 (row 2) and 39 (row 31), and id 65 (row 57, incomplete), who chose the scale's
    // top point, written `Very helpful10`.
    assert_eq!(answers_of(&imported, "4"), ["all g2 3"]);
    assert_eq!(answers_of(&imported, "39"), ["all g2 8"]);
    assert_eq!(answers_of(&imported, "65"), ["all g2 10"]);
    let complete = import_real(Options {
        complete_only: true,
        ..Options::default()
    });
    assert_eq!(complete.respondent_count, 75);
    assert!(answers_of(&complete, "65").is_empty());
}

#[test]
fn a_yes_no_question_named_by_its_code_is_the_group() {
    // `ae10`: "Have you ever submitted an artifact to an artifact evaluation track?", the
    // closest this survey comes to a stakeholder group (authors and reviewers only).
    let imported = import_real(Options {
        group_column: Some("ae10"),
        question: Some("g2"),
        ..Options::default()
    });
    assert_eq!(imported.respondent_count, 72);
    assert_eq!(answers_of(&imported, "4"), ["yes g2 3"]);
    assert_eq!(answers_of(&imported, "39"), ["no g2 8"]);
    // Id 65 left `ae10` unanswered (`N/A`): no group, left out with a note.
    assert!(answers_of(&imported, "65").is_empty());
    assert!(
        imported
            .notes
            .iter()
            .any(|note| note == "skipped 27 respondents who did not answer `ae10`"),
        "{:?}",
        imported.notes
    );
}

#[test]
fn a_single_choice_question_says_what_it_is_when_asked_for() {
    let error = import(
        Tool::LimeSurvey,
        &bytes(),
        NAME,
        Options {
            question: Some("au1"),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(matches!(error, ImportError::Layout { .. }));
    assert!(
        error.to_string().contains(
            "`au1`, which reads as a single choice question (see every question with --list)"
        ),
        "{error}"
    );
}
