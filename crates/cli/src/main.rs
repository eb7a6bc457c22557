//! `prioritise`: the command line of the research priority-setting system.
//!
//! Data goes to stdout; messages and progress go to stderr. An error prints one line starting
//! with `error:` (several for a definition with several problems), perhaps a `hint:` line, and
//! exits with status 1; a usage error exits with status 2.

mod commands;
mod failure;
mod input;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Run research priority-setting exercises end to end: define an exercise, collect or simulate
/// answers, and rank them.
#[derive(Debug, Parser)]
#[command(name = "prioritise", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check an exercise definition, a response file or a PrefLib file, with precise errors.
    #[command(
        after_help = "Examples:\n  prioritise validate surveys/childrens-social-care/exercise.toml\n  prioritise validate rank.csv --exercise surveys/childrens-social-care/exercise.toml --round rank\n  prioritise validate sushi.soc"
    )]
    Validate(commands::validate::Arguments),
    /// Rank responses: every method of METHODS.md, overall and per group, with agreement,
    /// bootstrap uncertainty and the comparison of methods.
    #[command(
        after_help = "Examples:\n  prioritise rank rank.csv --exercise surveys/childrens-social-care/exercise.toml --by-group\n  prioritise rank rank.csv --method borda --method schulze --method kemeny --bootstrap 1000 --seed 1 --format json\n  prioritise rank sushi.soc --method all"
    )]
    Rank(commands::rank::Arguments),
    /// Write the method report of an exercise: the priority list overall and by group, with
    /// charts, the method in plain English, agreement, uncertainty, sensitivity and everything
    /// needed to repeat it (HTML, Markdown, JSON and CSV).
    #[command(
        after_help = "Examples:\n  prioritise report suggest.csv rate.csv rank.csv --exercise surveys/childrens-social-care/exercise.toml --out report --bootstrap 1000 --seed 1\n  prioritise report answers.csv:rank --exercise exercise.toml --out report --method borda --method schulze\n  prioritise report suggest.csv rate.csv rank.csv --exercise exercise.toml --curation curation.csv --out report"
    )]
    Report(commands::report::Arguments),
    /// Write realistic synthetic responses for a round of an exercise, or for every round with
    /// people dropping out between rounds, deterministic for a seed.
    #[command(
        after_help = "Examples:\n  prioritise simulate --exercise surveys/childrens-social-care/exercise.toml --round rank > rank.csv\n  prioritise simulate --exercise surveys/childrens-social-care/exercise.toml --round rate --respondents 1000 --seed 7 --out rate.csv\n  prioritise simulate --exercise surveys/childrens-social-care/exercise.toml --out-dir simulated --retention 0.75"
    )]
    Simulate(commands::simulate::Arguments),
    /// Turn a suggest round's suggestions into a curated long list: propose groups of
    /// near-duplicates and the items they match, as a curation file for the team to review.
    #[command(subcommand)]
    Curate(commands::curate::Command),
    /// Convert another survey tool's export (SurveyMonkey CSV or XLSX, Google Forms CSV,
    /// Microsoft Forms XLSX, Qualtrics CSV, LimeSurvey CSV) to the exchange format: the
    /// stakeholder group and the ranking or rating questions.
    #[command(
        after_help = "Examples:\n  prioritise import --from surveymonkey export.csv --exercise exercise.toml --out rank.csv\n  prioritise import --from surveymonkey export.xlsx --exercise exercise.toml --out rank.csv\n  prioritise import --from google-forms responses.csv --group-column \"your role\" > rank.csv\n  prioritise import --from microsoft-forms \"Your form.xlsx\" --question \"Please rank\" > rank.csv\n  prioritise import --from qualtrics export.csv --exercise exercise.toml --out-dir imported\n  prioritise import --from limesurvey results.csv --group-column Q1 --mapping mapping.toml --out rank.csv\n  prioritise import --from surveymonkey export.csv --draft-mapping mapping.toml > rank.csv\n\nSee docs/import.md for the export option to choose in each tool."
    )]
    Import(commands::import::Arguments),
    /// Run the service: the JSON API over an embedded SQLite database, with the exercises of
    /// `surveys/` loaded.
    #[command(
        after_help = "Examples:\n  prioritise serve\n  PRIORITISE_ADMIN_TOKEN=$(openssl rand -hex 24) prioritise serve --db exercise.db --bind 0.0.0.0:8080"
    )]
    Serve(commands::serve::ServeArguments),
    /// Copy the service's database to a new file, consistently, while the service runs.
    Backup(commands::serve::BackupArguments),
    /// Write a round's submitted answers from the service's database in the exchange format.
    #[command(
        after_help = "Example:\n  prioritise export --exercise childrens-social-care --round rank --out rank.csv"
    )]
    Export(commands::serve::ExportArguments),
    /// Manage research-lead accounts of the service.
    #[command(subcommand)]
    Admin(commands::serve::AdminCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(arguments) => commands::validate::run(arguments),
        Command::Simulate(arguments) => commands::simulate::run(arguments),
        Command::Curate(command) => commands::curate::run(command),
        Command::Rank(arguments) => commands::rank::run(arguments),
        Command::Report(arguments) => commands::report::run(arguments),
        Command::Import(arguments) => commands::import::run(arguments),
        Command::Serve(arguments) => commands::serve::run(arguments),
        Command::Backup(arguments) => commands::serve::backup(arguments),
        Command::Export(arguments) => commands::serve::export(arguments),
        Command::Admin(command) => commands::serve::admin(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            failure::report(&error);
            ExitCode::FAILURE
        }
    }
}
