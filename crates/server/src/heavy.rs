//! Heavy computations (a round's results, with bootstrap resamples and every method): at most
//! a set number run at once, on the blocking pool, and what they compute is kept in a bounded
//! cache so that asking again costs nothing.
//!
//! A request that finds every permit taken, or its own computation already under way, does not
//! wait: its computation is queued in the background (once per key, and at most
//! [`QUEUED_PER_PERMIT`] waiting per permit), and the caller says so at once (the page refreshes itself, the API answers 503 with `Retry-After`). When
//! the computation is done its result is in the cache for the next request.

use std::collections::HashSet;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use lru::LruCache;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, TryAcquireError};

use crate::AppError;

/// How many computations may wait per permit before further ones are refused.
pub const QUEUED_PER_PERMIT: usize = 4;

/// What is computed identifies it: the exercise, the round, the definition's version, and the
/// whole ranking request written out with `Debug` (so a field added to the request can never
/// be left out of the key). The request holds the SHA-256 of the round's export, so a new or
/// changed answer makes a new key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResultsKey {
    /// The exercise id.
    pub exercise: String,
    /// The round id.
    pub round: String,
    /// The version of the exercise's definition.
    pub version: i64,
    /// The ranking request, with the export's SHA-256, as `Debug` writes it.
    pub request: String,
}

/// The outcome of asking for a computation of a `T`.
#[derive(Debug)]
pub enum Computation<T> {
    /// Computed now or earlier (from the cache).
    Ready(Arc<T>),
    /// Every permit is taken: the computation waits in the background, and its result will be
    /// in the cache.
    Queued,
    /// Every permit is taken and the queue is full: nothing was started.
    Full,
}

/// The cap on heavy computations and the cache of their results, each a `T` (the service's
/// is of [`report::ResultsDocument`]s). Cheap to clone.
pub struct HeavyWork<T> {
    inner: Arc<Inner<T>>,
}

impl<T> Clone for HeavyWork<T> {
    fn clone(&self) -> Self {
        HeavyWork {
            inner: Arc::clone(&self.inner),
        }
    }
}

struct Inner<T> {
    permits: Arc<Semaphore>,
    /// The most keys pending (running or waiting): the permits and [`QUEUED_PER_PERMIT`]
    /// waiting per permit.
    capacity: usize,
    cache: Mutex<LruCache<ResultsKey, Arc<T>>>,
    /// The keys being computed or waiting for a permit.
    pending: Mutex<HashSet<ResultsKey>>,
    computed: AtomicU64,
}

