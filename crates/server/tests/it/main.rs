//! Integration tests of the service through its public endpoints only: in-process with
//! `tower::ServiceExt::oneshot`, and through a real socket on 127.0.0.1.

mod admin;
mod answers;
mod contract;
mod curation;
mod curation_pages;
mod curation_volume;
mod differencing;
mod editor;
mod feedback;
mod hardening;
mod lifecycle;
mod limits;
mod order;
mod pages;
mod proposals;
mod pseudonyms;
mod publishing;
mod results_view;
mod roles;
mod socket;

use std::sync::LazyLock;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use server::{AppState, Settings};
use store::Store;
use test_support::ExerciseToml;
use tower::ServiceExt;

/// The admin token of the test service.
pub const TOKEN: &str = "test-admin-token-of-32-characters";

/// An exercise with a round of every kind (and a criteria round).
pub static EVERY_KIND: LazyLock<String> = LazyLock::new(|| every_kind().build());

/// [`EVERY_KIND`] before it is built, for tests that need a variant of it.
pub fn every_kind() -> ExerciseToml {
    ExerciseToml::tiny()
        .id("every-kind")
        .title("Every kind of round")
        .set("description", "\"A test exercise.\"")
        .set("disclosure_threshold", "1")
        .items(&[("a", "Item A"), ("b", "Item B"), ("c", "Item C"), ("d", "Item D")])
        .rounds(
            r#"[[rounds]]
id = "ideas"
kind = "suggest"
max_suggestions = 3
max_length = 50

[[rounds]]
id = "scores"
kind = "rate"
scale = { min = 1, max = 9, labels = { 1 = "Not important", 9 = "Critical" } }

[[rounds]]
id = "chnri"
kind = "rate"
criteria = [{ id = "answerable", label = "Is it answerable?" }, { id = "equity", label = "Does it reduce inequity?" }]

[[rounds]]
id = "top2"
kind = "rank"
top_k = 2

[[rounds]]
id = "choose"
kind = "pick"
max_picks = 2

[[rounds]]
id = "pairs"
kind = "pairwise"
max_choices = 4
"#,
        )
}

/// An invite-only exercise.
pub static INVITE_ONLY: LazyLock<String> = LazyLock::new(|| {
    ExerciseToml::tiny()
        .id("invited")
        .title("Invite only")
        .set("invite_only", "true")
        .groups(&[("carers", "Carers")])
        .items(&[("a", "Item A"), ("b", "Item B")])
        .rounds(
            r#"[[rounds]]
id = "top"
kind = "rank"
top_k = 1
"#,
        )
        .build()
});

/// A test service on a temporary database.
pub struct TestApp {
    /// Keeps the database directory.
    pub directory: tempfile::TempDir,
    /// The state (store and settings).
    pub state: AppState,
}

/// A service with both exercises loaded and no rate limits.
pub fn test_app() -> TestApp {
    test_app_with(Settings {
        admin_token: Some(TOKEN.to_string()),
        submit_rate_per_second: 0,
        sign_in_rate_per_minute: 0,
        resume_rate_per_minute: 0,
        failed_auth_per_minute: 0,
        ..Settings::default()
    })
}

/// A service with both exercises loaded and the given settings.
pub fn test_app_with(settings: Settings) -> TestApp {
    let directory = tempfile::tempdir().unwrap();
    let store = Store::open(directory.path().join("test.db")).unwrap();
    store
        .put_exercise(&EVERY_KIND, "every-kind.toml", "test")
        .unwrap();
    store
        .put_exercise(&INVITE_ONLY, "invited.toml", "test")
        .unwrap();
    TestApp {
        directory,
        state: AppState::new(store, settings),
    }
}

/// A response: status, headers and body (JSON when it parses, else a string).
pub struct Reply {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: axum::http::HeaderMap,
    /// The body as JSON, or as a JSON string when it is not JSON.
    pub body: Value,
    /// The body as text.
    pub text: String,
}

impl Reply {
    /// The first error's detail.
    pub fn detail(&self) -> String {
        self.body["errors"][0]["detail"]
            .as_str()
            .unwrap_or_else(|| panic!("not an error body: {}", self.text))
            .to_string()
    }
}

/// A request to send.
pub struct Call {
    request: axum::http::request::Builder,
    body: Body,
}

