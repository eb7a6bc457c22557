//! The `prioritise` binary, driven as a user would drive it.

mod bad_rows;
mod curate;
mod import;
mod import_encodings;
mod import_limesurvey;
mod rank;
mod rank_pairwise;
mod real_forms;
mod real_qualtrics;
mod real_surveymonkey;
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

/// What a refused command must print on stderr, in a [`check_refused`] table.
pub enum Stderr {
    /// Exactly this text.
    Is(String),
    /// Text that starts with this.
    StartsWith(&'static str),
    /// Text that holds each of these.
    Has(&'static [&'static str]),
}

/// One refused command of a [`check_refused`] table: a name for failures, the arguments, and
/// the exit code and stderr it must give.
pub type Refusal = (&'static str, Vec<std::ffi::OsString>, i32, Stderr);

/// Runs the binary with each case's arguments and checks that it exits with the case's code,
/// prints nothing on stdout and the case's message on stderr, naming the case in any failure.
pub fn check_refused(cases: impl IntoIterator<Item = Refusal>) {
    for (name, arguments, code, expected) in cases {
        let output = prioritise()
            .args(&arguments)
            .output()
            .expect("the binary runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{name}: {stderr}");
        assert_eq!(stdout, "", "{name}: nothing on stdout");
        let shown = match &expected {
            Stderr::Is(text) => stderr == text.as_str(),
            Stderr::StartsWith(text) => stderr.starts_with(text),
            Stderr::Has(texts) => texts.iter().all(|text| stderr.contains(text)),
        };
        assert!(shown, "{name}: stderr is\n{stderr}");
    }
}

/// Arguments for [`check_refused`], from anything that is a path or text.
pub fn arguments<const N: usize>(
    items: [&dyn AsRef<std::ffi::OsStr>; N],
) -> Vec<std::ffi::OsString> {
    items
        .iter()
        .map(|item| item.as_ref().to_os_string())
        .collect()
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
