//! The drawing layer the charts share: text placed by its baseline the same way in SVG and PNG,
//! rectangles, lines, markers and hatching in pixel coordinates, and label fitting.
//!
//! The charts lay themselves out in pixels rather than through plotters' chart builder: they
//! are tables of bars, cells and slopes whose labels must never overlap, which is easier to
//! guarantee by measuring each label with the embedded font.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point as glyph_point};
use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor, ShapeStyle};

use super::palette;
use super::{ChartError, drawing_error};

mod layout;

pub use layout::{Axis, Frame, tick_label};

/// The SVG `font-family` list: DejaVu Sans first, then fonts of similar width.
const FONT_FAMILY: &str = "DejaVu Sans, Verdana, sans-serif";

/// DejaVu Sans 2.37 (Bitstream Vera licence; see `fonts/LICENSE-DejaVuSans.txt`).
static FONT_BYTES: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");

/// plotters' SVG writer divides the size by 1.24 to make `font-size`.
const SVG_SIZE_PER_EM: f64 = 1.24;
/// plotters' SVG writer sets `dy="0.76em"` on top-anchored text.
const SVG_TOP_TO_BASELINE_PER_EM: f64 = 0.76;
/// The height of DejaVu Sans's capitals (1493 of 2048 units): used to centre text on a point.
pub const CAP_HEIGHT: f64 = 0.729;

/// Font sizes (em, in pixels). Each is one for which em × 1.24 / 1.24 comes back exactly, so
/// that the SVG says `font-size="15.5"` rather than `15.000000000000002`.
pub const TITLE_EM: f64 = 22.0;
/// Subtitles.
pub const SUBTITLE_EM: f64 = 15.5;
/// Labels and values.
pub const BODY_EM: f64 = 14.0;
/// Axis numbers, notes, legends.
pub const SMALL_EM: f64 = 12.5;
/// The space around the chart.
pub const MARGIN: f64 = 28.0;

/// The embedded font, parsed once.
///
/// PNG text is drawn glyph by glyph from this font here rather than through plotters' own
/// `ab_glyph` text, which (in 0.3.7) drops each glyph's side bearing and rounds every advance,
/// so that letters crowd and word spaces vanish. No system font is ever looked up.
pub(super) fn load_font() -> Result<&'static FontRef<'static>, ChartError> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).ok())
        .as_ref()
        .ok_or(ChartError::Font)
}

/// The glyph scale at which the font's em is `em` pixels (ab_glyph scales by ascent − descent).
fn scale(font: &FontRef<'static>, em: f64) -> PxScale {
    let units_per_em = font.units_per_em().unwrap_or(2048.0);
    PxScale::from((em * f64::from(font.height_unscaled()) / f64::from(units_per_em)) as f32)
}

/// The width in pixels of `text` at `em`, as drawn in the PNG (and, with DejaVu Sans installed,
/// in the SVG): advances plus kerning.
pub fn text_width(text: &str, em: f64) -> f64 {
    let Ok(font) = load_font() else {
        // Only if the embedded font is damaged; drawing then fails with ChartError::Font.
        return text.chars().count() as f64 * em * 0.6;
    };
    let scaled = font.as_scaled(scale(font, em));
    let mut width = 0.0f32;
    let mut previous = None;
    for character in text.chars() {
        let glyph = scaled.glyph_id(character);
        if let Some(previous) = previous {
            width += scaled.kern(previous, glyph);
        }
        width += scaled.h_advance(glyph);
        previous = Some(glyph);
    }
    f64::from(width)
}

/// Makes a label from a person safe and tidy to draw: control characters, bidirectional
/// overrides and XML non-characters are removed and runs of white space become one space.
/// Escaping of `<`, `>`, `&` and quotes is left to the SVG writer, which always does it.
pub fn clean_label(text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len());
    let mut pending_space = false;
    for character in text.chars() {
        if character.is_whitespace() {
            pending_space = !cleaned.is_empty();
            continue;
        }
        let bidi_control = matches!(
            character,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        );
        let non_character = matches!(character, '\u{FFFE}' | '\u{FFFF}');
        if character.is_control() || bidi_control || non_character {
            continue;
        }
        if pending_space {
            cleaned.push(' ');
            pending_space = false;
        }
        cleaned.push(character);
    }
    cleaned
}

