//! The service's hardening: failed admin authentication limited per client, separate buckets,
//! forwarded addresses believed only from trusted proxies, HSTS, the `Origin` check, and
//! request logs that never hold a respondent's id.

use axum::http::StatusCode;
use serde_json::json;
use server::Settings;

use crate::pages::{Browser, signed_in_admin};
use crate::{Call, TOKEN, respondent, router, test_app_with};

const E: &str = "every-kind";

/// Settings with every limit off but the ones a test turns on.
fn limits_off() -> Settings {
    Settings {
        admin_token: Some(TOKEN.to_string()),
        submit_rate_per_second: 0,
        sign_in_rate_per_minute: 0,
        resume_rate_per_minute: 0,
        failed_auth_per_minute: 0,
        ..Settings::default()
    }
}

fn retry_after(reply: &crate::Reply) -> u64 {
    reply.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn wrong_admin_tokens_are_limited_and_lock_the_client_out() {
    let test = test_app_with(Settings {
        failed_auth_per_minute: 5,
        ..limits_off()
    });
    let app = router(&test);
    let guess = |token: &str| {
        Call::new("GET", "/api/v1/audit").header("authorization", &format!("Bearer {token}"))
    };
    for attempt in 0..5 {
        let reply = guess(&format!("guess-{attempt}")).send(&app).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
    }
    let refused = guess("guess-5").send(&app).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.text
    );
    // Five a minute: the next failure is allowed 12 s after the first.
    assert!(
        (11..=12).contains(&retry_after(&refused)),
        "{}",
        retry_after(&refused)
    );
    // Locked out: even the right token is not looked at until the wait is over.
    let locked = guess(TOKEN).send(&app).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        locked.text
    );
    assert!((1..=12).contains(&retry_after(&locked)));
    // Unknown session cookies and wrong passwords count in the same bucket.
    let cookie = Call::new("GET", "/api/v1/audit")
        .header("cookie", "prioritise_session=stolen-or-made-up")
        .send(&app)
        .await;
    assert_eq!(cookie.status, StatusCode::TOO_MANY_REQUESTS);
    let password = Call::new("POST", "/api/v1/sessions")
        .json(json!({ "email": "lead@example.org", "password": "not the password" }))
        .send(&app)
        .await;
    assert_eq!(password.status, StatusCode::TOO_MANY_REQUESTS);
    // Asking without credentials is not a failure and is not locked out.
    let anonymous = Call::new("GET", "/api/v1/audit").send(&app).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrong_passwords_and_unknown_sessions_count_as_failures() {
    let test = test_app_with(Settings {
        failed_auth_per_minute: 2,
        ..limits_off()
    });
    let app = router(&test);
    let wrong = || {
        Call::new("POST", "/api/v1/sessions")
            .json(json!({ "email": "lead@example.org", "password": "not the password" }))
    };
    assert_eq!(wrong().send(&app).await.status, StatusCode::UNAUTHORIZED);
    let page = Call::new("GET", "/admin")
        .header("cookie", "prioritise_session=made-up")
        .send(&app)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let third = wrong().send(&app).await;
    assert_eq!(
        third.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        third.text
    );
    assert!((29..=30).contains(&retry_after(&third)));
}

#[tokio::test]
async fn a_flood_of_resume_guesses_does_not_lock_out_the_admin() {
    let test = test_app_with(Settings {
        resume_rate_per_minute: 3,
        sign_in_rate_per_minute: 3,
        ..limits_off()
    });
    let app = router(&test);
    let mut statuses = Vec::new();
    for _ in 0..20 {
        let reply = Call::new("POST", &format!("/api/v1/exercises/{E}/resume"))
            .json(json!({ "resume_code": "aaaa-bbbb-cccc-dddd" }))
            .send(&app)
            .await;
        statuses.push(reply.status);
    }
    assert_eq!(statuses[..3], [StatusCode::NOT_FOUND; 3]);
    assert!(
        statuses[3..]
            .iter()
            .all(|status| *status == StatusCode::TOO_MANY_REQUESTS)
    );
    // The admin's sign-in has a bucket of its own, and so has the token.
    let sign_in = Call::new("POST", "/api/v1/sessions")
        .json(json!({ "email": "lead@example.org", "password": "not the password" }))
        .send(&app)
        .await;
    assert_eq!(sign_in.status, StatusCode::UNAUTHORIZED, "{}", sign_in.text);
    let token = Call::new("GET", "/api/v1/audit").admin().send(&app).await;
    assert_eq!(token.status, StatusCode::OK);
    // And starting respondents is not locked either.
    respondent(&app, E, "carers").await;
}

