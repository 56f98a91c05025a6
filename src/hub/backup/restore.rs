//! Putting a backup back in place of the hub's database, with the hub stopped.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::{
    BackupError, Checked, DatabaseLock, check_file, io_error, remove_if_present, sync_dir,
    with_suffix,
};

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// What the restored database holds.
    pub checked: Checked,
    /// Where the replaced database was moved (its `-wal` and `-shm` beside it), if there was one.
    pub kept_aside: Option<PathBuf>,
}

/// Replaces the database at `database` with a checked copy of `from`. Refuses while a hub serves
/// it; keeps the replaced files aside, named with `at`.
pub fn restore(database: &Path, from: &Path, at: DateTime<Utc>) -> Result<Restored, BackupError> {
    let _lock = DatabaseLock::acquire(database, "restore")?;
    if !from.is_file() {
        return Err(BackupError::Missing(from.to_owned()));
    }
    if same_file(database, from) {
        return Err(super::unusable(
            from,
            "it is the database itself; restore from a backup file",
        ));
    }
    let wal = with_suffix(from, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(super::unusable(
            from,
            format!(
                "{} lies beside it: it is a live database, not a backup; take one with \
                 `congelo-hub backup`",
                wal.display()
            ),
        ));
    }
    // Checked as a private copy next to the database, so the file put in place is the one checked
    // and the final step is one rename on the same filesystem.
    let incoming = with_suffix(database, ".restoring");
    remove_if_present(&incoming)?;
    let prepared = copy_and_check(from, &incoming);
    let checked = match prepared {
        Ok(checked) => checked,
        Err(error) => {
            let _ = std::fs::remove_file(&incoming);
            return Err(error);
        }
    };
    let kept_aside = set_aside(database, at)?;
    std::fs::rename(&incoming, database).map_err(io_error(database))?;
    sync_dir(database)?;
    Ok(Restored {
        checked,
        kept_aside,
    })
}

fn copy_and_check(from: &Path, incoming: &Path) -> Result<Checked, BackupError> {
    std::fs::copy(from, incoming).map_err(io_error(from))?;
    let checked = check_file(incoming)?;
    let file = std::fs::File::open(incoming).map_err(io_error(incoming))?;
    super::set_private(&file, incoming)?;
    super::match_folder_owner(incoming);
    file.sync_all().map_err(io_error(incoming))?;
    Ok(checked)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Moves the database and its `-wal` and `-shm` to `<database>.replaced-<time>` (with the same
/// suffixes, so SQLite opens the set aside copy with its log). The log is checkpointed into the
/// database first when SQLite can; if it cannot (a damaged file), the files move together as they
/// are.
fn set_aside(database: &Path, at: DateTime<Utc>) -> Result<Option<PathBuf>, BackupError> {
    let files = ["", "-wal", "-shm"].map(|suffix| with_suffix(database, suffix));
    if !files.iter().any(|f| f.exists()) {
        return Ok(None);
    }
    // A log without its database (someone deleted only `hub.db`) is moved aside as well: SQLite
    // would otherwise replay it into the restored file.
    if database.exists()
        && let Ok(conn) = rusqlite::Connection::open_with_flags(
            database,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    {
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    }
    let aside = with_suffix(
        database,
        &format!(".replaced-{}", at.format("%Y%m%dT%H%M%SZ")),
    );
    if aside.exists() {
        return Err(BackupError::AsideTaken(aside));
    }
    for suffix in ["-wal", "-shm"] {
        let file = with_suffix(database, suffix);
        if file.exists() {
            let target = with_suffix(&aside, suffix);
            std::fs::rename(&file, &target).map_err(io_error(&file))?;
        }
    }
    if database.exists() {
        std::fs::rename(database, &aside).map_err(io_error(database))?;
    }
    Ok(Some(aside))
}
