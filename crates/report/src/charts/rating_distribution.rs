//! For rating rounds, the distribution of ratings per item: one 100% stacked horizontal bar per
//! item, ordered light to dark from the lowest rating to the highest, shares written in the
//! segments, and items that reached Delphi consensus marked in words.

use crate::numbers;
use plotters::prelude::DrawingBackend;
use rank::Method;
use rank::rating::DelphiClass;

use super::canvas::{
    Align, BODY_EM, Canvas, Frame, MARGIN, SMALL_EM, clean_label, fit, text_width, wrap,
};
use super::{CHART_WIDTH, Chart, ChartError, palette, sealed};
use crate::results::ResultsDocument;

/// One item's ratings.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingItem {
    /// The item id, to find its Delphi class in a results document.
    pub item: String,
    /// The item's label.
    pub label: String,
    /// How many respondents gave each rating, in the order of
    /// [`RatingDistributionChart::scale`].
    pub counts: Vec<u64>,
    /// How many answered "don't know" or left it unrated (drawn hatched, last).
    pub not_rated: u64,
    /// The Delphi class, if the round was classified.
    pub consensus: Option<DelphiClass>,
}

/// The distribution of ratings per item.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingDistributionChart {
    /// The title.
    pub title: String,
    /// A line under the title.
    pub subtitle: String,
    /// The rating labels from lowest to highest, such as "1" to "9".
    pub scale: Vec<String>,
    /// What the hatched segment means, such as "Don't know".
    pub not_rated_label: String,
    /// The items, top first.
    pub items: Vec<RatingItem>,
    /// A note under the chart (for example, the consensus rule); empty for none.
    pub note: String,
}

impl RatingDistributionChart {
    /// A chart with the usual title and subtitle.
    pub fn new(scale: Vec<String>, items: Vec<RatingItem>) -> RatingDistributionChart {
        RatingDistributionChart {
            title: "Distribution of ratings per item".to_string(),
            subtitle: "Share of respondents giving each rating, lowest rating on the left; \
                       items that reached Delphi consensus are marked ✓."
                .to_string(),
            scale,
            not_rated_label: "Don't know".to_string(),
            items,
            note: String::new(),
        }
    }

    /// Sets each item's Delphi class from the document's `delphi` results, found by item id.
    pub fn mark_consensus(&mut self, document: &ResultsDocument) {
        let Some(entry) = document
            .results
            .iter()
            .find(|entry| entry.method == Method::Delphi)
        else {
            return;
        };
        for item in &mut self.items {
            let class = entry
                .ranking
                .iter()
                .find(|row| row.item == item.item)
                .and_then(|row| row.class.as_deref());
            item.consensus = match class {
                Some("consensus-in") => Some(DelphiClass::ConsensusIn),
                Some("consensus-out") => Some(DelphiClass::ConsensusOut),
                Some("no-consensus") => Some(DelphiClass::NoConsensus),
                _ => item.consensus,
            };
        }
    }

    /// The colour of the `index`th rating: light for the lowest, dark for the highest.
    fn colour(&self, index: usize) -> palette::Colour {
        let span = self.scale.len().max(2) - 1;
        palette::viridis(1.0 - index as f64 / span as f64)
    }
}

fn consensus_text(class: Option<DelphiClass>) -> &'static str {
    match class {
        Some(DelphiClass::ConsensusIn) => "✓ consensus in",
        Some(DelphiClass::ConsensusOut) => "✓ consensus out",
        Some(DelphiClass::NoConsensus) => "no consensus",
        None => "",
    }
}

const COUNT_COLUMN: f64 = 64.0;
const CONSENSUS_COLUMN: f64 = 150.0;
const AXIS_ROOM: f64 = 56.0;
const LEGEND_LINE: f64 = 24.0;

struct Layout {
    frame: Frame,
    labels: Vec<Vec<String>>,
    legend: Vec<Vec<(usize, String, f64)>>,
    plot_left: f64,
    plot_right: f64,
    rows_top: f64,
    row_height: f64,
    height: f64,
}

