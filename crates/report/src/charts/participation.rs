//! Participation by group and round: a table of bars, one row per group (and one for all
//! groups), one column per round, each bar's count written beside it and the change from the
//! round before written under it.

use plotters::prelude::DrawingBackend;

use super::canvas::{
    Align, BODY_EM, Canvas, Frame, MARGIN, SMALL_EM, clean_label, fit, text_width, wrap,
};
use super::{CHART_WIDTH, Chart, ChartError, palette, sealed};

/// One group's respondents in each round.
#[derive(Debug, Clone, PartialEq)]
pub struct ParticipationGroup {
    /// The group's label.
    pub label: String,
    /// Respondents who answered each round, in the order of [`ParticipationChart::rounds`].
    pub counts: Vec<u64>,
}

/// Respondents by group and round, with drop-out between rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct ParticipationChart {
    /// The title.
    pub title: String,
    /// A line under the title.
    pub subtitle: String,
    /// The round labels, in the order they ran.
    pub rounds: Vec<String>,
    /// The groups, one row each; a row for all groups together is added when there are two or
    /// more.
    pub groups: Vec<ParticipationGroup>,
    /// A note under the chart; empty for none.
    pub note: String,
}

impl ParticipationChart {
    /// A chart with the usual title and subtitle.
    pub fn new(rounds: Vec<String>, groups: Vec<ParticipationGroup>) -> ParticipationChart {
        ParticipationChart {
            title: "Participation by group and round".to_string(),
            subtitle: "Respondents who answered each round; under each bar, the change from the \
                       round before."
                .to_string(),
            rounds,
            groups,
            note: String::new(),
        }
    }

    /// The groups' rows, then all groups together when there are two or more.
    fn rows(&self) -> Vec<(String, Vec<u64>, bool)> {
        let mut rows: Vec<(String, Vec<u64>, bool)> = self
            .groups
            .iter()
            .map(|group| {
                let counts = (0..self.rounds.len())
                    .map(|round| group.counts.get(round).copied().unwrap_or(0))
                    .collect();
                (clean_label(&group.label), counts, false)
            })
            .collect();
        if self.groups.len() > 1 {
            let totals = (0..self.rounds.len())
                .map(|round| rows.iter().map(|(_, counts, _)| counts[round]).sum())
                .collect();
            rows.push(("All groups".to_string(), totals, true));
        }
        rows
    }
}

/// The change in respondents from the round before: the count ("−8") and, when there were
/// respondents before, the percentage ("−13%").
fn change(previous: u64, current: u64) -> (String, Option<String>) {
    let difference = current as i64 - previous as i64;
    let sign = if difference < 0 { "−" } else { "+" };
    let count = format!("{sign}{}", difference.unsigned_abs());
    let percent = (previous > 0).then(|| {
        let percent = (difference as f64 / previous as f64 * 100.0).round().abs();
        format!("{sign}{percent:.0}%")
    });
    (count, percent)
}

/// "−8 (−13%)", as written under a bar.
fn change_text(previous: u64, current: u64) -> String {
    match change(previous, current) {
        (count, Some(percent)) => format!("{count} ({percent})"),
        (count, None) => count,
    }
}

const ROW_HEIGHT: f64 = 56.0;
const HEADER_LINE: f64 = 18.0;
const COUNT_ROOM: f64 = 64.0;

struct Layout {
    frame: Frame,
    rows: Vec<(Vec<String>, Vec<u64>, bool)>,
    headers: Vec<Vec<String>>,
    label_width: f64,
    column_width: f64,
    rows_top: f64,
    height: f64,
}

impl ParticipationChart {
    fn layout(&self) -> Layout {
        let width = f64::from(CHART_WIDTH);
        let frame = Frame::new(&self.title, &self.subtitle, &self.note, width);
        let rows = self.rows();
        let widest = rows
            .iter()
            .map(|(label, ..)| text_width(label, BODY_EM))
            .fold(0.0, f64::max);
        let label_width = widest.clamp(120.0, 260.0);
        let columns = self.rounds.len().max(1) as f64;
        let column_width = (width - 2.0 * MARGIN - label_width - 16.0) / columns;
        let headers: Vec<Vec<String>> = self
            .rounds
            .iter()
            .map(|round| wrap(&clean_label(round), BODY_EM, column_width - 16.0, 2))
            .collect();
        let header_lines = headers.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let rows_top = frame.content_top() + HEADER_LINE * header_lines as f64 + 6.0;
        let height = rows_top + ROW_HEIGHT * rows.len().max(1) as f64 + 16.0 + frame.bottom_room();
        Layout {
            frame,
            rows: rows
                .into_iter()
                .map(|(label, counts, total)| {
                    (wrap(&label, BODY_EM, label_width, 2), counts, total)
                })
                .collect(),
            headers,
            label_width,
            column_width,
            rows_top,
            height: height.ceil(),
        }
    }
}

