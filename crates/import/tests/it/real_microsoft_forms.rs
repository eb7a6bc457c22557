//! A real Microsoft Forms workbook: `microsoft-forms/msforms_data.xlsx` of ../shared/real-exports
//! (tjhunter/timrcv, tests/msforms_data.xlsx; see SOURCES.md there), re-saved by LibreOffice:
//! an empty first sheet `Blad1`, a hidden sheet holding the form's id, and the responses on
//! the third sheet `Form1`: a Ranking question `Question` (`Option 2;Option 1;Option 3;`)
//! and two Likert questions whose statement columns are headed by the statement alone and
//! answered with the scale's labels (`Option 2-1`, `candidate 3-3`), 2 responses.
//!
//! Counted independently with python3 (zipfile and xml.etree): `xl/workbook.xml` names the
//! sheets `Blad1` (visible), `_56F9DC9755BA473782653E2940F9` (hidden) and `Form1`;
//! `xl/worksheets/sheet3.xml` has a header row and 2 data rows, each with a `Question` cell
//! (F2, F3), whose shared strings are `Option 2;Option 1;Option 3;` (ID 3) and
//! `Option 3;Option 1;Option 2;` (ID 4). The statement columns G to N hold 1, 2, 2, 2, 2, 2,
//! 1 and 1 answers.

use import::{Options, QuestionKind, Tool, import, list, read_table};
use survey::responses::ResponseKind;

use crate::{round_trip, rows_of};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/real-exports/microsoft-forms/msforms_data.xlsx"
);

fn bytes() -> Vec<u8> {
    std::fs::read(PATH).unwrap_or_else(|error| panic!("{PATH}: {error}"))
}

#[test]
fn the_responses_sheet_is_found_and_every_question_listed() {
    let table = read_table(Tool::MicrosoftForms, &bytes(), "msforms_data.xlsx").unwrap();
    assert_eq!(table.sheet.as_deref(), Some("Form1"));
    let listing = list(&table, Options::default()).unwrap();
    assert_eq!(
        listing.notes,
        [
            "read sheet `Form1`, sheet 3 of the workbook's 3: the first whose header is Microsoft Forms' (`ID`, `Start time`, `Completion time`, ...)"
        ]
    );
    assert_eq!(listing.responses, 2);
    let kinds: Vec<(&str, QuestionKind, usize)> = listing
        .questions
        .iter()
        .map(|question| (question.text.as_str(), question.kind, question.answered))
        .collect();
    // The Likert questions' answers are the scale's own labels, neither numbered nor
    // importance labels, so each statement is listed as a single choice; none is the group.
    use QuestionKind::{Ranking, SingleChoice};
    assert_eq!(
        kinds,
        [
            ("Question", Ranking, 2),
            ("candidate 2-2", SingleChoice, 1),
            ("candidate 2-1", SingleChoice, 2),
            ("choice 3-1", SingleChoice, 2),
            ("choice 3-2", SingleChoice, 2),
            ("choice 3-3", SingleChoice, 2),
            ("candidate 2-3", SingleChoice, 2),
            ("candidate 2-4", SingleChoice, 1),
            ("candidate 2-5", SingleChoice, 1),
        ]
    );
    assert!(listing.questions.iter().all(|question| !question.is_group));
    assert_eq!(
        listing.questions[0].options,
        ["Option 2", "Option 1", "Option 3"]
    );
}

#[test]
fn the_ranking_imports_with_everyone_in_one_group() {
    let imported = import(
        Tool::MicrosoftForms,
        &bytes(),
        "msforms_data.xlsx",
        Options::default(),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(imported.kind, ResponseKind::Ranking);
    assert_eq!(imported.respondent_count, 2);
    let (_, outcome) = round_trip(&imported);
    // Read by hand from the sheet: ID 3 ranked Option 2, Option 1, Option 3; ID 4 ranked
    // Option 3, Option 1, Option 2. The file has only two respondents, so two are checked.
    assert_eq!(
        rows_of(&outcome),
        [
            "3,all,option-2,1",
            "3,all,option-1,2",
            "3,all,option-3,3",
            "4,all,option-3,1",
            "4,all,option-1,2",
            "4,all,option-2,3",
        ]
    );
    assert!(
        imported
            .notes
            .iter()
            .any(|note| note.starts_with("no question about the respondent's group was found")),
        "{:?}",
        imported.notes
    );
}
