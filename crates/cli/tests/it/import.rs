use predicates::prelude::*;

use crate::{Stderr, arguments, check_refused, prioritise};

const FIXTURES: &str = "crates/import/tests/fixtures";

#[test]
fn a_surveymonkey_export_imports_to_stdout_and_ranks() {
    let output = prioritise()
        .args(["import", "--from", "surveymonkey"])
        .arg(format!("{FIXTURES}/surveymonkey_ranking.csv"))
        .args(["--exercise"])
        .arg(format!("{FIXTURES}/exercise.toml"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with(
            "respondent,group,item,rank\n114691001,parents,early-help,1\n114691001,parents,kinship-care,2\n"
        ),
        "{stdout}"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("imported 13 ranking answers of 5 respondents from surveymonkey export"),
        "{stderr}"
    );

    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("rank.csv");
    std::fs::write(&path, &stdout).unwrap();
    let ranked = crate::json_of(&[
        "rank".as_ref(),
        path.as_os_str(),
        "--exercise".as_ref(),
        format!("{FIXTURES}/exercise.toml").as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    // The round's own method and weighting: points, re-scored the JLA way (7, 6.5 and 4.5; see
    // crates/import/tests/it/jla.rs for the hand computation).
    let items: Vec<&str> = ranked["results"][0]["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["item"].as_str().unwrap())
        .collect();
    assert_eq!(items, ["early-help", "caseloads", "kinship-care"]);
}

#[test]
fn a_google_forms_export_imports_to_a_file() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("rank.csv");
    prioritise()
        .args(["import", "--from", "google-forms"])
        .arg(format!("{FIXTURES}/google_forms_numbers.csv"))
        .args(["--group-column", "role", "--out"])
        .arg(&path)
        .assert()
        .success()
        .stdout("");
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        written,
        "respondent,group,item,rank\nrow-1,researcher,kinship-care,1\nrow-1,researcher,early-help,2\nrow-1,researcher,social-work-caseloads,3\nrow-2,practitioner,early-help,1\nrow-2,practitioner,social-work-caseloads,2\nrow-2,practitioner,kinship-care,3\n"
    );
}

#[test]
fn files_that_are_not_the_tools_export_fail_with_a_hint_and_write_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("rank.csv");
    let not_a_workbook = directory.path().join("not-really.xlsx");
    std::fs::write(&not_a_workbook, "ID,Start time\n1,2\n").unwrap();
    let surveymonkey = format!("{FIXTURES}/surveymonkey_ranking.csv");
    check_refused([
        (
            "the wrong tool",
            arguments([
                &"import",
                &"--from",
                &"google-forms",
                &surveymonkey,
                &"--out",
                &path,
            ]),
            1,
            Stderr::Has(&[
                "not a google-forms export: expected one header row starting with `Timestamp`",
                "hint: see docs/import.md",
            ]),
        ),
        (
            "a bad workbook names its sheet, row and column",
            arguments([&"import", &"--from", &"surveymonkey", &not_a_workbook]),
            1,
            Stderr::Has(&[
                "cannot read the workbook: not an XLSX workbook",
                "hint: see docs/import.md",
            ]),
        ),
    ]);
    assert!(!path.exists());
}

#[test]
fn a_drafted_mapping_can_be_edited_and_used() {
    let directory = tempfile::tempdir().unwrap();
    let draft = directory.path().join("mapping.toml");
    prioritise()
        .args(["import", "--from", "surveymonkey"])
        .arg(format!("{FIXTURES}/surveymonkey_ranking.csv"))
        .arg("--draft-mapping")
        .arg(&draft)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "114691001,parents-and-carers,social-work-caseloads,3",
        ));
    let text = std::fs::read_to_string(&draft).unwrap();
    assert!(
        text.contains("\"Social work caseloads\" = \"social-work-caseloads\""),
        "{text}"
    );
    std::fs::write(
        &draft,
        text.replace("\"social-work-caseloads\"", "\"caseloads\""),
    )
    .unwrap();
    prioritise()
        .args(["import", "--from", "surveymonkey"])
        .arg(format!("{FIXTURES}/surveymonkey_ranking.csv"))
        .arg("--mapping")
        .arg(&draft)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "114691001,parents-and-carers,caseloads,3",
        ));
    std::fs::write(&draft, "[items]\n\"Early help\" = \"Early Help\"\n").unwrap();
    prioritise()
        .args(["import", "--from", "surveymonkey"])
        .arg(format!("{FIXTURES}/surveymonkey_ranking.csv"))
        .arg("--mapping")
        .arg(&draft)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "[items] `Early help`: `Early Help` is not a valid id",
        ))
        .stderr(predicate::str::contains("hint: write a draft to edit"));
}

