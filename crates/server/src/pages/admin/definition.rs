//! Definitions: a new exercise from a template, and editing one with line numbers beside the
//! text and every problem shown at once, each linked to its line.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use store::Admin;

use super::{AdminPageResult, AdminRejection, SignedIn, admin_layout, check_form};
use crate::AppState;
use crate::access::{Permission, require_all_exercises};
use crate::handlers::exercises::stored_exercise;
use crate::pages::{FieldError, Fields, FormToken, Layout, PageResult, field, render, see_other};

// ---------------------------------------------------------------------------------------------
// Templates of a new exercise.

/// A definition a new exercise can start from.
struct StartingPoint {
    /// The value of its radio and of `?template=`.
    value: &'static str,
    /// Its name on the page.
    label: &'static str,
    /// What it holds.
    hint: &'static str,
    /// The definition.
    text: &'static str,
}

/// The definitions a new exercise can start from; the first is chosen unless the lead chooses
/// another.
const STARTING_POINTS: &[StartingPoint] = &[
    StartingPoint {
        value: "three-rounds",
        label: "A blank three-round exercise with comments",
        hint: "Suggest, rate the long list, rank the shortlist, with the stakeholder groups of the What Works Centre's exercise and a comment explaining every key. It is valid as it is: change the id, the title and what the comments point to.",
        text: include_str!("../../../../../surveys/templates/three-rounds.toml"),
    },
    StartingPoint {
        value: "example",
        label: "The example exercise",
        hint: "Research priorities for children's social care: 8 stakeholder groups, 40 topics and 3 rounds, as the What Works Centre ran it in 2020.",
        text: include_str!("../../../../../surveys/childrens-social-care/exercise.toml"),
    },
];

/// `?template=` of `GET /admin/new`.
#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    /// The starting point chosen; without it the page offers the choice.
    pub template: Option<String>,
}

/// One radio of the choice of starting point.
struct Choice {
    value: &'static str,
    label: &'static str,
    hint: &'static str,
    checked: bool,
}

// ---------------------------------------------------------------------------------------------
// The page.

/// A problem beside the text: its line, when it has one, and the message after it.
struct Problem {
    line: Option<u64>,
    /// The message as HTML, escaped, with its `code` parts as code.
    message_html: String,
}

#[derive(Template)]
#[template(path = "admin/definition.html")]
struct DefinitionPage {
    layout: Layout,
    heading: String,
    action: String,
    back: String,
    /// The choice of starting point (`GET /admin/new` alone); empty on the editor.
    choices: Vec<Choice>,
    /// The link to choose another starting point, on a new exercise's editor.
    choose_again: Option<String>,
    text: String,
    /// The numbers of the text's lines, one a line, for the gutter beside the text.
    line_numbers: String,
    /// The text area's height in lines: as tall as the text, so that only the page scrolls.
    rows: usize,
    errors: Vec<FieldError>,
    problems: Vec<Problem>,
}

/// The fewest lines the text area shows.
const MIN_ROWS: usize = 20;

