//! Respondent ids are capabilities: exports, the curation API and the audit trail carry a
//! keyed pseudonym instead, the same for one respondent in every file. Free text with control
//! characters is refused by field.

use axum::Router;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{Call, answer, open, respondent, router, test_app};

const E: &str = "every-kind";

async fn submit(app: &Router, round: &str, respondent: &str, body: Value) {
    let mut body = body;
    body["submit"] = json!(true);
    let reply = answer(app, E, round, respondent, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

async fn get_text(app: &Router, path: &str) -> String {
    let reply = Call::new("GET", path).admin().send(app).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text);
    reply.text
}

/// The first cell of every row of `csv` that holds `needle`.
fn first_cells(csv: &str, needle: &str) -> Vec<String> {
    csv.lines()
        .filter(|line| line.contains(needle))
        .map(|line| line.split(',').next().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn exports_and_the_curation_api_carry_pseudonyms_never_respondent_ids() {
    let test = test_app();
    let app = router(&test);
    open(&app, E, "ideas").await;
    open(&app, E, "scores").await;
    let first = respondent(&app, E, "carers").await;
    let second = respondent(&app, E, "carers").await;
    submit(
        &app,
        "ideas",
        &first,
        json!({ "suggestions": ["first idea"] }),
    )
    .await;
    submit(
        &app,
        "ideas",
        &second,
        json!({ "suggestions": ["second idea"] }),
    )
    .await;
    submit(&app, "scores", &first, json!({ "ratings": { "a": 7 } })).await;
    submit(&app, "scores", &second, json!({ "ratings": { "a": 2 } })).await;

    let base = format!("/api/v1/exercises/{E}");
    let ideas = get_text(&app, &format!("{base}/rounds/ideas/responses.csv")).await;
    let scores = get_text(&app, &format!("{base}/rounds/scores/responses.csv")).await;
    let curation_csv = get_text(&app, &format!("{base}/rounds/ideas/curation.csv")).await;
    let view: Value =
        serde_json::from_str(&get_text(&app, &format!("{base}/rounds/ideas/curation")).await)
            .unwrap();
    let pages_csv = Call::new("GET", &format!("/admin/e/{E}/r/ideas/responses.csv"))
        .send(&app)
        .await;

    // The first respondent's pseudonym, from the suggestions file.
    let pseudonym = first_cells(&ideas, "first idea").pop().unwrap();
    assert!(
        pseudonym.starts_with("r-") && pseudonym.len() == 22,
        "{ideas}"
    );
    let other = first_cells(&ideas, "second idea").pop().unwrap();
    assert_ne!(pseudonym, other);
    // The same pseudonym in the ratings file (joinable), the curation file and the API.
    assert_eq!(
        first_cells(&scores, ",7"),
        std::slice::from_ref(&pseudonym),
        "{scores}"
    );
    assert_eq!(
        first_cells(&scores, ",2"),
        std::slice::from_ref(&other),
        "{scores}"
    );
    assert_eq!(
        first_cells(&curation_csv, "first idea"),
        [format!("{pseudonym}:1")],
        "{curation_csv}"
    );
    let row = view["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["text"] == "first idea")
        .unwrap();
    assert_eq!(row["respondent"], json!(pseudonym));
    assert_eq!(row["id"], json!(format!("{pseudonym}:1")));
    // A second export gives the same pseudonyms.
    assert_eq!(
        get_text(&app, &format!("{base}/rounds/ideas/responses.csv")).await,
        ideas
    );

    // Decisions are made by the pseudonymous id, and the audit keeps no respondent id.
    let decided = Call::new(
        "PUT",
        &format!("{base}/rounds/ideas/curation/{pseudonym}:1"),
    )
    .admin()
    .json(json!({ "status": "out-of-scope", "note": "not for this exercise" }))
    .send(&app)
    .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.text);
    let audit_log = get_text(&app, "/api/v1/audit").await;
    let audit_csv = get_text(&app, &format!("{base}/audit.csv")).await;
    assert!(audit_log.contains(&pseudonym), "{audit_log}");

    for (name, text) in [
        ("ideas responses.csv", &ideas),
        ("scores responses.csv", &scores),
        ("curation.csv", &curation_csv),
        ("curation API", &view.to_string()),
        ("audit log", &audit_log),
        ("audit.csv", &audit_csv),
    ] {
        for id in [&first, &second] {
            assert!(
                !text.contains(id.as_str()),
                "{name} holds a respondent id:\n{text}"
            );
        }
    }
    // The admin page's export needs a session; it is the same export.
    assert_eq!(pages_csv.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn suggestions_with_control_characters_are_refused_by_field() {
    let test = test_app();
    let app = router(&test);
    open(&app, E, "ideas").await;
    let id = respondent(&app, E, "carers").await;
    for (text, code) in [
        ("nul\u{0}", "U+0000"),
        ("bell\u{7}", "U+0007"),
        ("back\u{8}space", "U+0008"),
        ("\u{1b}[2Jclear", "U+001B"),
    ] {
        let reply = answer(
            &app,
            E,
            "ideas",
            &id,
            json!({ "suggestions": ["fine", text], "submit": true }),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.text
        );
        assert_eq!(reply.body["errors"][0]["field"], json!("suggestions[1]"));
        assert!(reply.detail().contains(code), "{}", reply.text);
    }
    let csv = get_text(
        &app,
        &format!("/api/v1/exercises/{E}/rounds/ideas/responses.csv"),
    )
    .await;
    assert_eq!(csv.lines().count(), 1, "nothing was saved: {csv}");

    // The research lead's free text is refused in the same way, by field.
    let reply = answer(
        &app,
        E,
        "ideas",
        &id,
        json!({ "suggestions": ["a fine idea"], "submit": true }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let suggestion = format!("{}:1", test.state.store.pseudonyms().of(&id));
    let base = format!("/api/v1/exercises/{E}/rounds/ideas/curation");
    let note = Call::new("PUT", &format!("{base}/{suggestion}"))
        .admin()
        .json(json!({ "status": "out-of-scope", "note": "off\u{8}topic" }))
        .send(&app)
        .await;
    assert_eq!(
        note.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        note.text
    );
    assert_eq!(note.body["errors"][0]["field"], json!("note"));
    assert!(note.detail().contains("U+0008"), "{}", note.text);
    let title = Call::new("POST", &format!("{base}/items"))
        .admin()
        .json(json!({ "title": "Bell\u{7} item", "suggestions": [suggestion] }))
        .send(&app)
        .await;
    assert_eq!(
        title.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        title.text
    );
    assert_eq!(title.body["errors"][0]["field"], json!("title"));
    let change = Call::new("PATCH", &format!("/api/v1/exercises/{E}/items/a"))
        .admin()
        .json(json!({ "evidence": "\u{1b}]8;;x\u{7}" }))
        .send(&app)
        .await;
    assert_eq!(
        change.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        change.text
    );
    assert_eq!(change.body["errors"][0]["field"], json!("evidence"));
}
