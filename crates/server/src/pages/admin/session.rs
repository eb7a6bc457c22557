//! Signing in and out.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum_extra::extract::CookieJar;

use super::signed_in;
use crate::AppState;
use crate::auth::{removal_cookie, session_cookie, session_token};
use crate::handlers::sessions::{SignInOutcome, check_credentials};
use crate::pages::CheckedForm;
use crate::pages::{
    FieldError, Fields, FormToken, Layout, PageResult, expired_form, field, render, see_other,
};
use crate::rate::ClientAddress;

// ---------------------------------------------------------------------------------------------
// Signing in and out.

#[derive(Template)]
#[template(path = "admin/sign_in.html")]
struct SignInPage {
    layout: Layout,
    email: String,
    errors: Vec<FieldError>,
}

/// `GET /admin/sign-in`.
pub async fn sign_in(
    State(state): State<AppState>,
    token: FormToken,
    client: ClientAddress,
    headers: HeaderMap,
) -> PageResult {
    if signed_in(&state, &headers, client).await?.is_some() {
        return Ok(see_other("/admin"));
    }
    let page = SignInPage {
        layout: Layout {
            title: "Sign in".to_string(),
            csrf: token.token.clone(),
            ..Layout::default()
        },
        email: String::new(),
        errors: Vec::new(),
    };
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// `POST /admin/sign-in`.
pub async fn sign_in_post(
    State(state): State<AppState>,
    token: FormToken,
    client: ClientAddress,
    CheckedForm(fields): CheckedForm,
) -> PageResult {
    let email = field(&fields, "email")
        .unwrap_or_default()
        .trim()
        .to_string();
    let password = field(&fields, "password").unwrap_or_default().to_string();
    let mut errors = Vec::new();
    if email.is_empty() {
        errors.push(FieldError {
            anchor: "email".to_string(),
            message: "Enter your email address".to_string(),
        });
    }
    if password.is_empty() {
        errors.push(FieldError {
            anchor: "password".to_string(),
            message: "Enter your password".to_string(),
        });
    }
    if errors.is_empty() {
        state.limits.sign_in.check(client)?;
        state.limits.failed_auth.check_not_locked(client)?;
        match check_credentials(&state, email.clone(), password).await? {
            SignInOutcome::SignedIn { token: session, .. } => {
                let cookie = session_cookie(
                    session,
                    state.settings.secure_cookies,
                    state.settings.session_seconds,
                );
                let mut response = see_other("/admin");
                if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
                return Ok(response);
            }
            SignInOutcome::Refused => {
                state.limits.failed_auth.failed(client)?;
                errors.push(FieldError {
                    anchor: "email".to_string(),
                    message: "The email address or password is not right".to_string(),
                });
            }
        }
    }
    let page = SignInPage {
        layout: Layout {
            title: "Sign in".to_string(),
            csrf: token.token.clone(),
            has_errors: true,
            ..Layout::default()
        },
        email,
        errors,
    };
    Ok(render(
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
        &token,
        &state,
    ))
}

/// `POST /admin/sign-out`.
pub async fn sign_out(
    State(state): State<AppState>,
    token: FormToken,
    client: ClientAddress,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> PageResult {
    if !token.accepts(field(&fields, "csrf_token")) {
        return Ok(expired_form(&state, &token, "/admin"));
    }
    if let Some(session) = session_token(&headers) {
        let admin = signed_in(&state, &headers, client).await?;
        state
            .blocking(move |store| {
                store.delete_session(&session)?;
                if let Some(admin) = admin {
                    store.audit(&admin.email, "sign out", "")?;
                }
                Ok(())
            })
            .await?;
    }
    let jar = CookieJar::from_headers(&headers).add(removal_cookie(state.settings.secure_cookies));
    Ok((jar, see_other("/admin/sign-in")).into_response())
}
