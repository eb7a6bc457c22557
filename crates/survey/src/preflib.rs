//! Readers for PrefLib files of ordinal preferences: `.soc`, `.soi`, `.toc` and `.toi`
//! (<https://www.preflib.org/format>, and `FORMAT_SPECIFICATION.md` in PrefLib/PrefLib-Data).
//!
//! A PrefLib file is a header of `# KEY: value` lines followed by one line per distinct order:
//!
//! ```text
//! # FILE NAME: 00002-00000001.toc
//! # TITLE: Debian 2002 Leader
//! # DATA TYPE: toc
//! # NUMBER ALTERNATIVES: 4
//! # NUMBER VOTERS: 109
//! # NUMBER UNIQUE ORDERS: 2
//! # ALTERNATIVE NAME 1: Branden Robinson
//! # ALTERNATIVE NAME 2: Raphael Hertzog
//! # ALTERNATIVE NAME 3: Bdale Garbee
//! # ALTERNATIVE NAME 4: None Of The Above
//! 100: 3,1,2,4
//! 9: 3,{1,2,4}
//! ```
//!
//! `100: 3,1,2,4` says that 100 voters put alternative 3 first, then 1, 2 and 4; braces group
//! alternatives a voter ranks equal. The four types differ in what an order may be:
//!
//! | type  | ties allowed | every alternative listed |
//! |-------|--------------|--------------------------|
//! | `soc` | no           | yes                      |
//! | `soi` | no           | no                       |
//! | `toc` | yes          | yes                      |
//! | `toi` | yes          | no                       |
//!
//! # Mapping to ranking responses (DESIGN.md, "Responses exchange format")
//! - There is one group, [`GROUP`] (`all`).
//! - The items are alternatives `1` to `m` (`m` from `# NUMBER ALTERNATIVES`), in that order,
//!   whether or not any order lists them; an item's id is the alternative number as text and
//!   its label the `# ALTERNATIVE NAME` value, if the header gives one.
//! - Each order line becomes **one** [`Respondent`] whose `count` is the line's multiplicity,
//!   so a file of a million voters stays as compact as the file. Respondent ids are `o1`, `o2`,
//!   … numbering the order lines from the top.
//! - Ranks are standard competition ranks: an item's rank is one more than the number of items
//!   the order puts before it, so `5: 1,{2,3},4` gives ranks 1, 2, 2 and 4. Under the gap
//!   policy of the exchange format this is the same order as 1, 2, 2, 3.
//! - Alternatives an incomplete (`soi`, `toi`) order does not list are unranked: they are
//!   simply absent from that respondent's answers.
//!
//! # Leniency
//! Whitespace may appear anywhere in an order line (`preflibtools` writes `3, {1, 2}`), blank
//! lines are skipped, CRLF line ends and a UTF-8 byte order mark are accepted, header keys are
//! matched without regard to case or repeated spaces, and header lines other than the ones
//! listed in [`PreflibHeader`] are kept in [`PreflibHeader::other`]. Everything else the
//! format forbids fails the whole file with the line and the reason; see [`PreflibErrorKind`].
//! Reading streams the input line by line.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::io::BufRead;
use std::path::Path;

use crate::located::LocatedError;
use crate::responses::{Answers, ItemInfo, RankEntry, Respondent, Responses};

/// The id of the one group that PrefLib data is read into.
pub const GROUP: &str = "all";

/// The largest `# NUMBER ALTERNATIVES` this reader accepts. PrefLib's largest ordinal files
/// have a few thousand alternatives; the limit keeps a corrupt header from making the reader
/// allocate without bound.
pub const MAX_ALTERNATIVES: u32 = 1_000_000;

/// How many items a message lists before it says "and N more".
const LISTED_IN_MESSAGES: usize = 5;

/// How many characters of a bad token a message quotes.
const QUOTED_CHARACTERS: usize = 40;

