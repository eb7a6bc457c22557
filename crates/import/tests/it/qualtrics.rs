//! Qualtrics CSV exports with three header rows, as "Use choice text" and as "Use numeric
//! values": a multiple-choice group question with an "Other (please specify)" text box, a
//! rank-order question with an "Other" item, a matrix (Likert) question with an N/A column and
//! a text question. Response R_3kF8x5Qm2Lp is a survey preview.

use import::{ImportError, Mapping, Options, Tool, answer_questions, import, read_table};
use survey::responses::ResponseKind;

use crate::{check, exercise, fixture, round_trip};

#[test]
fn a_choice_text_export_round_trips_its_rank_order_question() {
    // R_3 stopped at 60% with two topics ranked (a partial ranking); R_4 ranked its own
    // "Other" topic first, which is not an item, so its ranks 2, 3, 4 become 1, 2, 3; R_6
    // ranked nothing.
    let imported = check(
        Tool::Qualtrics,
        "qualtrics_choice_text.csv",
        Options::default(),
        &[
            "R_3kF8x1Qm2Lp,parents-and-carers,early-help,1",
            "R_3kF8x1Qm2Lp,parents-and-carers,kinship-care,2",
            "R_3kF8x1Qm2Lp,parents-and-carers,social-work-caseloads,3",
            "R_3kF8x2Qm2Lp,practitioners,kinship-care,1",
            "R_3kF8x2Qm2Lp,practitioners,social-work-caseloads,2",
            "R_3kF8x2Qm2Lp,practitioners,early-help,3",
            "R_3kF8x3Qm2Lp,practitioners,early-help,1",
            "R_3kF8x3Qm2Lp,practitioners,social-work-caseloads,2",
            "R_3kF8x4Qm2Lp,other,social-work-caseloads,1",
            "R_3kF8x4Qm2Lp,other,early-help,2",
            "R_3kF8x4Qm2Lp,other,kinship-care,3",
        ],
    );
    assert_eq!(imported.kind, ResponseKind::Ranking);
    assert_eq!(
        imported.notes,
        [
            "left out 1 responses that Qualtrics marks as previews, tests or spam (`Status`): 1 `Survey Preview`",
            "ignored rating question `How important is research on each topic?` (3 columns); only `Please rank these topics - from most to least important` was imported (choose another with --question; see them all with --list)",
            "kept 1 responses the tool marks incomplete, for the questions they answered; leave them out with --complete-only",
            "skipped 1 respondents who did not answer `Please rank these topics - from most to least important`",
            "renumbered the ranks of 1 respondents whose ranks skipped places (an \"Other\" option, a blank place, or ranks typed beyond the items), keeping their order and ties",
        ]
    );
}

#[test]
fn a_choice_text_export_round_trips_its_matrix_question() {
    let imported = check(
        Tool::Qualtrics,
        "qualtrics_choice_text.csv",
        Options {
            question: Some("how important"),
            ..Options::default()
        },
        &[
            "R_3kF8x1Qm2Lp,parents-and-carers,early-help,4",
            "R_3kF8x1Qm2Lp,parents-and-carers,kinship-care,5",
            "R_3kF8x1Qm2Lp,parents-and-carers,social-work-caseloads,1",
            "R_3kF8x2Qm2Lp,practitioners,early-help,3",
            "R_3kF8x2Qm2Lp,practitioners,kinship-care,",
            "R_3kF8x4Qm2Lp,other,early-help,2",
            "R_3kF8x4Qm2Lp,other,kinship-care,4",
            "R_3kF8x4Qm2Lp,other,social-work-caseloads,5",
            "R_3kF8x6Qm2Lp,parents-and-carers,early-help,2",
            "R_3kF8x6Qm2Lp,parents-and-carers,kinship-care,4",
            "R_3kF8x6Qm2Lp,parents-and-carers,social-work-caseloads,5",
        ],
    );
    assert_eq!(imported.kind, ResponseKind::Rating);
}

