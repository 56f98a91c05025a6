//! `congelo-hub backup` and `congelo-hub restore`: copies of the hub's database that can be trusted
//! and put back.
//!
//! A backup is taken while the hub serves with SQLite's `VACUUM INTO`: it reads one snapshot (a
//! read transaction, which WAL lets run beside the hub's writes) and writes it as a new, compact,
//! self-contained file — no `-wal` beside it to forget. The copy is written under a temporary name,
//! checked ([`check_file`]: `integrity_check`, the hub's application id, the schema version the
//! live database has), made private (`0600`: it holds password and token hashes), synced, and only
//! then renamed to its name, so a file with the final name is always a good backup. With `--dir`
//! the file is named by the time it was taken and only the newest `--keep` are kept.
//!
//! A restore ([`restore`]) refuses while a hub serves the database (see [`lock`]), checks the
//! file the same way (a schema older than this program is fine: the hub migrates it when it
//! starts), keeps the replaced database aside under a timestamped name together with its `-wal`
//! and `-shm`, and puts the copy in place by renaming. Kiosks then re-send the events the restored
//! hub lacks (see `crate::domain::sync_plan`).

pub mod lock;
mod restore;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use thiserror::Error;

pub use lock::DatabaseLock;
pub use restore::{Restored, restore};

use super::store::HUB_SCHEMA;

#[derive(Debug, Error)]
pub enum BackupError {
    #[error("{0} already exists; choose another name or pass --force to replace it")]
    Exists(PathBuf),
    #[error("{0} already exists (a restore in the same second?); try again")]
    AsideTaken(PathBuf),
    #[error("there is no hub database at {0}")]
    Missing(PathBuf),
    #[error("{path} is not a usable Congélo hub database: {reason}")]
    Unusable { path: PathBuf, reason: String },
    #[error(
        "{database} is in use by {holder}; stop it first (systemctl stop congelo-hub) and try again"
    )]
    Held { database: PathBuf, holder: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

/// What a check of a database file found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// Its schema version (`PRAGMA user_version`).
    pub schema_version: i64,
    /// Its size in bytes.
    pub bytes: u64,
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub schema_version: i64,
    pub elapsed: Duration,
    /// Older backups removed to keep the newest `--keep`.
    pub removed: Vec<PathBuf>,
}

/// The schema version this program writes.
pub fn supported_version() -> i64 {
    HUB_SCHEMA.migrations.len() as i64
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

fn sql_error(path: &Path) -> impl FnOnce(rusqlite::Error) -> BackupError + '_ {
    move |source| BackupError::Sql {
        path: path.to_owned(),
        source,
    }
}

fn unusable(path: &Path, reason: impl Into<String>) -> BackupError {
    BackupError::Unusable {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

/// Opens an existing database without creating, migrating or changing it.
fn open_existing(path: &Path) -> Result<Connection, BackupError> {
    if !path.is_file() {
        return Err(BackupError::Missing(path.to_owned()));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(sql_error(path))?;
    conn.busy_timeout(crate::sqlite::BUSY_TIMEOUT)
        .map_err(sql_error(path))?;
    Ok(conn)
}

/// The application id and schema version, refusing another program's file or a newer schema.
fn identity(conn: &Connection, path: &Path) -> Result<i64, BackupError> {
    let read = |pragma: &str| -> Result<i64, BackupError> {
        conn.pragma_query_value(None, pragma, |r| r.get(0))
            .map_err(|e| unusable(path, e.to_string()))
    };
    let application_id = read("application_id")?;
    let version = read("user_version")?;
    if application_id != i64::from(HUB_SCHEMA.application_id) {
        return Err(unusable(
            path,
            format!("its application id is {application_id:#x}, not the hub's"),
        ));
    }
    if version > supported_version() {
        return Err(unusable(
            path,
            format!(
                "its schema version {version} is newer than this program's ({}); upgrade Congélo",
                supported_version()
            ),
        ));
    }
    Ok(version)
}

/// Checks a database file whole: SQLite's `integrity_check`, the hub's application id, a schema
/// this program can run.
pub fn check_file(path: &Path) -> Result<Checked, BackupError> {
    let conn = open_existing(path)?;
    let schema_version = identity(&conn, path)?;
    let mut statement = conn
        .prepare("PRAGMA integrity_check")
        .map_err(|e| unusable(path, e.to_string()))?;
    let answers = statement
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(|e| unusable(path, e.to_string()))?;
    if answers != ["ok"] {
        let mut reason = answers.into_iter().take(3).collect::<Vec<_>>().join("; ");
        reason.insert_str(0, "integrity check failed: ");
        return Err(unusable(path, reason));
    }
    drop(statement);
    drop(conn);
    let bytes = std::fs::metadata(path).map_err(io_error(path))?.len();
    Ok(Checked {
        schema_version,
        bytes,
    })
}

/// A sibling path: `path` with `suffix` appended to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Syncs a directory so the renames in it survive a power cut.
fn sync_dir(path: &Path) -> Result<(), BackupError> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_error(dir))
}

/// Copies the live database at `database` to `to`, checked; refuses to replace an existing file
/// unless `overwrite`.
pub fn backup(database: &Path, to: &Path, overwrite: bool) -> Result<BackupReport, BackupError> {
    let started = Instant::now();
    if to.exists() && !overwrite {
        return Err(BackupError::Exists(to.to_owned()));
    }
    let source = open_existing(database)?;
    let version = identity(&source, database)?;
    let partial = with_suffix(to, ".partial");
    remove_if_present(&partial)?;
    let written = write_copy(&source, database, &partial, version);
    if let Err(error) = written {
        // A half-written copy is worth nothing: never leave it to be mistaken for a backup.
        let _ = std::fs::remove_file(&partial);
        return Err(error);
    }
    drop(source);
    std::fs::rename(&partial, to).map_err(io_error(to))?;
    sync_dir(to)?;
    let bytes = std::fs::metadata(to).map_err(io_error(to))?.len();
    Ok(BackupReport {
        path: to.to_owned(),
        bytes,
        schema_version: version,
        elapsed: started.elapsed(),
        removed: Vec::new(),
    })
}

fn write_copy(
    source: &Connection,
    database: &Path,
    partial: &Path,
    version: i64,
) -> Result<(), BackupError> {
    let target = partial
        .to_str()
        .ok_or_else(|| unusable(partial, "the backup path is not valid UTF-8"))?;
    source
        .execute("VACUUM INTO ?1", [target])
        .map_err(|e| unusable(database, e.to_string()))?;
    let checked = check_file(partial)?;
    if checked.schema_version != version {
        return Err(unusable(
            partial,
            format!(
                "the copy has schema {} but the database {version}",
                checked.schema_version
            ),
        ));
    }
    let file = std::fs::File::open(partial).map_err(io_error(partial))?;
    set_private(&file, partial)?;
    file.sync_all().map_err(io_error(partial))
}

/// Backups hold password and token hashes: only their owner reads them.
fn set_private(file: &std::fs::File, path: &Path) -> Result<(), BackupError> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
        .map_err(io_error(path))
}

