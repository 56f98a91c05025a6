//! Checks a rendered kiosk window for what a resident cannot read or cannot hit: text wider or
//! taller than its element (elided, clipped or a word broken), an element outside its parent or
//! the window, a touch target smaller than 12 mm.
//!
//! Slint's public testing API gives an element's geometry and accessible texts, but not what a
//! text needs; so this walks the item tree itself (`i_slint_core`, pinned with Slint) and asks each
//! `Text` item for its layout information, the very measurement Slint's layouts use: the width of
//! its text on one line (the longest word when it wraps) and the height it needs at its actual
//! width. Elements inside a `Flickable` may leave its visible area up and down (the list
//! scrolls) but not across, nor their own parent.

use std::fmt;
use std::rc::Rc;

use i_slint_core::item_tree::ItemRc;
use i_slint_core::items::{
    AccessibleRole, Clip, ComplexText, Flickable, Item, Orientation, SimpleText, TextWrap,
    TouchArea,
};
use i_slint_core::window::{WindowAdapter, WindowInner};
use slint::ComponentHandle;

/// A touch target's side at 800×480 on a 7-inch screen: 12 mm.
pub const TOUCH_AT_800X480: f32 = 64.0;

/// Rounding of layouts and anti-aliasing: a difference below this is not a fault.
const TOLERANCE: f32 = 1.0;

/// The smallest touch target, in physical pixels, for a window of `width`×`height`: 64 px at
/// 800×480, scaled by the smaller of the two ratios to 800×480.
pub fn min_touch(width: u32, height: u32) -> f32 {
    TOUCH_AT_800X480 * (width as f32 / 800.0).min(height as f32 / 480.0)
}

/// One fault found in a window.
#[derive(Debug, Clone)]
pub struct Fault {
    pub element: String,
    pub problem: String,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.element, self.problem)
    }
}

#[derive(Clone, Copy, Debug)]
struct Rect {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

impl Rect {
    fn contains(&self, inner: &Rect) -> bool {
        inner.x >= self.x - TOLERANCE
            && inner.y >= self.y - TOLERANCE
            && inner.x + inner.w <= self.x + self.w + TOLERANCE
            && inner.y + inner.h <= self.y + self.h + TOLERANCE
    }
}

impl fmt::Display for Rect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.0}×{:.0} at ({:.0}, {:.0})",
            self.w, self.h, self.x, self.y
        )
    }
}

struct Walk<'a> {
    adapter: Rc<dyn WindowAdapter>,
    scale: f32,
    min_touch: f32,
    window: Rect,
    faults: &'a mut Vec<Fault>,
}

/// Every fault of `component`'s window as it is drawn, at its current physical size.
pub fn check(component: &impl ComponentHandle) -> Vec<Fault> {
    let window = component.window();
    // Conditional and repeated elements are instantiated when the window is drawn: draw it, so
    // the tree walked is the screen shown.
    window.take_snapshot().expect("the window draws");
    let inner = WindowInner::from_pub(window);
    let scale = window.scale_factor();
    let physical = window.size();
    let mut faults = Vec::new();
    let mut walk = Walk {
        adapter: inner.window_adapter(),
        scale,
        min_touch: min_touch(physical.width, physical.height),
        window: Rect {
            x: 0.0,
            y: 0.0,
            w: physical.width as f32 / scale,
            h: physical.height as f32 / scale,
        },
        faults: &mut faults,
    };
    let root = ItemRc::new_root(inner.component());
    let window_rect = walk.window;
    walk.visit(&root, window_rect, false);
    faults
}

/// An element with `visible: false` (a visibility clip that clips): nothing of it is drawn.
fn hidden(item: &ItemRc) -> bool {
    item.downcast::<Clip>().is_some_and(|clip| {
        let clip = clip.as_pin_ref();
        Clip::FIELD_OFFSETS
            .is_visibility_clip()
            .apply_pin(clip)
            .get()
            && Clip::FIELD_OFFSETS.clip().apply_pin(clip).get()
    })
}

fn absolute(item: &ItemRc) -> Rect {
    let geometry = item.geometry();
    let origin = item.map_to_window(geometry.origin);
    Rect {
        x: origin.x,
        y: origin.y,
        w: geometry.size.width,
        h: geometry.size.height,
    }
}

/// How a fault names an element: its component and id, and what it says.
fn describe(item: &ItemRc, rect: &Rect) -> String {
    let mut names: Vec<String> = item
        .element_type_names_and_ids(0)
        .unwrap_or_default()
        .into_iter()
        .map(|(type_name, id)| {
            if id.is_empty() {
                type_name.to_string()
            } else {
                format!("{type_name} {id}")
            }
        })
        .collect();
    names.dedup();
    let mut text = text_of(item).unwrap_or_default();
    if text.is_empty() {
        text = nearest_label(item).unwrap_or_default();
    }
    let said = if text.is_empty() {
        String::new()
    } else {
        format!(" «{text}»")
    };
    format!("{}{said} [{rect}]", names.join(" / "))
}

fn text_of(item: &ItemRc) -> Option<String> {
    if let Some(text) = item.downcast::<ComplexText>() {
        return Some(
            ComplexText::FIELD_OFFSETS
                .text()
                .apply_pin(text.as_pin_ref())
                .get()
                .into(),
        );
    }
    if let Some(text) = item.downcast::<SimpleText>() {
        return Some(
            SimpleText::FIELD_OFFSETS
                .text()
                .apply_pin(text.as_pin_ref())
                .get()
                .into(),
        );
    }
    None
}

