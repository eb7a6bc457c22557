//! The simulated population: each group's view of the items, group sizes, the seeded
//! generators every draw comes from, and the Mallows model of orders.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Normal};

use super::Settings;
use crate::definition::Exercise;

/// A group's view of the items.
#[derive(Debug, Clone)]
pub(super) struct GroupView {
    /// Utility of each exercise item, by exercise item index.
    pub(super) utilities: Vec<f64>,
    /// Mallows dispersion φ in (0, 1): smaller means closer to the group's central order.
    pub(super) dispersion: f64,
}

/// The simulated population: group sizes and views.
#[derive(Debug, Clone)]
pub(super) struct Population {
    /// People per group in the first round.
    pub(super) group_sizes: Vec<u64>,
    /// Each group's view of the items, in the exercise's group order.
    pub(super) views: Vec<GroupView>,
    /// Criterion offsets, by criterion position, for CHNRI rounds.
    pub(super) criterion_offsets: Vec<f64>,
}

/// FNV-1a, a stable hash, so that a seed derived from a name is the same on every machine and
/// in every version of Rust.
pub(super) fn stable_hash(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// A generator for one purpose (the population, a person, a round) and one stream (a
/// respondent number).
pub(super) fn generator(seed: u64, purpose: &str, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ stable_hash(purpose));
    rng.set_stream(stream);
    rng
}

/// The standard normal distribution.
pub(super) fn standard_normal() -> Normal<f64> {
    Normal::new(0.0, 1.0).expect("the standard normal is valid")
}

impl Population {
    /// Draws the population of `exercise` for `settings`: group views, sizes and criterion
    /// offsets.
    pub(super) fn new(exercise: &Exercise, settings: Settings) -> Population {
        let mut rng = generator(settings.seed, "population", 0);
        let normal = standard_normal();
        let base: Vec<f64> = exercise
            .items
            .iter()
            .map(|_| normal.sample(&mut rng))
            .collect();
        let views = exercise
            .groups
            .iter()
            .map(|_| {
                let divergence = rng.random_range(0.3..0.9);
                let utilities = base
                    .iter()
                    .map(|importance| importance + divergence * normal.sample(&mut rng))
                    .collect();
                GroupView {
                    utilities,
                    dispersion: rng.random_range(0.55..0.85),
                }
            })
            .collect();

        let group_count = exercise.groups.len();
        let gamma = Gamma::new(2.0, 1.0).expect("Gamma(2, 1) is valid");
        let mut shares: Vec<f64> = (0..group_count).map(|_| gamma.sample(&mut rng)).collect();
        let small_groups = match group_count {
            0..=3 => 0,
            4..=6 => 1,
            _ => 2,
        };
        let total: f64 = shares.iter().sum();
        let mut chosen = Vec::new();
        while chosen.len() < small_groups {
            let candidate = rng.random_range(0..group_count);
            if !chosen.contains(&candidate) {
                chosen.push(candidate);
            }
        }
        for &group in &chosen {
            shares[group] = 0.015 * total;
        }
        let group_sizes = apportion(&shares, settings.respondents);

        let criterion_offsets = (0..64).map(|_| 0.5 * normal.sample(&mut rng)).collect();
        Population {
            group_sizes,
            views,
            criterion_offsets,
        }
    }
}

/// Splits `total` into whole numbers proportional to `shares` by the largest-remainder
/// method, giving every share at least one when `total` allows it.
pub(super) fn apportion(shares: &[f64], total: u64) -> Vec<u64> {
    let count = shares.len();
    if count == 0 {
        return Vec::new();
    }
    let floor_each = if total >= count as u64 { 1 } else { 0 };
    let remaining_total = total - floor_each * count as u64;
    let sum: f64 = shares.iter().sum();
    let exact: Vec<f64> = shares
        .iter()
        .map(|share| share / sum * remaining_total as f64)
        .collect();
    let mut sizes: Vec<u64> = exact.iter().map(|value| value.floor() as u64).collect();
    let mut left = remaining_total - sizes.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| {
        let remainder_a = exact[a] - exact[a].floor();
        let remainder_b = exact[b] - exact[b].floor();
        remainder_b.total_cmp(&remainder_a).then(a.cmp(&b))
    });
    for &index in order.iter().cycle() {
        if left == 0 {
            break;
        }
        sizes[index] += 1;
        left -= 1;
    }
    sizes.iter().map(|size| size + floor_each).collect()
}

/// Draws an order of `central` (best first) from the Mallows model with dispersion `phi`, by
/// the repeated insertion model: the i-th item of the central order is inserted at position j
/// (0-based, j ≤ i) with probability proportional to φ^(i−j).
pub(super) fn mallows(central: &[usize], phi: f64, rng: &mut impl Rng) -> Vec<usize> {
    let mut order: Vec<usize> = Vec::with_capacity(central.len());
    let mut weights: Vec<f64> = Vec::with_capacity(central.len());
    for (index, &item) in central.iter().enumerate() {
        weights.clear();
        let mut total = 0.0;
        for position in 0..=index {
            let weight = phi.powi((index - position) as i32);
            weights.push(weight);
            total += weight;
        }
        let mut target = rng.random::<f64>() * total;
        let mut chosen = index;
        for (position, weight) in weights.iter().enumerate() {
            if target < *weight {
                chosen = position;
                break;
            }
            target -= weight;
        }
        order.insert(chosen, item);
    }
    order
}
