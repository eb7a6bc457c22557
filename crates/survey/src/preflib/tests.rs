use std::fmt::Write as _;
use std::io::{BufReader, Read};
use std::path::Path;

use proptest::prelude::*;

use super::*;
use crate::responses::Answers;

const QUESTIONS_SOC: &str = include_str!("../../tests/fixtures/preflib/questions.soc");
const QUESTIONS_SOI: &str = include_str!("../../tests/fixtures/preflib/questions.soi");
const QUESTIONS_TOC: &str = include_str!("../../tests/fixtures/preflib/questions.toc");
const QUESTIONS_TOI: &str = include_str!("../../tests/fixtures/preflib/questions.toi");
/// The header of PrefLib's sushi file 00014-00000001.soc, with its first six orders.
const SUSHI_SOC: &str = include_str!("../../tests/fixtures/preflib/00014-00000001.soc");
/// The header of PrefLib's sushi file 00014-00000003.toi (100 alternatives, names with braces
/// and colons cut short), with its first five orders.
const SUSHI_TOI: &str = include_str!("../../tests/fixtures/preflib/00014-00000003.toi");

const QUESTIONS_ITEMS: &str = r#"items: 1 "Early diagnosis", 2 "Self-management", 3 "Cause: genetics or environment?", 4 "Long-term side effects""#;

/// Renders an outcome compactly: the type, the items, then one line per respondent with its
/// group, its count and its answers as `item@rank`, then the notes.
fn render(outcome: &PreflibOutcome) -> String {
    let responses = &outcome.responses;
    let mut text = format!("{}\n", outcome.data_type);
    let items: Vec<String> = responses
        .items
        .iter()
        .map(|item| match &item.label {
            Some(label) => format!("{} {label:?}", item.id),
            None => item.id.clone(),
        })
        .collect();
    writeln!(text, "items: {}", items.join(", ")).unwrap();
    let Answers::Ranking(entries) = &responses.answers else {
        panic!("PrefLib files are read as ranking answers");
    };
    for (index, respondent) in responses.respondents.iter().enumerate() {
        let answers: Vec<String> = entries[responses.range(index)]
            .iter()
            .map(|entry| format!("{}@{}", responses.items[entry.item as usize].id, entry.rank))
            .collect();
        writeln!(
            text,
            "{} {} x{}: {}",
            respondent.id,
            responses.groups[respondent.group as usize],
            respondent.count,
            answers.join(" ")
        )
        .unwrap();
    }
    for note in &outcome.notes {
        writeln!(text, "note: {note}").unwrap();
    }
    text
}

/// Lines without their indentation and without blank lines, for comparing rendered text.
fn lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
}

fn read(input: &str, source_name: &str) -> Result<PreflibOutcome, PreflibError> {
    read_preflib(
        input.as_bytes(),
        source_name,
        DataType::from_path(Path::new(source_name)),
    )
}

/// Reads `input` as the file `source_name` (whose extension gives the type) and compares the
/// rendered outcome with `expected`.
#[track_caller]
fn check(input: &str, source_name: &str, expected: &str) {
    let outcome = read(input, source_name).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(lines(&render(&outcome)), lines(expected));
}

/// Reads `input` as the file `source_name` and compares the error message with `expected`.
#[track_caller]
fn check_error(input: &str, source_name: &str, expected: &str) {
    match read(input, source_name) {
        Ok(outcome) => panic!("expected `{expected}`, but read:\n{}", render(&outcome)),
        Err(error) => assert_eq!(error.to_string(), expected),
    }
}

#[test]
fn reads_strict_complete_orders() {
    check(
        QUESTIONS_SOC,
        "questions.soc",
        &format!(
            "soc
            {QUESTIONS_ITEMS}
            o1 all x7: 1@1 2@2 3@3 4@4
            o2 all x3: 2@1 1@2 4@3 3@4
            o3 all x2: 4@1 3@2 2@3 1@4"
        ),
    );
}

#[test]
fn reads_strict_incomplete_orders_leaving_unlisted_alternatives_unranked() {
    check(
        QUESTIONS_SOI,
        "questions.soi",
        &format!(
            "soi
            {QUESTIONS_ITEMS}
            o1 all x5: 1@1 2@2 3@3 4@4
            o2 all x2: 3@1 1@2
            o3 all x1: 2@1
            o4 all x1: 4@1 2@2 1@3"
        ),
    );
}

