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

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::definition::{Exercise, Round, RoundKind, Scale};
use crate::responses::{RatingValue, ResponseKind, ResponseWriter};

pub use crate::definition::MAX_CHOICES;
/// The most problems listed for one answer; beyond that, the count of the others is given.
pub const MAX_REPORTED_ERRORS: usize = 20;
/// Ids longer than this are cut short in messages, so that a hostile body cannot make a huge
/// message.
const MAX_ID_IN_MESSAGE: usize = 64;

/// One respondent's answer to one round, with exactly the JSON shapes of DESIGN.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawAnswer", into = "RawAnswer")]
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

/// The wire form: one optional field per kind, so that a body with none or several of them gets
/// a clear message rather than serde's "did not match any variant".
#[derive(Serialize, Deserialize)]
struct RawAnswer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ranking: Option<Vec<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "unique_ratings"
    )]
    ratings: Option<BTreeMap<String, Option<Rating>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    picked: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    suggestions: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    choices: Option<Vec<PairChoice>>,
}

impl TryFrom<RawAnswer> for Answer {
    type Error = String;

    fn try_from(raw: RawAnswer) -> Result<Answer, String> {
        let mut found = Vec::new();
        if let Some(ranking) = raw.ranking {
            found.push(("ranking", Answer::Rank(ranking)));
        }
        if let Some(ratings) = raw.ratings {
            found.push(("ratings", Answer::Rate(ratings)));
        }
        if let Some(picked) = raw.picked {
            found.push(("picked", Answer::Pick(picked)));
        }
        if let Some(suggestions) = raw.suggestions {
            found.push(("suggestions", Answer::Suggest(suggestions)));
        }
        if let Some(choices) = raw.choices {
            found.push(("choices", Answer::Pairwise(choices)));
        }
        match found.len() {
            0 => Err(
                "an answer needs one of `ranking`, `ratings`, `picked`, `suggestions` or `choices`"
                    .to_string(),
            ),
            1 => Ok(found.pop().expect("one entry").1),
            _ => Err(format!(
                "an answer holds one of `ranking`, `ratings`, `picked`, `suggestions` or `choices`, but this one holds {}",
                found
                    .iter()
                    .map(|(name, _)| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )),
        }
    }
}

impl From<Answer> for RawAnswer {
    fn from(answer: Answer) -> RawAnswer {
        let mut raw = RawAnswer {
            ranking: None,
            ratings: None,
            picked: None,
            suggestions: None,
            choices: None,
        };
        match answer {
            Answer::Rank(ranking) => raw.ranking = Some(ranking),
            Answer::Rate(ratings) => raw.ratings = Some(ratings),
            Answer::Pick(picked) => raw.picked = Some(picked),
            Answer::Suggest(suggestions) => raw.suggestions = Some(suggestions),
            Answer::Pairwise(choices) => raw.choices = Some(choices),
        }
        raw
    }
}

/// Reads a JSON object into a map, refusing a key given twice (serde_json would silently keep
/// the last).
fn unique_map<'de, A, V>(mut access: A, what: &str) -> Result<BTreeMap<String, V>, A::Error>
where
    A: MapAccess<'de>,
    V: Deserialize<'de>,
{
    let mut map = BTreeMap::new();
    while let Some(key) = access.next_key::<String>()? {
        if map.contains_key(&key) {
            return Err(de::Error::custom(format!(
                "{what} names `{}` twice",
                shorten(&key)
            )));
        }
        let value = access.next_value()?;
        map.insert(key, value);
    }
    Ok(map)
}

fn unique_ratings<'de, D>(
    deserializer: D,
) -> Result<Option<BTreeMap<String, Option<Rating>>>, D::Error>
where
    D: Deserializer<'de>,
{
    struct RatingsVisitor;
    impl<'de> Visitor<'de> for RatingsVisitor {
        type Value = Option<BTreeMap<String, Option<Rating>>>;
        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("an object of ratings by item id")
        }
        fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Self::Value, A::Error> {
            unique_map(access, "`ratings`").map(Some)
        }
    }
    deserializer.deserialize_map(RatingsVisitor)
}

