//! Multi-select answers joined in one cell (`A, B` in Google Forms, `A,B` in Qualtrics, `A;B;`
//! in Microsoft Forms), split back into the options chosen.
//!
//! Option labels may themselves contain the separator (`We lack the funding, or the people`),
//! so a cell is not simply split at every separator. The labels known to be options are the
//! exercise's titles given by the caller and every answer that holds no separator (a
//! respondent who chose one option wrote its label whole). A cell is cut into the pieces that
//! match the most known labels; text between them that matches none is one label, cut again
//! only where a piece starts with a capital letter or a digit, as option labels do and the
//! words after a comma inside a label rarely do.

/// The options of a joined multi-select column and what each cell chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinedChoices {
    /// Every option chosen by anyone, in the order first seen.
    pub options: Vec<String>,
    /// For each cell, the indices into `options` of the options it chose, in its order.
    pub chosen: Vec<Vec<usize>>,
}

impl JoinedChoices {
    /// The cell of option `option` in the one-column-per-option layout: the option's label
    /// when the `row`-th cell chose it, else blank.
    pub fn cell(&self, row: usize, option: usize) -> String {
        if self.chosen[row].contains(&option) {
            self.options[option].clone()
        } else {
            String::new()
        }
    }
}

/// Splits each of `cells` at `separator` into options (see the module's documentation);
/// `known` are labels known to be options. Blank pieces (a trailing `;`) are dropped.
pub fn split_joined(cells: &[&str], separator: &str, known: &[&str]) -> JoinedChoices {
    let mut labels: Vec<String> = known
        .iter()
        .map(|label| label.trim().to_lowercase())
        .collect();
    for cell in cells {
        let cell = cell.trim();
        let cell = cell.strip_suffix(separator.trim()).unwrap_or(cell).trim();
        if !cell.is_empty() && !cell.contains(separator) {
            labels.push(cell.to_lowercase());
        }
    }
    labels.sort();
    labels.dedup();
    let mut options: Vec<String> = Vec::new();
    let chosen = cells
        .iter()
        .map(|cell| {
            let mut indices = Vec::new();
            for piece in split_cell(cell, separator, &labels) {
                let index = options
                    .iter()
                    .position(|option| *option == piece)
                    .unwrap_or_else(|| {
                        options.push(piece.clone());
                        options.len() - 1
                    });
                if !indices.contains(&index) {
                    indices.push(index);
                }
            }
            indices
        })
        .collect();
    JoinedChoices { options, chosen }
}

/// The best cut of one cell: most pieces that are known labels, then fewest pieces.
fn split_cell(cell: &str, separator: &str, labels: &[String]) -> Vec<String> {
    let segments: Vec<&str> = cell
        .split(separator)
        .map(str::trim)
        .filter(|segment| !segment.is_empty())
        .collect();
    let count = segments.len();
    // best[i]: (known pieces, -pieces) of the best cut of segments[i..], and where its first
    // piece ends.
    let mut best: Vec<Option<((usize, isize), usize)>> = vec![None; count + 1];
    best[count] = Some(((0, 0), count));
    for start in (0..count).rev() {
        for end in start + 1..=count {
            let Some(((known, pieces), _)) = best[end] else {
                continue;
            };
            let piece = join(&segments[start..end], separator);
            let is_known = labels.binary_search(&piece.to_lowercase()).is_ok();
            // Unknown text spans segments only where none of them starts like a label.
            let may_join = is_known
                || segments[start + 1..end]
                    .iter()
                    .all(|segment| !starts_like_label(segment));
            if !may_join {
                continue;
            }
            let score = (known + usize::from(is_known), pieces - 1);
            if best[start].is_none_or(|(current, _)| score > current) {
                best[start] = Some((score, end));
            }
        }
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < count {
        let Some((_, end)) = best[start] else { break };
        pieces.push(join(&segments[start..end], separator));
        start = end;
    }
    pieces
}

/// Segments joined back with the separator.
fn join(segments: &[&str], separator: &str) -> String {
    segments.join(separator)
}

/// Whether text starts as an option label does: a capital letter, a digit or a symbol.
fn starts_like_label(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|first| !first.is_lowercase())
}

#[cfg(test)]
mod tests {
    use super::split_joined;

    fn chosen(result: &super::JoinedChoices, cell: usize) -> Vec<&str> {
        result.chosen[cell]
            .iter()
            .map(|&index| result.options[index].as_str())
            .collect()
    }

    #[test]
    fn labels_holding_the_separator_stay_whole() {
        let cells = [
            "We lack funding, or people",
            "Hiring is slow",
            "We lack funding, or people, Hiring is slow",
            "Hiring is slow, Other reasons, such as cost",
            "",
        ];
        let result = split_joined(&cells, ", ", &[]);
        assert_eq!(chosen(&result, 0), ["We lack funding, or people"]);
        assert_eq!(
            chosen(&result, 2),
            ["We lack funding, or people", "Hiring is slow"]
        );
        // "Other reasons, such as cost" was never chosen alone: its lowercase continuation
        // keeps it one label.
        assert_eq!(
            chosen(&result, 3),
            ["Hiring is slow", "Other reasons, such as cost"]
        );
        assert!(result.chosen[4].is_empty());
        assert_eq!(result.options.len(), 3);
    }

    #[test]
    fn known_labels_win_over_capitals() {
        let result = split_joined(&["Alpha, Beta, Gamma"], ", ", &["Alpha, Beta", "Gamma"]);
        assert_eq!(chosen(&result, 0), ["Alpha, Beta", "Gamma"]);
        let result = split_joined(&["Alpha, Beta, Gamma"], ", ", &[]);
        assert_eq!(chosen(&result, 0), ["Alpha", "Beta", "Gamma"]);
    }

    #[test]
    fn semicolon_lists_with_a_trailing_separator() {
        let result = split_joined(&["B;A;", "A;"], ";", &[]);
        assert_eq!(chosen(&result, 0), ["B", "A"]);
        assert_eq!(chosen(&result, 1), ["A"]);
        let result = split_joined(&["Left,Right", "Left"], ",", &[]);
        assert_eq!(chosen(&result, 0), ["Left", "Right"]);
    }
}
