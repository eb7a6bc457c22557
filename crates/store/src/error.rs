//! Why opening a database or an operation failed.

use std::path::PathBuf;

use survey::answer::AnswerErrors;

#[cfg(doc)]
use crate::Store;
use crate::{MAX_IDEMPOTENCY_KEY, MAX_INVITES_PER_CALL, RoundState};

/// Why a database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// SQLite refused to open, configure or migrate the database.
    #[error("cannot open the database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database was made by a newer `prioritise`.
    #[error(
        "the database has schema version {found}, newer than this program's {latest}: use a newer prioritise"
    )]
    TooNew {
        /// The database's `user_version`.
        found: u32,
        /// The newest version this program knows.
        latest: u32,
    },
    /// The writer thread could not be started.
    #[error("cannot start the writer thread: {0}")]
    Thread(std::io::Error),
}

/// Why an operation failed. Messages start lowercase and say what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The transaction holding this request could not be committed; nothing of it is stored.
    #[error("the write could not be committed: {0}")]
    Commit(String),
    /// The writer thread has stopped (the store is shutting down).
    #[error("the store is shutting down")]
    WriterGone,
    /// A definition given to [`Store::put_exercise`] is not valid.
    #[error("{0}")]
    Definition(#[from] survey::DefinitionErrors),
    /// A stored definition no longer parses (it was valid when stored).
    #[error(
        "the stored definition of exercise `{exercise}` version {version} is not valid: {message}"
    )]
    StoredDefinition {
        /// The exercise id.
        exercise: String,
        /// The version.
        version: i64,
        /// What the parser said.
        message: String,
    },
    /// No exercise has this id.
    #[error("there is no exercise `{0}`")]
    UnknownExercise(String),
    /// The exercise has no round with this id.
    #[error("exercise `{exercise}` has no round `{round}`")]
    UnknownRound {
        /// The exercise id.
        exercise: String,
        /// The round id asked for.
        round: String,
    },
    /// The exercise has no group with this id.
    #[error("exercise `{exercise}` has no group `{group}` (its groups are: {known})")]
    UnknownGroup {
        /// The exercise id.
        exercise: String,
        /// The group id asked for.
        group: String,
        /// The exercise's group ids, comma-separated.
        known: String,
    },
    /// The exercise admits only respondents with an invite, and none was given.
    #[error("exercise `{0}` is invite-only: give the invite token from your invitation")]
    InviteRequired(String),
    /// The invite token is unknown, for another exercise, or already used.
    #[error("the invite token is not valid or has already been used")]
    InviteNotValid,
    /// No respondent has this id in this exercise.
    #[error("there is no respondent `{0}` in this exercise")]
    UnknownRespondent(String),
    /// The round is not open for answers.
    #[error("round `{round}` is {state}, not open: answers are taken only while a round is open")]
    RoundNotOpen {
        /// The round id.
        round: String,
        /// The round's state.
        state: RoundState,
    },
    /// The answer does not fit the round.
    #[error("{0}")]
    Answer(AnswerErrors),
    /// The idempotency key was used before for a different answer.
    #[error(
        "the idempotency key `{0}` was already used for a different answer: use a new key for a new submission"
    )]
    IdempotencyConflict(String),
    /// The idempotency key is empty or too long.
    #[error("the idempotency key must be 1 to {MAX_IDEMPOTENCY_KEY} bytes long")]
    IdempotencyKeyLength,
    /// An admin account with this email exists.
    #[error("there is already an admin account for `{0}`")]
    AdminExists(String),
    /// No admin account has this id.
    #[error("there is no admin account {0}")]
    UnknownAdmin(i64),
    /// Too many or too few invites were asked for.
    #[error("invites are created 1 to {MAX_INVITES_PER_CALL} at a time, not {0}")]
    InviteCount(u32),
    /// The backup destination already exists.
    #[error("the backup file `{0}` already exists: choose a new name")]
    BackupExists(PathBuf),
    /// Writing an export failed.
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    /// The round cannot open yet (too few items; see `survey::Round::ready`).
    #[error("{0}")]
    RoundNotReady(String),
    /// No account has this email.
    #[error("there is no account for `{0}`: invite them instead")]
    UnknownAccount(String),
    /// The account owns every exercise, so its role cannot be changed per exercise.
    #[error("`{0}` owns every exercise: their role cannot be changed for one exercise")]
    OwnsEveryExercise(String),
    /// Not an email address.
    #[error("`{0}` is not an email address")]
    NotAnEmail(String),
    /// A sign-up link that is unknown, used or expired.
    #[error(
        "this sign-up link does not work: it has been used, has expired or was never made; ask the person who invited you for a new one"
    )]
    InvitationNotValid,
    /// A new account needs a password.
    #[error("choose a password for your new account")]
    PasswordRequired,
    /// Nothing of this exercise is published.
    #[error("the results of `{0}` are not published")]
    NotPublished(String),
    /// A second reviewer's mark for a suggestion that is not decided (assigned or out of
    /// scope).
    #[error(
        "suggestion `{0}` is not decided yet: only an assigned or out-of-scope suggestion can be marked reviewed or queried"
    )]
    NotDecided(String),
    /// A second reviewer's mark by the account that made the decision.
    #[error(
        "you (`{actor}`) made the decision about suggestion `{suggestion}`: a second reviewer must be someone else"
    )]
    SelfReview {
        /// The suggestion id.
        suggestion: String,
        /// The account that both decided and tried to review.
        actor: String,
    },
    /// The definition changed since the version a change was based on.
    #[error(
        "the definition of `{exercise}` changed meanwhile (now version {found}, the change was made from version {expected}): reload and try again"
    )]
    VersionConflict {
        /// The exercise id.
        exercise: String,
        /// The version the change was based on.
        expected: i64,
        /// The current version.
        found: i64,
    },
    /// A round's closing time is not after its opening time.
    #[error(
        "the closing time must be after the opening time: a round cannot close before it opens"
    )]
    ScheduleOrder {
        /// The opening time (Unix seconds).
        opens: i64,
        /// The closing time (Unix seconds).
        closes: i64,
    },
}
