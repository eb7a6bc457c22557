//! From suggestions to a shortlist through the API: curation (items made from suggestions,
//! decisions, evidence, counts), opening rounds only when they have their items, and
//! shortlisting the next round from a round's results.

use std::sync::LazyLock;

use axum::Router;
use axum::http::StatusCode;
use serde_json::{Value, json};
use test_support::ExerciseToml;

use crate::{Call, Case, Reply, answer, check, open, respondent, router, test_app};

const E: &str = "journey";

/// An exercise that starts with no items: they come from the suggestions.
pub(crate) static JOURNEY: LazyLock<String> = LazyLock::new(|| {
    ExerciseToml::tiny()
        .id("journey")
        .title("From suggestions to priorities")
        .set("disclosure_threshold", "1")
        .items(&[])
        .rounds(
            r#"[[rounds]]
id = "ideas"
kind = "suggest"
max_suggestions = 3

[[rounds]]
id = "rate"
kind = "rate"
scale = { min = 1, max = 9 }
method = "mean"
weighting = "pooled"

[[rounds]]
id = "final"
kind = "rank"
top_k = 2
method = "borda"
weighting = "pooled"
"#,
        )
        .build()
});

/// An admin request to `path` under the exercise, with a JSON body when there is one.
fn admin_call(method: &str, path: &str, body: Option<Value>) -> Call {
    let call = Call::new(method, &format!("/api/v1/exercises/{E}{path}")).admin();
    match body {
        Some(body) => call.json(body),
        None => call,
    }
}

async fn admin(app: &Router, method: &str, path: &str, body: Option<Value>) -> Reply {
    admin_call(method, path, body).send(app).await
}

