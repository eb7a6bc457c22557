//! The `prioritise` binary, driven as a user would drive it.

mod rank;
mod simulate_and_validate;

use std::path::PathBuf;

/// The root of the workspace, where `surveys/` is.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// The example exercise definition.
pub fn example_exercise() -> PathBuf {
    workspace_root().join("surveys/childrens-social-care/exercise.toml")
}
