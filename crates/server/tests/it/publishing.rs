//! Published results (issue 16 §3): publishing a round makes a frozen snapshot that the public
//! pages and the public JSON show as it was, whatever changes later; republishing makes a new
//! one; unpublishing hides it; both are audited; a group under the disclosure threshold
//! appears nowhere; only leads and owners publish.

use axum::Router;
use axum::http::StatusCode;
use serde_json::{Value, json};
use test_support::ExerciseToml;

use crate::pages::Browser;
use crate::{Call, TestApp, answer, open, respondent, router, test_app};

const E: &str = "published";

/// The name of the group under the disclosure threshold: distinctive, so that a search for it
/// finds nothing else.
const SMALL_GROUP: &str = "Harbour pilots";

fn definition() -> ExerciseToml {
    ExerciseToml::tiny()
        .id(E)
        .title("Priorities for kinship care")
        .set("disclosure_threshold", "3")
        .groups(&[
            ("carers", "Kinship carers"),
            ("young-people", "Young people"),
            ("workers", "Social workers"),
            ("pilots", SMALL_GROUP),
        ])
        .items(&[
            ("housing", "Housing for carers"),
            ("school", "Fewer school moves"),
            ("contact", "Contact with birth family"),
            ("money", "Money for carers"),
            ("health", "Mental health support"),
            ("leaving", "Leaving care at 18"),
        ])
        .rounds(
            r#"[[rounds]]
id = "ideas"
kind = "suggest"
max_suggestions = 3
max_length = 50

[[rounds]]
id = "final"
title = "Rank the shortlist"
kind = "rank"
top_k = 6
"#,
        )
}

/// The orders the groups give: carers and workers put housing first, young people school.
fn ranking_of(group: &str, person: usize) -> Vec<&'static str> {
    let mut order = match group {
        "young-people" => vec!["school", "leaving", "health", "contact", "housing", "money"],
        "pilots" => vec!["money", "contact", "leaving", "health", "school", "housing"],
        _ => vec!["housing", "money", "school", "health", "contact", "leaving"],
    };
    // A little disagreement within each group.
    if person % 2 == 1 {
        order.swap(2, 3);
    }
    order
}

/// A service with the exercise, its final round open, and answers: 4 carers, 4 young people,
/// 3 social workers and 1 harbour pilot (under the threshold of 3, so pooled with the social
/// workers as "other groups" of 4).
async fn with_answers() -> (TestApp, Router) {
    let test = test_app();
    test.state
        .store
        .put_exercise(&definition().build(), "published.toml", "test")
        .unwrap();
    let app = router(&test);
    open(&app, E, "final").await;
    for (group, count) in [
        ("carers", 4),
        ("young-people", 4),
        ("workers", 3),
        ("pilots", 1),
    ] {
        for person in 0..count {
            submit(&app, group, person).await;
        }
    }
    (test, app)
}