#[test]
fn a_numeric_export_needs_its_group_codes_mapped_and_then_ranks() {
    // Numeric values give the group's recode values (1, 2, 4) instead of its labels.
    let bytes = std::fs::read(fixture("qualtrics_numeric.csv")).unwrap();
    let exercise = exercise();
    let error = import(
        Tool::Qualtrics,
        &bytes,
        "numeric.csv",
        Options {
            exercise: Some(&exercise),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "numeric.csv: group labels not found in exercise `import-example`: `1`, `2`, `4`; known: `Parents and carers`, `Practitioners`, `Other`"
    );
    let mapping = Mapping::parse(
        "[groups]\n1 = \"parents\"\n2 = \"practitioners\"\n4 = \"other\"\n",
        "mapping.toml",
    )
    .unwrap();
    let imported = import(
        Tool::Qualtrics,
        &bytes,
        "numeric.csv",
        Options {
            exercise: Some(&exercise),
            mapping: Some(&mapping),
            ..Options::default()
        },
    )
    .unwrap();
    let (text, _) = round_trip(&imported);
    assert!(
        text.starts_with("respondent,group,item,rank\nR_3kF8x1Qm2Lp,parents,early-help,1\n"),
        "{text}"
    );
    // Points within each group (k = 3: 3, 2, 1 for ranks 1 to 3), then position points
    // summed.
    //   parents (R_1: EH 1, KC 2, CL 3): EH 3, KC 2, CL 1.
    //   practitioners (R_2: KC 1, CL 2, EH 3; R_3: EH 1, CL 2): EH 4, KC 3, CL 4 -> EH and CL
    //     share first, 2.5 each; KC 1.
    //   other (R_4 ranked its Other first, then CL, EH, KC: renumbered CL 1, EH 2, KC 3):
    //     CL 3, EH 2, KC 1.
    //   EH 3 + 2.5 + 2 = 7.5; CL 1 + 2.5 + 3 = 6.5; KC 2 + 1 + 1 = 4.
    crate::check_ranked(
        &text,
        &[
            ("early-help", 7.5),
            ("caseloads", 6.5),
            ("kinship-care", 4.0),
        ],
    );
    // The numeric matrix holds the recode values as ratings.
    let rating = import(
        Tool::Qualtrics,
        &bytes,
        "numeric.csv",
        Options {
            question: Some("How important is research on each topic?"),
            ..Options::default()
        },
    )
    .unwrap();
    let (text, _) = round_trip(&rating);
    assert!(
        text.starts_with("respondent,group,item,rating\nR_3kF8x1Qm2Lp,1,early-help,4\nR_3kF8x1Qm2Lp,1,kinship-care,5\n"),
        "{text}"
    );
}

#[test]
fn the_questions_are_listed_by_their_text() {
    let bytes = std::fs::read(fixture("qualtrics_choice_text.csv")).unwrap();
    let table = read_table(Tool::Qualtrics, &bytes, "export.csv").unwrap();
    assert_eq!(
        answer_questions(&table, Options::default()).unwrap(),
        [
            "Please rank these topics - from most to least important",
            "How important is research on each topic?",
        ]
    );
}

#[test]
fn a_two_row_legacy_export_is_read_by_its_tags_and_another_layout_is_refused() {
    // The legacy exporter's two header rows: `V1` ... over `ResponseID` ..., then the
    // questions' tags over their texts joined with `-`; `Status` 0 is a real response, 1 a
    // preview.
    let legacy = "V1,V2,V7,V10,Q1,Q2_1,Q2_2,Q2_3_TEXT\nResponseID,ResponseSet,Status,Finished,Which group?,Rank-A,Rank-B,Rank-Other-TEXT\nR_1,Default,0,1,Parents,2,1,\nR_2,Default,1,1,Parents,1,2,\nR_3,Default,0,0,Carers,1,,\n";
    let imported = import(
        Tool::Qualtrics,
        legacy.as_bytes(),
        "legacy.csv",
        Options::default(),
    )
    .unwrap();
    let (text, _) = round_trip(&imported);
    assert_eq!(
        text,
        "respondent,group,item,rank\nR_1,parents,b,1\nR_1,parents,a,2\nR_3,carers,a,1\n"
    );
    assert_eq!(
        imported.notes[0],
        "left out 1 responses that Qualtrics marks as previews, tests or spam (`Status`): 1 Survey Preview (`1`)"
    );
    assert_eq!(
        imported.notes[1],
        "kept 1 responses the tool marks incomplete, for the questions they answered; leave them out with --complete-only"
    );
    let error = import(
        Tool::Qualtrics,
        b"Name,Choice\nAda,1\nBo,2\n",
        "other.csv",
        Options::default(),
    )
    .unwrap_err();
    assert!(matches!(error, ImportError::Layout { .. }));
    assert_eq!(
        error.to_string(),
        "other.csv: not a qualtrics export: expected three header rows: the export tags (`StartDate`, ..., `ResponseId`, `Q1`, `Q2_1`, ...), the question texts, and the ImportIds (`{\"ImportId\":\"QID2_1\"}`); or a legacy export's two (`V1`, ..., `Q1`, ... over `ResponseID`, ..., the question texts), found a third row beginning `Bo`, `2`"
    );
    let error = import(
        Tool::Qualtrics,
        b"StartDate\n",
        "short.csv",
        Options::default(),
    )
    .unwrap_err();
    assert!(
        error.to_string().ends_with("found only 1 header rows"),
        "{error}"
    );
}

#[test]
fn a_bad_rank_names_its_line_and_column() {
    let text = std::fs::read_to_string(fixture("qualtrics_choice_text.csv"))
        .unwrap()
        .replacen("Practitioners,,1,,2,", "Practitioners,,1,,second,", 1);
    let error = import(
        Tool::Qualtrics,
        text.as_bytes(),
        "export.csv",
        Options::default(),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "export.csv:7: column `Please rank these topics - from most to least important [Social work caseloads]`: `second` is not a rank (1, 2, ... or 1st, 2nd, ...)"
    );
}

#[test]
fn an_embedded_data_field_can_be_the_group() {
    // A `group` field passed in each stakeholder group's survey link is embedded data: its
    // ImportId is the field's name. Qualtrics' own columns (a contact list's e-mail) stay out.
    let id = |name: &str| format!("\"{{\"\"ImportId\"\":\"\"{name}\"\"}}\"");
    let text = format!(
        "StartDate,Status,ResponseId,Finished,Q1_1,Q1_2,group,RecipientEmail\n\
         Start Date,Response Type,Response ID,Finished,Rank these - Early help,Rank these - Kinship care,group,Recipient Email\n\
         {},{},{},{},{},{},{},{}\n\
         2026-11-02 09:00:00,IP Address,R_1,True,1,2,parents,a@example.org\n\
         2026-11-02 09:05:00,IP Address,R_2,True,2,1,practitioners,b@example.org\n\
         2026-11-02 09:10:00,IP Address,R_3,True,1,2,parents,c@example.org\n",
        id("startDate"),
        id("status"),
        id("_recordId"),
        id("finished"),
        id("QID1_1"),
        id("QID1_2"),
        id("group"),
        id("panel-RecipientEmail"),
    );
    let table = import::read_table(Tool::Qualtrics, text.as_bytes(), "embedded.csv").unwrap();
    let listing = import::list(&table, Options::default()).unwrap();
    let questions: Vec<(&str, bool)> = listing
        .questions
        .iter()
        .map(|question| (question.text.as_str(), question.is_group))
        .collect();
    assert_eq!(questions, [("Rank these", false), ("group", true)]);
    let imported = import(
        Tool::Qualtrics,
        text.as_bytes(),
        "embedded.csv",
        Options::default(),
    )
    .unwrap();
    let rows: Vec<(&str, &str, &str)> = imported
        .answers
        .iter()
        .map(|answer| {
            (
                answer.respondent.as_str(),
                answer.group.as_str(),
                answer.item.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("R_1", "parents", "early-help"),
            ("R_1", "parents", "kinship-care"),
            ("R_2", "practitioners", "kinship-care"),
            ("R_2", "practitioners", "early-help"),
            ("R_3", "parents", "early-help"),
            ("R_3", "parents", "kinship-care"),
        ]
    );
}
