//! Uncertainty: the bootstrap's rank intervals and how sure each place is.

use super::super::ReportError;
use super::super::document::{Align, Runs, Table};
use crate::charts::join_phrases;
use crate::numbers;
use crate::results::{MethodEntry, RankingRow, ResultsDocument};

use super::{Builder, CERTAIN_P_TOP, crossing_cut, interval_text, is_certain_place, respondents};

impl Builder<'_> {
    pub(super) fn uncertainty(&mut self) -> Result<(), ReportError> {
        self.document.heading(
            2,
            "uncertainty",
            "Uncertainty: which places are certain, which items are tied",
        );
        self.each_ranked_round("uncertainty", |this, index, _, document| {
            this.round_uncertainty(index, document);
            Ok(())
        })
    }

    fn round_uncertainty(&mut self, index: usize, document: &ResultsDocument) {
        let Some(entry) = document.results.first() else {
            return;
        };
        let top_k = document.settings.top_k;
        let Some(resamples) = document.settings.bootstrap else {
            self.document.paragraph(
                "No bootstrap was run for this round, so how certain each place is was not \
                 measured. Rerun the report with --bootstrap 1000 to measure it.",
            );
            return;
        };
        self.document.paragraph(format!(
            "From {resamples} bootstrap resamples of the {} by {}.",
            respondents(document.input.respondents),
            entry.method
        ));
        let certain: Vec<Runs> = entry
            .ranking
            .iter()
            .filter(|row| is_certain_place(row))
            .map(|row| Runs::from(format!("Place {}: {}", row.rank, row.label)))
            .collect();
        if certain.is_empty() {
            self.document.paragraph(
                "No place is certain: every item's 95% rank interval spans more than one place.",
            );
        } else {
            self.document.paragraph(format!(
                "Certain places (the item has this rank in at least 95% of resamples: its 95% \
                 rank interval is a single place): {} of {} items.",
                certain.len(),
                entry.ranking.len()
            ));
            self.document.list(certain);
        }
        let surely_in: Vec<String> = entry
            .ranking
            .iter()
            .filter(|row| row.p_top.is_some_and(|p| p >= CERTAIN_P_TOP))
            .map(|row| row.label.clone())
            .collect();
        self.document.paragraph(if surely_in.is_empty() {
            format!(
                "No item is in the top {top_k} in at least {:.0}% of resamples.",
                CERTAIN_P_TOP * 100.0
            )
        } else {
            format!(
                "Surely in the top {top_k} (in at least {:.0}% of resamples, though perhaps not \
                 at the same place): {}.",
                CERTAIN_P_TOP * 100.0,
                join_phrases(&surely_in)
            )
        });
        self.around_the_cut(index, entry, top_k);
        let mut shared: Vec<String> = Vec::new();
        for pair in entry.ranking.windows(2) {
            if pair[0].rank == pair[1].rank {
                for row in pair {
                    if !shared.contains(&row.label) {
                        shared.push(row.label.clone());
                    }
                }
            }
        }
        if !shared.is_empty() {
            self.document.paragraph(format!(
                "Exact ties in the full data (items sharing a rank): {}.",
                join_phrases(&shared)
            ));
        }
    }

    /// The items whose 95% rank interval crosses the cut between place k and place k + 1.
    fn around_the_cut(&mut self, index: usize, entry: &MethodEntry, top_k: usize) {
        let crossing: Vec<&RankingRow> = crossing_cut(&entry.ranking, top_k).collect();
        if crossing.is_empty() {
            self.document.paragraph(format!(
                "No item's 95% rank interval crosses the cut between place {top_k} and place {}: \
                 the top {top_k} is clear.",
                top_k + 1
            ));
        } else {
            self.document.paragraph(format!(
                "Effectively tied around the cut: these items' 95% rank intervals cross the \
                 line between place {top_k} and place {}, so the data cannot say for sure \
                 which of them belong in the top {top_k}.",
                top_k + 1
            ));
            let mut table = Table::new(
                format!(
                    "Items either side of the top-{top_k} cut in round {}",
                    index + 1
                ),
                &[
                    ("Rank", Align::Right),
                    ("Item", Align::Left),
                    ("95% rank interval", Align::Right),
                    ("In the top list (share of resamples)", Align::Right),
                ],
            )
            .row_header(1);
            for row in crossing {
                table.push(vec![
                    row.rank.to_string(),
                    row.label.clone(),
                    interval_text(row),
                    row.p_top.map(numbers::share_in_words).unwrap_or_default(),
                ]);
            }
            self.document.table(table);
        }
    }
}
