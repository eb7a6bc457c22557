//! How errors reach the user: one `error:` line per problem, then a `hint:` where one helps.

use std::fmt;

/// An error with advice on what to do about it.
#[derive(Debug)]
pub struct Hinted {
    error: anyhow::Error,
    hint: String,
}

impl fmt::Display for Hinted {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{:#}", self.error)
    }
}

impl std::error::Error for Hinted {}

/// Attaches a hint to an error.
pub fn with_hint(error: impl Into<anyhow::Error>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Hinted {
        error: error.into(),
        hint: hint.into(),
    })
}

/// Prints an error to stderr: each line of the message as its own `error:` line (a definition
/// with several problems, or a response file with several bad rows, gives one line for each),
/// then the hint if there is one.
pub fn report(error: &anyhow::Error) {
    let message = format!("{error:#}");
    for line in message.lines() {
        eprintln!("error: {line}");
    }
    if let Some(hinted) = error.downcast_ref::<Hinted>() {
        eprintln!("hint: {}", hinted.hint);
    }
}
