//! Proposals that never move behind the team's back: stored versions, decisions that name the
//! version seen and are refused with the differences when it moved, the preview of "accept
//! all", provenance, and people's merges and splits surviving a recomputation.

use std::sync::LazyLock;

use axum::Router;
use axum::http::StatusCode;
use serde_json::{Value, json};
use test_support::ExerciseToml;

use crate::pages::signed_in_admin;
use crate::{Call, Reply, TestApp, answer, open, respondent, router, test_app};

const E: &str = "leaving-care";

/// An exercise about leaving care with three items.
static LEAVING_CARE: LazyLock<String> = LazyLock::new(|| {
    ExerciseToml::tiny()
        .id(E)
        .title("Leaving care")
        .set("disclosure_threshold", "1")
        .items(&[
            (
                "leaving-care",
                "Support for care leavers after 18: money, housing and help",
            ),
            (
                "mental-health",
                "Mental health of children and young people",
            ),
            ("education", "Education of children in care"),
        ])
        .rounds(
            r#"[[rounds]]
id = "ideas"
kind = "suggest"
max_suggestions = 3
"#,
        )
        .build()
});

/// Suggestions about housing for care leavers.
const HOUSING: [&str; 6] = [
    "Housing for care leavers",
    "Safe housing for care leavers",
    "Care leavers need better housing",
    "Housing support for care leavers",
    "Suitable housing for care leavers at 18",
    "More housing for care leavers",
];

/// Suggestions about other things.
const OTHERS: [&str; 4] = [
    "Mental health support for children and young people",
    "Mental health of young people in care",
    "Education of children in care and school exclusions",
    "Education support for children in care",
];

fn path(tail: &str) -> String {
    format!("/api/v1/exercises/{E}{tail}")
}

async fn admin(app: &Router, method: &str, tail: &str, body: Option<Value>) -> Reply {
    let call = Call::new(method, &path(tail)).admin();
    match body {
        Some(body) => call.json(body),
        None => call,
    }
    .send(app)
    .await
}

/// A service with the exercise, its suggest round open, and one respondent per suggestion.
async fn with_suggestions(texts: &[&str]) -> (TestApp, Router) {
    let test = test_app();
    let app = router(&test);
    let put = Call::new("PUT", &path(""))
        .admin()
        .raw("application/toml", LEAVING_CARE.as_str())
        .send(&app)
        .await;
    assert_eq!(put.status, StatusCode::CREATED, "{}", put.text);
    open(&app, E, "ideas").await;
    suggest(&app, texts).await;
    (test, app)
}

