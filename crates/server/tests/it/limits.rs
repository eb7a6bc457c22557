//! The service's limits: the largest pairwise round, and the cap on results computations and
//! their cache, through the API and pages.

use std::sync::mpsc;
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use serde_json::{Value, json};
use server::Settings;
use server::heavy::ResultsKey;

use crate::pages::signed_in_admin;
use survey::definition::MAX_ITEMS;
use test_support::ExerciseToml;

use crate::{Call, TOKEN, answer, open, respondent, router, test_app, test_app_with};

const E: &str = "every-kind";
const RESULTS: &str = "/api/v1/exercises/every-kind/rounds/top2/results?method=borda,schulze\
                       &weighting=pooled&bootstrap=200&seed=4";

async fn submit(app: &Router, group: &str, ranking: Value) {
    let id = respondent(app, E, group).await;
    let reply = answer(
        app,
        E,
        "top2",
        &id,
        json!({ "ranking": ranking, "submit": true }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

async fn three_answers(app: &Router) {
    open(app, E, "top2").await;
    submit(app, "carers", json!(["c", "a"])).await;
    submit(app, "carers", json!(["c", "b"])).await;
    submit(app, "young-people", json!(["a", "c"])).await;
}

#[tokio::test]
async fn a_repeated_results_request_is_served_from_the_cache() {
    let test = test_app();
    let app = router(&test);
    three_answers(&app).await;
    let computed = || test.state.results_work.computed();

    let first = Call::new("GET", RESULTS).admin().send(&app).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(computed(), 1);
    let second = Call::new("GET", RESULTS).admin().send(&app).await;
    assert_eq!(second.body, first.body);
    assert_eq!(computed(), 1, "the same request was computed again");

    // Another query is another computation; so is the same query after a new answer.
    let other_seed = RESULTS.replace("seed=4", "seed=5");
    let reseeded = Call::new("GET", &other_seed).admin().send(&app).await;
    assert_eq!(reseeded.status, StatusCode::OK, "{}", reseeded.text);
    assert_eq!(computed(), 2);
    submit(&app, "young-people", json!(["a", "b"])).await;
    let after = Call::new("GET", RESULTS).admin().send(&app).await;
    assert_eq!(after.body["input"]["respondents"], json!(4));
    assert_eq!(computed(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_beyond_the_cap_are_queued_and_the_page_says_so() {
    let test = test_app_with(Settings {
        admin_token: Some(TOKEN.to_string()),
        submit_rate_per_second: 0,
        sign_in_rate_per_minute: 0,
        heavy_computations: 1,
        ..Settings::default()
    });
    let app = router(&test);
    three_answers(&app).await;
    let work = test.state.results_work.clone();

    // Another long computation holds the only permit until told to finish.
    let (release, released) = mpsc::channel::<()>();
    let (started, running) = tokio::sync::oneshot::channel();
    let holder = work.clone();
    let long = tokio::spawn(async move {
        let key = ResultsKey {
            exercise: "elsewhere".to_string(),
            round: "long".to_string(),
            version: 1,
            request: String::new(),
        };
        holder
            .results(key, move || {
                started.send(()).unwrap();
                let _ = released.recv();
                Err(server::AppError::unprocessable("stood down"))
            })
            .await
    });
    running.await.unwrap();

    let queued = Call::new("GET", RESULTS).admin().send(&app).await;
    assert_eq!(
        queued.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        queued.text
    );
    assert_eq!(queued.headers[header::RETRY_AFTER], "5");
    assert!(
        queued.detail().contains("being computed"),
        "{}",
        queued.text
    );

    let mut lead = signed_in_admin(&app, &test).await;
    let page_uri =
        format!("/admin/e/{E}/r/top2/results?method=borda&weighting=pooled&bootstrap=200&seed=4");
    let waiting = lead.get(&page_uri).await;
    assert_eq!(waiting.status, StatusCode::OK);
    assert!(
        waiting.has("These results are being computed"),
        "{}",
        waiting.html
    );
    assert!(waiting.has("<meta http-equiv=\"refresh\" content=\"5\">"));
    assert!(!waiting.has("The overall list"));
    // Nothing ran beside the long computation.
    assert_eq!(work.computed(), 0);

    release.send(()).unwrap();
    assert!(long.await.unwrap().is_err());
    // The two queued computations (the API's and the page's queries) land in the cache.
    for _ in 0..1000 {
        if work.computed() == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(work.computed(), 3, "the queued computations never ran");

    let ready = Call::new("GET", RESULTS).admin().send(&app).await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.text);
    let shown = lead.get(&page_uri).await;
    assert!(
        shown.has("ranked by Borda count (points for every place), every person counted equally"),
        "{}",
        shown.html
    );
    assert!(!shown.has("http-equiv=\"refresh\""));
    // The page's results came from the cache; its comparison of the other methods (every
    // method, no bootstrap) was computed now, once.
    assert_eq!(work.computed(), 4);
    let again = lead.get(&page_uri).await;
    assert!(again.has("Would another method change the list?"));
    assert_eq!(work.computed(), 4, "the results were computed again");
}

/// An exercise of `count` items with one pairwise round.
fn many_items(count: usize) -> String {
    let ids: Vec<(String, String)> = (0..count)
        .map(|index| (format!("item-{index:04}"), format!("Item {index}")))
        .collect();
    let items: Vec<(&str, &str)> = ids
        .iter()
        .map(|(id, title)| (id.as_str(), title.as_str()))
        .collect();
    ExerciseToml::tiny()
        .id("large")
        .title("The largest round")
        .items(&items)
        .rounds("[[rounds]]\nid = \"pairs\"\nkind = \"pairwise\"\n")
        .build()
}

#[tokio::test]
async fn the_largest_pairwise_round_proposes_pairs_and_one_item_more_is_refused() {
    let test = test_app();
    let app = router(&test);
    let created = Call::new("PUT", "/api/v1/exercises/large")
        .admin()
        .raw("application/toml", many_items(MAX_ITEMS))
        .send(&app)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    open(&app, "large", "pairs").await;
    let id = respondent(&app, "large", "carers").await;
    let mut choices = Vec::new();
    for _ in 0..3 {
        let proposal = Call::new(
            "GET",
            &format!("/api/v1/exercises/large/rounds/pairs/pair?respondent={id}"),
        )
        .send(&app)
        .await;
        assert_eq!(proposal.status, StatusCode::OK, "{}", proposal.text);
        let pair = proposal.body["pair"].as_array().unwrap().clone();
        assert_ne!(pair[0], pair[1]);
        // Each proposal is of items not yet seen.
        for seen in &choices {
            assert!(!pair.contains(seen), "{} was proposed again", seen);
        }
        choices.extend(pair.iter().cloned());
        let made: Vec<Value> = choices
            .chunks(2)
            .map(|pair| json!({ "winner": pair[0], "loser": pair[1] }))
            .collect();
        let saved = answer(
            &app,
            "large",
            "pairs",
            &id,
            json!({ "choices": made, "submit": false }),
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    }

    let refused = Call::new("PUT", "/api/v1/exercises/large")
        .admin()
        .raw("application/toml", many_items(MAX_ITEMS + 1))
        .send(&app)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.detail().contains("`[[items]]`"), "{}", refused.text);
    assert!(
        refused.detail().contains("at most 1000"),
        "{}",
        refused.text
    );
}
