//! The web pages, in-process: every page and form, with each error path, as a browser without
//! JavaScript would use them (cookies kept, forms posted with their CSRF token).

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::{EVERY_KIND, every_kind, open, router, test_app};

const E: &str = "every-kind";

/// A browser without JavaScript: keeps cookies, follows nothing by itself.
pub(crate) struct Browser {
    app: Router,
    pub(crate) cookies: BTreeMap<String, String>,
}

pub(crate) struct Page {
    pub(crate) status: StatusCode,
    pub(crate) location: Option<String>,
    pub(crate) html: String,
    headers: axum::http::HeaderMap,
}

impl Page {
    /// The CSRF token of the page's forms.
    pub(crate) fn csrf(&self) -> String {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self.html.find(marker).expect("the page has a form") + marker.len();
        self.html[start..start + 32].to_string()
    }

    pub(crate) fn has(&self, text: &str) -> bool {
        self.html.contains(text)
    }
}

impl Browser {
    pub(crate) fn new(app: Router) -> Browser {
        Browser {
            app,
            cookies: BTreeMap::new(),
        }
    }

    async fn send(&mut self, request: Request<Body>) -> Page {
        let response = self.app.clone().oneshot(request).await.unwrap();
        for value in response.headers().get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if text.contains("Max-Age=0") || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let location = headers
            .get(header::LOCATION)
            .map(|value| value.to_str().unwrap().to_string());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Page {
            status,
            location,
            html: String::from_utf8_lossy(&bytes).into_owned(),
            headers,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub(crate) async fn get(&mut self, uri: &str) -> Page {
        let request = Request::get(uri)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    pub(crate) async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> Page {
        let body = fields
            .iter()
            .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
            .collect::<Vec<_>>()
            .join("&");
        let request = Request::post(uri)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts a form to `uri` with the CSRF token of the page at `uri`.
    pub(crate) async fn submit(&mut self, uri: &str, fields: &[(&str, &str)]) -> Page {
        self.submit_from(uri, uri, fields).await
    }

    /// Posts a form of the page at `page` to `target`.
    pub(crate) async fn submit_from(
        &mut self,
        page: &str,
        target: &str,
        fields: &[(&str, &str)],
    ) -> Page {
        let token = self.get(page).await.csrf();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post(target, &all).await
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            b' ' => "+".to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

async fn started(app: &Router, group: &str) -> Browser {
    let mut browser = Browser::new(app.clone());
    let start = browser
        .submit(&format!("/e/{E}/start"), &[("group", group)])
        .await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.html);
    browser
}

#[tokio::test]
async fn the_welcome_pages_explain_and_escape_everything() {
    let test = test_app();
    let app = router(&test);
    let hostile = every_kind()
        .title("<script>alert(1)</script>")
        .item_title("a", "\"><img src=x onerror=alert(1)>")
        .build();
    test.state
        .store
        .put_exercise(&hostile, "hostile.toml", "test")
        .unwrap();
    let mut browser = Browser::new(app.clone());
    let index = browser.get("/").await;
    assert_eq!(index.status, StatusCode::OK);
    assert_eq!(index.headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(
        index.headers["content-security-policy"],
        server::security::CONTENT_SECURITY_POLICY
    );
    assert!(
        index.has("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{}",
        index.html
    );
    assert!(!index.has("<script>alert(1)"));
    assert!(index.has("href=\"/e/every-kind\""));
    // The CSRF cookie is HttpOnly and SameSite=Strict.
    let set_cookie = index.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"));

    let welcome = browser.get(&format!("/e/{E}")).await;
    assert!(welcome.has("How your answers are used"));
    assert!(welcome.has("Your privacy"));
    assert!(welcome.has(&format!("href=\"/e/{E}/start\"")));
    assert!(welcome.has(&format!("href=\"/e/{E}/resume\"")));

    open(&app, E, "choose").await;
    let mut taker = started(&app, "carers").await;
    let pick = taker.get(&format!("/e/{E}/r/choose")).await;
    assert!(
        pick.has("&#34;&#62;&#60;img src=x onerror=alert(1)&#62;"),
        "{}",
        pick.html
    );
    assert!(!pick.has("<img src=x"));

    let missing = browser.get("/e/nope").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.has("Page not found"));
    assert!(browser.get("/static/style.css").await.has(".error-summary"));
    assert!(
        browser
            .get("/static/app.js")
            .await
            .has("data-error-summary")
    );
}

#[tokio::test]
async fn choosing_a_group_once_with_errors_in_the_gov_uk_pattern() {
    let test = test_app();
    let app = router(&test);
    open(&app, E, "top2").await;
    let mut browser = Browser::new(app.clone());
    let nothing = browser.submit(&format!("/e/{E}/start"), &[]).await;
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nothing.has("<title>Error: Which group are you in?"));
    assert!(nothing.has("There is a problem"));
    assert!(nothing.has("<a href=\"#group-carers\">Choose the group you belong to</a>"));
    assert!(nothing.has("<p class=\"error-message\" id=\"group-error\">"));

    let chosen = browser
        .submit(&format!("/e/{E}/start"), &[("group", "young-people")])
        .await;
    assert_eq!(chosen.location.as_deref(), Some("/e/every-kind/started"));
    let code_page = browser.get(&format!("/e/{E}/started")).await;
    assert!(code_page.has("id=\"resume-code\""));
    assert!(code_page.has("Young people"));
    assert!(code_page.has(&format!("href=\"/e/{E}/r/top2\"")));
    // The code is shown once.
    assert!(
        !browser
            .get(&format!("/e/{E}/started"))
            .await
            .has("id=\"resume-code\"")
    );
    // The group is not asked again.
    let again = browser.get(&format!("/e/{E}/start")).await;
    assert_eq!(again.location.as_deref(), Some("/e/every-kind"));
    let home = browser.get(&format!("/e/{E}")).await;
    assert!(home.has("You are taking part as: <strong>Young people</strong>"));
    assert!(home.has("Not started"));
    assert!(home.has("Not open yet"));

    // A form without its CSRF token saves nothing.
    let mut other = Browser::new(app.clone());
    let forged = other
        .post(
            &format!("/e/{E}/start"),
            &[
                ("group", "carers"),
                ("csrf_token", "0123456789abcdef0123456789abcdef"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.has("Your form has expired"));
    assert!(
        other
            .get(&format!("/e/{E}/started"))
            .await
            .location
            .is_some()
    );
}

#[tokio::test]
async fn resume_codes_work_across_devices() {
    let test = test_app();
    let app = router(&test);
    let mut phone = Browser::new(app.clone());
    phone
        .submit(&format!("/e/{E}/start"), &[("group", "carers")])
        .await;
    let page = phone.get(&format!("/e/{E}/started")).await;
    let start = page.html.find("id=\"resume-code\">").unwrap() + "id=\"resume-code\">".len();
    let code = page.html[start..start + 19].to_string();

    let mut laptop = Browser::new(app.clone());
    let empty = laptop
        .submit(&format!("/e/{E}/resume"), &[("resume_code", "")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.has("<a href=\"#resume_code\">Enter your resume code</a>"));
    let wrong = laptop
        .submit(
            &format!("/e/{E}/resume"),
            &[("resume_code", "aaaa-bbbb-cccc-dddd")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.has("value=\"aaaa-bbbb-cccc-dddd\""),
        "the answer given is kept"
    );
    let right = laptop
        .submit(
            &format!("/e/{E}/resume"),
            &[("resume_code", &code.to_uppercase())],
        )
        .await;
    assert_eq!(right.location.as_deref(), Some("/e/every-kind"));
    assert!(
        laptop
            .get(&format!("/e/{E}"))
            .await
            .has("You are taking part as: <strong>Carers</strong>")
    );
}

/// Fills a round page, continues to check, submits, and returns the done page.
async fn complete(browser: &mut Browser, round: &str, fields: &[(&str, &str)]) -> Page {
    let mut all = vec![("action", "continue")];
    all.extend_from_slice(fields);
    let saved = browser.submit(&format!("/e/{E}/r/{round}"), &all).await;
    assert_eq!(
        saved.status,
        StatusCode::SEE_OTHER,
        "{round}: {}",
        saved.html
    );
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("/e/{E}/r/{round}/check").as_str())
    );
    let check = browser.get(&format!("/e/{E}/r/{round}/check")).await;
    assert!(check.has("Check your answers"), "{}", check.html);
    let submitted = browser
        .submit(&format!("/e/{E}/r/{round}/check"), &[])
        .await;
    let location = submitted.location.expect("submitting redirects");
    assert!(
        location.starts_with(&format!("/e/{E}/r/{round}/done?receipt=")),
        "{location}"
    );
    let done = browser.get(&location).await;
    assert!(done.has("Answers submitted"));
    done
}

#[tokio::test]
async fn a_stakeholder_completes_every_round_kind_through_the_pages() {
    let test = test_app();
    let app = router(&test);
    for round in ["ideas", "scores", "chnri", "top2", "choose", "pairs"] {
        open(&app, E, round).await;
    }
    let mut browser = started(&app, "carers").await;

    let form = browser.get(&format!("/e/{E}/r/ideas")).await;
    assert!(form.has("<label class=\"label label-m\" for=\"suggestion-1\">Question 1</label>"));
    assert!(form.has("You can use up to 50 characters"));
    let done = complete(
        &mut browser,
        "ideas",
        &[
            ("suggestion-1", "Why do placements break down?"),
            ("suggestion-2", ""),
            ("suggestion-3", ""),
        ],
    )
    .await;
    assert!(
        done.has(&format!("href=\"/e/{E}/r/scores\"")),
        "the next open round is offered"
    );

    let form = browser.get(&format!("/e/{E}/r/scores")).await;
    assert!(form.has("<legend class=\"fieldset-legend fieldset-legend-m\">Item A</legend>"));
    assert!(form.has("1 – Not important"));
    assert!(form.has("value=\"dont-know\""));
    complete(
        &mut browser,
        "scores",
        &[
            ("rating-a", "9"),
            ("rating-b", "3"),
            ("rating-c", "dont-know"),
            ("rating-d", "5"),
        ],
    )
    .await;

    let form = browser.get(&format!("/e/{E}/r/chnri")).await;
    assert!(form.has("name=\"rating-a-answerable\""));
    let mut fields = Vec::new();
    for item in ["a", "b", "c", "d"] {
        fields.push((format!("rating-{item}-answerable"), "yes".to_string()));
        fields.push((format!("rating-{item}-equity"), "undecided".to_string()));
    }
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    complete(&mut browser, "chnri", &fields).await;

    let form = browser.get(&format!("/e/{E}/r/top2")).await;
    assert!(form.has("<select class=\"select\" id=\"rank-a\" name=\"rank-a\">"));
    assert!(form.has("<option value=\"\" selected>Not ranked</option>"));
    complete(
        &mut browser,
        "top2",
        &[
            ("rank-a", ""),
            ("rank-b", "2"),
            ("rank-c", "1"),
            ("rank-d", ""),
        ],
    )
    .await;

    let form = browser.get(&format!("/e/{E}/r/choose")).await;
    assert!(form.has("type=\"checkbox\" id=\"picked-a\" name=\"picked\" value=\"a\""));
    complete(&mut browser, "choose", &[("picked", "a"), ("picked", "d")]).await;

    // Pairwise: two buttons and "I can't decide".
    let pair = browser.get(&format!("/e/{E}/r/pairs")).await;
    assert!(pair.has("name=\"choice\""));
    assert!(pair.has("I can&#39;t decide") || pair.has("I can't decide"));
    let left = between(&pair.html, "name=\"left\" value=\"", "\"");
    let right = between(&pair.html, "name=\"right\" value=\"", "\"");
    let skipped = browser
        .submit(&format!("/e/{E}/r/pairs"), &[("action", "cant-decide")])
        .await;
    assert_eq!(
        skipped.location.as_deref(),
        Some(format!("/e/{E}/r/pairs?skipped=1").as_str())
    );
    let chosen = browser
        .submit(
            &format!("/e/{E}/r/pairs"),
            &[("left", &left), ("right", &right), ("choice", &left)],
        )
        .await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    let next = browser.get(&format!("/e/{E}/r/pairs")).await;
    assert!(next.has("You have made 1 choice"), "{}", next.html);
    let finish = browser
        .submit(&format!("/e/{E}/r/pairs"), &[("action", "finish")])
        .await;
    assert_eq!(
        finish.location.as_deref(),
        Some(format!("/e/{E}/r/pairs/check").as_str())
    );
    let check = browser.get(&format!("/e/{E}/r/pairs/check")).await;
    assert!(check.has(" over "), "{}", check.html);
    let submitted = browser.submit(&format!("/e/{E}/r/pairs/check"), &[]).await;
    assert!(submitted.location.unwrap().contains("/done"));

    // Every round's answer reached the export.
    let home = browser.get(&format!("/e/{E}")).await;
    assert_eq!(home.html.matches(">Submitted<").count(), 6, "{}", home.html);
    for (round, expected) in [
        ("ideas", "Why do placements break down?"),
        ("scores", ",a,9"),
        ("chnri", ",a,answerable,yes"),
        ("top2", ",c,1"),
        // Each row ends with the order the items were shown in.
        ("choose", ",carers,d,"),
        ("pairs", &format!(",{left},{right},{left} {right}\n")),
    ] {
        let (csv, _) = test.state.store.export_round(E, round, Vec::new()).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.contains(expected), "{round}: {csv}");
    }
}

fn between(text: &str, before: &str, after: &str) -> String {
    let start = text.find(before).unwrap() + before.len();
    let end = text[start..].find(after).unwrap() + start;
    text[start..end].to_string()
}

#[tokio::test]
async fn round_forms_show_each_error_beside_its_field_and_keep_the_answers() {
    let test = test_app();
    let app = router(&test);
    // The errors below are found in the order the items are shown; a fixed order makes it
    // the definition's for everyone.
    let fixed = "\norder = \"fixed\"\norder_reason = \"the test reads errors in order\"";
    let source = crate::EVERY_KIND
        .replacen("top_k = 2", &format!("top_k = 2{fixed}"), 1)
        .replacen("max_picks = 2", &format!("max_picks = 2{fixed}"), 1)
        .replacen(
            "labels = { 1 = \"Not important\", 9 = \"Critical\" } }",
            &format!("labels = {{ 1 = \"Not important\", 9 = \"Critical\" }} }}{fixed}"),
            1,
        )
        .replacen(
            "label = \"Does it reduce inequity?\" }]",
            &format!("label = \"Does it reduce inequity?\" }}]{fixed}"),
            1,
        );
    assert_eq!(source.matches("order = \"fixed\"").count(), 4);
    test.state
        .store
        .put_exercise(&source, "every-kind.toml", "test")
        .unwrap();
    for round in ["ideas", "scores", "chnri", "top2", "choose"] {
        open(&app, E, round).await;
    }
    let mut browser = started(&app, "carers").await;
    let long = "x".repeat(60);
    // (round, fields, the error expected, an answer that must be kept)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            "top2",
            vec![("rank-a", "1"), ("rank-b", "1")],
            "#rank-b",
            "value=\"1\" selected",
        ),
        (
            "top2",
            vec![("rank-a", "1")],
            "Choose your top 2",
            "value=\"1\" selected",
        ),
        (
            "scores",
            vec![("rating-a", "4")],
            "#rating-b-1",
            "id=\"rating-a-4\" name=\"rating-a\" value=\"4\" checked",
        ),
        (
            "chnri",
            vec![("rating-a-answerable", "no")],
            "#rating-a-equity-yes",
            "value=\"no\" checked",
        ),
        (
            "choose",
            vec![("picked", "a"), ("picked", "b"), ("picked", "c")],
            "Pick up to 2 topics. You picked 3",
            "value=\"c\" checked",
        ),
        ("choose", vec![], "Pick at least one topic", "Topics"),
        (
            "ideas",
            vec![("suggestion-1", long.as_str())],
            "must be 50 characters or fewer. It has 60.",
            "xxxxxxxxxx",
        ),
        (
            "ideas",
            vec![("suggestion-1", "   ")],
            "Write at least one question",
            "Question 1",
        ),
    ];
    for (round, fields, expected, kept) in cases {
        let mut all = vec![("action", "continue")];
        all.extend(fields.iter().copied());
        let page = browser.submit(&format!("/e/{E}/r/{round}"), &all).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{round} {fields:?}"
        );
        assert!(page.has("<title>Error: "), "{round}");
        assert!(page.has("data-error-summary"), "{round}");
        assert!(
            page.has(expected),
            "{round}: expected {expected} in {}",
            page.html
        );
        assert!(page.has(kept), "{round}: the answers are kept ({kept})");
        assert!(
            page.has("class=\"error-message\""),
            "{round}: the message is beside the field"
        );
        // Nothing was saved.
        assert!(test.state.store.exercise(E).unwrap().is_some());
        let check = browser.get(&format!("/e/{E}/r/{round}/check")).await;
        assert_eq!(
            check.status,
            StatusCode::SEE_OTHER,
            "{round}: no draft was stored"
        );
    }
}

#[tokio::test]
async fn drafts_are_kept_and_closed_rounds_say_so() {
    let test = test_app();
    let app = router(&test);
    open(&app, E, "top2").await;
    let mut browser = started(&app, "young-people").await;
    let saved = browser
        .submit(
            &format!("/e/{E}/r/top2"),
            &[("action", "save"), ("rank-a", "2"), ("rank-d", "1")],
        )
        .await;
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("/e/{E}/saved").as_str())
    );
    assert!(
        browser
            .get(&format!("/e/{E}/saved"))
            .await
            .has("Your answers have been saved")
    );
    let form = browser.get(&format!("/e/{E}/r/top2")).await;
    let select = between(&form.html, "id=\"rank-d\"", "</select>");
    assert!(
        select.contains("<option value=\"1\" selected>1</option>"),
        "{select}"
    );
    let select = between(&form.html, "id=\"rank-a\"", "</select>");
    assert!(
        select.contains("<option value=\"2\" selected>2</option>"),
        "{select}"
    );
    assert!(
        browser
            .get(&format!("/e/{E}"))
            .await
            .has("Started, not submitted yet")
    );

    let draft_round = browser.get(&format!("/e/{E}/r/choose")).await;
    assert_eq!(draft_round.status, StatusCode::CONFLICT);
    assert!(draft_round.has("not open yet"));
    let stranger = Browser::new(app.clone())
        .get(&format!("/e/{E}/r/top2"))
        .await;
    assert_eq!(
        stranger.location.as_deref(),
        Some(format!("/e/{E}/start").as_str())
    );
}

#[tokio::test]
async fn rating_rounds_go_page_by_page() {
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
    let mut browser = Browser::new(app.clone());
    browser
        .submit(&format!("/e/{id}/start"), &[("group", "young-people")])
        .await;
    let first = browser.get(&format!("/e/{id}/r/rate")).await;
    assert!(first.has("Page 1 of 5"), "{}", first.html);
    let names: Vec<String> = first
        .html
        .match_indices("type=\"radio\" id=\"")
        .map(|(index, _)| between(&first.html[index..], "name=\"", "\""))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(names.len(), 8);
    let mut fields: Vec<(&str, &str)> = names.iter().map(|name| (name.as_str(), "7")).collect();
    fields.push(("action", "continue"));
    let next = browser
        .submit(&format!("/e/{id}/r/rate?page=1"), &fields)
        .await;
    assert_eq!(
        next.location.as_deref(),
        Some(format!("/e/{id}/r/rate?page=2").as_str())
    );
    let second = browser.get(&format!("/e/{id}/r/rate?page=2")).await;
    assert!(second.has("Page 2 of 5"));
}

#[tokio::test]
async fn invite_only_exercises_ask_for_the_code() {
    let test = test_app();
    let app = router(&test);
    let invites = test
        .state
        .store
        .create_invites("invited", 1, "test")
        .unwrap();
    let mut browser = Browser::new(app.clone());
    let form = browser.get("/e/invited/start").await;
    assert!(form.has("<label class=\"label\" for=\"invite\">Invite code</label>"));
    let missing = browser
        .submit("/e/invited/start", &[("group", "carers")])
        .await;
    assert!(missing.has("<a href=\"#invite\">Enter the invite code from your invitation</a>"));
    let wrong = browser
        .submit(
            "/e/invited/start",
            &[("group", "carers"), ("invite", "nope")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.has("not right or has already been used"));
    assert!(
        wrong.has("value=\"carers\" checked"),
        "the group chosen is kept"
    );
    let right = browser
        .submit(
            "/e/invited/start",
            &[("group", "carers"), ("invite", &invites[0])],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
}

pub(crate) async fn signed_in_admin(app: &Router, test: &crate::TestApp) -> Browser {
    let hash = server::auth::hash_password("a long enough passphrase").unwrap();
    test.state
        .store
        .add_admin("lead@example.org", &hash)
        .unwrap();
    let mut browser = Browser::new(app.clone());
    let page = browser
        .submit(
            "/admin/sign-in",
            &[
                ("email", "lead@example.org"),
                ("password", "a long enough passphrase"),
            ],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/admin"));
    browser
}

#[tokio::test]
async fn research_leads_sign_in_and_run_the_exercise_from_the_pages() {
    let test = test_app();
    let app = router(&test);
    let mut anonymous = Browser::new(app.clone());
    assert_eq!(
        anonymous.get("/admin").await.location.as_deref(),
        Some("/admin/sign-in")
    );
    assert_eq!(
        anonymous
            .get(&format!("/admin/e/{E}"))
            .await
            .location
            .as_deref(),
        Some("/admin/sign-in")
    );
    let empty = anonymous
        .submit("/admin/sign-in", &[("email", ""), ("password", "")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.has("<a href=\"#email\">Enter your email address</a>"));
    assert!(empty.has("<a href=\"#password\">Enter your password</a>"));
    let wrong = anonymous
        .submit(
            "/admin/sign-in",
            &[("email", "lead@example.org"), ("password", "nope")],
        )
        .await;
    assert!(wrong.has("The email address or password is not right"));

    let mut lead = signed_in_admin(&app, &test).await;
    let dashboard = lead.get("/admin").await;
    assert!(dashboard.has("lead@example.org"));
    assert!(dashboard.has(&format!("href=\"/admin/e/{E}\"")));

    // Open a round from the page; a stakeholder answers; participation shows it.
    let opened = lead
        .submit_from(
            &format!("/admin/e/{E}"),
            &format!("/admin/e/{E}/r/top2/open"),
            &[],
        )
        .await;
    assert_eq!(
        opened.location.as_deref(),
        Some(format!("/admin/e/{E}?done=opened&round=top2").as_str())
    );
    let forged = lead.post(&format!("/admin/e/{E}/r/top2/close"), &[]).await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "no CSRF token, no change"
    );
    let mut stakeholder = started(&app, "young-people").await;
    complete(
        &mut stakeholder,
        "top2",
        &[("rank-a", "1"), ("rank-b", "2")],
    )
    .await;
    let page = lead.get(&format!("/admin/e/{E}")).await;
    assert!(
        page.has("<caption class=\"table-caption\">Participation by group and round</caption>")
    );
    assert!(page.has("<tr><th scope=\"row\">Young people</th><td class=\"numeric\">0</td><td class=\"numeric\">0</td><td class=\"numeric\">0</td><td class=\"numeric\">1</td>"), "{}", page.html);
    assert!(
        page.has(">Close<span class=\"visually-hidden\"> top2</span>"),
        "{}",
        page.html
    );

    // Results by group, with the method and weighting chosen on the page.
    let results = lead
        .get(&format!(
            "/admin/e/{E}/r/top2/results?method=borda&weighting=pooled"
        ))
        .await;
    assert_eq!(results.status, StatusCode::OK);
    assert!(
        results.has("ranked by Borda count (points for every place), every person counted equally"),
        "{}",
        results.html
    );
    assert!(results.has("Young people (1 person)"));
    assert!(
        results
            .has("<option value=\"borda\" selected>Borda count (points for every place)</option>")
    );
    let empty_round = lead.get(&format!("/admin/e/{E}/r/choose/results")).await;
    assert!(empty_round.has("no submitted answers yet"));
    // The core's backticks become code on a page, never Markdown.
    assert!(
        empty_round.has("round <code>choose</code> has no submitted answers yet"),
        "{}",
        empty_round.html
    );
    let csv = lead
        .get(&format!("/admin/e/{E}/r/top2/responses.csv"))
        .await;
    // Answered through the pages, so the order each person was shown is recorded.
    assert!(
        csv.html
            .starts_with("respondent,group,item,rank,shown_order\n")
    );
    assert_eq!(
        anonymous
            .get(&format!("/admin/e/{E}/r/top2/responses.csv"))
            .await
            .location
            .as_deref(),
        Some("/admin/sign-in")
    );

    // The method report: viewed and downloaded, with its own CSP (inline styles, no script).
    let report = lead.get(&format!("/admin/e/{E}/report?bootstrap=20")).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.html);
    assert!(report.has("<h1"));
    assert!(report.has("Item A"));
    assert!(!report.has("<script"));
    assert!(
        report.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'; style-src 'unsafe-inline'")
    );
    let download = lead
        .get(&format!("/admin/e/{E}/report?bootstrap=20&download=1"))
        .await;
    assert_eq!(
        download.headers["content-disposition"],
        "attachment; filename=\"every-kind-report.html\""
    );
    assert_eq!(
        anonymous
            .get(&format!("/admin/e/{E}/report"))
            .await
            .location
            .as_deref(),
        Some("/admin/sign-in")
    );
    // A pairwise round too sparse for a maximum-likelihood fit is reported with the small
    // prior, and the report says so.
    open(&app, E, "pairs").await;
    let id = crate::respondent(&app, E, "carers").await;
    let reply = crate::answer(
        &app,
        E,
        "pairs",
        &id,
        serde_json::json!({ "submit": true, "choices": [{ "winner": "a", "loser": "b" }] }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let sparse = lead.get(&format!("/admin/e/{E}/report?bootstrap=10")).await;
    assert_eq!(sparse.status, StatusCode::OK, "{}", sparse.html);
    assert!(
        sparse.has("fitted with a prior alpha of 0.1"),
        "{}",
        sparse.html
    );
    let nothing = lead.get("/admin/e/invited/report").await;
    assert_eq!(nothing.status, StatusCode::CONFLICT);
    assert!(nothing.has("There is nothing to report yet"));

    // Invites are shown once.
    let created = lead
        .submit_from(
            &format!("/admin/e/{E}"),
            &format!("/admin/e/{E}/invites"),
            &[("count", "3")],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.html);
    assert_eq!(created.html.matches("<li><code>").count(), 3);
    let bad = lead
        .submit_from(
            &format!("/admin/e/{E}"),
            &format!("/admin/e/{E}/invites"),
            &[("count", "lots")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("<a href=\"#count\">Enter a number of invites from 1 to 10000</a>"));

    // The definition: errors at their line; a valid edit is a new version.
    let form = lead.get(&format!("/admin/e/{E}/definition")).await;
    assert!(form.has("id = &#34;every-kind&#34;"), "{}", form.html);
    // (A top_k above the item count is no longer an error here: rounds after a suggest round
    // may wait for curated items. A top_k of 0 always is.)
    let broken = EVERY_KIND.replace("top_k = 2", "top_k = 0");
    let refused = lead
        .submit(
            &format!("/admin/e/{E}/definition"),
            &[("definition", &broken)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has("Line "), "{}", refused.html);
    assert!(refused.has("top_k"));
    assert!(refused.has("top_k = 0"), "the text is kept");
    let edited = every_kind().item_title("a", "Item A, reworded").build();
    let saved = lead
        .submit(
            &format!("/admin/e/{E}/definition"),
            &[("definition", &edited)],
        )
        .await;
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("/admin/e/{E}").as_str())
    );
    assert!(
        lead.get(&format!("/admin/e/{E}"))
            .await
            .has("Definition version 2")
    );
    let new = every_kind().id("brand-new").build();
    let added = lead.submit("/admin/new", &[("definition", &new)]).await;
    assert_eq!(added.location.as_deref(), Some("/admin/e/brand-new"));

    // Signing out ends the session.
    let token = lead.get("/admin").await.csrf();
    let out = lead
        .post("/admin/sign-out", &[("csrf_token", &token)])
        .await;
    assert_eq!(out.location.as_deref(), Some("/admin/sign-in"));
    assert_eq!(
        lead.get("/admin").await.location.as_deref(),
        Some("/admin/sign-in")
    );
}
