//! Nothing cut off, nothing too small: every kiosk screen (the list shared with the screenshots,
//! resident and staff), in every language, at 800×480, 720×1280 and 1280×800, with the demo
//! catalogue's longest product names, is checked by `common::layout`: no text elided, clipped or
//! with a broken word, no element outside its parent or the window, no touch target under 64×64 px
//! at 800×480 (scaled like the kiosk for the other sizes). Each screen is reached once per language
//! and checked at the three sizes. A language with longer words makes this test fail.

use congelo::kiosk::i18n;

use crate::common::kiosk_screens::{reach, screens};
use crate::common::layout;

/// The panels a kiosk is built with: 7-inch landscape, portrait, 10-inch.
pub const SIZES: [(u32, u32); 3] = [(800, 480), (720, 1280), (1280, 800)];

#[test]
fn every_screen_fits_every_language_at_every_size() {
    let mut report = Vec::new();
    let mut checked = 0;
    for language in i18n::languages() {
        for (name, kind, steps) in screens() {
            let kiosk = reach(name, kind, steps, language.tag);
            for (width, height) in SIZES {
                kiosk.resize(width, height);
                checked += 1;
                for fault in layout::check(&kiosk.window) {
                    report.push(format!(
                        "{name} · {} · {width}×{height} · {fault}",
                        language.tag
                    ));
                }
            }
        }
    }
    assert!(checked > 0);
    assert!(
        report.is_empty(),
        "{} layout faults (screen · language · size · element [logical size at position]: \
         problem):\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn touch_targets_scale_with_the_smaller_ratio_to_800_by_480() {
    assert_eq!(layout::min_touch(800, 480), 64.0);
    assert!((layout::min_touch(720, 1280) - 57.6).abs() < 0.01);
    assert!((layout::min_touch(1280, 800) - 102.4).abs() < 0.01);
}
