//! Proposing clusters of near-duplicate suggestions.
//!
//! Run with `cargo bench -p curate --bench propose`. Figures are recorded in BENCHMARKS.md,
//! "Clustering suggestions". The suggestions are simulated for the example exercise's suggest
//! round: 250 respondents give about 500 suggestions, so about 125, 1,250 and 5,000
//! respondents give 250, 2,500 and 10,000 (cut to exactly that many). Simulated suggestions
//! repeat one another's words often, and copies are clustered once; the `scale` example
//! (`UNIQUE=1`) measures 10,000 texts that are all different.
// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use curate::{Settings, propose};
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

/// At least `count` simulated suggestions, cut to exactly `count`.
fn suggestions(exercise: &Exercise, count: usize) -> Vec<String> {
    let round = exercise.round("suggest").expect("the suggest round exists");
    let mut respondents = (count as u64 / 2).max(1);
    loop {
        let settings = survey::simulate::Settings {
            respondents,
            seed: 1,
            ..Default::default()
        };
        let simulated = simulate_suggestions(exercise, round, settings)
            .expect("the settings are valid")
            .expect("a suggest round");
        if simulated.len() >= count {
            return simulated
                .into_iter()
                .take(count)
                .map(|suggestion| suggestion.text)
                .collect();
        }
        respondents += respondents / 4 + 1;
    }
}

fn proposing(criterion: &mut Criterion) {
    let exercise = example();
    let items: Vec<String> = exercise
        .items
        .iter()
        .map(|item| match &item.description {
            Some(description) => format!("{}. {description}", item.title),
            None => item.title.clone(),
        })
        .collect();
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    let mut group = criterion.benchmark_group("propose");
    group.sample_size(10);
    for count in [250, 2500, 10_000] {
        let texts = suggestions(&exercise, count);
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        group.throughput(Throughput::Elements(count as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(count),
            &texts,
            |bencher, texts| {
                bencher.iter(|| propose(texts, &items, &Settings::default()));
            },
        );
    }
    group.finish();
}

criterion_group!(benches, proposing);
criterion_main!(benches);
