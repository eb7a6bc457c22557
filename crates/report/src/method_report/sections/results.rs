//! Results by round, overall and per group, with the rating distribution and the movement
//! between rounds.

use rank::{Method, RatingScale};
use survey::ballots::rating_tally;
use survey::definition::{RoundKind, Scale};

use super::super::document::{Align, Runs, Table};
use super::super::method_text::scale_bands;
use super::super::{ReportError, RoundData};
use crate::charts::{
    GroupRankHeatmap, MovementItem, RatingDistributionChart, RatingItem, RoundMovementChart,
    join_phrases,
};
use crate::results::{MethodEntry, ResultsDocument};

use super::{Builder, disclosed_suggestion_counts, people, respondents, suggestion_counts};

impl Builder<'_> {
    pub(super) fn results(&mut self) -> Result<(), ReportError> {
        self.document
            .heading(2, "results", "Results overall and by group");
        for &(index, data) in self.rounds {
            self.document.heading(
                3,
                &format!("results-{}", data.round.id),
                Self::round_name(index, data.round),
            );
            match &data.results {
                Some(document) if !document.results.is_empty() => {
                    self.round_results(index, data, document)?;
                }
                _ => self.suggestion_results(index, data),
            }
        }
        let ranked: Vec<_> = self.ranked_rounds().collect();
        for pair in ranked.windows(2) {
            self.movement(pair[0], pair[1])?;
        }
        Ok(())
    }

    fn suggestion_results(&mut self, index: usize, data: &RoundData<'_>) {
        if suggestion_counts(data.responses).is_empty() {
            self.document.paragraph("These responses were not ranked.");
            return;
        }
        let mut table = Table::new(
            format!("Suggestions by group in round {}", index + 1),
            &[
                ("Group", Align::Left),
                ("People who made suggestions", Align::Right),
                ("Suggestions", Align::Right),
            ],
        )
        .row_header(0);
        let total = suggestion_counts(data.responses)
            .iter()
            .fold((0u64, 0usize), |total, (_, people, made)| {
                (total.0 + people, total.1 + made)
            });
        for (line, people, made) in disclosed_suggestion_counts(self.input.exercise, data) {
            table.push(vec![
                self.line_label(&line),
                people.to_string(),
                made.to_string(),
            ]);
        }
        table.push(vec![
            "All groups".to_string(),
            total.0.to_string(),
            total.1.to_string(),
        ]);
        self.document.paragraph(format!(
            "{} made {} suggestions. Suggestions are free text: the research team curates them \
             into items before anything is ranked, so they have no rank here. They are listed \
             as written in the appendix.",
            people(total.0),
            total.1
        ));
        self.document.table(table);
        self.curation_summary();
    }

    fn round_results(
        &mut self,
        index: usize,
        data: &RoundData<'_>,
        document: &ResultsDocument,
    ) -> Result<(), ReportError> {
        let Some(entry) = document.results.first() else {
            return Ok(());
        };
        let top_k = document.settings.top_k;
        let round_id = data.round.id.to_string();
        self.document.paragraph(
            Runs::new()
                .text(format!(
                    "{} and {} items, ranked by ",
                    respondents(document.input.respondents),
                    document.input.items
                ))
                .code(entry.method.as_str())
                .text(" with ")
                .code(entry.weighting.as_str())
                .text(" weighting."),
        );
        self.document
            .heading(4, &format!("results-{round_id}-overall"), "Overall");
        // Delphi classes, where the round was classified, shown beside the headline method's
        // ranking.
        let mut rows = entry.ranking.clone();
        if let Some(delphi) = document
            .results
            .iter()
            .find(|other| other.method == Method::Delphi)
        {
            for row in &mut rows {
                if row.class.is_none() {
                    row.class = delphi
                        .ranking
                        .iter()
                        .find(|other| other.item == row.item)
                        .and_then(|other| other.class.clone());
                }
            }
        }
        let table = self.top_table(
            format!(
                "{}: every item, overall ({} weighting)",
                Self::round_name(index, data.round),
                entry.weighting
            ),
            &rows,
            top_k,
            None,
            true,
        );
        self.document.table(table);
        let is_final = self
            .final_round()
            .is_some_and(|(final_index, ..)| final_index == index);
        match (is_final, self.final_top_figure) {
            (true, Some(_)) => self
                .document
                .paragraph("The chart of this round's top priorities is figure 1, in the summary."),
            _ => {
                self.top_chart(index, data, document)?;
            }
        }
        if let Some(chart) = self.rating_distribution(index, data, document) {
            self.document.paragraph(
                "How the ratings of each item were spread, from the lowest rating (left) to \
                 the highest, with “don't know” and unanswered hatched at the end:",
            );
            self.figure(format!("{round_id}-rating-distribution"), &chart)?;
        }

        self.results_by_group(index, data, document, entry)?;
        let notes = self.group_notes(document, entry);
        if !notes.is_empty() {
            self.document.paragraph(notes);
        }
        Ok(())
    }

    /// Each group's own top k, with the heatmap of every item's rank in each group.
    fn results_by_group(
        &mut self,
        index: usize,
        data: &RoundData<'_>,
        document: &ResultsDocument,
        entry: &MethodEntry,
    ) -> Result<(), ReportError> {
        let top_k = document.settings.top_k;
        let round_id = data.round.id.to_string();
        self.document.heading(
            4,
            &format!("results-{round_id}-groups"),
            "By stakeholder group",
        );
        if entry.groups.is_empty() {
            self.document
                .paragraph("No group was large enough to be shown on its own.");
        } else {
            self.document.paragraph(format!(
                "Each group's own top {top_k}, by the same method with every member counted \
                 once.{}",
                if document.settings.bootstrap.is_some() {
                    " Intervals come from the same bootstrap, resampling within the group."
                } else {
                    ""
                }
            ));
            for group in &entry.groups {
                let table = self.top_table(
                    format!(
                        "{} ({}): top {top_k}",
                        self.group_label(&group.group),
                        respondents(group.respondents)
                    ),
                    &group.ranking,
                    top_k,
                    Some(top_k),
                    false,
                );
                self.document.table(table);
            }
            if let Some(mut heatmap) = GroupRankHeatmap::from_results(document, None, None) {
                heatmap.groups = self.group_labels(&heatmap.groups);
                heatmap.title = format!(
                    "{}: rank of every item in each group",
                    Self::round_name(index, data.round)
                );
                heatmap.note = self.group_notes(document, entry);
                self.figure(format!("{round_id}-group-ranks"), &heatmap)?;
            }
        }
        Ok(())
    }

    /// Groups not shown on their own and groups the method could not rank, by label.
    pub(super) fn group_notes(&self, document: &ResultsDocument, entry: &MethodEntry) -> String {
        let mut notes = Vec::new();
        if !document.input.suppressed_groups.is_empty() {
            notes.push(format!(
                "Pooled as “other groups”, not shown on their own (a group had fewer than {} \
                 respondents, and the pool must reach that many): {}.",
                document.settings.disclosure_threshold,
                join_phrases(&self.group_labels(&document.input.suppressed_groups))
            ));
        }
        for failure in &entry.group_failures {
            notes.push(format!(
                "{} could not be ranked on its own: {}.",
                self.group_label(&failure.group),
                failure.reason
            ));
        }
        notes.join(" ")
    }

    fn rating_distribution(
        &self,
        index: usize,
        data: &RoundData<'_>,
        document: &ResultsDocument,
    ) -> Option<RatingDistributionChart> {
        let RoundKind::Rate {
            scale: Scale::Numeric { min, max, labels },
            criteria,
            ..
        } = &data.round.kind
        else {
            return None;
        };
        if !criteria.is_empty() {
            return None;
        }
        let (min, max) = (*min, *max);
        let responses = data.responses;
        let rating_scale =
            RatingScale::new(i16::try_from(min).ok()?, i16::try_from(max).ok()?).ok()?;
        let tally = rating_tally(responses, rating_scale);
        let total = responses.ballot_count();
        let entry = document.results.first()?;
        let items = entry
            .ranking
            .iter()
            .filter_map(|row| {
                let item = responses
                    .items
                    .iter()
                    .position(|info| info.id == row.item)?;
                let counts = tally.item(item, None);
                Some(RatingItem {
                    item: row.item.clone(),
                    label: row.label.clone(),
                    not_rated: total.saturating_sub(counts.rated()),
                    counts: counts.into_counts(),
                    consensus: None,
                })
            })
            .collect();
        let scale = (min..=max)
            .map(|value| match labels.get(&value) {
                Some(label) => format!("{value} {label}"),
                None => value.to_string(),
            })
            .collect();
        let mut chart = RatingDistributionChart::new(scale, items);
        chart.title = format!(
            "{}: distribution of ratings per item",
            Self::round_name(index, data.round)
        );
        chart.not_rated_label = "Don't know or not rated".to_string();
        chart.mark_consensus(document);
        let ((bottom_low, bottom_high), (top_low, top_high)) = scale_bands(min, max);
        chart.note = format!(
            "Items in order of the round's own method ({}). Delphi consensus in: at least 70% \
             rate {top_low}–{top_high} and fewer than 15% rate {bottom_low}–{bottom_high}, among \
             those who rated the item.",
            entry.method
        );
        Some(chart)
    }

    fn movement(
        &mut self,
        from: (usize, &RoundData<'_>, &ResultsDocument),
        to: (usize, &RoundData<'_>, &ResultsDocument),
    ) -> Result<(), ReportError> {
        let (Some(from_entry), Some(to_entry)) = (from.2.results.first(), to.2.results.first())
        else {
            return Ok(());
        };
        let items: Vec<MovementItem> = from_entry
            .ranking
            .iter()
            .filter_map(|row| {
                let later = to_entry
                    .ranking
                    .iter()
                    .find(|other| other.item == row.item)?;
                Some(MovementItem {
                    label: row.label.clone(),
                    from_rank: Some(row.rank),
                    to_rank: Some(later.rank),
                })
            })
            .collect();
        if items.is_empty() {
            return Ok(());
        }
        let from_name = format!("round {}", from.0 + 1);
        let to_name = format!("round {}", to.0 + 1);
        self.document.heading(
            3,
            &format!("movement-{}-{}", from.1.round.id, to.1.round.id),
            format!("Movement from {from_name} to {to_name}"),
        );
        let left_out: Vec<String> = from_entry
            .ranking
            .iter()
            .filter(|row| !to_entry.ranking.iter().any(|other| other.item == row.item))
            .map(|row| row.label.clone())
            .collect();
        let new: Vec<String> = to_entry
            .ranking
            .iter()
            .filter(|row| {
                !from_entry
                    .ranking
                    .iter()
                    .any(|other| other.item == row.item)
            })
            .map(|row| row.label.clone())
            .collect();
        let mut text = format!(
            "{} items are in both rounds. The chart joins each one's rank in {from_name} \
             (among {} items, by {}) to its rank in {to_name} (among {}, by {}).",
            items.len(),
            from_entry.ranking.len(),
            from_entry.method,
            to_entry.ranking.len(),
            to_entry.method
        );
        if !left_out.is_empty() {
            text.push_str(&format!(
                " Not carried into {to_name} ({}): {}.",
                left_out.len(),
                join_phrases(&left_out)
            ));
        }
        if !new.is_empty() {
            text.push_str(&format!(
                " New in {to_name} ({}): {}.",
                new.len(),
                join_phrases(&new)
            ));
        }
        self.document.paragraph(text);
        // The columns are narrow: they carry the round numbers, the title the round names.
        let mut chart = RoundMovementChart::new(
            &format!("Round {}", from.0 + 1),
            &format!("Round {}", to.0 + 1),
            items,
        );
        chart.title = format!(
            "Movement of items from {from_name} ({}) to {to_name} ({})",
            from.1.round.title, to.1.round.title
        );
        self.figure(
            format!("{}-to-{}-movement", from.1.round.id, to.1.round.id),
            &chart,
        )?;
        Ok(())
    }
}
