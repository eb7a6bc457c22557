//! The web pages: server-rendered HTML (askama, escaped automatically) that works without
//! JavaScript, following the GOV.UK Design System's patterns.
//!
//! - `stakeholder.rs`: the pages people answer on; `forms.rs` turns their form fields into
//!   answers (and answers back into form fields), with errors per field.
//! - `admin.rs`: the research lead's pages.
//! - Every form carries a CSRF token (`csrf_token`) bound to the browser's session: the admin
//!   session, the exercise's respondent cookie, or a pre-session cookie set with the first page
//!   ([`FormToken`]); a POST whose field is not the token of its own session is refused
//!   ([`CheckedForm`] on the stakeholder pages and sign-in, `admin::access::check_form` on the
//!   research lead's pages).

pub mod admin;
pub mod forms;
pub mod stakeholder;

use askama::Template;
use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::AppError;

/// The pre-session cookie of the pages, which binds the forms' CSRF token before anyone has
/// signed in or started answering.
pub const CSRF_COOKIE: &str = "prioritise_form";

/// The stylesheet, served at `/static/style.css`.
pub const STYLE: &str = include_str!("../../static/style.css");
/// The optional script (focus on the error summary, character counts), at `/static/app.js`.
pub const SCRIPT: &str = include_str!("../../static/app.js");

/// What every page's layout needs.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The page title (before " – prioritise").
    pub title: String,
    /// The CSRF token for the page's forms.
    pub csrf: String,
    /// The signed-in admin's email, on admin pages.
    pub admin: Option<String>,
    /// Whether the page has errors (the title starts with "Error: ").
    pub has_errors: bool,
}

/// One problem on a form: the id of the field to link to, and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The id of the input the summary links to.
    pub anchor: String,
    /// The message, the same in the summary and beside the field.
    pub message: String,
}

impl FieldError {
    /// The message as HTML: escaped, with the parts the core writes in backticks shown as code
    /// (see [`code_spans`]).
    pub fn message_html(&self) -> String {
        code_spans(&self.message)
    }

    /// The line of a definition the message is about, when it starts "Line N: ", so that the
    /// page's script can select that line.
    pub fn line(&self) -> Option<u64> {
        let rest = self.message.strip_prefix("Line ")?;
        let (number, _) = rest.split_once(':')?;
        number.parse().ok()
    }
}

/// A message of the core (an error, a note) as HTML for a page: every character escaped first,
/// then each part the core writes in Markdown backticks (`` `titel` ``) wrapped in `<code>`,
/// without the backticks. A backtick left without its pair is shown as it is. Nothing of the
/// message is ever written unescaped, so a message that quotes `<script>` shows it as text.
pub fn code_spans(message: &str) -> String {
    let mut html = String::with_capacity(message.len() + 16);
    let mut parts = message.split('`').peekable();
    let mut inside = false;
    let mut first = true;
    while let Some(part) = parts.next() {
        if !first {
            // A backtick between two parts: it opens a code span only if another closes it.
            if inside {
                html.push_str("</code>");
                inside = false;
            } else if parts.peek().is_some() {
                html.push_str("<code>");
                inside = true;
            } else {
                html.push('`');
            }
        }
        first = false;
        escape_into(&mut html, part);
    }
    html
}

/// Appends `text` to `html` with the characters HTML gives meaning to escaped.
fn escape_into(html: &mut String, text: &str) {
    for character in text.chars() {
        match character {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            other => html.push(other),
        }
    }
}

/// The CSRF token of a request's forms, bound to who is asking, so that a token from one
/// session fails in another:
///
/// - with an admin session cookie, an HMAC of the session token;
/// - on an exercise's pages (`/e/{exercise}/...`) with that exercise's respondent cookie, an
///   HMAC of the respondent cookie;
/// - otherwise an HMAC of a random pre-session cookie ([`CSRF_COOKIE`]), made with the first
///   page and set with the response.
///
/// The cookies are `HttpOnly`, so another site can neither read them nor compute the token.
#[derive(Debug, Clone)]
pub struct FormToken {
    /// The token.
    pub token: String,
    /// Whether the token comes from a new pre-session cookie, which the response must set.
    pub new: bool,
    /// The pre-session cookie's value, when the token is bound to it.
    pre_session: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for FormToken {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(FormToken::of(&parts.headers, parts.uri.path()))
    }
}

