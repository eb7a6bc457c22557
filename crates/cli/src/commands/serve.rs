//! `prioritise serve`, and the commands that work on the service's database: `backup`,
//! `export` and `admin add`.

use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use server::{AppState, Settings, SurveyLoad};
use store::Store;

use crate::failure::with_hint;
use crate::output::write_output;

/// The database file used when none is given.
const DEFAULT_DATABASE: &str = "prioritise.db";

/// Where the database is.
#[derive(Debug, clap::Args)]
pub struct DatabaseArgument {
    /// The SQLite database file (created when missing).
    #[arg(long, value_name = "FILE", env = "PRIORITISE_DB", default_value = DEFAULT_DATABASE)]
    pub db: PathBuf,
}

fn open_store(path: &Path) -> anyhow::Result<Store> {
    Store::open(path).with_context(|| format!("{}", path.display()))
}

/// Arguments of `prioritise serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArguments {
    #[command(flatten)]
    pub database: DatabaseArgument,
    /// The address and port to listen on.
    #[arg(
        long,
        value_name = "ADDR",
        env = "PRIORITISE_BIND",
        default_value = "127.0.0.1:8080"
    )]
    pub bind: SocketAddr,
    /// A directory of exercise definitions (`DIR/*/exercise.toml`) to load at start.
    #[arg(
        long,
        value_name = "DIR",
        env = "PRIORITISE_SURVEYS",
        default_value = "surveys"
    )]
    pub surveys: PathBuf,
    /// A token for admin API calls (`Authorization: Bearer TOKEN`); best given in the
    /// environment, where other users of the machine cannot see it.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "PRIORITISE_ADMIN_TOKEN",
        hide_env_values = true
    )]
    pub admin_token: Option<String>,
    /// The address people use to reach the service (for example behind a proxy); an
    /// `https://` address marks session cookies Secure.
    #[arg(long, value_name = "URL", env = "PRIORITISE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Answers saved and respondents started per client address per second (0: no limit).
    #[arg(long, value_name = "N", env = "PRIORITISE_SUBMIT_RATE", default_value_t = Settings::default().submit_rate_per_second)]
    pub submit_rate: u32,
    /// Sign-in attempts per client address per minute (0: no limit).
    #[arg(long, value_name = "N", env = "PRIORITISE_SIGN_IN_RATE", default_value_t = Settings::default().sign_in_rate_per_minute)]
    pub sign_in_rate: u32,
    /// Results computations (bootstrap resamples, every method) run at once; more are queued
    /// and the page or API says so.
    #[arg(long, value_name = "N", env = "PRIORITISE_HEAVY_COMPUTATIONS",
        default_value_t = Settings::default().heavy_computations,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub heavy_computations: usize,
    /// Computed results kept in memory, the least recently used dropped first.
    #[arg(long, value_name = "N", env = "PRIORITISE_RESULTS_CACHE",
        default_value_t = Settings::default().results_cache_entries,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub results_cache: usize,
}

fn start_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PRIORITISE_LOG")
        .or_else(|_| tracing_subscriber::EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal())
        .try_init();
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("stopping: finishing the requests in flight");
}

