//! Charts of the results, each rendered as SVG (for the HTML report) and PNG (for documents and
//! slides), with a title, axis labels where there are axes, and alt text.
//!
//! Every chart is a plain input struct that the report fills (most have a `from_results`
//! function that fills them from a [`ResultsDocument`](crate::ResultsDocument)); the [`Chart`]
//! trait renders it:
//!
//! - [`TopPrioritiesChart`]: the overall top priorities, their scores and bootstrap intervals;
//! - [`GroupRankHeatmap`]: each item's rank in each stakeholder group;
//! - [`GroupAgreementMatrix`]: Kendall's τ-b between each pair of groups;
//! - [`MethodSensitivityChart`]: each item's rank under each method, as a bump chart;
//! - [`ParticipationChart`]: respondents by group and round, with drop-out between rounds;
//! - [`RatingDistributionChart`]: the distribution of ratings per item, marking Delphi consensus;
//! - [`RoundMovementChart`]: each item's rank in one round against another, as a slope chart.
//!
//! # Readable by everyone
//!
//! Colours come from palettes that people with colour-vision deficiency can tell apart
//! (Okabe–Ito for categories, viridis for sequences, ColorBrewer's PuOr for values around zero),
//! and no chart relies on colour alone: values and ranks are written as text, lines carry marker
//! shapes and direct labels, and directions are written out (▲ 3, ▼ 2).
//!
//! # The same text on every machine
//!
//! Text in PNG charts is drawn with DejaVu Sans, embedded in the binary (`fonts/`, with its
//! licence), never a system font. SVG text names the same family first, then similar fallbacks.
//!
//! # Untrusted text
//!
//! Item and group labels come from people. Control characters and bidirectional overrides are
//! removed before drawing ([`clean_label`]); the SVG writer escapes `<`, `>`, `&`, `"` and `'`
//! in every text node and attribute, so a label can only ever appear as text. Alt text and
//! titles are returned as plain text, not escaped: escape them where they are written (as an
//! HTML attribute, in Markdown).
//!
//! # Looking at them
//!
//! `CHART_PREVIEW_DIR=/tmp/charts cargo nextest run -p report charts` writes every chart, made
//! from realistic example data, as PNG, SVG and alt text into that folder.

use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, IntoDrawingArea, SVGBackend};

mod canvas;
mod group_agreement;
mod group_heatmap;
mod method_sensitivity;
mod palette;
mod participation;
mod rank_lines;
mod rating_distribution;
mod round_movement;
mod top_priorities;

pub use canvas::clean_label;
pub use group_agreement::GroupAgreementMatrix;
pub use group_heatmap::{GroupRankHeatmap, HeatmapRow};
pub use method_sensitivity::{MethodSensitivityChart, SensitivityItem};
pub use participation::{ParticipationChart, ParticipationGroup};
pub use rating_distribution::{RatingDistributionChart, RatingItem};
pub use round_movement::{MovementItem, RoundMovementChart};
pub use top_priorities::{PriorityBar, TopPrioritiesChart};

use canvas::{Canvas, Output};

/// The width of every chart, in pixels (SVG user units and PNG pixels alike); only a heatmap
/// with too many groups to fit is wider. Heights grow with the number of items.
pub const CHART_WIDTH: u32 = 1200;

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The embedded font could not be read (the font file in the binary is damaged).
    #[error("the embedded chart font could not be read")]
    Font,
    /// The drawing library refused an operation.
    #[error("could not draw the chart: {0}")]
    Drawing(String),
    /// The PNG encoder failed.
    #[error("could not encode the chart as PNG")]
    Png(#[from] png::EncodingError),
}

/// A chart rendered both ways, with what the HTML report needs around it.
#[derive(Debug, Clone)]
pub struct RenderedChart {
    /// The chart's title (also drawn in the chart).
    pub title: String,
    /// A plain-English description of what the chart shows, for the `alt` attribute.
    pub alt_text: String,
    /// Width in pixels of both the SVG and the PNG.
    pub width: u32,
    /// Height in pixels of both the SVG and the PNG.
    pub height: u32,
    /// The SVG document (UTF-8, with an `xmlns`, ready to inline or to save).
    pub svg: String,
    /// The PNG file's bytes (8-bit RGB).
    pub png: Vec<u8>,
}

mod sealed {
    use super::ChartError;
    use super::canvas::Canvas;
    use plotters::prelude::DrawingBackend;

