//! Participation by group and round, with drop-out between rounds.

use crate::numbers;
use std::collections::HashMap;

use survey::responses::Responses;

use super::super::document::{Align, Table};
use super::super::{ReportError, RoundData};
use crate::charts::{ParticipationChart, ParticipationGroup};

use super::{Builder, GroupLine, PooledGroups, people, round_pool};

impl Builder<'_> {
    pub(super) fn participation(&mut self) -> Result<(), ReportError> {
        self.document
            .heading(2, "participation", "Participation by group and round");
        if self.rounds.is_empty() {
            self.document.paragraph("No responses were given.");
            return Ok(());
        }
        let exercise = self.input.exercise;
        let (group_ids, counts) = self.respondents_by_group_and_round();
        let round_names: Vec<String> = self
            .rounds
            .iter()
            .map(|&(index, data)| Self::round_name(index, data.round))
            .collect();
        // One pool for the whole table, its chart and the drop-out tables: a group pooled in
        // any round is counted with the other groups in every round (see
        // `PooledGroups::union`), so no column, and no drop-out count, differs from another
        // round's by a pooled group alone.
        let pool = self
            .rounds
            .iter()
            .fold(PooledGroups::default(), |pool, &(_, data)| {
                pool.union(&round_pool(exercise, data))
            });
        let lines = pool.lines(
            group_ids
                .iter()
                .zip(&counts)
                .map(|(id, row)| (id.as_str(), row.iter().any(|&count| count > 0))),
        );
        let line_counts = |line: &GroupLine| -> Vec<u64> {
            (0..self.rounds.len())
                .map(|column| {
                    pool.sum_for(
                        line,
                        group_ids
                            .iter()
                            .zip(&counts)
                            .map(|(id, row)| (id.as_str(), row[column])),
                    )
                })
                .collect()
        };
        let totals: Vec<u64> = (0..self.rounds.len())
            .map(|column| counts.iter().map(|row| row[column]).sum())
            .collect();
        let mut columns: Vec<(&str, Align)> = vec![("Group", Align::Left)];
        columns.extend(round_names.iter().map(|name| (name.as_str(), Align::Right)));
        let mut table =
            Table::new("Respondents by stakeholder group and round", &columns).row_header(0);
        for line in &lines {
            let mut cells = vec![self.line_label(line)];
            cells.extend(line_counts(line).iter().map(u64::to_string));
            table.push(cells);
        }
        let mut total_cells = vec!["All groups".to_string()];
        total_cells.extend(totals.iter().map(u64::to_string));
        table.push(total_cells);
        self.document.table(table);
        self.pool_note(&pool, lines.contains(&GroupLine::Pool));

        for pair in self.rounds.windows(2) {
            let (from_index, from) = pair[0];
            let (to_index, to) = pair[1];
            self.dropout(from_index, from, to_index, to, &group_ids, &pool);
        }

        let chart_groups: Vec<ParticipationGroup> =
            if !lines.contains(&GroupLine::Pool) && !pool.is_empty() {
                // Every group with people is pooled: only all groups together may be drawn.
                vec![ParticipationGroup {
                    label: "All groups".to_string(),
                    counts: totals,
                }]
            } else {
                lines
                    .iter()
                    .map(|line| ParticipationGroup {
                        label: self.line_label(line),
                        counts: line_counts(line),
                    })
                    .collect()
            };
        let chart = ParticipationChart::new(round_names.clone(), chart_groups);
        self.figure("participation".to_string(), &chart)?;
        for pair in self.rounds.windows(2) {
            let (from_index, from) = pair[0];
            let (to_index, to) = pair[1];
            self.those_who_left(from_index, from, to_index, to);
        }
        Ok(())
    }

    /// Every group id (the exercise's, then any other in the responses) and, per group, the
    /// respondents of each round.
    fn respondents_by_group_and_round(&self) -> (Vec<String>, Vec<Vec<u64>>) {
        let mut group_ids: Vec<String> = self
            .input
            .exercise
            .groups
            .iter()
            .map(|group| group.id.to_string())
            .collect();
        for &(_, data) in self.rounds {
            for group in &data.responses.groups {
                if !group_ids.contains(group) {
                    group_ids.push(group.clone());
                }
            }
        }
        let mut counts = vec![vec![0u64; self.rounds.len()]; group_ids.len()];
        for (column, &(_, data)) in self.rounds.iter().enumerate() {
            for respondent in &data.responses.respondents {
                let id = &data.responses.groups[respondent.group as usize];
                if let Some(row) = group_ids.iter().position(|group| group == id) {
                    counts[row][column] += u64::from(respondent.count);
                }
            }
        }
        (group_ids, counts)
    }

    fn dropout(
        &mut self,
        from_index: usize,
        from: &RoundData<'_>,
        to_index: usize,
        to: &RoundData<'_>,
        group_ids: &[String],
        pool: &PooledGroups,
    ) {
        let earlier = group_of_respondents(from.responses);
        let later = group_of_respondents(to.responses);
        let both = earlier.keys().filter(|id| later.contains_key(*id)).count();
        let from_name = format!("round {}", from_index + 1);
        let to_name = format!("round {}", to_index + 1);
        let everyone_stayed = both == earlier.len() && both == later.len();
        if everyone_stayed {
            self.document.paragraph(format!(
                "All {} who answered {from_name} also answered {to_name}: nobody dropped out \
                 and nobody joined.",
                people(both as u64)
            ));
            return;
        }
        if both == 0 {
            self.document.paragraph(format!(
                "No respondent id of {from_name} appears in {to_name}, so drop-out between them \
                 cannot be measured (the service keeps one id per respondent across rounds; \
                 files from elsewhere may not)."
            ));
            return;
        }
        let mut table = Table::new(
            format!("Who went on from {from_name} to {to_name}, by their group in {from_name}"),
            &[
                ("Group", Align::Left),
                ("Answered the earlier round", Align::Right),
                ("Also answered the later", Align::Right),
                ("Dropped out", Align::Right),
                ("Retained", Align::Right),
                ("New in the later round", Align::Right),
            ],
        )
        .row_header(0);
        let by_group = dropout_by_group(group_ids, &earlier, &later);
        let lines = pool.lines(
            by_group
                .iter()
                .map(|&(id, answered, _, new)| (id, answered + new > 0)),
        );
        let mut totals = (0usize, 0usize, 0usize);
        for &(_, answered, stayed, new) in &by_group {
            totals.0 += answered;
            totals.1 += stayed;
            totals.2 += new;
        }
        for line in &lines {
            let sum = |column: fn(&(&str, usize, usize, usize)) -> usize| -> usize {
                pool.sum_for(line, by_group.iter().map(|entry| (entry.0, column(entry))))
            };
            let (answered, stayed, new) = (sum(|e| e.1), sum(|e| e.2), sum(|e| e.3));
            if answered == 0 && new == 0 {
                continue;
            }
            table.push(vec![
                self.line_label(line),
                answered.to_string(),
                stayed.to_string(),
                (answered - stayed).to_string(),
                if answered == 0 {
                    "—".to_string()
                } else {
                    numbers::share_in_words(stayed as f64 / answered as f64)
                },
                new.to_string(),
            ]);
        }
        table.push(vec![
            "All groups".to_string(),
            totals.0.to_string(),
            totals.1.to_string(),
            (totals.0 - totals.1).to_string(),
            if totals.0 == 0 {
                "—".to_string()
            } else {
                numbers::share_in_words(totals.1 as f64 / totals.0 as f64)
            },
            totals.2.to_string(),
        ]);
        self.document.paragraph(format!(
            "Of the {} who answered {from_name}, {} also answered {to_name} ({} dropped out); \
             {} answered {to_name} without having answered {from_name}.",
            people(totals.0 as u64),
            totals.1,
            totals.0 - totals.1,
            totals.2
        ));
        self.document.table(table);
    }
}

/// Per group (in `group_ids`' order): (group id, answered the earlier round, also answered the
/// later, new in the later round).
fn dropout_by_group<'a>(
    group_ids: &'a [String],
    earlier: &HashMap<&str, &str>,
    later: &HashMap<&str, &str>,
) -> Vec<(&'a str, usize, usize, usize)> {
    group_ids
        .iter()
        .map(|id| {
            let answered: Vec<&str> = earlier
                .iter()
                .filter(|(_, group)| **group == id.as_str())
                .map(|(respondent, _)| *respondent)
                .collect();
            let stayed = answered
                .iter()
                .filter(|respondent| later.contains_key(*respondent))
                .count();
            let new = later
                .iter()
                .filter(|(respondent, group)| {
                    **group == id.as_str() && !earlier.contains_key(*respondent)
                })
                .count();
            (id.as_str(), answered.len(), stayed, new)
        })
        .collect()
}

/// Each respondent's group, by respondent id.
fn group_of_respondents(responses: &Responses) -> HashMap<&str, &str> {
    responses
        .respondents
        .iter()
        .map(|respondent| {
            (
                respondent.id.as_str(),
                responses.groups[respondent.group as usize].as_str(),
            )
        })
        .collect()
}
