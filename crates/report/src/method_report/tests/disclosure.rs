//! The differencing attack of issue 14 against every output of the report. Threshold 5; in the
//! rating round groups of 6 (Alpha), 5 (Beta), 2 (Gamma) and 8 (Delta, so that a second group
//! stays shown when the pool takes Beta); in the ranking round one of Alpha and one of Gamma
//! have left (5, 5, 1, 8). For each output, what it shows is subtracted the way an attacker
//! would (everyone minus the groups it shows), and what is left must be nobody or at least 5
//! people: never Gamma alone.

use std::collections::BTreeMap;

use survey::curation::read_curation;

use super::*;
use crate::table::results_table;

const THRESHOLD: u64 = 5;

const DISCLOSE_EXERCISE: &str = r#"
id = "disclose"
title = "Subtraction"
description = "Made up for the tests."
disclosure_threshold = 5

[[groups]]
id = "a"
label = "Alpha"

[[groups]]
id = "b"
label = "Beta"

[[groups]]
id = "c"
label = "Gamma"

[[groups]]
id = "d"
label = "Delta"

[[items]]
id = "i1"
title = "Item one"

[[items]]
id = "i2"
title = "Item two"

[[items]]
id = "i3"
title = "Item three"

[[items]]
id = "i4"
title = "Item four"

[[rounds]]
id = "suggest"
kind = "suggest"
title = "Your questions"

[[rounds]]
id = "rate"
kind = "rate"
title = "Rate"
scale = { min = 1, max = 5 }
method = "mean"
weighting = "equal-groups"

[[rounds]]
id = "rank"
kind = "rank"
title = "Rank"
top_k = 4
method = "borda"
weighting = "pooled"
"#;

const GROUPS: [(&str, &str, usize); 4] = [
    ("a", "Alpha", 6),
    ("b", "Beta", 5),
    ("c", "Gamma", 2),
    ("d", "Delta", 8),
];

/// Every respondent of the rating round: (id, group).
fn people() -> Vec<(String, &'static str)> {
    GROUPS
        .iter()
        .flat_map(|&(group, _, size)| (1..=size).map(move |n| (format!("{group}{n}"), group)))
        .collect()
}

/// Those who left before the ranking round: one of Alpha, one of Gamma.
fn left(id: &str) -> bool {
    id == "a6" || id == "c2"
}

/// A rating from 1 to 5 that differs by person and item; Gamma's first person rates everything 3.
fn rating(person: usize, id: &str, item: usize) -> u64 {
    if id == "c1" {
        3
    } else {
        ((person * 3 + item * 2 + person * item) % 5 + 1) as u64
    }
}

/// A person's order of the four items (item indices, best first).
fn order(person: usize) -> [usize; 4] {
    let shift = person % 4;
    [shift, (shift + 1) % 4, (shift + 3) % 4, (shift + 2) % 4]
}

fn ratings_csv() -> String {
    let mut text = "respondent,group,item,rating\n".to_string();
    for (person, (id, group)) in people().iter().enumerate() {
        for item in 0..4 {
            let value = rating(person, id, item);
            text.push_str(&format!("{id},{group},i{},{value}\n", item + 1));
        }
    }
    text
}

fn rankings_csv() -> String {
    let mut text = "respondent,group,item,rank\n".to_string();
    for (person, (id, group)) in people().iter().enumerate() {
        if left(id) {
            continue;
        }
        for (place, item) in order(person).iter().enumerate() {
            text.push_str(&format!("{id},{group},i{},{}\n", item + 1, place + 1));
        }
    }
    text
}

fn suggestions_csv() -> String {
    let mut text = "respondent,group,text\n".to_string();
    for (id, group) in people() {
        text.push_str(&format!("{id},{group},A question from {id}\n"));
    }
    text
}

fn curation_csv() -> String {
    let mut text =
        "suggestion,respondent,group,text,status,item,cluster,similarity,note\n".to_string();
    for (person, (id, group)) in people().iter().enumerate() {
        text.push_str(&format!(
            "{id}:1,{id},{group},A question from {id},assigned,i{},,,\n",
            person % 4 + 1
        ));
    }
    text
}

