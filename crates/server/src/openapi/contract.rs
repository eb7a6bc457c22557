//! The answers every operation can give beyond its own: added to the document from what the
//! operation is (admin, JSON body, text body, path or query parameters), so that no operation
//! misses one. An answer an annotation already lists keeps its own description.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};

/// Every operation of `paths`, with its method.
pub fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = (&'static str, &mut Operation)> {
    [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("patch", &mut item.patch),
        ("head", &mut item.head),
        ("options", &mut item.options),
        ("trace", &mut item.trace),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.as_mut().map(|operation| (method, operation)))
}

/// What an operation is, as far as the answers it can give go.
struct Shape {
    /// Needs the admin token or a session.
    admin: bool,
    /// Changes state (a session then needs its CSRF token).
    changes: bool,
    /// Takes a JSON body.
    json_body: bool,
    /// Takes a body that is not JSON (a definition).
    text_body: bool,
    /// Has path parameters.
    path: bool,
    /// Has query parameters.
    query: bool,
}

impl Shape {
    fn of(method: &str, operation: &Operation) -> Shape {
        let parameters = operation.parameters.as_deref().unwrap_or_default();
        let body_types: Vec<&String> = operation
            .request_body
            .iter()
            .flat_map(|body| body.content.keys())
            .collect();
        Shape {
            admin: operation
                .security
                .as_ref()
                .is_some_and(|security| !security.is_empty()),
            changes: !matches!(method, "get" | "head" | "options"),
            json_body: body_types.iter().any(|kind| kind.contains("json")),
            text_body: body_types.iter().any(|kind| !kind.contains("json")),
            path: parameters
                .iter()
                .any(|parameter| parameter.parameter_in == ParameterIn::Path),
            query: parameters
                .iter()
                .any(|parameter| parameter.parameter_in == ParameterIn::Query),
        }
    }

    /// The statuses this shape can answer with, each with why.
    fn answers(&self) -> Vec<(&'static str, String)> {
        let mut bad_request = Vec::new();
        if self.json_body {
            bad_request.push("the body is not valid JSON");
        }
        if self.text_body {
            bad_request.push("the body is not UTF-8 text (`field` is `body`)");
        }
        if self.query {
            bad_request.push(
                "a query parameter is unknown, missing or not of its type (`field` names it)",
            );
        }
        if self.path {
            bad_request.push("a path parameter is not valid UTF-8 (`field` names it)");
        }
        let mut answers = Vec::new();
        if !bad_request.is_empty() {
            answers.push((
                "400",
                format!("The request is malformed: {}", bad_request.join("; ")),
            ));
        }
        if self.admin {
            answers.push((
                "401",
                "No admin token or session, or a wrong one (`WWW-Authenticate: Bearer`)"
                    .to_string(),
            ));
            answers.push((
                "403",
                if self.changes {
                    "Signed in with a session but without its `X-CSRF-Token` header, or the caller's role does not allow this (the detail says why)"
                } else {
                    "The caller's role does not allow this (the detail says why)"
                }
                .to_string(),
            ));
            answers.push((
                "429",
                "Too many failed attempts to authenticate from this address: wait `Retry-After` seconds"
                    .to_string(),
            ));
        }
        if self.path {
            answers.push(("404", "Nothing at this address: no such exercise, or no such round, respondent or item in it".to_string()));
        }
        if self.json_body || self.text_body {
            answers.push((
                "413",
                "The body is larger than the service takes (`field` is `body`)".to_string(),
            ));
        }
        if self.json_body {
            answers.push(("415", "The body is not sent as `Content-Type: application/json` (`field` is `Content-Type`)".to_string()));
            answers.push((
                "422",
                "The body is not one JSON object, gives a key twice, has a field this operation does not take, or breaks a rule: each error names its `field`".to_string(),
            ));
        }
        if self.changes {
            answers.push((
                "503",
                "The service is shutting down: try again in a moment".to_string(),
            ));
        }
        answers
    }
}

/// An answer with the error body.
pub fn error_response(description: impl Into<String>) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(Ref::from_schema_name("ErrorBody"))))
                .build(),
        )
        .build()
}

/// Adds to every operation the answers its shape can give that it does not list yet, and the
/// headers of a 401 (`WWW-Authenticate`) and a 429 (`Retry-After`) to every one.
pub fn add_answers(item: &mut PathItem) {
    for (method, operation) in operations_mut(item) {
        let shape = Shape::of(method, operation);
        for (status, description) in shape.answers() {
            operation
                .responses
                .responses
                .entry(status.to_string())
                .or_insert_with(|| RefOr::T(error_response(description)));
        }
        for (status, response) in &mut operation.responses.responses {
            let RefOr::T(response) = response else {
                continue;
            };
            match status.as_str() {
                "401" => add_header(
                    response,
                    "WWW-Authenticate",
                    Type::String,
                    "`Bearer realm=\"prioritise\"`",
                ),
                "429" => add_header(
                    response,
                    "Retry-After",
                    Type::Integer,
                    "Seconds to wait before trying again",
                ),
                _ => {}
            }
        }
    }
}

fn add_header(response: &mut Response, name: &str, kind: Type, description: &str) {
    response.headers.entry(name.to_string()).or_insert_with(|| {
        HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(kind).build())
            .description(Some(description))
            .build()
    });
}
