//! Staff mode's part of the window: from the core's [`StaffView`] to `UiState`, its lists
//! updated in place.

use slint::{ComponentHandle, SharedString};

use super::models::show_rows;

use super::{AlarmRow, GridTile, KioskWindow, LevelRow, LossKind, LotRow, StockMode, UiState};
use crate::domain::event::AlarmKind;
use crate::domain::stock::LossReason;
use crate::kiosk::i18n;
use crate::kiosk::view::{StaffNotice, StaffScreen, StaffView, SyncView};

/// The chart's box: 1000 wide (24 h), 300 high.
const CHART_WIDTH: f64 = 1000.0;
const CHART_HEIGHT: f64 = 300.0;
const DAY_SECONDS: f64 = 86_400.0;

pub(super) fn apply_staff(
    window: &KioskWindow,
    lang: &str,
    screen: Option<StaffScreen>,
    staff: Option<&StaffView>,
    sync: Option<&SyncView>,
) {
    let state = window.global::<UiState>();
    let default = StaffView::default();
    let view = staff.unwrap_or(&default);
    state.set_staff_notice(
        view.notice
            .as_ref()
            .map(|n| notice_text(lang, n))
            .unwrap_or_default()
            .into(),
    );
    state.set_stock_mode(match screen {
        Some(StaffScreen::Count) => StockMode::Count,
        Some(StaffScreen::Loss) => StockMode::Loss,
        _ => StockMode::Restock,
    });
    state.set_staff_pin_info(pin_info(lang, view).into());
    state.set_staff_pin_locked(view.locked_until.is_some());
    state.set_staff_sync_on(sync.is_some());
    state.set_staff_has_product(view.product.is_some());
    if let Some(product) = &view.product {
        state.set_staff_product(GridTile {
            product: product.product.0 as i32,
            name: product.name.as_str().into(),
            pictogram: product.pictogram.as_str().into(),
            photo: super::photos::image(product.photo.as_ref()),
            weight: i18n::weight(lang, u64::from(product.unit_weight_g)).into(),
            price: i18n::money(lang, product.unit_price).into(),
        });
    }
    state.set_staff_quantity(view.quantity as i32);
    state.set_staff_book_level(
        view.book_level
            .map(|n| n.to_string())
            .unwrap_or_default()
            .into(),
    );
    state.set_staff_best_before(
        view.best_before
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
            .into(),
    );
    state.set_staff_lot(view.lot.clone().unwrap_or_default().into());
    state.set_staff_reason(reason(view.reason));
    let levels = view.levels.iter().map(level_row).collect();
    show_rows(state.get_staff_levels(), levels, |m| {
        state.set_staff_levels(m)
    });
    let lots = view.lots.iter().map(|r| lot_row(lang, r)).collect();
    show_rows(state.get_staff_lots(), lots, |m| state.set_staff_lots(m));
    let alarms = view.alarms.iter().map(|a| alarm_row(lang, a)).collect();
    show_rows(state.get_staff_alarms(), alarms, |m| {
        state.set_staff_alarms(m)
    });
    state.set_staff_hold(view.hold);
    apply_temperatures(&state, lang, view);
    show_rows(state.get_staff_sync_lines(), sync_lines(lang, sync), |m| {
        state.set_staff_sync_lines(m)
    });
    state.set_staff_hub(
        view.hub
            .clone()
            .unwrap_or_else(|| i18n::text(lang, "staff-no-hub"))
            .into(),
    );
}

fn notice_text(lang: &str, notice: &StaffNotice) -> String {
    match notice {
        StaffNotice::Saved => i18n::text(lang, "staff-notice-saved"),
        StaffNotice::WrongPin => i18n::text(lang, "staff-notice-wrong-pin"),
        StaffNotice::Enrolling => i18n::text(lang, "staff-notice-enrolling"),
        StaffNotice::Enrolled => i18n::text(lang, "staff-notice-enrolled"),
        StaffNotice::EnrolFailed(why) => i18n::text_with(
            lang,
            "staff-notice-enrol-failed",
            &[("why", why.clone().into())],
        ),
        StaffNotice::NoHubAddress => i18n::text(lang, "staff-notice-no-hub"),
        StaffNotice::SyncRequested => i18n::text(lang, "staff-notice-sync-requested"),
        StaffNotice::NotLinked => i18n::text(lang, "staff-sync-off"),
        StaffNotice::BadgeLocked => i18n::text(lang, "staff-notice-badge-locked"),
        StaffNotice::HoldCleared => i18n::text(lang, "staff-notice-hold-cleared"),
        StaffNotice::RecalledLot => i18n::text(lang, "staff-notice-recalled"),
    }
}

fn pin_info(lang: &str, view: &StaffView) -> String {
    match view.locked_until {
        Some(until) => i18n::text_with(
            lang,
            "staff-pin-locked",
            &[("time", i18n::time(lang, until).into())],
        ),
        None => i18n::text_with(
            lang,
            "staff-pin-attempts",
            &[("count", i64::from(view.pin_failures_left).into())],
        ),
    }
}

fn reason(reason: Option<LossReason>) -> LossKind {
    match reason {
        None => LossKind::None,
        Some(LossReason::Thawed) => LossKind::Thawed,
        Some(LossReason::Damaged) => LossKind::Damaged,
        Some(LossReason::Expired) => LossKind::Expired,
        Some(LossReason::Other) => LossKind::Other,
    }
}

