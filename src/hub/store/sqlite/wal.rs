//! Keeping the WAL's fsync and its checkpoints out of the writer's lock.
//!
//! Pushes from every kiosk queue on the one writer connection. With `synchronous=FULL` a batch
//! held that lock through its commit's fsync and, every few batches, through a checkpoint (about
//! 4 MB copied into the database file and synced): on the ingest benchmark, 16 of the 35 ms a
//! batch of 500 held the lock. So:
//! - a push commits with `synchronous=NORMAL` (the commit only writes the WAL), releases the lock,
//!   then syncs the WAL itself before the hub answers. Nothing is acknowledged to a kiosk before
//!   it is on disk, as before, while the next batch is already being written (one sync may cover
//!   both: a group commit). Every other write keeps `synchronous=FULL`.
//! - checkpoints run on a thread of their own with its own connection, woken by the writer's WAL
//!   hook once the WAL holds [`CHECKPOINT_PAGES`]; the writer checkpoints by itself only past
//!   [`BACKSTOP_PAGES`] (the WAL has not restarted during a long burst of pushes) or if the
//!   thread is gone.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;

use rusqlite::Connection;
use rusqlite::hooks::Wal;
use rusqlite::wal::CheckpointMode;

use super::super::HubStoreError;
use crate::sqlite::{self, Schema};

/// WAL pages after which the checkpoint thread is woken (SQLite's own automatic threshold).
const CHECKPOINT_PAGES: i32 = 1_000;

/// WAL pages after which the writer checkpoints itself, in its commit (about 64 MB).
const BACKSTOP_PAGES: i32 = 16_000;

/// The WAL file of a database, synced by path so the sync is of the file SQLite writes now.
pub(super) struct WalFile {
    path: PathBuf,
}

impl WalFile {
    pub(super) fn of(database: &Path) -> WalFile {
        let mut path = database.as_os_str().to_owned();
        path.push("-wal");
        WalFile { path: path.into() }
    }

    /// Makes every frame written to the WAL so far durable.
    pub(super) fn sync(&self) -> Result<(), HubStoreError> {
        File::open(&self.path)
            .and_then(|file| file.sync_data())
            .map_err(|e| HubStoreError::WalSync(e.to_string()))
    }
}

/// Runs `write` (one transaction on `conn`) with a commit that does not sync; the caller syncs
/// the WAL with [`WalFile::sync`] after releasing the writer, before telling anyone it is stored.
pub(super) fn without_commit_sync<T>(
    conn: &mut Connection,
    write: impl FnOnce(&mut Connection) -> Result<T, HubStoreError>,
) -> Result<T, HubStoreError> {
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    let written = write(conn);
    // Restored whatever happened: every other write through this connection syncs at commit.
    let restored = conn.pragma_update(None, "synchronous", "FULL");
    let written = written?;
    restored?;
    Ok(written)
}

/// The checkpoint thread; [`Checkpointer::stop`] ends it and closes its connection.
pub(super) struct Checkpointer {
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Takes the hook off `writer` (which drops the thread's wake-up channel) and waits for the
    /// thread to close its connection, so that once the store is dropped no connection is left
    /// and the last one to close checkpoints the WAL and removes it, as SQLite does.
    pub(super) fn stop(&mut self, writer: &mut Connection) {
        let _ = writer.wal_hook(None::<fn(&mut Wal, i32) -> rusqlite::Result<()>>);
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::warn!("the WAL checkpoint thread panicked");
        }
    }
}

/// Starts the checkpoint thread for the database at `path` and hands the writer's checkpoints to
/// it. The thread ends when the writer's hook is removed or the writer is closed.
pub(super) fn checkpoint_in_background(
    path: &Path,
    schema: &Schema,
    writer: &mut Connection,
) -> Result<Checkpointer, HubStoreError> {
    let checkpointer = sqlite::open(path, schema)?;
    let (wake, woken) = sync_channel::<()>(1);
    let thread = std::thread::Builder::new()
        .name("hub-checkpoint".into())
        .spawn(move || checkpoint_when_woken(&checkpointer, &woken))
        .map_err(|e| HubStoreError::WalSync(format!("no checkpoint thread: {e}")))?;
    writer.wal_hook(Some(move |wal: &mut Wal, pages| {
        after_commit(&wake, pages, || {
            wal.checkpoint_v2(CheckpointMode::FULL).map(|_| ())
        });
        // Never an error: the transaction is committed whatever a checkpoint does, and SQLite
        // would report an error here as the commit's.
        Ok(())
    }))?;
    Ok(Checkpointer {
        thread: Some(thread),
    })
}

/// The writer's WAL hook: wakes the thread past the threshold. Past the backstop — the WAL only
/// restarts from its beginning once a checkpoint has copied all of it, which a checkpoint running
/// beside a steady stream of pushes never does — the writer checkpoints all of it itself,
/// waiting for the thread's checkpoint to end first.
fn after_commit(
    wake: &SyncSender<()>,
    pages: i32,
    checkpoint_here: impl FnOnce() -> rusqlite::Result<()>,
) {
    let here = if pages >= BACKSTOP_PAGES {
        true
    } else if pages >= CHECKPOINT_PAGES {
        // Full: the thread is already due to run, and its checkpoint will cover these pages.
        matches!(wake.try_send(()), Err(TrySendError::Disconnected(())))
    } else {
        false
    };
    if here && let Err(error) = checkpoint_here() {
        tracing::warn!(%error, pages, "WAL checkpoint failed; the next commit will retry");
    }
}

