//! Opening SQLite the way Congélo needs it, and running embedded migrations.
//!
//! Both the kiosk and the hub keep their truth in SQLite. A committed sale must survive `kill -9`
//! and a power cut, so databases run in WAL mode with `synchronous=FULL` (every commit is fsynced).
//! Schemas evolve through numbered, append-only migrations compiled into the binary; the schema
//! version lives in `PRAGMA user_version`. A database written by a newer Congélo is refused before
//! anything is written to it. (`rusqlite_migration` does the same job but pins an older rusqlite.)
//! Times are stored as RFC 3339 text ([`time_text`], [`parse_time`]) by both programs alike.
//!
//! Why it costs what it costs. A commit with `synchronous=FULL` is one `fdatasync` of the WAL
//! (`.cargo/config.toml` builds the bundled SQLite with `HAVE_FDATASYNC`, so the sync skips the
//! inode's timestamps), and that sync costs by the bytes written: each schema sets the page size of
//! a new file ([`Schema::page_size`], set before WAL mode since SQLite cannot change it after). A
//! kiosk sale appends five B-tree leaves, so 1 KiB pages make it about 5 KiB of WAL instead of
//! 20 KiB; the hub writes batches of hundreds of rows, where 8 KiB pages halve the frames and page
//! splits. A database created earlier keeps its page size and works as before. Connections use the
//! query planner stability guarantee, so cached statements are never re-prepared when their
//! bindings change (a sale commit's point reads went from 85 µs to 16 µs).

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags};
use thiserror::Error;

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 64;

/// How long a writer waits for another connection's lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Which program a database belongs to, stored in `PRAGMA application_id` so a hub database is
/// never opened as a kiosk's (and vice versa).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schema {
    pub name: &'static str,
    pub application_id: i32,
    /// Migration scripts; index 0 brings the schema to version 1.
    pub migrations: &'static [&'static str],
    /// Page size of a database this program creates. SQLite fixes it when the first table is
    /// written; an existing database keeps the one it was created with.
    pub page_size: u32,
}

#[derive(Debug, Error)]
pub enum SqliteError {
    #[error(
        "{path} was written by a newer version of Congélo: the database's schema is version \
         {found}, this program (Congélo {}) knows versions up to {supported}. Install the newer \
         Congélo again; an older one never writes into a newer schema. The file was not changed",
        env!("CARGO_PKG_VERSION")
    )]
    TooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("{path} is not a Congélo {expected} database; the file was not changed")]
    WrongApplication {
        path: String,
        expected: &'static str,
    },
    #[error("migration {version} of the {schema} database failed: {source}")]
    Migration {
        schema: &'static str,
        version: usize,
        source: rusqlite::Error,
    },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
}

/// Opens (creating if needed) a database, checks it belongs to `schema` and is not newer, switches
/// it to durable WAL mode and applies pending migrations.
pub fn open(path: &Path, schema: &Schema) -> Result<Connection, SqliteError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Every hot query is a cached prepared statement; the default cache (16) is too small for a
    // store's full set, and re-preparing costs more than running the query.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    check_identity(&conn, path, schema)?;
    // Before WAL mode: in WAL mode a page size can no longer change, so this only ever applies to
    // a file that has no table yet (for any other it is a no-op).
    conn.pragma_update(None, "page_size", schema.page_size)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // SQLite otherwise re-prepares a cached statement whenever a new binding might change its
    // plan (a value propagated through a join, a bound LIMIT): measured on the kiosk, that made
    // the three point reads of a sale commit cost 85 µs instead of 16. Our statements are written
    // for one plan; a fixed plan is what they need.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(&conn, schema)?;
    Ok(conn)
}

/// Refuses a database of another program or of a newer version, reading only.
fn check_identity(conn: &Connection, path: &Path, schema: &Schema) -> Result<(), SqliteError> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let application_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    let display = path.display().to_string();
    let blank = application_id == 0 && version == 0 && tables == 0;
    if !blank && application_id != schema.application_id {
        return Err(SqliteError::WrongApplication {
            path: display,
            expected: schema.name,
        });
    }
    let supported = schema.migrations.len() as i64;
    if version > supported {
        return Err(SqliteError::TooNew {
            path: display,
            found: version,
            supported,
        });
    }
    Ok(())
}

