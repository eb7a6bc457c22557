//! One module per subcommand.

pub mod curate;
pub mod import;
pub mod rank;
pub mod report;
pub mod serve;
pub mod simulate;
pub mod validate;
