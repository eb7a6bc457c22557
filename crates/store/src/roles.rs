//! Roles per exercise (owner, lead, advisory), invitations of people to a role by a one-time
//! sign-up link, and whether advisory members may download raw responses.
//!
//! An account made with `prioritise admin add EMAIL` (and every account made before roles
//! existed) owns every exercise, present and future (`all_exercises`); every other account has
//! a role only in the exercises listed for it. Every change is in the audit log.

use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use crate::admins::{ADMIN_COLUMNS, admin_row};
use crate::audit::append_audit;
use crate::{Admin, Store, StoreError, secret};

/// What a person may do in one exercise. Ordered: an owner may do what a lead may, and a lead
/// what an advisory member may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Reads participation, results, the method report and the audit trail; changes nothing.
    Advisory,
    /// Runs the exercise: rounds, curation, shortlist, invites, definition, publishing.
    Lead,
    /// Everything, including who has which role.
    Owner,
}

impl Role {
    /// Every role, from the least to the most.
    pub const ALL: [Role; 3] = [Role::Advisory, Role::Lead, Role::Owner];

    /// `advisory`, `lead` or `owner`: the word stored, in the API and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Advisory => "advisory",
            Role::Lead => "lead",
            Role::Owner => "owner",
        }
    }

    /// The role a word names (`advisory`, `lead`, `owner`), if any.
    pub fn parse(text: &str) -> Option<Role> {
        match text.trim() {
            "advisory" => Some(Role::Advisory),
            "lead" => Some(Role::Lead),
            "owner" => Some(Role::Owner),
            _ => None,
        }
    }

    /// The role for people, in a sentence: "owner", "research lead", "advisory group member".
    pub fn label(self) -> &'static str {
        match self {
            Role::Advisory => "advisory group member",
            Role::Lead => "research lead",
            Role::Owner => "owner",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A person with a role in an exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The account id.
    pub admin: i64,
    /// The account's email.
    pub email: String,
    /// The role.
    pub role: Role,
    /// Whether the role comes from owning every exercise (it cannot be changed per exercise).
    pub all_exercises: bool,
}

/// An invitation to a role, as found by its sign-up link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInvite {
    /// The email address invited.
    pub email: String,
    /// The exercise.
    pub exercise: String,
    /// The role offered.
    pub role: Role,
    /// Who invited them (an email, or `token`).
    pub invited_by: String,
    /// When the link stops working (Unix seconds).
    pub expires_at: i64,
    /// Whether an account with this email exists already (then the link adds the role to it).
    pub account_exists: bool,
}

/// An invitation waiting to be accepted, for the owner's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingInvite {
    /// The email address invited.
    pub email: String,
    /// The role offered.
    pub role: Role,
    /// Who invited them.
    pub invited_by: String,
    /// When the link stops working (Unix seconds).
    pub expires_at: i64,
}

/// How long a sign-up link works unless the caller says otherwise: 7 days.
pub const INVITE_LIFETIME: Duration = Duration::from_secs(7 * 24 * 60 * 60);

impl Store {
    /// An account's role in an exercise: owner when it owns every exercise, else the role
    /// listed for it, else `None`.
    ///
    /// # Errors
    /// Database errors.
    pub fn role_in(&self, admin: i64, exercise: &str) -> Result<Option<Role>, StoreError> {
        self.read(|connection| role_in(connection, admin, exercise))
    }

    /// The exercises an account has a role in, with the role, in exercise id order (every
    /// exercise, as owner, for an account that owns every exercise).
    ///
    /// # Errors
    /// Database errors.
    pub fn roles_of(&self, admin: i64) -> Result<Vec<(String, Role)>, StoreError> {
        self.read(|connection| {
            let all: Option<bool> = connection
                .query_row(
                    "SELECT all_exercises FROM admins WHERE id = ?1",
                    params![admin],
                    |row| row.get(0),
                )
                .optional()?;
            let Some(all) = all else {
                return Ok(Vec::new());
            };
            let sql = if all {
                "SELECT id, 'owner' FROM exercises WHERE ?1 IS NOT NULL ORDER BY id"
            } else {
                "SELECT exercise_id, role FROM exercise_roles WHERE admin_id = ?1 ORDER BY exercise_id"
            };
            let mut statement = connection.prepare_cached(sql)?;
            let roles = statement
                .query_map(params![admin], |row| {
                    let exercise: String = row.get(0)?;
                    let role: String = row.get(1)?;
                    Ok((exercise, Role::parse(&role).unwrap_or(Role::Advisory)))
                })?
                .collect::<Result<_, _>>()?;
            Ok(roles)
        })
    }

