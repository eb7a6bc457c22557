//! The error shape for answers the handlers do not make: an error answer of the API that is not
//! JSON (a method the address does not take, a rejection of an extractor outside
//! [`crate::error`]) is rewritten as `{"errors": [{"detail"}]}`, keeping its status and headers.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use super::json::is_json;
use super::{ErrorBody, ErrorDetail};

/// The most of a plain-text error body read to quote it as the detail.
const MAX_TEXT: usize = 4 * 1024;

/// Gives an error answer that is not JSON the JSON error shape (a `map_response` layer of the
/// API's router). A 5xx never quotes its text, which may hold internals.
pub async fn json_error_shape(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(response.headers()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, MAX_TEXT)
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string())
        .unwrap_or_default();
    let detail = if status.is_server_error() || text.is_empty() {
        in_words(status)
    } else {
        text
    };
    let body = ErrorBody {
        errors: vec![ErrorDetail {
            detail,
            field: None,
        }],
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(bytes))
}

/// What a status means, for an answer that came without a text.
fn in_words(status: StatusCode) -> String {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            "this address does not take that method: the `Allow` header lists those it takes"
                .to_string()
        }
        StatusCode::PAYLOAD_TOO_LARGE => "the body is larger than this address takes".to_string(),
        status if status.is_server_error() => {
            "something went wrong on our side; please try again".to_string()
        }
        status => status
            .canonical_reason()
            .unwrap_or("the request was refused")
            .to_lowercase(),
    }
}
