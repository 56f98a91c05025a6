//! Through the real window, headless: what cannot act is greyed out, a removal can be put back,
//! "still there?" takes a touch anywhere, the cap message counts the cart and names the week, the
//! coins are labelled with the cash amount they make, and a staff restock counts each scan.

use congelo::demo;
use congelo::domain::ProductId;
use congelo::kiosk::i18n::text;
use congelo::kiosk::ui::{ScreenKind, UiState};
use slint::ComponentHandle;

use crate::common::kiosk_screens::{card, pack};
use crate::common::kiosk_ui::UiKiosk;

#[test]
fn pay_is_greyed_out_until_the_cart_has_a_pack() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.scan(&card(1));
    kiosk.tap_key("notice-ok");
    assert_eq!((kiosk.screen(), kiosk.items()), (ScreenKind::Cart, 0));
    assert!(!kiosk.enabled("cart-pay"));
    kiosk.tap_key("cart-pay");
    assert_eq!(
        kiosk.screen(),
        ScreenKind::Cart,
        "a greyed button does nothing"
    );
    kiosk.scan(&pack(0));
    assert!(kiosk.enabled("cart-pay"));
}

#[test]
fn a_touch_anywhere_answers_still_there() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.scan(&pack(0));
    kiosk.wait(61);
    assert_eq!(kiosk.screen(), ScreenKind::StillThere);
    kiosk.touch_at(30.0, 30.0); // the top-left corner, far from the button
    assert_eq!((kiosk.screen(), kiosk.items()), (ScreenKind::Cart, 1));
}

#[test]
fn a_language_chosen_by_someone_who_left_returns_to_french() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.tap("Español");
    assert_eq!(kiosk.lang(), "es");
    kiosk.wait(61);
    assert_eq!(
        (kiosk.screen(), kiosk.lang()),
        (ScreenKind::Idle, "fr-CA".into())
    );
}

#[test]
fn the_cap_message_counts_the_cart_and_names_the_week() {
    for (lang, week) in [
        ("fr-CA", "cette semaine"),
        ("en-CA", "this week"),
        ("es", "esta semana"),
    ] {
        let mut kiosk = UiKiosk::new(800, 480);
        let name = text(lang, "language-name");
        kiosk.tap(&name);
        kiosk.scan(&card(3)); // three packs a week
        for index in 0..4 {
            kiosk.scan(&pack(index));
        }
        assert_eq!(kiosk.screen(), ScreenKind::CapReached);
        let message = kiosk.window.global::<UiState>().get_cap_left().to_string();
        assert!(message.contains(week), "{lang}: {message}");
        assert!(
            !message.contains('3'),
            "{lang}: nothing is left to take: {message}"
        );
        assert!(kiosk.shows(&message), "{lang}: the message is on screen");
    }
}

#[test]
fn a_line_taken_out_can_be_put_back_and_so_can_the_whole_cart() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.scan(&pack(0));
    kiosk.scan(&pack(2));
    kiosk.tap(&format!(
        "{} Carottes en rondelles",
        text("fr-CA", "cart-less")
    ));
    assert_eq!(kiosk.items(), 1);
    assert!(kiosk.shows("Vous avez enlevé Carottes en rondelles."));
    kiosk.tap_key("undo-button");
    assert_eq!(kiosk.items(), 2);
    assert!(
        !kiosk.shows(&text("fr-CA", "undo-button")),
        "the bar is gone"
    );

    kiosk.tap_key("cart-cancel-all");
    assert_eq!((kiosk.screen(), kiosk.items()), (ScreenKind::Idle, 0));
    kiosk.tap_key("undo-button");
    assert_eq!((kiosk.screen(), kiosk.items()), (ScreenKind::Cart, 2));

    kiosk.tap_key("cart-cancel-all");
    kiosk.wait(9);
    assert!(
        !kiosk.shows(&text("fr-CA", "undo-button")),
        "gone after its delay"
    );
}

#[test]
fn the_coins_are_labelled_with_the_rounded_cash_amount() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.scan(&card(1));
    kiosk.scan(&pack(0));
    kiosk.scan(&pack(1));
    kiosk.scan(&pack(0));
    // 30 %: 2 × 1,05 + 1,28 = 3,38 $; in cash, 3,40 $.
    assert_eq!(kiosk.total(), "3,38\u{a0}$");
    assert!(kiosk.shows("Comptant : 3,40\u{a0}$"));
    kiosk.scan(&pack(1));
    // 4,66 $ → 4,65 $
    assert!(kiosk.shows("Comptant : 4,65\u{a0}$"));
}

#[test]
fn staff_buttons_that_cannot_act_are_greyed_out_and_say_why() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.sign_in(demo::badges()[0].pin);
    kiosk.tap_key("staff-sync");
    assert!(!kiosk.enabled("staff-sync-now"), "no hub link");
    assert!(kiosk.shows(&text("fr-CA", "staff-sync-off")));

    kiosk.tap_key("staff-menu");
    kiosk.tap_key("staff-loss");
    kiosk.tap("Carottes en rondelles");
    assert!(!kiosk.enabled("staff-choose-reason"));
    kiosk.tap_key("staff-reason-thawed");
    assert!(kiosk.enabled("staff-save"));
    kiosk.tap_key("staff-save");
    assert_eq!(kiosk.core.store().stock_level(ProductId(1)).unwrap(), 11);
}

#[test]
fn the_pin_keypad_is_greyed_out_while_the_badge_is_locked() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.lock_the_badge();
    let pin_info = kiosk
        .window
        .global::<UiState>()
        .get_staff_pin_info()
        .to_string();
    assert!(
        pin_info.contains("\u{a0}h\u{a0}"),
        "« 16 h 43 »: {pin_info}"
    );
    let erase = congelo::kiosk::i18n::text("fr-CA", "keypad-erase");
    for key in ["1", "0", erase.as_str(), "OK"] {
        let element =
            i_slint_backend_testing::ElementHandle::find_by_accessible_label(&kiosk.window, key)
                .next()
                .unwrap();
        assert_eq!(element.accessible_enabled(), Some(false), "{key}");
    }
}

#[test]
fn each_scan_of_the_same_pack_in_restock_adds_one() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.sign_in(demo::badges()[0].pin);
    kiosk.tap_key("staff-restock");
    let before = kiosk.core.store().stock_level(ProductId(4)).unwrap();
    for _ in 0..3 {
        kiosk.scan(&pack(3));
    }
    assert_eq!(kiosk.window.global::<UiState>().get_staff_quantity(), 3);
    kiosk.tap_key("staff-save");
    assert_eq!(
        kiosk.core.store().stock_level(ProductId(4)).unwrap(),
        before + 3
    );
}
