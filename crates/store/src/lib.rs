//! `store`: durable storage of `prioritise` in SQLite. The only crate that runs SQL, always with
//! bound parameters.
//!
//! - [`Store::open`] opens or creates a database file in WAL mode with `synchronous=FULL`,
//!   foreign keys on and a busy timeout, and applies the [`migrations`] it lacks.
//! - Every write goes through one writer thread that commits waiting requests together (group
//!   commit, see `writer.rs`); a call returns only after its commit. Reads use a small pool of
//!   read-only connections.
//! - The API is blocking, for `tokio::task::spawn_blocking`; [`Store`] is cheap to clone and
//!   `Send + Sync`.
//!
//! Anonymity: nothing stored joins a respondent to an invite, an address or a precise time.
//! Respondents and answers carry only the day (UTC) they were made.
#![deny(missing_docs)]

mod curation;
pub mod migrations;
mod secret;
mod writer;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use survey::Exercise;
use survey::answer::{Answer, AnswerErrors, AnswerWriter};

pub use curation::{Continuation, CurationDecision, StoredSuggestion};
pub use migrations::MIGRATIONS;

/// How long a connection waits for a lock held by another process before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// The number of read-only connections in the pool.
const READ_CONNECTIONS: usize = 4;
/// The most invites created in one call.
pub const MAX_INVITES_PER_CALL: u32 = 10_000;
/// The longest idempotency key accepted, in bytes.
pub const MAX_IDEMPOTENCY_KEY: usize = 128;

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
}

/// The state of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoundState {
    /// Not yet open: no answers taken.
    Draft,
    /// Taking answers.
    Open,
    /// Closed: no answers taken any more.
    Closed,
}

impl RoundState {
    /// `draft`, `open` or `closed`.
    pub fn as_str(self) -> &'static str {
        match self {
            RoundState::Draft => "draft",
            RoundState::Open => "open",
            RoundState::Closed => "closed",
        }
    }

    fn parse(text: &str) -> RoundState {
        match text {
            "open" => RoundState::Open,
            "closed" => RoundState::Closed,
            _ => RoundState::Draft,
        }
    }
}

impl std::fmt::Display for RoundState {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A round's state and when it last changed (Unix seconds; admin actions, not respondents').
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundStatus {
    /// The round id.
    pub round: String,
    /// Its state.
    pub state: RoundState,
    /// When it was last opened.
    pub opened_at: Option<i64>,
    /// When it was last closed.
    pub closed_at: Option<i64>,
}

/// An exercise with its current definition and the states of its rounds.
#[derive(Debug, Clone)]
pub struct StoredExercise {
    /// The current definition, parsed.
    pub exercise: Arc<Exercise>,
    /// The current definition's version (1 for the first).
    pub version: i64,
    /// The TOML text of the current definition.
    pub source: String,
    /// The state of each round of the current definition, in the definition's order.
    pub rounds: Vec<RoundStatus>,
}

/// The outcome of [`Store::put_exercise`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutExercise {
    /// The exercise id.
    pub exercise: String,
    /// The current version after the call.
    pub version: i64,
    /// Whether a new version was stored (false when the text equals the current version's).
    pub changed: bool,
}

/// A new respondent: the id to use in API paths and the code to resume on another device. The
/// code is shown once; only its hash is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRespondent {
    /// The random respondent id.
    pub respondent: String,
    /// The resume code, as `xxxx-xxxx-xxxx-xxxx`.
    pub resume_code: String,
}

/// A respondent as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respondent {
    /// The respondent id.
    pub id: String,
    /// The exercise id.
    pub exercise: String,
    /// The stakeholder group id, chosen once.
    pub group: String,
}

/// One answer to save or submit.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// The exercise id.
    pub exercise: String,
    /// The round id.
    pub round: String,
    /// The respondent id.
    pub respondent: String,
    /// The answer, checked against the round's current definition before it is stored.
    pub answer: Answer,
    /// `true` submits; `false` saves a draft.
    pub submit: bool,
    /// A key chosen by the client for this submission: repeating a request with the same key
    /// returns the first receipt and stores nothing more.
    pub idempotency_key: Option<String>,
}

/// The confirmation of a stored answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// A random receipt id, unique per stored answer.
    pub receipt: String,
    /// Whether the answer was submitted (else saved as a draft).
    pub submitted: bool,
    /// Whether this call repeated an earlier one (same idempotency key) and stored nothing.
    pub replayed: bool,
}

/// An answer as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnswer {
    /// The answer.
    pub answer: Answer,
    /// Whether it was submitted (else a draft).
    pub submitted: bool,
    /// Its receipt id.
    pub receipt: String,
    /// The day it was saved, `YYYY-MM-DD` (UTC).
    pub saved_day: String,
}

