//! The security headers every response carries, HSTS when the service is reached over https,
//! and the `Origin` check of state-changing requests (a second line behind the CSRF tokens).

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::AppError;
use crate::pages::PageError;
use crate::settings::Settings;

/// The Content Security Policy: only this site's own resources, never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/// HSTS, sent when the public URL is `https://`: browsers use https only, for a year.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// The headers set on every response (unless a handler set them).
pub fn headers() -> Vec<(HeaderName, HeaderValue)> {
    vec![
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        // `same-origin`, not `no-referrer`: under `no-referrer` a browser sends `Origin: null`
        // with every form it posts, even to the page's own site, and the `Origin` check below
        // would refuse the service's own forms. Nothing is sent to other sites either way.
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(
                "camera=(), microphone=(), geolocation=(), interest-cohort=()",
            ),
        ),
    ]
}

/// Adds the security headers to every response of `router`, HSTS when `settings` give an
/// `https://` public URL, and the `Origin` check of state-changing requests.
pub fn with_security_headers<S: Clone + Send + Sync + 'static>(
    mut router: Router<S>,
    settings: &Settings,
) -> Router<S> {
    for (name, value) in headers() {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    if public_origin(settings).is_some_and(|origin| origin.starts_with("https://")) {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        ));
    }
    let own = public_origin(settings);
    router.layer(axum::middleware::from_fn(
        move |request: Request, next: Next| {
            let own = own.clone();
            async move { check_origin(own.as_deref(), request, next).await }
        },
    ))
}

/// The origin (`scheme://host[:port]`, lowercase, without a default port) of the configured
/// public URL.
fn public_origin(settings: &Settings) -> Option<String> {
    settings.public_url.as_deref().and_then(origin_of)
}

/// The origin of a URL or of an `Origin` header's value; `None` for `null` or anything that is
/// not an absolute http(s) address.
fn origin_of(text: &str) -> Option<String> {
    let uri: Uri = text.trim().parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let authority = uri.authority()?;
    let default_port = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => return None,
    };
    let host = authority.host().to_ascii_lowercase();
    Some(match authority.port_u16() {
        Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// Whether a request's `Origin` header, if it has one, is the service's own: the public URL's
/// origin, or the host the request was sent to (`Host`), which a browser always sets to the
/// site it is talking to, so another site's page can never match it.
pub fn same_origin(headers: &HeaderMap, own: Option<&str>) -> bool {
    let Some(value) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Some(origin) = value.to_str().ok().and_then(origin_of) else {
        return false;
    };
    if own == Some(origin.as_str()) {
        return true;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .and_then(|host| origin_of(&format!("http://{host}")));
    let authority = |origin: &str| {
        origin
            .split_once("://")
            .map(|(_, rest)| rest.to_string())
            .unwrap_or_default()
    };
    // The scheme of the request is not known behind a TLS proxy: compare host and port.
    host.is_some_and(|host| authority(&host) == authority(&origin))
}

/// Refuses a state-changing request (POST, PUT, PATCH, DELETE) whose `Origin` is another site's,
/// with a 403 in the API's JSON shape under `/api/`, else as a page.
async fn check_origin(own: Option<&str>, request: Request, next: Next) -> Response {
    let changes_state = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if !changes_state || same_origin(request.headers(), own) {
        return next.run(request).await;
    }
    let error = AppError::Forbidden(
        "the `Origin` header names another site: requests that change something must come \
         from this service's own pages"
            .to_string(),
    );
    if request.uri().path().starts_with("/api/") {
        error.into_response()
    } else {
        PageError(error).into_response()
    }
}

/// The tracing span of a request: its method and the route template it matched
/// (`/api/v1/exercises/{exercise}/rounds/{round}/responses/{respondent}`), never the path
/// itself, which holds respondent ids (capabilities), resume codes and invite tokens.
pub fn request_span(request: &Request) -> tracing::Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("(no route)", MatchedPath::as_str);
    tracing::debug_span!("request", method = %request.method(), route = %route)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn origins_are_normalised() {
        assert_eq!(
            origin_of("HTTPS://Survey.Example.org:443/path").as_deref(),
            Some("https://survey.example.org")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("ftp://example.org"), None);
    }

    #[test]
    fn only_the_services_own_origin_passes() {
        let own = Some("https://survey.example.org");
        assert!(same_origin(&HeaderMap::new(), own));
        assert!(same_origin(
            &with(&[(header::ORIGIN, "https://survey.example.org")]),
            own
        ));
        assert!(same_origin(
            &with(&[
                (header::ORIGIN, "http://127.0.0.1:8080"),
                (header::HOST, "127.0.0.1:8080")
            ]),
            own
        ));
        assert!(!same_origin(
            &with(&[
                (header::ORIGIN, "https://evil.example"),
                (header::HOST, "survey.example.org")
            ]),
            own
        ));
        assert!(!same_origin(
            &with(&[
                (header::ORIGIN, "null"),
                (header::HOST, "survey.example.org")
            ]),
            own
        ));
        assert!(!same_origin(
            &with(&[
                (header::ORIGIN, "http://127.0.0.1:9999"),
                (header::HOST, "127.0.0.1:8080")
            ]),
            None
        ));
    }
}
