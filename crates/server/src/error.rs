//! Errors of the service as HTTP responses: `{"errors":[{"detail":"...","field":"..."}]}`
//! (DESIGN.md). `json.rs` reads bodies, query strings and paths strictly, each refusal in this
//! shape; `shape.rs` gives the same shape to error answers the handlers do not make.
//!
//! A 4xx says exactly what to fix; a 5xx is logged with its detail and says only that
//! something went wrong, so that nothing internal leaks to a client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use store::StoreError;
use utoipa::ToSchema;

mod json;
mod shape;

pub use json::{ApiJson, ApiPath, ApiQuery, ApiText, from_value, read_object};
pub use shape::json_error_shape;

/// One problem, with the field it concerns when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// What is wrong and what to do about it.
    pub detail: String,
    /// The field of the request body or form, the query or path parameter, or the header the
    /// problem is in, such as `ranking[3]`; absent when no one field is to blame.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub field: Option<String>,
}

/// The body of every error response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The problems, at least one.
    #[schema(min_items = 1)]
    pub errors: Vec<ErrorDetail>,
}

/// The body of a 409 refusing decisions made from a proposal version that has since moved for
/// the suggestions concerned: the usual errors, and what moved.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProposalConflict {
    /// The problem, one.
    pub errors: Vec<ErrorDetail>,
    /// The proposal version the decisions were made from.
    pub seen: i64,
    /// The current version.
    pub current: i64,
    /// The suggestions whose proposal moved, with the item proposed before and after.
    pub changes: Vec<survey::curation::ProposalChange>,
}

/// An error of a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request cannot be understood or is not acceptable (400 or 422), with every problem.
    #[error("{}", .details.iter().map(|detail| detail.detail.as_str()).collect::<Vec<_>>().join("; "))]
    Invalid {
        /// 400 for malformed requests, 422 for well-formed ones that break a rule.
        status: StatusCode,
        /// The problems.
        details: Vec<ErrorDetail>,
    },
    /// Nothing at this address (404).
    #[error("{0}")]
    NotFound(String),
    /// The request conflicts with the state of things, such as a closed round (409).
    #[error("{0}")]
    Conflict(String),
    /// Decisions made from a proposal that has since moved for the suggestions concerned
    /// (409), with the differences; nothing was applied.
    #[error("{}", .0.errors.first().map_or("", |error| error.detail.as_str()))]
    ProposalMoved(Box<ProposalConflict>),
    /// Sign-in is needed (401).
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in, or not, but not allowed (403).
    #[error("{0}")]
    Forbidden(String),
    /// Too many requests from this client (429).
    #[error("too many requests: wait {retry_after} seconds and try again")]
    TooManyRequests {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// Something went wrong on our side (500); the detail is logged, not shown.
    #[error("{0}")]
    Internal(String),
    /// The service is shutting down or overloaded (503).
    #[error("the service is not available just now: try again in a moment")]
    Unavailable,
}

impl AppError {
    /// A 422 with one problem in one field.
    pub fn field(field: impl Into<String>, detail: impl Into<String>) -> AppError {
        AppError::Invalid {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            details: vec![ErrorDetail {
                detail: detail.into(),
                field: Some(field.into()),
            }],
        }
    }

    /// A 422 with one problem not tied to a field.
    pub fn unprocessable(detail: impl Into<String>) -> AppError {
        AppError::Invalid {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            details: vec![ErrorDetail {
                detail: detail.into(),
                field: None,
            }],
        }
    }

