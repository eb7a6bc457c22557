//! Who has which role in an exercise (owners only): the list with the invitations waiting,
//! inviting a person to a role by a one-time sign-up link, changing and removing a role, and
//! whether advisory members may download raw responses. Every change is in the audit log.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};
use store::Role;
use utoipa::ToSchema;

use crate::AppState;
use crate::access::Permission;
use crate::auth::AdminActor;
use crate::error::{ApiJson, ApiPath, AppError, ErrorBody};
use crate::handlers::exercises::stored_exercise;

/// The path of a sign-up link.
pub fn sign_up_path(token: &str) -> String {
    format!("/admin/join/{token}")
}

/// The full address of a sign-up link: under `--public-url` when it is set, else under the
/// address the request was sent to (its `Host` header; `https` when cookies are `Secure`).
pub fn sign_up_url(state: &AppState, headers: &HeaderMap, token: &str) -> String {
    let path = sign_up_path(token);
    if let Some(public) = &state.settings.public_url {
        return format!("{}{path}", public.trim_end_matches('/'));
    }
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
        });
    match host {
        Some(host) => {
            let scheme = if state.settings.secure_cookies {
                "https"
            } else {
                "http"
            };
            format!("{scheme}://{host}{path}")
        }
        None => path,
    }
}

/// A role named in a request: `advisory`, `lead` or `owner`.
pub fn parse_role(text: &str) -> Result<Role, AppError> {
    Role::parse(text).ok_or_else(|| {
        AppError::field(
            "role",
            format!("`{text}` is not a role: use `advisory`, `lead` or `owner`"),
        )
    })
}

/// A person with a role.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    /// The account's email address.
    pub email: String,
    /// `advisory`, `lead` or `owner`.
    pub role: String,
    /// Whether the account owns every exercise (its role cannot be changed here).
    pub all_exercises: bool,
}

/// An invitation not yet accepted.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingView {
    /// The email address invited.
    pub email: String,
    /// The role offered.
    pub role: String,
    /// Who invited them.
    pub invited_by: String,
    /// When the link stops working (Unix seconds).
    pub expires_at: i64,
}

/// Who has which role in an exercise.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembersResponse {
    /// The exercise id.
    pub exercise: String,
    /// Everyone with a role: the accounts that own every exercise first, then by role.
    pub members: Vec<MemberView>,
    /// Invitations not yet accepted and not expired, newest first.
    pub invitations: Vec<PendingView>,
    /// Whether advisory members may download raw responses.
    pub advisory_downloads: bool,
}

/// Who has which role in an exercise, the invitations waiting, and whether advisory members
/// may download raw responses (owners).
#[utoipa::path(get, path = "/api/v1/exercises/{exercise}/members", operation_id = "listMembers", tag = "accounts",
    params(("exercise" = String, Path)),
    responses((status = 200, body = MembersResponse), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath(exercise): ApiPath<String>,
) -> Result<Json<MembersResponse>, AppError> {
    state
        .authorize(&actor, &exercise, Permission::Manage)
        .await?;
    stored_exercise(&state, &exercise).await?;
    let lookup = exercise.clone();
    let (members, invites, downloads) = state
        .blocking(move |store| {
            Ok((
                store.members(&lookup)?,
                store.pending_invites(&lookup)?,
                store.advisory_downloads(&lookup)?,
            ))
        })
        .await?;
    Ok(Json(MembersResponse {
        exercise,
        members: members
            .into_iter()
            .map(|member| MemberView {
                email: member.email,
                role: member.role.to_string(),
                all_exercises: member.all_exercises,
            })
            .collect(),
        invitations: invites
            .into_iter()
            .map(|invite| PendingView {
                email: invite.email,
                role: invite.role.to_string(),
                invited_by: invite.invited_by,
                expires_at: invite.expires_at,
            })
            .collect(),
        advisory_downloads: downloads,
    }))
}

/// Whom to invite, to which role.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteMemberRequest {
    /// Their email address.
    pub email: String,
    /// `advisory`, `lead` or `owner`.
    pub role: String,
}

/// An invitation: a one-time sign-up link, shown once (only its hash is kept).
#[derive(Debug, Serialize, ToSchema)]
pub struct InviteMemberResponse {
    /// The email address invited.
    pub email: String,
    /// The role offered.
    pub role: String,
    /// The link to send them: they set their password there (or give the password of the
    /// account they already have) and have the role from then on.
    pub sign_up_url: String,
    /// When the link stops working (Unix seconds).
    pub expires_at: i64,
}

/// Invites a person by email to a role: a one-time sign-up link that works for 7 days
/// (owners). Sending it is up to the caller: the service sends no email yet.
#[utoipa::path(post, path = "/api/v1/exercises/{exercise}/members", operation_id = "inviteMember", tag = "accounts",
    params(("exercise" = String, Path)), request_body = InviteMemberRequest,
    responses((status = 201, body = InviteMemberResponse), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "Not an email address, or not a role: `field` names which")),
    security(("bearer" = []), ("session" = [])))]
