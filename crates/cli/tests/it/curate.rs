use predicates::prelude::*;
use survey::curation::{Status, read_curation};

use crate::{Stderr, arguments, check_refused, example_exercise, prioritise, simulated};

#[test]
fn propose_writes_a_curation_file_ordered_by_cluster() {
    let directory = tempfile::tempdir().unwrap();
    let suggestions = simulated(&directory, "suggest");
    let out = directory.path().join("curation.csv");
    prioritise()
        .args(["curate", "propose"])
        .arg(&suggestions)
        .arg("--exercise")
        .arg(example_exercise())
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::is_match(
            r"^\d+ suggestions in \d+ clusters: \d+ clusters \(\d+ suggestions\) matched to existing items, \d+ clusters \(\d+ suggestions\) left for new items or out of scope; thresholds 0\.\d+ and 0\.\d+ \(item\)\n$",
        )
        .unwrap());

    let exercise_source = std::fs::read_to_string(example_exercise()).unwrap();
    let exercise = survey::Exercise::parse(&exercise_source, "exercise.toml").unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("suggestion,respondent,group,text,status,item,cluster,similarity,note\n")
    );
    let curation = read_curation(text.as_bytes(), "curation.csv", Some(&exercise)).unwrap();

    // One row per suggestion of the file.
    let suggestion_rows = std::fs::read_to_string(&suggestions)
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(curation.suggestions.len(), suggestion_rows);
    assert!(curation.suggestions.len() > 400);
    assert!(
        curation
            .suggestions
            .iter()
            .all(|suggestion| suggestion.status == Status::Proposed)
    );
    // Clusters in order, numbered from 0, every suggestion in one.
    let clusters: Vec<u32> = curation
        .suggestions
        .iter()
        .map(|suggestion| suggestion.cluster.unwrap())
        .collect();
    assert_eq!(clusters[0], 0);
    assert!(
        clusters
            .windows(2)
            .all(|pair| pair[1] == pair[0] || pair[1] == pair[0] + 1)
    );
    // Most suggestions are matched to an item, with the similarity; a cluster has one item.
    let matched = curation
        .suggestions
        .iter()
        .filter(|suggestion| suggestion.item.is_some())
        .count();
    assert!(matched * 10 > curation.suggestions.len() * 8, "{matched}");
    for suggestion in &curation.suggestions {
        assert_eq!(suggestion.item.is_some(), suggestion.similarity.is_some());
        if let Some(similarity) = suggestion.similarity {
            assert!((0.15..=1.0).contains(&similarity), "{similarity}");
        }
        let first_of_cluster = curation
            .suggestions
            .iter()
            .find(|other| other.cluster == suggestion.cluster)
            .unwrap();
        assert_eq!(first_of_cluster.item, suggestion.item);
    }
    // Near-duplicates sit together: a suggestion naming "kinship care" is with others that do.
    let kinship: Vec<_> = curation
        .suggestions
        .iter()
        .filter(|suggestion| suggestion.text.to_lowercase().contains("kinship care"))
        .collect();
    assert!(kinship.len() >= 5);
    let mostly = kinship
        .iter()
        .filter(|suggestion| suggestion.item.as_deref() == Some("kinship-care"))
        .count();
    assert!(
        mostly * 10 >= kinship.len() * 8,
        "{mostly} of {}",
        kinship.len()
    );

    // The same input gives the same file.
    let again = prioritise()
        .args(["curate", "propose"])
        .arg(&suggestions)
        .arg("--exercise")
        .arg(example_exercise())
        .output()
        .unwrap();
    assert!(again.status.success());
    assert_eq!(again.stdout, text.as_bytes());
}

#[test]
fn a_higher_threshold_gives_more_clusters() {
    let directory = tempfile::tempdir().unwrap();
    let suggestions = simulated(&directory, "suggest");
    let clusters = |threshold: &str| {
        let output = prioritise()
            .args(["curate", "propose"])
            .arg(&suggestions)
            .arg("--exercise")
            .arg(example_exercise())
            .args(["--threshold", threshold])
            .output()
            .unwrap();
        assert!(output.status.success());
        let stderr = String::from_utf8(output.stderr).unwrap();
        stderr
            .split(" clusters:")
            .next()
            .unwrap()
            .rsplit(' ')
            .next()
            .unwrap()
            .parse::<usize>()
            .unwrap()
    };
    assert!(clusters("0.8") > clusters("0.4"));
}

#[test]
fn propose_refuses_other_answers_and_bad_thresholds() {
    let directory = tempfile::tempdir().unwrap();
    let rank = simulated(&directory, "rank");
    let exercise = example_exercise();
    check_refused([
        (
            "a file of ranking answers",
            arguments([&"curate", &"propose", &rank, &"--exercise", &exercise]),
            1,
            Stderr::Has(&[
                "holds ranking answers, not suggestions",
                "hint: give the file of a suggest round",
            ]),
        ),
        (
            "a threshold over 1",
            arguments([
                &"curate",
                &"propose",
                &"suggest.csv",
                &"--exercise",
                &exercise,
                &"--threshold",
                &"1.5",
            ]),
            2,
            Stderr::Has(&["a threshold is from 0 to 1, not 1.5"]),
        ),
    ]);
    prioritise()
        .args(["curate", "propose", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Usage: prioritise curate propose"));
}

#[test]
fn accept_assigns_what_matches_an_item_and_leaves_the_rest_proposed() {
    let directory = tempfile::tempdir().unwrap();
    let suggestions = simulated(&directory, "suggest");
    let out = directory.path().join("accepted.csv");
    prioritise()
        .args(["curate", "propose", "--accept"])
        .arg(&suggestions)
        .arg("--exercise")
        .arg(example_exercise())
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    let curation = read_curation(text.as_bytes(), "accepted.csv", None).unwrap();
    let assigned = curation
        .suggestions
        .iter()
        .filter(|suggestion| suggestion.status == Status::Assigned)
        .count();
    assert!(assigned > curation.suggestions.len() / 2, "{assigned}");
    for suggestion in &curation.suggestions {
        match suggestion.status {
            Status::Assigned => {
                assert!(suggestion.item.is_some());
                assert_eq!(suggestion.note.as_deref(), Some("accepted as proposed"));
            }
            Status::Proposed => assert!(suggestion.item.is_none()),
            other => panic!("unexpected status {other:?}"),
        }
    }
}
