//! Realistic synthetic responses for any round of any exercise.
//!
//! One generator serves tests, demos and benchmarks. It is deterministic for a seed (the same
//! seed gives the same bytes on any machine) and it streams: respondents are generated and
//! written one at a time, so a million respondents need no more memory than ten.
//!
//! # The model
//! - **Population.** Each item has a latent importance drawn from a standard normal. Each
//!   stakeholder group sees the items through its own lens: the group's utility for an item is
//!   the shared importance plus a group-specific normal deviation (standard deviation between
//!   0.3 and 0.9, drawn per group), so groups agree broadly and diverge on some items.
//! - **Group sizes** are unequal, as in a real exercise: shares are drawn from a Gamma(2, 1)
//!   distribution, and in exercises with four or more groups one group (two with seven or more)
//!   is small, about 1.5% of respondents, so that the disclosure threshold matters. Sizes are
//!   apportioned by largest remainder, every group getting at least one respondent when there
//!   are enough. Respondents come in random order across groups.
//! - **Rankings and picks** follow a Mallows model around the group's order of utilities, with
//!   a group-specific dispersion φ between 0.55 and 0.85, drawn by the repeated insertion model
//!   (O(m²) per ballot). One respondent in ten stops before the round's `top_k`.
//! - **Ratings** are the group utility plus the respondent's own leniency and noise, mapped onto
//!   the scale; 4% of answers are "don't know" where allowed, 8% of respondents stop part way
//!   through, and 2% give the same rating to every item (straight-lining).
//! - **CHNRI criteria** are answered yes, undecided or no from the group utility, a
//!   criterion-specific offset and noise.
//! - **Pairwise choices** follow a Bradley–Terry model on the group utilities; each respondent
//!   meets 5 to 20 random pairs and cannot decide on one in ten (those pairs are absent).
//! - **Suggestions** are short texts about the items a group cares about most, from a dozen
//!   phrasings, with near-duplicates (changed case, dropped punctuation, a swapped pair of
//!   letters) and some suggestions outside the item list, as real suggestions have.
//!
//! - **Drop-out between rounds.** Everyone in the panel answers the exercise's first round. A
//!   respondent answers the round at position p (0-based in the exercise's rounds) only if they
//!   answered round p − 1 and a draw says they stay. The chance of staying is the logistic of
//!   logit(retention) + a group offset (normal, standard deviation 0.4, so groups differ) +
//!   1.5 × the person's leniency − 1 for a straight-liner: people who rate generously stay
//!   more often, and straight-liners leave more often, so those who left did answer
//!   differently, as in real panels. With the default retention of 0.8 about 80% of people stay
//!   from one round to the next; a retention of 1 means nobody drops out (and gives exactly the
//!   output of versions before drop-out existed).
//!
//! A respondent's group, personal traits and whether they are still taking part depend only on
//! the seed, the respondent's number and the round's position, so simulating the rounds one at
//! a time with one seed gives a consistent panel: the same respondent ids in every round, each
//! person answering consistently, and those who dropped out absent from every later round.
//! [`simulate_suggestions`] gives a suggest round's texts with the item each was written about,
//! for measuring how well suggestions are grouped.

mod answers;
mod panel;
mod population;
mod text;

use std::io::Write;

use crate::definition::{Exercise, Round, RoundKind};
use crate::order::seed_from_parts;
use crate::responses::{ResponseKind, ResponseWriter};
use answers::{Answerer, ShownItems, write_answer};
use panel::Panel;
use population::{Population, generator};
use text::suggestions_of;

/// The number of respondents simulated when none is given: about the size of the What Works
/// Centre for Children's Social Care 2020 exercise.
pub const DEFAULT_RESPONDENTS: u64 = 250;

/// The share of respondents who stay from one round to the next when none is given: about
/// what multi-round priority-setting and Delphi exercises report (typically 70–85% of
/// respondents return for each later round).
pub const DEFAULT_RETENTION: f64 = 0.8;

