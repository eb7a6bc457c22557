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

mod admins;
mod answers;
mod audit;
mod backup;
mod curation;
mod error;
mod exercises;
mod export;
mod invites;
pub mod migrations;
mod proposals;
mod pseudonym;
mod publications;
mod respondents;
mod review;
mod roles;
mod rounds;
mod secret;
mod writer;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use survey::Exercise;

pub use admins::Admin;
pub use answers::{Receipt, StoredAnswer, Submission};
pub use audit::AuditEntry;
pub use curation::{Continuation, CurationDecision, StoredSuggestion};
pub use error::{OpenError, StoreError};
pub use exercises::{PutExercise, StoredExercise};
pub use export::Participation;
pub use migrations::MIGRATIONS;
pub use proposals::{
    DecisionProvenance, DecisionSource, NewProposal, PutProposal, Recorded, StoredProposal,
};
pub use pseudonym::{PSEUDONYM_PREFIX, Pseudonyms};
pub use publications::{Publication, PublicationSummary};
pub use respondents::{NewRespondent, Respondent};
pub use review::{ReviewOutcome, StoredReview};
pub use roles::{AccountInvite, INVITE_LIFETIME, Member, PendingInvite, Role};
pub use rounds::{RoundState, RoundStatus, SCHEDULE_ACTOR};

/// How long a connection waits for a lock held by another process before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// The number of read-only connections in the pool.
const READ_CONNECTIONS: usize = 4;
/// The most invites created in one call.
pub const MAX_INVITES_PER_CALL: u32 = 10_000;
/// The longest idempotency key accepted, in bytes.
pub const MAX_IDEMPOTENCY_KEY: usize = 128;

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
    /// Respondents' pseudonyms under this database's key.
    pseudonyms: Pseudonyms,
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
        let pseudonyms = Pseudonyms::new(pseudonym::load_or_create_key(&connection)?);
        pseudonym::pseudonymise_curation(&connection, &pseudonyms)?;
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
                pseudonyms,
            }),
        })
    }

    /// Respondents' pseudonyms under this database's key: what exports, the curation view and
    /// logs carry instead of respondent ids.
    pub fn pseudonyms(&self) -> &Pseudonyms {
        &self.inner.pseudonyms
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
}
