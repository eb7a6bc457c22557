//! The part the bump chart (ranks under each method) and the slope chart (ranks in two rounds)
//! share: columns of ranks joined by lines, rank 1 at the top, markers at every point, and each
//! line labelled directly at both ends, labels pushed apart where ranks are tied.

use plotters::prelude::DrawingBackend;

use super::canvas::{
    Align, BODY_EM, Canvas, MARGIN, Marker, SMALL_EM, clean_label, fit, text_width, wrap,
};
use super::{ChartError, palette};

/// One line: an item's rank in each column.
pub struct Series {
    /// The item's label, as given (cleaned and fitted here).
    pub label: String,
    /// The rank in each column; `None` where the item has none.
    pub ranks: Vec<Option<usize>>,
    /// The line's colour.
    pub colour: palette::Colour,
    /// The marker at every point.
    pub marker: Marker,
    /// Whether the line is dashed (a second, colour-free cue).
    pub dashed: bool,
    /// Text written between the last column and the right-hand label (such as "▲ 3").
    pub note: String,
}

/// Columns of ranks joined by lines.
pub struct RankLines {
    /// The column headers.
    pub columns: Vec<String>,
    /// The lines, drawn in order.
    pub series: Vec<Series>,
    /// What the columns are, written under the chart ("Method", "Round").
    pub column_title: String,
}

const ROW_SPACING: f64 = 26.0;
const LABEL_SPACING: f64 = 18.0;
const HEADER_LINE: f64 = 16.0;
/// Room between a label and the plot for the rank numbers.
const RANK_NUMBERS: f64 = 50.0;
/// Where the rank numbers are centred, outside the plot.
const RANK_NUMBER_OFFSET: f64 = 22.0;

/// A label at one end, where it is wanted and where it goes.
struct EndLabel {
    series: usize,
    wanted: f64,
    placed: f64,
}

/// Spreads labels so that none is closer than `LABEL_SPACING` to the next, keeping each as near
/// its point as the others allow.
fn spread_labels(labels: &mut [EndLabel], top: f64, bottom: f64) {
    labels.sort_by(|a, b| {
        a.wanted
            .total_cmp(&b.wanted)
            .then_with(|| a.series.cmp(&b.series))
    });
    let mut previous = f64::NEG_INFINITY;
    for label in labels.iter_mut() {
        label.placed = label.wanted.max(previous + LABEL_SPACING);
        previous = label.placed;
    }
    let mut next = f64::INFINITY;
    for label in labels.iter_mut().rev() {
        label.placed = label.placed.min(next - LABEL_SPACING).min(bottom);
        next = label.placed;
    }
    for label in labels.iter_mut() {
        label.placed = label.placed.max(top);
    }
}

/// Where everything goes, worked out once for measuring and drawing.
pub struct LinesLayout {
    label_width: f64,
    note_width: f64,
    plot_left: f64,
    plot_right: f64,
    inset: f64,
    plot_top: f64,
    plot_bottom: f64,
    headers: Vec<Vec<String>>,
    labels: Vec<String>,
    max_rank: usize,
    /// The height the chart takes below `top`.
    pub height: f64,
}

impl RankLines {
    /// Lays the chart out below `top` in a canvas `width` pixels wide.
    pub fn layout(&self, width: f64, top: f64) -> LinesLayout {
        let labels: Vec<String> = self
            .series
            .iter()
            .map(|series| clean_label(&series.label))
            .collect();
        let widest = labels
            .iter()
            .map(|label| text_width(label, BODY_EM))
            .fold(0.0, f64::max);
        let note_width = self
            .series
            .iter()
            .map(|series| text_width(&series.note, BODY_EM))
            .fold(0.0, f64::max);
        let note_width = if note_width > 0.0 {
            note_width + 14.0
        } else {
            0.0
        };
        // Labels take what the plot can spare: at least 160 pixels between columns.
        let gaps = self.columns.len().saturating_sub(1).max(1) as f64;
        let least_plot = (160.0 * gaps).clamp(300.0, 640.0);
        let spare = (width - 2.0 * MARGIN - 2.0 * RANK_NUMBERS - note_width - least_plot) / 2.0;
        let label_width = widest.clamp(100.0, spare.clamp(100.0, 380.0));
        let labels = labels
            .iter()
            .map(|label| fit(label, BODY_EM, label_width))
            .collect();
        let plot_left = MARGIN + label_width + RANK_NUMBERS;
        let plot_right = width - MARGIN - label_width - RANK_NUMBERS - note_width;
        let gap = (plot_right - plot_left) / gaps;
        let headers: Vec<Vec<String>> = self
            .columns
            .iter()
            .map(|column| {
                wrap(
                    &clean_label(column),
                    BODY_EM,
                    (gap - 24.0).clamp(60.0, 220.0),
                    2,
                )
            })
            .collect();
        // The outer columns stand in from the plot's edges far enough that their headers clear
        // the "Rank" captions over the rank numbers.
        let header_width = |lines: Option<&Vec<String>>| {
            lines.map_or(0.0, |lines| {
                lines
                    .iter()
                    .map(|line| text_width(line, BODY_EM))
                    .fold(0.0, f64::max)
            })
        };
        let inset = (header_width(headers.first()).max(header_width(headers.last())) / 2.0 + 10.0)
            .clamp(16.0, 120.0);
        let header_lines = headers.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let plot_top = top + HEADER_LINE * header_lines as f64 + 22.0;
        let max_rank = self
            .series
            .iter()
            .flat_map(|series| series.ranks.iter().flatten().copied())
            .max()
            .unwrap_or(1)
            .max(1);
        let plot_height =
            (ROW_SPACING * max_rank as f64).max(LABEL_SPACING * (self.series.len() + 1) as f64);
        let plot_bottom = plot_top + plot_height;
        LinesLayout {
            label_width,
            note_width,
            plot_left,
            plot_right,
            inset,
            plot_top,
            plot_bottom,
            headers,
            labels,
            max_rank,
            height: plot_bottom + 46.0 - top,
        }
    }

