//! A recall from the kitchen to the freezer: a production batch made on the hub, its pack label's
//! GS1 code scanned to restock a kiosk in staff mode, the batch recalled on the hub, and after the
//! kiosk's next sync the same label is refused with the "do not eat" notice (and so is the
//! product's picture, while a plain barcode sells a pack of another lot), the staff alarm reaches
//! the hub, and the recall's trace shows the packs left to pull.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use congelo::clock::ManualClock;
use congelo::domain::codes::PayloadKind;
use congelo::domain::sale::PaymentMethod;
use congelo::hub::store::recalls::{RecallOrigin, RecallStore};
use congelo::hub::store::{NewBadge, SiteStore};
use congelo::kiosk::core::{Action, Input};
use congelo::kiosk::terminal::SimulatedBehaviour;
use congelo::kiosk::view::{Screen, StaffNotice, StaffScreen, View};
use congelo::store::KioskStore;
use congelo::sync::{SyncHandle, SyncOptions};

use crate::common::hub::{TestHub, cli, enrolled_kiosk, fast_tempdir, wait_synced};
use crate::common::kiosk_core::{Driven, core_on};
use crate::common::kitchen::{label, produce_batch};
use crate::common::wait::wait_until;

/// A failure bound for one sync round trip on a busy machine, not a timed assertion.
const CEILING: Duration = Duration::from_secs(120);

fn run(driven: &mut Driven, input: Input) -> View {
    // Identical scans within a second count once: let a second pass between inputs.
    driven.clock.advance(Duration::from_millis(1_100));
    let mut view = driven.core.handle(input);
    while let Some(next) = driven.queue.lock().unwrap().pop_front() {
        view = driven.core.handle(next);
    }
    view
}

#[test]
fn a_recalled_batch_is_refused_at_the_kiosk_after_its_next_sync_and_staff_are_alerted() {
    let hub = TestHub::start();
    let dir = fast_tempdir();
    let product = congelo::demo::products()[2].clone();
    let lot = "B261202-01";
    let (batch, _intake) = produce_batch(hub.store.path(), hub.seeded.site, product.id, lot);
    let label = label(&product.barcodes[0].as_gtin14(), "270602", lot);

    // A staff badge for the site, and a kiosk there.
    let badge = congelo::entropy::new_payload(PayloadKind::Badge).unwrap();
    hub.store
        .issue_badge(
            &NewBadge {
                hash: badge.hash(),
                pin_hash: congelo::passwords::hash_secret("2580").unwrap(),
                site: Some(hub.seeded.site),
            },
            Utc::now(),
            &cli("badge.issue"),
        )
        .unwrap();
    let path = dir.path().join("kiosk.db");
    let (kiosk, code) = hub.add_kiosk("Kiosque du marché");
    enrolled_kiosk(&path, &hub.url, &code);
    let store = KioskStore::open(&path).unwrap();
    let mut driven = core_on(
        KioskStore::open(&path).unwrap(),
        Arc::new(ManualClock::new(Utc::now())),
        SimulatedBehaviour::Approve,
    );

    // Staff restock three packs by scanning the label.
    run(&mut driven, Input::Scan(badge.encode()));
    let view = run(&mut driven, Input::Action(Action::SubmitPin("2580".into())));
    assert_eq!(view.screen, Screen::Staff(StaffScreen::Menu));
    run(
        &mut driven,
        Input::Action(Action::StaffOpen(StaffScreen::Restock)),
    );
    let view = run(&mut driven, Input::Scan(label.clone()));
    assert_eq!(view.staff.as_ref().unwrap().lot.as_deref(), Some(lot));
    run(&mut driven, Input::Action(Action::StaffQuantity(2)));
    let view = run(&mut driven, Input::Action(Action::StaffConfirm));
    assert_eq!(view.staff.unwrap().notice, Some(StaffNotice::Saved));
    run(&mut driven, Input::Action(Action::StaffLeave));

    let options = SyncOptions {
        interval: Duration::from_secs(3600),
        ..SyncOptions::default()
    };
    let handle = SyncHandle::start(path.clone(), options).unwrap();
    wait_synced(&handle, &store, CEILING);

    // The kitchen hears of a problem: the batch is recalled on the hub.
    let recall = hub
        .store
        .open_recall(
            &RecallOrigin::Batch(batch),
            "Listeria reported by the farm",
            Utc::now(),
            &cli("recall.open"),
        )
        .unwrap();
    let pulled = wait_until(CEILING, || {
        handle.sync_now();
        store.is_recalled(product.id, lot).unwrap()
    });
    assert!(pulled, "the kiosk's next pull brings the recalled lot");

    // The next scan of the same label is refused, and the alarm reaches the hub.
    let view = run(&mut driven, Input::Scan(label.clone()));
    assert_eq!(view.screen, Screen::RecalledLot);
    assert_eq!(view.items, 0, "the pack is not sold");
    // The freezer also holds packs of another lot: the product's plain barcode sells one of
    // them, but its picture is refused (the pack in hand may be a recalled one whose label did
    // not scan).
    let view = run(&mut driven, Input::Scan(product.barcodes[0].as_display()));
    assert_eq!((view.screen, view.items), (Screen::Cart, 1));
    let view = run(&mut driven, Input::Action(Action::AddProduct(product.id)));
    assert_eq!((view.screen, view.items), (Screen::RecalledLot, 1));
    run(&mut driven, Input::Action(Action::Dismiss));
    run(&mut driven, Input::Action(Action::Pay));
    run(
        &mut driven,
        Input::Action(Action::ChooseMethod(PaymentMethod::Cash)),
    );
    let view = run(&mut driven, Input::Action(Action::ConfirmPayment));
    assert_eq!(view.screen, Screen::Done);
    wait_synced(&handle, &store, CEILING);
    let facts = hub.store.kiosks().unwrap();
    let ours = facts.iter().find(|f| f.kiosk.id == kiosk.0).unwrap();
    assert_eq!(ours.open_alarms, ["recalled_lot_scanned"]);

    // Where the lot went: three packs put in this kiosk, none sold, three to pull.
    let detail = hub
        .store
        .recall_detail(recall, None, congelo::domain::product::Locale::FrCa)
        .unwrap()
        .unwrap();
    assert_eq!(detail.recall.lots.len(), 1);
    assert_eq!(detail.recall.lots[0].lot, lot);
    let row = &detail.trace[0];
    assert_eq!(
        (row.kiosk, row.restocked, row.sold, row.left, row.lost),
        (kiosk, 3, 0, 3, 0)
    );

    // Closing the recall lets the lot through again after the next pull.
    hub.store
        .close_recall(
            recall,
            "Lab results negative",
            Utc::now(),
            &cli("recall.close"),
        )
        .unwrap();
    let released = wait_until(CEILING, || {
        handle.sync_now();
        !store.is_recalled(product.id, lot).unwrap()
    });
    assert!(released);
    let view = run(&mut driven, Input::Scan(label));
    assert_eq!((view.screen, view.items), (Screen::Cart, 1));
}