impl RatingDistributionChart {
    /// Legend entries (index into the scale, or `scale.len()` for not rated), laid in lines.
    fn legend_lines(&self, width: f64) -> Vec<Vec<(usize, String, f64)>> {
        let mut entries: Vec<(usize, String)> = self
            .scale
            .iter()
            .enumerate()
            .map(|(index, label)| (index, fit(&clean_label(label), SMALL_EM, 220.0)))
            .collect();
        if self.items.iter().any(|item| item.not_rated > 0) {
            entries.push((
                self.scale.len(),
                fit(&clean_label(&self.not_rated_label), SMALL_EM, 220.0),
            ));
        }
        let start = MARGIN + text_width("Rating:", SMALL_EM) + 12.0;
        let mut lines: Vec<Vec<(usize, String, f64)>> = vec![Vec::new()];
        let mut x = start;
        for (index, label) in entries {
            let entry_width = 22.0 + text_width(&label, SMALL_EM) + 18.0;
            if x + entry_width > width - MARGIN && x > start {
                lines.push(Vec::new());
                x = start;
            }
            if let Some(line) = lines.last_mut() {
                line.push((index, label, x));
            }
            x += entry_width;
        }
        lines
    }

    fn layout(&self) -> Layout {
        let width = f64::from(CHART_WIDTH);
        let frame = Frame::new(&self.title, &self.subtitle, &self.note, width);
        let widest = self
            .items
            .iter()
            .map(|item| text_width(&clean_label(&item.label), BODY_EM))
            .fold(0.0, f64::max);
        let label_width = widest.clamp(160.0, 340.0);
        let labels: Vec<Vec<String>> = self
            .items
            .iter()
            .map(|item| wrap(&clean_label(&item.label), BODY_EM, label_width, 2))
            .collect();
        let legend = self.legend_lines(width);
        let row_height = if labels.iter().any(|lines| lines.len() > 1) {
            42.0
        } else {
            32.0
        };
        let rows_top = frame.content_top() + LEGEND_LINE * legend.len() as f64 + 30.0;
        let height = rows_top
            + row_height * self.items.len().max(1) as f64
            + AXIS_ROOM
            + frame.bottom_room();
        Layout {
            frame,
            labels,
            legend,
            plot_left: MARGIN + label_width + 16.0,
            plot_right: width - MARGIN - CONSENSUS_COLUMN - COUNT_COLUMN,
            rows_top,
            row_height,
            height: height.ceil(),
        }
    }
}

impl sealed::Draw for RatingDistributionChart {
    fn pixel_size(&self) -> (u32, u32) {
        (CHART_WIDTH, self.layout().height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let layout = self.layout();
        layout.frame.draw(canvas, layout.height)?;
        self.draw_legend(canvas, &layout)?;
        self.draw_headers(canvas, &layout)?;
        self.draw_axis(canvas, &layout)?;
        for (row, (item, lines)) in self.items.iter().zip(&layout.labels).enumerate() {
            self.draw_row(canvas, &layout, row, item, lines)?;
        }
        Ok(())
    }
}

/// The x where the count column's numbers end.
fn count_right() -> f64 {
    f64::from(CHART_WIDTH) - MARGIN - CONSENSUS_COLUMN - 10.0
}

/// The x where the consensus column's words start.
fn consensus_left() -> f64 {
    f64::from(CHART_WIDTH) - MARGIN - CONSENSUS_COLUMN + 8.0
}

/// The bars' left and right ends.
fn bar_span(layout: &Layout) -> (f64, f64) {
    (layout.plot_left, layout.plot_right - 16.0)
}

impl RatingDistributionChart {
    /// Draws the legend: each rating's swatch in order, then "don't know".
    fn draw_legend<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &Layout,
    ) -> Result<(), ChartError> {
        let legend_top = layout.frame.content_top();
        for (line_index, line) in layout.legend.iter().enumerate() {
            let middle = legend_top + LEGEND_LINE * line_index as f64 + 8.0;
            if line_index == 0 {
                canvas.text_middle(
                    "Rating:",
                    MARGIN,
                    middle,
                    SMALL_EM,
                    Align::Left,
                    palette::MUTED_INK,
                )?;
            }
            for (index, label, x) in line {
                let (x0, y0, x1, y1) = (*x, middle - 8.0, *x + 16.0, middle + 8.0);
                if *index < self.scale.len() {
                    canvas.rect((x0, y0), (x1, y1), self.colour(*index))?;
                } else {
                    canvas.rect((x0, y0), (x1, y1), palette::EMPTY)?;
                    canvas.hatch((x0, y0), (x1, y1), palette::AXIS, 6.0)?;
                }
                canvas.text_middle(label, x + 22.0, middle, SMALL_EM, Align::Left, palette::INK)?;
            }
        }
        Ok(())
    }