/// The report of the exercise, with its curation.
fn disclosure_report() -> MethodReport {
    let exercise = exercise(DISCLOSE_EXERCISE);
    let (suggest_text, rate_text, rank_text) = (suggestions_csv(), ratings_csv(), rankings_csv());
    let suggestions = read(&exercise, "suggest", &suggest_text);
    let ratings = read(&exercise, "rate", &rate_text);
    let rankings = read(&exercise, "rank", &rank_text);
    let request = |text: &str| RankingRequest {
        methods: vec!["all".to_string()],
        top_k: 3,
        seed: 7,
        sha256: sha256(text),
        ..RankingRequest::default()
    };
    let rate_round = exercise.round("rate").unwrap();
    let rank_round_ = exercise.round("rank").unwrap();
    let rated = rank_round(&ratings, &exercise, rate_round, &request(&rate_text), None).unwrap();
    let ranked = rank_round(
        &rankings,
        &exercise,
        rank_round_,
        &request(&rank_text),
        None,
    )
    .unwrap();
    let curation =
        read_curation(curation_csv().as_bytes(), "curation.csv", Some(&exercise)).unwrap();
    let input = ReportInput {
        exercise: &exercise,
        exercise_source: source("exercise.toml", DISCLOSE_EXERCISE),
        rounds: vec![
            RoundData {
                round: exercise.round("suggest").unwrap(),
                source: source("suggest.csv", &suggest_text),
                responses: &suggestions,
                results: None,
                notes: Vec::new(),
            },
            RoundData {
                round: rate_round,
                source: source("rate.csv", &rate_text),
                responses: &ratings,
                results: Some(rated.document),
                notes: rated.notes,
            },
            RoundData {
                round: rank_round_,
                source: source("rank.csv", &rank_text),
                responses: &rankings,
                results: Some(ranked.document),
                notes: ranked.notes,
            },
        ],
        command: "prioritise report".to_string(),
        program: "prioritise test".to_string(),
        simulated: false,
    };
    method_report_with_curation(&input, Some(&curation)).unwrap()
}

/// What an attacker isolates by taking the shown parts from the whole: nobody, or at least the
/// threshold of people.
fn assert_isolates_nobody_or_enough(whole: u64, shown_parts: &[u64], output: &str) {
    let shown: u64 = shown_parts.iter().sum();
    assert!(
        shown <= whole,
        "{output}: parts {shown_parts:?} exceed {whole}"
    );
    let isolated = whole - shown;
    assert!(
        isolated == 0 || isolated >= THRESHOLD,
        "{output}: {whole} − {shown_parts:?} isolates {isolated} people"
    );
}

/// Per item (i1..i4): the mean rating of the people of `groups`, each group's mean apart.
fn group_means(group: &str) -> [f64; 4] {
    let mut sums = [0.0; 4];
    let mut count = 0.0;
    for (person, (id, of)) in people().iter().enumerate() {
        if *of == group {
            count += 1.0;
            for (item, sum) in sums.iter_mut().enumerate() {
                *sum += rating(person, id, item) as f64;
            }
        }
    }
    sums.map(|sum| sum / count)
}

/// Per item: the Borda points (4 − place) of the rankers of `groups`, added up.
fn borda_totals(groups: &[&str]) -> [f64; 4] {
    let mut totals = [0.0; 4];
    for (person, (id, group)) in people().iter().enumerate() {
        if left(id) || !groups.contains(group) {
            continue;
        }
        for (place, &item) in order(person).iter().enumerate() {
            totals[item] += (3 - place) as f64;
        }
    }
    totals
}

fn item_index(id: &str) -> usize {
    id[1..].parse::<usize>().unwrap() - 1
}

/// A results document's overall and per-group scores by item index, and group sizes.
struct Figures {
    respondents: u64,
    overall: [f64; 4],
    groups: BTreeMap<String, (u64, [f64; 4])>,
}

