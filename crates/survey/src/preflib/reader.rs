//! Reading a PrefLib file line by line: the header, the end of the header, and the responses
//! built at the end. Order lines are read in [`orders`].

mod orders;

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::{DataType, GROUP, MAX_ALTERNATIVES, PreflibErrorKind, PreflibHeader, PreflibOutcome};
use crate::responses::{Answers, ItemInfo, RankEntry, Respondent, Responses};

/// How many items a message lists before it says "and N more".
const LISTED_IN_MESSAGES: usize = 5;

/// How many characters of a bad token a message quotes.
const QUOTED_CHARACTERS: usize = 40;

/// An error before it is given the file name: the line, if any, and what is wrong.
pub(super) type Failure = (Option<u64>, PreflibErrorKind);

/// An `# ALTERNATIVE NAME` line.
struct AlternativeName {
    alternative: u64,
    name: String,
    line: u64,
}

/// The reading state: the header until the first order, then the orders.
pub(super) struct Reader {
    file_type: Option<DataType>,
    header: PreflibHeader,
    /// Whether any `#` line has been seen.
    header_seen: bool,
    /// The first line of each header key seen, for repeated keys and for messages.
    key_lines: HashMap<String, u64>,
    names: Vec<AlternativeName>,
    alternative_count: Option<u64>,
    notes: Vec<String>,
    orders: Option<Orders>,
}

/// The orders read so far.
struct Orders {
    data_type: DataType,
    alternative_count: u32,
    items: Vec<ItemInfo>,
    /// For each alternative, the number of the last order that listed it: finds repeats and
    /// missing alternatives in one pass without clearing anything between orders.
    last_listed_in: Vec<u64>,
    respondents: Vec<Respondent>,
    offsets: Vec<usize>,
    entries: Vec<RankEntry>,
    voter_total: u64,
}

impl Reader {
    /// A reader for a file of `file_type` when known.
    pub(super) fn new(file_type: Option<DataType>) -> Reader {
        Reader {
            file_type,
            header: PreflibHeader::default(),
            header_seen: false,
            key_lines: HashMap::new(),
            names: Vec::new(),
            alternative_count: None,
            notes: Vec::new(),
            orders: None,
        }
    }

