//! The contract of the API from outside: every JSON-body operation refuses every kind of bad
//! body in the error shape naming the problem; no error answer of the API is anything but that
//! shape; the OpenAPI document says what the service does; `method=all` leaves out what does
//! not fit, with a note.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::StatusCode;
use serde_json::{Value, json};
use server::Settings;

use crate::{
    Call, Case, EVERY_KIND, TOKEN, answer, check, every_kind, open, respondent, router, test_app,
};

const E: &str = "every-kind";

/// Every operation with a JSON body: a name, its method and address, whether it is admin, and
/// a body it would take.
fn json_operations() -> Vec<(&'static str, &'static str, String, bool, Value)> {
    let at = |path: &str| format!("/api/v1/exercises/{E}{path}");
    vec![
        (
            "startRespondent",
            "POST",
            at("/respondents"),
            false,
            json!({"group": "carers"}),
        ),
        (
            "resumeRespondent",
            "POST",
            at("/resume"),
            false,
            json!({"resume_code": "ABCD-EFGH"}),
        ),
        (
            "putAnswer",
            "PUT",
            at("/rounds/top2/responses/nobody"),
            false,
            json!({"submit": false, "ranking": ["a", "b"]}),
        ),
        (
            "createInvites",
            "POST",
            at("/invites"),
            true,
            json!({"count": 1}),
        ),
        (
            "setRoundSchedule",
            "PUT",
            at("/rounds/top2/schedule"),
            true,
            json!({"opens_at": "2027-01-10T09:00:00Z", "closes_at": null}),
        ),
        (
            "decideSuggestion",
            "PUT",
            at("/rounds/ideas/curation/nobody:1"),
            true,
            json!({"status": "unassigned"}),
        ),
        (
            "decideSuggestions",
            "POST",
            at("/rounds/ideas/curation/decisions"),
            true,
            json!({"suggestions": ["nobody:1"], "status": "unassigned", "proposal_version": 0}),
        ),
        (
            "reviewSuggestion",
            "PUT",
            at("/rounds/ideas/curation/nobody:1/review"),
            true,
            json!({"review": "reviewed", "note": "fine"}),
        ),
        (
            "acceptProposals",
            "POST",
            at("/rounds/ideas/curation/accept"),
            true,
            json!({"clusters": [0]}),
        ),
        (
            "mergeGroups",
            "POST",
            at("/rounds/ideas/curation/groups/merge"),
            true,
            json!({"clusters": [0, 1], "proposal_version": 1}),
        ),
        (
            "splitGroup",
            "POST",
            at("/rounds/ideas/curation/groups/split"),
            true,
            json!({"suggestions": ["nobody:1"], "proposal_version": 1}),
        ),
        (
            "createItem",
            "POST",
            at("/rounds/ideas/curation/items"),
            true,
            json!({"title": "New"}),
        ),
        (
            "changeItem",
            "PATCH",
            at("/items/a"),
            true,
            json!({"title": "Renamed"}),
        ),
        (
            "applyShortlist",
            "POST",
            at("/rounds/top2/shortlist"),
            true,
            json!({"rule": "top", "k": 2}),
        ),
        (
            "inviteMember",
            "POST",
            at("/members"),
            true,
            json!({"email": "alex@example.org", "role": "advisory"}),
        ),
        (
            "setMemberRole",
            "PUT",
            at("/members/alex@example.org"),
            true,
            json!({"role": "lead"}),
        ),
        (
            "setAccess",
            "PUT",
            at("/access"),
            true,
            json!({"advisory_downloads": true}),
        ),
        (
            "signIn",
            "POST",
            "/api/v1/sessions".to_string(),
            false,
            json!({"email": "lead@example.org", "password": "not the password"}),
        ),
    ]
}

/// A request to an operation, with the admin token when it needs one.
fn call(method: &str, uri: &str, admin: bool) -> Call {
    let call = Call::new(method, uri);
    if admin { call.admin() } else { call }
}

/// `call` with `body` and no `Content-Type`.
fn untyped(mut call: Call, body: &str) -> Call {
    call.body = Body::from(body.to_string());
    call
}

