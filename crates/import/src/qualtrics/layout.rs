//! From the header's columns to the table's: each question's columns gathered by its ImportId,
//! its text split from its items' labels, write-ins made questions of their own, the ranks of
//! a Pick, Group and Rank question made a ranking, and multi-select answers joined with `,`
//! split into one column per option.

use std::collections::HashSet;

use super::header::{FileColumn, Header, Key, Part};
use crate::choices::{JoinedChoices, split_joined};
use crate::{Column, DataRow};

/// Where a table column's cells come from.
#[derive(Debug, Clone)]
pub(super) enum Source {
    /// The file's column.
    Cell(usize),
    /// One option of a joined multi-select column: `splits[split]`, option `option`.
    Joined {
        /// The index into [`Layout::splits`].
        split: usize,
        /// The index into the split's options.
        option: usize,
    },
}

/// The table's columns and where each one's cells come from.
#[derive(Debug, Default)]
pub(super) struct Layout {
    /// The table's columns.
    pub(super) columns: Vec<Column>,
    /// For each column, where its cells come from.
    pub(super) sources: Vec<Source>,
    /// The table columns that are Qualtrics' own.
    pub(super) metadata: Vec<usize>,
    /// The joined multi-select columns split, with what each row chose.
    pub(super) splits: Vec<JoinedChoices>,
    /// For each file column, its table column when it is copied whole.
    pub(super) table_column: Vec<Option<usize>>,
    /// The question texts used so far, so that two questions never share one.
    texts: HashSet<String>,
}

/// Words of a question's text saying several options may be chosen, so that its one column
/// joins them with `,`. (`(s)` is not one: "did your professor(s) cancel" asks one thing.)
const SEVERAL_HINTS: [&str; 5] = [
    "all that apply",
    "select all",
    "check all",
    "tick all",
    "choose all",
];

impl Layout {
    /// Adds a column copied from the file's column `position`.
    fn push(&mut self, position: usize, question: String, option: Option<String>) {
        self.table_column[position] = Some(self.columns.len());
        self.columns.push(Column {
            question,
            option,
            position,
        });
        self.sources.push(Source::Cell(position));
    }

    /// The cells of `row` (read from the file) in the table's columns.
    pub(super) fn cells(&self, row_index: usize, file_cells: &[String]) -> Vec<String> {
        self.sources
            .iter()
            .map(|source| match *source {
                Source::Cell(position) => file_cells[position].clone(),
                Source::Joined { split, option } => self.splits[split].cell(row_index, option),
            })
            .collect()
    }
}

/// Lays out the table's columns: Qualtrics' own columns as they are, and each question's
/// columns together where its first column is (see the module's documentation). `rows` are
/// the responses kept, whose joined multi-select answers are split.
pub(super) fn lay_out(header: &Header, rows: &[DataRow]) -> Layout {
    let mut layout = Layout {
        table_column: vec![None; header.columns.len()],
        ..Layout::default()
    };
    let mut done: HashSet<&str> = HashSet::new();
    for (position, column) in header.columns.iter().enumerate() {
        match &column.key {
            Key::Embedded => {
                let name = if column.text.is_empty() {
                    &column.tag
                } else {
                    &column.text
                };
                layout.push(position, name.clone(), None);
            }
            Key::Metadata => {
                layout.metadata.push(layout.columns.len());
                let name = if column.text.is_empty() {
                    &column.tag
                } else {
                    &column.text
                };
                layout.push(position, name.clone(), None);
            }
            Key::Question { question, .. } => {
                if done.insert(question) {
                    let members: Vec<usize> = header
                        .columns
                        .iter()
                        .enumerate()
                        .filter(|(_, other)| matches!(&other.key, Key::Question { question: id, .. } if id == question))
                        .map(|(index, _)| index)
                        .collect();
                    lay_out_question(&mut layout, header, &members, rows);
                }
            }
        }
    }
    layout
}

/// The part of a question's column.
fn part(column: &FileColumn) -> &Part {
    match &column.key {
        Key::Question { part, .. } => part,
        Key::Metadata | Key::Embedded => &Part::Whole,
    }
}

