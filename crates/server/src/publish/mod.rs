//! Published results (issue 16 §3): a round's results made once into a frozen [`Snapshot`],
//! stored with the SHA-256 of its inputs and the full method report, and served to anyone
//! from what was stored, never recomputed.
//!
//! - `snapshot.rs`: what a snapshot holds, and how it is made from a results document (pure:
//!   the plain explanation and the easy-read sentences are written here).
//! - [`make`] computes a snapshot of a round of the stored exercise; [`publish`] stores it.
//! - `api.rs`: publishing, withdrawing and reading through `/api/v1/`; `pages.rs`: the public
//!   pages `/e/{exercise}/results` (with the easy-read summary and the report) and the lead's
//!   page `/admin/e/{exercise}/publish`.
//! - [`PublishedCache`]: the public pages rendered once per publication, kept in memory, so
//!   that a page costs one small query (which publication is current) and a copy.
//!
//! Groups under the disclosure threshold are never shown on their own: a snapshot holds only
//! the groups the results document shows (`rank::analysis` plans them with the disclosure
//! rule), the pool of the others as one "other groups" line when the rule lets it be shown,
//! and never a pooled group's name.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, PoisonError};

use lru::LruCache;
use report::{RankingError, RankingRequest, rank_responses};
use sha2::{Digest, Sha256};
use store::StoredExercise;

use crate::AppState;
use crate::error::AppError;
use crate::handlers::exercises::stored_exercise;
use crate::handlers::results::{export, read_export, sha256_hex};
use crate::pages::admin::method_report::{method_report_html, round_exports};

pub(crate) mod api;
pub(crate) mod pages;
mod snapshot;

pub use snapshot::{ListEntry, Snapshot};

/// The most bootstrap resamples a snapshot uses, before the service's own limit.
const PUBLISHED_RESAMPLES: usize = 1000;

/// The bootstrap's seed of every snapshot, so that the same inputs give the same snapshot.
const PUBLISHED_SEED: u64 = 1;

/// How many resamples are cheap enough for a round of `respondents` answering about `items`:
/// the full [`PUBLISHED_RESAMPLES`] for small rounds, fewer for larger ones, none for rounds so
/// large that the single computation of the list is already heavy (the intervals are then
/// left out and the page says nothing about them).
pub fn resamples_for(respondents: usize, items: usize, max_bootstrap: usize) -> Option<usize> {
    let work = respondents.saturating_mul(items.max(1));
    let resamples = match work {
        0..=50_000 => PUBLISHED_RESAMPLES,
        50_001..=500_000 => 200,
        _ => return None,
    };
    Some(resamples.min(max_bootstrap)).filter(|&resamples| resamples > 0)
}