/// The valid body with its first key given twice, as raw JSON.
fn first_key_twice(valid: &Value) -> (String, String) {
    let (key, value) = valid.as_object().unwrap().iter().next().unwrap();
    let rest = valid.to_string();
    let inner = &rest[1..rest.len() - 1];
    (key.clone(), format!("{{\"{key}\": {value}, {inner}}}"))
}

#[tokio::test]
async fn every_json_body_operation_refuses_every_bad_body_naming_the_problem() {
    let app = test_app();
    let app = router(&app);
    let oversize = json!({"padding": "x".repeat(Settings::default().max_body_bytes)}).to_string();
    let mut cases = Vec::new();
    for (name, method, uri, admin, valid) in json_operations() {
        let raw = |body: &str| call(method, &uri, admin).raw("application/json", body.to_string());
        for (body, kind) in [
            ("[]", "an array"),
            ("[\"Renamed\"]", "an array"),
            ("null", "null"),
            ("3", "a number"),
            ("\"text\"", "a string"),
            ("true", "a boolean"),
        ] {
            cases.push(Case::new(
                format!("{name} with {body}"),
                raw(body),
                StatusCode::UNPROCESSABLE_ENTITY,
                kind,
            ));
        }
        let mut evil = valid.clone();
        evil["evil"] = json!(1);
        cases.push(
            Case::new(
                format!("{name} with an unknown field"),
                call(method, &uri, admin).json(evil),
                StatusCode::UNPROCESSABLE_ENTITY,
                "evil",
            )
            .field("evil"),
        );
        let (key, twice) = first_key_twice(&valid);
        cases.push(
            Case::new(
                format!("{name} with `{key}` twice"),
                raw(&twice),
                StatusCode::UNPROCESSABLE_ENTITY,
                "given twice",
            )
            .field(&key),
        );
        cases.push(
            Case::new(
                format!("{name} without a Content-Type"),
                untyped(call(method, &uri, admin), &valid.to_string()),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "application/json",
            )
            .field("Content-Type"),
        );
        cases.push(
            Case::new(
                format!("{name} as text/plain"),
                call(method, &uri, admin).raw("text/plain", valid.to_string()),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "application/json",
            )
            .field("Content-Type"),
        );
        cases.push(Case::new(
            format!("{name} with bad JSON"),
            raw("{\"a\": "),
            StatusCode::BAD_REQUEST,
            "not valid JSON",
        ));
        cases.push(
            Case::new(
                format!("{name} oversize"),
                raw(&oversize),
                StatusCode::PAYLOAD_TOO_LARGE,
                "larger",
            )
            .field("body"),
        );
    }
    check(&app, cases).await;
}

#[tokio::test]
async fn an_answer_names_the_field_to_blame_and_never_takes_an_array_for_an_object() {
    let app = test_app();
    let app = router(&app);
    open(&app, E, "pairs").await;
    open(&app, E, "top2").await;
    let who = respondent(&app, E, "carers").await;
    let pairs = answer(
        &app,
        E,
        "pairs",
        &who,
        json!({"submit": false, "choices": [["a", "b"]]}),
    )
    .await;
    assert_eq!(
        pairs.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        pairs.text
    );
    assert_eq!(
        pairs.body["errors"][0]["field"], "choices[0]",
        "{}",
        pairs.text
    );
    let missing = answer(
        &app,
        E,
        "pairs",
        &who,
        json!({"submit": false, "choices": [{"winner": "a"}]}),
    )
    .await;
    assert_eq!(
        missing.body["errors"][0]["field"], "choices[0].loser",
        "{}",
        missing.text
    );
    let typed = answer(
        &app,
        E,
        "top2",
        &who,
        json!({"submit": false, "ranking": "a"}),
    )
    .await;
    assert_eq!(
        typed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        typed.text
    );
    assert_eq!(
        typed.body["errors"][0]["field"], "ranking",
        "{}",
        typed.text
    );
    let nested_twice = Call::new(
        "PUT",
        &format!("/api/v1/exercises/{E}/rounds/pairs/responses/{who}"),
    )
    .raw(
        "application/json",
        r#"{"submit": false, "choices": [{"winner": "a", "loser": "b", "loser": "c"}]}"#,
    )
    .send(&app)
    .await;
    assert_eq!(
        nested_twice.body["errors"][0]["field"], "choices[0].loser",
        "{}",
        nested_twice.text
    );
    let fine = answer(
        &app,
        E,
        "top2",
        &who,
        json!({"submit": true, "ranking": ["a", "b"]}),
    )
    .await;
    assert_eq!(fine.status, StatusCode::OK, "{}", fine.text);
}