    /// Draws the column headers over the rows: "Item", "n" and "Delphi".
    fn draw_headers<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &Layout,
    ) -> Result<(), ChartError> {
        let header = layout.rows_top - 10.0;
        canvas.text(
            "Item",
            MARGIN,
            header,
            SMALL_EM,
            Align::Left,
            palette::MUTED_INK,
        )?;
        canvas.text(
            "n",
            count_right(),
            header,
            SMALL_EM,
            Align::Right,
            palette::MUTED_INK,
        )?;
        canvas.text(
            "Delphi",
            consensus_left(),
            header,
            SMALL_EM,
            Align::Left,
            palette::MUTED_INK,
        )?;
        Ok(())
    }

    /// Draws the share axis: grid lines at every quarter, their percentages, the axis title,
    /// and a note when there are no items.
    fn draw_axis<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &Layout,
    ) -> Result<(), ChartError> {
        let (plot_left, plot_right) = bar_span(layout);
        let rows_bottom = layout.rows_top + layout.row_height * self.items.len().max(1) as f64;
        for step in 0..=4 {
            let share = f64::from(step) / 4.0;
            let x = plot_left + (plot_right - plot_left) * share;
            canvas.line(
                &[(x, layout.rows_top), (x, rows_bottom + 4.0)],
                palette::GRID,
                1,
            )?;
            canvas.text(
                &numbers::share_for_chart(share),
                x,
                rows_bottom + 20.0,
                SMALL_EM,
                Align::Centre,
                palette::MUTED_INK,
            )?;
        }
        canvas.text(
            "Share of respondents",
            (plot_left + plot_right) / 2.0,
            rows_bottom + 44.0,
            BODY_EM,
            Align::Centre,
            palette::INK,
        )?;
        if self.items.is_empty() {
            canvas.text_middle(
                "No ratings to show",
                plot_left,
                layout.rows_top + layout.row_height / 2.0,
                BODY_EM,
                Align::Left,
                palette::MUTED_INK,
            )?;
        }
        Ok(())
    }

    /// Draws one item's row: its label, count, Delphi class and stacked bar.
    fn draw_row<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &Layout,
        row: usize,
        item: &RatingItem,
        lines: &[String],
    ) -> Result<(), ChartError> {
        let middle = layout.rows_top + layout.row_height * (row as f64 + 0.5);
        canvas.text_block_middle(
            lines,
            MARGIN,
            middle,
            BODY_EM,
            18.0,
            Align::Left,
            palette::INK,
        )?;
        let counts: Vec<u64> = (0..self.scale.len())
            .map(|index| item.counts.get(index).copied().unwrap_or(0))
            .chain(std::iter::once(item.not_rated))
            .collect();
        let total: u64 = counts.iter().sum();
        canvas.text_middle(
            &total.to_string(),
            count_right(),
            middle,
            BODY_EM,
            Align::Right,
            palette::INK,
        )?;
        canvas.text_middle(
            consensus_text(item.consensus),
            consensus_left(),
            middle,
            BODY_EM,
            Align::Left,
            if item.consensus == Some(DelphiClass::NoConsensus) {
                palette::MUTED_INK
            } else {
                palette::INK
            },
        )?;
        if total == 0 {
            canvas.text_middle(
                "no ratings",
                layout.plot_left + 6.0,
                middle,
                SMALL_EM,
                Align::Left,
                palette::MUTED_INK,
            )?;
            return Ok(());
        }
        self.draw_bar(canvas, layout, middle, &counts, total)
    }

    /// Draws one item's 100% stacked bar, its shares written in the segments that fit them.
    fn draw_bar<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &Layout,
        middle: f64,
        counts: &[u64],
        total: u64,
    ) -> Result<(), ChartError> {
        let (plot_left, plot_right) = bar_span(layout);
        let half = (layout.row_height * 0.32).min(12.0);
        let mut start = 0u64;
        for (index, &count) in counts.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let x0 = plot_left + (plot_right - plot_left) * start as f64 / total as f64;
            start += count;
            let x1 = plot_left + (plot_right - plot_left) * start as f64 / total as f64;
            let (top, bottom) = (middle - half, middle + half);
            let fill = if index < self.scale.len() {
                self.colour(index)
            } else {
                palette::EMPTY
            };
            canvas.rect((x0, top), (x1, bottom), fill)?;
            if index == self.scale.len() {
                canvas.hatch((x0, top), (x1, bottom), palette::AXIS, 6.0)?;
            }
            // A white edge between segments, so that neighbours of similar grey stay apart.
            if x0 > plot_left {
                canvas.line(&[(x0, top), (x0, bottom)], palette::WHITE, 2)?;
            }
            let share = numbers::share_for_chart(count as f64 / total as f64);
            if index < self.scale.len() && text_width(&share, SMALL_EM) + 6.0 <= x1 - x0 {
                canvas.text_middle(
                    &share,
                    (x0 + x1) / 2.0,
                    middle,
                    SMALL_EM,
                    Align::Centre,
                    palette::text_on(fill),
                )?;
            }
        }
        Ok(())
    }
}

