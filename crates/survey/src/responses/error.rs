//! What is wrong with a response file: every bad row found (up to a limit), or the one problem
//! that made further reading meaningless.

use std::fmt;

use crate::located::LocatedError;

/// One problem of a response file: the file name as given to the reader, the 1-based line and
/// the column ([`Place::Column`](crate::located::Place::Column)) where the problem is when
/// known, and what is wrong.
pub type ResponseProblem = LocatedError;

/// The most bad rows a [`ResponsesError`] lists; the rest are only counted.
pub const MAX_LISTED_PROBLEMS: usize = 50;

/// Why a response file was refused: the problems found, in file order, each with its file,
/// line, column and reason, and how many more were found but not listed.
///
/// A file whose rows are bad gets every bad row, up to [`MAX_LISTED_PROBLEMS`]; a problem
/// that makes further reading meaningless (an empty file, a header that does not tell the
/// kind, a file that is not comma-separated CSV at all, a read that fails) comes alone, or
/// last after the bad rows found before it. Displayed, each problem is on its own line,
/// followed by a line counting the unlisted ones, so a caller can print one line per problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponsesError {
    /// Never empty.
    problems: Vec<ResponseProblem>,
    unlisted: u64,
}

impl ResponsesError {
    /// The problems listed, in file order; never empty.
    pub fn problems(&self) -> &[ResponseProblem] {
        &self.problems
    }

    /// The first problem listed.
    pub fn first(&self) -> &ResponseProblem {
        &self.problems[0]
    }

    /// How many further problems were found but not listed (beyond [`MAX_LISTED_PROBLEMS`]).
    pub fn unlisted(&self) -> u64 {
        self.unlisted
    }

    /// One line per problem, then a line such as `answers.csv: ... and 10 more bad rows` when
    /// some were not listed. The [`Display`](fmt::Display) of the error is these lines joined
    /// with `\n`.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.problems.iter().map(ToString::to_string).collect();
        if self.unlisted > 0 {
            lines.push(self.unlisted_line());
        }
        lines
    }

    /// The line counting the unlisted problems.
    fn unlisted_line(&self) -> String {
        let rows = if self.unlisted == 1 {
            "bad row"
        } else {
            "bad rows"
        };
        format!(
            "{}: ... and {} more {rows}",
            self.first().source_name,
            self.unlisted
        )
    }
}

impl From<ResponseProblem> for ResponsesError {
    fn from(problem: ResponseProblem) -> ResponsesError {
        ResponsesError {
            problems: vec![problem],
            unlisted: 0,
        }
    }
}

impl fmt::Display for ResponsesError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                formatter.write_str("\n")?;
            }
            write!(formatter, "{problem}")?;
        }
        if self.unlisted > 0 {
            write!(formatter, "\n{}", self.unlisted_line())?;
        }
        Ok(())
    }
}

impl std::error::Error for ResponsesError {}

/// The problems found while reading, listed up to [`MAX_LISTED_PROBLEMS`] and counted beyond.
#[derive(Debug, Default)]
pub(super) struct Problems {
    listed: Vec<ResponseProblem>,
    unlisted: u64,
}

impl Problems {
    /// Records a bad row: listed while there is room, otherwise counted.
    pub(super) fn push(&mut self, problem: ResponseProblem) {
        if self.listed.len() < MAX_LISTED_PROBLEMS {
            self.listed.push(problem);
        } else {
            self.unlisted += 1;
        }
    }

    /// The error of the problems found, listed in file order; `None` when there are none.
    pub(super) fn into_error(mut self) -> Option<ResponsesError> {
        if self.listed.is_empty() {
            return None;
        }
        // Rows are checked in file order, respondents' whole answers afterwards: a stable sort
        // by line puts both in file order.
        self.listed.sort_by_key(|problem| problem.line.unwrap_or(0));
        Some(ResponsesError {
            problems: self.listed,
            unlisted: self.unlisted,
        })
    }

    /// The error of the problems found, ending with `fatal`, the problem that stopped the
    /// read; it is always listed, after the bad rows found before it.
    pub(super) fn ending_with(self, fatal: ResponseProblem) -> ResponsesError {
        let unlisted = self.unlisted;
        let mut problems = match self.into_error() {
            Some(error) => error.problems,
            None => Vec::new(),
        };
        problems.push(fatal);
        ResponsesError { problems, unlisted }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(line: u64) -> ResponseProblem {
        ResponseProblem {
            source_name: "answers.csv".to_string(),
            line: Some(line),
            context: None,
            message: format!("bad row {line}"),
        }
    }

    #[test]
    fn lists_up_to_the_limit_in_line_order_and_counts_the_rest() {
        assert_eq!(Problems::default().into_error(), None);
        let mut problems = Problems::default();
        // Rows first, then a respondent's whole answer at an earlier line, as the reader finds
        // them.
        for line in [5, 9, 3] {
            problems.push(problem(line));
        }
        let error = problems.into_error().unwrap();
        assert_eq!(
            error.to_string(),
            "answers.csv:3: bad row 3\nanswers.csv:5: bad row 5\nanswers.csv:9: bad row 9"
        );
        assert_eq!(error.unlisted(), 0);

        let mut problems = Problems::default();
        for line in 2..(2 + MAX_LISTED_PROBLEMS as u64 + 1) {
            problems.push(problem(line));
        }
        let error = problems.into_error().unwrap();
        assert_eq!(error.problems().len(), MAX_LISTED_PROBLEMS);
        assert_eq!(error.unlisted(), 1);
        let lines = error.lines();
        assert_eq!(lines.len(), MAX_LISTED_PROBLEMS + 1);
        assert_eq!(lines[0], "answers.csv:2: bad row 2");
        assert_eq!(
            lines[MAX_LISTED_PROBLEMS],
            "answers.csv: ... and 1 more bad row"
        );
        assert_eq!(error.to_string(), lines.join("\n"));
    }

    #[test]
    fn a_fatal_problem_comes_last_and_is_always_listed() {
        let mut problems = Problems::default();
        for line in 2..(2 + MAX_LISTED_PROBLEMS as u64 + 2) {
            problems.push(problem(line));
        }
        let error = problems.ending_with(ResponseProblem {
            source_name: "answers.csv".to_string(),
            line: None,
            context: None,
            message: "cannot read the file".to_string(),
        });
        assert_eq!(error.problems().len(), MAX_LISTED_PROBLEMS + 1);
        assert_eq!(
            error.problems().last().unwrap().to_string(),
            "answers.csv: cannot read the file"
        );
        assert_eq!(error.unlisted(), 2);
        assert!(
            error.to_string().ends_with(
                "answers.csv: cannot read the file\nanswers.csv: ... and 2 more bad rows"
            )
        );
    }
}
