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
//! - Each order line becomes **one** [`Respondent`](crate::responses::Respondent) whose
//!   `count` is the line's multiplicity, so a file of a million voters stays as compact as the
//!   file. Respondent ids are `o1`, `o2`, … numbering the order lines from the top.
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

mod error;
mod reader;

use std::fmt;
use std::io::BufRead;
use std::path::Path;

use crate::responses::Responses;
use reader::Reader;

pub use error::{PreflibError, PreflibErrorKind};

/// The id of the one group that PrefLib data is read into.
pub const GROUP: &str = "all";

/// The largest `# NUMBER ALTERNATIVES` this reader accepts. PrefLib's largest ordinal files
/// have a few thousand alternatives; the limit keeps a corrupt header from making the reader
/// allocate without bound.
pub const MAX_ALTERNATIVES: u32 = 1_000_000;

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

#[cfg(test)]
mod tests;