    /// Everyone with a role in an exercise: the accounts that own every exercise first, then
    /// the others by role (owner first) and email.
    ///
    /// # Errors
    /// Database errors.
    pub fn members(&self, exercise: &str) -> Result<Vec<Member>, StoreError> {
        self.read(|connection| {
            let mut members: Vec<Member> = connection
                .prepare_cached(
                    "SELECT id, email FROM admins WHERE all_exercises = 1 ORDER BY email",
                )?
                .query_map([], |row| {
                    Ok(Member {
                        admin: row.get(0)?,
                        email: row.get(1)?,
                        role: Role::Owner,
                        all_exercises: true,
                    })
                })?
                .collect::<Result<_, _>>()?;
            let mut listed: Vec<Member> = connection
                .prepare_cached(
                    "SELECT a.id, a.email, r.role FROM exercise_roles r
                     JOIN admins a ON a.id = r.admin_id
                     WHERE r.exercise_id = ?1 AND a.all_exercises = 0",
                )?
                .query_map(params![exercise], |row| {
                    let role: String = row.get(2)?;
                    Ok(Member {
                        admin: row.get(0)?,
                        email: row.get(1)?,
                        role: Role::parse(&role).unwrap_or(Role::Advisory),
                        all_exercises: false,
                    })
                })?
                .collect::<Result<_, _>>()?;
            listed.sort_by(|left, right| {
                right
                    .role
                    .cmp(&left.role)
                    .then_with(|| left.email.to_lowercase().cmp(&right.email.to_lowercase()))
            });
            members.extend(listed);
            Ok(members)
        })
    }

    /// Gives an account a role in an exercise (or changes it), with an audit entry by `actor`.
    ///
    /// # Errors
    /// [`StoreError::UnknownExercise`], [`StoreError::UnknownAccount`],
    /// [`StoreError::OwnsEveryExercise`] (that account's role is owner everywhere), database
    /// errors.
    pub fn set_role(
        &self,
        exercise: &str,
        email: &str,
        role: Role,
        actor: &str,
    ) -> Result<(), StoreError> {
        let (exercise, email, actor) = (
            exercise.to_string(),
            email.trim().to_string(),
            actor.to_string(),
        );
        self.write(move |connection| {
            require_exercise(connection, &exercise)?;
            let admin = account_for_role_change(connection, &email)?;
            let before = listed_role(connection, admin.id, &exercise)?;
            connection.execute(
                "INSERT INTO exercise_roles (admin_id, exercise_id, role) VALUES (?1, ?2, ?3)
                 ON CONFLICT (admin_id, exercise_id) DO UPDATE SET role = excluded.role",
                params![admin.id, exercise, role.as_str()],
            )?;
            let change = match before {
                Some(before) if before == role => return Ok(()),
                Some(before) => format!("from {before} to {role}"),
                None => format!("as {role}"),
            };
            append_audit(
                connection,
                &actor,
                "set role",
                &format!("exercise {exercise} account {} {change}", admin.email),
            )?;
            Ok(())
        })
    }

    /// Removes an account's role in an exercise, with an audit entry by `actor`. Returns
    /// whether it had one.
    ///
    /// # Errors
    /// [`StoreError::UnknownAccount`], [`StoreError::OwnsEveryExercise`], database errors.
    pub fn remove_role(
        &self,
        exercise: &str,
        email: &str,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let (exercise, email, actor) = (
            exercise.to_string(),
            email.trim().to_string(),
            actor.to_string(),
        );
        self.write(move |connection| {
            let admin = account_for_role_change(connection, &email)?;
            let Some(before) = listed_role(connection, admin.id, &exercise)? else {
                return Ok(false);
            };
            connection.execute(
                "DELETE FROM exercise_roles WHERE admin_id = ?1 AND exercise_id = ?2",
                params![admin.id, exercise],
            )?;
            append_audit(
                connection,
                &actor,
                "remove role",
                &format!("exercise {exercise} account {} was {before}", admin.email),
            )?;
            Ok(true)
        })
    }

