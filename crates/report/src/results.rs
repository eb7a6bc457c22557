//! The results document: the `prioritise rank --format json` object (DESIGN.md), and the same
//! results as CSV.

use crate::numbers;
use std::io::Write;

use rank::agreement::{AgreementError, KendallW};
use rank::analysis::{Agreement, Analysis, MethodResult};
use rank::bootstrap::ItemUncertainty;
use rank::{Details, Method, Outcome, Weighting};
use serde::{Serialize, Serializer};
use survey::responses::{ItemInfo, neutralise_formula};

mod details;

pub use details::MethodDetails;

/// What the results are about: the labels and the input, which `rank` does not know.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// The items, by index.
    pub items: &'a [ItemInfo],
    /// The group ids, by index.
    pub groups: &'a [String],
    /// The weighting the overall results use.
    pub weighting: Weighting,
    /// k of the top-k list.
    pub top_k: usize,
    /// The input summary.
    pub input: InputSummary,
    /// Settings worth recording for reproducibility.
    pub settings: Settings,
}

impl Context<'_> {
    /// The ids of items given by index.
    fn item_ids(&self, items: &[usize]) -> Vec<String> {
        items
            .iter()
            .map(|&item| self.items[item].id.clone())
            .collect()
    }
}

/// The `input` section.
#[derive(Debug, Clone, Serialize)]
pub struct InputSummary {
    /// SHA-256 of the input file, in hex.
    pub sha256: String,
    /// `ranking`, `rating`, `pick` or `pairwise`.
    pub kind: String,
    /// Respondents whose answers were ranked (counting PrefLib multiplicities).
    pub respondents: u64,
    /// The number of items.
    pub items: usize,
    /// Every group id.
    pub groups: Vec<String>,
    /// Respondents left out, and why.
    pub excluded: Vec<Excluded>,
    /// Groups under the disclosure threshold: they count overall but are not shown alone.
    pub suppressed_groups: Vec<String>,
}

/// One excluded respondent.
#[derive(Debug, Clone, Serialize)]
pub struct Excluded {
    /// The respondent id.
    pub respondent: String,
    /// Why.
    pub reason: String,
}

/// The `settings` section: what a reader needs to repeat the result.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// k of the top-k list.
    pub top_k: usize,
    /// Bootstrap resamples, if any.
    pub bootstrap: Option<usize>,
    /// The seed of the bootstrap.
    pub seed: Option<u64>,
    /// Groups with fewer respondents are not shown on their own.
    pub disclosure_threshold: u64,
    /// The rating scale and where it came from, for rating data.
    pub scale: Option<String>,
    /// The program and version.
    pub program: String,
}

/// The whole document.
#[derive(Debug, Clone, Serialize)]
pub struct ResultsDocument {
    /// What was ranked.
    pub input: InputSummary,
    /// How.
    pub settings: Settings,
    /// One entry per method, in the order asked.
    pub results: Vec<MethodEntry>,
    /// Kendall's W, where defined for the data.
    pub agreement: Option<AgreementEntry>,
    /// The comparison of methods, with several methods.
    pub comparison: Option<ComparisonEntry>,
    /// Group-informed consensus of each item, for rating data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_consensus: Option<ConsensusEntry>,
}

/// Group-informed consensus (Pol.is): per item, the product over groups of
/// (agree + 1) / (answers + 2).
#[derive(Debug, Clone, Serialize)]
pub struct ConsensusEntry {
    /// Ratings at or above this count as agreeing.
    pub agree_from: i16,
    /// Items from the most to the least consensus.
    pub items: Vec<ConsensusItem>,
}

/// One item's group-informed consensus.
#[derive(Debug, Clone, Serialize)]
pub struct ConsensusItem {
    /// The item id.
    pub item: String,
    /// The consensus, in (0, 1).
    pub consensus: f64,
}

/// One method's results.
#[derive(Debug, Clone, Serialize)]
pub struct MethodEntry {
    /// The method, written by its name.
    #[serde(serialize_with = "by_name")]
    pub method: Method,
    /// The weighting, written by its name.
    #[serde(serialize_with = "by_name")]
    pub weighting: Weighting,
    /// The overall ranking, in rank order; ties listed by item id.
    pub ranking: Vec<RankingRow>,
    /// Each disclosed group's own ranking.
    pub groups: Vec<GroupEntry>,
    /// Agreement between every pair of disclosed groups.
    pub group_agreement: Vec<GroupPairEntry>,
    /// Disclosed groups whose own data this method could not rank, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group_failures: Vec<GroupFailureEntry>,
    /// Method-specific figures (Kemeny's objective, a model fit's convergence, CHNRI's
    /// agreement).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<MethodDetails>,
}

