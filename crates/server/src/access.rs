//! Who may do what in an exercise: roles (owner, lead, advisory; see `store::Role`) against
//! what a route needs ([`Permission`]). Every admin page and API route calls
//! [`AppState::authorize`] (or [`require_all_exercises`] for what is not about one exercise)
//! before it reads or changes anything; `tests/it/roles.rs` walks every route with every role.

use store::Role;

use crate::AppState;
use crate::auth::AdminActor;
use crate::error::AppError;

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Reading: participation, results overall and by group, the method report, the audit
    /// trail, the curation and shortlist views. Every role.
    Read,
    /// Downloading raw responses (the exchange-format CSV): leads and owners, and advisory
    /// members when the owner allows it for the exercise.
    Download,
    /// Running the exercise: rounds, schedules, curation, shortlist, invites, the definition,
    /// publishing. Leads and owners.
    Run,
    /// Changing who has which role, and what advisory members may download. Owners.
    Manage,
}

/// Who is asking, as the role check needs it: from the API's [`AdminActor`] or a page's
/// signed-in [`store::Admin`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Who, for the audit log.
    pub name: String,
    /// The account id; `None` for the admin token.
    pub account: Option<i64>,
    /// Whether it owns every exercise.
    pub all_exercises: bool,
}

impl From<&AdminActor> for Caller {
    fn from(actor: &AdminActor) -> Caller {
        Caller {
            name: actor.name.clone(),
            account: actor.account,
            all_exercises: actor.all_exercises,
        }
    }
}

impl From<&store::Admin> for Caller {
    fn from(admin: &store::Admin) -> Caller {
        Caller {
            name: admin.email.clone(),
            account: Some(admin.id),
            all_exercises: admin.all_exercises,
        }
    }
}

/// Refuses a caller that does not own every exercise: adding exercises, and the service-wide
/// audit log.
///
/// # Errors
/// [`AppError::Forbidden`].
pub fn require_all_exercises(caller: impl Into<Caller>) -> Result<(), AppError> {
    if caller.into().all_exercises {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only an account that owns every exercise can do this".to_string(),
        ))
    }
}

impl AppState {
    /// The caller's role in an exercise, if any (owner for one that owns every exercise).
    ///
    /// # Errors
    /// Store errors.
    pub async fn role_of(
        &self,
        caller: impl Into<Caller>,
        exercise: &str,
    ) -> Result<Option<Role>, AppError> {
        let caller = caller.into();
        if caller.all_exercises {
            return Ok(Some(Role::Owner));
        }
        let Some(account) = caller.account else {
            return Ok(None);
        };
        let exercise = exercise.to_string();
        self.blocking(move |store| store.role_in(account, &exercise))
            .await
    }

    /// Checks that the caller may do what `need` names in `exercise`, and returns their role.
    ///
    /// # Errors
    /// [`AppError::Forbidden`] saying why, store errors.
    pub async fn authorize(
        &self,
        caller: impl Into<Caller>,
        exercise: &str,
        need: Permission,
    ) -> Result<Role, AppError> {
        let Some(role) = self.role_of(caller, exercise).await? else {
            return Err(AppError::Forbidden(format!(
                "you have no role in exercise `{exercise}`: ask its owner to invite you"
            )));
        };
        let allowed = match need {
            Permission::Read => true,
            Permission::Download => {
                role >= Role::Lead || {
                    let lookup = exercise.to_string();
                    self.blocking(move |store| store.advisory_downloads(&lookup))
                        .await?
                }
            }
            Permission::Run => role >= Role::Lead,
            Permission::Manage => role == Role::Owner,
        };
        if allowed {
            return Ok(role);
        }
        Err(AppError::Forbidden(match need {
            Permission::Download => format!(
                "the owner of exercise `{exercise}` has not allowed advisory members to download its raw responses"
            ),
            Permission::Manage => {
                format!("only an owner of exercise `{exercise}` can change who has which role")
            }
            _ => format!(
                "as an {} you can read exercise `{exercise}` but not change it: ask its owner for the lead role",
                role.label()
            ),
        }))
    }
}
