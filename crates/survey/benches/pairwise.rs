//! Choosing the next pair in large pairwise rounds.
//!
//! Run with `cargo bench -p survey --bench pairwise`. Figures are recorded in BENCHMARKS.md.
// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use survey::Slug;
use survey::answer::PairChoice;
use survey::definition::MAX_CHOICES;
use survey::pairwise::next_pair;

fn items(count: usize) -> Vec<Slug> {
    (0..count)
        .map(|index| Slug::new(&format!("item-{index:04}")).expect("a valid id"))
        .collect()
}

/// `count` choices spread over the items, so that many items are seen and many pairs judged.
fn choices(items: &[Slug], count: usize) -> Vec<PairChoice> {
    (0..count)
        .map(|index| PairChoice {
            winner: items[(index * 7) % items.len()].to_string(),
            loser: items[(index * 7 + 1) % items.len()].to_string(),
        })
        .collect()
}

fn choosing(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("next_pair");
    for (item_count, choice_count) in [(100, 0), (1000, 0), (3000, 0), (3000, MAX_CHOICES)] {
        let owned = items(item_count);
        let listed: Vec<&Slug> = owned.iter().collect();
        let made = choices(&owned, choice_count);
        group.bench_with_input(
            BenchmarkId::new(
                format!("{item_count} items"),
                format!("{choice_count} choices"),
            ),
            &(listed, made),
            |bencher, (listed, made)| {
                bencher.iter(|| next_pair(black_box(listed), black_box(made), None, "r1", 0))
            },
        );
    }
    group.finish();
}

criterion_group!(benches, choosing);
criterion_main!(benches);