/// Runs `prioritise serve`.
pub fn run(arguments: ServeArguments) -> anyhow::Result<()> {
    start_logging();
    let database = &arguments.database.db;
    let store = open_store(database)?;
    if arguments.surveys.is_dir() {
        let loaded = server::load_surveys(&store, &arguments.surveys).map_err(|error| {
            with_hint(
                anyhow::Error::new(error),
                "fix the definition (`prioritise validate FILE` shows every problem), or start with --surveys pointing elsewhere",
            )
        })?;
        for survey in loaded {
            let outcome = match survey.outcome {
                SurveyLoad::Added => "added".to_string(),
                SurveyLoad::Updated { version } => format!("updated to version {version}"),
                SurveyLoad::Unchanged => "already loaded".to_string(),
            };
            eprintln!(
                "exercise `{}` from {}: {outcome}",
                survey.exercise,
                survey.path.display()
            );
        }
    } else if arguments.surveys != Path::new("surveys") {
        anyhow::bail!(
            "--surveys {}: no such directory",
            arguments.surveys.display()
        );
    }
    let admin_count = store.admin_count()?;
    let settings = Settings {
        admin_token: arguments.admin_token.filter(|token| !token.is_empty()),
        secure_cookies: arguments
            .public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://")),
        submit_rate_per_second: arguments.submit_rate,
        sign_in_rate_per_minute: arguments.sign_in_rate,
        heavy_computations: arguments.heavy_computations,
        results_cache_entries: arguments.results_cache,
        ..Settings::default()
    };
    let has_token = settings.admin_token.is_some();
    let state = AppState::new(store, settings);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(arguments.bind)
            .await
            .map_err(|error| {
                with_hint(
                    anyhow::anyhow!("cannot listen on {}: {error}", arguments.bind),
                    "choose another address with --bind, for example --bind 127.0.0.1:8081",
                )
            })?;
        let address = listener.local_addr()?;
        let base = arguments
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{address}"));
        let base = base.trim_end_matches('/');
        eprintln!("prioritise is serving {} on http://{address}", database.display());
        eprintln!("  take part:        {base}/");
        eprintln!("  research leads:   {base}/admin");
        eprintln!("  exercises (JSON): {base}/api/v1/exercises");
        eprintln!("  API description:  {base}/api/v1/openapi.json");
        if admin_count == 0 && !has_token {
            eprintln!(
                "sign in: there is no admin account yet; create one with\n  prioritise admin add you@example.org --db {}\nthen sign in at {base}/admin (or start with PRIORITISE_ADMIN_TOKEN set to use `Authorization: Bearer TOKEN` in the API)",
                database.display()
            );
        } else {
            eprintln!(
                "sign in: at {base}/admin, or POST {base}/api/v1/sessions with your email and password{}",
                if has_token {
                    ", or send `Authorization: Bearer $PRIORITISE_ADMIN_TOKEN`"
                } else {
                    ""
                }
            );
        }
        eprintln!("Press Ctrl-C to stop.");
        server::serve(listener, state, shutdown_signal())
            .await
            .context("the service failed")
    })?;
    // The state, and with it the store, is dropped with the runtime: the writer commits what
    // it holds before the process ends.
    drop(runtime);
    eprintln!("stopped");
    Ok(())
}

/// Arguments of `prioritise backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArguments {
    #[command(flatten)]
    pub database: DatabaseArgument,
    /// The backup file to write; it must not exist.
    pub destination: PathBuf,
}

/// Runs `prioritise backup`: a consistent copy, safe while the service runs.
pub fn backup(arguments: BackupArguments) -> anyhow::Result<()> {
    let store = open_store(&arguments.database.db)?;
    store
        .backup(&arguments.destination)
        .with_context(|| format!("cannot back up to {}", arguments.destination.display()))?;
    eprintln!(
        "backed up {} to {}",
        arguments.database.db.display(),
        arguments.destination.display()
    );
    Ok(())
}

/// Arguments of `prioritise export`.
#[derive(Debug, clap::Args)]
pub struct ExportArguments {
    #[command(flatten)]
    pub database: DatabaseArgument,
    /// The exercise id.
    #[arg(long, value_name = "ID")]
    pub exercise: String,
    /// The round id.
    #[arg(long, value_name = "ID")]
    pub round: String,
    /// Write to this file instead of stdout. The file appears only once complete.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs `prioritise export`: a round's submitted answers in the exchange format.
pub fn export(arguments: ExportArguments) -> anyhow::Result<()> {
    let store = open_store(&arguments.database.db)?;
    let written = write_output(arguments.out.as_deref(), |output| {
        store
            .export_round(&arguments.exercise, &arguments.round, output)
            .map(|(_, count)| count)
            .map_err(std::io::Error::other)
    })?;
    if let Some(count) = written {
        eprintln!(
            "exported {count} respondents of round `{}` of `{}`",
            arguments.round, arguments.exercise
        );
    }
    Ok(())
}

/// Arguments of `prioritise admin`.
#[derive(Debug, clap::Subcommand)]
pub enum AdminCommand {
    /// Add a research-lead account. The password is read from PRIORITISE_ADMIN_PASSWORD, or
    /// asked for (twice) on a terminal, or read as one line from stdin.
    Add {
        #[command(flatten)]
        database: DatabaseArgument,
        /// The account's email address.
        email: String,
    },
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("PRIORITISE_ADMIN_PASSWORD") {
        return Ok(password);
    }
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (at least 12 characters): ")?;
        let second = rpassword::prompt_password("The same password again: ")?;
        if first != second {
            anyhow::bail!("the two passwords differ");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Runs `prioritise admin`.
pub fn admin(command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Add { database, email } => {
            if !email.contains('@') || email.trim().len() < 3 {
                anyhow::bail!("`{email}` is not an email address");
            }
            let password = read_password()?;
            let hash = server::auth::hash_password(&password).map_err(|error| {
                with_hint(
                    anyhow::Error::new(error),
                    "a long passphrase of several words is easy to remember and hard to guess",
                )
            })?;
            let store = open_store(&database.db)?;
            store.add_admin(&email, &hash)?;
            eprintln!(
                "added admin `{}`; sign in at /admin once `prioritise serve --db {}` runs",
                email.trim(),
                database.db.display()
            );
            Ok(())
        }
    }
}
