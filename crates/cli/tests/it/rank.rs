use predicates::prelude::*;

use crate::{Stderr, arguments, check_refused, example_exercise, json_of, prioritise, simulated};

fn write(directory: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = directory.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Four voters: two rank a > b > c, one b > c > a, one c > b (a unranked).
const SMALL: &str = "respondent,group,item,rank\n\
v1,g,a,1\nv1,g,b,2\nv1,g,c,3\n\
v2,g,a,1\nv2,g,b,2\nv2,g,c,3\n\
v3,h,b,1\nv3,h,c,2\nv3,h,a,3\n\
v4,h,c,1\nv4,h,b,2\n";

#[test]
fn ranks_a_small_file_by_hand_worked_borda() {
    let directory = tempfile::tempdir().unwrap();
    let path = write(&directory, "small.csv", SMALL);
    let value = json_of(&[
        "rank".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--disclosure-threshold".as_ref(),
        "1".as_ref(),
    ]);
    // Averaged Borda with m = 3: a = 2 + 2 + 0 + 0 (unranked: (3 − 2 − 1)/2 = 0) = 4;
    // b = 1 + 1 + 2 + 1 = 5; c = 0 + 0 + 1 + 2 = 3.
    let ranking = value["results"][0]["ranking"].as_array().unwrap();
    let scores: Vec<(&str, f64, u64)> = ranking
        .iter()
        .map(|row| {
            (
                row["item"].as_str().unwrap(),
                row["score"].as_f64().unwrap(),
                row["rank"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(scores, [("b", 5.0, 1), ("a", 4.0, 2), ("c", 3.0, 3)]);
    assert_eq!(value["results"][0]["method"], "borda");
    assert_eq!(value["results"][0]["weighting"], "pooled");
    assert_eq!(value["input"]["kind"], "ranking");
    assert_eq!(value["input"]["respondents"], 4);
    assert_eq!(value["input"]["items"], 3);
    let sha = value["input"]["sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64);
    assert!(sha.chars().all(|character| character.is_ascii_hexdigit()));
    assert_eq!(value["results"][0]["groups"].as_array().unwrap().len(), 2);
    assert!(value["agreement"]["kendall_w"].as_f64().unwrap() >= 0.0);
}

#[test]
fn the_simulated_example_gives_a_table_and_design_json() {
    let directory = tempfile::tempdir().unwrap();
    let path = simulated(&directory, "rank");
    let table = prioritise()
        .arg("rank")
        .arg(&path)
        .arg("--exercise")
        .arg(example_exercise())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let table = String::from_utf8(table).unwrap();
    assert!(
        table.starts_with("points (jla-positions weighting): 148 respondents, 20 items\n"),
        "{table}"
    );
    assert!(
        table.lines().all(|line| line.chars().count() <= 80),
        "{table}"
    );

    let exercise = example_exercise();
    let mut arguments: Vec<&std::ffi::OsStr> = vec![
        "rank".as_ref(),
        path.as_os_str(),
        "--exercise".as_ref(),
        exercise.as_os_str(),
    ];
    arguments.extend(
        [
            "--method",
            "borda",
            "--method",
            "schulze",
            "--bootstrap",
            "100",
            "--seed",
            "3",
            "--format",
            "json",
        ]
        .map(std::ffi::OsStr::new),
    );
    let value = json_of(&arguments);
    let results = value["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for result in results {
        let ranking = result["ranking"].as_array().unwrap();
        assert_eq!(ranking.len(), 20);
        // Standard competition ranks: each rank is one more than the number of items above.
        for (position, row) in ranking.iter().enumerate() {
            let rank = row["rank"].as_u64().unwrap() as usize;
            let above = ranking
                .iter()
                .filter(|other| other["score"].as_f64() > row["score"].as_f64())
                .count();
            assert_eq!(rank, above + 1, "row {position}");
            assert!(row["label"].is_string());
            let interval = row["rank_interval"].as_array().unwrap();
            assert!(interval[0].as_u64() <= interval[1].as_u64());
            let p_top = row["p_top"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&p_top));
        }
        assert!(!result["groups"].as_array().unwrap().is_empty());
    }
    assert!(value["comparison"]["pairs"].as_array().unwrap().len() == 1);
    assert_eq!(value["settings"]["seed"], 3);
    // The same seed gives the same numbers.
    assert_eq!(json_of(&arguments), value);
}

#[test]
fn refusals_say_what_does_not_fit() {
    let directory = tempfile::tempdir().unwrap();
    let small = write(&directory, "small.csv", SMALL);
    let tied = write(
        &directory,
        "tied.csv",
        "respondent,group,item,rank\nv1,g,a,1\nv1,g,b,1\nv2,g,b,1\nv2,g,a,2\n",
    );
    check_refused([
        (
            "a method that does not fit ranking data",
            arguments([&"rank", &small, &"--method", &"mean"]),
            1,
            Stderr::Is("error: method `mean` does not fit ranking data\nhint: methods that fit ranking data: borda, points, dowdall, count, copeland, schulze, kemeny, plackett-luce\n".to_string()),
        ),
        (
            "plackett-luce on tied ballots",
            arguments([&"rank", &tied, &"--method", &"plackett-luce"]),
            1,
            Stderr::Has(&["has tied items, which plackett-luce does not allow"]),
        ),
        (
            "custom weighting without every group",
            arguments([
                &"rank",
                &small,
                &"--weighting",
                &"custom",
                &"--group-weights",
                &"g=2",
            ]),
            1,
            Stderr::Is("error: custom weighting needs a weight for every group; missing: h\nhint: give them as GROUP=WEIGHT pairs (--group-weights GROUP=WEIGHT,...)\n".to_string()),
        ),
    ]);
}

#[test]
fn all_methods_on_a_preflib_file_leave_out_what_cannot_be_fitted() {
    prioritise()
        .args([
            "rank",
            "crates/survey/tests/fixtures/preflib/questions.toi",
            "--method",
            "all",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "method,weighting,scope,group,item,label,rank,score,rank_low,rank_high,p_top,class\n",
        ))
        .stdout(predicate::str::contains("kemeny,pooled,overall"))
        .stderr(predicate::str::contains("note: plackett-luce left out"));
}

#[test]
fn ratings_rank_by_mean_and_delphi() {
    let directory = tempfile::tempdir().unwrap();
    let path = simulated(&directory, "rate");
    let exercise = example_exercise();
    let mut arguments: Vec<&std::ffi::OsStr> = vec![
        "rank".as_ref(),
        path.as_os_str(),
        "--exercise".as_ref(),
        exercise.as_os_str(),
    ];
    arguments.extend(
        [
            "--method",
            "mean",
            "--method",
            "delphi",
            "--method",
            "rand-ucla",
            "--weighting",
            "pooled",
            "--format",
            "json",
        ]
        .map(std::ffi::OsStr::new),
    );
    let value = json_of(&arguments);
    assert_eq!(value["input"]["kind"], "rating");
    assert_eq!(
        value["settings"]["scale"],
        "1-9, from the exercise definition"
    );
    let delphi = &value["results"][1]["ranking"][0];
    assert!(
        ["consensus-in", "consensus-out", "no-consensus"]
            .contains(&delphi["class"].as_str().unwrap())
    );
    assert!(value["results"][2]["ranking"][0]["class"].is_string());
}

#[test]
fn custom_weighting_with_every_group_weighs_each() {
    // Without every group it is refused: see `refusals_say_what_does_not_fit`.
    let directory = tempfile::tempdir().unwrap();
    let path = write(&directory, "small.csv", SMALL);
    prioritise()
        .arg("rank")
        .arg(&path)
        .args([
            "--weighting",
            "custom",
            "--group-weights",
            "g=2,h=1",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("borda,custom,overall,,a,a,1,8,"));
}
