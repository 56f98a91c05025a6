//! The view each window last drew, kept on the UI thread, so that drawing the next view only
//! formats and sets the parts that changed (see [`super::apply_view`]).

use std::cell::RefCell;

use slint::ComponentHandle;

use super::KioskWindow;
use crate::kiosk::view::View;

/// A window and the last view drawn in it. The window is known by the address of its
/// `slint::Window`, checked with a weak handle: a dropped window's entry is never taken for a new
/// window that happens to reuse its address.
struct Drawn {
    window: slint::Weak<KioskWindow>,
    address: usize,
    view: View,
}

thread_local! {
    static DRAWN: RefCell<Vec<Drawn>> = const { RefCell::new(Vec::new()) };
}

fn address(window: &KioskWindow) -> usize {
    std::ptr::from_ref(window.window()) as usize
}

/// Records `view` as drawn in `window` and returns the view drawn there before, if any.
pub(super) fn replace(window: &KioskWindow, view: &View) -> Option<View> {
    let address = address(window);
    DRAWN.with_borrow_mut(|drawn| {
        drawn.retain(|d| d.window.upgrade().is_some());
        match drawn.iter_mut().find(|d| d.address == address) {
            Some(entry) => Some(std::mem::replace(&mut entry.view, view.clone())),
            None => {
                drawn.push(Drawn {
                    window: window.as_weak(),
                    address,
                    view: view.clone(),
                });
                None
            }
        }
    })
}