impl Chart for RatingDistributionChart {
    fn title(&self) -> String {
        clean_label(&self.title)
    }

    fn alt_text(&self) -> String {
        let scale: Vec<String> = self.scale.iter().map(|label| clean_label(label)).collect();
        if self.items.is_empty() {
            return format!("{}: no ratings to show.", self.title());
        }
        let items: Vec<String> = self
            .items
            .iter()
            .map(|item| {
                let total: u64 = item.counts.iter().sum::<u64>() + item.not_rated;
                let mut parts: Vec<String> = scale
                    .iter()
                    .enumerate()
                    .filter_map(|(index, label)| {
                        let count = item.counts.get(index).copied().unwrap_or(0);
                        (count > 0 && total > 0).then(|| {
                            format!(
                                "{label}: {}",
                                numbers::share_for_chart(count as f64 / total as f64)
                            )
                        })
                    })
                    .collect();
                if item.not_rated > 0 && total > 0 {
                    parts.push(format!(
                        "{}: {}",
                        clean_label(&self.not_rated_label),
                        numbers::share_for_chart(item.not_rated as f64 / total as f64)
                    ));
                }
                let consensus = match consensus_text(item.consensus) {
                    "" => String::new(),
                    text => format!("; {}", text.trim_start_matches("✓ ")),
                };
                format!(
                    "{} (n = {total}{consensus}): {}",
                    clean_label(&item.label),
                    if parts.is_empty() {
                        "no ratings".to_string()
                    } else {
                        parts.join(", ")
                    }
                )
            })
            .collect();
        let reached: Vec<String> = self
            .items
            .iter()
            .filter(|item| {
                matches!(
                    item.consensus,
                    Some(DelphiClass::ConsensusIn | DelphiClass::ConsensusOut)
                )
            })
            .map(|item| clean_label(&item.label))
            .collect();
        let mut text = format!(
            "Stacked bar chart of the share of respondents giving each rating ({} to {}) to each \
             of {} items. {}.",
            scale.first().map_or("", String::as_str),
            scale.last().map_or("", String::as_str),
            self.items.len(),
            items.join("; ")
        );
        if self.items.iter().any(|item| item.consensus.is_some()) {
            text.push_str(&format!(
                " {} of {} items reached Delphi consensus.",
                reached.len(),
                self.items.len()
            ));
        }
        text
    }
}
