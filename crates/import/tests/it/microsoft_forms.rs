//! Microsoft Forms workbooks, made at test time from `microsoft_forms.csv` (the grid of the
//! workbook's one sheet): a Choice question for the group, a Ranking question whose cells list
//! the items in order each followed by `;`, a Likert question whose statements are columns
//! headed by the statement alone, and a free-text question.

use import::{ImportError, Options, Tool, answer_questions, import, read_table};
use survey::responses::ResponseKind;

use crate::{exercise, fixture, round_trip, rows_of};

fn workbook() -> Vec<u8> {
    crate::xlsx::workbook_fixture("microsoft_forms.csv", "Sheet1")
}

fn import_workbook(options: Options<'_>) -> import::Imported {
    import(Tool::MicrosoftForms, &workbook(), "responses.xlsx", options)
        .unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn a_ranking_question_round_trips() {
    // Respondent 3 ranked two of the three topics (a partial ranking); 4 typed an "Other"
    // group over two lines; 5 did not rank and 6 gave no group, so both are left out. The row
    // that repeats the header is left out too.
    let imported = import_workbook(Options::default());
    assert_eq!(imported.kind, ResponseKind::Ranking);
    let (_, outcome) = round_trip(&imported);
    assert_eq!(
        rows_of(&outcome),
        [
            "1,parents-and-carers,early-help,1",
            "1,parents-and-carers,kinship-care,2",
            "1,parents-and-carers,social-work-caseloads,3",
            "2,practitioners,kinship-care,1",
            "2,practitioners,social-work-caseloads,2",
            "2,practitioners,early-help,3",
            "3,practitioners,early-help,1",
            "3,practitioners,social-work-caseloads,2",
            "4,foster-carer-and-kinship-carer,social-work-caseloads,1",
            "4,foster-carer-and-kinship-carer,early-help,2",
            "4,foster-carer-and-kinship-carer,kinship-care,3",
        ]
    );
    assert_eq!(
        imported.notes,
        [
            "left out 1 rows that repeat the header",
            "ignored rating question `Early help … Social work caseloads` (3 columns); only `Please rank these topics from most to least important` was imported (choose another with --question; see them all with --list)",
            "skipped 1 respondents who did not answer `Please rank these topics from most to least important`",
            "skipped 1 respondents who did not answer `Which group best describes you?`",
        ]
    );
}

#[test]
fn the_likert_question_round_trips_and_both_questions_are_listed() {
    let table = read_table(Tool::MicrosoftForms, &workbook(), "responses.xlsx").unwrap();
    assert_eq!(
        answer_questions(&table, Options::default()).unwrap(),
        [
            "Please rank these topics from most to least important",
            "Early help … Social work caseloads",
        ]
    );
    let imported = import_workbook(Options {
        question: Some("Early help … Social work caseloads"),
        ..Options::default()
    });
    assert_eq!(imported.kind, ResponseKind::Rating);
    let (_, outcome) = round_trip(&imported);
    // N/A is "don't know"; a blank statement is no answer; respondent 3 rated nothing.
    assert_eq!(
        rows_of(&outcome),
        [
            "1,parents-and-carers,early-help,4",
            "1,parents-and-carers,kinship-care,5",
            "1,parents-and-carers,social-work-caseloads,1",
            "2,practitioners,early-help,3",
            "2,practitioners,kinship-care,",
            "4,foster-carer-and-kinship-carer,early-help,2",
            "4,foster-carer-and-kinship-carer,kinship-care,4",
            "4,foster-carer-and-kinship-carer,social-work-caseloads,5",
            "5,parents-and-carers,early-help,4",
            "5,parents-and-carers,kinship-care,4",
            "5,parents-and-carers,social-work-caseloads,3",
        ]
    );
}

#[test]
fn labels_map_to_the_exercise_and_the_import_ranks() {
    let exercise = exercise();
    let imported = import_workbook(Options {
        exercise: Some(&exercise),
        group_column: None,
        mapping: Some(
            &import::Mapping::parse(
                "[groups]\n\"Foster carer\\nand kinship carer\" = \"other\"\n",
                "m.toml",
            )
            .unwrap(),
        ),
        ..Options::default()
    });
    let (text, _) = round_trip(&imported);
    assert!(
        text.starts_with(
            "respondent,group,item,rank\n1,parents,early-help,1\n1,parents,kinship-care,2\n1,parents,caseloads,3\n"
        ),
        "{text}"
    );
    assert!(text.contains("4,other,caseloads,1\n"), "{text}");
    // The exercise's round: points within each group (k = 3), then position points summed.
    //   parents (1: EH 1, KC 2, CL 3): EH 3, KC 2, CL 1 -> positions EH 3, KC 2, CL 1.
    //   practitioners (2: KC 1, CL 2, EH 3; 3: EH 1, CL 2): EH 1 + 3 = 4, KC 3, CL 2 + 2 = 4
    //     -> EH and CL tie first, (3 + 2) / 2 = 2.5 each; KC 1.
    //   other (4: CL 1, EH 2, KC 3): CL 3, EH 2, KC 1.
    //   EH 3 + 2.5 + 2 = 7.5; CL 1 + 2.5 + 3 = 6.5; KC 2 + 1 + 1 = 4.
    crate::check_ranked(
        &text,
        &[
            ("early-help", 7.5),
            ("caseloads", 6.5),
            ("kinship-care", 4.0),
        ],
    );
}

#[test]
fn a_ranking_that_lists_an_item_twice_names_its_cell() {
    let text = std::fs::read_to_string(crate::fixture("microsoft_forms.csv")).unwrap();
    let mut grid = crate::xlsx::grid_of(&text);
    grid[2][7] = "Kinship care;Early help;Kinship care;".to_string();
    let workbook = crate::xlsx::workbook("Sheet1", &grid, &[]);
    let error = import(
        Tool::MicrosoftForms,
        &workbook,
        "responses.xlsx",
        Options::default(),
    )
    .unwrap_err();
    assert!(matches!(error, ImportError::SheetCell { .. }));
    assert_eq!(
        error.to_string(),
        "responses.xlsx: sheet `Sheet1`, line 3, column H (`Please rank these topics from most to least important`): the ranking lists `Kinship care` twice"
    );
}

#[test]
fn two_likert_questions_with_the_same_statements_stay_apart() {
    let grid = crate::xlsx::grid_of(
        "ID,Start time,Completion time,Email,Name,Your stakeholder group,Early help,Kinship care,Early help,Kinship care\n\
         7,a,b,anonymous,,Parents,4 - Very important,2 - Slightly important,1 - Hard,3 - Possible\n",
    );
    let workbook = crate::xlsx::workbook("Sheet1", &grid, &[]);
    let table = read_table(Tool::MicrosoftForms, &workbook, "two.xlsx").unwrap();
    let questions = answer_questions(&table, Options::default()).unwrap();
    assert_eq!(
        questions,
        ["Early help … Kinship care", "Early help … Kinship care (2)"]
    );
    let second = import(
        Tool::MicrosoftForms,
        &workbook,
        "two.xlsx",
        Options {
            question: Some(&questions[1]),
            ..Options::default()
        },
    )
    .unwrap();
    let (text, _) = round_trip(&second);
    assert_eq!(
        text,
        "respondent,group,item,rating\n7,parents,early-help,1\n7,parents,kinship-care,3\n"
    );
}

#[test]
fn another_layout_says_what_was_expected() {
    let bytes = std::fs::read(crate::fixture("google_forms_ranking.csv")).unwrap();
    let error = import(
        Tool::MicrosoftForms,
        &bytes,
        "forms.csv",
        Options::default(),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "forms.csv: not a microsoft-forms export: expected one header row starting with `ID`, `Start time`, `Completion time`, `Email`, `Name`, then the questions, found a header beginning `Timestamp`, `Email Address`, `Which stakeholder group are you in?`, `Rank the topics [Early help]`, `Rank the topics [Kinship care]`"
    );
}

#[test]
fn the_committed_workbook_holds_the_fixture_grid() {
    // The command-line tests read `microsoft_forms.xlsx` from disk: it is the workbook of
    // `microsoft_forms.csv`, written by this test when PRIORITISE_REGENERATE_FIXTURES is set.
    let path = fixture("microsoft_forms.xlsx");
    if std::env::var_os("PRIORITISE_REGENERATE_FIXTURES").is_some() {
        std::fs::write(&path, workbook()).unwrap();
    }
    let committed = std::fs::read(&path).unwrap();
    let from_committed = import(
        Tool::MicrosoftForms,
        &committed,
        "committed.xlsx",
        Options::default(),
    )
    .unwrap();
    let fresh = import_workbook(Options::default());
    assert_eq!(from_committed, fresh);
}

#[test]
fn a_group_question_with_numbered_options_is_not_a_likert_statement() {
    let grid = crate::xlsx::grid_of(
        "ID,Start time,Completion time,Email,Name,Which group best describes you?,Early help,Kinship care\n\
         1,a,b,anonymous,,1 - Parents and carers,4 - Very important,2 - Slightly important\n\
         2,a,b,anonymous,,2 - Practitioners,3 - Moderately important,5 - Extremely important\n",
    );
    let workbook = crate::xlsx::workbook("Sheet1", &grid, &[]);
    let imported = import(
        Tool::MicrosoftForms,
        &workbook,
        "groups.xlsx",
        Options::default(),
    )
    .unwrap();
    let (text, _) = round_trip(&imported);
    assert_eq!(
        text,
        "respondent,group,item,rating\n1,1-parents-and-carers,early-help,4\n1,1-parents-and-carers,kinship-care,2\n2,2-practitioners,early-help,3\n2,2-practitioners,kinship-care,5\n"
    );
}

#[test]
fn metadata_headers_in_other_languages_are_recognised() {
    // The metadata headers as Forms writes them for French, German, Spanish and Dutch form
    // owners; the questions are the same in each.
    let headers = [
        "ID,Heure de début,Heure de fin,Adresse de messagerie,Nom,Heure de la dernière modification",
        "Id,Startzeit,Fertigstellungszeit,E-Mail,Name",
        "ID,Hora de inicio,Hora de finalización,Correo electrónico,Nombre,Hora de la última modificación",
        "ID,Begintijd,Tijd van voltooien,E-mail,Naam,Tijd van laatste wijziging",
    ];
    for header in headers {
        let metadata_count = header.split(',').count();
        let padding = ",x".repeat(metadata_count - 1);
        let csv = format!(
            "{header},Which group best describes you?,Please rank these topics\n\
             7{padding},Parents and carers,Kinship care;Early help;\n\
             9{padding},Practitioners,Early help;Kinship care;\n"
        );
        let grid = crate::xlsx::grid_of(&csv);
        let workbook = crate::xlsx::workbook("Sheet1", &grid, &[]);
        let table = read_table(Tool::MicrosoftForms, &workbook, "responses.xlsx")
            .unwrap_or_else(|error| panic!("{header}: {error}"));
        let listing = import::list(&table, Options::default()).unwrap();
        let texts: Vec<&str> = listing
            .questions
            .iter()
            .map(|question| question.text.as_str())
            .collect();
        assert_eq!(
            texts,
            [
                "Which group best describes you?",
                "Please rank these topics"
            ],
            "{header}"
        );
        let imported = import(
            Tool::MicrosoftForms,
            &workbook,
            "responses.xlsx",
            Options::default(),
        )
        .unwrap();
        let (text, _) = round_trip(&imported);
        assert_eq!(
            text,
            "respondent,group,item,rank\n7,parents-and-carers,kinship-care,1\n7,parents-and-carers,early-help,2\n9,practitioners,early-help,1\n9,practitioners,kinship-care,2\n",
            "{header}"
        );
    }
}

#[test]
fn semicolon_lists_of_some_options_in_one_order_are_a_multi_select() {
    // "Which topics have you worked on?" lists the options chosen in the form's order, some
    // of them; the ranking lists every topic in varying orders.
    let grid = crate::xlsx::grid_of(
        "ID,Start time,Completion time,Email,Name,Which group best describes you?,Which topics have you worked on?,Please order these topics\n\
         1,a,b,anonymous,,Parents and carers,Early help;Social work caseloads;,Kinship care;Early help;Social work caseloads;\n\
         2,a,b,anonymous,,Practitioners,Kinship care;,Early help;Social work caseloads;Kinship care;\n\
         3,a,b,anonymous,,Practitioners,Early help;Kinship care;Social work caseloads;,Social work caseloads;Kinship care;Early help;\n",
    );
    let workbook = crate::xlsx::workbook("Sheet1", &grid, &[]);
    let table = read_table(Tool::MicrosoftForms, &workbook, "choices.xlsx").unwrap();
    let listing = import::list(&table, Options::default()).unwrap();
    let kinds: Vec<(&str, import::QuestionKind)> = listing
        .questions
        .iter()
        .map(|question| (question.text.as_str(), question.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "Which group best describes you?",
                import::QuestionKind::SingleChoice
            ),
            (
                "Which topics have you worked on?",
                import::QuestionKind::Pick
            ),
            ("Please order these topics", import::QuestionKind::Ranking),
        ]
    );
    let imported = import(
        Tool::MicrosoftForms,
        &workbook,
        "choices.xlsx",
        Options {
            question: Some("Which topics"),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(imported.kind, ResponseKind::Pick);
    let text = String::from_utf8(imported.write(Vec::new()).unwrap()).unwrap();
    assert_eq!(
        text,
        "respondent,group,item\n1,parents-and-carers,early-help\n1,parents-and-carers,social-work-caseloads\n2,practitioners,kinship-care\n3,practitioners,early-help\n3,practitioners,social-work-caseloads\n3,practitioners,kinship-care\n"
    );
}

#[test]
fn the_responses_sheet_is_found_after_other_sheets_and_named_when_missing() {
    let grid = crate::xlsx::grid_of(
        "ID,Start time,Completion time,Email,Name,Please rank these topics\n\
         1,a,b,anonymous,,Kinship care;Early help;\n",
    );
    // A workbook whose first sheet holds something else and whose responses are second.
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write_string(0, 0, "Exported for the steering group")
        .unwrap();
    let responses = book.add_worksheet().set_name("Form1").unwrap();
    for (row, cells) in grid.iter().enumerate() {
        for (column, cell) in cells.iter().enumerate() {
            responses
                .write_string(
                    u32::try_from(row).unwrap(),
                    u16::try_from(column).unwrap(),
                    cell,
                )
                .unwrap();
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let table = read_table(Tool::MicrosoftForms, &bytes, "two.xlsx").unwrap();
    assert_eq!(table.sheet.as_deref(), Some("Form1"));
    assert_eq!(
        table.notes,
        [
            "read sheet `Form1`, sheet 2 of the workbook's 2: the first whose header is Microsoft Forms' (`ID`, `Start time`, `Completion time`, ...)"
        ]
    );
    // No sheet with the header: the error names the first sheet and what it holds.
    let only_notes = crate::xlsx::workbook(
        "Notes",
        &[vec!["Exported for the steering group".to_string()]],
        &["Empty"],
    );
    let error = read_table(Tool::MicrosoftForms, &only_notes, "notes.xlsx").unwrap_err();
    assert_eq!(
        error.to_string(),
        "notes.xlsx: not a microsoft-forms export: expected one header row starting with `ID`, `Start time`, `Completion time`, `Email`, `Name`, then the questions, found a header beginning `Exported for the steering group` on the first sheet `Notes`, and no sheet with that header"
    );
}
