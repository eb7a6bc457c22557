//! No input makes an importer panic: arbitrary bytes, CSV-ish grids of cells that look like
//! what each tool writes (so that fuzzing reaches the layout and mapping code), and the same
//! grids as XLSX workbooks. Whatever imports must read back as the exchange format.

use import::choices::split_joined;
use import::{Options, Tool, answer_questions, convert, import, list, read_table};
use proptest::prelude::*;

/// Cells that look like what the tools write.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        // SurveyMonkey and Google Forms.
        Just("Respondent ID".to_string()),
        Just("Timestamp".to_string()),
        Just("Which group are you in?".to_string()),
        Just("Response".to_string()),
        Just("Other (please specify)".to_string()),
        Just("Rank [A]".to_string()),
        Just("Rank [B]".to_string()),
        // Microsoft Forms.
        Just("ID".to_string()),
        Just("Start time".to_string()),
        Just("A;B;".to_string()),
        Just("B;A;A;".to_string()),
        Just(";".to_string()),
        // Qualtrics.
        Just("StartDate".to_string()),
        Just("ResponseId".to_string()),
        Just("Status".to_string()),
        Just("Survey Preview".to_string()),
        Just("{\"ImportId\":\"QID1\"}".to_string()),
        Just("{\"ImportId\":\"QID2_1\"}".to_string()),
        Just("{\"ImportId\":\"QID2_4_TEXT\"}".to_string()),
        Just("{\"ImportId\":\"_recordId\"}".to_string()),
        Just("Rank - A".to_string()),
        Just("Group? - Selected Choice".to_string()),
        // LimeSurvey.
        Just("id".to_string()),
        Just("Q2[1]".to_string()),
        Just("Q2[2]".to_string()),
        Just("Rank [Rank 1]".to_string()),
        Just("-oth-".to_string()),
        Just("AO01".to_string()),
        // Choices: ticks, joined multi-selects, old SurveyMonkey and legacy Qualtrics.
        Just("RespondentID".to_string()),
        Just("Y".to_string()),
        Just("TRUE".to_string()),
        Just("A, B".to_string()),
        Just("A,B".to_string()),
        Just("Select all that apply".to_string()),
        Just("{'ImportId': 'QID3-1'}".to_string()),
        Just("{\"ImportId\":\"QID20\",\"choiceId\":\"1\"}".to_string()),
        Just("Finished".to_string()),
        Just("submitdate".to_string()),
        Just("Strongly agree".to_string()),
        // Answers.
        Just("N/A".to_string()),
        Just("1st".to_string()),
        Just("Very important".to_string()),
        Just("=1+1".to_string()),
        "[0-9]{1,3}",
        "[ -~\n\"]{0,12}",
    ]
}

fn grid() -> impl Strategy<Value = Vec<Vec<String>>> {
    proptest::collection::vec(proptest::collection::vec(cell(), 0..7), 0..7)
}

fn csv_of(rows: &[Vec<String>], separator: &str) -> String {
    rows.iter()
        .map(|row| {
            row.iter()
                .map(|cell| format!("\"{}\"", cell.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(separator)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Imports `input` as every tool with several options, checking that whatever imports reads
/// back, and imports every question the table lists.
fn check_every_tool(input: &[u8], source_name: &str) -> Result<(), TestCaseError> {
    let exercise = crate::exercise();
    for tool in Tool::ALL {
        for options in [
            Options::default(),
            Options {
                exercise: Some(&exercise),
                ..Options::default()
            },
            Options {
                group_column: Some("rank"),
                question: Some("rank"),
                ..Options::default()
            },
        ] {
            if let Ok(imported) = import(tool, input, source_name, options)
                && !imported.answers.is_empty()
            {
                let written = imported.write(Vec::new()).unwrap();
                prop_assert!(
                    survey::responses::read_responses(written.as_slice(), "x.csv", None).is_ok(),
                    "{}",
                    String::from_utf8_lossy(&written)
                );
            }
        }
        if let Ok(table) = read_table(tool, input, source_name) {
            for complete_only in [false, true] {
                let options = Options {
                    complete_only,
                    ..Options::default()
                };
                if let Ok(listing) = list(&table, options) {
                    prop_assert!(
                        listing
                            .questions
                            .iter()
                            .filter(|question| question.is_group)
                            .count()
                            <= 1
                    );
                    prop_assert!(listing.incomplete <= listing.responses);
                }
                let _ = convert(&table, options);
            }
        }
        if let Ok(table) = read_table(tool, input, source_name)
            && let Ok(questions) = answer_questions(&table, Options::default())
        {
            for question in &questions {
                let imported = convert(
                    &table,
                    Options {
                        question: Some(question),
                        ..Options::default()
                    },
                );
                // Every listed question can be chosen; its cells may still be unreadable.
                prop_assert!(
                    !matches!(imported, Err(import::ImportError::Layout { .. })),
                    "{question}: {:?}",
                    imported.err()
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        for tool in Tool::ALL {
            for name in ["fuzz.csv", "fuzz.xlsx"] {
                if let Ok(imported) = import(tool, &bytes, name, Options::default()) {
                    imported.write(Vec::new()).unwrap();
                }
            }
        }
    }

    #[test]
    fn arbitrary_bytes_after_a_zip_signature_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend(bytes);
        for tool in Tool::ALL {
            let _ = import(tool, &zip, "fuzz", Options::default());
        }
    }

    #[test]
    fn csv_ish_text_never_panics_and_what_imports_reads_back(
        rows in grid(),
        separator in prop::sample::select(vec![",", ";", "\t"]),
    ) {
        let text = csv_of(&rows, separator);
        check_every_tool(text.as_bytes(), "fuzz.csv")?;
    }
}

proptest! {
    // Writing a workbook takes longer than writing CSV, so fewer cases.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn workbooks_of_csv_ish_grids_never_panic_and_what_imports_reads_back(rows in grid()) {
        let workbook = crate::xlsx::workbook("Sheet1", &rows, &[]);
        check_every_tool(&workbook, "fuzz.xlsx")?;
    }
}

proptest! {
    /// Splitting a joined multi-select cell loses and invents nothing: the pieces chosen,
    /// joined back, are the cell's non-blank segments in order (when no option repeats).
    #[test]
    fn joined_choices_split_into_the_cell_s_own_segments(
        cells in proptest::collection::vec(
            proptest::collection::vec(
                prop::sample::select(vec!["Alpha", "beta gamma", "Delta", "ok, fine", "9 lives", ""]),
                0..5,
            ),
            1..6,
        ),
        separator in prop::sample::select(vec![", ", ",", ";"]),
    ) {
        let texts: Vec<String> = cells.iter().map(|parts| parts.join(separator)).collect();
        let borrowed: Vec<&str> = texts.iter().map(String::as_str).collect();
        let result = split_joined(&borrowed, separator, &[]);
        prop_assert_eq!(result.chosen.len(), texts.len());
        for (text, chosen) in texts.iter().zip(&result.chosen) {
            let segments: Vec<&str> = text
                .split(separator)
                .map(str::trim)
                .filter(|segment| !segment.is_empty())
                .collect();
            let pieces: Vec<&str> = chosen.iter().map(|&index| result.options[index].as_str()).collect();
            prop_assert!(pieces.iter().all(|piece| !piece.is_empty()));
            let mut distinct = segments.clone();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() == segments.len() {
                prop_assert_eq!(pieces.join(separator), segments.join(separator));
            }
        }
    }
}
