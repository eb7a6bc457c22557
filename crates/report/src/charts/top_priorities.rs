//! The overall top priorities: one horizontal bar per item with its score, the bootstrap
//! interval of the score as a whisker, and the score and rank interval written beside it.

use crate::numbers;
use plotters::prelude::DrawingBackend;
use rank::Method;

use super::canvas::{
    Align, Axis, BODY_EM, Canvas, Frame, MARGIN, SMALL_EM, clean_label, text_width, tick_label,
    wrap,
};
use super::{CHART_WIDTH, Chart, ChartError, palette, sealed};
use crate::numbers::score_for_reading;
use crate::results::{MethodDetails, ResultsDocument};

/// One item's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct PriorityBar {
    /// The item's label (from a person: cleaned and escaped when drawn).
    pub label: String,
    /// Its standard competition rank.
    pub rank: usize,
    /// Its score (higher is better), if defined.
    pub score: Option<f64>,
    /// The 2.5% and 97.5% bootstrap percentiles of the score, drawn as a whisker.
    pub score_interval: Option<(f64, f64)>,
    /// The 2.5% and 97.5% bootstrap percentiles of the rank, written beside the bar.
    pub rank_interval: Option<(usize, usize)>,
}

/// Horizontal bars of the top priorities, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct TopPrioritiesChart {
    /// The title, such as "Top 10 priorities".
    pub title: String,
    /// A line under the title: the method, the weighting, what the whiskers mean.
    pub subtitle: String,
    /// The score axis's label, such as "Borda score (higher is better)".
    pub score_label: String,
    /// The bars, in the order drawn (top first).
    pub bars: Vec<PriorityBar>,
    /// A note under the chart; empty for none.
    pub note: String,
}

impl TopPrioritiesChart {
    /// The first `count` items of `method`'s overall ranking (the first method when `None`),
    /// or `None` if the document has no such method.
    pub fn from_results(
        document: &ResultsDocument,
        method: Option<Method>,
        count: usize,
    ) -> Option<TopPrioritiesChart> {
        let entry = match method {
            Some(method) => document
                .results
                .iter()
                .find(|entry| entry.method == method)?,
            None => document.results.first()?,
        };
        let bars: Vec<PriorityBar> = entry
            .ranking
            .iter()
            .take(count)
            .map(|row| PriorityBar {
                label: row.label.clone(),
                rank: row.rank,
                score: row.score,
                score_interval: match row.score_interval {
                    Some([Some(low), Some(high)]) => Some((low, high)),
                    _ => None,
                },
                rank_interval: row.rank_interval.map(|[low, high]| (low, high)),
            })
            .collect();
        let scores_are = entry
            .details
            .as_ref()
            .and_then(MethodDetails::scores_are)
            .map(|text| format!("; {text}"))
            .unwrap_or_default();
        let mut subtitle = format!(
            "Method: {}; weighting: {}; {} respondents.",
            entry.method, entry.weighting, document.input.respondents
        );
        let mut note = String::new();
        if let Some(resamples) = document.settings.bootstrap {
            subtitle.push_str(" Whiskers: 95% bootstrap interval of the score.");
            note = format!(
                "Rank interval: the 2.5th to 97.5th percentile of the item's rank over {resamples} \
                 bootstrap resamples of the respondents (seed {}).",
                document
                    .settings
                    .seed
                    .map_or_else(|| "not recorded".to_string(), |seed| seed.to_string())
            );
        }
        Some(TopPrioritiesChart {
            title: format!("Top {} priorities", bars.len()),
            subtitle,
            score_label: format!("{} score (higher is better{scores_are})", entry.method),
            bars,
            note,
        })
    }
}

const RANK_COLUMN: f64 = 44.0;
const SCORE_COLUMN: f64 = 96.0;
const INTERVAL_COLUMN: f64 = 124.0;
const HEADER_ROOM: f64 = 30.0;
const AXIS_ROOM: f64 = 58.0;

struct Layout {
    frame: Frame,
    labels: Vec<Vec<String>>,
    label_left: f64,
    plot_left: f64,
    plot_right: f64,
    rows_top: f64,
    row_height: f64,
    axis: Axis,
    height: f64,
}

