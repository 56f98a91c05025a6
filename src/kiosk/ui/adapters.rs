//! From the core's [`View`] to the window's `UiState`: formatting amounts and weights for the
//! reader's language, and mapping core enums to Slint enums.

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::{
    CartLine, CashPiece, GridTile, KioskWindow, Method, Refusal, ScreenKind, TerminalPhase, UiState,
};
use crate::domain::Money;
use crate::domain::cash::breakdown;
use crate::domain::household::CardRefusal;
use crate::domain::sale::PaymentMethod;
use crate::kiosk::i18n;
use crate::kiosk::view::{self, CapLeft, OutOfOrderReason, Screen, StaffScreen, View};

fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

/// Draws `view`. Called on the UI thread.
pub fn apply_view(window: &KioskWindow, view: &View) {
    let state = window.global::<UiState>();
    let lang = view.language.as_str();
    let screen_changed = state.get_screen() != screen_kind(view.screen);
    state.set_screen(screen_kind(view.screen));
    state.set_lang(lang.into());
    state.set_has_card(view.has_card);
    state.set_items(view.items as i32);
    state.set_total(i18n::money(lang, view.total).into());
    state.set_cash_total(i18n::money(lang, view.cash_total).into());
    state.set_weight_total(i18n::weight(lang, view.net_weight_g).into());
    let (notes, coins) = cash_pieces(lang, view.cash_total);
    state.set_cash_notes(model(notes));
    state.set_cash_coins(model(coins));
    state.set_lines(model(
        view.lines.iter().map(|l| cart_line(lang, l)).collect(),
    ));
    state.set_grid(model(
        view.grid.iter().map(|g| grid_tile(lang, g)).collect(),
    ));
    state.set_methods(model(view.methods.iter().map(|m| method(*m)).collect()));
    state.set_balance_after(
        view.balance_after
            .map(|m| i18n::money(lang, m))
            .unwrap_or_default()
            .into(),
    );
    state.set_owed_after(
        view.owed_after
            .map(|m| i18n::money(lang, m))
            .unwrap_or_default()
            .into(),
    );
    state.set_cap_left(cap_left(lang, view.cap_left).into());
    if let Screen::CardRefused(refusal) = view.screen {
        state.set_refusal(match refusal {
            CardRefusal::Unknown => Refusal::Unknown,
            CardRefusal::Revoked => Refusal::Revoked,
            CardRefusal::Expired => Refusal::Expired,
        });
    }
    if let Screen::Terminal(phase) = view.screen {
        state.set_terminal_phase(match phase {
            view::TerminalPhase::Waiting => TerminalPhase::Waiting,
            view::TerminalPhase::Declined => TerminalPhase::Declined,
            view::TerminalPhase::TimedOut => TerminalPhase::TimedOut,
        });
    }
    state.set_countdown(view.countdown as i32);
    state.set_out_of_order_notices(model(out_of_order_notices(view.out_of_order)));
    state.set_sync_status(
        view.sync
            .as_ref()
            .map(|s| sync_text(lang, s))
            .unwrap_or_default()
            .into(),
    );
    let staff_screen = match view.screen {
        Screen::Staff(screen) => Some(screen),
        _ => None,
    };
    super::staff_adapters::apply_staff(
        window,
        lang,
        staff_screen,
        view.staff.as_ref(),
        view.sync.as_ref(),
    );
    if screen_changed {
        window.invoke_focus_scanner();
    }
}

fn screen_kind(screen: Screen) -> ScreenKind {
    match screen {
        Screen::Idle => ScreenKind::Idle,
        Screen::Cart => ScreenKind::Cart,
        Screen::Grid => ScreenKind::Grid,
        Screen::UnknownCode => ScreenKind::UnknownCode,
        Screen::CardAccepted => ScreenKind::CardAccepted,
        Screen::CardRefused(_) => ScreenKind::CardRefused,
        Screen::CapReached => ScreenKind::CapReached,
        Screen::PaymentChoice => ScreenKind::PaymentChoice,
        Screen::Cash => ScreenKind::Cash,
        Screen::Prepaid => ScreenKind::Prepaid,
        Screen::PayLater => ScreenKind::PayLater,
        Screen::Terminal(_) => ScreenKind::Terminal,
        Screen::Done => ScreenKind::Done,
        Screen::StillThere => ScreenKind::StillThere,
        Screen::OutOfOrder => ScreenKind::OutOfOrder,
        Screen::Staff(staff) => match staff {
            StaffScreen::Pin => ScreenKind::StaffPin,
            StaffScreen::Menu => ScreenKind::StaffMenu,
            StaffScreen::Restock | StaffScreen::Count | StaffScreen::Loss => ScreenKind::StaffStock,
            StaffScreen::Levels => ScreenKind::StaffLevels,
            StaffScreen::Lots => ScreenKind::StaffLots,
            StaffScreen::Alarms => ScreenKind::StaffAlarms,
            StaffScreen::Temperature => ScreenKind::StaffTemperature,
            StaffScreen::Sync => ScreenKind::StaffSync,
            StaffScreen::Enrol => ScreenKind::StaffEnrol,
        },
    }
}

