//! A response file with several bad rows is refused with every one of them, in one run, by
//! every command that reads responses; a file that is not comma-separated CSV is told so.

use std::path::Path;

use crate::{Stderr, arguments, check_refused, example_exercise};

/// Four rows of a ranking file, each bad in its own way, among good rows of the example
/// exercise's `rank` round.
const FOUR_BAD_ROWS: &str = "respondent,group,item,rank\n\
    r1,leaders,mental-health,1\n\
    r1,leaders,trauma,first\n\
    r2,,mental-health,1\n\
    r2,leaders,trauma,2,extra\n\
    r3,leaders,trauma,1\n\
    r3,leaders,trauma,2\n\
    r4,leaders,trauma,1\n";

/// The `error:` lines the four bad rows give, for the file at `path`.
fn four_errors(path: &Path) -> String {
    let shown = path.display();
    format!(
        "error: {shown}:3: column `rank`: `first` is not a positive whole number (rank 1 is most important)\n\
         error: {shown}:4: column `group`: the group is empty\n\
         error: {shown}:5: the row has 5 fields but the header has 4\n\
         error: {shown}:7: column `item`: respondent `r3` ranks item `trauma` twice (first at line 6)\n"
    )
}

#[test]
fn validate_rank_and_report_list_every_bad_row_in_one_run() {
    let directory = tempfile::tempdir().unwrap();
    let responses = directory.path().join("responses.csv");
    std::fs::write(&responses, FOUR_BAD_ROWS).unwrap();
    let exercise = example_exercise();
    let out = directory.path().join("report");
    check_refused([
        (
            "validate",
            arguments([&"validate", &responses]),
            1,
            Stderr::Is(four_errors(&responses)),
        ),
        (
            "validate against the exercise",
            arguments([&"validate", &responses, &"--exercise", &exercise]),
            1,
            Stderr::Is(four_errors(&responses)),
        ),
        (
            "rank",
            arguments([&"rank", &responses, &"--method", &"borda"]),
            1,
            Stderr::Is(four_errors(&responses)),
        ),
        (
            "report",
            arguments([
                &"report",
                &responses,
                &"--exercise",
                &exercise,
                &"--out",
                &out,
            ]),
            1,
            Stderr::Is(four_errors(&responses)),
        ),
    ]);
    assert!(!out.exists(), "no report is written from a refused file");
}

#[test]
fn past_fifty_bad_rows_the_rest_are_counted() {
    let directory = tempfile::tempdir().unwrap();
    let responses = directory.path().join("responses.csv");
    let mut text = String::from("respondent,group,item,rank\n");
    for respondent in 0..60 {
        text.push_str(&format!("r{respondent},leaders,mental-health,0\n"));
    }
    std::fs::write(&responses, text).unwrap();
    let shown = responses.display();
    let mut expected: String = (2..52)
        .map(|line| {
            format!(
                "error: {shown}:{line}: column `rank`: `0` is not a positive whole number (rank 1 is most important)\n"
            )
        })
        .collect();
    expected.push_str(&format!("error: {shown}: ... and 10 more bad rows\n"));
    check_refused([(
        "sixty bad rows",
        arguments([&"validate", &responses]),
        1,
        Stderr::Is(expected),
    )]);
}

#[test]
fn a_file_that_is_not_comma_separated_csv_is_told_so() {
    let directory = tempfile::tempdir().unwrap();
    let semicolons = directory.path().join("semicolons.csv");
    std::fs::write(
        &semicolons,
        "respondent;group;item;rank\r\nr1;leaders;mental-health;1\r\n",
    )
    .unwrap();
    let tabs = directory.path().join("tabs.csv");
    std::fs::write(
        &tabs,
        "respondent\tgroup\titem\trank\nr1\tleaders\ttrauma\t1\n",
    )
    .unwrap();
    // A real workbook (see ../shared/real-exports/SOURCES.md), saved under a `.csv` name.
    let workbook = directory.path().join("workbook.csv");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/real-exports/limesurvey/results-survey54231.xlsx"
        ),
        &workbook,
    )
    .unwrap();
    let exercise = example_exercise();
    let separated = |path: &Path, by: &str| {
        Stderr::Is(format!(
            "error: {}:1: the file is separated by {by}, not commas: save it as CSV with commas (Excel: CSV UTF-8 (Comma delimited))\n",
            path.display()
        ))
    };
    check_refused([
        (
            "semicolons",
            arguments([&"validate", &semicolons, &"--exercise", &exercise]),
            1,
            separated(&semicolons, "semicolons"),
        ),
        (
            "tabs",
            arguments([&"rank", &tabs]),
            1,
            separated(&tabs, "tabs"),
        ),
        (
            "a workbook",
            arguments([&"rank", &workbook, &"--exercise", &exercise]),
            1,
            Stderr::Is(format!(
                "error: {}: the file is an Excel workbook (.xlsx), not CSV: open it and save it as CSV UTF-8 (Comma delimited), or import it with `prioritise import --from TOOL FILE` (TOOL: surveymonkey, google-forms, microsoft-forms, qualtrics, limesurvey)\n",
                workbook.display()
            )),
        ),
    ]);
}
