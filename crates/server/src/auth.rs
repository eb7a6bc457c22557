//! Who is calling: admins by bearer token or by session cookie (with a CSRF token for anything
//! that changes state), and Argon2id password hashing.
//!
//! Sessions live in the store (only a hash of each token), so they survive a restart and are
//! shared by every worker; the cookie is `HttpOnly`, `SameSite=Strict`, and `Secure` when the
//! service is reached over TLS. The CSRF token is derived from the session token with SHA-256,
//! so it needs no storage and cannot be computed without the cookie.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::AppError;
use crate::rate::{ClientAddress, client_address};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "prioritise_session";
/// The header that carries the CSRF token on API calls made with a session cookie.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The shortest password accepted.
pub const MIN_PASSWORD_LENGTH: usize = 12;
/// The shortest admin token accepted at start (`PRIORITISE_ADMIN_TOKEN`): 32 characters, such
/// as `openssl rand -hex 16` or longer, so that the token cannot be guessed at the rate the
/// failed-authentication limit allows.
pub const MIN_ADMIN_TOKEN_LENGTH: usize = 32;

/// Why an admin token is refused at start.
#[derive(Debug, thiserror::Error)]
pub enum AdminTokenError {
    /// Shorter than [`MIN_ADMIN_TOKEN_LENGTH`].
    #[error(
        "the admin token is {length} characters long; it must be at least {MIN_ADMIN_TOKEN_LENGTH}"
    )]
    TooShort {
        /// Its length in characters.
        length: usize,
    },
}

/// Checks an admin token before the service starts with it.
///
/// # Errors
/// [`AdminTokenError::TooShort`].
pub fn check_admin_token(token: &str) -> Result<(), AdminTokenError> {
    let length = token.chars().count();
    if length < MIN_ADMIN_TOKEN_LENGTH {
        return Err(AdminTokenError::TooShort { length });
    }
    Ok(())
}

/// An admin making a request: an account, or the admin token (which owns every exercise).
/// What it may do in an exercise is checked with [`AppState::authorize`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminActor {
    /// Who, for the audit log: the account's email, or `token`.
    pub name: String,
    /// The account id; `None` for the admin token.
    pub account: Option<i64>,
    /// Whether it owns every exercise (the admin token does).
    pub all_exercises: bool,
}

/// The hasher: Argon2id with the parameters OWASP recommends (19 MiB, 2 passes).
fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Why a password cannot be set.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Too short.
    #[error("the password must be at least {MIN_PASSWORD_LENGTH} characters long")]
    TooShort,
    /// Hashing failed.
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// Hashes a password with Argon2id and a random salt, as a PHC string.
///
/// # Errors
/// [`PasswordError::TooShort`], or a failure of the hasher.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    if password.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(PasswordError::TooShort);
    }
    let mut salt = [0u8; 16];
    getrandom_fill(&mut salt);
    let salt =
        SaltString::encode_b64(&salt).map_err(|error| PasswordError::Hash(error.to_string()))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| PasswordError::Hash(error.to_string()))
}

fn getrandom_fill(bytes: &mut [u8]) {
    use rand::RngCore;
    rand::rng().fill_bytes(bytes);
}

/// Whether `password` matches a stored PHC string. A string that does not parse never matches.
pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(hash) => argon2().verify_password(password.as_bytes(), &hash).is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the email is unknown, so that the answer takes as long as for
/// a known email and does not reveal which emails have accounts.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password that matches nothing").unwrap_or_default())
}

/// The CSRF token of a session.
pub fn csrf_token(session_token: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"prioritise csrf\0")
        .chain_update(session_token.as_bytes())
        .finalize();
    digest
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The cookie that holds a session.
pub fn session_cookie(token: String, secure: bool, max_age_seconds: u64) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path("/")
        .max_age(time_duration(max_age_seconds))
        .build()
}

/// The cookie that removes a session cookie.
pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, ""))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path("/")
        .max_age(time_duration(0))
        .build()
}

fn time_duration(seconds: u64) -> cookie::time::Duration {
    cookie::time::Duration::seconds(i64::try_from(seconds).unwrap_or(i64::MAX))
}

/// Compares two secrets in time that does not depend on where they differ.
fn same_secret(left: &str, right: &str) -> bool {
    let left = Sha256::digest(left.as_bytes());
    let right = Sha256::digest(right.as_bytes());
    left.iter()
        .zip(right.iter())
        .fold(0u8, |difference, (a, b)| difference | (a ^ b))
        == 0
}

/// The session token of a request's cookie, if any.
pub fn session_token(headers: &axum::http::HeaderMap) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(SESSION_COOKIE)
        .map(|cookie| cookie.value().to_string())
        .filter(|token| !token.is_empty())
}

impl FromRequestParts<AppState> for AdminActor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let client = client_address(parts, &state.settings.trusted_proxies);
        let outcome = authenticate(parts, state, client).await;
        if let Err(AppError::Unauthorized(_)) = &outcome
            && carries_credentials(&parts.headers)
        {
            state.limits.failed_auth.failed(client)?;
        }
        outcome
    }
}

/// Whether a request carries admin credentials (a bearer token or a session cookie), so that
/// its refusal counts as a failed authentication.
fn carries_credentials(headers: &axum::http::HeaderMap) -> bool {
    headers.contains_key(header::AUTHORIZATION) || session_token(headers).is_some()
}

/// Checks a request's bearer token or session (and CSRF token), unless `client` is locked out
/// for failing too often.
async fn authenticate(
    parts: &Parts,
    state: &AppState,
    client: ClientAddress,
) -> Result<AdminActor, AppError> {
    if carries_credentials(&parts.headers) {
        state.limits.failed_auth.check_not_locked(client)?;
    }
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let text = value.to_str().unwrap_or_default();
        let Some(token) = text.strip_prefix("Bearer ").map(str::trim) else {
            return Err(AppError::Unauthorized(
                "the Authorization header must be `Bearer TOKEN`".to_string(),
            ));
        };
        return match &state.settings.admin_token {
            Some(expected) if same_secret(token, expected) => Ok(AdminActor {
                name: "token".to_string(),
                account: None,
                all_exercises: true,
            }),
            _ => Err(AppError::Unauthorized(
                "the admin token is not right".to_string(),
            )),
        };
    }
    let Some(token) = session_token(&parts.headers) else {
        return Err(AppError::Unauthorized(
            "sign in first (POST /api/v1/sessions), or send `Authorization: Bearer TOKEN`"
                .to_string(),
        ));
    };
    let store = state.store.clone();
    let lookup = token.clone();
    let admin = tokio::task::spawn_blocking(move || store.session(&lookup)).await??;
    let Some(admin) = admin else {
        return Err(AppError::Unauthorized(
            "your session has ended: sign in again".to_string(),
        ));
    };
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let given = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        if !same_secret(given, &csrf_token(&token)) {
            return Err(AppError::Forbidden(format!(
                "send the CSRF token you were given at sign-in in the `{CSRF_HEADER}` header"
            )));
        }
    }
    Ok(AdminActor {
        name: admin.email,
        account: Some(admin.id),
        all_exercises: admin.all_exercises,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterz", &hash));
        assert!(!verify_password("correct horse battery", "not a hash"));
        assert!(matches!(
            hash_password("short"),
            Err(PasswordError::TooShort)
        ));
    }

    #[test]
    fn csrf_tokens_differ_between_sessions() {
        assert_eq!(csrf_token("a"), csrf_token("a"));
        assert_ne!(csrf_token("a"), csrf_token("b"));
        assert_eq!(csrf_token("a").len(), 32);
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
    }
}
