//! The hub killed with SIGKILL in the middle of pushes, again and again, and restarted on the same
//! database: nothing lost, nothing doubled. The hub is the real `congelo-hub` binary in a child
//! process; the kiosk's worker reaches it through a pass-through proxy that follows its restarts.

use std::process::Command;
use std::time::Duration;

use congelo::domain::sync_plan::BackoffPolicy;
use congelo::hub::SqliteHubStore;
use congelo::hub::store::KioskApiStore;
use congelo::store::KioskStore;
use congelo::sync::client::ClientOptions;
use congelo::sync::{SyncHandle, SyncOptions};

use crate::common::hub::{
    add_kiosk, enrolled_kiosk, fast_tempdir, hub_totals, kiosk_totals, record_sales, seed,
    wait_synced,
};
use crate::common::hub_process::{HubProcess, write_config};
use crate::common::proxy::FaultyProxy;

const KILLS: usize = 6;

#[test]
fn killing_the_hub_during_pushes_loses_and_doubles_nothing() {
    let dir = fast_tempdir();
    let database = dir.path().join("hub.db");
    let (kiosk_id, code, cards) = {
        let store = SqliteHubStore::open(&database).unwrap();
        let seeded = seed(&store);
        let (kiosk, code) = add_kiosk(&store, seeded.site, "Kiosque");
        (kiosk, code, seeded.cards)
    };
    let config = write_config(dir.path(), &database, "request_timeout_secs = 10\n");
    let mut hub = HubProcess::spawn(&config);
    let proxy = FaultyProxy::start(hub.addr, 1);
    let path = dir.path().join("kiosk.db");
    assert_eq!(enrolled_kiosk(&path, &proxy.url, &code), kiosk_id);
    let mut store = KioskStore::open(&path).unwrap();
    record_sales(&mut store, 3_000, 3, &cards);
    let options = SyncOptions {
        interval: Duration::from_secs(3600),
        batch: 100,
        backoff: BackoffPolicy {
            base: Duration::from_millis(10),
            cap: Duration::from_millis(200),
        },
        client: ClientOptions {
            timeout: Duration::from_secs(10),
            reuse_connections: false,
        },
    };
    let handle = SyncHandle::start(path.clone(), options).unwrap();
    let mut rng = fastrand::Rng::with_seed(99);
    for round in 0..KILLS {
        // Sales keep coming while the hub dies and comes back.
        record_sales(&mut store, 50, 1_000 + round as u64, &cards);
        handle.sync_now();
        std::thread::sleep(Duration::from_millis(rng.u64(20..250)));
        hub.child.kill().expect("SIGKILL");
        hub.child.wait().expect("reap");
        hub = HubProcess::spawn(&config);
        proxy.set_upstream(hub.addr);
    }
    wait_synced(&handle, &store, Duration::from_secs(120));
    handle.shutdown();
    // A graceful stop this time: SIGTERM, and the hub exits cleanly.
    let status = Command::new("kill")
        .args(["-TERM", &hub.child.id().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(status.success());
    assert!(
        hub.child.wait().expect("wait").success(),
        "the hub stops cleanly on SIGTERM"
    );

    let hub_store = SqliteHubStore::open(&database).unwrap();
    hub_store.integrity_check().unwrap();
    let last = store.last_seq().unwrap();
    assert_eq!(store.acked_through().unwrap(), last);
    assert_eq!(hub_store.event_count(kiosk_id).unwrap(), last.0);
    assert_eq!(
        hub_totals(&hub_store, kiosk_id),
        kiosk_totals(&store, kiosk_id)
    );
}
