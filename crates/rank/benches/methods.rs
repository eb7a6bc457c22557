//! Timings of the `rank` crate on simulated profiles (the figures in BENCHMARKS.md).
//!
//! Run with `cargo bench -p rank --bench methods`. Ballots are drawn from a Plackett–Luce model
//! (Gumbel-perturbed log-strengths) with a fixed seed, so every run measures the same profiles.
// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rank::bootstrap::{BootstrapParams, bootstrap};
use rank::{GroupWeighting, Method, Params, Profile, RankingProfileBuilder, run_many};

/// A profile of `ballots` strict ballots over `items` items, each ranking the top `ranked`.
fn simulate(ballots: usize, items: usize, ranked: usize, groups: usize, seed: u64) -> Profile {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let strengths: Vec<f64> = (0..items).map(|item| -(item as f64) * 0.08).collect();
    let mut builder = RankingProfileBuilder::new(items, groups).unwrap();
    builder.reserve(ballots, ballots * ranked);
    let mut keyed: Vec<(f64, usize)> = Vec::with_capacity(items);
    let mut order = Vec::with_capacity(items);
    for ballot in 0..ballots {
        keyed.clear();
        for (item, strength) in strengths.iter().enumerate() {
            let uniform: f64 = rng.random_range(f64::EPSILON..1.0);
            keyed.push((strength - (-uniform.ln()).ln(), item));
        }
        keyed.sort_by(|a, b| b.0.total_cmp(&a.0));
        order.clear();
        order.extend(keyed.iter().take(ranked).map(|&(_, item)| item));
        builder.push_order(ballot % groups, 1, &order).unwrap();
    }
    Profile::Ranking(builder.build())
}

fn majority(criterion: &mut Criterion) {
    let params = Params::default();
    let mut group = criterion.benchmark_group("borda+copeland+schulze");
    group.sample_size(10);
    for (ballots, label) in [(100_000, "100k x 30"), (1_000_000, "1M x 30")] {
        let profile = simulate(ballots, 30, 30, 3, 1);
        group.bench_function(label, |bencher| {
            bencher.iter(|| {
                run_many(
                    &[Method::Borda, Method::Copeland, Method::Schulze],
                    &GroupWeighting::Pooled,
                    &profile,
                    &params,
                )
                .expect("the methods fit")
            })
        });
    }
    group.finish();
}

fn kemeny(criterion: &mut Criterion) {
    let params = Params::default();
    let profile = simulate(5_000, 20, 20, 1, 3);
    let mut group = criterion.benchmark_group("kemeny");
    group.sample_size(10);
    group.bench_function("exact 5000 x 20", |bencher| {
        bencher.iter(|| {
            run_many(
                &[Method::Kemeny],
                &GroupWeighting::Pooled,
                &profile,
                &params,
            )
            .expect("kemeny fits")
        })
    });
    group.finish();
}

fn plackett_luce(criterion: &mut Criterion) {
    let params = Params::default();
    let mut group = criterion.benchmark_group("plackett-luce");
    group.sample_size(10);
    for (ranked, label) in [(30, "10000 x 30 full"), (10, "10000 x 30 top 10")] {
        let profile = simulate(10_000, 30, ranked, 1, 4);
        group.bench_function(label, |bencher| {
            bencher.iter(|| {
                run_many(
                    &[Method::PlackettLuce],
                    &GroupWeighting::Pooled,
                    &profile,
                    &params,
                )
                .expect("the fit exists")
            })
        });
    }
    group.finish();
}

fn bootstrapping(criterion: &mut Criterion) {
    let params = Params::default();
    let profile = simulate(250, 40, 40, 5, 6);
    let settings = BootstrapParams {
        resamples: 1000,
        seed: 7,
        top_k: 10,
        by_group: false,
    };
    let mut group = criterion.benchmark_group("bootstrap");
    group.sample_size(10);
    group.bench_function("1000 x (250 x 40) borda+schulze", |bencher| {
        bencher.iter(|| {
            bootstrap(
                &[Method::Borda, Method::Schulze],
                &GroupWeighting::Pooled,
                &profile,
                &params,
                &settings,
                None,
            )
            .expect("the methods fit")
        })
    });
    group.finish();
}

criterion_group!(benches, majority, kemeny, plackett_luce, bootstrapping);
criterion_main!(benches);
