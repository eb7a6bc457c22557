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
    /// Sign-in attempts per client address per minute; 0 turns the limit off.
    pub sign_in_rate_per_minute: u32,
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
            max_body_bytes: 256 * 1024,
            max_definition_bytes: 1024 * 1024,
            max_bootstrap: 2000,
            session_seconds: 12 * 60 * 60,
            heavy_computations: 1,
            results_cache_entries: 64,
        }
    }
}
