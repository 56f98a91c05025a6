//! From the core's [`View`] to the window's `UiState`: formatting amounts and weights for the
//! reader's language, mapping core enums to Slint enums, and setting only what changed.

use slint::{ComponentHandle, SharedString};

use super::models::show_rows;
use super::{
    CartLine, CashPiece, GridTile, KioskWindow, Method, Refusal, ScreenKind, TerminalPhase, UiState,
};
use crate::domain::Money;
use crate::domain::caps::CapPeriod;
use crate::domain::cash::breakdown;
use crate::domain::household::CardRefusal;
use crate::domain::sale::PaymentMethod;
use crate::kiosk::i18n;
use crate::kiosk::view::{self, CapLeft, CapRoom, OutOfOrderReason, Screen, StaffScreen, View};

/// Draws `view`. Called on the UI thread.
///
/// Only what differs from the view this window drew last is formatted and set (all of it the
/// first time, or when the language changes); lists are updated in their existing models. Setting
/// every property and a new model for every list on each view made Slint rebuild every repeater
/// and cost most of a scan's time.
pub fn apply_view(window: &KioskWindow, view: &View) {
    let last = super::drawn::replace(window, view);
    let last = last.as_ref().filter(|last| last.language == view.language);
    let state = window.global::<UiState>();
    let lang = view.language.as_str();
    let screen_changed = state.get_screen() != screen_kind(view.screen);
    state.set_screen(screen_kind(view.screen));
    state.set_lang(lang.into());
    state.set_has_card(view.has_card);
    state.set_items(view.items as i32);
    state.set_countdown(view.countdown as i32);
    state.set_listen_shown(crate::kiosk::voice::clips::prompt(view.screen).is_some());
    state.set_voice_on(view.voice_on);
    apply_screen_detail(&state, view.screen);
    if last.is_none_or(|l| l.total != view.total || l.net_weight_g != view.net_weight_g) {
        state.set_total(i18n::money(lang, view.total).into());
        state.set_weight_total(i18n::weight(lang, view.net_weight_g).into());
    }
    if last.is_none_or(|l| l.cash_total != view.cash_total) {
        apply_cash(&state, lang, view.cash_total);
    }
    if last.is_none_or(|l| l.lines != view.lines) {
        let lines = view.lines.iter().map(|l| cart_line(lang, l)).collect();
        show_rows(state.get_lines(), lines, |m| state.set_lines(m));
    }
    if last.is_none_or(|l| l.grid != view.grid) {
        let grid = view.grid.iter().map(|g| grid_tile(lang, g)).collect();
        show_rows(state.get_grid(), grid, |m| state.set_grid(m));
    }
    if last.is_none_or(|l| l.methods != view.methods) {
        let methods = view.methods.iter().map(|m| method(*m)).collect();
        show_rows(state.get_methods(), methods, |m| state.set_methods(m));
    }
    if last.is_none_or(|l| {
        (l.balance_after, l.owed_after, l.cap_left)
            != (view.balance_after, view.owed_after, view.cap_left)
    }) {
        apply_account(&state, lang, view);
    }
    if last.is_none_or(|l| l.undo != view.undo) {
        state.set_undo_text(undo_text(lang, view.undo.as_ref()).into());
    }
    if last.is_none_or(|l| l.out_of_order != view.out_of_order) {
        let notices = out_of_order_notices(view.out_of_order);
        show_rows(state.get_out_of_order_notices(), notices, |m| {
            state.set_out_of_order_notices(m)
        });
    }
    if last.is_none_or(|l| l.sync != view.sync) {
        state.set_sync_status(
            view.sync
                .as_ref()
                .map(|s| sync_text(lang, s))
                .unwrap_or_default()
                .into(),
        );
    }
    if last.is_none_or(|l| (l.screen, &l.staff, &l.sync) != (view.screen, &view.staff, &view.sync))
    {
        super::staff_adapters::apply_staff(
            window,
            lang,
            staff_screen(view.screen),
            view.staff.as_ref(),
            view.sync.as_ref(),
        );
    }
    if screen_changed {
        window.invoke_focus_scanner();
    }
}

/// The refusal's reason and the terminal's phase, for the screens that show them.
fn apply_screen_detail(state: &UiState<'_>, screen: Screen) {
    if let Screen::CardRefused(refusal) = screen {
        state.set_refusal(match refusal {
            CardRefusal::Unknown => Refusal::Unknown,
            CardRefusal::Revoked => Refusal::Revoked,
            CardRefusal::Expired => Refusal::Expired,
        });
    }
    if let Screen::Terminal(phase) = screen {
        state.set_terminal_phase(match phase {
            view::TerminalPhase::Waiting => TerminalPhase::Waiting,
            view::TerminalPhase::Declined => TerminalPhase::Declined,
            view::TerminalPhase::TimedOut => TerminalPhase::TimedOut,
        });
    }
}