#[test]
fn reads_complete_orders_with_ties_as_competition_ranks() {
    check(
        QUESTIONS_TOC,
        "questions.toc",
        &format!(
            "toc
            {QUESTIONS_ITEMS}
            o1 all x6: 1@1 2@2 3@2 4@4
            o2 all x3: 1@1 2@1 3@1 4@1
            o3 all x2: 4@1 3@2 2@3 1@4"
        ),
    );
}

#[test]
fn reads_incomplete_orders_with_ties() {
    check(
        QUESTIONS_TOI,
        "questions.toi",
        &format!(
            "toi
            {QUESTIONS_ITEMS}
            o1 all x4: 2@1 1@2 4@2
            o2 all x3: 3@1 4@1 1@3 2@4
            o3 all x2: 1@1
            o4 all x1: 1@1 2@1 3@1"
        ),
    );
}

#[test]
fn keeps_the_header_metadata() {
    let outcome = read(QUESTIONS_TOI, "questions.toi").unwrap();
    assert_eq!(
        outcome.header,
        PreflibHeader {
            file_name: Some("questions.toi".to_string()),
            title: Some("Research questions (hand-made example)".to_string()),
            description: None,
            data_type: Some(DataType::Toi),
            modification_type: Some("synthetic".to_string()),
            relates_to: None,
            related_files: Some("questions.soc, questions.soi, questions.toc".to_string()),
            publication_date: Some("2025-01-15".to_string()),
            modification_date: Some("2025-02-01".to_string()),
            alternative_count: 4,
            voter_count: Some(10),
            unique_order_count: Some(4),
            other: Vec::new(),
        }
    );
    assert_eq!(outcome.responses.groups, vec![GROUP.to_string()]);
    assert_eq!(
        outcome.responses.kind(),
        crate::responses::ResponseKind::Ranking
    );
    assert_eq!(outcome.responses.ballot_count(), 10);
    assert!(outcome.notes.is_empty(), "{:?}", outcome.notes);
}

#[test]
fn reads_the_published_sushi_header() {
    // The verbatim header declares all 5000 voters of the published file, and the fixture
    // holds only its first six orders: the whole header must be read for this message.
    check_error(
        SUSHI_SOC,
        "00014-00000001.soc",
        "00014-00000001.soc:11: `# NUMBER VOTERS` says 5000, but the counts of the orders add up to 18",
    );
    let sample = SUSHI_SOC
        .replace("# NUMBER VOTERS: 5000", "# NUMBER VOTERS: 18")
        .replace("# NUMBER UNIQUE ORDERS: 4926", "# NUMBER UNIQUE ORDERS: 6");
    let outcome = read(&sample, "00014-00000001.soc").unwrap();
    assert_eq!(outcome.header.title.as_deref(), Some("Sushi 10 Rank"));
    assert_eq!(
        outcome.header.file_name.as_deref(),
        Some("00014-00000001.soc")
    );
    assert_eq!(
        outcome.header.modification_type.as_deref(),
        Some("original")
    );
    assert_eq!(
        outcome.header.publication_date.as_deref(),
        Some("2014-07-09")
    );
    assert_eq!(outcome.header.alternative_count, 10);
    assert_eq!(outcome.data_type, DataType::Soc);
    assert!(outcome.notes.is_empty(), "{:?}", outcome.notes);
    let responses = &outcome.responses;
    assert_eq!(responses.items.len(), 10);
    assert_eq!(responses.items[0].label_or_id(), "ebi (shrimp)");
    assert_eq!(
        responses.items[9].label_or_id(),
        "kappa-maki (cucumber roll)"
    );
    assert_eq!(responses.respondents.len(), 6);
    assert_eq!(responses.ballot_count(), 18);
    let rendered = render(&outcome);
    assert!(
        rendered.contains("o1 all x3: 7@1 4@2 5@3 1@4 10@5 2@6 8@7 3@8 9@9 6@10"),
        "{rendered}"
    );
    assert!(
        rendered.contains("o6 all x3: 7@1 2@2 5@3 4@4 8@5 1@6 10@7 3@8 9@9 6@10"),
        "{rendered}"
    );

    let out_of_range = sample.replace("3: 7,4,5,1,10,2,8,3,9,6", "3: 7,4,5,1,11,2,8,3,9,6");
    check_error(
        &out_of_range,
        "00014-00000001.soc",
        "00014-00000001.soc:23: alternative 11 is out of range (the file declares 10 alternatives)",
    );
}

