//! Every route of the service, in one place.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::{get, patch, post, put};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::AppState;
use crate::error::{AppError, json_error_shape};
use crate::handlers::{
    curation, curation_bulk, exercises, members, respondents, responses, results, schedule,
    sessions,
};
use crate::pages::{self, admin, stakeholder};
use crate::publish;
use crate::security::{request_span, with_security_headers};

async fn openapi_json(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(crate::openapi::document(&state.settings))
}

async fn health() -> &'static str {
    "ok\n"
}

async fn page_not_found() -> pages::PageError {
    pages::PageError(AppError::NotFound("no such page".to_string()))
}

async fn not_found() -> AppError {
    AppError::NotFound(
        "there is nothing at this address; the API is under /api/v1/ (see /api/v1/openapi.json)"
            .to_string(),
    )
}

/// The whole service: API, and the security headers, limits and tracing around it.
pub fn app(state: AppState) -> Router {
    let settings = state.settings.clone();
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
            "/exercises/{exercise}/rounds/{round}/feedback",
            get(crate::feedback::feedback),
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
            "/exercises/{exercise}/rounds/{round}/schedule",
            put(schedule::set_schedule),
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
            "/exercises/{exercise}/rounds/{round}/publication",
            post(publish::api::publish),
        )
        .route(
            "/exercises/{exercise}/publication",
            get(publish::api::show).delete(publish::api::unpublish),
        )
        .route(
            "/exercises/{exercise}/rounds/{round}/curation",
            get(curation::show),
        )
        .route(
            "/exercises/{exercise}/rounds/{round}/curation.csv",
            get(curation::csv),
        )
        .route(
            "/exercises/{exercise}/rounds/{round}/curation/accept",
            post(curation::accept),
        )
        .route(
            "/exercises/{exercise}/rounds/{round}/curation/groups/merge",
            post(curation::merge),
        )
        .route(
            "/exercises/{exercise}/rounds/{round}/curation/groups/split",
            post(curation::split),
        )
        .route(
            "/exercises/{exercise}/rounds/{round}/curation/items",
            post(curation::create_item),
        )
        .route(
            "/exercises/{exercise}/rounds/{round}/curation/decisions",
            post(curation_bulk::decide),
        )
        .route(
            "/exercises/{exercise}/rounds/{round}/curation/{suggestion}",
            put(curation::decide),
        )
        .route(
            "/exercises/{exercise}/rounds/{round}/curation/{suggestion}/review",
            put(curation_bulk::review),
        )
        .route(
            "/exercises/{exercise}/items/{item}",
            patch(curation::change_item),
        )
        .route("/exercises/{exercise}/audit.csv", get(curation::audit_csv))
        .route(
            "/exercises/{exercise}/rounds/{round}/shortlist",
            get(curation::shortlist_preview).post(curation::shortlist),
        )
        .route(
            "/exercises/{exercise}/invites",
            post(exercises::create_invites),
        )
        .route(
            "/exercises/{exercise}/participation",
            get(exercises::participation),
        )
        .route(
            "/exercises/{exercise}/members",
            get(members::list).post(members::invite),
        )
        .route(
            "/exercises/{exercise}/members/{email}",
            put(members::set_role).delete(members::remove),
        )
        .route("/exercises/{exercise}/access", put(members::set_access))
        .route("/audit", get(exercises::audit))
        .route(
            "/sessions",
            post(sessions::sign_in).delete(sessions::sign_out),
        )
        .fallback(not_found)
        .layer(axum::middleware::map_response(json_error_shape))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let stakeholder_pages = Router::new()
        .route("/", get(stakeholder::index))
        .route("/e/{exercise}", get(stakeholder::exercise_page))
        .route(
            "/e/{exercise}/start",
            get(stakeholder::start).post(stakeholder::start_post),
        )
        .route("/e/{exercise}/started", get(stakeholder::started))
        .route(
            "/e/{exercise}/resume",
            get(stakeholder::resume).post(stakeholder::resume_post),
        )
        .route("/e/{exercise}/saved", get(stakeholder::saved))
        .route(
            "/e/{exercise}/r/{round}",
            get(stakeholder::round).post(stakeholder::round_post),
        )
        .route(
            "/e/{exercise}/r/{round}/check",
            get(stakeholder::check).post(stakeholder::check_post),
        )
        .route("/e/{exercise}/r/{round}/done", get(stakeholder::done))
        .route("/e/{exercise}/results", get(publish::pages::results))
        .route(
            "/e/{exercise}/results/easy-read",
            get(publish::pages::easy_read),
        )
        .route("/e/{exercise}/results/report", get(publish::pages::report));
    let admin_pages = Router::new()
        .route("/admin", get(admin::dashboard))
        .route(
            "/admin/e/{exercise}/r/{round}/curate",
            get(admin::curation::curate).post(admin::curation::curate_post),
        )
        .route(
            "/admin/e/{exercise}/r/{round}/curate/accept",
            get(admin::curation::accept_page).post(admin::curation::accept_post),
        )
        .route(
            "/admin/e/{exercise}/r/{round}/curate/groups/{number}",
            get(admin::curation::group_page).post(admin::curation::group_post),
        )
        .route(
            "/admin/e/{exercise}/items/{item}",
            get(admin::curation::item).post(admin::curation::item_post),
        )
        .route(
            "/admin/e/{exercise}/r/{round}/shortlist",
            get(admin::curation::shortlist).post(admin::curation::shortlist_post),
        )
        .route(
            "/admin/sign-in",
            get(admin::sign_in).post(admin::sign_in_post),
        )
        .route("/admin/sign-out", post(admin::sign_out))
        .route(
            "/admin/new",
            get(admin::new_exercise)
                .post(admin::new_exercise_post)
                .layer(DefaultBodyLimit::max(definition_limit)),
        )
        .route("/admin/e/{exercise}", get(admin::exercise))
        .route(
            "/admin/e/{exercise}/definition",
            get(admin::definition)
                .post(admin::definition_post)
                .layer(DefaultBodyLimit::max(definition_limit)),
        )
        .route(
            "/admin/e/{exercise}/r/{round}/open",
            get(admin::open_round_confirm).post(admin::open_round),
        )
        .route(
            "/admin/e/{exercise}/r/{round}/close",
            get(admin::close_round_confirm).post(admin::close_round),
        )
        .route(
            "/admin/e/{exercise}/r/{round}/schedule",
            post(admin::schedule_round),
        )
        .route("/admin/e/{exercise}/invites", post(admin::invites))
        .route(
            "/admin/e/{exercise}/people",
            get(admin::people).post(admin::people_post),
        )
        .route(
            "/admin/join/{token}",
            get(admin::join).post(admin::join_post),
        )
        .route("/admin/e/{exercise}/report", get(admin::report))
        .route(
            "/admin/e/{exercise}/publish",
            get(publish::pages::publish_get).post(publish::pages::publish_post),
        )
        .route(
            "/admin/e/{exercise}/unpublish",
            post(publish::pages::unpublish_post),
        )
        .route("/admin/e/{exercise}/r/{round}/results", get(admin::results))
        .route(
            "/admin/e/{exercise}/r/{round}/responses.csv",
            get(admin::responses_csv),
        );
    let router = Router::new()
        .nest("/api/v1", api)
        .merge(stakeholder_pages)
        .merge(admin_pages)
        .route("/static/style.css", get(pages::style))
        .route("/static/app.js", get(pages::script))
        .route("/health", get(health))
        .fallback(page_not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state);
    with_security_headers(router, &settings)
        .layer(CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(AppError::Internal(
                "a request handler panicked".to_string(),
            ))
        }))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
}
