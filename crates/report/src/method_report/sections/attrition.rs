//! "Those who left": whether the people who did not answer the next round had answered a
//! round differently from those who did. The comparison and its test are
//! [`rank::attrition`]'s; this module arranges them.

use crate::numbers;
use std::collections::HashSet;

use rank::attrition::{Attrition, AttritionError, AttritionParams, PermutationTest, attrition};
use rank::{GroupWeighting, Params, Profile, Weighting};

use super::super::RoundData;
use super::super::document::{Align, Table};
use super::delphi::ballots_with_ids;
use super::{Builder, people};
use crate::numbers::figure_or_dash;
use crate::results::{MethodEntry, ResultsDocument};

/// Relabellings of the permutation test (exact when there are no more).
pub(crate) const ATTRITION_PERMUTATIONS: usize = 1000;
/// Below this p-value the report says the difference is unlikely to be chance.
const SIGNIFICANCE: f64 = 0.05;

impl Builder<'_> {
    /// The "Those who left" subsection for a ranked round followed by another round with data.
    pub(super) fn those_who_left(
        &mut self,
        from_index: usize,
        from: &RoundData<'_>,
        to_index: usize,
        to: &RoundData<'_>,
    ) {
        let Some(document) = from.results.as_ref() else {
            return;
        };
        let Some(entry) = document.results.first() else {
            return;
        };
        let Some((profile, left)) = who_left(from, to) else {
            return;
        };
        let leavers = left.iter().filter(|&&left| left).count();
        let stayers = left.len() - leavers;
        if leavers == 0 || stayers == 0 {
            return;
        }
        let from_name = format!("round {}", from_index + 1);
        let to_name = format!("round {}", to_index + 1);
        self.document.heading(
            3,
            &format!("left-{}", from.round.id),
            format!("Those who left after {from_name}"),
        );
        if self.too_few_to_compare(leavers, stayers, &from_name, &to_name) {
            return;
        }
        let Some(compared) = self.compare_leavers(from, document, entry, &profile, &left) else {
            return;
        };
        let result = match compared {
            Ok(result) => result,
            Err(error) => {
                self.document.paragraph(format!(
                    "{} of those who answered {from_name} did not answer {to_name}; their \
                     answers could not be compared with the others': {error}.",
                    people(leavers as u64)
                ));
                return;
            }
        };
        let top_k = document.settings.top_k;
        let mut text = comparison_text(&result, entry, &from_name, &to_name, top_k);
        if let Some(test) = result.test {
            let seed = document.settings.seed.unwrap_or(1);
            text.push_str(&test_text(&test, seed, &to_name));
        }
        self.document.paragraph(text);
        self.document
            .table(stayers_and_leavers_table(from_index, from, entry, &result));
        let share_left = result.leavers as f64 / (result.leavers + result.stayers) as f64;
        self.document.paragraph(format!(
            "{} of those who answered {from_name} left before {to_name}. Groups are not shown \
             apart here; the table of drop-out above gives them.",
            numbers::share_in_words(share_left)
        ));
    }

    /// Says so and returns true when either side is below the disclosure threshold.
    fn too_few_to_compare(
        &mut self,
        leavers: usize,
        stayers: usize,
        from_name: &str,
        to_name: &str,
    ) -> bool {
        let threshold = u64::from(self.input.exercise.disclosure_threshold);
        if (leavers as u64) < threshold || (stayers as u64) < threshold {
            self.document.paragraph(format!(
                "{} of those who answered {from_name} did not answer {to_name}, and {} did. \
                 Fewer than {threshold} people on one side is too few to show their answers \
                 on their own (the disclosure threshold), so they are not compared here.",
                people(leavers as u64),
                stayers
            ));
            return true;
        }
        false
    }

    /// Ranks the stayers' and the leavers' answers apart by the round's own method and
    /// weighting; `None` when the weighting cannot be built.
    fn compare_leavers(
        &self,
        from: &RoundData<'_>,
        document: &ResultsDocument,
        entry: &MethodEntry,
        profile: &Profile,
        left: &[bool],
    ) -> Option<Result<Attrition, AttritionError>> {
        let (method, weighting_name) = (entry.method, entry.weighting);
        let custom = (weighting_name == Weighting::Custom).then(|| {
            from.responses
                .groups
                .iter()
                .map(|group| from.round.group_weights.get(group).copied().unwrap_or(1.0))
                .collect::<Vec<f64>>()
        });
        let Ok(weighting) = GroupWeighting::from_name(weighting_name, custom) else {
            return None;
        };
        let params = Params {
            delphi: self.input.exercise.delphi.thresholds,
            ..Params::default()
        };
        let options = AttritionParams {
            top_k: document.settings.top_k,
            permutations: ATTRITION_PERMUTATIONS,
            seed: document.settings.seed.unwrap_or(1),
        };
        Some(attrition(
            method, &weighting, profile, left, &params, &options,
        ))
    }
}