/// The kind of a PrefLib file of ordinal preferences, which is also its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataType {
    /// Strict orders, complete: no ties, every alternative listed.
    Soc,
    /// Strict orders, incomplete: no ties, some alternatives may be left out.
    Soi,
    /// Orders with ties, complete: ties allowed, every alternative listed.
    Toc,
    /// Orders with ties, incomplete: ties allowed, some alternatives may be left out.
    Toi,
}

impl DataType {
    /// All four types.
    pub const ALL: [DataType; 4] = [DataType::Soc, DataType::Soi, DataType::Toc, DataType::Toi];

    /// The lowercase name, which is also the file extension: `soc`, `soi`, `toc` or `toi`.
    pub fn as_str(self) -> &'static str {
        match self {
            DataType::Soc => "soc",
            DataType::Soi => "soi",
            DataType::Toc => "toc",
            DataType::Toi => "toi",
        }
    }

    /// Reads a type name such as `soc` or `TOI` (case-insensitive, surrounding spaces
    /// ignored); `None` for anything else, including PrefLib's non-ordinal types.
    pub fn parse(text: &str) -> Option<DataType> {
        let text = text.trim();
        DataType::ALL
            .into_iter()
            .find(|data_type| data_type.as_str().eq_ignore_ascii_case(text))
    }

    /// The type a file name's extension gives (case-insensitive), if it is one of the four.
    pub fn from_path(path: &Path) -> Option<DataType> {
        DataType::parse(path.extension()?.to_str()?)
    }

    /// Whether ties are forbidden (`soc`, `soi`).
    pub fn is_strict(self) -> bool {
        matches!(self, DataType::Soc | DataType::Soi)
    }

    /// Whether every order must list every alternative (`soc`, `toc`).
    pub fn is_complete(self) -> bool {
        matches!(self, DataType::Soc | DataType::Toc)
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Whether a path names a PrefLib file of ordinal preferences, judged by its extension
/// (`.soc`, `.soi`, `.toc` or `.toi`, in any case).
pub fn is_preflib_path(path: impl AsRef<Path>) -> bool {
    DataType::from_path(path.as_ref()).is_some()
}

/// The header of a PrefLib file: the metadata it declares. Empty values are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreflibHeader {
    /// `# FILE NAME`.
    pub file_name: Option<String>,
    /// `# TITLE`.
    pub title: Option<String>,
    /// `# DESCRIPTION`.
    pub description: Option<String>,
    /// `# DATA TYPE`, as the header declares it.
    pub data_type: Option<DataType>,
    /// `# MODIFICATION TYPE`: `original`, `induced`, `imbued` or `synthetic`.
    pub modification_type: Option<String>,
    /// `# RELATES TO`.
    pub relates_to: Option<String>,
    /// `# RELATED FILES`.
    pub related_files: Option<String>,
    /// `# PUBLICATION DATE`.
    pub publication_date: Option<String>,
    /// `# MODIFICATION DATE`.
    pub modification_date: Option<String>,
    /// `# NUMBER ALTERNATIVES` (required).
    pub alternative_count: u32,
    /// `# NUMBER VOTERS`; when present, the order counts must add up to it.
    pub voter_count: Option<u64>,
    /// `# NUMBER UNIQUE ORDERS`; when present, the number of order lines must equal it.
    pub unique_order_count: Option<u64>,
    /// Other `# KEY: value` lines, in file order, keys as written.
    pub other: Vec<(String, String)>,
}

/// What a successful read returns.
#[derive(Debug, Clone, PartialEq)]
pub struct PreflibOutcome {
    /// The orders as ranking responses (see the module documentation for the mapping).
    pub responses: Responses,
    /// The header's metadata.
    pub header: PreflibHeader,
    /// The type the orders were checked against: the file name's, else the header's, else
    /// `toi`, which allows everything.
    pub data_type: DataType,
    /// Notes for the user; reading succeeded regardless.
    pub notes: Vec<String>,
}

/// A problem with a PrefLib file: the file name as given to the reader, the 1-based line where
/// the problem is when it is on a line, and what is wrong (its `message`, a
/// [`PreflibErrorKind`]).
pub type PreflibError = LocatedError<PreflibErrorKind>;

