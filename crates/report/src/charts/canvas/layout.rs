//! The frame around a chart (title, subtitle and note) and the axes of its numbers.

use plotters::prelude::DrawingBackend;

use super::super::ChartError;
use super::super::palette;
use super::{
    Align, CAP_HEIGHT, Canvas, MARGIN, SMALL_EM, SUBTITLE_EM, TITLE_EM, clean_label, fit, wrap,
};

/// The title, subtitle and note of a chart, wrapped to its width, and where they leave room.
pub struct Frame {
    title: String,
    subtitle: Vec<String>,
    note: Vec<String>,
}

const TITLE_BASELINE: f64 = MARGIN - 4.0 + CAP_HEIGHT * TITLE_EM;
const SUBTITLE_LINE: f64 = 21.0;
const NOTE_LINE: f64 = 18.0;

impl Frame {
    /// Fits the title on one line and wraps the subtitle and note (each at most three lines).
    pub fn new(title: &str, subtitle: &str, note: &str, width: f64) -> Frame {
        let text_width = width - 2.0 * MARGIN;
        let wrap_paragraph = |text: &str, em: f64| {
            let text = clean_label(text);
            if text.is_empty() {
                Vec::new()
            } else {
                wrap(&text, em, text_width, 3)
            }
        };
        Frame {
            title: fit(&clean_label(title), TITLE_EM, text_width),
            subtitle: wrap_paragraph(subtitle, SUBTITLE_EM),
            note: wrap_paragraph(note, SMALL_EM),
        }
    }

    /// Where the chart's content may start.
    pub fn content_top(&self) -> f64 {
        TITLE_BASELINE + SUBTITLE_LINE * self.subtitle.len() as f64 + 30.0
    }

    /// The room the note needs below the content, with the bottom margin.
    pub fn bottom_room(&self) -> f64 {
        if self.note.is_empty() {
            MARGIN
        } else {
            MARGIN + 14.0 + NOTE_LINE * self.note.len() as f64
        }
    }

    /// Draws the title, subtitle and note on a canvas `height` pixels high.
    pub fn draw<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<'_, DB>,
        height: f64,
    ) -> Result<(), ChartError> {
        canvas.text(
            &self.title,
            MARGIN,
            TITLE_BASELINE,
            TITLE_EM,
            Align::Left,
            palette::INK,
        )?;
        for (index, line) in self.subtitle.iter().enumerate() {
            canvas.text(
                line,
                MARGIN,
                TITLE_BASELINE + SUBTITLE_LINE * (index + 1) as f64,
                SUBTITLE_EM,
                Align::Left,
                palette::MUTED_INK,
            )?;
        }
        let first_note = height - MARGIN - NOTE_LINE * (self.note.len() as f64 - 1.0);
        for (index, line) in self.note.iter().enumerate() {
            canvas.text(
                line,
                MARGIN,
                first_note + NOTE_LINE * index as f64,
                SMALL_EM,
                Align::Left,
                palette::MUTED_INK,
            )?;
        }
        Ok(())
    }
}

/// A numeric axis with round ticks.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The value at the axis's start.
    pub low: f64,
    /// The value at the axis's end.
    pub high: f64,
    /// The distance between ticks.
    pub step: f64,
    /// The tick values, from `low` to `high`.
    pub ticks: Vec<f64>,
}

impl Axis {
    /// An axis covering `low` to `high` (widened to whole steps), with about `target` ticks at
    /// 1, 2, 2.5 or 5 × 10ⁿ.
    pub fn covering(low: f64, high: f64, target: usize) -> Axis {
        let (low, high) = match (low.is_finite(), high.is_finite()) {
            (true, true) if high > low => (low, high),
            (true, true) => (low, low + 1.0),
            _ => (0.0, 1.0),
        };
        let raw_step = (high - low) / target.max(1) as f64;
        let magnitude = 10f64.powf(raw_step.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|factor| factor * magnitude)
            .find(|step| *step >= raw_step * 0.999)
            .unwrap_or(10.0 * magnitude);
        let first = (low / step + 1e-9).floor() as i64;
        let last = (high / step - 1e-9).ceil() as i64;
        Axis {
            low: first as f64 * step,
            high: last as f64 * step,
            step,
            ticks: (first..=last).map(|index| index as f64 * step).collect(),
        }
    }

    /// Where `value` falls between `start` and `end` pixels.
    pub fn position(&self, value: f64, start: f64, end: f64) -> f64 {
        start + (value - self.low) / (self.high - self.low) * (end - start)
    }
}

/// An axis number: as few decimals as the step needs, with a true minus sign.
pub fn tick_label(value: f64, step: f64) -> String {
    let decimals = if step >= 1.0 || step <= 0.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    let text = format!("{value:.decimals$}");
    let text = if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_string()
    } else {
        text
    };
    text.replace('-', "−")
}
