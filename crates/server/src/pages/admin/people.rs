//! People and roles of one exercise (owners only): who has which role, the invitations
//! waiting, inviting a person by email to a role (the one-time sign-up link is shown once, to
//! copy), changing and removing roles, and whether advisory members may download raw
//! responses. Every action says what it did.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use store::Role;

use super::{AdminPageResult, SignedIn, admin_layout};
use crate::AppState;
use crate::access::Permission;
use crate::handlers::exercises::stored_exercise;
use crate::handlers::members::sign_up_url;
use crate::pages::{CheckedForm, FieldError, Fields, FormToken, Layout, PageResult, field, render};

struct MemberRow {
    email: String,
    role: &'static str,
    role_id: &'static str,
    /// Owns every exercise: the role cannot be changed on this page.
    fixed: bool,
}

struct InviteRow {
    email: String,
    role: &'static str,
    invited_by: String,
    expires: String,
}

/// A sign-up link just made, shown once.
struct NewLink {
    email: String,
    /// With its article: "an advisory group member".
    role: String,
    url: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "admin/people.html")]
struct PeoplePage {
    layout: Layout,
    id: String,
    title: String,
    members: Vec<MemberRow>,
    invites: Vec<InviteRow>,
    downloads: bool,
    /// What the last action did.
    notice: Option<String>,
    link: Option<NewLink>,
    errors: Vec<FieldError>,
    email: String,
    email_error: Option<String>,
    role: String,
    role_error: Option<String>,
}

/// A date and time for people, in UTC: "14 December 2026 at 22:40 UTC".
pub(crate) fn when(seconds: i64) -> String {
    match cookie::time::OffsetDateTime::from_unix_timestamp(seconds) {
        Ok(at) => format!(
            "{} {} {} at {:02}:{:02} UTC",
            at.day(),
            at.month(),
            at.year(),
            at.hour(),
            at.minute()
        ),
        Err(_) => "an unknown date".to_string(),
    }
}

/// The role as the page's sentences say it, with its article: "an owner", "a research lead",
/// "an advisory group member".
pub(crate) fn with_article(role: Role) -> String {
    match role {
        Role::Lead => format!("a {}", role.label()),
        Role::Owner | Role::Advisory => format!("an {}", role.label()),
    }
}

async fn people_page(
    state: &AppState,
    token: &FormToken,
    admin: &store::Admin,
    id: &str,
) -> Result<PeoplePage, crate::error::AppError> {
    let stored = stored_exercise(state, id).await?;
    let lookup = id.to_string();
    let (members, invites, downloads) = state
        .blocking(move |store| {
            Ok((
                store.members(&lookup)?,
                store.pending_invites(&lookup)?,
                store.advisory_downloads(&lookup)?,
            ))
        })
        .await?;
    Ok(PeoplePage {
        layout: admin_layout(
            &format!("People and roles: {}", stored.exercise.title),
            token,
            admin,
            false,
        ),
        id: id.to_string(),
        title: stored.exercise.title.clone(),
        members: members
            .into_iter()
            .map(|member| MemberRow {
                email: member.email,
                role: member.role.label(),
                role_id: member.role.as_str(),
                fixed: member.all_exercises,
            })
            .collect(),
        invites: invites
            .into_iter()
            .map(|invite| InviteRow {
                email: invite.email,
                role: invite.role.label(),
                invited_by: invite.invited_by,
                expires: when(invite.expires_at),
            })
            .collect(),
        downloads,
        notice: None,
        link: None,
        errors: Vec::new(),
        email: String::new(),
        email_error: None,
        role: "advisory".to_string(),
        role_error: None,
    })
}

