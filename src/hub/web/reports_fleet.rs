//! Fleet health as a [`ListReport`] (`GET /fleet`, with CSV and JSON siblings): each kiosk's last
//! contact, version, pending events, clock offset, temperature, free disk and open alarms, and
//! whether it needs attention, with the reasons in words (an older version than the fleet's newest
//! among them). Admins see every site; site staff their
//! own.

use axum::Router;
use fluent_bundle::FluentValue;
use serde::Deserialize;

use super::error::WebError;
use super::i18n::{self, Lang};
use super::report_list::{self, Cell, Column, Field, ListReport, scope};
use super::reports::report_call;
use super::session::CurrentUser;
use crate::domain::event::AlarmKind;
use crate::hub::app::HubState;
use crate::hub::reports::svg::format_number;
use crate::hub::reports::{self, Attention, FleetPolicy, FleetRow, export};

pub fn routes() -> Router<HubState> {
    report_list::routes::<Fleet>()
}

pub struct Fleet;

/// The fleet page takes no filter.
#[derive(Debug, Default, Deserialize)]
pub struct NoParams {}

const MIB: u64 = 1024 * 1024;

/// A reason in words, with its figure.
pub fn reason(lang: Lang, attention: &Attention) -> String {
    let with = |id, name, value: FluentValue<'static>| i18n::t_with(lang, id, &[(name, value)]);
    match attention {
        Attention::NeverContacted => i18n::t(lang, "hub-reports-attention-never-contacted"),
        Attention::Silent { minutes } => with(
            "hub-reports-attention-silent",
            "hours",
            (minutes / 60).into(),
        ),
        Attention::ClockSuspect { offset_ms } => with(
            "hub-reports-attention-clock-suspect",
            "minutes",
            (offset_ms / 60_000).into(),
        ),
        Attention::TooWarm { millicelsius, .. } => with(
            "hub-reports-attention-too-warm",
            "celsius",
            format_number(f64::from(*millicelsius) / 1000.0, 1, lang.locale()).into(),
        ),
        Attention::LowDisk { free_bytes } => with(
            "hub-reports-attention-low-disk",
            "mb",
            (free_bytes / MIB).into(),
        ),
        Attention::ManyPending { pending } => with(
            "hub-reports-attention-many-pending",
            "pending",
            (*pending).into(),
        ),
        Attention::OpenAlarm { kind } => with(
            "hub-reports-attention-open-alarm",
            "kind",
            alarm_name(lang, kind).into(),
        ),
        Attention::Quarantined { events } => with(
            "hub-reports-attention-quarantined",
            "events",
            (*events).into(),
        ),
        Attention::OlderVersion { version, newest } => i18n::t_with(
            lang,
            "hub-reports-attention-older-version",
            &[
                ("version", version.clone().into()),
                ("newest", newest.clone().into()),
            ],
        ),
    }
}

/// An alarm's kind in the reader's words (`recalled_lot_scanned`: "recalled pack scanned"); the
/// CSV and JSON keep the kiosk's identifier. A kind this hub does not know stays as it came.
pub fn alarm_name(lang: Lang, kind: &str) -> String {
    let known = serde_json::from_value::<AlarmKind>(serde_json::Value::from(kind));
    let key = match known {
        Ok(AlarmKind::ColdChain) => "hub-alarm-cold-chain",
        Ok(AlarmKind::ProbeLost) => "hub-alarm-probe-lost",
        Ok(AlarmKind::DoorOpen) => "hub-alarm-door-open",
        Ok(AlarmKind::RecalledLotScanned) => "hub-alarm-recalled-lot-scanned",
        Err(_) => return kind.to_owned(),
    };
    i18n::t(lang, key)
}

/// "OK", or the reasons it needs attention.
fn state(lang: Lang, row: &FleetRow) -> String {
    if row.needs_attention {
        let reasons: Vec<String> = row.attention.iter().map(|a| reason(lang, a)).collect();
        reasons.join(" · ")
    } else {
        i18n::t(lang, "hub-reports-ok")
    }
}

impl ListReport for Fleet {
    type Params = NoParams;
    type Row = FleetRow;
    const PATH: &'static str = "/fleet";
    const TITLE: &'static str = "hub-reports-fleet-title";
    const FILE: &'static str = "fleet";

    fn access(user: &CurrentUser) -> Result<(), WebError> {
        scope(user).map(drop)
    }

