//! Real SurveyMonkey exports (fivethirtyeight/data, see ../shared/real-exports/SOURCES.md): the
//! old layout, `RespondentID` and two header rows, every closed question spread one column per
//! option.
//!
//! The counts asserted here were made independently with python3's csv module on the files
//! themselves, for example (columns counted from 0, rows after the two header rows):
//!
//! ```text
//! python3 -c "import csv; r=list(csv.reader(open('StarWars.csv',encoding='cp1252',newline='')))[2:];
//!   print(sum(1 for x in r if any(x[i] for i in range(9,15)) and x[33]))"   # 820
//! ```
//!
//! and the three respondents of each import were read from the files by hand.

use import::{Imported, Listing, Options, QuestionKind, Tool, Value, import, list, read_table};
use survey::responses::{RatingValue, ResponseKind};

/// A real export of `../shared/real-exports/surveymonkey/`.
fn real_export(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../../shared/real-exports/surveymonkey/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Imports the question `question` of the real export `name`, the group from `group_column`.
fn import_real(name: &str, question: &str, group_column: Option<&str>) -> Imported {
    import(
        Tool::SurveyMonkey,
        &real_export(name),
        name,
        Options {
            question: Some(question),
            group_column,
            ..Options::default()
        },
    )
    .unwrap_or_else(|error| panic!("{name}: {error}"))
}

/// Lists the real export `name`, the group from `group_column`.
fn list_real(name: &str, group_column: Option<&str>) -> Listing {
    let table = read_table(Tool::SurveyMonkey, &real_export(name), name)
        .unwrap_or_else(|error| panic!("{name}: {error}"));
    list(
        &table,
        Options {
            group_column,
            ..Options::default()
        },
    )
    .unwrap_or_else(|error| panic!("{name}: {error}"))
}

/// Each question of a listing as `kind, answered, start of the text`, the group marked.
fn summary(listing: &Listing) -> Vec<String> {
    listing
        .questions
        .iter()
        .map(|question| {
            let start: String = question.text.chars().take(40).collect();
            format!(
                "{}, {}, {start}{}",
                question.kind.as_str(),
                question.answered,
                if question.is_group { " <- group" } else { "" }
            )
        })
        .collect()
}

/// The answers of `respondent` as `group,item,value` (a pick's value is empty; so is a rating
/// of "don't know").
fn answers_of(imported: &Imported, respondent: &str) -> Vec<String> {
    imported
        .answers
        .iter()
        .filter(|answer| answer.respondent == respondent)
        .map(|answer| {
            let value = match answer.value {
                Value::Rank(rank) => rank.to_string(),
                Value::Rating(Some(RatingValue::Score(score))) => score.to_string(),
                Value::Rating(other) => format!("{other:?}"),
                Value::Picked => String::new(),
            };
            format!("{},{},{value}", answer.group, answer.item)
        })
        .collect()
}

const FILMS: [&str; 6] = [
    "star-wars-episode-i-the-phantom-menace",
    "star-wars-episode-ii-attack-of-the-clones",
    "star-wars-episode-iii-revenge-of-the-sith",
    "star-wars-episode-iv-a-new-hope",
    "star-wars-episode-v-the-empire-strikes-back",
    "star-wars-episode-vi-return-of-the-jedi",
];

#[test]
fn star_wars_lists_every_question_with_its_kind() {
    let listing = list_real("StarWars.csv", Some("Gender"));
    assert_eq!(listing.responses, 1186);
    assert_eq!(
        summary(&listing),
        [
            "single choice, 1186, Have you seen any of the 6 films in the ",
            "single choice, 836, Do you consider yourself to be a fan of ",
            "pick, 835, Which of the following Star Wars films h",
            "ranking, 836, Please rank the Star Wars films in order",
            "rating, 834, Please state whether you view the follow",
            "single choice, 828, Which character shot first?",
            "single choice, 828, Are you familiar with the Expanded Unive",
            "single choice, 213, Do you consider yourself to be a fan of ",
            "single choice, 1068, Do you consider yourself to be a fan of ",
            "single choice, 1046, Gender <- group",
            "single choice, 1046, Age",
            "single choice, 858, Household Income",
            "single choice, 1036, Education",
            "single choice, 1043, Location (Census Region)",
        ]
    );
    assert_eq!(listing.questions[4].options.len(), 14);
    // The Windows-1252 header is decoded, and said so.
    assert!(
        listing
            .notes
            .iter()
            .any(|note| note.contains("Windows-1252")),
        "{:?}",
        listing.notes
    );
    assert!(
        listing.notes.iter().any(|note| note.contains(
            "on a favourability scale of 1 to 5: `Very favorably` = 5, `Somewhat favorably` = 4, `Neither favorably nor unfavorably (neutral)` = 3, `Somewhat unfavorably` = 2, `Very unfavorably` = 1"
        )),
        "{:?}",
        listing.notes
    );
    // Without --group-column nothing is taken as the group: these are demographics.
    let listing = list_real("StarWars.csv", None);
    assert!(listing.questions.iter().all(|question| !question.is_group));
}

#[test]
fn star_wars_films_seen_import_as_picks() {
    let imported = import_real("StarWars.csv", "Which of the following", Some("Gender"));
    assert_eq!(imported.kind, ResponseKind::Pick);
    // 835 ticked a film; 16 of them gave no gender.
    assert_eq!(imported.respondent_count, 819);
    assert_eq!(imported.answers.len(), 3825);
    // Line 3: all six films, male; line 5: episodes I to III, male; line 892: V only, female.
    let all: Vec<String> = FILMS.iter().map(|film| format!("male,{film},")).collect();
    assert_eq!(answers_of(&imported, "3292879998"), all);
    assert_eq!(answers_of(&imported, "3292765271"), all[..3]);
    assert_eq!(
        answers_of(&imported, "3289450247"),
        [format!("female,{},", FILMS[4])]
    );
    // Line 4 has seen none.
    assert!(answers_of(&imported, "3292879538").is_empty());
}

#[test]
fn star_wars_ranking_of_the_films_is_partial_for_two() {
    let imported = import_real(
        "StarWars.csv",
        "Please rank the Star Wars films",
        Some("Age"),
    );
    assert_eq!(imported.kind, ResponseKind::Ranking);
    assert_eq!(imported.respondent_count, 820);
    // Line 3 ranked III, II, I, IV, V, VI.
    assert_eq!(
        answers_of(&imported, "3292879998"),
        [
            format!("18-29,{},1", FILMS[2]),
            format!("18-29,{},2", FILMS[1]),
            format!("18-29,{},3", FILMS[0]),
            format!("18-29,{},4", FILMS[3]),
            format!("18-29,{},5", FILMS[4]),
            format!("18-29,{},6", FILMS[5]),
        ]
    );
    // Line 387 left III blank: I 1, II 2, VI 3, IV 4, V 5.
    assert_eq!(
        answers_of(&imported, "3290687830"),
        [
            format!("30-44,{},1", FILMS[0]),
            format!("30-44,{},2", FILMS[1]),
            format!("30-44,{},3", FILMS[5]),
            format!("30-44,{},4", FILMS[3]),
            format!("30-44,{},5", FILMS[4]),
        ]
    );
    // Line 892 left I blank and ranked V first.
    assert_eq!(
        answers_of(&imported, "3289450247"),
        [
            format!("60,{},1", FILMS[4]),
            format!("60,{},2", FILMS[2]),
            format!("60,{},3", FILMS[1]),
            format!("60,{},4", FILMS[5]),
            format!("60,{},5", FILMS[3]),
        ]
    );
}

#[test]
fn star_wars_characters_are_rated_on_the_favourability_scale() {
    let imported = import_real(
        "StarWars.csv",
        "view the following characters",
        Some("Gender"),
    );
    assert_eq!(imported.kind, ResponseKind::Rating);
    assert_eq!(imported.respondent_count, 818);
    // Every non-blank cell of the 14 columns of respondents with a gender, `Unfamiliar (N/A)`
    // included (as "don't know").
    assert_eq!(imported.answers.len(), 11306);
    assert!(
        imported
            .notes
            .iter()
            .any(|note| note.contains("a favourability scale of 1 to 5")),
        "{:?}",
        imported.notes
    );
    assert_eq!(
        imported.mapping.scale.get("Very unfavorably"),
        Some(&1),
        "{:?}",
        imported.mapping
    );
    // Line 387 left Anakin blank.
    assert_eq!(
        answers_of(&imported, "3290687830"),
        [
            "male,han-solo,5",
            "male,luke-skywalker,4",
            "male,princess-leia-organa,3",
            "male,obi-wan-kenobi,5",
            "male,emperor-palpatine,2",
            "male,darth-vader,5",
            "male,lando-calrissian,3",
            "male,boba-fett,5",
            "male,c-3p0,5",
            "male,r2-d2,5",
            "male,jar-jar-binks,5",
            "male,padme-amidala,4",
            "male,yoda,5",
        ]
    );
    // Line 5: the first five `Somewhat favorably`, the other nine `Unfamiliar (N/A)`.
    let line_5 = answers_of(&imported, "3292765271");
    assert_eq!(line_5.len(), 14);
    assert_eq!(line_5[0], "male,han-solo,4");
    assert_eq!(line_5[4], "male,obi-wan-kenobi,4");
    assert_eq!(line_5[5], "male,emperor-palpatine,None");
    assert_eq!(line_5[13], "male,yoda,None");
    // Line 892, female: Palpatine `Very unfavorably`, Lando `Unfamiliar (N/A)`, Boba Fett,
    // Jar Jar Binks and Padme blank.
    assert_eq!(
        answers_of(&imported, "3289450247"),
        [
            "female,han-solo,5",
            "female,luke-skywalker,4",
            "female,princess-leia-organa,4",
            "female,anakin-skywalker,2",
            "female,obi-wan-kenobi,4",
            "female,emperor-palpatine,1",
            "female,darth-vader,5",
            "female,lando-calrissian,None",
            "female,c-3p0,5",
            "female,r2-d2,5",
            "female,yoda,5",
        ]
    );
}

#[test]
fn star_wars_single_choices_are_not_imported_and_say_why() {
    let error = import(
        Tool::SurveyMonkey,
        &real_export("StarWars.csv"),
        "StarWars.csv",
        Options {
            question: Some("Which character shot first?"),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`Which character shot first?`, which reads as a single choice question"),
        "{error}"
    );
}

#[test]
fn midwest_lists_every_question_with_its_kind() {
    let listing = list_real("MIDWEST.csv", Some("Location"));
    assert_eq!(listing.responses, 2778);
    assert_eq!(
        summary(&listing),
        [
            "free text, 2778, In your own words, what would you call t",
            "single choice, 2778, How much, if at all, do you personally i",
            "pick, 2778, Which of the following states do you con",
            "free text, 2524, In what ZIP code is your home located? (",
            "single choice, 2503, Gender",
            "single choice, 2503, Age",
            "single choice, 2435, Household Income",
            "single choice, 2473, Education",
            "single choice, 2494, Location (Census Region) <- group",
        ]
    );
    let identify = &listing.questions[1];
    assert_eq!(
        identify.options,
        ["A lot", "Some", "Not much", "Not at all"]
    );
    assert_eq!(listing.questions[2].options.len(), 20);
    assert_eq!(listing.questions[8].options.len(), 9);
}

#[test]
fn midwest_states_import_as_picks_in_census_regions() {
    let imported = import_real(
        "MIDWEST.csv",
        "Which of the following states",
        Some("Location"),
    );
    assert_eq!(imported.kind, ResponseKind::Pick);
    // Everyone ticked a state; 2494 gave their census region.
    assert_eq!(imported.respondent_count, 2494);
    assert_eq!(imported.answers.len(), 20349);
    // Line 3: Colorado, in West South Central.
    assert_eq!(
        answers_of(&imported, "3126807211"),
        ["west-south-central,colorado,"]
    );
    // Line 5: eight states of the Midwest and Arkansas, in East North Central.
    let states = [
        "illinois",
        "iowa",
        "michigan",
        "minnesota",
        "missouri",
        "nebraska",
        "ohio",
        "wisconsin",
        "arkansas",
    ];
    let expected: Vec<String> = states
        .iter()
        .map(|state| format!("east-north-central,{state},"))
        .collect();
    assert_eq!(answers_of(&imported, "3126791039"), expected);
    // Line 4 ticked the twelve states but gave no region, so is left out, with a note.
    assert!(answers_of(&imported, "3126802202").is_empty());
    assert!(
        imported.notes.iter().any(|note| note
            .starts_with("skipped 284 respondents who did not answer `Location (Census Region)`")),
        "{:?}",
        imported.notes
    );
}

#[test]
fn midwest_without_a_group_question_is_one_group() {
    let imported = import_real("MIDWEST.csv", "Which of the following states", None);
    assert_eq!(imported.respondent_count, 2778);
    assert_eq!(imported.answers.len(), 22437);
    assert_eq!(answers_of(&imported, "3126802202").len(), 12);
    assert!(
        answers_of(&imported, "3126802202")
            .iter()
            .all(|answer| answer.starts_with("all,"))
    );
    // The single choice spread over four columns gives a group by its ticked column.
    let imported = import_real(
        "MIDWEST.csv",
        "Which of the following states",
        Some("identify as a Midwesterner"),
    );
    assert_eq!(imported.respondent_count, 2778);
    assert_eq!(answers_of(&imported, "3126807211"), ["not-much,colorado,"]);
    assert!(
        answers_of(&imported, "3126802202")
            .iter()
            .all(|answer| answer.starts_with("a-lot,"))
    );
}

#[test]
fn midwest_single_choices_read_as_such() {
    let listing = list_real("MIDWEST.csv", None);
    let kinds: Vec<QuestionKind> = listing
        .questions
        .iter()
        .map(|question| question.kind)
        .collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|kind| **kind == QuestionKind::SingleChoice)
            .count(),
        6
    );
    assert!(listing.questions.iter().all(|question| !question.is_group));
}