/// The SHA-256 (hex) of a snapshot's inputs: the definition's TOML text followed by the round's
/// export in the exchange format, as bytes. `sha256sum` of the two files concatenated gives the
/// same.
pub fn inputs_sha256(definition: &str, export: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(definition.as_bytes());
    hasher.update(export);
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A snapshot made and ready to store.
pub struct Made {
    /// The round.
    pub round: String,
    /// The SHA-256 of its inputs.
    pub inputs_sha256: String,
    /// The snapshot as JSON, exactly as it is stored and served.
    pub snapshot_json: String,
    /// The full method report.
    pub report_html: String,
}

/// Makes the snapshot of a round of an exercise now: its results computed once with the
/// round's own method and weighting (rank intervals when a bootstrap is cheap enough), and the
/// method report of the rounds up to it.
///
/// # Errors
/// 404 for an unknown exercise or round, 422 for a suggestion round or results that cannot be
/// computed, 409 when the round has no submitted answers.
pub async fn make(state: &AppState, exercise: &str, round_id: &str) -> Result<Made, AppError> {
    let stored = stored_exercise(state, exercise).await?;
    let round = stored.exercise.round(round_id).ok_or_else(|| {
        AppError::NotFound(format!("exercise `{exercise}` has no round `{round_id}`"))
    })?;
    if round.kind.data_kind().is_none() {
        return Err(AppError::field(
            "round",
            format!(
                "round `{round_id}` collects suggestions, which are curated into items rather \
                 than ranked: publish a round that rates, ranks, picks or compares"
            ),
        ));
    }
    let (csv, count) = export(state, exercise, round_id).await?;
    if count == 0 {
        return Err(AppError::Conflict(format!(
            "round `{round_id}` has no submitted answers yet: there is nothing to publish"
        )));
    }
    let inputs = inputs_sha256(&stored.source, &csv);
    let resamples = resamples_for(
        usize::try_from(count).unwrap_or(usize::MAX),
        round.items.len(),
        state.settings.max_bootstrap,
    );
    let published_at = now_seconds();
    let computed_stored = stored.clone();
    let round_key = round_id.to_string();
    let sha = inputs.clone();
    let snapshot = tokio::task::spawn_blocking(move || {
        compute_snapshot(
            &computed_stored,
            &round_key,
            &csv,
            resamples,
            &sha,
            published_at,
        )
    })
    .await??;
    let snapshot_json = serde_json::to_string(&snapshot)
        .map_err(|error| AppError::Internal(format!("a snapshot did not serialise: {error}")))?;
    let exports = round_exports(state, &stored, Some(round_id)).await?;
    let command = format!("publish round `{round_id}` of exercise `{exercise}`");
    let report_html = method_report_html(
        state,
        stored,
        exports,
        resamples.unwrap_or(0),
        PUBLISHED_SEED,
        command,
    )
    .await?;
    Ok(Made {
        round: round_id.to_string(),
        inputs_sha256: inputs,
        snapshot_json,
        report_html,
    })
}

/// Makes and stores a snapshot of a round as the exercise's current publication (audited by
/// the store as `actor`), and returns its id with what was made.
///
/// # Errors
/// As [`make`]; store errors.
pub async fn publish(
    state: &AppState,
    exercise: &str,
    round: &str,
    actor: &str,
) -> Result<(i64, Made), AppError> {
    let made = make(state, exercise, round).await?;
    let (id, snapshot, report_html) = (
        exercise.to_string(),
        made.snapshot_json.clone(),
        made.report_html.clone(),
    );
    let (round, inputs, actor) = (
        made.round.clone(),
        made.inputs_sha256.clone(),
        actor.to_string(),
    );
    let publication = state
        .blocking(move |store| store.publish(&id, &round, &inputs, snapshot, report_html, &actor))
        .await?;
    Ok((publication, made))
}

/// The round's results with its own method and weighting, then the snapshot made from them.
/// CPU-bound: for the blocking pool.
fn compute_snapshot(
    stored: &StoredExercise,
    round_id: &str,
    csv: &[u8],
    resamples: Option<usize>,
    inputs_sha256: &str,
    published_at: i64,
) -> Result<Snapshot, AppError> {
    let exercise = &stored.exercise;
    let round = exercise
        .round(round_id)
        .expect("the round was found in the same definition");
    let responses = read_export(exercise, round, csv)?;
    let request = RankingRequest {
        bootstrap: resamples,
        seed: PUBLISHED_SEED,
        sha256: sha256_hex(csv),
        ..RankingRequest::default()
    };
    let ranked = match rank_responses(&responses, Some(exercise), Some(round), &request, None) {
        Ok(ranked) => ranked,
        // With few answers a model may not fit (or not in every resample): as the method
        // report does, fit it with the small prior METHODS.md allows rather than publish
        // nothing.
        Err(
            RankingError::MethodFailed {
                error: rank::RankError::Fit { .. },
                ..
            }
            | RankingError::Bootstrap { .. },
        ) => {
            let regularised = RankingRequest {
                prior_alpha: Some(0.1),
                ..request.clone()
            };
            rank_responses(&responses, Some(exercise), Some(round), &regularised, None)
                .map_err(|error| AppError::unprocessable(format!("round `{round_id}`: {error}")))?
        }
        Err(error) => {
            return Err(AppError::unprocessable(format!(
                "round `{round_id}`: {error}"
            )));
        }
    };
    snapshot::snapshot(
        exercise,
        round,
        &ranked.document,
        inputs_sha256,
        published_at,
    )
    .ok_or_else(|| AppError::Internal(format!("round `{round_id}` gave no results to publish")))
}

/// Seconds since the Unix epoch.
fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(0))
}

/// The public pages of one publication, rendered once.
pub struct Rendered {
    /// The snapshot JSON, as stored.
    pub snapshot_json: String,
    /// `/e/{exercise}/results`.
    pub page: String,
    /// `/e/{exercise}/results/easy-read`.
    pub easy_read: String,
    /// The method report, as stored.
    pub report_html: String,
}

/// The rendered public pages of recent publications, by publication id. Cheap to clone.
#[derive(Clone)]
pub struct PublishedCache {
    entries: Arc<Mutex<LruCache<i64, Arc<Rendered>>>>,
}

impl Default for PublishedCache {
    fn default() -> Self {
        PublishedCache {
            entries: Arc::new(Mutex::new(LruCache::new(
                NonZeroUsize::new(16).expect("16 is not zero"),
            ))),
        }
    }
}

impl PublishedCache {
    fn get(&self, publication: i64) -> Option<Arc<Rendered>> {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&publication)
            .cloned()
    }

    fn put(&self, publication: i64, rendered: Arc<Rendered>) {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .put(publication, rendered);
    }
}

/// The exercise's current publication, rendered: from the cache when it holds it (one small
/// query says which publication is current), else read from the store and rendered now;
/// `None` when nothing is published.
///
/// # Errors
/// Store errors; 500 for a stored snapshot that does not read back.
pub async fn current(state: &AppState, exercise: &str) -> Result<Option<Arc<Rendered>>, AppError> {
    let lookup = exercise.to_string();
    let latest = state
        .blocking(move |store| store.publications(&lookup))
        .await?
        .into_iter()
        .find(|publication| publication.withdrawn_at.is_none());
    let Some(latest) = latest else {
        return Ok(None);
    };
    if let Some(rendered) = state.published.get(latest.id) {
        return Ok(Some(rendered));
    }
    let lookup = exercise.to_string();
    let Some(publication) = state
        .blocking(move |store| store.current_publication(&lookup))
        .await?
    else {
        return Ok(None);
    };
    let snapshot: Snapshot = serde_json::from_str(&publication.snapshot).map_err(|error| {
        AppError::Internal(format!(
            "snapshot {} of `{exercise}` does not read back: {error}",
            publication.id
        ))
    })?;
    let rendered = Arc::new(Rendered {
        page: pages::results_page(&snapshot)?,
        easy_read: pages::easy_read_page(&snapshot)?,
        snapshot_json: publication.snapshot,
        report_html: publication.report_html,
    });
    state.published.put(publication.id, Arc::clone(&rendered));
    Ok(Some(rendered))
}
