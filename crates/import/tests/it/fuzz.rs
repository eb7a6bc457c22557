//! No input makes an importer panic: arbitrary bytes, CSV-ish grids of cells that look like
//! what each tool writes (so that fuzzing reaches the layout and mapping code), the same grids
//! as XLSX workbooks, and the same grids in every encoding and with every line ending. Whatever
//! imports must read back as the exchange format; text decodes back to itself; a grid reads
//! into the same table in every encoding and line ending.

use import::choices::split_joined;
use import::decode::decode;
use import::{
    Options, ReadOptions, Table, Tool, answer_questions, convert, import, list, read_table,
    read_table_with,
};
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
        // Letters that are not ASCII, all in Windows-1252.
        Just("Café crème".to_string()),
        Just("It’s".to_string()),
        Just("Œæ – €".to_string()),
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

/// The ways an export's text is written as bytes: a name, the label that reads it back (for
/// the forms a reader must be told), and the bytes.
fn encoding_forms(text: &str) -> Vec<(&'static str, Option<&'static str>, Vec<u8>)> {
    let utf_16 = |big_endian: bool, byte_order_mark: bool| -> Vec<u8> {
        byte_order_mark
            .then_some(0xFEFF)
            .into_iter()
            .chain(text.encode_utf16())
            .flat_map(|unit| {
                if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                }
            })
            .collect()
    };
    vec![
        ("UTF-8", None, text.as_bytes().to_vec()),
        (
            "UTF-8 with a byte order mark",
            None,
            [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        ),
        ("UTF-16LE with a byte order mark", None, utf_16(false, true)),
        ("UTF-16BE with a byte order mark", None, utf_16(true, true)),
        ("UTF-16LE given", Some("utf-16le"), utf_16(false, false)),
        ("UTF-16BE given", Some("utf-16be"), utf_16(true, false)),
        (
            "Windows-1252 given",
            Some("windows-1252"),
            encoding_rs::WINDOWS_1252.encode(text).0.into_owned(),
        ),
    ]
}

/// A table without the notes that say how its bytes were read.
fn without_reading_notes(mut table: Table) -> Table {
    table
        .notes
        .retain(|note| !note.starts_with("read as ") && !note.starts_with("--encoding "));
    table
}

/// Bytes that stress the decoder and the line splitting: zero bytes (UTF-16), CRs, quotes,
/// separators and bytes that are not UTF-8, among any others.
fn awkward_bytes() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        any::<u8>(),
        prop::sample::select(vec![
            0u8, b'\r', b'\n', b'"', b',', b';', b'\t', b'a', 0xE9, 0x92, 0x8C, 0x81, 0xFF, 0xFE,
            0xEF, 0xBB, 0xBF, 0xC3, 0xD8, 0xDC,
        ]),
    ];
    let prefix = prop::sample::select(vec![
        &b""[..],
        b"\xEF\xBB\xBF",
        b"\xFF\xFE",
        b"\xFE\xFF",
        b"T\x00i\x00",
        b"\x00T\x00i",
    ]);
    (prefix, proptest::collection::vec(byte, 0..512)).prop_map(|(prefix, bytes)| {
        let mut all = prefix.to_vec();
        all.extend(bytes);
        all
    })
}

/// Text in Windows-1252's repertoire (no C1 controls), with line ends and separators.
fn windows_1252_text() -> impl Strategy<Value = String> {
    let character = prop_oneof![
        3 => prop::char::range(' ', '~'),
        1 => prop::sample::select(vec![
            '\r', '\n', '\t', 'é', 'è', 'ü', 'ñ', 'ø', 'Œ', 'æ', '’', '“', '”', '–', '€', '£',
            '°', 'µ', 'ÿ',
        ]),
    ];
    proptest::collection::vec(character, 0..200)
        .prop_map(|characters| characters.into_iter().collect())
}

