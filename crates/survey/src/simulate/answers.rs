//! One respondent's simulated answer to a round, written row by row: rankings and picks from
//! the Mallows model, ratings, CHNRI answers, Bradley–Terry choices and suggestions.

use std::io::Write;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

use super::panel::Traits;
use super::population::{GroupView, Population, mallows, standard_normal};
use super::text::suggestions_of;
use crate::definition::{Criterion, Exercise, Round, RoundKind, Scale};
use crate::order::{OrderSeed, drawn_order, shows_first};
use crate::responses::{RatingValue, ResponseWriter};

/// Who is answering: the respondent's ids, their group's view of the items and their traits.
pub(super) struct Answerer<'a> {
    /// The exercise, for item ids and titles.
    pub(super) exercise: &'a Exercise,
    /// The respondent id written to the file.
    pub(super) respondent: &'a str,
    /// The group id written to the file.
    pub(super) group_id: &'a str,
    /// The group's view of the items.
    pub(super) view: &'a GroupView,
    /// The person's traits.
    pub(super) traits: Traits,
    /// The order the person is shown and how much it sways them, when simulated.
    pub(super) shown: Option<ShownItems>,
}

/// What a simulated person is shown when a position bias is simulated (see
/// [`super::simulate_round_shown`]).
pub(super) struct ShownItems {
    /// The round's items (indices into the exercise's items) in the order shown.
    pub(super) order: Vec<usize>,
    /// What each exercise item gains from its place, by item index: `bias × (1 − 2p/(m − 1))`
    /// for the item at position p of m, so the first gains `bias` and the last loses it.
    pub(super) boost: Vec<f64>,
    /// The position bias: also what the item shown first of a pair gains.
    pub(super) bias: f64,
    /// The person's order seed, for the side each pair is shown.
    pub(super) seed: OrderSeed,
}

impl ShownItems {
    /// The order and boosts for a person shown `round` in the order drawn from `seed`.
    pub(super) fn new(exercise: &Exercise, round: &Round, seed: OrderSeed, bias: f64) -> Self {
        let order = drawn_order(&seed, &round.items);
        let mut boost = vec![0.0; exercise.items.len()];
        let last = order.len().saturating_sub(1).max(1) as f64;
        for (position, &item) in order.iter().enumerate() {
            boost[item] = bias * (1.0 - 2.0 * position as f64 / last);
        }
        ShownItems {
            order,
            boost,
            bias,
            seed,
        }
    }
}

impl Answerer<'_> {
    /// The id of the exercise item at `index`.
    fn item_id(&self, index: usize) -> &str {
        self.exercise.items[index].id.as_str()
    }

    /// The person's utility for an item: their group's, plus what the item gains from the
    /// place it was shown in.
    fn utility(&self, item: usize) -> f64 {
        self.view.utilities[item] + self.shown.as_ref().map_or(0.0, |shown| shown.boost[item])
    }

    /// The round's items in the order the person answers them: as shown, or the round's order.
    fn items_in_order<'r>(&'r self, round: &'r Round) -> &'r [usize] {
        self.shown
            .as_ref()
            .map_or(round.items.as_slice(), |shown| shown.order.as_slice())
    }

    /// The central order of a ranking or pick for this person: their group's, or with a
    /// position bias the round's items by their own utility, best first.
    fn central_order(&self, group_central: &[usize]) -> Vec<usize> {
        if self.shown.is_none() {
            return group_central.to_vec();
        }
        let mut order = group_central.to_vec();
        order.sort_by(|&a, &b| self.utility(b).total_cmp(&self.utility(a)).then(a.cmp(&b)));
        order
    }
}