/// `text` cut with an ellipsis to fit `max_width` pixels at `em`.
pub fn fit(text: &str, em: f64, max_width: f64) -> String {
    if text_width(text, em) <= max_width {
        return text.to_string();
    }
    let characters: Vec<char> = text.chars().collect();
    // The longest prefix that fits with the ellipsis, found by bisection on the width.
    let (mut low, mut high) = (0usize, characters.len());
    while low < high {
        let middle = (low + high).div_ceil(2);
        let candidate: String = characters[..middle].iter().collect();
        if text_width(&format!("{}…", candidate.trim_end()), em) <= max_width {
            low = middle;
        } else {
            high = middle - 1;
        }
    }
    let prefix: String = characters[..low].iter().collect();
    format!("{}…", prefix.trim_end())
}

/// `text` wrapped at spaces (and, inside a word too long for a line, after hyphens, so that
/// ids such as `young-people-in-care` wrap) into at most `max_lines` lines of `max_width`
/// pixels; a piece too long for a line, or text left over after the last line, is cut with an
/// ellipsis.
pub fn wrap(text: &str, em: f64, max_width: f64, max_lines: usize) -> Vec<String> {
    let max_lines = max_lines.max(1);
    // Each piece, and whether a space goes before it.
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    for word in text.split(' ').filter(|word| !word.is_empty()) {
        if text_width(word, em) <= max_width || !word.contains('-') {
            pieces.push((word, true));
        } else {
            for (index, piece) in word.split_inclusive('-').enumerate() {
                pieces.push((piece, index == 0));
            }
        }
    }
    let join = |line: &str, (piece, spaced): (&str, bool)| {
        if line.is_empty() {
            piece.to_string()
        } else if spaced {
            format!("{line} {piece}")
        } else {
            format!("{line}{piece}")
        }
    };
    let mut lines = Vec::new();
    let mut next = 0;
    while next < pieces.len() {
        if lines.len() + 1 == max_lines {
            // The last line allowed takes everything left.
            let rest = pieces[next..]
                .iter()
                .fold(String::new(), |line, &piece| join(&line, piece));
            lines.push(fit(&rest, em, max_width));
            return lines;
        }
        let mut line = pieces[next].0.to_string();
        next += 1;
        while next < pieces.len() {
            let candidate = join(&line, pieces[next]);
            if text_width(&candidate, em) > max_width {
                break;
            }
            line = candidate;
            next += 1;
        }
        lines.push(fit(&line, em, max_width));
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Which renderer the canvas draws for: their text placement differs and is corrected here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// plotters' SVG writer.
    Svg,
    /// plotters' bitmap backend with the embedded font.
    Png,
}

/// Horizontal alignment of text on its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text starts at x.
    Left,
    /// Text is centred on x.
    Centre,
    /// Text ends at x.
    Right,
}

/// A marker shape, so that lines are told apart without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// ●
    Circle,
    /// ■
    Square,
    /// ▲
    Triangle,
    /// ◆
    Diamond,
    /// ▼
    TriangleDown,
}

/// The markers in the order lines use them.
pub const MARKERS: [Marker; 5] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
    Marker::TriangleDown,
];

/// A drawing surface in pixels, with text placed the same way on both renderers.
pub struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    output: Output,
}