    /// Drawing, kept out of the public API so that charts can only be made in this module.
    pub trait Draw {
        /// Width and height in pixels.
        fn pixel_size(&self) -> (u32, u32);
        /// Draws the chart on a white canvas of [`Draw::pixel_size`].
        fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<'_, DB>) -> Result<(), ChartError>;
    }
}

/// What every chart can do: describe itself and render as SVG and PNG.
///
/// Not object safe (drawing is generic over plotters' backends): to handle charts of different
/// kinds together, [`render`](Chart::render) each and keep the [`RenderedChart`]s.
pub trait Chart: sealed::Draw {
    /// The title drawn at the top of the chart.
    fn title(&self) -> String;

    /// A plain-English description of what the chart shows, for alt text: the kind of chart
    /// and its data, top item first.
    fn alt_text(&self) -> String;

    /// Width and height in pixels; the height grows with the number of items.
    fn size(&self) -> (u32, u32) {
        self.pixel_size()
    }

    /// The chart as an SVG document.
    ///
    /// # Errors
    /// [`ChartError`] if the font cannot be read or drawing fails.
    fn svg(&self) -> Result<String, ChartError> {
        canvas::load_font()?;
        let (width, height) = self.pixel_size();
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
            draw_on(self, &area, Output::Svg)?;
            area.present().map_err(drawing_error)?;
        }
        Ok(svg)
    }

    /// The chart as a PNG file (8-bit RGB) of [`Chart::size`].
    ///
    /// # Errors
    /// [`ChartError`] if the font cannot be read, drawing fails or encoding fails.
    fn png(&self) -> Result<Vec<u8>, ChartError> {
        canvas::load_font()?;
        let (width, height) = self.pixel_size();
        let mut pixels = vec![255u8; width as usize * height as usize * 3];
        {
            let area = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
            draw_on(self, &area, Output::Png)?;
            area.present().map_err(drawing_error)?;
        }
        encode_png(&pixels, width, height)
    }

    /// The chart rendered both ways, with its title, alt text and size.
    ///
    /// # Errors
    /// As [`Chart::svg`] and [`Chart::png`].
    fn render(&self) -> Result<RenderedChart, ChartError> {
        let (width, height) = self.pixel_size();
        Ok(RenderedChart {
            title: self.title(),
            alt_text: self.alt_text(),
            width,
            height,
            svg: self.svg()?,
            png: self.png()?,
        })
    }
}

fn draw_on<C: Chart + ?Sized, DB: plotters::prelude::DrawingBackend>(
    chart: &C,
    area: &DrawingArea<DB, Shift>,
    output: Output,
) -> Result<(), ChartError> {
    area.fill(&palette::WHITE).map_err(drawing_error)?;
    chart.draw(&Canvas::new(area, output))
}

fn drawing_error<E: std::error::Error + Send + Sync>(
    error: plotters::drawing::DrawingAreaErrorKind<E>,
) -> ChartError {
    ChartError::Drawing(error.to_string())
}

fn encode_png(pixels: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(pixels)?;
        writer.finish()?;
    }
    Ok(bytes)
}

/// Joins phrases into a sentence list: "a", "a and b", "a, b and c".
pub fn join_phrases(phrases: &[String]) -> String {
    match phrases {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// An SVG document made fit to inline in an HTML page: without its XML declaration (not
/// allowed inside HTML), with `role="img"` and `label` (escaped) as the root's `aria-label`, so
/// that a screen reader announces the description rather than every label inside. Empty when
/// the document does not start with its root element: anything else is left out rather than
/// inlined unchecked.
pub fn svg_for_html(svg: &str, label: &str) -> String {
    let svg = svg.trim();
    let svg = match svg.strip_prefix("<?xml") {
        Some(rest) => rest
            .split_once("?>")
            .map_or(svg, |(_, body)| body.trim_start()),
        None => svg,
    };
    match svg.strip_prefix("<svg") {
        Some(rest) => format!(
            "<svg role=\"img\" aria-label=\"{}\"{rest}\n",
            crate::escape_html(label)
        ),
        None => String::new(),
    }
}

/// A chart as SVG to inline in an HTML page ([`svg_for_html`]), labelled with its title and
/// alt text; without the PNG that [`Chart::render`] also makes.
///
/// # Errors
/// As [`Chart::svg`].
pub fn inline_svg<C: Chart>(chart: &C) -> Result<String, ChartError> {
    Ok(svg_for_html(
        &chart.svg()?,
        &format!("{}. {}", chart.title(), chart.alt_text()),
    ))
}

#[cfg(test)]
mod tests;