/// What is wrong with a PrefLib file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreflibErrorKind {
    /// The input could not be read.
    #[error("cannot read the file: {message}")]
    Io {
        /// The I/O error, as text.
        message: String,
    },
    /// A line is not UTF-8.
    #[error("the line is not valid UTF-8 (PrefLib files are UTF-8)")]
    NotUtf8,
    /// The file has no lines, or only blank ones.
    #[error("the file is empty; expected a PrefLib header such as `# NUMBER ALTERNATIVES: 10`")]
    Empty,
    /// `# DATA TYPE` names a type other than the four ordinal ones.
    #[error("data type `{found}` is not one this reader supports (soc, soi, toc or toi)")]
    UnsupportedDataType {
        /// The declared type, quoted.
        found: String,
    },
    /// `# DATA TYPE` disagrees with the type the file name's extension gives.
    #[error("`# DATA TYPE: {declared}` disagrees with the file extension .{from_name}")]
    DataTypeMismatch {
        /// The header's type.
        declared: DataType,
        /// The extension's type.
        from_name: DataType,
    },
    /// A header key appears twice.
    #[error("`# {key}` appears twice (first at line {first_line})")]
    RepeatedHeader {
        /// The key, normalised to upper case.
        key: String,
        /// Where it first appeared.
        first_line: u64,
    },
    /// A header value that must be a whole number is not one.
    #[error("`# {key}` must be a whole number, not `{value}`")]
    BadHeaderNumber {
        /// The key.
        key: &'static str,
        /// The value, quoted.
        value: String,
    },
    /// `# NUMBER ALTERNATIVES` is 0.
    #[error("the file declares 0 alternatives; at least 1 is needed")]
    NoAlternatives,
    /// `# NUMBER ALTERNATIVES` is above [`MAX_ALTERNATIVES`].
    #[error("the file declares {declared} alternatives; at most {MAX_ALTERNATIVES} are supported")]
    TooManyAlternatives {
        /// The declared number.
        declared: u64,
    },
    /// The header ends without `# NUMBER ALTERNATIVES`.
    #[error(
        "the header has no `# NUMBER ALTERNATIVES` line{}",
        if *old_format {
            "; this looks like the PrefLib format used before 2022, which this reader does not support"
        } else {
            ""
        }
    )]
    MissingAlternativeCount {
        /// Whether the file starts like the old format: a bare number of alternatives and no
        /// `#` header.
        old_format: bool,
    },
    /// An `# ALTERNATIVE NAME` key without an alternative number.
    #[error("`# {key}` does not give an alternative number (expected `# ALTERNATIVE NAME 1: ...`)")]
    BadAlternativeName {
        /// The key, normalised to upper case.
        key: String,
    },
    /// An `# ALTERNATIVE NAME` for an alternative the file does not declare.
    #[error(
        "`# ALTERNATIVE NAME {alternative}` is out of range (the file declares {declared} alternatives)"
    )]
    AlternativeNameOutOfRange {
        /// The alternative number.
        alternative: u64,
        /// `# NUMBER ALTERNATIVES`.
        declared: u32,
    },
    /// A `#` line after the first order.
    #[error("header line after the first order (the header must come before all orders)")]
    HeaderAfterOrders,
    /// An order line without the `:` between the count and the order.
    #[error("expected `count: order`, but the line has no `:`")]
    MissingSeparator,
    /// An order line with nothing before the `:`.
    #[error("the line has no count before `:`")]
    MissingCount,
    /// A count that is not a positive whole number.
    #[error("count `{text}` is not a positive whole number")]
    BadCount {
        /// The count, quoted.
        text: String,
    },
    /// A count above `u32::MAX`.
    #[error("count `{text}` is too large (at most {})", u32::MAX)]
    CountTooLarge {
        /// The count, quoted.
        text: String,
    },
    /// Something in an order that is not an alternative number.
    #[error("`{text}` is not an alternative number")]
    BadAlternative {
        /// The text, quoted.
        text: String,
    },
    /// An alternative number outside 1 to `# NUMBER ALTERNATIVES`.
    #[error(
        "alternative {alternative} is out of range (the file declares {declared} alternatives)"
    )]
    AlternativeOutOfRange {
        /// The number as written.
        alternative: String,
        /// `# NUMBER ALTERNATIVES`.
        declared: u32,
    },
    /// An alternative listed twice in one order.
    #[error("alternative {alternative} appears twice in the order")]
    RepeatedAlternative {
        /// The alternative number.
        alternative: u32,
    },
    /// Two commas in a row, or a comma at the start or end of an order or a tie.
    #[error("the order has an empty place (two commas in a row, or a comma at the start or end)")]
    EmptyPlace,
    /// `{}`.
    #[error("the order has an empty tie `{{}}`")]
    EmptyTie,
    /// `{` inside a tie.
    #[error("`{{` inside a tie (ties cannot be nested)")]
    NestedTie,
    /// `{` without its `}`.
    #[error("`{{` is not closed by `}}`")]
    UnclosedTie,
    /// `}` without its `{`.
    #[error("`}}` without a matching `{{`")]
    UnopenedTie,
    /// Two places of an order not separated by a comma.
    #[error("expected `,` before `{before}`")]
    MissingComma {
        /// What follows where the comma should be, quoted.
        before: String,
    },
    /// A tie in a file whose orders must be strict.
    #[error(
        "tie `{tie}` in a .{data_type} file, whose orders are strict (ties are allowed in .toc and .toi files)"
    )]
    TieInStrictOrder {
        /// The tie, as `{2,3}`.
        tie: String,
        /// The file's type.
        data_type: DataType,
    },
    /// An order of a complete type that leaves alternatives out.
    #[error(
        "the order lists {listed} of the {declared} alternatives, but every order of a .{data_type} file lists all of them (missing: {missing})"
    )]
    IncompleteOrder {
        /// How many alternatives the order lists.
        listed: usize,
        /// `# NUMBER ALTERNATIVES`.
        declared: u32,
        /// The file's type.
        data_type: DataType,
        /// The missing alternatives, as `4, 7 and 2 more`.
        missing: String,
    },
    /// The order counts do not add up to `# NUMBER VOTERS`.
    #[error("`# NUMBER VOTERS` says {declared}, but the counts of the orders add up to {counted}")]
    VoterCountMismatch {
        /// `# NUMBER VOTERS`.
        declared: u64,
        /// The sum of the counts.
        counted: u64,
    },
    /// The number of order lines differs from `# NUMBER UNIQUE ORDERS`.
    #[error("`# NUMBER UNIQUE ORDERS` says {declared}, but the file has {counted} orders")]
    UniqueOrderCountMismatch {
        /// `# NUMBER UNIQUE ORDERS`.
        declared: u64,
        /// The number of order lines.
        counted: u64,
    },
}

