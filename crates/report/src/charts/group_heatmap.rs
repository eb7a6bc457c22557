//! Each item's rank in each stakeholder group: a grid of items by groups, every cell coloured
//! on a sequential scale and with the rank written in it.

use plotters::prelude::DrawingBackend;
use rank::Method;

use super::canvas::{
    Align, BODY_EM, Canvas, Frame, MARGIN, SMALL_EM, clean_label, text_width, wrap,
};
use super::{CHART_WIDTH, Chart, ChartError, join_phrases, palette, sealed};
use crate::results::ResultsDocument;

/// One item's row.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapRow {
    /// The item's label.
    pub label: String,
    /// Its overall rank, shown in the first column.
    pub overall_rank: Option<usize>,
    /// Its rank in each group, in the order of [`GroupRankHeatmap::groups`]; `None` where the
    /// group has no rank for it.
    pub ranks: Vec<Option<usize>>,
}

/// Items by stakeholder groups, each cell the item's rank in that group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRankHeatmap {
    /// The title.
    pub title: String,
    /// A line under the title.
    pub subtitle: String,
    /// The group labels, one per column.
    pub groups: Vec<String>,
    /// The rows, top first.
    pub rows: Vec<HeatmapRow>,
    /// The number of items ranked: the colour scale runs from rank 1 to this.
    pub item_count: usize,
    /// A note under the chart (for example, groups too small to show); empty for none.
    pub note: String,
}

impl GroupRankHeatmap {
    /// The first `count` items of `method`'s overall ranking (the first method when `None`;
    /// every item when `count` is `None`) with their rank in each disclosed group, or `None`
    /// if the document has no such method.
    pub fn from_results(
        document: &ResultsDocument,
        method: Option<Method>,
        count: Option<usize>,
    ) -> Option<GroupRankHeatmap> {
        let entry = match method {
            Some(method) => document
                .results
                .iter()
                .find(|entry| entry.method == method)?,
            None => document.results.first()?,
        };
        let rows: Vec<HeatmapRow> = entry
            .ranking
            .iter()
            .take(count.unwrap_or(usize::MAX))
            .map(|row| HeatmapRow {
                label: row.label.clone(),
                overall_rank: Some(row.rank),
                ranks: entry
                    .groups
                    .iter()
                    .map(|group| {
                        group
                            .ranking
                            .iter()
                            .find(|other| other.item == row.item)
                            .map(|other| other.rank)
                    })
                    .collect(),
            })
            .collect();
        let mut notes = Vec::new();
        if !document.input.suppressed_groups.is_empty() {
            notes.push(format!(
                "Not shown on their own (fewer than {} respondents): {}.",
                document.settings.disclosure_threshold,
                join_phrases(&document.input.suppressed_groups)
            ));
        }
        for failure in &entry.group_failures {
            notes.push(format!(
                "{} could not be ranked on its own: {}.",
                failure.group, failure.reason
            ));
        }
        Some(GroupRankHeatmap {
            title: format!("Rank of the top {} items in each group", rows.len()),
            subtitle: format!(
                "Method: {}. Each cell is the item's rank in that group's own ranking; 1 is the \
                 highest priority, and darker cells rank higher.",
                entry.method
            ),
            groups: entry
                .groups
                .iter()
                .map(|group| group.group.clone())
                .collect(),
            rows,
            item_count: entry.ranking.len(),
            note: notes.join(" "),
        })
    }
}

const OVERALL_COLUMN: f64 = 84.0;
const LEGEND_ROOM: f64 = 64.0;
const HEADER_LINE: f64 = 16.0;

struct Layout {
    width: f64,
    height: f64,
    frame: Frame,
    labels: Vec<Vec<String>>,
    headers: Vec<Vec<String>>,
    label_width: f64,
    column_width: f64,
    grid_left: f64,
    rows_top: f64,
    row_height: f64,
}

