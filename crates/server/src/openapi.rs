//! The API description, served at `/api/v1/openapi.json`: the operations' annotations, then
//! the answers every operation can give by its shape (`contract.rs`), an example of each
//! operation (`examples.rs`), and the limits of the running service ([`document`]).

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::{ErrorBody, ErrorDetail};
use crate::handlers::{
    curation, curation_bulk, exercises, members, respondents, responses, results, schedule,
    sessions,
};
use crate::settings::Settings;

mod contract;
mod examples;

/// The OpenAPI document of `/api/v1/`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "prioritise",
        description = "Research priority-setting exercises: exercises and rounds, respondents and their answers, and (for research leads) administration, exports and results. Every error is `{\"errors\":[{\"detail\":\"...\",\"field\":\"...\"}]}`, `field` naming the field, parameter or header to blame when there is one. JSON bodies must be one object, with each key once and only the fields the operation takes.",
    ),
    paths(
        exercises::list,
        exercises::show,
        exercises::put,
        exercises::open_round,
        exercises::close_round,
        schedule::set_schedule,
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
        crate::publish::api::publish,
        crate::publish::api::unpublish,
        crate::publish::api::show,
        curation::show,
        curation::csv,
        curation::decide,
        curation_bulk::decide,
        curation_bulk::review,
        curation::accept,
        curation::merge,
        curation::split,
        curation::create_item,
        curation::change_item,
        curation::shortlist_preview,
        curation::shortlist,
        curation::audit_csv,
        sessions::sign_in,
        sessions::sign_out,
        members::list,
        members::invite,
        members::set_role,
        members::remove,
        members::set_access,
    ),
    components(schemas(ErrorBody, ErrorDetail, crate::error::ProposalConflict, crate::publish::api::PublicationSummary)),
    modifiers(&Security, &Contract),
    tags(
        (name = "exercises", description = "Exercises and their rounds: the list, one exercise, a new definition, opening and closing rounds, and when they open and close by themselves"),
        (name = "respondents", description = "Taking part: starting in a group, resuming with a code, invites"),
        (name = "answers", description = "Answers: saving and submitting, reading back, the next pair, Delphi feedback"),
        (name = "results", description = "Research leads: participation, exports and results; publishing results, and the published snapshot (public)"),
        (name = "curation", description = "Research leads: suggestions into items, evidence, and shortlists for the next round"),
        (name = "accounts", description = "Research leads: signing in and out, the audit log, who has which role in an exercise (owner, lead, advisory) and invitations to a role. Admin operations take `Authorization: Bearer TOKEN`, or a session cookie with `X-CSRF-Token` on changes; each checks the caller's role in the exercise (403 saying why when it does not allow the operation)"),
    )
)]
pub struct ApiDoc;

/// The document as the running service answers: [`ApiDoc`] with the limits of `settings`
/// (the most bootstrap resamples).
pub fn document(settings: &Settings) -> utoipa::openapi::OpenApi {
    let mut document = ApiDoc::openapi();
    let results = document
        .paths
        .paths
        .get_mut("/api/v1/exercises/{exercise}/rounds/{round}/results")
        .and_then(|item| item.get.as_mut());
    if let Some(parameter) = results
        .and_then(|operation| operation.parameters.as_mut())
        .and_then(|parameters| parameters.iter_mut().find(|p| p.name == "bootstrap"))
        && let Some(RefOr::T(Schema::Object(schema))) = parameter.schema.as_mut()
    {
        schema.maximum = Some(utoipa::Number::from(settings.max_bootstrap as u64));
    }
    document
}

/// Adds the answers each operation can give by its shape, and the examples.
struct Contract;

impl Modify for Contract {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            contract::add_answers(item);
            examples::add_examples(item);
        }
    }
}

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
