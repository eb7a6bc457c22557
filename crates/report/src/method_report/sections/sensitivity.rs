//! Sensitivity to the method: the round's method against every other method that fits.

use crate::numbers;
use std::collections::BTreeSet;

use super::super::document::{Align, Runs, Table};
use super::super::{ReportError, RoundData};
use crate::charts::{MethodSensitivityChart, join_phrases};
use crate::numbers::score_for_reading;
use crate::results::{MethodDetails, MethodEntry, RankingRow, ResultsDocument};

use super::{Builder, labels_of};

impl Builder<'_> {
    pub(super) fn sensitivity(&mut self) -> Result<(), ReportError> {
        self.document.heading(
            2,
            "sensitivity",
            "Sensitivity: what other methods would have given",
        );
        self.each_ranked_round("sensitivity", |this, index, data, document| {
            this.round_sensitivity(index, data, document)
        })
    }

    fn round_sensitivity(
        &mut self,
        index: usize,
        data: &RoundData<'_>,
        document: &ResultsDocument,
    ) -> Result<(), ReportError> {
        let Some(entry) = document.results.first() else {
            return Ok(());
        };
        let top_k = document.settings.top_k;
        if document.results.len() < 2 {
            self.document.paragraph(
                Runs::new()
                    .text("Only the round's own method, ")
                    .code(entry.method.as_str())
                    .text(
                        ", was run for this round. Rerun the report with --method all to \
                         compare it with every method that fits the data.",
                    ),
            );
            return Ok(());
        }
        let names: Vec<&str> = document
            .results
            .iter()
            .map(|entry| entry.method.as_str())
            .collect();
        self.document.paragraph(format!(
            "The round's own method, {}, compared with {}, each run once on all the responses \
             with {} weighting. The table gives each item's rank under each method, for the \
             items in the top {top_k} under any of them.",
            entry.method,
            join_phrases(
                &names[1..]
                    .iter()
                    .map(|name| name.to_string())
                    .collect::<Vec<_>>()
            ),
            entry.weighting
        ));
        self.ranks_by_method(index, document, entry, &names);

        self.agreement_with_method(index, document, entry);
        for other in &document.results {
            if let Some(MethodDetails::Kemeny(kemeny)) = &other.details
                && kemeny.objective.is_finite()
            {
                self.document.paragraph(format!(
                    "Kemeny's order was {} (its objective, the weighted count of pairwise \
                     preferences it goes against, is {}).",
                    if kemeny.exact {
                        "found exactly"
                    } else {
                        "found by a heuristic, not proved optimal"
                    },
                    score_for_reading(kemeny.objective)
                ));
            }
        }
        if let Some(mut chart) = MethodSensitivityChart::from_results(document, top_k) {
            chart.title = format!(
                "{}: how the ranking depends on the method",
                Self::round_name(index, data.round)
            );
            self.figure(format!("{}-method-sensitivity", data.round.id), &chart)?;
        }
        Ok(())
    }

    /// Each item's rank under each method, for the items in the top k under any of them.
    fn ranks_by_method(
        &mut self,
        index: usize,
        document: &ResultsDocument,
        entry: &MethodEntry,
        names: &[&str],
    ) {
        let top_k = document.settings.top_k;
        let chosen: BTreeSet<&str> = document
            .results
            .iter()
            .flat_map(|entry| {
                entry
                    .ranking
                    .iter()
                    .filter(|row| row.rank <= top_k)
                    .map(|row| row.item.as_str())
            })
            .collect();
        let mut columns: Vec<(&str, Align)> = vec![("Item", Align::Left)];
        columns.extend(names.iter().map(|name| (*name, Align::Right)));
        let mut table = Table::new(
            format!("Rank of each item under each method in round {}", index + 1),
            &columns,
        )
        .row_header(0);
        let mut order: Vec<&RankingRow> = entry
            .ranking
            .iter()
            .filter(|row| chosen.contains(row.item.as_str()))
            .collect();
        order.sort_by_key(|row| row.rank);
        for row in order {
            let mut cells = vec![row.label.clone()];
            for other in &document.results {
                cells.push(
                    other
                        .ranking
                        .iter()
                        .find(|candidate| candidate.item == row.item)
                        .map_or_else(|| "—".to_string(), |candidate| candidate.rank.to_string()),
                );
            }
            table.push(cells);
        }
        self.document.table(table);
    }

    /// How far each other method agrees with the round's own, and the items whose place in the
    /// top k depends on the method.
    fn agreement_with_method(
        &mut self,
        index: usize,
        document: &ResultsDocument,
        entry: &MethodEntry,
    ) {
        let top_k = document.settings.top_k;
        if let Some(comparison) = &document.comparison {
            let mut pairs = Table::new(
                format!(
                    "How far each method agrees with {} in round {}",
                    entry.method,
                    index + 1
                ),
                &[
                    ("Method", Align::Left),
                    ("Kendall's τ-b", Align::Right),
                    ("Spearman's ρ", Align::Right),
                    ("Shared top items", Align::Right),
                ],
            )
            .row_header(0);
            for pair in &comparison.pairs {
                let other = if pair.methods[0] == entry.method {
                    &pair.methods[1]
                } else if pair.methods[1] == entry.method {
                    &pair.methods[0]
                } else {
                    continue;
                };
                pairs.push(vec![
                    other.to_string(),
                    numbers::correlation_for_reading(pair.kendall_tau_b),
                    numbers::correlation_for_reading(pair.spearman_rho),
                    format!("{} of {top_k}", pair.top_k_shared.len()),
                ]);
            }
            self.document.table(pairs);
            if comparison.method_dependent.is_empty() {
                self.document.paragraph(format!(
                    "The top {top_k} holds the same items under every method compared."
                ));
            } else {
                self.document.paragraph(format!(
                    "In the top {top_k} under some methods but not all: {}. Every other item of \
                     the top {top_k} is there whichever method is used.",
                    join_phrases(&labels_of(&entry.ranking, &comparison.method_dependent))
                ));
            }
        }
    }
}
