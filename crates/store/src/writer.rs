//! The single writer: one thread owns the write connection and commits requests in groups.
//!
//! Callers send a request (a closure over the connection) on a channel and block until it is
//! answered. The writer takes every request waiting (up to [`MAX_BATCH`]), opens one
//! `BEGIN IMMEDIATE` transaction, runs each request inside its own `SAVEPOINT` (so one failing
//! request is rolled back alone), commits, and only then answers each caller. With
//! `synchronous=FULL` a commit is one fsync of the WAL, so a burst of N submissions costs one
//! fsync instead of N, and no caller hears "stored" before its data is durable.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};

use rusqlite::Connection;

use crate::StoreError;

/// The most requests committed in one transaction.
pub const MAX_BATCH: usize = 4096;

/// What a request returns once it has run: whether it succeeded (else its savepoint is rolled
/// back), and how to answer its caller once the commit's outcome is known.
pub(crate) type Completion = Box<dyn FnOnce(Result<(), StoreError>) + Send>;
/// One write request. It is handed `None` when it cannot run (the transaction could not begin),
/// and then only builds its completion.
pub(crate) type Request = Box<dyn FnOnce(Option<&Connection>) -> (bool, Completion) + Send>;

/// Counts of the writer's work, for tests and benchmarks.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub transactions: AtomicU64,
    pub requests: AtomicU64,
}

/// Runs until every sender is dropped.
pub(crate) fn run(connection: Connection, requests: Receiver<Request>, counters: Arc<Counters>) {
    let mut batch: Vec<Request> = Vec::new();
    while let Ok(first) = requests.recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match requests.try_recv() {
                Ok(request) => batch.push(request),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        counters.transactions.fetch_add(1, Ordering::Relaxed);
        counters
            .requests
            .fetch_add(batch.len() as u64, Ordering::Relaxed);
        commit_batch(&connection, &mut batch);
    }
}

fn commit_batch(connection: &Connection, batch: &mut Vec<Request>) {
    if let Err(error) = connection.execute_batch("BEGIN IMMEDIATE") {
        let message = error.to_string();
        for request in batch.drain(..) {
            let (_, completion) = request(None);
            completion(Err(StoreError::Commit(message.clone())));
        }
        return;
    }
    // Each completion, with the error that overrides the commit's outcome for it, if any.
    let mut completions: Vec<(Completion, Option<StoreError>)> = Vec::with_capacity(batch.len());
    let mut broken = None;
    for request in batch.drain(..) {
        if broken.is_some() {
            let (_, completion) = request(None);
            completions.push((completion, None));
            continue;
        }
        if let Err(error) = connection.execute_batch("SAVEPOINT request") {
            let (_, completion) = request(None);
            completions.push((completion, Some(StoreError::Commit(error.to_string()))));
            continue;
        }
        let (succeeded, completion) = request(Some(connection));
        let finish = if succeeded {
            connection.execute_batch("RELEASE request")
        } else {
            connection.execute_batch("ROLLBACK TO request; RELEASE request")
        };
        if let Err(error) = finish {
            // The transaction is in an unknown state: nothing of this batch is committed.
            broken = Some(error.to_string());
        }
        completions.push((completion, None));
    }
    let committed = match broken {
        Some(message) => Err(message),
        None => connection
            .execute_batch("COMMIT")
            .map_err(|error| error.to_string()),
    };
    if committed.is_err() {
        let _ = connection.execute_batch("ROLLBACK");
    }
    for (completion, error) in completions {
        completion(match error {
            Some(error) => Err(error),
            None => committed.clone().map_err(StoreError::Commit),
        });
    }
}