fn figures_of_json(round: &serde_json::Value) -> Figures {
    let entry = &round["results"][0];
    let scores = |rows: &serde_json::Value| {
        let mut scores = [0.0; 4];
        for row in rows.as_array().unwrap() {
            scores[item_index(row["item"].as_str().unwrap())] = row["score"].as_f64().unwrap();
        }
        scores
    };
    Figures {
        respondents: round["input"]["respondents"].as_u64().unwrap(),
        overall: scores(&entry["ranking"]),
        groups: entry["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|group| {
                (
                    group["group"].as_str().unwrap().to_string(),
                    (
                        group["respondents"].as_u64().unwrap(),
                        scores(&group["ranking"]),
                    ),
                )
            })
            .collect(),
    }
}

/// The equal-groups attack on the rating round: k × overall mean − the shown groups' means is
/// the sum of the hidden groups' means. It must be Beta's and Gamma's together (7 people),
/// never Gamma's alone.
fn check_equal_groups_attack(figures: &Figures, output: &str) {
    let shown: Vec<&str> = figures.groups.keys().map(String::as_str).collect();
    assert_eq!(shown, ["a", "d"], "{output}");
    let sizes: Vec<u64> = figures.groups.values().map(|(size, _)| *size).collect();
    assert_isolates_nobody_or_enough(figures.respondents, &sizes, output);
    let (beta, gamma) = (group_means("b"), group_means("c"));
    for item in 0..4 {
        let residual = 4.0 * figures.overall[item]
            - figures
                .groups
                .values()
                .map(|(_, scores)| scores[item])
                .sum::<f64>();
        assert!(
            (residual - (beta[item] + gamma[item])).abs() < 1e-9,
            "{output}: item {item}: {residual} is not the pool's"
        );
        assert!(
            (residual - gamma[item]).abs() > 1e-6,
            "{output}: Gamma isolated"
        );
    }
}

/// The pooled Borda attack on the ranking round: overall totals − the shown groups' totals are
/// the totals of Alpha and Gamma together (6 people), never Gamma's alone.
fn check_borda_attack(figures: &Figures, output: &str) {
    let shown: Vec<&str> = figures.groups.keys().map(String::as_str).collect();
    assert_eq!(shown, ["b", "d"], "{output}");
    let sizes: Vec<u64> = figures.groups.values().map(|(size, _)| *size).collect();
    assert_isolates_nobody_or_enough(figures.respondents, &sizes, output);
    let (pool, gamma) = (borda_totals(&["a", "c"]), borda_totals(&["c"]));
    for item in 0..4 {
        let residual = figures.overall[item]
            - figures
                .groups
                .values()
                .map(|(_, scores)| scores[item])
                .sum::<f64>();
        assert!(
            (residual - pool[item]).abs() < 1e-9,
            "{output}: item {item}"
        );
        assert!(
            (residual - gamma[item]).abs() > 1e-6,
            "{output}: Gamma isolated"
        );
    }
}

#[test]
fn results_json_isolates_no_small_group() {
    let report = disclosure_report();
    let json: serde_json::Value = serde_json::from_str(&report.results_json).unwrap();
    check_equal_groups_attack(
        &figures_of_json(&json["rounds"]["rate"]),
        "results.json rate",
    );
    check_borda_attack(
        &figures_of_json(&json["rounds"]["rank"]),
        "results.json rank",
    );
    // The suggestion counts: everyone minus the named groups is the pool of 7.
    let groups = json["suggestions"]["suggest"].as_array().unwrap();
    let named: Vec<&str> = groups
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    assert_eq!(named, ["a", "d", "other groups"]);
    let named_sizes: Vec<u64> = groups
        .iter()
        .filter(|g| g["group"] != "other groups")
        .map(|g| g["respondents"].as_u64().unwrap())
        .collect();
    assert_isolates_nobody_or_enough(21, &named_sizes, "results.json suggestions");
}

