//! The kiosk's Slint glue: the only module that names Slint types.
//!
//! It creates the window, answers `Tr.t` from the Fluent messages and `Pictograms` with pictograms
//! rasterised once per size, turns every tap into a core [`Input`] and every captured key into the
//! keyboard-wedge scan queue, and draws each [`View`] the core sends back ([`apply_view`]), setting
//! only what changed. It does no I/O: the core runs elsewhere.
//!
//! [`View`]: crate::kiosk::view::View

mod adapters;
mod drawn;
mod models;
mod photos;
mod pictograms;
mod scale;
mod staff_adapters;
pub mod watchdog;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use slint::{ComponentHandle, Image, ModelRc, SharedString, VecModel};

use super::core::{Action, Input};
use super::i18n;
use super::scanner::KeyboardWedge;
use super::view::StaffScreen;
use crate::domain::ProductId;
use pictograms::PictogramCache;

pub use adapters::apply_view;
pub use scale::{fit_to_screen, fit_to_screen_once_shown, fit_window, scale_factor_for};

slint::include_modules!();

/// Delivers an input to the core (through a channel in the real kiosk).
pub type InputSink = Arc<dyn Fn(Input) + Send + Sync>;

/// Creates the kiosk window, wired to send its inputs to `sink`.
pub fn create_window(sink: InputSink) -> Result<KioskWindow, slint::PlatformError> {
    let window = KioskWindow::new()?;
    window
        .global::<Tr>()
        .on_t(|lang, key| SharedString::from(i18n::text(&lang, &key)));
    window.global::<Tr>().on_drop_last(|text| {
        let mut text = text.to_string();
        text.pop();
        SharedString::from(text)
    });
    window.global::<UiState>().set_languages(languages_model());
    bind_pictograms(&window);
    bind_actions(&window, sink);
    Ok(window)
}

/// Answers `Pictograms.icon/product` with pixels rasterised once per name and size, at the
/// window's scale factor.
fn bind_pictograms(window: &KioskWindow) {
    let cache = PictogramCache::new();
    let pictograms = window.global::<Pictograms>();
    let (icons, weak) = (cache.clone(), window.as_weak());
    pictograms.on_icon(move |name, size| icons.icon(&name, physical_size(&weak, size)));
    let weak = window.as_weak();
    pictograms.on_product(move |name, size| cache.product(&name, physical_size(&weak, size)));
}

fn physical_size(window: &slint::Weak<KioskWindow>, logical: f32) -> u32 {
    let scale_factor = window.upgrade().map_or(1.0, |w| w.window().scale_factor());
    pictograms::physical(logical, scale_factor)
}

fn languages_model() -> ModelRc<Language> {
    let languages: Vec<Language> = i18n::languages()
        .into_iter()
        .map(|l| Language {
            tag: l.tag.into(),
            name: l.name.into(),
            flag: l
                .flag_svg
                .and_then(|svg| Image::load_from_svg_data(svg).ok())
                .unwrap_or_default(),
        })
        .collect();
    ModelRc::new(VecModel::from(languages))
}