/// Writes one respondent's answer to `round`, drawing from `rng`; returns the rows written.
/// `central` is the respondent's group's central order of the round's items.
pub(super) fn write_answer<W: Write>(
    writer: &mut ResponseWriter<W>,
    answerer: &Answerer<'_>,
    round: &Round,
    population: &Population,
    central: &[usize],
    rng: &mut ChaCha8Rng,
) -> std::io::Result<u64> {
    if let Some(shown) = &answerer.shown {
        let ids: Vec<&str> = shown
            .order
            .iter()
            .map(|&item| answerer.item_id(item))
            .collect();
        writer.set_shown(&ids.join(" "));
    }
    let central = &answerer.central_order(central);
    match &round.kind {
        RoundKind::Rank { top_k } => write_ranking(writer, answerer, central, *top_k, rng),
        RoundKind::Pick { max_picks } => write_picks(writer, answerer, central, *max_picks, rng),
        RoundKind::Rate {
            scale,
            allow_dont_know,
            criteria,
        } => {
            let rate = Rate {
                scale,
                allow_dont_know: *allow_dont_know,
                criteria,
                criterion_offsets: &population.criterion_offsets,
            };
            write_ratings(writer, answerer, round, &rate, rng)
        }
        RoundKind::Pairwise { max_choices } => {
            write_choices(writer, answerer, round, *max_choices, rng)
        }
        RoundKind::Suggest {
            max_suggestions,
            max_length,
        } => {
            let mut rows = 0;
            for (text, _) in suggestions_of(
                answerer.exercise,
                answerer.view,
                *max_suggestions,
                *max_length,
                rng,
            ) {
                writer.write_suggestion(answerer.respondent, answerer.group_id, &text)?;
                rows += 1;
            }
            Ok(rows)
        }
    }
}

/// A ranking: a Mallows order of the round's items, cut at `top_k` (one respondent in ten
/// stops earlier).
fn write_ranking<W: Write>(
    writer: &mut ResponseWriter<W>,
    answerer: &Answerer<'_>,
    central: &[usize],
    top_k: u32,
    rng: &mut ChaCha8Rng,
) -> std::io::Result<u64> {
    let mut rows = 0;
    let order = mallows(central, answerer.view.dispersion, rng);
    let mut length = top_k as usize;
    if length > 1 && rng.random_bool(0.1) {
        length = rng.random_range(1..length);
    }
    for (position, &item) in order.iter().take(length).enumerate() {
        writer.write_rank(
            answerer.respondent,
            answerer.group_id,
            answerer.item_id(item),
            position as u32 + 1,
        )?;
        rows += 1;
    }
    Ok(rows)
}

/// Picks: the first items of a Mallows order, usually `max_picks` of them.
fn write_picks<W: Write>(
    writer: &mut ResponseWriter<W>,
    answerer: &Answerer<'_>,
    central: &[usize],
    max_picks: u32,
    rng: &mut ChaCha8Rng,
) -> std::io::Result<u64> {
    let mut rows = 0;
    let order = mallows(central, answerer.view.dispersion, rng);
    let count = if rng.random_bool(0.8) {
        max_picks
    } else {
        rng.random_range(1..=max_picks)
    };
    for &item in order.iter().take(count as usize) {
        writer.write_pick(
            answerer.respondent,
            answerer.group_id,
            answerer.item_id(item),
        )?;
        rows += 1;
    }
    Ok(rows)
}

/// What a rate round asks for, with the population's criterion offsets.
struct Rate<'a> {
    /// The round's scale.
    scale: &'a Scale,
    /// Whether "don't know" is allowed.
    allow_dont_know: bool,
    /// The round's criteria; empty for a numeric scale.
    criteria: &'a [Criterion],
    /// The population's criterion offsets, by criterion position.
    criterion_offsets: &'a [f64],
}

/// Ratings: each item on the scale, or each item against each criterion, in the round's
/// order; some respondents stop part way, and straight-liners give one value throughout.
fn write_ratings<W: Write>(
    writer: &mut ResponseWriter<W>,
    answerer: &Answerer<'_>,
    round: &Round,
    rate: &Rate<'_>,
    rng: &mut ChaCha8Rng,
) -> std::io::Result<u64> {
    let mut rows = 0;
    let normal = standard_normal();
    let answered = if answerer.traits.stops_early {
        rng.random_range(1..=round.items.len())
    } else {
        round.items.len()
    };
    let straight_value = match rate.scale {
        Scale::Numeric { min, max, .. } => {
            RatingValue::Score(rng.random_range((min + max + 1) / 2..=*max))
        }
        Scale::YesUndecidedNo => RatingValue::Yes,
    };
    for &item in answerer.items_in_order(round).iter().take(answered) {
        if rate.criteria.is_empty() {
            let value = if rate.allow_dont_know && rng.random_bool(0.04) {
                None
            } else if answerer.traits.straight_liner {
                Some(straight_value)
            } else {
                Some(score(answerer, item, rate.scale, &normal, rng))
            };
            writer.write_rating(
                answerer.respondent,
                answerer.group_id,
                answerer.item_id(item),
                None,
                value,
            )?;
            rows += 1;
        } else {
            for (position, criterion) in rate.criteria.iter().enumerate() {
                let value = if rate.allow_dont_know && rng.random_bool(0.03) {
                    None
                } else if answerer.traits.straight_liner {
                    Some(straight_value)
                } else {
                    let offset = rate.criterion_offsets[position % rate.criterion_offsets.len()];
                    Some(criterion_answer(answerer, item, offset, &normal, rng))
                };
                writer.write_rating(
                    answerer.respondent,
                    answerer.group_id,
                    answerer.item_id(item),
                    Some(criterion.id.as_str()),
                    value,
                )?;
                rows += 1;
            }
        }
    }
    Ok(rows)
}

