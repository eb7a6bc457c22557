//! `prioritise import --from qualtrics` on a real export (../shared/real-exports/qualtrics,
//! see SOURCES.md there): a 2019 university survey of 547 responses (104 unfinished).

use crate::prioritise;

const UCB: &str = "../shared/real-exports/qualtrics/UCB Main Survey_June 19, 2019_15.47.csv";

#[test]
fn list_describes_the_real_ucb_survey() {
    let output = prioritise()
        .args([
            "import",
            "--from",
            "qualtrics",
            UCB,
            "--list",
            "--group-column",
            "gender",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].ends_with(": qualtrics export, 547 responses (104 marked incomplete by qualtrics; --complete-only leaves them out)"),
        "{stdout}"
    );
    // python3 (see crates/import/tests/it/real_qualtrics.rs): 547 answered the gender
    // question, 438 the rank order Q34 (any of columns 63-67, "Other" included), 26 its
    // write-in (column 68).
    for expected in [
        "single choice       547  Which gender do you best identify with? [6 options: Woman; Man; Transgender; Gender non-binary; Gender queer; Decline to state]  <- taken as the group",
        "ranking             438  What would influence you to vote more? Rank the following 1-4 with 1 being most influential. You do not have to rank answers if they are not influential to you at all. [4 options: Dismissal of the 2 party system; Removal of \"smear\" campaigns that seek to discredit candidates; Easier access of information on candidates and measures; Establishment of a holiday for Election Day]",
        "free text            26  What would influence you to vote more? Rank the following 1-4 with 1 being most influential. You do not have to rank answers if they are not influential to you at all. - Other - Text",
    ] {
        assert!(lines.contains(&expected), "{expected}\n{stdout}");
    }
}

#[test]
fn the_real_ucb_rank_order_imports_complete_responses_only() {
    let output = prioritise()
        .args(["import", "--from", "qualtrics", UCB])
        .args([
            "--group-column",
            "gender",
            "--question",
            "What would influence you",
        ])
        .arg("--complete-only")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("respondent,group,item,rank\n"),
        "{stdout}"
    );
    // python3: 416 finished respondents ranked at least one of the four items.
    assert!(
        stderr.contains("ranking answers of 416 respondents"),
        "{stderr}"
    );
    assert!(
        stderr.contains("left out 104 responses the tool marks incomplete (--complete-only)"),
        "{stderr}"
    );
}
