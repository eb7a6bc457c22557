//! "Order of items": whether the order the items were shown in changed the answers. The
//! statistics are [`rank::order_effect`]'s; this module gathers each respondent's answers by
//! the position they were shown in and writes what the tests found.

use std::collections::HashMap;

use rank::order_effect::{
    FirstShownEffect, OrderEffect, PositionedAnswer, first_shown_effect, order_effect,
};
use survey::definition::{ItemOrder, RoundKind};
use survey::responses::{Answers, RatingValue, Responses, Shown};

use super::super::RoundData;
use super::super::document::{Align, Table};
use super::Builder;
use crate::numbers;

/// Shuffles of the permutation test, at most.
pub(crate) const ORDER_PERMUTATIONS: u32 = 2000;
/// The fewest shuffles, however many answers there are.
const FEWEST_PERMUTATIONS: u32 = 200;
/// The work the test may do: shuffles times answers. Large rounds get fewer shuffles (never
/// fewer than [`FEWEST_PERMUTATIONS`]), so the report stays quick.
const PERMUTATION_BUDGET: usize = 40_000_000;
/// The seed of the shuffles when the results name none.
const DEFAULT_SEED: u64 = 17;
/// Below this p-value the report says the order made a difference.
const SIGNIFICANCE: f64 = 0.05;

/// What a round's answers are, in the words of the section.
struct Words {
    /// "rating", "rank", "pick rate".
    measure: &'static str,
    /// The sentence when items shown earlier fared better.
    earlier_better: &'static str,
    /// The sentence when items shown later fared better.
    later_better: &'static str,
    /// Whether a larger answer is better (ratings, picks) or worse (ranks).
    larger_is_better: bool,
}

impl Builder<'_> {
    /// The "Order of items" section: one subsection per round with answers about items.
    pub(super) fn item_order(&mut self) {
        self.document.heading(2, "order", "Order of items");
        self.document.paragraph(
            "Items shown first in a list are often rated, ranked or picked differently from \
             those shown last. The service shows each person the items of a rating, ranking \
             or pick round in an order of their own, drawn for them and kept the same on every \
             visit (unless the exercise definition fixes the order and says why), draws which \
             item of each pair in a pairwise round comes first, and records what it showed \
             with the answers. Where that record is there, this section checks whether the \
             order still left a mark on the answers.",
        );
        let mut any = false;
        for &(index, data) in self.rounds {
            if matches!(data.round.kind, RoundKind::Suggest { .. }) {
                continue;
            }
            any = true;
            self.document.heading(
                3,
                &format!("order-{}", data.round.id),
                Self::round_name(index, data.round),
            );
            self.round_order(data);
        }
        if !any {
            self.document
                .paragraph("No round asked about items, so there is nothing to check.");
        }
    }

    fn round_order(&mut self, data: &RoundData<'_>) {
        if let ItemOrder::Fixed { reason } = &data.round.order {
            self.document.paragraph(format!(
                "This round showed everyone the items in the same order, as the exercise \
                 definition asks, because: {reason}. Whether the order changed the answers \
                 cannot be told apart from the items themselves, so it is not checked."
            ));
            return;
        }
        let responses = data.responses;
        if !responses.has_shown_order() {
            self.document.paragraph(
                "The order each person was shown the items in was not recorded with these \
                 answers, so whether it changed them cannot be checked.",
            );
            return;
        }
        let seed = data
            .results
            .as_ref()
            .and_then(|document| document.settings.seed)
            .unwrap_or(DEFAULT_SEED);
        if let Answers::Pairwise(_) = responses.answers {
            let effect = first_shown(responses);
            self.pairwise_order(&effect);
            return;
        }
        let Some((words, positioned)) = positioned_answers(data) else {
            self.document.paragraph(
                "The answers of this round are not on a single scale, so the order is not \
                 checked.",
            );
            return;
        };
        let answers: usize = positioned.iter().map(Vec::len).sum();
        let permutations = u32::try_from(PERMUTATION_BUDGET / answers.max(1))
            .unwrap_or(ORDER_PERMUTATIONS)
            .clamp(FEWEST_PERMUTATIONS, ORDER_PERMUTATIONS);
        let effect = order_effect(&positioned, permutations, seed);
        self.list_order(&words, &effect, seed);
    }

    fn list_order(&mut self, words: &Words, effect: &OrderEffect, seed: u64) {
        if effect.respondents == 0 {
            self.document.paragraph(
                "No one's answers varied over the items they were shown, so the order \
                 cannot be checked.",
            );
            return;
        }
        let earlier_better =
            (effect.correlation < 0.0) == words.larger_is_better && effect.correlation != 0.0;
        let finding = if effect.p_value < SIGNIFICANCE {
            format!(
                "{} ({}): the order may have changed the answers. Because each person saw \
                 their own order, the effect is spread over all the items rather than \
                 favouring some, so it adds noise to the results but does not bias them.",
                if earlier_better {
                    words.earlier_better
                } else {
                    words.later_better
                },
                numbers::p_value(effect.p_value)
            )
        } else {
            format!(
                "No sign that the order items were shown in changed the answers ({}).",
                numbers::p_value(effect.p_value)
            )
        };
        self.document.paragraph(finding);
        self.document.paragraph(format!(
            "How it was checked: for each of the {} people whose answers varied, the Spearman \
             correlation between the position an item was shown in and its {}; the mean of \
             these is {}. The p-value is that of a permutation test: each person's answers \
             were shuffled over the positions they were shown, {} times (seed {seed}), and p \
             is the share of shuffles with a mean correlation at least as far from 0.",
            numbers::count_for_reading(effect.respondents as u64),
            words.measure,
            numbers::correlation_for_reading(Some(effect.correlation)),
            numbers::count_for_reading(u64::from(effect.permutations)),
        ));
        let mean_label = format!("Mean {}", words.measure);
        let mut table = Table::new(
            format!("Mean {} by the position shown", words.measure),
            &[
                ("Position shown", Align::Right),
                (mean_label.as_str(), Align::Right),
                ("Answers", Align::Right),
            ],
        )
        .row_header(0);
        for position in &effect.by_position {
            let mean = if words.measure == "pick rate" {
                numbers::share_in_words(position.mean)
            } else {
                numbers::score_for_reading(position.mean)
            };
            table.push(vec![
                (position.position + 1).to_string(),
                mean,
                numbers::count_for_reading(position.count as u64),
            ]);
        }
        self.document.table(table);
    }

    fn pairwise_order(&mut self, effect: &FirstShownEffect) {
        if effect.choices == 0 {
            self.document.paragraph(
                "No choice recorded which item was shown first, so the order cannot be \
                 checked.",
            );
            return;
        }
        let share = numbers::share_in_words(effect.first_share);
        let finding = if effect.p_value < SIGNIFICANCE {
            format!(
                "The item shown first won {share} of {} choices, more often {} than chance \
                 would give ({}): which item came first may have changed the choices. Each \
                 item came first about half the time, so this adds noise but does not favour \
                 any item.",
                numbers::count_for_reading(effect.choices),
                if effect.first_share > 0.5 {
                    "for the first item"
                } else {
                    "for the second item"
                },
                numbers::p_value(effect.p_value)
            )
        } else {
            format!(
                "No sign that which item was shown first changed the choices: the item shown \
                 first won {share} of {} choices ({}, exact binomial test against a half).",
                numbers::count_for_reading(effect.choices),
                numbers::p_value(effect.p_value)
            )
        };
        self.document.paragraph(finding);
    }
}

