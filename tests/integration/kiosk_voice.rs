//! The "listen" strip in the real window: shown on every resident screen (not on staff screens),
//! a touch target of at least 64 × 64 px at 800×480 inside the window, and pressing it speaks the
//! screen's instruction in the reader's language through the core (a recording sink here).

use congelo::demo;
use congelo::kiosk::i18n;
use congelo::kiosk::ui::{ScreenKind, UiState};
use congelo::kiosk::voice::RecordedVoice;
use i_slint_backend_testing::ElementHandle;
use slint::ComponentHandle;

use crate::common::kiosk_ui::UiKiosk;

fn listen_label(kiosk: &UiKiosk) -> String {
    i18n::text(&kiosk.lang(), "listen")
}

fn assert_large_and_inside(kiosk: &UiKiosk) {
    let label = listen_label(kiosk);
    let button = ElementHandle::find_by_accessible_label(&kiosk.window, &label)
        .next()
        .unwrap_or_else(|| panic!("no «{label}» button"));
    let (size, at) = (button.size(), button.absolute_position());
    assert!(
        size.width >= 64.0 && size.height >= 64.0,
        "{label}: {size:?}"
    );
    assert!(at.x >= 0.0 && at.y >= 0.0, "{label} at {at:?}");
    assert!(
        at.x + size.width <= 800.0 && at.y + size.height <= 480.0,
        "{label} at {at:?}"
    );
}

#[test]
fn listen_is_on_every_resident_screen_and_speaks_its_instruction() {
    let mut kiosk = UiKiosk::new(800, 480);
    let voice = RecordedVoice::default();
    kiosk.core.set_voice(Box::new(voice.clone()));
    let shown = |k: &UiKiosk| k.window.global::<UiState>().get_listen_shown();
    assert!(shown(&kiosk));
    assert_large_and_inside(&kiosk);
    kiosk.tap("Écouter");
    assert_eq!(voice.take_prompts(), [("fr-CA".to_owned(), "voice-idle")]);

    kiosk.tap("Español");
    kiosk.scan(&demo::gtin_of(0).as_display());
    assert_eq!(kiosk.screen(), ScreenKind::Cart);
    voice.take();
    assert_large_and_inside(&kiosk);
    kiosk.tap("Escuchar");
    assert_eq!(voice.take_prompts(), [("es".to_owned(), "voice-cart")]);

    kiosk.tap_key("cart-pay");
    assert!(shown(&kiosk));
    assert_eq!(
        voice.take_prompts(),
        [("es".to_owned(), "voice-payment-choice")]
    );

    let badge = &demo::badges()[0];
    let mut staff = UiKiosk::new(800, 480);
    staff.scan(&badge.payload.encode());
    assert_eq!(staff.screen(), ScreenKind::StaffPin);
    assert!(!shown(&staff), "staff screens have no listen strip");
}
