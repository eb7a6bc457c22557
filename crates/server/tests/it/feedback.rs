//! Delphi re-rating rounds: the feedback beside each item (own earlier rating, the earlier
//! round's distribution overall or by group) on the page and through the API, with numbers
//! worked out by hand below. Feedback is counted only once the earlier round is closed.

use std::sync::LazyLock;

use axum::Router;
use axum::http::StatusCode;
use serde_json::{Value, json};
use test_support::ExerciseToml;

use crate::pages::Browser;
use crate::{Call, Case, Reply, answer, check, open, respondent, router, test_app};

const D: &str = "delphi";

/// Round `first` rated on 1–9; `again` re-rates items a, b and c showing each group its own
/// ratings; `everyone` shows everyone's. Groups under 3 respondents are not shown on their own;
/// staff (3, who rate only item d) are pooled with the young people (2) so that everyone's
/// counts minus the carers' never isolate the young people. Item `b` has a hostile title.
static DELPHI: LazyLock<String> = LazyLock::new(|| {
    ExerciseToml::tiny()
        .id("delphi")
        .title("Delphi")
        .set("disclosure_threshold", "3")
        .groups(&[
            ("carers", "Carers"),
            ("young", "Young people"),
            ("staff", "Staff"),
        ])
        .items(&[
            ("a", "Item A"),
            ("b", "<script>alert('b')</script> & \"B\""),
            ("c", "Item C"),
            ("d", "Item D"),
        ])
        .rounds(
            r#"[[rounds]]
id = "first"
title = "First ratings"
kind = "rate"
scale = { min = 1, max = 9, labels = { 1 = "Not important", 9 = "Critical" } }

[[rounds]]
id = "again"
title = "Rate again"
kind = "rate"
items = ["a", "b", "c"]
scale = { min = 1, max = 9, labels = { 1 = "Not important", 9 = "Critical" } }
feedback_from = "first"
feedback_by = "group"

[[rounds]]
id = "everyone"
title = "Rate again, seeing everyone"
kind = "rate"
items = ["a", "b", "c"]
scale = { min = 1, max = 9 }
feedback_from = "first"
"#,
        )
        .build()
});

/// The respondents of round `first` and their ratings (`null`: don't know; absent: not rated).
///
/// By hand, for item a: carers 7, 9, 4, 7 (n 4, median 7; 1–3: 0, 4–6: 1 (25%), 7–9: 3 (75%));
/// everyone 2, 4, 7, 7, 8, 9 (n 6, median 7; 1–3: 1 (17%), 4–6: 1 (17%), 7–9: 4 (67%)).
/// Item b: carers 3, 8, 7 and one don't know (n 3, median 7; 1 (33%), 0 (0%), 2 (67%));
/// everyone 3, 5, 7, 8, 9 and one don't know (n 5, median 7).
/// Item c: carers 2, 9 (n 2, median 5.5; 1 (50%), 0 (0%), 1 (50%)); everyone 2, 6, 9 (median 6).
/// Staff rate only item d, which is not re-rated: 9 people answered round `first` in all.
struct Panel {
    me: String,
    young: String,
    drafter: String,
}

async fn set_up(app: &Router) -> Panel {
    let put = Call::new("PUT", &format!("/api/v1/exercises/{D}"))
        .admin()
        .raw("application/toml", DELPHI.as_str())
        .send(app)
        .await;
    assert_eq!(put.status, StatusCode::CREATED, "{}", put.text);
    for round in ["first", "again", "everyone"] {
        open(app, D, round).await;
    }
    let ratings = [
        ("carers", json!({ "a": 7, "b": null })),
        ("carers", json!({ "a": 9, "b": 3 })),
        ("carers", json!({ "a": 4, "b": 8, "c": 2 })),
        ("carers", json!({ "a": 7, "b": 7, "c": 9 })),
        ("young", json!({ "a": 2, "b": 5 })),
        ("young", json!({ "a": 8, "b": 9, "c": 6 })),
        ("staff", json!({ "d": 5 })),
        ("staff", json!({ "d": 6 })),
        ("staff", json!({ "d": 7 })),
    ];
    let mut ids = Vec::new();
    for (group, rated) in ratings {
        let id = respondent(app, D, group).await;
        let saved = answer(
            app,
            D,
            "first",
            &id,
            json!({ "ratings": rated, "submit": true }),
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
        ids.push(id);
    }
    // A draft is never counted.
    let drafter = respondent(app, D, "carers").await;
    let draft = answer(
        app,
        D,
        "first",
        &drafter,
        json!({ "ratings": { "a": 1, "b": 1, "c": 1 }, "submit": false }),
    )
    .await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.text);
    Panel {
        me: ids[0].clone(),
        young: ids[4].clone(),
        drafter,
    }
}

