//! Writes a PNG of every kiosk screen (the list in `common/kiosk_screens.rs`) in every language at 800×480, and the cart at 720×1280 and
//! 1280×800, for people to look at:
//!
//! ```sh
//! cargo test --all-features --test integration screenshots -- --ignored
//! ```
//!
//! Files go to `target/screenshots/` (or `$CONGELO_SCREENSHOT_DIR`); a selection is committed
//! under `docs/screenshots/`.

use std::path::PathBuf;

use congelo::kiosk::i18n;
use congelo::kiosk::terminal::SimulatedBehaviour;

use crate::common::kiosk_screens::{choose_language, reach, screens, with_cart};
use crate::common::kiosk_ui::UiKiosk;

fn out_dir() -> PathBuf {
    std::env::var_os("CONGELO_SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots"))
}

#[test]
#[ignore = "writes PNG files: run on demand (see the module comment)"]
fn write_screenshots() {
    let dir = out_dir();
    for language in i18n::languages() {
        for (name, kind, steps) in screens() {
            let kiosk = reach(name, kind, steps, language.tag);
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
