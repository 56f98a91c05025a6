//! A kiosk that forgives and explains: a removal can be put back, notices stay long enough to
//! read, a cap message counts the cart, a language chosen by someone who left goes back to French,
//! and staff buttons that cannot act say why.

use super::*;
use crate::domain::caps::CapPeriod;
use crate::kiosk::view::{CapLeft, CapRoom, StaffNotice, StaffScreen, SyncView, UndoView};

fn signed_in() -> Harness {
    let mut h = harness();
    let badge = &demo::badges()[0];
    h.scan(&badge.payload.encode());
    assert_eq!(
        h.tap(Action::SubmitPin(badge.pin.into())).screen,
        Screen::Staff(StaffScreen::Menu)
    );
    h
}

#[test]
fn a_card_scanned_after_too_many_packs_says_how_many_to_take_out() {
    let mut h = harness();
    for index in 0..4 {
        h.scan(&pack(index));
    }
    let view = h.scan(&card(3)); // three packs a week
    assert_eq!(view.screen, Screen::CapReached);
    assert_eq!(
        view.cap_left,
        Some(CapLeft {
            period: CapPeriod::Week,
            room: CapRoom::Items(-1),
        })
    );
}

#[test]
fn a_language_chosen_by_someone_who_left_returns_to_french() {
    let mut h = harness();
    assert_eq!(h.tap(Action::SetLanguage("es".into())).language, "es");
    let view = h.wait(30);
    assert_eq!((view.screen, view.language.as_str()), (Screen::Idle, "es"));
    let view = h.wait(31);
    assert_eq!(
        (view.screen, view.language.as_str()),
        (Screen::Idle, "fr-CA")
    );
}

#[test]
fn the_welcome_stays_long_enough_to_read() {
    let mut h = harness();
    assert_eq!(h.scan(&card(1)).screen, Screen::CardAccepted);
    assert_eq!(h.wait(6).screen, Screen::CardAccepted);
    assert_eq!(h.tap(Action::Dismiss).screen, Screen::Cart);
}

#[test]
fn minus_at_one_removes_the_line_and_put_back_restores_it() {
    let mut h = harness();
    h.scan(&pack(0));
    let view = h.scan(&pack(1));
    let (first, second) = (view.lines[0].clone(), view.lines[1].clone());
    let view = h.tap(Action::Decrement(first.product));
    assert_eq!(view.lines, std::slice::from_ref(&second));
    assert_eq!(
        view.undo,
        Some(UndoView::Line {
            name: first.name.clone()
        })
    );
    let view = h.tap(Action::Undo);
    assert_eq!((view.screen, view.undo), (Screen::Cart, None));
    assert_eq!(view.lines, [first, second], "back in its place");
}

#[test]
fn minus_above_one_takes_one_pack_with_nothing_to_put_back() {
    let mut h = harness();
    h.scan(&pack(0));
    let view = h.scan(&pack(0));
    let view = h.tap(Action::Decrement(view.lines[0].product));
    assert_eq!((view.items, view.undo), (1, None));
}

#[test]
fn the_bin_can_be_put_back_for_eight_seconds_only() {
    let mut h = harness();
    let view = h.scan(&pack(2));
    let view = h.tap(Action::Remove(view.lines[0].product));
    assert_eq!(view.items, 0);
    assert!(h.wait(7).undo.is_some());
    assert_eq!(h.wait(2).undo, None);
    assert_eq!(h.tap(Action::Undo).items, 0, "too late");
}

#[test]
fn cancel_everything_can_be_put_back_with_the_card() {
    let mut h = harness();
    h.scan(&card(1));
    h.tap(Action::Dismiss);
    let priced = h.scan(&pack(0));
    let view = h.tap(Action::CancelAll);
    assert_eq!(
        (view.screen, view.items, view.has_card),
        (Screen::Idle, 0, false)
    );
    assert_eq!(view.undo, Some(UndoView::Cart));
    let view = h.tap(Action::Undo);
    assert_eq!((view.screen, view.has_card), (Screen::Cart, true));
    assert_eq!(view.total, priced.total, "the card's price again");
}

#[test]
fn the_next_scan_forgets_what_could_be_put_back() {
    let mut h = harness();
    let view = h.scan(&pack(0));
    h.tap(Action::Remove(view.lines[0].product));
    let view = h.scan(&pack(1));
    assert_eq!((view.items, view.undo), (1, None));
    assert_eq!(h.tap(Action::Undo).items, 1);
}

#[test]
fn paying_an_empty_cart_does_nothing() {
    let mut h = harness();
    h.scan(&card(1));
    let view = h.tap(Action::Dismiss);
    assert_eq!((view.screen, view.items), (Screen::Cart, 0));
    assert_eq!(h.tap(Action::Pay).screen, Screen::Cart);
}

#[test]
fn scanning_the_same_pack_again_in_restock_adds_one() {
    let mut h = signed_in();
    h.tap(Action::StaffOpen(StaffScreen::Restock));
    let label = format!(
        "]C101{}\u{1d}10L2612-09\u{1d}15271031",
        demo::gtin_of(7).as_gtin14()
    );
    for expected in 1..=3 {
        let staff = h.scan(&label).staff.unwrap();
        assert_eq!(
            (staff.quantity, staff.lot.as_deref()),
            (expected, Some("L2612-09"))
        );
    }
    // Another lot of the same product is another line to record.
    let other = label.replace("L2612-09", "L2701-02");
    assert_eq!(h.scan(&other).staff.unwrap().quantity, 1);
    // A plain barcode twice: two packs.
    h.scan(&pack(3));
    assert_eq!(h.scan(&pack(3)).staff.unwrap().quantity, 2);
}

#[test]
fn send_now_without_a_hub_link_says_so() {
    let mut h = signed_in();
    h.tap(Action::StaffOpen(StaffScreen::Sync));
    let view = h.tap(Action::StaffSyncNow);
    assert_eq!(view.staff.unwrap().notice, Some(StaffNotice::NotLinked));
    h.send(Input::Sync(SyncView::default()));
    let view = h.tap(Action::StaffSyncNow);
    assert_eq!(view.staff.unwrap().notice, Some(StaffNotice::SyncRequested));
}

#[test]
fn a_pin_typed_while_the_badge_is_locked_says_so() {
    let mut h = harness();
    let badge = &demo::badges()[0];
    h.scan(&badge.payload.encode());
    for _ in 0..5 {
        h.tap(Action::SubmitPin("0000".into()));
    }
    let view = h.tap(Action::SubmitPin(badge.pin.into()));
    let staff = view.staff.unwrap();
    assert!(staff.locked_until.is_some());
    assert_eq!(staff.notice, Some(StaffNotice::BadgeLocked));
}