/// One new respondent per text, each suggesting it.
async fn suggest(app: &Router, texts: &[&str]) {
    for text in texts {
        let who = respondent(app, E, "carers").await;
        let reply = answer(
            app,
            E,
            "ideas",
            &who,
            json!({ "suggestions": [text], "submit": true }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
}

async fn view(app: &Router) -> Value {
    let reply = admin(app, "GET", "/rounds/ideas/curation", None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body
}

fn row<'a>(view: &'a Value, text: &str) -> &'a Value {
    view["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["text"] == text)
        .unwrap_or_else(|| panic!("no suggestion {text:?} in {view}"))
}

fn id_of(view: &Value, text: &str) -> String {
    row(view, text)["id"].as_str().unwrap().to_string()
}

/// The proposed item of each of `texts`.
fn proposed(view: &Value, texts: &[&str]) -> Vec<Value> {
    texts
        .iter()
        .map(|text| row(view, text)["proposed_item"].clone())
        .collect()
}

fn version(view: &Value) -> i64 {
    view["proposal_version"].as_i64().unwrap()
}

fn stored_versions(test: &TestApp) -> usize {
    test.state
        .store
        .proposal_versions(E, "ideas")
        .unwrap()
        .len()
}

#[tokio::test]
async fn accept_all_from_a_proposal_that_moved_is_refused_with_the_differences() {
    let texts: Vec<&str> = HOUSING.iter().chain(OTHERS.iter()).copied().collect();
    let (test, app) = with_suggestions(&texts).await;
    let mut lead = signed_in_admin(&app, &test).await;

    // The lead looks: the housing group is proposed for "Support for young people leaving
    // care", sure enough to be accepted in bulk.
    let seen_view = view(&app).await;
    let seen = version(&seen_view);
    assert!(seen >= 1, "{seen_view}");
    let housing = proposed(&seen_view, &HOUSING[1..]);
    assert!(
        housing.iter().all(|item| item == "leaving-care"),
        "{housing:?}"
    );
    assert_ne!(row(&seen_view, HOUSING[1])["proposed_confidence"], "low");

    // The lead makes a new item from one of the suggestions: the proposal moves, and the rest
    // of the housing group is now proposed for the new item.
    let made = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/items",
        Some(json!({ "title": "Housing for care leavers", "suggestions": [id_of(&seen_view, HOUSING[0])] })),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let moved_view = view(&app).await;
    assert_eq!(version(&moved_view), seen + 1);
    assert!(
        proposed(&moved_view, &HOUSING[1..])
            .iter()
            .all(|item| item == "housing-for-care-leavers"),
        "{moved_view}"
    );
    let assigned_before = moved_view["assigned"].clone();

    // "Accept all" with the version the lead saw: refused, the differences listed, nothing
    // filed.
    let refused = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/accept",
        Some(json!({ "proposal_version": seen })),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert_eq!(refused.body["seen"], seen);
    assert_eq!(refused.body["current"], seen + 1);
    assert!(
        refused.detail().contains("nothing was changed"),
        "{}",
        refused.text
    );
    let changes = refused.body["changes"].as_array().unwrap();
    for text in &HOUSING[1..] {
        let change = changes
            .iter()
            .find(|change| change["text"] == *text)
            .unwrap_or_else(|| panic!("{text} is not among the changes: {}", refused.text));
        assert_eq!(change["before"], "leaving-care");
        assert_eq!(change["after"], "housing-for-care-leavers");
        assert_eq!(change["suggestion"], id_of(&moved_view, text));
    }
    let after_refusal = view(&app).await;
    assert_eq!(after_refusal["assigned"], assigned_before);
    assert!(
        HOUSING[1..]
            .iter()
            .all(|text| row(&after_refusal, text)["status"] == "unassigned")
    );

    // The same through the pages: the preview shows where they will go; accepting from the
    // old version shows what changed in words, and files nothing.
    let accept_page = format!("/admin/e/{E}/r/ideas/curate/accept");
    let preview = lead.get(&accept_page).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.html);
    assert!(preview.has("Housing for care leavers"), "{}", preview.html);
    assert!(preview.has(&format!("proposal version {}", seen + 1)));
    assert!(preview.has("<details"));
    let stale = lead
        .submit_from(
            &accept_page,
            &accept_page,
            &[("proposal_version", &seen.to_string())],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.html);
    assert!(stale.has("The proposal changed since you looked"));
    assert!(
        stale.has("Support for care leavers after 18: money, housing and help (high confidence)")
            || stale.has(
                "Support for care leavers after 18: money, housing and help (medium confidence)"
            ),
        "{}",
        stale.html
    );
    assert!(
        stale.has("Housing for care leavers (high confidence)"),
        "{}",
        stale.html
    );
    assert!(stale.has("Review the current proposal"));
    assert_eq!(view(&app).await["assigned"], assigned_before);

    // One decision for several from the list page, made from the old version: the same page
    // of differences, and nothing filed.
    let list_page = format!("/admin/e/{E}/r/ideas/curate");
    let housing_ids: Vec<String> = HOUSING[1..3]
        .iter()
        .map(|text| id_of(&moved_view, text))
        .collect();
    let stale_bulk = lead
        .submit_from(
            &list_page,
            &list_page,
            &[
                ("proposal_version", &seen.to_string()),
                ("suggestion", &housing_ids[0]),
                ("suggestion", &housing_ids[1]),
                ("action", "assign"),
                ("item", "leaving-care"),
            ],
        )
        .await;
    assert_eq!(
        stale_bulk.status,
        StatusCode::CONFLICT,
        "{}",
        stale_bulk.html
    );
    assert!(stale_bulk.has("The proposal changed since you looked"));
    assert!(stale_bulk.has("Housing for care leavers (high confidence)"));
    assert_eq!(view(&app).await["assigned"], assigned_before);

    // After reviewing, accepting the current version files them, and says from which version.
    let current = seen + 1;
    let accepted = lead
        .submit_from(
            &accept_page,
            &accept_page,
            &[("proposal_version", &current.to_string())],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.html);
    let filed = view(&app).await;
    for text in &HOUSING[1..] {
        let filed_row = row(&filed, text);
        assert_eq!(filed_row["status"], "assigned");
        assert_eq!(filed_row["item"], "housing-for-care-leavers");
        assert_eq!(filed_row["decided_by"], "lead@example.org");
        assert_eq!(filed_row["decided_from_proposal"], current);
        assert!(filed_row["decided_at"].as_i64().unwrap() > 0);
    }
    // The suggestion the item was made from was decided by hand, without a proposal.
    assert_eq!(
        row(&filed, HOUSING[0])["decided_from_proposal"],
        Value::Null
    );
    assert_eq!(row(&filed, HOUSING[0])["decided_by"], "token");
    let audit = Call::new("GET", "/api/v1/audit")
        .admin()
        .send(&app)
        .await
        .body;
    let details: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["action"] == "curate")
        .map(|entry| entry["detail"].as_str().unwrap())
        .collect();
    assert!(
        details
            .iter()
            .any(|detail| detail.ends_with(&format!("accepted from proposal {current}"))),
        "{details:?}"
    );
    // The curation file says who, when and from which proposal.
    let csv = admin(&app, "GET", "/rounds/ideas/curation.csv", None).await;
    let lines: Vec<&str> = csv.text.lines().collect();
    assert!(
        lines[0].ends_with(",note,decided_by,decided_at,proposal_version"),
        "{}",
        lines[0]
    );
    let line = lines.iter().find(|line| line.contains(HOUSING[1])).unwrap();
    assert!(
        line.contains(",lead@example.org,20") && line.ends_with(&format!("Z,{current}")),
        "{line}"
    );
    // The file still reads as a curation file.
    let stored = test.state.store.exercise(E).unwrap().unwrap();
    survey::curation::read_curation(csv.text.as_bytes(), "curation.csv", Some(&stored.exercise))
        .unwrap();
}

#[tokio::test]
async fn a_load_does_not_recompute_when_nothing_changed() {
    let (test, app) = with_suggestions(&HOUSING).await;
    let first = version(&view(&app).await);
    assert_eq!(first, 1);
    for _ in 0..3 {
        assert_eq!(version(&view(&app).await), first);
    }
    assert_eq!(stored_versions(&test), 1);
    // Loads at once store one version between them.
    suggest(&app, &["Housing for care leavers in rural areas"]).await;
    let loads: Vec<_> = (0..4)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { version(&view(&app).await) })
        })
        .collect();
    for load in loads {
        assert_eq!(load.await.unwrap(), 2);
    }
    assert_eq!(stored_versions(&test), 2);
    let audit = test.state.store.audit_log(20).unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|entry| entry.action == "propose")
            .count(),
        2
    );
}