/// How many respondents of a group submitted an answer to a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    /// The round id.
    pub round: String,
    /// The group id.
    pub group: String,
    /// Respondents with a submitted answer.
    pub respondents: u64,
}

/// An admin account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    /// The account id.
    pub id: i64,
    /// The email address (unique, case-insensitive).
    pub email: String,
    /// The password hash string the caller gave (for example an Argon2id PHC string).
    pub password_hash: String,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The entry id, increasing.
    pub id: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// Who (an admin's email, or `token` for the admin token).
    pub actor: String,
    /// What, as a short verb phrase such as `open round`.
    pub action: String,
    /// The details, such as `exercise childrens-social-care round rank`.
    pub detail: String,
}

/// Counts of the writer's work since the store was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    /// Transactions committed (or attempted).
    pub transactions: u64,
    /// Write requests handled.
    pub requests: u64,
}

/// The store. Cheap to clone; all clones share one writer thread and one read pool.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    sender: Option<mpsc::Sender<writer::Request>>,
    writer: Option<JoinHandle<()>>,
    counters: Arc<writer::Counters>,
    readers: Mutex<Vec<Connection>>,
    reader_returned: Condvar,
    /// Parsed definitions by (exercise id, version), so that answers are checked without
    /// parsing TOML again.
    definitions: Arc<Definitions>,
}

/// Parsed definitions by (exercise id, version).
type Definitions = Mutex<HashMap<(String, i64), Arc<Exercise>>>;

impl Drop for Inner {
    fn drop(&mut self) {
        // The read connections close first, so that the writer's connection is the last: it
        // checkpoints the WAL into the database file and removes it (a read-only connection
        // cannot).
        self.readers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
        // Closing the channel ends the writer once it has committed what it holds.
        drop(self.sender.take());
        if let Some(handle) = self.writer.take() {
            let _ = handle.join();
        }
    }
}

