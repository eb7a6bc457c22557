//! Respondents and their answers: every round kind, every class of bad input, drafts,
//! idempotency, resume codes, invites and concurrency.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{Call, Case, answer, check, open, respondent, router, test_app};

const E: &str = "every-kind";

/// A valid answer for each round of the test exercise.
fn valid_answers() -> Vec<(&'static str, Value)> {
    vec![
        (
            "ideas",
            json!({ "suggestions": ["More research on leaving care", "  Kinship care  "] }),
        ),
        (
            "scores",
            json!({ "ratings": { "a": 9, "b": 3, "c": null, "d": 5 } }),
        ),
        (
            "chnri",
            json!({ "ratings": {
                "a": { "answerable": "yes", "equity": "undecided" },
                "b": { "answerable": "no", "equity": "yes" }
            } }),
        ),
        ("top2", json!({ "ranking": ["c", "a"] })),
        ("choose", json!({ "picked": ["b", "d"] })),
        (
            "pairs",
            json!({ "choices": [{ "winner": "a", "loser": "b" }, { "winner": "c", "loser": "a" }] }),
        ),
    ]
}

#[tokio::test]
async fn a_respondent_answers_every_round_kind_and_reads_each_answer_back() {
    let test = test_app();
    let app = router(&test);
    for (round, _) in valid_answers() {
        open(&app, E, round).await;
    }
    let id = respondent(&app, E, "carers").await;
    for (round, body) in valid_answers() {
        let mut submitted = body.clone();
        submitted["submit"] = json!(true);
        let reply = answer(&app, E, round, &id, submitted).await;
        assert_eq!(reply.status, StatusCode::OK, "{round}: {}", reply.text);
        assert_eq!(reply.body["submitted"], json!(true));
        assert_eq!(reply.body["replayed"], json!(false));
        assert!(reply.body["receipt"].as_str().unwrap().len() >= 16);

        let back = Call::new(
            "GET",
            &format!("/api/v1/exercises/{E}/rounds/{round}/responses/{id}"),
        )
        .send(&app)
        .await;
        assert_eq!(back.status, StatusCode::OK, "{}", back.text);
        assert_eq!(back.body["submitted"], json!(true));
        assert_eq!(back.body["receipt"], reply.body["receipt"]);
        let expected = if round == "ideas" {
            // Suggestions are stored trimmed.
            json!({ "suggestions": ["More research on leaving care", "Kinship care"] })
        } else {
            body
        };
        assert_eq!(back.body["answer"], expected, "{round}");
    }
    // The export of each round holds the respondent, by pseudonym (the id is a capability).
    let pseudonym = test.state.store.pseudonyms().of(&id);
    for (round, _) in valid_answers() {
        let csv = Call::new(
            "GET",
            &format!("/api/v1/exercises/{E}/rounds/{round}/responses.csv"),
        )
        .admin()
        .send(&app)
        .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.text.contains(&format!("{pseudonym},carers,")) && !csv.text.contains(&id),
            "{round}: {}",
            csv.text
        );
    }
}

