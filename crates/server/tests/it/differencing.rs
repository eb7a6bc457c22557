//! The attacks of issue 14 on the service's own outputs, computed from what it really shows:
//! live Delphi feedback read either side of one submission, feedback from too few people or in a
//! draft round, and the differencing attack (everyone's counts minus the shown groups') on the
//! feedback, the participation API and the admin page's participation table. With a threshold
//! of 5 and groups of 6, 5 and 2, no subtraction may isolate the 2.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use axum::Router;
use axum::http::StatusCode;
use serde_json::{Value, json};
use test_support::ExerciseToml;

use crate::pages::{Browser, signed_in_admin};
use crate::{Call, Reply, answer, open, respondent, router, test_app};

const X: &str = "small-groups";
const THRESHOLD: u64 = 5;

/// Three groups; round `first` rated on 1–5; `again` re-rates it showing each group its own
/// ratings, `everyone` showing everyone's.
static SMALL_GROUPS: LazyLock<String> = LazyLock::new(|| {
    ExerciseToml::tiny()
        .id(X)
        .title("Small groups")
        .set("disclosure_threshold", &THRESHOLD.to_string())
        .groups(&[
            ("big", "Big group"),
            ("middle", "Middle group"),
            ("small", "Small group"),
        ])
        .items(&[("a", "Item A"), ("b", "Item B")])
        .rounds(
            r#"[[rounds]]
id = "first"
title = "First ratings"
kind = "rate"
scale = { min = 1, max = 5 }

[[rounds]]
id = "again"
title = "Rate again"
kind = "rate"
scale = { min = 1, max = 5 }
feedback_from = "first"
feedback_by = "group"

[[rounds]]
id = "everyone"
title = "Rate again, seeing everyone"
kind = "rate"
scale = { min = 1, max = 5 }
feedback_from = "first"
"#,
        )
        .build()
});

/// The ratings of items a and b in round `first`, per group: 6, 5 and 2 people.
const RATINGS: [(&str, &[(i32, i32)]); 3] = [
    ("big", &[(5, 1), (4, 2), (4, 3), (3, 3), (5, 4), (2, 5)]),
    ("middle", &[(1, 5), (2, 5), (2, 4), (3, 4), (1, 1)]),
    ("small", &[(1, 2), (5, 2)]),
];

/// Counts at points 1–5 of item `item` (0 for a, 1 for b) among `group`'s ratings.
fn true_counts(groups: &[&str], item: usize) -> Vec<i64> {
    let mut counts = vec![0; 5];
    for (group, ratings) in RATINGS {
        if groups.contains(&group) {
            for rating in ratings {
                let point = if item == 0 { rating.0 } else { rating.1 };
                counts[(point - 1) as usize] += 1;
            }
        }
    }
    counts
}

async fn put_exercise(app: &Router) {
    let put = Call::new("PUT", &format!("/api/v1/exercises/{X}"))
        .admin()
        .raw("application/toml", SMALL_GROUPS.as_str())
        .send(app)
        .await;
    assert_eq!(put.status, StatusCode::CREATED, "{}", put.text);
}

