//! What the results say, for readers: the findings the method report states and that the
//! service's results view puts in plain words (agreement between groups, the items that
//! divide them, which places are certain, and how another method would change the list).
//! One place, so that both say the same about the same results.

use rank::Method;

use crate::results::{MethodEntry, RankingRow};

/// Strength of agreement for Kendall's W: the nearest of Schmidt's (1997) reference points
/// (0.1 very weak, 0.3 weak, 0.5 moderate, 0.7 strong, 0.9 unusually strong).
pub fn agreement_strength(w: f64) -> &'static str {
    if w < 0.2 {
        "very weak"
    } else if w < 0.4 {
        "weak"
    } else if w < 0.6 {
        "moderate"
    } else if w < 0.8 {
        "strong"
    } else {
        "unusually strong"
    }
}

/// Whether an item's 95% rank interval is a single place.
pub fn is_certain_place(row: &RankingRow) -> bool {
    row.rank_interval.is_some_and(|[low, high]| low == high)
}

/// The rows whose 95% rank interval crosses the cut between place k and place k + 1.
pub fn crossing_cut(rows: &[RankingRow], top_k: usize) -> impl Iterator<Item = &RankingRow> {
    rows.iter().filter(move |row| {
        row.rank_interval
            .is_some_and(|[low, high]| low <= top_k && high > top_k)
    })
}

/// The items that divide the shown groups most: those with a spread of ranks across groups,
/// the widest spread first, ties in overall rank order.
pub fn dividing_items(entry: &MethodEntry) -> Vec<&RankingRow> {
    let mut dividing: Vec<&RankingRow> = entry
        .ranking
        .iter()
        .filter(|row| row.divergence.is_some())
        .collect();
    dividing.sort_by_key(|row| {
        (
            std::cmp::Reverse(row.divergence.as_ref().map_or(0, |entry| entry.spread)),
            row.rank,
        )
    });
    dividing
}

/// The items every shown group ranks in its own top `top_k`, in overall rank order; none when
/// no group is shown.
pub fn in_every_group_top(entry: &MethodEntry, top_k: usize) -> Vec<&RankingRow> {
    if entry.groups.is_empty() {
        return Vec::new();
    }
    entry
        .ranking
        .iter()
        .filter(|row| {
            entry.groups.iter().all(|group| {
                group
                    .ranking
                    .iter()
                    .any(|other| other.item == row.item && other.rank <= top_k)
            })
        })
        .collect()
}

/// One item whose place differs under another method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedItem {
    /// The item's id.
    pub item: String,
    /// The item's label.
    pub label: String,
    /// Its rank under the headline method.
    pub rank: usize,
    /// Its rank under the other method; `None` when that method did not rank it.
    pub other_rank: Option<usize>,
}

/// How another method's ranking differs from the headline one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodDifference {
    /// The other method.
    pub method: Method,
    /// How many places from the top both give the same item at the same rank.
    pub same_places: usize,
    /// The items of the headline ranking's first `top_k` places, or of the other's, whose
    /// rank differs, in headline rank order.
    pub moved: Vec<MovedItem>,
    /// The items the two methods both have in the top `top_k`, as a count.
    pub shared_top: usize,
}

impl MethodDifference {
    /// Whether the two methods give every item of either top `top_k` the same place.
    pub fn same_top(&self) -> bool {
        self.moved.is_empty()
    }
}

/// How `other` differs from `headline` at the top of the list: the places both agree on from
/// the top, and the items of either top `top_k` whose rank differs.
pub fn method_difference(
    headline: &MethodEntry,
    other: &MethodEntry,
    top_k: usize,
) -> MethodDifference {
    let other_rank = |item: &str| {
        other
            .ranking
            .iter()
            .find(|row| row.item == item)
            .map(|row| row.rank)
    };
    let same_places = headline
        .ranking
        .iter()
        .take_while(|row| other_rank(&row.item) == Some(row.rank))
        .count();
    let moved = headline
        .ranking
        .iter()
        .filter_map(|row| {
            let there = other_rank(&row.item);
            let at_top = row.rank <= top_k || there.is_some_and(|rank| rank <= top_k);
            (at_top && there != Some(row.rank)).then(|| MovedItem {
                item: row.item.clone(),
                label: row.label.clone(),
                rank: row.rank,
                other_rank: there,
            })
        })
        .collect();
    let shared_top = headline
        .ranking
        .iter()
        .filter(|row| row.rank <= top_k && other_rank(&row.item).is_some_and(|rank| rank <= top_k))
        .count();
    MethodDifference {
        method: other.method,
        same_places,
        moved,
        shared_top,
    }
}

#[cfg(test)]
mod tests;
