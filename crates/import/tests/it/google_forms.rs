use import::{Options, Tool};
use survey::responses::ResponseKind;

use crate::{check, exercise};

#[test]
fn a_ranking_grid_round_trips() {
    // Row 3 left "Kinship care" blank (a partial ranking); row 5 ranked nothing and row 6 gave
    // no group, so both are left out; row 4 typed an "Other" answer that starts like a formula.
    let imported = check(
        Tool::GoogleForms,
        "google_forms_ranking.csv",
        Options::default(),
        &[
            "row-1,parents-and-carers,early-help,1",
            "row-1,parents-and-carers,kinship-care,2",
            "row-1,parents-and-carers,social-work-caseloads,3",
            "row-2,practitioners,kinship-care,1",
            "row-2,practitioners,social-work-caseloads,2",
            "row-2,practitioners,early-help,3",
            "row-3,practitioners,early-help,1",
            "row-3,practitioners,social-work-caseloads,2",
            "row-4,other-text,social-work-caseloads,1",
            "row-4,other-text,early-help,2",
            "row-4,other-text,kinship-care,3",
        ],
    );
    assert_eq!(imported.kind, ResponseKind::Ranking);
    assert_eq!(imported.respondent_count, 4);
    assert_eq!(imported.notes.len(), 2, "{:?}", imported.notes);
}

#[test]
fn a_numbered_grid_with_a_named_group_column_round_trips() {
    check(
        Tool::GoogleForms,
        "google_forms_numbers.csv",
        Options {
            exercise: None,
            group_column: Some("ROLE"),
            ..Options::default()
        },
        &[
            "row-1,researcher,kinship-care,1",
            "row-1,researcher,early-help,2",
            "row-1,researcher,social-work-caseloads,3",
            "row-2,practitioner,early-help,1",
            "row-2,practitioner,social-work-caseloads,2",
            "row-2,practitioner,kinship-care,3",
        ],
    );
}

#[test]
fn without_a_group_question_everyone_is_in_one_group() {
    let bytes = std::fs::read(crate::fixture("google_forms_numbers.csv")).unwrap();
    let imported = import::import(Tool::GoogleForms, &bytes, "f.csv", Options::default()).unwrap();
    assert!(imported.answers.iter().all(|answer| answer.group == "all"));
    assert!(
        imported
            .notes
            .iter()
            .any(|note| note.contains("everyone is in one group `all`")
                && note.contains("--group-column")),
        "{:?}",
        imported.notes
    );
    // Against an exercise without a group `all`, the group question must be named.
    let exercise = exercise();
    let error = import::import(
        Tool::GoogleForms,
        &bytes,
        "f.csv",
        Options {
            exercise: Some(&exercise),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("name it with --group-column"),
        "{error}"
    );
}

#[test]
fn unknown_groups_are_listed_against_an_exercise() {
    let exercise = exercise();
    let bytes = std::fs::read(crate::fixture("google_forms_ranking.csv")).unwrap();
    let error = import::import(
        Tool::GoogleForms,
        &bytes,
        "f.csv",
        Options {
            exercise: Some(&exercise),
            group_column: None,
            ..Options::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "f.csv: group labels not found in exercise `import-example`: `-Other text`; known: `Parents and carers`, `Practitioners`, `Other`"
    );
}