#[test]
fn reads_the_published_sushi_header_with_ties_and_odd_names() {
    let sample = SUSHI_TOI
        .replace("# NUMBER VOTERS: 5000", "# NUMBER VOTERS: 5")
        .replace("# NUMBER UNIQUE ORDERS: 5000", "# NUMBER UNIQUE ORDERS: 5");
    let outcome = read(&sample, "00014-00000003.toi").unwrap();
    assert!(outcome.notes.is_empty(), "{:?}", outcome.notes);
    let items = &outcome.responses.items;
    assert_eq!(items.len(), 100);
    // Braces and parentheses in names belong to the names; a name is cut at nothing.
    assert_eq!(
        items[43].label_or_id(),
        "inari-zushi (fried tofu wrapper; http"
    );
    assert_eq!(items[77].label_or_id(), "himo {part of clam}");
    assert_eq!(items[68].label_or_id(), "hira-gai(=tairagi) (pen shell)");
    assert_eq!(items[99].label_or_id(), "kaki (oyster)");
    let rendered = render(&outcome);
    assert!(
        rendered.contains("o1 all x1: 3@1 7@1 42@1 44@4 29@5 53@5 41@7 5@8 18@8 69@8"),
        "{rendered}"
    );
    assert!(
        rendered.contains("o2 all x1: 1@1 19@2 24@2 10@4 32@4 3@6 9@6 14@6 33@6 50@10"),
        "{rendered}"
    );
}

#[test]
fn one_respondent_per_order_line_however_many_voters() {
    let outcome = read(
        "# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 4294967296\n# NUMBER UNIQUE ORDERS: 2\n4294967295: 3,1,2\n1: 2\n",
        "big.soi",
    )
    .unwrap();
    assert_eq!(outcome.responses.respondents.len(), 2);
    assert_eq!(outcome.responses.respondents[0].count, u32::MAX);
    assert_eq!(outcome.responses.ballot_count(), 4_294_967_296);
    let Answers::Ranking(entries) = &outcome.responses.answers else {
        panic!("ranking answers");
    };
    assert_eq!(entries.len(), 4);
}

#[test]
fn accepts_the_usual_variations_of_layout() {
    // A byte order mark, CRLF line ends, blank lines, keys in another case and with extra
    // spaces, whitespace anywhere in orders, and one-member braces.
    let input = "\u{feff}# data  type: TOI\r\n# Number Alternatives:3\r\n\r\n# ALTERNATIVE NAME 2:  Two  \r\n# SOURCE: hand-made: yes\r\n\r\n  2 :  3 ,{ 1 ,2 }  \r\n\r\n1:{2}\r\n5:\r\n";
    check(
        input,
        "layout.toi",
        "toi
        items: 1, 2 \"Two\", 3
        o1 all x2: 3@1 1@2 2@2
        o2 all x1: 2@1
        o3 all x5:
        note: the header gives no name for alternatives 1, 3, so their numbers are used as their labels
        note: the header has no `# NUMBER VOTERS` line, so the total was not checked
        note: the header has no `# NUMBER UNIQUE ORDERS` line, so the number of orders was not checked",
    );
    let outcome = read(input, "layout.toi").unwrap();
    assert_eq!(
        outcome.header.other,
        vec![("SOURCE".to_string(), "hand-made: yes".to_string())]
    );
}

