//! Participation by group and round, with drop-out between rounds.

use crate::numbers;
use std::collections::HashMap;

use survey::responses::Responses;

use super::super::document::{Align, Table};
use super::super::{ReportError, RoundData};
use crate::charts::{ParticipationChart, ParticipationGroup};

use super::{Builder, people};

impl Builder<'_> {
    pub(super) fn participation(&mut self) -> Result<(), ReportError> {
        self.document
            .heading(2, "participation", "Participation by group and round");
        if self.rounds.is_empty() {
            self.document.paragraph("No responses were given.");
            return Ok(());
        }
        let exercise = self.input.exercise;
        let mut group_ids: Vec<String> = exercise
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
        let round_names: Vec<String> = self
            .rounds
            .iter()
            .map(|&(index, data)| Self::round_name(index, data.round))
            .collect();
        let mut columns: Vec<(&str, Align)> = vec![("Group", Align::Left)];
        columns.extend(round_names.iter().map(|name| (name.as_str(), Align::Right)));
        let mut table =
            Table::new("Respondents by stakeholder group and round", &columns).row_header(0);
        for (row, id) in group_ids.iter().enumerate() {
            let mut cells = vec![self.group_label(id)];
            cells.extend(counts[row].iter().map(u64::to_string));
            table.push(cells);
        }
        let mut totals = vec!["All groups".to_string()];
        totals.extend((0..self.rounds.len()).map(|column| {
            counts
                .iter()
                .map(|row| row[column])
                .sum::<u64>()
                .to_string()
        }));
        table.push(totals);
        self.document.table(table);

        for pair in self.rounds.windows(2) {
            let (from_index, from) = pair[0];
            let (to_index, to) = pair[1];
            self.dropout(from_index, from, to_index, to, &group_ids);
        }

        let chart = ParticipationChart::new(
            round_names.clone(),
            group_ids
                .iter()
                .enumerate()
                .map(|(row, id)| ParticipationGroup {
                    label: self.group_label(id),
                    counts: counts[row].clone(),
                })
                .collect(),
        );
        self.figure("participation".to_string(), &chart)?;
        for pair in self.rounds.windows(2) {
            let (from_index, from) = pair[0];
            let (to_index, to) = pair[1];
            self.those_who_left(from_index, from, to_index, to);
        }
        Ok(())
    }

    fn dropout(
        &mut self,
        from_index: usize,
        from: &RoundData<'_>,
        to_index: usize,
        to: &RoundData<'_>,
        group_ids: &[String],
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
        let mut totals = (0usize, 0usize, 0usize);
        for id in group_ids {
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
            if answered.is_empty() && new == 0 {
                continue;
            }
            totals.0 += answered.len();
            totals.1 += stayed;
            totals.2 += new;
            table.push(vec![
                self.group_label(id),
                answered.len().to_string(),
                stayed.to_string(),
                (answered.len() - stayed).to_string(),
                if answered.is_empty() {
                    "—".to_string()
                } else {
                    numbers::share_in_words(stayed as f64 / answered.len() as f64)
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
