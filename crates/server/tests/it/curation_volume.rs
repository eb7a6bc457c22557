//! Curation at volume: search, filters and paging of the suggestions (API and page), one
//! decision for many (all or nothing), the second reviewer's check, and a page of a round
//! with 2,000 suggestions.

use axum::Router;
use axum::http::StatusCode;
use serde_json::{Value, json};
use test_support::ExerciseToml;

use crate::pages::{Browser, signed_in_admin};
use crate::{Call, answer, open, respondent, router, test_app};

const E: &str = "volume";

fn definition(max_suggestions: usize) -> String {
    ExerciseToml::tiny()
        .id(E)
        .title("Curation at volume")
        .set("disclosure_threshold", "1")
        .items(&[
            ("kinship-care", "Kinship care"),
            ("caseloads", "Social work caseloads"),
        ])
        .rounds(&format!(
            r#"[[rounds]]
id = "ideas"
kind = "suggest"
max_suggestions = {max_suggestions}
"#
        ))
        .build()
}

/// The exercise with its suggest round open and these suggestions, one respondent per list.
async fn with_suggestions(app: &Router, max: usize, people: &[(&str, Vec<String>)]) {
    let put = Call::new("PUT", &format!("/api/v1/exercises/{E}"))
        .admin()
        .raw("application/toml", definition(max))
        .send(app)
        .await;
    assert_eq!(put.status, StatusCode::CREATED, "{}", put.text);
    open(app, E, "ideas").await;
    for (group, texts) in people {
        let id = respondent(app, E, group).await;
        let reply = answer(
            app,
            E,
            "ideas",
            &id,
            json!({ "suggestions": texts, "submit": true }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
}

fn texts(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|text| text.to_string()).collect()
}

/// Eight suggestions: four about kinship care, two about caseloads, two others.
fn eight() -> Vec<(&'static str, Vec<String>)> {
    vec![
        (
            "carers",
            texts(&[
                "Support for kinship carers",
                "Lower social worker caseloads",
            ]),
        ),
        (
            "carers",
            texts(&["More support for KINSHIP carers", "Cheaper bus fares"]),
        ),
        (
            "young-people",
            texts(&[
                "Kinship carers need support",
                "Social worker caseloads are too high",
            ]),
        ),
        (
            "young-people",
            texts(&[
                "Kinship care support for grandparents",
                "Better school meals",
            ]),
        ),
    ]
}

async fn view(app: &Router, query: &str) -> Value {
    let reply = Call::new(
        "GET",
        &format!("/api/v1/exercises/{E}/rounds/ideas/curation{query}"),
    )
    .admin()
    .send(app)
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body
}

fn shown_texts(view: &Value) -> Vec<String> {
    let mut texts: Vec<String> = view["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["text"].as_str().unwrap().to_string())
        .collect();
    texts.sort();
    texts
}

fn id_of(view: &Value, text: &str) -> String {
    view["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["text"] == text)
        .unwrap_or_else(|| panic!("no suggestion `{text}`"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn decide(app: &Router, body: Value) -> crate::Reply {
    Call::new(
        "POST",
        &format!("/api/v1/exercises/{E}/rounds/ideas/curation/decisions"),
    )
    .admin()
    .json(body)
    .send(app)
    .await
}

#[tokio::test]
async fn search_filters_and_paging_narrow_the_list() {
    let test = test_app();
    let app = router(&test);
    with_suggestions(&app, 3, &eight()).await;

    // Everything, as before, without parameters.
    let all = view(&app, "").await;
    assert_eq!(all["suggestions"].as_array().unwrap().len(), 8);
    assert_eq!(all["matching"], 8);

    // Search is case-insensitive, in the text.
    let kinship = view(&app, "?q=kinship").await;
    assert_eq!(
        shown_texts(&kinship),
        [
            "Kinship care support for grandparents",
            "Kinship carers need support",
            "More support for KINSHIP carers",
            "Support for kinship carers"
        ]
    );
    assert_eq!(kinship["matching"], 4);
    // The counts stay those of the round.
    assert_eq!(kinship["total"], 8);
    // Groups only of the page's suggestions.
    let clusters: Vec<u64> = kinship["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|cluster| cluster["cluster"].as_u64().unwrap())
        .collect();
    for row in kinship["suggestions"].as_array().unwrap() {
        assert!(clusters.contains(&row["cluster"].as_u64().unwrap()));
    }

    // Search and a stakeholder group together.
    let carers = view(&app, "?q=kinship&group=carers").await;
    assert_eq!(
        shown_texts(&carers),
        [
            "More support for KINSHIP carers",
            "Support for kinship carers"
        ]
    );

    // Paging with a filter: 4 matching, 3 per page.
    let first = view(&app, "?q=kinship&per_page=3").await;
    let second = view(&app, "?q=kinship&per_page=3&page=2").await;
    assert_eq!(first["pages"], 2);
    assert_eq!(first["suggestions"].as_array().unwrap().len(), 3);
    assert_eq!(second["suggestions"].as_array().unwrap().len(), 1);
    let mut both = shown_texts(&first);
    both.extend(shown_texts(&second));
    both.sort();
    assert_eq!(
        both,
        shown_texts(&kinship),
        "the pages hold every match once"
    );

    // Status: decide two, then filter by it.
    let all_ids: Vec<String> = ["Cheaper bus fares", "Better school meals"]
        .iter()
        .map(|text| id_of(&all, text))
        .collect();
    let out = decide(
        &app,
        json!({"suggestions": all_ids, "status": "out-of-scope", "note": "not about care",
               "proposal_version": all["proposal_version"]}),
    )
    .await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.text);
    assert_eq!(out.body["message"], "2 suggestions marked out of scope");
    let scoped = view(&app, "?status=out-of-scope").await;
    assert_eq!(
        shown_texts(&scoped),
        ["Better school meals", "Cheaper bus fares"]
    );
    assert_eq!(view(&app, "?status=undecided").await["matching"], 6);
    // Decided, not reviewed yet: the two.
    assert_eq!(view(&app, "?review=not-reviewed").await["matching"], 2);
    assert_eq!(view(&app, "?review=queried").await["matching"], 0);

    // The proposed item and its confidence: every suggestion shown has that proposal.
    let proposed = view(&app, "?item=kinship-care").await;
    for row in proposed["suggestions"].as_array().unwrap() {
        assert_eq!(row["proposed_item"], "kinship-care");
    }
    let unproposed = view(&app, "?item=none").await;
    for row in unproposed["suggestions"].as_array().unwrap() {
        assert_eq!(row["proposed_item"], Value::Null);
    }
    assert_eq!(
        proposed["matching"].as_u64().unwrap()
            + unproposed["matching"].as_u64().unwrap()
            + view(&app, "?item=caseloads").await["matching"]
                .as_u64()
                .unwrap(),
        8,
        "every suggestion has one proposed item or none"
    );
    let none = view(&app, "?confidence=none").await;
    assert_eq!(none["matching"], unproposed["matching"]);
    let mut by_confidence = none["matching"].as_u64().unwrap();
    for confidence in ["high", "medium", "low"] {
        let sure = view(&app, &format!("?confidence={confidence}")).await;
        for row in sure["suggestions"].as_array().unwrap() {
            assert_eq!(row["proposed_confidence"], confidence);
        }
        by_confidence += sure["matching"].as_u64().unwrap();
    }
    assert_eq!(by_confidence, 8);

    // Parameters that do not check are refused, naming the parameter.
    for (query, field) in [
        ("?status=maybe", "status"),
        ("?group=nobody", "group"),
        ("?item=nothing", "item"),
        ("?confidence=certain", "confidence"),
        ("?review=done", "review"),
        ("?page=0", "page"),
        ("?per_page=100000", "per_page"),
    ] {
        let reply = Call::new(
            "GET",
            &format!("/api/v1/exercises/{E}/rounds/ideas/curation{query}"),
        )
        .admin()
        .send(&app)
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(reply.body["errors"][0]["field"], field, "{query}");
    }

    // The page: the same search in a GET form, with the count and paging that keeps it.
    let mut lead = signed_in_admin(&app, &test).await;
    let page = lead
        .get(&format!("/admin/e/{E}/r/ideas/curate?q=kinship&per_page=3"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.has("4 suggestions match the filters (in "),
        "{}",
        page.html
    );
    assert!(page.has("Showing 1–3 of 4, page 1 of 2."), "{}", page.html);
    assert!(page.has("value=\"kinship\""));
    assert_eq!(page.html.matches("name=\"suggestion\"").count(), 3);
    assert!(!page.has("Cheaper bus fares"));
    assert!(
        page.has(&format!(
            "href=\"/admin/e/{E}/r/ideas/curate?q=kinship&#38;page=2&#38;per_page=3\" rel=\"next\""
        )),
        "{}",
        page.html
    );
    let next = lead
        .get(&format!(
            "/admin/e/{E}/r/ideas/curate?q=kinship&page=2&per_page=3"
        ))
        .await;
    assert!(next.has("Showing 4–4 of 4, page 2 of 2."), "{}", next.html);
    assert_eq!(next.html.matches("name=\"suggestion\"").count(), 1);
    // A value that does not check is left out of the page's filters rather than refused.
    let lenient = lead
        .get(&format!("/admin/e/{E}/r/ideas/curate?status=maybe"))
        .await;
    assert_eq!(lenient.status, StatusCode::OK);
    assert!(lenient.has("8 suggestions match (in "), "{}", lenient.html);
}

#[tokio::test]
async fn one_decision_for_many_is_applied_to_all_or_to_none() {
    let test = test_app();
    let app = router(&test);
    with_suggestions(&app, 3, &eight()).await;
    let all = view(&app, "").await;
    let version = all["proposal_version"].clone();
    let kinship: Vec<String> = [
        "Support for kinship carers",
        "More support for KINSHIP carers",
        "Kinship carers need support",
    ]
    .iter()
    .map(|text| id_of(&all, text))
    .collect();
    let undecided = || async { view(&app, "?status=undecided").await["matching"].clone() };

    // One unknown suggestion: nothing recorded, the field named.
    let mut with_unknown = kinship.clone();
    with_unknown.push("nobody:1".to_string());
    for (body, status, field) in [
        (
            json!({"suggestions": with_unknown, "status": "assigned", "item": "kinship-care", "proposal_version": version}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "suggestions",
        ),
        (
            json!({"suggestions": kinship, "status": "assigned", "proposal_version": version}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "item",
        ),
        (
            json!({"suggestions": kinship, "status": "out-of-scope", "proposal_version": version}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "note",
        ),
        (
            json!({"suggestions": [], "status": "unassigned", "proposal_version": version}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "suggestions",
        ),
    ] {
        let reply = decide(&app, body).await;
        assert_eq!(reply.status, status, "{}", reply.text);
        assert_eq!(reply.body["errors"][0]["field"], field, "{}", reply.text);
        assert_eq!(undecided().await, 8, "nothing was recorded");
    }
    // A proposal version that was never stored: 422 naming it, nothing recorded (a version
    // that moved is refused with 409 and the differences: tests/it/proposals.rs).
    let unknown = decide(
        &app,
        json!({"suggestions": kinship, "status": "assigned", "item": "kinship-care",
               "proposal_version": version.as_i64().unwrap() + 7}),
    )
    .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.text
    );
    assert_eq!(unknown.body["errors"][0]["field"], "proposal_version");
    assert_eq!(undecided().await, 8);

    let done = decide(
        &app,
        json!({"suggestions": kinship, "status": "assigned", "item": "kinship-care", "proposal_version": version}),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(done.body["recorded"], 3);
    assert_eq!(
        done.body["message"],
        "3 suggestions assigned to Kinship care"
    );
    assert_eq!(undecided().await, 5);

    // The page: a whole group selected, with a search carried, and one decision.
    let mut lead = signed_in_admin(&app, &test).await;
    let curate = format!("/admin/e/{E}/r/ideas/curate");
    let filtered = format!("{curate}?q=caseloads");
    let page = lead.get(&filtered).await;
    let group = {
        let marker = "name=\"select_group\" value=\"";
        let at = page.html.find(marker).expect("a group to select") + marker.len();
        page.html[at..].split('"').next().unwrap().to_string()
    };
    let version_text = version.to_string();
    // Nothing selected: an error beside the suggestions, nothing changed.
    let nothing = lead
        .submit_from(
            &filtered,
            &curate,
            &[
                ("proposal_version", &version_text),
                ("list_q", "caseloads"),
                ("action", "assign"),
                ("item", "caseloads"),
            ],
        )
        .await;
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        nothing.has("Select at least one suggestion"),
        "{}",
        nothing.html
    );
    // No item chosen: the item field is named.
    let no_item = lead
        .submit_from(
            &filtered,
            &curate,
            &[
                ("proposal_version", &version_text),
                ("list_q", "caseloads"),
                ("select_group", &group),
                ("action", "assign"),
            ],
        )
        .await;
    assert_eq!(no_item.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_item.has("<a href=\"#item\">Choose the item the suggestions belong to</a>"),
        "{}",
        no_item.html
    );
    // What was chosen is kept.
    assert!(no_item.has(&format!("value=\"{group}\" checked")));
    let saved = lead
        .submit_from(
            &filtered,
            &curate,
            &[
                ("proposal_version", &version_text),
                ("list_q", "caseloads"),
                ("select_group", &group),
                ("action", "assign"),
                ("item", "caseloads"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let location = saved.location.clone().unwrap();
    assert!(
        location.starts_with(&format!("{curate}?q=caseloads&")),
        "{location}"
    );
    let after = lead.get(&location).await;
    let matched = view(&app, "?q=caseloads&status=assigned").await["matching"]
        .as_u64()
        .unwrap();
    assert!(matched >= 1);
    let said = if matched == 1 {
        "1 suggestion assigned to Social work caseloads.".to_string()
    } else {
        format!("{matched} suggestions assigned to Social work caseloads.")
    };
    assert!(after.has(&said), "{}", after.html);
    assert!(after.has("assigned to Social work caseloads"));
}

#[tokio::test]
async fn a_second_reviewer_checks_decisions_made_by_someone_else() {
    let test = test_app();
    let app = router(&test);
    with_suggestions(&app, 3, &eight()).await;
    let all = view(&app, "").await;
    let version = all["proposal_version"].to_string();
    let fares = id_of(&all, "Cheaper bus fares");
    let meals = id_of(&all, "Better school meals");
    let review = |suggestion: &str, body: Value| {
        Call::new(
            "PUT",
            &format!("/api/v1/exercises/{E}/rounds/ideas/curation/{suggestion}/review"),
        )
        .admin()
        .json(body)
    };

    // Not decided yet: nothing to review.
    let early = review(&fares, json!({"review": "reviewed"}))
        .send(&app)
        .await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.text
    );
    assert_eq!(early.body["errors"][0]["field"], "suggestions");

    // The lead decides on the page; the token (someone else) reviews through the API.
    let mut lead = signed_in_admin(&app, &test).await;
    let curate = format!("/admin/e/{E}/r/ideas/curate");
    let out = lead
        .submit_from(
            &curate,
            &curate,
            &[
                ("proposal_version", &version),
                ("suggestion", &fares),
                ("suggestion", &meals),
                ("action", "out"),
                ("note", "not about care"),
            ],
        )
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER, "{}", out.html);
    let queried = review(&fares, json!({"review": "queried"}))
        .send(&app)
        .await;
    assert_eq!(queried.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(queried.body["errors"][0]["field"], "note");
    let queried = review(
        &fares,
        json!({"review": "queried", "note": "fares affect contact visits"}),
    )
    .send(&app)
    .await;
    assert_eq!(queried.status, StatusCode::OK, "{}", queried.text);
    assert_eq!(queried.body["message"], "1 suggestion queried");
    let row = view(&app, "?review=queried").await["suggestions"][0].clone();
    assert_eq!(row["id"], fares.as_str());
    assert_eq!(row["review"]["review"], "queried");
    assert_eq!(row["review"]["note"], "fares affect contact visits");
    assert_eq!(row["review"]["by"], "token");
    assert!(row["review"]["at"].as_i64().unwrap() > 1_700_000_000);
    // In the audit log.
    let audit = test.state.store.audit_log(1).unwrap();
    assert_eq!(audit[0].actor, "token");
    assert_eq!(audit[0].action, "review");
    assert!(
        audit[0]
            .detail
            .contains("queried: fares affect contact visits")
    );

    // The page shows it, and finds the queried ones.
    let page = lead.get(&format!("{curate}?review=queried")).await;
    assert!(
        page.has("queried by token: “fares affect contact visits” (decided by lead@example.org)"),
        "{}",
        page.html
    );
    assert!(
        page.has("1 suggestion matches the filters"),
        "{}",
        page.html
    );

    // The lead cannot review their own decision: refused, nothing marked.
    let own = lead
        .submit_from(
            &curate,
            &curate,
            &[
                ("proposal_version", &version),
                ("suggestion", &meals),
                ("action", "reviewed"),
            ],
        )
        .await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", own.html);
    assert!(
        own.has("a second reviewer must be someone else"),
        "{}",
        own.html
    );
    assert_eq!(view(&app, "?review=reviewed").await["matching"], 0);

    // The token decides one; the lead may review that one.
    let decided = decide(
        &app,
        json!({"suggestions": [id_of(&all, "Support for kinship carers")], "status": "assigned",
               "item": "kinship-care", "proposal_version": all["proposal_version"]}),
    )
    .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.text);
    let self_review = review(
        &id_of(&all, "Support for kinship carers"),
        json!({"review": "reviewed"}),
    )
    .send(&app)
    .await;
    assert_eq!(
        self_review.status,
        StatusCode::CONFLICT,
        "{}",
        self_review.text
    );
    assert!(
        self_review
            .detail()
            .contains("a second reviewer must be someone else")
    );
    let reviewed = lead
        .submit_from(
            &curate,
            &curate,
            &[
                ("proposal_version", &version),
                ("suggestion", &id_of(&all, "Support for kinship carers")),
                ("action", "reviewed"),
            ],
        )
        .await;
    assert_eq!(reviewed.status, StatusCode::SEE_OTHER, "{}", reviewed.html);
    let after = lead.get(reviewed.location.as_deref().unwrap()).await;
    assert!(after.has("1 suggestion marked reviewed."), "{}", after.html);
    assert_eq!(view(&app, "?review=reviewed").await["matching"], 1);

    // A changed decision clears its mark; the same decision again keeps it.
    let again = decide(
        &app,
        json!({"suggestions": [fares], "status": "out-of-scope", "note": "not about care",
               "proposal_version": all["proposal_version"]}),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(view(&app, "?review=queried").await["matching"], 1);
    let changed = decide(
        &app,
        json!({"suggestions": [fares], "status": "assigned", "item": "kinship-care",
               "proposal_version": all["proposal_version"]}),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(view(&app, "?review=queried").await["matching"], 0);
}

#[tokio::test]
async fn advisory_members_read_the_list_with_filters_but_cannot_decide() {
    let test = test_app();
    let app = router(&test);
    with_suggestions(&app, 3, &eight()).await;
    let hash = server::auth::hash_password("a long enough passphrase").unwrap();
    let store = &test.state.store;
    let link = store
        .create_account_invite(
            E,
            "advisor@example.org",
            store::Role::Advisory,
            store::INVITE_LIFETIME,
            "test",
        )
        .unwrap();
    store.accept_account_invite(&link, Some(&hash)).unwrap();
    let mut advisor = Browser::new(app.clone());
    let signed = advisor
        .submit(
            "/admin/sign-in",
            &[
                ("email", "advisor@example.org"),
                ("password", "a long enough passphrase"),
            ],
        )
        .await;
    assert_eq!(signed.location.as_deref(), Some("/admin"));
    let page = advisor
        .get(&format!("/admin/e/{E}/r/ideas/curate?q=kinship"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("4 suggestions match the filters"));
    assert!(page.has("<fieldset class=\"plain-fieldset\" disabled>"));
    // No form that changes anything, and no decision to make.
    assert!(!page.has("method=\"post\" action=\"/admin/e/volume/r/ideas/curate\""));
    assert!(!page.has("Apply to the selected suggestions"));
    // Paging keeps the filters for them too.
    let paged = advisor
        .get(&format!(
            "/admin/e/{E}/r/ideas/curate?q=kinship&per_page=3&page=2"
        ))
        .await;
    assert!(
        paged.has("Showing 4–4 of 4, page 2 of 2."),
        "{}",
        paged.html
    );
}

/// Suggestions made from parts, all different: `count` of them.
fn generated(count: usize) -> Vec<String> {
    let topics = [
        "kinship carers",
        "foster carers",
        "social worker caseloads",
        "care leavers housing",
        "mental health support for teenagers",
        "contact with brothers and sisters",
        "school support for children in care",
        "respite for parents",
    ];
    let asks = [
        "More help for",
        "Better funding for",
        "Research into",
        "Less waiting for",
        "Training about",
    ];
    (0..count)
        .map(|n| {
            format!(
                "{} {} in area {}",
                asks[n % asks.len()],
                topics[(n / asks.len()) % topics.len()],
                n
            )
        })
        .collect()
}

#[tokio::test]
async fn a_page_of_a_round_with_two_thousand_suggestions_shows_one_page() {
    let test = test_app();
    let app = router(&test);
    let texts = generated(2_000);
    let people: Vec<(&str, Vec<String>)> = texts
        .chunks(10)
        .enumerate()
        .map(|(n, chunk)| {
            (
                if n % 2 == 0 { "carers" } else { "young-people" },
                chunk.to_vec(),
            )
        })
        .collect();
    with_suggestions(&app, 10, &people).await;
    let mut lead = signed_in_admin(&app, &test).await;
    let page = lead.get(&format!("/admin/e/{E}/r/ideas/curate")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("2000 in all"), "the counts are of the whole round");
    assert!(
        page.has("Showing 1–50 of 2000, page 1 of 40."),
        "{}",
        &page.html[..2000.min(page.html.len())]
    );
    assert_eq!(page.html.matches("name=\"suggestion\"").count(), 50);
    // The last page, and a search on a bigger page.
    let last = lead
        .get(&format!("/admin/e/{E}/r/ideas/curate?page=40"))
        .await;
    assert!(last.has("Showing 1951–2000 of 2000, page 40 of 40."));
    assert_eq!(last.html.matches("name=\"suggestion\"").count(), 50);
    let search = lead
        .get(&format!(
            "/admin/e/{E}/r/ideas/curate?q=kinship&per_page=200"
        ))
        .await;
    assert!(
        search.has("250 suggestions match the filters"),
        "{}",
        search.html.len()
    );
    assert_eq!(search.html.matches("name=\"suggestion\"").count(), 200);
}