impl DefinitionPage {
    fn editor(
        layout: Layout,
        heading: String,
        (action, back): (String, String),
        text: String,
        errors: Vec<FieldError>,
    ) -> DefinitionPage {
        let line_count = text.split('\n').count();
        let line_numbers = (1..=line_count)
            .map(|number| number.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        let problems = errors
            .iter()
            .map(|error| match error.line() {
                Some(line) => Problem {
                    line: Some(line),
                    message_html: crate::pages::code_spans(
                        error
                            .message
                            .split_once(": ")
                            .map_or(error.message.as_str(), |(_, rest)| rest),
                    ),
                },
                None => Problem {
                    line: None,
                    message_html: error.message_html(),
                },
            })
            .collect();
        DefinitionPage {
            layout,
            heading,
            action,
            back,
            choices: Vec::new(),
            choose_again: None,
            text,
            line_numbers,
            // One more than the text, for the line being typed and a horizontal scroll bar.
            rows: (line_count + 1).max(MIN_ROWS),
            errors,
            problems,
        }
    }
}

/// `GET /admin/e/{exercise}/definition`: leads and owners.
pub async fn definition(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    state.authorize(&admin, &id, Permission::Run).await?;
    let stored = stored_exercise(&state, &id).await?;
    let page = DefinitionPage::editor(
        admin_layout("Edit the definition", &token, &admin, false),
        format!("Edit the definition of “{}”", stored.exercise.title),
        (
            format!("/admin/e/{id}/definition"),
            format!("/admin/e/{id}"),
        ),
        stored.source,
        Vec::new(),
    );
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `GET /admin/new`: the choice of starting point, then (`?template=`) the editor with that
/// definition. Accounts that own every exercise only.
pub async fn new_exercise(
    State(state): State<AppState>,
    token: FormToken,
    Query(query): Query<NewQuery>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    require_all_exercises(&admin)?;
    let chosen = query
        .template
        .as_deref()
        .and_then(|value| STARTING_POINTS.iter().find(|point| point.value == value));
    let page = match (chosen, &query.template) {
        (Some(point), _) => {
            let mut page = DefinitionPage::editor(
                admin_layout("Add an exercise", &token, &admin, false),
                "Add an exercise".to_string(),
                ("/admin/new".to_string(), "/admin/new".to_string()),
                point.text.to_string(),
                Vec::new(),
            );
            page.choose_again = Some("/admin/new".to_string());
            page
        }
        (None, asked) => {
            let errors = match asked {
                Some(_) => vec![FieldError {
                    anchor: format!("template-{}", STARTING_POINTS[0].value),
                    message: "Choose how to start the exercise".to_string(),
                }],
                None => Vec::new(),
            };
            choice_page(&token, &admin, errors)
        }
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(&page, status, &token, &state))
}

/// The choice of starting point of a new exercise.
fn choice_page(token: &FormToken, admin: &Admin, errors: Vec<FieldError>) -> DefinitionPage {
    DefinitionPage {
        layout: admin_layout("Add an exercise", token, admin, !errors.is_empty()),
        heading: "Add an exercise".to_string(),
        action: "/admin/new".to_string(),
        back: "/admin".to_string(),
        choices: STARTING_POINTS
            .iter()
            .enumerate()
            .map(|(index, point)| Choice {
                value: point.value,
                label: point.label,
                hint: point.hint,
                checked: index == 0,
            })
            .collect(),
        choose_again: None,
        text: String::new(),
        line_numbers: String::new(),
        rows: MIN_ROWS,
        errors,
        problems: Vec::new(),
    }
}

/// `POST /admin/new`: stores a new exercise's definition, or shows every problem with its line.
/// Accounts that own every exercise only.
pub async fn new_exercise_post(
    State(state): State<AppState>,
    token: FormToken,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    save_definition(state, token, admin, None, fields).await
}

/// `POST /admin/e/{exercise}/definition`: stores the definition as a new version, or shows
/// every problem with its line. Leads and owners.
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
        None => ("/admin/new".to_string(), "/admin/new".to_string()),
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
        Some(id) => format!("Edit the definition of “{id}”"),
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
                // Every problem, in the order of their lines (`Exercise::parse` sorts them).
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
                let existing = match &id {
                    Some(_) => None,
                    None => {
                        let lookup = parsed.id.to_string();
                        state.blocking(move |store| store.exercise(&lookup)).await?
                    }
                };
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
                } else if existing.is_some() {
                    errors.push(FieldError {
                        anchor: "definition".to_string(),
                        message: format!(
                            "An exercise with the id “{}” exists already. Change the `id` to add a new exercise, or edit that exercise's definition instead",
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
    let mut page = DefinitionPage::editor(
        admin_layout(&heading, &token, &admin, true),
        heading,
        (action, back),
        text,
        errors,
    );
    if id.is_none() {
        page.choose_again = Some("/admin/new".to_string());
    }
    Ok(render(
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
        &token,
        &state,
    ))
}
