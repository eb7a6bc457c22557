//! Measures how well `curate` groups simulated suggestions with known topics, for a sweep of
//! features and thresholds, and prints one line per combination.
//!
//! `cargo run --release -p curate --example evaluate` (the figures chosen are in
//! BENCHMARKS.md, "Clustering suggestions"). The suggestions are those of the example
//! exercise's suggest round, 250 respondents, seeds 1 to 5, as `prioritise simulate` writes
//! them; each was generated from a known item (or none, for an off-topic suggestion).

use curate::{Features, Settings, StopWords, item_accuracy, pairwise_precision_recall, propose};
use survey::Exercise;
use survey::simulate::{SimulatedSuggestion, simulate_suggestions};

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../surveys/childrens-social-care/exercise.toml"
    );
    let source = std::fs::read_to_string(path).expect("the example exercise exists");
    let exercise = Exercise::parse(&source, path).expect("the example exercise is valid");
    let round = exercise.round("suggest").expect("the suggest round exists");
    let items: Vec<String> = exercise
        .items
        .iter()
        .map(|item| match &item.description {
            Some(description) => format!("{}. {description}", item.title),
            None => item.title.clone(),
        })
        .collect();
    let item_texts: Vec<&str> = items.iter().map(String::as_str).collect();
    let samples: Vec<Vec<SimulatedSuggestion>> = (1..=5)
        .map(|seed| {
            let settings = survey::simulate::Settings {
                respondents: 250,
                seed,
                ..Default::default()
            };
            simulate_suggestions(&exercise, round, settings)
                .expect("the settings are valid")
                .expect("a suggest round")
        })
        .collect();

    let feature = |stop_words, word_weight, stem, sublinear_tf| Features {
        ngram_min: 3,
        ngram_max: 3,
        word_weight,
        stem,
        sublinear_tf,
        stop_words,
    };
    let feature_sets = [
        (
            "3-grams,stop (before)",
            feature(StopWords::FunctionAndBoilerplate, 0.0, false, false),
        ),
        ("3-grams,keep", feature(StopWords::Keep, 0.0, false, false)),
        ("stems,keep", feature(StopWords::Keep, 1.0, true, true)),
        (
            "stems0.6+3-grams,keep",
            feature(StopWords::Keep, 0.6, true, true),
        ),
        (
            "stems0.6+3-grams,english",
            feature(StopWords::English, 0.6, true, true),
        ),
        (
            "stems0.6+3-grams,english+boilerplate",
            feature(StopWords::EnglishAndBoilerplate, 0.6, true, true),
        ),
        (
            "stems0.6+3-grams,function+boilerplate",
            feature(StopWords::FunctionAndBoilerplate, 0.6, true, true),
        ),
        (
            "stems0.3+3-grams,function+boilerplate",
            feature(StopWords::FunctionAndBoilerplate, 0.3, true, true),
        ),
    ];
    let only = std::env::args().nth(1);
    // The pair floor to measure with (`PAIR_FLOOR=0.05`), the default when not given.
    let pair_floor: f64 = std::env::var("PAIR_FLOOR")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(curate::DEFAULT_PAIR_FLOOR);
    println!(
        "features\tthreshold\titem_threshold\tprecision\trecall\tf1\titem_accuracy\ton_topic_correct\toff_topic_unmatched\tclusters"
    );
    for (name, features) in feature_sets {
        if only.as_deref().is_some_and(|only| only != name) {
            continue;
        }
        for threshold in [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5] {
            for item_threshold in [0.1, 0.15, 0.2, 0.25, 0.3] {
                let settings = Settings {
                    threshold,
                    item_threshold,
                    features,
                    pair_floor,
                    ..Settings::default()
                };
                let (
                    mut precision,
                    mut recall,
                    mut f1,
                    mut accuracy,
                    mut on,
                    mut off,
                    mut clusters,
                ) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
                for sample in &samples {
                    let texts: Vec<&str> = sample.iter().map(|s| s.text.as_str()).collect();
                    let truth: Vec<Option<usize>> = sample.iter().map(|s| s.topic).collect();
                    let proposal = propose(&texts, &item_texts, &settings);
                    let scores =
                        pairwise_precision_recall(&proposal.cluster_of_each(texts.len()), &truth);
                    let items = item_accuracy(&proposal.item_of_each(texts.len()), &truth);
                    precision += scores.precision / 5.0;
                    recall += scores.recall / 5.0;
                    f1 += scores.f1 / 5.0;
                    accuracy += items.accuracy / 5.0;
                    on += items.on_topic_correct as f64 / items.on_topic as f64 / 5.0;
                    off += items.off_topic_unmatched as f64 / items.off_topic.max(1) as f64 / 5.0;
                    clusters += proposal.clusters.len() as f64 / 5.0;
                }
                println!(
                    "{name}\t{threshold}\t{item_threshold}\t{precision:.3}\t{recall:.3}\t{f1:.3}\t{accuracy:.3}\t{on:.3}\t{off:.3}\t{clusters:.1}"
                );
            }
        }
    }
}