    /// Invites a person by email to a role in an exercise: returns the one-time token of their
    /// sign-up link (only its hash is kept), which works for `lifetime`. Adds an audit entry.
    ///
    /// # Errors
    /// [`StoreError::UnknownExercise`], [`StoreError::NotAnEmail`], database errors.
    pub fn create_account_invite(
        &self,
        exercise: &str,
        email: &str,
        role: Role,
        lifetime: Duration,
        actor: &str,
    ) -> Result<String, StoreError> {
        let email = email.trim().to_string();
        if !looks_like_email(&email) {
            return Err(StoreError::NotAnEmail(email));
        }
        let (exercise, actor) = (exercise.to_string(), actor.to_string());
        self.write(move |connection| {
            require_exercise(connection, &exercise)?;
            let token = secret::token();
            let now = secret::now_seconds();
            connection.execute(
                "INSERT INTO account_invites
                     (token_hash, email, exercise_id, role, created_by, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    secret::hash(&token),
                    email,
                    exercise,
                    role.as_str(),
                    actor,
                    now,
                    now.saturating_add(lifetime.as_secs() as i64)
                ],
            )?;
            append_audit(
                connection,
                &actor,
                "invite to role",
                &format!("exercise {exercise} email {email} as {role}"),
            )?;
            Ok(token)
        })
    }

    /// The invitation a sign-up link's token belongs to, if it is unused and has not expired.
    ///
    /// # Errors
    /// Database errors.
    pub fn account_invite(&self, token: &str) -> Result<Option<AccountInvite>, StoreError> {
        let hash = secret::hash(token);
        self.read(|connection| valid_invite(connection, &hash, secret::now_seconds()))
    }