#[tokio::test]
async fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    let forwarded_for = |client: &str| {
        Call::new("POST", &format!("/api/v1/exercises/{E}/resume"))
            .header("x-forwarded-for", client)
            .json(json!({ "resume_code": "aaaa-bbbb-cccc-dddd" }))
    };
    // In-process requests come from 127.0.0.1: trusted as a proxy here.
    let behind_proxy = test_app_with(Settings {
        resume_rate_per_minute: 1,
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..limits_off()
    });
    let app = router(&behind_proxy);
    let first = forwarded_for("203.0.113.1").send(&app).await;
    assert_eq!(first.status, StatusCode::NOT_FOUND);
    let again = forwarded_for("203.0.113.1").send(&app).await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
    // A client cannot escape by writing its own header to the left of the proxy's.
    let spoofed = forwarded_for("198.51.100.1, 203.0.113.1").send(&app).await;
    assert_eq!(spoofed.status, StatusCode::TOO_MANY_REQUESTS);
    let other = forwarded_for("203.0.113.2").send(&app).await;
    assert_eq!(
        other.status,
        StatusCode::NOT_FOUND,
        "another client, another bucket"
    );
    let forwarded = Call::new("POST", &format!("/api/v1/exercises/{E}/resume"))
        .header("forwarded", "for=\"[2001:db8::7]:4711\";proto=https")
        .json(json!({ "resume_code": "aaaa-bbbb-cccc-dddd" }))
        .send(&app)
        .await;
    assert_eq!(forwarded.status, StatusCode::NOT_FOUND);

    // Without a trusted proxy the header is ignored: every guess is the peer's.
    let direct = test_app_with(Settings {
        resume_rate_per_minute: 1,
        ..limits_off()
    });
    let app = router(&direct);
    assert_eq!(
        forwarded_for("203.0.113.1").send(&app).await.status,
        StatusCode::NOT_FOUND
    );
    let escaped = forwarded_for("203.0.113.99").send(&app).await;
    assert_eq!(escaped.status, StatusCode::TOO_MANY_REQUESTS);
    assert!((59..=60).contains(&retry_after(&escaped)));
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_public_url_is_https() {
    let https = test_app_with(Settings {
        public_url: Some("https://survey.example.org".to_string()),
        ..limits_off()
    });
    let reply = Call::new("GET", "/health").send(&router(&https)).await;
    assert_eq!(
        reply.headers["strict-transport-security"],
        "max-age=31536000"
    );
    let page = Call::new("GET", "/").send(&router(&https)).await;
    assert_eq!(
        page.headers["strict-transport-security"],
        "max-age=31536000"
    );
    for public_url in [None, Some("http://survey.example.org".to_string())] {
        let http = test_app_with(Settings {
            public_url,
            ..limits_off()
        });
        let reply = Call::new("GET", "/health").send(&router(&http)).await;
        assert!(!reply.headers.contains_key("strict-transport-security"));
    }
}

#[tokio::test]
async fn state_changing_requests_from_another_origin_are_refused() {
    let test = test_app_with(Settings {
        public_url: Some("https://survey.example.org".to_string()),
        ..limits_off()
    });
    let app = router(&test);
    let start = |origin: &str| {
        Call::new("POST", &format!("/api/v1/exercises/{E}/respondents"))
            .header("origin", origin)
            .header("host", "survey.example.org")
            .json(json!({ "group": "carers" }))
    };
    let foreign = start("https://evil.example").send(&app).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN, "{}", foreign.text);
    assert!(foreign.detail().contains("`Origin`"), "{}", foreign.text);
    assert_eq!(start("null").send(&app).await.status, StatusCode::FORBIDDEN);
    // The bearer token does not make another site's request acceptable.
    let admin = Call::new("POST", &format!("/api/v1/exercises/{E}/rounds/scores/open"))
        .header("origin", "https://evil.example")
        .admin()
        .send(&app)
        .await;
    assert_eq!(admin.status, StatusCode::FORBIDDEN);
    assert_eq!(
        start("https://survey.example.org").send(&app).await.status,
        StatusCode::CREATED
    );
    // No Origin (curl, older clients): the CSRF token and credentials decide.
    let none = Call::new("POST", &format!("/api/v1/exercises/{E}/respondents"))
        .json(json!({ "group": "carers" }))
        .send(&app)
        .await;
    assert_eq!(none.status, StatusCode::CREATED);
    // A page post from another site is answered with a page.
    let page = Call::new("POST", "/admin/sign-in")
        .header("origin", "https://evil.example")
        .raw(
            "application/x-www-form-urlencoded",
            "email=a%40example.org&password=x",
        )
        .send(&app)
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.text.contains("<html"), "{}", page.text);
    assert!(page.text.contains("Origin"), "{}", page.text);
    // Reading is never refused for its Origin.
    let read = Call::new("GET", "/api/v1/exercises")
        .header("origin", "https://evil.example")
        .send(&app)
        .await;
    assert_eq!(read.status, StatusCode::OK);
}

