//! Writes a PNG of every kiosk screen in every language at 800×480, and the cart at 720×1280 and
//! 1280×800, for people to look at:
//!
//! ```sh
//! cargo test --all-features --test integration screenshots -- --ignored
//! ```
//!
//! Files go to `target/screenshots/` (or `$CONGELO_SCREENSHOT_DIR`); a selection is committed
//! under `docs/screenshots/`.

use std::path::PathBuf;

use congelo::clock::Clock;
use congelo::demo;
use congelo::kiosk::i18n;
use congelo::kiosk::terminal::SimulatedBehaviour;

use crate::common::kiosk_ui::UiKiosk;

fn out_dir() -> PathBuf {
    std::env::var_os("CONGELO_SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots"))
}

fn pack(index: usize) -> String {
    demo::gtin_of(index).as_display()
}

fn card(household: usize) -> String {
    demo::households()[household - 1].card.encode()
}

/// A kiosk in `lang` whose cart holds a few packs bought with card 1 (30 %).
fn with_cart(lang: &str, width: u32, height: u32, terminal: SimulatedBehaviour) -> UiKiosk {
    let mut kiosk = UiKiosk::with_terminal(width, height, terminal);
    choose_language(&mut kiosk, lang);
    kiosk.scan(&card(1));
    for index in [0, 1, 0, 15, 16] {
        kiosk.scan(&pack(index));
    }
    kiosk
}

fn choose_language(kiosk: &mut UiKiosk, lang: &str) {
    let name = i18n::languages()
        .into_iter()
        .find(|l| l.tag == lang)
        .unwrap()
        .name;
    kiosk.tap(&name);
}

/// Each screen, reached the way a resident reaches it: (name, steps from a fresh kiosk).
type Steps = fn(&str) -> UiKiosk;

fn screens() -> Vec<(&'static str, Steps)> {
    vec![
        ("19-staff-pin", |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k.scan(&demo::badges()[0].payload.encode());
            k
        }),
        ("01-idle", |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k
        }),
        ("02-card-accepted", |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k.scan(&card(1));
            k
        }),
        ("03-cart", |lang| {
            with_cart(lang, 800, 480, SimulatedBehaviour::Approve)
        }),
        ("04-grid", |lang| {
            let mut k = with_cart(lang, 800, 480, SimulatedBehaviour::Approve);
            k.tap_key("cart-pictures");
            k
        }),
        ("05-unknown-code", |lang| {
            let mut k = with_cart(lang, 800, 480, SimulatedBehaviour::Approve);
            k.scan("4006381333931");
            k
        }),
        ("06-card-refused", |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k.scan(&card(4));
            k
        }),
        ("07-cap-reached", |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k.scan(&card(3));
            for index in 0..4 {
                k.scan(&pack(index));
            }
            k
        }),
        ("08-payment-choice", |lang| {
            let mut k = with_cart(lang, 800, 480, SimulatedBehaviour::Approve);
            k.tap_key("cart-pay");
            k
        }),
        ("09-cash", |lang| {
            paying(lang, "pay-method-cash", SimulatedBehaviour::Approve)
        }),
        ("10-prepaid", |lang| {
            paying(lang, "pay-method-prepaid", SimulatedBehaviour::Approve)
        }),
        ("11-pay-later", |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k.scan(&card(2));
            k.scan(&pack(16));
            k.tap_key("cart-pay");
            k.tap_key("pay-method-pay-later");
            k
        }),
        ("12-terminal-waiting", |lang| {
            paying(lang, "pay-method-card", SimulatedBehaviour::NoAnswer)
        }),
        ("13-terminal-declined", |lang| {
            paying(lang, "pay-method-card", SimulatedBehaviour::Decline)
        }),
        ("14-terminal-timeout", |lang| {
            let mut k = paying(lang, "pay-method-card", SimulatedBehaviour::NoAnswer);
            k.wait(91);
            k
        }),
        ("15-done", |lang| {
            let mut k = paying(lang, "pay-method-cash", SimulatedBehaviour::Approve);
            k.tap_key("cash-confirm");
            k
        }),
        ("16-still-there", |lang| {
            let mut k = with_cart(lang, 800, 480, SimulatedBehaviour::Approve);
            k.wait(61);
            k.wait(7);
            k
        }),
        ("20-staff-menu", staff),
        ("21-staff-restock", |lang| {
            let mut k = staff_screen(lang, "staff-restock");
            k.scan(&format!(
                "]C101{}\u{1d}10L2612-09\u{1d}15271031",
                demo::gtin_of(7).as_gtin14()
            ));
            k.tap_key("staff-more");
            k
        }),
        ("22-staff-count", |lang| {
            let mut k = staff_screen(lang, "staff-count");
            k.tap(demo::products()[0].name(congelo::kiosk::i18n::product_locale(lang)));
            k
        }),
        ("23-staff-loss", |lang| {
            let mut k = staff_screen(lang, "staff-loss");
            k.tap(demo::products()[1].name(congelo::kiosk::i18n::product_locale(lang)));
            k.tap_key("staff-reason-thawed");
            k
        }),
        ("24-staff-levels", |lang| staff_screen(lang, "staff-levels")),
        ("25-staff-lots", |lang| staff_screen(lang, "staff-lots")),
        ("26-staff-alarms", |lang| staff_screen(lang, "staff-alarms")),
        ("27-staff-temperature", |lang| {
            staff_screen(lang, "staff-temperature")
        }),
        ("28-staff-sync", |lang| staff_screen(lang, "staff-sync")),
        ("29-staff-enrol", |lang| staff_screen(lang, "staff-enrol")),
        ("30-cart-put-back", |lang| {
            let mut k = with_cart(lang, 800, 480, SimulatedBehaviour::Approve);
            let products = demo::products();
            let name = products[1].name(i18n::product_locale(lang));
            k.tap(&format!("{} {name}", i18n::text(lang, "cart-remove")));
            k
        }),
        ("31-idle-put-back", |lang| {
            let mut k = with_cart(lang, 800, 480, SimulatedBehaviour::Approve);
            k.tap_key("cart-cancel-all");
            k
        }),
        ("32-cart-empty", |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k.scan(&card(1));
            k.tap_key("notice-ok");
            k
        }),
        ("33-staff-pin-locked", |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k.scan(&demo::badges()[0].payload.encode());
            for _ in 0..5 {
                for digit in "9999".chars() {
                    k.tap(&digit.to_string());
                }
                k.tap("OK");
            }
            k
        }),
        ("34-staff-loss-no-reason", |lang| {
            let mut k = staff_screen(lang, "staff-loss");
            k.tap(demo::products()[1].name(i18n::product_locale(lang)));
            k
        }),
        ("17-out-of-order", |lang| {
            // Out of order speaks every language at once: nobody can choose one.
            let _ = lang;
            UiKiosk::unconfigured(800, 480)
        }),
    ]
}

