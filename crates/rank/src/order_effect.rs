//! Order effects: did the position an item was shown in change the answers?
//!
//! # Items shown in a list (rating, ranking, pick)
//!
//! Each respondent contributes the items they were shown, each with its position (0 first)
//! and their answer as a number (a rating, a rank, 1 for picked and 0 for not). The statistic
//! is the mean over respondents of the Spearman correlation between position and answer
//! within the respondent (midranks for ties; a respondent with fewer than two answers, or
//! whose answers or positions are all equal, has no correlation and is left out). Under the
//! null hypothesis that position makes no difference, every assignment of a respondent's
//! answers to the positions they were shown is equally likely, so the permutation test
//! shuffles each respondent's answers over their positions (independently per respondent),
//! `permutations` times with a seeded ChaCha8 generator, and the two-sided p-value is
//! (1 + the number of shuffles whose |statistic| is at least the observed |statistic|) /
//! (1 + permutations) (Phipson and Smyth 2010, so that p is never 0). Cost:
//! O(permutations × answers).
//!
//! # Pairs (pairwise)
//!
//! Each choice says whether the item shown first won. Without an order effect the first item
//! wins half the time; the test is the exact two-sided binomial test of the number of wins
//! by the first item among the choices, with p = 1/2 (the doubled smaller tail, capped at 1).

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use statrs::distribution::{Binomial, DiscreteCDF};

use crate::outcome::mid_ranks_ascending;

/// One answer with the position its item was shown in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PositionedAnswer {
    /// The position the item was shown in, 0 first.
    pub position: usize,
    /// The answer: a rating, a rank, or 1 for picked and 0 for not.
    pub value: f64,
}

/// The mean answer at one position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PositionMean {
    /// The position, 0 first.
    pub position: usize,
    /// The mean answer of the items shown there.
    pub mean: f64,
    /// How many answers were given to items shown there.
    pub count: usize,
}

/// What the permutation test found.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderEffect {
    /// The mean answer at each position shown, first position first (positions nobody
    /// answered at are left out).
    pub by_position: Vec<PositionMean>,
    /// The mean within-respondent Spearman correlation of position and answer: negative when
    /// items shown earlier got higher answers.
    pub correlation: f64,
    /// The two-sided permutation p-value.
    pub p_value: f64,
    /// How many respondents had a correlation (at least two different answers).
    pub respondents: usize,
    /// The number of shuffles.
    pub permutations: u32,
}

/// What the binomial test of pairwise choices found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FirstShownEffect {
    /// Choices won by the item shown first.
    pub first_wins: u64,
    /// Choices whose side was recorded.
    pub choices: u64,
    /// The share of choices won by the item shown first (NaN without choices).
    pub first_share: f64,
    /// The exact two-sided binomial p-value against a half.
    pub p_value: f64,
}

/// One respondent, ready for shuffling: centred position ranks and centred answer ranks,
/// with the norm of each.
struct Prepared {
    positions: Vec<f64>,
    values: Vec<f64>,
    norm: f64,
}

impl Prepared {
    fn new(answers: &[PositionedAnswer]) -> Option<Prepared> {
        if answers.len() < 2 {
            return None;
        }
        let centre = |ranks: Vec<f64>| {
            let mean = ranks.iter().sum::<f64>() / ranks.len() as f64;
            ranks
                .into_iter()
                .map(|rank| rank - mean)
                .collect::<Vec<_>>()
        };
        let positions = centre(mid_ranks_ascending(
            &answers
                .iter()
                .map(|answer| answer.position as f64)
                .collect::<Vec<_>>(),
        ));
        let values = centre(mid_ranks_ascending(
            &answers
                .iter()
                .map(|answer| answer.value)
                .collect::<Vec<_>>(),
        ));
        let square = |ranks: &[f64]| ranks.iter().map(|rank| rank * rank).sum::<f64>();
        let norm = (square(&positions) * square(&values)).sqrt();
        (norm > 0.0).then_some(Prepared {
            positions,
            values,
            norm,
        })
    }

    fn correlation(&self, values: &[f64]) -> f64 {
        self.positions
            .iter()
            .zip(values)
            .map(|(position, value)| position * value)
            .sum::<f64>()
            / self.norm
    }
}

/// The mean answer by position, the mean within-respondent Spearman correlation of position
/// and answer, and its permutation p-value (see the module documentation). `respondents`
/// holds each respondent's answers; `seed` makes the shuffles reproducible.
pub fn order_effect(
    respondents: &[Vec<PositionedAnswer>],
    permutations: u32,
    seed: u64,
) -> OrderEffect {
    let mut sums: Vec<(f64, usize)> = Vec::new();
    for answer in respondents.iter().flatten() {
        if sums.len() <= answer.position {
            sums.resize(answer.position + 1, (0.0, 0));
        }
        sums[answer.position].0 += answer.value;
        sums[answer.position].1 += 1;
    }
    let by_position = sums
        .iter()
        .enumerate()
        .filter(|(_, (_, count))| *count > 0)
        .map(|(position, (sum, count))| PositionMean {
            position,
            mean: sum / *count as f64,
            count: *count,
        })
        .collect();
    let prepared: Vec<Prepared> = respondents
        .iter()
        .filter_map(|answers| Prepared::new(answers))
        .collect();
    if prepared.is_empty() {
        return OrderEffect {
            by_position,
            correlation: f64::NAN,
            p_value: f64::NAN,
            respondents: 0,
            permutations,
        };
    }
    let statistic = |shuffled: &[Vec<f64>]| {
        prepared
            .iter()
            .zip(shuffled)
            .map(|(respondent, values)| respondent.correlation(values))
            .sum::<f64>()
            / prepared.len() as f64
    };
    let mut shuffled: Vec<Vec<f64>> = prepared
        .iter()
        .map(|respondent| respondent.values.clone())
        .collect();
    let observed = statistic(&shuffled);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut at_least = 0u32;
    // A shuffle as extreme as the observed one, allowing for rounding in the sums.
    let threshold = observed.abs() - 1e-12;
    for _ in 0..permutations {
        for values in &mut shuffled {
            values.shuffle(&mut rng);
        }
        if statistic(&shuffled).abs() >= threshold {
            at_least += 1;
        }
    }
    OrderEffect {
        by_position,
        correlation: observed,
        p_value: f64::from(at_least + 1) / (f64::from(permutations) + 1.0),
        respondents: prepared.len(),
        permutations,
    }
}

/// The share of choices won by the item shown first and its exact two-sided binomial
/// p-value against a half (see the module documentation). O(1) after counting.
pub fn first_shown_effect(first_wins: u64, choices: u64) -> FirstShownEffect {
    let first_wins = first_wins.min(choices);
    if choices == 0 {
        return FirstShownEffect {
            first_wins,
            choices,
            first_share: f64::NAN,
            p_value: f64::NAN,
        };
    }
    let binomial = Binomial::new(0.5, choices).expect("a half is a probability");
    let lower = binomial.cdf(first_wins);
    let upper = if first_wins == 0 {
        1.0
    } else {
        binomial.sf(first_wins - 1)
    };
    FirstShownEffect {
        first_wins,
        choices,
        first_share: first_wins as f64 / choices as f64,
        p_value: (2.0 * lower.min(upper)).min(1.0),
    }
}

#[cfg(test)]
mod tests;
