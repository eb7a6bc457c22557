//! Real Qualtrics exports from public repositories (../shared/real-exports/qualtrics, see
//! SOURCES.md there): a 2019 university survey (three header rows, `\r\r\n` records, a rank
//! order with a write-in, typed ranks and ties, a Pick, Group and Rank question, multi-select
//! answers joined with `,`, Likert matrices labelled in words) and a 2016–17 "Insights"
//! export (Python-quoted ImportIds, stem and choice joined with `-`, five Qualtrics-generated
//! test responses).
//!
//! Counts were made independently with python3, reading the file with the csv module after
//! `data = open(f, 'rb').read().decode('utf-8-sig').replace('\r\r\n', '\n')`, `d = rows[3:]`,
//! gender in column 22, `Finished` in column 6; for example the rank order Q34 (columns 63–66,
//! the "Other" item 67 left out):
//! `sum(1 for r in d if r[22] and any(r[i] for i in range(63, 67)))` gives 433, and 416 with
//! `and r[6] == 'True'`.

use std::collections::HashMap;

use import::{
    Answer, ImportError, Imported, Options, QuestionKind, Tool, Value, convert, import, list,
    read_table,
};

/// The path of a real export.
fn real(name: &str) -> String {
    format!(
        "{}/../../../shared/real-exports/qualtrics/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

const UCB: &str = "UCB Main Survey_June 19, 2019_15.47.csv";
const SAMPLE: &str = "Sample_Survey (Insights).csv";

const Q34: &str = "What would influence you to vote more? Rank the following 1-4 with 1 being most influential. You do not have to rank answers if they are not influential to you at all.";
const Q44: &str = "Rank the following with 1 being the most used on where you get your news by clicking and dragging the options. Please rank your top 5 choices.";

fn ucb(question: &str, complete_only: bool) -> Result<Imported, ImportError> {
    let bytes = std::fs::read(real(UCB)).unwrap();
    import(
        Tool::Qualtrics,
        &bytes,
        UCB,
        Options {
            group_column: Some("gender"),
            question: Some(question),
            complete_only,
            ..Options::default()
        },
    )
}

/// One respondent's answers as `(item label, value)`, in the order written.
fn answers_of(imported: &Imported, respondent: &str) -> (String, Vec<(String, Value)>) {
    let labels: HashMap<&str, &str> = imported
        .mapping
        .items
        .iter()
        .map(|(label, id)| (id.as_str(), label.as_str()))
        .collect();
    let answers: Vec<&Answer> = imported
        .answers
        .iter()
        .filter(|answer| answer.respondent == respondent)
        .collect();
    (
        answers
            .first()
            .map(|answer| answer.group.clone())
            .unwrap_or_default(),
        answers
            .iter()
            .map(|answer| (labels[answer.item.as_str()].to_string(), answer.value))
            .collect(),
    )
}

fn ranks(pairs: &[(&str, u32)]) -> Vec<(String, Value)> {
    pairs
        .iter()
        .map(|(label, rank)| (label.to_string(), Value::Rank(*rank)))
        .collect()
}

#[test]
fn the_ucb_survey_lists_every_question_with_its_kind() {
    let bytes = std::fs::read(real(UCB)).unwrap();
    let table = read_table(Tool::Qualtrics, &bytes, UCB).unwrap();
    let listing = list(
        &table,
        Options {
            group_column: Some("gender"),
            ..Options::default()
        },
    )
    .unwrap();
    // python3: len(d) == 547; sum(r[6] == 'False' for r in d) == 104; every Status is
    // `IP Address`.
    assert_eq!(listing.responses, 547);
    assert_eq!(listing.incomplete, 104);
    // The only notes are how each matrix labelled in words is read (or why it cannot be).
    assert_eq!(listing.notes.len(), 7, "{:?}", listing.notes);
    assert!(
        listing
            .notes
            .iter()
            .all(|note| note.starts_with("the labels of `")
                || note.starts_with("read the labels of `")),
        "{:?}",
        listing.notes
    );
    let kind_of = |text: &str| {
        listing
            .questions
            .iter()
            .find(|question| question.text == text)
            .unwrap_or_else(|| panic!("no question `{text}`"))
    };
    let group: Vec<&str> = listing
        .questions
        .iter()
        .filter(|question| question.is_group)
        .map(|question| question.text.as_str())
        .collect();
    assert_eq!(group, ["Which gender do you best identify with?"]);
    // The rank order: its four items, "Other" left out, and its write-in a question apart.
    assert_eq!(kind_of(Q34).kind, QuestionKind::Ranking);
    assert_eq!(
        kind_of(Q34).options,
        [
            "Dismissal of the 2 party system",
            "Removal of \"smear\" campaigns that seek to discredit candidates",
            "Easier access of information on candidates and measures",
            "Establishment of a holiday for Election Day",
        ]
    );
    let write_in = kind_of(&format!("{Q34} - Other - Text"));
    assert_eq!(write_in.kind, QuestionKind::FreeText);
    // python3: sum(1 for r in d if r[68]) == 26
    assert_eq!(write_in.answered, 26);
    // Pick, Group and Rank: the twelve sources but "Other".
    assert_eq!(kind_of(Q44).kind, QuestionKind::Ranking);
    assert_eq!(kind_of(Q44).options.len(), 12);
    // Multi-select answers joined with `,`, options in the order first chosen (python3:
    // the pieces of column 20 split at `,`, in order of first appearance).
    for text in [
        "Which college(s) are you enrolled in?",
        "Please select the group(s) that best apply to your major(s).",
        "Check the box(es) of the race/ethnicity that you best identify with.",
        "How did the results of the 2016 presidential election make you feel? Check all that apply.",
    ] {
        assert_eq!(kind_of(text).kind, QuestionKind::Pick, "{text}");
    }
    assert_eq!(
        kind_of("Please select the group(s) that best apply to your major(s).").options,
        [
            "Social Sciences",
            "Engineering/Computer Science",
            "Life Sciences",
            "Arts & Humanities",
            "Business",
            "Physical Sciences/Mathematics"
        ]
    );
    // "did your professor(s) cancel" asks one thing: one answer each.
    assert_eq!(
        kind_of("If you had class during the presidential elections on Tuesday November 8th, 2016, did your professor(s) cancel or shorten class to allow students time to vote?").kind,
        QuestionKind::SingleChoice
    );
    // Two matrices share a text: the later one is told apart by its tag.
    let statements =
        "Please select the answer that best fits your response to the following statements.";
    assert_eq!(kind_of(statements).options.len(), 5);
    assert_eq!(kind_of(&format!("{statements} (Q40)")).options.len(), 3);
    let counts = |kind: QuestionKind| {
        listing
            .questions
            .iter()
            .filter(|question| question.kind == kind)
            .count()
    };
    assert_eq!(counts(QuestionKind::Ranking), 2);
    assert_eq!(counts(QuestionKind::Pick), 4);
    assert_eq!(counts(QuestionKind::Rating), 8);
    assert_eq!(counts(QuestionKind::FreeText), 24);
    assert_eq!(counts(QuestionKind::SingleChoice), 37);
    // python3: 51 distinct `QID<n>` ImportId questions, and 24 `_TEXT` columns, each a
    // question of its own.
    assert_eq!(listing.questions.len(), 51 + 24);
}

#[test]
fn the_ucb_rank_orders_and_picks_import_with_their_respondents() {
    // (question, respondents, respondents with --complete-only), counted with python3:
    // Q34 ranks in columns 63-66; Q44 ranks in 97-108 (109 is "Other"); picks: a cell of
    // column 18, 20, 23 or 40 holding an option other than "Other" once split at `,`; the
    // slider Q41 (column 80) not blank.
    let expected: [(&str, usize, usize); 7] = [
        (Q34, 433, 416),
        (Q44, 423, 419),
        ("Which college(s) are you enrolled in?", 547, 443),
        (
            "Please select the group(s) that best apply to your major(s).",
            547,
            443,
        ),
        (
            "Check the box(es) of the race/ethnicity that you best identify with.",
            521,
            426,
        ),
        (
            "How did the results of the 2016 presidential election make you feel? Check all that apply.",
            463,
            399,
        ),
        (
            "Drag the cursor to the place on the political scale that you mostly align your political ideologies with.",
            444,
            433,
        ),
    ];
    for (question, respondents, complete) in expected {
        let imported = ucb(question, false).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(imported.respondent_count, respondents, "{question}");
        let imported = ucb(question, true).unwrap();
        assert_eq!(imported.respondent_count, complete, "{question}");
    }
    let imported = ucb(Q34, false).unwrap();
    assert!(
        imported
            .notes
            .iter()
            .any(|note| note.starts_with("renumbered the ranks of ")
                && note.ends_with("keeping their order and ties")),
        "{:?}",
        imported.notes
    );
}

#[test]
fn three_ucb_respondents_read_by_hand() {
    let imported = ucb(Q34, false).unwrap();
    // R_xzTq1uJITH03NKN, Man: 1, 4, 3, 3 (a tie) and no "Other": the tie is kept.
    assert_eq!(
        answers_of(&imported, "R_xzTq1uJITH03NKN"),
        (
            "man".to_string(),
            ranks(&[
                ("Dismissal of the 2 party system", 1),
                ("Easier access of information on candidates and measures", 2),
                ("Establishment of a holiday for Election Day", 2),
                (
                    "Removal of \"smear\" campaigns that seek to discredit candidates",
                    4
                ),
            ])
        )
    );
    // R_2pW9tCSCW65cKB2, Man: 2, 3, 4, typed 5, and "Other" 1: without "Other" the four
    // items are 1 to 4.
    assert_eq!(
        answers_of(&imported, "R_2pW9tCSCW65cKB2"),
        (
            "man".to_string(),
            ranks(&[
                ("Dismissal of the 2 party system", 1),
                (
                    "Removal of \"smear\" campaigns that seek to discredit candidates",
                    2
                ),
                ("Easier access of information on candidates and measures", 3),
                ("Establishment of a holiday for Election Day", 4),
            ])
        )
    );
    // R_3emKLU7bTXhKaYw, Woman: 2, 4, 4, 4, "Other" 1 (with a write-in).
    assert_eq!(
        answers_of(&imported, "R_3emKLU7bTXhKaYw"),
        (
            "woman".to_string(),
            ranks(&[
                ("Dismissal of the 2 party system", 1),
                (
                    "Removal of \"smear\" campaigns that seek to discredit candidates",
                    2
                ),
                ("Easier access of information on candidates and measures", 2),
                ("Establishment of a holiday for Election Day", 2),
            ])
        )
    );
    // R_xA58gXXjXE5t4vD, Woman, put Fox News, New York Times, CBS, Twitter, CNN in her top 5,
    // ranked in that order.
    let imported = ucb(Q44, false).unwrap();
    assert_eq!(
        answers_of(&imported, "R_xA58gXXjXE5t4vD"),
        (
            "woman".to_string(),
            ranks(&[
                ("Fox News", 1),
                ("New York Times", 2),
                ("CBS", 3),
                ("Twitter", 4),
                ("CNN", 5)
            ])
        )
    );
    let imported = ucb(
        "How did the results of the 2016 presidential election make you feel? Check all that apply.",
        false,
    )
    .unwrap();
    // R_1lAiYt3HSH063Or: `Sad,Scared,Angry`.
    assert_eq!(
        answers_of(&imported, "R_1lAiYt3HSH063Or").1,
        ["Sad", "Scared", "Angry"]
            .iter()
            .map(|label| (label.to_string(), Value::Picked))
            .collect::<Vec<_>>()
    );
}

#[test]
fn ucb_matrices_labelled_in_words_import_on_a_known_scale_or_ask_for_numbers() {
    // Agreement scales (`Strongly agree` ... `Strongly disagree`) are read as 5 to 1; python3:
    // rows answering any of columns 72-76, 77-79 and 121-124 (with `r[6] == 'True'` for the
    // second figure).
    for (question, respondents, complete) in [
        (
            "Please select the answer that best fits your response to the following statements.",
            456,
            442,
        ),
        (
            "Please select the answer that best fits your response to the following statements. (Q40)",
            455,
            441,
        ),
        (
            "Select the answers that best fit your perspective on voting.",
            441,
            440,
        ),
    ] {
        let imported = ucb(question, false).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(imported.respondent_count, respondents, "{question}");
        assert_eq!(ucb(question, true).unwrap().respondent_count, complete);
    }
    // `Occasionally`, `Every day`, `Important`, `Slightly knowledgeable` are on no scale that
    // is known: the import lists every such cell and says how to number them.
    for question in [
        "Please choose the answer that best applies to you.",
        "Please select the option that best applies to you.",
        "The following is a list of political issues within the United States. Please select the answers that best apply to your views.",
        "Select the answers that best fit your level of knowledge in the 2018 midterm elections.",
    ] {
        let error = ucb(question, false).unwrap_err();
        let ImportError::Many { problems, .. } = &error else {
            panic!("{error}");
        };
        assert!(
            problems[0]
                .to_string()
                .contains("is on no rating scale that is known"),
            "{}",
            problems[0]
        );
    }
}

#[test]
fn the_insights_export_is_all_test_responses() {
    let bytes = std::fs::read(real(SAMPLE)).unwrap();
    // python3: every `Status` (column 10) is `2`, Survey Test.
    let table = read_table(Tool::Qualtrics, &bytes, SAMPLE).unwrap();
    assert!(table.rows.is_empty());
    assert_eq!(
        table.notes,
        [
            "left out 5 responses that Qualtrics marks as previews, tests or spam (`Status`): 5 Survey Test (`2`); the file holds no other responses, so there is nothing to import"
        ]
    );
    // Importing it is refused, saying why, rather than writing a file with a header alone.
    let error = import::convert(&table, import::Options::default()).unwrap_err();
    assert!(matches!(error, ImportError::NoResponses { .. }));
    assert_eq!(
        error.to_string(),
        format!(
            "{SAMPLE}: no responses to import (left out 5 responses that Qualtrics marks as previews, tests or spam (`Status`): 5 Survey Test (`2`); the file holds no other responses, so there is nothing to import)"
        )
    );
}

#[test]
fn the_insights_export_read_with_its_test_responses() {
    let bytes = std::fs::read(real(SAMPLE)).unwrap();
    let table = import::qualtrics::read_table_keeping_tests(&bytes, SAMPLE).unwrap();
    let listing = list(&table, Options::default()).unwrap();
    assert_eq!(listing.responses, 5);
    // Each answer question in file order, with its kind and the respondents who answered it,
    // counted with python3 over the columns of each ImportId question (`QID3`, `QID44`, ...)
    // but its `-TEXT` ones: `sum(1 for r in d if any(r[i] for i in cols))`.
    use QuestionKind::{Pick, Rating};
    let expected = [
        (Pick, 5),
        (Rating, 4),
        (Pick, 5),
        (Rating, 5),
        (Rating, 5),
        (Pick, 5),
        (Rating, 5),
        (Pick, 5),
        (Rating, 5),
        (Pick, 5),
        (Rating, 5),
        (Rating, 5),
        (Pick, 5),
        (Rating, 5),
        (Pick, 1),
        (Rating, 5),
        (Pick, 5),
        (Rating, 5),
        (Rating, 5),
        (Pick, 2),
        (Rating, 5),
        (Pick, 5),
        (Rating, 5),
        (Pick, 5),
        (Rating, 5),
        (Rating, 5),
        (Pick, 5),
        (Rating, 5),
    ];
    let answer_questions: Vec<_> = listing
        .questions
        .iter()
        .filter(|question| question.kind.response_kind().is_some())
        .collect();
    assert_eq!(answer_questions.len(), expected.len());
    for (question, (kind, respondents)) in answer_questions.iter().zip(expected) {
        assert_eq!(question.kind, kind, "{}", question.text);
        let imported = convert(
            &table,
            Options {
                question: Some(&question.text),
                ..Options::default()
            },
        )
        .unwrap_or_else(|error| panic!("{}: {error}", question.text));
        assert_eq!(imported.respondent_count, respondents, "{}", question.text);
    }
    // The others: four single-answer questions (numeric recodes), the text entries and the
    // side-by-side questions' text boxes.
    let others: Vec<QuestionKind> = listing
        .questions
        .iter()
        .filter(|question| question.kind.response_kind().is_none())
        .map(|question| question.kind)
        .collect();
    assert_eq!(others.len(), 4 + 4 + 24);
    // R_e8z6glNpLL4PkcR, by hand: the first multiple answer question ticked Oranges and
    // Strawberries (`1`, blank, `1`).
    let pick = convert(
        &table,
        Options {
            question: Some("This is a multiple choice multiple answer vertical question, please choose one of the fruits below."),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(
        answers_of(&pick, "R_e8z6glNpLL4PkcR"),
        (
            "all".to_string(),
            vec![
                ("Oranges".to_string(), Value::Picked),
                ("Strawberries".to_string(), Value::Picked)
            ]
        )
    );
}

/// A minimal export of our own in the newest layout: ImportIds with a `choiceId`, a
/// multi-select with one column per choice, bare option labels with no stem, re-saved by
/// Excel (`TRUE`/`FALSE`, `4/13/2020 15:41`), and a spam response.
const NEWEST: &str = "StartDate,EndDate,Status,Finished,ResponseId,Q1,Q2_1,Q2_2,Q2_3,Q2_4_TEXT,Q3_1,Q3_2,Q3_3\n\
Start Date,End Date,Response Type,Finished,Response ID,Which group are you in?,Early help,Kinship care,Caseloads,Which topics matter most? - Other - Text,Rank - Early help,Rank - Kinship care,Rank - Caseloads\n\
\"{\"\"ImportId\"\":\"\"startDate\"\"}\",\"{\"\"ImportId\"\":\"\"endDate\"\"}\",\"{\"\"ImportId\"\":\"\"status\"\"}\",\"{\"\"ImportId\"\":\"\"finished\"\"}\",\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID20\"\",\"\"choiceId\"\":\"\"1\"\"}\",\"{\"\"ImportId\"\":\"\"QID20\"\",\"\"choiceId\"\":\"\"2\"\"}\",\"{\"\"ImportId\"\":\"\"QID20\"\",\"\"choiceId\"\":\"\"3\"\"}\",\"{\"\"ImportId\"\":\"\"QID20_4_TEXT\"\"}\",\"{\"\"ImportId\"\":\"\"QID30_1\"\"}\",\"{\"\"ImportId\"\":\"\"QID30_2\"\"}\",\"{\"\"ImportId\"\":\"\"QID30_3\"\"}\"\n\
4/13/2020 15:41,4/13/2020 15:49,IP Address,TRUE,R_1,Parents,1,,1,,2,1,3\n\
4/13/2020 16:02,4/13/2020 16:03,IP Address,FALSE,R_2,Practitioners,,1,,More staff,1,,\n\
4/14/2020 09:00,4/14/2020 09:01,Spam,TRUE,R_3,Parents,1,1,1,,1,2,3\n";

#[test]
fn the_newest_layout_re_saved_by_excel_with_bare_labels() {
    let table = read_table(Tool::Qualtrics, NEWEST.as_bytes(), "newest.csv").unwrap();
    let listing = list(&table, Options::default()).unwrap();
    assert_eq!(listing.responses, 2);
    assert_eq!(listing.incomplete, 1);
    assert_eq!(
        listing.notes,
        [
            "left out 1 responses that Qualtrics marks as previews, tests or spam (`Status`): 1 `Spam`"
        ]
    );
    let summary: Vec<(&str, QuestionKind, Vec<String>)> = listing
        .questions
        .iter()
        .map(|question| {
            (
                question.text.as_str(),
                question.kind,
                question.options.clone(),
            )
        })
        .collect();
    let labels = || {
        ["Early help", "Kinship care", "Caseloads"]
            .map(str::to_string)
            .to_vec()
    };
    // The bare labels take their question from the write-in's text.
    assert_eq!(
        summary,
        [
            (
                "Which group are you in?",
                QuestionKind::SingleChoice,
                vec!["Parents".to_string(), "Practitioners".to_string()]
            ),
            ("Which topics matter most?", QuestionKind::Pick, labels()),
            (
                "Which topics matter most? - Other - Text",
                QuestionKind::FreeText,
                vec![]
            ),
            ("Rank", QuestionKind::Ranking, labels()),
        ]
    );
    let picked = convert(
        &table,
        Options {
            question: Some("Which topics matter most?"),
            complete_only: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(picked.respondent_count, 1);
    assert_eq!(
        answers_of(&picked, "R_1"),
        (
            "parents".to_string(),
            vec![
                ("Early help".to_string(), Value::Picked),
                ("Caseloads".to_string(), Value::Picked)
            ]
        )
    );
    assert!(
        picked.notes.contains(
            &"left out 1 responses the tool marks incomplete (--complete-only)".to_string()
        ),
        "{:?}",
        picked.notes
    );
}

#[test]
fn bare_labels_without_a_write_in_take_the_export_tag() {
    let text = NEWEST
        .replace(",Q2_4_TEXT,", ",Q9,")
        .replace("Which topics matter most? - Other - Text", "Any comments?")
        .replace("QID20_4_TEXT", "QID21_TEXT");
    let table = read_table(Tool::Qualtrics, text.as_bytes(), "newest.csv").unwrap();
    let listing = list(&table, Options::default()).unwrap();
    let texts: Vec<&str> = listing
        .questions
        .iter()
        .map(|question| question.text.as_str())
        .collect();
    assert_eq!(
        texts,
        ["Which group are you in?", "Q2", "Any comments?", "Rank"]
    );
}