/// The token bound to `secret` (a cookie's value) for `purpose`: HMAC-SHA256 keyed by the
/// secret, 128 bits in hex.
fn bound_token(purpose: &str, secret: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(b"prioritise form token\0");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes()[..16]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

impl FormToken {
    /// The token of a request with `headers` to `path` (see [`FormToken`]).
    pub fn of(headers: &HeaderMap, path: &str) -> FormToken {
        let jar = CookieJar::from_headers(headers);
        let bound = |purpose: &str, secret: &str| FormToken {
            token: bound_token(purpose, secret),
            new: false,
            pre_session: None,
        };
        if let Some(session) = crate::auth::session_token(headers) {
            return bound("admin session", &session);
        }
        let respondent = path
            .strip_prefix("/e/")
            .and_then(|rest| rest.split('/').next())
            .and_then(|exercise| jar.get(&stakeholder::respondent_cookie_name(exercise)))
            .map(|cookie| cookie.value().to_string())
            .filter(|value| !value.is_empty());
        if let Some(respondent) = respondent {
            return bound("respondent", &respondent);
        }
        match jar.get(CSRF_COOKIE) {
            Some(cookie) if cookie.value().len() == 32 => bound("pre-session", cookie.value()),
            _ => {
                let value = random_hex(16);
                FormToken {
                    token: bound_token("pre-session", &value),
                    new: true,
                    pre_session: Some(value),
                }
            }
        }
    }

    /// Whether a submitted `csrf_token` field is this request's token (never for a new
    /// pre-session cookie: the page that carried the form would have set it).
    pub fn accepts(&self, submitted: Option<&str>) -> bool {
        if self.new {
            return false;
        }
        let Some(submitted) = submitted else {
            return false;
        };
        let left = Sha256::digest(submitted.as_bytes());
        let right = Sha256::digest(self.token.as_bytes());
        left.iter()
            .zip(right.iter())
            .fold(0u8, |difference, (a, b)| difference | (a ^ b))
            == 0
    }

    /// Adds the pre-session cookie to a response when it is new.
    pub fn set_on(&self, mut response: Response, secure: bool) -> Response {
        if let (true, Some(value)) = (self.new, &self.pre_session) {
            let cookie = Cookie::build((CSRF_COOKIE, value.clone()))
                .http_only(true)
                .same_site(SameSite::Strict)
                .secure(secure)
                .path("/")
                .build();
            if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
        response
    }
}

/// Random bytes as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    use rand::RngCore;
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    buffer.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The form fields of a POST, in order (checkboxes repeat a name).
pub type Fields = Vec<(String, String)>;

/// The first value of a field.
pub fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Renders a template as an HTML response with `status`, setting the CSRF cookie if new.
pub fn render(
    template: &impl Template,
    status: StatusCode,
    token: &FormToken,
    state: &AppState,
) -> Response {
    match template.render() {
        Ok(html) => {
            let mut response = (status, axum::response::Html(html)).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            token.set_on(response, state.settings.secure_cookies)
        }
        Err(error) => AppError::Internal(format!("a page did not render: {error}")).into_response(),
    }
}

/// A 303 redirect (after a POST, so that a refresh does not post again).
pub fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}

/// A page that says something went wrong, with a link onwards.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    /// The layout.
    pub layout: Layout,
    /// The heading.
    pub heading: String,
    /// The paragraphs.
    pub paragraphs: Vec<String>,
    /// A link onwards: (address, text).
    pub link: Option<(String, String)>,
}

