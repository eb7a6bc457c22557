//! Curation and shortlisting through the research lead's pages, as a browser without
//! JavaScript uses them, with each error path.

use axum::http::StatusCode;
use serde_json::json;

use crate::curation::JOURNEY;
use crate::pages::signed_in_admin;
use crate::{Call, answer, open, respondent, router, test_app};

const E: &str = "journey";

#[tokio::test]
async fn a_research_lead_curates_and_shortlists_from_the_pages() {
    let test = test_app();
    let app = router(&test);
    let put = Call::new("PUT", &format!("/api/v1/exercises/{E}"))
        .admin()
        .raw("application/toml", JOURNEY.as_str())
        .send(&app)
        .await;
    assert_eq!(put.status, StatusCode::CREATED, "{}", put.text);
    open(&app, E, "ideas").await;
    let mut people = Vec::new();
    for (group, texts) in [
        (
            "carers",
            vec![
                "More early help for families",
                "<script>alert(1)</script> pay rise",
            ],
        ),
        ("carers", vec!["early help for families!"]),
        ("young-people", vec!["Support for kinship carers"]),
        (
            "young-people",
            vec![
                "Support kinship carers better",
                "Lower social worker caseloads",
            ],
        ),
    ] {
        let id = respondent(&app, E, group).await;
        let reply = answer(
            &app,
            E,
            "ideas",
            &id,
            json!({ "suggestions": texts, "submit": true }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        people.push(id);
    }
    let mut lead = signed_in_admin(&app, &test).await;
    let curate = format!("/admin/e/{E}/r/ideas/curate");
    let exercise_page = lead.get(&format!("/admin/e/{E}")).await;
    assert!(exercise_page.has(&format!("href=\"{curate}\"")));

    let page = lead.get(&curate).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("Curate the suggestions"));
    assert!(
        page.has("5 in all") || page.has("6 in all"),
        "{}",
        page.html
    );
    // Hostile text is shown as text.
    assert!(
        page.has("&#60;script&#62;alert(1)&#60;/script&#62; pay rise"),
        "{}",
        page.html
    );
    assert!(!page.has("<script>alert(1)"));

    // The group holding the two early-help suggestions.
    // Suggestions are named by the respondents' pseudonyms, never by id.
    let named: Vec<String> = people
        .iter()
        .map(|id| test.state.store.pseudonyms().of(id))
        .collect();
    let early = format!("{}:1", named[0]);
    let early_2 = format!("{}:1", named[1]);
    let group_of = |html: &str, suggestion: &str| -> String {
        let at = html
            .find(&format!("value=\"{suggestion}\""))
            .expect("the suggestion is listed");
        let form = html[..at].rfind("name=\"select_group\" value=\"").unwrap()
            + "name=\"select_group\" value=\"".len();
        html[form..].split('"').next().unwrap().to_string()
    };
    let cluster = group_of(&page.html, &early);
    assert_eq!(
        cluster,
        group_of(&page.html, &early_2),
        "near-duplicates are proposed together"
    );

    // Errors: no action chosen; a new item without wording.
    let no_action = lead
        .submit_from(
            &curate,
            &curate,
            &[
                ("cluster", &cluster),
                ("version", "1"),
                ("suggestion", &early),
                ("suggestion", &early_2),
            ],
        )
        .await;
    assert_eq!(no_action.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_action.has("There is a problem"));
    assert!(
        no_action
            .has("<a href=\"#action-assign\">Choose what to do with the selected suggestions</a>"),
        "{}",
        no_action.html
    );
    let no_title = lead
        .submit_from(
            &curate,
            &curate,
            &[
                ("cluster", &cluster),
                ("version", "1"),
                ("suggestion", &early),
                ("suggestion", &early_2),
                ("action", "new"),
                ("title", " "),
            ],
        )
        .await;
    assert_eq!(no_title.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_title.has("href=\"#title\""), "{}", no_title.html);
    // A forged form changes nothing.
    let forged = lead
        .post(
            &curate,
            &[("cluster", &cluster), ("action", "new"), ("title", "X")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // A new item from the two suggestions.
    let made = lead
        .submit_from(
            &curate,
            &curate,
            &[
                ("cluster", &cluster),
                ("version", "1"),
                ("suggestion", &early),
                ("suggestion", &early_2),
                ("action", "new"),
                ("title", "Early help for families"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.html);
    let page = lead.get(made.location.as_deref().unwrap()).await;
    assert!(
        page.has("2 suggestions assigned to the new item Early help for families."),
        "{}",
        page.html
    );
    assert!(page.has("assigned to Early help for families"));

    // Out of scope needs a reason.
    let pay = format!("{}:2", named[0]);
    let pay_cluster = group_of(&page.html, &pay);
    let no_reason = lead
        .submit_from(
            &curate,
            &curate,
            &[
                ("cluster", &pay_cluster),
                ("version", "2"),
                ("suggestion", &pay),
                ("action", "out"),
            ],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.has("<a href=\"#note\">Say why the suggestions are out of scope</a>"));
    let out = lead
        .submit_from(
            &curate,
            &curate,
            &[
                ("cluster", &pay_cluster),
                ("version", "2"),
                ("suggestion", &pay),
                ("action", "out"),
                ("note", "about pay"),
            ],
        )
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);

    // The rest: kinship and caseloads as items, through the API (as a colleague might).
    for (title, suggestions) in [
        (
            "Kinship care",
            vec![format!("{}:1", named[2]), format!("{}:1", named[3])],
        ),
        ("Social work caseloads", vec![format!("{}:2", named[3])]),
    ] {
        let made = Call::new(
            "POST",
            &format!("/api/v1/exercises/{E}/rounds/ideas/curation/items"),
        )
        .admin()
        .json(json!({ "title": title, "suggestions": suggestions }))
        .send(&app)
        .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    }
    let page = lead.get(&curate).await;
    assert!(page.has("0 not yet decided"), "{}", page.html);

    // The item page: wording and evidence; answered needs evidence.
    let item_page = format!("/admin/e/{E}/items/kinship-care?from=ideas");
    let shown = lead.get(&item_page).await;
    assert!(
        shown.has("2 suggestions are assigned to this item"),
        "{}",
        shown.html
    );
    let target = format!("/admin/e/{E}/items/kinship-care");
    let bad = lead
        .submit_from(
            &item_page,
            &target,
            &[
                ("title", "Kinship care"),
                ("from", "ideas"),
                ("answered", "yes"),
                ("evidence", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    assert!(
        bad.has(
            "<a href=\"#evidence\">Give the evidence that answers the item, or untick the box</a>"
        ),
        "{}",
        bad.html
    );
    let saved = lead
        .submit_from(
            &item_page,
            &target,
            &[
                ("title", "Support for kinship carers"),
                ("from", "ideas"),
                ("evidence", "No review found (searched October 2026)"),
            ],
        )
        .await;
    assert_eq!(saved.location.as_deref(), Some(curate.as_str()));
    assert!(
        lead.get(&curate)
            .await
            .has("No review found (searched October 2026)")
    );

    // Rate, then shortlist from the pages.
    let closed = Call::new("POST", &format!("/api/v1/exercises/{E}/rounds/ideas/close"))
        .admin()
        .send(&app)
        .await;
    assert_eq!(closed.status, StatusCode::OK);
    open(&app, E, "rate").await;
    for (who, ratings) in [
        (
            &people[0],
            json!({ "early-help-for-families": 9, "kinship-care": 5, "social-work-caseloads": 7 }),
        ),
        (
            &people[1],
            json!({ "early-help-for-families": 8, "kinship-care": 4, "social-work-caseloads": 6 }),
        ),
        (
            &people[2],
            json!({ "early-help-for-families": 3, "kinship-care": 9, "social-work-caseloads": 8 }),
        ),
    ] {
        let reply = answer(
            &app,
            E,
            "rate",
            who,
            json!({ "ratings": ratings, "submit": true }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
    // Drop-out on the exercise page: one of the four who suggested did not rate.
    let exercise_page = lead.get(&format!("/admin/e/{E}")).await;
    assert!(exercise_page.has("Dropped out since the round before"));
    assert!(exercise_page.has("1 of 4 (25%)"), "{}", exercise_page.html);
    let shortlist = format!("/admin/e/{E}/r/rate/shortlist");
    let empty = lead.get(&shortlist).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(!empty.has("items go through"));
    let bad_k = lead.get(&format!("{shortlist}?rule=top&k=none")).await;
    assert_eq!(bad_k.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_k.has("<a href=\"#k\">Enter k as a whole number, 1 or more</a>"),
        "{}",
        bad_k.html
    );
    let no_group = lead
        .get(&format!("{shortlist}?rule=protected&k=1&j=1"))
        .await;
    assert!(
        no_group.has("<a href=\"#group\">Choose the protected group</a>"),
        "{}",
        no_group.html
    );
    let preview = lead
        .get(&format!(
            "{shortlist}?rule=protected&k=1&group=young-people&j=1"
        ))
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.html);
    assert!(preview.has("2 of 3 items go through"), "{}", preview.html);
    assert!(preview.has("ranked 1 by Young people (protected group)"));
    assert!(
        preview.has("Make “final” from these 2 items"),
        "{}",
        preview.html
    );
    // The form carries the definition version the preview was made from.
    let version = {
        let marker = "name=\"version\" value=\"";
        let at = preview.html.rfind(marker).unwrap() + marker.len();
        preview.html[at..].split('"').next().unwrap().to_string()
    };
    let stale = lead
        .submit_from(
            &shortlist,
            &shortlist,
            &[("rule", "top"), ("k", "2"), ("version", "1")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.has("changed meanwhile"), "{}", stale.html);
    let made = lead
        .submit_from(
            &format!("{shortlist}?rule=protected&k=1&group=young-people&j=1"),
            &shortlist,
            &[
                ("rule", "protected"),
                ("k", "1"),
                ("group", "young-people"),
                ("j", "1"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(
        made.location.as_deref(),
        Some(format!("/admin/e/{E}").as_str()),
        "{}",
        made.html
    );
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
        json!(["social-work-caseloads", "kinship-care"])
    );

    // The method report traces each priority back to the suggestions.
    let report = lead.get(&format!("/admin/e/{E}/report?bootstrap=0")).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.html);
    assert!(report.has("From suggestion to priority"), "{}", report.html);
    assert!(report.has("early help for families!"));
}