fn bind_actions(window: &KioskWindow, sink: InputSink) {
    let actions = window.global::<Actions>();
    let act = |action: Action| {
        let sink = sink.clone();
        move || sink(Input::Action(action.clone()))
    };
    let per_product = |make: fn(ProductId) -> Action| {
        let sink = sink.clone();
        move |id: i32| sink(Input::Action(make(ProductId(i64::from(id)))))
    };
    actions.on_open_grid(act(Action::OpenGrid));
    actions.on_close_grid(act(Action::CloseGrid));
    actions.on_cancel_all(act(Action::CancelAll));
    actions.on_pay(act(Action::Pay));
    actions.on_confirm_payment(act(Action::ConfirmPayment));
    actions.on_back(act(Action::Back));
    actions.on_buy_at_full_price(act(Action::BuyAtFullPrice));
    actions.on_dismiss(act(Action::Dismiss));
    actions.on_still_here(act(Action::StillHere));
    actions.on_undo(act(Action::Undo));
    actions.on_cancel_terminal(act(Action::CancelTerminal));
    actions.on_retry_terminal(act(Action::RetryTerminal));
    actions.on_listen(act(Action::Listen));
    actions.on_add_product(per_product(Action::AddProduct));
    actions.on_increment(per_product(Action::Increment));
    actions.on_decrement(per_product(Action::Decrement));
    actions.on_remove(per_product(Action::Remove));
    let language_sink = sink.clone();
    actions.on_set_language(move |tag| {
        language_sink(Input::Action(Action::SetLanguage(tag.to_string())))
    });
    let method_sink = sink.clone();
    actions.on_choose_method(move |method| {
        method_sink(Input::Action(Action::ChooseMethod(
            adapters::payment_method(method),
        )))
    });
    let manual_sink = sink.clone();
    actions.on_manual_code(move |code| {
        let code = code.trim();
        if !code.is_empty() {
            manual_sink(Input::Scan(code.to_owned()));
        }
    });
    bind_staff_actions(&actions, &sink);
    bind_keyboard_wedge(&actions, sink);
}

fn bind_staff_actions(actions: &Actions<'_>, sink: &InputSink) {
    let send = |sink: &InputSink| {
        let sink = sink.clone();
        move |action: Action| sink(Input::Action(action))
    };
    let s = send(sink);
    actions.on_submit_pin(move |pin| s(Action::SubmitPin(pin.to_string())));
    let s = send(sink);
    actions.on_staff_open(move |target| s(Action::StaffOpen(staff_screen(target))));
    let s = send(sink);
    actions.on_staff_pick(move |id| s(Action::StaffPick(ProductId(i64::from(id)))));
    let s = send(sink);
    actions.on_staff_quantity(move |delta| s(Action::StaffQuantity(i64::from(delta))));
    let s = send(sink);
    actions.on_staff_best_before(move |months| s(Action::StaffBestBefore(months)));
    let s = send(sink);
    actions.on_staff_reason(move |kind| {
        if let Some(reason) = staff_adapters::loss_reason(kind) {
            s(Action::StaffReason(reason));
        }
    });
    let s = send(sink);
    actions.on_staff_confirm(move || s(Action::StaffConfirm));
    let s = send(sink);
    actions.on_staff_clear_hold(move || s(Action::StaffClearHold));
    let s = send(sink);
    actions.on_staff_sync_now(move || s(Action::StaffSyncNow));
    let s = send(sink);
    actions.on_staff_leave(move || s(Action::StaffLeave));
}

fn staff_screen(target: StaffTarget) -> StaffScreen {
    match target {
        StaffTarget::Menu => StaffScreen::Menu,
        StaffTarget::Restock => StaffScreen::Restock,
        StaffTarget::Count => StaffScreen::Count,
        StaffTarget::Loss => StaffScreen::Loss,
        StaffTarget::Levels => StaffScreen::Levels,
        StaffTarget::Lots => StaffScreen::Lots,
        StaffTarget::Alarms => StaffScreen::Alarms,
        StaffTarget::Temperature => StaffScreen::Temperature,
        StaffTarget::Sync => StaffScreen::Sync,
        StaffTarget::Enrol => StaffScreen::Enrol,
    }
}

/// A keyboard-wedge scanner types into the window: its keys, captured before any text field,
/// are assembled into scans here, on the UI thread (no I/O, just a few characters).
fn bind_keyboard_wedge(actions: &Actions<'_>, sink: InputSink) {
    let wedge = Rc::new(RefCell::new(KeyboardWedge::default()));
    let started = Instant::now();
    actions.on_key(move |text| {
        let at = started.elapsed().as_millis() as u64;
        for scan in wedge.borrow_mut().key(&text, at) {
            sink(Input::Scan(scan));
        }
    });
}