#[tokio::test]
async fn bad_answers_say_what_to_fix_and_store_nothing() {
    let test = test_app();
    let app = router(&test);
    for (round, _) in valid_answers() {
        open(&app, E, round).await;
    }
    let id = respondent(&app, E, "young-people").await;
    let cases: Vec<(&str, Value, &str, Option<&str>)> = vec![
        (
            "top2",
            json!({ "submit": true, "ranking": ["a", "zzz"] }),
            "`zzz` is not one of this round's items",
            Some("ranking[1]"),
        ),
        (
            "top2",
            json!({ "submit": true, "ranking": ["a", "b", "c"] }),
            "ranking",
            None,
        ),
        (
            "top2",
            json!({ "submit": true, "ranking": ["a", "a"] }),
            "ranking[1]",
            Some("ranking[1]"),
        ),
        (
            "top2",
            json!({ "submit": true, "ranking": [] }),
            "ranking",
            None,
        ),
        (
            "top2",
            json!({ "submit": true, "picked": ["a"] }),
            "picked",
            None,
        ),
        (
            "scores",
            json!({ "submit": true, "ratings": { "a": 10 } }),
            "ratings.a",
            Some("ratings.a"),
        ),
        (
            "scores",
            json!({ "submit": true, "ratings": { "a": "high" } }),
            "expected a whole number",
            Some("ratings.a"),
        ),
        (
            "chnri",
            json!({ "submit": true, "ratings": { "a": { "answerable": "yes" } } }),
            "equity",
            None,
        ),
        (
            "chnri",
            json!({ "submit": true, "ratings": { "a": 5 } }),
            "criteria",
            None,
        ),
        (
            "choose",
            json!({ "submit": true, "picked": ["a", "b", "c"] }),
            "picked",
            None,
        ),
        (
            "ideas",
            json!({ "submit": true, "suggestions": ["x".repeat(51)] }),
            "suggestions[0]",
            Some("suggestions[0]"),
        ),
        (
            "ideas",
            json!({ "submit": true, "suggestions": ["   "] }),
            "suggestions[0]",
            Some("suggestions[0]"),
        ),
        (
            "ideas",
            json!({ "submit": true, "suggestions": ["1", "2", "3", "4"] }),
            "suggestions",
            None,
        ),
        (
            "pairs",
            json!({ "submit": true, "choices": [{ "winner": "a", "loser": "a" }] }),
            "choices[0]",
            None,
        ),
        (
            "pairs",
            json!({ "submit": true, "choices": [
            { "winner": "a", "loser": "b" }, { "winner": "a", "loser": "c" }, { "winner": "a", "loser": "d" },
            { "winner": "b", "loser": "c" }, { "winner": "b", "loser": "d" }] }),
            "choices",
            None,
        ),
        (
            "top2",
            json!({ "ranking": ["a"] }),
            "to submit the answer",
            Some("submit"),
        ),
        (
            "top2",
            json!({ "submit": "yes", "ranking": ["a"] }),
            "`submit` must be true",
            Some("submit"),
        ),
        ("top2", json!(["a"]), "must be a JSON object", None),
        (
            "top2",
            json!({ "submit": true, "ranking": ["a"], "evil": 1 }),
            "unknown field `evil`",
            Some("evil"),
        ),
        (
            "top2",
            json!({ "submit": true }),
            "an answer needs one of",
            None,
        ),
    ];
    for (round, body, expected, field) in cases {
        let reply = answer(&app, E, round, &id, body.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{round} {body}: {}",
            reply.text
        );
        assert!(
            reply.text.contains(expected),
            "{round} {body}: expected `{expected}` in {}",
            reply.text
        );
        if let Some(field) = field {
            assert_eq!(
                reply.body["errors"][0]["field"],
                json!(field),
                "{}",
                reply.text
            );
        }
        // Nothing was stored.
        let back = Call::new(
            "GET",
            &format!("/api/v1/exercises/{E}/rounds/{round}/responses/{id}"),
        )
        .send(&app)
        .await;
        assert_eq!(back.status, StatusCode::NOT_FOUND, "{round}: {}", back.text);
    }
}

/// The request that puts `body` as `respondent`'s answer to `round` of `exercise`.
fn put_answer(exercise: &str, round: &str, respondent: &str, body: Value) -> Call {
    Call::new(
        "PUT",
        &format!("/api/v1/exercises/{exercise}/rounds/{round}/responses/{respondent}"),
    )
    .json(body)
}

#[tokio::test]
async fn malformed_requests_get_clear_errors() {
    let test = test_app();
    let app = router(&test);
    open(&app, E, "top2").await;
    let id = respondent(&app, E, "carers").await;
    let address = format!("/api/v1/exercises/{E}/rounds/top2/responses/{id}");
    let huge = format!(
        "{{\"submit\": true, \"ranking\": [\"{}\"]}}",
        "a".repeat(300 * 1024)
    );
    let ranking_a = || json!({ "submit": true, "ranking": ["a"] });
    let start =
        |body: Value| Call::new("POST", &format!("/api/v1/exercises/{E}/respondents")).json(body);
    check(
        &app,
        [
            Case::new(
                "broken JSON",
                Call::new("PUT", &address)
                    .raw("application/json", "{\"submit\": true, \"ranking\": ["),
                StatusCode::BAD_REQUEST,
                "not valid JSON",
            ),
            Case::new(
                "no JSON content type",
                Call::new("PUT", &address).raw("text/plain", "{}"),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Content-Type: application/json",
            ),
            Case::status(
                "a body over the limit",
                Call::new("PUT", &address).raw("application/json", huge),
                StatusCode::PAYLOAD_TOO_LARGE,
            ),
            Case::new(
                "an unknown exercise",
                put_answer("nope", "top2", &id, ranking_a()),
                StatusCode::NOT_FOUND,
                "no exercise `nope`",
            ),
            Case::new(
                "an unknown round",
                put_answer(E, "nope", &id, ranking_a()),
                StatusCode::NOT_FOUND,
                "no round `nope`",
            ),
            Case::new(
                "an unknown respondent",
                put_answer(E, "top2", "someone", ranking_a()),
                StatusCode::NOT_FOUND,
                "no respondent",
            ),
            Case::new(
                "a round still in draft",
                put_answer(E, "choose", &id, json!({ "submit": true, "picked": ["a"] })),
                StatusCode::CONFLICT,
                "is draft, not open",
            ),
            Case::new(
                "an unknown group",
                start(json!({ "group": "aliens" })),
                StatusCode::UNPROCESSABLE_ENTITY,
                "its groups are: carers, young-people",
            )
            .field("group"),
            Case::new(
                "a field a respondent does not have",
                start(json!({ "group": "carers", "name": "Sam" })),
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown field `name`",
            ),
            Case::new(
                "an address that is not the API's",
                Call::new("GET", "/api/v1/nothing-here"),
                StatusCode::NOT_FOUND,
                "openapi.json",
            ),
        ],
    )
    .await;
}

