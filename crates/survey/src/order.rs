//! The order a round shows its items in, drawn for each respondent.
//!
//! Order effects in surveys are well documented: items shown first are rated, ranked and
//! picked differently from those shown last. So a rating, ranking or pick round (a shortlist
//! too) shows each respondent the round's items in an order of their own, and a pairwise round
//! draws, for each pair and respondent, which of the two is shown first (on the left, or on
//! top on a narrow screen). A round may ask for the definition's order instead
//! ([`ItemOrder::Fixed`], with a reason).
//!
//! The draw is seeded, never taken from the clock: an [`OrderSeed`] is 32 bytes that the
//! caller derives from the respondent and the round (the service uses the HMAC of its
//! pseudonym key over the exercise, the round and the respondent id, so that the same person
//! sees the same order on every visit and device, and no one can work out another's order
//! without the key). The seed feeds ChaCha8, whose output is fixed by its specification, so an
//! order drawn today is drawn the same way by every later version.
//!
//! The order shown is recorded with the answer as a [`ShownOrder`]: the item ids as shown, or
//! for a pairwise round each pair as shown (first, second), one per choice. The method report
//! reads it back to check whether the order changed the answers.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::definition::{ItemOrder, Round, RoundKind};

/// 32 bytes from which one respondent's orders in one round are drawn.
pub type OrderSeed = [u8; 32];

/// The order shown to one respondent, as recorded with their answer (`answers.shown_order`,
/// JSON): item ids in the order shown, or for a pairwise round one pair per choice, the item
/// shown first before the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ShownOrder {
    /// Rating, ranking and pick rounds: every item id of the round, in the order shown.
    Items(Vec<String>),
    /// Pairwise rounds: for each choice, in the order of the answer's choices, the pair as
    /// shown: `[first, second]`.
    Pairs(Vec<[String; 2]>),
}

impl ShownOrder {
    /// The order as stored: compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a list of strings always serialises")
    }

    /// Reads a stored order; `None` when the text is not one (an order is a record of what was
    /// shown, so a damaged one is treated as not recorded rather than failing the answer).
    pub fn from_json(text: &str) -> Option<ShownOrder> {
        serde_json::from_str(text).ok()
    }
}

/// A seed derived from text parts, for callers without a key of their own (the simulator,
/// tests): SHA-256 over each part followed by a zero byte.
pub fn seed_from_parts(parts: &[&str]) -> OrderSeed {
    let mut hasher = Sha256::new();
    hasher.update(b"prioritise order\0");
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hasher.finalize().into()
}

/// `items` in the order drawn from `seed`: a uniform shuffle (Fisher–Yates, as `rand`'s
/// `SliceRandom::shuffle` does it) driven by ChaCha8 seeded with `seed`. O(n).
pub fn drawn_order<T: Clone>(seed: &OrderSeed, items: &[T]) -> Vec<T> {
    let mut rng = ChaCha8Rng::from_seed(*seed);
    let mut order = items.to_vec();
    order.shuffle(&mut rng);
    order
}

/// Whether, for this respondent (`seed`) and the pair `{a, b}`, the pair is shown with `a`
/// first. The draw depends on the pair, not on which of the two is named first, so a pair
/// shown again is shown the same way; over respondents (different seeds), each item of a pair
/// is shown first half the time.
pub fn shows_first(seed: &OrderSeed, a: &str, b: &str) -> bool {
    let (low, high) = if a <= b { (a, b) } else { (b, a) };
    let mut hasher = Sha256::new();
    hasher.update(seed);
    hasher.update(low.as_bytes());
    hasher.update([0u8]);
    hasher.update(high.as_bytes());
    let low_first = hasher.finalize()[0] & 1 == 0;
    (a == low) == low_first
}

/// The pair `{a, b}` in the order shown to this respondent: `[first, second]`. A round with a
/// fixed order shows the pair as it was proposed.
pub fn pair_as_shown<T: AsRef<str>>(round: &Round, seed: &OrderSeed, pair: [T; 2]) -> [T; 2] {
    let [a, b] = pair;
    if round.order.is_random() && !shows_first(seed, a.as_ref(), b.as_ref()) {
        [b, a]
    } else {
        [a, b]
    }
}

/// The round as one respondent sees it: the same round with its items in the respondent's
/// drawn order (pages of a rating round then page through that order), or unchanged when the
/// round has a fixed order, is a suggest round, or is a pairwise round (whose order is drawn
/// pair by pair, see [`pair_as_shown`]).
pub fn round_as_shown(round: &Round, seed: &OrderSeed) -> Round {
    let mut shown = round.clone();
    if reorders_items(round) {
        shown.items = drawn_order(seed, &round.items);
    }
    shown
}

/// Whether each respondent sees the round's items in an order of their own: rating, ranking
/// and pick rounds without a fixed order.
pub fn reorders_items(round: &Round) -> bool {
    round.order.is_random()
        && matches!(
            round.kind,
            RoundKind::Rate { .. } | RoundKind::Rank { .. } | RoundKind::Pick { .. }
        )
}

/// Whether the round records the order each respondent was shown: every round except suggest
/// rounds (a fixed order is recorded too, as shown).
pub fn records_order(round: &Round) -> bool {
    !matches!(round.kind, RoundKind::Suggest { .. })
}

/// Why a round shows everyone the same order, when it does.
pub fn fixed_reason(round: &Round) -> Option<&str> {
    match &round.order {
        ItemOrder::Fixed { reason } => Some(reason),
        ItemOrder::Random => None,
    }
}

#[cfg(test)]
mod tests;