async fn close(app: &Router, round: &str) {
    let reply = Call::new(
        "POST",
        &format!("/api/v1/exercises/{D}/rounds/{round}/close"),
    )
    .admin()
    .send(app)
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

/// The feedback call, whatever its answer.
async fn feedback_call(app: &Router, round: &str, respondent: &str) -> Reply {
    Call::new(
        "GET",
        &format!("/api/v1/exercises/{D}/rounds/{round}/feedback?respondent={respondent}"),
    )
    .send(app)
    .await
}

/// The feedback, which must be given.
async fn feedback(app: &Router, round: &str, respondent: &str) -> Value {
    let reply = feedback_call(app, round, respondent).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body
}

/// Counts at the points of 1–9, from the points given.
fn counts(given: &[(u32, u64)]) -> Value {
    let mut counts = serde_json::Map::new();
    for point in 1..=9u32 {
        let count = given
            .iter()
            .find(|(at, _)| *at == point)
            .map_or(0, |(_, count)| *count);
        counts.insert(point.to_string(), json!(count));
    }
    Value::Object(counts)
}

/// A browser that is `respondent` (its cookie set as the pages set it).
fn browser_of(app: &Router, respondent: &str) -> Browser {
    let mut browser = Browser::new(app.clone());
    browser
        .cookies
        .insert(format!("prioritise_r_{D}"), respondent.to_string());
    browser
}

/// The page's text with askama's escapes undone, for comparing sentences.
fn text(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
}

/// The HTML of the feedback beside one item.
fn feedback_of(html: &str, item: &str) -> String {
    let start = html
        .find(&format!("<div class=\"feedback\" id=\"feedback-{item}\">"))
        .unwrap_or_else(|| panic!("no feedback beside {item}:\n{html}"));
    let end = start + html[start..].find("</details>").unwrap();
    html[start..end].to_string()
}

#[tokio::test]
async fn the_re_rating_page_shows_the_own_rating_and_the_groups_distribution() {
    let test = test_app();
    let app = router(&test);
    let panel = set_up(&app).await;
    let mut me = browser_of(&app, &panel.me);

    // While round 1 is open, no one's ratings are shown: they would change with each answer.
    let while_open = me.get(&format!("/e/{D}/r/again")).await;
    assert_eq!(while_open.status, StatusCode::OK);
    let while_open = text(&while_open.html);
    assert!(while_open.contains(
        "How people rated these topics in round 1 (“First ratings”) will be shown here once round 1 has closed."
    ), "{while_open}");
    assert!(!while_open.contains("class=\"feedback\""));
    assert!(!while_open.contains("Your rating last time"));

    close(&app, "first").await;
    let open_page = me.get(&format!("/e/{D}/r/again")).await;
    assert_eq!(open_page.status, StatusCode::OK, "{}", open_page.html);
    let page = text(&open_page.html);
    assert!(page.contains(
        "Beside each topic you can see how you and others rated it in round 1 (“First ratings”). You can keep your rating or change it."
    ));
    assert!(
        page.contains(
            "The ratings shown are those of your group, Carers: 4 people answered round 1."
        )
    );
    assert!(!page.contains("still open"));
    assert!(!page.contains("You did not submit answers"));

    let a = text(&feedback_of(&open_page.html, "a"));
    assert!(
        a.contains("Your rating last time: <strong>7</strong>"),
        "{a}"
    );
    assert!(a.contains(
        "Last time, 4 people in your group rated this: 3 (75%) gave 7 to 9, 1 (25%) gave 4 to 6 and 0 (0%) gave 1 to 3. The middle rating (median) was 7."
    ), "{a}");
    assert!(a.contains("Ratings in round 1 (your group)"));
    assert!(a.contains(
        "<tr><th scope=\"row\">9 – Critical</th><td class=\"numeric\">1</td><td class=\"numeric\">25%</td></tr>"
    ), "{a}");
    assert!(a.contains(
        "<tr><th scope=\"row\">7</th><td class=\"numeric\">2</td><td class=\"numeric\">50%</td></tr>"
    ));
    assert!(a.contains(
        "<tr><th scope=\"row\">4</th><td class=\"numeric\">1</td><td class=\"numeric\">25%</td></tr>"
    ));
    assert!(a.contains(
        "<tr><th scope=\"row\">1 – Not important</th><td class=\"numeric\">0</td><td class=\"numeric\">0%</td></tr>"
    ));
    assert!(a.contains("4 people gave a rating; the median was 7. No one said they don't know."));

    let b = text(&feedback_of(&open_page.html, "b"));
    assert!(
        b.contains("Your rating last time: <strong>Don't know</strong>"),
        "{b}"
    );
    assert!(b.contains(
        "Last time, 3 people in your group rated this: 2 (67%) gave 7 to 9, 0 (0%) gave 4 to 6 and 1 (33%) gave 1 to 3. The middle rating (median) was 7. 1 person said they don't know."
    ), "{b}");
    assert!(b.contains("1 person said they don't know (not counted in the shares)."));

    let c = text(&feedback_of(&open_page.html, "c"));
    assert!(c.contains("You did not rate this last time"), "{c}");
    assert!(c.contains(
        "Last time, 2 people in your group rated this: 1 (50%) gave 7 to 9, 0 (0%) gave 4 to 6 and 1 (50%) gave 1 to 3. The middle rating (median) was 5.5."
    ), "{c}");

    // The feedback belongs to its item: inside the item's fieldset and named by it.
    let html = &open_page.html;
    let fieldset = html
        .find(
            "<fieldset class=\"fieldset\" aria-describedby=\"feedback-a-own feedback-a-summary\">",
        )
        .expect("the fieldset of item a is described by its feedback");
    let legend = html[fieldset..].find("Item A</legend>").unwrap() + fieldset;
    let own = html.find("id=\"feedback-a-own\"").unwrap();
    let closes = html[fieldset..].find("</fieldset>").unwrap() + fieldset;
    assert!(legend < own && own < closes);
    assert!(html.contains(
        "How people rated this last time<span class=\"visually-hidden\">: Item A</span>"
    ));

    // The hostile title is escaped wherever it appears.
    assert!(html.contains("&#60;script&#62;alert(&#39;b&#39;)&#60;/script&#62; &#38; &#34;B&#34;"));
    assert!(!html.contains("<script>alert"));

    // An empty form is an error, and the feedback is still beside each item.
    let error = me.submit(&format!("/e/{D}/r/again"), &[]).await;
    assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.has("There is a problem"));
    assert!(error.has("aria-describedby=\"feedback-a-own feedback-a-summary"));
    assert!(text(&error.html).contains("Last time, 4 people in your group rated this"));

    // Read again, the same numbers: a closed round does not change.
    let again = text(&me.get(&format!("/e/{D}/r/again")).await.html);
    assert_eq!(
        text(&feedback_of(&again, "a")),
        text(&feedback_of(&open_page.html, "a"))
    );

    // Everyone's ratings where the round says so.
    let everyone = text(&me.get(&format!("/e/{D}/r/everyone")).await.html);
    assert!(everyone.contains("The ratings shown are everyone’s: 9 people answered round 1."));
    assert!(everyone.contains(
        "Last time, 6 people rated this: 4 (67%) gave 7 to 9, 1 (17%) gave 4 to 6 and 1 (17%) gave 1 to 3. The middle rating (median) was 7."
    ));
    assert!(everyone.contains("Ratings in round 1 (everyone)"));

    // A round without feedback shows none.
    let mut young = browser_of(&app, &panel.young);
    assert!(
        !young
            .get(&format!("/e/{D}/r/first"))
            .await
            .has("class=\"feedback")
    );
}

