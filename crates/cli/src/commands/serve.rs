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
    /// Admin sign-in attempts per client address per minute (0: no limit).
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
    /// Resume-code guesses per client address per minute (0: no limit).
    #[arg(long, value_name = "N", env = "PRIORITISE_RESUME_RATE", default_value_t = Settings::default().resume_rate_per_minute)]
    pub resume_rate: u32,
    /// Failed admin authentications per client address per minute before the address is
    /// locked out for the rest of the wait (0: no limit).
    #[arg(long, value_name = "N", env = "PRIORITISE_FAILED_AUTH_RATE", default_value_t = Settings::default().failed_auth_per_minute)]
    pub failed_auth_rate: u32,
    /// The address of a reverse proxy in front of the service, whose `Forwarded` and
    /// `X-Forwarded-For` headers are believed; repeat for several (in the environment,
    /// comma-separated). From any other address those headers are ignored.
    #[arg(
        long = "trusted-proxy",
        value_name = "ADDR",
        env = "PRIORITISE_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
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
    let admin_token = arguments.admin_token.filter(|token| !token.is_empty());
    if let Some(token) = &admin_token {
        server::auth::check_admin_token(token).map_err(|error| {
            with_hint(
                anyhow::Error::new(error).context("PRIORITISE_ADMIN_TOKEN (--admin-token)"),
                "make a long random token, for example with `openssl rand -hex 24`",
            )
        })?;
    }
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
        admin_token,
        secure_cookies: arguments
            .public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://")),
        submit_rate_per_second: arguments.submit_rate,
        sign_in_rate_per_minute: arguments.sign_in_rate,
        heavy_computations: arguments.heavy_computations,
        results_cache_entries: arguments.results_cache,
        resume_rate_per_minute: arguments.resume_rate,
        failed_auth_per_minute: arguments.failed_auth_rate,
        trusted_proxies: arguments.trusted_proxies.clone(),
        public_url: arguments.public_url.clone(),
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
    /// Add a research-lead account that owns every exercise (the password is read from
    /// PRIORITISE_ADMIN_PASSWORD, or asked for twice on a terminal, or read as one line from
    /// stdin); or, with --role and --exercise, invite a person to a role in one exercise:
    /// prints a one-time sign-up link where they set their own password (or, when the account
    /// exists, gives it the role at once).
    Add {
        #[command(flatten)]
        database: DatabaseArgument,
        /// The account's email address.
        email: String,
        /// The role in one exercise: advisory (reads, changes nothing), lead (runs it) or
        /// owner (everything, including roles). Needs --exercise.
        #[arg(long, value_name = "ROLE")]
        role: Option<String>,
        /// The exercise the role is in.
        #[arg(long, value_name = "ID")]
        exercise: Option<String>,
        /// The address people use to reach the service, such as `https://survey.example.org`,
        /// to print the sign-up link in full (else its path is printed).
        #[arg(long, value_name = "URL", env = "PRIORITISE_PUBLIC_URL")]
        public_url: Option<String>,
    },
    /// List who has which role in an exercise, and the invitations waiting.
    Roles {
        #[command(flatten)]
        database: DatabaseArgument,
        /// The exercise.
        #[arg(long, value_name = "ID")]
        exercise: String,
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
        AdminCommand::Add {
            database,
            email,
            role: Some(role),
            exercise,
            public_url,
        } => add_role(&database.db, &email, &role, exercise, public_url),
        AdminCommand::Add {
            email,
            exercise: Some(_),
            ..
        } => Err(with_hint(
            anyhow::anyhow!(
                "--exercise needs --role: the role `{}` is to have",
                email.trim()
            ),
            "add --role advisory, --role lead or --role owner; without both, `admin add` makes an account that owns every exercise",
        )),
        AdminCommand::Add {
            database, email, ..
        } => {
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
        AdminCommand::Roles { database, exercise } => list_roles(&database.db, &exercise),
    }
}