fn checkpoint_when_woken(conn: &Connection, woken: &Receiver<()>) {
    while woken.recv().is_ok() {
        // PASSIVE: copies what no reader still needs, never waits for the writer. Frames it
        // cannot copy now are copied by the next one.
        if let Err(error) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(%error, "WAL checkpoint failed; the next one will retry");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::time::{Duration, Instant};

    const SCHEMA: Schema = Schema {
        name: "test",
        application_id: 0x7465_7374,
        migrations: &["CREATE TABLE t (x BLOB NOT NULL) STRICT;"],
        page_size: 1024,
    };

    fn synchronous(conn: &Connection) -> i64 {
        conn.pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn only_the_wrapped_write_commits_without_a_sync() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut conn = sqlite::open(&path, &SCHEMA).unwrap();
        without_commit_sync(&mut conn, |conn| {
            assert_eq!(synchronous(conn), 1);
            conn.execute("INSERT INTO t VALUES (x'00')", [])?;
            Ok(())
        })
        .unwrap();
        assert_eq!(synchronous(&conn), 2);
        let failed: Result<(), _> =
            without_commit_sync(&mut conn, |_| Err(HubStoreError::Invalid("refused".into())));
        assert!(matches!(failed, Err(HubStoreError::Invalid(_))));
        assert_eq!(synchronous(&conn), 2);
        WalFile::of(&path).sync().unwrap();
        assert!(matches!(
            WalFile::of(&dir.path().join("missing.db")).sync(),
            Err(HubStoreError::WalSync(_))
        ));
    }

    #[test]
    fn the_thread_checkpoints_once_the_wal_is_long_enough() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut writer = sqlite::open(&path, &SCHEMA).unwrap();
        let mut thread = checkpoint_in_background(&path, &SCHEMA, &mut writer).unwrap();
        let checkpointed = || -> i64 {
            writer
                .query_row("PRAGMA wal_checkpoint(NOOP)", [], |r| r.get(2))
                .unwrap()
        };
        writer
            .execute("INSERT INTO t VALUES (zeroblob(1000))", [])
            .unwrap();
        assert_eq!(checkpointed(), 0, "a short WAL is left alone");
        // One transaction of about 1 200 pages of 1 KiB.
        writer
            .execute_batch(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
                 INSERT INTO t SELECT zeroblob(1000) FROM n;",
            )
            .unwrap();
        // A failure bound for two cores shared with a build, not a speed target: the thread
        // answers in milliseconds on an idle machine.
        let deadline = Instant::now() + Duration::from_secs(120);
        while checkpointed() < i64::from(CHECKPOINT_PAGES) {
            assert!(Instant::now() < deadline, "no checkpoint ran");
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(synchronous(&writer), 2);
        // Stopped, the thread has closed its connection: the writer, now the last one, leaves
        // no WAL behind when it closes, and every row is in the database file.
        thread.stop(&mut writer);
        drop(writer);
        assert!(!dir.path().join("t.db-wal").exists());
        let rows: i64 = Connection::open(&path)
            .unwrap()
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1201);
    }

    #[test]
    fn the_hook_wakes_the_thread_past_the_threshold_and_checkpoints_itself_past_the_backstop() {
        let (wake, woken) = sync_channel(1);
        let ran_here = Cell::new(0);
        let here = || {
            ran_here.set(ran_here.get() + 1);
            Ok(())
        };
        after_commit(&wake, CHECKPOINT_PAGES - 1, here);
        assert!(woken.try_recv().is_err());
        after_commit(&wake, CHECKPOINT_PAGES, here);
        // Already woken: a second wake-up is not queued and nothing blocks.
        after_commit(&wake, CHECKPOINT_PAGES + 5, here);
        assert!(woken.try_recv().is_ok());
        assert!(woken.try_recv().is_err());
        assert_eq!(ran_here.get(), 0);
        after_commit(&wake, BACKSTOP_PAGES, here);
        assert_eq!(ran_here.get(), 1);
        // A failed checkpoint is logged, not passed on.
        after_commit(&wake, BACKSTOP_PAGES, || {
            Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                None,
            ))
        });
        drop(woken);
        after_commit(&wake, CHECKPOINT_PAGES, here);
        assert_eq!(ran_here.get(), 2);
    }

    #[test]
    fn a_dropped_store_leaves_no_connection_and_no_wal_behind() {
        use crate::hub::store::{Actor, Audit, SiteStore};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.db");
        let store = super::super::SqliteHubStore::open(&path).unwrap();
        let audit = Audit::new(&Actor::cli(), chrono::Utc::now(), "territory.create");
        store.save_territory(None, "Acton", &audit).unwrap();
        drop(store);
        assert!(!dir.path().join("hub.db-wal").exists());
        let territories: i64 = Connection::open(&path)
            .unwrap()
            .query_row("SELECT count(*) FROM territories", [], |r| r.get(0))
            .unwrap();
        assert_eq!(territories, 1);
    }
}