impl sealed::Draw for ParticipationChart {
    fn pixel_size(&self) -> (u32, u32) {
        (CHART_WIDTH, self.layout().height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let layout = self.layout();
        layout.frame.draw(canvas, layout.height)?;
        draw_headers(canvas, &layout)?;
        let largest = layout
            .rows
            .iter()
            .flat_map(|(_, counts, _)| counts.iter().copied())
            .max()
            .unwrap_or(0)
            .max(1);
        if layout.rows.is_empty() || self.rounds.is_empty() {
            canvas.text_middle(
                "No participation to show",
                MARGIN,
                layout.rows_top + ROW_HEIGHT / 2.0,
                BODY_EM,
                Align::Left,
                palette::MUTED_INK,
            )?;
        }
        for (index, (lines, counts, total)) in layout.rows.iter().enumerate() {
            draw_row(canvas, &layout, index, (lines, counts, *total), largest)?;
        }
        Ok(())
    }
}

impl Layout {
    /// The left edge of a round's column's contents.
    fn column_left(&self, round: usize) -> f64 {
        let grid_left = MARGIN + self.label_width + 16.0;
        grid_left + self.column_width * round as f64 + 8.0
    }
}

/// Draws the headers: "Group" and each round's name.
fn draw_headers<DB: DrawingBackend>(
    canvas: &Canvas<'_, DB>,
    layout: &Layout,
) -> Result<(), ChartError> {
    let header_bottom = layout.rows_top - 10.0;
    canvas.text(
        "Group",
        MARGIN,
        header_bottom,
        SMALL_EM,
        Align::Left,
        palette::MUTED_INK,
    )?;
    for (round, lines) in layout.headers.iter().enumerate() {
        let left = layout.column_left(round);
        let first = header_bottom - HEADER_LINE * (lines.len() as f64 - 1.0);
        for (index, line) in lines.iter().enumerate() {
            canvas.text(
                line,
                left,
                first + HEADER_LINE * index as f64,
                BODY_EM,
                Align::Left,
                palette::INK,
            )?;
        }
    }
    Ok(())
}

/// Draws one group's row (or the row for all groups): a rule above it, its label, and each
/// round's bar, count and change, bars scaled so that `largest` fills a column.
fn draw_row<DB: DrawingBackend>(
    canvas: &Canvas<'_, DB>,
    layout: &Layout,
    index: usize,
    (lines, counts, total): (&[String], &[u64], bool),
    largest: u64,
) -> Result<(), ChartError> {
    let bar_room = layout.column_width - 16.0 - COUNT_ROOM;
    let top = layout.rows_top + ROW_HEIGHT * index as f64;
    if total {
        canvas.line(
            &[(MARGIN, top), (f64::from(CHART_WIDTH) - MARGIN, top)],
            palette::AXIS,
            1,
        )?;
    } else if index > 0 {
        canvas.line(
            &[(MARGIN, top), (f64::from(CHART_WIDTH) - MARGIN, top)],
            palette::EMPTY,
            1,
        )?;
    }
    let bar_middle = top + 20.0;
    canvas.text_block_middle(
        lines,
        MARGIN,
        top + ROW_HEIGHT / 2.0,
        BODY_EM,
        18.0,
        Align::Left,
        palette::INK,
    )?;
    for (round, &count) in counts.iter().enumerate() {
        let left = layout.column_left(round);
        let length = bar_room * count as f64 / largest as f64;
        let colour = palette::category(round);
        if count > 0 {
            canvas.rect(
                (left, bar_middle - 9.0),
                (left + length.max(2.0), bar_middle + 9.0),
                colour,
            )?;
        }
        canvas.text_middle(
            &count.to_string(),
            left + length.max(2.0) + 8.0,
            bar_middle,
            BODY_EM,
            Align::Left,
            palette::INK,
        )?;
        if round > 0 {
            let change = change_text(counts[round - 1], count);
            canvas.text_middle(
                &fit(&change, SMALL_EM, layout.column_width - 16.0),
                left,
                bar_middle + 22.0,
                SMALL_EM,
                Align::Left,
                palette::MUTED_INK,
            )?;
        }
    }
    Ok(())
}

impl Chart for ParticipationChart {
    fn title(&self) -> String {
        clean_label(&self.title)
    }

    fn alt_text(&self) -> String {
        let rounds: Vec<String> = self.rounds.iter().map(|round| clean_label(round)).collect();
        let rows = self.rows();
        if rows.is_empty() || rounds.is_empty() {
            return format!("{}: no participation to show.", self.title());
        }
        let describe = |counts: &[u64]| -> String {
            counts
                .iter()
                .enumerate()
                .map(|(round, &count)| {
                    if round == 0 {
                        format!("{} {count}", rounds[round])
                    } else {
                        let (difference, percent) = change(counts[round - 1], count);
                        let percent = percent.map(|percent| format!(", {percent}"));
                        format!(
                            "{} {count} ({difference}{})",
                            rounds[round],
                            percent.unwrap_or_default()
                        )
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let described: Vec<String> = rows
            .iter()
            .map(|(label, counts, _)| format!("{label}: {}", describe(counts)))
            .collect();
        format!(
            "Bar chart of respondents in each of {} rounds by group, with the change from the \
             round before. {}.",
            rounds.len(),
            described.join("; ")
        )
    }
}
