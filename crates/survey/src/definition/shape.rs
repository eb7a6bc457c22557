//! The shape of a definition: which keys each table may hold, which of them are required, and
//! what type each value must be.
//!
//! [`Shaper`] checks the parsed TOML against the shape before anything is deserialised, so
//! that a misspelt key, a value of the wrong type or a missing key is reported beside every
//! other problem instead of stopping the parse at the first. Each problem is reported with the
//! line of the key or value, then taken out of the tree (a wrong value, an unknown key) or stood
//! in for (a missing title), so that deserialising what is left cannot fail and the checks of
//! the meaning ([`super::check`]) still run on the rest of the definition. A table that cannot
//! stand without the missing key (an item without an `id`, a round without a `kind`) is left
//! out of those checks: nothing else can refer to it.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeArray, DeString, DeTable, DeValue};

use super::{DefinitionError, line_of};
use crate::located::Place;

/// What a value must be.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// A string.
    Text,
    /// An integer that fits in 64 bits.
    Whole,
    /// An integer or a float.
    Number,
    /// A boolean.
    Flag,
    /// A whole number or a word (`top_k = "all"`).
    WholeOrWord,
    /// An array of strings (a round's item ids).
    Ids,
    /// A table with these keys.
    Table(&'static TableShape),
    /// An array of tables with these keys.
    Tables(&'static TableShape),
    /// A table of numbers under keys of the author's choosing (`group_weights`).
    Numbers,
    /// A table of strings under keys of the author's choosing (a scale's `labels`).
    Texts,
}

impl Shape {
    /// What the value must be, in words for a message ("must be …").
    fn expected(self) -> &'static str {
        match self {
            Shape::Text => "text in quotes",
            Shape::Whole => "a whole number",
            Shape::Number => "a number",
            Shape::Flag => "true or false",
            Shape::WholeOrWord => "a whole number or \"all\"",
            Shape::Ids => "a list of ids in quotes, like [\"a\", \"b\"]",
            Shape::Table(_) | Shape::Numbers | Shape::Texts => "a table, like { key = value }",
            Shape::Tables(_) => "a list of tables",
        }
    }

    /// Whether `value` has this shape, leaving aside what is inside arrays and tables (checked
    /// entry by entry).
    fn fits(self, value: &DeValue<'_>) -> bool {
        match (self, value) {
            (Shape::Text, DeValue::String(_))
            | (Shape::Number, DeValue::Integer(_) | DeValue::Float(_))
            | (Shape::Flag, DeValue::Boolean(_))
            | (Shape::WholeOrWord, DeValue::String(_))
            | (Shape::Ids | Shape::Tables(_), DeValue::Array(_))
            | (Shape::Table(_) | Shape::Numbers | Shape::Texts, DeValue::Table(_)) => true,
            (Shape::Whole | Shape::WholeOrWord, DeValue::Integer(integer)) => {
                i64::from_str_radix(integer.as_str(), integer.radix()).is_ok()
            }
            _ => false,
        }
    }
}

