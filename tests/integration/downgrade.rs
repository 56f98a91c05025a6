//! A rolled-back package meets a database a newer Congélo wrote: each program refuses to start,
//! says which schema version the database has and which this program knows, exits with a failure
//! status, and leaves the file as it was. Run through the real binaries, as systemd would.

use std::path::Path;
use std::process::{Command, Output};

use congelo::hub::SqliteHubStore;
use congelo::hub::store::HUB_SCHEMA;
use congelo::store::KIOSK_SCHEMA;

/// Makes the database at `path` claim one schema version more than this build knows; returns it.
fn from_the_future(path: &Path, known: usize) -> i64 {
    let newer = known as i64 + 1;
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "user_version", newer).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    newer
}

/// The database file and anything SQLite keeps beside it, to compare before and after. The serving
/// hub's lock file (`-serve.lock`, empty, taken before the database is opened) is not part of it.
fn files(path: &Path) -> Vec<(String, Vec<u8>)> {
    let dir = path.parent().unwrap();
    let mut all: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with("-serve.lock"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    all.sort();
    all
}

fn assert_refused(output: &Output, path: &Path, found: i64, known: usize) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    for says in [
        format!("schema is version {found}"),
        format!("knows versions up to {known}"),
        path.display().to_string(),
        "The file was not changed".to_owned(),
    ] {
        assert!(last.contains(&says), "«{last}» does not say «{says}»");
    }
}

#[test]
fn an_older_kiosk_refuses_a_newer_database_naming_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    drop(crate::common::demo_kiosk(&db));
    let known = KIOSK_SCHEMA.migrations.len();
    let found = from_the_future(&db, known);
    let before = files(&db);
    for args in [
        vec!["run", "--db"],
        vec![
            "enrol",
            "--hub",
            "http://127.0.0.1:9",
            "--code",
            "CGE1X",
            "--db",
        ],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_congelo-kiosk"))
            .args(&args)
            .arg(&db)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        assert_refused(&output, &db, found, known);
        assert_eq!(files(&db), before, "{args:?} changed the database");
    }
}

#[test]
fn an_older_hub_refuses_a_newer_database_naming_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    drop(SqliteHubStore::open(&db).unwrap());
    let known = HUB_SCHEMA.migrations.len();
    let found = from_the_future(&db, known);
    let before = files(&db);
    for args in [["serve"].as_slice(), &["init"], &["kiosk", "list"]] {
        let output = Command::new(env!("CARGO_BIN_EXE_congelo-hub"))
            .args(args)
            .env("CONGELO_HUB_DATABASE", &db)
            .env("CONGELO_HUB_LISTEN", "127.0.0.1:0")
            .env("CONGELO_HUB_ADMIN_PASSWORD", "correct horse battery")
            .output()
            .unwrap();
        assert_refused(&output, &db, found, known);
        assert_eq!(files(&db), before, "{args:?} changed the database");
    }
}