impl Call {
    /// A request without a body.
    pub fn new(method: &str, uri: &str) -> Call {
        Call {
            request: Request::builder().method(method).uri(uri),
            body: Body::empty(),
        }
    }

    /// With a JSON body.
    pub fn json(mut self, body: Value) -> Call {
        self.request = self
            .request
            .header(header::CONTENT_TYPE, "application/json");
        self.body = Body::from(body.to_string());
        self
    }

    /// With a raw body and content type.
    pub fn raw(mut self, content_type: &str, body: impl Into<Body>) -> Call {
        self.request = self.request.header(header::CONTENT_TYPE, content_type);
        self.body = body.into();
        self
    }

    /// With a header.
    pub fn header(mut self, name: &str, value: &str) -> Call {
        self.request = self.request.header(name, value);
        self
    }

    /// As the admin token.
    pub fn admin(self) -> Call {
        self.header("authorization", &format!("Bearer {TOKEN}"))
    }

    /// Sends it to `app`.
    pub async fn send(self, app: &Router) -> Reply {
        let request = self.request.body(self.body).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.clone()));
        Reply {
            status,
            headers,
            body,
            text,
        }
    }
}

/// One row of a [`check`] table: a request, named so that a failure says which, and what its
/// reply must show.
pub struct Case {
    /// Names the case in failure messages.
    name: String,
    /// The request.
    call: Call,
    /// The status the reply must have.
    status: StatusCode,
    /// A fragment the first error's detail must hold, when the reply must be an error body.
    detail: Option<String>,
    /// The field the first error must name, when it must name one.
    field: Option<String>,
}

impl Case {
    /// A request whose reply must have `status` and an error body whose first detail holds
    /// `detail` (`""` when any detail will do).
    pub fn new(name: impl Into<String>, call: Call, status: StatusCode, detail: &str) -> Case {
        Case {
            detail: Some(detail.to_string()),
            ..Case::status(name, call, status)
        }
    }

    /// A request whose reply must have `status`, whatever its body.
    pub fn status(name: impl Into<String>, call: Call, status: StatusCode) -> Case {
        Case {
            name: name.into(),
            call,
            status,
            detail: None,
            field: None,
        }
    }

    /// The reply's first error must also name `field`.
    pub fn field(mut self, field: &str) -> Case {
        self.field = Some(field.to_string());
        self
    }
}

/// Sends each case's request to `app` in turn and checks its reply, naming the case in any
/// failure.
pub async fn check(app: &Router, cases: impl IntoIterator<Item = Case>) {
    for case in cases {
        let name = case.name;
        let reply = case.call.send(app).await;
        assert_eq!(reply.status, case.status, "{name}: {}", reply.text);
        if let Some(detail) = &case.detail {
            let error = reply.body["errors"][0]["detail"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: not an error body: {}", reply.text));
            assert!(
                error.contains(detail.as_str()),
                "{name}: expected `{detail}` in {}",
                reply.text
            );
        }
        if let Some(field) = &case.field {
            assert_eq!(
                reply.body["errors"][0]["field"],
                json!(field),
                "{name}: {}",
                reply.text
            );
        }
    }
}

/// The router of a test app.
pub fn router(app: &TestApp) -> Router {
    server::app(app.state.clone())
}

/// Opens a round with the admin token.
pub async fn open(app: &Router, exercise: &str, round: &str) {
    let reply = Call::new(
        "POST",
        &format!("/api/v1/exercises/{exercise}/rounds/{round}/open"),
    )
    .admin()
    .send(app)
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

/// Starts a respondent in a group and returns its id.
pub async fn respondent(app: &Router, exercise: &str, group: &str) -> String {
    let reply = Call::new("POST", &format!("/api/v1/exercises/{exercise}/respondents"))
        .json(json!({ "group": group }))
        .send(app)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body["respondent"].as_str().unwrap().to_string()
}

/// Puts an answer and returns the reply.
pub async fn answer(
    app: &Router,
    exercise: &str,
    round: &str,
    respondent: &str,
    body: Value,
) -> Reply {
    Call::new(
        "PUT",
        &format!("/api/v1/exercises/{exercise}/rounds/{round}/responses/{respondent}"),
    )
    .json(body)
    .send(app)
    .await
}