/// `GET /admin/e/{exercise}/people`.
pub async fn people(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    state.authorize(&admin, &id, Permission::Manage).await?;
    let page = people_page(&state, &token, &admin, &id).await?;
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// What a form of the people page asks for.
enum Action {
    Invite { email: String, role: Option<Role> },
    SetRole { email: String, role: Role },
    Remove { email: String },
    Downloads { allowed: bool },
}

fn action(fields: &Fields) -> Option<Action> {
    let email = field(fields, "email")
        .unwrap_or_default()
        .trim()
        .to_string();
    let role = field(fields, "role").and_then(Role::parse);
    match field(fields, "action")? {
        "invite" => Some(Action::Invite { email, role }),
        "role" => Some(Action::SetRole { email, role: role? }),
        "remove" => Some(Action::Remove { email }),
        "downloads" => Some(Action::Downloads {
            allowed: field(fields, "allowed")? == "yes",
        }),
        _ => None,
    }
}

/// `POST /admin/e/{exercise}/people`: invites, changes or removes a role, or allows or stops
/// advisory downloads; the page comes back saying what was done (and, for an invitation, with
/// the sign-up link to copy, shown this once).
pub async fn people_post(
    State(state): State<AppState>,
    token: FormToken,
    headers: HeaderMap,
    Path(id): Path<String>,
    admin: Result<SignedIn, super::AdminRejection>,
    CheckedForm(fields): CheckedForm,
) -> AdminPageResult {
    let SignedIn(admin) = admin?;
    state.authorize(&admin, &id, Permission::Manage).await?;
    let mut page = people_page(&state, &token, &admin, &id).await?;
    let title = page.title.clone();
    let actor = admin.email.clone();
    let mut status = StatusCode::OK;
    match action(&fields) {
        None => {
            return Err(crate::error::AppError::field(
                "action",
                "the form asked for nothing this page does: go back and try again",
            )
            .into());
        }
        Some(Action::Invite { email, role }) => {
            if email.is_empty() {
                page.email_error = Some("Enter their email address".to_string());
            } else if !email.contains('@') {
                page.email_error = Some(
                    "Enter an email address in the correct format, like name@example.org"
                        .to_string(),
                );
            }
            if role.is_none() {
                page.role_error = Some("Choose the role to offer".to_string());
            }
            let mut made = None;
            if let (None, Some(role)) = (&page.email_error, role) {
                let (place, lookup, who) = (id.clone(), email.clone(), actor.clone());
                let outcome = state
                    .blocking(move |store| {
                        let token = store.create_account_invite(
                            &place,
                            &lookup,
                            role,
                            store::INVITE_LIFETIME,
                            &who,
                        )?;
                        let expires = store
                            .account_invite(&token)?
                            .map_or(0, |invite| invite.expires_at);
                        Ok((token, expires))
                    })
                    .await;
                match outcome {
                    Ok((link, expires)) => made = Some((role, link, expires)),
                    Err(crate::error::AppError::Invalid { .. }) => {
                        page.email_error = Some(
                            "Enter an email address in the correct format, like name@example.org"
                                .to_string(),
                        );
                    }
                    Err(other) => return Err(other.into()),
                }
            }
            if let Some((role, link, expires)) = made {
                page.notice = Some(format!(
                    "{email} is invited to be {} of “{title}”.",
                    with_article(role)
                ));
                page.link = Some(NewLink {
                    email: email.clone(),
                    role: with_article(role),
                    url: sign_up_url(&state, &headers, &link),
                    expires: when(expires),
                });
            } else {
                page.email = email;
                page.role = role.map_or(String::new(), |role| role.as_str().to_string());
                for (anchor, error) in [("email", &page.email_error), ("role", &page.role_error)] {
                    if let Some(message) = error {
                        page.errors.push(FieldError {
                            anchor: if anchor == "role" {
                                "role-advisory".to_string()
                            } else {
                                anchor.to_string()
                            },
                            message: message.clone(),
                        });
                    }
                }
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
        }
        Some(Action::SetRole { email, role }) => {
            let (place, lookup, who) = (id.clone(), email.clone(), actor.clone());
            state
                .blocking(move |store| store.set_role(&place, &lookup, role, &who))
                .await?;
            page.notice = Some(format!(
                "{email} is now {} of “{title}”.",
                with_article(role)
            ));
        }
        Some(Action::Remove { email }) => {
            let (place, lookup, who) = (id.clone(), email.clone(), actor.clone());
            let removed = state
                .blocking(move |store| store.remove_role(&place, &lookup, &who))
                .await?;
            page.notice = Some(if removed {
                format!("{email} no longer has a role in “{title}”.")
            } else {
                format!("{email} had no role in “{title}”: nothing changed.")
            });
        }
        Some(Action::Downloads { allowed }) => {
            let (place, who) = (id.clone(), actor.clone());
            state
                .blocking(move |store| store.set_advisory_downloads(&place, allowed, &who))
                .await?;
            page.notice = Some(if allowed {
                format!("Advisory group members of “{title}” can now download its raw responses.")
            } else {
                format!(
                    "Advisory group members of “{title}” can no longer download its raw responses."
                )
            });
        }
    }
    if page.notice.is_some() {
        let fresh = people_page(&state, &token, &admin, &id).await?;
        page.members = fresh.members;
        page.invites = fresh.invites;
        page.downloads = fresh.downloads;
    }
    page.layout.has_errors = !page.errors.is_empty();
    Ok(render(&page, status, &token, &state))
}
