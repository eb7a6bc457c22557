//! Writing data to stdout or, with `--out`, to a file that appears only once complete.

use std::io::{BufWriter, Write};
use std::path::Path;

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
            let directory = path
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty())
                .unwrap_or_else(|| Path::new("."));
            let file = tempfile::NamedTempFile::new_in(directory)
                .with_context(|| format!("cannot write in {}", directory.display()))?;
            let mut output = BufWriter::with_capacity(1 << 16, file.as_file());
            let written = write(&mut output)
                .and_then(|value| output.flush().map(|()| value))
                .with_context(|| format!("cannot write {}", path.display()))?;
            drop(output);
            file.as_file().sync_all()?;
            make_readable(&file)?;
            file.persist(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
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

/// Gives the finished file the usual permissions: temporary files are created readable by
/// their owner only, but output is meant to be shared.
fn make_readable(file: &tempfile::NamedTempFile) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}