async fn close(app: &Router, round: &str) {
    let reply = admin(app, "POST", &format!("/rounds/{round}/close"), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

async fn submit(app: &Router, round: &str, respondent: &str, body: Value) {
    let mut body = body;
    body["submit"] = json!(true);
    let reply = answer(app, E, round, respondent, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

fn suggestion_id(view: &Value, text: &str) -> String {
    view["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["text"] == text)
        .unwrap_or_else(|| panic!("no suggestion {text:?} in {view}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn suggestions_become_items_and_a_shortlist_becomes_the_next_round() {
    let test = test_app();
    let app = router(&test);
    let put = Call::new("PUT", &format!("/api/v1/exercises/{E}"))
        .admin()
        .raw("application/toml", JOURNEY.as_str())
        .send(&app)
        .await;
    assert_eq!(put.status, StatusCode::CREATED, "{}", put.text);

    // Without items the rating round cannot open.
    let early = admin(&app, "POST", "/rounds/rate/open", None).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(
        early
            .detail()
            .contains("asks about 0 items but needs at least 2"),
        "{}",
        early.detail()
    );

    // Round 1: four people suggest.
    open(&app, E, "ideas").await;
    let carer_1 = respondent(&app, E, "carers").await;
    let carer_2 = respondent(&app, E, "carers").await;
    let young_1 = respondent(&app, E, "young-people").await;
    let young_2 = respondent(&app, E, "young-people").await;
    submit(
        &app,
        "ideas",
        &carer_1,
        json!({ "suggestions": ["More early help for families", "=1+1 pay rise"] }),
    )
    .await;
    submit(
        &app,
        "ideas",
        &carer_2,
        json!({ "suggestions": ["early help for families!"] }),
    )
    .await;
    submit(
        &app,
        "ideas",
        &young_1,
        json!({ "suggestions": ["Support for kinship carers", "Lower social worker caseloads"] }),
    )
    .await;
    submit(
        &app,
        "ideas",
        &young_2,
        json!({ "suggestions": ["Support kinship carers better"] }),
    )
    .await;
    close(&app, "ideas").await;

    // The curation view: every suggestion undecided, near-duplicates proposed together.
    let view = admin(&app, "GET", "/rounds/ideas/curation", None).await;
    assert_eq!(view.status, StatusCode::OK, "{}", view.text);
    assert_eq!(view.body["total"], 6);
    assert_eq!(view.body["undecided"], 6);
    let cluster_of = |text: &str| {
        view.body["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["text"] == text)
            .unwrap()["cluster"]
            .clone()
    };
    assert_eq!(
        cluster_of("More early help for families"),
        cluster_of("early help for families!")
    );
    assert_ne!(
        cluster_of("More early help for families"),
        cluster_of("Lower social worker caseloads")
    );
    let body = &view.body;
    let early_1 = suggestion_id(body, "More early help for families");
    let early_2 = suggestion_id(body, "early help for families!");
    let kinship_1 = suggestion_id(body, "Support for kinship carers");
    let kinship_2 = suggestion_id(body, "Support kinship carers better");
    let caseloads = suggestion_id(body, "Lower social worker caseloads");
    let pay = suggestion_id(body, "=1+1 pay rise");
    // Suggestions are named by the respondent's pseudonym, never by id.
    let carer_1_named = test.state.store.pseudonyms().of(&carer_1);
    assert_eq!(early_1, format!("{carer_1_named}:1"));
    assert_eq!(pay, format!("{carer_1_named}:2"));

    // Items made from suggestions, each a new definition version.
    let made = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/items",
        Some(json!({ "title": "Early help for families", "suggestions": [early_1, early_2] })),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    assert_eq!(
        made.body,
        json!({ "id": "early-help-for-families", "version": 2 })
    );
    let made = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/items",
        Some(json!({ "title": "Kinship care", "id": "kinship", "suggestions": [kinship_1], "version": 2 })),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    // A change made from an old version is refused rather than overwriting the newer one.
    let stale = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/items",
        Some(json!({ "title": "Caseloads", "suggestions": [caseloads], "version": 2 })),
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    for (title, suggestions) in [
        ("Social work caseloads", vec![caseloads.clone()]),
        ("Adoption support", vec![]),
    ] {
        let made = admin(
            &app,
            "POST",
            "/rounds/ideas/curation/items",
            Some(json!({ "title": title, "suggestions": suggestions })),
        )
        .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    }
    // Decisions: assign to an existing item.
    let assign = admin(
        &app,
        "PUT",
        &format!("/rounds/ideas/curation/{kinship_2}"),
        Some(json!({ "status": "assigned", "item": "kinship" })),
    )
    .await;
    assert_eq!(assign.status, StatusCode::OK, "{}", assign.text);
    // Bad requests name their field: out of scope needs a reason.
    let make_item = |body: Value| admin_call("POST", "/rounds/ideas/curation/items", Some(body));
    let decide =
        |body: Value| admin_call("PUT", &format!("/rounds/ideas/curation/{pay}"), Some(body));
    check(
        &app,
        [
            Case::status(
                "an item with a blank title",
                make_item(json!({ "title": " " })),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .field("title"),
            Case::status(
                "an item made from an unknown suggestion",
                make_item(json!({ "title": "X", "suggestions": ["nobody:9"] })),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .field("suggestions"),
            Case::status(
                "out of scope without a reason",
                decide(json!({ "status": "out-of-scope" })),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .field("note"),
            Case::status(
                "assigned to an item that does not exist",
                decide(json!({ "status": "assigned", "item": "nothing" })),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .field("item"),
        ],
    )
    .await;
    let out = admin(
        &app,
        "PUT",
        &format!("/rounds/ideas/curation/{pay}"),
        Some(json!({ "status": "out-of-scope", "note": "about pay, not a research question" })),
    )
    .await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.text);

    // Evidence: one item is already answered, so it leaves the rounds that ask about every item.
    let answered = admin(
        &app,
        "PATCH",
        "/items/adoption-support",
        Some(json!({ "evidence": "Cochrane review CD000001 (2025)", "answered": true })),
    )
    .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.text);
    let needs_evidence = admin(
        &app,
        "PATCH",
        "/items/kinship",
        Some(json!({ "answered": true })),
    )
    .await;
    assert_eq!(needs_evidence.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        needs_evidence.detail().contains("`evidence` is missing"),
        "{}",
        needs_evidence.detail()
    );
    let reworded = admin(&app, "PATCH", "/items/kinship", Some(json!({ "title": "Support for kinship carers", "evidence": "No review found (searched 2026-10)" }))).await;
    assert_eq!(reworded.status, StatusCode::OK, "{}", reworded.text);

    // Counts per item and per group.
    let view = admin(&app, "GET", "/rounds/ideas/curation", None)
        .await
        .body;
    assert_eq!(
        (
            view["assigned"].clone(),
            view["out_of_scope"].clone(),
            view["undecided"].clone()
        ),
        (json!(5), json!(1), json!(0))
    );
    let item = |id: &str| {
        view["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["item"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        item("early-help-for-families")["by_group"],
        json!({ "carers": 2 })
    );
    assert_eq!(item("kinship")["by_group"], json!({ "young-people": 2 }));
    assert_eq!(item("kinship")["title"], "Support for kinship carers");
    assert_eq!(item("adoption-support")["answered"], true);
    assert_eq!(
        view["groups"][0],
        json!({ "group": "carers", "label": "Carers", "suggestions": 3, "assigned": 2, "out_of_scope": 1, "undecided": 0 })
    );

    // The curation file, formulas neutralised.
    let csv = admin(&app, "GET", "/rounds/ideas/curation.csv", None).await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(
        lines[0],
        "suggestion,respondent,group,text,status,item,cluster,similarity,note,decided_by,decided_at,proposal_version"
    );
    assert_eq!(lines.len(), 7);
    assert!(
        csv.text.contains(&format!(
            "{pay},{carer_1_named},carers,'=1+1 pay rise,out-of-scope,,"
        )),
        "{}",
        csv.text
    );
    assert!(
        csv.text.contains(",about pay, not a research question")
            || csv.text.contains(",\"about pay, not a research question\""),
        "{}",
        csv.text
    );

    // Round 2: three items to rate (the answered one is left out).
    let exercise = Call::new("GET", &format!("/api/v1/exercises/{E}"))
        .send(&app)
        .await
        .body;
    let rate = exercise["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "rate")
        .unwrap()
        .clone();
    assert_eq!(
        rate["items"],
        json!([
            "early-help-for-families",
            "kinship",
            "social-work-caseloads"
        ])
    );
    open(&app, E, "rate").await;
    for (who, ratings) in [
        (
            &carer_1,
            json!({ "early-help-for-families": 9, "kinship": 5, "social-work-caseloads": 7 }),
        ),
        (
            &carer_2,
            json!({ "early-help-for-families": 8, "kinship": 4, "social-work-caseloads": 6 }),
        ),
        (
            &young_1,
            json!({ "early-help-for-families": 3, "kinship": 9, "social-work-caseloads": 8 }),
        ),
    ] {
        submit(&app, "rate", who, json!({ "ratings": ratings })).await;
    }
    close(&app, "rate").await;
    // Drop-out: of the four who suggested, three rated (both carers, one young person).
    let participation = admin(&app, "GET", "/participation", None).await.body;
    assert_eq!(participation["rounds"][0]["continued"], Value::Null);
    assert_eq!(
        participation["rounds"][1]["groups"],
        json!({ "carers": 2, "young-people": 1 })
    );
    assert_eq!(
        participation["rounds"][1]["continued"]["groups"],
        json!({ "carers": 2, "young-people": 1 })
    );

    // Items cannot be added once a round that asks about every item has answers.
    let late = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/items",
        Some(json!({ "title": "Late idea" })),
    )
    .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.text);
    assert!(
        late.detail().contains("round `rate` is closed"),
        "{}",
        late.detail()
    );

    // Shortlist preview. Means: early help (9 + 8 + 3) / 3 = 6.67, kinship 6, caseloads 7.
    let preview = admin(&app, "GET", "/rounds/rate/shortlist?rule=top&k=2", None).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
    let rows = preview.body["items"].as_array().unwrap();
    let summary: Vec<(String, bool)> = rows
        .iter()
        .map(|row| {
            (
                row["item"].as_str().unwrap().to_string(),
                row["included"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("social-work-caseloads".to_string(), true),
            ("early-help-for-families".to_string(), true),
            ("kinship".to_string(), false),
        ]
    );
    assert_eq!(rows[0]["reasons"], json!(["ranked 1 overall"]));
    assert_eq!(preview.body["into"], "final");
    assert_eq!(preview.body["rule"], "the top 2 overall");
    // Protected group: young people's top 1 (kinship, rated 9) goes through as well.
    let protected = admin(
        &app,
        "GET",
        "/rounds/rate/shortlist?rule=protected&k=1&group=young-people&j=1",
        None,
    )
    .await;
    let through: Vec<(Value, Value)> = protected.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["included"] == true)
        .map(|row| (row["item"].clone(), row["reasons"].clone()))
        .collect();
    assert_eq!(
        through,
        [
            (json!("social-work-caseloads"), json!(["ranked 1 overall"])),
            (
                json!("kinship"),
                json!(["ranked 1 by Young people (protected group)"])
            ),
        ]
    );
    let bad_rule = admin(&app, "GET", "/rounds/rate/shortlist?rule=best", None).await;
    assert_eq!(bad_rule.body["errors"][0]["field"], "rule");
    let no_group = admin(&app, "GET", "/rounds/rate/shortlist?rule=protected", None).await;
    assert_eq!(no_group.body["errors"][0]["field"], "group");

    // Make the shortlist: the final round asks about the two items.
    let made = admin(
        &app,
        "POST",
        "/rounds/rate/shortlist",
        Some(json!({ "rule": "top", "k": 2 })),
    )
    .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    assert_eq!(made.body["change"]["id"], "final");
    let exercise = Call::new("GET", &format!("/api/v1/exercises/{E}"))
        .send(&app)
        .await
        .body;
    let last = exercise["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "final")
        .unwrap()
        .clone();
    assert_eq!(
        last["items"],
        json!(["social-work-caseloads", "early-help-for-families"])
    );

    // Round 3, then the shortlist can no longer change.
    open(&app, E, "final").await;
    submit(
        &app,
        "final",
        &carer_1,
        json!({ "ranking": ["early-help-for-families", "social-work-caseloads"] }),
    )
    .await;
    let again = admin(
        &app,
        "POST",
        "/rounds/rate/shortlist",
        Some(json!({ "rule": "top", "k": 3 })),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);

    // The audit trail: from each item back to the words people wrote, with scores by round.
    let audit = admin(&app, "GET", "/audit.csv", None).await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.text);
    let lines: Vec<&str> = audit.text.lines().collect();
    assert_eq!(
        lines[0],
        "final_rank,item,title,status,submissions,groups,original_submissions,evidence,answered,rate_score,rate_rank,rate_included,final_score,final_rank,final_included"
    );
    let early = lines
        .iter()
        .find(|line| line.contains(",early-help-for-families,"))
        .unwrap_or_else(|| panic!("{}", audit.text));
    assert!(early.starts_with("1,early-help-for-families,Early help for families,top priority,2,carers 2,More early help for families | early help for families!,"), "{early}");
    let adoption = lines
        .iter()
        .find(|line| line.contains(",adoption-support,"))
        .unwrap();
    assert!(adoption.contains("answered by evidence"), "{adoption}");
    assert!(
        adoption.contains("Cochrane review CD000001 (2025)"),
        "{adoption}"
    );

    // Every change is in the audit log.
    let audit = Call::new("GET", "/api/v1/audit")
        .admin()
        .send(&app)
        .await
        .body;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"curate"), "{actions:?}");
    assert!(
        actions.iter().filter(|a| **a == "put exercise").count() >= 6,
        "{actions:?}"
    );
}

#[tokio::test]
async fn curation_is_for_research_leads_and_suggest_rounds_only() {
    let test = test_app();
    let app = router(&test);
    let curation = "/api/v1/exercises/every-kind/rounds";
    check(
        &app,
        [
            Case::status(
                "without signing in",
                Call::new("GET", &format!("{curation}/ideas/curation")),
                StatusCode::UNAUTHORIZED,
            ),
            Case::new(
                "a round that is not a suggest round",
                Call::new("GET", &format!("{curation}/top2/curation")).admin(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "only suggestions are curated",
            ),
            Case::status(
                "an unknown suggestion",
                Call::new("PUT", &format!("{curation}/ideas/curation/nobody:1"))
                    .admin()
                    .json(json!({ "status": "unassigned" })),
                StatusCode::NOT_FOUND,
            ),
        ],
    )
    .await;
}
