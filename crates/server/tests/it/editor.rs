//! Setting up an exercise from the pages: a new exercise starts from a template, the editor
//! shows line numbers beside the text, every problem of a definition is shown at once with a
//! link to its line, and error texts show the core's backticked parts as code, never as
//! backticks and never as raw HTML.

use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use serde_json::json;
use store::Role;

use crate::pages::{Browser, signed_in_admin};
use crate::{Call, EVERY_KIND, router, test_app};

const E: &str = "every-kind";

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    let length = html[from..].find(end).unwrap_or_else(|| panic!("no {end}"));
    &html[from..from + length]
}

/// The text of the page's error summary.
fn summary(html: &str) -> &str {
    between(html, "<ul class=\"error-summary-list\">", "</ul>")
}

/// A browser signed in as a new account whose only role is `role` in exercise `E`.
async fn signed_in_with_role(app: &Router, test: &crate::TestApp, role: Role) -> Browser {
    let email = format!("{}@example.org", role.as_str());
    let token = test
        .state
        .store
        .create_account_invite(E, &email, role, Duration::from_secs(3600), "test")
        .unwrap();
    let hash = server::auth::hash_password("a long enough passphrase").unwrap();
    test.state
        .store
        .accept_account_invite(&token, Some(&hash))
        .unwrap();
    let mut browser = Browser::new(app.clone());
    let page = browser
        .submit(
            "/admin/sign-in",
            &[("email", &email), ("password", "a long enough passphrase")],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/admin"), "{}", page.html);
    browser
}

#[tokio::test]
async fn a_new_exercise_starts_from_a_template() {
    let test = test_app();
    let app = router(&test);
    let mut owner = signed_in_admin(&app, &test).await;

    // The choice: two radios, the blank exercise first and chosen, in a form that works
    // without JavaScript (a GET to the same page).
    let choice = owner.get("/admin/new").await;
    assert_eq!(choice.status, StatusCode::OK);
    assert!(choice.has("<form method=\"get\" action=\"/admin/new\""));
    assert!(choice.has(
        "<input class=\"radios-input\" type=\"radio\" id=\"template-three-rounds\" name=\"template\" value=\"three-rounds\" checked"
    ));
    assert!(choice.has("A blank three-round exercise with comments"));
    assert!(choice.has("id=\"template-example\" name=\"template\" value=\"example\""));
    assert!(choice.has("The example exercise"));
    assert!(!choice.has("<textarea"));

    // The blank exercise: its commented text in the editor, with a number beside each line.
    let blank = owner.get("/admin/new?template=three-rounds").await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(blank.has("id = &#34;new-exercise&#34;"), "{}", blank.html);
    assert!(blank.has("# Round 2: rate the long list"));
    let template = include_str!("../../../../surveys/templates/three-rounds.toml");
    let lines = template.split('\n').count();
    let gutter = between(&blank.html, "aria-hidden=\"true\">", "</pre>");
    let expected: Vec<String> = (1..=lines).map(|number| number.to_string()).collect();
    assert_eq!(gutter, expected.join("\n"));
    assert!(blank.has(&format!("rows=\"{}\"", lines + 1)));
    assert!(blank.has("<a href=\"/admin/new\" class=\"link\">Start from another template</a>"));

    // It is valid as it is: saved unchanged, it is a new exercise.
    let saved = owner
        .submit(
            "/admin/new?template=three-rounds",
            &[("definition", template)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    assert_eq!(saved.location.as_deref(), Some("/admin/e/new-exercise"));
    let stored = Call::new("GET", "/api/v1/exercises/new-exercise")
        .send(&app)
        .await;
    assert_eq!(stored.body["rounds"].as_array().unwrap().len(), 3);

    // Adding it again would replace that exercise: the page says to change the id instead.
    let again = owner
        .submit(
            "/admin/new?template=three-rounds",
            &[("definition", template)],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        summary(&again.html).contains(
            "An exercise with the id “new-exercise” exists already. Change the <code>id</code>"
        ),
        "{}",
        again.html
    );

    // The example exercise.
    let example = owner.get("/admin/new?template=example").await;
    assert!(example.has("id = &#34;childrens-social-care&#34;"));

    // A template that does not exist: the choice again, with the error.
    let unknown = owner.get("/admin/new?template=nonsense").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.has("<a href=\"#template-three-rounds\">Choose how to start the exercise</a>"));
}

#[tokio::test]
async fn every_problem_is_shown_at_once_with_its_line_and_no_backticks() {
    let test = test_app();
    let app = router(&test);
    let mut owner = signed_in_admin(&app, &test).await;
    // A misspelt key, a value of the wrong type and a problem of meaning, given out of order.
    let broken = EVERY_KIND
        .replacen("max_picks = 2", "max_picks = 0", 1)
        .replacen(
            "title = \"Every kind of round\"",
            "titel = \"Every kind of round\"",
            1,
        )
        .replacen("max_length = 50", "max_length = \"fifty\"", 1);
    let line_of = |wanted: &str| {
        broken
            .lines()
            .position(|line| line.starts_with(wanted))
            .unwrap()
            + 1
    };
    let (misspelt, wrong_type, meaning) = (
        line_of("titel ="),
        line_of("max_length ="),
        line_of("max_picks ="),
    );
    assert!(misspelt < wrong_type && wrong_type < meaning);

    let refused = owner
        .submit(
            &format!("/admin/e/{E}/definition"),
            &[("definition", &broken)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // All three in the summary, in the order of their lines, each linking to its line.
    let listed = summary(&refused.html);
    let expected = [
        format!(
            "<li><a href=\"#definition\" data-line=\"{misspelt}\">Line {misspelt}: unknown key <code>titel</code>: did you mean <code>title</code>?</a></li>"
        ),
        format!(
            "<li><a href=\"#definition\" data-line=\"{wrong_type}\">Line {wrong_type}: round <code>ideas</code>: <code>max_length</code> must be a whole number, not text</a></li>"
        ),
        format!(
            "<li><a href=\"#definition\" data-line=\"{meaning}\">Line {meaning}: round <code>choose</code>: <code>max_picks</code> is 0 but must be at least 1</a></li>"
        ),
    ];
    let positions: Vec<usize> = expected
        .iter()
        .map(|item| {
            listed
                .find(item.as_str())
                .unwrap_or_else(|| panic!("{item} not in {listed}"))
        })
        .collect();
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]));
    assert_eq!(listed.matches("<li>").count(), 3);
    // Beside the text too, each with a link to its line.
    let beside = between(
        &refused.html,
        "<ul class=\"error-message definition-problems\"",
        "</ul>",
    );
    assert_eq!(beside.matches("class=\"definition-line-link\"").count(), 3);
    assert!(beside.contains(&format!(
        "<a href=\"#definition\" class=\"definition-line-link\" data-line=\"{meaning}\">Line {meaning}</a>: round <code>choose</code>"
    )));
    // No Markdown backtick anywhere on the page.
    assert!(!refused.has("`"), "{}", refused.html);
    // The text is kept, with its line numbers.
    assert!(refused.has("titel = &#34;Every kind of round&#34;"));
    let gutter = between(&refused.html, "aria-hidden=\"true\">", "</pre>");
    assert_eq!(gutter.lines().count(), broken.split('\n').count());
}

#[tokio::test]
async fn html_in_a_backticked_part_stays_escaped() {
    let test = test_app();
    let app = router(&test);
    let mut owner = signed_in_admin(&app, &test).await;
    let broken = EVERY_KIND.replacen(
        "title = \"Every kind of round\"",
        "title = \"Every kind of round\"\n\"<script>alert(1)</script>\" = 1",
        1,
    );
    let refused = owner
        .submit(
            &format!("/admin/e/{E}/definition"),
            &[("definition", &broken)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        summary(&refused.html)
            .contains("unknown key <code>&lt;script&gt;alert(1)&lt;/script&gt;</code>"),
        "{}",
        refused.html
    );
    assert!(!refused.has("<script>alert"));
}

#[tokio::test]
async fn only_leads_edit_a_definition_and_only_owners_of_everything_add_one() {
    let test = test_app();
    let app = router(&test);

    let mut advisory = signed_in_with_role(&app, &test, Role::Advisory).await;
    let refused = advisory.get(&format!("/admin/e/{E}/definition")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // The error page shows the core's backticked id as code.
    assert!(
        refused.has("read exercise <code>every-kind</code> but not change it"),
        "{}",
        refused.html
    );
    assert!(!refused.has("`"));
    let token = advisory.get("/admin").await.csrf();
    let posted = advisory
        .post(
            &format!("/admin/e/{E}/definition"),
            &[("csrf_token", &token), ("definition", &EVERY_KIND)],
        )
        .await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);

    let mut lead = signed_in_with_role(&app, &test, Role::Lead).await;
    assert_eq!(
        lead.get(&format!("/admin/e/{E}/definition")).await.status,
        StatusCode::OK
    );
    let edited = EVERY_KIND.replacen("Item A", "Item A, reworded", 1);
    let saved = lead
        .submit(
            &format!("/admin/e/{E}/definition"),
            &[("definition", &edited)],
        )
        .await;
    assert_eq!(saved.location.as_deref(), Some("/admin/e/every-kind"));
    // A lead of one exercise does not own every exercise: no new ones.
    assert_eq!(lead.get("/admin/new").await.status, StatusCode::FORBIDDEN);
    let token = lead.get("/admin").await.csrf();
    let added = lead
        .post(
            "/admin/new",
            &[
                ("csrf_token", &token),
                (
                    "definition",
                    &EVERY_KIND.replacen("every-kind", "another", 1),
                ),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::FORBIDDEN);
    let missing = Call::new("GET", "/api/v1/exercises/another")
        .send(&app)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_lists_every_problem_of_a_definition() {
    let test = test_app();
    let app = router(&test);
    let broken = EVERY_KIND
        .replacen("max_picks = 2", "max_picks = 0", 1)
        .replacen(
            "title = \"Every kind of round\"",
            "titel = \"Every kind of round\"",
            1,
        )
        .replacen("max_length = 50", "max_length = \"fifty\"", 1);
    let misspelt = broken
        .lines()
        .position(|line| line.starts_with("titel"))
        .unwrap()
        + 1;
    let refused = Call::new("PUT", &format!("/api/v1/exercises/{E}"))
        .admin()
        .raw("application/toml", broken)
        .send(&app)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = refused.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 3, "{}", refused.text);
    let fields: Vec<&str> = errors
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect();
    let numbers: Vec<u64> = fields
        .iter()
        .map(|field| field.strip_prefix("line ").unwrap().parse().unwrap())
        .collect();
    assert!(
        numbers.windows(2).all(|pair| pair[0] < pair[1]),
        "{fields:?}"
    );
    let details: Vec<&str> = errors
        .iter()
        .map(|error| error["detail"].as_str().unwrap())
        .collect();
    assert!(
        details[0].contains("unknown key `titel`: did you mean `title`?"),
        "{details:?}"
    );
    assert!(
        details[1].contains("`max_length` must be a whole number"),
        "{details:?}"
    );
    assert!(details[2].contains("`max_picks` is 0"), "{details:?}");
    assert_eq!(numbers[0], misspelt as u64);
    assert_eq!(
        refused.body["errors"][0]["field"],
        json!(format!("line {misspelt}"))
    );
}