/// The accessible label of the element or its nearest labelled ancestor (a button's words).
fn nearest_label(item: &ItemRc) -> Option<String> {
    let mut current = Some(item.clone());
    while let Some(item) = current {
        if let Some(label) = item
            .accessible_string_property(
                i_slint_core::accessibility::AccessibleStringProperty::Label,
            )
            .filter(|l| !l.is_empty())
        {
            return Some(label.into());
        }
        current = item.parent_item(i_slint_core::item_tree::ParentItemTraversalMode::StopAtPopups);
    }
    None
}

impl Walk<'_> {
    fn fault(&mut self, item: &ItemRc, rect: &Rect, problem: String) {
        self.faults.push(Fault {
            element: describe(item, rect),
            problem,
        });
    }

    /// Whether the window shows all of `rect`; inside a Flickable, only across (it scrolls).
    fn window_contains(&self, rect: &Rect, scrolled: bool) -> bool {
        let window = self.window;
        if scrolled {
            let across = Rect {
                y: rect.y,
                h: rect.h,
                ..window
            };
            across.contains(rect)
        } else {
            window.contains(rect)
        }
    }

    /// Checks `item` against `parent` (its parent's rectangle) and the window, then its children.
    /// `scrolled`: inside a Flickable, where the window may hide part of a list that scrolls.
    fn visit(&mut self, item: &ItemRc, parent: Rect, scrolled: bool) {
        if hidden(item) {
            return;
        }
        let rect = absolute(item);
        let drawn = rect.w > 0.0 && rect.h > 0.0;
        if drawn && !parent.contains(&rect) {
            self.fault(item, &rect, format!("leaves its parent {parent}"));
        } else if drawn && !self.window_contains(&rect, scrolled) {
            let window = self.window;
            self.fault(item, &rect, format!("leaves the window {window}"));
        }
        self.check_text(item, &rect);
        self.check_touch(item, &rect);
        let is_flickable = item.downcast::<Flickable>().is_some();
        let mut child = item.first_child();
        while let Some(current) = child {
            if is_flickable {
                // The viewport is as tall as the list, which scrolls up and down; across, what is
                // in it must fit in the Flickable.
                let viewport = absolute(&current);
                let lane = Rect {
                    x: rect.x,
                    w: rect.w,
                    y: viewport.y,
                    h: viewport.h,
                };
                let mut grandchild = current.first_child();
                while let Some(inner) = grandchild {
                    self.visit(&inner, lane, true);
                    grandchild = inner.next_sibling();
                }
            } else {
                self.visit(&current, rect, scrolled);
            }
            child = current.next_sibling();
        }
    }

    fn check_text(&mut self, item: &ItemRc, rect: &Rect) {
        let (text, wrap, info) = if let Some(t) = item.downcast::<ComplexText>() {
            let pin = t.as_pin_ref();
            let text: String = ComplexText::FIELD_OFFSETS
                .text()
                .apply_pin(pin)
                .get()
                .into();
            let wrap = ComplexText::FIELD_OFFSETS.wrap().apply_pin(pin).get();
            let measure = |o, cross| pin.layout_info(o, cross, &self.adapter, item);
            (text, wrap, measure_text(measure, rect.w))
        } else if let Some(t) = item.downcast::<SimpleText>() {
            let pin = t.as_pin_ref();
            let text: String = SimpleText::FIELD_OFFSETS.text().apply_pin(pin).get().into();
            let measure = |o, cross| pin.layout_info(o, cross, &self.adapter, item);
            (text, TextWrap::NoWrap, measure_text(measure, rect.w))
        } else {
            return;
        };
        if text.trim().is_empty() {
            return;
        }
        let (min_width, one_line, needed_height) = info;
        match wrap {
            TextWrap::NoWrap if one_line > rect.w + TOLERANCE => self.fault(
                item,
                rect,
                format!(
                    "text needs {one_line:.0} px wide, has {:.0} (cut off)",
                    rect.w
                ),
            ),
            TextWrap::WordWrap if min_width > rect.w + TOLERANCE => self.fault(
                item,
                rect,
                format!(
                    "longest word needs {min_width:.0} px wide, has {:.0} (word broken)",
                    rect.w
                ),
            ),
            _ if needed_height > rect.h + TOLERANCE => self.fault(
                item,
                rect,
                format!(
                    "text needs {needed_height:.0} px high, has {:.0} (cut off)",
                    rect.h
                ),
            ),
            _ => {}
        }
    }

    fn check_touch(&mut self, item: &ItemRc, rect: &Rect) {
        let touch = item.downcast::<TouchArea>().is_some_and(|t| {
            TouchArea::FIELD_OFFSETS
                .enabled()
                .apply_pin(t.as_pin_ref())
                .get()
        });
        if !touch && item.accessible_role() != AccessibleRole::Button {
            return;
        }
        let (w, h) = (rect.w * self.scale, rect.h * self.scale);
        if w + 0.5 < self.min_touch || h + 0.5 < self.min_touch {
            let min = self.min_touch;
            self.fault(
                item,
                rect,
                format!("touch target {w:.0}×{h:.0} px, smaller than {min:.0}×{min:.0} px"),
            );
        }
    }
}

/// (narrowest width without breaking a word, width on one line, height needed at `width`).
fn measure_text(
    measure: impl Fn(Orientation, f32) -> i_slint_core::layout::LayoutInfo,
    width: f32,
) -> (f32, f32, f32) {
    let horizontal = measure(Orientation::Horizontal, -1.0);
    let vertical = measure(Orientation::Vertical, width);
    (horizontal.min, horizontal.preferred, vertical.preferred)
}