    /// A 400 with one problem.
    pub fn bad_request(detail: impl Into<String>) -> AppError {
        AppError::Invalid {
            status: StatusCode::BAD_REQUEST,
            details: vec![ErrorDetail {
                detail: detail.into(),
                field: None,
            }],
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid { status, .. } => *status,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) | AppError::ProposalMoved(_) => StatusCode::CONFLICT,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The problems as shown to the client.
    pub fn details(&self) -> Vec<ErrorDetail> {
        match self {
            AppError::Invalid { details, .. } => details.clone(),
            AppError::Internal(_) => vec![ErrorDetail {
                detail: "something went wrong on our side; your last change may not have been \
                         saved, so please try again"
                    .to_string(),
                field: None,
            }],
            other => vec![ErrorDetail {
                detail: other.to_string(),
                field: None,
            }],
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        if let AppError::ProposalMoved(conflict) = self {
            return (status, axum::Json(*conflict)).into_response();
        }
        let mut response = (
            status,
            axum::Json(ErrorBody {
                errors: self.details(),
            }),
        )
            .into_response();
        if let AppError::TooManyRequests { retry_after } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"prioritise\""),
            );
        }
        response
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        match error {
            StoreError::UnknownExercise(_)
            | StoreError::UnknownRound { .. }
            | StoreError::UnknownRespondent(_) => AppError::NotFound(error.to_string()),
            StoreError::UnknownGroup { .. } => AppError::field("group", error.to_string()),
            StoreError::InviteRequired(_) => AppError::field("invite", error.to_string()),
            StoreError::InviteNotValid => AppError::Forbidden(error.to_string()),
            StoreError::RoundNotOpen { .. } => AppError::Conflict(error.to_string()),
            StoreError::Answer(errors) => {
                let mut details: Vec<ErrorDetail> = errors
                    .errors
                    .into_iter()
                    .map(|problem| ErrorDetail {
                        detail: format!("`{}`: {}", problem.field, problem.message),
                        field: Some(problem.field),
                    })
                    .collect();
                if errors.more > 0 {
                    details.push(ErrorDetail {
                        detail: format!("and {} more problems", errors.more),
                        field: None,
                    });
                }
                AppError::Invalid {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    details,
                }
            }
            StoreError::Definition(errors) => AppError::Invalid {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                details: errors
                    .0
                    .iter()
                    .map(|problem| ErrorDetail {
                        detail: problem.to_string(),
                        field: problem.line.map(|line| format!("line {line}")),
                    })
                    .collect(),
            },
            StoreError::IdempotencyConflict(_) => {
                AppError::field("Idempotency-Key", error.to_string())
            }
            StoreError::IdempotencyKeyLength => {
                AppError::field("Idempotency-Key", error.to_string())
            }
            StoreError::AdminExists(_) => AppError::Conflict(error.to_string()),
            StoreError::InviteCount(_) => AppError::field("count", error.to_string()),
            StoreError::WriterGone => AppError::Unavailable,
            StoreError::BackupExists(_) => AppError::Conflict(error.to_string()),
            StoreError::VersionConflict { .. } | StoreError::RoundNotReady(_) => {
                AppError::Conflict(error.to_string())
            }
            StoreError::UnknownAccount(_) => AppError::field("email", error.to_string()),
            StoreError::NotAnEmail(_) => AppError::field("email", error.to_string()),
            StoreError::OwnsEveryExercise(_) => AppError::Conflict(error.to_string()),
            StoreError::InvitationNotValid => AppError::NotFound(error.to_string()),
            StoreError::PasswordRequired => AppError::field("password", error.to_string()),
            StoreError::NotPublished(_) => AppError::NotFound(error.to_string()),
            StoreError::NotDecided(_) => AppError::field("suggestions", error.to_string()),
            StoreError::SelfReview { .. } => AppError::Conflict(error.to_string()),
            StoreError::ScheduleOrder { .. } => AppError::field("closes_at", error.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<survey::edit::EditError> for AppError {
    fn from(error: survey::edit::EditError) -> AppError {
        use survey::edit::EditError;
        match error {
            EditError::UnknownItem(_) | EditError::UnknownRound(_) => {
                AppError::NotFound(error.to_string())
            }
            EditError::ItemExists(_) => AppError::field("id", error.to_string()),
            EditError::Empty(field) => AppError::field(field, error.to_string()),
            EditError::Invalid(errors) => AppError::from(StoreError::Definition(errors)),
            EditError::Syntax(_) => AppError::Internal(error.to_string()),
        }
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(error: tokio::task::JoinError) -> AppError {
        AppError::Internal(format!("a background task failed: {error}"))
    }
}

/// Query strings that may repeat a key (`?method=a&method=b`), read as [`ApiQuery`] reads them;
/// the name says at the handler that a list is expected.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiListQuery<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiListQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, AppError> {
        let ApiQuery(query) =
            <ApiQuery<T> as axum::extract::FromRequestParts<S>>::from_request_parts(parts, state)
                .await?;
        Ok(ApiListQuery(query))
    }
}
