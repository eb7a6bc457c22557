//! Method sensitivity: each item's rank under each method, as a bump chart (one column per
//! method, one line per item, labelled at both ends).

use std::collections::BTreeSet;

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, Frame, MARKERS, clean_label};
use super::rank_lines::{LinesLayout, RankLines, Series};
use super::{CHART_WIDTH, Chart, ChartError, join_phrases, palette, sealed};
use crate::results::ResultsDocument;

/// One item's line.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityItem {
    /// The item's label.
    pub label: String,
    /// Its rank under each method, in the order of [`MethodSensitivityChart::methods`].
    pub ranks: Vec<Option<usize>>,
}

/// Each item's rank under each method.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodSensitivityChart {
    /// The title.
    pub title: String,
    /// A line under the title.
    pub subtitle: String,
    /// The method names, one column each, left to right.
    pub methods: Vec<String>,
    /// The items, one line each.
    pub items: Vec<SensitivityItem>,
    /// A note under the chart; empty for none.
    pub note: String,
}

impl MethodSensitivityChart {
    /// The items in the top `count` under any of the document's methods, with their rank under
    /// each, ordered by the first method's ranking; `None` with fewer than two methods.
    pub fn from_results(
        document: &ResultsDocument,
        count: usize,
    ) -> Option<MethodSensitivityChart> {
        if document.results.len() < 2 {
            return None;
        }
        let chosen: BTreeSet<&str> = document
            .results
            .iter()
            .flat_map(|entry| {
                entry
                    .ranking
                    .iter()
                    .take(count)
                    .map(|row| row.item.as_str())
            })
            .collect();
        let first = &document.results[0];
        // The first method's order, then anything it did not rank, by id.
        let mut order: Vec<(&str, &str)> = first
            .ranking
            .iter()
            .filter(|row| chosen.contains(row.item.as_str()))
            .map(|row| (row.item.as_str(), row.label.as_str()))
            .collect();
        for entry in &document.results[1..] {
            for row in &entry.ranking {
                if chosen.contains(row.item.as_str())
                    && !order.iter().any(|(item, _)| *item == row.item)
                {
                    order.push((row.item.as_str(), row.label.as_str()));
                }
            }
        }
        let items = order
            .into_iter()
            .map(|(item, label)| SensitivityItem {
                label: label.to_string(),
                ranks: document
                    .results
                    .iter()
                    .map(|entry| {
                        entry
                            .ranking
                            .iter()
                            .find(|row| row.item == item)
                            .map(|row| row.rank)
                    })
                    .collect(),
            })
            .collect();
        Some(MethodSensitivityChart {
            title: "How the ranking depends on the method".to_string(),
            subtitle: format!(
                "Each line follows one item's rank under each method (weighting: {}); the items \
                 shown are those in the top {count} under any method.",
                first.weighting
            ),
            methods: document
                .results
                .iter()
                .map(|entry| entry.method.to_string())
                .collect(),
            items,
            note: String::new(),
        })
    }

    fn lines(&self) -> RankLines {
        RankLines {
            columns: self.methods.clone(),
            series: self
                .items
                .iter()
                .enumerate()
                .map(|(index, item)| Series {
                    label: item.label.clone(),
                    ranks: item.ranks.clone(),
                    colour: palette::category(index),
                    marker: MARKERS[index % MARKERS.len()],
                    // After the seventh colour, lines are dashed, so that colour and marker
                    // pairs do not repeat within 70 items.
                    dashed: (index / palette::CATEGORIES.len()) % 2 == 1,
                    note: String::new(),
                })
                .collect(),
            column_title: "Method".to_string(),
        }
    }

    fn layout(&self) -> (Frame, RankLines, LinesLayout, f64) {
        let width = f64::from(CHART_WIDTH);
        let frame = Frame::new(&self.title, &self.subtitle, &self.note, width);
        let lines = self.lines();
        let layout = lines.layout(width, frame.content_top());
        let height = (frame.content_top() + layout.height + frame.bottom_room()).ceil();
        (frame, lines, layout, height)
    }
}

impl sealed::Draw for MethodSensitivityChart {
    fn pixel_size(&self) -> (u32, u32) {
        (CHART_WIDTH, self.layout().3 as u32)
    }

    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let (frame, lines, layout, height) = self.layout();
        frame.draw(canvas, height)?;
        lines.draw(canvas, &layout)
    }
}

fn rank_text(rank: Option<usize>) -> String {
    rank.map_or_else(|| "not ranked".to_string(), |rank| rank.to_string())
}

impl Chart for MethodSensitivityChart {
    fn title(&self) -> String {
        clean_label(&self.title)
    }

    fn alt_text(&self) -> String {
        let methods: Vec<String> = self
            .methods
            .iter()
            .map(|method| clean_label(method))
            .collect();
        if self.items.is_empty() {
            return format!("{}: no items to show.", self.title());
        }
        let items: Vec<String> = self
            .items
            .iter()
            .map(|item| {
                let ranks: Vec<String> = (0..methods.len())
                    .map(|column| rank_text(item.ranks.get(column).copied().flatten()))
                    .collect();
                format!("{}: {}", clean_label(&item.label), ranks.join(", "))
            })
            .collect();
        let mut text = format!(
            "Bump chart of the rank of {} items under {} methods ({}), ranks listed in that \
             order. {}.",
            self.items.len(),
            methods.len(),
            join_phrases(&methods),
            items.join("; ")
        );
        let mut widest: Option<(usize, &SensitivityItem, usize, usize)> = None;
        for item in &self.items {
            let ranks: Vec<usize> = item.ranks.iter().flatten().copied().collect();
            if let (Some(&best), Some(&worst)) = (ranks.iter().min(), ranks.iter().max())
                && widest.is_none_or(|(spread, ..)| worst - best > spread)
            {
                widest = Some((worst - best, item, best, worst));
            }
        }
        match widest {
            Some((0, ..)) => text.push_str(" Every method gives every item shown the same rank."),
            Some((_, item, best, worst)) => text.push_str(&format!(
                " The method matters most for {} (ranks {best} to {worst}).",
                clean_label(&item.label)
            )),
            None => {}
        }
        text
    }
}
