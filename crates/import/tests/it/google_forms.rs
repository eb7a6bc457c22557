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

/// Three linear-scale questions (1–5) side by side, a count question beside them, a
/// checkbox question and free text with commas; timestamps carry a time zone.
const SCALES: &str = "\
Timestamp,Which group best describes you?,How important is early help?,How important is kinship care?,How important are social work caseloads?,How many children do you care for?,Which topics have you worked on?,Any comments?
2026/11/02 9:14:02 AM GMT,Parents and carers,5,3,4,2,\"Early help, including family hubs, Kinship care\",\"Yes, thanks for asking about the services we use\"
2026/11/02 9:20:40 AM GMT,Practitioners,4,4,1,0,\"Kinship care\",
2026/11/03 10:01:00 PM GMT,Practitioners,2,,5,1,\"Early help, including family hubs\",\"None, really, I have nothing more to add here\"
";

#[test]
fn consecutive_linear_scales_are_one_rating_question() {
    let table = import::read_table(Tool::GoogleForms, SCALES.as_bytes(), "scales.csv").unwrap();
    let listing = import::list(&table, Options::default()).unwrap();
    let kinds: Vec<(&str, import::QuestionKind, Vec<String>)> = listing
        .questions
        .iter()
        .map(|question| {
            (
                question.text.as_str(),
                question.kind,
                question.options.clone(),
            )
        })
        .collect();
    use import::QuestionKind::{FreeText, Pick, Rating, SingleChoice};
    let strings = |labels: &[&str]| labels.iter().map(|label| label.to_string()).collect();
    // The timestamps are the tool's own column, never a question; the count question is not a
    // scale; the comments' commas do not make them a checkbox question.
    assert_eq!(
        kinds,
        [
            (
                "Which group best describes you?",
                SingleChoice,
                strings(&["Parents and carers", "Practitioners"]),
            ),
            (
                "How important is early help? … How important are social work caseloads?",
                Rating,
                strings(&[
                    "How important is early help?",
                    "How important is kinship care?",
                    "How important are social work caseloads?",
                ]),
            ),
            (
                "How many children do you care for?",
                SingleChoice,
                strings(&["2", "0", "1"]),
            ),
            (
                "Which topics have you worked on?",
                Pick,
                strings(&["Early help, including family hubs", "Kinship care"]),
            ),
            ("Any comments?", FreeText, vec![]),
        ]
    );
    // The rating question is the first answer question, so it is the one imported.
    let imported = import::import(
        Tool::GoogleForms,
        SCALES.as_bytes(),
        "scales.csv",
        Options::default(),
    )
    .unwrap();
    assert_eq!(imported.kind, ResponseKind::Rating);
    let (_, outcome) = crate::round_trip(&imported);
    assert_eq!(
        crate::rows_of(&outcome),
        [
            "row-1,parents-and-carers,how-important-is-early-help,5",
            "row-1,parents-and-carers,how-important-is-kinship-care,3",
            "row-1,parents-and-carers,how-important-are-social-work-caseloads,4",
            "row-2,practitioners,how-important-is-early-help,4",
            "row-2,practitioners,how-important-is-kinship-care,4",
            "row-2,practitioners,how-important-are-social-work-caseloads,1",
            "row-3,practitioners,how-important-is-early-help,2",
            "row-3,practitioners,how-important-are-social-work-caseloads,5",
        ]
    );
    // The checkbox question imports as picks, its option with `, ` whole.
    let picks = import::import(
        Tool::GoogleForms,
        SCALES.as_bytes(),
        "scales.csv",
        Options {
            question: Some("Which topics"),
            ..Options::default()
        },
    )
    .unwrap();
    let text = String::from_utf8(picks.write(Vec::new()).unwrap()).unwrap();
    assert_eq!(
        text,
        "respondent,group,item\nrow-1,parents-and-carers,early-help-including-family-hubs\nrow-1,parents-and-carers,kinship-care\nrow-2,practitioners,kinship-care\nrow-3,practitioners,early-help-including-family-hubs\n"
    );
}