/// What to simulate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// How many people take part in the exercise's first round.
    pub respondents: u64,
    /// The seed; the same seed gives the same output.
    pub seed: u64,
    /// The share of respondents who stay from one round to the next, in (0, 1]: 1 means nobody
    /// drops out. Each group's retention varies around it, and so does each person's (see the
    /// module documentation).
    pub retention: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            respondents: DEFAULT_RESPONDENTS,
            seed: 1,
            retention: DEFAULT_RETENTION,
        }
    }
}

impl Settings {
    /// Whether the retention is in (0, 1].
    pub fn retention_is_valid(&self) -> bool {
        self.retention > 0.0 && self.retention <= 1.0
    }
}

/// What was simulated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Respondents per group who answered this round (and are in the output), in the
    /// exercise's group order.
    pub group_sizes: Vec<u64>,
    /// People per group in the exercise's first round, before anyone dropped out, in the
    /// exercise's group order.
    pub panel_sizes: Vec<u64>,
    /// Rows written, not counting the header.
    pub rows: u64,
}

/// One simulated suggestion, with the item it was written about: the ground truth for
/// measuring how well suggestions are grouped and matched to items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulatedSuggestion {
    /// The respondent id, as in the exchange file.
    pub respondent: String,
    /// The respondent's group, by index into the exercise's groups.
    pub group: usize,
    /// The suggestion, as written to the exchange file.
    pub text: String,
    /// The exercise item (by index into the exercise's items) the suggestion was written
    /// about, or `None` for a suggestion outside the item list.
    pub topic: Option<usize>,
}

/// The position of `round` among the exercise's rounds (0 when it is not one of them).
fn position_of(exercise: &Exercise, round: &Round) -> usize {
    exercise
        .rounds
        .iter()
        .position(|candidate| candidate.id == round.id)
        .unwrap_or(0)
}

/// The error for a retention outside (0, 1].
fn invalid_retention(settings: Settings) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!(
            "the retention {} is not a share in (0, 1]",
            settings.retention
        ),
    )
}

/// The suggestions [`simulate_round`] writes for a suggest round, in the same order, each with
/// the item it was written about: the ground truth for measuring the grouping of suggestions.
/// Returns `None` when `round` is not a suggest round.
///
/// # Errors
/// An `InvalidInput` error when the retention is not in (0, 1].
pub fn simulate_suggestions(
    exercise: &Exercise,
    round: &Round,
    settings: Settings,
) -> std::io::Result<Option<Vec<SimulatedSuggestion>>> {
    if !settings.retention_is_valid() {
        return Err(invalid_retention(settings));
    }
    let RoundKind::Suggest {
        max_suggestions,
        max_length,
    } = round.kind
    else {
        return Ok(None);
    };
    let population = Population::new(exercise, settings);
    let round_purpose = format!("round:{}", round.id);
    let mut suggestions = Vec::new();
    for member in Panel::new(&population, settings, position_of(exercise, round)) {
        if !member.answers {
            continue;
        }
        let mut rng = generator(settings.seed, &round_purpose, member.number);
        let view = &population.views[member.group];
        for (text, topic) in suggestions_of(exercise, view, max_suggestions, max_length, &mut rng) {
            suggestions.push(SimulatedSuggestion {
                respondent: member.respondent.clone(),
                group: member.group,
                text,
                topic,
            });
        }
    }
    Ok(Some(suggestions))
}

/// Simulates responses to one round and writes them in the exchange format. Everyone in the
/// panel answers the exercise's first round; later rounds are answered by those who have not
/// dropped out (see the module documentation), under the same respondent ids.
///
/// # Errors
/// The output's I/O error; an `InvalidInput` error when the retention is not in (0, 1].
pub fn simulate_round<W: Write>(
    exercise: &Exercise,
    round: &Round,
    settings: Settings,
    output: W,
) -> std::io::Result<Summary> {
    simulate_round_shown(exercise, round, settings, None, output)
}

