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
    store
        .record_recalled_scan(&[LOT.into()], h.clock.now())
        .unwrap();
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

/// The demo kiosk whose freezer holds, of product `index`, `good` packs of lot `GOOD` and `bad`
/// packs of lot `BAD`, and `BAD` (the one expiring first) recalled.
fn good_and_recalled(index: usize, good: u32, bad: u32) -> (Harness, crate::domain::ProductId) {
    use crate::domain::stock::{StockChange, StockMovement};
    let h = harness();
    let product = demo::products()[index].id;
    let mut store = crate::store::KioskStore::open(h.core.store().path()).unwrap();
    let kiosk = store.kiosk_id().unwrap();
    let movement = |lot: Option<&str>, change| StockMovement {
        id: crate::entropy::new_movement_id(),
        kiosk,
        product,
        lot: lot.map(str::to_owned),
        at: h.clock.now(),
        change,
        by: None,
    };
    store
        .record_count(&movement(None, StockChange::Count { level: 0 }), 0)
        .unwrap();
    for (lot, month, quantity) in [("GOOD", 9, good), ("BAD", 2, bad)] {
        store
            .remember_lot(&crate::domain::lot::Lot {
                product,
                code: lot.into(),
                packed_on: None,
                best_before: chrono::NaiveDate::from_ymd_opt(2027, month, 1),
                packing_site: None,
            })
            .unwrap();
        store
            .record_movement(&movement(Some(lot), StockChange::Restock { quantity }))
            .unwrap();
    }
    let mut config = demo::config();
    config.version = store.config_version().unwrap().unwrap_or(0) + 1;
    config.recalled_lots = vec![RecalledLot {
        product,
        lot: "BAD".into(),
    }];
    store.apply_config(&config).unwrap();
    (h, product)
}

fn lot_level(h: &Harness, product: crate::domain::ProductId, lot: &str) -> i64 {
    h.core
        .store()
        .product_lots(product)
        .unwrap()
        .into_iter()
        .find(|l| l.lot.as_deref() == Some(lot))
        .map_or(0, |l| l.level)
}

#[test]
fn a_plain_barcode_sells_the_good_lot_and_is_refused_once_only_recalled_packs_are_left() {
    let (mut h, product) = good_and_recalled(5, 2, 2);
    // Two plain scans: both packs come from the good lot, though the recalled one expires first.
    assert_eq!(h.scan(&pack(5)).items, 1);
    assert_eq!(h.scan(&pack(5)).items, 2);
    h.feedback.take();
    // A third: by the books only recalled packs are left, so the pack in hand is one of them.
    let view = h.scan(&pack(5));
    assert_eq!((view.screen, view.items), (Screen::RecalledLot, 2));
    assert_eq!(h.feedback.take(), [Feedback::Error]);
    let alarm = last_alarm(&h).expect("an alarm event");
    assert_eq!(alarm.kind, AlarmKind::RecalledLotScanned);
    assert!(alarm.raised);
    assert_eq!(alarm.lots, ["BAD"]);
    assert_eq!(h.wait(40).screen, Screen::Cart);

    h.tap(Action::Pay);
    h.tap(Action::ChooseMethod(PaymentMethod::Cash));
    assert_eq!(h.tap(Action::ConfirmPayment).screen, Screen::Done);
    let store = h.core.store();
    let last = store.last_seq().unwrap();
    let Some(EventBody::Sale(sale)) = store
        .events_after(Seq(last.0 - 1), 1)
        .unwrap()
        .pop()
        .map(|e| e.body)
    else {
        panic!("the sale is the last event");
    };
    let lots: Vec<(Option<&str>, u32)> = sale.lines[0]
        .lots
        .iter()
        .map(|t| (t.lot.as_deref(), t.quantity))
        .collect();
    assert_eq!(lots, [(Some("GOOD"), 2)]);
    assert_eq!(
        (
            lot_level(&h, product, "GOOD"),
            lot_level(&h, product, "BAD")
        ),
        (0, 2),
        "the recalled packs stay counted until staff pull them"
    );

    // The next visit: neither a plain scan nor the picture sells it, and nothing is committed.
    h.wait(10);
    let sales = h.core.store().sale_count().unwrap();
    let seq = h.core.store().last_seq().unwrap();
    assert_eq!(h.scan(&pack(5)).screen, Screen::RecalledLot);
    h.wait(40);
    assert_eq!(
        h.tap(Action::AddProduct(product)).screen,
        Screen::RecalledLot
    );
    let view = h.wait(40);
    assert_eq!(view.items, 0);
    assert_eq!(h.core.store().sale_count().unwrap(), sales);
    let store = h.core.store();
    let written = store.events_after(seq, 10).unwrap();
    assert_eq!(written.len(), 2, "one alarm per refused pack, nothing else");
    assert!(
        written
            .iter()
            .all(|e| matches!(&e.body, EventBody::Alarm(a) if a.lots == ["BAD"]))
    );
    assert_eq!(lot_level(&h, product, "BAD"), 2);
}

#[test]
fn a_picked_picture_is_refused_while_recalled_packs_are_in_the_freezer_but_a_label_sells() {
    let (mut h, product) = good_and_recalled(6, 5, 1);
    // The picture, and "+" on a line: the kiosk cannot tell the pack is not the recalled one.
    let view = h.tap(Action::AddProduct(product));
    assert_eq!((view.screen, view.items), (Screen::RecalledLot, 0));
    assert_eq!(last_alarm(&h).expect("an alarm").lots, ["BAD"]);
    h.wait(40);
    // The pack's own label names a good lot: sold.
    let label = format!("(01){}(15)270901(10)GOOD", demo::gtin_of(6).as_gtin14());
    assert_eq!(h.scan(&label).items, 1);
    let view = h.tap(Action::Increment(product));
    assert_eq!((view.screen, view.items), (Screen::RecalledLot, 1));
    h.wait(40);
    // A plain barcode: good packs are left, so it sells (from the good lot).
    assert_eq!(h.scan(&pack(6)).items, 2);

    // Once staff pulled the recalled pack (a loss of the scanned pack), the picture sells again.
    let mut store = crate::store::KioskStore::open(h.core.store().path()).unwrap();
    store
        .record_loss(
            &crate::domain::stock::StockMovement {
                id: crate::entropy::new_movement_id(),
                kiosk: store.kiosk_id().unwrap(),
                product,
                lot: Some("BAD".into()),
                at: h.clock.now(),
                change: crate::domain::stock::StockChange::Restock { quantity: 0 },
                by: None,
            },
            1,
            crate::domain::stock::LossReason::Other,
        )
        .unwrap();
    assert_eq!(lot_level(&h, product, "BAD"), 0);
    assert_eq!(h.tap(Action::Increment(product)).items, 3);
}
