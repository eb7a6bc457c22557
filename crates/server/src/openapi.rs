//! The API description, served at `/api/v1/openapi.json`.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::{ErrorBody, ErrorDetail};
use crate::handlers::{curation, exercises, respondents, responses, results, sessions};

/// The OpenAPI document of `/api/v1/`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "prioritise",
        description = "Research priority-setting exercises: exercises and rounds, respondents and their answers, and (for research leads) administration, exports and results. Errors are `{\"errors\":[{\"detail\":\"...\"}]}`.",
    ),
    paths(
        exercises::list,
        exercises::show,
        exercises::put,
        exercises::open_round,
        exercises::close_round,
        exercises::create_invites,
        exercises::participation,
        exercises::audit,
        respondents::create,
        respondents::resume,
        respondents::show,
        responses::put,
        responses::show,
        responses::pair,
        crate::feedback::feedback,
        results::responses_csv,
        results::results,
        curation::show,
        curation::csv,
        curation::decide,
        curation::accept,
        curation::create_item,
        curation::change_item,
        curation::shortlist_preview,
        curation::shortlist,
        curation::audit_csv,
        sessions::sign_in,
        sessions::sign_out,
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&Security),
    tags(
        (name = "exercises", description = "Exercises and their rounds"),
        (name = "respondents", description = "Taking part: starting, resuming, answering"),
        (name = "admin", description = "Research leads: bearer token or signed-in session (with X-CSRF-Token on changes)"),
        (name = "curation", description = "Research leads: suggestions into items, evidence, and shortlists for the next round"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
    }
}