#[tokio::test]
async fn every_error_answer_of_the_api_has_the_error_shape() {
    let settings = Settings {
        admin_token: Some(TOKEN.to_string()),
        submit_rate_per_second: 0,
        sign_in_rate_per_minute: 0,
        max_definition_bytes: 4096,
        ..Settings::default()
    };
    let app = crate::test_app_with(settings);
    let app = router(&app);
    let definition = format!("/api/v1/exercises/{E}");
    let mut latin1 = EVERY_KIND.as_bytes().to_vec();
    latin1.extend_from_slice(b"\n# caf\xe9 written in Latin-1\n");
    assert!(std::str::from_utf8(&latin1).is_err());
    check(
        &app,
        [
            Case::new(
                "a definition over the limit",
                Call::new("PUT", &definition)
                    .admin()
                    .raw("application/toml", "#".repeat(5000)),
                StatusCode::PAYLOAD_TOO_LARGE,
                "larger",
            )
            .field("body"),
            Case::new(
                "a definition that is not UTF-8",
                Call::new("PUT", &definition)
                    .admin()
                    .raw("application/toml", latin1),
                StatusCode::BAD_REQUEST,
                "not UTF-8",
            )
            .field("body"),
            Case::new(
                "invalid UTF-8 in a path parameter",
                Call::new("GET", "/api/v1/exercises/%FF%FE"),
                StatusCode::BAD_REQUEST,
                "UTF-8",
            )
            .field("exercise"),
            Case::new(
                "invalid UTF-8 in the feedback's path",
                Call::new(
                    "GET",
                    &format!("/api/v1/exercises/{E}/rounds/%C3%28/feedback?respondent=x"),
                ),
                StatusCode::BAD_REQUEST,
                "UTF-8",
            ),
            Case::new(
                "a method the address does not take",
                Call::new(
                    "DELETE",
                    &format!("/api/v1/exercises/{E}/rounds/top2/results"),
                )
                .admin(),
                StatusCode::METHOD_NOT_ALLOWED,
                "Allow",
            ),
            Case::new(
                "an unknown query parameter",
                Call::new(
                    "GET",
                    &format!("/api/v1/exercises/{E}/rounds/pairs/pair?respondent=x&evil=1"),
                ),
                StatusCode::BAD_REQUEST,
                "evil",
            )
            .field("evil"),
            Case::new(
                "a pair of a round that is not pairwise",
                Call::new(
                    "GET",
                    &format!("/api/v1/exercises/{E}/rounds/top2/pair?respondent=x"),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
                "not a pairwise one",
            )
            .field("round"),
            Case::new(
                "a missing query parameter",
                Call::new("GET", &format!("/api/v1/exercises/{E}/rounds/pairs/pair")),
                StatusCode::BAD_REQUEST,
                "respondent",
            )
            .field("respondent"),
            Case::new(
                "a query parameter of the wrong type",
                Call::new(
                    "GET",
                    &format!("/api/v1/exercises/{E}/rounds/top2/results?top=many"),
                )
                .admin(),
                StatusCode::BAD_REQUEST,
                "top",
            )
            .field("top"),
            // What Schemathesis found the service taking although the document refuses it.
            Case::new(
                "a query parameter with no value",
                Call::new(
                    "GET",
                    &format!("/api/v1/exercises/{E}/rounds/top2/results?bootstrap="),
                )
                .admin(),
                StatusCode::BAD_REQUEST,
                "has no value",
            )
            .field("bootstrap"),
            Case::new(
                "a seed beyond the document's int64",
                Call::new(
                    "GET",
                    &format!("/api/v1/exercises/{E}/rounds/top2/results?seed=9223372036854775808"),
                )
                .admin(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "at most 9223372036854775807",
            )
            .field("seed"),
            Case::new(
                "skips beyond the document's maximum",
                Call::new(
                    "GET",
                    &format!(
                        "/api/v1/exercises/{E}/rounds/pairs/pair?respondent=x&skipped=2147483648"
                    ),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
                "at most 1000000",
            )
            .field("skipped"),
            Case::new(
                "a shortlist's j of 0 under a rule without j",
                Call::new(
                    "GET",
                    &format!("/api/v1/exercises/{E}/rounds/top2/shortlist?j=0"),
                )
                .admin(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "j must be at least 1",
            )
            .field("j"),
        ],
    )
    .await;
}

/// Every operation of the document: (method, path template, operation).
fn operations(document: &Value) -> Vec<(String, String, Value)> {
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            operations.push((method.clone(), path.clone(), operation.clone()));
        }
    }
    operations
}

/// The schema of a parameter of an operation.
fn parameter<'a>(operation: &'a Value, name: &str) -> &'a Value {
    operation["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|parameter| parameter["name"] == name)
        .unwrap_or_else(|| panic!("no parameter `{name}`"))
}

#[tokio::test]
async fn the_document_says_what_the_service_does() {
    let app = test_app();
    let max_bootstrap = app.state.settings.max_bootstrap;
    let app = router(&app);
    let document = Call::new("GET", "/api/v1/openapi.json")
        .send(&app)
        .await
        .body;
    let operations = operations(&document);
    assert_eq!(operations.len(), 41);
    let tags: BTreeSet<&str> = document["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tag| tag["name"].as_str().unwrap())
        .collect();
    let mut ids = BTreeMap::new();
    for (method, path, operation) in &operations {
        let name = format!("{} {path}", method.to_uppercase());
        let id = operation["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no id"));
        if let Some(other) = ids.insert(id.to_string(), name.clone()) {
            panic!("`{id}` is the id of both {other} and {name}");
        }
        for tag in operation["tags"].as_array().unwrap() {
            assert!(
                tags.contains(tag.as_str().unwrap()),
                "{name}: undeclared tag {tag}"
            );
        }
        let parameters = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let in_path: BTreeSet<String> = parameters
            .iter()
            .filter(|parameter| parameter["in"] == "path")
            .map(|parameter| parameter["name"].as_str().unwrap().to_string())
            .collect();
        let in_template: BTreeSet<String> = path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
            .map(str::to_string)
            .collect();
        assert_eq!(in_path, in_template, "{name}: path parameters");
        let responses = operation["responses"].as_object().unwrap();
        let lists = |status: &str| responses.contains_key(status);
        let admin = operation["security"]
            .as_array()
            .is_some_and(|security| !security.is_empty());
        if admin {
            assert!(lists("401"), "{name}: an admin operation without 401");
        }
        let json_body = operation["requestBody"]["content"]
            .get("application/json")
            .is_some();
        if json_body {
            for status in ["400", "413", "415", "422"] {
                assert!(
                    lists(status),
                    "{name}: a JSON-body operation without {status}"
                );
            }
            assert!(
                operation["requestBody"]["content"]["application/json"]["example"].is_object(),
                "{name}: no request example"
            );
        }
        if !in_path.is_empty() {
            assert!(lists("404"), "{name}: no 404");
        }
        for (status, response) in responses {
            let header = match status.as_str() {
                "401" => Some("WWW-Authenticate"),
                "429" => Some("Retry-After"),
                _ => None,
            };
            if let Some(header) = header {
                assert!(
                    response["headers"].get(header).is_some(),
                    "{name}: {status} without {header}"
                );
            }
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{name}: {status} without the error body"
                );
            } else if status != "204" {
                let content = response["content"].as_object().unwrap();
                assert!(
                    content
                        .values()
                        .all(|content| !content["example"].is_null()),
                    "{name}: {status} without an example"
                );
            }
        }
    }
    let get = |path: &str, method: &str| {
        &document["paths"][format!("/api/v1/exercises/{{exercise}}/rounds/{{round}}{path}")][method]
    };
    let pair = parameter(get("/pair", "get"), "respondent");
    assert_eq!(
        (&pair["in"], &pair["required"]),
        (&json!("query"), &json!(true))
    );
    let results = get("/results", "get");
    for name in [
        "method",
        "weighting",
        "group_weights",
        "top",
        "bootstrap",
        "seed",
        "prior_alpha",
    ] {
        let parameter = parameter(results, name);
        assert_eq!(parameter["in"], "query", "{name}");
        assert_ne!(parameter["required"], json!(true), "{name}");
    }
    assert_eq!(parameter(results, "top")["schema"]["minimum"], 1);
    assert_eq!(
        parameter(results, "bootstrap")["schema"]["maximum"],
        max_bootstrap
    );
    assert_eq!(
        parameter(get("/shortlist", "get"), "k")["schema"]["minimum"],
        1
    );
    let schemas = &document["components"]["schemas"];
    assert_eq!(
        schemas["InviteRequest"]["properties"]["count"]["minimum"],
        1
    );
    assert_eq!(
        schemas["InviteRequest"]["properties"]["count"]["maximum"],
        store::MAX_INVITES_PER_CALL
    );
    let title = &schemas["NewItemRequest"]["properties"]["title"];
    assert_eq!(title["minLength"], 1);
    let pattern = title["pattern"].as_str().unwrap();
    assert!(
        pattern.contains(&format!("{{0,{}}}", survey::curation::MAX_TITLE_CHARS - 2)),
        "{pattern}"
    );
    assert_eq!(
        schemas["ItemChangeRequest"]["properties"]["title"]["maxLength"],
        survey::curation::MAX_TITLE_CHARS
    );
    assert_eq!(schemas["ErrorBody"]["properties"]["errors"]["minItems"], 1);
    assert_eq!(
        schemas["ErrorDetail"]["properties"]["field"]["type"],
        "string"
    );
    let sign_out = &document["paths"]["/api/v1/sessions"]["delete"]["security"];
    assert!(
        sign_out
            .as_array()
            .unwrap()
            .iter()
            .any(|scheme| scheme.get("bearer").is_some())
    );
}