#[test]
fn takes_the_data_type_from_the_name_then_the_header_then_allows_everything() {
    let header_says_soc = "# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n1: 2,1\n";
    let outcome = read_preflib(header_says_soc.as_bytes(), "stdin", None).unwrap();
    assert_eq!(outcome.data_type, DataType::Soc);

    let error = read_preflib(
        "# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 2\n1: 2\n".as_bytes(),
        "stdin",
        None,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "stdin:3: the order lists 1 of the 2 alternatives, but every order of a .soc file lists all of them (missing: 1)"
    );

    let untyped = "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n# NUMBER VOTERS: 1\n# NUMBER UNIQUE ORDERS: 1\n1: {1,2}\n";
    let outcome = read_preflib(untyped.as_bytes(), "stdin", None).unwrap();
    assert_eq!(outcome.data_type, DataType::Toi);
    assert_eq!(
        outcome.notes,
        vec![
            "neither the file name nor `# DATA TYPE` gives the data type, so the file was read as toi (orders with ties, possibly incomplete)"
                .to_string()
        ]
    );

    // The file name's type governs a file without `# DATA TYPE`.
    let error = read_preflib(untyped.as_bytes(), "untyped.soc", Some(DataType::Soc)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "untyped.soc:6: tie `{1,2}` in a .soc file, whose orders are strict (ties are allowed in .toc and .toi files)"
    );
}

#[test]
fn notes_names_that_are_missing_or_shared_and_lines_that_are_not_metadata() {
    check(
        "# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 0\n# NUMBER UNIQUE ORDERS: 0\n",
        "unnamed.soc",
        "soc
        items: 1, 2, 3
        note: the header names no alternatives, so their numbers are used as labels",
    );
    check(
        "# NUMBER ALTERNATIVES: 4\n# just a remark\n# ALTERNATIVE NAME 1: Same\n# ALTERNATIVE NAME 2: Same\n# ALTERNATIVE NAME 3: Same\n# ALTERNATIVE NAME 4: Other\n# NUMBER VOTERS: 0\n# NUMBER UNIQUE ORDERS: 0\n",
        "shared.soc",
        r#"soc
        items: 1 "Same", 2 "Same", 3 "Same", 4 "Other"
        note: line 2: `# just a remark` is not a `# KEY: value` line and was ignored
        note: alternatives 1 and 2 have the same name `Same`
        note: alternatives 1 and 3 have the same name `Same`"#,
    );
}

/// A header of five lines declaring three alternatives and the type; orders start on line 6.
fn with_header(data_type: &str, orders: &str) -> String {
    format!(
        "# DATA TYPE: {data_type}\n# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: one\n# ALTERNATIVE NAME 2: two\n# ALTERNATIVE NAME 3: three\n{orders}"
    )
}