#[test]
fn results_csv_isolates_no_small_group() {
    let report = disclosure_report();
    let mut reader = csv::Reader::from_reader(report.results_csv.as_bytes());
    let mut rate = Figures {
        respondents: 21,
        overall: [0.0; 4],
        groups: BTreeMap::new(),
    };
    let mut rank = Figures {
        respondents: 19,
        overall: [0.0; 4],
        groups: BTreeMap::new(),
    };
    for record in reader.records() {
        let record = record.unwrap();
        let (round, method, scope, group) = (&record[0], &record[1], &record[3], &record[4]);
        let figures = match (round, method) {
            ("rate", "mean") => &mut rate,
            ("rank", "borda") => &mut rank,
            _ => continue,
        };
        let item = item_index(&record[5]);
        let score: f64 = record[8].parse().unwrap();
        if scope == "overall" {
            figures.overall[item] = score;
        } else {
            let size = GROUPS.iter().find(|(id, ..)| *id == group).unwrap().2 as u64
                - u64::from(round == "rank" && group == "a");
            figures
                .groups
                .entry(group.to_string())
                .or_insert((size, [0.0; 4]))
                .1[item] = score;
        }
    }
    check_equal_groups_attack(&rate, "results.csv rate");
    check_borda_attack(&rank, "results.csv rank");
}

/// The rows of the Markdown table under the caption `**{caption}`, as cells.
fn table<'m>(markdown: &'m str, caption: &str) -> Vec<Vec<&'m str>> {
    let start = markdown
        .find(&format!("**{caption}"))
        .unwrap_or_else(|| panic!("no table “{caption}”"));
    markdown[start..]
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| line.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect()
}

/// Checks the columns of a table by group that count the people behind each row: "All groups"
/// minus the named groups' rows isolates nobody or at least the threshold, the pool reaches
/// it, and no pooled group is named.
fn check_table(rows: &[Vec<&str>], pooled: &[&str], columns: &[usize], output: &str) {
    for row in rows {
        assert!(!pooled.contains(&row[0]), "{output} names {}", row[0]);
    }
    let total = rows.iter().find(|row| row[0] == "All groups");
    for &column in columns {
        let value = |row: &Vec<&str>| row[column].parse::<u64>().unwrap();
        let named: Vec<u64> = rows
            .iter()
            .filter(|row| row[0] != "All groups" && row[0] != "Other groups")
            .map(value)
            .collect();
        let whole = total.map_or_else(|| named.iter().sum::<u64>(), value);
        assert_isolates_nobody_or_enough(whole, &named, output);
        if let Some(pool) = rows.iter().find(|row| row[0] == "Other groups") {
            let pool = value(pool);
            assert!(pool == 0 || pool >= THRESHOLD, "{output}: a pool of {pool}");
        }
    }
}

#[test]
fn the_participation_table_and_chart_isolate_no_small_group() {
    let report = disclosure_report();
    let rows = table(
        &report.markdown,
        "Respondents by stakeholder group and round",
    );
    // Alpha is pooled in the ranking round, Beta and Gamma in the others: only Delta is named.
    let labels: Vec<&str> = rows.iter().map(|row| row[0]).collect();
    assert_eq!(labels, ["Delta", "Other groups", "All groups"]);
    assert_eq!(rows[1], ["Other groups", "13", "13", "11"]);
    check_table(
        &rows,
        &["Alpha", "Beta", "Gamma"],
        &[1, 2, 3],
        "participation",
    );
    let chart = report
        .charts
        .iter()
        .find(|file| file.name == "participation")
        .unwrap();
    for pooled in ["Alpha", "Beta", "Gamma"] {
        assert!(
            !chart.chart.alt_text.contains(pooled),
            "{}",
            chart.chart.alt_text
        );
        assert!(!chart.chart.svg.contains(pooled));
    }
    assert!(
        chart
            .chart
            .alt_text
            .contains("Other groups: Round 1: Your questions 13")
    );
}

#[test]
fn drop_out_tables_isolate_no_small_group_in_either_round() {
    let report = disclosure_report();
    let rows = table(
        &report.markdown,
        "Who went on from round 2 to round 3, by their group in round 2",
    );
    // Gamma's ranking-round count would be its rating-round count minus its drop-outs if
    // Gamma, or Alpha (pooled with it in the ranking round), had a row of its own.
    // Column 1 holds the people behind each row; the other columns count within them.
    check_table(&rows, &["Alpha", "Beta", "Gamma"], &[1], "drop-out");
    let pool = rows.iter().find(|row| row[0] == "Other groups").unwrap();
    // Answered round 2, stayed, dropped out: 13, 11, 2. Stayed plus new is the pool of the
    // participation table in round 3, the same groups: nothing is left over.
    assert_eq!(&pool[1..4], ["13", "11", "2"]);
    let participation = table(
        &report.markdown,
        "Respondents by stakeholder group and round",
    );
    let stayed_and_new: u64 = pool[2].parse::<u64>().unwrap() + pool[5].parse::<u64>().unwrap();
    assert_eq!(stayed_and_new.to_string(), participation[1][3]);
}