/// Lays out one question's columns (`members`, file positions): its ranks by group, its
/// answer column or block of choices, then its write-ins; the lists of a Pick, Group and Rank
/// question's groups are kept as Qualtrics' own columns, as the ranks say the same.
fn lay_out_question(layout: &mut Layout, header: &Header, members: &[usize], rows: &[DataRow]) {
    let columns = &header.columns;
    let of_part = |wanted: fn(&Part) -> bool| -> Vec<usize> {
        members
            .iter()
            .copied()
            .filter(|&index| wanted(part(&columns[index])))
            .collect()
    };
    let choices = of_part(|part| *part == Part::Choice);
    let wholes = of_part(|part| *part == Part::Whole);
    let texts = of_part(|part| *part == Part::Text);
    let ranks = of_part(|part| matches!(part, Part::Rank(_)));
    let separator = if header.legacy { "-" } else { " - " };
    let stem = stem_of(header, members, &choices, &wholes, &texts, separator);
    // Two questions with one text (`Please rate the following statements.`) would read as
    // one block: the later one is told apart by its export tag.
    let stem = if layout.texts.contains(&stem) {
        let tag = &columns[members[0]].tag;
        let tag = tag
            .split_once('_')
            .map_or(tag.as_str(), |(question, _)| question);
        format!("{stem} ({tag})")
    } else {
        stem
    };
    layout.texts.insert(stem.clone());
    lay_out_ranks(layout, header, &ranks, &stem);
    for &position in &wholes {
        let text = if wholes.len() == 1 && choices.is_empty() {
            stem.clone()
        } else {
            strip_selected_choice(&columns[position].text, separator)
                .unwrap_or_else(|| stem.clone())
        };
        lay_out_whole(layout, position, text, rows);
    }
    match choices.as_slice() {
        [] => {}
        [only] if !columns[*only].text.contains(separator) => {
            layout.push(*only, stem.clone(), None);
        }
        _ => {
            let texts: Vec<&str> = choices
                .iter()
                .map(|&index| columns[index].text.as_str())
                .collect();
            let labels = match split_block(&texts, separator) {
                Some((_, labels)) => labels,
                // Bare labels (`Option A`): the texts are the labels themselves.
                None => texts.iter().map(|text| text.to_string()).collect(),
            };
            for (&position, label) in choices.iter().zip(labels) {
                layout.push(position, stem.clone(), Some(label));
            }
        }
    }
    for position in of_part(|part| *part == Part::GroupList) {
        layout.metadata.push(layout.columns.len());
        let text = &columns[position].text;
        let name = if text.is_empty() {
            format!("{stem} - Groups")
        } else {
            text.clone()
        };
        layout.push(position, name, None);
    }
    for &position in &texts {
        let text = &columns[position].text;
        let alone = choices.is_empty() && wholes.is_empty() && ranks.is_empty();
        let distinct = !text.is_empty() && (*text != stem || alone);
        // A text entry question alone takes its stem, told apart from another of one text.
        let question = if alone && texts.len() == 1 {
            stem.clone()
        } else if distinct {
            text.clone()
        } else {
            format!("{stem} - Text")
        };
        layout.push(position, question, None);
    }
}

/// The question's own text: the stem its block's texts share, else that of its answer
/// column (without ` - Selected Choice`), else that of a write-in (`Question - Other -
/// Text`), else its one text, else its export tag (`Q5` for `Q5_1`).
fn stem_of(
    header: &Header,
    members: &[usize],
    choices: &[usize],
    wholes: &[usize],
    texts: &[usize],
    separator: &str,
) -> String {
    let columns = &header.columns;
    let text_of = |index: usize| columns[index].text.as_str();
    if choices.len() > 1
        && let Some((stem, _)) = split_block(
            &choices
                .iter()
                .map(|&index| text_of(index))
                .collect::<Vec<_>>(),
            separator,
        )
    {
        return stem;
    }
    if let [only] = choices {
        match text_of(*only).rsplit_once(separator) {
            Some((stem, _)) if !stem.trim().is_empty() => return stem.trim().to_string(),
            _ if !text_of(*only).is_empty() => return text_of(*only).to_string(),
            _ => {}
        }
    }
    if let Some(stem) = wholes
        .iter()
        .find_map(|&index| strip_selected_choice(text_of(index), separator))
    {
        return stem;
    }
    // `Question - Other - Text`: the question is the text before its last two parts.
    let from_write_in = texts.iter().find_map(|&index| {
        let text = text_of(index).trim();
        let before_text = text
            .get(..text.len().checked_sub(4)?)
            .filter(|_| text.to_lowercase().ends_with("text"))?;
        let before_text = before_text.strip_suffix(separator)?;
        let (stem, _) = before_text.rsplit_once(separator)?;
        Some(stem.trim().to_string()).filter(|stem| !stem.is_empty())
    });
    if let Some(stem) = from_write_in {
        return stem;
    }
    if let Some(&index) = wholes.first().or(texts.first())
        && !text_of(index).is_empty()
    {
        return text_of(index).to_string();
    }
    let tag = &columns[members[0]].tag;
    match tag.rsplit_once('_') {
        Some((stem, _)) if choices.len() > 1 => stem.to_string(),
        _ => tag.clone(),
    }
}

/// An answer column's text without ` - Selected Choice` (which Qualtrics adds when the
/// question has a text box too); `None` for a blank text.
fn strip_selected_choice(text: &str, separator: &str) -> Option<String> {
    let text = text.trim();
    let stripped = text
        .strip_suffix("Selected Choice")
        .and_then(|before| before.trim_end().strip_suffix(separator.trim()))
        .unwrap_or(text)
        .trim();
    (!stripped.is_empty()).then(|| stripped.to_string())
}