#[test]
fn rejects_bad_orders_with_the_line_and_the_reason() {
    let long_word = "x".repeat(100);
    let long_word_line = format!("1: 1,{long_word}\n");
    let cases: &[(&str, &str, &str)] = &[
        // Alternatives.
        (
            "toi",
            "1: 1,4\n",
            "6: alternative 4 is out of range (the file declares 3 alternatives)",
        ),
        (
            "toi",
            "1: {1,0}\n",
            "6: alternative 0 is out of range (the file declares 3 alternatives)",
        ),
        (
            "toi",
            "1: 99999999999999999999999\n",
            "6: alternative 99999999999999999999999 is out of range (the file declares 3 alternatives)",
        ),
        ("toi", "1: 1,x\n", "6: `x` is not an alternative number"),
        ("toi", "1: 1,-2\n", "6: `-2` is not an alternative number"),
        ("toi", "1: 1,2:3\n", "6: `2:3` is not an alternative number"),
        (
            "toi",
            &long_word_line,
            "6: `xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…` is not an alternative number",
        ),
        (
            "toi",
            "1: 2,1,2\n",
            "6: alternative 2 appears twice in the order",
        ),
        (
            "toi",
            "1: 2,{1,2}\n",
            "6: alternative 2 appears twice in the order",
        ),
        (
            "toi",
            "1: {3,3}\n",
            "6: alternative 3 appears twice in the order",
        ),
        // The second order line is line 7, and repeats are per order.
        (
            "toi",
            "1: 1,2\n1: 1,1\n",
            "7: alternative 1 appears twice in the order",
        ),
        // Braces and commas.
        ("toi", "1: 1,{2,3\n", "6: `{` is not closed by `}`"),
        ("toi", "1: {2\n", "6: `{` is not closed by `}`"),
        ("toi", "1: 1,2}\n", "6: `}` without a matching `{`"),
        ("toi", "1: }\n", "6: `}` without a matching `{`"),
        (
            "toi",
            "1: {1,{2}}\n",
            "6: `{` inside a tie (ties cannot be nested)",
        ),
        (
            "toi",
            "1: {1{2}}\n",
            "6: `{` inside a tie (ties cannot be nested)",
        ),
        ("toi", "1: {}\n", "6: the order has an empty tie `{}`"),
        (
            "toi",
            "1: 1,,2\n",
            "6: the order has an empty place (two commas in a row, or a comma at the start or end)",
        ),
        (
            "toi",
            "1: 1,2,\n",
            "6: the order has an empty place (two commas in a row, or a comma at the start or end)",
        ),
        (
            "toi",
            "1: ,1\n",
            "6: the order has an empty place (two commas in a row, or a comma at the start or end)",
        ),
        (
            "toi",
            "1: {1,}\n",
            "6: the order has an empty place (two commas in a row, or a comma at the start or end)",
        ),
        ("toi", "1: 1 2\n", "6: expected `,` before `2`"),
        ("toi", "1: {1 2}\n", "6: expected `,` before `2`"),
        ("toi", "1: {1}{2}\n", "6: expected `,` before `{`"),
        ("toi", "1: 1 x\n", "6: expected `,` before `x`"),
        // Counts and the separator.
        (
            "toi",
            "0: 1\n",
            "6: count `0` is not a positive whole number",
        ),
        (
            "toi",
            "-3: 1\n",
            "6: count `-3` is not a positive whole number",
        ),
        (
            "toi",
            "2.5: 1\n",
            "6: count `2.5` is not a positive whole number",
        ),
        (
            "toi",
            "4294967296: 1\n",
            "6: count `4294967296` is too large (at most 4294967295)",
        ),
        ("toi", ": 1\n", "6: the line has no count before `:`"),
        (
            "toi",
            "1,2,3\n",
            "6: expected `count: order`, but the line has no `:`",
        ),
        (
            "toi",
            "2 1,2,3\n",
            "6: expected `count: order`, but the line has no `:`",
        ),
        // What each type allows.
        (
            "soc",
            "1: 1,2,3\n1: 1,2\n",
            "7: the order lists 2 of the 3 alternatives, but every order of a .soc file lists all of them (missing: 3)",
        ),
        (
            "soc",
            "1:\n",
            "6: the order lists 0 of the 3 alternatives, but every order of a .soc file lists all of them (missing: 1, 2, 3)",
        ),
        (
            "toc",
            "1: {2,1}\n",
            "6: the order lists 2 of the 3 alternatives, but every order of a .toc file lists all of them (missing: 3)",
        ),
        (
            "soc",
            "1: 1,{2,3}\n",
            "6: tie `{2,3}` in a .soc file, whose orders are strict (ties are allowed in .toc and .toi files)",
        ),
        (
            "soi",
            "1: { 3, 2 }\n",
            "6: tie `{3,2}` in a .soi file, whose orders are strict (ties are allowed in .toc and .toi files)",
        ),
        // The header comes first.
        (
            "toi",
            "1: 1\n# TITLE: late\n",
            "7: header line after the first order (the header must come before all orders)",
        ),
    ];
    for (data_type, orders, expected) in cases {
        let source_name = format!("x.{data_type}");
        check_error(
            &with_header(data_type, orders),
            &source_name,
            &format!("{source_name}:{expected}"),
        );
    }
    // One-member braces are not ties, and strict types allow them.
    check(
        &with_header("soc", "1: {2},1,{3}\n"),
        "x.soc",
        r#"soc
        items: 1 "one", 2 "two", 3 "three"
        o1 all x1: 2@1 1@2 3@3
        note: the header has no `# NUMBER VOTERS` line, so the total was not checked
        note: the header has no `# NUMBER UNIQUE ORDERS` line, so the number of orders was not checked"#,
    );
}

