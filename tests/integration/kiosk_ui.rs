//! The resident's flow through the real kiosk window, headless (Slint's testing backend): keys
//! typed as a keyboard-wedge scanner types them, buttons pressed by their label.

use std::path::PathBuf;

use congelo::kiosk::terminal::SimulatedBehaviour;
use congelo::kiosk::ui::ScreenKind;
use i_slint_backend_testing::ElementHandle;
use slint::platform::PointerEventButton;

use crate::common::kiosk_screens::{card, pack};
use crate::common::kiosk_ui::UiKiosk;

/// Where tests leave screenshots to look at.
fn shots() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ui-tests")
}

fn pay_with(kiosk: &mut UiKiosk, method_key: &str, confirm_key: Option<&str>) {
    kiosk.tap_key("cart-pay");
    assert_eq!(kiosk.screen(), ScreenKind::PaymentChoice);
    kiosk.tap_key(method_key);
    if let Some(confirm) = confirm_key {
        kiosk.tap_key(confirm);
    }
    assert_eq!(kiosk.screen(), ScreenKind::Done);
    kiosk.wait(9);
    assert_eq!(kiosk.screen(), ScreenKind::Idle);
}

#[test]
fn card_packs_plus_minus_and_every_payment_method() {
    let mut kiosk = UiKiosk::new(800, 480);
    let methods = [
        ("pay-method-cash", Some("cash-confirm")),
        ("pay-method-prepaid", Some("prepaid-confirm")),
        ("pay-method-card", None),
    ];
    for (method, confirm) in methods {
        kiosk.scan(&card(1));
        assert_eq!(kiosk.screen(), ScreenKind::CardAccepted);
        kiosk.scan(&pack(0));
        kiosk.scan(&pack(1));
        assert_eq!(kiosk.screen(), ScreenKind::Cart);
        let more = format!(
            "{} Carottes en rondelles",
            congelo::kiosk::i18n::text("fr-CA", "cart-more")
        );
        kiosk.tap(&more);
        kiosk.tap(&more);
        let less = format!(
            "{} Carottes en rondelles",
            congelo::kiosk::i18n::text("fr-CA", "cart-less")
        );
        kiosk.tap(&less);
        assert_eq!(kiosk.items(), 3);
        // 30 %: 2 × 1,05 + 1,28
        assert_eq!(kiosk.total(), "3,38\u{a0}$");
        kiosk.screenshot(&shots().join(format!("cart-before-{method}.png")));
        pay_with(&mut kiosk, method, confirm);
    }
    kiosk.scan(&card(2));
    kiosk.scan(&pack(0));
    pay_with(
        &mut kiosk,
        "pay-method-pay-later",
        Some("pay-later-confirm"),
    );
    assert_eq!(kiosk.core.store().sale_count().unwrap(), 4);
}

#[test]
fn no_card_full_price_in_cash_and_removing_a_line() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.scan(&pack(0));
    kiosk.scan(&pack(2));
    let remove = format!(
        "{} Haricots verts",
        congelo::kiosk::i18n::text("fr-CA", "cart-remove")
    );
    kiosk.tap(&remove);
    assert_eq!(
        (kiosk.items(), kiosk.total()),
        (1, "3,50\u{a0}$".to_owned())
    );
    pay_with(&mut kiosk, "pay-method-cash", Some("cash-confirm"));
}

#[test]
fn an_unknown_code_explains_and_returns() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.scan("4006381333931");
    assert_eq!(kiosk.screen(), ScreenKind::UnknownCode);
    kiosk.screenshot(&shots().join("unknown.png"));
    kiosk.tap_key("notice-ok");
    assert_eq!(kiosk.screen(), ScreenKind::Idle);
    kiosk.scan("]C1garbage\u{1d}");
    assert_eq!(kiosk.screen(), ScreenKind::UnknownCode);
}

#[test]
fn a_refused_card_offers_the_full_price() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.scan(&card(4));
    assert_eq!(kiosk.screen(), ScreenKind::CardRefused);
    kiosk.tap_key("card-buy-full-price");
    kiosk.scan(&pack(0));
    assert_eq!(kiosk.total(), "3,50\u{a0}$");
    kiosk.scan(&card(5));
    assert_eq!(kiosk.screen(), ScreenKind::CardRefused);
    kiosk.tap_key("card-refused-cancel");
    assert_eq!((kiosk.screen(), kiosk.items()), (ScreenKind::Idle, 0));
}

#[test]
fn a_reached_cap_keeps_the_cart_as_it_was() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.scan(&card(3));
    for index in 0..4 {
        kiosk.scan(&pack(index));
    }
    assert_eq!(kiosk.screen(), ScreenKind::CapReached);
    kiosk.tap_key("cap-back-to-cart");
    assert_eq!((kiosk.screen(), kiosk.items()), (ScreenKind::Cart, 3));
}

#[test]
fn inactivity_asks_then_resets_with_mock_time() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.scan(&pack(0));
    kiosk.wait(61);
    assert_eq!(kiosk.screen(), ScreenKind::StillThere);
    kiosk.tap_key("still-there-yes");
    assert_eq!(kiosk.screen(), ScreenKind::Cart);
    kiosk.wait(61);
    kiosk.wait(10);
    assert_eq!(kiosk.screen(), ScreenKind::StillThere);
    kiosk.wait(11);
    assert_eq!((kiosk.screen(), kiosk.items()), (ScreenKind::Idle, 0));
}

#[test]
fn a_scan_never_lands_in_a_focused_text_field() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.tap_key("idle-pick-picture");
    kiosk.tap(&congelo::kiosk::i18n::text("fr-CA", "grid-type-code"));
    let label = congelo::kiosk::i18n::text("fr-CA", "grid-code-field");
    let field = ElementHandle::find_by_accessible_label(&kiosk.window, &label)
        .next()
        .expect("the code field");
    field.mock_single_click(PointerEventButton::Left);
    kiosk.scan(&pack(3));
    assert_eq!((kiosk.screen(), kiosk.items()), (ScreenKind::Cart, 1));
    kiosk.tap_key("cart-pictures");
    kiosk.tap(&congelo::kiosk::i18n::text("fr-CA", "grid-type-code"));
    let field = ElementHandle::find_by_accessible_label(&kiosk.window, &label)
        .next()
        .unwrap();
    assert_eq!(field.accessible_value().unwrap_or_default(), "");
}

#[test]
fn the_keypad_adds_a_product_by_its_number() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.tap_key("idle-pick-picture");
    kiosk.tap(&congelo::kiosk::i18n::text("fr-CA", "grid-type-code"));
    for digit in pack(4).chars() {
        kiosk.tap(&digit.to_string());
    }
    kiosk.tap_key("grid-code-ok");
    assert_eq!((kiosk.screen(), kiosk.items()), (ScreenKind::Cart, 1));
}

#[test]
fn the_terminal_can_decline() {
    let mut kiosk = UiKiosk::with_terminal(800, 480, SimulatedBehaviour::Decline);
    kiosk.scan(&pack(0));
    kiosk.tap_key("cart-pay");
    kiosk.tap_key("pay-method-card");
    assert_eq!(kiosk.screen(), ScreenKind::Terminal);
    kiosk.tap_key("terminal-other-method");
    kiosk.tap_key("pay-method-cash");
    kiosk.tap_key("cash-confirm");
    assert_eq!(kiosk.screen(), ScreenKind::Done);
}