/// Splits block texts into the longest stem all of them start with, followed by the
/// separator, and each one's remainder (its label); `None` when they share none. One text is
/// split at its last separator.
fn split_block(texts: &[&str], separator: &str) -> Option<(String, Vec<String>)> {
    let first = texts.first()?;
    for (at, _) in first.rmatch_indices(separator) {
        let stem = &first[..at];
        let prefix = &first[..at + separator.len()];
        if !stem.trim().is_empty() && texts.iter().all(|text| text.starts_with(prefix)) {
            let labels = texts
                .iter()
                .map(|text| text[prefix.len()..].trim().to_string())
                .collect();
            return Some((stem.trim().to_string(), labels));
        }
    }
    None
}

/// Lays out the ranks of a Pick, Group and Rank question, one ranking per group; the texts
/// read `Question - Ranks - Group - Item - Rank`. The question is `stem` when it has one
/// group, `stem - Group` otherwise.
fn lay_out_ranks(layout: &mut Layout, header: &Header, ranks: &[usize], stem: &str) {
    let columns = &header.columns;
    let mut groups: Vec<&str> = Vec::new();
    for &index in ranks {
        if let Part::Rank(group) = part(&columns[index])
            && !groups.contains(&group.as_str())
        {
            groups.push(group);
        }
    }
    for group in &groups {
        let members: Vec<usize> = ranks
            .iter()
            .copied()
            .filter(|&index| matches!(part(&columns[index]), Part::Rank(other) if other == group))
            .collect();
        let texts: Vec<&str> = members
            .iter()
            .map(|&index| {
                let text = columns[index].text.trim();
                text.strip_suffix("- Rank").map_or(text, str::trim_end)
            })
            .collect();
        let (prefix, labels) = split_block(&texts, " - ").unwrap_or_else(|| {
            (
                String::new(),
                members
                    .iter()
                    .map(|&index| columns[index].tag.clone())
                    .collect(),
            )
        });
        let group_name = prefix
            .split_once(" - Ranks - ")
            .map_or(group.to_string(), |(_, name)| name.trim().to_string());
        let question = if groups.len() == 1 {
            stem.to_string()
        } else {
            format!("{stem} - {group_name}")
        };
        for (position, label) in members.into_iter().zip(labels) {
            layout.push(position, question.clone(), Some(label));
        }
    }
}

/// Lays out a question's answer column: as it is, or, when it holds multi-select answers
/// joined with `,` (its text says several may be chosen, or an answer joins options others
/// chose alone), one column per option.
fn lay_out_whole(layout: &mut Layout, position: usize, text: String, rows: &[DataRow]) {
    let cells: Vec<&str> = rows
        .iter()
        .map(|row| row.cells[position].as_str())
        .collect();
    let lower = text.to_lowercase();
    let hinted = SEVERAL_HINTS.iter().any(|hint| lower.contains(hint));
    let split = split_joined(&cells, ",", &[]);
    let alone: HashSet<String> = cells
        .iter()
        .filter(|cell| !cell.is_empty() && !cell.contains(','))
        .map(|cell| cell.to_lowercase())
        .collect();
    let joins_known = split.chosen.iter().any(|chosen| {
        chosen.len() > 1
            && chosen
                .iter()
                .all(|&option| alone.contains(&split.options[option].to_lowercase()))
    });
    if !(hinted || joins_known) || split.options.is_empty() {
        layout.push(position, text, None);
        return;
    }
    let index = layout.splits.len();
    for (option, label) in split.options.iter().enumerate() {
        layout.columns.push(Column {
            question: text.clone(),
            option: Some(label.clone()),
            position,
        });
        layout.sources.push(Source::Joined {
            split: index,
            option,
        });
    }
    layout.splits.push(split);
}

#[cfg(test)]
mod tests {
    use super::split_block;

    #[test]
    fn texts_split_at_the_longest_shared_stem() {
        assert_eq!(
            split_block(
                &[
                    "Rank - most to least - Early help",
                    "Rank - most to least - Kinship care",
                ],
                " - "
            ),
            Some((
                "Rank - most to least".to_string(),
                vec!["Early help".to_string(), "Kinship care".to_string()]
            ))
        );
        assert_eq!(
            split_block(
                &[
                    "Rate each fruit.-Oranges-Like",
                    "Rate each fruit.-Pears-Like"
                ],
                "-"
            ),
            Some((
                "Rate each fruit.".to_string(),
                vec!["Oranges-Like".to_string(), "Pears-Like".to_string()]
            ))
        );
        assert_eq!(split_block(&["Option A", "Option B"], " - "), None);
    }
}
