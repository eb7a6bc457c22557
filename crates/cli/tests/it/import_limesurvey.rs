//! `prioritise import --from limesurvey` on a real export: the shared real exports'
//! `limesurvey/results-survey54231.xlsx` (bhermann/artifact-survey, CC BY 4.0), beside the
//! checkout. Counts made with python3 as said in crates/import/tests/it/real_limesurvey.rs;
//! complete, answered `g2` and `ae10`: `sum(r[1] != "" and r[152] != "" and r[164] in ("Yes",
//! "No") for r in data)` = 67.

use predicates::prelude::*;

use crate::prioritise;

/// The workbook, relative to the workspace root the binary runs from.
const WORKBOOK: &str = "../shared/real-exports/limesurvey/results-survey54231.xlsx";

#[test]
fn the_real_workbook_lists_its_questions_and_imports_a_rating() {
    let output = prioritise()
        .args(["import", "--from", "limesurvey", WORKBOOK, "--list"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    for line in [
        format!(
            "{WORKBOOK}: limesurvey export, 257 responses (133 marked incomplete by limesurvey; --complete-only leaves them out)"
        ),
        format!(
            "{:<14} {:>8}  g0 [144 options: CICSE_Y2011; CICSE_Y2012;",
            "pick", 153
        ),
        format!(
            "{:<14} {:>8}  g1 [2 options: Yes; No]",
            "single choice", 159
        ),
        format!("{:<14} {:>8}  g2 [1 option: g2]", "rating", 99),
        format!(
            "{:<14} {:>8}  au1 [4 options: None; 10-20; 1-5; 5-10]",
            "single choice", 130
        ),
        format!(
            "{:<14} {:>8}  anonymized [1 option: anonymized]",
            "single choice", 85
        ),
    ] {
        assert!(stdout.contains(&line), "{line}\n{stdout}");
    }
    // Timings are LimeSurvey's own columns, not questions.
    assert!(!stdout.contains("groupTime7"), "{stdout}");
    assert!(!stdout.contains("g1Time"), "{stdout}");

    prioritise()
        .args(["import", "--from", "limesurvey", WORKBOOK])
        .args([
            "--question",
            "g2",
            "--group-column",
            "ae10",
            "--complete-only",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "respondent,group,item,rating\n4,yes,g2,3\n17,yes,g2,7\n",
        ))
        .stderr(predicate::str::contains(
            "left out 133 responses the tool marks incomplete (--complete-only)",
        ))
        .stderr(predicate::str::contains(
            "imported 67 rating answers of 67 respondents from limesurvey export",
        ));
}
