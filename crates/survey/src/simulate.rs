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

use std::io::Write;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Normal};

use crate::definition::{Exercise, Round, RoundKind, Scale};
use crate::responses::{RatingValue, ResponseKind, ResponseWriter};

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

/// A group's view of the items.
#[derive(Debug, Clone)]
struct GroupView {
    /// Utility of each exercise item, by exercise item index.
    utilities: Vec<f64>,
    /// Mallows dispersion φ in (0, 1): smaller means closer to the group's central order.
    dispersion: f64,
}

/// The simulated population: group sizes and views.
#[derive(Debug, Clone)]
struct Population {
    group_sizes: Vec<u64>,
    views: Vec<GroupView>,
    /// Criterion offsets, by criterion position, for CHNRI rounds.
    criterion_offsets: Vec<f64>,
}

/// FNV-1a, a stable hash, so that a seed derived from a name is the same on every machine and
/// in every version of Rust.
fn stable_hash(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// A generator for one purpose (the population, a person, a round) and one stream (a
/// respondent number).
fn generator(seed: u64, purpose: &str, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ stable_hash(purpose));
    rng.set_stream(stream);
    rng
}

fn standard_normal() -> Normal<f64> {
    Normal::new(0.0, 1.0).expect("the standard normal is valid")
}

impl Population {
    fn new(exercise: &Exercise, settings: Settings) -> Population {
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
fn apportion(shares: &[f64], total: u64) -> Vec<u64> {
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
fn mallows(central: &[usize], phi: f64, rng: &mut impl Rng) -> Vec<usize> {
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

const TEMPLATES: [&str; 12] = [
    "How can we improve {topic}?",
    "What works to support {topic}?",
    "More research is needed on {topic}",
    "What is the impact of {topic} on children and families?",
    "Which approaches to {topic} make the biggest difference?",
    "Why do outcomes for {topic} vary so much between areas?",
    "{Topic}: what does good practice look like?",
    "How do we know if {topic} is getting better?",
    "What do young people say about {topic}?",
    "Is there evidence on {topic} that practitioners can use?",
    "Research on {topic} please",
    "{Topic} - what helps?",
];

const OFF_TOPIC: [&str; 8] = [
    "Better pay for foster carers",
    "Less paperwork so social workers can spend time with families",
    "Why is it so hard to get a consistent social worker?",
    "Support for siblings to stay together",
    "Access to therapy while waiting for CAMHS",
    "How can councils share data safely?",
    "What happens to young people after they leave care at 18?",
    "More youth clubs and things to do",
];

fn capitalise(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

fn lower_first(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        // Keep acronyms such as "CAMHS" as they are.
        Some(first) if !characters.clone().next().is_some_and(char::is_uppercase) => {
            first.to_lowercase().chain(characters).collect()
        }
        _ => text.to_string(),
    }
}

/// Changes a suggestion slightly, the way people write the same thing differently.
fn perturb(text: &str, rng: &mut impl Rng) -> String {
    match rng.random_range(0..4) {
        0 => text.to_lowercase(),
        1 => text.trim_end_matches(['?', '.']).to_string(),
        2 => {
            let mut characters: Vec<char> = text.chars().collect();
            if characters.len() > 4 {
                let at = rng.random_range(1..characters.len() - 2);
                if characters[at].is_alphabetic() && characters[at + 1].is_alphabetic() {
                    characters.swap(at, at + 1);
                }
            }
            characters.into_iter().collect()
        }
        _ => format!("{} ", text.trim_end()).trim_end().to_string() + "!",
    }
}

fn truncate_to(text: &str, max_characters: usize) -> String {
    text.chars()
        .take(max_characters)
        .collect::<String>()
        .trim()
        .to_string()
}

/// A person's traits: the same in every round, drawn from the seed and the person's number.
#[derive(Debug, Clone, Copy)]
struct Traits {
    /// Added to every rating's latent value: some people rate everything higher.
    leniency: f64,
    /// The standard deviation of the noise on each rating.
    noise: f64,
    /// Gives the same rating to every item.
    straight_liner: bool,
    /// Stops part way through a rating round.
    stops_early: bool,
}

impl Traits {
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
struct Member {
    /// The person's number, from 0.
    number: u64,
    /// The respondent id written to files.
    respondent: String,
    /// The group, by index into the exercise's groups.
    group: usize,
    traits: Traits,
    /// Whether the person answers the round being simulated.
    answers: bool,
}

/// The panel of respondents in the order they are written: exact group sizes in random order,
/// each person's traits, and who is still taking part at a round's position.
struct Panel {
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
    fn new(population: &Population, settings: Settings, position: usize) -> Panel {
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

/// The position of `round` among the exercise's rounds (0 when it is not one of them).
fn position_of(exercise: &Exercise, round: &Round) -> usize {
    exercise
        .rounds
        .iter()
        .position(|candidate| candidate.id == round.id)
        .unwrap_or(0)
}

fn invalid_retention(settings: Settings) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!(
            "the retention {} is not a share in (0, 1]",
            settings.retention
        ),
    )
}

/// One respondent's suggestions, with the item each was written about (`None`: outside the
/// item list). Shared by [`simulate_round`] and [`simulate_suggestions`] so that both give the
/// same texts.
fn suggestions_of(
    exercise: &Exercise,
    view: &GroupView,
    max_suggestions: u32,
    max_length: u32,
    rng: &mut ChaCha8Rng,
) -> Vec<(String, Option<usize>)> {
    let count = if max_suggestions > 1 && rng.random_bool(0.5) {
        rng.random_range(1..=max_suggestions)
    } else {
        1
    };
    // Groups suggest what they care about: a softmax over their utilities.
    let weights: Vec<f64> = view
        .utilities
        .iter()
        .map(|utility| (1.5 * utility).exp())
        .collect();
    let total: f64 = weights.iter().sum();
    let mut suggestions = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let (text, topic) = if exercise.items.is_empty() || rng.random_bool(0.08) {
            (
                OFF_TOPIC[rng.random_range(0..OFF_TOPIC.len())].to_string(),
                None,
            )
        } else {
            let mut target = rng.random::<f64>() * total;
            let mut chosen = weights.len() - 1;
            for (index, weight) in weights.iter().enumerate() {
                if target < *weight {
                    chosen = index;
                    break;
                }
                target -= weight;
            }
            let topic = lower_first(&exercise.items[chosen].title);
            let template = TEMPLATES[rng.random_range(0..TEMPLATES.len())];
            let text = template
                .replace("{topic}", &topic)
                .replace("{Topic}", &capitalise(&topic));
            let text = if rng.random_bool(0.3) {
                perturb(&text, rng)
            } else {
                text
            };
            (text, Some(chosen))
        };
        let text = truncate_to(&text, max_length as usize);
        if !text.is_empty() {
            suggestions.push((text, topic));
        }
    }
    suggestions
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
    if !settings.retention_is_valid() {
        return Err(invalid_retention(settings));
    }
    let population = Population::new(exercise, settings);
    let kind = ResponseKind::of_round(&round.kind);
    let with_criterion =
        matches!(&round.kind, RoundKind::Rate { criteria, .. } if !criteria.is_empty());
    let mut writer = ResponseWriter::new(output, kind, with_criterion)?;
    let normal = standard_normal();
    let round_purpose = format!("round:{}", round.id);
    let mut rows = 0u64;
    let mut group_sizes = vec![0u64; exercise.groups.len()];

    // Each group's central order of the round's items, best first.
    let central_orders: Vec<Vec<usize>> = population
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
        .collect();

    for member in Panel::new(&population, settings, position_of(exercise, round)) {
        if !member.answers {
            continue;
        }
        let Member {
            number,
            respondent,
            group,
            traits:
                Traits {
                    leniency,
                    noise,
                    straight_liner,
                    stops_early,
                },
            ..
        } = member;
        group_sizes[group] += 1;
        let group_id = exercise.groups[group].id.as_str();
        let view = &population.views[group];
        let mut rng = generator(settings.seed, &round_purpose, number);
        let item_id = |index: usize| exercise.items[index].id.as_str();

        match &round.kind {
            RoundKind::Rank { top_k } => {
                let order = mallows(&central_orders[group], view.dispersion, &mut rng);
                let mut length = *top_k as usize;
                if length > 1 && rng.random_bool(0.1) {
                    length = rng.random_range(1..length);
                }
                for (position, &item) in order.iter().take(length).enumerate() {
                    writer.write_rank(&respondent, group_id, item_id(item), position as u32 + 1)?;
                    rows += 1;
                }
            }
            RoundKind::Pick { max_picks } => {
                let order = mallows(&central_orders[group], view.dispersion, &mut rng);
                let count = if rng.random_bool(0.8) {
                    *max_picks
                } else {
                    rng.random_range(1..=*max_picks)
                };
                for &item in order.iter().take(count as usize) {
                    writer.write_pick(&respondent, group_id, item_id(item))?;
                    rows += 1;
                }
            }
            RoundKind::Rate {
                scale,
                allow_dont_know,
                criteria,
            } => {
                let answered = if stops_early {
                    rng.random_range(1..=round.items.len())
                } else {
                    round.items.len()
                };
                let straight_value = match scale {
                    Scale::Numeric { min, max, .. } => {
                        RatingValue::Score(rng.random_range((min + max + 1) / 2..=*max))
                    }
                    Scale::YesUndecidedNo => RatingValue::Yes,
                };
                for &item in round.items.iter().take(answered) {
                    if criteria.is_empty() {
                        let value = if *allow_dont_know && rng.random_bool(0.04) {
                            None
                        } else if straight_liner {
                            Some(straight_value)
                        } else {
                            let Scale::Numeric { min, max, .. } = scale else {
                                unreachable!("a rate round without criteria has a numeric scale");
                            };
                            let middle = f64::from(min + max) / 2.0;
                            let stretch = f64::from(max - min) / 4.0;
                            let latent =
                                view.utilities[item] + leniency + noise * normal.sample(&mut rng);
                            let score = (middle + stretch * latent).round() as i64;
                            Some(RatingValue::Score(
                                score.clamp(i64::from(*min), i64::from(*max)) as i32,
                            ))
                        };
                        writer.write_rating(&respondent, group_id, item_id(item), None, value)?;
                        rows += 1;
                    } else {
                        for (position, criterion) in criteria.iter().enumerate() {
                            let value = if *allow_dont_know && rng.random_bool(0.03) {
                                None
                            } else if straight_liner {
                                Some(straight_value)
                            } else {
                                let offset = population.criterion_offsets
                                    [position % population.criterion_offsets.len()];
                                let latent = 0.8 * view.utilities[item]
                                    + offset
                                    + leniency
                                    + normal.sample(&mut rng);
                                Some(if latent > 0.4 {
                                    RatingValue::Yes
                                } else if latent < -0.4 {
                                    RatingValue::No
                                } else {
                                    RatingValue::Undecided
                                })
                            };
                            writer.write_rating(
                                &respondent,
                                group_id,
                                item_id(item),
                                Some(criterion.id.as_str()),
                                value,
                            )?;
                            rows += 1;
                        }
                    }
                }
            }
            RoundKind::Pairwise { max_choices } => {
                let mut meetings = rng.random_range(5..=20u32);
                if let Some(limit) = max_choices {
                    meetings = meetings.min(*limit);
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
                    let difference = view.utilities[first] - view.utilities[second];
                    let first_wins = rng.random::<f64>() < 1.0 / (1.0 + (-1.2 * difference).exp());
                    let (winner, loser) = if first_wins {
                        (first, second)
                    } else {
                        (second, first)
                    };
                    writer.write_choice(&respondent, group_id, item_id(winner), item_id(loser))?;
                    rows += 1;
                    made += 1;
                }
            }
            RoundKind::Suggest {
                max_suggestions,
                max_length,
            } => {
                for (text, _) in
                    suggestions_of(exercise, view, *max_suggestions, *max_length, &mut rng)
                {
                    writer.write_suggestion(&respondent, group_id, &text)?;
                    rows += 1;
                }
            }
        }
    }
    writer.finish()?.flush()?;
    Ok(Summary {
        group_sizes,
        panel_sizes: population.group_sizes,
        rows,
    })
}

#[cfg(test)]
mod tests;
