//! Stock, low stock, lots expiring soon and recalls, described as [`ListReport`]s: each a page
//! with CSV and JSON siblings.
//!
//! Site staff see their own site's kiosks only; admins see every site; report viewers see none of
//! these (they are not aggregates). A recall (`Access::Recall`) names kiosks and times, never a
//! household.
//!
//! - `GET /reports/stock[.csv|.json]?low=on&below=3`
//! - `GET /reports/expiring[.csv|.json]?days=30`
//! - `GET /reports/recall[.csv|.json]?lot=L2632-05`
//!
//! Fleet health is in [`super::reports_fleet`]; the handlers in [`super::report_list`].

use axum::Router;
use chrono::{DateTime, Local, Utc};
use serde::Deserialize;

use super::error::WebError;
use super::i18n::Lang;
use super::policy::Access;
use super::report_list::{self, Cell, Column, Field, ListReport, scope};
use super::reports::{query_value, report_call};
use super::session::CurrentUser;
use crate::hub::app::HubState;
use crate::hub::reports::{
    self, DEFAULT_EXPIRING_DAYS, DEFAULT_LOW_STOCK_PACKS, ExpiringLot, RecallRow, StockRow, export,
};

pub fn routes() -> Router<HubState> {
    Router::new()
        .merge(report_list::routes::<Stock>())
        .merge(report_list::routes::<Expiring>())
        .merge(report_list::routes::<Recall>())
}

const KIOSK: &[&str] = &["kiosk_id", "kiosk"];
const SITE: &[&str] = &["site_id", "site"];
const PRODUCT: &[&str] = &["product_id", "product"];

/// Either a number within `range` or the message that says what to write.
fn parse_within<T: std::str::FromStr + PartialOrd>(
    text: &str,
    range: std::ops::RangeInclusive<T>,
    what: &str,
) -> Result<T, WebError> {
    text.parse::<T>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| WebError::BadForm(format!("«{text}»: write {what}")))
}

// ── Stock ──

pub struct Stock;

#[derive(Debug, Default, Deserialize)]
pub struct StockParams {
    low: Option<String>,
    #[serde(default)]
    below: String,
}

impl StockParams {
    fn below(&self) -> Result<Option<i64>, WebError> {
        if self.low.is_none() {
            return Ok(None);
        }
        match self.below.trim() {
            "" => Ok(Some(DEFAULT_LOW_STOCK_PACKS)),
            text => parse_within(text, 0..=10_000, "a number of packs from 0 to 10000").map(Some),
        }
    }
}

impl ListReport for Stock {
    type Params = StockParams;
    type Row = StockRow;
    const PATH: &'static str = "/reports/stock";
    const TITLE: &'static str = "hub-reports-stock-title";
    const FILE: &'static str = "stock";

    fn access(user: &CurrentUser) -> Result<(), WebError> {
        scope(user).map(drop)
    }

    fn form(lang: Lang, params: &StockParams) -> (Vec<Field>, String) {
        let low = params.low.is_some();
        let fields = vec![
            Field::checkbox(lang, "low", "hub-reports-low-only", low),
            Field::text(lang, "below", "hub-reports-below", &params.below),
        ];
        let query = format!(
            "{}below={}",
            if low { "low=on&" } else { "" },
            query_value(&params.below)
        );
        (fields, query)
    }

    async fn rows(
        state: &HubState,
        user: &CurrentUser,
        params: &StockParams,
    ) -> Result<Vec<StockRow>, WebError> {
        let scope = scope(user)?;
        let below = params.below()?;
        let locale = user.lang().locale();
        let rows = report_call(state, move |s| s.stock(scope, locale)).await?;
        Ok(match below {
            Some(below) => reports::low_stock(rows, below),
            None => rows,
        })
    }

    fn columns() -> Vec<Column<StockRow>> {
        vec![
            Column::both("hub-reports-kiosk", KIOSK, Cell::Named(|r| &r.kiosk)),
            Column::both("hub-reports-site", SITE, Cell::Named(|r| &r.site)),
            Column::both("hub-reports-product", PRODUCT, Cell::Named(|r| &r.product)),
            Column::both(
                "hub-reports-level",
                &["level"],
                Cell::Count(|r| Some(r.level)),
            ),
            Column::both("hub-reports-lots", &["lots"], Cell::Count(|r| Some(r.lots))),
        ]
    }

    fn flagged(row: &StockRow) -> bool {
        row.level <= 0
    }
}

// ── Lots expiring soon ──

pub struct Expiring;

#[derive(Debug, Default, Deserialize)]
pub struct ExpiringParams {
    #[serde(default)]
    days: String,
}

impl ListReport for Expiring {
    type Params = ExpiringParams;
    type Row = ExpiringLot;
    const PATH: &'static str = "/reports/expiring";
    const TITLE: &'static str = "hub-reports-expiring-title";
    const FILE: &'static str = "expiring-lots";

    fn access(user: &CurrentUser) -> Result<(), WebError> {
        scope(user).map(drop)
    }

    fn form(lang: Lang, params: &ExpiringParams) -> (Vec<Field>, String) {
        let fields = vec![Field::text(lang, "days", "hub-reports-days", &params.days)];
        (fields, format!("days={}", query_value(&params.days)))
    }

