//! Agreement between stakeholder groups: a matrix of Kendall's τ-b between each pair of groups'
//! rankings, the value written in every cell on a diverging scale.

use plotters::prelude::DrawingBackend;
use rank::Method;

use super::canvas::{
    Align, BODY_EM, Canvas, Frame, MARGIN, SMALL_EM, clean_label, text_width, wrap,
};
use super::{CHART_WIDTH, Chart, ChartError, join_phrases, palette, sealed};
use crate::results::ResultsDocument;

/// Kendall's τ-b between every pair of groups.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupAgreementMatrix {
    /// The title.
    pub title: String,
    /// A line under the title.
    pub subtitle: String,
    /// The group labels, for both rows and columns.
    pub groups: Vec<String>,
    /// `tau[i][j]` is τ-b between groups i and j, in [−1, 1]; `None` where undefined. Read
    /// symmetrically: a value given only above or only below the diagonal fills both cells.
    /// The diagonal is not read.
    pub tau: Vec<Vec<Option<f64>>>,
    /// A note under the chart; empty for none.
    pub note: String,
}

impl GroupAgreementMatrix {
    /// τ-b between the disclosed groups' own rankings under `method` (the first method when
    /// `None`), or `None` if the document has no such method.
    pub fn from_results(
        document: &ResultsDocument,
        method: Option<Method>,
    ) -> Option<GroupAgreementMatrix> {
        let entry = match method {
            Some(method) => document
                .results
                .iter()
                .find(|entry| entry.method == method)?,
            None => document.results.first()?,
        };
        let groups: Vec<String> = entry
            .groups
            .iter()
            .map(|group| group.group.clone())
            .collect();
        let mut tau = vec![vec![None; groups.len()]; groups.len()];
        for pair in &entry.group_agreement {
            let first = groups.iter().position(|group| *group == pair.groups[0]);
            let second = groups.iter().position(|group| *group == pair.groups[1]);
            if let (Some(first), Some(second)) = (first, second) {
                tau[first][second] = pair.kendall_tau_b;
                tau[second][first] = pair.kendall_tau_b;
            }
        }
        let note = if document.input.suppressed_groups.is_empty() {
            String::new()
        } else {
            format!(
                "Not shown on their own (fewer than {} respondents): {}.",
                document.settings.disclosure_threshold,
                join_phrases(&document.input.suppressed_groups)
            )
        };
        Some(GroupAgreementMatrix {
            title: "Agreement between groups (Kendall's τ-b)".to_string(),
            subtitle: format!(
                "Method: {}. Each cell compares two groups' rankings of every item: 1 means the \
                 same order, 0 no relation, −1 the reverse order.",
                entry.method
            ),
            groups,
            tau,
            note,
        })
    }

    /// τ-b of groups i and j, reading the matrix symmetrically.
    fn value(&self, first: usize, second: usize) -> Option<f64> {
        let read = |i: usize, j: usize| {
            self.tau
                .get(i)
                .and_then(|row| row.get(j))
                .copied()
                .flatten()
        };
        read(first, second)
            .or_else(|| read(second, first))
            .filter(|value| value.is_finite())
    }
}

const LEGEND_WIDTH: f64 = 300.0;
const HEADER_LINE: f64 = 16.0;

struct Layout {
    height: f64,
    frame: Frame,
    row_labels: Vec<Vec<String>>,
    column_labels: Vec<Vec<String>>,
    grid_left: f64,
    grid_top: f64,
    cell: f64,
}

