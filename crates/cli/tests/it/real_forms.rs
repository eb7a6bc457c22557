//! `prioritise import --list` and an import on the real Google Forms and Microsoft Forms
//! exports of ../shared/real-exports (see SOURCES.md there; the import crate's
//! tests/it/real_google_forms.rs and real_microsoft_forms.rs check them question by question).

use crate::prioritise;

const GOOGLE_FORMS: &str =
    "../shared/real-exports/google-forms/rse_group_survey_2023_responses.csv";
const MICROSOFT_FORMS: &str = "../shared/real-exports/microsoft-forms/msforms_data.xlsx";

/// The stdout of a successful run.
fn stdout_of(arguments: &[&str]) -> String {
    let output = prioritise().args(arguments).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn google_forms_list_shows_the_checkbox_questions_and_the_group() {
    let stdout = stdout_of(&["import", "--from", "google-forms", GOOGLE_FORMS, "--list"]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!("{GOOGLE_FORMS}: google-forms export, 36 responses")
    );
    for expected in [
        "pick                 36  Is your group: [3 options: The main RSE Group for the university/research organisation; An RSE Group for a specific subset/group within the university/research organisation; An RSE Group for multiple universities/research organisations]",
        "single choice        36  Where is your group based? [13 options: IT/Research IT; Independent Institute/Facility; Academic Department (supporting a specific domain); Central team separate from both IT and the Institute's research programmes; We are a hybrid professional services / academic department; Academic Department (supporting whole Institution); and 7 more]  <- taken as the group",
        "free text            27  Where did those staff go?",
        "pick                 31  If demand for your services outstrips the number of RSEs, what causes this situation? [4 options: Hiring processes are long-winded, so we're always behind the demand curve; We have funding, but we can't find RSEs to hire; We can attract RSEs, but can't hire them because the salary and other benefits we can offer are not competitive; We lack the funding to make new positions available]",
        "free text            36  Name",
    ] {
        assert!(lines.contains(&expected), "{expected}\n{stdout}");
    }
    // One line per question: 20 questions, the timestamp left out.
    let question_lines = lines
        .iter()
        .filter(|line| {
            [
                "pick ",
                "single choice ",
                "free text ",
                "ranking ",
                "rating ",
            ]
            .iter()
            .any(|kind| line.starts_with(kind))
        })
        .count();
    assert_eq!(question_lines, 20, "{stdout}");
    assert!(!stdout.contains("Timestamp"), "{stdout}");
}

#[test]
fn google_forms_checkbox_answers_import_without_names() {
    let stdout = stdout_of(&[
        "import",
        "--from",
        "google-forms",
        GOOGLE_FORMS,
        "--question",
        "what causes this situation",
    ]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "respondent,group,item");
    // 49 picks of 31 respondents (counted with python3 in the import crate's test).
    assert_eq!(lines.len(), 1 + 49);
    assert_eq!(
        lines[1],
        "row-1,it-research-it,hiring-processes-are-long-winded-so-we-re-always-behind-the-dema"
    );
    // Respondents appear by row number only, never by the name column 2 holds (the import
    // crate's test checks every name against the output).
    for line in &lines[1..] {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), 3, "{line}");
        assert!(fields[0].starts_with("row-"), "{line}");
    }
}

#[test]
fn microsoft_forms_list_reads_the_third_sheet_and_imports_its_ranking() {
    let stdout = stdout_of(&[
        "import",
        "--from",
        "microsoft-forms",
        MICROSOFT_FORMS,
        "--list",
    ]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..5],
        [
            format!("{MICROSOFT_FORMS}: microsoft-forms export, 2 responses").as_str(),
            "note: read sheet `Form1`, sheet 3 of the workbook's 3: the first whose header is Microsoft Forms' (`ID`, `Start time`, `Completion time`, ...)",
            "",
            "kind           answered  question",
            "ranking               2  Question [3 options: Option 2; Option 1; Option 3]",
        ]
    );
    assert!(
        stdout.contains("single choice         2  choice 3-1"),
        "{stdout}"
    );
    assert!(
        stdout.contains("No question is taken as the group"),
        "{stdout}"
    );
    let stdout = stdout_of(&["import", "--from", "microsoft-forms", MICROSOFT_FORMS]);
    assert_eq!(
        stdout,
        "respondent,group,item,rank\n3,all,option-2,1\n3,all,option-1,2\n3,all,option-3,3\n4,all,option-3,1\n4,all,option-1,2\n4,all,option-2,3\n"
    );
}