async fn set_state(app: &Router, round: &str, action: &str) {
    let reply = Call::new(
        "POST",
        &format!("/api/v1/exercises/{X}/rounds/{round}/{action}"),
    )
    .admin()
    .send(app)
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

/// Submits one rating of a and b to `round` as a new respondent of `group`; returns its id.
async fn rater(app: &Router, round: &str, group: &str, (a, b): (i32, i32)) -> String {
    let id = respondent(app, X, group).await;
    submit(app, round, &id, (a, b)).await;
    id
}

async fn submit(app: &Router, round: &str, id: &str, (a, b): (i32, i32)) {
    let saved = answer(
        app,
        X,
        round,
        id,
        json!({ "ratings": { "a": a, "b": b }, "submit": true }),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
}

/// Everyone of [`RATINGS`] answers round `first`; returns their ids by group.
async fn panel(app: &Router) -> BTreeMap<&'static str, Vec<String>> {
    let mut ids: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (group, ratings) in RATINGS {
        for &rating in ratings {
            let id = rater(app, "first", group, rating).await;
            ids.entry(group).or_default().push(id);
        }
    }
    ids
}

async fn feedback_call(app: &Router, round: &str, respondent: &str) -> Reply {
    Call::new(
        "GET",
        &format!("/api/v1/exercises/{X}/rounds/{round}/feedback?respondent={respondent}"),
    )
    .send(app)
    .await
}

/// A browser that is `respondent`.
fn browser_of(app: &Router, respondent: &str) -> Browser {
    let mut browser = Browser::new(app.clone());
    browser
        .cookies
        .insert(format!("prioritise_r_{X}"), respondent.to_string());
    browser
}

/// Counts at points 1–5 then "don't know", per item, from a feedback body.
fn read_counts(body: &Value) -> Vec<Vec<i64>> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let mut counts: Vec<i64> = (1..=5)
                .map(|point| item["counts"][point.to_string()].as_i64().unwrap())
                .collect();
            counts.push(item["dont_know"].as_i64().unwrap());
            counts
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Live feedback.

#[tokio::test]
async fn feedback_read_either_side_of_a_submission_is_refused_while_the_source_is_open() {
    let test = test_app();
    let app = router(&test);
    put_exercise(&app).await;
    open(&app, X, "first").await;
    open(&app, X, "again").await;
    let mut reader = String::new();
    for &rating in RATINGS[0].1 {
        reader = rater(&app, "first", "big", rating).await;
    }
    // The attack: read, let one person submit, read again.
    let before = feedback_call(&app, "again", &reader).await;
    rater(&app, "first", "big", (1, 1)).await;
    let after = feedback_call(&app, "again", &reader).await;
    let both_read = before.status == StatusCode::OK && after.status == StatusCode::OK;
    assert!(
        !(both_read && read_counts(&before.body) != read_counts(&after.body)),
        "two readings differ by one person's ratings"
    );
    for reply in [&before, &after] {
        assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text);
        assert!(
            reply
                .detail()
                .contains("the source round `first` is still open"),
            "{}",
            reply.text
        );
        assert!(reply.body["errors"].is_array());
    }
    // The page shows no one's ratings either, and says when it will.
    let page = browser_of(&app, &reader)
        .get(&format!("/e/{X}/r/again"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.has("class=\"feedback\""), "{}", page.html);
    assert!(page.has("will be shown here once round 1 has closed"));

    // Once closed, readings agree with each other and with everyone who answered.
    set_state(&app, "first", "close").await;
    let closed = feedback_call(&app, "again", &reader).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);
    assert_eq!(closed.body["respondents"], 7);
    let again = feedback_call(&app, "again", &reader).await;
    assert_eq!(again.body, closed.body);
}

#[tokio::test]
async fn one_respondent_is_fewer_than_the_threshold_and_no_distribution_is_shown() {
    let test = test_app();
    let app = router(&test);
    put_exercise(&app).await;
    open(&app, X, "first").await;
    open(&app, X, "again").await;
    let only = rater(&app, "first", "big", (4, 2)).await;
    set_state(&app, "first", "close").await;
    let reply = feedback_call(&app, "again", &only).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text);
    assert!(
        reply.detail().contains("fewer than 5 people"),
        "{}",
        reply.text
    );
    assert!(reply.body.get("items").is_none());
    let page = browser_of(&app, &only)
        .get(&format!("/e/{X}/r/again"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.has("class=\"feedback\""), "{}", page.html);
    assert!(!page.has("Last time"));
    assert!(page.has("Fewer than 5 people answered round 1"));
}

#[tokio::test]
async fn a_re_rating_round_that_is_not_open_gives_no_feedback() {
    let test = test_app();
    let app = router(&test);
    put_exercise(&app).await;
    open(&app, X, "first").await;
    let ids = panel(&app).await;
    set_state(&app, "first", "close").await;
    let reader = &ids["big"][0];
    let draft = feedback_call(&app, "again", reader).await;
    assert_eq!(draft.status, StatusCode::CONFLICT, "{}", draft.text);
    assert!(
        draft.detail().contains("round `again` is still a draft"),
        "{}",
        draft.text
    );
    open(&app, X, "again").await;
    assert_eq!(
        feedback_call(&app, "again", reader).await.status,
        StatusCode::OK
    );
    set_state(&app, "again", "close").await;
    let closed = feedback_call(&app, "again", reader).await;
    assert_eq!(closed.status, StatusCode::CONFLICT, "{}", closed.text);
    assert!(closed.detail().contains("round `again` is closed"));
}