/// Applies each pending migration in its own transaction, bumping `user_version` with it.
fn migrate(conn: &Connection, schema: &Schema) -> Result<(), SqliteError> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (index, script) in schema.migrations.iter().enumerate().skip(current as usize) {
        let version = index + 1;
        let failed = |source| SqliteError::Migration {
            schema: schema.name,
            version,
            source,
        };
        let apply = format!(
            "BEGIN IMMEDIATE;\n{script}\nPRAGMA application_id = {};\nPRAGMA user_version = {version};\nCOMMIT;",
            schema.application_id
        );
        if let Err(source) = conn.execute_batch(&apply) {
            // Leave the database as it was before this migration.
            let _ = conn.execute_batch("ROLLBACK");
            return Err(failed(source));
        }
    }
    Ok(())
}

/// Stored form of a time: RFC 3339 UTC with milliseconds, which sorts as text.
pub fn time_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A stored time that is not RFC 3339 text.
#[derive(Debug, Error)]
#[error("stored data could not be read back: time «{0}»")]
pub struct BadTime(pub String);

/// Reads back a time stored by [`time_text`].
pub fn parse_time(text: &str) -> Result<DateTime<Utc>, BadTime> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| BadTime(text.to_owned()))
}

/// Reads an optional photo name (a product's `photo` column), refusing anything but a SHA-256.
pub fn photo_hash(
    row: &rusqlite::Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<crate::domain::photo::PhotoHash>> {
    let text: Option<String> = row.get(index)?;
    text.map(|t| {
        t.parse().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                index,
                rusqlite::types::Type::Text,
                Box::new(e),
            )
        })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = "CREATE TABLE a (x INTEGER) STRICT;";
    const V2: &str = "CREATE TABLE b (y INTEGER) STRICT;";
    const SCHEMA: Schema = Schema {
        name: "test",
        application_id: 0x7465_7374,
        migrations: &[V1, V2],
        page_size: 1024,
    };
    const OLD: Schema = Schema {
        migrations: &[V1],
        ..SCHEMA
    };
    const OTHER: Schema = Schema {
        name: "other",
        application_id: 1,
        ..SCHEMA
    };

    fn version(path: &Path) -> i64 {
        Connection::open(path)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn migrates_forward_and_sets_durable_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        open(&path, &OLD).unwrap();
        assert_eq!(version(&path), 1);
        let conn = open(&path, &SCHEMA).unwrap();
        assert_eq!(version(&path), 2);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!((mode.as_str(), sync), ("wal", 2));
    }

    #[test]
    fn a_new_database_takes_the_schema_page_size_and_an_existing_one_keeps_its_own() {
        let page_size = |conn: &Connection| -> i64 {
            conn.pragma_query_value(None, "page_size", |r| r.get(0))
                .unwrap()
        };
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.db");
        assert_eq!(page_size(&open(&new, &SCHEMA).unwrap()), 1024);
        let bigger = Schema {
            page_size: 4096,
            ..SCHEMA
        };
        assert_eq!(page_size(&open(&new, &bigger).unwrap()), 1024);
        let old = dir.path().join("old.db");
        assert_eq!(page_size(&open(&old, &bigger).unwrap()), 4096);
        let conn = open(&old, &SCHEMA).unwrap();
        assert_eq!(page_size(&conn), 4096);
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }

    #[test]
    fn a_newer_database_is_refused_and_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        open(&path, &SCHEMA).unwrap();
        let before = std::fs::read(&path).unwrap();
        let error = open(&path, &OLD).unwrap_err();
        assert!(
            matches!(
                error,
                SqliteError::TooNew {
                    found: 2,
                    supported: 1,
                    ..
                }
            ),
            "{error}"
        );
        assert!(error.to_string().contains("newer version of Congélo"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn another_programs_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        open(&path, &SCHEMA).unwrap();
        assert!(matches!(
            open(&path, &OTHER),
            Err(SqliteError::WrongApplication { .. })
        ));
        let foreign = dir.path().join("f.db");
        Connection::open(&foreign)
            .unwrap()
            .execute_batch("CREATE TABLE z (q)")
            .unwrap();
        assert!(matches!(
            open(&foreign, &SCHEMA),
            Err(SqliteError::WrongApplication { .. })
        ));
    }

    #[test]
    fn a_failing_migration_changes_nothing() {
        const BROKEN: Schema = Schema {
            migrations: &[V1, "CREATE TABLE c (z); SELECT * FROM missing;"],
            ..SCHEMA
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        open(&path, &OLD).unwrap();
        assert!(matches!(
            open(&path, &BROKEN),
            Err(SqliteError::Migration { version: 2, .. })
        ));
        assert_eq!(version(&path), 1);
        let conn = Connection::open(&path).unwrap();
        let c_exists: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'c'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(c_exists, 0);
    }
}
