//! Exports read alike whatever their encoding and line endings: real exports (SurveyMonkey's in
//! Windows-1252, Qualtrics' whose records end `\r\r\n`, Google Forms' with LF inside the cells
//! of a CR LF file and no final newline) and minimal reproductions of each, made here from
//! strings.

use import::{
    ImportError, Options, ReadOptions, Table, Tool, convert, read_table, read_table_with,
};

/// The bytes of a real export in `../shared/real-exports/`.
fn real_export(path: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../../shared/real-exports/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

#[test]
fn the_windows_1252_surveymonkey_export_decodes() {
    let bytes = real_export("surveymonkey/StarWars.csv");
    let decoded = import::decode::decode(&bytes, "StarWars.csv", None).unwrap();
    assert_eq!(decoded.encoding, "windows-1252");
    assert_eq!(decoded.note.as_deref(), Some(DETECTED_1252));
    // Bytes 0x8C 0xE6 after the question mark (offsets 641 and 642 of the first line) are
    // `Œæ` in Windows-1252, in the header of the file's 32nd column.
    let header = decoded.text.lines().next().unwrap();
    assert!(
        header.contains(
            ",Do you consider yourself to be a fan of the Expanded Universe?Œæ,Do you consider yourself to be a fan of the Star Trek franchise?,"
        ),
        "{header}"
    );
    // python3: csv.reader(open(path, encoding="cp1252", newline="")) gives 1,188 records,
    // one a line (the file has 1,187 LFs, no CR and no final newline).
    assert_eq!(decoded.text.lines().count(), 1188);
}

#[test]
fn the_windows_1252_surveymonkey_export_gets_past_its_encoding() {
    // Before, the file was refused as "not UTF-8 text" at line 1. Now it is read, and what
    // stops it is its old layout (`RespondentID`, issue 15 part 3), which names the header
    // as decoded.
    let error = read_table(
        Tool::SurveyMonkey,
        &real_export("surveymonkey/StarWars.csv"),
        "StarWars.csv",
    );
    match error {
        Ok(table) => {
            assert!(
                table.columns.iter().any(|column| column.question
                    == "Do you consider yourself to be a fan of the Expanded Universe?Œæ"),
                "{:?}",
                table.columns
            );
            assert_eq!(table.notes[0], DETECTED_1252);
        }
        Err(ImportError::Layout { found, .. }) => {
            assert!(found.contains("`RespondentID`"), "{found}");
        }
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn the_same_export_given_as_utf_8_is_refused_at_its_first_bad_byte() {
    let error = read_table_with(
        Tool::SurveyMonkey,
        &real_export("surveymonkey/StarWars.csv"),
        "StarWars.csv",
        &ReadOptions {
            encoding: Some("utf-8"),
        },
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "StarWars.csv:1: byte offset 641: 0x8C is not UTF-8 text"
    );
}

#[test]
fn the_qualtrics_export_whose_records_end_cr_cr_lf_has_no_blank_rows() {
    let table = read_table(
        Tool::Qualtrics,
        &real_export("qualtrics/UCB Main Survey_June 19, 2019_15.47.csv"),
        "UCB.csv",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    // Counted with python3: csv.reader(newline="") gives 550 records that are not blank,
    // three of them header rows. Lines as a text editor counts them (each CR LF, lone CR and
    // lone LF ends one: `re.findall(r"\r\n|\r|\n", text[:start])`) where the records with
    // ResponseId R_xA58gXXjXE5t4vD, R_T1qHpCfq74QzG9z and R_2uyeP8KGmugp7jK start.
    assert_eq!(table.rows.len(), 547);
    // ResponseId is the file's ninth column.
    let first_last = [&table.rows[0], &table.rows[1], &table.rows[546]]
        .map(|row| (row.line, row.cells[8].clone()));
    assert_eq!(
        first_last,
        [
            (16, "R_xA58gXXjXE5t4vD".to_string()),
            (18, "R_T1qHpCfq74QzG9z".to_string()),
            (1167, "R_2uyeP8KGmugp7jK".to_string()),
        ]
    );
    assert!(
        table
            .rows
            .iter()
            .all(|row| row.cells.iter().all(|cell| !cell.contains('\r'))),
        "line breaks inside cells are LF"
    );
}

#[test]
fn the_google_forms_download_without_a_final_newline_reads_every_row() {
    let table = read_table(
        Tool::GoogleForms,
        &real_export("google-forms/rse_group_survey_2023_responses.csv"),
        "rse.csv",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    // python3: 37 records (one header row), the LF inside quoted cells not ending any; the
    // records start on lines 2, 3 and 50 as an editor counts lines.
    assert_eq!(table.rows.len(), 36);
    assert_eq!(
        [table.rows[0].line, table.rows[1].line, table.rows[35].line],
        [2, 3, 50]
    );
    assert!(table.rows[0].cells[2].starts_with("Diego Alonso Álv"));
    assert!(table.notes.is_empty(), "{:?}", table.notes);
}

/// A Google Forms download with a multi-line cell and a bad rank (`x`) in its last row, in
/// plain UTF-8 with LF line ends.
const PLAIN: &str = "Timestamp,Which group are you in?,Rank these [Café crème],Rank these [It’s late],Rank these [Übergänge]\n\
2024/01/01 10:00,Parents,1,2,3\n\
2024/01/01 10:05,\"Young people\nin care\",2,1,3\n\
2024/01/01 10:07,Practitioners,x,1,2\n";

/// [`PLAIN`] with characters Latin-1 has (no `’`).
fn plain_latin_1() -> String {
    PLAIN.replace('’', "'")
}

/// `text` with its record ends made `record_end` and the line break inside its quoted cell
/// `cell_break`.
fn with_line_ends(text: &str, record_end: &str, cell_break: &str) -> String {
    text.replace("people\nin", "people\u{0}in")
        .replace('\n', record_end)
        .replace('\u{0}', cell_break)
}

fn utf_16(text: &str, big_endian: bool, byte_order_mark: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    let units = byte_order_mark
        .then_some(0xFEFF)
        .into_iter()
        .chain(text.encode_utf16());
    for unit in units {
        if big_endian {
            bytes.extend(unit.to_be_bytes());
        } else {
            bytes.extend(unit.to_le_bytes());
        }
    }
    bytes
}

/// Tab-separated, as Excel's "Unicode text" is.
fn tab_separated(text: &str) -> String {
    text.replace(',', "\t")
}

/// The table of `input` as Google Forms, read with `encoding`.
fn table_of(input: &[u8], encoding: Option<&str>) -> Table {
    read_table_with(
        Tool::GoogleForms,
        input,
        "export.csv",
        &ReadOptions { encoding },
    )
    .unwrap_or_else(|error| panic!("{error}"))
}

/// The line the import's error names.
fn bad_cell_line(table: &Table) -> u64 {
    let options = Options {
        group_column: Some("group"),
        question: Some("Rank these"),
        ..Options::default()
    };
    match convert(table, options) {
        Err(ImportError::Cell { line, column, .. }) => {
            assert_eq!(column, "Rank these [Café crème]");
            line
        }
        other => panic!("expected an error in the `x` cell, got {other:?}"),
    }
}

/// Checks that `input` reads into the same table as `plain` in UTF-8 with LF line ends,
/// its rows starting on `lines`, with `notes`, and that the bad cell's error names the last
/// row's line.
fn check(
    name: &str,
    plain: &str,
    input: &[u8],
    encoding: Option<&str>,
    lines: [u64; 3],
    notes: &[&str],
) {
    let expected = table_of(plain.as_bytes(), None);
    assert_eq!(
        expected.rows.iter().map(|row| row.line).collect::<Vec<_>>(),
        [2, 3, 5]
    );
    let table = table_of(input, encoding);
    assert_eq!(table.columns, expected.columns, "{name}");
    assert_eq!(table.metadata, expected.metadata, "{name}");
    assert_eq!(table.respondents, expected.respondents, "{name}");
    let cells = |table: &Table| {
        table
            .rows
            .iter()
            .map(|row| row.cells.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(cells(&table), cells(&expected), "{name}");
    assert_eq!(
        table.rows.iter().map(|row| row.line).collect::<Vec<_>>(),
        lines,
        "{name}"
    );
    assert_eq!(table.notes, notes, "{name}");
    assert_eq!(bad_cell_line(&table), lines[2], "{name}");
}

const DETECTED_1252: &str =
    "read as Windows-1252 (detected); if letters look wrong, give --encoding";
const TABS: &str = "read as tab-separated text: its header line has tabs and no `,`";

/// A name, the plain text to read alike, the bytes, the encoding given and the notes.
type Case = (
    &'static str,
    String,
    Vec<u8>,
    Option<&'static str>,
    Vec<&'static str>,
);

#[test]
fn every_encoding_reads_into_the_same_table() {
    let windows_1252 = encoding_rs::WINDOWS_1252.encode(PLAIN).0.into_owned();
    assert!(windows_1252.contains(&0x92) && windows_1252.contains(&0xE9));
    let latin_1: Vec<u8> = plain_latin_1()
        .chars()
        .map(|character| u8::try_from(u32::from(character)).unwrap())
        .collect();
    let utf_8_with_bom = [b"\xEF\xBB\xBF".as_slice(), PLAIN.as_bytes()].concat();
    let cases: Vec<Case> = vec![
        (
            "UTF-8",
            PLAIN.into(),
            PLAIN.as_bytes().to_vec(),
            None,
            vec![],
        ),
        (
            "UTF-8 with a byte order mark",
            PLAIN.into(),
            utf_8_with_bom,
            None,
            vec![],
        ),
        (
            "UTF-16LE with a byte order mark and tabs",
            PLAIN.into(),
            utf_16(&tab_separated(PLAIN), false, true),
            None,
            vec![
                "read as UTF-16LE (byte order mark); if letters look wrong, give --encoding",
                TABS,
            ],
        ),
        (
            "UTF-16BE with a byte order mark",
            PLAIN.into(),
            utf_16(PLAIN, true, true),
            None,
            vec!["read as UTF-16BE (byte order mark); if letters look wrong, give --encoding"],
        ),
        (
            "UTF-16BE without one",
            PLAIN.into(),
            utf_16(PLAIN, true, false),
            None,
            vec![
                "read as UTF-16BE (detected by its zero bytes; the file has no byte order mark); if letters look wrong, give --encoding",
            ],
        ),
        (
            "UTF-16LE given, tabs",
            PLAIN.into(),
            utf_16(&tab_separated(PLAIN), false, false),
            Some("utf-16le"),
            vec!["read as UTF-16LE (--encoding utf-16le)", TABS],
        ),
        (
            "Windows-1252",
            PLAIN.into(),
            windows_1252.clone(),
            None,
            vec![DETECTED_1252],
        ),
        (
            "Windows-1252 given",
            PLAIN.into(),
            windows_1252,
            Some("windows-1252"),
            vec!["read as Windows-1252 (--encoding windows-1252)"],
        ),
        (
            "Latin-1",
            plain_latin_1(),
            latin_1.clone(),
            None,
            vec![DETECTED_1252],
        ),
        (
            "Latin-1 given",
            plain_latin_1(),
            latin_1,
            Some("latin1"),
            vec!["read as Windows-1252 (--encoding latin1)"],
        ),
    ];
    for (name, plain, input, encoding, notes) in cases {
        check(name, &plain, &input, encoding, [2, 3, 5], &notes);
    }
}

#[test]
fn every_line_ending_reads_into_the_same_table_with_the_lines_an_editor_shows() {
    let cases = [
        ("CR only", with_line_ends(PLAIN, "\r", "\r"), [2, 3, 5]),
        ("CR LF", with_line_ends(PLAIN, "\r\n", "\r\n"), [2, 3, 5]),
        (
            "LF inside quoted cells of a CR LF file",
            with_line_ends(PLAIN, "\r\n", "\n"),
            [2, 3, 5],
        ),
        // An editor shows CR, then CR LF: a blank line after every record.
        (
            "CR CR LF",
            with_line_ends(PLAIN, "\r\r\n", "\r\n"),
            [3, 5, 8],
        ),
        (
            "no newline after the last record",
            PLAIN.trim_end_matches('\n').to_string(),
            [2, 3, 5],
        ),
        (
            "blank lines before and between records",
            format!(
                "\n\n{}",
                PLAIN.replace("Parents,1,2,3\n", "Parents,1,2,3\n\n")
            ),
            [4, 6, 8],
        ),
    ];
    for (name, text, lines) in cases {
        check(name, PLAIN, text.as_bytes(), None, lines, &[]);
    }
    // Line ends and encoding together: Excel's "Unicode text" from a Mac.
    check(
        "UTF-16LE, tabs and CR only",
        PLAIN,
        &utf_16(
            &with_line_ends(&tab_separated(PLAIN), "\r", "\r"),
            false,
            true,
        ),
        None,
        [2, 3, 5],
        &[
            "read as UTF-16LE (byte order mark); if letters look wrong, give --encoding",
            TABS,
        ],
    );
}

#[test]
fn tabs_inside_cells_of_a_comma_separated_file_are_kept() {
    let text = "Timestamp,Which group are you in?,Rank these [A\tB]\n2024,Parents,1\n";
    let table = table_of(text.as_bytes(), None);
    assert_eq!(table.columns[2].question, "Rank these");
    assert_eq!(table.columns[2].option.as_deref(), Some("A\tB"));
    assert!(table.notes.is_empty());
}

#[test]
fn bytes_not_in_the_encoding_given_name_their_line_and_offset() {
    let text = with_line_ends(PLAIN, "\r", "\r");
    let bytes = encoding_rs::WINDOWS_1252.encode(&text).0.into_owned();
    let offset = bytes.iter().position(|byte| *byte == 0xE9).unwrap();
    let error = read_table_with(
        Tool::GoogleForms,
        &bytes,
        "export.csv",
        &ReadOptions {
            encoding: Some("utf-8"),
        },
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("export.csv:1: byte offset {offset}: 0xE9 is not UTF-8 text")
    );
    // On a later line, after CR-only line ends and a blank line.
    let bytes = b"Timestamp,Group\r2024,A\r\r2024,Caf\xE9\r";
    let error = read_table_with(
        Tool::GoogleForms,
        bytes,
        "export.csv",
        &ReadOptions {
            encoding: Some("utf-8"),
        },
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "export.csv:4: byte offset 32: 0xE9 is not UTF-8 text"
    );
}

#[test]
fn an_unknown_encoding_is_refused_before_reading() {
    for (input, name) in [
        (PLAIN.as_bytes(), "export.csv"),
        (b"PK\x03\x04".as_slice(), "x.xlsx"),
    ] {
        let error = read_table_with(
            Tool::GoogleForms,
            input,
            name,
            &ReadOptions {
                encoding: Some("latin-9000"),
            },
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown encoding `latin-9000`: expected a label such as utf-8, windows-1252, latin1, utf-16le, utf-16be, shift_jis"
        );
    }
}
