//! `server`: the `prioritise` service. The only crate that knows HTTP.
//!
//! - [`app`] builds the whole service as an axum [`Router`](axum::Router), so that tests
//!   drive it in-process with `tower::ServiceExt::oneshot`; [`serve`] runs it on a socket with
//!   graceful shutdown.
//! - Every route is listed in `router.rs`; handlers live in `handlers/<area>.rs`; errors are
//!   [`AppError`]s, shaped as `{"errors":[{"detail":"..."}]}`.
//! - Storage is the blocking [`store::Store`], called through `spawn_blocking`; an answer is
//!   acknowledged only once the store has committed it.
#![deny(missing_docs)]

pub mod access;
pub mod auth;
pub mod clock;
pub(crate) mod curation;
pub mod error;
pub mod feedback;
pub(crate) mod handlers;
pub mod heavy;
pub(crate) mod openapi;
pub(crate) mod pages;
pub(crate) mod participation;
pub(crate) mod publish;
pub(crate) mod rate;
mod router;
pub mod schedule;
pub mod security;
pub mod settings;
pub mod surveys;

use std::sync::Arc;

pub use clock::Clock;
pub use error::AppError;
pub use handlers::members::sign_up_path;
pub use router::app;
pub use settings::Settings;
pub use surveys::{LoadedSurvey, SurveyLoad, load_surveys};

use rate::{FailedAuth, Limit, Limits};
use store::Store;

/// What every handler shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// The settings.
    pub settings: Arc<Settings>,
    /// The rate limits.
    pub limits: Limits,
    /// Delphi feedback: the tallies of closed rating rounds, which never change.
    pub feedback_cache: feedback::FeedbackCache,
    /// The cap on results computations and the cache of their documents.
    pub results_work: heavy::HeavyWork<report::Ranked>,
    /// The time, for rounds that open and close by themselves: the system's, or a manual
    /// clock in tests ([`AppState::with_clock`]).
    pub clock: Clock,
    /// The public pages of published results, rendered once per publication.
    pub(crate) published: publish::PublishedCache,
}

impl AppState {
    /// The state for a store and settings, with rate limiters made from the settings.
    pub fn new(store: Store, settings: Settings) -> AppState {
        let limits = Limits {
            submit: Limit::per_second(
                settings.submit_rate_per_second,
                settings.submit_rate_per_second.saturating_mul(3),
            ),
            sign_in: Limit::per_minute(settings.sign_in_rate_per_minute),
            resume: Limit::per_minute(settings.resume_rate_per_minute),
            failed_auth: FailedAuth::per_minute(settings.failed_auth_per_minute),
        };
        let results_work =
            heavy::HeavyWork::new(settings.heavy_computations, settings.results_cache_entries);
        AppState {
            store,
            settings: Arc::new(settings),
            limits,
            feedback_cache: feedback::FeedbackCache::default(),
            results_work,
            clock: Clock::System,
            published: publish::PublishedCache::default(),
        }
    }

    /// The same state with another clock (a [`Clock::manual`] in tests).
    pub fn with_clock(mut self, clock: Clock) -> AppState {
        self.clock = clock;
        self
    }

    /// Runs a blocking store call off the async workers.
    ///
    /// # Errors
    /// The call's error, as an [`AppError`].
    pub async fn blocking<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, store::StoreError> + Send + 'static,
    {
        let store = self.store.clone();
        Ok(tokio::task::spawn_blocking(move || work(&store)).await??)
    }
}

/// Serves `state` on `listener` until `shutdown` completes, then waits for requests in flight
/// to finish. The store commits what it holds when the last clone of it is dropped. Meanwhile
/// rounds open and close at their scheduled times ([`schedule::tick`] every few seconds).
///
/// # Errors
/// I/O errors of the listener.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = state.limits.clone();
    let sweeper = tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            interval.tick().await;
            limits.forget_idle_clients();
        }
    });
    let scheduler = tokio::spawn(schedule::run(state.clone()));
    let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let result = axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await;
    sweeper.abort();
    scheduler.abort();
    result
}
