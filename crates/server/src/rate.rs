//! Per-client rate limits (the `governor` crate's keyed GCRA limiters), keyed by the client's
//! address. The address is used only in memory, for the limit; it is never stored or logged.
//!
//! Each kind of request has its own bucket ([`Limits`]): saving answers, guessing resume codes,
//! signing in, and failed admin authentication, so that a flood of one never locks out another.
//! The client is the connection's peer, unless the peer is a configured proxy
//! ([`crate::Settings::trusted_proxies`]): then the right-most address of `Forwarded` (or
//! `X-Forwarded-For`) that is not a trusted proxy is the client.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::AppState;
use crate::error::AppError;

/// The client's address: the connection's peer, or the address a trusted proxy forwarded
/// (in-process tests have no connection: they count as 127.0.0.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(client_address(parts, &state.settings.trusted_proxies))
    }
}

/// The client of a request: see [`client_of`].
pub fn client_address(parts: &Parts, trusted: &[IpAddr]) -> ClientAddress {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    ClientAddress(client_of(peer, &parts.headers, trusted))
}

/// The client behind `peer`: `peer` itself unless it is one of the `trusted` proxies; then
/// the right-most address of the forwarding chain (`Forwarded`'s `for=`, else
/// `X-Forwarded-For`) that is not a trusted proxy. A chain of trusted proxies only gives its
/// left-most address; an entry that is not an address (`unknown`, an obfuscated name) ends the
/// walk at the last trusted proxy, which then stands for the client.
pub fn client_of(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let chain = forwarded_chain(headers);
    let mut client = peer;
    for entry in chain.iter().rev() {
        match entry {
            Some(address) if trusted.contains(address) => client = *address,
            Some(address) => return *address,
            None => return client,
        }
    }
    client
}

/// The addresses a request was forwarded for, left (first hop) to right; `None` for an entry
/// that is not an address. `Forwarded` (RFC 7239) when present, else `X-Forwarded-For`.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<&str> = headers
        .get_all("forwarded")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|value| value.split(','))
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (name, value) = pair.split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| parse_node(value.trim().trim_matches('"')))
                })
            })
            .collect();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|entry| parse_node(entry.trim()))
        .collect()
}

/// An address as a proxy writes it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or
/// `[2001:db8::1]:4711`.
fn parse_node(text: &str) -> Option<IpAddr> {
    if let Ok(address) = text.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(address) = text.parse::<SocketAddr>() {
        return Some(address.ip());
    }
    text.strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(inside, _)| inside.parse().ok())
}

