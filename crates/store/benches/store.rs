//! Benchmarks of the store: submissions per second through the group-commit writer with 64
//! submitting threads, and export of 100,000 rank answers.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use store::{RoundState, Store, Submission};
use survey::answer::Answer;

const EXERCISE: &str = r#"
id = "bench"
title = "Bench"

[[groups]]
id = "carers"
label = "Carers"

[[groups]]
id = "leaders"
label = "Leaders"

[[items]]
id = "a"
title = "A"

[[items]]
id = "b"
title = "B"

[[items]]
id = "c"
title = "C"

[[items]]
id = "d"
title = "D"

[[items]]
id = "e"
title = "E"

[[rounds]]
id = "top3"
kind = "rank"
top_k = 3
"#;

const THREADS: usize = 64;

fn setup(directory: &tempfile::TempDir) -> Store {
    let store = Store::open(directory.path().join("bench.db")).unwrap();
    store
        .put_exercise(EXERCISE, "exercise.toml", "bench")
        .unwrap();
    store
        .set_round_state("bench", "top3", RoundState::Open, "bench")
        .unwrap();
    store
}

fn respondents(store: &Store, count: usize) -> Vec<String> {
    (0..count)
        .map(|index| {
            let group = if index % 2 == 0 { "carers" } else { "leaders" };
            store
                .create_respondent("bench", group, None)
                .unwrap()
                .respondent
        })
        .collect()
}

fn submit(store: &Store, respondent: &str, index: usize) {
    let items = ["a", "b", "c", "d", "e"];
    let ranking = (0..3)
        .map(|offset| items[(index + offset) % 5].to_string())
        .collect();
    store
        .save_answer(Submission {
            exercise: "bench".to_string(),
            round: "top3".to_string(),
            respondent: respondent.to_string(),
            answer: Answer::Rank(ranking),
            submit: true,
            idempotency_key: Some(format!("{respondent}-{index}")),
            shown_order: None,
        })
        .unwrap();
}

fn submissions(criterion: &mut Criterion) {
    let directory = tempfile::tempdir().unwrap();
    let store = setup(&directory);
    let people = respondents(&store, THREADS * 4);
    let mut group = criterion.benchmark_group("store");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(criterion::Throughput::Elements((THREADS * 50) as u64));
    let mut round = 0usize;
    group.bench_function("submit 3200 answers from 64 threads", |bencher| {
        bencher.iter(|| {
            round += 1;
            std::thread::scope(|scope| {
                for thread in 0..THREADS {
                    let store = &store;
                    let people = &people;
                    scope.spawn(move || {
                        for index in 0..50 {
                            let respondent = &people[(thread * 4 + index) % people.len()];
                            submit(store, respondent, round * 1000 + thread * 50 + index);
                        }
                    });
                }
            });
        });
    });
    let stats = store.write_stats();
    eprintln!(
        "group commit: {} requests in {} transactions ({:.1} per transaction)",
        stats.requests,
        stats.transactions,
        stats.requests as f64 / stats.transactions.max(1) as f64
    );
    group.finish();
}

fn export(criterion: &mut Criterion) {
    let directory = tempfile::tempdir().unwrap();
    let store = setup(&directory);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            let store = &store;
            scope.spawn(move || {
                for index in 0..100_000 / THREADS + 1 {
                    let respondent = store
                        .create_respondent(
                            "bench",
                            if index % 3 == 0 { "leaders" } else { "carers" },
                            None,
                        )
                        .unwrap()
                        .respondent;
                    submit(store, &respondent, index);
                }
            });
        }
    });
    eprintln!(
        "loaded {} answers in {:.1?}",
        THREADS * (100_000 / THREADS + 1),
        started.elapsed()
    );
    let mut group = criterion.benchmark_group("store");
    group.sample_size(10);
    group.bench_function("export 100000 rank answers", |bencher| {
        bencher.iter(|| {
            let (output, count) = store
                .export_round("bench", "top3", std::io::BufWriter::new(std::io::sink()))
                .unwrap();
            assert!(count >= 100_000);
            output
        });
    });
    group.finish();
}

criterion_group!(benches, submissions, export);
criterion_main!(benches);
