//! Definitions: a new exercise, and editing one with errors at their line.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::{AdminPageResult, AdminRejection, SignedIn, admin_layout, check_form};
use crate::AppState;
use crate::access::{Permission, require_all_exercises};
use crate::handlers::exercises::stored_exercise;
use crate::pages::{FieldError, Fields, FormToken, Layout, PageResult, field, render, see_other};

// ---------------------------------------------------------------------------------------------
// Definitions.

#[derive(Template)]
#[template(path = "admin/definition.html")]
struct DefinitionPage {
    layout: Layout,
    heading: String,
    action: String,
    back: String,
    text: String,
    errors: Vec<FieldError>,
}

/// `GET /admin/e/{exercise}/definition`.
pub async fn definition(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    state.authorize(&admin, &id, Permission::Run).await?;
    let stored = stored_exercise(&state, &id).await?;
    let page = DefinitionPage {
        layout: admin_layout("Edit the definition", &token, &admin, false),
        heading: format!("Edit the definition of “{}”", stored.exercise.title),
        action: format!("/admin/e/{id}/definition"),
        back: format!("/admin/e/{id}"),
        text: stored.source,
        errors: Vec::new(),
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `GET /admin/new`: a new exercise from a definition.
pub async fn new_exercise(
    State(state): State<AppState>,
    token: FormToken,
    SignedIn(admin): SignedIn,
) -> PageResult {
    require_all_exercises(&admin)?;
    let page = DefinitionPage {
        layout: admin_layout("Add an exercise", &token, &admin, false),
        heading: "Add an exercise".to_string(),
        action: "/admin/new".to_string(),
        back: "/admin".to_string(),
        text: String::new(),
        errors: Vec::new(),
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `POST /admin/new`: stores a new exercise's definition, or shows every problem with its line.
pub async fn new_exercise_post(
    State(state): State<AppState>,
    token: FormToken,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    save_definition(state, token, admin, None, fields).await
}

/// `POST /admin/e/{exercise}/definition`: stores the definition as a new version, or shows
/// every problem with its line.
pub async fn definition_post(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    save_definition(state, token, admin, Some(id), fields).await
}

async fn save_definition(
    state: AppState,
    token: FormToken,
    admin: Result<SignedIn, AdminRejection>,
    id: Option<String>,
    fields: Fields,
) -> AdminPageResult {
    let (action, back) = match &id {
        Some(id) => (
            format!("/admin/e/{id}/definition"),
            format!("/admin/e/{id}"),
        ),
        None => ("/admin/new".to_string(), "/admin".to_string()),
    };
    check_form(&state, &token, &fields, &action)?;
    let SignedIn(admin) = admin?;
    match &id {
        Some(id) => {
            state.authorize(&admin, id, Permission::Run).await?;
        }
        None => require_all_exercises(&admin)?,
    }
    let text = field(&fields, "definition")
        .unwrap_or_default()
        .replace("\r\n", "\n");
    let heading = match &id {
        Some(id) => format!("Edit the definition of `{id}`"),
        None => "Add an exercise".to_string(),
    };
    let mut errors = Vec::new();
    if text.trim().is_empty() {
        errors.push(FieldError {
            anchor: "definition".to_string(),
            message: "Paste or write the definition (TOML)".to_string(),
        });
    } else {
        match survey::Exercise::parse(&text, "the definition") {
            Err(problems) => {
                for problem in &problems.0 {
                    let place = problem
                        .line
                        .map_or(String::new(), |line| format!("Line {line}: "));
                    let context = problem
                        .context
                        .as_ref()
                        .map_or(String::new(), |context| format!("{context}: "));
                    errors.push(FieldError {
                        anchor: "definition".to_string(),
                        message: format!("{place}{context}{}", problem.message),
                    });
                }
            }
            Ok(parsed) => {
                if let Some(id) = &id
                    && parsed.id.as_str() != id
                {
                    errors.push(FieldError {
                        anchor: "definition".to_string(),
                        message: format!(
                            "The definition's id is “{}” but this is exercise “{id}”. Keep the id the same, or add it as a new exercise",
                            parsed.id
                        ),
                    });
                } else {
                    let (source, actor) = (text.clone(), admin.email.clone());
                    let put = state
                        .blocking(move |store| {
                            store.put_exercise(&source, "the definition", &actor)
                        })
                        .await?;
                    return Ok(see_other(&format!("/admin/e/{}", put.exercise)));
                }
            }
        }
    }
    let page = DefinitionPage {
        layout: admin_layout(&heading, &token, &admin, true),
        heading,
        action,
        back,
        text,
        errors,
    };
    Ok(render(
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
        &token,
        &state,
    ))
}