impl TopPrioritiesChart {
    fn layout(&self) -> Layout {
        let width = f64::from(CHART_WIDTH);
        let frame = Frame::new(&self.title, &self.subtitle, &self.note, width);
        let widest = self
            .bars
            .iter()
            .map(|bar| text_width(&clean_label(&bar.label), BODY_EM))
            .fold(0.0, f64::max);
        let label_width = widest.clamp(160.0, 380.0);
        let labels: Vec<Vec<String>> = self
            .bars
            .iter()
            .map(|bar| wrap(&clean_label(&bar.label), BODY_EM, label_width, 2))
            .collect();
        let row_height = if labels.iter().any(|lines| lines.len() > 1) {
            44.0
        } else {
            32.0
        };
        let label_left = MARGIN + RANK_COLUMN;
        let plot_left = label_left + label_width + 20.0;
        let plot_right = width - MARGIN - SCORE_COLUMN - INTERVAL_COLUMN - 16.0;
        let values = self.bars.iter().flat_map(|bar| {
            let (low, high) = bar.score_interval.unwrap_or((f64::NAN, f64::NAN));
            [bar.score.unwrap_or(f64::NAN), low, high]
        });
        let (low, high) = values
            .filter(|value| value.is_finite())
            .fold((0.0f64, 0.0f64), |(low, high), value| {
                (low.min(value), high.max(value))
            });
        let rows_top = frame.content_top() + HEADER_ROOM;
        let height =
            rows_top + row_height * self.bars.len().max(1) as f64 + AXIS_ROOM + frame.bottom_room();
        Layout {
            frame,
            labels,
            label_left,
            plot_left,
            plot_right,
            rows_top,
            row_height,
            axis: Axis::covering(low, high, 6),
            height: height.ceil(),
        }
    }
}

impl sealed::Draw for TopPrioritiesChart {
    fn pixel_size(&self) -> (u32, u32) {
        (CHART_WIDTH, self.layout().height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let layout = self.layout();
        layout.frame.draw(canvas, layout.height)?;
        draw_headers(canvas, &layout)?;
        let rows_bottom = layout.rows_top + layout.row_height * self.bars.len().max(1) as f64;
        self.draw_axis(canvas, &layout, rows_bottom)?;
        for (index, (bar, lines)) in self.bars.iter().zip(&layout.labels).enumerate() {
            draw_row(canvas, &layout, index, bar, lines)?;
        }
        // A zero line when scores can be negative, so the direction of each bar is clear.
        if layout.axis.low < 0.0 {
            canvas.line(
                &[
                    (layout.x(0.0), layout.rows_top),
                    (layout.x(0.0), rows_bottom),
                ],
                palette::AXIS,
                1,
            )?;
        }
        Ok(())
    }
}

impl Layout {
    /// The x of a score on the axis.
    fn x(&self, value: f64) -> f64 {
        self.axis.position(value, self.plot_left, self.plot_right)
    }
}

/// The x where the scores written beside the bars end.
fn score_right() -> f64 {
    f64::from(CHART_WIDTH) - MARGIN - INTERVAL_COLUMN - 8.0
}

/// The x the rank intervals are centred on.
fn interval_centre() -> f64 {
    f64::from(CHART_WIDTH) - MARGIN - INTERVAL_COLUMN / 2.0
}

/// Draws the column headers: "Rank", "Item", "Score" and "Rank interval".
fn draw_headers<DB: DrawingBackend>(
    canvas: &Canvas<'_, DB>,
    layout: &Layout,
) -> Result<(), ChartError> {
    let header = layout.rows_top - 12.0;
    canvas.text(
        "Rank",
        MARGIN + RANK_COLUMN - 12.0,
        header,
        SMALL_EM,
        Align::Right,
        palette::MUTED_INK,
    )?;
    canvas.text(
        "Item",
        layout.label_left,
        header,
        SMALL_EM,
        Align::Left,
        palette::MUTED_INK,
    )?;
    canvas.text(
        "Score",
        score_right(),
        header,
        SMALL_EM,
        Align::Right,
        palette::MUTED_INK,
    )?;
    canvas.text(
        "Rank interval",
        interval_centre(),
        header,
        SMALL_EM,
        Align::Centre,
        palette::MUTED_INK,
    )?;
    Ok(())
}

impl TopPrioritiesChart {
    /// Draws the score axis: grid lines at the ticks, their labels, the axis line and title,
    /// and a note when there are no bars.
    fn draw_axis<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        layout: &Layout,
        rows_bottom: f64,
    ) -> Result<(), ChartError> {
        for &tick in &layout.axis.ticks {
            canvas.line(
                &[
                    (layout.x(tick), layout.rows_top),
                    (layout.x(tick), rows_bottom),
                ],
                palette::GRID,
                1,
            )?;
            canvas.text(
                &tick_label(tick, layout.axis.step),
                layout.x(tick),
                rows_bottom + 20.0,
                SMALL_EM,
                Align::Centre,
                palette::MUTED_INK,
            )?;
        }
        canvas.line(
            &[
                (layout.plot_left, rows_bottom),
                (layout.plot_right, rows_bottom),
            ],
            palette::AXIS,
            1,
        )?;
        canvas.text(
            &super::canvas::fit(
                &clean_label(&self.score_label),
                BODY_EM,
                layout.plot_right - layout.plot_left,
            ),
            (layout.plot_left + layout.plot_right) / 2.0,
            rows_bottom + 44.0,
            BODY_EM,
            Align::Centre,
            palette::INK,
        )?;
        if self.bars.is_empty() {
            canvas.text_middle(
                "No items to show",
                layout.plot_left,
                layout.rows_top + layout.row_height / 2.0,
                BODY_EM,
                Align::Left,
                palette::MUTED_INK,
            )?;
        }
        Ok(())
    }
}

