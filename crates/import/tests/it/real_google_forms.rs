//! A real Google Forms download: `google-forms/rse_group_survey_2023_responses.csv` of
//! ../shared/real-exports (softwaresaved/RSE-Group-Leaders-Survey-2023_Python,
//! data/raw/survey_responses.csv; see SOURCES.md there): 36 responses, CRLF records, line
//! breaks inside cells, no final newline, two checkbox questions whose options contain `, `,
//! and respondents' names in column 2, which must never reach an output file.
//!
//! Counts were made independently with python3's `csv` module, splitting the checkbox
//! answers by the options read by hand from the file (each answer is some of them joined with
//! `, `):
//! `rows = list(csv.reader(open(PATH, newline='', encoding='utf-8')))[1:]`, then for a column
//! `c`: `sum(1 for r in rows if r[c].strip())` answered, and per option label `l`:
//! `sum(l in r[c] for r in rows)` picks.

use import::{Imported, Options, QuestionKind, Tool, import, list, read_table};
use survey::responses::ResponseKind;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/real-exports/google-forms/rse_group_survey_2023_responses.csv"
);

fn bytes() -> Vec<u8> {
    std::fs::read(PATH).unwrap_or_else(|error| panic!("{PATH}: {error}"))
}

fn import_question(question: Option<&str>) -> Imported {
    let options = Options {
        question,
        ..Options::default()
    };
    import(Tool::GoogleForms, &bytes(), "responses.csv", options)
        .unwrap_or_else(|error| panic!("{error}"))
}

/// The exchange-format lines of an import.
fn lines_of(imported: &Imported) -> Vec<String> {
    let text = String::from_utf8(imported.write(Vec::new()).unwrap()).unwrap();
    text.lines().map(str::to_string).collect()
}

/// The lines of one respondent.
fn lines_for(lines: &[String], respondent: &str) -> Vec<String> {
    let prefix = format!("{respondent},");
    lines
        .iter()
        .filter(|line| line.starts_with(&prefix))
        .cloned()
        .collect()
}

#[test]
fn every_question_is_listed_with_its_kind() {
    let table = read_table(Tool::GoogleForms, &bytes(), "responses.csv").unwrap();
    let listing = list(&table, Options::default()).unwrap();
    assert_eq!(listing.responses, 36);
    let kinds: Vec<(&str, QuestionKind, usize, bool)> = listing
        .questions
        .iter()
        .map(|question| {
            (
                question.text.as_str(),
                question.kind,
                question.answered,
                question.is_group,
            )
        })
        .collect();
    // `answered` counts the answers that are not blank (a `0` or `No` typed is an answer):
    // python3 `[sum(1 for r in rows[1:] if r[c].strip()) for c in range(len(rows[0]))]` gives
    // 36 36 36 36 36 34 36 33 35 35 35 34 27 35 35 31 35 33 34 25 for columns 1 to 20.
    use QuestionKind::{FreeText, Pick, SingleChoice};
    assert_eq!(
        kinds,
        [
            (
                "I give permission for a summary of the results from this survey to be published with me as a named collaborator",
                SingleChoice,
                36,
                false
            ),
            ("Name", FreeText, 36, false),
            ("What is the name of your group?", FreeText, 36, false),
            ("Is your group:", Pick, 36, false),
            (
                "What is your position in the RSE Group?",
                FreeText,
                36,
                false
            ),
            ("In what year was your group founded?", FreeText, 34, false),
            ("Where is your group based?", SingleChoice, 36, true),
            (
                "How many people were in your group when it started?",
                FreeText,
                33,
                false
            ),
            (
                "How many people are currently in your group in total?",
                FreeText,
                35,
                false
            ),
            (
                "How many people in your group are in a more senior role than a standard RSE (i.e. typically receiving greater pay than a postdoctoral researcher)?",
                FreeText,
                35,
                false
            ),
            (
                "How many people in your group are in a less senior role than a standard RSE (e.g. a junior RSE)?",
                FreeText,
                35,
                false
            ),
            (
                "How many staff have left your group in the last two years?",
                SingleChoice,
                34,
                false
            ),
            ("Where did those staff go?", FreeText, 27, false),
            (
                "How many new RSEs positions have been added to your group in the last two years?",
                FreeText,
                35,
                false
            ),
            (
                "Please rate the level of demand for your Group's services",
                SingleChoice,
                35,
                false
            ),
            (
                "If demand for your services outstrips the number of RSEs, what causes this situation?",
                Pick,
                31,
                false
            ),
            (
                "Roughly what percentage of your roles are open-ended/permanent?",
                SingleChoice,
                35,
                false
            ),
            (
                "Does your Group have a cost recovery target? If so, what is that cost recovery target?",
                FreeText,
                33,
                false
            ),
            (
                "Roughly what percentage of your group's time is spent on free at point of use activities. e.g. Training, Institutional support, free project support/consultancy.",
                SingleChoice,
                34,
                false
            ),
            ("Anything else you would like to add?", FreeText, 25, false),
        ]
    );
    // The checkbox questions' options, whole although they contain the separator `, `.
    let options = |text: &str| {
        listing
            .questions
            .iter()
            .find(|question| question.text == text)
            .unwrap()
            .options
            .clone()
    };
    assert_eq!(
        options("Is your group:"),
        [
            "The main RSE Group for the university/research organisation",
            "An RSE Group for a specific subset/group within the university/research organisation",
            "An RSE Group for multiple universities/research organisations",
        ]
    );
    assert_eq!(
        options(
            "If demand for your services outstrips the number of RSEs, what causes this situation?"
        ),
        [
            "Hiring processes are long-winded, so we're always behind the demand curve",
            "We have funding, but we can't find RSEs to hire",
            "We can attract RSEs, but can't hire them because the salary and other benefits we can offer are not competitive",
            "We lack the funding to make new positions available",
        ]
    );
}

