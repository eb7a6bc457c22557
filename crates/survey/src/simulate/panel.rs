//! The panel: who takes part, in which order, with which personal traits, and who has dropped
//! out by a given round.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::Distribution;

use super::Settings;
use super::population::{Population, generator, standard_normal};

/// A person's traits: the same in every round, drawn from the seed and the person's number.
#[derive(Debug, Clone, Copy)]
pub(super) struct Traits {
    /// Added to every rating's latent value: some people rate everything higher.
    pub(super) leniency: f64,
    /// The standard deviation of the noise on each rating.
    pub(super) noise: f64,
    /// Gives the same rating to every item.
    pub(super) straight_liner: bool,
    /// Stops part way through a rating round.
    pub(super) stops_early: bool,
}

impl Traits {
    /// The traits of person `number`.
    fn of(seed: u64, number: u64) -> Traits {
        let mut person = generator(seed, "person", number);
        let leniency = 0.5 * standard_normal().sample(&mut person);
        let noise = 0.6 + 0.4 * person.random::<f64>();
        let straight_liner = person.random_bool(0.02);
        let stops_early = person.random_bool(0.08);
        Traits {
            leniency,
            noise,
            straight_liner,
            stops_early,
        }
    }
}

/// The logit of a probability in (0, 1).
fn logit(probability: f64) -> f64 {
    (probability / (1.0 - probability)).ln()
}

/// Whether person `number`, of group `group`, with `traits`, answers the round at `position`
/// (0-based in the exercise's rounds): everyone answers the first round; a person answers
/// round p only if they answered round p − 1 and a draw says they stay. The chance of staying
/// is the logistic of logit(retention) + the group's offset + 1.5 × leniency − 1 for a
/// straight-liner. The draws come from the person's own stream, one per round, so the answer
/// depends only on the seed, the person and the position.
fn answers_round(
    settings: Settings,
    group_offsets: &[f64],
    group: usize,
    number: u64,
    traits: &Traits,
    position: usize,
) -> bool {
    if position == 0 || settings.retention >= 1.0 {
        return true;
    }
    let mut log_odds = logit(settings.retention) + group_offsets[group] + 1.5 * traits.leniency;
    if traits.straight_liner {
        log_odds -= 1.0;
    }
    let stay = 1.0 / (1.0 + (-log_odds).exp());
    let mut rng = generator(settings.seed, "retention", number);
    (1..=position).all(|_| rng.random::<f64>() < stay)
}

/// Each group's offset on the log-odds of staying, drawn from N(0, 0.4²) from its own stream
/// (so that the population's other draws, and the bytes of earlier versions, do not change).
fn retention_offsets(seed: u64, group_count: usize) -> Vec<f64> {
    let mut rng = generator(seed, "retention", u64::MAX);
    let normal = standard_normal();
    (0..group_count)
        .map(|_| 0.4 * normal.sample(&mut rng))
        .collect()
}

/// A member of the simulated panel.
pub(super) struct Member {
    /// The person's number, from 0.
    pub(super) number: u64,
    /// The respondent id written to files.
    pub(super) respondent: String,
    /// The group, by index into the exercise's groups.
    pub(super) group: usize,
    /// The person's traits.
    pub(super) traits: Traits,
    /// Whether the person answers the round being simulated.
    pub(super) answers: bool,
}

/// The panel of respondents in the order they are written: exact group sizes in random order,
/// each person's traits, and who is still taking part at a round's position.
pub(super) struct Panel {
    settings: Settings,
    group_offsets: Vec<f64>,
    position: usize,
    remaining: Vec<u64>,
    remaining_total: u64,
    order_rng: ChaCha8Rng,
    width: usize,
    next: u64,
}

impl Panel {
    /// The panel of `population` at the round at `position`.
    pub(super) fn new(population: &Population, settings: Settings, position: usize) -> Panel {
        let remaining = population.group_sizes.clone();
        Panel {
            settings,
            group_offsets: retention_offsets(settings.seed, remaining.len()),
            position,
            remaining_total: remaining.iter().sum(),
            remaining,
            order_rng: generator(settings.seed, "order", 0),
            width: settings.respondents.max(1).to_string().len(),
            next: 0,
        }
    }
}

impl Iterator for Panel {
    type Item = Member;

    fn next(&mut self) -> Option<Member> {
        if self.next >= self.settings.respondents {
            return None;
        }
        let number = self.next;
        self.next += 1;
        // Sequential sampling without replacement gives exact group sizes in random order.
        let mut target = self.order_rng.random_range(0..self.remaining_total);
        let mut group = 0;
        for (index, count) in self.remaining.iter().enumerate() {
            if target < *count {
                group = index;
                break;
            }
            target -= count;
        }
        self.remaining[group] -= 1;
        self.remaining_total -= 1;
        let traits = Traits::of(self.settings.seed, number);
        let answers = answers_round(
            self.settings,
            &self.group_offsets,
            group,
            number,
            &traits,
            self.position,
        );
        Some(Member {
            number,
            respondent: format!("r{:0width$}", number + 1, width = self.width),
            group,
            traits,
            answers,
        })
    }
}