const LABELS: [Option<&str>; 7] = [
    None,
    Some("utf-8"),
    Some("windows-1252"),
    Some("utf-16le"),
    Some("utf-16be"),
    Some("shift_jis"),
    Some("no-such-encoding"),
];

proptest! {
    #[test]
    fn awkward_bytes_in_any_encoding_never_panic(
        bytes in awkward_bytes(),
        label in prop::sample::select(LABELS.to_vec()),
    ) {
        let _ = decode(&bytes, "fuzz.csv", label);
        for tool in Tool::ALL {
            let read = read_table_with(tool, &bytes, "fuzz.csv", &ReadOptions { encoding: label });
            if let Ok(table) = read {
                let _ = convert(&table, Options::default());
            }
        }
    }

    #[test]
    fn text_decodes_back_to_itself(text in windows_1252_text(), text_16 in ".{0,100}") {
        // Every Unicode text, in UTF-8 and UTF-16 with a byte order mark (detected), and in
        // UTF-16 without one when the label says which. It begins with a letter, since text
        // that begins with U+FEFF (or whose bytes do) is read as having a byte order mark, and
        // holds no NUL, since UTF-8 with zero bytes is read as UTF-16 (no export has them).
        let text_16 = format!("x{}", text_16.replace('\0', ""));
        for (name, label, bytes) in encoding_forms(&text_16) {
            if name.starts_with("Windows-1252") {
                continue;
            }
            let decoded = decode(&bytes, "fuzz.csv", label).unwrap();
            prop_assert_eq!(decoded.text.as_ref(), text_16.as_str(), "{}", name);
        }
        // Windows-1252 text, given or detected: detected when it is not valid UTF-8 (which
        // decides first) and has too few letters outside ASCII for another guess.
        let bytes = encoding_rs::WINDOWS_1252.encode(&text).0.into_owned();
        let given = decode(&bytes, "fuzz.csv", Some("windows-1252")).unwrap();
        prop_assert_eq!(given.text.as_ref(), text.as_str());
        let non_ascii = bytes.iter().filter(|byte| !byte.is_ascii()).count();
        if std::str::from_utf8(&bytes).is_err() && non_ascii < 16 {
            let detected = decode(&bytes, "fuzz.csv", None).unwrap();
            prop_assert_eq!(detected.text.as_ref(), text.as_str());
            prop_assert_eq!(detected.encoding, "windows-1252");
        }
    }
}

proptest! {
    // Every grid is read in seven encodings, three line endings and five tools.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_grid_reads_alike_in_every_encoding_and_line_ending(
        rows in grid(),
        separator in prop::sample::select(vec![",", ";", "\t"]),
        line_end in prop::sample::select(vec!["\n", "\r\n", "\r"]),
        final_line_end in any::<bool>(),
    ) {
        let plain = csv_of(&rows, separator);
        let mut text = plain.replace('\n', line_end);
        if final_line_end {
            text.push_str(line_end);
        }
        for tool in Tool::ALL {
            let expected = read_table(tool, plain.as_bytes(), "fuzz.csv").map(without_reading_notes);
            for (name, label, bytes) in encoding_forms(&text) {
                let read = read_table_with(tool, &bytes, "fuzz.csv", &ReadOptions { encoding: label })
                    .map(without_reading_notes);
                let same = match (&read, &expected) {
                    (Ok(table), Ok(expected)) => table == expected,
                    (Err(error), Err(expected)) => error == expected,
                    _ => false,
                };
                prop_assert!(same, "{tool} {name} {line_end:?}: {read:?}\nexpected {expected:?}");
            }
        }
        // The same grid with `\r\r\n` line ends reads without panicking, whatever it holds.
        let doubled = plain.replace('\n', "\r\r\n");
        for tool in Tool::ALL {
            if let Ok(table) = read_table(tool, doubled.as_bytes(), "fuzz.csv") {
                prop_assert!(table.rows.iter().all(|row| row.cells.iter().all(|cell| !cell.contains('\r'))));
            }
        }
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
