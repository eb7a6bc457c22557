//! Movement of items between two rounds: a slope chart of each item's rank in one round against
//! another, with the change written beside it (▲ up, ▼ down, = same).

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, Frame, Marker, clean_label};
use super::rank_lines::{LinesLayout, RankLines, Series};
use super::{CHART_WIDTH, Chart, ChartError, palette, sealed};

/// One item's ranks in the two rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct MovementItem {
    /// The item's label.
    pub label: String,
    /// Its rank in the earlier round; `None` if it was not in it.
    pub from_rank: Option<usize>,
    /// Its rank in the later round; `None` if it was not carried forward.
    pub to_rank: Option<usize>,
}

/// Each item's rank in one round against another.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundMovementChart {
    /// The title.
    pub title: String,
    /// A line under the title.
    pub subtitle: String,
    /// The earlier round's label (left column).
    pub from_round: String,
    /// The later round's label (right column).
    pub to_round: String,
    /// The items, one line each.
    pub items: Vec<MovementItem>,
    /// A note under the chart; empty for none.
    pub note: String,
}

impl RoundMovementChart {
    /// A chart with the usual title and subtitle for the movement from `from_round` to
    /// `to_round`.
    pub fn new(from_round: &str, to_round: &str, items: Vec<MovementItem>) -> RoundMovementChart {
        RoundMovementChart {
            title: format!("Movement of items from {from_round} to {to_round}"),
            subtitle: "Each line joins an item's rank in the earlier round to its rank in the \
                       later one; ▲ moved up (solid line), ▼ moved down (dashed), = unchanged."
                .to_string(),
            from_round: from_round.to_string(),
            to_round: to_round.to_string(),
            items,
            note: String::new(),
        }
    }

    fn lines(&self) -> RankLines {
        let mut items: Vec<&MovementItem> = self.items.iter().collect();
        // Drawn from the top of the earlier round down, so the order is stable.
        items.sort_by_key(|item| (item.from_rank.is_none(), item.from_rank, item.to_rank));
        RankLines {
            columns: vec![self.from_round.clone(), self.to_round.clone()],
            series: items
                .into_iter()
                .map(|item| {
                    let (colour, marker, dashed, note) = match (item.from_rank, item.to_rank) {
                        (Some(from), Some(to)) if to < from => (
                            palette::BLUE,
                            Marker::Triangle,
                            false,
                            format!("▲ {}", from - to),
                        ),
                        (Some(from), Some(to)) if to > from => (
                            palette::VERMILLION,
                            Marker::TriangleDown,
                            true,
                            format!("▼ {}", to - from),
                        ),
                        (Some(_), Some(_)) => {
                            (palette::DARK_GREY, Marker::Circle, false, "=".to_string())
                        }
                        (None, Some(_)) => {
                            (palette::DARK_GREY, Marker::Square, false, "new".to_string())
                        }
                        (_, None) => (palette::DARK_GREY, Marker::Circle, false, String::new()),
                    };
                    Series {
                        label: item.label.clone(),
                        ranks: vec![item.from_rank, item.to_rank],
                        colour,
                        marker,
                        dashed,
                        note,
                    }
                })
                .collect(),
            column_title: "Round".to_string(),
        }
    }

    fn layout(&self) -> (Frame, RankLines, LinesLayout, f64) {
        let width = f64::from(CHART_WIDTH);
        let mut note = clean_label(&self.note);
        let dropped: Vec<String> = self
            .items
            .iter()
            .filter(|item| item.from_rank.is_some() && item.to_rank.is_none())
            .map(|item| clean_label(&item.label))
            .collect();
        if !dropped.is_empty() {
            if !note.is_empty() {
                note.push(' ');
            }
            note.push_str(&format!(
                "Not in {}: {}.",
                clean_label(&self.to_round),
                dropped.join("; ")
            ));
        }
        let frame = Frame::new(&self.title, &self.subtitle, &note, width);
        let lines = self.lines();
        let layout = lines.layout(width, frame.content_top());
        let height = (frame.content_top() + layout.height + frame.bottom_room()).ceil();
        (frame, lines, layout, height)
    }
}

impl sealed::Draw for RoundMovementChart {
    fn pixel_size(&self) -> (u32, u32) {
        (CHART_WIDTH, self.layout().3 as u32)
    }

    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let (frame, lines, layout, height) = self.layout();
        frame.draw(canvas, height)?;
        lines.draw(canvas, &layout)
    }
}

impl Chart for RoundMovementChart {
    fn title(&self) -> String {
        clean_label(&self.title)
    }

    fn alt_text(&self) -> String {
        let (from, to) = (clean_label(&self.from_round), clean_label(&self.to_round));
        if self.items.is_empty() {
            return format!("{}: no items to show.", self.title());
        }
        let mut items: Vec<&MovementItem> = self.items.iter().collect();
        // In the order of the later round: the list as it now stands.
        items.sort_by_key(|item| (item.to_rank.is_none(), item.to_rank, item.from_rank));
        let described: Vec<String> = items
            .iter()
            .map(|item| {
                let label = clean_label(&item.label);
                match (item.from_rank, item.to_rank) {
                    (Some(a), Some(b)) if b < a => format!("{label}: {a} to {b} (up {})", a - b),
                    (Some(a), Some(b)) if b > a => format!("{label}: {a} to {b} (down {})", b - a),
                    (Some(a), Some(_)) => format!("{label}: {a} (unchanged)"),
                    (None, Some(b)) => format!("{label}: new in {to}, ranked {b}"),
                    (Some(a), None) => format!("{label}: {a} in {from}, not in {to}"),
                    (None, None) => format!("{label}: not ranked in either round"),
                }
            })
            .collect();
        let mut text = format!(
            "Slope chart of the rank of {} items in {from} and in {to}. {}.",
            self.items.len(),
            described.join("; ")
        );
        let changes = self
            .items
            .iter()
            .filter_map(|item| Some((item.from_rank? as i64 - item.to_rank? as i64, item)));
        let rise = changes
            .clone()
            .filter(|(change, _)| *change > 0)
            .max_by_key(|(change, _)| *change);
        let fall = changes
            .filter(|(change, _)| *change < 0)
            .min_by_key(|(change, _)| *change);
        if let Some((change, item)) = rise {
            text.push_str(&format!(
                " Biggest rise: {} (up {change}).",
                clean_label(&item.label)
            ));
        }
        if let Some((change, item)) = fall {
            text.push_str(&format!(
                " Biggest fall: {} (down {}).",
                clean_label(&item.label),
                -change
            ));
        }
        text
    }
}