fn point((x, y): (f64, f64)) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB> {
    /// A canvas over the whole drawing area.
    pub fn new(area: &'a DrawingArea<DB, Shift>, output: Output) -> Self {
        Canvas { area, output }
    }

    /// Draws one line of text with its baseline at `baseline`.
    pub fn text(
        &self,
        text: &str,
        x: f64,
        baseline: f64,
        em: f64,
        align: Align,
        colour: RGBColor,
    ) -> Result<(), ChartError> {
        if text.is_empty() {
            return Ok(());
        }
        match self.output {
            Output::Png => {
                let start = match align {
                    Align::Left => x,
                    Align::Centre => x - text_width(text, em) / 2.0,
                    Align::Right => x - text_width(text, em),
                };
                self.glyphs(text, start, baseline, em, colour)
            }
            Output::Svg => {
                // The SVG names the family and the viewer draws the text (plotters' writer
                // escapes it); `text-anchor` aligns it even where a fallback font is wider.
                let style = FontDesc::new(
                    FontFamily::Name(FONT_FAMILY),
                    em * SVG_SIZE_PER_EM,
                    FontStyle::Normal,
                )
                .color(&colour)
                .pos(Pos::new(
                    match align {
                        Align::Left => HPos::Left,
                        Align::Centre => HPos::Center,
                        Align::Right => HPos::Right,
                    },
                    VPos::Top,
                ));
                let top = baseline - em * SVG_TOP_TO_BASELINE_PER_EM;
                self.area
                    .draw(&Text::new(text, point((x, top)), style))
                    .map_err(drawing_error)
            }
        }
    }

    /// Draws text glyph by glyph from the embedded font, anti-aliased, starting at `start`.
    fn glyphs(
        &self,
        text: &str,
        start: f64,
        baseline: f64,
        em: f64,
        colour: RGBColor,
    ) -> Result<(), ChartError> {
        let font = load_font()?;
        let scale = scale(font, em);
        let scaled = font.as_scaled(scale);
        let mut caret = start as f32;
        let mut previous = None;
        for character in text.chars() {
            let id = scaled.glyph_id(character);
            if let Some(previous) = previous {
                caret += scaled.kern(previous, id);
            }
            previous = Some(id);
            let glyph = id.with_scale_and_position(scale, glyph_point(caret, baseline as f32));
            caret += scaled.h_advance(id);
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let mut coverage = Vec::new();
            outline.draw(|x, y, cover| coverage.push((x, y, cover)));
            for (x, y, cover) in coverage {
                if cover <= 0.0 {
                    continue;
                }
                let pixel = (
                    bounds.min.x as i32 + x as i32,
                    bounds.min.y as i32 + y as i32,
                );
                self.area
                    .draw_pixel(pixel, &colour.mix(f64::from(cover.min(1.0))))
                    .map_err(drawing_error)?;
            }
        }
        Ok(())
    }

    /// Draws one line of text with its capitals centred on `middle`.
    pub fn text_middle(
        &self,
        text: &str,
        x: f64,
        middle: f64,
        em: f64,
        align: Align,
        colour: RGBColor,
    ) -> Result<(), ChartError> {
        self.text(text, x, middle + CAP_HEIGHT * em / 2.0, em, align, colour)
    }

    /// Draws lines of text centred as a block on `middle`, `line_height` apart.
    #[allow(clippy::too_many_arguments)]
    pub fn text_block_middle(
        &self,
        lines: &[String],
        x: f64,
        middle: f64,
        em: f64,
        line_height: f64,
        align: Align,
        colour: RGBColor,
    ) -> Result<(), ChartError> {
        let first = middle - line_height * (lines.len().saturating_sub(1)) as f64 / 2.0;
        for (index, line) in lines.iter().enumerate() {
            self.text_middle(
                line,
                x,
                first + line_height * index as f64,
                em,
                align,
                colour,
            )?;
        }
        Ok(())
    }

    /// Fills a rectangle.
    pub fn rect(
        &self,
        (x0, y0): (f64, f64),
        (x1, y1): (f64, f64),
        fill: RGBColor,
    ) -> Result<(), ChartError> {
        self.area
            .draw(&Rectangle::new(
                [point((x0, y0)), point((x1, y1))],
                fill.filled(),
            ))
            .map_err(drawing_error)
    }

    /// Outlines a rectangle.
    pub fn outline(
        &self,
        (x0, y0): (f64, f64),
        (x1, y1): (f64, f64),
        colour: RGBColor,
        width: u32,
    ) -> Result<(), ChartError> {
        self.area
            .draw(&Rectangle::new(
                [point((x0, y0)), point((x1, y1))],
                colour.stroke_width(width),
            ))
            .map_err(drawing_error)
    }

    /// A solid line through `points`.
    pub fn line(
        &self,
        points: &[(f64, f64)],
        colour: RGBColor,
        width: u32,
    ) -> Result<(), ChartError> {
        let points: Vec<(i32, i32)> = points.iter().copied().map(point).collect();
        self.area
            .draw(&PathElement::new(points, colour.stroke_width(width)))
            .map_err(drawing_error)
    }

    /// A dashed line through `points`: `dash` pixels drawn, `gap` pixels left.
    pub fn dashed_line(
        &self,
        points: &[(f64, f64)],
        colour: RGBColor,
        width: u32,
        (dash, gap): (u32, u32),
    ) -> Result<(), ChartError> {
        let points: Vec<(i32, i32)> = points.iter().copied().map(point).collect();
        self.area
            .draw(&DashedPathElement::new(
                points,
                dash,
                gap,
                colour.stroke_width(width),
            ))
            .map_err(drawing_error)
    }

    /// A filled marker of `radius` centred on (x, y), with a white rim that keeps it apart
    /// from lines beneath.
    pub fn marker(
        &self,
        shape: Marker,
        (x, y): (f64, f64),
        radius: f64,
        fill: RGBColor,
    ) -> Result<(), ChartError> {
        self.marker_shape(shape, (x, y), radius + 2.0, palette::WHITE)?;
        self.marker_shape(shape, (x, y), radius, fill)
    }

    fn marker_shape(
        &self,
        shape: Marker,
        (x, y): (f64, f64),
        radius: f64,
        fill: RGBColor,
    ) -> Result<(), ChartError> {
        let style: ShapeStyle = fill.filled();
        let polygon = |points: Vec<(f64, f64)>| -> Result<(), ChartError> {
            let points: Vec<(i32, i32)> = points.into_iter().map(point).collect();
            self.area
                .draw(&Polygon::new(points, style))
                .map_err(drawing_error)
        };
        match shape {
            Marker::Circle => self
                .area
                .draw(&Circle::new(point((x, y)), radius.round() as i32, style))
                .map_err(drawing_error),
            Marker::Square => {
                let half = radius * 0.85;
                self.rect((x - half, y - half), (x + half, y + half), fill)
            }
            Marker::Triangle => polygon(vec![
                (x, y - radius * 1.1),
                (x + radius * 1.05, y + radius * 0.8),
                (x - radius * 1.05, y + radius * 0.8),
            ]),
            Marker::TriangleDown => polygon(vec![
                (x, y + radius * 1.1),
                (x + radius * 1.05, y - radius * 0.8),
                (x - radius * 1.05, y - radius * 0.8),
            ]),
            Marker::Diamond => polygon(vec![
                (x, y - radius * 1.15),
                (x + radius * 1.15, y),
                (x, y + radius * 1.15),
                (x - radius * 1.15, y),
            ]),
        }
    }

    /// Diagonal hatching (lines rising to the right, `spacing` apart) inside a rectangle: the
    /// mark of an empty or missing cell that does not depend on colour.
    pub fn hatch(
        &self,
        (x0, y0): (f64, f64),
        (x1, y1): (f64, f64),
        colour: RGBColor,
        spacing: f64,
    ) -> Result<(), ChartError> {
        // Lines x + y = k, clipped to the rectangle.
        let mut k = x0 + y0 + spacing / 2.0;
        while k < x1 + y1 {
            let start_x = x0.max(k - y1);
            let end_x = x1.min(k - y0);
            if end_x > start_x {
                self.line(&[(start_x, k - start_x), (end_x, k - end_x)], colour, 1)?;
            }
            k += spacing;
        }
        Ok(())
    }
}