/// The round's ballots and, for each, whether its respondent did not answer the later round.
fn who_left(from: &RoundData<'_>, to: &RoundData<'_>) -> Option<(Profile, Vec<bool>)> {
    let later: HashSet<&str> = to
        .responses
        .respondents
        .iter()
        .map(|respondent| respondent.id.as_str())
        .collect();
    let (profile, record_ids) = ballots_with_ids(from)?;
    let left: Vec<bool> = record_ids
        .iter()
        .map(|id| !later.contains(id.as_str()))
        .collect();
    Some((profile, left))
}

/// The paragraph comparing the two sides' orders: τ-b and the shared top items.
fn comparison_text(
    result: &Attrition,
    entry: &MethodEntry,
    from_name: &str,
    to_name: &str,
    top_k: usize,
) -> String {
    format!(
        "{} of the {} who answered {from_name} did not answer {to_name}. To see whether \
         they had answered {from_name} differently from the {} who stayed, each side's \
         answers were ranked on their own by the round's own method ({} with {} \
         weighting) and the two orders compared. Kendall's τ-b between them is {} (1 the \
         same order, 0 no relation), and their top {top_k} share {} of {} items.",
        people(result.leavers),
        result.leavers + result.stayers,
        result.stayers,
        entry.method,
        entry.weighting,
        numbers::correlation_for_reading(result.kendall_tau_b),
        result.top_overlap.shared.len(),
        result
            .top_overlap
            .first_size
            .max(result.top_overlap.second_size),
    )
}

/// The sentences on the permutation test: how it was run, its p-value and what that means.
fn test_text(test: &PermutationTest, seed: u64, to_name: &str) -> String {
    let how = if test.exact {
        format!(
            "exact, over all {} ways of choosing who left",
            test.permutations
        )
    } else {
        format!(
            "{} random relabellings, seed {seed}, p = (1 + {}) / (1 + {})",
            test.permutations, test.at_least_as_extreme, test.permutations
        )
    };
    let p = if test.p_value < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {:.3}", test.p_value)
    };
    format!(
        " A permutation test asks how often the orders would differ this much (1 − τ-b \
         = {:.2}) if leaving had nothing to do with how people answered, by shuffling \
         who stayed and who left ({how}): {p}. {}",
        test.statistic,
        if test.p_value < SIGNIFICANCE {
            format!(
                "So those who left had probably answered differently: the results of \
                 {to_name} speak for those who stayed."
            )
        } else {
            "So there is no clear sign that those who left had answered differently.".to_string()
        }
    )
}

/// The table of each item's score and rank among those who stayed and those who left.
fn stayers_and_leavers_table(
    from_index: usize,
    from: &RoundData<'_>,
    entry: &MethodEntry,
    result: &Attrition,
) -> Table {
    let mut table = Table::new(
        format!(
            "{}: scores among those who stayed and those who left ({})",
            Builder::round_name(from_index, from.round),
            entry.method
        ),
        &[
            ("Item", Align::Left),
            ("Score, stayed", Align::Right),
            ("Score, left", Align::Right),
            ("Difference", Align::Right),
            ("Rank, stayed", Align::Right),
            ("Rank, left", Align::Right),
        ],
    )
    .row_header(0);
    for item in result.stayers_outcome.order() {
        let figures = &result.items[item];
        table.push(vec![
            from.responses.items[item].label_or_id().to_string(),
            figure_or_dash(figures.stayers_score),
            figure_or_dash(figures.leavers_score),
            figure_or_dash(figures.difference),
            figures.stayers_rank.to_string(),
            figures.leavers_rank.to_string(),
        ]);
    }
    table
}
