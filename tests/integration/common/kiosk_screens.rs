//! Every kiosk screen, reached the way a resident or a volunteer reaches it, in one list shared by
//! the screenshots and the layout test: each is a function from a language tag to a kiosk window
//! showing that screen at 800×480. Products are those with the longest names in the language, so
//! the screens show the longest names of the demo catalogue.

use congelo::clock::Clock;
use congelo::demo;
use congelo::kiosk::i18n;
use congelo::kiosk::terminal::SimulatedBehaviour;

use congelo::kiosk::ui::ScreenKind;

use super::kiosk_ui::UiKiosk;

pub fn pack(index: usize) -> String {
    demo::gtin_of(index).as_display()
}

pub fn card(household: usize) -> String {
    demo::households()[household - 1].card.encode()
}

/// The demo catalogue's indexes, the product with the longest name in `lang` first.
pub fn longest_names(lang: &str) -> Vec<usize> {
    let locale = i18n::product_locale(lang);
    let products = demo::products();
    let mut indexes: Vec<usize> = (0..products.len()).collect();
    indexes.sort_by_key(|&i| std::cmp::Reverse(products[i].name(locale).chars().count()));
    indexes
}

fn longest_name(lang: &str) -> String {
    let index = longest_names(lang)[0];
    demo::products()[index]
        .name(i18n::product_locale(lang))
        .to_owned()
}

/// A kiosk in `lang` whose cart holds five packs of the four longest-named products, bought with
/// card 1 (30 %).
pub fn with_cart(lang: &str, width: u32, height: u32, terminal: SimulatedBehaviour) -> UiKiosk {
    let mut kiosk = UiKiosk::with_terminal(width, height, terminal);
    choose_language(&mut kiosk, lang);
    kiosk.scan(&card(1));
    let longest = longest_names(lang);
    for index in [longest[0], longest[1], longest[0], longest[2], longest[3]] {
        kiosk.scan(&pack(index));
    }
    kiosk
}

pub fn choose_language(kiosk: &mut UiKiosk, lang: &str) {
    let name = i18n::languages()
        .into_iter()
        .find(|l| l.tag == lang)
        .unwrap()
        .name;
    kiosk.tap(&name);
}

/// Runs `steps` in `lang` and checks they reached `kind`: no test looks at the wrong screen.
pub fn reach(name: &str, kind: ScreenKind, steps: Steps, lang: &str) -> UiKiosk {
    let kiosk = steps(lang);
    assert_eq!(kiosk.screen(), kind, "the steps to {name} in {lang}");
    kiosk
}

/// Steps from a fresh kiosk to a screen, in a language.
pub type Steps = fn(&str) -> UiKiosk;