/// Reads a PrefLib file of ordinal preferences as ranking responses, streaming it line by line.
///
/// `source_name` is the file name used in messages. `file_type` is the type the file name's
/// extension gives ([`DataType::from_path`]), if any; when it is `None` the header's
/// `# DATA TYPE` is used, and without that the file is read as `toi`, which allows any order.
/// See the module documentation for how orders become respondents and ranks.
///
/// Time and memory are linear in the size of the file, plus `O(m)` for `m` alternatives.
///
/// # Errors
/// [`PreflibError`] with the line of the first problem: an unreadable or non-UTF-8 line; a
/// header without `# NUMBER ALTERNATIVES`, or with a key twice, a count that is not a whole
/// number, an unsupported `# DATA TYPE` or one that disagrees with `file_type`, or an
/// `# ALTERNATIVE NAME` out of range; a header line after the orders; an order line without
/// `count:`, with a count that is not a positive whole number, an alternative that is not a
/// number or is out of range or is listed twice, malformed braces or commas, a tie in a strict
/// (`soc`, `soi`) file, or alternatives missing in a complete (`soc`, `toc`) file; and totals
/// that disagree with `# NUMBER VOTERS` or `# NUMBER UNIQUE ORDERS`. Nothing is returned when
/// any line is bad.
pub fn read_preflib<R: BufRead>(
    mut input: R,
    source_name: &str,
    file_type: Option<DataType>,
) -> Result<PreflibOutcome, PreflibError> {
    let mut reader = Reader::new(file_type);
    let mut buffer = Vec::new();
    let mut line = 0_u64;
    let error = |line: Option<u64>, kind: PreflibErrorKind| PreflibError {
        source_name: source_name.to_string(),
        line,
        context: None,
        message: kind,
    };
    loop {
        buffer.clear();
        let read = input.read_until(b'\n', &mut buffer).map_err(|io_error| {
            error(
                Some(line + 1),
                PreflibErrorKind::Io {
                    message: io_error.to_string(),
                },
            )
        })?;
        if read == 0 {
            break;
        }
        line += 1;
        let mut bytes = buffer.as_slice();
        if line == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let text =
            std::str::from_utf8(bytes).map_err(|_| error(Some(line), PreflibErrorKind::NotUtf8))?;
        reader
            .line(line, text)
            .map_err(|(line, kind)| error(line, kind))?;
    }
    reader.finish().map_err(|(line, kind)| error(line, kind))
}

