//! The introduction and the summary: the final list, its chart and what is certain about it.

use crate::numbers;
use std::collections::HashSet;

use super::super::document::{Align, Runs, Table};
use super::super::{ReportError, RoundData};
use crate::charts::{TopPrioritiesChart, join_phrases};
use crate::results::{MethodEntry, RankingRow, ResultsDocument};

use super::{
    Builder, CERTAIN_P_TOP, agreement_strength, crossing_cut, interval_text, is_certain_place,
    labels_of, people, respondents,
};

impl Builder<'_> {
    pub(super) fn introduction(&mut self) {
        if self.input.simulated {
            self.document
                .notice(Runs::new().strong("Simulated data. ").text(
                    "Every response in this report was made up by a computer program \
                     (prioritise simulate), not given by real people. The report shows how the \
                     method works; its numbers say nothing about anyone's real views.",
                ));
        }
        let files = self.rounds.len();
        self.document.paragraph(format!(
            "This report explains how the priority list was made, step by step, so that anyone \
             can check it and repeat it. It was written by {} from the exercise definition and \
             {} response {}; the section on reproducibility lists each file with its SHA-256 \
             checksum, and the exact command.",
            self.input.program,
            files,
            if files == 1 { "file" } else { "files" }
        ));
        self.document.contents();
    }

    pub(super) fn top_table(
        &self,
        caption: String,
        rows: &[RankingRow],
        top_k: usize,
        limit: Option<usize>,
        with_class: bool,
    ) -> Table {
        let rows: Vec<&RankingRow> = rows.iter().take(limit.unwrap_or(usize::MAX)).collect();
        let has_interval = rows.iter().any(|row| row.rank_interval.is_some());
        let has_p_top = rows.iter().any(|row| row.p_top.is_some());
        let has_class = with_class && rows.iter().any(|row| row.class.is_some());
        let p_top_header = format!("In top {top_k} (share of resamples)");
        let mut columns = vec![
            ("Rank", Align::Right),
            ("Item", Align::Left),
            ("Score", Align::Right),
        ];
        if has_interval {
            columns.push(("95% rank interval", Align::Right));
        }
        if has_p_top {
            columns.push((p_top_header.as_str(), Align::Right));
        }
        if has_class {
            columns.push(("Class", Align::Left));
        }
        let mut table = Table::new(caption, &columns).row_header(1);
        for row in rows {
            let mut cells = vec![
                row.rank.to_string(),
                row.label.clone(),
                numbers::score_or_dash(row.score),
            ];
            if has_interval {
                cells.push(interval_text(row));
            }
            if has_p_top {
                cells.push(row.p_top.map(numbers::share_in_words).unwrap_or_default());
            }
            if has_class {
                // A no-break space keeps "consensus in" on one line.
                cells.push(row.class.clone().unwrap_or_default().replace('-', "\u{a0}"));
            }
            table.push(cells);
        }
        table
    }

    pub(super) fn top_chart(
        &mut self,
        index: usize,
        data: &RoundData<'_>,
        document: &ResultsDocument,
    ) -> Result<Option<usize>, ReportError> {
        let Some(mut chart) =
            TopPrioritiesChart::from_results(document, None, document.settings.top_k)
        else {
            return Ok(None);
        };
        chart.title = format!(
            "{}: top {} priorities",
            Self::round_name(index, data.round),
            chart.bars.len()
        );
        self.figure(format!("{}-top-priorities", data.round.id), &chart)
            .map(Some)
    }

    pub(super) fn summary(&mut self) -> Result<(), ReportError> {
        self.document.heading(2, "summary", "Summary");
        let mut everyone: HashSet<&str> = HashSet::new();
        let mut per_round = Vec::new();
        for &(index, data) in self.rounds {
            for respondent in &data.responses.respondents {
                everyone.insert(respondent.id.as_str());
            }
            per_round.push(format!(
                "{} in round {} ({})",
                data.responses.ballot_count(),
                index + 1,
                data.round.title
            ));
        }
        if self.rounds.is_empty() {
            self.document
                .paragraph("No responses were given, so there are no results to report.");
            return Ok(());
        }
        self.document.paragraph(format!(
            "{} answered at least one round: {}. Respondents are matched across rounds by \
             their respondent id.",
            people(everyone.len() as u64),
            join_phrases(&per_round)
        ));

        let Some((index, data, document)) = self.final_round() else {
            self.document.paragraph(
                "No round with data was ranked (suggestions are not ranked), so there is no \
                 priority list yet.",
            );
            return Ok(());
        };
        let Some(entry) = document.results.first() else {
            return Ok(());
        };
        let top_k = document.settings.top_k;
        let bootstrap = match (document.settings.bootstrap, document.settings.seed) {
            (Some(resamples), Some(seed)) => format!(
                " Rank intervals and the share of resamples in the top {top_k} come from \
                 {resamples} bootstrap resamples of the respondents (seed {seed})."
            ),
            _ => String::new(),
        };
        self.document.paragraph(
            Runs::new()
                .text(format!(
                    "The final list is the top {top_k} of round {} (“{}”), ranked by ",
                    index + 1,
                    data.round.title
                ))
                .code(entry.method.as_str())
                .text(" with ")
                .code(entry.weighting.as_str())
                .text(format!(
                    " weighting over {}; the section on method explains both in plain \
                     English.{bootstrap}",
                    respondents(document.input.respondents)
                )),
        );
        let table = self.top_table(
            format!(
                "The final list: the top {top_k} of {}",
                Self::round_name(index, data.round)
            ),
            &entry.ranking,
            top_k,
            Some(top_k),
            false,
        );
        self.document.table(table);
        self.final_top_figure = self.top_chart(index, data, document)?;

        self.key_findings(document, entry, top_k);
        Ok(())
    }

    /// The summary's findings: agreement, certainty of the top places, dependence on the
    /// method, and the groups most and least alike.
    fn key_findings(&mut self, document: &ResultsDocument, entry: &MethodEntry, top_k: usize) {
        let mut findings = Vec::new();
        if let Some(agreement) = &document.agreement
            && let (Some(w), Some(p)) = (agreement.kendall_w, agreement.p_value)
        {
            findings.push(Runs::from(format!(
                "Agreement among all respondents on the order of the items was {} (Kendall's \
                 W = {w:.2}, {}).",
                agreement_strength(w),
                numbers::p_value(p)
            )));
        }
        if document.settings.bootstrap.is_some() {
            Self::certainty_finding(entry, top_k, &mut findings);
        }
        if let Some(comparison) = &document.comparison {
            let others = document.results.len() - 1;
            if comparison.method_dependent.is_empty() {
                findings.push(Runs::from(format!(
                    "The top {top_k} is the same under all {} methods compared.",
                    others + 1
                )));
            } else {
                let labels = labels_of(&entry.ranking, &comparison.method_dependent);
                findings.push(Runs::from(format!(
                    "Compared with {others} other {}, these items are in the top {top_k} under \
                     some methods but not all: {}.",
                    if others == 1 { "method" } else { "methods" },
                    join_phrases(&labels)
                )));
            }
        }
        self.group_pair_finding(entry, &mut findings);
        self.document.list(findings);
    }

    /// How many of the top places are certain, and which items could be either side of the cut.
    fn certainty_finding(entry: &MethodEntry, top_k: usize, findings: &mut Vec<Runs>) {
        let certain: Vec<&RankingRow> = entry
            .ranking
            .iter()
            .filter(|row| row.rank <= top_k)
            .filter(|row| is_certain_place(row))
            .collect();
        let surely_in = entry
            .ranking
            .iter()
            .filter(|row| row.p_top.is_some_and(|p| p >= CERTAIN_P_TOP))
            .count();
        let crossing: Vec<String> = crossing_cut(&entry.ranking, top_k)
            .map(|row| row.label.clone())
            .collect();
        let mut text = format!(
            "{} of the top {top_k} {} a certain place (a 95% rank interval of one \
             place), and {surely_in} {} in the top {top_k} in at least 95% of resamples.",
            certain.len(),
            if certain.len() == 1 { "has" } else { "have" },
            if surely_in == 1 { "is" } else { "are" }
        );
        if !crossing.is_empty() {
            text.push_str(&format!(
                " These could be either side of the cut at place {top_k}: {}.",
                join_phrases(&crossing)
            ));
        }
        findings.push(Runs::from(text));
    }

    /// The stakeholder groups that ranked the items most and least alike.
    fn group_pair_finding(&self, entry: &MethodEntry, findings: &mut Vec<Runs>) {
        let pairs: Vec<(f64, &[String; 2])> = entry
            .group_agreement
            .iter()
            .filter_map(|pair| pair.kendall_tau_b.map(|tau| (tau, &pair.groups)))
            .collect();
        if pairs.len() >= 2 {
            let most = pairs
                .iter()
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .expect("two or more pairs");
            let least = pairs
                .iter()
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .expect("two or more pairs");
            findings.push(Runs::from(format!(
                "Of the stakeholder groups, {} and {} ranked the items most alike (τ-b = {}); \
                 {} and {} least alike (τ-b = {}).",
                self.group_label(&most.1[0]),
                self.group_label(&most.1[1]),
                numbers::correlation_for_reading(Some(most.0)),
                self.group_label(&least.1[0]),
                self.group_label(&least.1[1]),
                numbers::correlation_for_reading(Some(least.0)),
            )));
        }
    }
}