/// The whole seconds to wait for `wait`, rounded up and never 0 (for `Retry-After`).
pub fn retry_after_seconds(wait: Duration) -> u64 {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    seconds.max(1)
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
        self.wait(client).map_or(Ok(()), |wait| Err(too_many(wait)))
    }

    /// Counts one request from `client`; the time to wait when it is over the limit.
    fn wait(&self, client: ClientAddress) -> Option<Duration> {
        let limiter = self.limiter.as_ref()?;
        limiter
            .check_key(&client.0)
            .err()
            .map(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
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

fn too_many(wait: Duration) -> AppError {
    AppError::TooManyRequests {
        retry_after: retry_after_seconds(wait),
    }
}

/// Failed admin authentication (a wrong bearer token, an unknown session, a wrong password):
/// failures are counted per client, and a client over the limit is locked out, not even
/// checked, until its wait is over, so that guesses cannot go on at any speed.
#[derive(Clone)]
pub struct FailedAuth {
    failures: Limit,
    locked: Arc<Mutex<HashMap<IpAddr, Instant>>>,
}

impl FailedAuth {
    /// `count` failures per minute, all of which may come at once; 0 turns the limit off.
    pub fn per_minute(count: u32) -> FailedAuth {
        FailedAuth {
            failures: Limit::per_minute(count),
            locked: Arc::default(),
        }
    }

    /// Refuses a client that is locked out, before its credentials are looked at.
    ///
    /// # Errors
    /// [`AppError::TooManyRequests`] with the rest of the wait.
    pub fn check_not_locked(&self, client: ClientAddress) -> Result<(), AppError> {
        let locked = self
            .locked
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        match locked.get(&client.0) {
            Some(until) => {
                let now = Instant::now();
                if *until > now {
                    Err(too_many(*until - now))
                } else {
                    Ok(())
                }
            }
            None => Ok(()),
        }
    }

    /// Counts one failure of `client`; over the limit, locks it out for the limiter's wait.
    ///
    /// # Errors
    /// [`AppError::TooManyRequests`] when this failure put the client over the limit.
    pub fn failed(&self, client: ClientAddress) -> Result<(), AppError> {
        let Some(wait) = self.failures.wait(client) else {
            return Ok(());
        };
        let mut locked = self
            .locked
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        locked.insert(client.0, Instant::now() + wait);
        Err(too_many(wait))
    }

    /// Forgets clients whose lock-out is over and that are back under the limit.
    pub fn forget_idle_clients(&self) {
        self.failures.forget_idle_clients();
        let now = Instant::now();
        let mut locked = self
            .locked
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        locked.retain(|_, until| *until > now);
        locked.shrink_to_fit();
    }
}

/// The service's limits, one bucket per kind of request.
#[derive(Clone)]
pub struct Limits {
    /// Saving answers and starting respondents.
    pub submit: Limit,
    /// Admin sign-in attempts.
    pub sign_in: Limit,
    /// Resume-code guesses.
    pub resume: Limit,
    /// Failed admin authentication.
    pub failed_auth: FailedAuth,
}

impl Limits {
    /// Forgets idle clients in every bucket.
    pub fn forget_idle_clients(&self) {
        self.submit.forget_idle_clients();
        self.sign_in.forget_idle_clients();
        self.resume.forget_idle_clients();
        self.failed_auth.forget_idle_clients();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxy = ip("10.0.0.1");
        let spoofed = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            client_of(ip("198.51.100.7"), &spoofed, &[proxy]),
            ip("198.51.100.7")
        );
        assert_eq!(client_of(proxy, &spoofed, &[]), proxy);
        assert_eq!(client_of(proxy, &spoofed, &[proxy]), ip("203.0.113.9"));
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        let (outer, inner) = (ip("10.0.0.1"), ip("10.0.0.2"));
        let chain = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.1")]);
        // The client can write anything on the left; only the right-most untrusted counts.
        assert_eq!(client_of(inner, &chain, &[outer, inner]), ip("203.0.113.9"));
        let only_proxies = headers(&[("x-forwarded-for", "10.0.0.1")]);
        assert_eq!(client_of(inner, &only_proxies, &[outer, inner]), outer);
        let unknown = headers(&[("x-forwarded-for", "203.0.113.9, unknown")]);
        assert_eq!(client_of(inner, &unknown, &[inner]), inner);
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_for_and_parses_ports_and_ipv6() {
        let proxy = ip("10.0.0.1");
        let both = headers(&[
            (
                "forwarded",
                "for=192.0.2.60;proto=https, For=\"[2001:db8::1]:4711\"",
            ),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(client_of(proxy, &both, &[proxy]), ip("2001:db8::1"));
        let port = headers(&[("forwarded", "for=192.0.2.60:8080;by=10.0.0.1")]);
        assert_eq!(client_of(proxy, &port, &[proxy]), ip("192.0.2.60"));
    }

    #[test]
    fn retry_after_rounds_up_and_is_never_zero() {
        assert_eq!(retry_after_seconds(Duration::ZERO), 1);
        assert_eq!(retry_after_seconds(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_seconds(Duration::from_millis(5_999)), 6);
        assert_eq!(retry_after_seconds(Duration::from_secs(6)), 6);
        assert_eq!(retry_after_seconds(Duration::from_millis(6_001)), 7);
    }

    #[test]
    fn failed_authentication_locks_the_client_out_with_the_real_wait() {
        let limit = FailedAuth::per_minute(3);
        let (guesser, other) = (
            ClientAddress(ip("192.0.2.1")),
            ClientAddress(ip("192.0.2.2")),
        );
        for _ in 0..3 {
            limit.check_not_locked(guesser).unwrap();
            limit.failed(guesser).unwrap();
        }
        let Err(AppError::TooManyRequests { retry_after }) = limit.failed(guesser) else {
            panic!("the fourth failure in a minute is over the limit");
        };
        // Three a minute: the next is allowed 20 s after the first.
        assert!((19..=20).contains(&retry_after), "{retry_after}");
        assert!(matches!(
            limit.check_not_locked(guesser),
            Err(AppError::TooManyRequests { .. })
        ));
        limit.check_not_locked(other).unwrap();
        limit.failed(other).unwrap();
    }
}
