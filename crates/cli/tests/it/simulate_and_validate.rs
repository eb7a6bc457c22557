use crate::{Stderr, arguments, check_refused, example_exercise, prioritise};
use predicates::prelude::*;

fn simulate(round: &str, respondents: u32, seed: u32) -> Vec<u8> {
    simulate_with(round, respondents, seed, &[])
}

fn simulate_with(round: &str, respondents: u32, seed: u32, extra: &[&str]) -> Vec<u8> {
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
        .args(extra)
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
    // Without drop-out, every round has all 250 respondents (drop-out is checked below).
    let directory = tempfile::tempdir().unwrap();
    let full = ["--retention", "1"];
    for round in ["suggest", "rate", "rank"] {
        let first = simulate_with(round, 250, 1, &full);
        let second = simulate_with(round, 250, 1, &full);
        assert_eq!(first, second, "round {round}: same seed, same bytes");
        assert_ne!(
            first,
            simulate_with(round, 250, 2, &full),
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
            "simulated round `rank` (rank) of `childrens-social-care`: 148 respondents of 250 in the first round",
        ));
    assert_eq!(std::fs::read(&path).unwrap(), simulate("rank", 250, 1));
    // Nothing else was left behind.
    assert_eq!(std::fs::read_dir(directory.path()).unwrap().count(), 1);
}

#[test]
fn refusals_name_the_file_line_and_what_to_fix() {
    let directory = tempfile::tempdir().unwrap();
    let responses = directory.path().join("bad.csv");
    std::fs::write(
        &responses,
        "respondent,group,item,rank\nr1,leaders,mental-health,1\nr1,leaders,transitions,11\n",
    )
    .unwrap();
    let definition = directory.path().join("exercise.toml");
    let source = std::fs::read_to_string(example_exercise()).unwrap();
    // A misspelt key first, so that it would hide the others if it stopped the parse.
    let broken = source
        .replacen("top_k = 10", "top_k = 21", 1)
        .replacen("max_suggestions = 5", "max_suggestions = 0", 1)
        .replacen("disclosure_threshold = 5", "disclosure_treshold = 5", 1);
    std::fs::write(&definition, &broken).unwrap();
    let line_of = |wanted: &str| broken.lines().position(|line| line == wanted).unwrap() + 1;
    let (top_k_line, suggestions_line) = (line_of("top_k = 21"), line_of("max_suggestions = 0"));
    let misspelt_line = line_of("disclosure_treshold = 5");
    let (responses_shown, definition_shown) = (responses.display(), definition.display());
    let exercise = example_exercise();
    let retention = |bad: &str| {
        arguments([
            &"simulate",
            &"--exercise",
            &exercise,
            &"--round",
            &"rank",
            &format!("--retention={bad}"),
        ])
    };
    check_refused([
        (
            "a rank beyond the round's top_k",
            arguments([&"validate", &responses, &"--exercise", &exercise]),
            1,
            Stderr::Is(format!(
                "error: {responses_shown}:3: column `rank`: rank 11 is beyond the top 10 that round `rank` asks for\n"
            )),
        ),
        (
            "a definition with a misspelt key and two other problems lists all three in order",
            arguments([&"validate", &definition]),
            1,
            Stderr::Is(format!(
                "error: {definition_shown}:{misspelt_line}: unknown key `disclosure_treshold`: did you mean `disclosure_threshold`?\n\
                 error: {definition_shown}:{suggestions_line}: round `suggest`: `max_suggestions` is 0 but must be at least 1\n\
                 error: {definition_shown}:{top_k_line}: round `rank`: `top_k` is 21 but the round has 20 items\n\
                 hint: see docs/exercise-format.md for every key an exercise definition may have\n"
            )),
        ),
        (
            "simulate asks which round",
            arguments([
                &"simulate",
                &"--exercise",
                &"surveys/childrens-social-care/exercise.toml",
            ]),
            1,
            Stderr::Is("error: exercise `childrens-social-care` has 3 rounds; say which to simulate\nhint: add --round ROUND, one of: suggest, rate, rank; or --out-dir DIR for every round\n".to_string()),
        ),
        (
            "a missing file",
            arguments([&"validate", &"no-such-file.csv"]),
            1,
            Stderr::StartsWith("error: cannot open no-such-file.csv: "),
        ),
        ("a retention of 0", retention("0"), 2, Stderr::Has(&["--retention"])),
        ("a retention over 1", retention("1.5"), 2, Stderr::Has(&["--retention"])),
        ("a negative retention", retention("-0.2"), 2, Stderr::Has(&["--retention"])),
        ("a retention in words", retention("most"), 2, Stderr::Has(&["--retention"])),
    ]);
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

/// The respondent ids of an exchange file, in file order, without repeats.
fn respondents_of(bytes: &[u8]) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(bytes);
    let mut ids: Vec<String> = Vec::new();
    for record in reader.records() {
        let id = record.unwrap()[0].to_string();
        if ids.last() != Some(&id) {
            ids.push(id);
        }
    }
    ids
}

