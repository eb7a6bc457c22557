use predicates::prelude::*;

use test_support::ExerciseToml;

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
        .stderr(predicate::str::contains("round `rank` (rank): "))
        .stderr(predicate::str::contains(
            "respondents, points with jla-positions weighting",
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

/// One group, two items (one with evidence), a suggest round and a rank round, each round
/// with its own title: built from the shared small exercise, naming only what differs.
fn curated_exercise() -> String {
    ExerciseToml::tiny()
        .id("curated")
        .title("A curated exercise")
        .set("disclosure_threshold", "1")
        .groups(&[("carers", "Carers")])
        .items(&[("housing", "Housing"), ("school", "School")])
        .item_set("school", "evidence", "\"Smith 2020\"")
        .rounds(
            r#"[[rounds]]
id = "suggest"
kind = "suggest"
title = "Your questions"

[[rounds]]
id = "rank"
kind = "rank"
title = "Rank"
top_k = 2
method = "borda"
"#,
        )
        .build()
}

#[test]
fn a_curation_adds_the_audit_trail_and_audit_csv() {
    let data = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = data.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let exercise = write("exercise.toml", &curated_exercise());
    let suggest = write(
        "suggest.csv",
        "respondent,group,text\nc1,carers,=1+1 <b>homes</b>\nc2,carers,schools\n",
    );
    let rank = write(
        "rank.csv",
        "respondent,group,item,rank\nc1,carers,housing,1\nc1,carers,school,2\nc2,carers,housing,1\n",
    );
    let curation = write(
        "curation.csv",
        "suggestion,respondent,group,text,status,item,cluster,similarity,note\n\
         c1:1,c1,carers,=1+1 <b>homes</b>,assigned,housing,,,\n\
         c2:1,c2,carers,schools,assigned,school,,,\n",
    );
    let out = data.path().join("report");
    prioritise()
        .arg("report")
        .args([&suggest, &rank])
        .arg("--exercise")
        .arg(&exercise)
        .arg("--curation")
        .arg(&curation)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("results.csv, audit.csv"));
    let audit = std::fs::read_to_string(out.join("audit.csv")).unwrap();
    assert_eq!(
        audit,
        "final_rank,item,title,status,submissions,groups,original_submissions,evidence,answered,\
         rank_score,rank_rank,rank_included\n\
         1,housing,Housing,top priority,1,carers 1,'=1+1 <b>homes</b>,,no,2,1,yes\n\
         2,school,School,top priority,1,carers 1,schools,Smith 2020,no,0,2,yes\n"
    );
    let markdown = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(markdown.contains("## From suggestion to priority"));
    assert!(
        markdown.contains(r"In their words: “=1+1 \<b\>homes\</b\>”"),
        "{markdown}"
    );
    // In the appendix, by item, the cell would start a formula: it is escaped.
    assert!(markdown.contains(r"| Housing | Carers | \=1+1 \<b\>homes\</b\> |"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("=1+1 &lt;b&gt;homes&lt;/b&gt;"));
    assert!(!html.contains("<b>homes"));

    // A curation that names an item the exercise does not have is refused with its line.
    let bad = write(
        "bad.csv",
        "suggestion,respondent,group,text,status,item,cluster,similarity,note\n\
         c1:1,c1,carers,homes,assigned,nowhere,,,\n",
    );
    prioritise()
        .arg("report")
        .args([&suggest, &rank])
        .arg("--exercise")
        .arg(&exercise)
        .arg("--curation")
        .arg(&bad)
        .arg("--out")
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicate::str::contains("bad.csv:2"))
        .stderr(predicate::str::contains("hint: "));
}

/// The report's "Order of items" text for the example's rating round simulated with
/// `--position-bias` (as given), through `simulate` and `report`.
fn order_section(position_bias: &str) -> String {
    let data = tempfile::tempdir().unwrap();
    let rate = data.path().join("rate.csv");
    prioritise()
        .args([
            "simulate",
            "--exercise",
            "surveys/childrens-social-care/exercise.toml",
            "--round",
            "rate",
            "--seed",
            "4",
            "--position-bias",
            position_bias,
            "--out",
        ])
        .arg(&rate)
        .assert()
        .success();
    let header = std::fs::read_to_string(&rate).unwrap();
    assert!(
        header.starts_with("respondent,group,item,rating,shown_order\n"),
        "{}",
        &header[..80]
    );
    let folder = data.path().join("report");
    prioritise()
        .arg("report")
        .arg(&rate)
        .arg("--exercise")
        .arg(example_exercise())
        .arg("--out")
        .arg(&folder)
        .args(["--seed", "1", "--simulated"])
        .assert()
        .success();
    let markdown = std::fs::read_to_string(folder.join("report.md")).unwrap();
    let start = markdown
        .find("## Order of items")
        .expect("the section is there");
    let end = markdown[start + 3..]
        .find("\n## ")
        .map_or(markdown.len(), |end| start + 3 + end);
    markdown[start..end].to_string()
}

#[test]
fn the_report_finds_a_simulated_position_bias_and_none_without_it() {
    let biased = order_section("0.5");
    assert!(
        biased.contains("Items shown earlier were rated higher"),
        "{biased}"
    );
    let unbiased = order_section("0");
    assert!(
        unbiased.contains("No sign that the order items were shown in changed the answers"),
        "{unbiased}"
    );
}