pub(super) fn loss_reason(kind: LossKind) -> Option<LossReason> {
    match kind {
        LossKind::None => None,
        LossKind::Thawed => Some(LossReason::Thawed),
        LossKind::Damaged => Some(LossReason::Damaged),
        LossKind::Expired => Some(LossReason::Expired),
        LossKind::Other => Some(LossReason::Other),
    }
}

fn level_row(row: &crate::kiosk::view::LevelRow) -> LevelRow {
    LevelRow {
        name: row.name.as_str().into(),
        pictogram: row.pictogram.as_str().into(),
        photo: super::photos::image(row.photo.as_ref()),
        level: row.level as i32,
    }
}

fn alarm_row(lang: &str, alarm: &crate::kiosk::view::AlarmRow) -> AlarmRow {
    AlarmRow {
        label: alarm_label(lang, alarm.kind, alarm.raised).into(),
        at: format!(
            "{} {}",
            alarm.at.format("%Y-%m-%d"),
            i18n::time(lang, alarm.at.time())
        )
        .into(),
        raised: alarm.raised,
    }
}

fn lot_row(lang: &str, row: &crate::kiosk::view::LotRow) -> LotRow {
    let _ = lang;
    LotRow {
        name: row.name.as_str().into(),
        pictogram: row.pictogram.as_str().into(),
        photo: super::photos::image(row.photo.as_ref()),
        lot: row.lot.as_str().into(),
        best_before: row
            .best_before
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "—".into())
            .into(),
        level: row.level as i32,
        first_out: row.first_out,
        expired: row.expired,
        recalled: row.recalled,
    }
}

fn alarm_label(lang: &str, kind: AlarmKind, raised: bool) -> String {
    let key = match (kind, raised) {
        (AlarmKind::ColdChain, true) => "staff-alarm-cold-chain",
        (AlarmKind::ColdChain, false) => "staff-alarm-cold-chain-over",
        (AlarmKind::ProbeLost, true) => "staff-alarm-probe-lost",
        (AlarmKind::ProbeLost, false) => "staff-alarm-probe-back",
        (AlarmKind::DoorOpen, true) => "staff-alarm-door-open",
        (AlarmKind::DoorOpen, false) => "staff-alarm-door-closed",
        (AlarmKind::RecalledLotScanned, true) => "staff-alarm-recalled",
        (AlarmKind::RecalledLotScanned, false) => "staff-alarm-recalled-seen",
    };
    i18n::text(lang, key)
}

/// A temperature in degrees with one decimal, as the reader writes decimals, with a real minus
/// sign (U+2212: a hyphen reads as a dash).
fn degrees(lang: &str, millicelsius: i32) -> String {
    let text = format!("{:.1}\u{a0}°C", f64::from(millicelsius) / 1000.0).replace('-', "\u{2212}");
    match i18n::money_style(lang) {
        crate::domain::MoneyStyle::CommaSymbolAfter => text.replace('.', ","),
        crate::domain::MoneyStyle::DotSymbolBefore => text,
    }
}

fn apply_temperatures(state: &UiState<'_>, lang: &str, view: &StaffView) {
    let readings = &view.temperatures;
    let lowest = readings
        .iter()
        .map(|(_, mc)| *mc)
        .min()
        .unwrap_or(-20_000)
        .min(view.max_millicelsius);
    let highest = readings
        .iter()
        .map(|(_, mc)| *mc)
        .max()
        .unwrap_or(-10_000)
        .max(view.max_millicelsius);
    // A little room above and below, in whole degrees.
    let top = (highest / 1000 + 2) * 1000;
    let bottom = (lowest / 1000 - 2) * 1000;
    let y = |mc: i32| CHART_HEIGHT * f64::from(top - mc) / f64::from((top - bottom).max(1));
    let path: String = readings
        .iter()
        .enumerate()
        .map(|(i, (at, mc))| {
            let x = CHART_WIDTH * (*at as f64) / DAY_SECONDS;
            format!("{}{x:.1} {:.1} ", if i == 0 { "M " } else { "L " }, y(*mc))
        })
        .collect();
    state.set_staff_temperature_path(path.trim_end().into());
    state.set_staff_threshold_y(y(view.max_millicelsius) as f32);
    state.set_staff_temperature_top(degrees(lang, top).into());
    state.set_staff_temperature_bottom(degrees(lang, bottom).into());
    state.set_staff_temperature_middle(degrees(lang, (top + bottom) / 2).into());
    let limit = i18n::text(lang, "staff-chart-limit");
    let limit = format!("{limit} {}", degrees(lang, view.max_millicelsius));
    state.set_staff_threshold_label(limit.into());
    let now = readings
        .last()
        .map(|(_, mc)| degrees(lang, *mc))
        .unwrap_or_else(|| i18n::text(lang, "staff-no-reading"));
    state.set_staff_temperature_now(now.into());
}

fn sync_lines(lang: &str, sync: Option<&SyncView>) -> Vec<SharedString> {
    let Some(sync) = sync else {
        return vec![i18n::text(lang, "staff-sync-off").into()];
    };
    let mut lines = vec![
        i18n::text_with(
            lang,
            "sync-pending",
            &[("count", (sync.pending as i64).into())],
        )
        .into(),
    ];
    if let Some(time) = sync.last_success {
        lines.push(
            i18n::text_with(
                lang,
                "sync-last",
                &[("time", i18n::time(lang, time).into())],
            )
            .into(),
        );
    }
    if let Some(error) = &sync.last_error {
        lines.push(
            i18n::text_with(lang, "staff-sync-error", &[("why", error.clone().into())]).into(),
        );
    }
    if sync.clock_suspect {
        lines.push(i18n::text(lang, "staff-clock-suspect").into());
    }
    lines
}
