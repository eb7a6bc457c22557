//! Participation counts and the export of a round's answers in the exchange format.

use std::io::Write;

use rusqlite::params;
use survey::answer::AnswerWriter;
use survey::order::ShownOrder;

use crate::answers::parse_body;
use crate::{Store, StoreError};

/// How many respondents of a group submitted an answer to a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    /// The round id.
    pub round: String,
    /// The group id.
    pub group: String,
    /// Respondents with a submitted answer.
    pub respondents: u64,
}

impl Store {
    /// Respondents with a submitted answer, by round and group (only pairs with at least one).
    ///
    /// # Errors
    /// Database errors.
    pub fn participation(&self, exercise: &str) -> Result<Vec<Participation>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT a.round_id, r.group_id, COUNT(*) FROM answers a
                 JOIN respondents r ON r.id = a.respondent_id
                 WHERE a.exercise_id = ?1 AND a.submitted = 1 AND a.latest = 1
                 GROUP BY a.round_id, r.group_id ORDER BY a.round_id, r.group_id",
            )?;
            let rows = statement
                .query_map(params![exercise], |row| {
                    Ok(Participation {
                        round: row.get(0)?,
                        group: row.get(1)?,
                        respondents: row.get::<_, i64>(2)? as u64,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
    }

    /// Writes the current submitted answers of a round in the exchange format (through
    /// `survey`'s writer, text neutralised for spreadsheets), streaming, in submission order.
    /// Respondents are written as their pseudonyms ([`Store::pseudonyms`]), never by id.
    /// Returns the output and the number of respondents written.
    ///
    /// # Errors
    /// [`StoreError::UnknownExercise`], [`StoreError::UnknownRound`], [`StoreError::Io`] (the
    /// output, or a stored answer that no longer fits the round's shape), database errors.
    pub fn export_round<W: Write>(
        &self,
        exercise: &str,
        round: &str,
        output: W,
    ) -> Result<(W, u64), StoreError> {
        let stored = self
            .exercise(exercise)?
            .ok_or_else(|| StoreError::UnknownExercise(exercise.to_string()))?;
        let round_definition =
            stored
                .exercise
                .round(round)
                .ok_or_else(|| StoreError::UnknownRound {
                    exercise: exercise.to_string(),
                    round: round.to_string(),
                })?;
        // The `shown_order` column is written only when some answer recorded its order, so
        // that files of rounds answered before orders were recorded keep their old header.
        let with_shown_order = self.read(|connection| {
            Ok(connection
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM answers
                     WHERE exercise_id = ?1 AND round_id = ?2 AND submitted = 1 AND latest = 1
                       AND shown_order IS NOT NULL)",
                )?
                .query_row(params![exercise, round], |row| row.get::<_, bool>(0))?)
        })?;
        let mut writer =
            AnswerWriter::with_shown_order(output, round_definition, with_shown_order)?;
        let count = self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT a.respondent_id, r.group_id, a.body, a.shown_order FROM answers a
                 JOIN respondents r ON r.id = a.respondent_id
                 WHERE a.exercise_id = ?1 AND a.round_id = ?2 AND a.submitted = 1 AND a.latest = 1
                 ORDER BY a.id",
            )?;
            let mut rows = statement.query(params![exercise, round])?;
            let mut count = 0u64;
            while let Some(row) = rows.next()? {
                let respondent = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
                let group = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
                let body = row.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
                let answer = parse_body(body)?;
                let shown_order = row
                    .get_ref(3)?
                    .as_str_or_null()
                    .map_err(rusqlite::Error::from)?
                    .and_then(ShownOrder::from_json);
                writer.write_shown(
                    &self.pseudonyms().of(respondent),
                    group,
                    &answer,
                    shown_order.as_ref(),
                )?;
                count += 1;
            }
            Ok(count)
        })?;
        Ok((writer.finish()?, count))
    }
}
