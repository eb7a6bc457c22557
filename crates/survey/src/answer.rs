//! One respondent's answer to one round, as the JSON API carries it (DESIGN.md, "API
//! essentials"), checked against the round, and written as exchange-format rows.
//!
//! | round kind | JSON body |
//! |------------|-----------|
//! | rank       | `{"ranking": ["item-a", "item-b"]}` (the top k, most important first) |
//! | rate       | `{"ratings": {"item-a": 7, "item-b": null}}` (`null`: don't know) |
//! | rate, with criteria | `{"ratings": {"item-a": {"answerability": "yes", "equity": "undecided"}}}` |
//! | pick       | `{"picked": ["item-a"]}` |
//! | suggest    | `{"suggestions": ["..."]}` |
//! | pairwise   | `{"choices": [{"winner": "item-a", "loser": "item-b"}]}` |
//!
//! An answer body holds exactly one of those keys. Other keys are ignored, so that a request
//! body may carry more (the API's `"submit": true|false`).
//!
//! # Rules ([`Answer::check`])
//! - Every answer holds **at least one** entry: an empty ranking, rating, pick, suggestion list
//!   or choice list is refused, because it says nothing and would count as a respondent who took
//!   part. (A respondent who has nothing to say simply does not submit.)
//! - Ranks: at most `top_k` items of the round, no item twice.
//! - Ratings: every key an item of the round (keys are unique by construction, and a JSON object
//!   naming an item twice is refused while reading). Items not named are unrated. A numeric
//!   round takes whole numbers on its scale; a round with criteria takes, per item, an answer
//!   `yes`, `undecided` or `no` for exactly the round's criteria. `null` (don't know) only where
//!   the round allows it.
//! - Picks: at most `max_picks` items of the round, no item twice.
//! - Suggestions: non-empty after trimming spaces, at most `max_suggestions`, each at most
//!   `max_length` characters. Checked suggestions are stored trimmed.
//! - Choices: between two different items of the round, at most `max_choices` (or
//!   [`MAX_CHOICES`] when the round sets no limit). The same pair may be chosen again.
//!
//! Messages name the field in the JSON body, such as `ranking[3]` or `ratings.housing.equity`.

mod check;
mod wire;
mod write;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::definition::{Exercise, Round};
use crate::responses::{RatingValue, ResponseKind};

pub use write::AnswerWriter;

pub use crate::definition::MAX_CHOICES;
/// The most problems listed for one answer; beyond that, the count of the others is given.
pub const MAX_REPORTED_ERRORS: usize = 20;
/// Ids longer than this are cut short in messages, so that a hostile body cannot make a huge
/// message.
const MAX_ID_IN_MESSAGE: usize = 64;

/// One respondent's answer to one round, with exactly the JSON shapes of DESIGN.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "wire::RawAnswer", into = "wire::RawAnswer")]
pub enum Answer {
    /// `{"ranking": [...]}`: item ids, most important first.
    Rank(Vec<String>),
    /// `{"ratings": {...}}`: per item id, a rating or `None` (don't know).
    Rate(BTreeMap<String, Option<Rating>>),
    /// `{"picked": [...]}`: item ids, unordered.
    Pick(Vec<String>),
    /// `{"suggestions": [...]}`: free text.
    Suggest(Vec<String>),
    /// `{"choices": [...]}`: pairwise choices.
    Pairwise(Vec<PairChoice>),
}

/// One rating in a rate answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rating {
    /// A point of a numeric scale, written as a JSON number.
    Score(i32),
    /// CHNRI answers per criterion id, written as a JSON object; `None` is don't know.
    Criteria(BTreeMap<String, Option<CriterionAnswer>>),
}

/// A CHNRI answer to one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CriterionAnswer {
    /// `"yes"`.
    Yes,
    /// `"undecided"`.
    Undecided,
    /// `"no"`.
    No,
}

impl From<CriterionAnswer> for RatingValue {
    fn from(answer: CriterionAnswer) -> RatingValue {
        match answer {
            CriterionAnswer::Yes => RatingValue::Yes,
            CriterionAnswer::Undecided => RatingValue::Undecided,
            CriterionAnswer::No => RatingValue::No,
        }
    }
}

/// One pairwise choice: `{"winner": "item-a", "loser": "item-b"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairChoice {
    /// The item chosen.
    pub winner: String,
    /// The item not chosen.
    pub loser: String,
}

impl Answer {
    /// The kind of round this answer is for.
    pub fn response_kind(&self) -> ResponseKind {
        match self {
            Answer::Rank(_) => ResponseKind::Ranking,
            Answer::Rate(_) => ResponseKind::Rating,
            Answer::Pick(_) => ResponseKind::Pick,
            Answer::Suggest(_) => ResponseKind::Suggestions,
            Answer::Pairwise(_) => ResponseKind::Pairwise,
        }
    }

    /// The JSON key this answer is given under: `ranking`, `ratings`, `picked`, `suggestions`
    /// or `choices`.
    pub fn field(&self) -> &'static str {
        match self {
            Answer::Rank(_) => "ranking",
            Answer::Rate(_) => "ratings",
            Answer::Pick(_) => "picked",
            Answer::Suggest(_) => "suggestions",
            Answer::Pairwise(_) => "choices",
        }
    }

    /// Checks the answer against a round of `exercise` (the rules are in the module
    /// documentation) and returns it in checked form, with suggestions trimmed.
    ///
    /// # Errors
    /// [`AnswerErrors`] listing every problem found (up to [`MAX_REPORTED_ERRORS`]), each naming
    /// the field: an answer of another kind than the round's, an empty answer, unknown or
    /// repeated items, too many entries, ratings off the scale, don't know where the round does
    /// not allow it, missing or unknown criteria, and empty or too long suggestions.
    pub fn check(&self, exercise: &Exercise, round: &Round) -> Result<CheckedAnswer, AnswerErrors> {
        check::check_answer(self, exercise, round)
    }
}

/// An answer that was valid for the round it was checked against (see [`Answer::check`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedAnswer {
    answer: Answer,
}

impl CheckedAnswer {
    /// The answer.
    pub fn answer(&self) -> &Answer {
        &self.answer
    }

    /// The answer, owned.
    pub fn into_answer(self) -> Answer {
        self.answer
    }

    /// The answer as compact JSON, in the API's shape.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.answer).expect("an answer always serialises")
    }
}

/// One problem with an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}`: {message}")]
pub struct AnswerError {
    /// The field of the JSON body, such as `ranking[3]` or `ratings.housing.equity`.
    pub field: String,
    /// What is wrong, starting lowercase, without a full stop.
    pub message: String,
}

/// Every problem found with an answer (see [`Answer::check`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerErrors {
    /// The problems, in the order of the body, at most [`MAX_REPORTED_ERRORS`].
    pub errors: Vec<AnswerError>,
    /// How many more problems were found but not listed.
    pub more: usize,
}

impl fmt::Display for AnswerErrors {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.errors.iter().enumerate() {
            if index > 0 {
                formatter.write_str("; ")?;
            }
            write!(formatter, "{error}")?;
        }
        if self.more > 0 {
            write!(formatter, "; and {} more problems", self.more)?;
        }
        Ok(())
    }
}

impl std::error::Error for AnswerErrors {}

/// Cuts a text short for a message.
fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_ID_IN_MESSAGE {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(MAX_ID_IN_MESSAGE).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests;