/// The cash amount, written and drawn as notes and coins.
fn apply_cash(state: &UiState<'_>, lang: &str, cash_total: Money) {
    state.set_cash_total(i18n::money(lang, cash_total).into());
    let (notes, coins) = cash_pieces(lang, cash_total);
    show_rows(state.get_cash_notes(), notes, |m| state.set_cash_notes(m));
    show_rows(state.get_cash_coins(), coins, |m| state.set_cash_coins(m));
}

/// What a prepaid balance or a pay-later account will be after this sale, and a reached cap.
fn apply_account(state: &UiState<'_>, lang: &str, view: &View) {
    let money = |amount: Option<Money>| amount.map(|m| i18n::money(lang, m)).unwrap_or_default();
    state.set_balance_after(money(view.balance_after).into());
    state.set_owed_after(money(view.owed_after).into());
    state.set_cap_left(cap_left(lang, view.cap_left).into());
}

fn staff_screen(screen: Screen) -> Option<StaffScreen> {
    match screen {
        Screen::Staff(screen) => Some(screen),
        _ => None,
    }
}

fn screen_kind(screen: Screen) -> ScreenKind {
    match screen {
        Screen::Idle => ScreenKind::Idle,
        Screen::Cart => ScreenKind::Cart,
        Screen::Grid => ScreenKind::Grid,
        Screen::UnknownCode => ScreenKind::UnknownCode,
        Screen::RecalledLot => ScreenKind::RecalledLot,
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
        photo: super::photos::image(line.photo.as_ref()),
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
        photo: super::photos::image(item.photo.as_ref()),
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
    let Some(left) = left else {
        return String::new();
    };
    let period = i18n::text(
        lang,
        match left.period {
            CapPeriod::Week => "cap-period-week",
            CapPeriod::Month => "cap-period-month",
        },
    );
    let (key, count, amount) = match left.room {
        CapRoom::Items(n) if n > 0 => ("cap-left-items", n, Money::ZERO),
        CapRoom::Items(n) if n < 0 => ("cap-over-items", -n, Money::ZERO),
        CapRoom::Amount(m) if m > Money::ZERO => ("cap-left-amount", 0, m),
        CapRoom::Amount(m) if m < Money::ZERO => ("cap-over-amount", 0, Money::ZERO - m),
        CapRoom::Items(_) | CapRoom::Amount(_) => ("cap-full", 0, Money::ZERO),
    };
    i18n::text_with(
        lang,
        key,
        &[
            ("period", period.into()),
            ("count", count.into()),
            ("amount", i18n::money(lang, amount).into()),
        ],
    )
}

/// What the "put back" bar says was removed.
fn undo_text(lang: &str, undo: Option<&view::UndoView>) -> String {
    match undo {
        Some(view::UndoView::Line { name }) => {
            i18n::text_with(lang, "undo-line", &[("name", name.clone().into())])
        }
        Some(view::UndoView::Cart) => i18n::text(lang, "undo-cart"),
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
    match sync.last_success {
        Some(time) => format!(
            "{pending} · {}",
            i18n::text_with(
                lang,
                "sync-last",
                &[("time", i18n::time(lang, time).into())]
            )
        ),
        None => pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cap(period: CapPeriod, room: CapRoom) -> Option<CapLeft> {
        Some(CapLeft { period, room })
    }

    #[test]
    fn a_cap_message_names_its_period_and_what_the_cart_leaves() {
        let week = CapPeriod::Week;
        let month = CapPeriod::Month;
        let cases = [
            (
                "fr-CA",
                cap(week, CapRoom::Items(0)),
                "Vous ne pouvez plus rien ajouter cette semaine : votre panier est au maximum.",
            ),
            (
                "fr-CA",
                cap(month, CapRoom::Items(2)),
                "Vous pouvez encore ajouter 2 produits ce mois-ci.",
            ),
            (
                "fr-CA",
                cap(week, CapRoom::Items(-1)),
                "Votre panier dépasse la limite permise cette semaine : enlevez 1 produit.",
            ),
            (
                "en-CA",
                cap(month, CapRoom::Amount(Money::from_cents(240))),
                "You can still spend $2.40 this month, on top of your cart.",
            ),
            (
                "en-CA",
                cap(week, CapRoom::Amount(Money::from_cents(-75))),
                "Your cart is $0.75 over the limit this week: remove some products.",
            ),
            (
                "es",
                cap(week, CapRoom::Items(-2)),
                "Su carrito supera el límite permitido esta semana: quite 2 productos.",
            ),
            (
                "es",
                cap(month, CapRoom::Amount(Money::ZERO)),
                "No puede agregar nada más este mes: su carrito está en el límite.",
            ),
        ];
        for (lang, left, expected) in cases {
            assert_eq!(cap_left(lang, left), expected, "{lang}");
        }
        assert_eq!(cap_left("fr-CA", None), "");
    }
}
