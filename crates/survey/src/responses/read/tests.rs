//! Every bad row of a file in one error, and files that are not comma-separated CSV.

use super::super::{Against, MAX_LISTED_PROBLEMS, ReadOutcome, ResponsesError, read_responses};
use super::INLINE_RECORDS;
use crate::definition::Exercise;
use test_support::ExerciseToml;

/// An exercise with groups `carers` and `patients`, items `a`, `b`, `c` and a round `top2`
/// that ranks the top 2.
fn exercise() -> Exercise {
    let source = ExerciseToml::tiny()
        .groups(&[("carers", "Carers"), ("patients", "Patients")])
        .items(&[("a", "Item A"), ("b", "Item B"), ("c", "Item C")])
        .rounds("[[rounds]]\nid = \"top2\"\nkind = \"rank\"\ntop_k = 2\n")
        .build();
    Exercise::parse(&source, "tiny.toml").unwrap()
}

fn read(bytes: &[u8], round: Option<&str>) -> Result<ReadOutcome, ResponsesError> {
    let exercise = exercise();
    let against = round.map(|id| Against {
        exercise: &exercise,
        round: exercise.round(id).unwrap(),
    });
    read_responses(bytes, "responses.csv", against)
}

/// Checks that reading `bytes` fails with exactly the lines `expected`, one per problem.
fn check_error(bytes: &[u8], round: Option<&str>, expected: &[&str]) {
    match read(bytes, round) {
        Ok(outcome) => panic!(
            "expected an error, read {} respondents",
            outcome.responses.respondents.len()
        ),
        Err(error) => {
            assert_eq!(error.lines(), expected);
            assert_eq!(error.to_string(), expected.join("\n"));
        }
    }
}

#[test]
fn every_bad_row_is_listed_in_file_order_and_nothing_is_returned() {
    check_error(
        b"respondent,group,item,rank\n\
          r1,carers,a,1\n\
          r1,carers,b,first\n\
          r2,,a,1\n\
          r2,carers,a,1,extra\n\
          r3,carers,a,1\n\
          r3,carers,a,2\n\
          r4,carers,b,1\n",
        None,
        &[
            "responses.csv:3: column `rank`: `first` is not a positive whole number (rank 1 is most important)",
            "responses.csv:4: column `group`: the group is empty",
            "responses.csv:5: the row has 5 fields but the header has 4",
            "responses.csv:7: column `item`: respondent `r3` ranks item `a` twice (first at line 6)",
        ],
    );
}

#[test]
fn against_an_exercise_rows_and_whole_answers_are_all_reported() {
    check_error(
        b"respondent,group,item,rank\n\
          r1,carers,a,1\n\
          r1,carers,b,2\n\
          r1,carers,c,2\n\
          r2,families,a,1\n\
          r3,patients,z,1\n\
          r3,patients,a,3\n\
          r1,patients,a,1\n\
          r4,patients,a,1\n",
        Some("top2"),
        &[
            "responses.csv:4: respondent `r1` ranks 3 items, but round `top2` asks for the top 2",
            "responses.csv:5: column `group`: group `families` is not a group of exercise `tiny` (its groups are: carers, patients)",
            "responses.csv:6: column `item`: item `z` is not an item of exercise `tiny` (round `top2` asks about: a, b, c)",
            "responses.csv:7: column `rank`: rank 3 is beyond the top 2 that round `top2` asks for",
            "responses.csv:8: column `group`: respondent `r1` is in group `patients` here but in group `carers` at line 2: a respondent belongs to one group",
        ],
    );
}

#[test]
fn past_fifty_bad_rows_the_rest_are_counted() {
    let mut text = String::from("respondent,group,item,rank\n");
    for respondent in 0..60 {
        text.push_str(&format!("r{respondent},carers,a,0\n"));
        text.push_str(&format!("r{respondent},carers,b,1\n"));
    }
    let error = read(text.as_bytes(), None).unwrap_err();
    assert_eq!(error.problems().len(), MAX_LISTED_PROBLEMS);
    assert_eq!(MAX_LISTED_PROBLEMS, 50);
    assert_eq!(error.unlisted(), 10);
    let lines = error.lines();
    assert_eq!(lines.len(), 51);
    // The bad rows are lines 2, 4, 6, ...: the first fifty are listed.
    for (index, line) in lines[..50].iter().enumerate() {
        assert_eq!(
            line,
            &format!(
                "responses.csv:{}: column `rank`: `0` is not a positive whole number (rank 1 is most important)",
                2 + 2 * index
            )
        );
    }
    assert_eq!(lines[50], "responses.csv: ... and 10 more bad rows");
}

