//! Bodies, query strings and paths read strictly, each refusal in the error shape naming the
//! field to blame: a JSON body must be one object, with every key once and only the fields its
//! type knows; a query string only the parameters its type knows; a path valid UTF-8.

use std::cell::RefCell;
use std::fmt;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{AppError, ErrorDetail};

/// The longest field path or key quoted back in an error.
const MAX_QUOTED: usize = 80;
/// The longest message of a parser quoted back in an error (it may quote a key).
const MAX_MESSAGE: usize = 400;

/// A JSON body of type `T`, read strictly: `Content-Type: application/json` (else 415), valid
/// JSON (else 400), one object (else 422), no key twice at any depth (else 422 naming the key),
/// and nothing `T` does not know (`T` denies unknown fields: 422 naming the field). A body over
/// the limit is a 413. Every refusal is an [`AppError`], so it has the `{"errors": [...]}`
/// shape.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        if !is_json(request.headers()) {
            return Err(AppError::Invalid {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                details: vec![ErrorDetail {
                    detail: "send the body as JSON with `Content-Type: application/json`"
                        .to_string(),
                    field: Some("Content-Type".to_string()),
                }],
            });
        }
        let bytes = Bytes::from_request(request, state).await?;
        let object = read_object(&bytes)?;
        from_value(Value::Object(object)).map(ApiJson)
    }
}

/// A text body (a definition): valid UTF-8 (else 400 naming `body`), and within the limit
/// (else 413), each refusal in the error shape.
#[derive(Debug, Clone, Default)]
pub struct ApiText(pub String);

impl<S: Send + Sync> FromRequest<S> for ApiText {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let bytes = Bytes::from_request(request, state).await?;
        String::from_utf8(bytes.to_vec())
            .map(ApiText)
            .map_err(|error| AppError::Invalid {
                status: StatusCode::BAD_REQUEST,
                details: vec![ErrorDetail {
                    detail: format!(
                        "the body is not UTF-8 text (the first byte that is not is at offset {}): \
                         save the definition as UTF-8",
                        error.utf8_error().valid_up_to()
                    ),
                    field: Some("body".to_string()),
                }],
            })
    }
}

/// Path parameters whose refusals (such as invalid UTF-8 after percent-decoding) are 400s in
/// the error shape naming the parameter.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

/// A query string of type `T` (a key may repeat for a list: `?method=a&method=b`); a
/// parameter that is unknown, missing or not of its type is a 400 naming it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        let query = parts.uri.query().unwrap_or_default();
        refuse_empty_values(query)?;
        let deserializer = serde_html_form::Deserializer::from_bytes(query.as_bytes());
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|error| {
                let path = error.path().to_string();
                let message = error.into_inner().to_string();
                let field = blamed_field(&path, &message);
                AppError::Invalid {
                    status: StatusCode::BAD_REQUEST,
                    details: vec![ErrorDetail {
                        detail: match &field {
                            Some(field) => format!(
                                "the query parameter `{}` is not right: {}",
                                shorten(field),
                                shorten_message(&message)
                            ),
                            None => format!(
                                "the query string is not valid: {}",
                                shorten_message(&message)
                            ),
                        },
                        field,
                    }],
                }
            })
    }
}

/// Refuses a query parameter given with no value (`?k=`): the form reader would take it for a
/// parameter left out, so `?bootstrap=` would quietly mean no bootstrap. Leave the parameter
/// out instead, or give it a value.
fn refuse_empty_values(query: &str) -> Result<(), AppError> {
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if value.is_empty() {
            let key = shorten(key);
            return Err(AppError::Invalid {
                status: StatusCode::BAD_REQUEST,
                details: vec![ErrorDetail {
                    detail: format!(
                        "the query parameter `{key}` has no value: leave it out, or give it one"
                    ),
                    field: Some(key),
                }],
            });
        }
    }
    Ok(())
}