/// An exercise whose rating round is on a 1-5 scale, which rand-ucla does not take.
fn five_point() -> String {
    every_kind()
        .id("five-point")
        .rounds(
            r#"[[rounds]]
id = "scores"
kind = "rate"
scale = { min = 1, max = 5 }
"#,
        )
        .build()
}

#[tokio::test]
async fn all_leaves_out_the_methods_that_do_not_fit_the_scale_or_weighting_with_a_note() {
    let app = test_app();
    app.state
        .store
        .put_exercise(&five_point(), "five.toml", "test")
        .unwrap();
    let app = router(&app);
    for exercise in ["five-point", E] {
        open(&app, exercise, "scores").await;
        for (group, ratings) in [("carers", [5, 4, 2, 1]), ("young-people", [4, 5, 1, 2])] {
            let who = respondent(&app, exercise, group).await;
            let ratings: serde_json::Map<String, Value> = ["a", "b", "c", "d"]
                .iter()
                .zip(ratings)
                .map(|(item, rating)| (item.to_string(), json!(rating)))
                .collect();
            let reply = answer(
                &app,
                exercise,
                "scores",
                &who,
                json!({"submit": true, "ratings": ratings}),
            )
            .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        }
    }
    for (exercise, query, why) in [
        ("five-point", "method=all", "1-9 scale"),
        (
            E,
            "method=all&weighting=equal-groups",
            "cannot use weighting",
        ),
    ] {
        let reply = Call::new(
            "GET",
            &format!("/api/v1/exercises/{exercise}/rounds/scores/results?{query}"),
        )
        .admin()
        .send(&app)
        .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{exercise} {query}: {}",
            reply.text
        );
        let methods: Vec<&str> = reply.body["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| entry["method"].as_str().unwrap())
            .collect();
        assert!(
            methods.contains(&"mean") && !methods.contains(&"rand-ucla"),
            "{methods:?}"
        );
        let notes = reply.body["notes"].as_array().unwrap();
        assert!(
            notes.iter().any(|note| {
                let note = note.as_str().unwrap();
                note.starts_with("rand-ucla left out") && note.contains(why)
            }),
            "{notes:?}"
        );
    }
    let asked = Call::new(
        "GET",
        "/api/v1/exercises/five-point/rounds/scores/results?method=rand-ucla",
    )
    .admin()
    .send(&app)
    .await;
    assert_eq!(
        asked.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        asked.text
    );
    assert_eq!(asked.body["errors"][0]["field"], "method", "{}", asked.text);
}
