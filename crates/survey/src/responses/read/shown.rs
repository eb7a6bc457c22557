//! The optional `shown_order` column: the order a respondent was shown the items, or the side
//! each pair was shown in.

use super::super::store::Store;
use super::super::{ResponseKind, ResponseProblem, Shown, ShownChoice};
use super::Reader;

impl Reader<'_> {
    /// Reads the `shown_order` cell of a row whose answer has just been stored, for
    /// `respondent`. An empty cell records nothing.
    pub(super) fn shown_cell(
        &mut self,
        record: &csv::ByteRecord,
        index: usize,
        respondent: u32,
        line: u64,
    ) -> Result<(), ResponseProblem> {
        const COLUMN: &str = "shown_order";
        let text = self.field(record, index, COLUMN, line)?.to_string();
        if text.is_empty() {
            return Ok(());
        }
        let mut shown = Vec::new();
        for id in text.split_whitespace() {
            let item = self.item(id, COLUMN, line)?;
            if shown.contains(&item) {
                return Err(self.error(
                    line,
                    Some(COLUMN),
                    format!("the shown order names `{id}` twice"),
                ));
            }
            shown.push(item);
        }
        let slot = respondent as usize;
        if self.shown.len() <= slot {
            self.shown.resize(slot + 1, Shown::NotRecorded);
            self.shown_lines.resize(slot + 1, 0);
        }
        if self.kind == ResponseKind::Pairwise {
            let Store::Pairwise(choices) = &self.store else {
                return Ok(());
            };
            let choice = *choices.last().expect("the row's choice was just stored");
            let winner_first = match shown.as_slice() {
                [first, second] if *first == choice.winner && *second == choice.loser => true,
                [first, second] if *first == choice.loser && *second == choice.winner => false,
                _ => {
                    return Err(self.error(
                        line,
                        Some(COLUMN),
                        format!(
                            "`{text}` is not the row's pair as shown: give the winner and the loser, the one shown first before the other"
                        ),
                    ));
                }
            };
            let entry = ShownChoice {
                choice,
                winner_first,
            };
            match &mut self.shown[slot] {
                Shown::Pairs(entries) => entries.push(entry),
                other => *other = Shown::Pairs(vec![entry]),
            }
            return Ok(());
        }
        match &self.shown[slot] {
            Shown::Items(earlier) if *earlier != shown => Err(self.error(
                line,
                Some(COLUMN),
                format!(
                    "the shown order differs from the one given for the same respondent at line {}: a respondent was shown one order",
                    self.shown_lines[slot]
                ),
            )),
            Shown::Items(_) => Ok(()),
            _ => {
                self.shown[slot] = Shown::Items(shown);
                self.shown_lines[slot] = line;
                Ok(())
            }
        }
    }
}
