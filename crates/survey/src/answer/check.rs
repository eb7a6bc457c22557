//! The checks of an answer against its round ([`Answer::check`]), every problem named by
//! its field.

use std::collections::BTreeMap;

use super::{
    Answer, AnswerError, AnswerErrors, CheckedAnswer, CriterionAnswer, MAX_REPORTED_ERRORS,
    PairChoice, Rating, shorten,
};
use crate::definition::{Criterion, Exercise, Round, RoundKind, Scale};
use crate::responses::{ResponseKind, first_refused_control};

/// Checks `answer` against `round` of `exercise`; see [`Answer::check`].
pub(super) fn check_answer(
    answer: &Answer,
    exercise: &Exercise,
    round: &Round,
) -> Result<CheckedAnswer, AnswerErrors> {
    let mut checker = AnswerChecker {
        exercise,
        round,
        errors: Vec::new(),
        more: 0,
    };
    let round_kind = ResponseKind::of_round(&round.kind);
    if round_kind != answer.response_kind() {
        let wanted = match round.kind {
            RoundKind::Rank { .. } => "ranking",
            RoundKind::Rate { .. } => "ratings",
            RoundKind::Pick { .. } => "picked",
            RoundKind::Suggest { .. } => "suggestions",
            RoundKind::Pairwise { .. } => "choices",
        };
        checker.error(
            answer.field(),
            format!(
                "round `{}` is a {} round, so the answer needs `{wanted}`, not `{}`",
                round.id,
                round.kind.name(),
                answer.field()
            ),
        );
        return Err(checker.finish());
    }
    let limits = round.answer_limits();
    let most_entries = limits.most_entries.unwrap_or(usize::MAX);
    let checked = match (answer, &round.kind) {
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

/// The checks of one answer, collecting problems up to [`MAX_REPORTED_ERRORS`].
struct AnswerChecker<'a> {
    exercise: &'a Exercise,
    round: &'a Round,
    errors: Vec<AnswerError>,
    more: usize,
}

impl AnswerChecker<'_> {
    /// Records a problem under `field`, or counts it beyond the limit.
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

    /// The problems found.
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

    /// Whether an answer has entries; reports it when empty.
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

    /// Ratings: not more than the round's items, each of a known item, on the scale or
    /// answering exactly the round's criteria, "don't know" only where allowed.
    fn ratings(
        &mut self,
        ratings: &BTreeMap<String, Option<Rating>>,
        scale: &Scale,
        allow_dont_know: bool,
        criteria: &[Criterion],
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
        for (item, rating) in ratings {
            let field = format!("ratings.{}", shorten(item));
            if !self.item(&field, item) {
                continue;
            }
            self.rating(field, rating.as_ref(), scale, allow_dont_know, criteria);
        }
    }

    /// Reports `null` (don't know) under `field` where the round does not allow it.
    fn dont_know(&mut self, field: String, allow_dont_know: bool) {
        if !allow_dont_know {
            self.error(
                field,
                format!(
                    "`null` (don't know) is not allowed in round `{}`: give a rating",
                    self.round.id
                ),
            );
        }
    }

    /// One item's rating, under `field`: of the shape the round takes and on its scale.
    fn rating(
        &mut self,
        field: String,
        rating: Option<&Rating>,
        scale: &Scale,
        allow_dont_know: bool,
        criteria: &[Criterion],
    ) {
        match (rating, criteria.is_empty()) {
            (None, true) => self.dont_know(field, allow_dont_know),
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
                self.criterion_answers(&field, answers, allow_dont_know, criteria);
            }
        }
    }

    /// One item's criterion answers, under `field`: each a criterion of the round, every
    /// criterion answered.
    fn criterion_answers(
        &mut self,
        field: &str,
        answers: &BTreeMap<String, Option<CriterionAnswer>>,
        allow_dont_know: bool,
        criteria: &[Criterion],
    ) {
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
                self.dont_know(criterion_field, allow_dont_know);
            }
        }
        for criterion in criteria {
            if !answers.contains_key(criterion.id.as_str()) {
                self.error(
                    field.to_string(),
                    format!(
                        "criterion `{}` is not answered: give `yes`, `undecided`, `no`{}",
                        criterion.id,
                        if allow_dont_know { " or null" } else { "" }
                    ),
                );
            }
        }
    }

    /// Suggestions: not too many, none empty, too long or holding a control character
    /// ([`first_refused_control`]). Returns them trimmed.
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
            } else if let Some(control) = first_refused_control(text) {
                self.error(
                    field,
                    format!(
                        "the suggestion holds a control character (U+{:04X}), which cannot be saved: remove it",
                        u32::from(control)
                    ),
                );
            }
            trimmed.push(text.to_string());
        }
        trimmed
    }

    /// Choices: not too many, each between two different items of the round.
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
