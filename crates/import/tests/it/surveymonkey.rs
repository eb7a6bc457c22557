use import::{ImportError, Options, Tool, import};
use survey::responses::ResponseKind;

use crate::{check, exercise, import_fixture, round_trip};

#[test]
fn a_ranking_export_round_trips_with_slugs_for_ids() {
    // Respondent 114691003 marked one item N/A and 114691006 left one blank: partial rankings.
    // 114691004 answered only "Other (please specify)", so is in group `other`; 114691005
    // ranked nothing and is left out.
    let imported = check(
        Tool::SurveyMonkey,
        "surveymonkey_ranking.csv",
        Options::default(),
        &[
            "114691001,parents-and-carers,early-help,1",
            "114691001,parents-and-carers,kinship-care,2",
            "114691001,parents-and-carers,social-work-caseloads,3",
            "114691002,practitioners,kinship-care,1",
            "114691002,practitioners,social-work-caseloads,2",
            "114691002,practitioners,early-help,3",
            "114691003,practitioners,early-help,1",
            "114691003,practitioners,social-work-caseloads,2",
            "114691004,other,social-work-caseloads,1",
            "114691004,other,early-help,2",
            "114691004,other,kinship-care,3",
            "114691006,parents-and-carers,kinship-care,1",
            "114691006,parents-and-carers,early-help,2",
        ],
    );
    assert_eq!(imported.kind, ResponseKind::Ranking);
    assert_eq!(imported.respondent_count, 5);
    assert!(
        imported
            .notes
            .iter()
            .any(|note| note.contains("skipped 1 respondents who did not answer `Please rank")),
        "{:?}",
        imported.notes
    );
}

#[test]
fn a_ranking_export_maps_labels_to_the_exercise() {
    let exercise = exercise();
    check(
        Tool::SurveyMonkey,
        "surveymonkey_ranking.csv",
        Options {
            exercise: Some(&exercise),
            group_column: None,
            ..Options::default()
        },
        &[
            "114691001,parents,early-help,1",
            "114691001,parents,kinship-care,2",
            "114691001,parents,caseloads,3",
            "114691002,practitioners,kinship-care,1",
            "114691002,practitioners,caseloads,2",
            "114691002,practitioners,early-help,3",
            "114691003,practitioners,early-help,1",
            "114691003,practitioners,caseloads,2",
            "114691004,other,caseloads,1",
            "114691004,other,early-help,2",
            "114691004,other,kinship-care,3",
            "114691006,parents,kinship-care,1",
            "114691006,parents,early-help,2",
        ],
    );
}

#[test]
fn a_matrix_rating_export_round_trips() {
    // Labels are the usual five importance points; N/A is "don't know"; a blank cell is no
    // answer; the matrix's comment column is not an item.
    let imported = check(
        Tool::SurveyMonkey,
        "surveymonkey_matrix.csv",
        Options::default(),
        &[
            "12001,practitioners,early-help,4",
            "12001,practitioners,kinship-care,5",
            "12001,practitioners,social-work-caseloads,1",
            "12002,parents-and-carers,early-help,3",
            "12002,parents-and-carers,kinship-care,",
            "12003,other,early-help,2",
            "12003,other,kinship-care,4",
            "12003,other,social-work-caseloads,5",
        ],
    );
    assert_eq!(imported.kind, ResponseKind::Rating);
}

