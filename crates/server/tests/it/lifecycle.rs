//! The exercise over time: rounds that open and close by themselves (with a clock the tests
//! set), closing after a confirmation with a notice of what was done, what each role sees on
//! the exercise page, the closed exercise, what the done page says happens next, and coming
//! back to a rating round at the page left.

use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use serde_json::{Value, json};
use server::Clock;
use store::Role;

use crate::pages::{Browser, signed_in_admin};
use crate::{Call, TestApp, answer, open, respondent, router, test_app};

const E: &str = "every-kind";
/// 2027-01-10T08:00:00Z.
const EIGHT: i64 = 1_799_568_000;
const HOUR: i64 = 3600;

/// The state of a round, as the public API says.
async fn round_state(app: &Router, round: &str) -> String {
    let reply = Call::new("GET", &format!("/api/v1/exercises/{E}"))
        .send(app)
        .await;
    reply.body["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|candidate| candidate["id"] == round)
        .unwrap_or_else(|| panic!("no round {round}: {}", reply.text))["state"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn put_schedule(app: &Router, round: &str, body: Value) -> crate::Reply {
    Call::new(
        "PUT",
        &format!("/api/v1/exercises/{E}/rounds/{round}/schedule"),
    )
    .admin()
    .json(body)
    .send(app)
    .await
}

/// The audit entries written by the schedule, oldest first: (action, detail).
fn schedule_entries(test: &TestApp) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = test
        .state
        .store
        .audit_log(100)
        .unwrap()
        .into_iter()
        .filter(|entry| entry.actor == store::SCHEDULE_ACTOR)
        .map(|entry| (entry.action, entry.detail))
        .collect();
    entries.reverse();
    entries
}

#[tokio::test]
async fn rounds_open_and_close_by_themselves_at_their_times() {
    let mut test = test_app();
    let clock = Clock::manual(EIGHT);
    test.state = test.state.clone().with_clock(clock.clone());
    let app = router(&test);

    // Refused: a closing time before the opening time, and times that are not RFC 3339.
    let backwards = put_schedule(
        &app,
        "top2",
        json!({"opens_at": "2027-01-10T09:00:00Z", "closes_at": "2027-01-10T08:59:59Z"}),
    )
    .await;
    assert_eq!(
        backwards.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        backwards.text
    );
    assert_eq!(backwards.body["errors"][0]["field"], "closes_at");
    assert!(
        backwards
            .detail()
            .contains("must be after the opening time")
    );
    let vague = put_schedule(&app, "top2", json!({"opens_at": "next Tuesday"})).await;
    assert_eq!(vague.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(vague.body["errors"][0]["field"], "opens_at");
    let nowhere = put_schedule(&app, "nope", json!({"opens_at": null})).await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    let anonymous = Call::new(
        "PUT",
        &format!("/api/v1/exercises/{E}/rounds/top2/schedule"),
    )
    .json(json!({"opens_at": null}))
    .send(&app)
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    // Open at 09:00 (given with an offset) and close at 17:00 UTC.
    let set = put_schedule(
        &app,
        "top2",
        json!({"opens_at": "2027-01-10T10:00:00+01:00", "closes_at": "2027-01-10T17:00:00Z"}),
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    assert_eq!(
        set.body,
        json!({"round": "top2", "state": "draft",
            "opens_at": "2027-01-10T09:00:00Z", "closes_at": "2027-01-10T17:00:00Z"})
    );
    // The exercise's public view gives the same times.
    let view = Call::new("GET", &format!("/api/v1/exercises/{E}"))
        .send(&app)
        .await;
    let top2 = view.body["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|round| round["id"] == "top2")
        .unwrap();
    assert_eq!(
        (&top2["opens_at"], &top2["closes_at"]),
        (
            &json!("2027-01-10T09:00:00Z"),
            &json!("2027-01-10T17:00:00Z")
        )
    );

    // Before its time nothing happens.
    clock.set(EIGHT + HOUR - 1);
    assert!(
        server::schedule::tick(&test.state)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(round_state(&app, "top2").await, "draft");
    assert!(schedule_entries(&test).is_empty());

    // At 09:00 it opens, with an audit entry by the schedule, and takes answers.
    clock.set(EIGHT + HOUR);
    let changes = server::schedule::tick(&test.state).await.unwrap();
    assert_eq!(
        changes,
        [(E.to_string(), "top2".to_string(), store::RoundState::Open)]
    );
    assert_eq!(round_state(&app, "top2").await, "open");
    assert_eq!(
        schedule_entries(&test),
        [(
            "set round open".to_string(),
            format!("exercise {E} round top2")
        )]
    );
    let someone = respondent(&app, E, "carers").await;
    let reply = answer(
        &app,
        E,
        "top2",
        &someone,
        json!({"submit": true, "ranking": ["a", "b"]}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(
        server::schedule::tick(&test.state)
            .await
            .unwrap()
            .is_empty(),
        "a second tick changes nothing"
    );

    // At 17:00 it closes, and answers are refused.
    clock.set(EIGHT + 9 * HOUR);
    let changes = server::schedule::tick(&test.state).await.unwrap();
    assert_eq!(
        changes,
        [(E.to_string(), "top2".to_string(), store::RoundState::Closed)]
    );
    assert_eq!(round_state(&app, "top2").await, "closed");
    assert_eq!(schedule_entries(&test).len(), 2);
    assert_eq!(schedule_entries(&test)[1].0, "set round closed");
    let late = answer(
        &app,
        E,
        "top2",
        &someone,
        json!({"submit": true, "ranking": ["b", "a"]}),
    )
    .await;
    assert_eq!(late.status, StatusCode::CONFLICT);

    // Opened again by hand after its closing time, it stays open: the closing time has gone.
    open(&app, E, "top2").await;
    clock.set(EIGHT + 10 * HOUR);
    assert!(
        server::schedule::tick(&test.state)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(round_state(&app, "top2").await, "open");

    // A round whose times have both passed opens and then closes in one tick.
    let both = put_schedule(
        &app,
        "choose",
        json!({"opens_at": "2027-01-10T12:00:00Z", "closes_at": "2027-01-10T13:00:00Z"}),
    )
    .await;
    assert_eq!(both.status, StatusCode::OK);
    let changes = server::schedule::tick(&test.state).await.unwrap();
    assert_eq!(
        changes,
        [
            (E.to_string(), "choose".to_string(), store::RoundState::Open),
            (
                E.to_string(),
                "choose".to_string(),
                store::RoundState::Closed
            )
        ]
    );
}

#[tokio::test]
async fn a_scheduled_opening_of_a_round_that_is_not_ready_is_skipped_and_logged() {
    let mut test = test_app();
    let clock = Clock::manual(EIGHT);
    test.state = test.state.clone().with_clock(clock.clone());
    // A rank round that waits for items from curation cannot open.
    let waiting = test_support::ExerciseToml::tiny()
        .id("waiting")
        .items(&[])
        .rounds(
            r#"[[rounds]]
id = "ideas"
kind = "suggest"
max_suggestions = 1
max_length = 50

[[rounds]]
id = "top"
kind = "rank"
top_k = 3
"#,
        )
        .build();
    test.state
        .store
        .put_exercise(&waiting, "waiting.toml", "test")
        .unwrap();
    test.state
        .store
        .set_round_schedule("waiting", "top", Some(EIGHT + 60), None, "test")
        .unwrap();
    clock.set(EIGHT + 60);
    assert!(
        server::schedule::tick(&test.state)
            .await
            .unwrap()
            .is_empty()
    );
    let stored = test.state.store.exercise("waiting").unwrap().unwrap();
    assert_eq!(stored.rounds[1].state, store::RoundState::Draft);
    assert_eq!(
        stored.rounds[1].opens_at, None,
        "tried once, not every tick"
    );
    let entries = schedule_entries(&test);
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].0, "skip scheduled opening");
    assert!(
        entries[0].1.starts_with("exercise waiting round top: "),
        "{}",
        entries[0].1
    );
    assert!(
        server::schedule::tick(&test.state)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(schedule_entries(&test).len(), 1);
}

/// Submits a ranking for a new respondent in `group`.
async fn someone_answers(app: &Router, group: &str) {
    let id = respondent(app, E, group).await;
    let reply = answer(
        app,
        E,
        "top2",
        &id,
        json!({"submit": true, "ranking": ["a", "b"]}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

#[tokio::test]
async fn closing_asks_first_and_every_action_says_what_it_did() {
    let test = test_app();
    let app = router(&test);
    let mut lead = signed_in_admin(&app, &test).await;
    let page = format!("/admin/e/{E}");

    // Opening says what it does first.
    let exercise = lead.get(&page).await;
    assert!(exercise.has(&format!("href=\"/admin/e/{E}/r/top2/open\"")));
    let confirm = lead.get(&format!("/admin/e/{E}/r/top2/open")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm.has("<h1 class=\"heading-l\">Open “top2”?</h1>"),
        "{}",
        confirm.html
    );
    assert!(confirm.has("Once open, people can answer it until you close it."));
    let opened = lead
        .submit_from(
            &format!("/admin/e/{E}/r/top2/open"),
            &format!("/admin/e/{E}/r/top2/open"),
            &[],
        )
        .await;
    assert_eq!(
        opened.location.as_deref(),
        Some(format!("{page}?done=opened&round=top2").as_str())
    );
    let after = lead.get(opened.location.as_deref().unwrap()).await;
    assert!(
        after.has("<div class=\"notice\" role=\"status\">\n<p class=\"notice-text\">Round “top2” is now open</p>"),
        "{}",
        after.html
    );
    assert!(
        !lead.get(&page).await.has("role=\"status\""),
        "no notice without an action"
    );

    for group in ["carers", "carers", "young-people"] {
        someone_answers(&app, group).await;
    }

    // Closing asks first, with the number of people who answered.
    let exercise = lead.get(&page).await;
    assert!(exercise.has(&format!("href=\"/admin/e/{E}/r/top2/close\"")));
    let confirm = lead.get(&format!("/admin/e/{E}/r/top2/close")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.has("<h1 class=\"heading-l\">Close “top2”?</h1>"));
    assert!(
        confirm.has("3 people have answered; once closed, no one can answer it."),
        "{}",
        confirm.html
    );
    assert!(confirm.has("Close the round</button>"));
    assert_eq!(
        round_state(&app, "top2").await,
        "open",
        "asking changes nothing"
    );
    let closed = lead
        .submit_from(
            &format!("/admin/e/{E}/r/top2/close"),
            &format!("/admin/e/{E}/r/top2/close"),
            &[],
        )
        .await;
    assert_eq!(round_state(&app, "top2").await, "closed");
    let after = lead.get(closed.location.as_deref().unwrap()).await;
    assert!(
        after.has("Round “top2” is now closed: 3 answers"),
        "{}",
        after.html
    );

    // The notice is rebuilt from what is stored: nothing in the address is echoed, and a
    // notice that no longer matches the round's state is not shown.
    for address in [
        format!("{page}?done=opened&round=top2"),
        format!("{page}?done=closed&round=%3Cscript%3E"),
        format!("{page}?done=%3Cscript%3E&round=top2"),
    ] {
        let shown = lead.get(&address).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(!shown.has("role=\"status\""), "{address}");
        assert!(!shown.has("<script>"), "{address}");
    }

    // Dates from the page, in UTC, with errors beside their fields.
    let backwards = lead
        .submit_from(
            &page,
            &format!("/admin/e/{E}/r/choose/schedule"),
            &[
                ("opens_at", "2027-01-10T09:00"),
                ("closes_at", "2027-01-09T09:00"),
            ],
        )
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        backwards
            .has("<a href=\"#closes-choose\">The closing time must be after the opening time</a>")
    );
    assert!(
        backwards.has("value=\"2027-01-09T09:00\""),
        "what was typed is kept"
    );
    assert!(backwards.has("<details class=\"details\" open>"));
    let garbled = lead
        .submit_from(
            &page,
            &format!("/admin/e/{E}/r/choose/schedule"),
            &[("opens_at", "soon"), ("closes_at", "")],
        )
        .await;
    assert!(garbled.has("<a href=\"#opens-choose\">Enter the opening time as a date and a time of day in UTC, like 2027-01-10 09:00</a>"));
    let scheduled = lead
        .submit_from(
            &page,
            &format!("/admin/e/{E}/r/choose/schedule"),
            &[
                ("opens_at", "2027-01-10T09:00"),
                ("closes_at", "2027-01-24 17:00"),
            ],
        )
        .await;
    assert_eq!(
        scheduled.status,
        StatusCode::SEE_OTHER,
        "{}",
        scheduled.html
    );
    let after = lead.get(scheduled.location.as_deref().unwrap()).await;
    assert!(
        after.has("Round “choose” will open on 10 January 2027 at 09:00 UTC and close on 24 January 2027 at 17:00 UTC"),
        "{}",
        after.html
    );
    assert!(after.has("<span class=\"round-date\">Opens on 10 January 2027 at 09:00 UTC</span><span class=\"round-date\">Closes on 24 January 2027 at 17:00 UTC</span>"));
    assert!(after.has("value=\"2027-01-10T09:00\""));
    let stored = test.state.store.exercise(E).unwrap().unwrap();
    assert_eq!(stored.rounds[4].opens_at, Some(EIGHT + HOUR));
    let cleared = lead
        .submit_from(
            &page,
            &format!("/admin/e/{E}/r/choose/schedule"),
            &[("opens_at", ""), ("closes_at", "")],
        )
        .await;
    let after = lead.get(cleared.location.as_deref().unwrap()).await;
    assert!(after.has("Round “choose” has no opening or closing date now"));

    // Invites say how many were made, with the codes.
    let created = lead
        .submit_from(&page, &format!("/admin/e/{E}/invites"), &[("count", "10")])
        .await;
    assert_eq!(created.status, StatusCode::OK);
    assert!(created.has("10 invite codes made: copy them now, they are shown only once"));
    assert_eq!(created.html.matches("<li><code>").count(), 10);
}

/// Signs in an account that is an advisory member of [`E`] only.
async fn advisory_member(app: &Router, test: &TestApp) -> Browser {
    let token = test
        .state
        .store
        .create_account_invite(
            E,
            "advisor@example.org",
            Role::Advisory,
            Duration::from_secs(3600),
            "test",
        )
        .unwrap();
    let hash = server::auth::hash_password("an advisory passphrase").unwrap();
    test.state
        .store
        .accept_account_invite(&token, Some(&hash))
        .unwrap();
    let mut browser = Browser::new(app.clone());
    let signed_in = browser
        .submit(
            "/admin/sign-in",
            &[
                ("email", "advisor@example.org"),
                ("password", "an advisory passphrase"),
            ],
        )
        .await;
    assert_eq!(signed_in.location.as_deref(), Some("/admin"));
    browser
}

#[tokio::test]
async fn advisory_members_see_no_lead_actions_and_cannot_use_them() {
    let test = test_app();
    let app = router(&test);
    open(&app, E, "top2").await;
    let mut owner = signed_in_admin(&app, &test).await;
    let owner_page = owner.get(&format!("/admin/e/{E}")).await;
    for action in [
        format!("href=\"/admin/e/{E}/r/top2/close\""),
        format!("action=\"/admin/e/{E}/invites\""),
        format!("action=\"/admin/e/{E}/r/top2/schedule\""),
        format!("href=\"/admin/e/{E}/definition\""),
        format!("href=\"/admin/e/{E}/r/top2/shortlist\""),
        format!("href=\"/admin/e/{E}/r/ideas/curate\""),
        format!("href=\"/admin/e/{E}/r/top2/responses.csv\""),
        format!("href=\"/admin/e/{E}/people\""),
        format!("href=\"/admin/e/{E}/publish\""),
    ] {
        assert!(owner_page.has(&action), "the owner sees {action}");
    }

    let mut advisor = advisory_member(&app, &test).await;
    let page = advisor.get(&format!("/admin/e/{E}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.has("You are an advisory group member of this exercise"));
    assert!(
        page.has("<caption class=\"table-caption\">Participation by group and round</caption>")
    );
    assert!(page.has(&format!("href=\"/admin/e/{E}/r/top2/results\"")));
    assert!(page.has(&format!("href=\"/admin/e/{E}/report\"")));
    assert!(page.has("<strong class=\"tag tag-open\">open</strong>"));
    for action in [
        format!("/admin/e/{E}/r/top2/close"),
        format!("/admin/e/{E}/r/top2/open"),
        format!("/admin/e/{E}/invites"),
        format!("/admin/e/{E}/r/top2/schedule"),
        format!("/admin/e/{E}/definition"),
        format!("/admin/e/{E}/r/top2/shortlist"),
        format!("/admin/e/{E}/r/ideas/curate"),
        format!("/admin/e/{E}/r/top2/responses.csv"),
        format!("/admin/e/{E}/people"),
        format!("/admin/e/{E}/publish"),
    ] {
        assert!(
            !page.has(&format!("\"{action}\"")),
            "an advisory member sees {action}"
        );
    }
    assert!(!page.has("Create invites"));
    assert!(!page.has("Set the dates"));

    // Nor can they use them: each is refused, and nothing changes.
    let token = page.csrf();
    for (address, fields) in [
        (format!("/admin/e/{E}/r/top2/close"), vec![]),
        (format!("/admin/e/{E}/r/choose/open"), vec![]),
        (format!("/admin/e/{E}/invites"), vec![("count", "3")]),
        (
            format!("/admin/e/{E}/r/top2/schedule"),
            vec![("opens_at", ""), ("closes_at", "2027-01-10T09:00")],
        ),
    ] {
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend(fields);
        let refused = advisor.post(&address, &all).await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "{address}: {}",
            refused.html
        );
        assert!(
            refused.has("advisory group member"),
            "{address}: {}",
            refused.html
        );
    }
    for address in [
        format!("/admin/e/{E}/r/top2/close"),
        format!("/admin/e/{E}/r/choose/open"),
    ] {
        assert_eq!(
            advisor.get(&address).await.status,
            StatusCode::FORBIDDEN,
            "{address}"
        );
    }
    assert_eq!(round_state(&app, "top2").await, "open");
    assert_eq!(round_state(&app, "choose").await, "draft");
    let stored = test.state.store.exercise(E).unwrap().unwrap();
    assert_eq!(stored.rounds[3].closes_at, None);

    // The owner may let advisory members download raw responses: the link then shows.
    test.state
        .store
        .set_advisory_downloads(E, true, "test")
        .unwrap();
    let page = advisor.get(&format!("/admin/e/{E}")).await;
    assert!(page.has(&format!("href=\"/admin/e/{E}/r/top2/responses.csv\"")));

    // An account with no role in the exercise reads nothing of it.
    assert_eq!(
        advisor.get("/admin/e/invited").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_exercise_whose_rounds_have_all_closed_says_so_and_links_its_results() {
    let test = test_app();
    let app = router(&test);
    let mut visitor = Browser::new(app.clone());
    let before = visitor.get(&format!("/e/{E}")).await;
    assert!(before.has("Start now"));
    assert!(!before.has("This exercise has closed"));
    let stored = test.state.store.exercise(E).unwrap().unwrap();
    for status in &stored.rounds {
        let reply = Call::new(
            "POST",
            &format!("/api/v1/exercises/{E}/rounds/{}/close", status.round),
        )
        .admin()
        .send(&app)
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
    let closed = visitor.get(&format!("/e/{E}")).await;
    assert!(
        closed.has("<strong>This exercise has closed.</strong>"),
        "{}",
        closed.html
    );
    assert!(!closed.has("Start now"));
    assert!(!closed.has(&format!("href=\"/e/{E}/start\"")));
    assert!(
        !closed.has(&format!("href=\"/e/{E}/results\"")),
        "nothing is published yet"
    );
    assert!(closed.has(&format!("The results will be published at /e/{E}/results.")));

    test.state
        .store
        .publish(
            E,
            "top2",
            &"0".repeat(64),
            "{}".to_string(),
            "<html></html>".to_string(),
            "test",
        )
        .unwrap();
    let published = visitor.get(&format!("/e/{E}")).await;
    assert!(published.has(&format!(
        "<a href=\"/e/{E}/results\" class=\"link\">Read the results</a>"
    )));
}

/// Starts a respondent through the pages and returns the browser and the resume code shown.
async fn started(app: &Router, exercise: &str, group: &str) -> (Browser, String) {
    let mut browser = Browser::new(app.clone());
    let start = browser
        .submit(&format!("/e/{exercise}/start"), &[("group", group)])
        .await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.html);
    let shown = browser.get(&format!("/e/{exercise}/started")).await;
    assert!(shown.has("Print this page</button>"));
    let marker = "<p class=\"resume-code\" id=\"resume-code\">";
    let at = shown.html.find(marker).expect("the code is shown") + marker.len();
    let code = shown.html[at..at + 19].to_string();
    (browser, code)
}

#[tokio::test]
async fn the_done_page_says_what_happens_next_and_how_to_come_back() {
    let test = test_app();
    let app = router(&test);
    open(&app, E, "top2").await;
    test.state
        .store
        .set_round_schedule(E, "top2", None, Some(EIGHT + 9 * HOUR), "test")
        .unwrap();
    test.state
        .store
        .set_round_schedule(E, "choose", Some(EIGHT + HOUR), None, "test")
        .unwrap();
    let (mut browser, _) = started(&app, E, "carers").await;

    // The exercise page shows the rounds' dates.
    let exercise = browser.get(&format!("/e/{E}")).await;
    assert!(
        exercise.has("Closes on 10 January 2027 at 17:00 UTC"),
        "{}",
        exercise.html
    );
    assert!(exercise.has("Opens on 10 January 2027 at 09:00 UTC"));

    let saved = browser
        .submit(
            &format!("/e/{E}/r/top2"),
            &[("action", "continue"), ("rank-a", "1"), ("rank-b", "2")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let submitted = browser.submit(&format!("/e/{E}/r/top2/check"), &[]).await;
    let done = browser.get(submitted.location.as_deref().unwrap()).await;
    assert_eq!(done.status, StatusCode::OK);
    for sentence in [
        "You can change them until 10 January 2027 at 17:00 UTC, when this question closes.",
        "The next set of questions, “choose”, opens on 10 January 2027 at 09:00 UTC.",
        "On this device, go to /e/every-kind: you do not need a code.",
        "On another device, go to /e/every-kind/resume and type the resume code you were given when you started",
        "When the research team publishes the results, they will be at /e/every-kind/results.",
        "<button type=\"button\" class=\"button button-secondary\" data-print hidden>Print this page</button>",
    ] {
        assert!(done.has(sentence), "{sentence}: {}", done.html);
    }
    assert!(!done.has("reference"), "no unexplained reference");
    assert!(!done.has("email"), "no promise of an email");

    // Once the next round is open, the done page leads to it.
    open(&app, E, "choose").await;
    let done = browser.get(&format!("/e/{E}/r/top2/done")).await;
    assert!(done.has(&format!(
        "<a href=\"/e/{E}/r/choose\" class=\"button\">Next question: choose</a>"
    )));
    assert!(!done.has("opens on"));
}

#[tokio::test]
async fn the_done_page_gives_the_public_address_when_the_service_knows_it() {
    let test = crate::test_app_with(server::Settings {
        public_url: Some("https://survey.example.org/".to_string()),
        admin_token: Some(crate::TOKEN.to_string()),
        submit_rate_per_second: 0,
        ..server::Settings::default()
    });
    let app = router(&test);
    open(&app, E, "pairs").await;
    let (mut browser, _) = started(&app, E, "carers").await;
    let done = browser.get(&format!("/e/{E}/r/pairs/done")).await;
    assert!(
        done.has("https://survey.example.org/e/every-kind/resume"),
        "{}",
        done.html
    );
    assert!(done.has("There are no more questions for you to answer in this exercise."));
}

/// The names of the rating fields on a rating round page.
fn rating_fields(html: &str) -> Vec<String> {
    let mut names: Vec<String> = html
        .match_indices("type=\"radio\" id=\"")
        .map(|(index, _)| {
            let rest = &html[index..];
            let start = rest.find("name=\"").unwrap() + 6;
            let end = rest[start..].find('"').unwrap();
            rest[start..start + end].to_string()
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

#[tokio::test]
async fn a_rating_round_comes_back_at_the_page_left() {
    let test = test_app();
    let app = router(&test);
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../surveys/childrens-social-care/exercise.toml"),
    )
    .unwrap();
    test.state
        .store
        .put_exercise(&source, "example.toml", "test")
        .unwrap();
    let id = "childrens-social-care";
    open(&app, id, "rate").await;
    let (mut browser, code) = started(&app, id, "young-people").await;
    let round = format!("/e/{id}/r/rate");
    for page in 1..=3 {
        let shown = browser.get(&format!("{round}?page={page}")).await;
        assert!(shown.has(&format!("Page {page} of 5")), "{}", shown.html);
        let names = rating_fields(&shown.html);
        assert!(!names.is_empty());
        let action = if page == 3 { "save" } else { "continue" };
        let mut fields: Vec<(&str, &str)> = names.iter().map(|name| (name.as_str(), "7")).collect();
        fields.push(("action", action));
        let posted = browser
            .submit(&format!("{round}?page={page}"), &fields)
            .await;
        assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.html);
    }
    let saved = browser.get(&format!("/e/{id}/saved")).await;
    assert!(saved.has("You will start again on the page you left."));

    // Coming back to the round, on this device or another, opens page 3.
    let back = browser.get(&round).await;
    assert!(back.has("Page 3 of 5"), "{}", back.html);
    assert!(back.has(&format!("action=\"{round}?page=3\"")));
    let mut laptop = Browser::new(app.clone());
    let resumed = laptop
        .submit(&format!("/e/{id}/resume"), &[("resume_code", &code)])
        .await;
    assert_eq!(
        resumed.location.as_deref(),
        Some(format!("/e/{id}").as_str())
    );
    assert!(laptop.get(&round).await.has("Page 3 of 5"));

    // Going on from page 3 remembers page 4; an address with a page still wins.
    let shown = laptop.get(&round).await;
    let names = rating_fields(&shown.html);
    let mut fields: Vec<(&str, &str)> = names.iter().map(|name| (name.as_str(), "5")).collect();
    fields.push(("action", "continue"));
    laptop.submit(&format!("{round}?page=3"), &fields).await;
    assert!(browser.get(&round).await.has("Page 4 of 5"));
    assert!(
        browser
            .get(&format!("{round}?page=1"))
            .await
            .has("Page 1 of 5")
    );
}
