//! Fleet health as a page (`GET /fleet`) with CSV and JSON siblings: each kiosk's last contact,
//! version, pending events, clock offset, temperature, free disk and open alarms, and whether it
//! needs attention, with the reasons in words. Admins see every site; site staff their own.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chrono::SecondsFormat;

use super::error::WebError;
use super::i18n::{self, Lang};
use super::render;
use super::reports::{Table, csv_download, json_answer, report_call, web_error};
use super::reports_stock::{ListPage, number, scope, text};
use super::session::CurrentUser;
use crate::hub::app::HubState;
use crate::hub::reports::svg::format_number;
use crate::hub::reports::{self, Attention, FleetPolicy, FleetRow, export};

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/fleet", get(fleet_page))
        .route("/fleet.csv", get(fleet_csv))
        .route("/fleet.json", get(fleet_json))
}

async fn fleet_rows(state: &HubState, user: &CurrentUser) -> Result<Vec<FleetRow>, WebError> {
    let scope = scope(user)?;
    let policy = FleetPolicy::default();
    let now = state.clock.now();
    report_call(state, move |s| reports::fleet(s, scope, now, &policy)).await
}

/// A reason in words, with its figure.
fn reason(lang: Lang, attention: &Attention) -> String {
    match attention {
        Attention::NeverContacted => text(lang, "hub-reports-attention-never-contacted"),
        Attention::Silent { minutes } => i18n::t_with(
            lang,
            "hub-reports-attention-silent",
            &[("hours", (minutes / 60).into())],
        ),
        Attention::ClockSuspect { offset_ms } => i18n::t_with(
            lang,
            "hub-reports-attention-clock-suspect",
            &[("minutes", (offset_ms / 60_000).into())],
        ),
        Attention::TooWarm { millicelsius, .. } => i18n::t_with(
            lang,
            "hub-reports-attention-too-warm",
            &[(
                "celsius",
                format_number(f64::from(*millicelsius) / 1000.0, 1, lang.locale()).into(),
            )],
        ),
        Attention::LowDisk { free_bytes } => i18n::t_with(
            lang,
            "hub-reports-attention-low-disk",
            &[("mb", (free_bytes / (1024 * 1024)).into())],
        ),
        Attention::ManyPending { pending } => i18n::t_with(
            lang,
            "hub-reports-attention-many-pending",
            &[("pending", (*pending).into())],
        ),
        Attention::OpenAlarm { kind } => i18n::t_with(
            lang,
            "hub-reports-attention-open-alarm",
            &[("kind", kind.clone().into())],
        ),
        Attention::Quarantined { events } => i18n::t_with(
            lang,
            "hub-reports-attention-quarantined",
            &[("events", (*events).into())],
        ),
    }
}

fn fleet_table(lang: Lang, rows: &[FleetRow]) -> Table {
    let ok = text(lang, "hub-reports-ok");
    Table {
        header: [
            "hub-reports-kiosk",
            "hub-reports-site",
            "hub-reports-last-contact",
            "hub-reports-version",
            "hub-reports-state",
            "hub-reports-pending",
            "hub-reports-clock-offset",
            "hub-reports-temperature",
            "hub-reports-disk-free",
        ]
        .iter()
        .map(|id| text(lang, id))
        .collect(),
        rows: rows
            .iter()
            .map(|r| {
                let f = &r.facts;
                let state = if r.needs_attention {
                    r.attention
                        .iter()
                        .map(|a| reason(lang, a))
                        .collect::<Vec<_>>()
                        .join(" · ")
                } else {
                    ok.clone()
                };
                vec![
                    f.kiosk.name.clone(),
                    f.site.name.clone(),
                    f.last_contact
                        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
                        .unwrap_or_default(),
                    f.version.clone().unwrap_or_default(),
                    state,
                    f.pending
                        .map(|p| number(lang, p as i64))
                        .unwrap_or_default(),
                    f.clock_offset_ms
                        .map(|ms| format_number(ms as f64 / 1000.0, 0, lang.locale()))
                        .unwrap_or_default(),
                    f.millicelsius
                        .map(|m| format_number(f64::from(m) / 1000.0, 1, lang.locale()))
                        .unwrap_or_default(),
                    f.disk_free_bytes
                        .map(|b| number(lang, (b / (1024 * 1024)) as i64))
                        .unwrap_or_default(),
                ]
            })
            .collect(),
        flagged: rows.iter().map(|r| r.needs_attention).collect(),
        numeric_from: 5,
        footer: None,
    }
}

async fn fleet_page(
    State(state): State<HubState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let rows = fleet_rows(&state, &user).await?;
    let mut page = ListPage::new(&user, "hub-reports-fleet-title", "/fleet", "");
    page.table = Some(fleet_table(user.lang(), &rows));
    render(&user.visitor, StatusCode::OK, &page)
}

async fn fleet_csv(State(state): State<HubState>, user: CurrentUser) -> Result<Response, WebError> {
    let rows = fleet_rows(&state, &user).await?;
    Ok(csv_download(
        &user,
        "fleet",
        export::fleet_csv(&rows).map_err(web_error)?,
    ))
}

async fn fleet_json(
    State(state): State<HubState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let rows = fleet_rows(&state, &user).await?;
    Ok(json_answer(&user, rows))
}