#[test]
fn a_microsoft_forms_workbook_imports_and_ranks() {
    let output = prioritise()
        .args(["import", "--from", "microsoft-forms"])
        .arg(format!("{FIXTURES}/microsoft_forms.xlsx"))
        .args(["--exercise"])
        .arg(format!("{FIXTURES}/exercise.toml"))
        .args(["--group-column", "which group"])
        .output()
        .unwrap();
    // Respondent 4's typed "Other" group is not a group of the exercise: the error lists it.
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("group labels not found in exercise `import-example`: `Foster carer\\nand kinship carer`"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: draft a mapping"), "{stderr}");

    let directory = tempfile::tempdir().unwrap();
    let mapping = directory.path().join("mapping.toml");
    std::fs::write(
        &mapping,
        "[groups]\n\"Foster carer\\nand kinship carer\" = \"other\"\n",
    )
    .unwrap();
    let path = directory.path().join("rank.csv");
    prioritise()
        .args(["import", "--from", "microsoft-forms"])
        .arg(format!("{FIXTURES}/microsoft_forms.xlsx"))
        .args(["--exercise"])
        .arg(format!("{FIXTURES}/exercise.toml"))
        .arg("--mapping")
        .arg(&mapping)
        .arg("--out")
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "imported 11 ranking answers of 4 respondents from microsoft-forms export",
        ));
    let ranked = crate::json_of(&[
        "rank".as_ref(),
        path.as_os_str(),
        "--exercise".as_ref(),
        format!("{FIXTURES}/exercise.toml").as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    // 7.5, 6.5 and 4: see crates/import/tests/it/microsoft_forms.rs for the hand computation.
    let scores: Vec<(&str, f64)> = ranked["results"][0]["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["item"].as_str().unwrap(),
                row["score"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        scores,
        [
            ("early-help", 7.5),
            ("caseloads", 6.5),
            ("kinship-care", 4.0)
        ]
    );
}

#[test]
fn every_question_of_an_export_imports_to_its_own_file() {
    let directory = tempfile::tempdir().unwrap();
    let out = directory.path().join("imported");
    prioritise()
        .args(["import", "--from", "qualtrics"])
        .arg(format!("{FIXTURES}/qualtrics_choice_text.csv"))
        .arg("--out-dir")
        .arg(&out)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(
            "note: left out 1 responses that Qualtrics marks as previews, tests or spam (`Status`): 1 `Survey Preview`",
        ))
        .stderr(predicate::str::contains(
            "wrote 11 rating answers of 4 respondents to `How important is research on each topic?`",
        ));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "how-important-is-research-on-each-topic.csv",
            "please-rank-these-topics-from-most-to-least-important.csv"
        ]
    );
    let ranking = std::fs::read_to_string(
        out.join("please-rank-these-topics-from-most-to-least-important.csv"),
    )
    .unwrap();
    assert!(
        ranking.starts_with(
            "respondent,group,item,rank\nR_3kF8x1Qm2Lp,parents-and-carers,early-help,1\n"
        ),
        "{ranking}"
    );
    let rating =
        std::fs::read_to_string(out.join("how-important-is-research-on-each-topic.csv")).unwrap();
    assert!(
        rating.starts_with(
            "respondent,group,item,rating\nR_3kF8x1Qm2Lp,parents-and-carers,early-help,4\n"
        ),
        "{rating}"
    );
    // Both rank.
    for file in [
        "how-important-is-research-on-each-topic.csv",
        "please-rank-these-topics-from-most-to-least-important.csv",
    ] {
        prioritise()
            .arg("rank")
            .arg(out.join(file))
            .assert()
            .success();
    }
}

#[test]
fn several_questions_are_all_or_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let out = directory.path().join("imported");
    // The second question does not exist: nothing is written, not even the first.
    prioritise()
        .args(["import", "--from", "limesurvey"])
        .arg(format!("{FIXTURES}/limesurvey_full.csv"))
        .args(["--question", "please rank", "--question", "urgency"])
        .arg("--out-dir")
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "expected a ranking, rating or pick question whose header contains `urgency`",
        ));
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
    // Without --out-dir, one question at most.
    prioritise()
        .args(["import", "--from", "limesurvey"])
        .arg(format!("{FIXTURES}/limesurvey_full.csv"))
        .args(["--question", "please rank", "--question", "how important"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "2 questions asked for, but stdout or --out takes one",
        ))
        .stderr(predicate::str::contains(
            "hint: write each question to its own file with --out-dir DIR",
        ));
    prioritise()
        .args(["import", "--from", "limesurvey"])
        .arg(format!("{FIXTURES}/limesurvey_full.csv"))
        .args(["--question", "please rank", "--question", "how important"])
        .arg("--out-dir")
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("please-rank-these-topics.csv").exists());
    assert!(
        out.join("how-important-is-research-on-each-topic.csv")
            .exists()
    );
}