impl GroupAgreementMatrix {
    fn layout(&self) -> Layout {
        let width = f64::from(CHART_WIDTH);
        let frame = Frame::new(&self.title, &self.subtitle, &self.note, width);
        let widest = self
            .groups
            .iter()
            .map(|group| text_width(&clean_label(group), BODY_EM))
            .fold(0.0, f64::max);
        let label_width = widest.clamp(100.0, 240.0);
        let grid_left = MARGIN + label_width + 14.0;
        let count = self.groups.len().max(1) as f64;
        let available = width - MARGIN - LEGEND_WIDTH - 40.0 - grid_left;
        let cell = (available / count).clamp(56.0, 110.0);
        let row_labels = self
            .groups
            .iter()
            .map(|group| wrap(&clean_label(group), BODY_EM, label_width, 2))
            .collect();
        let column_labels: Vec<Vec<String>> = self
            .groups
            .iter()
            .map(|group| wrap(&clean_label(group), SMALL_EM, cell - 6.0, 3))
            .collect();
        let header_lines = column_labels.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let grid_top = frame.content_top() + HEADER_LINE * header_lines as f64 + 8.0;
        let legend_height = 180.0;
        let height = grid_top + (cell * count).max(legend_height) + 24.0 + frame.bottom_room();
        Layout {
            height: height.ceil(),
            frame,
            row_labels,
            column_labels,
            grid_left,
            grid_top,
            cell,
        }
    }
}

fn format_tau(value: f64) -> String {
    format!("{value:.2}").replace('-', "−")
}

impl sealed::Draw for GroupAgreementMatrix {
    fn pixel_size(&self) -> (u32, u32) {
        (CHART_WIDTH, self.layout().height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let layout = self.layout();
        layout.frame.draw(canvas, layout.height)?;
        draw_column_labels(canvas, &layout)?;
        if self.groups.len() < 2 {
            canvas.text_middle(
                "Fewer than two groups can be shown, so there is nothing to compare",
                MARGIN,
                layout.grid_top + 20.0,
                BODY_EM,
                Align::Left,
                palette::MUTED_INK,
            )?;
        }
        for (row, lines) in layout.row_labels.iter().enumerate() {
            self.draw_row(canvas, &layout, row, lines)?;
        }
        self.draw_legend(canvas, &layout)
    }
}

/// Draws the groups' names over the columns.
fn draw_column_labels<DB: DrawingBackend>(
    canvas: &Canvas<'_, DB>,
    layout: &Layout,
) -> Result<(), ChartError> {
    let header_bottom = layout.grid_top - 8.0;
    for (column, lines) in layout.column_labels.iter().enumerate() {
        let centre = layout.grid_left + layout.cell * (column as f64 + 0.5);
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

impl GroupAgreementMatrix {
    /// Draws one group's row: its name and its cell against every group.
    fn draw_row<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &Layout,
        row: usize,
        lines: &[String],
    ) -> Result<(), ChartError> {
        let cell = layout.cell;
        let top = layout.grid_top + cell * row as f64;
        canvas.text_block_middle(
            lines,
            layout.grid_left - 14.0,
            top + cell / 2.0,
            BODY_EM,
            18.0,
            Align::Right,
            palette::INK,
        )?;
        for column in 0..self.groups.len() {
            let left = layout.grid_left + cell * column as f64;
            self.draw_cell(canvas, (left, top), cell, row, column)?;
        }
        Ok(())
    }

    /// Draws one cell: a dash on the diagonal, else τ-b on the diverging scale, or "n/a"
    /// hatched where it is undefined.
    fn draw_cell<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        (left, top): (f64, f64),
        cell: f64,
        row: usize,
        column: usize,
    ) -> Result<(), ChartError> {
        let (x0, y0, x1, y1) = (left + 1.5, top + 1.5, left + cell - 1.5, top + cell - 1.5);
        let centre = (left + cell / 2.0, top + cell / 2.0);
        if row == column {
            canvas.rect((x0, y0), (x1, y1), palette::EMPTY)?;
            canvas.text_middle(
                "—",
                centre.0,
                centre.1,
                BODY_EM,
                Align::Centre,
                palette::MUTED_INK,
            )?;
            return Ok(());
        }
        match self.value(row, column) {
            Some(value) => {
                let fill = palette::diverging(value);
                canvas.rect((x0, y0), (x1, y1), fill)?;
                canvas.text_middle(
                    &format_tau(value),
                    centre.0,
                    centre.1,
                    BODY_EM,
                    Align::Centre,
                    palette::text_on(fill),
                )?;
            }
            None => {
                canvas.rect((x0, y0), (x1, y1), palette::EMPTY)?;
                canvas.hatch((x0, y0), (x1, y1), palette::HATCH, 8.0)?;
                canvas.text_middle(
                    "n/a",
                    centre.0,
                    centre.1,
                    SMALL_EM,
                    Align::Centre,
                    palette::MUTED_INK,
                )?;
            }
        }
        Ok(())
    }

    /// Draws the legend, to the right: the scale from −1 to +1 with what its ends mean.
    fn draw_legend<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &Layout,
    ) -> Result<(), ChartError> {
        let grid_right = layout.grid_left + layout.cell * self.groups.len() as f64;
        let legend_left = (grid_right + 56.0).min(f64::from(CHART_WIDTH) - MARGIN - LEGEND_WIDTH);
        let legend_top = layout.grid_top;
        canvas.text(
            "Kendall's τ-b",
            legend_left,
            legend_top + 10.0,
            BODY_EM,
            Align::Left,
            palette::INK,
        )?;
        let strip_top = legend_top + 24.0;
        let steps = 20;
        let step_height = 7.0;
        for step in 0..steps {
            let value = 1.0 - 2.0 * step as f64 / (steps - 1) as f64;
            let top = strip_top + step_height * step as f64;
            canvas.rect(
                (legend_left, top),
                (legend_left + 24.0, top + step_height),
                palette::diverging(value),
            )?;
        }
        let strip_bottom = strip_top + step_height * steps as f64;
        for (value, text) in [
            (1.0, "+1: same order"),
            (0.0, "0: no relation"),
            (-1.0, "−1: reverse order"),
        ] {
            let y = strip_top + (1.0 - value) / 2.0 * (strip_bottom - strip_top);
            canvas.line(
                &[(legend_left + 24.0, y), (legend_left + 30.0, y)],
                palette::AXIS,
                1,
            )?;
            canvas.text_middle(
                text,
                legend_left + 36.0,
                y,
                SMALL_EM,
                Align::Left,
                palette::INK,
            )?;
        }
        Ok(())
    }
}

