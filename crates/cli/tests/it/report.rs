use predicates::prelude::*;

use crate::{example_exercise, prioritise, simulated};

#[test]
fn reports_the_simulated_example_with_every_file() {
    let data = tempfile::tempdir().unwrap();
    let suggest = simulated(&data, "suggest");
    let rate = simulated(&data, "rate");
    let rank = simulated(&data, "rank");
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("report");
    prioritise()
        .arg("report")
        .args([&suggest, &rate, &rank])
        .arg("--exercise")
        .arg(example_exercise())
        .arg("--out")
        .arg(&folder)
        .args(["--bootstrap", "50", "--seed", "1", "--simulated"])
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote the report to"))
        .stderr(predicate::str::contains(
            "round `rank` (rank): 250 respondents, points with jla-positions weighting",
        ));

    for name in ["report.html", "report.md", "results.json", "results.csv"] {
        let path = folder.join(name);
        assert!(
            std::fs::metadata(&path).is_ok_and(|metadata| metadata.len() > 1000),
            "{} is missing or empty",
            path.display()
        );
    }
    let mut charts: Vec<String> = std::fs::read_dir(folder.join("charts"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    charts.sort();
    for chart in [
        "participation",
        "rank-top-priorities",
        "rank-group-ranks",
        "rank-group-agreement",
        "rank-method-sensitivity",
        "rate-rating-distribution",
        "rate-to-rank-movement",
    ] {
        for extension in ["svg", "png"] {
            let name = format!("{chart}.{extension}");
            assert!(charts.contains(&name), "{name} missing from {charts:?}");
        }
    }
    // Nothing half-written is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let markdown = std::fs::read_to_string(folder.join("report.md")).unwrap();
    assert!(markdown.contains("> **Simulated data.**"));
    assert!(markdown.contains("prioritise report "));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("results.json")).unwrap()).unwrap();
    assert_eq!(json["simulated"], true);
    assert_eq!(json["rounds"]["rank"]["results"][0]["method"], "points");
    assert_eq!(json["rounds"]["rate"]["results"][0]["method"], "top-box");
    assert_eq!(json["reproducibility"]["seed"], 1);
    assert_eq!(
        json["reproducibility"]["inputs"].as_array().unwrap().len(),
        3
    );
    let sha = json["reproducibility"]["exercise_definition"]["sha256"]
        .as_str()
        .unwrap();
    assert_eq!(sha.len(), 64);
    let csv = std::fs::read_to_string(folder.join("results.csv")).unwrap();
    assert!(csv.starts_with("round,method,weighting,scope,group,item,label,rank,"));
    assert!(csv.lines().any(|line| line.starts_with("rate,top-box,")));
    assert!(csv.lines().any(|line| line.starts_with("rank,points,")));
}

#[test]
fn a_round_can_be_named_and_is_not_given_twice() {
    let data = tempfile::tempdir().unwrap();
    let rank = simulated(&data, "rank");
    let out = tempfile::tempdir().unwrap();
    let named = format!("{}:rank", rank.display());
    prioritise()
        .args(["report", named.as_str()])
        .arg("--exercise")
        .arg(example_exercise())
        .arg("--out")
        .arg(out.path())
        .args(["--method", "points"])
        .assert()
        .success();
    assert!(out.path().join("report.html").exists());

    prioritise()
        .arg("report")
        .args([&rank, &rank])
        .arg("--exercise")
        .arg(example_exercise())
        .arg("--out")
        .arg(out.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("both answer round `rank`"))
        .stderr(predicate::str::contains("hint: "));

    let wrong = format!("{}:rate", rank.display());
    prioritise()
        .args(["report", wrong.as_str()])
        .arg("--exercise")
        .arg(example_exercise())
        .arg("--out")
        .arg(out.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "round `rate` collects rating answers, but the file holds ranking answers",
        ));
}