    /// Reads one line: skipped when blank, a header line, or an order line.
    pub(super) fn line(&mut self, line: u64, text: &str) -> Result<(), Failure> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Ok(());
        }
        if let Some(content) = trimmed.strip_prefix('#') {
            if self.orders.is_some() {
                return Err((Some(line), PreflibErrorKind::HeaderAfterOrders));
            }
            self.header_seen = true;
            return self
                .header_line(line, content)
                .map_err(|kind| (Some(line), kind));
        }
        let orders = match self.orders {
            Some(ref mut orders) => orders,
            None => {
                let old_format =
                    !self.header_seen && trimmed.bytes().all(|byte| byte.is_ascii_digit());
                let orders = self.end_header(Some(line), old_format)?;
                self.orders.insert(orders)
            }
        };
        orders
            .order_line(trimmed)
            .map_err(|kind| (Some(line), kind))
    }

    fn header_line(&mut self, line: u64, content: &str) -> Result<(), PreflibErrorKind> {
        let Some((key_text, value)) = content.split_once(':') else {
            self.notes.push(format!(
                "line {line}: `#{content}` is not a `# KEY: value` line and was ignored"
            ));
            return Ok(());
        };
        let key = key_text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_uppercase();
        let value = value.trim();
        if key == "ALTERNATIVE NAME" || key.starts_with("ALTERNATIVE NAME ") {
            let number_text = key["ALTERNATIVE NAME".len()..].trim();
            if number_text.is_empty() || !number_text.bytes().all(|byte| byte.is_ascii_digit()) {
                return Err(PreflibErrorKind::BadAlternativeName { key: quote(&key) });
            }
            // Digits that overflow are far out of range anyway; `u64::MAX` says so below.
            let alternative = number_text.parse::<u64>().unwrap_or(u64::MAX);
            let normalised = format!("ALTERNATIVE NAME {alternative}");
            self.remember_key(normalised, line)?;
            self.names.push(AlternativeName {
                alternative,
                name: value.to_string(),
                line,
            });
            return Ok(());
        }
        self.remember_key(key.clone(), line)?;
        let text = || (!value.is_empty()).then(|| value.to_string());
        match key.as_str() {
            "FILE NAME" => self.header.file_name = text(),
            "TITLE" => self.header.title = text(),
            "DESCRIPTION" => self.header.description = text(),
            "MODIFICATION TYPE" => self.header.modification_type = text(),
            "RELATES TO" => self.header.relates_to = text(),
            "RELATED FILES" => self.header.related_files = text(),
            "PUBLICATION DATE" => self.header.publication_date = text(),
            "MODIFICATION DATE" => self.header.modification_date = text(),
            "DATA TYPE" => {
                if !value.is_empty() {
                    let data_type = DataType::parse(value).ok_or_else(|| {
                        PreflibErrorKind::UnsupportedDataType {
                            found: quote(value),
                        }
                    })?;
                    self.header.data_type = Some(data_type);
                }
            }
            "NUMBER ALTERNATIVES" => {
                let declared = header_number("NUMBER ALTERNATIVES", value)?;
                if declared == 0 {
                    return Err(PreflibErrorKind::NoAlternatives);
                }
                if declared > u64::from(MAX_ALTERNATIVES) {
                    return Err(PreflibErrorKind::TooManyAlternatives { declared });
                }
                self.alternative_count = Some(declared);
            }
            "NUMBER VOTERS" => {
                self.header.voter_count = Some(header_number("NUMBER VOTERS", value)?)
            }
            "NUMBER UNIQUE ORDERS" => {
                self.header.unique_order_count =
                    Some(header_number("NUMBER UNIQUE ORDERS", value)?);
            }
            _ => self
                .header
                .other
                .push((key_text.trim().to_string(), value.to_string())),
        }
        Ok(())
    }

    fn remember_key(&mut self, key: String, line: u64) -> Result<(), PreflibErrorKind> {
        match self.key_lines.get(&key) {
            Some(&first_line) => Err(PreflibErrorKind::RepeatedHeader { key, first_line }),
            None => {
                self.key_lines.insert(key, line);
                Ok(())
            }
        }
    }

    fn key_line(&self, key: &str) -> Option<u64> {
        self.key_lines.get(key).copied()
    }

    /// Checks the header as a whole, once it is complete, and sets up for the orders.
    /// `line` is the first order's line, or `None` at the end of the file.
    fn end_header(&mut self, line: Option<u64>, old_format: bool) -> Result<Orders, Failure> {
        let Some(alternative_count) = self.alternative_count else {
            if line.is_none() && !self.header_seen {
                return Err((None, PreflibErrorKind::Empty));
            }
            return Err((
                line,
                PreflibErrorKind::MissingAlternativeCount { old_format },
            ));
        };
        // Checked against MAX_ALTERNATIVES when read, so it fits.
        let alternative_count = u32::try_from(alternative_count).unwrap_or(MAX_ALTERNATIVES);
        self.header.alternative_count = alternative_count;

        let data_type = match (self.file_type, self.header.data_type) {
            (Some(from_name), Some(declared)) if from_name != declared => {
                return Err((
                    self.key_line("DATA TYPE"),
                    PreflibErrorKind::DataTypeMismatch {
                        declared,
                        from_name,
                    },
                ));
            }
            (Some(data_type), _) | (None, Some(data_type)) => data_type,
            (None, None) => {
                self.notes.push(
                    "neither the file name nor `# DATA TYPE` gives the data type, so the file was read as toi (orders with ties, possibly incomplete)"
                        .to_string(),
                );
                DataType::Toi
            }
        };

        let mut labels: Vec<Option<String>> = vec![None; alternative_count as usize];
        for name in &self.names {
            if name.alternative == 0 || name.alternative > u64::from(alternative_count) {
                return Err((
                    Some(name.line),
                    PreflibErrorKind::AlternativeNameOutOfRange {
                        alternative: name.alternative,
                        declared: alternative_count,
                    },
                ));
            }
            if !name.name.is_empty() {
                labels[(name.alternative - 1) as usize] = Some(name.name.clone());
            }
        }
        self.note_missing_and_repeated_names(&labels);

        let items = labels
            .into_iter()
            .enumerate()
            .map(|(index, label)| ItemInfo {
                id: (index + 1).to_string(),
                label,
            })
            .collect();
        Ok(Orders {
            data_type,
            alternative_count,
            items,
            last_listed_in: vec![0; alternative_count as usize],
            respondents: Vec::new(),
            offsets: vec![0],
            entries: Vec::new(),
            voter_total: 0,
        })
    }

    fn note_missing_and_repeated_names(&mut self, labels: &[Option<String>]) {
        let unnamed: Vec<usize> = (0..labels.len())
            .filter(|&index| labels[index].is_none())
            .collect();
        if unnamed.len() == labels.len() {
            self.notes.push(
                "the header names no alternatives, so their numbers are used as labels".to_string(),
            );
        } else if !unnamed.is_empty() {
            self.notes.push(format!(
                "the header gives no name for {} {}, so {} used as {}",
                if unnamed.len() == 1 {
                    "alternative"
                } else {
                    "alternatives"
                },
                list_numbers(unnamed.iter().map(|index| index + 1), unnamed.len()),
                if unnamed.len() == 1 {
                    "its number is"
                } else {
                    "their numbers are"
                },
                if unnamed.len() == 1 {
                    "its label"
                } else {
                    "their labels"
                },
            ));
        }
        let mut first_with_name: HashMap<&str, usize> = HashMap::new();
        let mut repeats = 0_usize;
        for (index, label) in labels.iter().enumerate() {
            let Some(label) = label else { continue };
            match first_with_name.entry(label.as_str()) {
                Entry::Vacant(vacant) => {
                    vacant.insert(index);
                }
                Entry::Occupied(first) => {
                    repeats += 1;
                    if repeats <= LISTED_IN_MESSAGES {
                        self.notes.push(format!(
                            "alternatives {} and {} have the same name `{}`",
                            first.get() + 1,
                            index + 1,
                            quote(label)
                        ));
                    }
                }
            }
        }
        if repeats > LISTED_IN_MESSAGES {
            self.notes.push(format!(
                "{} more alternatives have the same name as an earlier one",
                repeats - LISTED_IN_MESSAGES
            ));
        }
    }

    /// Checks the totals the header declares and builds the responses.
    pub(super) fn finish(mut self) -> Result<PreflibOutcome, Failure> {
        let orders = match self.orders.take() {
            Some(orders) => orders,
            None => self.end_header(None, false)?,
        };
        let order_count = orders.respondents.len() as u64;
        match self.header.voter_count {
            Some(declared) if declared != orders.voter_total => {
                return Err((
                    self.key_line("NUMBER VOTERS"),
                    PreflibErrorKind::VoterCountMismatch {
                        declared,
                        counted: orders.voter_total,
                    },
                ));
            }
            Some(_) => {}
            None => self.notes.push(
                "the header has no `# NUMBER VOTERS` line, so the total was not checked"
                    .to_string(),
            ),
        }
        match self.header.unique_order_count {
            Some(declared) if declared != order_count => {
                return Err((
                    self.key_line("NUMBER UNIQUE ORDERS"),
                    PreflibErrorKind::UniqueOrderCountMismatch {
                        declared,
                        counted: order_count,
                    },
                ));
            }
            Some(_) => {}
            None => self.notes.push(
                "the header has no `# NUMBER UNIQUE ORDERS` line, so the number of orders was not checked".to_string(),
            ),
        }
        let responses = Responses::from_parts(
            vec![GROUP.to_string()],
            orders.items,
            Vec::new(),
            orders.respondents,
            orders.offsets,
            Answers::Ranking(orders.entries),
        );
        Ok(PreflibOutcome {
            responses,
            header: self.header,
            data_type: orders.data_type,
            notes: self.notes,
        })
    }
}
/// Reads a header value that must be a whole number.
fn header_number(key: &'static str, value: &str) -> Result<u64, PreflibErrorKind> {
    let bad = || PreflibErrorKind::BadHeaderNumber {
        key,
        value: quote(value),
    };
    if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(bad());
    }
    value.parse::<u64>().map_err(|_| bad())
}

/// Text for quoting in a message, cut short when long, so one bad token cannot make a
/// message of megabytes.
fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARACTERS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// `3, 5, 7, 8, 9 and 4 more`: the first few of `numbers` (of which there are `total`).
fn list_numbers(numbers: impl Iterator<Item = usize>, total: usize) -> String {
    let shown: Vec<String> = numbers
        .take(LISTED_IN_MESSAGES)
        .map(|number| number.to_string())
        .collect();
    let more = total.saturating_sub(shown.len());
    if more == 0 {
        shown.join(", ")
    } else {
        format!("{} and {more} more", shown.join(", "))
    }
}
