//! One module per subcommand.

pub mod rank;
pub mod serve;
pub mod simulate;
pub mod validate;