/// A kiosk in `lang` in staff mode, on the menu, with a day of temperatures (a warm spell
/// included) and an alarm on the books.
fn staff(lang: &str) -> UiKiosk {
    let mut k = UiKiosk::new(800, 480);
    choose_language(&mut k, lang);
    let mut store = congelo::store::KioskStore::open(k.core.store().path()).unwrap();
    let now = k.clock.now().timestamp();
    for minute in (0..24 * 60).step_by(5) {
        let warm = (600..660).contains(&minute);
        let wave = ((minute % 90) as i32 - 45).abs() * 20;
        let mc = if warm { -9_000 - wave } else { -18_500 + wave };
        store
            .record_temperature(now - 24 * 3600 + minute * 60, mc)
            .unwrap();
    }
    let alarm = congelo::domain::event::Alarm {
        kind: congelo::domain::event::AlarmKind::DoorOpen,
        raised: true,
        at: k.clock.now() - chrono::Duration::hours(3),
        lots: vec![],
        peak_millicelsius: None,
    };
    store.record_alarm(&alarm).unwrap();
    drop(store);
    k.scan(&demo::badges()[0].payload.encode());
    {
        for digit in demo::badges()[0].pin.chars() {
            k.tap(&digit.to_string());
        }
        k.tap("OK");
    }
    k
}

fn staff_screen(lang: &str, menu_key: &str) -> UiKiosk {
    let mut k = staff(lang);
    k.tap_key(menu_key);
    k
}

fn paying(lang: &str, method_key: &str, terminal: SimulatedBehaviour) -> UiKiosk {
    let mut k = with_cart(lang, 800, 480, terminal);
    k.tap_key("cart-pay");
    k.tap_key(method_key);
    k
}

#[test]
#[ignore = "writes PNG files: run on demand (see the module comment)"]
fn write_screenshots() {
    let dir = out_dir();
    for language in i18n::languages() {
        for (name, steps) in screens() {
            let kiosk = steps(language.tag);
            kiosk.screenshot(&dir.join(format!("{}-{name}.png", language.tag)));
        }
        for (width, height) in [(720, 1280), (1280, 800)] {
            let kiosk = with_cart(language.tag, width, height, SimulatedBehaviour::Approve);
            kiosk.screenshot(&dir.join(format!("{}-03-cart-{width}x{height}.png", language.tag)));
            let mut kiosk = UiKiosk::new(width, height);
            choose_language(&mut kiosk, language.tag);
            kiosk.screenshot(&dir.join(format!("{}-01-idle-{width}x{height}.png", language.tag)));
        }
    }
    println!("screenshots written to {}", dir.display());
}
