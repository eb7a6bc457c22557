//! One module per subcommand.

pub mod rank;
pub mod report;
pub mod serve;
pub mod simulate;
pub mod validate;
