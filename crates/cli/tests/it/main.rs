//! The `prioritise` binary, driven as a user would drive it.

mod curate;
mod import;
mod rank;
mod report;
mod serve;
mod simulate_and_validate;

use std::path::PathBuf;

/// The built binary, run from the workspace root.
pub fn prioritise() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(env!("CARGO_BIN_EXE_prioritise"));
    command.current_dir(workspace_root());
    command
}

/// Runs the binary with `arguments`, checks that it succeeded and returns its stdout as JSON.
pub fn json_of(arguments: &[&std::ffi::OsStr]) -> serde_json::Value {
    let output = prioritise()
        .args(arguments)
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the output is JSON")
}

/// Simulates a round of the example exercise (250 respondents, seed 1) into `directory`.
pub fn simulated(directory: &tempfile::TempDir, round: &str) -> PathBuf {
    let path = directory.path().join(format!("{round}.csv"));
    prioritise()
        .args([
            "simulate",
            "--exercise",
            "surveys/childrens-social-care/exercise.toml",
            "--round",
            round,
            "--out",
        ])
        .arg(&path)
        .assert()
        .success();
    path
}

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