/// What a value is, in words for a message ("…, not a whole number").
fn found(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "text",
        DeValue::Integer(integer) => {
            if i64::from_str_radix(integer.as_str(), integer.radix()).is_ok() {
                "a whole number"
            } else {
                "a whole number too large to use"
            }
        }
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date or time",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// What to do when a required key is missing, once it has been reported.
#[derive(Debug, Clone, Copy)]
enum Missing {
    /// Leave the table out of the later checks.
    LeaveOut,
    /// Stand in the table's `id` (a label or title).
    UseId,
    /// Stand in this text.
    Use(&'static str),
    /// Nothing: the later checks accept its absence.
    Accept,
}

/// One key a table may hold.
#[derive(Debug)]
struct Key {
    /// The key.
    name: &'static str,
    /// What its value must be.
    shape: Shape,
    /// `None` when optional; what to do when missing when required.
    required: Option<Missing>,
}

/// The keys of one kind of table.
#[derive(Debug)]
struct TableShape {
    /// The table in words, for messages: "the exercise", "an item".
    name: &'static str,
    /// The keys it may hold, in the order the documentation gives them.
    keys: &'static [Key],
}

const fn optional(name: &'static str, shape: Shape) -> Key {
    Key {
        name,
        shape,
        required: None,
    }
}

const fn required(name: &'static str, shape: Shape, missing: Missing) -> Key {
    Key {
        name,
        shape,
        required: Some(missing),
    }
}

static EXERCISE: TableShape = TableShape {
    name: "the exercise",
    keys: &[
        required("id", Shape::Text, Missing::Use("exercise")),
        required("title", Shape::Text, Missing::Use("Untitled exercise")),
        optional("description", Shape::Text),
        optional("invite_only", Shape::Flag),
        optional("disclosure_threshold", Shape::Whole),
        optional("groups", Shape::Tables(&GROUP)),
        optional("items", Shape::Tables(&ITEM)),
        optional("rounds", Shape::Tables(&ROUND)),
        optional("delphi", Shape::Table(&DELPHI)),
    ],
};

static GROUP: TableShape = TableShape {
    name: "a group",
    keys: &[
        required("id", Shape::Text, Missing::LeaveOut),
        required("label", Shape::Text, Missing::UseId),
        optional("description", Shape::Text),
    ],
};

static ITEM: TableShape = TableShape {
    name: "an item",
    keys: &[
        required("id", Shape::Text, Missing::LeaveOut),
        required("title", Shape::Text, Missing::UseId),
        optional("description", Shape::Text),
        optional("theme", Shape::Text),
        optional("evidence", Shape::Text),
        optional("answered", Shape::Flag),
    ],
};

static ROUND: TableShape = TableShape {
    name: "a round",
    keys: &[
        required("id", Shape::Text, Missing::LeaveOut),
        required("kind", Shape::Text, Missing::LeaveOut),
        optional("title", Shape::Text),
        optional("question", Shape::Text),
        optional("items", Shape::Ids),
        optional("method", Shape::Text),
        optional("weighting", Shape::Text),
        optional("group_weights", Shape::Numbers),
        optional("max_suggestions", Shape::Whole),
        optional("max_length", Shape::Whole),
        optional("scale", Shape::Table(&SCALE)),
        optional("allow_dont_know", Shape::Flag),
        optional("criteria", Shape::Tables(&CRITERION)),
        optional("top_k", Shape::WholeOrWord),
        optional("max_picks", Shape::Whole),
        optional("max_choices", Shape::Whole),
        optional("feedback_from", Shape::Text),
        optional("feedback_by", Shape::Text),
        optional("order", Shape::Text),
        optional("order_reason", Shape::Text),
    ],
};

static SCALE: TableShape = TableShape {
    name: "`scale`",
    keys: &[
        required("min", Shape::Whole, Missing::Accept),
        required("max", Shape::Whole, Missing::Accept),
        optional("labels", Shape::Texts),
    ],
};

static CRITERION: TableShape = TableShape {
    name: "a criterion",
    keys: &[
        required("id", Shape::Text, Missing::LeaveOut),
        required("label", Shape::Text, Missing::UseId),
        optional("weight", Shape::Number),
    ],
};

static DELPHI: TableShape = TableShape {
    name: "`[delphi]`",
    keys: &[
        optional("agreement", Shape::Number),
        optional("dissent", Shape::Number),
        optional("within_every_group", Shape::Flag),
        optional("stop", Shape::Text),
        optional("stop_share", Shape::Number),
        optional("stable_change", Shape::Number),
    ],
};

/// The top-level arrays of tables whose entries are named by their id in messages, with the
/// word for one entry.
const NAMED_ENTRIES: &[(&str, &str)] =
    &[("groups", "group"), ("items", "item"), ("rounds", "round")];

/// Where in the file a table is, for messages: the part it belongs to (as the later checks
/// name it, "round `rank`") and the prefix of its keys' paths ("scale.").
#[derive(Debug, Clone)]
struct Within {
    context: Option<String>,
    prefix: String,
}

/// Checks a parsed definition against its shape, collecting every problem.
pub(super) struct Shaper<'a> {
    /// The definition's text, to turn spans into lines.
    pub(super) source: &'a str,
    /// The file name for messages.
    pub(super) path: &'a str,
    /// The problems found.
    pub(super) errors: Vec<DefinitionError>,
}

impl Shaper<'_> {
    fn error(&mut self, span: Range<usize>, within: &Within, message: String) {
        self.errors.push(DefinitionError {
            source_name: self.path.to_string(),
            line: Some(line_of(self.source, span.start) as u64),
            context: within.context.clone().map(Place::Part),
            message,
        });
    }

    /// Checks the whole file, leaving in `root` only keys the definition knows, each of the
    /// right type, and every required key.
    pub(super) fn exercise(&mut self, root: &mut Spanned<DeTable<'_>>) {
        let span = root.span();
        let within = Within {
            context: None,
            prefix: String::new(),
        };
        // The file itself is always kept: its missing keys are stood in for.
        self.table(root.get_mut(), span, &EXERCISE, &within);
    }

    /// Checks one table against `shape`. Returns whether it can be kept.
    fn table(
        &mut self,
        table: &mut DeTable<'_>,
        span: Range<usize>,
        shape: &'static TableShape,
        within: &Within,
    ) -> bool {
        let mut kept = DeTable::new();
        // Keys already reported (suggested for a misspelt key, or of the wrong type): when
        // missing, they are not reported again.
        let mut reported = Vec::new();
        for (key, mut value) in std::mem::take(table) {
            let name: &str = key.get_ref();
            let Some(known) = shape.keys.iter().find(|known| known.name == name) else {
                let (message, suggestion) = unknown_key(name, shape, &within.prefix);
                reported.extend(suggestion);
                self.error(key.span(), within, message);
                continue;
            };
            let path = format!("{}{name}", within.prefix);
            if !known.shape.fits(value.get_ref()) {
                let message = format!(
                    "`{path}` must be {}, not {}",
                    known.shape.expected(),
                    found(value.get_ref())
                );
                self.error(value.span(), within, message);
                reported.push(known.name);
                continue;
            }
            let value_span = value.span();
            let keep = match (known.shape, value.get_mut()) {
                (Shape::Table(inner), DeValue::Table(inner_table)) => {
                    let inner_within = Within {
                        context: within.context.clone(),
                        prefix: format!("{path}."),
                    };
                    self.table(inner_table, value_span, inner, &inner_within)
                }
                (Shape::Tables(inner), DeValue::Array(entries)) => {
                    self.tables(entries, name, &path, inner, within);
                    true
                }
                (Shape::Ids, DeValue::Array(entries)) => {
                    self.entries(entries, &path, Shape::Text, within);
                    true
                }
                (Shape::Numbers, DeValue::Table(entries)) => {
                    self.values(entries, &path, Shape::Number, within);
                    true
                }
                (Shape::Texts, DeValue::Table(entries)) => {
                    self.values(entries, &path, Shape::Text, within);
                    true
                }
                _ => true,
            };
            if keep {
                kept.insert(key, value);
            }
        }
        let keep = self.required_keys(&mut kept, span, shape, within, &reported);
        *table = kept;
        keep
    }

    /// Reports the required keys missing from `table`, except those `reported` already (for a
    /// misspelt key or a wrong type), and stands in for those that can be. Returns whether the table can be
    /// kept.
    fn required_keys(
        &mut self,
        table: &mut DeTable<'_>,
        span: Range<usize>,
        shape: &'static TableShape,
        within: &Within,
        reported: &[&str],
    ) -> bool {
        let mut keep = true;
        for key in shape.keys {
            let Some(missing) = key.required else {
                continue;
            };
            if table.contains_key(key.name) {
                continue;
            }
            if !reported.contains(&key.name) {
                self.error(
                    span.clone(),
                    within,
                    format!(
                        "`{}{}` is missing: {} needs one",
                        within.prefix, key.name, shape.name
                    ),
                );
            }
            let stand_in = match missing {
                Missing::LeaveOut => {
                    keep = false;
                    None
                }
                Missing::Accept => None,
                Missing::Use(text) => Some(text.to_string()),
                Missing::UseId => match table.get("id").map(|id| id.get_ref()) {
                    Some(DeValue::String(id)) => Some(id.to_string()),
                    _ => {
                        keep = false;
                        None
                    }
                },
            };
            if let Some(text) = stand_in {
                table.insert(
                    Spanned::new(span.clone(), DeString::Owned(key.name.to_string())),
                    Spanned::new(span.clone(), DeValue::String(DeString::Owned(text))),
                );
            }
        }
        keep
    }

    /// Checks each table of an array of tables, keeping those that can be kept.
    fn tables(
        &mut self,
        entries: &mut DeArray<'_>,
        name: &str,
        path: &str,
        shape: &'static TableShape,
        within: &Within,
    ) {
        let named = NAMED_ENTRIES
            .iter()
            .find(|(array, _)| within.prefix.is_empty() && *array == name)
            .map(|(_, word)| *word);
        let mut kept = DeArray::new();
        for (number, mut entry) in std::mem::replace(entries, DeArray::new())
            .into_iter()
            .enumerate()
        {
            let span = entry.span();
            let DeValue::Table(table) = entry.get_mut() else {
                let message = format!(
                    "`{path}` must be a list of tables, but entry {} is {}",
                    number + 1,
                    found(entry.get_ref())
                );
                self.error(span, within, message);
                continue;
            };
            let entry_within = match named {
                // Entries of the top-level arrays are named by their id, as the later checks
                // name them, or by their place when the id is not there to name them.
                Some(word) => Within {
                    context: Some(match table.get("id").map(|id| id.get_ref()) {
                        Some(DeValue::String(id)) => format!("{word} `{id}`"),
                        _ => format!("{word} {} of `[[{name}]]`", number + 1),
                    }),
                    prefix: String::new(),
                },
                None => Within {
                    context: within.context.clone(),
                    prefix: format!("{path}."),
                },
            };
            if self.table(table, span, shape, &entry_within) {
                kept.push(entry);
            }
        }
        *entries = kept;
    }

    /// Keeps the entries of an array that have the shape `entry_shape`, reporting the others.
    fn entries(
        &mut self,
        entries: &mut DeArray<'_>,
        path: &str,
        entry_shape: Shape,
        within: &Within,
    ) {
        let mut kept = DeArray::new();
        for entry in std::mem::replace(entries, DeArray::new()) {
            if entry_shape.fits(entry.get_ref()) {
                kept.push(entry);
            } else {
                let message = format!(
                    "`{path}` must hold {}, not {}",
                    entry_shape.expected(),
                    found(entry.get_ref())
                );
                self.error(entry.span(), within, message);
            }
        }
        *entries = kept;
    }

    /// Keeps the values of a table that have the shape `value_shape`, reporting the others.
    fn values(&mut self, table: &mut DeTable<'_>, path: &str, value_shape: Shape, within: &Within) {
        let mut kept = DeTable::new();
        for (key, value) in std::mem::take(table) {
            if value_shape.fits(value.get_ref()) {
                kept.insert(key, value);
            } else {
                let message = format!(
                    "`{path}.{}` must be {}, not {}",
                    key.get_ref(),
                    value_shape.expected(),
                    found(value.get_ref())
                );
                self.error(value.span(), within, message);
            }
        }
        *table = kept;
    }
}

