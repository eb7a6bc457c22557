//! What can be wrong with a PrefLib file: [`PreflibError`] and its [`PreflibErrorKind`].

use super::{DataType, MAX_ALTERNATIVES};
use crate::located::LocatedError;

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
