use crate::{example_exercise, prioritise};
use predicates::prelude::*;

fn simulate(round: &str, respondents: u32, seed: u32) -> Vec<u8> {
    let output = prioritise()
        .args(["simulate", "--exercise"])
        .arg(example_exercise())
        .args([
            "--round",
            round,
            "--respondents",
            &respondents.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn the_example_exercise_is_valid() {
    prioritise()
        .args(["validate", "surveys/childrens-social-care/exercise.toml"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "exercise `childrens-social-care` with 8 groups, 40 items and 3 rounds: suggest (suggest), rate (rate), rank (rank)",
        ));
}

#[test]
fn every_simulated_round_validates_and_the_same_seed_gives_the_same_bytes() {
    let directory = tempfile::tempdir().unwrap();
    for round in ["suggest", "rate", "rank"] {
        let first = simulate(round, 250, 1);
        let second = simulate(round, 250, 1);
        assert_eq!(first, second, "round {round}: same seed, same bytes");
        assert_ne!(
            first,
            simulate(round, 250, 2),
            "round {round}: another seed, other bytes"
        );
        let path = directory.path().join(format!("{round}.csv"));
        std::fs::write(&path, &first).unwrap();
        prioritise()
            .arg("validate")
            .arg(&path)
            .arg("--exercise")
            .arg(example_exercise())
            .args(["--round", round])
            .assert()
            .success()
            .stdout(predicate::str::contains("250 respondents"));
    }
}

#[test]
fn simulate_writes_a_file_only_when_complete() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("rank.csv");
    prioritise()
        .args([
            "simulate",
            "--exercise",
            "surveys/childrens-social-care/exercise.toml",
            "--round",
            "rank",
            "--out",
        ])
        .arg(&path)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(
            "simulated round `rank` (rank) of `childrens-social-care`: 250 respondents",
        ));
    assert_eq!(std::fs::read(&path).unwrap(), simulate("rank", 250, 1));
    // Nothing else was left behind.
    assert_eq!(std::fs::read_dir(directory.path()).unwrap().count(), 1);
}

#[test]
fn a_bad_response_file_is_refused_with_its_line_and_a_non_zero_exit() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("bad.csv");
    std::fs::write(
        &path,
        "respondent,group,item,rank\nr1,leaders,mental-health,1\nr1,leaders,transitions,11\n",
    )
    .unwrap();
    prioritise()
        .arg("validate")
        .arg(&path)
        .arg("--exercise")
        .arg(example_exercise())
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "error: {}:3: column `rank`: rank 11 is beyond the top 10 that round `rank` asks for\n",
            path.display()
        ));
}

#[test]
fn a_bad_definition_lists_every_problem_with_its_line() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("exercise.toml");
    let source = std::fs::read_to_string(example_exercise()).unwrap();
    let broken = source.replacen("top_k = 10", "top_k = 21", 1).replacen(
        "max_suggestions = 5",
        "max_suggestions = 0",
        1,
    );
    std::fs::write(&path, &broken).unwrap();
    let top_k_line = broken
        .lines()
        .position(|line| line == "top_k = 21")
        .unwrap()
        + 1;
    let suggestions_line = broken
        .lines()
        .position(|line| line == "max_suggestions = 0")
        .unwrap()
        + 1;
    let shown = path.display();
    prioritise()
        .arg("validate")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(format!(
            "error: {shown}:{suggestions_line}: round `suggest`: `max_suggestions` is 0 but must be at least 1\n\
             error: {shown}:{top_k_line}: round `rank`: `top_k` is 21 but the round has 20 items\n\
             hint: see docs/exercise-format.md for every key an exercise definition may have\n"
        ));
}

#[test]
fn simulate_asks_which_round() {
    prioritise()
        .args(["simulate", "--exercise", "surveys/childrens-social-care/exercise.toml"])
        .assert()
        .code(1)
        .stderr("error: exercise `childrens-social-care` has 3 rounds; say which to simulate\nhint: add --round ROUND, one of: suggest, rate, rank\n");
}

#[test]
fn a_missing_file_is_a_clear_error() {
    prioritise()
        .args(["validate", "no-such-file.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: cannot open no-such-file.csv: ",
        ));
}

#[test]
fn every_command_has_help() {
    for command in [
        &["--help"][..],
        &["validate", "--help"],
        &["simulate", "--help"],
    ] {
        prioritise()
            .args(command)
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: prioritise"));
    }
}

#[test]
fn a_preflib_file_validates_as_ranking_data() {
    prioritise()
        .args([
            "validate",
            "crates/survey/tests/fixtures/preflib/questions.toi",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("ranking file"))
        .stdout(predicate::str::contains("by group: all "));
}
