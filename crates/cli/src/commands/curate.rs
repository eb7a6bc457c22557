//! `prioritise curate`: from round-1 suggestions to a curated long list.

use std::path::PathBuf;

use curate::{DEFAULT_ITEM_THRESHOLD, DEFAULT_THRESHOLD, Settings, propose};
use survey::curation::{Curation, Status, write_curation};
use survey::responses::ResponseKind;

use crate::failure::with_hint;
use crate::input::{read_exercise, read_responses_hashed};
use crate::output::write_output;

/// Subcommands of `prioritise curate`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Propose groups of near-duplicate suggestions and the existing item each group matches,
    /// as a curation file for the research team to accept or change (status `proposed` for
    /// every suggestion, rows ordered by cluster).
    #[command(
        after_help = "Example:\n  prioritise curate propose suggest.csv --exercise surveys/childrens-social-care/exercise.toml --out curation.csv\n\nThe method (Snowball stems and character 3-grams with TF-IDF, cosine similarity,\naverage-linkage clustering, a match to the nearest item with a confidence) is described in\nthe documentation of the curate crate; its figures on simulated suggestions and on real\nquestions (COVID-Q) are in BENCHMARKS.md."
    )]
    Propose(ProposeArguments),
}

/// Arguments of `prioritise curate propose`.
#[derive(Debug, clap::Args)]
pub struct ProposeArguments {
    /// The suggestions file (exchange format, header `respondent,group,text`).
    #[arg(value_name = "SUGGESTIONS")]
    pub suggestions: PathBuf,
    /// The exercise definition whose items the suggestions are matched to.
    #[arg(long, value_name = "FILE")]
    pub exercise: PathBuf,
    /// The suggest round the file belongs to (may be left out when the exercise has one).
    #[arg(long, value_name = "ID")]
    pub round: Option<String>,
    /// Suggestions are grouped while their clusters' average similarity is at least T (0 to
    /// 1; higher gives smaller, surer groups).
    #[arg(long, value_name = "T", default_value_t = DEFAULT_THRESHOLD, value_parser = parse_share)]
    pub threshold: f64,
    /// A group is matched to its most similar item when their similarity is at least T (0 to
    /// 1).
    #[arg(long, value_name = "T", default_value_t = DEFAULT_ITEM_THRESHOLD, value_parser = parse_share)]
    pub item_threshold: f64,
    /// Accept every proposal as it is: suggestions whose group matches an item are written
    /// `assigned` to it (the others stay `proposed` without an item), with the note "accepted
    /// as proposed". For simulated data and first drafts; a real exercise's team reviews them.
    #[arg(long)]
    pub accept: bool,
    /// Write to this file instead of stdout. The file appears only once complete.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn parse_share(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("a threshold is from 0 to 1, not {text}"))
    }
}

/// Runs `prioritise curate`.
pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Propose(arguments) => run_propose(arguments),
    }
}

fn run_propose(arguments: ProposeArguments) -> anyhow::Result<()> {
    let exercise = read_exercise(&arguments.exercise)?;
    let (responses, _, notes) = read_responses_hashed(
        &arguments.suggestions,
        Some(&exercise),
        arguments.round.as_deref(),
    )?;
    for note in notes {
        eprintln!("note: {note}");
    }
    if responses.kind() != ResponseKind::Suggestions {
        return Err(with_hint(
            anyhow::anyhow!(
                "{} holds {} answers, not suggestions",
                arguments.suggestions.display(),
                responses.kind()
            ),
            "give the file of a suggest round (header `respondent,group,text`)",
        ));
    }
    let mut curation = Curation::unassigned(&responses).expect("the file holds suggestions");

    let items: Vec<String> = exercise
        .items
        .iter()
        .map(survey::Item::matching_text)
        .collect();
    let item_texts: Vec<&str> = items.iter().map(String::as_str).collect();
    let texts: Vec<&str> = curation
        .suggestions
        .iter()
        .map(|suggestion| suggestion.text.as_str())
        .collect();
    let settings = Settings {
        threshold: arguments.threshold,
        item_threshold: arguments.item_threshold,
        ..Settings::default()
    };
    let proposal = propose(&texts, &item_texts, &settings);

    // Rows in cluster order (largest cluster first), file order within a cluster, so that the
    // team reads near-duplicates together.
    let mut ordered = Vec::with_capacity(curation.suggestions.len());
    let mut matched_clusters = 0;
    let mut matched_suggestions = 0;
    for (number, cluster) in proposal.clusters.iter().enumerate() {
        if cluster.item.is_some() {
            matched_clusters += 1;
            matched_suggestions += cluster.members.len();
        }
        for &member in &cluster.members {
            let mut suggestion = curation.suggestions[member].clone();
            suggestion.status = Status::Proposed;
            suggestion.cluster = Some(number as u32);
            if let Some(matched) = &cluster.item {
                suggestion.item = Some(exercise.items[matched.item].id.to_string());
                if arguments.accept {
                    suggestion.status = Status::Assigned;
                    suggestion.note = Some("accepted as proposed".to_string());
                }
                // Three decimals are plenty for a person to read, and read back exactly.
                suggestion.similarity = Some((matched.similarity * 1000.0).round() / 1000.0);
            }
            ordered.push(suggestion);
        }
    }
    curation.suggestions = ordered;

    if write_output(arguments.out.as_deref(), |output| {
        write_curation(&curation, output).map(|_| ())
    })?
    .is_none()
    {
        return Ok(());
    }
    let suggestion_count = curation.suggestions.len();
    let cluster_count = proposal.clusters.len();
    eprintln!(
        "{suggestion_count} suggestions in {cluster_count} clusters: {matched_clusters} clusters ({matched_suggestions} suggestions) matched to existing items, {} clusters ({} suggestions) left for new items or out of scope; thresholds {} and {} (item)",
        cluster_count - matched_clusters,
        suggestion_count - matched_suggestions,
        settings.threshold,
        settings.item_threshold
    );
    Ok(())
}
