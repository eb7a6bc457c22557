//! Admin calls: authentication (token, sessions, CSRF), definitions, rounds, exports, results,
//! the audit log, security headers, rate limits and the OpenAPI description.

use axum::http::StatusCode;
use serde_json::{Value, json};
use server::Settings;

use crate::{Call, TOKEN, answer, every_kind, open, respondent, router, test_app, test_app_with};

const E: &str = "every-kind";

#[tokio::test]
async fn admin_calls_need_a_token_or_a_session() {
    let test = test_app();
    let app = router(&test);
    let calls = [
        ("POST", format!("/api/v1/exercises/{E}/rounds/top2/open")),
        ("POST", format!("/api/v1/exercises/{E}/rounds/top2/close")),
        (
            "GET",
            format!("/api/v1/exercises/{E}/rounds/top2/responses.csv"),
        ),
        ("GET", format!("/api/v1/exercises/{E}/rounds/top2/results")),
        ("PUT", format!("/api/v1/exercises/{E}")),
        ("POST", format!("/api/v1/exercises/{E}/invites")),
        ("GET", format!("/api/v1/exercises/{E}/participation")),
        ("GET", "/api/v1/audit".to_string()),
        ("DELETE", "/api/v1/sessions".to_string()),
    ];
    for (method, uri) in &calls {
        let anonymous = Call::new(method, uri).send(&app).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
        assert!(anonymous.detail().contains("sign in"), "{}", anonymous.text);
        assert_eq!(
            anonymous.headers["www-authenticate"],
            "Bearer realm=\"prioritise\""
        );
        let wrong = Call::new(method, uri)
            .header("authorization", "Bearer not-the-token")
            .send(&app)
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
        let malformed = Call::new(method, uri)
            .header("authorization", "Basic abc")
            .send(&app)
            .await;
        assert_eq!(malformed.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
    }
    // Without a configured token, no bearer token is accepted.
    let tokenless = test_app_with(Settings::default());
    let reply = Call::new("GET", "/api/v1/audit")
        .header("authorization", "Bearer ")
        .send(&router(&tokenless))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn state_never_changes_on_get() {
    let test = test_app();
    let app = router(&test);
    for uri in [
        format!("/api/v1/exercises/{E}/rounds/top2/open"),
        format!("/api/v1/exercises/{E}/rounds/top2/close"),
        format!("/api/v1/exercises/{E}/invites"),
        format!("/api/v1/exercises/{E}/respondents"),
    ] {
        let reply = Call::new("GET", &uri).admin().send(&app).await;
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{uri}");
    }
    let exercise = Call::new("GET", &format!("/api/v1/exercises/{E}"))
        .send(&app)
        .await;
    assert!(
        exercise.body["rounds"]
            .as_array()
            .unwrap()
            .iter()
            .all(|round| round["state"] == json!("draft"))
    );
}

#[tokio::test]
async fn sessions_use_strict_http_only_cookies_and_csrf_tokens() {
    let test = test_app();
    let hash = server::auth::hash_password("a long enough passphrase").unwrap();
    test.state
        .store
        .add_admin("lead@example.org", &hash)
        .unwrap();
    let app = router(&test);

    let wrong = Call::new("POST", "/api/v1/sessions")
        .json(json!({ "email": "lead@example.org", "password": "not the passphrase" }))
        .send(&app)
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.detail().contains("email or password is not right"));
    let unknown = Call::new("POST", "/api/v1/sessions")
        .json(json!({ "email": "nobody@example.org", "password": "a long enough passphrase" }))
        .send(&app)
        .await;
    assert_eq!(unknown.detail(), wrong.detail());

    let signed_in = Call::new("POST", "/api/v1/sessions")
        .json(json!({ "email": "Lead@Example.org", "password": "a long enough passphrase" }))
        .send(&app)
        .await;
    assert_eq!(signed_in.status, StatusCode::CREATED, "{}", signed_in.text);
    let set_cookie = signed_in.headers["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        set_cookie.starts_with("prioritise_session="),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("HttpOnly"));
    assert!(set_cookie.contains("SameSite=Strict"));
    assert!(set_cookie.contains("Path=/"));
    assert!(!set_cookie.contains("Secure"), "no TLS here: {set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let csrf = signed_in.body["csrf_token"].as_str().unwrap().to_string();

    let read = Call::new("GET", &format!("/api/v1/exercises/{E}/participation"))
        .header("cookie", &cookie)
        .send(&app)
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    let no_csrf = Call::new("POST", &format!("/api/v1/exercises/{E}/rounds/top2/open"))
        .header("cookie", &cookie)
        .send(&app)
        .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    assert!(no_csrf.detail().contains("CSRF"));
    let bad_csrf = Call::new("POST", &format!("/api/v1/exercises/{E}/rounds/top2/open"))
        .header("cookie", &cookie)
        .header("x-csrf-token", "0123456789abcdef0123456789abcdef")
        .send(&app)
        .await;
    assert_eq!(bad_csrf.status, StatusCode::FORBIDDEN);
    let opened = Call::new("POST", &format!("/api/v1/exercises/{E}/rounds/top2/open"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send(&app)
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text);

    let audit = Call::new("GET", "/api/v1/audit")
        .header("cookie", &cookie)
        .send(&app)
        .await;
    let entries = audit.body["entries"].as_array().unwrap();
    assert_eq!(entries[0]["action"], json!("set round open"));
    assert_eq!(entries[0]["actor"], json!("lead@example.org"));
    assert_eq!(
        entries[0]["detail"],
        json!("exercise every-kind round top2")
    );
    assert_eq!(entries[1]["action"], json!("sign in"));

    let signed_out = Call::new("DELETE", "/api/v1/sessions")
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send(&app)
        .await;
    assert_eq!(signed_out.status, StatusCode::NO_CONTENT);
    assert!(
        signed_out.headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let after = Call::new("GET", "/api/v1/audit")
        .header("cookie", &cookie)
        .send(&app)
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert!(after.detail().contains("session has ended"));
}

#[tokio::test]
async fn cookies_are_secure_when_the_service_is_reached_over_tls() {
    let test = test_app_with(Settings {
        secure_cookies: true,
        ..Settings::default()
    });
    let hash = server::auth::hash_password("a long enough passphrase").unwrap();
    test.state
        .store
        .add_admin("lead@example.org", &hash)
        .unwrap();
    let signed_in = Call::new("POST", "/api/v1/sessions")
        .json(json!({ "email": "lead@example.org", "password": "a long enough passphrase" }))
        .send(&router(&test))
        .await;
    assert!(
        signed_in.headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Secure")
    );
}

#[tokio::test]
async fn sign_in_and_submissions_are_rate_limited_per_client() {
    let test = test_app_with(Settings {
        admin_token: Some(TOKEN.to_string()),
        sign_in_rate_per_minute: 3,
        submit_rate_per_second: 1,
        ..Settings::default()
    });
    let app = router(&test);
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let reply = Call::new("POST", "/api/v1/sessions")
            .json(json!({ "email": "x@example.org", "password": "whatever password" }))
            .send(&app)
            .await;
        statuses.push(reply.status);
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(reply.detail().contains("too many requests"));
            let wait: u64 = reply.headers["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&wait), "{wait}");
        }
    }
    assert_eq!(
        statuses,
        [
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    // One per second with bursts of three: the fourth quick start is refused.
    let mut starts = Vec::new();
    for _ in 0..4 {
        starts.push(
            Call::new("POST", &format!("/api/v1/exercises/{E}/respondents"))
                .json(json!({ "group": "carers" }))
                .send(&app)
                .await
                .status,
        );
    }
    assert_eq!(
        starts,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}

#[tokio::test]
async fn definitions_are_loaded_versioned_and_checked_with_lines() {
    let test = test_app();
    let app = router(&test);
    let new = every_kind().id("second").build();
    let created = Call::new("PUT", "/api/v1/exercises/second")
        .admin()
        .raw("application/toml", new.clone())
        .send(&app)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(
        created.body,
        json!({ "exercise": "second", "version": 1, "changed": true })
    );
    let same = Call::new("PUT", "/api/v1/exercises/second")
        .admin()
        .raw("application/toml", new.clone())
        .send(&app)
        .await;
    assert_eq!(same.status, StatusCode::OK);
    assert_eq!(same.body["changed"], json!(false));
    let edited = every_kind()
        .id("second")
        .item_title("a", "Item A, reworded")
        .build();
    let updated = Call::new("PUT", "/api/v1/exercises/second")
        .admin()
        .raw("application/toml", edited)
        .send(&app)
        .await;
    assert_eq!(updated.body["version"], json!(2));
    let shown = Call::new("GET", "/api/v1/exercises/second")
        .send(&app)
        .await;
    assert_eq!(shown.body["version"], json!(2));
    assert_eq!(shown.body["items"][0]["title"], json!("Item A, reworded"));

    let broken = new.replace("top_k = 2", "top_k = 0");
    let refused = Call::new("PUT", "/api/v1/exercises/second")
        .admin()
        .raw("application/toml", broken)
        .send(&app)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.detail().contains("top_k"), "{}", refused.text);
    assert!(
        refused.body["errors"][0]["field"]
            .as_str()
            .unwrap()
            .starts_with("line "),
        "{}",
        refused.text
    );

    let mismatch = Call::new("PUT", "/api/v1/exercises/third")
        .admin()
        .raw("application/toml", new)
        .send(&app)
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.detail().contains("make them the same"));

    let list = Call::new("GET", "/api/v1/exercises").send(&app).await;
    let ids: Vec<&str> = list.body["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|exercise| exercise["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["every-kind", "invited", "second"]);
}

#[tokio::test]
async fn the_exercise_view_describes_every_round() {
    let test = test_app();
    let app = router(&test);
    open(&app, E, "scores").await;
    let view = Call::new("GET", &format!("/api/v1/exercises/{E}"))
        .send(&app)
        .await;
    assert_eq!(view.body["open_rounds"], json!(["scores"]));
    let rounds = view.body["rounds"].as_array().unwrap();
    let by_id = |id: &str| {
        rounds
            .iter()
            .find(|round| round["id"] == json!(id))
            .unwrap()
            .clone()
    };
    assert_eq!(by_id("ideas")["max_suggestions"], json!(3));
    assert_eq!(
        by_id("scores")["scale"],
        json!({ "min": 1, "max": 9, "labels": { "1": "Not important", "9": "Critical" } })
    );
    assert_eq!(by_id("scores")["state"], json!("open"));
    assert_eq!(by_id("chnri")["criteria"][1]["id"], json!("equity"));
    assert_eq!(
        by_id("chnri")["scale"]["answers"],
        json!(["yes", "undecided", "no"])
    );
    assert_eq!(by_id("top2")["top_k"], json!(2));
    assert_eq!(by_id("top2")["items"], json!(["a", "b", "c", "d"]));
    assert_eq!(by_id("choose")["max_picks"], json!(2));
    assert_eq!(by_id("pairs")["max_choices"], json!(4));
    let list = Call::new("GET", "/api/v1/exercises").send(&app).await;
    assert_eq!(list.body["exercises"][0]["open_rounds"], json!(["scores"]));
    let missing = Call::new("GET", "/api/v1/exercises/nope").send(&app).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

async fn submit_many(app: &axum::Router, round: &str, answers: &[(&str, Value)]) {
    open(app, E, round).await;
    for (group, body) in answers {
        let id = respondent(app, E, group).await;
        let mut body = body.clone();
        body["submit"] = json!(true);
        let reply = answer(app, E, round, &id, body).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
}

#[tokio::test]
async fn results_match_the_methods_by_hand() {
    let test = test_app();
    let app = router(&test);
    // Averaged Borda (METHODS.md) with m = 4 items and top-2 rankings: first scores 3, second
    // 2, and the two unranked items share (4 - 2 - 1) / 2 = 0.5 each.
    // c: 3 + 3 + 2 = 8; a: 2 + 0.5 + 3 = 5.5; b: 0.5 + 2 + 0.5 = 3; d: 1.5.
    submit_many(
        &app,
        "top2",
        &[
            ("carers", json!({ "ranking": ["c", "a"] })),
            ("carers", json!({ "ranking": ["c", "b"] })),
            ("young-people", json!({ "ranking": ["a", "c"] })),
        ],
    )
    .await;
    let results = Call::new(
        "GET",
        &format!("/api/v1/exercises/{E}/rounds/top2/results?method=borda&weighting=pooled"),
    )
    .admin()
    .send(&app)
    .await;
    assert_eq!(results.status, StatusCode::OK, "{}", results.text);
    let ranking = &results.body["results"][0]["ranking"];
    let order: Vec<&str> = ranking
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["item"].as_str().unwrap())
        .collect();
    assert_eq!(order[..2], ["c", "a"]);
    let scores: Vec<f64> = ranking
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores, [8.0, 5.5, 3.0, 1.5]);
    assert_eq!(order, ["c", "a", "b", "d"]);
    assert_eq!(results.body["input"]["respondents"], json!(3));
    assert_eq!(results.body["input"]["sha256"].as_str().unwrap().len(), 64);
    // Per group (the fixture's disclosure threshold is 1): carers ranked c first both times.
    let groups = results.body["results"][0]["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["group"], json!("carers"));
    assert_eq!(groups[0]["ranking"][0]["item"], json!("c"));
    assert_eq!(groups[1]["group"], json!("young-people"));
    assert_eq!(groups[1]["ranking"][0]["item"], json!("a"));

    // Several methods, repeated or comma-separated, with a bootstrap that is reproducible.
    let several = format!(
        "/api/v1/exercises/{E}/rounds/top2/results?method=borda,copeland&method=schulze&bootstrap=50&seed=3"
    );
    let first = Call::new("GET", &several).admin().send(&app).await;
    let second = Call::new("GET", &several).admin().send(&app).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let methods: Vec<&str> = first.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["borda", "copeland", "schulze"]);
    assert_eq!(first.body, second.body);

    // Ratings: mean of 9, 7 for a is 8.
    submit_many(
        &app,
        "scores",
        &[
            ("carers", json!({ "ratings": { "a": 9, "b": 1 } })),
            ("young-people", json!({ "ratings": { "a": 7, "b": 3 } })),
        ],
    )
    .await;
    let rated = Call::new(
        "GET",
        &format!("/api/v1/exercises/{E}/rounds/scores/results?method=mean&weighting=pooled"),
    )
    .admin()
    .send(&app)
    .await;
    assert_eq!(rated.status, StatusCode::OK, "{}", rated.text);
    assert_eq!(rated.body["results"][0]["ranking"][0]["item"], json!("a"));
    assert_eq!(rated.body["results"][0]["ranking"][0]["score"], json!(8.0));

    // Picks: counts.
    submit_many(
        &app,
        "choose",
        &[
            ("carers", json!({ "picked": ["b", "d"] })),
            ("young-people", json!({ "picked": ["b"] })),
        ],
    )
    .await;
    let picked = Call::new(
        "GET",
        &format!("/api/v1/exercises/{E}/rounds/choose/results?weighting=pooled"),
    )
    .admin()
    .send(&app)
    .await;
    assert_eq!(picked.status, StatusCode::OK, "{}", picked.text);
    assert_eq!(picked.body["results"][0]["method"], json!("count"));
    assert_eq!(picked.body["results"][0]["ranking"][0]["item"], json!("b"));
    assert_eq!(picked.body["results"][0]["ranking"][0]["score"], json!(2.0));

    // CHNRI and pairwise compute too.
    submit_many(
        &app,
        "chnri",
        &[("carers", json!({ "ratings": { "a": { "answerable": "yes", "equity": "yes" }, "b": { "answerable": "no", "equity": "undecided" } } }))],
    )
    .await;
    let chnri = Call::new(
        "GET",
        &format!("/api/v1/exercises/{E}/rounds/chnri/results"),
    )
    .admin()
    .send(&app)
    .await;
    assert_eq!(chnri.status, StatusCode::OK, "{}", chnri.text);
    assert_eq!(chnri.body["results"][0]["method"], json!("chnri"));
    assert_eq!(chnri.body["results"][0]["ranking"][0]["item"], json!("a"));
    submit_many(
        &app,
        "pairs",
        &[("carers", json!({ "choices": [{ "winner": "a", "loser": "b" }, { "winner": "b", "loser": "c" }, { "winner": "c", "loser": "d" }] }))],
    )
    .await;
    let pairs = Call::new(
        "GET",
        &format!("/api/v1/exercises/{E}/rounds/pairs/results?prior_alpha=0.1"),
    )
    .admin()
    .send(&app)
    .await;
    assert_eq!(pairs.status, StatusCode::OK, "{}", pairs.text);
    assert_eq!(pairs.body["results"][0]["method"], json!("bradley-terry"));
    assert_eq!(pairs.body["results"][0]["ranking"][0]["item"], json!("a"));
}

#[tokio::test]
async fn results_requests_that_cannot_be_met_say_why() {
    let test = test_app();
    let app = router(&test);
    let empty = Call::new("GET", &format!("/api/v1/exercises/{E}/rounds/top2/results"))
        .admin()
        .send(&app)
        .await;
    assert_eq!(empty.status, StatusCode::CONFLICT);
    assert!(empty.detail().contains("no submitted answers yet"));
    submit_many(
        &app,
        "top2",
        &[("carers", json!({ "ranking": ["a", "b"] }))],
    )
    .await;
    let cases = [
        ("method=mean", "method `mean` does not fit ranking data"),
        ("method=magic", "magic"),
        ("weighting=heavy", "heavy"),
        (
            "weighting=custom",
            "custom weighting needs a weight for every group",
        ),
        (
            "weighting=custom&group_weights=carers",
            "is not GROUP=WEIGHT",
        ),
        ("bootstrap=100000", "at most 2000"),
        ("top=0", "at least 1"),
        ("colour=blue", "unknown field `colour`"),
    ];
    for (query, expected) in cases {
        let reply = Call::new(
            "GET",
            &format!("/api/v1/exercises/{E}/rounds/top2/results?{query}"),
        )
        .admin()
        .send(&app)
        .await;
        assert!(reply.status.is_client_error(), "{query}: {}", reply.text);
        assert!(reply.detail().contains(expected), "{query}: {}", reply.text);
    }
    let suggestions = Call::new(
        "GET",
        &format!("/api/v1/exercises/{E}/rounds/ideas/results"),
    )
    .admin()
    .send(&app)
    .await;
    assert_eq!(suggestions.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(suggestions.detail().contains("curated into items"));
}

#[tokio::test]
async fn exports_neutralise_spreadsheet_formulas() {
    let test = test_app();
    let app = router(&test);
    submit_many(
        &app,
        "ideas",
        &[("carers", json!({ "suggestions": ["=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "<script>alert(1)</script>"] }))],
    )
    .await;
    let csv = Call::new(
        "GET",
        &format!("/api/v1/exercises/{E}/rounds/ideas/responses.csv"),
    )
    .admin()
    .send(&app)
    .await;
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(
        csv.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("every-kind-ideas.csv")
    );
    assert!(csv.text.contains("'=HYPERLINK"), "{}", csv.text);
    assert!(csv.text.contains("'@SUM(A1)"), "{}", csv.text);
    assert!(!csv.text.contains(",=HYPERLINK"), "{}", csv.text);
    assert!(!csv.text.contains(",\"=HYPERLINK"), "{}", csv.text);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let test = test_app();
    let app = router(&test);
    for call in [
        Call::new("GET", "/api/v1/exercises"),
        Call::new("GET", "/api/v1/nothing"),
        Call::new("GET", "/api/v1/audit"),
        Call::new("GET", "/health"),
        Call::new("POST", "/api/v1/exercises/every-kind/respondents").raw("application/json", "{"),
    ] {
        let reply = call.send(&app).await;
        assert_eq!(
            reply.headers["content-security-policy"],
            server::security::CONTENT_SECURITY_POLICY
        );
        assert!(server::security::CONTENT_SECURITY_POLICY.contains("default-src 'self'"));
        assert!(server::security::CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
        assert_eq!(reply.headers["x-content-type-options"], "nosniff");
        assert_eq!(reply.headers["referrer-policy"], "same-origin");
        assert_eq!(reply.headers["x-frame-options"], "DENY");
    }
}

#[tokio::test]
async fn the_openapi_description_lists_every_path_of_the_design() {
    let test = test_app();
    let reply = Call::new("GET", "/api/v1/openapi.json")
        .send(&router(&test))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = reply.body["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/exercises", "get"),
        ("/api/v1/exercises/{exercise}", "get"),
        ("/api/v1/exercises/{exercise}", "put"),
        ("/api/v1/exercises/{exercise}/respondents", "post"),
        (
            "/api/v1/exercises/{exercise}/rounds/{round}/responses/{respondent}",
            "put",
        ),
        ("/api/v1/exercises/{exercise}/rounds/{round}/pair", "get"),
        ("/api/v1/exercises/{exercise}/rounds/{round}/open", "post"),
        ("/api/v1/exercises/{exercise}/rounds/{round}/close", "post"),
        (
            "/api/v1/exercises/{exercise}/rounds/{round}/responses.csv",
            "get",
        ),
        ("/api/v1/exercises/{exercise}/rounds/{round}/results", "get"),
        ("/api/v1/exercises/{exercise}/invites", "post"),
        ("/api/v1/exercises/{exercise}/participation", "get"),
        ("/api/v1/sessions", "post"),
    ] {
        assert!(
            paths.get(path).and_then(|item| item.get(method)).is_some(),
            "{method} {path}"
        );
    }
    let schemes = &reply.body["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], json!("bearer"));
}
