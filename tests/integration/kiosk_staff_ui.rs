//! Staff mode through the real window, headless: badge, PIN on the keypad, restock, count, loss,
//! lockout.

use congelo::demo;
use congelo::domain::ProductId;
use congelo::kiosk::ui::ScreenKind;
use slint::ComponentHandle;

use crate::common::kiosk_ui::UiKiosk;

#[test]
fn restock_count_and_loss_by_a_signed_in_volunteer() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.sign_in(demo::badges()[0].pin);
    assert_eq!(kiosk.screen(), ScreenKind::StaffMenu);

    kiosk.tap_key("staff-restock");
    assert_eq!(kiosk.screen(), ScreenKind::StaffStock);
    kiosk.scan(&format!(
        "]C101{}\u{1d}10L2612-09\u{1d}15271031",
        demo::gtin_of(7).as_gtin14()
    ));
    kiosk.tap_key("staff-more");
    kiosk.tap_key("staff-save");
    assert_eq!(kiosk.core.store().stock_level(ProductId(8)).unwrap(), 14);

    kiosk.tap_key("staff-menu");
    kiosk.tap_key("staff-count");
    kiosk.tap("Carottes en rondelles");
    kiosk.tap_key("staff-fewer");
    kiosk.tap_key("staff-save");
    assert_eq!(kiosk.core.store().stock_level(ProductId(1)).unwrap(), 11);

    kiosk.tap_key("staff-menu");
    kiosk.tap_key("staff-loss");
    kiosk.tap("Carottes en rondelles");
    kiosk.tap_key("staff-reason-damaged");
    kiosk.tap_key("staff-save");
    assert_eq!(kiosk.core.store().stock_level(ProductId(1)).unwrap(), 10);

    kiosk.tap_key("staff-leave");
    assert_eq!(kiosk.screen(), ScreenKind::Idle);
}

#[test]
fn wrong_pins_lock_the_badge() {
    let mut kiosk = UiKiosk::new(800, 480);
    kiosk.lock_the_badge();
    for digit in demo::badges()[0].pin.chars() {
        kiosk.tap(&digit.to_string());
    }
    kiosk.tap("OK");
    assert_eq!(
        kiosk.screen(),
        ScreenKind::StaffPin,
        "locked: even the right PIN waits"
    );
    let info = kiosk
        .window
        .global::<congelo::kiosk::ui::UiState>()
        .get_staff_pin_info()
        .to_string();
    assert!(info.starts_with("Badge bloqué jusqu'à"), "{info}");
}