/// Gives a file the owner of its folder. `restore` run as root (forgetting `sudo -u congelo`)
/// would otherwise leave root's files where the hub's user must write, and the hub would not
/// start. Best effort: only root may give files away, and anyone else already owns what they write.
fn match_folder_owner(path: &Path) {
    use std::os::unix::fs::MetadataExt;
    let folder = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if let (Ok(folder), Ok(file)) = (std::fs::metadata(folder), std::fs::metadata(path))
        && (folder.uid(), folder.gid()) != (file.uid(), file.gid())
    {
        let _ = std::os::unix::fs::chown(path, Some(folder.uid()), Some(folder.gid()));
    }
}

fn remove_if_present(path: &Path) -> Result<(), BackupError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(path)(e)),
    }
}

/// Prefix and suffix of the files `--dir` writes: `hub-20250314T020000Z.db`.
const ROTATED_PREFIX: &str = "hub-";
const ROTATED_SUFFIX: &str = ".db";
const ROTATED_TIME: &str = "%Y%m%dT%H%M%SZ";

/// The name of a backup taken at `at` in a `--dir` folder.
pub fn rotated_name(at: DateTime<Utc>) -> String {
    format!(
        "{ROTATED_PREFIX}{}{ROTATED_SUFFIX}",
        at.format(ROTATED_TIME)
    )
}

/// Whether `name` is one this program gives backups in a `--dir` folder.
fn is_rotated_name(name: &str) -> bool {
    name.strip_prefix(ROTATED_PREFIX)
        .and_then(|rest| rest.strip_suffix(ROTATED_SUFFIX))
        .is_some_and(|stamp| chrono::NaiveDateTime::parse_from_str(stamp, ROTATED_TIME).is_ok())
}

/// Of `names`, those to remove so the newest `keep` stay (the timestamps sort as text).
pub fn to_remove(names: &[String], keep: usize) -> Vec<String> {
    let mut ours: Vec<&String> = names.iter().filter(|n| is_rotated_name(n)).collect();
    ours.sort();
    let surplus = ours.len().saturating_sub(keep.max(1));
    ours.into_iter().take(surplus).cloned().collect()
}

/// A backup into `dir` named by the time `at`, then removal of all but the newest `keep` backups
/// there (only files named as this program names them; anything else in the folder is left).
pub fn backup_into_dir(
    database: &Path,
    dir: &Path,
    keep: usize,
    at: DateTime<Utc>,
) -> Result<BackupReport, BackupError> {
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let mut report = backup(database, &dir.join(rotated_name(at)), false)?;
    let names = std::fs::read_dir(dir)
        .map_err(io_error(dir))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect::<Vec<_>>();
    for name in to_remove(&names, keep) {
        let path = dir.join(&name);
        remove_if_present(&path)?;
        report.removed.push(path);
    }
    Ok(report)
}

/// A size for people: "812 KiB", "3.4 MiB".
pub fn human_size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KIB {
        format!("{bytes} B")
    } else if b < KIB * KIB {
        format!("{:.0} KiB", b / KIB)
    } else if b < KIB * KIB * KIB {
        format!("{:.1} MiB", b / (KIB * KIB))
    } else {
        format!("{:.2} GiB", b / (KIB * KIB * KIB))
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
