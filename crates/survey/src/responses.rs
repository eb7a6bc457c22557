//! The responses exchange format (DESIGN.md, "Responses exchange format"): CSV, UTF-8, with a
//! header that tells the kind of answers the file holds.
//!
//! | kind        | header                                  |
//! |-------------|-----------------------------------------|
//! | ranking     | `respondent,group,item,rank`            |
//! | rating      | `respondent,group,item,rating` (+ optional `criterion`) |
//! | pick        | `respondent,group,item`                 |
//! | pairwise    | `respondent,group,winner,loser`         |
//! | suggestions | `respondent,group,text`                 |
//!
//! Any kind but suggestions may add a `shown_order` column: the order the respondent was shown
//! the items, as item ids separated by spaces (the same on each of the respondent's rows; an
//! empty cell means not recorded), or in a pairwise file the row's pair as shown, the item
//! shown first before the other (`b a`). It is written only when an order was recorded.
//!
//! Columns may come in any order; extra columns are ignored with a note. Spaces around a cell
//! are removed, and blank lines are skipped. A UTF-8 byte order
//! mark, CRLF line ends and quoted fields (with embedded commas, quotes and line breaks) are
//! accepted. Reading streams the input: the file is never held in memory as text, only the
//! answers it holds, compactly.
//!
//! # Rules
//! - A bad row fails the whole file with its line number, the column and the reason; nothing is
//!   returned half-loaded. Every bad row is reported, up to [`MAX_LISTED_PROBLEMS`], then a
//!   count of the rest, so that one run shows all there is to fix.
//! - A file separated by semicolons or tabs, and a workbook saved under a `.csv` name, are
//!   refused with a message that says so, rather than with the header's problems.
//! - A respondent belongs to one group; a respondent's rows need not be consecutive.
//! - Ranks are positive integers; rank 1 is most important. Equal ranks are a tie. **Gap
//!   policy:** ranks are read as an order, not as positions, so gaps are closed: `1, 2, 4` means
//!   the same as `1, 2, 3`, and `1, 1, 3` the same as `1, 1, 2` (two items tied first, one
//!   third). Checked against an exercise, a rank may not exceed the round's `top_k`, and no
//!   respondent may rank more than `top_k` items.
//! - The same item may not appear twice for a respondent (twice for the same criterion, in
//!   rating files); the same pair may be chosen more than once in pairwise files, as repeated
//!   comparisons are the point of that kind of round.
//! - An empty rating means "don't know".
//! - Text cells that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`,
//!   a tab or a carriage return) are written with a leading `'`, which reading removes again;
//!   see [`neutralise_formula`].

mod error;
mod formula;
mod header;
mod read;
mod store;
mod write;

use std::fmt;
use std::ops::Range;

use crate::definition::{Exercise, Round, RoundKind};

pub use error::{MAX_LISTED_PROBLEMS, ResponseProblem, ResponsesError};
pub use formula::{first_refused_control, is_refused_control, neutralise_formula, restore_formula};
pub use read::read_responses;
pub use write::SHOWN_ORDER_COLUMN;
pub use write::{ResponseWriter, write_responses};

/// The kind of answers an exchange file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseKind {
    /// `respondent,group,item,rank`.
    Ranking,
    /// `respondent,group,item,rating`, optionally with `criterion`.
    Rating,
    /// `respondent,group,item`.
    Pick,
    /// `respondent,group,winner,loser`.
    Pairwise,
    /// `respondent,group,text`.
    Suggestions,
}

impl ResponseKind {
    /// The lowercase name: `ranking`, `rating`, `pick`, `pairwise` or `suggestions`.
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseKind::Ranking => "ranking",
            ResponseKind::Rating => "rating",
            ResponseKind::Pick => "pick",
            ResponseKind::Pairwise => "pairwise",
            ResponseKind::Suggestions => "suggestions",
        }
    }

    /// The header this kind is written with.
    pub fn header(self, with_criterion: bool) -> &'static [&'static str] {
        match (self, with_criterion) {
            (ResponseKind::Ranking, _) => &["respondent", "group", "item", "rank"],
            (ResponseKind::Rating, false) => &["respondent", "group", "item", "rating"],
            (ResponseKind::Rating, true) => &["respondent", "group", "item", "criterion", "rating"],
            (ResponseKind::Pick, _) => &["respondent", "group", "item"],
            (ResponseKind::Pairwise, _) => &["respondent", "group", "winner", "loser"],
            (ResponseKind::Suggestions, _) => &["respondent", "group", "text"],
        }
    }

    /// The kind of answers a round collects.
    pub fn of_round(kind: &RoundKind) -> ResponseKind {
        match kind {
            RoundKind::Suggest { .. } => ResponseKind::Suggestions,
            RoundKind::Rate { .. } => ResponseKind::Rating,
            RoundKind::Rank { .. } => ResponseKind::Ranking,
            RoundKind::Pick { .. } => ResponseKind::Pick,
            RoundKind::Pairwise { .. } => ResponseKind::Pairwise,
        }
    }
}

