//! Clustering simulated suggestions whose topics are known: the example exercise's suggest
//! round, 250 respondents, seeds 1 to 5, as `prioritise simulate` writes it. Each suggestion
//! was generated from an item of the exercise (or is off-topic), so the proposal can be scored
//! against the truth. The figures are printed (`cargo test -p curate --test it -- --nocapture`)
//! and recorded in BENCHMARKS.md, "Clustering suggestions"; the floors asserted are the
//! measured figures rounded down, so that a change that makes the proposals worse fails here.

use curate::{Settings, item_accuracy, pairwise_precision_recall, propose};
use survey::Exercise;
use survey::simulate::simulate_suggestions;

fn example() -> Exercise {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../surveys/childrens-social-care/exercise.toml"
    );
    let source = std::fs::read_to_string(path).expect("the example exercise exists");
    Exercise::parse(&source, path).expect("the example exercise is valid")
}

/// Each item's text for matching: its title and description.
fn item_texts(exercise: &Exercise) -> Vec<String> {
    exercise
        .items
        .iter()
        .map(|item| match &item.description {
            Some(description) => format!("{}. {description}", item.title),
            None => item.title.clone(),
        })
        .collect()
}

struct Figures {
    suggestions: usize,
    clusters: usize,
    precision: f64,
    recall: f64,
    f1: f64,
    item_accuracy: f64,
    on_topic_correct: f64,
    off_topic_unmatched: f64,
}

fn measure(seed: u64) -> Figures {
    let exercise = example();
    let round = exercise.round("suggest").expect("the suggest round exists");
    let simulated = simulate_suggestions(
        &exercise,
        round,
        survey::simulate::Settings {
            respondents: 250,
            seed,
            ..Default::default()
        },
    )
    .expect("the settings are valid")
    .expect("a suggest round");
    let texts: Vec<&str> = simulated
        .iter()
        .map(|suggestion| suggestion.text.as_str())
        .collect();
    let truth: Vec<Option<usize>> = simulated
        .iter()
        .map(|suggestion| suggestion.topic)
        .collect();
    let items = item_texts(&exercise);
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    let proposal = propose(&texts, &items, &Settings::default());
    let scores = pairwise_precision_recall(&proposal.cluster_of_each(texts.len()), &truth);
    let accuracy = item_accuracy(&proposal.item_of_each(texts.len()), &truth);
    Figures {
        suggestions: texts.len(),
        clusters: proposal.clusters.len(),
        precision: scores.precision,
        recall: scores.recall,
        f1: scores.f1,
        item_accuracy: accuracy.accuracy,
        on_topic_correct: accuracy.on_topic_correct as f64 / accuracy.on_topic as f64,
        off_topic_unmatched: accuracy.off_topic_unmatched as f64 / accuracy.off_topic.max(1) as f64,
    }
}

#[test]
fn proposals_on_simulated_suggestions_with_known_topics() {
    println!(
        "seed  suggestions  clusters  precision  recall  f1     item accuracy  on-topic right  off-topic unmatched"
    );
    let mut all = Vec::new();
    for seed in 1..=5 {
        let figures = measure(seed);
        println!(
            "{seed:<4}  {:<11}  {:<8}  {:<9.3}  {:<6.3}  {:<5.3}  {:<13.3}  {:<14.3}  {:.3}",
            figures.suggestions,
            figures.clusters,
            figures.precision,
            figures.recall,
            figures.f1,
            figures.item_accuracy,
            figures.on_topic_correct,
            figures.off_topic_unmatched
        );
        all.push(figures);
    }
    let mean = |value: fn(&Figures) -> f64| all.iter().map(value).sum::<f64>() / all.len() as f64;
    let (precision, recall, accuracy) = (
        mean(|figures| figures.precision),
        mean(|figures| figures.recall),
        mean(|figures| figures.item_accuracy),
    );
    println!(
        "mean  precision {precision:.3}, recall {recall:.3}, f1 {:.3}, item accuracy {accuracy:.3}, on-topic right {:.3}, off-topic unmatched {:.3}",
        mean(|figures| figures.f1),
        mean(|figures| figures.on_topic_correct),
        mean(|figures| figures.off_topic_unmatched)
    );
    assert!(precision >= PRECISION_FLOOR, "precision {precision}");
    assert!(recall >= RECALL_FLOOR, "recall {recall}");
    assert!(accuracy >= ACCURACY_FLOOR, "item accuracy {accuracy}");
    for figures in &all {
        assert!(figures.precision >= SEED_PRECISION_FLOOR);
        assert!(figures.recall >= SEED_RECALL_FLOOR);
        assert!(figures.item_accuracy >= SEED_ACCURACY_FLOOR);
    }
}

// Measured with the default settings (BENCHMARKS.md): mean over seeds 1 to 5, and the worst
// seed, rounded down to two decimals.
// Measured: means 0.927, 0.938 and 0.881; worst seed (5) 0.865, 0.772 and 0.782, where the
// most suggested topic (kinship care, 160 of 513 suggestions) is split, and some of its
// suggestions that share words such as "children and families" or "young people" with other
// topics' suggestions were put with those instead.
const PRECISION_FLOOR: f64 = 0.92;
const RECALL_FLOOR: f64 = 0.93;
const ACCURACY_FLOOR: f64 = 0.88;
const SEED_PRECISION_FLOOR: f64 = 0.86;
const SEED_RECALL_FLOOR: f64 = 0.77;
const SEED_ACCURACY_FLOOR: f64 = 0.78;