pub async fn invite(
    State(state): State<AppState>,
    actor: AdminActor,
    headers: HeaderMap,
    ApiPath(exercise): ApiPath<String>,
    ApiJson(request): ApiJson<InviteMemberRequest>,
) -> Result<(StatusCode, Json<InviteMemberResponse>), AppError> {
    state
        .authorize(&actor, &exercise, Permission::Manage)
        .await?;
    stored_exercise(&state, &exercise).await?;
    let role = parse_role(&request.role)?;
    let email = request.email.trim().to_string();
    let lookup = email.clone();
    let token = state
        .blocking(move |store| {
            store.create_account_invite(
                &exercise,
                &lookup,
                role,
                store::INVITE_LIFETIME,
                &actor.name,
            )
        })
        .await?;
    let lookup = token.clone();
    let expires_at = state
        .blocking(move |store| store.account_invite(&lookup))
        .await?
        .map_or(0, |invite| invite.expires_at);
    Ok((
        StatusCode::CREATED,
        Json(InviteMemberResponse {
            email,
            role: role.to_string(),
            sign_up_url: sign_up_url(&state, &headers, &token),
            expires_at,
        }),
    ))
}

/// A new role.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRequest {
    /// `advisory`, `lead` or `owner`.
    pub role: String,
}

/// Gives an account a role in an exercise, or changes it (owners). The account must exist
/// (invite people who have none) and must not own every exercise.
#[utoipa::path(put, path = "/api/v1/exercises/{exercise}/members/{email}", operation_id = "setMemberRole", tag = "accounts",
    params(("exercise" = String, Path), ("email" = String, Path, description = "The account's email address")),
    request_body = RoleRequest,
    responses((status = 200, body = MemberView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The account owns every exercise: its role cannot be changed here"),
        (status = 422, body = ErrorBody, description = "No account has this email (invite them instead), or not a role")),
    security(("bearer" = []), ("session" = [])))]
pub async fn set_role(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, email)): ApiPath<(String, String)>,
    ApiJson(request): ApiJson<RoleRequest>,
) -> Result<Json<MemberView>, AppError> {
    state
        .authorize(&actor, &exercise, Permission::Manage)
        .await?;
    stored_exercise(&state, &exercise).await?;
    let role = parse_role(&request.role)?;
    let lookup = email.clone();
    state
        .blocking(move |store| store.set_role(&exercise, &lookup, role, &actor.name))
        .await?;
    Ok(Json(MemberView {
        email,
        role: role.to_string(),
        all_exercises: false,
    }))
}

/// Removes an account's role in an exercise (owners).
#[utoipa::path(delete, path = "/api/v1/exercises/{exercise}/members/{email}", operation_id = "removeMember", tag = "accounts",
    params(("exercise" = String, Path), ("email" = String, Path, description = "The account's email address")),
    responses((status = 204, description = "The role is removed"),
        (status = 404, body = ErrorBody, description = "No such exercise, or the account has no role in it"),
        (status = 409, body = ErrorBody, description = "The account owns every exercise: its role cannot be removed here"),
        (status = 422, body = ErrorBody, description = "No account has this email")),
    security(("bearer" = []), ("session" = [])))]
pub async fn remove(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath((exercise, email)): ApiPath<(String, String)>,
) -> Result<StatusCode, AppError> {
    state
        .authorize(&actor, &exercise, Permission::Manage)
        .await?;
    stored_exercise(&state, &exercise).await?;
    let (lookup, place) = (email.clone(), exercise.clone());
    let removed = state
        .blocking(move |store| store.remove_role(&place, &lookup, &actor.name))
        .await?;
    if removed {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound(format!(
            "{email} has no role in exercise `{exercise}`"
        )))
    }
}

/// What advisory members may do.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessRequest {
    /// Whether advisory members may download the raw responses (the exchange-format CSV).
    pub advisory_downloads: bool,
}

/// Allows or stops advisory members' downloads of raw responses (owners).
#[utoipa::path(put, path = "/api/v1/exercises/{exercise}/access", operation_id = "setAccess", tag = "accounts",
    params(("exercise" = String, Path)), request_body = AccessRequest,
    responses((status = 200, body = AccessRequest), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn set_access(
    State(state): State<AppState>,
    actor: AdminActor,
    ApiPath(exercise): ApiPath<String>,
    ApiJson(request): ApiJson<AccessRequest>,
) -> Result<Json<AccessRequest>, AppError> {
    state
        .authorize(&actor, &exercise, Permission::Manage)
        .await?;
    let allowed = request.advisory_downloads;
    state
        .blocking(move |store| store.set_advisory_downloads(&exercise, allowed, &actor.name))
        .await?;
    Ok(Json(AccessRequest {
        advisory_downloads: allowed,
    }))
}