    /// Invitations not yet accepted and not expired, newest first.
    ///
    /// # Errors
    /// Database errors.
    pub fn pending_invites(&self, exercise: &str) -> Result<Vec<PendingInvite>, StoreError> {
        self.read(|connection| {
            let invites = connection
                .prepare_cached(
                    "SELECT email, role, created_by, expires_at FROM account_invites
                     WHERE exercise_id = ?1 AND used_at IS NULL AND expires_at > ?2
                     ORDER BY created_at DESC, rowid DESC",
                )?
                .query_map(params![exercise, secret::now_seconds()], |row| {
                    let role: String = row.get(1)?;
                    Ok(PendingInvite {
                        email: row.get(0)?,
                        role: Role::parse(&role).unwrap_or(Role::Advisory),
                        invited_by: row.get(2)?,
                        expires_at: row.get(3)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(invites)
        })
    }

    /// Accepts an invitation, once: marks the link used and gives the invited email its role.
    /// When no account has that email, one is made with `password_hash` (required then); when
    /// one exists, the role is added to it and `password_hash` is ignored (the caller checks
    /// the existing password). Returns the account. Adds an audit entry.
    ///
    /// # Errors
    /// [`StoreError::InvitationNotValid`] (unknown, used or expired link: nothing changes),
    /// [`StoreError::PasswordRequired`], database errors.
    pub fn accept_account_invite(
        &self,
        token: &str,
        password_hash: Option<&str>,
    ) -> Result<Admin, StoreError> {
        let hash = secret::hash(token);
        let password_hash = password_hash.map(str::to_string);
        self.write(move |connection| {
            let now = secret::now_seconds();
            let Some(invite) = valid_invite(connection, &hash, now)? else {
                return Err(StoreError::InvitationNotValid);
            };
            let existing = admin_by_email(connection, &invite.email)?;
            let admin = match existing {
                Some(admin) => admin,
                None => {
                    let Some(password_hash) = &password_hash else {
                        return Err(StoreError::PasswordRequired);
                    };
                    connection.execute(
                        "INSERT INTO admins (email, password_hash, created_at, all_exercises)
                         VALUES (?1, ?2, ?3, 0)",
                        params![invite.email, password_hash, now],
                    )?;
                    let id = connection.last_insert_rowid();
                    Admin {
                        id,
                        email: invite.email.clone(),
                        password_hash: password_hash.clone(),
                        all_exercises: false,
                    }
                }
            };
            connection.execute(
                "UPDATE account_invites SET used_at = ?2 WHERE token_hash = ?1",
                params![hash, now],
            )?;
            if !admin.all_exercises {
                connection.execute(
                    "INSERT INTO exercise_roles (admin_id, exercise_id, role) VALUES (?1, ?2, ?3)
                     ON CONFLICT (admin_id, exercise_id) DO UPDATE SET role = excluded.role",
                    params![admin.id, invite.exercise, invite.role.as_str()],
                )?;
            }
            append_audit(
                connection,
                &admin.email,
                "accept invitation",
                &format!(
                    "exercise {} as {} (invited by {})",
                    invite.exercise, invite.role, invite.invited_by
                ),
            )?;
            Ok(admin)
        })
    }

    /// Whether advisory members of an exercise may download its raw responses.
    ///
    /// # Errors
    /// [`StoreError::UnknownExercise`], database errors.
    pub fn advisory_downloads(&self, exercise: &str) -> Result<bool, StoreError> {
        self.read(|connection| {
            connection
                .query_row(
                    "SELECT advisory_downloads FROM exercises WHERE id = ?1",
                    params![exercise],
                    |row| row.get::<_, bool>(0),
                )
                .optional()?
                .ok_or_else(|| StoreError::UnknownExercise(exercise.to_string()))
        })
    }

    /// Allows or stops advisory members' downloads of raw responses, with an audit entry.
    ///
    /// # Errors
    /// [`StoreError::UnknownExercise`], database errors.
    pub fn set_advisory_downloads(
        &self,
        exercise: &str,
        allowed: bool,
        actor: &str,
    ) -> Result<(), StoreError> {
        let (exercise, actor) = (exercise.to_string(), actor.to_string());
        self.write(move |connection| {
            let changed = connection.execute(
                "UPDATE exercises SET advisory_downloads = ?2 WHERE id = ?1",
                params![exercise, allowed],
            )?;
            if changed == 0 {
                return Err(StoreError::UnknownExercise(exercise));
            }
            append_audit(
                connection,
                &actor,
                if allowed {
                    "allow advisory downloads"
                } else {
                    "stop advisory downloads"
                },
                &format!("exercise {exercise}"),
            )?;
            Ok(())
        })
    }
}

/// Whether a text is plausibly an email address: something, `@`, something with a dot, no
/// spaces or angle brackets.
pub(crate) fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && text.len() <= 254
        && !text
            .chars()
            .any(|character| character.is_whitespace() || "<>,;\"".contains(character))
}

fn role_in(
    connection: &Connection,
    admin: i64,
    exercise: &str,
) -> Result<Option<Role>, StoreError> {
    let all: Option<bool> = connection
        .query_row(
            "SELECT all_exercises FROM admins WHERE id = ?1",
            params![admin],
            |row| row.get(0),
        )
        .optional()?;
    match all {
        None => Ok(None),
        Some(true) => Ok(Some(Role::Owner)),
        Some(false) => listed_role(connection, admin, exercise),
    }
}

fn listed_role(
    connection: &Connection,
    admin: i64,
    exercise: &str,
) -> Result<Option<Role>, StoreError> {
    let role: Option<String> = connection
        .query_row(
            "SELECT role FROM exercise_roles WHERE admin_id = ?1 AND exercise_id = ?2",
            params![admin, exercise],
            |row| row.get(0),
        )
        .optional()?;
    Ok(role.as_deref().and_then(Role::parse))
}

fn require_exercise(connection: &Connection, exercise: &str) -> Result<(), StoreError> {
    let exists: Option<i64> = connection
        .query_row(
            "SELECT 1 FROM exercises WHERE id = ?1",
            params![exercise],
            |row| row.get(0),
        )
        .optional()?;
    exists
        .map(|_| ())
        .ok_or_else(|| StoreError::UnknownExercise(exercise.to_string()))
}

fn admin_by_email(connection: &Connection, email: &str) -> Result<Option<Admin>, StoreError> {
    Ok(connection
        .query_row(
            &format!("SELECT {ADMIN_COLUMNS} FROM admins WHERE email = ?1"),
            params![email.trim()],
            admin_row,
        )
        .optional()?)
}

/// The account whose per-exercise role is to change: it must exist and must not own every
/// exercise.
fn account_for_role_change(connection: &Connection, email: &str) -> Result<Admin, StoreError> {
    let admin = admin_by_email(connection, email)?
        .ok_or_else(|| StoreError::UnknownAccount(email.to_string()))?;
    if admin.all_exercises {
        return Err(StoreError::OwnsEveryExercise(admin.email));
    }
    Ok(admin)
}

fn valid_invite(
    connection: &Connection,
    hash: &str,
    now: i64,
) -> Result<Option<AccountInvite>, StoreError> {
    let found = connection
        .query_row(
            "SELECT i.email, i.exercise_id, i.role, i.created_by, i.expires_at,
                    EXISTS (SELECT 1 FROM admins a WHERE a.email = i.email)
             FROM account_invites i
             WHERE i.token_hash = ?1 AND i.used_at IS NULL AND i.expires_at > ?2",
            params![hash, now],
            |row| {
                let role: String = row.get(2)?;
                Ok(AccountInvite {
                    email: row.get(0)?,
                    exercise: row.get(1)?,
                    role: Role::parse(&role).unwrap_or(Role::Advisory),
                    invited_by: row.get(3)?,
                    expires_at: row.get(4)?,
                    account_exists: row.get(5)?,
                })
            },
        )
        .optional()?;
    Ok(found)
}