#[tokio::test]
async fn a_group_under_the_threshold_sees_everyones_ratings_and_is_told_so() {
    let test = test_app();
    let app = router(&test);
    let panel = set_up(&app).await;
    close(&app, "first").await;
    let mut young = browser_of(&app, &panel.young);
    let page = young.get(&format!("/e/{D}/r/again")).await;
    assert_eq!(page.status, StatusCode::OK);
    let page = text(&page.html);
    assert!(page.contains(
        "Fewer than 3 people in your group, Young people, answered round 1, so to keep their answers anonymous you see everyone’s ratings instead: 9 people answered round 1."
    ), "{page}");
    let a = feedback_of(&page, "a");
    assert!(a.contains("Your rating last time: <strong>2</strong>"));
    assert!(a.contains(
        "Last time, 6 people rated this: 4 (67%) gave 7 to 9, 1 (17%) gave 4 to 6 and 1 (17%) gave 1 to 3. The middle rating (median) was 7."
    ), "{a}");
    assert!(a.contains("Ratings in round 1 (everyone)"));
    let c = feedback_of(&page, "c");
    assert!(c.contains("You did not rate this last time"));
    assert!(c.contains("Last time, 3 people rated this: 1 (33%) gave 7 to 9, 1 (33%) gave 4 to 6 and 1 (33%) gave 1 to 3. The middle rating (median) was 6."), "{c}");

    // The API gives the same numbers.
    let body = feedback(&app, "again", &panel.young).await;
    assert_eq!(body["by"], "overall");
    assert_eq!(body["group"], "young");
    assert_eq!(body["group_below_threshold"], true);
    assert_eq!(body["respondents"], 9);
    assert_eq!(
        body["items"][0],
        json!({
            "item": "a", "own_rating": 2, "own_answered": true, "n": 6, "median": 7.0,
            "counts": counts(&[(2, 1), (4, 1), (7, 2), (8, 1), (9, 1)]), "dont_know": 0
        })
    );
    assert_eq!(body["items"][1]["n"], 5);
    assert_eq!(body["items"][1]["median"], 7.0);
    assert_eq!(body["items"][1]["dont_know"], 1);
    assert_eq!(
        body["items"][2],
        json!({
            "item": "c", "own_rating": null, "own_answered": false, "n": 3, "median": 6.0,
            "counts": counts(&[(2, 1), (6, 1), (9, 1)]), "dont_know": 0
        })
    );

    // Someone who only saved a draft: nothing of theirs counted or shown.
    let mut drafter = browser_of(&app, &panel.drafter);
    let page = text(&drafter.get(&format!("/e/{D}/r/again")).await.html);
    assert!(page.contains(
        "You did not submit answers in round 1, so there is no rating of yours to show."
    ));
    assert!(page.contains("those of your group, Carers: 4 people answered round 1."));
    assert_eq!(page.matches("You did not rate this last time").count(), 3);
}

