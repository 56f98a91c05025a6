//! Backups that restore. A real `congelo-hub` process serves two kiosks on temp files; a backup is
//! taken while it serves; more sales and a new household follow; the hub is stopped, its database
//! deleted and restored from the backup; the kiosks re-send what the restored hub lacks and every
//! sale is on the hub exactly once, while the household created after the backup is gone (the
//! documented loss). Also: a restore refuses while the hub serves, and a foreign or corrupt
//! database is never backed up.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use congelo::domain::event::EventBody;
use congelo::domain::{HouseholdId, KioskId, Money, Seq};
use congelo::hub::SqliteHubStore;
use congelo::hub::store::{HouseholdFields, HouseholdStore, KioskApiStore, NewHousehold};
use congelo::store::KioskStore;
use congelo::sync::{SyncHandle, SyncOptions};

use crate::common::hub::{
    add_kiosk, cli, enrolled_kiosk, fast_tempdir, hub_totals, kiosk_totals, record_sales, seed,
    wait_synced,
};
use crate::common::hub_process::{HubProcess, write_config};
use crate::common::proxy::FaultyProxy;
use crate::common::wait::wait_until;

const CEILING: Duration = Duration::from_secs(120);

fn hub_command(config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_congelo-hub"))
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .expect("run congelo-hub")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The ids of the sales in a kiosk's log, sorted.
fn kiosk_sale_ids(store: &KioskStore) -> Vec<String> {
    let mut ids: Vec<String> = store
        .events_after(Seq(0), usize::MAX >> 1)
        .expect("events")
        .into_iter()
        .filter_map(|e| match e.body {
            EventBody::Sale(sale) => Some(sale.id.to_string()),
            _ => None,
        })
        .collect();
    ids.sort();
    ids
}

/// The ids of one kiosk's sales the hub holds, sorted (each at most once: it is the key).
fn hub_sale_ids(database: &Path, kiosk: KioskId) -> Vec<String> {
    let conn = rusqlite::Connection::open(database).expect("open hub db");
    let mut statement = conn
        .prepare("SELECT id FROM sales WHERE kiosk_id = ?1 ORDER BY id")
        .expect("prepare");
    statement
        .query_map([kiosk.0], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

fn options() -> SyncOptions {
    SyncOptions {
        interval: Duration::from_secs(3600),
        batch: 25,
        ..SyncOptions::default()
    }
}

struct Kiosk {
    id: KioskId,
    store: KioskStore,
    sync: SyncHandle,
}

#[test]
fn a_hub_restored_from_a_backup_gets_every_sale_back_exactly_once_from_its_kiosks() {
    let dir = fast_tempdir();
    let database = dir.path().join("hub.db");
    let (cards, codes) = {
        let store = SqliteHubStore::open(&database).unwrap();
        let seeded = seed(&store);
        let codes: Vec<_> = ["Kiosque Nord", "Kiosque Sud"]
            .into_iter()
            .map(|name| add_kiosk(&store, seeded.site, name))
            .collect();
        (seeded.cards, codes)
    };
    let config = write_config(dir.path(), &database, "");
    let hub = HubProcess::spawn(&config);
    // Kiosks keep one address while the hub restarts on a new port behind it.
    let proxy = FaultyProxy::start(hub.addr, 1);
    let mut kiosks: Vec<Kiosk> = codes
        .iter()
        .enumerate()
        .map(|(n, (expected, code))| {
            let path = dir.path().join(format!("kiosk-{n}.db"));
            let id = enrolled_kiosk(&path, &proxy.url, code);
            assert_eq!(id, *expected);
            let mut store = KioskStore::open(&path).unwrap();
            record_sales(&mut store, 40, n as u64, &cards);
            let sync = SyncHandle::start(path, options()).unwrap();
            Kiosk { id, store, sync }
        })
        .collect();
    for kiosk in &kiosks {
        wait_synced(&kiosk.sync, &kiosk.store, CEILING);
    }

    // The backup, while the hub serves.
    let backup = dir.path().join("backups").join("hub-backup.db");
    std::fs::create_dir_all(backup.parent().unwrap()).unwrap();
    let taken = hub_command(&config, &["backup", "--to", backup.to_str().unwrap()]);
    assert!(taken.status.success(), "{}", text(&taken.stderr));
    let said = text(&taken.stdout);
    assert!(said.starts_with("backup written: "), "{said}");
    assert!(said.contains("checked"), "{said}");
    let again = hub_command(&config, &["backup", "--to", backup.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("already exists"));

    // After the backup: a new household (only the hub and the kiosks' copies know it), more sales.
    let late_card =
        congelo::entropy::new_payload(congelo::domain::codes::PayloadKind::Card).unwrap();
    let late: HouseholdId = {
        let store = SqliteHubStore::open(&database).unwrap();
        let tier = store
            .household(cards[0].0)
            .unwrap()
            .expect("seeded household")
            .summary
            .fields
            .tier;
        store
            .create_household(
                &NewHousehold {
                    fields: HouseholdFields::active(tier),
                    balance: Some(Money::from_cents(2_000)),
                    pay_later_limit: None,
                    cards: vec![late_card.hash()],
                },
                &cli("household.create"),
            )
            .unwrap()
    };
    for (n, kiosk) in kiosks.iter_mut().enumerate() {
        record_sales(&mut kiosk.store, 30, 100 + n as u64, &cards);
        kiosk.sync.sync_now();
        wait_synced(&kiosk.sync, &kiosk.store, CEILING);
        let knows_late = wait_until(CEILING, || {
            kiosk.sync.sync_now();
            kiosk.store.card(&late_card.hash()).unwrap().is_some()
        });
        assert!(knows_late, "the kiosk pulled the new household");
    }

    // A restore refuses while the hub serves, and changes nothing.
    let refused = hub_command(&config, &["restore", "--from", backup.to_str().unwrap()]);
    assert!(!refused.status.success());
    let why = text(&refused.stderr);
    assert!(why.contains("in use by congelo-hub serve"), "{why}");
    assert!(why.contains("stop it first"), "{why}");

    // The hub's disk dies: the database is gone; restore, start again on the same path.
    hub.stop();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", database.display()));
    }
    let restored = hub_command(&config, &["restore", "--from", backup.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    let said = text(&restored.stdout);
    assert!(said.contains("there was no database to replace"), "{said}");
    let hub = HubProcess::spawn(&config);
    proxy.set_upstream(hub.addr);

    // The kiosks re-send what the restored hub lacks, and keep selling.
    for (n, kiosk) in kiosks.iter_mut().enumerate() {
        record_sales(&mut kiosk.store, 5, 200 + n as u64, &cards);
        let last = kiosk.store.last_seq().unwrap();
        let hub_store = SqliteHubStore::open(&database).unwrap();
        let caught_up = wait_until(CEILING, || {
            kiosk.sync.sync_now();
            hub_store.event_count(kiosk.id).unwrap() == last.0
        });
        assert!(
            caught_up,
            "the hub holds {} of {} events: {:?}",
            hub_store.event_count(kiosk.id).unwrap(),
            last.0,
            kiosk.sync.status().borrow()
        );
        wait_synced(&kiosk.sync, &kiosk.store, CEILING);
        assert_eq!(
            hub_sale_ids(&database, kiosk.id),
            kiosk_sale_ids(&kiosk.store),
            "every sale of kiosk {} exactly once",
            kiosk.id
        );
        assert_eq!(
            hub_totals(&hub_store, kiosk.id),
            kiosk_totals(&kiosk.store, kiosk.id)
        );
        // What only the hub held after the backup is lost, and the kiosks follow the hub.
        assert!(hub_store.household(late).unwrap().is_none());
        let forgot_late = wait_until(CEILING, || {
            kiosk.sync.sync_now();
            kiosk.store.card(&late_card.hash()).unwrap().is_none()
        });
        assert!(forgot_late, "kiosk {n} took the restored configuration");
    }
    for kiosk in kiosks {
        kiosk.sync.shutdown();
    }
    hub.stop();
    SqliteHubStore::open(&database)
        .unwrap()
        .integrity_check()
        .unwrap();
}

#[test]
fn foreign_and_corrupt_databases_are_never_backed_up() {
    let dir = fast_tempdir();
    let to = dir.path().join("copy.db");
    let foreign = dir.path().join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE notes (x); INSERT INTO notes VALUES ('hello');")
        .unwrap();
    let corrupt = dir.path().join("corrupt.db");
    drop(SqliteHubStore::open(&corrupt).unwrap());
    let mut bytes = std::fs::read(&corrupt).unwrap();
    bytes[3 * 8192..5 * 8192].fill(0xa5);
    std::fs::write(&corrupt, bytes).unwrap();
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![0x5a; 32 * 1024]).unwrap();
    let missing = dir.path().join("missing.db");

    for (database, expected) in [
        (&foreign, "application id"),
        (&corrupt, "not a usable Congélo hub database"),
        (&garbage, "not a usable Congélo hub database"),
        (&missing, "there is no hub database"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_congelo-hub"))
            .args(["backup", "--to"])
            .arg(&to)
            .env("CONGELO_HUB_DATABASE", database)
            .output()
            .expect("run congelo-hub");
        let said = text(&output.stderr);
        assert!(!output.status.success(), "{}", database.display());
        assert!(said.contains(expected), "{}: {said}", database.display());
        assert!(!to.exists() && !dir.path().join("copy.db.partial").exists());
    }
    assert!(!missing.exists(), "a backup never creates a database");
}

#[test]
fn a_kiosk_above_the_hubs_configuration_version_gets_the_whole_configuration_past_it() {
    let dir = fast_tempdir();
    let store = SqliteHubStore::open(&dir.path().join("hub.db")).unwrap();
    let seeded = seed(&store);
    let (kiosk, _) = add_kiosk(&store, seeded.site, "Kiosque");
    let (current, _) = store.config_since(kiosk, 0).unwrap();
    // What a kiosk holds after the hub went back to an older backup.
    let (moved, config) = store.config_since(kiosk, current + 10).unwrap();
    assert_eq!(moved, current + 11);
    assert_eq!(config.expect("the whole configuration").version, moved);
    assert_eq!(store.config_since(kiosk, moved).unwrap(), (moved, None));
    // A second kiosk further ahead moves it again; one behind simply catches up.
    assert_eq!(store.config_since(kiosk, moved + 5).unwrap().0, moved + 6);
    assert!(store.config_since(kiosk, current).unwrap().1.is_some());
    // Nonsense from a broken kiosk moves nothing.
    assert_eq!(
        store.config_since(kiosk, u64::MAX).unwrap(),
        (moved + 6, None)
    );
}