#[test]
fn rejects_bad_headers_with_the_line_and_the_reason() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "x.soi",
            "",
            "x.soi: the file is empty; expected a PrefLib header such as `# NUMBER ALTERNATIVES: 10`",
        ),
        (
            "x.soi",
            "\n  \n\r\n",
            "x.soi: the file is empty; expected a PrefLib header such as `# NUMBER ALTERNATIVES: 10`",
        ),
        (
            "x.soi",
            "# DATA TYPE: soi\n# NUMBER VOTERS: 1\n1: 1\n",
            "x.soi:3: the header has no `# NUMBER ALTERNATIVES` line",
        ),
        (
            "x.soi",
            "# TITLE: only a title\n",
            "x.soi: the header has no `# NUMBER ALTERNATIVES` line",
        ),
        (
            "x.soi",
            "3\n1,one\n2,two\n3,three\n2,2,1\n2,1,2,3\n",
            "x.soi:1: the header has no `# NUMBER ALTERNATIVES` line; this looks like the PrefLib format used before 2022, which this reader does not support",
        ),
        (
            "x.soc",
            "# DATA TYPE: toc\n# NUMBER ALTERNATIVES: 2\n1: 1,2\n",
            "x.soc:1: `# DATA TYPE: toc` disagrees with the file extension .soc",
        ),
        (
            "x.soc",
            "# DATA TYPE: cat\n# NUMBER ALTERNATIVES: 2\n",
            "x.soc:1: data type `cat` is not one this reader supports (soc, soi, toc or toi)",
        ),
        (
            "x.soc",
            "# NUMBER ALTERNATIVES: ten\n",
            "x.soc:1: `# NUMBER ALTERNATIVES` must be a whole number, not `ten`",
        ),
        (
            "x.soc",
            "# NUMBER ALTERNATIVES: 2\n# NUMBER VOTERS: -1\n",
            "x.soc:2: `# NUMBER VOTERS` must be a whole number, not `-1`",
        ),
        (
            "x.soc",
            "# NUMBER ALTERNATIVES: 2\n# NUMBER UNIQUE ORDERS:\n",
            "x.soc:2: `# NUMBER UNIQUE ORDERS` must be a whole number, not ``",
        ),
        (
            "x.soc",
            "# NUMBER ALTERNATIVES: 0\n",
            "x.soc:1: the file declares 0 alternatives; at least 1 is needed",
        ),
        (
            "x.soc",
            "# NUMBER ALTERNATIVES: 1000001\n",
            "x.soc:1: the file declares 1000001 alternatives; at most 1000000 are supported",
        ),
        (
            "x.soc",
            "# NUMBER ALTERNATIVES: 2\n# number  alternatives: 3\n",
            "x.soc:2: `# NUMBER ALTERNATIVES` appears twice (first at line 1)",
        ),
        (
            "x.toi",
            "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 01: b\n",
            "x.toi:3: `# ALTERNATIVE NAME 1` appears twice (first at line 2)",
        ),
        (
            "x.toi",
            "# ALTERNATIVE NAME 3: c\n# NUMBER ALTERNATIVES: 2\n1: 1\n",
            "x.toi:1: `# ALTERNATIVE NAME 3` is out of range (the file declares 2 alternatives)",
        ),
        (
            "x.toi",
            "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 0: zero\n",
            "x.toi:2: `# ALTERNATIVE NAME 0` is out of range (the file declares 2 alternatives)",
        ),
        (
            "x.toi",
            "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME x: c\n",
            "x.toi:2: `# ALTERNATIVE NAME X` does not give an alternative number (expected `# ALTERNATIVE NAME 1: ...`)",
        ),
        (
            "x.toi",
            "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME: c\n",
            "x.toi:2: `# ALTERNATIVE NAME` does not give an alternative number (expected `# ALTERNATIVE NAME 1: ...`)",
        ),
        // Totals, reported at the header line that declares them.
        (
            "x.toi",
            "# NUMBER ALTERNATIVES: 2\n# NUMBER UNIQUE ORDERS: 2\n# NUMBER VOTERS: 5\n2: 1\n1: 2,1\n",
            "x.toi:3: `# NUMBER VOTERS` says 5, but the counts of the orders add up to 3",
        ),
        (
            "x.toi",
            "# NUMBER ALTERNATIVES: 2\n# NUMBER VOTERS: 3\n# NUMBER UNIQUE ORDERS: 3\n2: 1\n1: 2,1\n",
            "x.toi:3: `# NUMBER UNIQUE ORDERS` says 3, but the file has 2 orders",
        ),
    ];
    for (source_name, input, expected) in cases {
        check_error(input, source_name, expected);
    }
}

