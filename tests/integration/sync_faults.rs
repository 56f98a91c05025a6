//! Exactly once through a hostile network: 10 000 events from two kiosks pushed through a proxy
//! that drops requests, drops responses after the hub committed, delays, and cuts bodies. The hub
//! must hold every event exactly once, and each kiosk's acknowledged marker must be right.

use std::sync::atomic::Ordering;
use std::time::Duration;

use congelo::domain::sync_plan::BackoffPolicy;
use congelo::hub::store::{KioskApiStore, SiteStore};
use congelo::store::KioskStore;
use congelo::sync::client::ClientOptions;
use congelo::sync::{SyncHandle, SyncOptions};

use crate::common::hub::{
    TestHub, enrolled_kiosk, fast_tempdir, hub_totals, kiosk_totals, record_sales, wait_synced,
};
use crate::common::proxy::FaultyProxy;

/// Per kiosk: 20 opening-stock events and 4 980 sales, 5 000 events; 10 000 for the two.
const SALES_PER_KIOSK: usize = 4_980;

fn options() -> SyncOptions {
    SyncOptions {
        interval: Duration::from_secs(3600),
        batch: 250,
        backoff: BackoffPolicy {
            base: Duration::from_millis(10),
            cap: Duration::from_millis(200),
        },
        client: ClientOptions {
            timeout: Duration::from_secs(20),
            reuse_connections: false,
        },
    }
}

#[test]
fn ten_thousand_events_through_a_faulty_network_arrive_exactly_once() {
    let hub = TestHub::start();
    let proxy = FaultyProxy::start(hub.addr, 4242);
    let dir = fast_tempdir();
    let cards = hub.seeded.cards.clone();
    let mut kiosks = Vec::new();
    for n in 0..2u64 {
        let path = dir.path().join(format!("kiosk-{n}.db"));
        let (_, code) = hub.add_kiosk(&format!("Kiosque {n}"));
        let kiosk = enrolled_kiosk(&path, &proxy.url, &code);
        let mut store = KioskStore::open(&path).unwrap();
        record_sales(&mut store, SALES_PER_KIOSK, n, &cards);
        assert_eq!(store.last_seq().unwrap().0, 5_000);
        kiosks.push((kiosk, path, store));
    }
    proxy.set_faults(true);
    let handles: Vec<SyncHandle> = kiosks
        .iter()
        .map(|(_, path, _)| SyncHandle::start(path.clone(), options()).unwrap())
        .collect();
    for ((_, _, store), handle) in kiosks.iter().zip(&handles) {
        wait_synced(handle, store, Duration::from_secs(240));
    }
    drop(handles);
    let counts = &proxy.counts;
    for (what, n) in [
        ("dropped requests", &counts.drop_request),
        ("dropped responses", &counts.drop_response),
        ("delays", &counts.delay),
        ("cut bodies", &counts.cut_body),
    ] {
        assert!(n.load(Ordering::SeqCst) > 0, "no {what} were injected");
    }
    for (kiosk, _, store) in &kiosks {
        let last = store.last_seq().unwrap();
        assert_eq!(
            store.acked_through().unwrap(),
            last,
            "kiosk {kiosk}'s marker"
        );
        assert_eq!(
            hub.store.event_count(*kiosk).unwrap(),
            last.0,
            "kiosk {kiosk}: each event once"
        );
        assert_eq!(
            hub_totals(hub.store.as_ref(), *kiosk),
            kiosk_totals(store, *kiosk)
        );
        let status = hub.store.kiosks().unwrap();
        let on_hub = status.iter().find(|k| k.kiosk.id == kiosk.0).unwrap();
        assert_eq!(on_hub.acked_through, last);
    }
    let conn = rusqlite::Connection::open(hub.store.path()).unwrap();
    let sales: i64 = conn
        .query_row("SELECT count(*) FROM sales", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sales as usize, 2 * SALES_PER_KIOSK, "no sale counted twice");
    hub.store.integrity_check().unwrap();
}
