//! Proposes groups for many simulated suggestions and prints the time taken and the number of
//! pairs stored: `cargo run --release -p curate --example scale -- 10000`. For the peak
//! memory, run the built example under `/usr/bin/time -v` (BENCHMARKS.md, "Clustering
//! suggestions"). `COMMON_FEATURE_SHARE=0.2` or `PAIR_FLOOR=0.2` measure other settings.

use std::time::Instant;

use curate::{Curator, Settings};
use survey::Exercise;
use survey::simulate::simulate_suggestions;

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|text| text.parse().ok())
        .unwrap_or(10_000);
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../surveys/childrens-social-care/exercise.toml"
    );
    let source = std::fs::read_to_string(path).expect("the example exercise exists");
    let exercise = Exercise::parse(&source, path).expect("the example exercise is valid");
    let round = exercise.round("suggest").expect("the suggest round exists");
    let mut respondents = (count as u64 / 2).max(1);
    let texts: Vec<String> = loop {
        let settings = survey::simulate::Settings {
            respondents,
            seed: 1,
            ..Default::default()
        };
        let simulated = simulate_suggestions(&exercise, round, settings)
            .expect("the settings are valid")
            .expect("a suggest round");
        if simulated.len() >= count {
            break simulated
                .into_iter()
                .take(count)
                .map(|suggestion| suggestion.text)
                .collect();
        }
        respondents += respondents / 4 + 1;
    };
    // `UNIQUE=1` appends a different number to each suggestion, so that no two are the same
    // text and none is clustered as a copy of another: the harder case.
    let texts: Vec<String> = if std::env::var("UNIQUE").is_ok_and(|value| value == "1") {
        texts
            .into_iter()
            .enumerate()
            .map(|(index, text)| format!("{text} {index}"))
            .collect()
    } else {
        texts
    };
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let items: Vec<String> = exercise
        .items
        .iter()
        .map(survey::Item::matching_text)
        .collect();
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    let mut settings = Settings::default();
    if let Some(share) = std::env::var("COMMON_FEATURE_SHARE")
        .ok()
        .and_then(|value| value.parse().ok())
    {
        settings.common_feature_share = share;
    }
    if let Some(floor) = std::env::var("PAIR_FLOOR")
        .ok()
        .and_then(|value| value.parse().ok())
    {
        settings.pair_floor = floor;
    }
    let started = Instant::now();
    let curator = Curator::new(&texts, &items, &settings);
    let fitted = started.elapsed();
    let graph = curator.similarity_graph();
    let pairs = graph.pair_count();
    let built = started.elapsed();
    let proposal = curator.propose_from(graph);
    let total = started.elapsed();
    let all_pairs = count * count.saturating_sub(1) / 2;
    println!(
        "{count} suggestions ({} distinct): {} clusters; {pairs} pairs stored of {all_pairs} ({:.2}%); fit {:.2} s, graph {:.2} s, total {:.2} s",
        curator.distinct_count(),
        proposal.clusters.len(),
        100.0 * pairs as f64 / all_pairs.max(1) as f64,
        fitted.as_secs_f64(),
        (built - fitted).as_secs_f64(),
        total.as_secs_f64()
    );
}