#[test]
fn list_describes_every_question_and_writes_nothing() {
    let output = prioritise()
        .args(["import", "--from", "surveymonkey"])
        .arg(format!("{FIXTURES}/surveymonkey_ranking.csv"))
        .arg("--list")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..6],
        [
            "crates/import/tests/fixtures/surveymonkey_ranking.csv: surveymonkey export, 6 responses",
            "",
            "kind           answered  question",
            "single choice         6  Which group best describes you? [2 options: Parents and carers; Practitioners]  <- taken as the group",
            "ranking               5  Please rank these topics from most important (1) to least important (3). [3 options: Early help; Kinship care; Social work caseloads]",
            "free text             2  Any other comments?",
        ]
    );
    assert!(stdout.contains("--question TEXT"), "{stdout}");
    // The named group question is marked instead; a missing one is refused with the list hint.
    let stdout = String::from_utf8(
        prioritise()
            .args(["import", "--from", "surveymonkey"])
            .arg(format!("{FIXTURES}/surveymonkey_ranking.csv"))
            .args(["--list", "--group-column", "comments"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        stdout.contains("free text             2  Any other comments?  <- taken as the group"),
        "{stdout}"
    );
    prioritise()
        .args(["import", "--from", "surveymonkey"])
        .arg(format!("{FIXTURES}/surveymonkey_ranking.csv"))
        .args(["--list", "--out", "x.csv"])
        .assert()
        .failure()
        .stdout("");
}

#[test]
fn a_round_that_asks_more_items_than_the_question_is_refused_with_them() {
    let directory = tempfile::tempdir().unwrap();
    let exercise = directory.path().join("exercise.toml");
    let mut definition = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../import/tests/fixtures/exercise.toml"
    ))
    .unwrap();
    definition.push_str("\n[[items]]\nid = \"youth-justice\"\ntitle = \"Youth justice\"\n");
    std::fs::write(&exercise, definition).unwrap();
    let out = directory.path().join("rank.csv");
    prioritise()
        .args(["import", "--from", "surveymonkey"])
        .arg(format!("{FIXTURES}/surveymonkey_ranking.csv"))
        .arg("--exercise")
        .arg(&exercise)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "asked 3 items, but round `rank` of exercise `import-example` also has `Youth justice`",
        ))
        .stderr(predicate::str::contains(
            "[\"caseloads\", \"early-help\", \"kinship-care\"]",
        ))
        .stderr(predicate::str::contains(
            "hint: see what each question asked with --list",
        ));
    assert!(!out.exists());
    // --round must name a round of the exercise, and needs --exercise.
    prioritise()
        .args(["import", "--from", "surveymonkey"])
        .arg(format!("{FIXTURES}/surveymonkey_ranking.csv"))
        .args(["--round", "rank"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--exercise"));
    prioritise()
        .args(["import", "--from", "surveymonkey"])
        .arg(format!("{FIXTURES}/surveymonkey_ranking.csv"))
        .arg("--exercise")
        .arg(&exercise)
        .args(["--round", "nope"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("has no round `nope`"));
}

#[test]
fn every_question_to_a_directory_leaves_out_one_that_cannot_be_read() {
    let directory = tempfile::tempdir().unwrap();
    let export = directory.path().join("export.csv");
    std::fs::write(
        &export,
        "Respondent ID,Which group are you in?,Rank these,,How would you rate each?,\n\
         ,Response,Early help,Kinship care,Early help,Kinship care\n\
         1,Parents,1,2,Banana,Apple\n\
         2,Parents,2,1,Apple,Banana\n",
    )
    .unwrap();
    let out = directory.path().join("imported");
    let output = prioritise()
        .args(["import", "--from", "surveymonkey"])
        .arg(&export)
        .arg("--out-dir")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    assert!(out.join("rank-these.csv").exists());
    assert!(!out.join("how-would-you-rate-each.csv").exists());
    assert!(
        stderr.contains(
            "note: not written: `How would you rate each?`: 4 cells cannot be read, the first: "
        ),
        "{stderr}"
    );
    // Named, the same question stops the whole import and writes nothing.
    let named = directory.path().join("named");
    prioritise()
        .args(["import", "--from", "surveymonkey"])
        .arg(&export)
        .args([
            "--question",
            "Rank these",
            "--question",
            "How would you rate",
        ])
        .arg("--out-dir")
        .arg(&named)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("4 cells cannot be read"));
    assert!(!named.exists() || std::fs::read_dir(&named).unwrap().next().is_none());
}