#[tokio::test]
async fn drafts_last_answer_wins_and_repeats_are_harmless() {
    let test = test_app();
    let app = router(&test);
    open(&app, E, "top2").await;
    let id = respondent(&app, E, "carers").await;
    let draft = answer(
        &app,
        E,
        "top2",
        &id,
        json!({ "submit": false, "ranking": ["a"] }),
    )
    .await;
    assert_eq!(draft.status, StatusCode::OK);
    assert_eq!(draft.body["submitted"], json!(false));
    let back = Call::new(
        "GET",
        &format!("/api/v1/exercises/{E}/rounds/top2/responses/{id}"),
    )
    .send(&app)
    .await;
    assert_eq!(back.body["submitted"], json!(false));
    assert_eq!(back.body["answer"], json!({ "ranking": ["a"] }));

    // A draft is not exported.
    let csv = Call::new(
        "GET",
        &format!("/api/v1/exercises/{E}/rounds/top2/responses.csv"),
    )
    .admin()
    .send(&app)
    .await;
    assert_eq!(csv.text, "respondent,group,item,rank\n");

    let first = answer(
        &app,
        E,
        "top2",
        &id,
        json!({ "submit": true, "ranking": ["a", "b"] }),
    )
    .await;
    let repeat = answer(
        &app,
        E,
        "top2",
        &id,
        json!({ "submit": true, "ranking": ["a", "b"] }),
    )
    .await;
    assert_eq!(repeat.body["receipt"], first.body["receipt"]);
    assert_eq!(repeat.body["replayed"], json!(true));

    // With an idempotency key, a retried request returns the first receipt even after a
    // later answer; the same key with another answer is refused.
    let keyed = Call::new(
        "PUT",
        &format!("/api/v1/exercises/{E}/rounds/top2/responses/{id}"),
    )
    .header("idempotency-key", "k-1")
    .json(json!({ "submit": true, "ranking": ["d", "c"] }))
    .send(&app)
    .await;
    assert_eq!(keyed.status, StatusCode::OK);
    let retried = Call::new(
        "PUT",
        &format!("/api/v1/exercises/{E}/rounds/top2/responses/{id}"),
    )
    .json(json!({ "submit": true, "ranking": ["d", "c"], "idempotency_key": "k-1" }))
    .send(&app)
    .await;
    assert_eq!(retried.body["receipt"], keyed.body["receipt"]);
    assert_eq!(retried.body["replayed"], json!(true));
    let conflict = Call::new(
        "PUT",
        &format!("/api/v1/exercises/{E}/rounds/top2/responses/{id}"),
    )
    .header("idempotency-key", "k-1")
    .json(json!({ "submit": true, "ranking": ["b"] }))
    .send(&app)
    .await;
    assert_eq!(
        conflict.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        conflict.text
    );
    let differing = Call::new(
        "PUT",
        &format!("/api/v1/exercises/{E}/rounds/top2/responses/{id}"),
    )
    .header("idempotency-key", "k-2")
    .json(json!({ "submit": true, "ranking": ["b"], "idempotency_key": "k-3" }))
    .send(&app)
    .await;
    assert_eq!(differing.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The last submission wins in the export: one respondent, ranking d then c.
    let csv = Call::new(
        "GET",
        &format!("/api/v1/exercises/{E}/rounds/top2/responses.csv"),
    )
    .admin()
    .send(&app)
    .await;
    let pseudonym = test.state.store.pseudonyms().of(&id);
    assert_eq!(
        csv.text,
        format!("respondent,group,item,rank\n{pseudonym},carers,d,1\n{pseudonym},carers,c,2\n")
    );

    // Once closed, answers are refused, but a retried request still gets its receipt.
    let close = Call::new("POST", &format!("/api/v1/exercises/{E}/rounds/top2/close"))
        .admin()
        .send(&app)
        .await;
    assert_eq!(close.status, StatusCode::OK);
    let late = answer(
        &app,
        E,
        "top2",
        &id,
        json!({ "submit": true, "ranking": ["a"] }),
    )
    .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.detail().contains("closed"));
    let retried_late = Call::new(
        "PUT",
        &format!("/api/v1/exercises/{E}/rounds/top2/responses/{id}"),
    )
    .header("idempotency-key", "k-1")
    .json(json!({ "submit": true, "ranking": ["d", "c"] }))
    .send(&app)
    .await;
    assert_eq!(retried_late.status, StatusCode::OK);
    assert_eq!(retried_late.body["receipt"], keyed.body["receipt"]);
}