#[test]
fn the_group_checkbox_question_imports_as_picks() {
    let imported = import_question(None);
    assert_eq!(imported.kind, ResponseKind::Pick);
    // Everyone answered "Is your group:" and the group question (36); two respondents chose
    // two options, so 38 picks (python3: per option 26, 8 and 4).
    assert_eq!(imported.respondent_count, 36);
    assert_eq!(imported.answers.len(), 38);
    assert_eq!(
        imported.mapping.group_question.as_deref(),
        Some("Where is your group based?")
    );
    let lines = lines_of(&imported);
    assert_eq!(lines[0], "respondent,group,item");
    // Read by hand from the file: rows 1, 3 and 11 (line 12 of the file).
    assert_eq!(
        lines_for(&lines, "row-1"),
        ["row-1,it-research-it,the-main-rse-group-for-the-university-research-organisation"]
    );
    assert_eq!(
        lines_for(&lines, "row-3"),
        [
            "row-3,academic-department-supporting-a-specific-domain,an-rse-group-for-a-specific-subset-group-within-the-university-r"
        ]
    );
    assert_eq!(
        lines_for(&lines, "row-11"),
        [
            "row-11,academic-department-supporting-a-specific-domain,the-main-rse-group-for-the-university-research-organisation",
            "row-11,academic-department-supporting-a-specific-domain,an-rse-group-for-multiple-universities-research-organisations",
        ]
    );
}

#[test]
fn the_demand_checkbox_question_imports_as_picks() {
    let imported = import_question(Some("what causes this situation"));
    assert_eq!(imported.kind, ResponseKind::Pick);
    // 31 answered (5 left it blank); picks per option 21, 7, 9 and 12 (python3, above).
    assert_eq!(imported.respondent_count, 31);
    assert_eq!(imported.answers.len(), 49);
    let count = |item: &str| {
        imported
            .answers
            .iter()
            .filter(|answer| answer.item == item)
            .count()
    };
    assert_eq!(
        count("hiring-processes-are-long-winded-so-we-re-always-behind-the-dema"),
        21
    );
    assert_eq!(count("we-have-funding-but-we-can-t-find-rses-to-hire"), 7);
    assert_eq!(
        count("we-can-attract-rses-but-can-t-hire-them-because-the-salary-and-o"),
        9
    );
    assert_eq!(
        count("we-lack-the-funding-to-make-new-positions-available"),
        12
    );
    let lines = lines_of(&imported);
    // Read by hand: row 2 chose three options, each holding `, `.
    assert_eq!(
        lines_for(&lines, "row-1"),
        ["row-1,it-research-it,hiring-processes-are-long-winded-so-we-re-always-behind-the-dema"]
    );
    assert_eq!(
        lines_for(&lines, "row-2"),
        [
            "row-2,independent-institute-facility,hiring-processes-are-long-winded-so-we-re-always-behind-the-dema",
            "row-2,independent-institute-facility,we-have-funding-but-we-can-t-find-rses-to-hire",
            "row-2,independent-institute-facility,we-can-attract-rses-but-can-t-hire-them-because-the-salary-and-o",
        ]
    );
    assert_eq!(
        lines_for(&lines, "row-3"),
        [
            "row-3,academic-department-supporting-a-specific-domain,we-lack-the-funding-to-make-new-positions-available"
        ]
    );
    // Row 6 left it blank.
    assert!(lines_for(&lines, "row-6").is_empty());
}

#[test]
fn respondents_names_never_reach_an_output_file() {
    // Column 2 holds the respondents' names (they consented to be named in the survey's
    // report, not in our files).
    let names: Vec<String> = csv::ReaderBuilder::new()
        .from_reader(bytes().as_slice())
        .records()
        .map(|record| record.unwrap()[2].trim().to_string())
        .collect();
    assert_eq!(names.len(), 36);
    for question in [None, Some("what causes this situation")] {
        let imported = import_question(question);
        let text = String::from_utf8(imported.write(Vec::new()).unwrap()).unwrap();
        assert!(text.starts_with("respondent,group,item\n"));
        for name in &names {
            let slug = import::slug_of(name);
            assert!(
                !text.contains(name.as_str()) && !text.contains(&slug),
                "{name} is in the output"
            );
        }
        assert!(
            imported
                .answers
                .iter()
                .all(|answer| answer.respondent.starts_with("row-"))
        );
    }
}