#[tokio::test]
async fn the_api_gives_the_pages_numbers_and_404s_where_there_is_no_feedback() {
    let test = test_app();
    let app = router(&test);
    let panel = set_up(&app).await;
    close(&app, "first").await;
    let body = feedback(&app, "again", &panel.me).await;
    assert_eq!(body["from_round"], "first");
    assert_eq!(body["from_round_state"], "closed");
    assert_eq!(body["by"], "group");
    assert_eq!(body["group"], "carers");
    assert_eq!(body["group_below_threshold"], false);
    assert_eq!(body["respondents"], 4);
    assert_eq!(
        body["items"],
        json!([
            { "item": "a", "own_rating": 7, "own_answered": true, "n": 4, "median": 7.0,
              "counts": counts(&[(4, 1), (7, 2), (9, 1)]), "dont_know": 0 },
            { "item": "b", "own_rating": null, "own_answered": true, "n": 3, "median": 7.0,
              "counts": counts(&[(3, 1), (7, 1), (8, 1)]), "dont_know": 1 },
            { "item": "c", "own_rating": null, "own_answered": false, "n": 2, "median": 5.5,
              "counts": counts(&[(2, 1), (9, 1)]), "dont_know": 0 },
        ])
    );
    let everyone = feedback(&app, "everyone", &panel.me).await;
    assert_eq!(everyone["by"], "overall");
    assert_eq!(everyone["group_below_threshold"], false);
    assert_eq!(everyone["respondents"], 9);
    assert_eq!(everyone["items"][0]["n"], 6);
    assert_eq!(everyone["items"][0]["own_rating"], 7);

    // A respondent of another exercise is not one of this exercise's.
    let elsewhere = respondent(&app, "every-kind", "carers").await;
    let get = |uri: String| Call::new("GET", &uri);
    check(
        &app,
        [
            Case::new(
                "a round that is not a re-rating round",
                get(format!(
                    "/api/v1/exercises/{D}/rounds/first/feedback?respondent={}",
                    panel.me
                )),
                StatusCode::NOT_FOUND,
                "not a re-rating round",
            ),
            Case::new(
                "an unknown respondent",
                get(format!(
                    "/api/v1/exercises/{D}/rounds/again/feedback?respondent=nobody"
                )),
                StatusCode::NOT_FOUND,
                "no respondent `nobody`",
            ),
            Case::new(
                "an unknown round",
                get(format!(
                    "/api/v1/exercises/{D}/rounds/nope/feedback?respondent={}",
                    panel.me
                )),
                StatusCode::NOT_FOUND,
                "no round `nope`",
            ),
            Case::new(
                "a respondent of another exercise",
                get(format!(
                    "/api/v1/exercises/{D}/rounds/again/feedback?respondent={elsewhere}"
                )),
                StatusCode::NOT_FOUND,
                "",
            ),
            Case::new(
                "no respondent named",
                get(format!("/api/v1/exercises/{D}/rounds/again/feedback")),
                StatusCode::BAD_REQUEST,
                "respondent",
            ),
        ],
    )
    .await;

    // The path is in the API description.
    let openapi = Call::new("GET", "/api/v1/openapi.json").send(&app).await;
    assert!(
        openapi.body["paths"]["/api/v1/exercises/{exercise}/rounds/{round}/feedback"]["get"]
            .is_object()
    );
}