#[test]
fn out_dir_writes_every_round_of_one_panel_with_drop_out() {
    let directory = tempfile::tempdir().unwrap();
    let out = directory.path().join("simulated");
    prioritise()
        .args(["simulate", "--exercise"])
        .arg(example_exercise())
        .arg("--out-dir")
        .arg(&out)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(
            "simulated round `suggest` (suggest) of `childrens-social-care`: 250 respondents,",
        ))
        .stderr(predicate::str::contains(
            "simulated round `rate` (rate) of `childrens-social-care`: 192 respondents of 250 in the first round",
        ))
        .stderr(predicate::str::contains(
            "simulated round `rank` (rank) of `childrens-social-care`: 148 respondents of 250 in the first round",
        ))
        .stderr(predicate::str::contains("wrote 3 rounds to"));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["rank.csv", "rate.csv", "suggest.csv"],
        "no temporary file is left"
    );

    let mut previous: Option<Vec<String>> = None;
    for round in ["suggest", "rate", "rank"] {
        let path = out.join(format!("{round}.csv"));
        let bytes = std::fs::read(&path).unwrap();
        // Each round is what `--round` gives alone: one panel, whichever way it is simulated.
        assert_eq!(bytes, simulate(round, 250, 1), "round {round}");
        prioritise()
            .arg("validate")
            .arg(&path)
            .arg("--exercise")
            .arg(example_exercise())
            .args(["--round", round])
            .assert()
            .success();
        let respondents = respondents_of(&bytes);
        if let Some(previous) = &previous {
            assert!(
                respondents.len() < previous.len(),
                "round {round}: people left"
            );
            assert!(
                respondents.iter().all(|id| previous.contains(id)),
                "round {round}: nobody comes back or appears from nowhere"
            );
        }
        previous = Some(respondents);
    }
}

#[test]
fn retention_one_keeps_everyone_and_a_half_keeps_fewer_than_half() {
    let rank = simulate_with("rank", 100, 3, &["--retention", "1"]);
    assert_eq!(respondents_of(&rank).len(), 100);
    let rank = simulate_with("rank", 100, 3, &["--retention", "0.5"]);
    assert!(respondents_of(&rank).len() < 50);
    // A bad retention is refused: see `refusals_name_the_file_line_and_what_to_fix`.
}

#[test]
fn out_dir_writes_nothing_when_it_cannot_write() {
    let directory = tempfile::tempdir().unwrap();
    let file = directory.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    prioritise()
        .args(["simulate", "--exercise"])
        .arg(example_exercise())
        .arg("--out-dir")
        .arg(file.join("simulated"))
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("error: cannot create "));
    assert_eq!(std::fs::read_dir(directory.path()).unwrap().count(), 1);
    // --out-dir writes every round: it does not go with --round.
    prioritise()
        .args(["simulate", "--exercise"])
        .arg(example_exercise())
        .args(["--round", "rank", "--out-dir"])
        .arg(directory.path())
        .assert()
        .code(2);
}