impl Serialize for Rating {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Rating::Score(score) => serializer.serialize_i32(*score),
            Rating::Criteria(answers) => answers.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Rating {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Rating, D::Error> {
        struct RatingVisitor;
        impl<'de> Visitor<'de> for RatingVisitor {
            type Value = Rating;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(
                    "a whole number, null for don't know, or an object of criterion answers",
                )
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Rating, E> {
                i32::try_from(value)
                    .map(Rating::Score)
                    .map_err(|_| E::custom(format!("the rating {value} is far off any scale")))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Rating, E> {
                i32::try_from(value)
                    .map(Rating::Score)
                    .map_err(|_| E::custom(format!("the rating {value} is far off any scale")))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Rating, E> {
                Err(E::custom(format!(
                    "the rating {value} is not a whole number"
                )))
            }
            fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Rating, A::Error> {
                unique_map(access, "a rating").map(Rating::Criteria)
            }
        }
        deserializer.deserialize_any(RatingVisitor)
    }
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
        let mut checker = AnswerChecker {
            exercise,
            round,
            errors: Vec::new(),
            more: 0,
        };
        let round_kind = ResponseKind::of_round(&round.kind);
        if round_kind != self.response_kind() {
            let wanted = match round.kind {
                RoundKind::Rank { .. } => "ranking",
                RoundKind::Rate { .. } => "ratings",
                RoundKind::Pick { .. } => "picked",
                RoundKind::Suggest { .. } => "suggestions",
                RoundKind::Pairwise { .. } => "choices",
            };
            checker.error(
                self.field(),
                format!(
                    "round `{}` is a {} round, so the answer needs `{wanted}`, not `{}`",
                    round.id,
                    round.kind.name(),
                    self.field()
                ),
            );
            return Err(checker.finish());
        }
        let limits = round.answer_limits();
        let most_entries = limits.most_entries.unwrap_or(usize::MAX);
        let checked = match (self, &round.kind) {
            (Answer::Rank(ranking), RoundKind::Rank { .. }) => {
                checker.item_list("ranking", ranking, most_entries, "ranks", "the top");
                Answer::Rank(ranking.clone())
            }
            (Answer::Pick(picked), RoundKind::Pick { .. }) => {
                checker.item_list("picked", picked, most_entries, "picks", "at most");
                Answer::Pick(picked.clone())
            }
            (
                Answer::Rate(ratings),
                RoundKind::Rate {
                    scale,
                    allow_dont_know,
                    criteria,
                },
            ) => {
                checker.ratings(ratings, scale, *allow_dont_know, criteria);
                Answer::Rate(ratings.clone())
            }
            (Answer::Suggest(suggestions), RoundKind::Suggest { .. }) => {
                Answer::Suggest(checker.suggestions(
                    suggestions,
                    most_entries,
                    limits.max_length.unwrap_or(usize::MAX),
                ))
            }
            (Answer::Pairwise(choices), RoundKind::Pairwise { .. }) => {
                checker.choices(choices, most_entries);
                Answer::Pairwise(choices.clone())
            }
            _ => unreachable!("the kinds were compared above"),
        };
        if checker.errors.is_empty() {
            Ok(CheckedAnswer { answer: checked })
        } else {
            Err(checker.finish())
        }
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

struct AnswerChecker<'a> {
    exercise: &'a Exercise,
    round: &'a Round,
    errors: Vec<AnswerError>,
    more: usize,
}

impl AnswerChecker<'_> {
    fn error(&mut self, field: impl Into<String>, message: String) {
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(AnswerError {
                field: field.into(),
                message,
            });
        } else {
            self.more += 1;
        }
    }

    fn finish(self) -> AnswerErrors {
        AnswerErrors {
            errors: self.errors,
            more: self.more,
        }
    }

    /// Whether `id` is one of the round's items; reports it under `field` when not.
    fn item(&mut self, field: &str, id: &str) -> bool {
        let known = self
            .exercise
            .round_items(self.round)
            .any(|item| item.id.as_str() == id);
        if !known {
            let listed = if self.round.items.len() <= 20 {
                format!(
                    " (its items are: {})",
                    self.exercise
                        .round_items(self.round)
                        .map(|item| item.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else {
                String::new()
            };
            self.error(
                field,
                format!("`{}` is not one of this round's items{listed}", shorten(id)),
            );
        }
        known
    }

    fn not_empty(&mut self, field: &str, length: usize, what: &str) -> bool {
        if length == 0 {
            self.error(
                field,
                format!("the answer is empty: give at least one {what}"),
            );
        }
        length > 0
    }

    /// A ranking or a pick list: known items, no repeats, no more than `limit`.
    fn item_list(&mut self, field: &str, ids: &[String], limit: usize, verb: &str, bound: &str) {
        if !self.not_empty(field, ids.len(), "item") {
            return;
        }
        if ids.len() > limit {
            self.error(
                field,
                format!(
                    "the answer {verb} {} items, but round `{}` asks for {bound} {limit}",
                    ids.len(),
                    self.round.id
                ),
            );
            // The items themselves are not checked: the list may be huge.
            return;
        }
        for (index, id) in ids.iter().enumerate() {
            let field_at = format!("{field}[{index}]");
            if !self.item(&field_at, id) {
                continue;
            }
            if let Some(first) = ids[..index].iter().position(|earlier| earlier == id) {
                self.error(
                    field_at,
                    format!("`{id}` is already given at `{field}[{first}]`"),
                );
            }
        }
    }

    fn ratings(
        &mut self,
        ratings: &BTreeMap<String, Option<Rating>>,
        scale: &Scale,
        allow_dont_know: bool,
        criteria: &[crate::definition::Criterion],
    ) {
        if !self.not_empty("ratings", ratings.len(), "rating") {
            return;
        }
        if ratings.len() > self.round.items.len() {
            self.error(
                "ratings",
                format!(
                    "the answer rates {} items, but round `{}` has only {}",
                    ratings.len(),
                    self.round.id,
                    self.round.items.len()
                ),
            );
            return;
        }
        let dont_know = |checker: &mut Self, field: String| {
            if !allow_dont_know {
                checker.error(
                    field,
                    format!(
                        "`null` (don't know) is not allowed in round `{}`: give a rating",
                        checker.round.id
                    ),
                );
            }
        };
        for (item, rating) in ratings {
            let field = format!("ratings.{}", shorten(item));
            if !self.item(&field, item) {
                continue;
            }
            match (rating, criteria.is_empty()) {
                (None, true) => dont_know(self, field),
                (None, false) => self.error(
                    field,
                    format!(
                        "round `{}` rates items against criteria: give an object with `yes`, `undecided`{} for each criterion rather than `null`",
                        self.round.id,
                        if allow_dont_know { ", `no` or null" } else { " or `no`" }
                    ),
                ),
                (Some(Rating::Score(score)), true) => {
                    if !scale.contains(*score)
                        && let Scale::Numeric { min, max, .. } = scale
                    {
                        self.error(
                            field,
                            format!("{score} is off the scale: give a whole number from {min} to {max}"),
                        );
                    }
                }
                (Some(Rating::Score(_)), false) => self.error(
                    field,
                    format!(
                        "round `{}` rates items against criteria: give an object such as {{\"{}\": \"yes\"}} with `yes`, `undecided` or `no` for each criterion",
                        self.round.id, criteria[0].id
                    ),
                ),
                (Some(Rating::Criteria(_)), true) => {
                    let range = match scale {
                        Scale::Numeric { min, max, .. } => format!(" from {min} to {max}"),
                        Scale::YesUndecidedNo => String::new(),
                    };
                    self.error(
                        field,
                        format!(
                            "round `{}` has no criteria: give a whole number{range}",
                            self.round.id
                        ),
                    );
                }
                (Some(Rating::Criteria(answers)), false) => {
                    for (criterion, answer) in answers {
                        let criterion_field = format!("{field}.{}", shorten(criterion));
                        if !criteria.iter().any(|known| known.id.as_str() == criterion) {
                            self.error(
                                criterion_field,
                                format!(
                                    "`{}` is not a criterion of round `{}` (its criteria are: {})",
                                    shorten(criterion),
                                    self.round.id,
                                    criteria
                                        .iter()
                                        .map(|known| known.id.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            );
                        } else if answer.is_none() {
                            dont_know(self, criterion_field);
                        }
                    }
                    for criterion in criteria {
                        if !answers.contains_key(criterion.id.as_str()) {
                            self.error(
                                field.clone(),
                                format!(
                                    "criterion `{}` is not answered: give `yes`, `undecided`, `no`{}",
                                    criterion.id,
                                    if allow_dont_know { " or null" } else { "" }
                                ),
                            );
                        }
                    }
                }
            }
        }
    }

    fn suggestions(
        &mut self,
        suggestions: &[String],
        max_suggestions: usize,
        max_length: usize,
    ) -> Vec<String> {
        if !self.not_empty("suggestions", suggestions.len(), "suggestion") {
            return Vec::new();
        }
        if suggestions.len() > max_suggestions {
            self.error(
                "suggestions",
                format!(
                    "the answer makes {} suggestions, but round `{}` takes at most {max_suggestions}",
                    suggestions.len(),
                    self.round.id
                ),
            );
            return Vec::new();
        }
        let mut trimmed = Vec::with_capacity(suggestions.len());
        for (index, text) in suggestions.iter().enumerate() {
            let field = format!("suggestions[{index}]");
            let text = text.trim();
            let length = text.chars().count();
            if length == 0 {
                self.error(
                    field,
                    "the suggestion is empty: write something or remove it".to_string(),
                );
            } else if length > max_length {
                self.error(
                    field,
                    format!(
                        "the suggestion has {length} characters but round `{}` allows at most {max_length}",
                        self.round.id
                    ),
                );
            }
            trimmed.push(text.to_string());
        }
        trimmed
    }

    fn choices(&mut self, choices: &[PairChoice], limit: usize) {
        if !self.not_empty("choices", choices.len(), "choice") {
            return;
        }
        if choices.len() > limit {
            self.error(
                "choices",
                format!(
                    "the answer makes {} choices, but round `{}` takes at most {limit}",
                    choices.len(),
                    self.round.id
                ),
            );
            return;
        }
        for (index, choice) in choices.iter().enumerate() {
            let winner = self.item(&format!("choices[{index}].winner"), &choice.winner);
            let loser = self.item(&format!("choices[{index}].loser"), &choice.loser);
            if winner && loser && choice.winner == choice.loser {
                self.error(
                    format!("choices[{index}]"),
                    format!(
                        "`{}` is both winner and loser: a choice is between two different items",
                        choice.winner
                    ),
                );
            }
        }
    }
}

/// Writes answers to one round as exchange-format rows, through [`ResponseWriter`], so that an
/// export is exactly the exchange format (text cells neutralised for spreadsheets).
pub struct AnswerWriter<W: Write> {
    inner: ResponseWriter<W>,
    kind: ResponseKind,
    with_criterion: bool,
}

impl<W: Write> AnswerWriter<W> {
    /// Starts a file for `round` and writes its header; rate rounds with criteria get the
    /// `criterion` column.
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn new(output: W, round: &Round) -> std::io::Result<Self> {
        let kind = ResponseKind::of_round(&round.kind);
        let with_criterion =
            matches!(&round.kind, RoundKind::Rate { criteria, .. } if !criteria.is_empty());
        Ok(AnswerWriter {
            inner: ResponseWriter::new(output, kind, with_criterion)?,
            kind,
            with_criterion,
        })
    }

    /// Writes the rows of one respondent's answer: one per ranked, picked or rated item (per
    /// criterion, with criteria), per choice or per suggestion. Ranks are positions, 1 first.
    ///
    /// The answer is written as it is: answers are checked when they are given (see
    /// [`Answer::check`]), and a stored answer is exported even if the definition changed
    /// since, as long as it has the round's shape.
    ///
    /// # Errors
    /// The writer's I/O error, or an error of kind `InvalidInput` when the answer is of another
    /// kind than the round (or rates by criteria where the round does not, or the reverse).
    pub fn write(&mut self, respondent: &str, group: &str, answer: &Answer) -> std::io::Result<()> {
        let mismatch = || {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "respondent `{respondent}` has {} answers, which do not fit a {} file{}",
                    answer.response_kind(),
                    self.kind,
                    if self.with_criterion {
                        " with criteria"
                    } else {
                        ""
                    }
                ),
            )
        };
        if answer.response_kind() != self.kind {
            return Err(mismatch());
        }
        match answer {
            Answer::Rank(ranking) => {
                for (position, item) in ranking.iter().enumerate() {
                    let rank = u32::try_from(position + 1).map_err(|_| mismatch())?;
                    self.inner.write_rank(respondent, group, item, rank)?;
                }
            }
            Answer::Rate(ratings) => {
                for (item, rating) in ratings {
                    match (rating, self.with_criterion) {
                        (None, false) => {
                            self.inner
                                .write_rating(respondent, group, item, None, None)?;
                        }
                        (Some(Rating::Score(score)), false) => self.inner.write_rating(
                            respondent,
                            group,
                            item,
                            None,
                            Some(RatingValue::Score(*score)),
                        )?,
                        (Some(Rating::Criteria(answers)), true) => {
                            for (criterion, value) in answers {
                                self.inner.write_rating(
                                    respondent,
                                    group,
                                    item,
                                    Some(criterion),
                                    value.map(RatingValue::from),
                                )?;
                            }
                        }
                        _ => return Err(mismatch()),
                    }
                }
            }
            Answer::Pick(picked) => {
                for item in picked {
                    self.inner.write_pick(respondent, group, item)?;
                }
            }
            Answer::Suggest(suggestions) => {
                for text in suggestions {
                    self.inner.write_suggestion(respondent, group, text)?;
                }
            }
            Answer::Pairwise(choices) => {
                for choice in choices {
                    self.inner
                        .write_choice(respondent, group, &choice.winner, &choice.loser)?;
                }
            }
        }
        Ok(())
    }

    /// Flushes and returns the output.
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn finish(self) -> std::io::Result<W> {
        self.inner.finish()
    }
}

#[cfg(test)]
mod tests;