/// A writer into a shared buffer, for the log of a test.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn request_logs_name_the_route_not_the_respondent() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let test = test_app_with(limits_off());
    let app = router(&test);
    crate::open(&app, E, "scores").await;
    let id = respondent(&app, E, "carers").await;
    for call in [
        Call::new("GET", &format!("/api/v1/exercises/{E}/respondents/{id}")),
        Call::new(
            "GET",
            &format!("/api/v1/exercises/{E}/rounds/scores/responses/{id}"),
        ),
        Call::new("GET", &format!("/api/v1/nothing/{id}")),
    ] {
        call.send(&app).await;
    }
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("route=/api/v1/exercises/{exercise}/respondents/{respondent}"),
        "{log}"
    );
    assert!(log.contains("(no route)"), "{log}");
    assert!(
        !log.contains(&id),
        "the respondent's id is in the log:\n{log}"
    );
}

#[tokio::test]
async fn a_stakeholder_form_token_works_only_in_its_own_browser() {
    let test = test_app_with(limits_off());
    let app = router(&test);
    crate::open(&app, E, "ideas").await;
    let start = format!("/e/{E}/start");
    let mut one = Browser::new(app.clone());
    let mut two = Browser::new(app.clone());
    // Before starting, the token is bound to each browser's pre-session cookie.
    let token_one = one.get(&start).await.csrf();
    let token_two = two.get(&start).await.csrf();
    assert_ne!(token_one, token_two);
    let crossed = two
        .post(&start, &[("csrf_token", &token_one), ("group", "carers")])
        .await;
    assert_eq!(crossed.status, StatusCode::FORBIDDEN, "{}", crossed.html);
    assert!(crossed.has("Your form has expired"));
    let own = two
        .post(&start, &[("csrf_token", &token_two), ("group", "carers")])
        .await;
    assert_eq!(own.status, StatusCode::SEE_OTHER, "{}", own.html);
    let started = one.submit(&start, &[("group", "carers")]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.html);
    // Once started, the token is bound to the respondent cookie: new, and another
    // respondent's token fails.
    let round = format!("/e/{E}/r/ideas");
    let round_one = one.get(&round).await.csrf();
    let round_two = two.get(&round).await.csrf();
    assert_ne!(round_one, token_one);
    assert_ne!(round_one, round_two);
    let crossed = two.post(&round, &[("csrf_token", &round_one)]).await;
    assert_eq!(crossed.status, StatusCode::FORBIDDEN, "{}", crossed.html);
    // It depends on the respondent cookie alone, not on the pre-session cookie.
    one.cookies.remove("prioritise_form");
    assert_eq!(one.get(&round).await.csrf(), round_one);
}

#[tokio::test]
async fn an_admin_form_token_works_only_in_its_own_session() {
    let test = test_app_with(limits_off());
    let app = router(&test);
    let mut first = signed_in_admin(&app, &test).await;
    let mut second = Browser::new(app.clone());
    let signed_in = second
        .submit(
            "/admin/sign-in",
            &[
                ("email", "lead@example.org"),
                ("password", "a long enough passphrase"),
            ],
        )
        .await;
    assert_eq!(signed_in.location.as_deref(), Some("/admin"));
    let token_first = first.get("/admin").await.csrf();
    let token_second = second.get("/admin").await.csrf();
    assert_ne!(token_first, token_second);
    // The token is derived from the session itself, not from a cookie that could be planted.
    first.cookies.remove("prioritise_form");
    assert_eq!(first.get("/admin").await.csrf(), token_first);
    let crossed = second
        .post("/admin/sign-out", &[("csrf_token", &token_first)])
        .await;
    assert_eq!(crossed.status, StatusCode::FORBIDDEN, "{}", crossed.html);
    assert_eq!(second.get("/admin").await.status, StatusCode::OK);
    let own = second
        .post("/admin/sign-out", &[("csrf_token", &token_second)])
        .await;
    assert_eq!(own.location.as_deref(), Some("/admin/sign-in"));
    assert_eq!(first.get("/admin").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_suggestion_form_with_a_control_character_shows_the_error_beside_its_field() {
    let test = test_app_with(limits_off());
    let app = router(&test);
    crate::open(&app, E, "ideas").await;
    let mut browser = Browser::new(app.clone());
    let started = browser
        .submit(&format!("/e/{E}/start"), &[("group", "carers")])
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.html);
    let round = format!("/e/{E}/r/ideas");
    let page = browser
        .submit(
            &round,
            &[("suggestion-1", "ring\u{7}ring"), ("submit", "1")],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.html
    );
    assert!(page.has("href=\"#suggestion-1\""), "{}", page.html);
    assert!(
        page.has("Question 1 must not contain a control character (U+0007)"),
        "{}",
        page.html
    );
    let (csv, _) = test
        .state
        .store
        .export_round(E, "ideas", Vec::new())
        .unwrap();
    assert_eq!(String::from_utf8(csv).unwrap().lines().count(), 1);
}