/// Whether the headers say the body is JSON (`application/json`, or `application/...+json`).
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads a JSON body that must be one object, refusing a key given twice anywhere in it
/// (serde_json would keep the last silently).
///
/// # Errors
/// 400 for bytes that are not JSON; 422 for a key given twice (naming it) or a body that is not
/// an object.
pub fn read_object(bytes: &[u8]) -> Result<Map<String, Value>, AppError> {
    let duplicate = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let read = UniqueKeys {
        path: String::new(),
        duplicate: &duplicate,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    match read {
        Ok(Value::Object(object)) => Ok(object),
        Ok(other) => Err(AppError::unprocessable(format!(
            "the body must be a JSON object (`{{...}}`) with the fields this address takes, not {}",
            kind_of(&other)
        ))),
        Err(error) => match duplicate.into_inner() {
            Some(path) => Err(AppError::field(
                shorten(&path),
                format!("`{}` is given twice: give each field once", shorten(&path)),
            )),
            None => Err(AppError::bad_request(format!(
                "the body is not valid JSON: {error}"
            ))),
        },
    }
}

/// Reads `T` from a JSON value, naming the field to blame: the field of the wrong type, the
/// unknown field, or the missing one.
///
/// # Errors
/// 422 naming the field when there is one.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, AppError> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        match blamed_field(&path, &message) {
            Some(field) => {
                let detail = format!("`{}`: {}", shorten(&field), shorten_message(&message));
                AppError::field(shorten(&field), detail)
            }
            None => AppError::unprocessable(format!(
                "the body does not have the expected fields: {}",
                shorten_message(&message)
            )),
        }
    })
}

/// The field a deserialization error is about: its path, or for a missing field (whose error
/// is raised by the object holding it) the path of the field itself.
fn blamed_field(path: &str, message: &str) -> Option<String> {
    let at_root = path.is_empty() || path == ".";
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name);
    match (at_root, missing) {
        (true, Some(name)) => Some(name.to_string()),
        (false, Some(name)) => Some(format!("{path}.{name}")),
        (false, None) => Some(path.to_string()),
        (true, None) => None,
    }
}

/// What a JSON value is, in words.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `text` cut to [`MAX_QUOTED`] characters, with `…` when cut.
fn shorten(text: &str) -> String {
    cut(text, MAX_QUOTED)
}

/// A parser's message cut to [`MAX_MESSAGE`] characters, with `…` when cut.
fn shorten_message(text: &str) -> String {
    cut(text, MAX_MESSAGE)
}

fn cut(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        return text.to_string();
    }
    let mut short: String = text.chars().take(most).collect();
    short.push('…');
    short
}

/// Reads any JSON value, noting the path of the first key given twice in `duplicate` and
/// failing there.
struct UniqueKeys<'a> {
    /// Where this value is, as `a.b[2]` (empty at the top).
    path: String,
    /// The path of a key given twice, once found.
    duplicate: &'a RefCell<Option<String>>,
}

impl UniqueKeys<'_> {
    fn at(&self, path: String) -> UniqueKeys<'_> {
        UniqueKeys {
            path,
            duplicate: self.duplicate,
        }
    }
}

impl<'de> DeserializeSeed<'de> for UniqueKeys<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_string()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut values = Vec::new();
        while let Some(value) =
            access.next_element_seed(self.at(format!("{}[{}]", self.path, values.len())))?
        {
            values.push(value);
        }
        Ok(Value::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            if object.contains_key(&key) {
                *self.duplicate.borrow_mut() = Some(path);
                return Err(de::Error::custom("a key is given twice"));
            }
            let value = access.next_value_seed(self.at(path))?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

impl From<BytesRejection> for AppError {
    fn from(rejection: BytesRejection) -> AppError {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::Invalid {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                details: vec![ErrorDetail {
                    detail: "the body is larger than this address takes: send less".to_string(),
                    field: Some("body".to_string()),
                }],
            }
        } else {
            AppError::bad_request(format!(
                "the body could not be read: {}",
                rejection.body_text()
            ))
        }
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> AppError {
        use axum::extract::path::ErrorKind;
        let field = match &rejection {
            PathRejection::FailedToDeserializePathParams(error) => match error.kind() {
                ErrorKind::InvalidUtf8InPathParam { key }
                | ErrorKind::ParseErrorAtKey { key, .. } => Some(key.clone()),
                _ => None,
            },
            _ => None,
        };
        AppError::Invalid {
            status: StatusCode::BAD_REQUEST,
            details: vec![ErrorDetail {
                detail: format!("the address is not valid: {}", rejection.body_text()),
                field,
            }],
        }
    }
}

#[cfg(test)]
mod tests;