#[test]
fn rejects_lines_that_are_not_utf8() {
    let input: &[u8] = b"# NUMBER ALTERNATIVES: 2\n1: 1\xff\n";
    let error = read_preflib(input, "x.toi", Some(DataType::Toi)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "x.toi:2: the line is not valid UTF-8 (PrefLib files are UTF-8)"
    );
    assert_eq!(error.line, Some(2));
    assert_eq!(error.message, PreflibErrorKind::NotUtf8);
}

#[test]
fn reports_read_failures_with_the_line_being_read() {
    /// Gives one good line, then fails.
    struct FailingReader {
        given: bool,
    }
    impl Read for FailingReader {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            if self.given {
                return Err(std::io::Error::other("disk on fire"));
            }
            self.given = true;
            let line = b"# NUMBER ALTERNATIVES: 2\n";
            buffer[..line.len()].copy_from_slice(line);
            Ok(line.len())
        }
    }
    let error = read_preflib(
        BufReader::new(FailingReader { given: false }),
        "x.toi",
        None,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "x.toi:2: cannot read the file: disk on fire"
    );
}

#[test]
fn recognises_preflib_paths_by_extension() {
    for (path, expected) in [
        ("00014-00000001.soc", Some(DataType::Soc)),
        ("dir/x.SOI", Some(DataType::Soi)),
        ("x.toc", Some(DataType::Toc)),
        ("/data/x.y.toi", Some(DataType::Toi)),
        ("x.csv", None),
        ("x.cat", None),
        ("soc", None),
        ("x", None),
    ] {
        assert_eq!(DataType::from_path(Path::new(path)), expected, "{path}");
        assert_eq!(is_preflib_path(path), expected.is_some(), "{path}");
    }
    for data_type in DataType::ALL {
        assert_eq!(DataType::parse(data_type.as_str()), Some(data_type));
        assert_eq!(data_type.to_string(), data_type.as_str());
    }
    assert!(DataType::Soc.is_strict() && DataType::Soc.is_complete());
    assert!(DataType::Soi.is_strict() && !DataType::Soi.is_complete());
    assert!(!DataType::Toc.is_strict() && DataType::Toc.is_complete());
    assert!(!DataType::Toi.is_strict() && !DataType::Toi.is_complete());
}

fn any_file_type() -> impl Strategy<Value = Option<DataType>> {
    proptest::option::of(proptest::sample::select(DataType::ALL.to_vec()))
}

/// Checks what every successful read promises, whatever the input.
fn check_invariants(outcome: &PreflibOutcome) {
    let responses = &outcome.responses;
    assert_eq!(responses.groups, vec![GROUP.to_string()]);
    assert_eq!(
        responses.items.len(),
        outcome.header.alternative_count as usize
    );
    let Answers::Ranking(entries) = &responses.answers else {
        panic!("ranking answers");
    };
    for (index, respondent) in responses.respondents.iter().enumerate() {
        assert!(respondent.count >= 1);
        let answers = &entries[responses.range(index)];
        for (position, entry) in answers.iter().enumerate() {
            assert!((entry.item as usize) < responses.items.len());
            assert!(entry.rank >= 1 && entry.rank as usize <= position + 1);
        }
        assert!(answers.windows(2).all(|pair| pair[0].rank <= pair[1].rank));
        if outcome.data_type.is_complete() {
            assert_eq!(answers.len(), responses.items.len());
        }
    }
}

/// A weak order over some of the alternatives `1..=alternative_count`, as its tie blocks.
fn weak_order(alternative_count: usize) -> impl Strategy<Value = Vec<Vec<usize>>> {
    (
        Just((1..=alternative_count).collect::<Vec<_>>()).prop_shuffle(),
        0..=alternative_count,
        proptest::collection::vec(any::<bool>(), alternative_count),
    )
        .prop_map(|(alternatives, length, breaks)| {
            let mut blocks: Vec<Vec<usize>> = Vec::new();
            for (position, alternative) in alternatives.into_iter().take(length).enumerate() {
                match blocks.last_mut() {
                    Some(block) if !breaks[position] => block.push(alternative),
                    _ => blocks.push(vec![alternative]),
                }
            }
            blocks
        })
}

/// A number of alternatives and orders over them, each with its count and its tie blocks.
type Profile = (usize, Vec<(u32, Vec<Vec<usize>>)>);