/// Writes a method or weighting as its name, the one used on the command line.
fn by_name<T: std::fmt::Display, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// Writes two methods as their names.
fn pair_by_name<S: Serializer>(methods: &[Method; 2], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(methods.iter().map(|method| method.as_str()))
}

/// One item's place.
#[derive(Debug, Clone, Serialize)]
pub struct RankingRow {
    /// The item id.
    pub item: String,
    /// The item label.
    pub label: String,
    /// Standard competition rank: tied items share a rank and the next rank skips.
    pub rank: usize,
    /// The score (higher is better); `null` when undefined, such as a mean of no ratings.
    pub score: Option<f64>,
    /// The 2.5% and 97.5% bootstrap percentiles of the rank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank_interval: Option<[usize; 2]>,
    /// The 2.5% and 97.5% bootstrap percentiles of the score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score_interval: Option<[Option<f64>; 2]>,
    /// The share of resamples in which the item is in the top k.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_top: Option<f64>,
    /// A classification, for Delphi (`consensus-in`, ...) and RAND/UCLA (`appropriate`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// How the disclosed groups' ranks of the item spread (overall rankings only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub divergence: Option<DivergenceEntry>,
}

/// The spread of one item's rank across groups.
#[derive(Debug, Clone, Serialize)]
pub struct DivergenceEntry {
    /// The best rank any group gives it.
    pub best_rank: usize,
    /// The worst rank any group gives it.
    pub worst_rank: usize,
    /// Worst minus best.
    pub spread: usize,
    /// Groups that rank it at least five places from its overall rank.
    pub far_groups: Vec<String>,
}

/// A group the method could not rank on its own.
#[derive(Debug, Clone, Serialize)]
pub struct GroupFailureEntry {
    /// The group id.
    pub group: String,
    /// Why.
    pub reason: String,
}

/// A group's own ranking.
#[derive(Debug, Clone, Serialize)]
pub struct GroupEntry {
    /// The group id.
    pub group: String,
    /// Its respondents.
    pub respondents: u64,
    /// Its ranking, each respondent weighing 1.
    pub ranking: Vec<RankingRow>,
}

/// Agreement between two groups.
#[derive(Debug, Clone, Serialize)]
pub struct GroupPairEntry {
    /// The two groups.
    pub groups: [String; 2],
    /// Spearman's ρ.
    pub spearman_rho: Option<f64>,
    /// Kendall's τ-b.
    pub kendall_tau_b: Option<f64>,
    /// The items both have in their top k.
    pub top_k_shared: Vec<String>,
    /// Shared items as a share of k.
    pub top_k_overlap: f64,
}

/// Kendall's W.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementEntry {
    /// W in [0, 1].
    pub kendall_w: Option<f64>,
    /// χ² = k (m − 1) W.
    pub chi_square: Option<f64>,
    /// m − 1.
    pub df: Option<usize>,
    /// From the χ² distribution.
    pub p_value: Option<f64>,
    /// Raters counted.
    pub raters: Option<u64>,
    /// Raters left out (rating data: those who did not rate every item).
    pub left_out: Option<u64>,
    /// Why W is undefined, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
    /// W within each disclosed group.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupAgreementEntry>,
}

/// Kendall's W within a group.
#[derive(Debug, Clone, Serialize)]
pub struct GroupAgreementEntry {
    /// The group id.
    pub group: String,
    /// W and its test.
    #[serde(flatten)]
    pub agreement: AgreementEntry,
}

/// The comparison of methods.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonEntry {
    /// k of the top-k overlap.
    pub top_k: usize,
    /// Every pair of methods.
    pub pairs: Vec<MethodPairEntry>,
    /// Items in the top k under some methods but not all: the list depends on the method.
    pub method_dependent: Vec<String>,
}

/// Two methods compared.
#[derive(Debug, Clone, Serialize)]
pub struct MethodPairEntry {
    /// The two methods, written by their names.
    #[serde(serialize_with = "pair_by_name")]
    pub methods: [Method; 2],
    /// Spearman's ρ of their scores.
    pub spearman_rho: Option<f64>,
    /// Kendall's τ-b of their scores.
    pub kendall_tau_b: Option<f64>,
    /// Items in both top k.
    pub top_k_shared: Vec<String>,
    /// Shared items as a share of k.
    pub top_k_overlap: f64,
}

fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

fn agreement_entry(result: &Result<KendallW, AgreementError>) -> AgreementEntry {
    match result {
        Ok(w) => AgreementEntry {
            kendall_w: finite(w.w),
            chi_square: finite(w.chi_square),
            df: Some(w.degrees_of_freedom),
            p_value: finite(w.p_value),
            raters: Some(w.raters),
            left_out: Some(w.left_out),
            undefined: None,
            groups: Vec::new(),
        },
        Err(error) => AgreementEntry {
            kendall_w: None,
            chi_square: None,
            df: None,
            p_value: None,
            raters: None,
            left_out: None,
            undefined: Some(error.to_string()),
            groups: Vec::new(),
        },
    }
}

fn item_class(details: &Details, item: usize) -> Option<String> {
    match details {
        Details::Delphi(classes) => classes.get(item).map(|class| class.as_str().to_string()),
        Details::RandUcla(items) => items
            .get(item)
            .map(|entry| entry.final_class().as_str().to_string()),
        _ => None,
    }
}

/// The rows of an outcome in rank order, ties listed by item id.
fn ranking_rows(
    outcome: &Outcome,
    context: &Context<'_>,
    uncertainty: Option<&[ItemUncertainty]>,
) -> Vec<RankingRow> {
    let mut order: Vec<usize> = (0..outcome.item_count()).collect();
    order.sort_by(|&a, &b| {
        outcome.ranks[a]
            .cmp(&outcome.ranks[b])
            .then_with(|| context.items[a].id.cmp(&context.items[b].id))
    });
    order
        .into_iter()
        .map(|item| {
            let uncertain = uncertainty.and_then(|items| items.get(item));
            RankingRow {
                item: context.items[item].id.clone(),
                label: context.items[item].label_or_id().to_string(),
                rank: outcome.ranks[item],
                score: finite(outcome.scores[item]),
                rank_interval: uncertain
                    .map(|entry| [entry.rank_interval.0, entry.rank_interval.1]),
                score_interval: uncertain.map(|entry| {
                    [
                        finite(entry.score_interval.0),
                        finite(entry.score_interval.1),
                    ]
                }),
                p_top: uncertain.map(|entry| entry.p_top),
                class: item_class(&outcome.details, item),
                divergence: None,
            }
        })
        .collect()
}

fn method_entry(result: &MethodResult, analysis: &Analysis, context: &Context<'_>) -> MethodEntry {
    let overall_uncertainty = result
        .uncertainty
        .as_ref()
        .map(|summary| summary.items.as_slice());
    let mut ranking = ranking_rows(&result.overall, context, overall_uncertainty);
    if !result.divergence.is_empty() {
        for row in &mut ranking {
            let item = context
                .items
                .iter()
                .position(|info| info.id == row.item)
                .unwrap_or(0);
            if let Some(Some(entry)) = result.divergence.get(item) {
                row.divergence = Some(DivergenceEntry {
                    best_rank: entry.best_rank,
                    worst_rank: entry.worst_rank,
                    spread: entry.spread,
                    far_groups: entry
                        .far_groups
                        .iter()
                        .map(|&group| context.groups[group].clone())
                        .collect(),
                });
            }
        }
    }
    let groups = result
        .groups
        .iter()
        .enumerate()
        .filter_map(|(group, outcome)| {
            let outcome = outcome.as_ref()?;
            let uncertainty = result
                .uncertainty
                .as_ref()
                .and_then(|summary| summary.groups.get(group))
                .and_then(|entry| entry.as_deref());
            Some(GroupEntry {
                group: context.groups[group].clone(),
                respondents: analysis.group_sizes[group],
                ranking: ranking_rows(outcome, context, uncertainty),
            })
        })
        .collect();
    let group_agreement = result
        .group_pairs
        .iter()
        .map(|pair| GroupPairEntry {
            groups: [
                context.groups[pair.first].clone(),
                context.groups[pair.second].clone(),
            ],
            spearman_rho: pair.spearman_rho,
            kendall_tau_b: pair.kendall_tau_b,
            top_k_shared: context.item_ids(&pair.top_overlap.shared),
            top_k_overlap: pair.top_overlap.proportion,
        })
        .collect();
    MethodEntry {
        method: result.method,
        weighting: context.weighting,
        ranking,
        groups,
        group_agreement,
        group_failures: result
            .group_failures
            .iter()
            .map(|(group, error)| GroupFailureEntry {
                group: context.groups[*group].clone(),
                reason: error.to_string(),
            })
            .collect(),
        details: MethodDetails::of(&result.overall.details),
    }
}

