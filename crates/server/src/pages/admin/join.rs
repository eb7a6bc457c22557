//! The sign-up page of an invitation to a role: `/admin/join/{token}` (public; the token is
//! only in the path, and the request log records the route template, not the path). A new
//! email sets a password; an email that already has an account gives that account's password.
//! On success the person is signed in and sent to the exercise. Failed attempts are limited
//! like sign-in.

use std::time::Duration;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use store::AccountInvite;

use super::people::{when, with_article};
use crate::AppState;
use crate::auth::{MIN_PASSWORD_LENGTH, hash_password, session_cookie, verify_password};
use crate::error::AppError;
use crate::pages::{
    CheckedForm, FieldError, FormToken, Layout, PageResult, field, message, render, see_other,
};
use crate::rate::ClientAddress;

/// The longest password read, as at sign-in.
const MAX_PASSWORD_LENGTH: usize = 1024;

#[derive(Template)]
#[template(path = "admin/join.html")]
struct JoinPage {
    layout: Layout,
    action: String,
    email: String,
    exercise_title: String,
    role: String,
    expires: String,
    account_exists: bool,
    errors: Vec<FieldError>,
    password_error: Option<String>,
    confirm_error: Option<String>,
}

/// The "this link does not work" page (404).
fn link_not_valid(state: &AppState, token: &FormToken) -> Response {
    message(
        state,
        token,
        StatusCode::NOT_FOUND,
        "This sign-up link does not work",
        &[
            "It may have been used already, or it may have expired: a sign-up link works once, for 7 days.",
            "Ask the person who invited you for a new link.",
        ],
        Some(("/admin/sign-in", "Sign in if you already have an account")),
    )
}

async fn invite_and_title(
    state: &AppState,
    link: &str,
) -> Result<Option<(AccountInvite, String)>, AppError> {
    let link = link.to_string();
    state
        .blocking(move |store| {
            let Some(invite) = store.account_invite(&link)? else {
                return Ok(None);
            };
            let title = store.exercise(&invite.exercise)?.map_or_else(
                || invite.exercise.clone(),
                |stored| stored.exercise.title.clone(),
            );
            Ok(Some((invite, title)))
        })
        .await
}

fn join_page(token: &FormToken, link: &str, invite: &AccountInvite, title: String) -> JoinPage {
    JoinPage {
        layout: Layout {
            title: format!("Join “{title}”"),
            csrf: token.token.clone(),
            ..Layout::default()
        },
        action: format!("/admin/join/{link}"),
        email: invite.email.clone(),
        exercise_title: title,
        role: with_article(invite.role),
        expires: when(invite.expires_at),
        account_exists: invite.account_exists,
        errors: Vec::new(),
        password_error: None,
        confirm_error: None,
    }
}

/// `GET /admin/join/{token}`.
pub async fn join(
    State(state): State<AppState>,
    token: FormToken,
    Path(link): Path<String>,
) -> PageResult {
    let Some((invite, title)) = invite_and_title(&state, &link).await? else {
        return Ok(link_not_valid(&state, &token));
    };
    let page = join_page(&token, &link, &invite, title);
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `POST /admin/join/{token}`: sets the password of a new account (or checks the existing
/// account's), accepts the invitation, signs the person in and sends them to the exercise.
pub async fn join_post(
    State(state): State<AppState>,
    token: FormToken,
    client: ClientAddress,
    Path(link): Path<String>,
    CheckedForm(fields): CheckedForm,
) -> PageResult {
    state.limits.sign_in.check(client)?;
    state.limits.failed_auth.check_not_locked(client)?;
    let Some((invite, title)) = invite_and_title(&state, &link).await? else {
        state.limits.failed_auth.failed(client)?;
        return Ok(link_not_valid(&state, &token));
    };
    let mut page = join_page(&token, &link, &invite, title);
    let password = field(&fields, "password").unwrap_or_default().to_string();
    let confirm = field(&fields, "confirm").unwrap_or_default().to_string();
    let mut password_hash = None;
    if password.len() > MAX_PASSWORD_LENGTH {
        page.password_error = Some("The password is too long".to_string());
    } else if invite.account_exists {
        if password.is_empty() {
            page.password_error = Some("Enter the password of your account".to_string());
        } else {
            let (email, given) = (invite.email.clone(), password.clone());
            let matches = state
                .blocking(move |store| {
                    Ok(store
                        .admin_by_email(&email)?
                        .is_some_and(|admin| verify_password(&given, &admin.password_hash)))
                })
                .await?;
            if !matches {
                state.limits.failed_auth.failed(client)?;
                page.password_error = Some("The password is not right".to_string());
            }
        }
    } else {
        if password.is_empty() {
            page.password_error = Some("Enter a password".to_string());
        } else if password.chars().count() < MIN_PASSWORD_LENGTH {
            page.password_error = Some(format!(
                "The password must be at least {MIN_PASSWORD_LENGTH} characters long"
            ));
        }
        if confirm.is_empty() {
            page.confirm_error = Some("Enter the password again".to_string());
        } else if page.password_error.is_none() && confirm != password {
            page.confirm_error = Some("The passwords do not match".to_string());
        }
        if page.password_error.is_none() && page.confirm_error.is_none() {
            let given = password.clone();
            password_hash = Some(
                tokio::task::spawn_blocking(move || hash_password(&given))
                    .await
                    .map_err(|error| AppError::Internal(error.to_string()))?
                    .map_err(|error| AppError::Internal(error.to_string()))?,
            );
        }
    }
    if page.password_error.is_some() || page.confirm_error.is_some() {
        for (anchor, error) in [
            ("password", &page.password_error),
            ("confirm", &page.confirm_error),
        ] {
            if let Some(message) = error {
                page.errors.push(FieldError {
                    anchor: anchor.to_string(),
                    message: message.clone(),
                });
            }
        }
        page.layout.has_errors = true;
        return Ok(render(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            &token,
            &state,
        ));
    }
    let lifetime = Duration::from_secs(state.settings.session_seconds);
    let accepted = state
        .blocking(move |store| {
            let admin = match store.accept_account_invite(&link, password_hash.as_deref()) {
                Ok(admin) => admin,
                Err(store::StoreError::InvitationNotValid) => return Ok(None),
                Err(other) => return Err(other),
            };
            let session = store.create_session(admin.id, lifetime)?;
            store.audit(&admin.email, "sign in", "by a sign-up link")?;
            Ok(Some(session))
        })
        .await?;
    let Some(session) = accepted else {
        return Ok(link_not_valid(&state, &token));
    };
    let cookie = session_cookie(
        session,
        state.settings.secure_cookies,
        state.settings.session_seconds,
    );
    let mut response = see_other(&format!("/admin/e/{}", invite.exercise));
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}
