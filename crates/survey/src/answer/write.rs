//! Writing answers as exchange-format rows: [`AnswerWriter`].

use std::io::Write;

use super::{Answer, Rating};
use crate::definition::{Round, RoundKind};
use crate::order::ShownOrder;
use crate::responses::{RatingValue, ResponseKind, ResponseWriter};

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
        Self::with_shown_order(output, round, false)
    }

    /// Starts a file for `round` as [`AnswerWriter::new`] does, with the optional
    /// `shown_order` column when `with_shown_order` is true (see
    /// [`AnswerWriter::write_shown`]).
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn with_shown_order(
        output: W,
        round: &Round,
        with_shown_order: bool,
    ) -> std::io::Result<Self> {
        let kind = ResponseKind::of_round(&round.kind);
        let with_criterion =
            matches!(&round.kind, RoundKind::Rate { criteria, .. } if !criteria.is_empty());
        Ok(AnswerWriter {
            inner: ResponseWriter::with_columns(output, kind, with_criterion, with_shown_order)?,
            kind,
            with_criterion,
        })
    }

    /// Writes the rows of one respondent's answer as [`AnswerWriter::write`] does, with the
    /// order they were shown in the `shown_order` column (when the file has it): the item ids
    /// as shown on every row, or for a pairwise answer each choice's pair as shown, taken
    /// from the recorded pair at the same place when it is the choice's pair.
    ///
    /// # Errors
    /// As [`AnswerWriter::write`].
    pub fn write_shown(
        &mut self,
        respondent: &str,
        group: &str,
        answer: &Answer,
        shown: Option<&ShownOrder>,
    ) -> std::io::Result<()> {
        match (shown, answer) {
            (Some(ShownOrder::Pairs(pairs)), Answer::Pairwise(choices)) => {
                if answer.response_kind() != self.kind {
                    return self.write(respondent, group, answer);
                }
                for (index, choice) in choices.iter().enumerate() {
                    let cell = match pairs.get(index) {
                        Some([first, second])
                            if (*first == choice.winner && *second == choice.loser)
                                || (*first == choice.loser && *second == choice.winner) =>
                        {
                            format!("{first} {second}")
                        }
                        _ => String::new(),
                    };
                    self.inner.set_shown(&cell);
                    self.inner
                        .write_choice(respondent, group, &choice.winner, &choice.loser)?;
                }
                self.inner.set_shown("");
                Ok(())
            }
            (Some(ShownOrder::Items(items)), _) => {
                self.inner.set_shown(&items.join(" "));
                let written = self.write(respondent, group, answer);
                self.inner.set_shown("");
                written
            }
            _ => self.write(respondent, group, answer),
        }
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
