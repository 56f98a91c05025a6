//! Which program holds a hub database: the serving hub and a restore each hold an exclusive
//! advisory lock on a file beside the database, so a restore never replaces a database under a
//! running hub and a hub never starts on a database being restored.
//!
//! Why a lock file and not SQLite's own locks: in WAL mode an idle hub holds no SQLite lock at
//! all (readers and the writer take them only per transaction), so "try an exclusive transaction"
//! would succeed between two pushes and the restore would pull the file from under the hub. An
//! `flock` on `<database>-serve.lock` is held for the hub's whole life, and the kernel releases it
//! when the process ends however it ends (`kill -9`, a crash, a power cut), so it can never go
//! stale. The file also names the holder (pid and role) for the refusal message.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::BackupError;

/// An exclusive hold on a database, released when dropped (or when the process ends).
#[derive(Debug)]
pub struct DatabaseLock {
    _file: File,
    path: PathBuf,
}

/// The lock file beside `database`.
pub fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-serve.lock");
    PathBuf::from(name)
}

impl DatabaseLock {
    /// Takes the lock for `role` ("serve", "restore"), or says who holds it.
    pub fn acquire(database: &Path, role: &str) -> Result<DatabaseLock, BackupError> {
        let path = lock_path(database);
        let io = |source| BackupError::Io {
            path: path.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        super::match_folder_owner(&path);
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                // The holder wrote its name after locking; a read error only loses the detail.
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(BackupError::Held {
                    database: database.to_owned(),
                    holder: if holder.is_empty() {
                        "another congelo-hub".to_owned()
                    } else {
                        holder.to_owned()
                    },
                });
            }
            Err(TryLockError::Error(source)) => return Err(io(source)),
        }
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        write!(file, "congelo-hub {role}, pid {}", std::process::id()).map_err(io)?;
        Ok(DatabaseLock { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_with_the_first_ones_name_until_it_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("hub.db");
        let first = DatabaseLock::acquire(&database, "serve").unwrap();
        assert_eq!(first.path(), dir.path().join("hub.db-serve.lock"));
        let error = DatabaseLock::acquire(&database, "restore").unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains(&format!("congelo-hub serve, pid {}", std::process::id())),
            "{message}"
        );
        drop(first);
        DatabaseLock::acquire(&database, "restore").unwrap();
    }
}