// ---------------------------------------------------------------------------------------------
// The differencing attack.

/// Every sum of a subset of `parts` (each a list of counts of the same length).
fn subset_sums(parts: &[Vec<i64>]) -> Vec<Vec<i64>> {
    let width = parts.first().map_or(0, Vec::len);
    (0..1u32 << parts.len())
        .map(|mask| {
            let mut sum = vec![0; width];
            for (index, part) in parts.iter().enumerate() {
                if mask & (1 << index) != 0 {
                    for (total, count) in sum.iter_mut().zip(part) {
                        *total += count;
                    }
                }
            }
            sum
        })
        .collect()
}

#[tokio::test]
async fn overall_feedback_minus_the_shown_groups_never_isolates_the_small_group() {
    let test = test_app();
    let app = router(&test);
    put_exercise(&app).await;
    open(&app, X, "first").await;
    let ids = panel(&app).await;
    set_state(&app, "first", "close").await;
    open(&app, X, "again").await;
    open(&app, X, "everyone").await;

    // Everything the attacker can read: everyone's counts, and what a member of each group is
    // shown (the attacker holds a respondent in every group).
    let overall = feedback_call(&app, "everyone", &ids["big"][0]).await;
    assert_eq!(overall.status, StatusCode::OK, "{}", overall.text);
    let overall_counts = read_counts(&overall.body);
    let mut group_readings: Vec<(String, Vec<Vec<i64>>)> = Vec::new();
    for (group, _) in RATINGS {
        let reading = feedback_call(&app, "again", &ids[group][0]).await;
        assert_eq!(reading.status, StatusCode::OK, "{}", reading.text);
        if reading.body["by"] == "group" {
            group_readings.push((group.to_string(), read_counts(&reading.body)));
        } else {
            assert_eq!(reading.body["group_below_threshold"], true);
            assert_eq!(read_counts(&reading.body), overall_counts);
        }
    }
    // The 5 are pooled with the 2; the 6 are shown on their own.
    let shown: Vec<&str> = group_readings.iter().map(|(g, _)| g.as_str()).collect();
    assert_eq!(shown, ["big"]);

    // Per item: everyone's counts minus every subset of the shown groups' counts.
    for (item, overall_item) in overall_counts.iter().enumerate() {
        let small = true_counts(&["small"], item);
        let parts: Vec<Vec<i64>> = group_readings
            .iter()
            .map(|(_, counts)| counts[item].clone())
            .collect();
        for subtracted in subset_sums(&parts) {
            let residual: Vec<i64> = overall_item
                .iter()
                .zip(&subtracted)
                .map(|(all, part)| all - part)
                .collect();
            let people: i64 = residual.iter().sum();
            assert!(
                people == 0 || people >= THRESHOLD as i64,
                "item {item}: a residual of {people} people: {residual:?}"
            );
            assert_ne!(
                residual[..5],
                small[..],
                "item {item}: the small group isolated"
            );
        }
        // Everyone minus the big group is the pool of the middle and small groups together.
        let residual: Vec<i64> = overall_item[..5]
            .iter()
            .zip(&parts[0])
            .map(|(all, part)| all - part)
            .collect();
        assert_eq!(residual, true_counts(&["middle", "small"], item));
    }
}

/// The shown parts of one set of counts by group: each shown group's count and the pool's.
fn shown_parts(counts: &Value) -> Vec<i64> {
    let mut parts: Vec<i64> = counts["groups"]
        .as_object()
        .unwrap()
        .values()
        .map(|count| count.as_i64().unwrap())
        .collect();
    if let Some(pool) = counts["other_groups"].as_i64() {
        parts.push(pool);
    }
    parts
}

