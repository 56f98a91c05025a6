//! End to end in one process: a hub on 127.0.0.1:0 and two kiosks on temp files, sales at both
//! (with and without cards, a void, sales made before enrolment), sync through the real worker,
//! and the hub's totals per kiosk, tier and product equal to the kiosks' own.

use std::time::Duration;

use chrono::Utc;
use congelo::domain::sale::SaleVoid;
use congelo::domain::{Money, Seq};
use congelo::hub::store::{CatalogueStore, KioskApiStore, SiteStore};
use congelo::store::KioskStore;
use congelo::sync::{SyncHandle, SyncOptions, SyncState};

use crate::common::hub::{
    TestHub, cli, enrolled_kiosk, fast_tempdir, hub_totals, kiosk_totals, record_sales, wait_synced,
};
use crate::common::wait::{STEP_CEILING, wait_until};

/// The ceiling for one kiosk's sales to reach the hub (a few hundred events, under a second when
/// the machine is idle).
const SYNC_CEILING: Duration = Duration::from_secs(120);

fn options() -> SyncOptions {
    SyncOptions {
        interval: Duration::from_secs(3600),
        batch: 50,
        ..SyncOptions::default()
    }
}

#[test]
fn two_kiosks_sell_sync_and_the_hub_totals_match_theirs() {
    let hub = TestHub::start();
    let dir = fast_tempdir();
    let cards = hub.seeded.cards.clone();
    let mut kiosks = Vec::new();
    for (n, name) in ["Kiosque Nord", "Kiosque Sud"].into_iter().enumerate() {
        let path = dir.path().join(format!("kiosk-{n}.db"));
        let (expected, code) = hub.add_kiosk(name);
        let kiosk = enrolled_kiosk(&path, &hub.url, &code);
        assert_eq!(kiosk, expected);
        let mut store = KioskStore::open(&path).unwrap();
        assert_eq!(store.kiosk_id().unwrap(), kiosk);
        assert_eq!(
            store.products(true).unwrap().len(),
            20,
            "the hub's catalogue was pulled"
        );
        record_sales(&mut store, 120, n as u64, &cards);
        kiosks.push((kiosk, path, store));
    }
    // A void at the first kiosk.
    let (_, _, store) = &mut kiosks[0];
    let sale = store.events_after(Seq(25), 1).unwrap()[0].clone();
    let congelo::domain::event::EventBody::Sale(sale) = sale.body else {
        panic!("seq 26 is a sale")
    };
    store
        .record_void(&SaleVoid {
            sale: sale.id,
            at: Utc::now(),
            reason: "test".into(),
        })
        .unwrap();

    let handles: Vec<SyncHandle> = kiosks
        .iter()
        .map(|(_, path, _)| SyncHandle::start(path.clone(), options()).unwrap())
        .collect();
    for ((kiosk, _, store), handle) in kiosks.iter_mut().zip(&handles) {
        wait_synced(handle, store, SYNC_CEILING);
        // More sales while the worker runs, each followed by "sync now" as the kiosk does.
        record_sales(store, 10, kiosk.0 as u64 + 100, &cards);
        handle.sync_now();
        wait_synced(handle, store, SYNC_CEILING);
    }
    for ((kiosk, _, store), handle) in kiosks.iter().zip(&handles) {
        let hub_side = hub_totals(hub.store.as_ref(), *kiosk);
        assert!(!hub_side.is_empty());
        assert_eq!(hub_side, kiosk_totals(store, *kiosk), "kiosk {kiosk}");
        assert_eq!(
            hub.store.event_count(*kiosk).unwrap(),
            store.last_seq().unwrap().0
        );
        let status = handle.status().borrow().clone();
        assert_eq!(status.last_error, None);
        assert!(matches!(status.state, SyncState::Idle | SyncState::Syncing));
    }
    let status = hub.store.kiosks().unwrap();
    assert!(
        status
            .iter()
            .all(|k| k.enrolled && k.last_contact.is_some())
    );
    drop(handles);
}

#[test]
fn sales_made_before_enrolment_reach_the_hub_under_the_new_kiosk_id() {
    let hub = TestHub::start();
    let dir = fast_tempdir();
    let path = dir.path().join("kiosk.db");
    let mut store = crate::common::demo_kiosk(&path);
    record_sales(&mut store, 15, 7, &[]);
    let demo_id = store.kiosk_id().unwrap();
    let before = kiosk_totals(&store, demo_id);
    // Say the demo kiosk had already synced somewhere: enrolment starts over anyway.
    store.acknowledge(Seq(10)).unwrap();
    hub.add_kiosk("Un autre kiosque");
    let (kiosk, code) = hub.add_kiosk("Kiosque démo");
    assert_ne!(kiosk, demo_id, "the hub assigns its own id");
    congelo::sync::enrol(&path, &hub.url, &code).unwrap();
    assert_eq!(store.acked_through().unwrap(), Seq(0));
    let handle = SyncHandle::start(path.clone(), options()).unwrap();
    wait_synced(&handle, &store, SYNC_CEILING);
    let on_hub = hub_totals(hub.store.as_ref(), kiosk);
    let relabelled: Vec<_> = before
        .into_iter()
        .map(|t| congelo::hub::store::LineTotals { kiosk, ..t })
        .collect();
    assert_eq!(on_hub, relabelled);
    assert_eq!(
        hub.store.event_count(kiosk).unwrap(),
        store.last_seq().unwrap().0
    );
}

#[test]
fn a_configuration_change_on_the_hub_reaches_the_kiosk() {
    let hub = TestHub::start();
    let dir = fast_tempdir();
    let path = dir.path().join("kiosk.db");
    let (_, code) = hub.add_kiosk("Kiosque");
    enrolled_kiosk(&path, &hub.url, &code);
    let store = KioskStore::open(&path).unwrap();
    let version = store.config_version().unwrap();
    let mut product = congelo::demo::products()[0].clone();
    product.barcodes.clear();
    product.internal_code = Some("CGPNEW1".into());
    product.full_price = Money::from_cents(999);
    let id = hub
        .store
        .save_product(None, &product, &cli("product.create"))
        .unwrap();
    let handle = SyncHandle::start(path.clone(), options()).unwrap();
    let pulled = wait_until(STEP_CEILING, || {
        let arrived = store.product(id).unwrap().is_some();
        if !arrived {
            handle.sync_now();
        }
        arrived
    });
    assert!(pulled, "{:?}", handle.status().borrow());
    assert!(store.config_version().unwrap() > version);
    assert_eq!(
        store.product(id).unwrap().unwrap().full_price,
        Money::from_cents(999)
    );
}
