//! The `prioritise` binary, driven as a user would drive it.

mod simulate_and_validate;