impl GroupRankHeatmap {
    fn layout(&self) -> Layout {
        let widest = self
            .rows
            .iter()
            .map(|row| text_width(&clean_label(&row.label), BODY_EM))
            .fold(0.0, f64::max);
        let label_width = widest.clamp(160.0, 340.0);
        let grid_left = MARGIN + label_width + 16.0 + OVERALL_COLUMN + 12.0;
        let available = f64::from(CHART_WIDTH) - MARGIN - grid_left;
        let columns = self.groups.len().max(1) as f64;
        let column_width = (available / columns).clamp(72.0, 150.0);
        let width = (grid_left + column_width * columns + MARGIN).max(f64::from(CHART_WIDTH));
        let frame = Frame::new(&self.title, &self.subtitle, &self.note, width);
        let labels: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| wrap(&clean_label(&row.label), BODY_EM, label_width, 2))
            .collect();
        let headers: Vec<Vec<String>> = self
            .groups
            .iter()
            .map(|group| wrap(&clean_label(group), SMALL_EM, column_width - 8.0, 3))
            .collect();
        let header_lines = headers.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let row_height = if labels.iter().any(|lines| lines.len() > 1) {
            42.0
        } else {
            32.0
        };
        let rows_top = frame.content_top() + HEADER_LINE * header_lines as f64 + 10.0;
        let height = rows_top
            + row_height * self.rows.len().max(1) as f64
            + LEGEND_ROOM
            + frame.bottom_room();
        Layout {
            width,
            height: height.ceil(),
            frame,
            labels,
            headers,
            label_width,
            column_width,
            grid_left,
            rows_top,
            row_height,
        }
    }

    fn colour(&self, rank: usize) -> palette::Colour {
        let span = self.item_count.max(2) - 1;
        palette::viridis((rank.saturating_sub(1)) as f64 / span as f64)
    }
}

fn draw_cell<DB: DrawingBackend>(
    canvas: &Canvas<'_, DB>,
    (left, top): (f64, f64),
    (width, height): (f64, f64),
    fill: Option<palette::Colour>,
    text: &str,
) -> Result<(), ChartError> {
    let (x0, y0, x1, y1) = (
        left + 1.5,
        top + 1.5,
        left + width - 1.5,
        top + height - 1.5,
    );
    match fill {
        Some(fill) => {
            canvas.rect((x0, y0), (x1, y1), fill)?;
            canvas.text_middle(
                text,
                left + width / 2.0,
                top + height / 2.0,
                BODY_EM,
                Align::Centre,
                palette::text_on(fill),
            )
        }
        None => {
            canvas.rect((x0, y0), (x1, y1), palette::EMPTY)?;
            canvas.hatch((x0, y0), (x1, y1), palette::HATCH, 8.0)?;
            canvas.text_middle(
                "–",
                left + width / 2.0,
                top + height / 2.0,
                BODY_EM,
                Align::Centre,
                palette::MUTED_INK,
            )
        }
    }
}

impl sealed::Draw for GroupRankHeatmap {
    fn pixel_size(&self) -> (u32, u32) {
        let layout = self.layout();
        (layout.width as u32, layout.height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let layout = self.layout();
        layout.frame.draw(canvas, layout.height)?;
        draw_headers(canvas, &layout)?;
        if self.rows.is_empty() {
            canvas.text_middle(
                "No items to show",
                MARGIN,
                layout.rows_top + layout.row_height / 2.0,
                BODY_EM,
                Align::Left,
                palette::MUTED_INK,
            )?;
        }
        for (index, (row, lines)) in self.rows.iter().zip(&layout.labels).enumerate() {
            self.draw_row(canvas, &layout, index, row, lines)?;
        }
        self.draw_legend(canvas, &layout)
    }
}

impl Layout {
    /// The left edge of the overall column.
    fn overall_left(&self) -> f64 {
        MARGIN + self.label_width + 16.0
    }
}

/// Draws the headers: "Item", "Overall" and each group's name.
fn draw_headers<DB: DrawingBackend>(
    canvas: &Canvas<'_, DB>,
    layout: &Layout,
) -> Result<(), ChartError> {
    let header_bottom = layout.rows_top - 10.0;
    canvas.text(
        "Item",
        MARGIN,
        header_bottom,
        SMALL_EM,
        Align::Left,
        palette::MUTED_INK,
    )?;
    canvas.text(
        "Overall",
        layout.overall_left() + OVERALL_COLUMN / 2.0,
        header_bottom,
        SMALL_EM,
        Align::Centre,
        palette::MUTED_INK,
    )?;
    for (column, lines) in layout.headers.iter().enumerate() {
        let centre = layout.grid_left + layout.column_width * (column as f64 + 0.5);
        let first = header_bottom - HEADER_LINE * (lines.len() as f64 - 1.0);
        for (index, line) in lines.iter().enumerate() {
            canvas.text(
                line,
                centre,
                first + HEADER_LINE * index as f64,
                SMALL_EM,
                Align::Centre,
                palette::INK,
            )?;
        }
    }
    Ok(())
}

impl GroupRankHeatmap {
    /// Draws one item's row: its label, its overall rank and its rank in each group.
    fn draw_row<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &Layout,
        index: usize,
        row: &HeatmapRow,
        lines: &[String],
    ) -> Result<(), ChartError> {
        let top = layout.rows_top + layout.row_height * index as f64;
        canvas.text_block_middle(
            lines,
            MARGIN,
            top + layout.row_height / 2.0,
            BODY_EM,
            18.0,
            Align::Left,
            palette::INK,
        )?;
        draw_cell(
            canvas,
            (layout.overall_left(), top),
            (OVERALL_COLUMN, layout.row_height),
            row.overall_rank.map(|rank| self.colour(rank)),
            &row.overall_rank
                .map(|rank| rank.to_string())
                .unwrap_or_default(),
        )?;
        for column in 0..self.groups.len() {
            let rank = row.ranks.get(column).copied().flatten();
            draw_cell(
                canvas,
                (layout.grid_left + layout.column_width * column as f64, top),
                (layout.column_width, layout.row_height),
                rank.map(|rank| self.colour(rank)),
                &rank.map(|rank| rank.to_string()).unwrap_or_default(),
            )?;
        }
        Ok(())
    }