fn profile() -> impl Strategy<Value = Profile> {
    (1_usize..=8).prop_flat_map(|alternative_count| {
        (
            Just(alternative_count),
            proptest::collection::vec((1_u32..=1000, weak_order(alternative_count)), 0..10),
        )
    })
}

proptest! {
    #[test]
    fn no_bytes_make_the_reader_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
        file_type in any_file_type(),
    ) {
        if let Ok(outcome) = read_preflib(bytes.as_slice(), "fuzz", file_type) {
            check_invariants(&outcome);
        }
    }

    #[test]
    fn no_near_miss_file_makes_the_reader_panic(
        text in "(# (NUMBER ALTERNATIVES|NUMBER VOTERS|NUMBER UNIQUE ORDERS|DATA TYPE|ALTERNATIVE NAME [0-9]|TITLE): ?(so|to|[ic])?[0-9]{0,2}\n){0,6}([0-9{},: x#\n]{0,80})",
        file_type in any_file_type(),
    ) {
        if let Ok(outcome) = read_preflib(text.as_bytes(), "fuzz", file_type) {
            check_invariants(&outcome);
        }
    }

    #[test]
    fn written_orders_read_back_with_competition_ranks(
        (alternative_count, orders) in profile(),
        spaced in any::<bool>(),
    ) {
        let separator = if spaced { ", " } else { "," };
        let voters: u64 = orders.iter().map(|(count, _)| u64::from(*count)).sum();
        let mut text = format!(
            "# DATA TYPE: toi\n# NUMBER ALTERNATIVES: {alternative_count}\n# NUMBER VOTERS: {voters}\n# NUMBER UNIQUE ORDERS: {}\n",
            orders.len()
        );
        for alternative in 1..=alternative_count {
            writeln!(text, "# ALTERNATIVE NAME {alternative}: alternative {alternative}").unwrap();
        }
        let mut expected = format!("toi\nitems: {}\n", (1..=alternative_count)
            .map(|alternative| format!("{alternative} \"alternative {alternative}\""))
            .collect::<Vec<_>>()
            .join(", "));
        for (number, (count, blocks)) in orders.iter().enumerate() {
            let places: Vec<String> = blocks
                .iter()
                .map(|block| match block.as_slice() {
                    [alternative] => alternative.to_string(),
                    _ => format!(
                        "{{{}}}",
                        block.iter().map(ToString::to_string).collect::<Vec<_>>().join(separator)
                    ),
                })
                .collect();
            writeln!(text, "{count}: {}", places.join(separator)).unwrap();
            let mut answers = Vec::new();
            let mut listed_before = 0;
            for block in blocks {
                for alternative in block {
                    answers.push(format!("{alternative}@{}", listed_before + 1));
                }
                listed_before += block.len();
            }
            writeln!(expected, "o{} all x{count}: {}", number + 1, answers.join(" ")).unwrap();
        }
        let outcome = read_preflib(text.as_bytes(), "law.toi", Some(DataType::Toi))
            .unwrap_or_else(|error| panic!("{error}\n{text}"));
        let rendered = render(&outcome);
        prop_assert_eq!(lines(&rendered), lines(&expected));
        prop_assert_eq!(outcome.responses.ballot_count(), voters);
    }
}

proptest! {
    /// Each kind of file with a well-formed header and a near-miss body: the reader never
    /// panics, whether the type comes from the header, from the file name or from both.
    #[test]
    fn no_body_under_a_well_formed_header_makes_the_reader_panic(
        data_type in proptest::sample::select(DataType::ALL.to_vec()),
        told in any::<bool>(),
        alternatives in 1_u32..=5,
        body in "([0-9]{1,2}: ?[0-9{}, ]{0,12}\n){0,5}",
    ) {
        let mut text = format!(
            "# DATA TYPE: {data_type}\n# NUMBER ALTERNATIVES: {alternatives}\n# NUMBER VOTERS: 3\n# NUMBER UNIQUE ORDERS: 2\n"
        );
        for alternative in 1..=alternatives {
            writeln!(text, "# ALTERNATIVE NAME {alternative}: name {alternative}").unwrap();
        }
        text.push_str(&body);
        let file_type = told.then_some(data_type);
        if let Ok(outcome) = read_preflib(text.as_bytes(), "fuzz", file_type) {
            check_invariants(&outcome);
        }
    }
}