async fn submit(app: &Router, group: &str, person: usize) {
    let id = respondent(app, E, group).await;
    let reply = answer(
        app,
        E,
        "final",
        &id,
        json!({"ranking": ranking_of(group, person), "submit": true}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

async fn publish(app: &Router) -> Value {
    let reply = Call::new(
        "POST",
        &format!("/api/v1/exercises/{E}/rounds/final/publication"),
    )
    .admin()
    .send(app)
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body
}

/// What the public sees: the page, the easy-read summary, the report and the JSON, as text.
struct Public {
    page: String,
    easy_read: String,
    report: String,
    json: String,
}

async fn public(app: &Router) -> Public {
    let get = |path: String| {
        let app = app.clone();
        async move {
            let reply = Call::new("GET", &path).send(&app).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text);
            reply
        }
    };
    let page = get(format!("/e/{E}/results")).await;
    let report = get(format!("/e/{E}/results/report")).await;
    assert!(
        report.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'"),
        "the report keeps its own policy"
    );
    let download = get(format!("/e/{E}/results/report?download=1")).await;
    assert!(
        download.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment"),
    );
    assert_eq!(download.text, report.text);
    let json = get(format!("/api/v1/exercises/{E}/publication")).await;
    assert_eq!(json.headers["content-type"], "application/json");
    Public {
        page: page.text,
        easy_read: get(format!("/e/{E}/results/easy-read")).await.text,
        report: report.text,
        json: json.text,
    }
}

/// The text of the final list's first ten places on the page, in order.
fn top_titles(page: &str) -> Vec<String> {
    let list = page
        .split("<ol class=\"priority-list\"")
        .nth(1)
        .and_then(|rest| rest.split("</ol>").next())
        .expect("the page has the list");
    list.split("<span class=\"priority-title\">")
        .skip(1)
        .map(|item| item.split('<').next().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_published_snapshot_stays_as_it_was_until_republished_and_unpublish_hides_it() {
    let (test, app) = with_answers().await;
    let not_yet = Call::new("GET", &format!("/e/{E}/results"))
        .send(&app)
        .await;
    assert_eq!(not_yet.status, StatusCode::NOT_FOUND);
    assert!(
        not_yet
            .text
            .contains("The results of Priorities for kinship care are not published yet"),
        "{}",
        not_yet.text
    );

    let summary = publish(&app).await;
    assert_eq!(summary["round"], "final");
    assert_eq!(summary["respondents"], 12);
    assert_eq!(summary["page"], format!("/e/{E}/results"));
    let sha = summary["inputs_sha256"].as_str().unwrap().to_string();
    assert_eq!(sha.len(), 64);
    let first = summary["publication"].as_i64().unwrap();

    let before = public(&app).await;
    let snapshot: Value = serde_json::from_str(&before.json).unwrap();
    assert_eq!(snapshot["format"], 1);
    assert_eq!(snapshot["respondents"], 12);
    assert_eq!(snapshot["inputs_sha256"], sha.as_str());
    assert_eq!(snapshot["final_list"].as_array().unwrap().len(), 6);
    assert_eq!(snapshot["final_list"][0]["title"], "Housing for carers");
    assert!(
        snapshot["final_list"][0]["rank_interval"].is_string(),
        "a small round gets rank intervals: {snapshot}"
    );
    let explanation = snapshot["explanation"].as_array().unwrap();
    assert!((3..=5).contains(&explanation.len()), "{explanation:?}");
    assert!(
        before
            .page
            .contains("Results of Priorities for kinship care")
    );
    assert!(before.page.contains("12 people"));
    assert_eq!(top_titles(&before.page)[0], "Housing for carers");
    assert!(before.page.contains("Borda count"), "the method in words");
    assert!(
        before
            .page
            .contains("Young people <span class=\"group-count\">(4 people)")
    );
    let most_important = before
        .easy_read
        .split("The most important topic")
        .nth(1)
        .and_then(|rest| rest.split('.').next())
        .expect("the easy-read summary names the top topic");
    assert!(
        most_important.contains("Housing for carers"),
        "{most_important}"
    );
    assert!(before.report.contains("Housing for carers"));

    // Another answer, and a new title for the top topic: nothing published changes.
    submit(&app, "carers", 9).await;
    let changed = definition()
        .item_title("housing", "Homes for kinship carers")
        .build();
    let put = Call::new("PUT", &format!("/api/v1/exercises/{E}"))
        .admin()
        .raw("application/toml", changed)
        .send(&app)
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    let after = public(&app).await;
    assert_eq!(after.page, before.page, "the page is frozen");
    assert_eq!(after.json, before.json, "the JSON is frozen");
    assert_eq!(after.easy_read, before.easy_read);
    assert_eq!(after.report, before.report);
    assert!(!after.page.contains("Homes for kinship carers"));

    // Republishing makes a new snapshot that shows both changes.
    let again = publish(&app).await;
    assert!(again["publication"].as_i64().unwrap() > first);
    assert_ne!(again["inputs_sha256"], sha.as_str());
    assert_eq!(again["respondents"], 13);
    let republished = public(&app).await;
    assert_eq!(top_titles(&republished.page)[0], "Homes for kinship carers");
    assert!(republished.page.contains("13 people"));
    assert!(republished.json.contains("Homes for kinship carers"));

    // Unpublishing hides every public view; a second time there is nothing to unpublish.
    let delete = Call::new("DELETE", &format!("/api/v1/exercises/{E}/publication"))
        .admin()
        .send(&app)
        .await;
    assert_eq!(delete.status, StatusCode::NO_CONTENT, "{}", delete.text);
    for path in ["results", "results/easy-read", "results/report"] {
        let hidden = Call::new("GET", &format!("/e/{E}/{path}")).send(&app).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{path}");
        assert!(hidden.text.contains("are not published yet"), "{path}");
        assert!(!hidden.text.contains("Homes for kinship carers"), "{path}");
    }
    let json = Call::new("GET", &format!("/api/v1/exercises/{E}/publication"))
        .send(&app)
        .await;
    assert_eq!(json.status, StatusCode::NOT_FOUND);
    assert!(json.detail().contains("not published"));
    let twice = Call::new("DELETE", &format!("/api/v1/exercises/{E}/publication"))
        .admin()
        .send(&app)
        .await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);

    let log = test.state.store.audit_log(100).unwrap();
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|entry| (entry.action.as_str(), entry.detail.as_str()))
        .filter(|(action, _)| action.contains("publish"))
        .collect();
    assert_eq!(actions.len(), 3, "{actions:?}");
    assert_eq!(actions[0].0, "unpublish results");
    assert_eq!(actions[1].0, "publish results");
    assert!(actions[2].1.contains(&sha), "{actions:?}");
    let history = test.state.store.publications(E).unwrap();
    assert_eq!(history.len(), 2);
    assert!(history.iter().all(|entry| entry.withdrawn_at.is_some()));
}

#[tokio::test]
async fn a_group_under_the_threshold_appears_nowhere_in_what_is_published() {
    let (_test, app) = with_answers().await;
    publish(&app).await;
    let published = public(&app).await;
    for (name, text) in [
        ("page", &published.page),
        ("easy-read", &published.easy_read),
        ("JSON", &published.json),
    ] {
        assert!(!text.contains(SMALL_GROUP), "{name} names the small group");
        assert!(!text.contains("pilots"), "{name} has the small group's id");
        // The pilot was pooled with the 3 social workers: neither count is shown alone.
        assert!(
            !text.contains("1 person"),
            "{name} has the small group's count"
        );
        assert!(
            !text.contains("Social workers"),
            "{name}: pooled group named"
        );
        assert!(!text.contains("(3 people)"), "{name}: pooled group's count");
    }
    let snapshot: Value = serde_json::from_str(&published.json).unwrap();
    let groups: Vec<&str> = snapshot["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| group["group"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["Kinship carers", "Young people"]);
    assert_eq!(snapshot["other_groups"]["respondents"], 4);
    assert!(published.page.contains("Other groups (4 people together)"));
    // The method report names the groups the definition asks (its table of groups) and says
    // which groups are pooled, but never shows the small group beside a figure of its own: each
    // mention is its row in the definition's table (followed by its id) or a sentence about
    // the pool.
    let report = &published.report;
    let mut mentions = 0;
    for (at, _) in report.match_indices(SMALL_GROUP) {
        mentions += 1;
        let after = &report[at + SMALL_GROUP.len()..];
        let in_definition = report[..at].ends_with("<th scope=\"row\">")
            && after.starts_with("</th><td>pilots</td>");
        let sentence_start = report[..at].rfind(['.', '>']).map_or(0, |start| start + 1);
        let sentence_end = after.find(['.', '<']).map_or(after.len(), |end| end);
        let sentence = format!(
            "{}{SMALL_GROUP}{}",
            &report[sentence_start..at],
            &after[..sentence_end]
        );
        let about_the_pool = sentence.contains("pooled")
            || sentence.contains("Pooled")
            || sentence.contains("together");
        assert!(
            in_definition || about_the_pool,
            "the report shows the small group outside the pool: {sentence}"
        );
        assert!(!sentence.contains(" 1 "), "a count beside it: {sentence}");
    }
    assert!(
        mentions >= 1,
        "the definition's table of groups names every group"
    );
}

#[tokio::test]
async fn only_leads_and_owners_publish() {
    let (test, app) = with_answers().await;
    let publication = format!("/api/v1/exercises/{E}/rounds/final/publication");
    let signed_out = Call::new("POST", &publication).send(&app).await;
    assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED);
    let signed_out = Call::new("DELETE", &format!("/api/v1/exercises/{E}/publication"))
        .send(&app)
        .await;
    assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED);

    // An advisory member, through an invitation.
    let token = test
        .state
        .store
        .create_account_invite(
            E,
            "advisor@example.org",
            store::Role::Advisory,
            std::time::Duration::from_secs(3600),
            "test",
        )
        .unwrap();
    let hash = server::auth::hash_password("a long enough passphrase").unwrap();
    test.state
        .store
        .accept_account_invite(&token, Some(&hash))
        .unwrap();
    let session = Call::new("POST", "/api/v1/sessions")
        .json(json!({"email": "advisor@example.org", "password": "a long enough passphrase"}))
        .send(&app)
        .await;
    assert_eq!(session.status, StatusCode::CREATED, "{}", session.text);
    let cookie = session.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = session.body["csrf_token"].as_str().unwrap().to_string();
    let advisory = Call::new("POST", &publication)
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send(&app)
        .await;
    assert_eq!(advisory.status, StatusCode::FORBIDDEN, "{}", advisory.text);
    let advisory = Call::new("DELETE", &format!("/api/v1/exercises/{E}/publication"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send(&app)
        .await;
    assert_eq!(advisory.status, StatusCode::FORBIDDEN, "{}", advisory.text);

    let mut browser = Browser::new(app.clone());
    let signed_in = browser
        .submit(
            "/admin/sign-in",
            &[
                ("email", "advisor@example.org"),
                ("password", "a long enough passphrase"),
            ],
        )
        .await;
    assert_eq!(signed_in.location.as_deref(), Some("/admin"));
    let page = browser.get(&format!("/admin/e/{E}/publish")).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let csrf = browser.get("/admin").await.csrf();
    let posted = browser
        .post(
            &format!("/admin/e/{E}/publish"),
            &[("csrf_token", &csrf), ("round", "final")],
        )
        .await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    assert!(test.state.store.publications(E).unwrap().is_empty());
    let public = Call::new("GET", &format!("/e/{E}/results"))
        .send(&app)
        .await;
    assert_eq!(public.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_lead_publishes_and_unpublishes_from_the_page_which_says_what_it_did() {
    let (test, app) = with_answers().await;
    let mut lead = crate::pages::signed_in_admin(&app, &test).await;
    let page = lead.get(&format!("/admin/e/{E}/publish")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("Nothing is published"));
    // Only the ranked round with answers is offered, and it is chosen already.
    assert!(page.has("value=\"final\" checked"));
    assert!(!page.has("value=\"ideas\""));
    assert!(page.has("Rank the shortlist (12 answers)"));

    let published = lead
        .submit(&format!("/admin/e/{E}/publish"), &[("round", "final")])
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let location = published.location.unwrap();
    let page = lead.get(&location).await;
    assert!(page.has("Published snapshot 1: the public results page now shows it."));
    let sha = test.state.store.publications(E).unwrap()[0]
        .inputs_sha256
        .clone();
    assert!(page.has(&sha), "the page shows the inputs' SHA-256");
    assert!(page.has("Unpublish: hide the public results page"));
    let public = Call::new("GET", &format!("/e/{E}/results"))
        .send(&app)
        .await;
    assert_eq!(public.status, StatusCode::OK);

    let unpublished = lead
        .submit_from(
            &format!("/admin/e/{E}/publish"),
            &format!("/admin/e/{E}/unpublish"),
            &[],
        )
        .await;
    let page = lead.get(&unpublished.location.unwrap()).await;
    assert!(
        page.has("Unpublished: the public results page now says the results are not published.")
    );
    assert!(page.has("Nothing is published"));
    let public = Call::new("GET", &format!("/e/{E}/results"))
        .send(&app)
        .await;
    assert_eq!(public.status, StatusCode::NOT_FOUND);

    // A suggestion round cannot be published: the page says why.
    let refused = lead
        .submit(&format!("/admin/e/{E}/publish"), &[("round", "ideas")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has("The results were not published"));
}
