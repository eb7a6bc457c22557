//! Agreement between people and between groups, and the items that divide the groups.

use crate::numbers;
use rank::analysis::FAR_RANK_DISTANCE;

use super::super::document::{Align, Runs, Table};
use super::super::{ReportError, RoundData};
use crate::charts::GroupAgreementMatrix;
use crate::results::{AgreementEntry, MethodEntry, ResultsDocument};

use super::{Builder, agreement_strength, respondents};

/// How many of the items that divide the groups most are listed.
const DIVIDING_ITEMS: usize = 10;

impl Builder<'_> {
    pub(super) fn agreement(&mut self) -> Result<(), ReportError> {
        self.document
            .heading(2, "agreement", "Agreement and divergence between groups");
        self.each_ranked_round("agreement", |this, index, data, document| {
            this.round_agreement(index, data, document)
        })
    }

    fn kendall_sentence(&self, agreement: &AgreementEntry, who: &str) -> String {
        match (
            agreement.kendall_w,
            agreement.chi_square,
            agreement.df,
            agreement.p_value,
        ) {
            (Some(w), Some(chi_square), Some(df), Some(p)) => {
                let left_out = match agreement.left_out {
                    Some(count) if count > 0 => format!(
                        " {} who did not rate every item {} left out of W.",
                        respondents(count),
                        if count == 1 { "is" } else { "are" }
                    ),
                    _ => String::new(),
                };
                format!(
                    "Kendall's W among {who} is {w:.3} (χ² = {chi_square:.1}, {df} degrees of \
                     freedom, {}, over {}): {} agreement on the order of the items, by the \
                     nearest of Schmidt's (1997) reference points.{left_out}",
                    numbers::p_value(p),
                    respondents(agreement.raters.unwrap_or(0)),
                    agreement_strength(w)
                )
            }
            _ => format!(
                "Kendall's W among {who} is not defined for these data: {}.",
                agreement
                    .undefined
                    .as_deref()
                    .unwrap_or("no reason was given")
            ),
        }
    }

    fn round_agreement(
        &mut self,
        index: usize,
        data: &RoundData<'_>,
        document: &ResultsDocument,
    ) -> Result<(), ReportError> {
        let Some(entry) = document.results.first() else {
            return Ok(());
        };
        self.agreement_within(index, document);
        self.agreement_between_groups(index, data, document, entry)?;
        self.dividing_items(index, entry);
        self.group_consensus(document, entry);
        Ok(())
    }

    /// Kendall's W among all respondents, and within each group.
    fn agreement_within(&mut self, index: usize, document: &ResultsDocument) {
        match &document.agreement {
            Some(agreement) => {
                let sentence = self.kendall_sentence(agreement, "all respondents");
                self.document.paragraph(sentence);
                if !agreement.groups.is_empty() {
                    let mut table = Table::new(
                        format!("Agreement within each group in round {}", index + 1),
                        &[
                            ("Group", Align::Left),
                            ("Raters", Align::Right),
                            ("Kendall's W", Align::Right),
                            ("p-value", Align::Right),
                        ],
                    )
                    .row_header(0);
                    for group in &agreement.groups {
                        let within = &group.agreement;
                        table.push(vec![
                            self.group_label(&group.group),
                            within
                                .raters
                                .map(|raters| raters.to_string())
                                .unwrap_or_default(),
                            within
                                .kendall_w
                                .map_or_else(|| "undefined".to_string(), |w| format!("{w:.3}")),
                            within.p_value.map(numbers::p_value).unwrap_or_default(),
                        ]);
                    }
                    self.document.table(table);
                }
            }
            None => self.document.paragraph(
                "Kendall's W is not computed for these data (multi-criteria ratings, picks or \
                 pairwise choices).",
            ),
        }
    }

    /// Agreement between each pair of groups, as a table and a chart.
    fn agreement_between_groups(
        &mut self,
        index: usize,
        data: &RoundData<'_>,
        document: &ResultsDocument,
        entry: &MethodEntry,
    ) -> Result<(), ReportError> {
        let round_id = data.round.id.to_string();
        if entry.group_agreement.is_empty() {
            self.document.paragraph(
                "Fewer than two groups were shown on their own, so groups are not compared.",
            );
        } else {
            self.document.paragraph(format!(
                "Between groups (by {}): each pair's τ-b and ρ compare the two groups' own \
                 scores of every item; the last column counts the items both have in their top \
                 {}.",
                entry.method, document.settings.top_k
            ));
            let mut table = Table::new(
                format!(
                    "Agreement between each pair of groups in round {}",
                    index + 1
                ),
                &[
                    ("Groups", Align::Left),
                    ("Kendall's τ-b", Align::Right),
                    ("Spearman's ρ", Align::Right),
                    ("Shared top items", Align::Right),
                ],
            )
            .row_header(0);
            let mut pairs: Vec<_> = entry.group_agreement.iter().collect();
            pairs.sort_by(|a, b| {
                b.kendall_tau_b
                    .unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&a.kendall_tau_b.unwrap_or(f64::NEG_INFINITY))
            });
            for pair in pairs {
                table.push(vec![
                    format!(
                        "{} and {}",
                        self.group_label(&pair.groups[0]),
                        self.group_label(&pair.groups[1])
                    ),
                    numbers::correlation_for_reading(pair.kendall_tau_b),
                    numbers::correlation_for_reading(pair.spearman_rho),
                    format!("{} of {}", pair.top_k_shared.len(), document.settings.top_k),
                ]);
            }
            self.document.table(table);
            if let Some(mut matrix) = GroupAgreementMatrix::from_results(document, None) {
                matrix.groups = self.group_labels(&matrix.groups);
                matrix.title = format!(
                    "{}: agreement between groups (Kendall's τ-b)",
                    Self::round_name(index, data.round)
                );
                matrix.note = self.group_notes(document, entry);
                self.figure(format!("{round_id}-group-agreement"), &matrix)?;
            }
        }
        Ok(())
    }

    /// The items that divide the groups most.
    fn dividing_items(&mut self, index: usize, entry: &MethodEntry) {
        let dividing = crate::findings::dividing_items(entry);
        if !dividing.is_empty() {
            self.document.paragraph(format!(
                "The items that divide the groups most: the spread is the gap between the best \
                 and the worst rank any shown group gives the item; the last column names the \
                 groups that rank it at least {FAR_RANK_DISTANCE} places from its overall rank."
            ));
            let mut table = Table::new(
                format!(
                    "The {} items that divide the groups most in round {}",
                    dividing.len().min(DIVIDING_ITEMS),
                    index + 1
                ),
                &[
                    ("Item", Align::Left),
                    ("Overall rank", Align::Right),
                    ("Best group rank", Align::Right),
                    ("Worst group rank", Align::Right),
                    ("Spread", Align::Right),
                    ("Groups far from the overall rank", Align::Left),
                ],
            )
            .row_header(0);
            for row in dividing.into_iter().take(DIVIDING_ITEMS) {
                let Some(divergence) = &row.divergence else {
                    continue;
                };
                table.push(vec![
                    row.label.clone(),
                    row.rank.to_string(),
                    divergence.best_rank.to_string(),
                    divergence.worst_rank.to_string(),
                    divergence.spread.to_string(),
                    self.group_labels(&divergence.far_groups).join("; "),
                ]);
            }
            self.document.table(table);
        }
    }

    /// Group-informed consensus, for rating data.
    fn group_consensus(&mut self, document: &ResultsDocument, entry: &MethodEntry) {
        if let Some(consensus) = &document.group_consensus {
            self.document.paragraph(format!(
                "Group-informed consensus (as in Pol.is) favours items that every group rates \
                 highly: for each item, the product over groups of (ratings of {} or more + 1) / \
                 (ratings + 2).{} The five items with the most consensus across groups:",
                consensus.agree_from,
                if document.input.suppressed_groups.is_empty() {
                    ""
                } else {
                    " The groups pooled as “other groups” count as one group here, so that no \
                     factor of the product is a small group's own."
                }
            ));
            let entries = consensus
                .items
                .iter()
                .take(5)
                .map(|item| {
                    let label = entry
                        .ranking
                        .iter()
                        .find(|row| row.item == item.item)
                        .map_or(item.item.as_str(), |row| row.label.as_str());
                    Runs::from(format!("{label} ({:.3})", item.consensus))
                })
                .collect();
            self.document.list(entries);
        }
    }
}
