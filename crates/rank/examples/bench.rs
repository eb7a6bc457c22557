//! Timings of the `rank` crate on simulated profiles, for BENCHMARKS.md.
//!
//! Run with `cargo run -p rank --release --example bench`. Ballots are drawn from a
//! Plackett–Luce model (Gumbel-perturbed log-strengths) with a fixed seed.

use std::time::Instant;

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

fn time<T>(label: &str, work: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let result = work();
    eprintln!("{label}: {:.3} s", start.elapsed().as_secs_f64());
    result
}

fn main() {
    let params = Params::default();
    let pooled = GroupWeighting::Pooled;

    let million = time("simulate 1,000,000 ballots x 30 items", || {
        simulate(1_000_000, 30, 30, 3, 1)
    });
    time("borda + copeland + schulze on 1,000,000 x 30", || {
        run_many(
            &[Method::Borda, Method::Copeland, Method::Schulze],
            &pooled,
            &million,
            &params,
        )
        .unwrap()
    });
    drop(million);

    let hundred_thousand = simulate(100_000, 30, 30, 1, 2);
    time("borda + copeland + schulze on 100,000 x 30", || {
        run_many(
            &[Method::Borda, Method::Copeland, Method::Schulze],
            &pooled,
            &hundred_thousand,
            &params,
        )
        .unwrap()
    });

    let twenty = simulate(5_000, 20, 20, 1, 3);
    let kemeny = time("kemeny exact on 5,000 x 20", || {
        run_many(&[Method::Kemeny], &pooled, &twenty, &params).unwrap()
    });
    if let rank::Details::Kemeny(details) = &kemeny[0].details {
        eprintln!("  objective {} exact {}", details.objective, details.exact);
    }

    let ten_thousand = simulate(10_000, 30, 30, 1, 4);
    let fit = time("plackett-luce on 10,000 x 30 (full)", || {
        run_many(&[Method::PlackettLuce], &pooled, &ten_thousand, &params).unwrap()
    });
    if let rank::Details::Fit(details) = &fit[0].details {
        eprintln!("  iterations {}", details.iterations);
    }
    let top_ten = simulate(10_000, 30, 10, 1, 5);
    let fit = time("plackett-luce on 10,000 x 30 (top 10)", || {
        run_many(&[Method::PlackettLuce], &pooled, &top_ten, &params).unwrap()
    });
    if let rank::Details::Fit(details) = &fit[0].details {
        eprintln!("  iterations {}", details.iterations);
    }

    let survey = simulate(250, 40, 40, 5, 6);
    let settings = BootstrapParams {
        resamples: 1000,
        seed: 7,
        top_k: 10,
        by_group: false,
    };
    time("bootstrap 1,000 x (250 x 40), borda + schulze", || {
        bootstrap(
            &[Method::Borda, Method::Schulze],
            &pooled,
            &survey,
            &params,
            &settings,
            None,
        )
        .unwrap()
    });
}
