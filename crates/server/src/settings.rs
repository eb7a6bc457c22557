//! The service's settings, from `prioritise serve`'s flags and `PRIORITISE_*` variables.

/// How the service behaves. [`Settings::default`] suits tests and a first run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A token that admits admin API calls as `Authorization: Bearer TOKEN`
    /// (`PRIORITISE_ADMIN_TOKEN`); `None`: only signed-in sessions.
    pub admin_token: Option<String>,
    /// Whether session cookies are marked `Secure` (when the service is reached over TLS,
    /// for example behind a proxy at an `https://` address).
    pub secure_cookies: bool,
    /// Answers saved and respondents started per client address per second (bursts of up to
    /// three times as many); 0 turns the limit off.
    pub submit_rate_per_second: u32,
    /// Admin sign-in attempts per client address per minute; 0 turns the limit off.
    pub sign_in_rate_per_minute: u32,
    /// Resume-code guesses per client address per minute (a bucket of their own, so that a
    /// flood of guesses never locks out an admin); 0 turns the limit off.
    pub resume_rate_per_minute: u32,
    /// Failed admin authentications (wrong bearer token, unknown session, wrong password)
    /// per client address per minute, after which the client is locked out until its wait is
    /// over; 0 turns the limit off.
    pub failed_auth_per_minute: u32,
    /// The addresses of reverse proxies whose `Forwarded` and `X-Forwarded-For` headers are
    /// believed (`--trusted-proxy`); from any other peer they are ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The address people use to reach the service (`--public-url`), such as
    /// `https://survey.example.org`; it is the service's own origin for the `Origin` check,
    /// and an `https://` address turns on HSTS.
    pub public_url: Option<String>,
    /// The largest request body for answers and other JSON, in bytes.
    pub max_body_bytes: usize,
    /// The largest exercise definition accepted, in bytes.
    pub max_definition_bytes: usize,
    /// The most bootstrap resamples a results request may ask for.
    pub max_bootstrap: usize,
    /// How long an admin session lasts, in seconds.
    pub session_seconds: u64,
    /// The most results computations (bootstrap, every method) run at once; more wait in a
    /// queue. Each already spreads its bootstrap over every core.
    pub heavy_computations: usize,
    /// How many computed results are kept, the least recently used dropped first.
    pub results_cache_entries: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            admin_token: None,
            secure_cookies: false,
            submit_rate_per_second: 20,
            sign_in_rate_per_minute: 10,
            resume_rate_per_minute: 10,
            failed_auth_per_minute: 10,
            trusted_proxies: Vec::new(),
            public_url: None,
            max_body_bytes: 256 * 1024,
            max_definition_bytes: 1024 * 1024,
            max_bootstrap: 2000,
            session_seconds: 12 * 60 * 60,
            heavy_computations: 1,
            results_cache_entries: 64,
        }
    }
}