    /// Draws the legend: the scale from rank 1 to the last, in steps, with its ends named,
    /// and the hatched cell of an item a group did not rank.
    fn draw_legend<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &Layout,
    ) -> Result<(), ChartError> {
        let legend_top = layout.rows_top + layout.row_height * self.rows.len().max(1) as f64 + 22.0;
        let steps = 24;
        let step_width = 12.0;
        let legend_left = MARGIN + 210.0;
        canvas.text_middle(
            "Rank in group:",
            MARGIN,
            legend_top + 8.0,
            SMALL_EM,
            Align::Left,
            palette::MUTED_INK,
        )?;
        let last = self.item_count.max(1);
        for step in 0..steps {
            let position = step as f64 / (steps - 1) as f64;
            let left = legend_left + step_width * step as f64;
            canvas.rect(
                (left, legend_top),
                (left + step_width, legend_top + 16.0),
                palette::viridis(position),
            )?;
        }
        let legend_right = legend_left + step_width * steps as f64;
        canvas.text_middle(
            "1 (highest)",
            legend_left - 8.0,
            legend_top + 8.0,
            SMALL_EM,
            Align::Right,
            palette::INK,
        )?;
        canvas.text_middle(
            &format!("{last} (lowest)"),
            legend_right + 8.0,
            legend_top + 8.0,
            SMALL_EM,
            Align::Left,
            palette::INK,
        )?;
        let missing_left = legend_right + 120.0;
        canvas.rect(
            (missing_left, legend_top),
            (missing_left + 28.0, legend_top + 16.0),
            palette::EMPTY,
        )?;
        canvas.hatch(
            (missing_left, legend_top),
            (missing_left + 28.0, legend_top + 16.0),
            palette::HATCH,
            8.0,
        )?;
        canvas.text_middle(
            "– not ranked by the group",
            missing_left + 36.0,
            legend_top + 8.0,
            SMALL_EM,
            Align::Left,
            palette::INK,
        )
    }
}

impl Chart for GroupRankHeatmap {
    fn title(&self) -> String {
        clean_label(&self.title)
    }

    fn alt_text(&self) -> String {
        let groups: Vec<String> = self.groups.iter().map(|group| clean_label(group)).collect();
        if self.rows.is_empty() {
            return format!("{}: no items to show.", self.title());
        }
        let rows: Vec<String> = self
            .rows
            .iter()
            .map(|row| {
                let overall = row
                    .overall_rank
                    .map_or_else(|| "not ranked".to_string(), |rank| rank.to_string());
                let by_group: Vec<String> = groups
                    .iter()
                    .enumerate()
                    .map(|(column, group)| {
                        let rank = row.ranks.get(column).copied().flatten();
                        format!(
                            "{group} {}",
                            rank.map_or_else(|| "not ranked".to_string(), |rank| rank.to_string())
                        )
                    })
                    .collect();
                format!(
                    "{}: overall {overall}; {}",
                    clean_label(&row.label),
                    by_group.join(", ")
                )
            })
            .collect();
        let mut text = format!(
            "Heatmap of the rank {} stakeholder groups ({}) give each of {} items, 1 being the \
             highest priority. {}.",
            groups.len(),
            join_phrases(&groups),
            self.rows.len(),
            rows.join(". ")
        );
        // Name the item the groups disagree on most, which the eye finds in the picture.
        let spread = self
            .rows
            .iter()
            .filter_map(|row| {
                let ranks: Vec<usize> = row.ranks.iter().flatten().copied().collect();
                let best = *ranks.iter().min()?;
                let worst = *ranks.iter().max()?;
                Some((worst - best, best, worst, row))
            })
            // The first of equals: `max_by_key` keeps the last, so search from the end.
            .rev()
            .max_by_key(|(spread, ..)| *spread);
        if let Some((spread, best, worst, row)) = spread
            && spread > 0
        {
            text.push_str(&format!(
                " The groups differ most on {} (ranks {best} to {worst}).",
                clean_label(&row.label)
            ));
        }
        text
    }
}