    async fn rows(
        state: &HubState,
        user: &CurrentUser,
        params: &ExpiringParams,
    ) -> Result<Vec<ExpiringLot>, WebError> {
        let scope = scope(user)?;
        let days = match params.days.trim() {
            "" => DEFAULT_EXPIRING_DAYS,
            text => parse_within(text, 0..=3_660, "a number of days from 0 to 3660")?,
        };
        let (today, locale) = (state.clock.today(), user.lang().locale());
        report_call(state, move |s| s.expiring_lots(scope, today, days, locale)).await
    }

    fn columns() -> Vec<Column<ExpiringLot>> {
        vec![
            Column::both("hub-reports-kiosk", KIOSK, Cell::Named(|r| &r.kiosk)),
            Column::csv(SITE, Cell::Named(|r| &r.site)),
            Column::both("hub-reports-product", PRODUCT, Cell::Named(|r| &r.product)),
            Column::both("hub-reports-lot", &["lot"], Cell::Text(|r| r.lot.clone())),
            Column::both(
                "hub-reports-best-before",
                &["best_before"],
                Cell::Text(|r| r.best_before.to_string()),
            ),
            Column::both(
                "hub-reports-days-left",
                &["days_left"],
                Cell::Count(|r| Some(r.days_left)),
            ),
            Column::both(
                "hub-reports-level",
                &["level"],
                Cell::Count(|r| Some(r.level)),
            ),
        ]
    }

    fn flagged(row: &ExpiringLot) -> bool {
        row.days_left < 0
    }
}

// ── Recall ──

pub struct Recall;

#[derive(Debug, Default, Deserialize)]
pub struct RecallParams {
    #[serde(default)]
    lot: String,
}

/// An instant as the page shows it: local time, to the minute.
fn local_minutes(at: Option<DateTime<Utc>>) -> String {
    at.map(|t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

impl ListReport for Recall {
    type Params = RecallParams;
    type Row = RecallRow;
    const PATH: &'static str = "/reports/recall";
    const TITLE: &'static str = "hub-reports-recall-title";
    const FILE: &'static str = "recall";

    fn access(user: &CurrentUser) -> Result<(), WebError> {
        user.require(Access::Recall)
    }

    fn form(lang: Lang, params: &RecallParams) -> (Vec<Field>, String) {
        let fields = vec![Field::text(lang, "lot", "hub-reports-lot", &params.lot)];
        (fields, format!("lot={}", query_value(params.lot.trim())))
    }

    fn asked(params: &RecallParams) -> bool {
        !params.lot.trim().is_empty()
    }

    async fn rows(
        state: &HubState,
        user: &CurrentUser,
        params: &RecallParams,
    ) -> Result<Vec<RecallRow>, WebError> {
        let (lot, locale) = (params.lot.clone(), user.lang().locale());
        report_call(state, move |s| s.recall(&lot, locale)).await
    }

    fn columns() -> Vec<Column<RecallRow>> {
        let count = |label, csv, get: fn(&RecallRow) -> Option<i64>| {
            Column::both(label, csv, Cell::Count(get))
        };
        vec![
            Column::csv(&["lot"], Cell::Text(|r| r.lot.clone())),
            Column::both("hub-reports-kiosk", KIOSK, Cell::Named(|r| &r.kiosk)),
            Column::both("hub-reports-site", SITE, Cell::Named(|r| &r.site)),
            Column::both("hub-reports-product", PRODUCT, Cell::Named(|r| &r.product)),
            Column::page(
                "hub-reports-first-sold",
                Cell::Text(|r| local_minutes(r.first_sold)),
            ),
            Column::page(
                "hub-reports-last-sold",
                Cell::Text(|r| local_minutes(r.last_sold)),
            ),
            count("hub-reports-sales", &["sales"], |r| Some(r.sales)),
            count("hub-reports-units", &["units"], |r| Some(r.units)),
            Column::csv(
                &["first_sold"],
                Cell::Text(|r| export::instant(r.first_sold)),
            ),
            Column::csv(&["last_sold"], Cell::Text(|r| export::instant(r.last_sold))),
            count("hub-reports-in-stock", &["in_stock"], |r| Some(r.in_stock)),
        ]
    }

    fn flagged(row: &RecallRow) -> bool {
        row.in_stock > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::reports::Named;

    #[test]
    fn a_hostile_product_name_is_text_and_negative_stock_a_number() {
        let named = |id, name: &str| Named {
            id,
            name: name.into(),
        };
        let row = StockRow {
            kiosk: named(1, "=1+1"),
            site: named(2, "@site"),
            product: named(3, "-2+3"),
            level: -2,
            lots: 1,
        };
        let bytes = report_list::csv_bytes(&Stock::columns(), &[row]);
        let text = String::from_utf8(bytes).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("\u{feff}kiosk_id,kiosk,site_id,site,product_id,product,level,lots")
        );
        assert_eq!(
            lines.next(),
            Some("1,\"'=1+1\",2,\"'@site\",3,\"'-2+3\",-2,1")
        );
    }
}