impl<T: Send + Sync + 'static> HeavyWork<T> {
    /// At most `permits` computations at once (at least 1) and `cache_entries` results kept
    /// (at least 1), the least recently used dropped first.
    pub fn new(permits: usize, cache_entries: usize) -> HeavyWork<T> {
        let permits = permits.max(1);
        let entries = NonZeroUsize::new(cache_entries).unwrap_or(NonZeroUsize::MIN);
        HeavyWork {
            inner: Arc::new(Inner {
                permits: Arc::new(Semaphore::new(permits)),
                capacity: permits * (1 + QUEUED_PER_PERMIT),
                cache: Mutex::new(LruCache::new(entries)),
                pending: Mutex::new(HashSet::new()),
                computed: AtomicU64::new(0),
            }),
        }
    }

    /// How many computations have finished since the start, successful or not (cache hits are
    /// not computations).
    pub fn computed(&self) -> u64 {
        self.inner.computed.load(Ordering::Relaxed)
    }

    /// The result for `key`: from the cache; else `Queued` if the same key is being computed
    /// or waits; else computed by `work` on the blocking pool if a permit is free; else queued
    /// in the background.
    ///
    /// # Errors
    /// The error of `work` when it runs now; a panic of `work` as a 500.
    pub async fn results<F>(&self, key: ResultsKey, work: F) -> Result<Computation<T>, AppError>
    where
        F: FnOnce() -> Result<T, AppError> + Send + 'static,
    {
        if let Some(document) = self.cached(&key) {
            return Ok(Computation::Ready(document));
        }
        let (permit, pending) = {
            let mut pending = self
                .inner
                .pending
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if pending.contains(&key) {
                return Ok(Computation::Queued);
            }
            let permit = match Arc::clone(&self.inner.permits).try_acquire_owned() {
                Ok(permit) => Some(permit),
                // Every permit is held by a pending computation, so the others pending wait.
                Err(TryAcquireError::NoPermits) if pending.len() >= self.inner.capacity => {
                    return Ok(Computation::Full);
                }
                Err(TryAcquireError::NoPermits) => None,
                Err(TryAcquireError::Closed) => return Err(AppError::Unavailable),
            };
            pending.insert(key.clone());
            let guard = Pending {
                inner: Arc::clone(&self.inner),
                key,
            };
            (permit, guard)
        };
        let inner = Arc::clone(&self.inner);
        match permit {
            Some(permit) => tokio::task::spawn_blocking(move || inner.run(permit, pending, work))
                .await?
                .map(Computation::Ready),
            None => {
                tokio::spawn(async move {
                    let Ok(permit) = Arc::clone(&inner.permits).acquire_owned().await else {
                        return;
                    };
                    let running = Arc::clone(&inner);
                    let outcome =
                        tokio::task::spawn_blocking(move || running.run(permit, pending, work))
                            .await;
                    match outcome {
                        Ok(Ok(_)) => {}
                        // The next request computes it again and shows the problem.
                        Ok(Err(error)) => tracing::debug!(%error, "a queued computation failed"),
                        Err(error) => tracing::error!(%error, "a queued computation panicked"),
                    }
                });
                Ok(Computation::Queued)
            }
        }
    }

    /// Runs `work` on the blocking pool holding one of the permits (waiting for one), outside
    /// the cache: for heavy work whose result is kept elsewhere, such as a curation proposal,
    /// so that it never runs beside more results computations than the permits allow.
    ///
    /// # Errors
    /// 503 when the permits are closed; a panic of `work` as a 500.
    pub async fn with_permit<R, F>(&self, work: F) -> Result<R, AppError>
    where
        R: Send + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        let permit = Arc::clone(&self.inner.permits)
            .acquire_owned()
            .await
            .map_err(|_| AppError::Unavailable)?;
        let outcome = tokio::task::spawn_blocking(move || {
            let outcome = work();
            drop(permit);
            outcome
        })
        .await?;
        Ok(outcome)
    }

    /// The cached result for `key`, if there is one.
    pub fn cached(&self, key: &ResultsKey) -> Option<Arc<T>> {
        let mut cache = self
            .inner
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        cache.get(key).cloned()
    }
}

/// A key being computed or waiting for a permit; dropping it (when the computation ends, or
/// its task panics or is dropped) lets the key be computed again.
struct Pending<T> {
    inner: Arc<Inner<T>>,
    key: ResultsKey,
}

impl<T> Drop for Pending<T> {
    fn drop(&mut self) {
        self.inner
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.key);
    }
}

impl<T> Inner<T> {
    /// Runs `work` holding `permit`, and keeps a result in the cache. The result is cached
    /// here, on the blocking thread, so that it is kept even if the request that asked for it
    /// has gone.
    fn run<F>(
        &self,
        permit: OwnedSemaphorePermit,
        pending: Pending<T>,
        work: F,
    ) -> Result<Arc<T>, AppError>
    where
        F: FnOnce() -> Result<T, AppError>,
    {
        let outcome = work().map(Arc::new);
        if let Ok(value) = &outcome {
            self.cache
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .put(pending.key.clone(), Arc::clone(value));
        }
        self.computed.fetch_add(1, Ordering::Relaxed);
        // Released only once the result is in the cache, so that a request let in finds it
        // there rather than computing it again.
        drop(pending);
        drop(permit);
        outcome
    }
}

#[cfg(test)]
mod tests;
