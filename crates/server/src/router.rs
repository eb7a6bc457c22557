//! Every route of the service, in one place.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post, put};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;

use crate::AppState;
use crate::error::AppError;
use crate::handlers::{exercises, respondents, responses, results, sessions};
use crate::openapi::ApiDoc;
use crate::security::with_security_headers;

async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

async fn health() -> &'static str {
    "ok\n"
}

async fn not_found() -> AppError {
    AppError::NotFound(
        "there is nothing at this address; the API is under /api/v1/ (see /api/v1/openapi.json)"
            .to_string(),
    )
}

/// The whole service: API, and the security headers, limits and tracing around it.
pub fn app(state: AppState) -> Router {
    let definition_limit = state.settings.max_definition_bytes;
    let body_limit = state.settings.max_body_bytes;
    let api = Router::new()
        .route("/openapi.json", get(openapi_json))
        .route("/exercises", get(exercises::list))
        .route(
            "/exercises/{exercise}",
            get(exercises::show)
                .put(exercises::put)
                .layer(DefaultBodyLimit::max(definition_limit)),
        )
        .route(
            "/exercises/{exercise}/respondents",
            post(respondents::create),
        )
        .route(
            "/exercises/{exercise}/respondents/{respondent}",
            get(respondents::show),
        )
        .route("/exercises/{exercise}/resume", post(respondents::resume))
        .route(
            "/exercises/{exercise}/rounds/{round}/responses/{respondent}",
            put(responses::put).get(responses::show),
        )
        .route(
            "/exercises/{exercise}/rounds/{round}/pair",
            get(responses::pair),
        )
        .route(
            "/exercises/{exercise}/rounds/{round}/open",
            post(exercises::open_round),
        )
        .route(
            "/exercises/{exercise}/rounds/{round}/close",
            post(exercises::close_round),
        )
        .route(
            "/exercises/{exercise}/rounds/{round}/responses.csv",
            get(results::responses_csv),
        )
        .route(
            "/exercises/{exercise}/rounds/{round}/results",
            get(results::results),
        )
        .route(
            "/exercises/{exercise}/invites",
            post(exercises::create_invites),
        )
        .route(
            "/exercises/{exercise}/participation",
            get(exercises::participation),
        )
        .route("/audit", get(exercises::audit))
        .route(
            "/sessions",
            post(sessions::sign_in).delete(sessions::sign_out),
        )
        .fallback(not_found)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let router = Router::new()
        .nest("/api/v1", api)
        .route("/health", get(health))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state);
    with_security_headers(router)
        .layer(CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(AppError::Internal(
                "a request handler panicked".to_string(),
            ))
        }))
        .layer(TraceLayer::new_for_http())
}
