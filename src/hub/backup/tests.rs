use super::*;
use crate::hub::SqliteHubStore;
use rstest::rstest;

fn hub_database(dir: &Path) -> PathBuf {
    let path = dir.join("hub.db");
    drop(SqliteHubStore::open(&path).unwrap());
    path
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

#[test]
fn a_backup_of_a_live_database_is_checked_private_and_never_replaced_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let database = hub_database(dir.path());
    // Kept open, as the serving hub keeps it: the copy reads one snapshot beside it.
    let _live = SqliteHubStore::open(&database).unwrap();
    let to = dir.path().join("copy.db");
    let report = backup(&database, &to, false).unwrap();
    assert_eq!(report.schema_version, supported_version());
    assert_eq!(report.bytes, std::fs::metadata(&to).unwrap().len());
    assert_eq!(check_file(&to).unwrap().schema_version, supported_version());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&to).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(!with_suffix(&to, "-wal").exists());

    let error = backup(&database, &to, false).unwrap_err();
    assert!(matches!(error, BackupError::Exists(_)), "{error}");
    assert!(error.to_string().contains("--force"));
    backup(&database, &to, true).unwrap();
    assert!(!with_suffix(&to, ".partial").exists());
}

#[test]
fn no_database_is_created_by_backing_up_a_missing_one() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("nothing.db");
    let error = backup(&database, &dir.path().join("copy.db"), false).unwrap_err();
    assert!(matches!(error, BackupError::Missing(_)), "{error}");
    assert!(!database.exists());
}

#[test]
fn foreign_garbage_and_corrupt_files_are_refused_and_leave_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("copy.db");

    let foreign = dir.path().join("foreign.db");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let error = backup(&foreign, &to, false).unwrap_err();
    assert!(error.to_string().contains("application id"), "{error}");

    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![0x5a; 64 * 1024]).unwrap();
    let error = backup(&garbage, &to, false).unwrap_err();
    assert!(matches!(error, BackupError::Unusable { .. }), "{error}");

    let corrupt = hub_database(dir.path());
    let page = 8192;
    let mut bytes = std::fs::read(&corrupt).unwrap();
    assert!(bytes.len() > 6 * page, "a hub database spans many pages");
    bytes[3 * page..5 * page].fill(0xa5);
    std::fs::write(&corrupt, bytes).unwrap();
    let error = backup(&corrupt, &to, false).unwrap_err();
    assert!(matches!(error, BackupError::Unusable { .. }), "{error}");
    assert!(check_file(&corrupt).is_err());

    assert!(!to.exists());
    assert!(!with_suffix(&to, ".partial").exists());
}

#[rstest]
#[case(&["hub-20250101T020000Z.db", "hub-20250102T020000Z.db", "hub-20250103T020000Z.db"], 2,
    &["hub-20250101T020000Z.db"])]
#[case(&["hub-20250102T020000Z.db", "hub-20250101T020000Z.db"], 7, &[])]
// Files this program did not name are never removed; keep 0 still keeps the newest.
#[case(&["notes.txt", "hub-x.db", "hub-20250101T020000Z.db.partial", "hub-20250101T020000Z.db",
    "hub-20250102T020000Z.db"], 0, &["hub-20250101T020000Z.db"])]
fn rotation_removes_only_the_oldest_of_its_own_files(
    #[case] names: &[&str],
    #[case] keep: usize,
    #[case] expected: &[&str],
) {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    assert_eq!(to_remove(&names, keep), expected);
}

#[test]
fn a_backup_folder_keeps_the_newest_copies() {
    let dir = tempfile::tempdir().unwrap();
    let database = hub_database(dir.path());
    let folder = dir.path().join("backups");
    for day in 1..=4 {
        let report = backup_into_dir(
            &database,
            &folder,
            2,
            at(&format!("2025-03-0{day}T02:00:00Z")),
        )
        .unwrap();
        assert_eq!(
            report.path,
            folder.join(format!("hub-2025030{day}T020000Z.db"))
        );
    }
    let mut left: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["hub-20250303T020000Z.db", "hub-20250304T020000Z.db"]);
}

#[test]
fn a_restore_sets_the_replaced_database_aside_with_its_log() {
    let dir = tempfile::tempdir().unwrap();
    let database = hub_database(dir.path());
    let copy = dir.path().join("copy.db");
    backup(&database, &copy, false).unwrap();
    {
        // A database left with a log beside it, as after a crash.
        let conn = Connection::open(&database).unwrap();
        conn.execute_batch("PRAGMA wal_autocheckpoint = 0; UPDATE config_state SET version = 99;")
            .unwrap();
        std::mem::forget(conn);
    }
    let restored = restore(&database, &copy, at("2025-03-04T05:06:07Z")).unwrap();
    assert_eq!(restored.checked.schema_version, supported_version());
    let aside = dir.path().join("hub.db.replaced-20250304T050607Z");
    assert_eq!(restored.kept_aside.as_deref(), Some(aside.as_path()));
    assert!(!with_suffix(&database, "-wal").exists());
    let version = |path: &Path| -> i64 {
        Connection::open(path)
            .unwrap()
            .query_row("SELECT version FROM config_state", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(
        version(&aside),
        99,
        "the set-aside copy keeps its last writes"
    );
    assert_ne!(version(&database), 99);
    SqliteHubStore::open(&database)
        .unwrap()
        .integrity_check()
        .unwrap();
}

#[test]
fn a_restore_refuses_while_the_database_is_held_and_bad_or_newer_files() {
    let dir = tempfile::tempdir().unwrap();
    let database = hub_database(dir.path());
    let copy = dir.path().join("copy.db");
    backup(&database, &copy, false).unwrap();
    let now = at("2025-03-04T05:06:07Z");

    let held = DatabaseLock::acquire(&database, "serve").unwrap();
    let error = restore(&database, &copy, now).unwrap_err();
    assert!(matches!(error, BackupError::Held { .. }), "{error}");
    assert!(
        error.to_string().contains("congelo-hub serve, pid"),
        "{error}"
    );
    drop(held);

    let error = restore(&database, &database, now).unwrap_err();
    assert!(error.to_string().contains("the database itself"), "{error}");

    let newer = dir.path().join("newer.db");
    std::fs::copy(&copy, &newer).unwrap();
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", supported_version() + 1)
        .unwrap();
    let error = restore(&database, &newer, now).unwrap_err();
    assert!(
        error.to_string().contains("newer than this program"),
        "{error}"
    );

    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, b"not a database at all, just some text").unwrap();
    assert!(restore(&database, &garbage, now).is_err());

    // Nothing was replaced or left behind by the refusals.
    assert!(!with_suffix(&database, ".restoring").exists());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(!names.iter().any(|n| n.contains("replaced")), "{names:?}");
}

#[rstest]
#[case(512, "512 B")]
#[case(812 * 1024, "812 KiB")]
#[case(3_565_158, "3.4 MiB")]
#[case(5 * 1024 * 1024 * 1024, "5.00 GiB")]
fn sizes_read_like_people_write_them(#[case] bytes: u64, #[case] text: &str) {
    assert_eq!(human_size(bytes), text);
}