#[tokio::test]
async fn single_and_bulk_decisions_from_a_moved_proposal_are_refused_only_where_it_moved() {
    let texts: Vec<&str> = HOUSING.iter().chain(OTHERS.iter()).copied().collect();
    let (_test, app) = with_suggestions(&texts).await;
    let seen_view = view(&app).await;
    let seen = version(&seen_view);
    let made = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/items",
        Some(json!({ "title": "Housing for care leavers", "suggestions": [id_of(&seen_view, HOUSING[0])] })),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let now = view(&app).await;

    // One decision about a suggestion whose proposal moved: refused, with the difference.
    let moved = id_of(&now, HOUSING[2]);
    let single = admin(
        &app,
        "PUT",
        &format!("/rounds/ideas/curation/{moved}"),
        Some(json!({ "status": "assigned", "item": "leaving-care", "proposal_version": seen })),
    )
    .await;
    assert_eq!(single.status, StatusCode::CONFLICT, "{}", single.text);
    assert_eq!(single.body["changes"][0]["suggestion"], moved);
    assert_eq!(single.body["changes"].as_array().unwrap().len(), 1);
    assert_eq!(row(&view(&app).await, HOUSING[2])["status"], "unassigned");

    // One decision about a suggestion whose proposal did not move: an unrelated move does not
    // refuse it, and the decision records the version seen.
    let unmoved_text = OTHERS
        .iter()
        .find(|text| row(&seen_view, text)["proposed_item"] == row(&now, text)["proposed_item"])
        .expect("a suggestion whose proposal stayed");
    let unmoved = id_of(&now, unmoved_text);
    let kept = admin(
        &app,
        "PUT",
        &format!("/rounds/ideas/curation/{unmoved}"),
        Some(json!({ "status": "out-of-scope", "note": "not a research question", "proposal_version": seen })),
    )
    .await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.text);
    assert_eq!(
        row(&view(&app).await, unmoved_text)["decided_from_proposal"],
        seen
    );

    // A version the round never had.
    let future = admin(
        &app,
        "PUT",
        &format!("/rounds/ideas/curation/{unmoved}"),
        Some(json!({ "status": "unassigned", "proposal_version": seen + 5 })),
    )
    .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(future.body["errors"][0]["field"], "proposal_version");

    // Accepting needs the version seen.
    let blind = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/accept",
        Some(json!({})),
    )
    .await;
    assert_eq!(blind.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(blind.body["errors"][0]["field"], "proposal_version");

    // Accepting only the groups whose proposal did not move, from the old version, works;
    // a group that moved is refused whole.
    let cluster_of = |text: &str| row(&now, text)["cluster"].as_u64().unwrap();
    let moved_cluster = cluster_of(HOUSING[2]);
    let whole = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/accept",
        Some(json!({ "clusters": [moved_cluster], "proposal_version": seen })),
    )
    .await;
    assert_eq!(whole.status, StatusCode::CONFLICT, "{}", whole.text);
    let after = view(&app).await;
    assert!(
        HOUSING[1..]
            .iter()
            .all(|text| row(&after, text)["status"] == "unassigned")
    );
}

