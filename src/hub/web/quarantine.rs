//! What ingest set aside, for admins: quarantined events (the rule each broke and the event exactly
//! as the kiosk sent it) and sale lines charged otherwise than the hub prices them
//! (`GET /fleet/quarantine`). The fleet page flags every kiosk with quarantined events.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::error::WebError;
use super::i18n::money;
use super::page::Page;
use super::policy::Access;
use super::session::CurrentUser;
use super::{render, store_call};
use crate::hub::app::HubState;
use crate::hub::store::{MismatchRow, QuarantineRow};

/// Rows shown of each list: the newest first.
const LIST_ROWS: u32 = 200;

pub fn routes() -> Router<HubState> {
    Router::new().route("/fleet/quarantine", get(page))
}

/// A price mismatch as the page shows it.
struct MismatchLine {
    row: MismatchRow,
    charged: String,
    hub_charged: String,
    full: String,
    hub_full: String,
    /// The kiosk said it priced with an older configuration than the hub had.
    older_list: bool,
}

#[derive(Template)]
#[template(path = "quarantine.html")]
struct QuarantinePage {
    page: Page,
    events: Vec<QuarantineRow>,
    mismatches: Vec<MismatchLine>,
}

async fn page(State(state): State<HubState>, user: CurrentUser) -> Result<Response, WebError> {
    user.require(Access::AllSites)?;
    let (events, mismatches) = store_call(&state, |s| {
        Ok((
            s.quarantined_events(LIST_ROWS)?,
            s.price_mismatches(LIST_ROWS)?,
        ))
    })
    .await?;
    let lang = user.lang();
    let mismatches = mismatches
        .into_iter()
        .map(|row| MismatchLine {
            charged: money(lang, row.charged_unit),
            hub_charged: money(lang, row.hub_charged_unit),
            full: money(lang, row.full_unit),
            hub_full: money(lang, row.hub_full_unit),
            older_list: row
                .kiosk_config_version
                .is_some_and(|v| v < row.hub_config_version),
            row,
        })
        .collect();
    let template = QuarantinePage {
        page: Page::new(&user.visitor, "hub-quarantine-title"),
        events,
        mismatches,
    };
    render(&user.visitor, StatusCode::OK, &template)
}