#[test]
fn per_group_figures_of_the_report_isolate_no_small_group() {
    let report = disclosure_report();
    let markdown = &report.markdown;
    for (round, total, shown, pooled) in [
        (
            "Round 2: Rate",
            21,
            vec![("Alpha", 6), ("Delta", 8)],
            ["Beta", "Gamma"],
        ),
        (
            "Round 3: Rank",
            19,
            vec![("Beta", 5), ("Delta", 8)],
            ["Alpha", "Gamma"],
        ),
    ] {
        let results = markdown.find("## Results overall and by group").unwrap();
        let start = results + markdown[results..].find(&format!("### {round}")).unwrap();
        let section = &markdown[start..];
        let section = &section[..section[4..]
            .find("\n### ")
            .map_or(section.len(), |end| end + 4)];
        let mut sizes = Vec::new();
        for (label, size) in &shown {
            assert!(
                section.contains(&format!("**{label} ({size} respondents): top 3**")),
                "{section}"
            );
            sizes.push(*size);
        }
        for label in pooled {
            assert!(
                !section.contains(&format!("**{label} (")),
                "{round} shows {label}"
            );
        }
        assert_isolates_nobody_or_enough(total, &sizes, round);
    }
    // The heatmaps and agreement charts: only shown groups.
    for file in &report.charts {
        if file.name.ends_with("group-ranks") || file.name.ends_with("group-agreement") {
            assert!(!file.chart.alt_text.contains("Gamma"), "{}", file.name);
            let pooled = if file.name.starts_with("rate") {
                "Beta"
            } else {
                "Alpha"
            };
            assert!(
                !file.chart.alt_text.contains(&format!("{pooled}:")),
                "{}",
                file.name
            );
            assert!(
                !file.chart.alt_text.contains(&format!("{pooled} ")),
                "{}",
                file.name
            );
        }
    }
}

#[test]
fn the_audit_trail_and_appendix_isolate_no_small_group() {
    let report = disclosure_report();
    let audit = report.audit_csv.as_deref().unwrap();
    let mut reader = csv::Reader::from_reader(audit.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|header| header == name).unwrap();
    let (submissions, groups) = (column("submissions"), column("groups"));
    for record in reader.records() {
        let record = record.unwrap();
        let total: u64 = record[submissions].parse().unwrap();
        let mut named = Vec::new();
        for part in record[groups].split("; ").filter(|part| !part.is_empty()) {
            let (group, count) = part.rsplit_once(' ').unwrap();
            assert!(
                !["b", "c"].contains(&group),
                "the audit trail names {group}"
            );
            if group != "other groups" {
                named.push(count.parse::<u64>().unwrap());
            }
        }
        // Suggestions of one item: what is left is the pool's, from Beta and Gamma's 7
        // people together (each suggestion went to item person % 4 + 1).
        let item = item_index(&record[column("item")]);
        let from_pool = people()
            .iter()
            .enumerate()
            .filter(|(person, (_, group))| ["b", "c"].contains(group) && person % 4 == item)
            .count() as u64;
        assert_eq!(total - named.iter().sum::<u64>(), from_pool, "{record:?}");
    }
    assert!(
        report
            .markdown
            .contains("Beta and Gamma are counted together as “other groups”")
    );
    // The appendix: every suggestion under its group's label, pooled ones as "Other groups".
    let markdown = &report.markdown;
    let start = markdown
        .find("## Appendix: the suggestions as written")
        .unwrap();
    for pooled in ["Beta", "Gamma"] {
        assert!(!markdown[start..].contains(&format!("| {pooled} |")));
    }
}

