//! Colours that people with colour-vision deficiency can tell apart, and that stay in order when
//! printed in grey.
//!
//! - Categories: Okabe and Ito's palette (Okabe & Ito 2008, "Color Universal Design").
//! - Sequences: viridis (van der Walt and Smith, matplotlib), light-to-dark monotone in grey.
//! - Values around zero: ColorBrewer's PuOr (Brewer, Harrower and others), marked safe for
//!   colour-blind readers.

use plotters::style::RGBColor;

/// A colour, as plotters takes it.
pub type Colour = RGBColor;

/// The page.
pub const WHITE: RGBColor = RGBColor(255, 255, 255);
/// Titles, labels and values: near black.
pub const INK: RGBColor = RGBColor(26, 26, 26);
/// Secondary text (subtitles, notes, axis numbers): 8:1 contrast on white.
pub const MUTED_INK: RGBColor = RGBColor(77, 77, 77);
/// Axis lines.
pub const AXIS: RGBColor = RGBColor(89, 89, 89);
/// Grid lines and cell borders.
pub const GRID: RGBColor = RGBColor(217, 217, 217);
/// Leader lines from a label to its point.
pub const LEADER: RGBColor = RGBColor(140, 140, 140);
/// Hatching of empty cells.
pub const HATCH: RGBColor = RGBColor(166, 166, 166);
/// Backgrounds of empty cells.
pub const EMPTY: RGBColor = RGBColor(242, 242, 242);

/// Okabe–Ito blue.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe–Ito orange.
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
/// Okabe–Ito bluish green.
pub const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
/// Okabe–Ito vermillion.
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Okabe–Ito reddish purple.
pub const REDDISH_PURPLE: RGBColor = RGBColor(204, 121, 167);
/// Okabe–Ito sky blue.
pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
/// A dark grey standing in for Okabe–Ito black, so that lines stay apart from the text.
pub const DARK_GREY: RGBColor = RGBColor(64, 64, 64);

/// Okabe–Ito in the order lines and categories use them (yellow is left out: too light on
/// white).
pub const CATEGORIES: [RGBColor; 7] = [
    BLUE,
    ORANGE,
    BLUISH_GREEN,
    VERMILLION,
    REDDISH_PURPLE,
    SKY_BLUE,
    DARK_GREY,
];

/// The colour of the `index`th category, cycling.
pub fn category(index: usize) -> RGBColor {
    CATEGORIES[index % CATEGORIES.len()]
}

/// Viridis anchors, as in matplotlib (and plotters' `ViridisRGB`).
const VIRIDIS: [(u8, u8, u8); 8] = [
    (68, 1, 84),
    (70, 50, 127),
    (54, 92, 141),
    (39, 127, 143),
    (31, 162, 136),
    (74, 194, 110),
    (160, 219, 57),
    (254, 232, 37),
];

/// ColorBrewer PuOr, 11 classes, from −1 (dark orange-brown) through white to +1 (dark purple).
const PUOR: [(u8, u8, u8); 11] = [
    (127, 59, 8),
    (179, 88, 6),
    (224, 130, 20),
    (253, 184, 99),
    (254, 224, 182),
    (247, 247, 247),
    (216, 218, 235),
    (178, 171, 210),
    (128, 115, 172),
    (84, 39, 136),
    (45, 0, 75),
];

fn interpolate(anchors: &[(u8, u8, u8)], position: f64) -> RGBColor {
    let position = if position.is_finite() {
        position.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let scaled = position * (anchors.len() - 1) as f64;
    let lower = (scaled.floor() as usize).min(anchors.len() - 2);
    let fraction = scaled - lower as f64;
    let mix =
        |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * fraction).round() as u8;
    let (a, b) = (anchors[lower], anchors[lower + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Viridis at `position` in [0, 1]: 0 is dark purple, 1 is yellow.
pub fn viridis(position: f64) -> RGBColor {
    interpolate(&VIRIDIS, position)
}

/// PuOr at `value` in [−1, 1]: negative orange-brown, zero near white, positive purple.
pub fn diverging(value: f64) -> RGBColor {
    interpolate(&PUOR, (value + 1.0) / 2.0)
}

fn relative_luminance(colour: RGBColor) -> f64 {
    let channel = |value: u8| {
        let value = f64::from(value) / 255.0;
        if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(colour.0) + 0.7152 * channel(colour.1) + 0.0722 * channel(colour.2)
}

/// The text colour (near black or white) with the higher WCAG contrast on `fill`.
pub fn text_on(fill: RGBColor) -> RGBColor {
    let luminance = relative_luminance(fill);
    let against_ink = (luminance + 0.05) / (relative_luminance(INK) + 0.05);
    let against_white = 1.05 / (luminance + 0.05);
    if against_ink >= against_white {
        INK
    } else {
        WHITE
    }
}