/// A rating on a numeric scale: the group's utility plus leniency and noise, mapped onto the
/// scale.
fn score(
    answerer: &Answerer<'_>,
    item: usize,
    scale: &Scale,
    normal: &Normal<f64>,
    rng: &mut ChaCha8Rng,
) -> RatingValue {
    let Scale::Numeric { min, max, .. } = scale else {
        unreachable!("a rate round without criteria has a numeric scale");
    };
    let Traits {
        leniency, noise, ..
    } = answerer.traits;
    let middle = f64::from(min + max) / 2.0;
    let stretch = f64::from(max - min) / 4.0;
    let latent = answerer.utility(item) + leniency + noise * normal.sample(rng);
    let score = (middle + stretch * latent).round() as i64;
    RatingValue::Score(score.clamp(i64::from(*min), i64::from(*max)) as i32)
}

/// A CHNRI answer: yes, undecided or no from the group's utility, the criterion's offset,
/// leniency and noise.
fn criterion_answer(
    answerer: &Answerer<'_>,
    item: usize,
    offset: f64,
    normal: &Normal<f64>,
    rng: &mut ChaCha8Rng,
) -> RatingValue {
    let latent =
        0.8 * answerer.utility(item) + offset + answerer.traits.leniency + normal.sample(rng);
    if latent > 0.4 {
        RatingValue::Yes
    } else if latent < -0.4 {
        RatingValue::No
    } else {
        RatingValue::Undecided
    }
}

/// Pairwise choices: 5 to 20 random pairs (at most `max_choices`), each decided by the
/// Bradley–Terry model on the group's utilities; one in ten is left undecided.
fn write_choices<W: Write>(
    writer: &mut ResponseWriter<W>,
    answerer: &Answerer<'_>,
    round: &Round,
    max_choices: Option<u32>,
    rng: &mut ChaCha8Rng,
) -> std::io::Result<u64> {
    let mut rows = 0;
    let view = answerer.view;
    let mut meetings = rng.random_range(5..=20u32);
    if let Some(limit) = max_choices {
        meetings = meetings.min(limit);
    }
    let items = &round.items;
    let mut made = 0;
    for meeting in 0..meetings {
        let first = items[rng.random_range(0..items.len())];
        let mut second = items[rng.random_range(0..items.len() - 1)];
        if second == first {
            second = items[items.len() - 1];
        }
        let last_chance = meeting + 1 == meetings && made == 0;
        if rng.random_bool(0.1) && !last_chance {
            continue; // "I can't decide": the pair is simply absent.
        }
        let mut difference = view.utilities[first] - view.utilities[second];
        if let Some(shown) = &answerer.shown {
            // The item shown first gains the position bias.
            let first_shown = shows_first(
                &shown.seed,
                answerer.item_id(first),
                answerer.item_id(second),
            );
            difference += if first_shown { shown.bias } else { -shown.bias };
            let (left, right) = if first_shown {
                (first, second)
            } else {
                (second, first)
            };
            let cell = format!("{} {}", answerer.item_id(left), answerer.item_id(right));
            writer.set_shown(&cell);
        }
        let first_wins = rng.random::<f64>() < 1.0 / (1.0 + (-1.2 * difference).exp());
        let (winner, loser) = if first_wins {
            (first, second)
        } else {
            (second, first)
        };
        writer.write_choice(
            answerer.respondent,
            answerer.group_id,
            answerer.item_id(winner),
            answerer.item_id(loser),
        )?;
        rows += 1;
        made += 1;
    }
    Ok(rows)
}