/// Simulates responses as [`simulate_round`] does and, with a `position_bias` (0 or more),
/// shows each person the items in an order of their own, records it, and lets the order sway
/// them by that much:
///
/// - Rating, ranking and pick rounds: each person sees the round's items in an order drawn
///   for them ([`crate::order::drawn_order`], seeded by the seed, the round and the
///   respondent), answers them in that order, and the item at position p of m gains
///   `position_bias × (1 − 2p/(m − 1))` in utility (in units of the spread of the items'
///   importance, a standard normal): the first item gains `position_bias`, the middle one
///   nothing, the last loses `position_bias`. Rankings and picks then follow the Mallows model
///   around the person's own order of utilities.
/// - Pairwise rounds: which item of each pair is shown first is drawn per person and pair
///   ([`crate::order::shows_first`]), and the first gains `position_bias` in the
///   Bradley–Terry difference.
///
/// The order shown is written in the `shown_order` column, so that the method report's check
/// can find the bias. With a `position_bias` of 0 the orders are shown and recorded but sway
/// no one; without one (`None`) this writes exactly what [`simulate_round`] writes.
///
/// # Errors
/// The output's I/O error; an `InvalidInput` error when the retention is not in (0, 1] or the
/// position bias is negative or not finite.
pub fn simulate_round_shown<W: Write>(
    exercise: &Exercise,
    round: &Round,
    settings: Settings,
    position_bias: Option<f64>,
    output: W,
) -> std::io::Result<Summary> {
    if !settings.retention_is_valid() {
        return Err(invalid_retention(settings));
    }
    let biased = position_bias.is_some() && !matches!(round.kind, RoundKind::Suggest { .. });
    let position_bias = position_bias.unwrap_or(0.0);
    if !(position_bias.is_finite() && position_bias >= 0.0) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("the position bias {position_bias} is not zero or more"),
        ));
    }
    let population = Population::new(exercise, settings);
    let kind = ResponseKind::of_round(&round.kind);
    let with_criterion =
        matches!(&round.kind, RoundKind::Rate { criteria, .. } if !criteria.is_empty());
    let mut writer = ResponseWriter::with_columns(output, kind, with_criterion, biased)?;
    let seed_text = settings.seed.to_string();
    let round_purpose = format!("round:{}", round.id);
    let mut rows = 0u64;
    let mut group_sizes = vec![0u64; exercise.groups.len()];
    let central_orders = central_orders(&population, round);

    for member in Panel::new(&population, settings, position_of(exercise, round)) {
        if !member.answers {
            continue;
        }
        group_sizes[member.group] += 1;
        let mut rng = generator(settings.seed, &round_purpose, member.number);
        let answerer = Answerer {
            exercise,
            respondent: &member.respondent,
            group_id: exercise.groups[member.group].id.as_str(),
            view: &population.views[member.group],
            traits: member.traits,
            shown: biased.then(|| {
                let seed = seed_from_parts(&[&seed_text, round.id.as_str(), &member.respondent]);
                ShownItems::new(exercise, round, seed, position_bias)
            }),
        };
        rows += write_answer(
            &mut writer,
            &answerer,
            round,
            &population,
            &central_orders[member.group],
            &mut rng,
        )?;
    }
    writer.finish()?.flush()?;
    Ok(Summary {
        group_sizes,
        panel_sizes: population.group_sizes,
        rows,
    })
}

/// Each group's central order of the round's items, best first.
fn central_orders(population: &Population, round: &Round) -> Vec<Vec<usize>> {
    population
        .views
        .iter()
        .map(|view| {
            let mut order = round.items.clone();
            order.sort_by(|&a, &b| {
                view.utilities[b]
                    .total_cmp(&view.utilities[a])
                    .then(a.cmp(&b))
            });
            order
        })
        .collect()
}

#[cfg(test)]
mod tests;
