//! The single writer: one thread owns the write connection and commits requests in groups.
//!
//! Callers send a request (a closure over the connection) on a channel and block until it is
//! answered. The writer takes every request waiting (up to [`MAX_BATCH`]), opens one
//! `BEGIN IMMEDIATE` transaction, runs each request inside its own `SAVEPOINT` (so one failing
//! request is rolled back alone), commits, and only then answers each caller. With
//! `synchronous=FULL` a commit is one fsync of the WAL, so a burst of N submissions costs one
//! fsync instead of N, and no caller hears "stored" before its data is durable.

use std::panic::AssertUnwindSafe;
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
        // A request that panics must not take the writer, and every later answer, down with
        // it: its savepoint is rolled back and the others go on. Its caller's reply channel
        // unwinds with it, so the caller hears that the write failed.
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| request(Some(connection))));
        let Ok((succeeded, completion)) = outcome else {
            if let Err(error) = connection.execute_batch("ROLLBACK TO request; RELEASE request") {
                broken = Some(error.to_string());
            }
            continue;
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn insert(value: i64) -> (Request, mpsc::Receiver<Result<(), StoreError>>) {
        let (reply, answer) = mpsc::sync_channel(1);
        let request: Request = Box::new(move |connection: Option<&Connection>| {
            let result = match connection {
                Some(connection) => connection
                    .execute("INSERT INTO numbers (value) VALUES (?1)", [value])
                    .map(|_| ())
                    .map_err(StoreError::from),
                None => Err(StoreError::WriterGone),
            };
            let succeeded = result.is_ok();
            let completion: Completion = Box::new(move |committed| {
                let _ = reply.send(committed.and(result));
            });
            (succeeded, completion)
        });
        (request, answer)
    }

    #[test]
    fn a_panicking_request_fails_alone_and_the_writer_goes_on() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("writer.db");
        let connection = Connection::open(&path).unwrap();
        connection
            .execute_batch("CREATE TABLE numbers (value INTEGER NOT NULL)")
            .unwrap();
        let (sender, receiver) = mpsc::channel::<Request>();
        // Queue a group before the writer starts, so that all three share one transaction.
        let (first, first_answer) = insert(1);
        sender.send(first).unwrap();
        let (panicking_reply, panicking_answer) = mpsc::sync_channel::<Result<(), StoreError>>(1);
        sender
            .send(Box::new(move |connection: Option<&Connection>| {
                if let Some(connection) = connection {
                    connection
                        .execute("INSERT INTO numbers (value) VALUES (99)", [])
                        .unwrap();
                }
                let _keep = &panicking_reply;
                panic!("a bug in one request");
            }))
            .unwrap();
        let (third, third_answer) = insert(3);
        sender.send(third).unwrap();
        let counters = Arc::new(Counters::default());
        let writer = std::thread::spawn(move || run(connection, receiver, counters));
        assert!(first_answer.recv().unwrap().is_ok());
        assert!(
            panicking_answer.recv().is_err(),
            "the panicking request's caller hears of it"
        );
        assert!(third_answer.recv().unwrap().is_ok());
        // The writer is still alive for later requests.
        let (later, later_answer) = insert(4);
        sender.send(later).unwrap();
        assert!(later_answer.recv().unwrap().is_ok());
        drop(sender);
        writer.join().unwrap();
        let check = Connection::open(&path).unwrap();
        let values: Vec<i64> = check
            .prepare("SELECT value FROM numbers ORDER BY value")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            values,
            [1, 3, 4],
            "the panicking request's row was rolled back"
        );
    }
}