/// Draws one item's row: its rank, label, bar and whisker, score and rank interval.
fn draw_row<DB: DrawingBackend>(
    canvas: &Canvas<'_, DB>,
    layout: &Layout,
    index: usize,
    bar: &PriorityBar,
    lines: &[String],
) -> Result<(), ChartError> {
    let middle = layout.rows_top + layout.row_height * (index as f64 + 0.5);
    canvas.text_middle(
        &bar.rank.to_string(),
        MARGIN + RANK_COLUMN - 12.0,
        middle,
        BODY_EM,
        Align::Right,
        palette::INK,
    )?;
    canvas.text_block_middle(
        lines,
        layout.label_left,
        middle,
        BODY_EM,
        18.0,
        Align::Left,
        palette::INK,
    )?;
    draw_bar(canvas, layout, middle, bar)?;
    canvas.text_middle(
        &bar.score.map_or_else(|| "–".to_string(), score_for_reading),
        score_right(),
        middle,
        BODY_EM,
        Align::Right,
        palette::INK,
    )?;
    canvas.text_middle(
        &bar.rank_interval.map_or_else(
            || "–".to_string(),
            |(low, high)| numbers::rank_interval(low, high),
        ),
        interval_centre(),
        middle,
        BODY_EM,
        Align::Centre,
        palette::INK,
    )?;
    Ok(())
}

/// Draws one item's bar from zero to its score (or "no score") and its interval's whisker.
fn draw_bar<DB: DrawingBackend>(
    canvas: &Canvas<'_, DB>,
    layout: &Layout,
    middle: f64,
    bar: &PriorityBar,
) -> Result<(), ChartError> {
    let x = |value: f64| layout.x(value);
    let half = (layout.row_height * 0.3).min(11.0);
    match bar.score {
        Some(score) => {
            let (start, end) = (x(0.0).min(x(score)), x(0.0).max(x(score)));
            canvas.rect(
                (start, middle - half),
                (end.max(start + 1.0), middle + half),
                palette::BLUE,
            )?;
        }
        None => canvas.text_middle(
            "no score",
            x(0.0) + 6.0,
            middle,
            SMALL_EM,
            Align::Left,
            palette::MUTED_INK,
        )?,
    }
    if let Some((low, high)) = bar.score_interval {
        let (low, high) = (x(low), x(high));
        canvas.line(&[(low, middle), (high, middle)], palette::INK, 2)?;
        for end in [low, high] {
            canvas.line(&[(end, middle - 7.0), (end, middle + 7.0)], palette::INK, 2)?;
        }
    }
    Ok(())
}

impl Chart for TopPrioritiesChart {
    fn title(&self) -> String {
        clean_label(&self.title)
    }

    fn alt_text(&self) -> String {
        let items: Vec<String> = self
            .bars
            .iter()
            .map(|bar| {
                let mut details = Vec::new();
                if let Some(score) = bar.score {
                    details.push(format!("score {}", score_for_reading(score)));
                }
                if let Some((low, high)) = bar.score_interval {
                    details.push(format!(
                        "score interval {} to {}",
                        score_for_reading(low),
                        score_for_reading(high)
                    ));
                }
                if let Some((low, high)) = bar.rank_interval {
                    details.push(format!(
                        "rank interval {}",
                        numbers::rank_interval(low, high)
                    ));
                }
                let details = if details.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", details.join(", "))
                };
                format!("{}. {}{details}", bar.rank, clean_label(&bar.label))
            })
            .collect();
        if items.is_empty() {
            return format!("{}: no items to show.", self.title());
        }
        format!(
            "Bar chart of the top {} priorities by {}: {}.",
            self.bars.len(),
            clean_label(&self.score_label),
            items.join("; ")
        )
    }
}
