use predicates::prelude::*;

use crate::prioritise;

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
fn the_wrong_tool_fails_with_a_hint_and_writes_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("rank.csv");
    prioritise()
        .args(["import", "--from", "google-forms"])
        .arg(format!("{FIXTURES}/surveymonkey_ranking.csv"))
        .arg("--out")
        .arg(&path)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "not a google-forms export: expected one header row starting with `Timestamp`",
        ))
        .stderr(predicate::str::contains("hint: see docs/import.md"));
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
