//! A pack of a recalled lot: refused at the scanner with the "do not eat" notice and a staff
//! alarm, never restocked, and listed first on the staff lots screen until pulled.

use super::*;
use crate::domain::config::RecalledLot;
use crate::domain::event::{AlarmKind, EventBody};
use crate::kiosk::view::{StaffNotice, StaffScreen};

const LOT: &str = "B261201-03";

fn label(index: usize, lot: &str) -> String {
    format!(
        "(01){}(15)270101(10){lot}",
        demo::gtin_of(index).as_gtin14()
    )
}

/// The demo kiosk with `lot` of product `index` recalled, as its next pull would bring it.
fn recalled(index: usize) -> Harness {
    let h = harness();
    let path = h.core.store().path().to_owned();
    let mut store = crate::store::KioskStore::open(&path).unwrap();
    let mut config = demo::config();
    config.version = store.config_version().unwrap().unwrap_or(0) + 1;
    config.recalled_lots = vec![RecalledLot {
        product: demo::products()[index].id,
        lot: LOT.into(),
    }];
    store.apply_config(&config).unwrap();
    h
}

fn last_alarm(h: &Harness) -> Option<crate::domain::event::Alarm> {
    let store = h.core.store();
    let last = store.last_seq().unwrap();
    match store.events_after(Seq(last.0 - 1), 1).unwrap().pop()?.body {
        EventBody::Alarm(alarm) => Some(alarm),
        _ => None,
    }
}

#[test]
fn a_recalled_pack_is_refused_with_an_alarm_and_other_lots_still_sell() {
    let mut h = recalled(2);
    h.scan(&pack(0));
    h.feedback.take();
    let view = h.scan(&label(2, LOT));
    assert_eq!(view.screen, Screen::RecalledLot);
    assert_eq!(view.items, 1, "the recalled pack is not in the cart");
    assert_eq!(h.feedback.take(), [Feedback::Error]);
    let alarm = last_alarm(&h).expect("an alarm event");
    assert_eq!(alarm.kind, AlarmKind::RecalledLotScanned);
    assert!(alarm.raised);
    assert_eq!(alarm.lots, [LOT]);
    // The notice stays long enough to read, then goes back to the cart.
    assert_eq!(h.wait(10).screen, Screen::RecalledLot);
    assert_eq!(h.wait(30).screen, Screen::Cart);
    // Another lot of the same product, and the same lot code of another product, sell.
    assert_eq!(h.scan(&label(2, "B261201-04")).items, 2);
    assert_eq!(h.scan(&label(3, LOT)).items, 3);
}

#[test]
fn staff_cannot_restock_a_recalled_lot_and_see_recalled_packs_first() {
    let mut h = recalled(4);
    let badge = &demo::badges()[0];
    h.scan(&badge.payload.encode());
    h.tap(Action::SubmitPin(badge.pin.into()));
    h.tap(Action::StaffOpen(StaffScreen::Restock));
    let view = h.scan(&label(4, LOT));
    let staff = view.staff.unwrap();
    assert_eq!(staff.notice, Some(StaffNotice::RecalledLot));
    assert_eq!(staff.product, None, "nothing to save");

    // Packs of the lot already in the freezer (restocked before the recall) come first.
    let product = demo::products()[4].id;
    let mut store = crate::store::KioskStore::open(h.core.store().path()).unwrap();
    store
        .record_movement(&crate::domain::stock::StockMovement {
            id: crate::entropy::new_movement_id(),
            kiosk: store.kiosk_id().unwrap(),
            product,
            lot: Some(LOT.into()),
            at: h.clock.now(),
            change: crate::domain::stock::StockChange::Restock { quantity: 2 },
            by: None,
        })
        .unwrap();
    store.record_recalled_scan(LOT, h.clock.now()).unwrap();
    let view = h.tap(Action::StaffOpen(StaffScreen::Lots));
    let lots = view.staff.unwrap().lots;
    assert!(lots[0].recalled && lots[0].lot == LOT, "{lots:?}");
    assert!(lots[1..].iter().all(|l| !l.recalled));
    // Opening the list is the staff's acknowledgement: the alarm is cleared.
    assert!(
        !h.core
            .store()
            .alarm_raised(AlarmKind::RecalledLotScanned)
            .unwrap()
    );
}
