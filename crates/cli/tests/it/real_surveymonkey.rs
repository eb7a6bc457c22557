//! `prioritise import` on real SurveyMonkey exports (../shared/real-exports/SOURCES.md); the
//! counts are checked by hand in crates/import/tests/it/real_surveymonkey.rs.

use crate::prioritise;

const REAL: &str = "../shared/real-exports/surveymonkey";

/// Runs `prioritise` with `arguments`, checks that it succeeded and returns stdout and stderr.
fn run(arguments: &[&str]) -> (String, String) {
    let output = prioritise().args(arguments).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    (String::from_utf8(output.stdout).unwrap(), stderr)
}

#[test]
fn midwest_lists_its_questions_and_imports_the_states_as_picks() {
    let file = format!("{REAL}/MIDWEST.csv");
    let (listing, _) = run(&[
        "import",
        "--from",
        "surveymonkey",
        &file,
        "--list",
        "--group-column",
        "Location",
    ]);
    assert!(
        listing.starts_with(&format!("{file}: surveymonkey export, 2778 responses\n")),
        "{listing}"
    );
    for line in [
        "pick               2778  Which of the following states do you consider part of the Midwest? Please select all that apply. [20 options: Illinois; Indiana; Iowa; Kansas; Michigan; Minnesota; and 14 more]",
        "single choice      2778  How much, if at all, do you personally identify as a Midwesterner? [4 options: A lot; Some; Not much; Not at all]",
        "single choice      2494  Location (Census Region) [9 options: New England; Middle Atlantic; East North Central; West North Central; South Atlantic; East South Central; and 3 more]  <- taken as the group",
    ] {
        assert!(listing.contains(line), "{line}\n{listing}");
    }
    let (picks, stderr) = run(&[
        "import",
        "--from",
        "surveymonkey",
        &file,
        "--question",
        "states",
        "--group-column",
        "Location",
    ]);
    assert!(
        stderr.contains("imported 20349 pick answers of 2494 respondents"),
        "{stderr}"
    );
    assert!(picks.starts_with("respondent,group,item\n"), "{picks}");
    assert!(
        picks.contains("\n3126807211,west-south-central,colorado\n"),
        "{picks}"
    );
    assert_eq!(picks.lines().count(), 20349 + 1);
}

#[test]
fn star_wars_lists_the_films_ranking_and_the_characters_rated_in_words() {
    let file = format!("{REAL}/StarWars.csv");
    let (listing, _) = run(&["import", "--from", "surveymonkey", &file, "--list"]);
    for expected in [
        "pick                835  Which of the following Star Wars films have you seen? Please select all that apply.",
        "ranking             836  Please rank the Star Wars films",
        "rating              834  Please state whether you view the following characters",
        "on a favourability scale of 1 to 5: `Very favorably` = 5,",
    ] {
        assert!(listing.contains(expected), "{expected}\n{listing}");
    }
    let (ratings, stderr) = run(&[
        "import",
        "--from",
        "surveymonkey",
        &file,
        "--question",
        "following characters",
        "--group-column",
        "Gender",
    ]);
    assert!(
        stderr.contains("imported 11306 rating answers of 818 respondents"),
        "{stderr}"
    );
    assert!(
        ratings.contains("\n3290687830,male,emperor-palpatine,2\n"),
        "{ratings}"
    );
}
