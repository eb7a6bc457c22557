//! Writing data to stdout or, with `--out`, to a file that appears only once complete.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// Runs `write` on stdout, or on a temporary file beside `path` that is synced and renamed to
/// `path` when `write` succeeds, so that a reader never sees half a file. Returns `None` when
/// stdout was closed early (`| head`), which is not an error worth a message.
///
/// # Errors
/// The error of `write`, or of creating, syncing or renaming the file.
pub fn write_output<T>(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> anyhow::Result<Option<T>> {
    match path {
        Some(path) => {
            let (file, written) = StagedFile::write(path, &tempfile::Builder::new(), write)?;
            file.make_readable()?;
            file.persist()?;
            Ok(Some(written))
        }
        None => {
            let stdout = std::io::stdout().lock();
            let mut output = BufWriter::with_capacity(1 << 16, stdout);
            match write(&mut output).and_then(|value| output.flush().map(|()| value)) {
                Ok(value) => Ok(Some(value)),
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(None),
                Err(error) => Err(error).context("cannot write to stdout"),
            }
        }
    }
}

/// A file written completely and synced under a temporary name beside its place, which
/// appears at its place only when [`StagedFile::persist`] renames it there. Dropped without
/// being persisted, it is deleted, so that a failure leaves nothing half-written behind.
///
/// Every command that writes files writes them this way: `--out` files, `simulate --out-dir`
/// and `import --out-dir` (all files staged before any is renamed), and the report's files.
pub struct StagedFile {
    /// The temporary file, in the same directory as `path` so that renaming it is atomic.
    file: tempfile::NamedTempFile,
    /// Where the file is to appear.
    path: PathBuf,
}

impl StagedFile {
    /// Creates a temporary file named by `temporary` in the directory of `path` (the current
    /// directory when `path` has none), runs `write` on it, then flushes and syncs it.
    ///
    /// # Errors
    /// "cannot write in DIRECTORY" when the temporary file cannot be created; "cannot write
    /// PATH" around the error of `write`, or of flushing or syncing.
    pub fn write<T>(
        path: &Path,
        temporary: &tempfile::Builder<'_, '_>,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
    ) -> anyhow::Result<(StagedFile, T)> {
        let directory = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .unwrap_or_else(|| Path::new("."));
        let file = temporary
            .tempfile_in(directory)
            .with_context(|| format!("cannot write in {}", directory.display()))?;
        let mut output = BufWriter::with_capacity(1 << 16, file.as_file());
        let written = write(&mut output)
            .and_then(|value| output.flush().map(|()| value))
            .with_context(|| format!("cannot write {}", path.display()))?;
        drop(output);
        file.as_file()
            .sync_all()
            .with_context(|| format!("cannot write {}", path.display()))?;
        let path = path.to_path_buf();
        Ok((StagedFile { file, path }, written))
    }

    /// Gives the finished file the usual permissions: temporary files are created readable by
    /// their owner only, but output is meant to be shared.
    ///
    /// # Errors
    /// The error of setting the permissions.
    pub fn make_readable(&self) -> std::io::Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            self.file
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        Ok(())
    }

    /// Renames the file to its place, replacing any file there.
    ///
    /// # Errors
    /// "cannot write PATH" around the error of renaming.
    pub fn persist(self) -> anyhow::Result<()> {
        let StagedFile { file, path } = self;
        file.persist(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}