#[test]
fn data_quality_and_suggestion_counts_isolate_no_small_group() {
    let report = disclosure_report();
    let rows = table(&report.markdown, "Straight-lining by group in round 2");
    check_table(&rows, &["Beta", "Gamma"], &[2], "straight-lining");
    // The straight-liners of Beta and Gamma (c1 among them) are counted only in the pool of 7.
    let pooled_straight = people()
        .iter()
        .enumerate()
        .filter(|(person, (id, group))| {
            ["b", "c"].contains(group)
                && (0..4).all(|item| rating(*person, id, item) == rating(*person, id, 0))
        })
        .count()
        .to_string();
    assert!(
        rows.iter()
            .any(|row| row == &["Other groups", pooled_straight.as_str(), "7"]),
        "{rows:?}"
    );
    let rows = table(&report.markdown, "Suggestions by group in round 1");
    check_table(&rows, &["Beta", "Gamma"], &[1], "suggestions by group");
}

#[test]
fn the_terminal_table_isolates_no_small_group() {
    let exercise = exercise(DISCLOSE_EXERCISE);
    let text = ratings_csv();
    let ratings = read(&exercise, "rate", &text);
    let round = exercise.round("rate").unwrap();
    let request = RankingRequest {
        sha256: sha256(&text),
        ..RankingRequest::default()
    };
    let ranked =
        crate::rank_responses(&ratings, Some(&exercise), Some(round), &request, None).unwrap();
    let table = results_table(&ranked.document, true);
    let mut sizes = Vec::new();
    for (group, size) in [("a", 6), ("d", 8)] {
        assert!(
            table.contains(&format!("{group} ({size} respondents")),
            "{table}"
        );
        sizes.push(size);
    }
    for pooled in ["b (", "c ("] {
        assert!(!table.contains(pooled), "{table}");
    }
    assert_isolates_nobody_or_enough(21, &sizes, "terminal table");
    assert!(
        table.contains("b, c count overall but are not shown alone"),
        "{table}"
    );
}

/// Gamma's two people answer only "don't know": they give no ballot, so the results never name
/// Gamma, but the round's counts of people would show it alone. It is pooled there, and as its
/// pool of 2 is under the threshold, only the round's total is shown by group.
#[test]
fn a_group_left_out_of_the_ranking_is_still_pooled_in_the_counts() {
    let definition = DISCLOSE_EXERCISE.replace(
        "method = \"mean\"",
        "method = \"mean\"\nallow_dont_know = true",
    );
    let exercise = exercise(&definition);
    let mut text = "respondent,group,item,rating\n".to_string();
    for (person, (id, group)) in people().iter().enumerate() {
        for item in 0..4 {
            let value = if *group == "c" {
                String::new()
            } else {
                rating(person, id, item).to_string()
            };
            text.push_str(&format!("{id},{group},i{},{value}\n", item + 1));
        }
    }
    let ratings = read(&exercise, "rate", &text);
    let round = exercise.round("rate").unwrap();
    let request = RankingRequest {
        sha256: sha256(&text),
        ..RankingRequest::default()
    };
    let rated = rank_round(&ratings, &exercise, round, &request, None).unwrap();
    assert!(rated.document.input.suppressed_groups.is_empty());
    assert_eq!(rated.document.input.excluded.len(), 2);
    let input = ReportInput {
        exercise: &exercise,
        exercise_source: source("exercise.toml", &definition),
        rounds: vec![RoundData {
            round,
            source: source("rate.csv", &text),
            responses: &ratings,
            results: Some(rated.document),
            notes: rated.notes,
        }],
        command: "prioritise report".to_string(),
        program: "prioritise test".to_string(),
        simulated: false,
    };
    let report = method_report(&input).unwrap();
    let rows = table(
        &report.markdown,
        "Respondents by stakeholder group and round",
    );
    assert_eq!(rows, [vec!["All groups", "21"]]);
    // Gamma is listed among the groups as asked (label, id, description), never with a count.
    for line in report.markdown.lines() {
        if let Some(rest) = line.strip_prefix("| Gamma | ") {
            assert!(rest.starts_with("c |"), "{line}");
        }
    }
}