/// Each screen, reached the way a resident reaches it: (name, the screen the steps must reach,
/// steps from a fresh kiosk).
pub fn screens() -> Vec<(&'static str, ScreenKind, Steps)> {
    vec![
        ("19-staff-pin", ScreenKind::StaffPin, |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k.scan(&demo::badges()[0].payload.encode());
            k
        }),
        ("01-idle", ScreenKind::Idle, |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k
        }),
        ("02-card-accepted", ScreenKind::CardAccepted, |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k.scan(&card(1));
            k
        }),
        ("03-cart", ScreenKind::Cart, |lang| {
            with_cart(lang, 800, 480, SimulatedBehaviour::Approve)
        }),
        ("04-grid", ScreenKind::Grid, |lang| {
            let mut k = with_cart(lang, 800, 480, SimulatedBehaviour::Approve);
            k.tap_key("cart-pictures");
            k
        }),
        ("04-grid-keypad", ScreenKind::Grid, |lang| {
            let mut k = with_cart(lang, 800, 480, SimulatedBehaviour::Approve);
            k.tap_key("cart-pictures");
            k.tap_key("grid-type-code");
            k
        }),
        ("05-unknown-code", ScreenKind::UnknownCode, |lang| {
            let mut k = with_cart(lang, 800, 480, SimulatedBehaviour::Approve);
            k.scan("4006381333931");
            k
        }),
        ("05-recalled-lot", ScreenKind::RecalledLot, |lang| {
            let mut k = with_cart(lang, 800, 480, SimulatedBehaviour::Approve);
            let index = longest_names(lang)[0];
            let product = demo::products()[index].id;
            recall(&k, &[(product, "RC-0412")]);
            k.scan(&gs1_label(index, "RC-0412"));
            k
        }),
        ("06-card-refused", ScreenKind::CardRefused, |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k.scan(&card(4));
            k
        }),
        ("06-card-revoked", ScreenKind::CardRefused, |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k.scan(&card(5));
            k
        }),
        ("07-cap-reached", ScreenKind::CapReached, |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k.scan(&card(3));
            for index in 0..4 {
                k.scan(&pack(index));
            }
            k
        }),
        ("08-payment-choice", ScreenKind::PaymentChoice, |lang| {
            let mut k = with_cart(lang, 800, 480, SimulatedBehaviour::Approve);
            k.tap_key("cart-pay");
            k
        }),
        ("09-cash", ScreenKind::Cash, |lang| {
            paying(lang, "pay-method-cash", SimulatedBehaviour::Approve)
        }),
        ("10-prepaid", ScreenKind::Prepaid, |lang| {
            paying(lang, "pay-method-prepaid", SimulatedBehaviour::Approve)
        }),
        ("11-pay-later", ScreenKind::PayLater, |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k.scan(&card(2));
            k.scan(&pack(16));
            k.tap_key("cart-pay");
            k.tap_key("pay-method-pay-later");
            k
        }),
        ("12-terminal-waiting", ScreenKind::Terminal, |lang| {
            paying(lang, "pay-method-card", SimulatedBehaviour::NoAnswer)
        }),
        ("13-terminal-declined", ScreenKind::Terminal, |lang| {
            paying(lang, "pay-method-card", SimulatedBehaviour::Decline)
        }),
        ("14-terminal-timeout", ScreenKind::Terminal, |lang| {
            let mut k = paying(lang, "pay-method-card", SimulatedBehaviour::NoAnswer);
            k.wait(91);
            k
        }),
        ("15-done", ScreenKind::Done, |lang| {
            let mut k = paying(lang, "pay-method-cash", SimulatedBehaviour::Approve);
            k.tap_key("cash-confirm");
            k
        }),
        ("16-still-there", ScreenKind::StillThere, |lang| {
            let mut k = with_cart(lang, 800, 480, SimulatedBehaviour::Approve);
            k.wait(61);
            k.wait(7);
            k
        }),
        ("20-staff-menu", ScreenKind::StaffMenu, staff),
        ("21-staff-restock", ScreenKind::StaffStock, |lang| {
            let mut k = staff_screen(lang, "staff-restock");
            k.scan(&format!(
                "]C101{}\u{1d}10L2612-09\u{1d}15271031",
                demo::gtin_of(longest_names(lang)[0]).as_gtin14()
            ));
            k.tap_key("staff-more");
            k
        }),
        ("22-staff-count", ScreenKind::StaffStock, |lang| {
            let mut k = staff_screen(lang, "staff-count");
            k.tap(&longest_name(lang));
            k
        }),
        ("23-staff-loss", ScreenKind::StaffStock, |lang| {
            let mut k = staff_screen(lang, "staff-loss");
            k.tap(&longest_name(lang));
            k.tap_key("staff-reason-thawed");
            k
        }),
        ("24-staff-levels", ScreenKind::StaffLevels, |lang| {
            staff_screen(lang, "staff-levels")
        }),
        ("25-staff-lots", ScreenKind::StaffLots, |lang| {
            staff_screen(lang, "staff-lots")
        }),
        ("25-staff-lots-recalled", ScreenKind::StaffLots, |lang| {
            let mut k = staff(lang);
            let in_stock: Vec<_> = k
                .core
                .store()
                .stock_levels()
                .unwrap()
                .into_iter()
                .filter_map(|l| Some((l.product, l.lot?)))
                .take(1)
                .collect();
            let recalled: Vec<_> = in_stock.iter().map(|(p, l)| (*p, l.as_str())).collect();
            assert!(!recalled.is_empty(), "the demo kiosk holds lots");
            recall(&k, &recalled);
            k.tap_key("staff-lots");
            k
        }),
        ("26-staff-alarms", ScreenKind::StaffAlarms, |lang| {
            staff_screen(lang, "staff-alarms")
        }),
        (
            "27-staff-temperature",
            ScreenKind::StaffTemperature,
            |lang| staff_screen(lang, "staff-temperature"),
        ),
        ("28-staff-sync", ScreenKind::StaffSync, |lang| {
            staff_screen(lang, "staff-sync")
        }),
        ("29-staff-enrol", ScreenKind::StaffEnrol, |lang| {
            staff_screen(lang, "staff-enrol")
        }),
        ("30-cart-put-back", ScreenKind::Cart, |lang| {
            let mut k = with_cart(lang, 800, 480, SimulatedBehaviour::Approve);
            let products = demo::products();
            let name = products[longest_names(lang)[1]].name(i18n::product_locale(lang));
            k.tap(&format!("{} {name}", i18n::text(lang, "cart-remove")));
            k
        }),
        ("31-idle-put-back", ScreenKind::Idle, |lang| {
            let mut k = with_cart(lang, 800, 480, SimulatedBehaviour::Approve);
            k.tap_key("cart-cancel-all");
            k
        }),
        ("32-cart-empty", ScreenKind::Cart, |lang| {
            let mut k = UiKiosk::new(800, 480);
            choose_language(&mut k, lang);
            k.scan(&card(1));
            k.tap_key("notice-ok");
            k
        }),
        ("33-staff-pin-locked", ScreenKind::StaffPin, |lang| {
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
        ("34-staff-loss-no-reason", ScreenKind::StaffStock, |lang| {
            let mut k = staff_screen(lang, "staff-loss");
            k.tap(demo::products()[1].name(i18n::product_locale(lang)));
            k
        }),
        ("17-out-of-order", ScreenKind::OutOfOrder, |lang| {
            // Out of order speaks every language at once: nobody can choose one.
            let _ = lang;
            UiKiosk::unconfigured(800, 480)
        }),
    ]
}

/// A kiosk in `lang` in staff mode, on the menu, with a day of temperatures (a warm spell
/// included) and an alarm on the books.
/// A GS1 element string as a pack label's 2D code carries it: (01) the demo product's GTIN,
/// (15) a best-before, (10) the lot (last: variable length, no separator needed).
pub fn gs1_label(index: usize, lot: &str) -> String {
    format!("]d201{}15270101", demo::gtin_of(index).as_gtin14()) + &format!("10{lot}")
}

/// Applies the kiosk's configuration again, one version newer, with `lots` recalled (as a pull
/// from the hub would).
pub fn recall(kiosk: &UiKiosk, lots: &[(congelo::domain::ProductId, &str)]) {
    let mut store = congelo::store::KioskStore::open(kiosk.core.store().path()).unwrap();
    let mut config = demo::config();
    config.version = store.config_version().unwrap().unwrap_or(0) + 1;
    config.recalled_lots = lots
        .iter()
        .map(|(product, lot)| congelo::domain::config::RecalledLot {
            product: *product,
            lot: (*lot).to_owned(),
        })
        .collect();
    store.apply_config(&config).unwrap();
}

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