    /// Draws the chart as laid out.
    pub fn draw<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &LinesLayout,
    ) -> Result<(), ChartError> {
        self.draw_headers(canvas, layout)?;
        self.draw_grid(canvas, layout)?;
        if self.series.is_empty() {
            canvas.text_middle(
                "No items to show",
                layout.plot_left + 12.0,
                row_y(layout, 1),
                BODY_EM,
                Align::Left,
                palette::MUTED_INK,
            )?;
        }
        self.draw_lines(canvas, layout)?;
        self.draw_markers(canvas, layout)?;
        self.draw_end_labels(canvas, layout)
    }

    /// The x of a column's centre line.
    fn column_x(&self, layout: &LinesLayout, column: usize) -> f64 {
        if self.columns.len() > 1 {
            let (left, right) = (
                layout.plot_left + layout.inset,
                layout.plot_right - layout.inset,
            );
            left + (right - left) * column as f64 / (self.columns.len() - 1) as f64
        } else {
            (layout.plot_left + layout.plot_right) / 2.0
        }
    }

    /// Draws the headers: the columns' names, and "Rank" over the rank numbers on both sides.
    fn draw_headers<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &LinesLayout,
    ) -> Result<(), ChartError> {
        let header_bottom = layout.plot_top - 14.0;
        for (column, lines) in layout.headers.iter().enumerate() {
            let first = header_bottom - HEADER_LINE * (lines.len() as f64 - 1.0);
            for (index, line) in lines.iter().enumerate() {
                canvas.text(
                    line,
                    self.column_x(layout, column),
                    first + HEADER_LINE * index as f64,
                    BODY_EM,
                    Align::Centre,
                    palette::INK,
                )?;
            }
        }
        for x in [
            layout.plot_left - RANK_NUMBER_OFFSET,
            layout.plot_right + RANK_NUMBER_OFFSET,
        ] {
            canvas.text(
                "Rank",
                x,
                header_bottom,
                SMALL_EM,
                Align::Centre,
                palette::MUTED_INK,
            )?;
        }
        Ok(())
    }

    /// Draws the grid: a faint line at every rank, numbered on both sides, one per column, and
    /// the column title under the plot.
    fn draw_grid<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &LinesLayout,
    ) -> Result<(), ChartError> {
        let rank_step = if layout.max_rank > 40 { 5 } else { 1 };
        for rank in 1..=layout.max_rank {
            let y = row_y(layout, rank);
            canvas.line(
                &[(layout.plot_left, y), (layout.plot_right, y)],
                palette::EMPTY,
                1,
            )?;
            if rank == 1 || rank % rank_step == 0 {
                canvas.text_middle(
                    &rank.to_string(),
                    layout.plot_left - RANK_NUMBER_OFFSET,
                    y,
                    SMALL_EM,
                    Align::Centre,
                    palette::MUTED_INK,
                )?;
                canvas.text_middle(
                    &rank.to_string(),
                    layout.plot_right + RANK_NUMBER_OFFSET,
                    y,
                    SMALL_EM,
                    Align::Centre,
                    palette::MUTED_INK,
                )?;
            }
        }
        for column in 0..self.columns.len() {
            let x = self.column_x(layout, column);
            canvas.line(
                &[(x, layout.plot_top), (x, layout.plot_bottom)],
                palette::GRID,
                1,
            )?;
        }
        canvas.text(
            &fit(
                &clean_label(&self.column_title),
                BODY_EM,
                layout.plot_right - layout.plot_left,
            ),
            (layout.plot_left + layout.plot_right) / 2.0,
            layout.plot_bottom + 34.0,
            BODY_EM,
            Align::Centre,
            palette::INK,
        )?;
        Ok(())
    }

    /// Draws each series' lines between neighbouring columns where it has both ranks.
    fn draw_lines<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &LinesLayout,
    ) -> Result<(), ChartError> {
        for series in &self.series {
            for column in 1..self.columns.len() {
                let from = series.ranks.get(column - 1).copied().flatten();
                let to = series.ranks.get(column).copied().flatten();
                if let (Some(from), Some(to)) = (from, to) {
                    let points = [
                        (self.column_x(layout, column - 1), row_y(layout, from)),
                        (self.column_x(layout, column), row_y(layout, to)),
                    ];
                    if series.dashed {
                        canvas.dashed_line(&points, series.colour, 3, (9, 6))?;
                    } else {
                        canvas.line(&points, series.colour, 3)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Draws a marker at every point, over the lines.
    fn draw_markers<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &LinesLayout,
    ) -> Result<(), ChartError> {
        for series in &self.series {
            for column in 0..self.columns.len() {
                if let Some(rank) = series.ranks.get(column).copied().flatten() {
                    canvas.marker(
                        series.marker,
                        (self.column_x(layout, column), row_y(layout, rank)),
                        6.0,
                        series.colour,
                    )?;
                }
            }
        }
        Ok(())
    }

    /// Draws the direct labels at both ends, spread apart where ranks are tied, each joined to
    /// its point by a thin leader when it had to move.
    fn draw_end_labels<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &LinesLayout,
    ) -> Result<(), ChartError> {
        let (left, right) = self.place_end_labels(layout);
        self.draw_left_labels(canvas, layout, &left)?;
        self.draw_right_labels(canvas, layout, &right)
    }

    /// Places the labels at the left and right ends, spread within the plot's height.
    fn place_end_labels(&self, layout: &LinesLayout) -> (Vec<EndLabel>, Vec<EndLabel>) {
        let last_column = self.columns.len().saturating_sub(1);
        let top_limit = layout.plot_top + LABEL_SPACING / 2.0;
        let bottom_limit = layout.plot_bottom - LABEL_SPACING / 2.0;
        let mut left: Vec<EndLabel> = Vec::new();
        let mut right: Vec<EndLabel> = Vec::new();
        for (index, series) in self.series.iter().enumerate() {
            if let Some(rank) = series.ranks.first().copied().flatten() {
                left.push(EndLabel {
                    series: index,
                    wanted: row_y(layout, rank),
                    placed: 0.0,
                });
            }
            if self.columns.len() > 1
                && let Some(rank) = series.ranks.get(last_column).copied().flatten()
            {
                right.push(EndLabel {
                    series: index,
                    wanted: row_y(layout, rank),
                    placed: 0.0,
                });
            }
        }
        spread_labels(&mut left, top_limit, bottom_limit);
        spread_labels(&mut right, top_limit, bottom_limit);
        (left, right)
    }

    /// Draws the left-hand labels, right-aligned, with a leader where one moved.
    fn draw_left_labels<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &LinesLayout,
        left: &[EndLabel],
    ) -> Result<(), ChartError> {
        let text_end = MARGIN + layout.label_width;
        for label in left {
            if (label.placed - label.wanted).abs() > 1.0 {
                canvas.line(
                    &[
                        (text_end + 3.0, label.placed),
                        (
                            layout.plot_left - 2.0 * RANK_NUMBER_OFFSET + 4.0,
                            label.wanted,
                        ),
                    ],
                    palette::LEADER,
                    1,
                )?;
            }
            canvas.text_middle(
                &layout.labels[label.series],
                text_end,
                label.placed,
                BODY_EM,
                Align::Right,
                palette::INK,
            )?;
        }
        Ok(())
    }

    /// Draws the right-hand notes and labels, with a leader where one moved.
    fn draw_right_labels<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &LinesLayout,
        right: &[EndLabel],
    ) -> Result<(), ChartError> {
        let note_left = layout.plot_right + RANK_NUMBERS;
        let text_start = note_left + layout.note_width;
        for label in right {
            let series = &self.series[label.series];
            if (label.placed - label.wanted).abs() > 1.0 {
                canvas.line(
                    &[
                        (
                            layout.plot_right + 2.0 * RANK_NUMBER_OFFSET - 4.0,
                            label.wanted,
                        ),
                        (note_left - 3.0, label.placed),
                    ],
                    palette::GRID,
                    1,
                )?;
            }
            canvas.text_middle(
                &series.note,
                note_left,
                label.placed,
                BODY_EM,
                Align::Left,
                palette::INK,
            )?;
            canvas.text_middle(
                &layout.labels[label.series],
                text_start,
                label.placed,
                BODY_EM,
                Align::Left,
                palette::INK,
            )?;
        }
        Ok(())
    }
}

/// The y of a rank's row, rank 1 at the top.
fn row_y(layout: &LinesLayout, rank: usize) -> f64 {
    layout.plot_top + ROW_SPACING * (rank as f64 - 0.5)
}
