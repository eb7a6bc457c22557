//! End-to-end tests of `prioritise` live in this package's test targets (`cli/`); this library
//! only gives them the paths they share.
#![deny(missing_docs)]

use std::path::PathBuf;

/// The root of the workspace, where `surveys/` and `reports/` are.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests package sits in the workspace root")
        .to_path_buf()
}

/// The example exercise definition.
pub fn example_exercise() -> PathBuf {
    workspace_root().join("surveys/childrens-social-care/exercise.toml")
}