impl fmt::Display for ResponseKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// One rating answer: a point of a numeric scale, or a CHNRI answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RatingValue {
    /// A point of a numeric scale.
    Score(i32),
    /// CHNRI "yes" (1 point).
    Yes,
    /// CHNRI "undecided" (half a point).
    Undecided,
    /// CHNRI "no" (no points).
    No,
}

impl RatingValue {
    /// Reads `7`, `yes`, `undecided` or `no` (case-insensitive).
    pub fn parse(text: &str) -> Option<RatingValue> {
        if let Ok(score) = text.parse::<i32>() {
            return Some(RatingValue::Score(score));
        }
        match text.to_ascii_lowercase().as_str() {
            "yes" => Some(RatingValue::Yes),
            "undecided" => Some(RatingValue::Undecided),
            "no" => Some(RatingValue::No),
            _ => None,
        }
    }
}

impl fmt::Display for RatingValue {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RatingValue::Score(score) => write!(formatter, "{score}"),
            RatingValue::Yes => formatter.write_str("yes"),
            RatingValue::Undecided => formatter.write_str("undecided"),
            RatingValue::No => formatter.write_str("no"),
        }
    }
}

/// An item as a response file knows it: its id and, where known, a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemInfo {
    /// The item id.
    pub id: String,
    /// A human label (from an exercise definition or a PrefLib file), if known.
    pub label: Option<String>,
}

impl ItemInfo {
    /// The label, or the id where there is no label.
    pub fn label_or_id(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.id)
    }
}

/// A respondent: an id, a group, and how many identical ballots the record stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respondent {
    /// The respondent id, as the file gives it.
    pub id: String,
    /// Index into [`Responses::groups`].
    pub group: u32,
    /// How many identical ballots this record stands for: 1 in exchange files; a PrefLib line
    /// `500: 3,1,2` is one record standing for 500 ballots.
    pub count: u32,
}

/// One ranked item of a ranking answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankEntry {
    /// Index into [`Responses::items`].
    pub item: u32,
    /// The rank as given (1 is most important; equal ranks are a tie).
    pub rank: u32,
}

/// One rating of a rating answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatingEntry {
    /// Index into [`Responses::items`].
    pub item: u32,
    /// Index into [`Responses::criteria`], for multi-criteria rating.
    pub criterion: Option<u32>,
    /// The rating, or `None` for "don't know".
    pub value: Option<RatingValue>,
}

/// One pairwise choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// Index into [`Responses::items`] of the item chosen.
    pub winner: u32,
    /// Index into [`Responses::items`] of the item not chosen.
    pub loser: u32,
}

/// The order one respondent was shown, as a response file records it in its optional
/// `shown_order` column (see [`crate::order`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Shown {
    /// The file records no order for this respondent.
    #[default]
    NotRecorded,
    /// Indices into [`Responses::items`], in the order shown.
    Items(Vec<u32>),
    /// The choices whose pair's order was recorded, each with the side shown first.
    Pairs(Vec<ShownChoice>),
}

/// One pairwise choice with the item shown first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShownChoice {
    /// The choice.
    pub choice: Choice,
    /// Whether the winner was the item shown first (on the left, or on top).
    pub winner_first: bool,
}

/// The answers of all respondents, stored flat: respondent `r`'s answers are at
/// [`Responses::range`]`(r)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Answers {
    /// Ranked items, in rank order within each respondent.
    Ranking(Vec<RankEntry>),
    /// Ratings, in file order within each respondent.
    Rating(Vec<RatingEntry>),
    /// Picked items, in file order within each respondent.
    Pick(Vec<u32>),
    /// Choices, in file order within each respondent.
    Pairwise(Vec<Choice>),
    /// Suggestions, in file order within each respondent.
    Suggestions(Vec<String>),
}

impl Answers {
    fn kind(&self) -> ResponseKind {
        match self {
            Answers::Ranking(_) => ResponseKind::Ranking,
            Answers::Rating(_) => ResponseKind::Rating,
            Answers::Pick(_) => ResponseKind::Pick,
            Answers::Pairwise(_) => ResponseKind::Pairwise,
            Answers::Suggestions(_) => ResponseKind::Suggestions,
        }
    }
}

/// A whole, valid response file (or PrefLib file) in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Responses {
    /// Group ids: the exercise's groups when read against an exercise, otherwise in order of
    /// first appearance.
    pub groups: Vec<String>,
    /// Items: the round's items when read against an exercise, otherwise in order of first
    /// appearance.
    pub items: Vec<ItemInfo>,
    /// Criterion ids of a multi-criteria rating file; empty otherwise.
    pub criteria: Vec<String>,
    /// Respondents, in order of first appearance.
    pub respondents: Vec<Respondent>,
    offsets: Vec<usize>,
    /// The answers, flat; see [`Responses::range`].
    pub answers: Answers,
    /// The order each respondent was shown (one entry per respondent), when the file has a
    /// `shown_order` column; `None` when it has none.
    pub shown: Option<Vec<Shown>>,
}