fn configure(connection: &Connection) -> rusqlite::Result<()> {
    connection.busy_timeout(BUSY_TIMEOUT)?;
    connection.pragma_update(None, "foreign_keys", true)?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

impl Store {
    /// Opens the database at `path`, creating it if needed, and migrates it to the latest schema.
    ///
    /// # Errors
    /// [`OpenError`] when SQLite cannot open, configure or migrate the file, or when the file's
    /// schema is newer than this program's.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, OpenError> {
        let path = path.as_ref();
        let mut connection = Connection::open(path)?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        let mode: String =
            connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        debug_assert!(mode.eq_ignore_ascii_case("wal"), "journal mode {mode}");
        configure(&connection)?;
        migrations::migrate(&mut connection)?;
        let mut readers = Vec::with_capacity(READ_CONNECTIONS);
        for _ in 0..READ_CONNECTIONS {
            let reader = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            configure(&reader)?;
            readers.push(reader);
        }
        let (sender, receiver) = mpsc::channel();
        let counters = Arc::new(writer::Counters::default());
        let thread_counters = Arc::clone(&counters);
        let handle = std::thread::Builder::new()
            .name("store-writer".to_string())
            .spawn(move || writer::run(connection, receiver, thread_counters))
            .map_err(OpenError::Thread)?;
        Ok(Store {
            inner: Arc::new(Inner {
                sender: Some(sender),
                writer: Some(handle),
                counters,
                readers: Mutex::new(readers),
                reader_returned: Condvar::new(),
                definitions: Arc::new(Mutex::new(HashMap::new())),
            }),
        })
    }

    /// Counts of transactions and requests handled by the writer: with group commit, fewer
    /// transactions than requests under load.
    pub fn write_stats(&self) -> WriteStats {
        WriteStats {
            transactions: self.inner.counters.transactions.load(Ordering::Relaxed),
            requests: self.inner.counters.requests.load(Ordering::Relaxed),
        }
    }

    /// Runs `work` on the writer thread inside the group's transaction and returns its result
    /// once the transaction has committed.
    fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answer) = mpsc::sync_channel::<Result<T, StoreError>>(1);
        let request: writer::Request = Box::new(move |connection: Option<&Connection>| {
            let result = match connection {
                Some(connection) => work(connection),
                None => Err(StoreError::WriterGone),
            };
            let succeeded = result.is_ok();
            let completion: writer::Completion = Box::new(move |committed| {
                let _ = reply.send(committed.and(result));
            });
            (succeeded, completion)
        });
        self.inner
            .sender
            .as_ref()
            .ok_or(StoreError::WriterGone)?
            .send(request)
            .map_err(|_| StoreError::WriterGone)?;
        answer.recv().map_err(|_| StoreError::WriterGone)?
    }

    /// Runs `work` on a read-only connection of the pool.
    fn read<T>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let connection = {
            let mut readers = self
                .inner
                .readers
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            loop {
                if let Some(connection) = readers.pop() {
                    break connection;
                }
                readers = self
                    .inner
                    .reader_returned
                    .wait(readers)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
            }
        };
        let result = work(&connection);
        self.inner
            .readers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(connection);
        self.inner.reader_returned.notify_one();
        result
    }

    /// The parsed definition of a stored version, from the cache or parsed once.
    fn definition(
        &self,
        exercise: &str,
        version: i64,
        source: &str,
    ) -> Result<Arc<Exercise>, StoreError> {
        cached_definition(&self.inner.definitions, exercise, version, source)
    }

    /// Stores a definition (TOML) as the exercise's new version; every version is kept. Rounds
    /// new to the exercise start as drafts; the states of existing rounds are kept. Nothing is
    /// stored when the text equals the current version's. Adds an audit entry by `actor`.
    ///
    /// # Errors
    /// [`StoreError::Definition`] when the definition is not valid (with file, line and field);
    /// database errors.
    pub fn put_exercise(
        &self,
        source: &str,
        source_name: &str,
        actor: &str,
    ) -> Result<PutExercise, StoreError> {
        self.put_exercise_checked(source, source_name, actor, None)
    }

    fn put_exercise_checked(
        &self,
        source: &str,
        source_name: &str,
        actor: &str,
        based_on: Option<i64>,
    ) -> Result<PutExercise, StoreError> {
        let exercise = Exercise::parse(source, source_name)?;
        let source = source.to_string();
        let actor = actor.to_string();
        self.write(move |connection| {
            put_definition(connection, &exercise, &source, &actor, based_on)
        })
    }

    /// Every exercise with its current definition and round states, by id.
    ///
    /// # Errors
    /// Database errors, or a stored definition that no longer parses.
    pub fn exercises(&self) -> Result<Vec<StoredExercise>, StoreError> {
        let ids: Vec<String> = self.read(|connection| {
            let mut statement = connection.prepare("SELECT id FROM exercises ORDER BY id")?;
            let ids = statement
                .query_map([], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(ids)
        })?;
        let mut exercises = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(exercise) = self.exercise(&id)? {
                exercises.push(exercise);
            }
        }
        Ok(exercises)
    }

    /// One exercise with its current definition and round states, or `None`.
    ///
    /// # Errors
    /// Database errors, or a stored definition that no longer parses.
    pub fn exercise(&self, id: &str) -> Result<Option<StoredExercise>, StoreError> {
        let found = self.read(|connection| {
            let Some((version, source)) = current_definition(connection, id)? else {
                return Ok(None);
            };
            let mut statement = connection.prepare_cached(
                "SELECT round_id, state, opened_at, closed_at FROM rounds WHERE exercise_id = ?1",
            )?;
            let states: HashMap<String, RoundStatus> = statement
                .query_map(params![id], |row| {
                    let round: String = row.get(0)?;
                    let state: String = row.get(1)?;
                    Ok((
                        round.clone(),
                        RoundStatus {
                            round,
                            state: RoundState::parse(&state),
                            opened_at: row.get(2)?,
                            closed_at: row.get(3)?,
                        },
                    ))
                })?
                .collect::<Result<_, _>>()?;
            Ok(Some((version, source, states)))
        })?;
        let Some((version, source, mut states)) = found else {
            return Ok(None);
        };
        let exercise = self.definition(id, version, &source)?;
        let rounds = exercise
            .rounds
            .iter()
            .map(|round| {
                states
                    .remove(round.id.as_str())
                    .unwrap_or_else(|| RoundStatus {
                        round: round.id.to_string(),
                        state: RoundState::Draft,
                        opened_at: None,
                        closed_at: None,
                    })
            })
            .collect();
        Ok(Some(StoredExercise {
            exercise,
            version,
            source,
            rounds,
        }))
    }

    /// Every stored version of an exercise's definition, oldest first: (version, TOML text).
    ///
    /// # Errors
    /// Database errors.
    pub fn exercise_versions(&self, id: &str) -> Result<Vec<(i64, String)>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare(
                "SELECT version, definition FROM exercise_versions WHERE exercise_id = ?1 ORDER BY version",
            )?;
            let versions = statement
                .query_map(params![id], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?;
            Ok(versions)
        })
    }

    /// Opens or closes a round (or returns it to draft), with an audit entry by `actor`.
    ///
    /// # Errors
    /// [`StoreError::UnknownExercise`], [`StoreError::UnknownRound`] (a round of the current
    /// definition), database errors.
    pub fn set_round_state(
        &self,
        exercise: &str,
        round: &str,
        state: RoundState,
        actor: &str,
    ) -> Result<(), StoreError> {
        let stored = self
            .exercise(exercise)?
            .ok_or_else(|| StoreError::UnknownExercise(exercise.to_string()))?;
        let Some(definition) = stored.exercise.round(round) else {
            return Err(StoreError::UnknownRound {
                exercise: exercise.to_string(),
                round: round.to_string(),
            });
        };
        if state == RoundState::Open {
            definition.ready().map_err(StoreError::RoundNotReady)?;
        }
        let (exercise, round, actor) = (exercise.to_string(), round.to_string(), actor.to_string());
        self.write(move |connection| {
            let now = secret::now_seconds();
            let sql = match state {
                RoundState::Open => {
                    "UPDATE rounds SET state = 'open', opened_at = ?3 WHERE exercise_id = ?1 AND round_id = ?2"
                }
                RoundState::Closed => {
                    "UPDATE rounds SET state = 'closed', closed_at = ?3 WHERE exercise_id = ?1 AND round_id = ?2"
                }
                RoundState::Draft => {
                    "UPDATE rounds SET state = 'draft' WHERE exercise_id = ?1 AND round_id = ?2 AND ?3 IS NOT NULL"
                }
            };
            let changed = connection.execute(sql, params![exercise, round, now])?;
            if changed == 0 {
                return Err(StoreError::UnknownRound { exercise, round });
            }
            append_audit(
                connection,
                &actor,
                &format!("set round {state}"),
                &format!("exercise {exercise} round {round}"),
            )?;
            Ok(())
        })
    }

    /// Starts a respondent in `group` (chosen once). An invite, when given, is consumed in the
    /// same transaction; exercises marked invite-only require one. Nothing stored links the
    /// respondent to the invite. Returns the respondent id and the resume code (shown once).
    ///
    /// # Errors
    /// [`StoreError::UnknownExercise`], [`StoreError::UnknownGroup`],
    /// [`StoreError::InviteRequired`], [`StoreError::InviteNotValid`] (unknown or used),
    /// database errors.
    pub fn create_respondent(
        &self,
        exercise: &str,
        group: &str,
        invite: Option<&str>,
    ) -> Result<NewRespondent, StoreError> {
        let stored = self
            .exercise(exercise)?
            .ok_or_else(|| StoreError::UnknownExercise(exercise.to_string()))?;
        if stored.exercise.group(group).is_none() {
            return Err(StoreError::UnknownGroup {
                exercise: exercise.to_string(),
                group: group.to_string(),
                known: stored
                    .exercise
                    .groups
                    .iter()
                    .map(|group| group.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if stored.exercise.invite_only && invite.is_none() {
            return Err(StoreError::InviteRequired(exercise.to_string()));
        }
        let invite_hash = invite.map(|token| secret::hash(token.trim()));
        let (exercise, group) = (exercise.to_string(), group.to_string());
        self.write(move |connection| {
            if let Some(hash) = &invite_hash {
                let consumed = connection.execute(
                    "UPDATE invites SET used = 1 WHERE token_hash = ?1 AND exercise_id = ?2 AND used = 0",
                    params![hash, exercise],
                )?;
                if consumed != 1 {
                    return Err(StoreError::InviteNotValid);
                }
            }
            let respondent = secret::respondent_id();
            let resume_code = secret::resume_code();
            connection.execute(
                "INSERT INTO respondents (id, exercise_id, group_id, resume_hash, created_day)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    respondent,
                    exercise,
                    group,
                    secret::hash(&secret::normalise_code(&resume_code)),
                    secret::today()
                ],
            )?;
            Ok(NewRespondent {
                respondent,
                resume_code,
            })
        })
    }

    /// The respondent a resume code belongs to, in `exercise`. Dashes, spaces and case in the
    /// code do not matter.
    ///
    /// # Errors
    /// Database errors.
    pub fn resume(&self, exercise: &str, code: &str) -> Result<Option<Respondent>, StoreError> {
        let hash = secret::hash(&secret::normalise_code(code));
        self.read(|connection| {
            Ok(connection
                .query_row(
                    "SELECT id, exercise_id, group_id FROM respondents
                     WHERE resume_hash = ?1 AND exercise_id = ?2",
                    params![hash, exercise],
                    respondent_row,
                )
                .optional()?)
        })
    }

    /// A respondent by id.
    ///
    /// # Errors
    /// Database errors.
    pub fn respondent(&self, id: &str) -> Result<Option<Respondent>, StoreError> {
        self.read(|connection| {
            Ok(connection
                .query_row(
                    "SELECT id, exercise_id, group_id FROM respondents WHERE id = ?1",
                    params![id],
                    respondent_row,
                )
                .optional()?)
        })
    }

    /// Saves a draft or submits an answer. The answer is checked against the round of the
    /// current definition, and the round must be open, both inside the write transaction. A
    /// later answer becomes the respondent's current one; earlier ones are kept as history. With
    /// an idempotency key already used for this respondent and round, the first receipt is
    /// returned and nothing is stored (the same key with a different answer is refused).
    ///
    /// # Errors
    /// [`StoreError::UnknownExercise`], [`StoreError::UnknownRound`],
    /// [`StoreError::UnknownRespondent`], [`StoreError::RoundNotOpen`], [`StoreError::Answer`]
    /// (every problem with the answer), [`StoreError::IdempotencyConflict`],
    /// [`StoreError::IdempotencyKeyLength`], database and commit errors.
    pub fn save_answer(&self, submission: Submission) -> Result<Receipt, StoreError> {
        if let Some(key) = &submission.idempotency_key
            && (key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY)
        {
            return Err(StoreError::IdempotencyKeyLength);
        }
        let cache = Arc::clone(&self.inner.definitions);
        self.write(move |connection| save_answer_in(&cache, connection, submission))
    }

    /// A respondent's current answer to a round: the latest saved, draft or submitted.
    ///
    /// # Errors
    /// Database errors, or a stored answer that is not valid JSON.
    pub fn current_answer(
        &self,
        exercise: &str,
        round: &str,
        respondent: &str,
    ) -> Result<Option<StoredAnswer>, StoreError> {
        Ok(self
            .answer_history(exercise, round, respondent)?
            .into_iter()
            .next_back())
    }

    /// Every answer a respondent saved for a round, oldest first, superseded ones included.
    ///
    /// # Errors
    /// Database errors, or a stored answer that is not valid JSON.
    pub fn answer_history(
        &self,
        exercise: &str,
        round: &str,
        respondent: &str,
    ) -> Result<Vec<StoredAnswer>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT body, submitted, receipt, saved_day FROM answers
                 WHERE respondent_id = ?1 AND exercise_id = ?2 AND round_id = ?3 ORDER BY id",
            )?;
            let rows = statement
                .query_map(params![respondent, exercise, round], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(body, submitted, receipt, saved_day)| {
                    Ok(StoredAnswer {
                        answer: parse_body(&body)?,
                        submitted,
                        receipt,
                        saved_day,
                    })
                })
                .collect()
        })
    }

    /// Respondents with a submitted answer, by round and group (only pairs with at least one).
    ///
    /// # Errors
    /// Database errors.
    pub fn participation(&self, exercise: &str) -> Result<Vec<Participation>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT a.round_id, r.group_id, COUNT(*) FROM answers a
                 JOIN respondents r ON r.id = a.respondent_id
                 WHERE a.exercise_id = ?1 AND a.submitted = 1 AND a.latest = 1
                 GROUP BY a.round_id, r.group_id ORDER BY a.round_id, r.group_id",
            )?;
            let rows = statement
                .query_map(params![exercise], |row| {
                    Ok(Participation {
                        round: row.get(0)?,
                        group: row.get(1)?,
                        respondents: row.get::<_, i64>(2)? as u64,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
    }

    /// Writes the current submitted answers of a round in the exchange format (through
    /// `survey`'s writer, text neutralised for spreadsheets), streaming, in submission order.
    /// Returns the output and the number of respondents written.
    ///
    /// # Errors
    /// [`StoreError::UnknownExercise`], [`StoreError::UnknownRound`], [`StoreError::Io`] (the
    /// output, or a stored answer that no longer fits the round's shape), database errors.
    pub fn export_round<W: Write>(
        &self,
        exercise: &str,
        round: &str,
        output: W,
    ) -> Result<(W, u64), StoreError> {
        let stored = self
            .exercise(exercise)?
            .ok_or_else(|| StoreError::UnknownExercise(exercise.to_string()))?;
        let round_definition =
            stored
                .exercise
                .round(round)
                .ok_or_else(|| StoreError::UnknownRound {
                    exercise: exercise.to_string(),
                    round: round.to_string(),
                })?;
        let mut writer = AnswerWriter::new(output, round_definition)?;
        let count = self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT a.respondent_id, r.group_id, a.body FROM answers a
                 JOIN respondents r ON r.id = a.respondent_id
                 WHERE a.exercise_id = ?1 AND a.round_id = ?2 AND a.submitted = 1 AND a.latest = 1
                 ORDER BY a.id",
            )?;
            let mut rows = statement.query(params![exercise, round])?;
            let mut count = 0u64;
            while let Some(row) = rows.next()? {
                let respondent = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
                let group = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
                let body = row.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
                let answer = parse_body(body)?;
                writer.write(respondent, group, &answer)?;
                count += 1;
            }
            Ok(count)
        })?;
        Ok((writer.finish()?, count))
    }

    /// Creates `count` invite tokens for an exercise and returns them; only their hashes are
    /// kept, so they cannot be shown again. Adds an audit entry by `actor`.
    ///
    /// # Errors
    /// [`StoreError::InviteCount`], [`StoreError::UnknownExercise`], database errors.
    pub fn create_invites(
        &self,
        exercise: &str,
        count: u32,
        actor: &str,
    ) -> Result<Vec<String>, StoreError> {
        if count == 0 || count > MAX_INVITES_PER_CALL {
            return Err(StoreError::InviteCount(count));
        }
        let (exercise, actor) = (exercise.to_string(), actor.to_string());
        self.write(move |connection| {
            let exists: Option<i64> = connection
                .query_row(
                    "SELECT 1 FROM exercises WHERE id = ?1",
                    params![exercise],
                    |row| row.get(0),
                )
                .optional()?;
            if exists.is_none() {
                return Err(StoreError::UnknownExercise(exercise));
            }
            let now = secret::now_seconds();
            let mut statement = connection.prepare_cached(
                "INSERT INTO invites (token_hash, exercise_id, created_at) VALUES (?1, ?2, ?3)",
            )?;
            let mut tokens = Vec::with_capacity(count as usize);
            for _ in 0..count {
                let token = secret::token();
                statement.execute(params![secret::hash(&token), exercise, now])?;
                tokens.push(token);
            }
            append_audit(
                connection,
                &actor,
                "create invites",
                &format!("exercise {exercise} count {count}"),
            )?;
            Ok(tokens)
        })
    }

    /// Adds an admin account with the password hash string the caller made (for example an
    /// Argon2id PHC string); the store keeps exactly what it is given. Returns the account id.
    ///
    /// # Errors
    /// [`StoreError::AdminExists`] (emails are unique, ignoring case), database errors.
    pub fn add_admin(&self, email: &str, password_hash: &str) -> Result<i64, StoreError> {
        let (email, password_hash) = (email.trim().to_string(), password_hash.to_string());
        self.write(move |connection| {
            let exists: Option<i64> = connection
                .query_row(
                    "SELECT id FROM admins WHERE email = ?1",
                    params![email],
                    |row| row.get(0),
                )
                .optional()?;
            if exists.is_some() {
                return Err(StoreError::AdminExists(email));
            }
            connection.execute(
                "INSERT INTO admins (email, password_hash, created_at) VALUES (?1, ?2, ?3)",
                params![email, password_hash, secret::now_seconds()],
            )?;
            let id = connection.last_insert_rowid();
            append_audit(connection, "prioritise", "add admin", &email)?;
            Ok(id)
        })
    }

    /// The number of admin accounts.
    ///
    /// # Errors
    /// Database errors.
    pub fn admin_count(&self) -> Result<u64, StoreError> {
        self.read(|connection| {
            let count: i64 =
                connection.query_row("SELECT COUNT(*) FROM admins", [], |row| row.get(0))?;
            Ok(count as u64)
        })
    }

    /// The admin account with this email (ignoring case), to verify a password against.
    ///
    /// # Errors
    /// Database errors.
    pub fn admin_by_email(&self, email: &str) -> Result<Option<Admin>, StoreError> {
        self.read(|connection| {
            Ok(connection
                .query_row(
                    "SELECT id, email, password_hash FROM admins WHERE email = ?1",
                    params![email.trim()],
                    admin_row,
                )
                .optional()?)
        })
    }

    /// Starts a session for an admin that lasts `lifetime`; returns the session token (only
    /// its hash is kept).
    ///
    /// # Errors
    /// [`StoreError::UnknownAdmin`], database errors.
    pub fn create_session(&self, admin: i64, lifetime: Duration) -> Result<String, StoreError> {
        self.write(move |connection| {
            let token = secret::token();
            let expires = secret::now_seconds() + lifetime.as_secs() as i64;
            let inserted = connection.execute(
                "INSERT INTO admin_sessions (token_hash, admin_id, expires_at)
                 SELECT ?1, id, ?3 FROM admins WHERE id = ?2",
                params![secret::hash(&token), admin, expires],
            )?;
            if inserted == 0 {
                return Err(StoreError::UnknownAdmin(admin));
            }
            Ok(token)
        })
    }

    /// The admin a session token belongs to, if the session exists and has not expired.
    ///
    /// # Errors
    /// Database errors.
    pub fn session(&self, token: &str) -> Result<Option<Admin>, StoreError> {
        let hash = secret::hash(token);
        self.read(|connection| {
            Ok(connection
                .query_row(
                    "SELECT a.id, a.email, a.password_hash FROM admin_sessions s
                     JOIN admins a ON a.id = s.admin_id
                     WHERE s.token_hash = ?1 AND s.expires_at > ?2",
                    params![hash, secret::now_seconds()],
                    admin_row,
                )
                .optional()?)
        })
    }

    /// Ends a session (signing out), and removes every expired session. Returns whether the
    /// session existed.
    ///
    /// # Errors
    /// Database errors.
    pub fn delete_session(&self, token: &str) -> Result<bool, StoreError> {
        let hash = secret::hash(token);
        self.write(move |connection| {
            let deleted = connection.execute(
                "DELETE FROM admin_sessions WHERE token_hash = ?1",
                params![hash],
            )?;
            connection.execute(
                "DELETE FROM admin_sessions WHERE expires_at <= ?1",
                params![secret::now_seconds()],
            )?;
            Ok(deleted > 0)
        })
    }

    /// Appends an entry to the audit log.
    ///
    /// # Errors
    /// Database errors.
    pub fn audit(&self, actor: &str, action: &str, detail: &str) -> Result<(), StoreError> {
        let (actor, action, detail) = (actor.to_string(), action.to_string(), detail.to_string());
        self.write(move |connection| append_audit(connection, &actor, &action, &detail))
    }

    /// The latest `limit` audit entries, newest first.
    ///
    /// # Errors
    /// Database errors.
    pub fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT id, at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?1",
            )?;
            let entries = statement
                .query_map(params![limit], |row| {
                    Ok(AuditEntry {
                        id: row.get(0)?,
                        at: row.get(1)?,
                        actor: row.get(2)?,
                        action: row.get(3)?,
                        detail: row.get(4)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(entries)
        })
    }

    /// SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound database, else the problems.
    ///
    /// # Errors
    /// Database errors.
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare("PRAGMA integrity_check")?;
            let lines = statement
                .query_map([], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(lines)
        })
    }

    /// Writes a consistent copy of the database to `destination` (`VACUUM INTO`), which must
    /// not exist yet.
    ///
    /// # Errors
    /// [`StoreError::BackupExists`], database errors.
    pub fn backup(&self, destination: impl AsRef<Path>) -> Result<(), StoreError> {
        let destination = destination.as_ref();
        if destination.exists() {
            return Err(StoreError::BackupExists(destination.to_path_buf()));
        }
        let path = destination.to_string_lossy().into_owned();
        self.read(|connection| {
            connection.execute("VACUUM INTO ?1", params![path])?;
            Ok(())
        })
    }
}