impl Chart for GroupAgreementMatrix {
    fn title(&self) -> String {
        clean_label(&self.title)
    }

    fn alt_text(&self) -> String {
        let groups: Vec<String> = self.groups.iter().map(|group| clean_label(group)).collect();
        if groups.len() < 2 {
            return format!(
                "{}: fewer than two groups can be shown, so there is nothing to compare.",
                self.title()
            );
        }
        let mut pairs = Vec::new();
        for first in 0..groups.len() {
            for second in first + 1..groups.len() {
                pairs.push((first, second, self.value(first, second)));
            }
        }
        let listed: Vec<String> = pairs
            .iter()
            .map(|&(first, second, value)| {
                format!(
                    "{} and {}: {}",
                    groups[first],
                    groups[second],
                    value.map_or_else(|| "undefined".to_string(), format_tau)
                )
            })
            .collect();
        let mut text = format!(
            "Matrix of Kendall's τ-b between the rankings of each pair of {} groups (1 means the \
             same order, 0 no relation, −1 the reverse order). {}.",
            groups.len(),
            listed.join("; ")
        );
        let defined: Vec<(usize, usize, f64)> = pairs
            .iter()
            .filter_map(|&(first, second, value)| Some((first, second, value?)))
            .collect();
        let most = defined
            .iter()
            .copied()
            .reduce(|best, pair| if pair.2 > best.2 { pair } else { best });
        let least = defined
            .iter()
            .copied()
            .reduce(|worst, pair| if pair.2 < worst.2 { pair } else { worst });
        if let (Some(most), Some(least)) = (most, least)
            && defined.len() > 1
        {
            text.push_str(&format!(
                " Most alike: {} and {} ({}); least alike: {} and {} ({}).",
                groups[most.0],
                groups[most.1],
                format_tau(most.2),
                groups[least.0],
                groups[least.1],
                format_tau(least.2)
            ));
        }
        text
    }
}
