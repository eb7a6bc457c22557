//! Loading exercise definitions from a directory (`--surveys DIR`) when the service starts.
//!
//! Each `DIR/*/exercise.toml` (and `DIR/*.toml`) is stored when its exercise is new, or when the
//! file differs from every version stored: an edited file becomes the new version, while a
//! definition changed through the service since is not overwritten by an unchanged file.

use std::path::{Path, PathBuf};

use store::{Store, StoreError};

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SurveyLoad {
    /// Stored as the exercise's first version.
    Added,
    /// Stored as a new version (the file changed).
    Updated {
        /// The new version.
        version: i64,
    },
    /// Already stored: nothing to do.
    Unchanged,
}

/// One file loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedSurvey {
    /// The file.
    pub path: PathBuf,
    /// The exercise id.
    pub exercise: String,
    /// What happened.
    pub outcome: SurveyLoad,
}

/// Why a directory could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The directory or a file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A definition is not valid, or the store failed.
    #[error("{path}: {source}")]
    Store {
        /// The file.
        path: PathBuf,
        /// The error, with the line and field for definitions.
        source: StoreError,
    },
}

fn definition_files(directory: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let read_error = |source| LoadError::Read {
        path: directory.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(directory).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        if path.is_dir() {
            let candidate = path.join("exercise.toml");
            if candidate.is_file() {
                files.push(candidate);
            }
        } else if path
            .extension()
            .is_some_and(|extension| extension == "toml")
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Loads every definition under `directory` into `store` (blocking).
///
/// # Errors
/// [`LoadError`] for an unreadable directory or file, or a definition that is not valid
/// (with its file, line and field); definitions before it are kept.
pub fn load_surveys(store: &Store, directory: &Path) -> Result<Vec<LoadedSurvey>, LoadError> {
    let mut loaded = Vec::new();
    for path in definition_files(directory)? {
        let source = std::fs::read_to_string(&path).map_err(|source| LoadError::Read {
            path: path.clone(),
            source,
        })?;
        let store_error = |source| LoadError::Store {
            path: path.clone(),
            source,
        };
        let exercise = survey::Exercise::parse(&source, &path.display().to_string())
            .map_err(|errors| store_error(StoreError::Definition(errors)))?;
        let id = exercise.id.to_string();
        let versions = store.exercise_versions(&id).map_err(store_error)?;
        let outcome = if versions.iter().any(|(_, text)| *text == source) {
            SurveyLoad::Unchanged
        } else {
            let put = store
                .put_exercise(&source, &path.display().to_string(), "prioritise serve")
                .map_err(store_error)?;
            if versions.is_empty() {
                SurveyLoad::Added
            } else {
                SurveyLoad::Updated {
                    version: put.version,
                }
            }
        };
        loaded.push(LoadedSurvey {
            path,
            exercise: id,
            outcome,
        });
    }
    Ok(loaded)
}