/// Checks that no subtraction of shown counts from the total isolates between 1 and the
/// threshold − 1 people, and that every count shown is 0 or at least the threshold.
fn assert_no_small_residual(total: i64, parts: &[i64], what: &str) {
    for part in parts {
        assert!(
            *part == 0 || *part >= THRESHOLD as i64,
            "{what}: a count of {part} shown"
        );
    }
    for mask in 0..1u32 << parts.len() {
        let subtracted: i64 = parts
            .iter()
            .enumerate()
            .filter(|(index, _)| mask & (1 << index) != 0)
            .map(|(_, part)| part)
            .sum();
        let residual = total - subtracted;
        assert!(
            residual <= 0 || residual >= THRESHOLD as i64,
            "{what}: {total} minus {subtracted} leaves {residual}"
        );
    }
}

/// Everyone answers `first` (6, 5, 2), and everyone but one of the middle group answers
/// `again` (6, 4, 2).
async fn participation_set_up(app: &Router) {
    open(app, X, "first").await;
    let ids = panel(app).await;
    set_state(app, "first", "close").await;
    open(app, X, "again").await;
    for (group, ratings) in RATINGS {
        let skip = usize::from(group == "middle");
        for (id, &rating) in ids[group].iter().zip(ratings.iter()).skip(skip) {
            submit(app, "again", id, rating).await;
        }
    }
}

#[tokio::test]
async fn the_participation_api_never_isolates_the_small_group() {
    let test = test_app();
    let app = router(&test);
    put_exercise(&app).await;
    participation_set_up(&app).await;
    let reply = Call::new("GET", &format!("/api/v1/exercises/{X}/participation"))
        .admin()
        .send(&app)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let rounds = reply.body["rounds"].as_array().unwrap();
    let first = &rounds[0];
    assert_eq!(first["groups"], json!({ "big": 6 }));
    assert_eq!(first["other_groups"], 7);
    assert_eq!(first["total"], 13);
    let again = &rounds[1];
    assert_eq!(again["groups"], json!({ "big": 6 }));
    assert_eq!(again["other_groups"], 6);
    assert_eq!(
        again["continued"],
        json!({ "groups": { "big": 6 }, "other_groups": 6, "total": 12 })
    );
    // Nobody answered the last round: zeros isolate no one.
    assert_eq!(
        rounds[2]["groups"],
        json!({ "big": 0, "middle": 0, "small": 0 })
    );
    for round in rounds {
        let name = round["round"].as_str().unwrap();
        // The small group's count is never given (only a 0 when nobody answered at all).
        let small = round["groups"].get("small");
        assert!(small.is_none() || round["total"] == 0, "{name}");
        assert_no_small_residual(
            round["total"].as_i64().unwrap(),
            &shown_parts(round),
            &format!("round {name}"),
        );
        if round["continued"].is_object() {
            let continued = &round["continued"];
            assert!(continued["groups"].get("small").is_none());
            assert_no_small_residual(
                continued["total"].as_i64().unwrap(),
                &shown_parts(continued),
                &format!("continued into {name}"),
            );
        }
    }
    // The schema says what `other_groups` is.
    let openapi = Call::new("GET", "/api/v1/openapi.json").send(&app).await;
    let schema = &openapi.body["components"]["schemas"]["RoundParticipation"];
    assert!(schema["properties"]["other_groups"].is_object(), "{schema}");
}

/// The participation table's rows: the row header and its cells, as text.
fn table_rows(html: &str) -> Vec<(String, Vec<String>)> {
    let start = html
        .find("Participation by group and round</caption>")
        .expect("the participation table");
    let end = start + html[start..].find("</table>").unwrap();
    html[start..end]
        .split("<tr>")
        .skip(1)
        .filter_map(|row| {
            let header = row
                .split("<th scope=\"row\">")
                .nth(1)?
                .split("</th>")
                .next()?;
            let cells = row
                .split("<td class=\"numeric\">")
                .skip(1)
                .map(|cell| cell.split("</td>").next().unwrap_or("").to_string())
                .collect();
            Some((header.to_string(), cells))
        })
        .collect()
}