impl MessagePage {
    /// A paragraph as HTML, with the core's backticked parts as code (see [`code_spans`]).
    pub fn paragraph_html(&self, paragraph: &str) -> String {
        code_spans(paragraph)
    }
}

/// A message page as a response.
pub fn message(
    state: &AppState,
    token: &FormToken,
    status: StatusCode,
    heading: &str,
    paragraphs: &[&str],
    link: Option<(&str, &str)>,
) -> Response {
    let page = MessagePage {
        layout: Layout {
            title: heading.to_string(),
            csrf: token.token.clone(),
            ..Layout::default()
        },
        heading: heading.to_string(),
        paragraphs: paragraphs.iter().map(|text| text.to_string()).collect(),
        link: link.map(|(href, text)| (href.to_string(), text.to_string())),
    };
    render(&page, status, token, state)
}

/// The answer to a form whose CSRF token does not match: nothing is saved.
pub fn expired_form(state: &AppState, token: &FormToken, back: &str) -> Response {
    message(
        state,
        token,
        StatusCode::FORBIDDEN,
        "Your form has expired",
        &[
            "For your security, forms stop working after a while or when cookies are turned off. Nothing was saved.",
            "Go back, then fill in the form again.",
        ],
        Some((back, "Go back")),
    )
}

/// A posted form whose `csrf_token` field matches the page's CSRF cookie. A form that does not
/// goes no further: nothing is saved, and the browser is shown "Your form has expired" with a
/// link back to the page the form was posted to (the request's path). Put it last, as the body
/// extractor; a form that cannot be read is refused as `axum::Form` refuses it.
pub struct CheckedForm(pub Fields);

impl FromRequest<AppState> for CheckedForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let Ok(token) = FormToken::from_request_parts(&mut parts, state).await;
        let back = parts.uri.path().to_string();
        let Form(fields) = Form::<Fields>::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        if token.accepts(field(&fields, "csrf_token")) {
            Ok(CheckedForm(fields))
        } else {
            Err(expired_form(state, &token, &back))
        }
    }
}

/// Errors of page handlers: shown as pages, not JSON.
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        PageError(error)
    }
}

impl From<store::StoreError> for PageError {
    fn from(error: store::StoreError) -> Self {
        PageError(AppError::from(error))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        if status.is_server_error() {
            tracing::error!(error = %self.0, "page failed");
        }
        let (heading, paragraphs) = match status {
            StatusCode::NOT_FOUND => (
                "Page not found",
                vec!["If you typed the web address, check it is correct. If you followed a link, it may be out of date.".to_string()],
            ),
            StatusCode::TOO_MANY_REQUESTS => (
                "Please wait a moment",
                self.0.details().into_iter().take(1).map(|detail| detail.detail).collect(),
            ),
            status if status.is_server_error() => (
                "Sorry, there is a problem with the service",
                vec!["Try again later. Answers you have already saved are safe.".to_string()],
            ),
            // Every problem, one a paragraph (a definition may have several).
            _ => (
                "There is a problem",
                self.0.details().into_iter().map(|detail| detail.detail).collect(),
            ),
        };
        let page = MessagePage {
            layout: Layout {
                title: heading.to_string(),
                ..Layout::default()
            },
            heading: heading.to_string(),
            paragraphs,
            link: Some(("/".to_string(), "Go to the start".to_string())),
        };
        match page.render() {
            Ok(html) => (status, axum::response::Html(html)).into_response(),
            Err(_) => self.0.into_response(),
        }
    }
}

/// The page result type.
pub type PageResult = Result<Response, PageError>;

/// Serves the stylesheet.
pub async fn style() -> Response {
    static_file(STYLE, "text/css; charset=utf-8")
}

/// Serves the script.
pub async fn script() -> Response {
    static_file(SCRIPT, "text/javascript; charset=utf-8")
}

fn static_file(body: &'static str, content_type: &'static str) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    (headers, body).into_response()
}
