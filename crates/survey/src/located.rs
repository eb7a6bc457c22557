//! The one error shape of every file `survey` reads: the file, the line, where on the line, and
//! what is wrong, rendered as `FILE:LINE: PLACE: MESSAGE` (CONVENTIONS.md: messages name the
//! file, the line and the field).
//!
//! Definitions ([`DefinitionError`](crate::definition::DefinitionError)), response files
//! ([`ResponsesError`](crate::responses::ResponsesError)), PrefLib files
//! ([`PreflibError`](crate::preflib::PreflibError)) and curation files
//! ([`CurationError`](crate::curation::CurationError)) are all a [`LocatedError`]; only the
//! words naming the place differ, and those are the [`Place`]'s.

use std::fmt;

/// A problem in a file: where it is and what is wrong. `Message` is the text of the problem
/// (or, for PrefLib files, a typed kind that displays as the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedError<Message = String> {
    /// The file name, as given to the reader.
    pub source_name: String,
    /// The 1-based line where the problem is, if it is on a line.
    pub line: Option<u64>,
    /// Where on the line, or in what part of the file, the problem is, when known.
    pub context: Option<Place>,
    /// What is wrong.
    pub message: Message,
}

/// Where in a file a problem is, besides its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A part of a definition, shown as is, such as "round `rank`" or "`[delphi]`".
    Part(String),
    /// A column of a response file, shown as "column `NAME`".
    Column(String),
    /// A field of a curation file, shown as "field `NAME`".
    Field(String),
}

impl fmt::Display for Place {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Part(part) => formatter.write_str(part),
            Place::Column(column) => write!(formatter, "column `{column}`"),
            Place::Field(field) => write!(formatter, "field `{field}`"),
        }
    }
}

impl<Message: fmt::Display> fmt::Display for LocatedError<Message> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.source_name)?;
        if let Some(line) = self.line {
            write!(formatter, ":{line}")?;
        }
        formatter.write_str(": ")?;
        if let Some(context) = &self.context {
            write!(formatter, "{context}: ")?;
        }
        write!(formatter, "{}", self.message)
    }
}

impl<Message: fmt::Display + fmt::Debug> std::error::Error for LocatedError<Message> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(error: LocatedError, expected: &str) {
        assert_eq!(error.to_string(), expected);
    }

    #[test]
    fn renders_the_file_the_line_the_place_and_the_message() {
        let error = |line: Option<u64>, context: Option<Place>| LocatedError {
            source_name: "answers.csv".to_string(),
            line,
            context,
            message: "bad value".to_string(),
        };
        check(error(None, None), "answers.csv: bad value");
        check(error(Some(3), None), "answers.csv:3: bad value");
        check(
            error(Some(3), Some(Place::Column("group".to_string()))),
            "answers.csv:3: column `group`: bad value",
        );
        check(
            error(Some(4), Some(Place::Field("status".to_string()))),
            "answers.csv:4: field `status`: bad value",
        );
        check(
            error(None, Some(Place::Part("round `rank`".to_string()))),
            "answers.csv: round `rank`: bad value",
        );
    }
}