/// An error before it is given the file name: the line, if any, and what is wrong.
type Failure = (Option<u64>, PreflibErrorKind);

/// An `# ALTERNATIVE NAME` line.
struct AlternativeName {
    alternative: u64,
    name: String,
    line: u64,
}

/// The reading state: the header until the first order, then the orders.
struct Reader {
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
    fn new(file_type: Option<DataType>) -> Reader {
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

    fn line(&mut self, line: u64, text: &str) -> Result<(), Failure> {
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

    fn finish(mut self) -> Result<PreflibOutcome, Failure> {
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

impl Orders {
    /// Reads one `count: order` line (already trimmed).
    fn order_line(&mut self, text: &str) -> Result<(), PreflibErrorKind> {
        let (count_text, order_text) = text
            .split_once(':')
            .ok_or(PreflibErrorKind::MissingSeparator)?;
        let count = parse_count(count_text)?;
        let order_number = self.respondents.len() as u64 + 1;
        let start = self.entries.len();
        self.read_order(order_text, order_number)?;
        let listed = self.entries.len() - start;
        if self.data_type.is_complete() && listed != self.alternative_count as usize {
            let missing: Vec<usize> = (0..self.alternative_count as usize)
                .filter(|&index| self.last_listed_in[index] != order_number)
                .collect();
            return Err(PreflibErrorKind::IncompleteOrder {
                listed,
                declared: self.alternative_count,
                data_type: self.data_type,
                missing: list_numbers(missing.iter().map(|index| index + 1), missing.len()),
            });
        }
        self.respondents.push(Respondent {
            id: format!("o{order_number}"),
            group: 0,
            count,
        });
        self.offsets.push(self.entries.len());
        self.voter_total = self.voter_total.saturating_add(u64::from(count));
        Ok(())
    }

    /// The fast path for the common line, a plain list of numbers (`3,1,2`, spaces allowed):
    /// reads it straight from the bytes and returns `true`. Anything else (ties, a bad or
    /// repeated alternative, an empty place) undoes what it read and returns `false`, so that
    /// the general reader below handles the line and words its error.
    fn read_strict_order(&mut self, text: &str, order_number: u64) -> bool {
        let bytes = text.as_bytes();
        let start = self.entries.len();
        let mut position = 0;
        let mut expect_number = true;
        let undo = |orders: &mut Self| {
            for entry in orders.entries.drain(start..) {
                orders.last_listed_in[entry.item as usize] = 0;
            }
            false
        };
        while position < bytes.len() {
            let byte = bytes[position];
            if byte == b' ' || byte == b'\t' {
                position += 1;
                continue;
            }
            if expect_number {
                let mut number: u64 = 0;
                let digits_start = position;
                while position < bytes.len()
                    && bytes[position].is_ascii_digit()
                    && position - digits_start < 12
                {
                    number = number * 10 + u64::from(bytes[position] - b'0');
                    position += 1;
                }
                if position == digits_start
                    || number == 0
                    || number > u64::from(self.alternative_count)
                    || self.last_listed_in[(number - 1) as usize] == order_number
                {
                    return undo(self);
                }
                let item = (number - 1) as u32;
                self.last_listed_in[item as usize] = order_number;
                let rank = (self.entries.len() - start) as u32 + 1;
                self.entries.push(RankEntry { item, rank });
                expect_number = false;
            } else if byte == b',' {
                position += 1;
                expect_number = true;
            } else {
                return undo(self);
            }
        }
        // An empty order, or a trailing comma, is for the general reader to judge.
        if expect_number {
            return undo(self);
        }
        true
    }

    /// Reads the order after the `:` into `entries`, giving each place its competition rank.
    ///
    /// The grammar, with whitespace allowed between tokens:
    /// `order = "" | place ("," place)*`, `place = number | "{" number ("," number)* "}"`.
    fn read_order(&mut self, text: &str, order_number: u64) -> Result<(), PreflibErrorKind> {
        if self.read_strict_order(text, order_number) {
            return Ok(());
        }
        let mut tokens = Tokens { rest: text }.peekable();
        if tokens.peek().is_none() {
            // An empty order: a voter who ranked nothing. Only an incomplete type allows it,
            // which the completeness check in `order_line` sees to.
            return Ok(());
        }
        let start = self.entries.len();
        let mut listed_before = 0_u32;
        loop {
            let rank = listed_before + 1;
            match tokens.next() {
                Some(Token::Number(digits)) => {
                    let item = self.alternative(digits, order_number)?;
                    self.entries.push(RankEntry { item, rank });
                }
                Some(Token::Open) => {
                    let tie_start = self.entries.len();
                    self.read_tie(&mut tokens, rank, order_number)?;
                    let tie = &self.entries[tie_start..];
                    if tie.len() > 1 && self.data_type.is_strict() {
                        let members: Vec<String> = tie
                            .iter()
                            .map(|entry| (entry.item + 1).to_string())
                            .collect();
                        return Err(PreflibErrorKind::TieInStrictOrder {
                            tie: format!("{{{}}}", members.join(",")),
                            data_type: self.data_type,
                        });
                    }
                }
                Some(Token::Word(word)) => {
                    return Err(PreflibErrorKind::BadAlternative { text: quote(word) });
                }
                Some(Token::Close) => return Err(PreflibErrorKind::UnopenedTie),
                Some(Token::Comma) | None => return Err(PreflibErrorKind::EmptyPlace),
            }
            // At most MAX_ALTERNATIVES, as an order lists each alternative once at most.
            listed_before = (self.entries.len() - start) as u32;
            match tokens.next() {
                None => return Ok(()),
                Some(Token::Comma) => {}
                Some(Token::Close) => return Err(PreflibErrorKind::UnopenedTie),
                Some(Token::Open) => {
                    return Err(PreflibErrorKind::MissingComma {
                        before: "{".to_string(),
                    });
                }
                Some(Token::Number(word) | Token::Word(word)) => {
                    return Err(PreflibErrorKind::MissingComma {
                        before: quote(word),
                    });
                }
            }
        }
    }

    /// Reads the members of a tie after its `{`, up to and including the `}`.
    fn read_tie<'t>(
        &mut self,
        tokens: &mut impl Iterator<Item = Token<'t>>,
        rank: u32,
        order_number: u64,
    ) -> Result<(), PreflibErrorKind> {
        let mut first = true;
        loop {
            match tokens.next() {
                Some(Token::Number(digits)) => {
                    let item = self.alternative(digits, order_number)?;
                    self.entries.push(RankEntry { item, rank });
                }
                Some(Token::Word(word)) => {
                    return Err(PreflibErrorKind::BadAlternative { text: quote(word) });
                }
                Some(Token::Open) => return Err(PreflibErrorKind::NestedTie),
                Some(Token::Close) if first => return Err(PreflibErrorKind::EmptyTie),
                Some(Token::Close | Token::Comma) => return Err(PreflibErrorKind::EmptyPlace),
                None => return Err(PreflibErrorKind::UnclosedTie),
            }
            first = false;
            match tokens.next() {
                Some(Token::Comma) => {}
                Some(Token::Close) => return Ok(()),
                Some(Token::Open) => return Err(PreflibErrorKind::NestedTie),
                Some(Token::Number(word) | Token::Word(word)) => {
                    return Err(PreflibErrorKind::MissingComma {
                        before: quote(word),
                    });
                }
                None => return Err(PreflibErrorKind::UnclosedTie),
            }
        }
    }

    /// Checks an alternative number and that this order has not listed it yet; returns its
    /// item index.
    fn alternative(&mut self, digits: &str, order_number: u64) -> Result<u32, PreflibErrorKind> {
        let number = digits
            .parse::<u64>()
            .ok()
            .filter(|number| (1..=u64::from(self.alternative_count)).contains(number))
            .ok_or_else(|| PreflibErrorKind::AlternativeOutOfRange {
                alternative: quote(digits),
                declared: self.alternative_count,
            })?;
        let index = (number - 1) as usize;
        if self.last_listed_in[index] == order_number {
            return Err(PreflibErrorKind::RepeatedAlternative {
                alternative: number as u32,
            });
        }
        self.last_listed_in[index] = order_number;
        Ok(index as u32)
    }
}

/// A token of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'t> {
    /// A run of ASCII digits.
    Number(&'t str),
    /// Any other run of characters that are neither whitespace nor `{`, `}` or `,`.
    Word(&'t str),
    /// `{`.
    Open,
    /// `}`.
    Close,
    /// `,`.
    Comma,
}

/// Splits an order into tokens, skipping whitespace.
struct Tokens<'t> {
    rest: &'t str,
}

impl<'t> Iterator for Tokens<'t> {
    type Item = Token<'t>;

    fn next(&mut self) -> Option<Token<'t>> {
        // Bytes, not chars: every delimiter is ASCII, so slicing at them keeps UTF-8 intact,
        // and order lines are long runs of digits where this is much faster.
        let bytes = self.rest.as_bytes();
        let start = bytes.iter().position(|byte| !byte.is_ascii_whitespace());
        let Some(start) = start else {
            // Only ASCII white space left; other white space, if any, is left as a word.
            self.rest = "";
            return None;
        };
        let punctuation = match bytes[start] {
            b'{' => Some(Token::Open),
            b'}' => Some(Token::Close),
            b',' => Some(Token::Comma),
            _ => None,
        };
        if let Some(token) = punctuation {
            self.rest = &self.rest[start + 1..];
            return Some(token);
        }
        let length = bytes[start..]
            .iter()
            .position(|byte| byte.is_ascii_whitespace() || matches!(byte, b'{' | b'}' | b','))
            .unwrap_or(bytes.len() - start);
        let word = &self.rest[start..start + length];
        self.rest = &self.rest[start + length..];
        let word = word.trim();
        if word.is_empty() {
            return self.next();
        }
        if word.bytes().all(|byte| byte.is_ascii_digit()) {
            Some(Token::Number(word))
        } else {
            Some(Token::Word(word))
        }
    }
}

/// Reads the multiplicity before the `:` of an order line.
fn parse_count(text: &str) -> Result<u32, PreflibErrorKind> {
    let text = text.trim();
    if text.is_empty() {
        return Err(PreflibErrorKind::MissingCount);
    }
    if !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(PreflibErrorKind::BadCount { text: quote(text) });
    }
    match text.parse::<u64>() {
        Ok(0) => Err(PreflibErrorKind::BadCount { text: quote(text) }),
        Ok(count) => {
            u32::try_from(count).map_err(|_| PreflibErrorKind::CountTooLarge { text: quote(text) })
        }
        // Only digits, so the only failure is overflow.
        Err(_) => Err(PreflibErrorKind::CountTooLarge { text: quote(text) }),
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

#[cfg(test)]
mod tests;