#[tokio::test]
async fn a_closed_rounds_tallies_are_cached_and_never_stale() {
    let test = test_app();
    let app = router(&test);
    let panel = set_up(&app).await;
    let cache = test.state.feedback_cache.clone();
    let refused = feedback_call(&app, "again", &panel.me).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert!(cache.is_empty(), "an open round is never counted");

    close(&app, "first").await;
    let just_closed = feedback(&app, "again", &panel.me).await;
    assert_eq!(just_closed["from_round_state"], "closed");

    // Once the close has settled, the tallies are counted once and then taken from the cache,
    // by the API and by the page alike.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let counted = feedback(&app, "again", &panel.me).await;
    assert_eq!(cache.len(), 1);
    assert_eq!(cache.hits(), 0);
    let cached = feedback(&app, "again", &panel.me).await;
    assert_eq!(cache.hits(), 1);
    assert_eq!(cached, counted);
    assert_eq!(cached["items"], just_closed["items"]);
    let young = feedback(&app, "again", &panel.young).await;
    assert_eq!(cache.hits(), 2);
    assert_eq!(young["items"][0]["n"], 6);
    let page = browser_of(&app, &panel.me)
        .get(&format!("/e/{D}/r/again"))
        .await;
    assert_eq!(cache.hits(), 3);
    assert!(
        text(&page.html)
            .contains("Last time, 4 people in your group rated this: 3 (75%) gave 7 to 9")
    );

    // The earlier round cannot be reopened now that its ratings have been shown (a late answer
    // would be the difference of two readings), so the cached numbers stay the true ones.
    let reopen = Call::new("POST", &format!("/api/v1/exercises/{D}/rounds/first/open"))
        .admin()
        .send(&app)
        .await;
    assert_eq!(reopen.status, StatusCode::CONFLICT, "{}", reopen.text);
    let after = feedback(&app, "again", &panel.me).await;
    assert_eq!(cache.hits(), 4);
    assert_eq!(after, counted);
}