    fn form(_lang: Lang, _params: &NoParams) -> (Vec<Field>, String) {
        (Vec::new(), String::new())
    }

    async fn rows(
        state: &HubState,
        user: &CurrentUser,
        _params: &NoParams,
    ) -> Result<Vec<FleetRow>, WebError> {
        let scope = scope(user)?;
        let policy = FleetPolicy::default();
        let now = state.clock.now();
        report_call(state, move |s| reports::fleet(s, scope, now, &policy)).await
    }

    fn columns() -> Vec<Column<FleetRow>> {
        let text = |csv, get: fn(&FleetRow) -> String| Column::csv(csv, Cell::Text(get));
        vec![
            Column::both(
                "hub-reports-kiosk",
                &["kiosk_id", "kiosk"],
                Cell::Named(|r| &r.facts.kiosk),
            ),
            Column::both(
                "hub-reports-site",
                &["site_id", "site"],
                Cell::Named(|r| &r.facts.site),
            ),
            Column::csv(
                &["territory_id", "territory"],
                Cell::Named(|r| &r.facts.territory),
            ),
            text(&["enrolled"], |r| r.facts.enrolled.to_string()),
            // The page: to the minute, read at a glance, the date never broken (non-breaking
            // hyphens); the CSV: the exact instant.
            Column::page(
                "hub-reports-last-contact",
                Cell::Text(|r| {
                    r.facts
                        .last_contact
                        .map(|t| t.format("%Y\u{2011}%m\u{2011}%d %H:%M").to_string())
                        .unwrap_or_default()
                }),
            ),
            Column::csv(
                &["last_contact"],
                Cell::Text(|r| export::instant(r.facts.last_contact)),
            ),
            Column::both(
                "hub-reports-version",
                &["version"],
                Cell::Text(|r| r.facts.version.clone().unwrap_or_default()),
            ),
            Column::page("hub-reports-state", Cell::Words(state)),
            Column::both(
                "hub-reports-pending",
                &["pending"],
                Cell::Count(|r| r.facts.pending.map(|p| p as i64)),
            ),
            Column::both(
                "hub-reports-clock-offset",
                &["clock_offset_s"],
                Cell::Decimal {
                    get: |r| r.facts.clock_offset_ms.map(|ms| ms as f64 / 1000.0),
                    page: 0,
                    csv: 3,
                },
            ),
            text(&["clock_suspect"], |r| r.facts.clock_suspect.to_string()),
            Column::both(
                "hub-reports-temperature",
                &["temperature_c"],
                Cell::Decimal {
                    get: |r| r.facts.millicelsius.map(|m| f64::from(m) / 1000.0),
                    page: 1,
                    csv: 1,
                },
            ),
            Column::both(
                "hub-reports-disk-free",
                &["disk_free_mb"],
                Cell::Count(|r| r.facts.disk_free_bytes.map(|b| (b / MIB) as i64)),
            ),
            text(&["open_alarms"], |r| r.facts.open_alarms.join(" ")),
            text(&["needs_attention"], |r| r.needs_attention.to_string()),
            text(&["reasons"], |r| {
                let codes: Vec<&str> = r.attention.iter().map(|a| a.code()).collect();
                codes.join(" ")
            }),
        ]
    }

    fn flagged(row: &FleetRow) -> bool {
        row.needs_attention
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alarm_kind_has_words_in_both_languages() {
        let kinds = [
            AlarmKind::ColdChain,
            AlarmKind::ProbeLost,
            AlarmKind::DoorOpen,
            AlarmKind::RecalledLotScanned,
        ];
        for lang in Lang::ALL {
            for kind in kinds {
                let code = serde_json::to_value(kind).expect("a kind");
                let code = code.as_str().expect("a name");
                let words = alarm_name(lang, code);
                assert!(
                    !words.contains('_') && !words.starts_with("hub-"),
                    "{lang:?} {code}: {words}"
                );
            }
        }
        assert_eq!(
            alarm_name(Lang::FrCa, "recalled_lot_scanned"),
            "paquet d’un lot rappelé scanné"
        );
        assert_eq!(alarm_name(Lang::EnCa, "door_open"), "door open too long");
        assert_eq!(alarm_name(Lang::EnCa, "flooded"), "flooded");
        let open = Attention::OpenAlarm {
            kind: "cold_chain".into(),
        };
        assert_eq!(
            reason(Lang::FrCa, &open),
            "Alarme ouverte : trop chaud trop longtemps"
        );
    }
}