/// The message for a key `shape` does not know, naming the known key it is probably a
/// misspelling of (returned too), or else every key the table may hold.
fn unknown_key(name: &str, shape: &TableShape, prefix: &str) -> (String, Option<&'static str>) {
    let known: Vec<&'static str> = shape.keys.iter().map(|key| key.name).collect();
    match closest(name, &known) {
        Some(suggestion) => (
            format!("unknown key `{prefix}{name}`: did you mean `{prefix}{suggestion}`?"),
            Some(suggestion),
        ),
        None => {
            let (last, rest) = known.split_last().expect("every table has keys");
            let message = format!(
                "unknown key `{prefix}{name}`: {} may have {} and {last}",
                shape.name,
                rest.join(", ")
            );
            (message, None)
        }
    }
}

/// The known key closest to `name`, if one is close enough to be what was meant: the same but
/// for case, a few letters wrong, missing, added or swapped (fewer for short keys), or a key
/// that contains it (`picks` for `max_picks`).
pub(crate) fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = name.to_lowercase();
    let allowed = (lower.chars().count() + 2) / 4;
    let allowed = allowed.clamp(1, 3);
    known
        .iter()
        .map(|candidate| (edit_distance(&lower, candidate), *candidate))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
        .or_else(|| {
            (lower.chars().count() >= 4)
                .then(|| {
                    known
                        .iter()
                        .find(|candidate| candidate.contains(lower.as_str()))
                        .copied()
                })
                .flatten()
        })
}

/// The optimal string alignment distance between two strings: the fewest single-character
/// insertions, deletions, substitutions and swaps of neighbours that turn one into the other
/// (Damerau 1964, restricted so that no substring is edited twice).
pub(crate) fn edit_distance(from: &str, to: &str) -> usize {
    let from: Vec<char> = from.chars().collect();
    let to: Vec<char> = to.chars().collect();
    let width = to.len() + 1;
    // `rows[i * width + j]`: the distance between the first i characters of `from` and the
    // first j of `to`.
    let mut rows = vec![0usize; (from.len() + 1) * width];
    for (i, cell) in rows.iter_mut().step_by(width).enumerate() {
        *cell = i;
    }
    for (j, cell) in rows.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=from.len() {
        for j in 1..=to.len() {
            let cost = usize::from(from[i - 1] != to[j - 1]);
            let mut best = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && from[i - 1] == to[j - 2] && from[i - 2] == to[j - 1] {
                best = best.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = best;
        }
    }
    rows[from.len() * width + to.len()]
}