#[tokio::test]
async fn resume_codes_bring_back_the_respondent_and_group() {
    let test = test_app();
    let app = router(&test);
    let created = Call::new("POST", &format!("/api/v1/exercises/{E}/respondents"))
        .json(json!({ "group": "young-people" }))
        .send(&app)
        .await;
    let code = created.body["resume_code"]
        .as_str()
        .unwrap()
        .to_uppercase()
        .replace('-', " ");
    let resumed = Call::new("POST", &format!("/api/v1/exercises/{E}/resume"))
        .json(json!({ "resume_code": code }))
        .send(&app)
        .await;
    assert_eq!(resumed.status, StatusCode::OK, "{}", resumed.text);
    assert_eq!(resumed.body["respondent"], created.body["respondent"]);
    assert_eq!(resumed.body["group"], json!("young-people"));
    let shown = Call::new(
        "GET",
        &format!(
            "/api/v1/exercises/{E}/respondents/{}",
            created.body["respondent"].as_str().unwrap()
        ),
    )
    .send(&app)
    .await;
    assert_eq!(shown.body["group"], json!("young-people"));
    let wrong = Call::new("POST", &format!("/api/v1/exercises/{E}/resume"))
        .json(json!({ "resume_code": "aaaa-bbbb-cccc-dddd" }))
        .send(&app)
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert!(wrong.detail().contains("resume code is not right"));
}

