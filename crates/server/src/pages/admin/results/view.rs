//! What the results page shows, made from the results documents: every number written by
//! `report::numbers`, methods and weightings in `report::plain` words, the findings of
//! `report::findings`, and only the groups the disclosure rule lets be shown on their own.

use std::sync::Arc;

use report::Ranked;
use report::charts::{GroupRankHeatmap, inline_svg, join_phrases};
use report::findings::{
    MethodDifference, agreement_strength, crossing_cut, dividing_items, in_every_group_top,
    is_certain_place, method_difference,
};
use report::numbers::{correlation_for_reading, ordinal, rank_interval_in_places};
use report::results::{MethodEntry, RankingRow, ResultsDocument};

/// The rows of the item-by-group table shown on the page itself; the rest are behind a
/// disclosure, so that a long list does not make a page thousands of pixels tall. A list at
/// most [`ALL_ROWS_UP_TO`] long is shown whole.
pub const ROWS_ON_PAGE: usize = 20;

/// A list this long or shorter is shown whole on the page.
pub const ALL_ROWS_UP_TO: usize = 25;

/// How many of the items that divide the groups most are named.
const DIVIDING_ITEMS: usize = 5;

/// How many items whose place another method changes are named for each method.
const MOVED_ITEMS: usize = 6;

/// How many topics a sentence names before it counts the rest.
const NAMED_IN_A_SENTENCE: usize = 8;

/// Names as a sentence list, the first [`NAMED_IN_A_SENTENCE`] of them, then how many more.
fn some_names(names: &[String]) -> String {
    if names.len() <= NAMED_IN_A_SENTENCE {
        return join_phrases(names);
    }
    let mut shown = names[..NAMED_IN_A_SENTENCE].to_vec();
    shown.push(format!("{} more", names.len() - NAMED_IN_A_SENTENCE));
    join_phrases(&shown)
}

/// The comparison of methods, as far as it could be made.
pub enum Comparison {
    /// Every method that fits, the headline one first.
    Ready(Arc<Ranked>),
    /// Still being computed, or no room to compute it now.
    Waiting,
    /// It cannot be made for these data, and why.
    Failed(String),
}

/// One item's row of the item-by-group table.
pub struct GridRow {
    pub rank: String,
    pub title: String,
    pub score: String,
    pub interval: String,
    pub group_ranks: Vec<String>,
}

/// One row of a group's own ranking.
pub struct GroupRow {
    pub rank: String,
    pub title: String,
    pub score: String,
    pub interval: String,
}

/// A shown group's own ranking.
pub struct GroupTable {
    pub label: String,
    pub respondents: u64,
    pub rows: Vec<GroupRow>,
}

/// Everything the page shows of the results.
pub struct ResultsView {
    /// "JLA points, each group counted equally".
    pub method_text: String,
    pub respondents: u64,
    /// The shown groups' labels, one column each.
    pub groups: Vec<String>,
    /// The sentence that names the pooled groups, if any.
    pub pooled_sentence: Option<String>,
    /// Groups the method could not rank on their own.
    pub failures: Vec<String>,
    pub has_intervals: bool,
    pub grid_caption: String,
    pub rows: Vec<GridRow>,
    pub more_rows: Vec<GridRow>,
    pub more_summary: String,
    /// The heatmap of the rows on the page, as inline SVG with its text alternative.
    pub heatmap: Option<String>,
    pub agreement: Vec<String>,
    pub dividing_intro: Option<String>,
    pub dividing: Vec<String>,
    pub certainty: Vec<String>,
    pub methods: Vec<String>,
    pub group_tables: Vec<GroupTable>,
}

