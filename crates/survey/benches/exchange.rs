//! Reading and simulating the responses exchange format.
//!
//! Run with `cargo bench -p survey --bench exchange`. Figures are recorded in BENCHMARKS.md.
// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use survey::Exercise;
use survey::responses::{Against, read_responses};
use survey::simulate::{Settings, simulate_round};

fn example() -> Exercise {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../surveys/childrens-social-care/exercise.toml"
    );
    let source = std::fs::read_to_string(path).expect("the example exercise exists");
    Exercise::parse(&source, path).expect("the example exercise is valid")
}

fn simulated(exercise: &Exercise, round: &str, respondents: u64) -> Vec<u8> {
    let round = exercise.round(round).expect("the round exists");
    let mut output = Vec::new();
    simulate_round(
        exercise,
        round,
        Settings {
            respondents,
            seed: 1,
            retention: 1.0,
        },
        &mut output,
    )
    .expect("writing to memory works");
    output
}

fn reading(criterion: &mut Criterion) {
    let exercise = example();
    let mut group = criterion.benchmark_group("read");
    for (round, respondents) in [("rank", 250), ("rate", 250), ("rank", 100_000)] {
        let bytes = simulated(&exercise, round, respondents);
        let against = Against {
            exercise: &exercise,
            round: exercise.round(round).expect("the round exists"),
        };
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        if respondents > 10_000 {
            group.sample_size(10);
        }
        group.bench_function(format!("{round}/{respondents}"), |bencher| {
            bencher.iter(|| {
                read_responses(bytes.as_slice(), "bench.csv", Some(against))
                    .expect("simulated data is valid")
            });
        });
    }
    group.finish();
}

fn simulating(criterion: &mut Criterion) {
    let exercise = example();
    let mut group = criterion.benchmark_group("simulate");
    group.sample_size(10);
    for round in ["suggest", "rate", "rank"] {
        group.bench_function(format!("{round}/10000"), |bencher| {
            bencher.iter(|| simulated(&exercise, round, 10_000));
        });
    }
    group.finish();
}

criterion_group!(benches, reading, simulating);
criterion_main!(benches);
