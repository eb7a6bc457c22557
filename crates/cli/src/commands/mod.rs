//! One module per subcommand.

pub mod rank;
pub mod simulate;
pub mod validate;