/// The view of `document` (the headline method with its bootstrap), with the comparison of
/// methods.
pub fn build(
    exercise: &survey::Exercise,
    document: &ResultsDocument,
    comparison: &Comparison,
) -> ResultsView {
    let group_label = |id: &str| {
        exercise
            .group(id)
            .map_or_else(|| id.to_string(), |group| group.label.clone())
    };
    let title = |row: &RankingRow| {
        exercise
            .item(&row.item)
            .map_or_else(|| row.label.clone(), |item| item.title.clone())
    };
    let top_k = document.settings.top_k;
    let Some(entry) = document.results.first() else {
        return empty_view(document);
    };
    let method_text = report::plain::method_and_weighting(entry.method, entry.weighting);
    let groups: Vec<String> = entry
        .groups
        .iter()
        .map(|group| group_label(&group.group))
        .collect();
    let pooled: Vec<String> = document
        .input
        .suppressed_groups
        .iter()
        .map(|id| group_label(id))
        .collect();
    let pooled_sentence = (!pooled.is_empty()).then(|| {
        format!(
            "{} are not shown on their own: a group with fewer than {} people answering is \
             counted only together with others, so that no one can be picked out. Their \
             answers count in the overall list.",
            join_phrases(&pooled),
            document.settings.disclosure_threshold
        )
    });
    let failures = entry
        .group_failures
        .iter()
        .map(|failure| {
            format!(
                "{} could not be ranked on its own: {}.",
                group_label(&failure.group),
                failure.reason
            )
        })
        .collect();
    let grid_row = |row: &RankingRow| GridRow {
        rank: row.rank.to_string(),
        title: title(row),
        score: row
            .score
            .map_or_else(|| "–".to_string(), report::numbers::score_for_results_page),
        interval: interval(row),
        group_ranks: entry
            .groups
            .iter()
            .map(|group| {
                group
                    .ranking
                    .iter()
                    .find(|other| other.item == row.item)
                    .map_or_else(|| "–".to_string(), |other| other.rank.to_string())
            })
            .collect(),
    };
    let on_page = if entry.ranking.len() <= ALL_ROWS_UP_TO {
        entry.ranking.len()
    } else {
        ROWS_ON_PAGE.max(top_k).min(entry.ranking.len())
    };
    let rows: Vec<GridRow> = entry.ranking[..on_page].iter().map(&grid_row).collect();
    let more_rows: Vec<GridRow> = entry.ranking[on_page..].iter().map(&grid_row).collect();
    let more_summary = if more_rows.is_empty() {
        String::new()
    } else {
        format!(
            "Places {} to {}: the other {} topics",
            entry.ranking[on_page].rank,
            entry.ranking.last().map_or(0, |row| row.rank),
            more_rows.len()
        )
    };
    let grid_caption = if groups.is_empty() {
        format!("The overall list ({method_text})")
    } else {
        format!("The overall list, and each group's rank of each topic ({method_text})")
    };
    let heatmap = heatmap(document, entry, &groups, &method_text, on_page);
    let (dividing_intro, dividing) = dividing(entry, &group_label, &title);
    ResultsView {
        method_text: method_text.clone(),
        respondents: document.input.respondents,
        groups,
        pooled_sentence,
        failures,
        has_intervals: document.settings.bootstrap.is_some(),
        grid_caption,
        rows,
        more_rows,
        more_summary,
        heatmap,
        agreement: agreement(document, entry, &group_label, &title),
        dividing_intro,
        dividing,
        certainty: certainty(document, entry, &title),
        methods: methods(entry, top_k, comparison, &title),
        group_tables: entry
            .groups
            .iter()
            .map(|group| GroupTable {
                label: group_label(&group.group),
                respondents: group.respondents,
                rows: group
                    .ranking
                    .iter()
                    .map(|row| GroupRow {
                        rank: row.rank.to_string(),
                        title: title(row),
                        score: row.score.map_or_else(
                            || "–".to_string(),
                            report::numbers::score_for_results_page,
                        ),
                        interval: interval(row),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn empty_view(document: &ResultsDocument) -> ResultsView {
    ResultsView {
        method_text: String::new(),
        respondents: document.input.respondents,
        groups: Vec::new(),
        pooled_sentence: None,
        failures: Vec::new(),
        has_intervals: false,
        grid_caption: String::new(),
        rows: Vec::new(),
        more_rows: Vec::new(),
        more_summary: String::new(),
        heatmap: None,
        agreement: Vec::new(),
        dividing_intro: None,
        dividing: Vec::new(),
        certainty: Vec::new(),
        methods: Vec::new(),
        group_tables: Vec::new(),
    }
}

/// An item's 95% rank interval in places ("1st–2nd"), or nothing without a bootstrap.
fn interval(row: &RankingRow) -> String {
    row.rank_interval.map_or_else(String::new, |[low, high]| {
        rank_interval_in_places(low, high)
    })
}

/// The heatmap of the first `count` items, with the groups' labels and the method in words.
fn heatmap(
    document: &ResultsDocument,
    entry: &MethodEntry,
    groups: &[String],
    method_text: &str,
    count: usize,
) -> Option<String> {
    if groups.is_empty() {
        return None;
    }
    let mut chart = GroupRankHeatmap::from_results(document, Some(entry.method), Some(count))?;
    chart.groups = groups.to_vec();
    chart.title = format!("Rank of the top {} topics in each group", chart.rows.len());
    chart.subtitle = format!(
        "By {method_text}. Each cell is the topic's rank in that group's own list; 1 is the \
         highest priority, and darker cells rank higher."
    );
    // The pooled groups are named once, in the page's text, never beside the grid.
    chart.note = String::new();
    match inline_svg(&chart) {
        Ok(svg) => Some(svg),
        Err(error) => {
            tracing::warn!("the heatmap of the results page failed: {error}");
            None
        }
    }
}

/// Kendall's W among everyone and the pairs of groups that agree most and least, in words.
fn agreement(
    document: &ResultsDocument,
    entry: &MethodEntry,
    group_label: &dyn Fn(&str) -> String,
    title: &dyn Fn(&RankingRow) -> String,
) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let top_k = document.settings.top_k;
    match &document.agreement {
        Some(agreement) => match agreement.kendall_w {
            Some(w) => paragraphs.push(format!(
                "How far the {} people agree on the order of the topics: {} agreement (Kendall's \
                 W is {}, on a scale from 0, no agreement, to 1, everyone giving the same \
                 order).",
                agreement.raters.unwrap_or(document.input.respondents),
                agreement_strength(w),
                report::numbers::score_for_reading(w)
            )),
            None => paragraphs.push(format!(
                "How far people agree on the order could not be measured for these answers: {}.",
                agreement
                    .undefined
                    .as_deref()
                    .unwrap_or("no reason was given")
            )),
        },
        None => paragraphs.push(
            "How far people agree on the order is not measured for this kind of answer."
                .to_string(),
        ),
    }
    if entry.groups.len() < 2 {
        paragraphs.push(
            "Fewer than two groups can be shown on their own, so the groups are not compared."
                .to_string(),
        );
        return paragraphs;
    }
    let shared: Vec<String> = in_every_group_top(entry, top_k)
        .into_iter()
        .map(title)
        .collect();
    // With no more topics than places in the top list, every topic is in every top list.
    if top_k < entry.ranking.len() {
        paragraphs.push(if shared.is_empty() {
            format!("No topic is in the top {top_k} of every group shown.")
        } else {
            format!(
                "Every group shown puts {} in its own top {top_k}.",
                some_names(&shared)
            )
        });
    }
    let mut pairs: Vec<_> = entry
        .group_agreement
        .iter()
        .filter(|pair| pair.kendall_tau_b.is_some())
        .collect();
    pairs.sort_by(|a, b| {
        b.kendall_tau_b
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&a.kendall_tau_b.unwrap_or(f64::NEG_INFINITY))
    });
    if let (Some(closest), Some(furthest)) = (pairs.first(), pairs.last())
        && pairs.len() > 1
    {
        let pair = |pair: &report::results::GroupPairEntry| {
            format!(
                "{} and {} (Kendall's τ-b {}; {} topics in both top {top_k} lists)",
                group_label(&pair.groups[0]),
                group_label(&pair.groups[1]),
                correlation_for_reading(pair.kendall_tau_b),
                pair.top_k_shared.len()
            )
        };
        paragraphs.push(format!(
            "The two groups whose lists are closest: {}. The furthest apart: {}. (τ-b runs from \
             −1, opposite orders, to 1, the same order.)",
            pair(closest),
            pair(furthest)
        ));
    }
    paragraphs
}

/// The items whose ranks differ most between the shown groups, each with every group's rank.
fn dividing(
    entry: &MethodEntry,
    group_label: &dyn Fn(&str) -> String,
    title: &dyn Fn(&RankingRow) -> String,
) -> (Option<String>, Vec<String>) {
    if entry.groups.len() < 2 {
        return (None, Vec::new());
    }
    let items: Vec<String> = dividing_items(entry)
        .into_iter()
        .filter(|row| {
            row.divergence
                .as_ref()
                .is_some_and(|entry| entry.spread > 0)
        })
        .take(DIVIDING_ITEMS)
        .map(|row| {
            let ranks: Vec<String> = entry
                .groups
                .iter()
                .filter_map(|group| {
                    let rank = group
                        .ranking
                        .iter()
                        .find(|other| other.item == row.item)?
                        .rank;
                    Some(format!("{} {}", group_label(&group.group), ordinal(rank)))
                })
                .collect();
            format!(
                "{}: {} overall; {}",
                title(row),
                ordinal(row.rank),
                ranks.join(", ")
            )
        })
        .collect();
    if items.is_empty() {
        return (
            Some("Every group shown gives every topic the same place.".to_string()),
            Vec::new(),
        );
    }
    (
        Some(format!(
            "The {} on which the groups differ most (the widest gap between one group's place \
             and another's):",
            if items.len() == 1 {
                "topic".to_string()
            } else {
                format!("{} topics", items.len())
            }
        )),
        items,
    )
}

/// Which places the bootstrap settles and which could change, in words.
fn certainty(
    document: &ResultsDocument,
    entry: &MethodEntry,
    title: &dyn Fn(&RankingRow) -> String,
) -> Vec<String> {
    let top_k = document.settings.top_k.min(entry.ranking.len());
    let Some(resamples) = document.settings.bootstrap else {
        return vec![
            "How certain each place is was not measured (no resampling was asked for).".to_string(),
        ];
    };
    let mut paragraphs = vec![format!(
        "The answers were resampled {resamples} times (a bootstrap) and the list made again \
         each time. A topic's likely places, in the table, are where it came in 95% of those \
         lists: “1st–2nd” means it could be first or second."
    )];
    let settled: Vec<String> = entry
        .ranking
        .iter()
        .filter(|row| is_certain_place(row))
        .map(|row| format!("{} ({})", title(row), ordinal(row.rank)))
        .collect();
    paragraphs.push(if settled.is_empty() {
        "No place is settled: every topic could come in more than one place.".to_string()
    } else if settled.len() == entry.ranking.len() {
        "Every place is settled: each topic came in the same place in 95% of the lists.".to_string()
    } else if settled.len() > 12 {
        format!(
            "{} of the {} places are settled (the topic came in that place in 95% of the \
             lists); the table shows which.",
            settled.len(),
            entry.ranking.len()
        )
    } else {
        format!(
            "Settled places (the topic came in that place in 95% of the lists): {}.",
            join_phrases(&settled)
        )
    });
    let could_swap: Vec<String> = entry
        .ranking
        .iter()
        .filter(|row| row.rank <= top_k && !is_certain_place(row))
        .map(|row| format!("{} ({})", title(row), interval(row)))
        .collect();
    if !could_swap.is_empty() {
        paragraphs.push(format!(
            "In the top {top_k}, these could swap places with a neighbour: {}.",
            some_names(&could_swap)
        ));
    }
    let crossing: Vec<String> = crossing_cut(&entry.ranking, top_k)
        .map(|row| format!("{} ({})", title(row), interval(row)))
        .collect();
    paragraphs.push(if crossing.is_empty() {
        format!(
            "The top {top_k} is clear: no topic's likely places cross the line between {} and \
             {}.",
            ordinal(top_k),
            ordinal(top_k + 1)
        )
    } else {
        format!(
            "These could be in or out of the top {top_k}: {}.",
            some_names(&crossing)
        )
    });
    paragraphs
}

/// Whether each other method that fits would change the top of the list, in words.
fn methods(
    entry: &MethodEntry,
    top_k: usize,
    comparison: &Comparison,
    title: &dyn Fn(&RankingRow) -> String,
) -> Vec<String> {
    let ranked = match comparison {
        Comparison::Ready(ranked) => ranked,
        Comparison::Waiting => {
            return vec![
                "The other methods are still being compared: this page refreshes until they are."
                    .to_string(),
            ];
        }
        Comparison::Failed(reason) => {
            return vec![format!(
                "The other methods could not be compared: {reason}."
            )];
        }
    };
    let document = &ranked.document;
    let Some(headline) = document
        .results
        .iter()
        .find(|other| other.method == entry.method)
    else {
        return Vec::new();
    };
    let top_k = top_k.min(headline.ranking.len());
    let differences: Vec<MethodDifference> = document
        .results
        .iter()
        .filter(|other| other.method != entry.method)
        .map(|other| method_difference(headline, other, top_k))
        .collect();
    if differences.is_empty() {
        return vec!["No other method fits these answers, so none was compared.".to_string()];
    }
    let name = |method: rank::Method| report::plain::method_in_words(method).to_string();
    let mut paragraphs = Vec::new();
    let same: Vec<String> = differences
        .iter()
        .filter(|difference| difference.same_top())
        .map(|difference| name(difference.method))
        .collect();
    if !same.is_empty() {
        paragraphs.push(format!(
            "The top {top_k} is the same, in the same order, under {} as under {}.",
            join_phrases(&same),
            report::plain::method_in_words(entry.method)
        ));
    }
    let label_of = |item: &str| {
        headline
            .ranking
            .iter()
            .find(|row| row.item == item)
            .map_or_else(|| item.to_string(), title)
    };
    for difference in differences
        .iter()
        .filter(|difference| !difference.same_top())
    {
        let start = if difference.same_places == 0 {
            "the list differs from the first place".to_string()
        } else if difference.same_places == 1 {
            "the first place is the same".to_string()
        } else {
            format!("the first {} places are the same", difference.same_places)
        };
        let moved = &difference.moved;
        let change = match moved.as_slice() {
            [first, second]
                if first.other_rank == Some(second.rank)
                    && second.other_rank == Some(first.rank) =>
            {
                format!(
                    "{} and {} swap places {} and {}",
                    label_of(&first.item),
                    label_of(&second.item),
                    ordinal(first.rank),
                    ordinal(second.rank)
                )
            }
            _ => {
                let mut parts: Vec<String> = moved
                    .iter()
                    .take(MOVED_ITEMS)
                    .map(|item| {
                        format!(
                            "{} comes {} (not {})",
                            label_of(&item.item),
                            item.other_rank
                                .map_or_else(|| "unranked".to_string(), ordinal),
                            ordinal(item.rank)
                        )
                    })
                    .collect();
                if moved.len() > MOVED_ITEMS {
                    parts.push(format!(
                        "{} more topics near the top move",
                        moved.len() - MOVED_ITEMS
                    ));
                }
                join_phrases(&parts)
            }
        };
        paragraphs.push(format!(
            "Under {}, {start}; {change}. {} topics are in the top {top_k} under both.",
            name(difference.method),
            difference.shared_top
        ));
    }
    paragraphs
}
