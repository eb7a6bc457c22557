//! Checking and storing one row of a response file: its ids, its item, rank, rating, choice or
//! text, each checked against the round when there is one.

use super::super::store::{Block, Store};
use super::super::{
    Choice, RankEntry, RatingEntry, RatingValue, ResponseKind, ResponseProblem, restore_formula,
};
use super::{Reader, parse_rank, raw_cell};
use crate::definition::{RoundKind, Scale};
use crate::located::Place;

impl Reader<'_> {
    /// A problem at `line`, in `column` when known.
    pub(super) fn error(
        &self,
        line: u64,
        column: Option<&str>,
        message: String,
    ) -> ResponseProblem {
        ResponseProblem {
            source_name: self.source_name.to_string(),
            line: Some(line),
            context: column.map(|column| Place::Column(column.to_string())),
            message,
        }
    }

    /// A cell as text, trimmed and with a formula guard undone.
    pub(super) fn field<'r>(
        &self,
        record: &'r csv::ByteRecord,
        index: usize,
        name: &str,
        line: u64,
    ) -> Result<&'r str, ResponseProblem> {
        let bytes = record.get(index).unwrap_or_default();
        let text = std::str::from_utf8(bytes).map_err(|_| {
            self.error(
                line,
                Some(name),
                "the text is not valid UTF-8 (save the file as UTF-8)".to_string(),
            )
        })?;
        Ok(restore_formula(text.trim()))
    }

    /// A cell that holds an id, which may not be empty.
    fn id_field<'r>(
        &self,
        record: &'r csv::ByteRecord,
        index: usize,
        name: &str,
        line: u64,
    ) -> Result<&'r str, ResponseProblem> {
        let text = self.field(record, index, name, line)?;
        if text.is_empty() {
            return Err(self.error(line, Some(name), format!("the {name} is empty")));
        }
        Ok(text)
    }

    /// The item a cell names: a known item without further checks, otherwise checked and
    /// (without an exercise) added.
    fn item_cell(
        &mut self,
        record: &csv::ByteRecord,
        index: usize,
        column: &str,
        line: u64,
    ) -> Result<u32, ResponseProblem> {
        if let Some(item) = self.items.get(raw_cell(record, index)) {
            return Ok(item);
        }
        let name = self.id_field(record, index, column, line)?;
        self.item(name, column, line)
    }

    /// The item an id names: known, or (without an exercise) added.
    pub(super) fn item(
        &mut self,
        name: &str,
        column: &str,
        line: u64,
    ) -> Result<u32, ResponseProblem> {
        if let Some(index) = self.items.get(name.as_bytes()) {
            return Ok(index);
        }
        if let Some(against) = self.against {
            let listed: Vec<&str> = against
                .exercise
                .round_items(against.round)
                .map(|item| item.id.as_str())
                .collect();
            let message = if against.exercise.item(name).is_some() {
                format!(
                    "item `{name}` is not one of round `{}`'s items ({})",
                    against.round.id,
                    listed.join(", ")
                )
            } else {
                format!(
                    "item `{name}` is not an item of exercise `{}` (round `{}` asks about: {})",
                    against.exercise.id,
                    against.round.id,
                    listed.join(", ")
                )
            };
            return Err(self.error(line, Some(column), message));
        }
        Ok(self.items.intern(name))
    }

    /// The group an id names: known, or (without an exercise) added.
    fn group(&mut self, name: &str, line: u64) -> Result<u32, ResponseProblem> {
        if let Some(group) = self.groups.get(name.as_bytes()) {
            return Ok(group);
        }
        match self.against {
            Some(against) => Err(self.error(
                line,
                Some("group"),
                format!(
                    "group `{name}` is not a group of exercise `{}` (its groups are: {})",
                    against.exercise.id,
                    against
                        .exercise
                        .groups
                        .iter()
                        .map(|group| group.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            None => Ok(self.groups.intern(name)),
        }
    }

    /// Finds or adds the respondent of a row, checking that they stay in one group. The usual
    /// case, a row of the same respondent and group as the row before, costs two comparisons
    /// of bytes.
    fn respondent(&mut self, record: &csv::ByteRecord, line: u64) -> Result<u32, ResponseProblem> {
        let columns = self.columns;
        let respondent_cell = raw_cell(record, columns.respondent);
        let group_cell = raw_cell(record, columns.group);
        let group = match &self.previous_group {
            Some((previous, index))
                if previous.as_slice() == group_cell && !group_cell.is_empty() =>
            {
                *index
            }
            _ => {
                let group_name = self.id_field(record, columns.group, "group", line)?;
                let group = self.group(group_name, line)?;
                self.previous_group = Some((group_cell.to_vec(), group));
                group
            }
        };
        let known = match self.previous_respondent {
            Some(index) if self.respondents.names[index as usize].as_bytes() == respondent_cell => {
                Some(index)
            }
            _ => self.respondents.get(respondent_cell),
        };
        let respondent = match known {
            Some(respondent) if !respondent_cell.is_empty() => {
                let first_group = self.respondent_groups[respondent as usize];
                if first_group != group {
                    return Err(self.error(
                        line,
                        Some("group"),
                        format!(
                            "respondent `{}` is in group `{}` here but in group `{}` at line {}: a respondent belongs to one group",
                            self.respondents.names[respondent as usize],
                            self.groups.names[group as usize],
                            self.groups.names[first_group as usize],
                            self.respondent_lines[respondent as usize]
                        ),
                    ));
                }
                respondent
            }
            _ => {
                let name = self.id_field(record, columns.respondent, "respondent", line)?;
                let respondent = self.respondents.intern(name);
                self.respondent_groups.push(group);
                self.respondent_lines.push(line);
                respondent
            }
        };
        if self.previous_respondent != Some(respondent) {
            self.previous_respondent = Some(respondent);
            self.blocks.push(Block {
                respondent,
                start: self.store.len(),
            });
        }
        Ok(respondent)
    }

    /// Checks one row and stores its answer, or records its problem and goes on, so that one
    /// read finds every bad row.
    #[inline]
    pub(super) fn row(&mut self, record: &csv::ByteRecord, line: u64) {
        if let Err(problem) = self.checked_row(record, line) {
            self.problems.push(problem);
        }
    }

    /// Checks one row and stores its answer; the whole row is checked before anything of it
    /// is stored, so a bad row leaves no answer behind.
    fn checked_row(&mut self, record: &csv::ByteRecord, line: u64) -> Result<(), ResponseProblem> {
        if record.len() != self.columns.width {
            return Err(self.error(
                line,
                None,
                format!(
                    "the row has {} fields but the header has {}",
                    record.len(),
                    self.columns.width
                ),
            ));
        }
        let columns = self.columns;
        // Empty ids are reported before anything else in the row.
        if raw_cell(record, columns.respondent).is_empty() {
            self.id_field(record, columns.respondent, "respondent", line)?;
        }
        if raw_cell(record, columns.group).is_empty() {
            self.id_field(record, columns.group, "group", line)?;
        }
        let line_number = u32::try_from(line).map_err(|_| {
            self.error(
                line,
                None,
                "the file has more than 4,294,967,295 lines".to_string(),
            )
        })?;
        match self.kind {
            ResponseKind::Ranking => self.ranking_row(record, line)?,
            ResponseKind::Rating => self.rating_row(record, line)?,
            ResponseKind::Pick => {
                let item = self.item_cell(record, columns.item.unwrap_or(0), "item", line)?;
                self.respondent(record, line)?;
                if let Store::Pick(entries) = &mut self.store {
                    entries.push(item);
                }
            }
            ResponseKind::Pairwise => self.pairwise_row(record, line)?,
            ResponseKind::Suggestions => self.suggestion_row(record, line)?,
        }
        self.lines.push(line_number);
        // Last, once the answer and its line are stored: a bad cell here fails the file, and
        // the answer checks at the end of the read need every stored answer's line.
        if let (Some(index), Some(respondent)) = (columns.shown_order, self.previous_respondent) {
            self.shown_cell(record, index, respondent, line)?;
        }
        Ok(())
    }

    /// Checks and stores a row of a ranking file: an item and a rank within the round's top.
    fn ranking_row(&mut self, record: &csv::ByteRecord, line: u64) -> Result<(), ResponseProblem> {
        let columns = self.columns;
        let item = self.item_cell(record, columns.item.unwrap_or(0), "item", line)?;
        let rank = match parse_rank(raw_cell(record, columns.rank.unwrap_or(0))) {
            Some(rank) => rank,
            None => {
                let rank_text = self.field(record, columns.rank.unwrap_or(0), "rank", line)?;
                return Err(self.error(
                    line,
                    Some("rank"),
                    format!(
                        "`{rank_text}` is not a positive whole number (rank 1 is most important)"
                    ),
                ));
            }
        };
        if let Some(against) = self.against
            && let RoundKind::Rank { top_k } = against.round.kind
            && rank > top_k
        {
            return Err(self.error(
                line,
                Some("rank"),
                format!(
                    "rank {rank} is beyond the top {top_k} that round `{}` asks for",
                    against.round.id
                ),
            ));
        }
        self.respondent(record, line)?;
        if let Store::Ranking(entries) = &mut self.store {
            entries.push(RankEntry { item, rank });
        }
        Ok(())
    }

    /// Checks and stores a row of a rating file: an item, a criterion where the round has
    /// criteria, and a rating.
    fn rating_row(&mut self, record: &csv::ByteRecord, line: u64) -> Result<(), ResponseProblem> {
        let columns = self.columns;
        let item = self.item_cell(record, columns.item.unwrap_or(0), "item", line)?;
        let criterion = match columns.criterion {
            Some(index) => Some(self.criterion(record, index, line)?),
            None => None,
        };
        if let Some(against) = self.against
            && let RoundKind::Rate { criteria, .. } = &against.round.kind
            && !criteria.is_empty()
            && criterion.is_none()
        {
            return Err(self.error(
                line,
                None,
                format!(
                    "round `{}` rates items against criteria, so the file needs a `criterion` column",
                    against.round.id
                ),
            ));
        }
        let value = self.rating(record, columns.rating.unwrap_or(0), line)?;
        self.respondent(record, line)?;
        if let Store::Rating(entries) = &mut self.store {
            entries.push(RatingEntry {
                item,
                criterion,
                value,
            });
        }
        Ok(())
    }

    /// Checks and stores a row of a pairwise file: two different items.
    fn pairwise_row(&mut self, record: &csv::ByteRecord, line: u64) -> Result<(), ResponseProblem> {
        let columns = self.columns;
        let winner_name = self.id_field(record, columns.winner.unwrap_or(0), "winner", line)?;
        let loser_name = self.id_field(record, columns.loser.unwrap_or(0), "loser", line)?;
        if winner_name == loser_name {
            return Err(self.error(
                line,
                Some("loser"),
                format!("the winner and the loser are both `{winner_name}`: a choice is between two different items"),
            ));
        }
        let winner = self.item(winner_name, "winner", line)?;
        let loser = self.item(loser_name, "loser", line)?;
        self.respondent(record, line)?;
        if let Store::Pairwise(entries) = &mut self.store {
            entries.push(Choice { winner, loser });
        }
        Ok(())
    }

    /// Checks and stores a row of a suggestions file: a text, not empty and within the round's
    /// length.
    fn suggestion_row(
        &mut self,
        record: &csv::ByteRecord,
        line: u64,
    ) -> Result<(), ResponseProblem> {
        let text = self.field(record, self.columns.text.unwrap_or(0), "text", line)?;
        if text.is_empty() {
            return Err(self.error(line, Some("text"), "the suggestion is empty".to_string()));
        }
        if let Some(against) = self.against
            && let Some(max_length) = against.round.answer_limits().max_length
        {
            let length = text.chars().count();
            if length > max_length {
                return Err(self.error(
                    line,
                    Some("text"),
                    format!("the suggestion has {length} characters but round `{}` allows at most {max_length}", against.round.id),
                ));
            }
        }
        let text = text.to_string();
        self.respondent(record, line)?;
        if let Store::Suggestions(entries) = &mut self.store {
            entries.push(text);
        }
        Ok(())
    }

    /// The criterion a cell names: known, or (without an exercise) added.
    fn criterion(
        &mut self,
        record: &csv::ByteRecord,
        index: usize,
        line: u64,
    ) -> Result<u32, ResponseProblem> {
        let name = self.id_field(record, index, "criterion", line)?;
        if let Some(criterion) = self.criteria.get(name.as_bytes()) {
            return Ok(criterion);
        }
        if let Some(against) = self.against
            && let RoundKind::Rate { criteria, .. } = &against.round.kind
        {
            if criteria.is_empty() {
                return Err(self.error(
                    line,
                    Some("criterion"),
                    format!(
                        "round `{}` has no criteria, but the row names criterion `{name}`",
                        against.round.id
                    ),
                ));
            }
            // Every criterion of the round was interned up front, so this one is unknown.
            return Err(self.error(
                line,
                Some("criterion"),
                format!(
                    "criterion `{name}` is not a criterion of round `{}` (its criteria are: {})",
                    against.round.id,
                    criteria
                        .iter()
                        .map(|criterion| criterion.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        Ok(self.criteria.intern(name))
    }

    /// The rating a cell holds, `None` for "don't know", checked against the round's scale.
    fn rating(
        &self,
        record: &csv::ByteRecord,
        index: usize,
        line: u64,
    ) -> Result<Option<RatingValue>, ResponseProblem> {
        let text = self.field(record, index, "rating", line)?;
        if text.is_empty() {
            if let Some(against) = self.against
                && let RoundKind::Rate {
                    allow_dont_know: false,
                    ..
                } = against.round.kind
            {
                return Err(self.error(
                    line,
                    Some("rating"),
                    format!(
                        "the rating is empty (\"don't know\"), which round `{}` does not allow",
                        against.round.id
                    ),
                ));
            }
            return Ok(None);
        }
        let Some(value) = RatingValue::parse(text) else {
            return Err(self.error(
                line,
                Some("rating"),
                format!("`{text}` is not a rating: expected a whole number, `yes`, `undecided`, `no`, or nothing for \"don't know\""),
            ));
        };
        if let Some(against) = self.against
            && let RoundKind::Rate { scale, .. } = &against.round.kind
        {
            match (scale, value) {
                (Scale::Numeric { min, max, .. }, RatingValue::Score(score)) => {
                    if !scale.contains(score) {
                        return Err(self.error(
                            line,
                            Some("rating"),
                            format!(
                                "rating {score} is off round `{}`'s scale of {min} to {max}",
                                against.round.id
                            ),
                        ));
                    }
                }
                (Scale::Numeric { min, max, .. }, _) => {
                    return Err(self.error(
                        line,
                        Some("rating"),
                        format!(
                            "`{text}` is not a rating on round `{}`'s scale of {min} to {max}",
                            against.round.id
                        ),
                    ));
                }
                (Scale::YesUndecidedNo, RatingValue::Score(_)) => {
                    return Err(self.error(
                        line,
                        Some("rating"),
                        format!("`{text}` is not an answer to round `{}`'s criteria: expected `yes`, `undecided` or `no`", against.round.id),
                    ));
                }
                (Scale::YesUndecidedNo, _) => {}
            }
        }
        Ok(Some(value))
    }
}
