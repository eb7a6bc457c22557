//! Per-client rate limits (the `governor` crate's keyed GCRA limiters), keyed by the client's
//! address. The address is used only in memory, for the limit; it is never stored or logged.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::AppError;

/// The client's address, from the connection (in-process tests have none: they count as
/// 127.0.0.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        Ok(ClientAddress(address))
    }
}

/// One limit: `None` when turned off.
#[derive(Clone)]
pub struct Limit {
    limiter: Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>,
}

impl Limit {
    /// `count` per second with bursts of `burst`; `count` 0 turns the limit off.
    pub fn per_second(count: u32, burst: u32) -> Limit {
        Limit::from_quota(NonZeroU32::new(count).map(|count| {
            Quota::per_second(count).allow_burst(NonZeroU32::new(burst).unwrap_or(count))
        }))
    }

    /// `count` per minute, all of which may come at once; 0 turns the limit off.
    pub fn per_minute(count: u32) -> Limit {
        Limit::from_quota(NonZeroU32::new(count).map(Quota::per_minute))
    }

    fn from_quota(quota: Option<Quota>) -> Limit {
        Limit {
            limiter: quota.map(|quota| Arc::new(RateLimiter::keyed(quota))),
        }
    }

    /// Counts one request from `client`.
    ///
    /// # Errors
    /// [`AppError::TooManyRequests`] with the seconds to wait, when the client is over.
    pub fn check(&self, client: ClientAddress) -> Result<(), AppError> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        limiter.check_key(&client.0).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::TooManyRequests {
                retry_after: wait.as_secs().max(1),
            }
        })
    }

    /// Forgets clients that are back under the limit, so that memory does not grow with the
    /// number of addresses ever seen.
    pub fn forget_idle_clients(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// The service's limits.
#[derive(Clone)]
pub struct Limits {
    /// Saving answers and starting respondents.
    pub submit: Limit,
    /// Signing in.
    pub sign_in: Limit,
}