fn method(method: PaymentMethod) -> Method {
    match method {
        PaymentMethod::Cash => Method::Cash,
        PaymentMethod::Prepaid => Method::Prepaid,
        PaymentMethod::PayLater => Method::PayLater,
        PaymentMethod::CardTerminal => Method::CardTerminal,
    }
}

pub(super) fn payment_method(method: Method) -> PaymentMethod {
    match method {
        Method::Cash => PaymentMethod::Cash,
        Method::Prepaid => PaymentMethod::Prepaid,
        Method::PayLater => PaymentMethod::PayLater,
        Method::CardTerminal => PaymentMethod::CardTerminal,
    }
}

fn cart_line(lang: &str, line: &view::LineView) -> CartLine {
    CartLine {
        product: line.product.0 as i32,
        name: line.name.as_str().into(),
        pictogram: line.pictogram.as_str().into(),
        weight: i18n::weight(lang, u64::from(line.unit_weight_g)).into(),
        quantity: line.quantity as i32,
        unit_price: i18n::money(lang, line.unit_price).into(),
        line_price: i18n::money(lang, line.line_price).into(),
    }
}

fn grid_tile(lang: &str, item: &view::GridItem) -> GridTile {
    GridTile {
        product: item.product.0 as i32,
        name: item.name.as_str().into(),
        pictogram: item.pictogram.as_str().into(),
        weight: i18n::weight(lang, u64::from(item.unit_weight_g)).into(),
        price: i18n::money(lang, item.unit_price).into(),
    }
}

/// Notes and coins, as two rows. A note shows its dollars (`20 $` / `$20`), a coin its cents.
fn cash_pieces(lang: &str, amount: Money) -> (Vec<CashPiece>, Vec<CashPiece>) {
    let pieces: Vec<CashPiece> = breakdown(amount)
        .into_iter()
        .map(|(d, count)| CashPiece {
            label: piece_label(lang, d.cents).into(),
            cents: d.cents as i32,
            is_note: d.is_note,
            count: count as i32,
        })
        .collect();
    pieces.into_iter().partition(|p| p.is_note)
}

fn piece_label(lang: &str, cents: i64) -> String {
    if cents >= 100 {
        let dollars = cents / 100;
        match i18n::money_style(lang) {
            crate::domain::MoneyStyle::DotSymbolBefore => format!("${dollars}"),
            crate::domain::MoneyStyle::CommaSymbolAfter => format!("{dollars}\u{a0}$"),
        }
    } else {
        format!("{cents}\u{a0}¢")
    }
}

fn cap_left(lang: &str, left: Option<CapLeft>) -> String {
    match left {
        Some(CapLeft::Items(n)) => i18n::text_with(lang, "cap-left-items", &[("count", n.into())]),
        Some(CapLeft::Amount(amount)) => i18n::text_with(
            lang,
            "cap-left-amount",
            &[("amount", i18n::money(lang, amount).into())],
        ),
        None => String::new(),
    }
}

/// "Out of order — why", in every language, one line each.
fn out_of_order_notices(reason: Option<OutOfOrderReason>) -> Vec<SharedString> {
    let Some(reason) = reason else { return vec![] };
    let key = match reason {
        OutOfOrderReason::CannotRecord => "out-of-order-cannot-record",
        OutOfOrderReason::NotConfigured => "out-of-order-not-configured",
        OutOfOrderReason::ColdChain => "out-of-order-cold-chain",
    };
    i18n::languages()
        .iter()
        .map(|l| {
            format!(
                "{} — {}",
                i18n::text(l.tag, "out-of-order-title"),
                i18n::text(l.tag, key)
            )
            .into()
        })
        .collect()
}

fn sync_text(lang: &str, sync: &view::SyncView) -> String {
    let pending = i18n::text_with(
        lang,
        "sync-pending",
        &[("count", (sync.pending as i64).into())],
    );
    match &sync.last_success {
        Some(time) => format!(
            "{pending} · {}",
            i18n::text_with(lang, "sync-last", &[("time", time.clone().into())])
        ),
        None => pending,
    }
}
