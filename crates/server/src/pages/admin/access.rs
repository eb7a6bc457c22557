//! Who may use the research lead's pages: the signed-in admin as an extractor, whose absence
//! sends the browser to sign in, and the CSRF check of the admin pages' forms.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use store::Admin;

use crate::AppState;
use crate::auth::session_token;
use crate::error::AppError;
use crate::pages::{Fields, FormToken, PageError, expired_form, field, see_other};
use crate::rate::{ClientAddress, client_address};

/// The signed-in admin of a request, if any. A session cookie that names no session counts as
/// a failed authentication of `client`; a client locked out for failing too often is refused.
pub(crate) async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    client: ClientAddress,
) -> Result<Option<Admin>, AppError> {
    let Some(token) = session_token(headers) else {
        return Ok(None);
    };
    state.limits.failed_auth.check_not_locked(client)?;
    let admin = state.blocking(move |store| store.session(&token)).await?;
    if admin.is_none() {
        state.limits.failed_auth.failed(client)?;
    }
    Ok(admin)
}

/// The admin signed in on a page request. Without a session, the request goes no further: the
/// browser is sent to `/admin/sign-in`.
///
/// Put it after the other extractors of the path and query, so that their refusals come first;
/// a form handler takes `Result<SignedIn, AdminRejection>` and checks the form's CSRF token
/// before the session, as the pages always have.
pub(crate) struct SignedIn(pub(crate) Admin);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AdminRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let client = client_address(parts, &state.settings.trusted_proxies);
        match signed_in(state, &parts.headers, client).await? {
            Some(admin) => Ok(SignedIn(admin)),
            None => Err(AdminRejection::SignIn),
        }
    }
}

/// Why an admin page's request goes no further.
pub(crate) enum AdminRejection {
    /// Nobody is signed in: the browser is sent to sign in.
    SignIn,
    /// A page already made for the browser ("Your form has expired"), boxed to keep the
    /// rejection small.
    Answered(Box<Response>),
    /// A failure, shown as an error page.
    Failed(PageError),
}

impl IntoResponse for AdminRejection {
    fn into_response(self) -> Response {
        match self {
            AdminRejection::SignIn => see_other("/admin/sign-in"),
            AdminRejection::Answered(response) => *response,
            AdminRejection::Failed(error) => error.into_response(),
        }
    }
}

impl From<AppError> for AdminRejection {
    fn from(error: AppError) -> Self {
        AdminRejection::Failed(PageError(error))
    }
}

impl From<PageError> for AdminRejection {
    fn from(error: PageError) -> Self {
        AdminRejection::Failed(error)
    }
}

impl From<store::StoreError> for AdminRejection {
    fn from(error: store::StoreError) -> Self {
        AdminRejection::Failed(PageError::from(error))
    }
}

/// The result of an admin page handler that checks its form's CSRF token and session itself.
pub(crate) type AdminPageResult = Result<Response, AdminRejection>;

/// Refuses a form whose `csrf_token` does not match the page's cookie: nothing is saved, and
/// the browser is shown "Your form has expired" with a link `back`.
pub(crate) fn check_form(
    state: &AppState,
    token: &FormToken,
    fields: &Fields,
    back: &str,
) -> Result<(), AdminRejection> {
    if token.accepts(field(fields, "csrf_token")) {
        Ok(())
    } else {
        Err(AdminRejection::Answered(Box::new(expired_form(
            state, token, back,
        ))))
    }
}
