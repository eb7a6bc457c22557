//! `prioritise rank` on a pairwise exchange file with the majority methods: the 2014/15 Austrian
//! Bundesliga as pairwise choices (each match day a respondent choosing each match's winner; a
//! draw is "can't decide" and is left out), checked against the values `pref_voting` computed
//! (crates/rank/tests/data/pref_voting_pairwise.py).

use crate::{json_of, workspace_root};

/// The matches as an exchange file `respondent,group,winner,loser`: match days 1-18 in group
/// `autumn`, 19-36 in `spring`.
fn exchange_file(directory: &tempfile::TempDir) -> std::path::PathBuf {
    let matches = std::fs::read_to_string(
        workspace_root().join("crates/rank/tests/data/austria-bundesliga-2014-15.csv"),
    )
    .unwrap();
    let mut text = String::from("respondent,group,winner,loser\n");
    for line in matches.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let day: u32 = fields[0].parse().unwrap();
        let group = if day <= 18 { "autumn" } else { "spring" };
        let (home_goals, away_goals): (u32, u32) =
            (fields[4].parse().unwrap(), fields[5].parse().unwrap());
        let (home, away) = (fields[2], fields[3]);
        if home_goals > away_goals {
            text.push_str(&format!("day-{day},{group},{home},{away}\n"));
        } else if away_goals > home_goals {
            text.push_str(&format!("day-{day},{group},{away},{home}\n"));
        }
    }
    let path = directory.path().join("bundesliga.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn ranks_pairwise_choices_by_copeland_schulze_and_kemeny() {
    let directory = tempfile::tempdir().unwrap();
    let path = exchange_file(&directory);
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            workspace_root().join("crates/rank/tests/data/pref_voting_pairwise.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let teams: Vec<&str> = expected["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|team| team.as_str().unwrap())
        .collect();
    let pooled = &expected["weightings"]["pooled"];
    let value = json_of(
        &[
            "rank",
            path.to_str().unwrap(),
            "--method",
            "copeland,schulze,kemeny",
            "--bootstrap",
            "100",
            "--format",
            "json",
        ]
        .map(std::ffi::OsStr::new),
    );
    assert_eq!(value["input"]["kind"], "pairwise");
    assert_eq!(value["input"]["respondents"], 36);
    let results = value["results"].as_array().unwrap();
    let methods: Vec<&str> = results
        .iter()
        .map(|result| result["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["copeland", "schulze", "kemeny"]);
    // Each team's score, in the fixture's order of teams.
    let scores = |result: &serde_json::Value| -> Vec<f64> {
        let ranking = result["ranking"].as_array().unwrap();
        teams
            .iter()
            .map(|team| {
                let row = ranking.iter().find(|row| row["item"] == *team).unwrap();
                let interval = row["rank_interval"].as_array().unwrap();
                assert!(interval[0].as_u64() <= interval[1].as_u64());
                row["score"].as_f64().unwrap()
            })
            .collect()
    };
    let numbers = |value: &serde_json::Value| -> Vec<f64> {
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|number| number.as_f64().unwrap())
            .collect()
    };
    assert_eq!(scores(&results[0]), numbers(&pooled["copeland_scores"]));
    assert_eq!(scores(&results[1]), numbers(&pooled["schulze_scores"]));
    // Kemeny scores m − 1 − position: the order read back from them is one of pref_voting's
    // optimal orders.
    let kemeny = scores(&results[2]);
    let mut order: Vec<usize> = (0..teams.len()).collect();
    order.sort_by(|&a, &b| kemeny[b].total_cmp(&kemeny[a]));
    let optimal: Vec<Vec<usize>> = pooled["kemeny_optimal_orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|order| {
            order
                .as_array()
                .unwrap()
                .iter()
                .map(|item| item.as_u64().unwrap() as usize)
                .collect()
        })
        .collect();
    assert!(optimal.contains(&order), "{order:?} not in {optimal:?}");
    // Both halves of the season have 18 respondents, enough to be shown on their own.
    assert_eq!(results[0]["groups"].as_array().unwrap().len(), 2);
}