#[tokio::test]
async fn the_preview_is_what_accepting_does() {
    let texts: Vec<&str> = HOUSING.iter().chain(OTHERS.iter()).copied().collect();
    let (_test, app) = with_suggestions(&texts).await;
    let before = view(&app).await;
    let preview = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/accept",
        Some(json!({ "preview": true })),
    )
    .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
    assert_eq!(preview.body["recorded"], 0);
    let preview = &preview.body["preview"];
    assert_eq!(preview["proposal_version"], version(&before));
    // Nothing was filed by the preview.
    assert_eq!(view(&app).await["assigned"], 0);
    let mut promised: Vec<(String, String)> = preview["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|item| {
            item["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|line| {
                    (
                        line["suggestion"].as_str().unwrap().to_string(),
                        item["item"].as_str().unwrap().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(
        promised.len(),
        preview["to_assign"].as_u64().unwrap() as usize
    );
    assert!(!promised.is_empty());
    let left: usize = preview["low_confidence"].as_array().unwrap().len()
        + preview["without_item"].as_array().unwrap().len();
    assert_eq!(promised.len() + left, texts.len());

    let applied = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/accept",
        Some(json!({ "proposal_version": preview["proposal_version"] })),
    )
    .await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.text);
    assert_eq!(applied.body["recorded"], promised.len());
    let after = view(&app).await;
    let mut filed: Vec<(String, String)> = after["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["status"] == "assigned")
        .map(|row| {
            (
                row["id"].as_str().unwrap().to_string(),
                row["item"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    promised.sort();
    filed.sort();
    assert_eq!(filed, promised);
}

#[tokio::test]
async fn merges_and_splits_are_versions_that_survive_new_suggestions() {
    let texts: Vec<&str> = HOUSING.iter().chain(OTHERS.iter()).copied().collect();
    let (test, app) = with_suggestions(&texts).await;
    let first = view(&app).await;
    let seen = version(&first);
    let cluster_of = |view: &Value, text: &str| row(view, text)["cluster"].as_u64().unwrap();
    let mental = [OTHERS[0], OTHERS[1]];
    let education = [OTHERS[2], OTHERS[3]];
    // Merge the mental health suggestions' group(s) with the education ones'.
    let clusters: Vec<u64> = vec![
        cluster_of(&first, mental[0]),
        cluster_of(&first, education[0]),
    ];
    assert_ne!(clusters[0], clusters[1], "{first}");
    let merged = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/groups/merge",
        Some(json!({ "clusters": clusters, "proposal_version": seen })),
    )
    .await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.text);
    assert_eq!(merged.body["proposal_version"], seen + 1);
    let after_merge = view(&app).await;
    let together = cluster_of(&after_merge, mental[0]);
    assert_eq!(merged.body["cluster"], together);
    for text in mental.iter().chain(education.iter()) {
        assert_eq!(cluster_of(&after_merge, text), together, "{text}");
    }
    let versions = test.state.store.proposal_versions(E, "ideas").unwrap();
    assert_eq!(versions.last().unwrap().made_by, "token");

    // A merge from the old version is refused: the groups' numbers have moved.
    let stale = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/groups/merge",
        Some(json!({ "clusters": [0, 1], "proposal_version": seen })),
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);

    // Split one housing suggestion out of its group.
    let split_text = HOUSING[4];
    let split = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/groups/split",
        Some(json!({ "suggestions": [id_of(&after_merge, split_text)], "proposal_version": seen + 1 })),
    )
    .await;
    assert_eq!(split.status, StatusCode::OK, "{}", split.text);
    let after_split = view(&app).await;
    assert_eq!(version(&after_split), seen + 2);
    let alone = cluster_of(&after_split, split_text);
    assert_ne!(alone, cluster_of(&after_split, HOUSING[0]));
    assert_eq!(row(&after_split, split_text)["proposed_item"], Value::Null);
    // Bad splits name their field.
    let whole_group: Vec<String> = after_split["clusters"][alone as usize]["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_string())
        .collect();
    let bad = admin(
        &app,
        "POST",
        "/rounds/ideas/curation/groups/split",
        Some(json!({ "suggestions": whole_group, "proposal_version": seen + 2 })),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert_eq!(bad.body["errors"][0]["field"], "suggestions");

    // New suggestions: the proposal is computed again, and the people's merge and split are
    // applied again.
    suggest(&app, &["Housing for care leavers near their family"]).await;
    let recomputed = view(&app).await;
    assert_eq!(version(&recomputed), seen + 3);
    let versions = test.state.store.proposal_versions(E, "ideas").unwrap();
    assert_eq!(versions.last().unwrap().made_by, "system");
    let together = cluster_of(&recomputed, mental[0]);
    for text in mental.iter().chain(education.iter()) {
        assert_eq!(
            cluster_of(&recomputed, text),
            together,
            "{text}: {recomputed}"
        );
    }
    let alone = cluster_of(&recomputed, split_text);
    assert_eq!(
        recomputed["clusters"][alone as usize]["suggestions"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "{recomputed}"
    );

    // The group page: read, and split from it.
    let mut lead = signed_in_admin(&app, &test).await;
    let number = cluster_of(&recomputed, HOUSING[0]) + 1;
    let group_page = format!("/admin/e/{E}/r/ideas/curate/groups/{number}");
    let page = lead.get(&group_page).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.has(HOUSING[0]));
    assert!(page.has("Split the ticked suggestions into a new group"));
    let to_split = id_of(&recomputed, HOUSING[5]);
    let done = lead
        .submit_from(
            &group_page,
            &group_page,
            &[
                ("action", "split"),
                ("proposal_version", &(seen + 3).to_string()),
                ("suggestion", &to_split),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let landed = lead.get(done.location.as_deref().unwrap()).await;
    assert!(landed.has("Suggestions split out"), "{}", landed.html);
    assert!(landed.has(HOUSING[5]));
    // A merge with a group that does not exist says so beside the field.
    let wrong = lead
        .submit_from(
            &group_page,
            &group_page,
            &[
                ("action", "merge"),
                ("proposal_version", &(seen + 4).to_string()),
                ("merge_with", "999"),
            ],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.html
    );
    assert!(wrong.has("There is no group 999"), "{}", wrong.html);
}

#[tokio::test]
async fn a_round_of_hundreds_of_suggestions_is_clustered_once() {
    let topics = [
        "housing for care leavers",
        "mental health support for young people",
        "education of children in care",
        "kinship carers allowances",
        "social worker caseloads",
        "contact with brothers and sisters",
    ];
    let places = [
        "in cities",
        "in rural areas",
        "after 18",
        "at school",
        "at night",
    ];
    let texts: Vec<String> = (0..300)
        .map(|index| {
            format!(
                "{} {} ({})",
                topics[index % topics.len()],
                places[(index / topics.len()) % places.len()],
                index
            )
        })
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let (test, app) = with_suggestions(&refs).await;
    let started = std::time::Instant::now();
    let first = view(&app).await;
    let computed = started.elapsed();
    let started = std::time::Instant::now();
    let again = view(&app).await;
    let stored = started.elapsed();
    eprintln!(
        "300 suggestions: first load (computes and stores) {computed:?}, next load (stored) {stored:?}"
    );
    assert_eq!(version(&first), 1);
    assert_eq!(version(&again), 1);
    assert_eq!(first["clusters"], again["clusters"]);
    assert_eq!(stored_versions(&test), 1);
}
