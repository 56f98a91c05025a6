//! Every migration, forward from every earlier schema version, with data in the database.
//!
//! For each program and each version `v` the code knows (read from its `Schema`, so a new
//! migration is covered as soon as it is listed), the test builds a database the way history
//! would have: migration 1, then the rows of `schema_fixtures/<program>/0001.sql` if there is
//! one, migration 2, its fixture, … up to `v`. Then it opens the file with today's code and checks
//! that no table lost a row, that SQLite finds it sound, and that the store's own API reads the
//! data and writes more. A migration that reshapes data adds one fixture file with rows valid at
//! its version; the other versions need none.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use congelo::sqlite::{self, Schema};
use rusqlite::Connection;

/// The fixture for `version` of `program`, if one was written.
fn fixture(program: &str, version: usize) -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/integration/schema_fixtures")
        .join(program)
        .join(format!("{version:04}.sql"));
    std::fs::read_to_string(path).ok()
}

/// A database at `version` of `schema`, each version's fixture inserted right after its migration.
fn database_at(schema: &Schema, program: &str, version: usize, path: &Path) {
    for step in 1..=version {
        let at_step = Schema {
            migrations: &schema.migrations[..step],
            ..*schema
        };
        let conn = sqlite::open(path, &at_step).expect("migrate one step");
        if let Some(rows) = fixture(program, step) {
            conn.execute_batch(&format!("BEGIN; {rows} COMMIT;"))
                .unwrap_or_else(|e| {
                    panic!("{program} fixture {step:04}.sql at schema {step}: {e}")
                });
        }
    }
}

/// Rows per table.
fn row_counts(path: &Path) -> BTreeMap<String, i64> {
    let conn = Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let n = conn
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .unwrap();
            (t, n)
        })
        .collect()
}

/// Builds each version, upgrades it with `open`, and checks it with `check`.
fn every_version_upgrades(schema: &Schema, program: &str, open_and_check: impl Fn(&Path, usize)) {
    assert!(
        fixture(program, 1).is_some(),
        "{program} needs at least a fixture for schema 1"
    );
    let latest = schema.migrations.len();
    for version in 1..=latest {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("{program}.db"));
        database_at(schema, program, version, &path);
        let before = row_counts(&path);
        open_and_check(&path, version);
        let conn = Connection::open(&path).unwrap();
        let now: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(now, latest as i64, "{program} from schema {version}");
        let problems: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(problems, 0, "{program} from schema {version}: foreign keys");
        drop(conn);
        let after = row_counts(&path);
        for (table, rows) in before {
            if let Some(&kept) = after.get(&table) {
                assert!(
                    kept >= rows,
                    "{program} from schema {version}: {table} had {rows} rows, has {kept}"
                );
            }
        }
    }
}

#[test]
fn every_kiosk_schema_upgrades_with_its_data() {
    use congelo::domain::{KioskId, ProductId, Seq};
    use congelo::store::{KIOSK_SCHEMA, KioskStore};

    every_version_upgrades(&KIOSK_SCHEMA, "kiosk", |path, from| {
        let mut store = KioskStore::open(path).unwrap();
        let at = |what: &str| format!("kiosk from schema {from}: {what}");
        store
            .integrity_check()
            .unwrap_or_else(|e| panic!("{}: {e}", at("integrity")));
        assert_eq!(store.kiosk_id().unwrap(), KioskId(1), "{}", at("id"));
        assert_eq!(store.config_version().unwrap(), Some(1), "{}", at("config"));
        let last = store.last_seq().unwrap();
        let events = store
            .events_after(Seq(0), 1000)
            .unwrap_or_else(|e| panic!("{}: {e}", at("events read back")));
        assert_eq!(events.len() as u64, last.0, "{}", at("events"));
        assert_eq!(store.acked_through().unwrap(), Seq(1), "{}", at("acked"));
        assert_eq!(store.sale_count().unwrap(), 1, "{}", at("sales"));
        let carrots = store.product(ProductId(1)).unwrap();
        assert!(carrots.is_some(), "{}", at("product 1"));
        let sale = crate::common::random_sale(&store, &mut fastrand::Rng::with_seed(from as u64));
        let recorded = store
            .record_sale(&sale)
            .unwrap_or_else(|e| panic!("{}: {e}", at("a new sale")));
        assert_eq!(recorded.seq, Seq(last.0 + 1), "{}", at("the log continues"));
        store
            .integrity_check()
            .unwrap_or_else(|e| panic!("{}: {e}", at("integrity after a sale")));
    });
}

#[cfg(all(feature = "hub", feature = "sync-client"))]
#[test]
fn every_hub_schema_upgrades_with_its_data() {
    use congelo::domain::KioskId;
    use congelo::hub::SqliteHubStore;
    use congelo::hub::store::{HUB_SCHEMA, KioskApiStore};

    every_version_upgrades(&HUB_SCHEMA, "hub", |path, from| {
        let store = SqliteHubStore::open(path).unwrap();
        let at = |what: &str| format!("hub from schema {from}: {what}");
        store
            .integrity_check()
            .unwrap_or_else(|e| panic!("{}: {e}", at("integrity")));
        assert_eq!(
            store.event_count(KioskId(1)).unwrap(),
            2,
            "{}",
            at("events")
        );
        let totals = crate::common::hub::hub_totals(&store, KioskId(1));
        assert_eq!(totals.len(), 1, "{}: {totals:?}", at("sale totals"));
    });
}