#[tokio::test]
async fn pairs_are_proposed_until_every_pair_or_the_limit_is_reached() {
    let test = test_app();
    let app = router(&test);
    open(&app, E, "pairs").await;
    let id = respondent(&app, E, "carers").await;
    let mut choices: Vec<Value> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    loop {
        let proposal = Call::new(
            "GET",
            &format!("/api/v1/exercises/{E}/rounds/pairs/pair?respondent={id}"),
        )
        .send(&app)
        .await;
        assert_eq!(proposal.status, StatusCode::OK, "{}", proposal.text);
        assert_eq!(proposal.body["answered"], json!(choices.len()));
        if proposal.body["pair"].is_null() {
            break;
        }
        let pair: Vec<String> = serde_json::from_value(proposal.body["pair"].clone()).unwrap();
        assert_ne!(pair[0], pair[1]);
        let mut key = pair.clone();
        key.sort();
        assert!(seen.insert(key), "pair {pair:?} proposed twice");
        // The same request proposes the same pair; a skip proposes another when there is one.
        let again = Call::new(
            "GET",
            &format!("/api/v1/exercises/{E}/rounds/pairs/pair?respondent={id}"),
        )
        .send(&app)
        .await;
        assert_eq!(again.body["pair"], proposal.body["pair"]);
        choices.push(json!({ "winner": pair[0], "loser": pair[1] }));
        let saved = answer(
            &app,
            E,
            "pairs",
            &id,
            json!({ "submit": false, "choices": choices }),
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    }
    // max_choices is 4 of the 6 pairs.
    assert_eq!(choices.len(), 4);
    // Items seen least come first: the first two pairs cover all four items.
    let first_two: std::collections::HashSet<&str> = choices[..2]
        .iter()
        .flat_map(|choice| {
            [
                choice["winner"].as_str().unwrap(),
                choice["loser"].as_str().unwrap(),
            ]
        })
        .collect();
    assert_eq!(first_two.len(), 4);

    check(
        &app,
        [
            Case::new(
                "a round that is not a pairwise one",
                Call::new(
                    "GET",
                    &format!("/api/v1/exercises/{E}/rounds/top2/pair?respondent={id}"),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
                "not a pairwise one",
            ),
            Case::new(
                "no respondent named",
                Call::new("GET", &format!("/api/v1/exercises/{E}/rounds/pairs/pair")),
                StatusCode::BAD_REQUEST,
                "respondent",
            ),
        ],
    )
    .await;
}

#[tokio::test]
async fn an_invite_admits_exactly_one_of_fifty_simultaneous_starts() {
    let test = test_app();
    let app = router(&test);
    let needs = Call::new("POST", "/api/v1/exercises/invited/respondents")
        .json(json!({ "group": "carers" }))
        .send(&app)
        .await;
    assert_eq!(needs.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(needs.body["errors"][0]["field"], json!("invite"));

    let invites = Call::new("POST", "/api/v1/exercises/invited/invites")
        .admin()
        .json(json!({ "count": 2 }))
        .send(&app)
        .await;
    assert_eq!(invites.status, StatusCode::CREATED, "{}", invites.text);
    let tokens: Vec<String> = serde_json::from_value(invites.body["invites"].clone()).unwrap();
    assert_eq!(tokens.len(), 2);
    assert_ne!(tokens[0], tokens[1]);

    let mut tasks = Vec::new();
    for _ in 0..50 {
        let app = app.clone();
        let token = tokens[0].clone();
        tasks.push(tokio::spawn(async move {
            Call::new("POST", "/api/v1/exercises/invited/respondents")
                .json(json!({ "group": "carers", "invite": token }))
                .send(&app)
                .await
                .status
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(
        statuses
            .iter()
            .filter(|status| **status == StatusCode::CREATED)
            .count(),
        1
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|status| **status == StatusCode::FORBIDDEN)
            .count(),
        49
    );

    let bad = Call::new("POST", "/api/v1/exercises/invited/respondents")
        .json(json!({ "group": "carers", "invite": "not-a-token" }))
        .send(&app)
        .await;
    assert_eq!(bad.status, StatusCode::FORBIDDEN);
    assert!(bad.detail().contains("not valid or has already been used"));
    let second = Call::new("POST", "/api/v1/exercises/invited/respondents")
        .json(json!({ "group": "carers", "invite": tokens[1] }))
        .send(&app)
        .await;
    assert_eq!(second.status, StatusCode::CREATED);
}

#[tokio::test]
async fn concurrent_submissions_from_many_respondents_lose_nothing() {
    let test = test_app();
    let app = router(&test);
    open(&app, E, "top2").await;
    let mut tasks = Vec::new();
    for index in 0..200 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let group = if index % 2 == 0 {
                "carers"
            } else {
                "young-people"
            };
            let id = respondent(&app, E, group).await;
            let ranking = if index % 3 == 0 {
                json!(["a", "b"])
            } else {
                json!(["c", "d"])
            };
            let reply = answer(
                &app,
                E,
                "top2",
                &id,
                json!({ "submit": true, "ranking": ranking }),
            )
            .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
            id
        }));
    }
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.unwrap());
    }
    let csv = Call::new(
        "GET",
        &format!("/api/v1/exercises/{E}/rounds/top2/responses.csv"),
    )
    .admin()
    .send(&app)
    .await;
    for id in &ids {
        let pseudonym = test.state.store.pseudonyms().of(id);
        assert_eq!(csv.text.matches(pseudonym.as_str()).count(), 2, "{id}");
        assert!(!csv.text.contains(id.as_str()));
    }
    assert_eq!(csv.text.lines().count(), 1 + 2 * ids.len());
    let participation = Call::new("GET", &format!("/api/v1/exercises/{E}/participation"))
        .admin()
        .send(&app)
        .await;
    let top2 = participation.body["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|round| round["round"] == json!("top2"))
        .unwrap()
        .clone();
    assert_eq!(
        top2["groups"],
        json!({ "carers": 100, "young-people": 100 })
    );
    assert_eq!(top2["total"], json!(200));
    assert_eq!(top2["state"], json!("open"));
}