impl Responses {
    /// Builds a response set from parts.
    ///
    /// # Panics
    /// When `offsets` does not have one more entry than `respondents`, does not start at 0, is
    /// not non-decreasing, or does not end at the number of answers. Callers inside this crate
    /// build offsets as they append answers, so this is a programming error, not bad input.
    pub(crate) fn from_parts(
        groups: Vec<String>,
        items: Vec<ItemInfo>,
        criteria: Vec<String>,
        respondents: Vec<Respondent>,
        offsets: Vec<usize>,
        answers: Answers,
    ) -> Responses {
        let answer_count = match &answers {
            Answers::Ranking(entries) => entries.len(),
            Answers::Rating(entries) => entries.len(),
            Answers::Pick(entries) => entries.len(),
            Answers::Pairwise(entries) => entries.len(),
            Answers::Suggestions(entries) => entries.len(),
        };
        assert_eq!(
            offsets.len(),
            respondents.len() + 1,
            "one offset per respondent, plus one"
        );
        assert_eq!(offsets.first(), Some(&0));
        assert_eq!(offsets.last(), Some(&answer_count));
        assert!(offsets.windows(2).all(|pair| pair[0] <= pair[1]));
        Responses {
            groups,
            items,
            criteria,
            respondents,
            offsets,
            answers,
            shown: None,
        }
    }

    /// The same responses with the order each respondent was shown (one entry per
    /// respondent).
    ///
    /// # Panics
    /// When `shown` does not have one entry per respondent (a programming error).
    pub(crate) fn with_shown(mut self, shown: Vec<Shown>) -> Responses {
        assert_eq!(
            shown.len(),
            self.respondents.len(),
            "one order per respondent"
        );
        self.shown = Some(shown);
        self
    }

    /// Whether any respondent's shown order is recorded.
    pub fn has_shown_order(&self) -> bool {
        self.shown
            .as_ref()
            .is_some_and(|shown| shown.iter().any(|entry| *entry != Shown::NotRecorded))
    }

    /// The kind of answers held.
    pub fn kind(&self) -> ResponseKind {
        self.answers.kind()
    }

    /// Where respondent `respondent`'s answers are in [`Responses::answers`].
    pub fn range(&self, respondent: usize) -> Range<usize> {
        self.offsets[respondent]..self.offsets[respondent + 1]
    }

    /// The number of ballots: the sum of the respondents' counts.
    pub fn ballot_count(&self) -> u64 {
        self.respondents
            .iter()
            .map(|respondent| u64::from(respondent.count))
            .sum()
    }
}

/// What a successful read returns: the responses, and notes worth telling the user (ignored
/// columns, for example).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOutcome {
    /// The responses.
    pub responses: Responses,
    /// Notes for the user; reading succeeded regardless.
    pub notes: Vec<String>,
}

/// The exercise and round a file is checked against.
#[derive(Debug, Clone, Copy)]
pub struct Against<'a> {
    /// The exercise definition.
    pub exercise: &'a Exercise,
    /// The round the answers belong to.
    pub round: &'a Round,
}

impl<'a> Against<'a> {
    /// Picks the round of `exercise` that a file of `kind` belongs to: the named round, or the
    /// only round of that kind.
    ///
    /// # Errors
    /// A message when the named round does not exist or is of another kind, or when no round
    /// or several rounds collect answers of that kind and none is named.
    pub fn choose(
        exercise: &'a Exercise,
        round_id: Option<&str>,
        kind: ResponseKind,
    ) -> Result<Against<'a>, String> {
        let round = match round_id {
            Some(id) => exercise.round(id).ok_or_else(|| {
                format!(
                    "exercise `{}` has no round `{id}` (its rounds are: {})",
                    exercise.id,
                    exercise.round_ids()
                )
            })?,
            None => {
                let matching: Vec<&'a Round> = exercise
                    .rounds
                    .iter()
                    .filter(|round| ResponseKind::of_round(&round.kind) == kind)
                    .collect();
                match matching.as_slice() {
                    [round] => *round,
                    [] => {
                        return Err(format!(
                            "exercise `{}` has no round that collects {kind} answers (its rounds are: {})",
                            exercise.id,
                            exercise.round_ids()
                        ));
                    }
                    several => {
                        return Err(format!(
                            "exercise `{}` has several rounds that collect {kind} answers ({}): name one with --round",
                            exercise.id,
                            several
                                .iter()
                                .map(|round| round.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                }
            }
        };
        let round_kind = ResponseKind::of_round(&round.kind);
        if round_kind != kind {
            return Err(format!(
                "round `{}` collects {round_kind} answers, but the file holds {kind} answers",
                round.id
            ));
        }
        Ok(Against { exercise, round })
    }
}

#[cfg(test)]
mod tests;
