//! How large the kiosk draws on a screen other than 800×480.
//!
//! The screens are laid out for 800×480 (a 7-inch panel, where 64 px is 12 mm, the smallest touch
//! target). On another panel the whole UI is scaled by the smaller of the two ratios to 800×480, so
//! a touch target, a text or a pictogram keeps its proportion to the screen: a 1280×800 panel draws
//! at 1.6, a 720×1280 portrait panel at 0.9 (the layout then has 800 logical pixels across). An
//! explicit `SLINT_SCALE_FACTOR` wins.

use slint::ComponentHandle;
use slint::platform::WindowEvent;

use super::KioskWindow;

/// The size the screens are designed for.
pub const DESIGN_WIDTH: f32 = 800.0;
pub const DESIGN_HEIGHT: f32 = 480.0;

/// The scale factor for a panel of `width`×`height` physical pixels.
pub fn scale_factor_for(width: u32, height: u32) -> f32 {
    let ratio = (width as f32 / DESIGN_WIDTH).min(height as f32 / DESIGN_HEIGHT);
    if ratio.is_finite() && ratio > 0.0 {
        ratio
    } else {
        1.0
    }
}

/// Sizes the window to `width`×`height` physical pixels and scales it for that size.
pub fn fit_window(window: &KioskWindow, width: u32, height: u32) {
    window
        .window()
        .set_size(slint::PhysicalSize::new(width, height));
    apply_scale(window, scale_factor_for(width, height));
}

/// Once the event loop runs, the window has the screen's size: scales it for that size.
pub fn fit_to_screen_once_shown(window: &KioskWindow) {
    let weak = window.as_weak();
    slint::Timer::single_shot(std::time::Duration::ZERO, move || {
        if let Some(window) = weak.upgrade() {
            fit_to_screen(&window);
        }
    });
}

/// Scales a shown window for the size it has (the screen, full screen on a kiosk).
pub fn fit_to_screen(window: &KioskWindow) {
    if std::env::var_os("SLINT_SCALE_FACTOR").is_some() {
        return;
    }
    let size = window.window().size();
    if size.width > 0 && size.height > 0 {
        apply_scale(window, scale_factor_for(size.width, size.height));
    }
}

/// Sets the scale factor and lays the window out again at its size in logical pixels (a scale
/// factor alone does not resize the root element).
fn apply_scale(window: &KioskWindow, scale_factor: f32) {
    let size = window.window().size();
    let window = window.window();
    window.dispatch_event(WindowEvent::ScaleFactorChanged { scale_factor });
    window.dispatch_event(WindowEvent::Resized {
        size: size.to_logical(scale_factor),
    });
}

#[cfg(test)]
mod tests {
    use super::scale_factor_for;

    #[test]
    fn scales_by_the_smaller_ratio_to_800_by_480() {
        assert_eq!(scale_factor_for(800, 480), 1.0);
        assert_eq!(scale_factor_for(1280, 800), 1.6);
        assert_eq!(scale_factor_for(720, 1280), 0.9);
        assert_eq!(scale_factor_for(0, 0), 1.0);
    }
}