/// The parsed definition of a stored version, from the cache or parsed once.
fn cached_definition(
    cache: &Definitions,
    exercise: &str,
    version: i64,
    source: &str,
) -> Result<Arc<Exercise>, StoreError> {
    let key = (exercise.to_string(), version);
    if let Some(found) = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(&key)
    {
        return Ok(Arc::clone(found));
    }
    let parsed =
        Exercise::parse(source, &format!("{exercise} (version {version})")).map_err(|errors| {
            StoreError::StoredDefinition {
                exercise: exercise.to_string(),
                version,
                message: errors.to_string(),
            }
        })?;
    let parsed = Arc::new(parsed);
    cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(key, Arc::clone(&parsed));
    Ok(parsed)
}

fn save_answer_in(
    cache: &Definitions,
    connection: &Connection,
    submission: Submission,
) -> Result<Receipt, StoreError> {
    let Submission {
        exercise,
        round,
        respondent,
        answer,
        submit,
        idempotency_key,
    } = submission;
    let (version, source) = current_definition(connection, &exercise)?
        .ok_or_else(|| StoreError::UnknownExercise(exercise.clone()))?;
    let definition = cached_definition(cache, &exercise, version, &source)?;
    let round_definition = definition
        .round(&round)
        .ok_or_else(|| StoreError::UnknownRound {
            exercise: exercise.clone(),
            round: round.clone(),
        })?;
    let known: Option<String> = connection
        .prepare_cached("SELECT exercise_id FROM respondents WHERE id = ?1")?
        .query_row(params![respondent], |row| row.get(0))
        .optional()?;
    if known.as_deref() != Some(exercise.as_str()) {
        return Err(StoreError::UnknownRespondent(respondent));
    }
    let checked = answer
        .check(&definition, round_definition)
        .map_err(StoreError::Answer)?;
    let body = checked.to_json();
    if let Some(key) = &idempotency_key {
        let earlier: Option<(String, bool, String)> = connection
            .prepare_cached(
                "SELECT receipt, submitted, body FROM answers
                 WHERE respondent_id = ?1 AND exercise_id = ?2 AND round_id = ?3 AND idempotency_key = ?4",
            )?
            .query_row(params![respondent, exercise, round, key], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()?;
        if let Some((receipt, submitted, earlier_body)) = earlier {
            if earlier_body != body || submitted != submit {
                return Err(StoreError::IdempotencyConflict(key.clone()));
            }
            return Ok(Receipt {
                receipt,
                submitted,
                replayed: true,
            });
        }
    }
    if idempotency_key.is_none() {
        // Without a key, repeating exactly the current answer is still harmless: the first
        // receipt is returned and no second copy joins the history.
        let current: Option<(String, String)> = connection
            .prepare_cached(
                "SELECT receipt, body FROM answers INDEXED BY answers_current
                 WHERE respondent_id = ?1 AND exercise_id = ?2 AND round_id = ?3 AND submitted = ?4 AND latest = 1",
            )?
            .query_row(params![respondent, exercise, round, submit], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        if let Some((receipt, current_body)) = current
            && current_body == body
        {
            return Ok(Receipt {
                receipt,
                submitted: submit,
                replayed: true,
            });
        }
    }
    let state: String = connection
        .prepare_cached("SELECT state FROM rounds WHERE exercise_id = ?1 AND round_id = ?2")?
        .query_row(params![exercise, round], |row| row.get(0))
        .optional()?
        .unwrap_or_else(|| "draft".to_string());
    let state = RoundState::parse(&state);
    if state != RoundState::Open {
        return Err(StoreError::RoundNotOpen { round, state });
    }
    // The previous answer of the same status is superseded, not deleted. The index is named:
    // without statistics SQLite may otherwise pick `answers_latest`, which scans every current
    // answer of the round, making each submission cost O(respondents).
    connection
        .prepare_cached(
            "UPDATE answers INDEXED BY answers_current SET latest = 0
             WHERE respondent_id = ?1 AND exercise_id = ?2 AND round_id = ?3 AND submitted = ?4 AND latest = 1",
        )?
        .execute(params![respondent, exercise, round, submit])?;
    let receipt = secret::random_text(20);
    connection
        .prepare_cached(
            "INSERT INTO answers (respondent_id, exercise_id, round_id, submitted, latest, body, receipt, idempotency_key, saved_day)
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            respondent,
            exercise,
            round,
            submit,
            body,
            receipt,
            idempotency_key,
            secret::today()
        ])?;
    Ok(Receipt {
        receipt,
        submitted: submit,
        replayed: false,
    })
}

fn current_definition(
    connection: &Connection,
    exercise: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    Ok(connection
        .prepare_cached(
            "SELECT version, definition FROM exercise_versions
             WHERE exercise_id = ?1 ORDER BY version DESC LIMIT 1",
        )?
        .query_row(params![exercise], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

/// Stores `source` (already parsed as `exercise`) as the exercise's next version, within the
/// caller's transaction; see [`Store::put_exercise`] and [`Store::put_exercise_based_on`].
fn put_definition(
    connection: &Connection,
    exercise: &Exercise,
    source: &str,
    actor: &str,
    based_on: Option<i64>,
) -> Result<PutExercise, StoreError> {
    let id = exercise.id.as_str();
    let current: Option<(i64, String)> = connection
        .query_row(
            "SELECT version, definition FROM exercise_versions
             WHERE exercise_id = ?1 ORDER BY version DESC LIMIT 1",
            params![id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    if let Some(expected) = based_on {
        let found = current.as_ref().map_or(0, |(version, _)| *version);
        if found != expected {
            return Err(StoreError::VersionConflict {
                exercise: id.to_string(),
                expected,
                found,
            });
        }
    }
    if let Some((version, text)) = &current
        && *text == source
    {
        return Ok(PutExercise {
            exercise: id.to_string(),
            version: *version,
            changed: false,
        });
    }
    let version = current.map_or(1, |(version, _)| version + 1);
    let now = secret::now_seconds();
    connection.execute(
        "INSERT OR IGNORE INTO exercises (id) VALUES (?1)",
        params![id],
    )?;
    connection.execute(
        "INSERT INTO exercise_versions (exercise_id, version, definition, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![id, version, source, now],
    )?;
    for round in &exercise.rounds {
        connection.execute(
            "INSERT OR IGNORE INTO rounds (exercise_id, round_id, state) VALUES (?1, ?2, 'draft')",
            params![id, round.id.as_str()],
        )?;
    }
    append_audit(
        connection,
        actor,
        "put exercise",
        &format!("exercise {id} version {version}"),
    )?;
    Ok(PutExercise {
        exercise: id.to_string(),
        version,
        changed: true,
    })
}

fn append_audit(
    connection: &Connection,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<(), StoreError> {
    connection
        .prepare_cached(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![secret::now_seconds(), actor, action, detail])?;
    Ok(())
}

fn respondent_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Respondent> {
    Ok(Respondent {
        id: row.get(0)?,
        exercise: row.get(1)?,
        group: row.get(2)?,
    })
}

fn admin_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Admin> {
    Ok(Admin {
        id: row.get(0)?,
        email: row.get(1)?,
        password_hash: row.get(2)?,
    })
}

fn parse_body(body: &str) -> Result<Answer, StoreError> {
    serde_json::from_str(body).map_err(|error| {
        StoreError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("a stored answer is not valid: {error}"),
        ))
    })
}