/// Choices won by the item shown first, over every recorded side.
fn first_shown(responses: &Responses) -> FirstShownEffect {
    let mut wins = 0u64;
    let mut choices = 0u64;
    for shown in responses.shown.iter().flatten() {
        if let Shown::Pairs(pairs) = shown {
            choices += pairs.len() as u64;
            wins += pairs.iter().filter(|pair| pair.winner_first).count() as u64;
        }
    }
    first_shown_effect(wins, choices)
}

/// Each respondent's answers with the position each item was shown in, for respondents whose
/// order is recorded: ratings (the mean over criteria of yes 1, undecided ½, no 0 for CHNRI
/// rounds; "don't know" left out), ranks (an item shown but not ranked counts one below the
/// lowest rank given) or picks (1 picked, 0 shown but not picked).
fn positioned_answers(data: &RoundData<'_>) -> Option<(Words, Vec<Vec<PositionedAnswer>>)> {
    let responses = data.responses;
    let shown = responses.shown.as_ref()?;
    let words = match &responses.answers {
        Answers::Rating(_) => Words {
            measure: "rating",
            earlier_better: "Items shown earlier were rated higher",
            later_better: "Items shown later were rated higher",
            larger_is_better: true,
        },
        Answers::Ranking(_) => Words {
            measure: "rank",
            earlier_better: "Items shown earlier were ranked higher",
            later_better: "Items shown later were ranked higher",
            larger_is_better: false,
        },
        Answers::Pick(_) => Words {
            measure: "pick rate",
            earlier_better: "Items shown earlier were picked more often",
            later_better: "Items shown later were picked more often",
            larger_is_better: true,
        },
        Answers::Pairwise(_) | Answers::Suggestions(_) => return None,
    };
    let mut all = Vec::new();
    for (respondent, shown) in shown.iter().enumerate() {
        let Shown::Items(order) = shown else {
            continue;
        };
        let position: HashMap<u32, usize> = order
            .iter()
            .enumerate()
            .map(|(position, &item)| (item, position))
            .collect();
        let range = responses.range(respondent);
        let mut answers = Vec::new();
        match &responses.answers {
            Answers::Rating(entries) => {
                let mut sums: HashMap<u32, (f64, u32)> = HashMap::new();
                for entry in &entries[range] {
                    let value = match entry.value {
                        Some(RatingValue::Score(score)) => f64::from(score),
                        Some(RatingValue::Yes) => 1.0,
                        Some(RatingValue::Undecided) => 0.5,
                        Some(RatingValue::No) => 0.0,
                        None => continue,
                    };
                    let sum = sums.entry(entry.item).or_insert((0.0, 0));
                    sum.0 += value;
                    sum.1 += 1;
                }
                for (item, (sum, count)) in sums {
                    if let Some(&position) = position.get(&item) {
                        answers.push(PositionedAnswer {
                            position,
                            value: sum / f64::from(count),
                        });
                    }
                }
            }
            Answers::Ranking(entries) => {
                let ranked: HashMap<u32, u32> = entries[range]
                    .iter()
                    .map(|entry| (entry.item, entry.rank))
                    .collect();
                let unranked = ranked.values().max().copied().unwrap_or(0) + 1;
                for (&item, &position) in &position {
                    let rank = ranked.get(&item).copied().unwrap_or(unranked);
                    answers.push(PositionedAnswer {
                        position,
                        value: f64::from(rank),
                    });
                }
            }
            Answers::Pick(entries) => {
                let picked = &entries[range];
                for (&item, &position) in &position {
                    answers.push(PositionedAnswer {
                        position,
                        value: if picked.contains(&item) { 1.0 } else { 0.0 },
                    });
                }
            }
            Answers::Pairwise(_) | Answers::Suggestions(_) => {}
        }
        // Hash-map order must not reach the statistic's shuffles.
        answers.sort_by_key(|answer| answer.position);
        all.push(answers);
    }
    Some((words, all))
}