#[test]
fn bad_rows_on_both_sides_of_the_second_thread_are_all_reported() {
    // Past INLINE_RECORDS records, a second thread splits the records: bad rows before and
    // after the hand-over are all found, and one respondent's whole answer too.
    let mut text = String::from("respondent,group,item,rank\n");
    let rows = INLINE_RECORDS + 10_000;
    for row in 0..rows {
        text.push_str(&format!("r{row},carers,a,1\n"));
    }
    let bad_lines = [3, INLINE_RECORDS + 5_000];
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for line in bad_lines {
        lines[line - 1] = format!("r{line},carers,a,-1");
    }
    let last = lines.len();
    lines.push(format!("r{},carers,a,1", last - 2));
    let text = lines.join("\n") + "\n";
    check_error(
        text.as_bytes(),
        None,
        &[
            "responses.csv:3: column `rank`: `-1` is not a positive whole number (rank 1 is most important)",
            &format!(
                "responses.csv:{}: column `rank`: `-1` is not a positive whole number (rank 1 is most important)",
                bad_lines[1]
            ),
            &format!(
                "responses.csv:{}: column `item`: respondent `r{}` ranks item `a` twice (first at line {})",
                last + 1,
                last - 2,
                last
            ),
        ],
    );
    // The same file without the bad rows reads whole.
    let good = text
        .lines()
        .filter(|line| !line.ends_with(",-1"))
        .take(rows - 1)
        .collect::<Vec<_>>()
        .join("\n");
    let outcome = read(good.as_bytes(), None).unwrap();
    assert_eq!(outcome.responses.respondents.len(), rows - 2);
}

#[test]
fn a_problem_that_stops_the_read_comes_alone() {
    check_error(
        b"respondent,group,score\nr1,carers,x\nr2,,y\n",
        None,
        &[
            "responses.csv:1: the header does not tell the kind of answers: expected `respondent,group,item,rank` (ranking), `respondent,group,item,rating` (rating), `respondent,group,item` (pick), `respondent,group,winner,loser` (pairwise) or `respondent,group,text` (suggestions)",
        ],
    );
}

const SAVE_AS_CSV: &str = "save it as CSV with commas (Excel: CSV UTF-8 (Comma delimited))";

#[test]
fn a_file_separated_by_semicolons_or_tabs_is_told_so() {
    let semicolons =
        format!("responses.csv:1: the file is separated by semicolons, not commas: {SAVE_AS_CSV}");
    let tabs = format!("responses.csv:1: the file is separated by tabs, not commas: {SAVE_AS_CSV}");
    for (bytes, expected) in [
        (
            &b"respondent;group;item;rank\nr1;carers;a;1\n"[..],
            &semicolons,
        ),
        // Excel quotes what it likes, and a label may hold a comma.
        (
            b"\xEF\xBB\xBF\"respondent\";\"group\";\"item\";\"rank\"\r\nr1;carers;a;1\r\n",
            &semicolons,
        ),
        (b"respondent;group;item, as named;rank\n", &semicolons),
        // Not the exchange format's columns, but one cell split by semicolons.
        (b"RespondentID;Gender;Q1\n1;F;x\n", &semicolons),
        (b"respondent\tgroup\titem\trank\nr1\tcarers\ta\t1\n", &tabs),
        (b"id\tgroup\n", &tabs),
    ] {
        check_error(bytes, None, &[expected.as_str()]);
    }
    // Semicolons and tabs inside the cells of a comma-separated file are text.
    let outcome = read(b"respondent,group,text\nr1,carers,one; two\tthree\n", None).unwrap();
    assert_eq!(outcome.responses.respondents.len(), 1);
}

#[test]
fn a_workbook_or_utf16_text_under_a_csv_name_is_told_so() {
    let workbook = |what: &str| {
        format!(
            "responses.csv: the file is {what}, not CSV: open it and save it as CSV UTF-8 (Comma delimited), or import it with `prioritise import --from TOOL FILE` (TOOL: surveymonkey, google-forms, microsoft-forms, qualtrics, limesurvey)"
        )
    };
    // A real Microsoft Forms workbook (see ../shared/real-exports/SOURCES.md), renamed.
    let xlsx = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/real-exports/microsoft-forms/msforms_data.xlsx"
    ))
    .unwrap();
    check_error(&xlsx, None, &[&workbook("an Excel workbook (.xlsx)")]);
    // The start of an OpenDocument spreadsheet: a ZIP whose first entry is `mimetype`.
    let mut ods = b"PK\x03\x04\x14\x00\x00\x08\x00\x00".to_vec();
    ods.extend_from_slice(&[0; 20]);
    ods.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheetPK\x03\x04");
    check_error(
        &ods,
        Some("top2"),
        &[&workbook("an OpenDocument spreadsheet (.ods)")],
    );
    // The start of a legacy workbook: the OLE compound file signature, then its header.
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.extend_from_slice(&[0; 16]);
    xls.extend_from_slice(&[0x3E, 0x00, 0x03, 0x00, 0xFE, 0xFF, 0x09, 0x00, b'\n', b',']);
    check_error(&xls, None, &[&workbook("a legacy Excel workbook (.xls)")]);
    // Excel's "Unicode Text": UTF-16 little-endian with a byte order mark, separated by tabs.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "respondent\tgroup\titem\trank\r\nr1\tcarers\ta\t1\r\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    check_error(
        &utf16,
        None,
        &[&format!(
            "responses.csv: the file is UTF-16 text (Excel: Unicode Text), not UTF-8 CSV: {SAVE_AS_CSV}"
        )],
    );
}