/// `prioritise admin add EMAIL --role ROLE --exercise ID`.
fn add_role(
    database: &Path,
    email: &str,
    role: &str,
    exercise: Option<String>,
    public_url: Option<String>,
) -> anyhow::Result<()> {
    let email = email.trim();
    let Some(role) = store::Role::parse(role) else {
        return Err(with_hint(
            anyhow::anyhow!("`{role}` is not a role"),
            "use --role advisory, --role lead or --role owner",
        ));
    };
    let Some(exercise) = exercise else {
        return Err(with_hint(
            anyhow::anyhow!("--role needs --exercise: the exercise the role is in"),
            format!(
                "add --exercise ID (see `prioritise admin roles --exercise ID`), or leave out --role to add an account that owns every exercise; for example\n  prioritise admin add {email} --role {role} --exercise EXERCISE --db {}",
                database.display()
            ),
        ));
    };
    let store = open_store(database)?;
    if store.exercise(&exercise)?.is_none() {
        return Err(with_hint(
            anyhow::anyhow!(
                "there is no exercise `{exercise}` in {}",
                database.display()
            ),
            "load it first with `prioritise serve --load FILE` or on the admin pages",
        ));
    }
    if let Some(account) = store.admin_by_email(email)? {
        if account.all_exercises {
            eprintln!(
                "`{}` already owns every exercise, `{exercise}` included: nothing changed",
                account.email
            );
            return Ok(());
        }
        store.set_role(&exercise, &account.email, role, "prioritise")?;
        eprintln!(
            "`{}` has an account already: it is now {} of `{exercise}` (no sign-up link needed)",
            account.email,
            with_article(role)
        );
        return Ok(());
    }
    let token = store.create_account_invite(
        &exercise,
        email,
        role,
        store::INVITE_LIFETIME,
        "prioritise",
    )?;
    let path = server::sign_up_path(&token);
    let link = match public_url.as_deref().filter(|url| !url.is_empty()) {
        Some(url) => format!("{}{path}", url.trim_end_matches('/')),
        None => path,
    };
    println!("{link}");
    eprintln!(
        "invited `{email}` to be {} of `{exercise}`: send them the link above (it works once, for 7 days; the service sends no email yet){}",
        with_article(role),
        if public_url.is_none() {
            "; it is a path: put the service's address in front of it, or give --public-url"
        } else {
            ""
        }
    );
    Ok(())
}

/// "an advisory group member", "a research lead", "an owner".
fn with_article(role: store::Role) -> String {
    match role {
        store::Role::Lead => format!("a {}", role.label()),
        store::Role::Advisory | store::Role::Owner => format!("an {}", role.label()),
    }
}

/// `prioritise admin roles --exercise ID`.
fn list_roles(database: &Path, exercise: &str) -> anyhow::Result<()> {
    let store = open_store(database)?;
    if store.exercise(exercise)?.is_none() {
        anyhow::bail!(
            "there is no exercise `{exercise}` in {}",
            database.display()
        );
    }
    let members = store.members(exercise)?;
    let invites = store.pending_invites(exercise)?;
    let downloads = store.advisory_downloads(exercise)?;
    println!("roles in `{exercise}`:");
    for member in &members {
        println!(
            "  {:<8}  {}{}",
            member.role.as_str(),
            member.email,
            if member.all_exercises {
                " (owns every exercise)"
            } else {
                ""
            }
        );
    }
    if members.is_empty() {
        println!("  (nobody)");
    }
    if !invites.is_empty() {
        println!("invitations waiting:");
        for invite in &invites {
            println!(
                "  {:<8}  {} (invited by {})",
                invite.role.as_str(),
                invite.email,
                invite.invited_by
            );
        }
    }
    println!(
        "advisory members {} download raw responses",
        if downloads { "may" } else { "may not" }
    );
    Ok(())
}