#[tokio::test]
async fn the_admin_participation_table_never_isolates_the_small_group() {
    let test = test_app();
    let app = router(&test);
    put_exercise(&app).await;
    participation_set_up(&app).await;
    let mut admin = signed_in_admin(&app, &test).await;
    let page = admin.get(&format!("/admin/e/{X}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = table_rows(&page.html);
    let row = |label: &str| {
        rows.iter()
            .find(|(header, _)| header == label)
            .unwrap_or_else(|| panic!("no row {label}: {rows:?}"))
            .1
            .clone()
    };
    assert_eq!(row("Big group"), ["6", "6", "0"]);
    assert_eq!(row("Middle group"), ["–", "–", "0"]);
    assert_eq!(row("Small group"), ["–", "–", "0"]);
    assert_eq!(row("Other groups"), ["7", "6", "–"]);
    assert_eq!(row("All groups"), ["13", "12", "0"]);
    assert!(page.has("fewer than 5 people in a round is not shown on its own"));
    // Per round: the total minus every subset of the numbers shown beside it.
    for round in 0..3 {
        let mut parts = Vec::new();
        for (header, cells) in &rows {
            if header == "All groups" || header.starts_with("Dropped out") {
                continue;
            }
            if let Ok(count) = cells[round].parse::<i64>() {
                parts.push(count);
            }
        }
        let total: i64 = row("All groups")[round].parse().unwrap();
        assert_no_small_residual(total, &parts, &format!("column {round}"));
    }
}

#[tokio::test]
async fn feedback_pools_the_groups_the_results_pool_when_someone_said_only_dont_know() {
    // 6 in big, 5 in middle and 5 in small answer; one of the middle group says "don't know"
    // to everything, so the results rank 6, 4 and 5 people and pool middle (4) with small (5).
    // The feedback must pool them too: shown alone to the middle group, its counts with the
    // results' overall and big-group figures would give the small group's ratings.
    let test = test_app();
    let app = router(&test);
    put_exercise(&app).await;
    open(&app, X, "first").await;
    for &rating in RATINGS[0].1 {
        rater(&app, "first", "big", rating).await;
    }
    let mut middle = Vec::new();
    for &rating in &RATINGS[1].1[..4] {
        middle.push(rater(&app, "first", "middle", rating).await);
    }
    let unsure = respondent(&app, X, "middle").await;
    let saved = answer(
        &app,
        X,
        "first",
        &unsure,
        json!({ "ratings": { "a": null, "b": null }, "submit": true }),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    for rating in [(1, 2), (5, 2), (3, 3), (2, 4), (4, 4)] {
        rater(&app, "first", "small", rating).await;
    }
    set_state(&app, "first", "close").await;
    open(&app, X, "again").await;

    // The results pool middle and small.
    let results = Call::new(
        "GET",
        &format!("/api/v1/exercises/{X}/rounds/first/results?method=mean"),
    )
    .admin()
    .send(&app)
    .await;
    assert_eq!(results.status, StatusCode::OK, "{}", results.text);
    let suppressed = results.body["input"]["suppressed_groups"].to_string();
    assert!(
        suppressed.contains("middle") && suppressed.contains("small"),
        "{}",
        results.text
    );

    // So a member of the middle group is shown everyone's ratings, not the group's own.
    for id in middle.iter().chain([&unsure]) {
        let reply = feedback_call(&app, "again", id).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        assert_eq!(reply.body["by"], "overall", "{}", reply.text);
    }
}

#[tokio::test]
async fn a_source_round_cannot_open_again_once_its_feedback_may_have_been_shown() {
    let test = test_app();
    let app = router(&test);
    put_exercise(&app).await;
    open(&app, X, "first").await;
    let ids = panel(&app).await;
    set_state(&app, "first", "close").await;
    // Closed and reopened before any re-rating round opens: allowed (late answers).
    set_state(&app, "first", "open").await;
    set_state(&app, "first", "close").await;
    open(&app, X, "again").await;
    let shown = feedback_call(&app, "again", &ids["big"][0]).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    // Now one more answer after a reopening would be the difference of two readings.
    let reopen = Call::new("POST", &format!("/api/v1/exercises/{X}/rounds/first/open"))
        .admin()
        .send(&app)
        .await;
    assert_eq!(reopen.status, StatusCode::CONFLICT, "{}", reopen.text);
    assert!(
        reopen.detail().contains("round `first` cannot open again"),
        "{}",
        reopen.text
    );
    // The feedback read again is what it was.
    let again = feedback_call(&app, "again", &ids["big"][0]).await;
    assert_eq!(again.body, shown.body);
}
