//! Admin sign-in and sign-out.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::{
    AdminActor, csrf_token, decoy_hash, removal_cookie, session_cookie, session_token,
    verify_password,
};
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::rate::ClientAddress;

/// The longest email or password looked at.
const MAX_CREDENTIAL_LENGTH: usize = 1024;

/// Signing in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// The account's email.
    pub email: String,
    /// The password.
    pub password: String,
}

/// A new session. The session itself is in an `HttpOnly` cookie.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// Who is signed in.
    pub email: String,
    /// Send this in the `X-CSRF-Token` header with every admin call that changes something.
    pub csrf_token: String,
    /// Seconds until the session ends.
    pub expires_in: u64,
}

/// The outcome of checking a password, for the API and the sign-in page.
pub enum SignInOutcome {
    /// Signed in: the session token and the account's email.
    SignedIn {
        /// The session token for the cookie.
        token: String,
        /// The email.
        email: String,
    },
    /// Wrong email or password.
    Refused,
}

/// Checks an email and password (Argon2id, off the async workers) and starts a session.
///
/// # Errors
/// Store errors.
pub async fn check_credentials(
    state: &AppState,
    email: String,
    password: String,
) -> Result<SignInOutcome, AppError> {
    if email.len() > MAX_CREDENTIAL_LENGTH || password.len() > MAX_CREDENTIAL_LENGTH {
        return Ok(SignInOutcome::Refused);
    }
    let lifetime = Duration::from_secs(state.settings.session_seconds);
    state
        .blocking(move |store| {
            let admin = store.admin_by_email(&email)?;
            let stored_hash = admin
                .as_ref()
                .map_or(decoy_hash(), |admin| admin.password_hash.as_str());
            let matches = verify_password(&password, stored_hash);
            match admin {
                Some(admin) if matches => {
                    let token = store.create_session(admin.id, lifetime)?;
                    store.audit(&admin.email, "sign in", "")?;
                    Ok(SignInOutcome::SignedIn {
                        token,
                        email: admin.email,
                    })
                }
                _ => Ok(SignInOutcome::Refused),
            }
        })
        .await
}

/// Signs an admin in: sets the session cookie and returns the CSRF token.
#[utoipa::path(post, path = "/api/v1/sessions", operation_id = "signIn", tag = "accounts", request_body = SignIn,
    responses((status = 201, body = SessionView),
        (status = 401, body = ErrorBody, description = "Wrong email or password"),
        (status = 429, body = ErrorBody)))]
pub async fn sign_in(
    State(state): State<AppState>,
    client: ClientAddress,
    jar: CookieJar,
    ApiJson(request): ApiJson<SignIn>,
) -> Result<(StatusCode, CookieJar, Json<SessionView>), AppError> {
    state.limits.sign_in.check(client)?;
    state.limits.failed_auth.check_not_locked(client)?;
    match check_credentials(&state, request.email, request.password).await? {
        SignInOutcome::SignedIn { token, email } => {
            let csrf = csrf_token(&token);
            let cookie = session_cookie(
                token,
                state.settings.secure_cookies,
                state.settings.session_seconds,
            );
            Ok((
                StatusCode::CREATED,
                jar.add(cookie),
                Json(SessionView {
                    email,
                    csrf_token: csrf,
                    expires_in: state.settings.session_seconds,
                }),
            ))
        }
        SignInOutcome::Refused => {
            state.limits.failed_auth.failed(client)?;
            Err(AppError::Unauthorized(
                "the email or password is not right".to_string(),
            ))
        }
    }
}

/// Signs out: ends the session and removes the cookie. With the admin token there is no session
/// to end, and the answer is the same.
#[utoipa::path(delete, path = "/api/v1/sessions", operation_id = "signOut", tag = "accounts",
    responses((status = 204, description = "Signed out; the cookie is removed"),
        (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn sign_out(
    State(state): State<AppState>,
    actor: AdminActor,
    headers: HeaderMap,
) -> Result<(StatusCode, CookieJar), AppError> {
    if let Some(token) = session_token(&headers) {
        let name = actor.name.clone();
        state
            .blocking(move |store| {
                store.delete_session(&token)?;
                store.audit(&name, "sign out", "")
            })
            .await?;
    }
    let jar = CookieJar::from_headers(&headers).add(removal_cookie(state.settings.secure_cookies));
    Ok((StatusCode::NO_CONTENT, jar))
}