fn agreement_section(agreement: &Agreement, context: &Context<'_>) -> AgreementEntry {
    let mut entry = agreement_entry(&agreement.overall);
    entry.groups = agreement
        .groups
        .iter()
        .enumerate()
        .filter_map(|(group, result)| {
            result.as_ref().map(|result| GroupAgreementEntry {
                group: context.groups[group].clone(),
                agreement: agreement_entry(result),
            })
        })
        .collect();
    entry
}

/// Arranges an analysis as the results document.
pub fn results_document(analysis: &Analysis, context: &Context<'_>) -> ResultsDocument {
    let results = analysis
        .results
        .iter()
        .map(|result| method_entry(result, analysis, context))
        .collect();
    let comparison = analysis
        .comparison
        .as_ref()
        .map(|comparison| ComparisonEntry {
            top_k: context.top_k,
            pairs: comparison
                .pairs
                .iter()
                .map(|pair| MethodPairEntry {
                    methods: [
                        analysis.results[pair.first].method,
                        analysis.results[pair.second].method,
                    ],
                    spearman_rho: pair.spearman_rho,
                    kendall_tau_b: pair.kendall_tau_b,
                    top_k_shared: context.item_ids(&pair.top_overlap.shared),
                    top_k_overlap: pair.top_overlap.proportion,
                })
                .collect(),
            method_dependent: context.item_ids(&comparison.method_dependent),
        });
    ResultsDocument {
        input: context.input.clone(),
        settings: context.settings.clone(),
        results,
        agreement: analysis
            .agreement
            .as_ref()
            .map(|agreement| agreement_section(agreement, context)),
        comparison,
        group_consensus: analysis.consensus.as_ref().map(|(agree_from, values)| {
            let mut items: Vec<ConsensusItem> = values
                .iter()
                .enumerate()
                .map(|(item, &consensus)| ConsensusItem {
                    item: context.items[item].id.clone(),
                    consensus,
                })
                .collect();
            items.sort_by(|a, b| {
                b.consensus
                    .total_cmp(&a.consensus)
                    .then_with(|| a.item.cmp(&b.item))
            });
            ConsensusEntry {
                agree_from: *agree_from,
                items,
            }
        }),
    }
}

/// Writes the results as CSV, one row per method, scope and item: `method, weighting, scope
/// (overall or group), group, item, label, rank, score, rank_low, rank_high, p_top, class`.
/// Text cells are neutralised so that a spreadsheet shows them as text, never as formulas.
///
/// # Errors
/// The writer's I/O error.
pub fn results_csv<W: Write>(document: &ResultsDocument, output: W) -> std::io::Result<W> {
    let mut writer = csv::Writer::from_writer(output);
    writer.write_record([
        "method",
        "weighting",
        "scope",
        "group",
        "item",
        "label",
        "rank",
        "score",
        "rank_low",
        "rank_high",
        "p_top",
        "class",
    ])?;
    for entry in &document.results {
        let scopes = std::iter::once(("overall", "", &entry.ranking)).chain(
            entry
                .groups
                .iter()
                .map(|group| ("group", group.group.as_str(), &group.ranking)),
        );
        for (scope, group, rows) in scopes {
            for row in rows {
                let rank = row.rank.to_string();
                let (low, high) = match row.rank_interval {
                    Some([low, high]) => (low.to_string(), high.to_string()),
                    None => (String::new(), String::new()),
                };
                writer.write_record([
                    entry.method.as_str(),
                    entry.weighting.as_str(),
                    scope,
                    neutralise_formula(group).as_ref(),
                    neutralise_formula(&row.item).as_ref(),
                    neutralise_formula(&row.label).as_ref(),
                    rank.as_str(),
                    numbers::number_for_csv(row.score).as_str(),
                    low.as_str(),
                    high.as_str(),
                    numbers::number_for_csv(row.p_top).as_str(),
                    row.class.as_deref().unwrap_or_default(),
                ])?;
            }
        }
    }
    writer.into_inner().map_err(|error| error.into_error())
}

#[cfg(test)]
mod tests;