#[test]
fn labels_missing_from_the_exercise_are_listed() {
    let mut exercise = exercise();
    exercise.items[2].title = "Something else".to_string();
    let bytes = std::fs::read(crate::fixture("surveymonkey_ranking.csv")).unwrap();
    let error = import(
        Tool::SurveyMonkey,
        &bytes,
        "export.csv",
        Options {
            exercise: Some(&exercise),
            group_column: None,
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(matches!(error, ImportError::Unmatched { .. }));
    assert_eq!(
        error.to_string(),
        "export.csv: item labels not found in exercise `import-example`: `Social work caseloads`; known: `Early help`, `Kinship care`, `Something else`"
    );
}

#[test]
fn a_bad_rank_names_its_line_and_column_even_across_line_breaks() {
    let text = "Respondent ID,Which group are you in?,Rank these,\n,Response,Early help,Kinship care\n1,Parents,1,2\n2,Parents,\"first\nof all\",2\n3,Parents,x,1\n";
    let error = import(
        Tool::SurveyMonkey,
        text.as_bytes(),
        "bad.csv",
        Options::default(),
    )
    .unwrap_err();
    // Every bad cell is listed, each with its own line, in one error.
    assert_eq!(
        error.to_string(),
        "2 cells cannot be read:\nbad.csv:4: column `Rank these [Early help]`: `first\nof all` is not a rank (1, 2, ... or 1st, 2nd, ...)\nbad.csv:6: column `Rank these [Early help]`: `x` is not a rank (1, 2, ... or 1st, 2nd, ...)"
    );
    assert_eq!(error.problems().len(), 2);
}

#[test]
fn another_layout_says_what_was_expected() {
    let text = "Timestamp,Which group are you in?,Rank [A]\n2026,Parents,1\n";
    let error = import(
        Tool::SurveyMonkey,
        text.as_bytes(),
        "forms.csv",
        Options::default(),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "forms.csv: not a surveymonkey export: expected two header rows, the first with `Respondent ID` and the question texts, the second with the answer options, found a first row beginning `Timestamp`, `Which group are you in?`, `Rank [A]`"
    );
}

#[test]
fn writing_neutralises_formulas() {
    let text = "Respondent ID,Which group are you in?,Rank these,\n,Response,Early help,Kinship care\n=1+1,Parents,1,2\n";
    let imported = import(
        Tool::SurveyMonkey,
        text.as_bytes(),
        "x.csv",
        Options::default(),
    )
    .unwrap();
    let (written, outcome) = round_trip(&imported);
    assert!(written.contains("'=1+1,parents,early-help,1"), "{written}");
    assert_eq!(outcome.responses.respondents[0].id, "=1+1");
}

#[test]
fn nothing_is_written_when_the_group_question_is_missing() {
    let imported = import_fixture(
        Tool::SurveyMonkey,
        "surveymonkey_ranking.csv",
        Options::default(),
    );
    assert_eq!(imported.answers.len(), 13);
    let bytes = std::fs::read(crate::fixture("surveymonkey_ranking.csv")).unwrap();
    let error = import(
        Tool::SurveyMonkey,
        &bytes,
        "export.csv",
        Options {
            exercise: None,
            group_column: Some("sector"),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("export.csv: not a surveymonkey export: expected a question whose header contains `sector` (see the questions with --list), found the questions `Which group best describes you?`"),
        "{error}"
    );
}

#[test]
fn the_question_to_import_can_be_chosen() {
    let text = "Respondent ID,Your stakeholder group,Rank these,,How important is each?,\n,Response,Early help,Kinship care,Early help,Kinship care\n7,Parents,2,1,Very important,N/A\n";
    let ranking = import(
        Tool::SurveyMonkey,
        text.as_bytes(),
        "two.csv",
        Options::default(),
    )
    .unwrap();
    assert_eq!(ranking.kind, ResponseKind::Ranking);
    assert_eq!(
        ranking.notes,
        [
            "ignored rating question `How important is each?` (2 columns); only `Rank these` was imported (choose another with --question; see them all with --list)"
        ]
    );
    let rating = import(
        Tool::SurveyMonkey,
        text.as_bytes(),
        "two.csv",
        Options {
            question: Some("IMPORTANT"),
            ..Options::default()
        },
    )
    .unwrap();
    let (written, _) = round_trip(&rating);
    assert_eq!(
        written,
        "respondent,group,item,rating\n7,parents,early-help,4\n7,parents,kinship-care,\n"
    );
    let error = import(
        Tool::SurveyMonkey,
        text.as_bytes(),
        "two.csv",
        Options {
            question: Some("urgent"),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "two.csv: not a surveymonkey export: expected a ranking, rating or pick question whose header contains `urgent`, found the questions `Your stakeholder group`, `Rank these`, `How important is each?`"
    );
}

#[test]
fn numbers_that_repeat_or_exceed_the_item_count_are_ratings() {
    let text = "Respondent ID,Which group are you in?,Rate each (1-9),\n,Response,Early help,Kinship care\n1,Parents,7,7\n2,Parents,9,N/A\n3,Parents,x,1\n";
    let error = import(
        Tool::SurveyMonkey,
        text.as_bytes(),
        "bad.csv",
        Options::default(),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "bad.csv:5: column `Rate each (1-9) [Early help]`: `x` is on no rating scale that is known (see docs/import.md, \"Rating scales in words\"): number the labels in the survey tool (`1 - x`), or give each label a number under [scale] in a --mapping file"
    );
    let fixed = text.replace("x,1", "3,1");
    let imported = import(
        Tool::SurveyMonkey,
        fixed.as_bytes(),
        "ok.csv",
        Options::default(),
    )
    .unwrap();
    assert_eq!(imported.kind, ResponseKind::Rating);
    assert_eq!(imported.answers.len(), 6);
}

#[test]
fn an_xlsx_export_imports_as_its_csv_does() {
    // SurveyMonkey's XLSX export has the CSV's two header rows; ids and ranks are numbers.
    for name in ["surveymonkey_ranking.csv", "surveymonkey_matrix.csv"] {
        let from_csv = import_fixture(Tool::SurveyMonkey, name, Options::default());
        let workbook = crate::xlsx::workbook_fixture(name, "Sheet");
        let from_xlsx = import(
            Tool::SurveyMonkey,
            &workbook,
            "export.xlsx",
            Options::default(),
        )
        .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(from_xlsx.answers, from_csv.answers, "{name}");
        assert_eq!(from_xlsx.mapping, from_csv.mapping, "{name}");
        assert_eq!(from_xlsx.notes, from_csv.notes, "{name}");
        // The extension is not needed: a ZIP archive is read as a workbook.
        let unnamed = import(Tool::SurveyMonkey, &workbook, "export", Options::default()).unwrap();
        assert_eq!(unnamed.answers, from_csv.answers, "{name}");
    }
}

#[test]
fn a_bad_cell_of_a_workbook_names_its_sheet_row_and_column_letter() {
    let text = std::fs::read_to_string(crate::fixture("surveymonkey_ranking.csv")).unwrap();
    let mut grid = crate::xlsx::grid_of(&text);
    grid[3][12] = "first".to_string();
    let workbook = crate::xlsx::workbook("Responses", &grid, &["Notes"]);
    let error = import(
        Tool::SurveyMonkey,
        &workbook,
        "export.xlsx",
        Options::default(),
    )
    .unwrap_err();
    assert!(matches!(error, ImportError::SheetCell { .. }));
    assert_eq!(
        error.to_string(),
        "export.xlsx: sheet `Responses`, line 4, column M (`Please rank these topics from most important (1) to least important (3). [Kinship care]`): `first` is not a rank (1, 2, ... or 1st, 2nd, ...)"
    );
    // A value beyond the header is named by its column letter too.
    grid[2].resize(17, String::new());
    grid[3][12] = "1".to_string();
    grid[2][16] = "stray".to_string();
    let workbook = crate::xlsx::workbook("Responses", &grid, &["Notes"]);
    let error = import(
        Tool::SurveyMonkey,
        &workbook,
        "export.xlsx",
        Options::default(),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "export.xlsx: sheet `Responses`, line 3, column Q (`17 (beyond the last header)`): the row has a value beyond the 15 columns the header names"
    );
    grid[2][16].clear();
    let workbook = crate::xlsx::workbook("Responses", &grid, &["Notes"]);
    let imported = import(
        Tool::SurveyMonkey,
        &workbook,
        "export.xlsx",
        Options::default(),
    )
    .unwrap();
    assert!(
        imported
            .notes
            .contains(&"read sheet `Responses`, the first of the workbook's 2 sheets".to_string()),
        "{:?}",
        imported.notes
    );
}

#[test]
fn a_file_that_is_not_a_workbook_says_so() {
    let error = import(
        Tool::SurveyMonkey,
        b"PK\x03\x04 not really a zip",
        "export.xlsx",
        Options::default(),
    )
    .unwrap_err();
    assert!(matches!(error, ImportError::Workbook { .. }), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("export.xlsx: cannot read the workbook: not an XLSX workbook"),
        "{error}"
    );
}

#[test]
fn labels_on_no_known_scale_need_numbers_or_a_scale_in_a_mapping() {
    let text = "Respondent ID,Which group are you in?,How useful is each?,\n,Response,Early help,Kinship care\n1,Parents,Very useful,Not useful\n2,Parents,Quite useful,N/A\n";
    // `Very useful` alone would be the top of the general rule's scale, but `Not useful` and
    // `Quite useful` are on no scale: nothing is guessed, every cell in words is named.
    let error = import(
        Tool::SurveyMonkey,
        text.as_bytes(),
        "useful.csv",
        Options::default(),
    )
    .unwrap_err();
    assert_eq!(error.problems().len(), 3, "{error}");
    assert!(
        error.to_string().contains("useful.csv:4: column `How useful is each? [Early help]`: `Quite useful` is on no rating scale that is known (see docs/import.md, \"Rating scales in words\"): number the labels in the survey tool (`1 - Quite useful`), or give each label a number under [scale] in a --mapping file"),
        "{error}"
    );
    let table = import::read_table(Tool::SurveyMonkey, text.as_bytes(), "useful.csv").unwrap();
    let listing = import::list(&table, Options::default()).unwrap();
    assert_eq!(listing.questions[1].kind, import::QuestionKind::Rating);
    assert!(
        listing.notes.iter().any(|note| note.starts_with(
            "the labels of `How useful is each?` are on no one rating scale that is known: `Not useful`, `Quite useful`;"
        )),
        "{:?}",
        listing.notes
    );
    let mapping = import::Mapping::parse(
        "[scale]\n\"Not useful\" = 1\n\"quite useful \" = 2\n\"Very useful\" = 3\n",
        "mapping.toml",
    )
    .unwrap();
    let imported = check_text(
        text,
        Options {
            mapping: Some(&mapping),
            ..Options::default()
        },
        &[
            "1,parents,early-help,3",
            "1,parents,kinship-care,1",
            "2,parents,early-help,2",
            "2,parents,kinship-care,",
        ],
    );
    assert!(
        imported.notes.iter().any(|note| note
            == "read the labels of `How useful is each?` with the mapping's [scale]: `Not useful` = 1, `Very useful` = 3, `quite useful ` = 2"),
        "{:?}",
        imported.notes
    );
    // A label the mapping's [scale] leaves out is an error, even one of a known scale.
    let error = import(
        Tool::SurveyMonkey,
        text.replace("Not useful", "Strongly agree").as_bytes(),
        "useful.csv",
        Options {
            mapping: Some(&mapping),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "useful.csv:3: column `How useful is each? [Kinship care]`: `Strongly agree` is not a rating: it is not a number and not under [scale] in the mapping file"
    );
}

#[test]
fn a_matrix_in_words_is_read_on_its_scale_and_the_draft_mapping_says_so() {
    let text = "Respondent ID,Your stakeholder group,How much do you agree?,\n,Response,Early help,Kinship care\n1,Parents,Strongly agree,Somewhat agree\n2,Practitioners,Agree,Strongly disagree\n3,Parents,Neither agree nor disagree,Disagree\n";
    // `Agree` and `Somewhat agree` together are the seven-point agreement scale.
    let imported = check_text(
        text,
        Options::default(),
        &[
            "1,parents,early-help,7",
            "1,parents,kinship-care,5",
            "2,practitioners,early-help,6",
            "2,practitioners,kinship-care,1",
            "3,parents,early-help,4",
            "3,parents,kinship-care,2",
        ],
    );
    assert!(
        imported.notes.iter().any(|note| note.starts_with(
            "read the labels of `How much do you agree?` on a seven-point agreement scale of 1 to 7: `Strongly agree` = 7, `Agree` = 6, `Somewhat agree` = 5, `Neither agree nor disagree` = 4, `Disagree` = 2, `Strongly disagree` = 1;"
        )),
        "{:?}",
        imported.notes
    );
    assert!(
        imported
            .mapping
            .to_toml()
            .ends_with("[scale]\nAgree = 6\nDisagree = 2\n\"Neither agree nor disagree\" = 4\n\"Somewhat agree\" = 5\n\"Strongly agree\" = 7\n\"Strongly disagree\" = 1\n"),
        "{}",
        imported.mapping.to_toml()
    );
}

/// Imports SurveyMonkey CSV `text` and checks the rows read back.
fn check_text(text: &str, options: Options<'_>, expected: &[&str]) -> import::Imported {
    let imported = import(Tool::SurveyMonkey, text.as_bytes(), "export.csv", options)
        .unwrap_or_else(|error| panic!("{error}"));
    let (_, outcome) = round_trip(&imported);
    assert_eq!(crate::rows_of(&outcome), expected);
    imported
}
