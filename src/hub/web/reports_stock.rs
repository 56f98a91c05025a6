//! Stock, low stock, lots expiring soon, recalls and fleet health as pages, each with CSV and JSON
//! siblings.
//!
//! Site staff see their own site's kiosks only; admins see every site; report viewers see none of
//! these (they are not aggregates). A recall (`Access::Recall`) names kiosks and times, never a
//! household.
//!
//! - `GET /reports/stock[.csv|.json]?low=on&below=3`
//! - `GET /reports/expiring[.csv|.json]?days=30`
//! - `GET /reports/recall[.csv|.json]?lot=L2632-05`
//!
//! Fleet health is in [`super::reports_fleet`].

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chrono::{Local, Utc};
use serde::Deserialize;

use super::error::WebError;
use super::i18n::{self, Lang};
use super::page::Page;
use super::policy::{Access, own_site};
use super::render;
use super::reports::{Table, csv_download, json_answer, query_value, report_call, web_error};
use super::session::CurrentUser;
use crate::hub::app::HubState;
use crate::hub::reports::svg::format_number;
use crate::hub::reports::{
    self, DEFAULT_EXPIRING_DAYS, DEFAULT_LOW_STOCK_PACKS, ExpiringLot, RecallRow, Scope, StockRow,
    export,
};

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/reports/stock", get(stock_page))
        .route("/reports/stock.csv", get(stock_csv))
        .route("/reports/stock.json", get(stock_json))
        .route("/reports/expiring", get(expiring_page))
        .route("/reports/expiring.csv", get(expiring_csv))
        .route("/reports/expiring.json", get(expiring_json))
        .route("/reports/recall", get(recall_page))
        .route("/reports/recall.csv", get(recall_csv))
        .route("/reports/recall.json", get(recall_json))
}

/// Which kiosks this user may see: their site for site staff, every site for an admin.
pub fn scope(user: &CurrentUser) -> Result<Scope, WebError> {
    match own_site(user.user.role) {
        Some(site) => {
            user.require(Access::Site(site))?;
            Ok(Scope::Site(site))
        }
        None => {
            user.require(Access::AllSites)?;
            Ok(Scope::All)
        }
    }
}

/// One page: a title, a filter form's fields, a table, download links.
#[derive(Template)]
#[template(path = "reports_list.html")]
pub struct ListPage {
    pub page: Page,
    pub action: &'static str,
    pub fields: Vec<Field>,
    pub error: Option<String>,
    pub table: Option<Table>,
    pub csv: String,
    pub json: String,
}

/// A text field (or a checkbox when `checkbox`) of a filter form.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    pub checkbox: bool,
    pub checked: bool,
}

impl ListPage {
    pub fn new(user: &CurrentUser, title: &str, action: &'static str, query: &str) -> ListPage {
        ListPage {
            page: Page::new(&user.visitor, title),
            action,
            fields: Vec::new(),
            error: None,
            table: None,
            csv: format!("{action}.csv?{query}"),
            json: format!("{action}.json?{query}"),
        }
    }
}

pub fn text(lang: Lang, id: &str) -> String {
    i18n::t(lang, id)
}

pub fn number(lang: Lang, n: i64) -> String {
    format_number(n as f64, 0, lang.locale())
}

// ── Stock ──

#[derive(Debug, Default, Deserialize)]
struct StockParams {
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
            text => text
                .parse::<i64>()
                .ok()
                .filter(|n| (0..=10_000).contains(n))
                .map(Some)
                .ok_or_else(|| {
                    WebError::BadForm(format!("«{text}»: write a number of packs from 0 to 10000"))
                }),
        }
    }
}

async fn stock_rows(
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

fn stock_table(lang: Lang, rows: &[StockRow]) -> Table {
    Table {
        header: [
            "hub-reports-kiosk",
            "hub-reports-site",
            "hub-reports-product",
            "hub-reports-level",
            "hub-reports-lots",
        ]
        .iter()
        .map(|id| text(lang, id))
        .collect(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.kiosk.name.clone(),
                    r.site.name.clone(),
                    r.product.name.clone(),
                    number(lang, r.level),
                    number(lang, r.lots),
                ]
            })
            .collect(),
        flagged: rows.iter().map(|r| r.level <= 0).collect(),
        numeric_from: 3,
        footer: None,
    }
}

async fn stock_page(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<StockParams>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let query = format!(
        "{}below={}",
        if params.low.is_some() { "low=on&" } else { "" },
        query_value(&params.below)
    );
    let mut page = ListPage::new(&user, "hub-reports-stock-title", "/reports/stock", &query);
    page.fields = vec![
        Field {
            name: "low",
            label: text(lang, "hub-reports-low-only"),
            value: String::new(),
            checkbox: true,
            checked: params.low.is_some(),
        },
        Field {
            name: "below",
            label: text(lang, "hub-reports-below"),
            value: params.below.clone(),
            checkbox: false,
            checked: false,
        },
    ];
    match stock_rows(&state, &user, &params).await {
        Ok(rows) => page.table = Some(stock_table(lang, &rows)),
        Err(WebError::BadForm(message)) => {
            page.error = Some(message);
            return render(&user.visitor, StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(error) => return Err(error),
    }
    render(&user.visitor, StatusCode::OK, &page)
}

async fn stock_csv(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<StockParams>,
) -> Result<Response, WebError> {
    let rows = stock_rows(&state, &user, &params).await?;
    Ok(csv_download(
        &user,
        "stock",
        export::stock_csv(&rows).map_err(web_error)?,
    ))
}

async fn stock_json(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<StockParams>,
) -> Result<Response, WebError> {
    let rows = stock_rows(&state, &user, &params).await?;
    Ok(json_answer(&user, rows))
}

// ── Lots expiring soon ──

#[derive(Debug, Default, Deserialize)]
struct ExpiringParams {
    #[serde(default)]
    days: String,
}

async fn expiring_rows(
    state: &HubState,
    user: &CurrentUser,
    params: &ExpiringParams,
) -> Result<Vec<ExpiringLot>, WebError> {
    let scope = scope(user)?;
    let days = match params.days.trim() {
        "" => DEFAULT_EXPIRING_DAYS,
        text => text
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= 3_660)
            .ok_or_else(|| {
                WebError::BadForm(format!("«{text}»: write a number of days from 0 to 3660"))
            })?,
    };
    let (today, locale) = (Local::now().date_naive(), user.lang().locale());
    report_call(state, move |s| s.expiring_lots(scope, today, days, locale)).await
}

async fn expiring_page(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<ExpiringParams>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let query = format!("days={}", query_value(&params.days));
    let mut page = ListPage::new(
        &user,
        "hub-reports-expiring-title",
        "/reports/expiring",
        &query,
    );
    page.fields = vec![Field {
        name: "days",
        label: text(lang, "hub-reports-days"),
        value: params.days.clone(),
        checkbox: false,
        checked: false,
    }];
    let rows = match expiring_rows(&state, &user, &params).await {
        Ok(rows) => rows,
        Err(WebError::BadForm(message)) => {
            page.error = Some(message);
            return render(&user.visitor, StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(error) => return Err(error),
    };
    page.table = Some(Table {
        header: [
            "hub-reports-kiosk",
            "hub-reports-product",
            "hub-reports-lot",
            "hub-reports-best-before",
            "hub-reports-days-left",
            "hub-reports-level",
        ]
        .iter()
        .map(|id| text(lang, id))
        .collect(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.kiosk.name.clone(),
                    r.product.name.clone(),
                    r.lot.clone(),
                    r.best_before.to_string(),
                    number(lang, r.days_left),
                    number(lang, r.level),
                ]
            })
            .collect(),
        flagged: rows.iter().map(|r| r.days_left < 0).collect(),
        numeric_from: 4,
        footer: None,
    });
    render(&user.visitor, StatusCode::OK, &page)
}

async fn expiring_csv(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<ExpiringParams>,
) -> Result<Response, WebError> {
    let rows = expiring_rows(&state, &user, &params).await?;
    Ok(csv_download(
        &user,
        "expiring-lots",
        export::expiring_csv(&rows).map_err(web_error)?,
    ))
}

async fn expiring_json(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<ExpiringParams>,
) -> Result<Response, WebError> {
    let rows = expiring_rows(&state, &user, &params).await?;
    Ok(json_answer(&user, rows))
}

// ── Recall ──

#[derive(Debug, Default, Deserialize)]
struct RecallParams {
    #[serde(default)]
    lot: String,
}

async fn recall_rows(
    state: &HubState,
    user: &CurrentUser,
    params: &RecallParams,
) -> Result<Vec<RecallRow>, WebError> {
    user.require(Access::Recall)?;
    let (lot, locale) = (params.lot.clone(), user.lang().locale());
    report_call(state, move |s| s.recall(&lot, locale)).await
}

fn instant(at: Option<chrono::DateTime<Utc>>) -> String {
    at.map(|t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

async fn recall_page(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<RecallParams>,
) -> Result<Response, WebError> {
    user.require(Access::Recall)?;
    let lang = user.lang();
    let query = format!("lot={}", query_value(params.lot.trim()));
    let mut page = ListPage::new(&user, "hub-reports-recall-title", "/reports/recall", &query);
    page.fields = vec![Field {
        name: "lot",
        label: text(lang, "hub-reports-lot"),
        value: params.lot.clone(),
        checkbox: false,
        checked: false,
    }];
    if params.lot.trim().is_empty() {
        return render(&user.visitor, StatusCode::OK, &page);
    }
    let rows = match recall_rows(&state, &user, &params).await {
        Ok(rows) => rows,
        Err(WebError::BadForm(message)) => {
            page.error = Some(message);
            return render(&user.visitor, StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(error) => return Err(error),
    };
    page.table = Some(Table {
        header: [
            "hub-reports-kiosk",
            "hub-reports-site",
            "hub-reports-product",
            "hub-reports-first-sold",
            "hub-reports-last-sold",
            "hub-reports-sales",
            "hub-reports-units",
            "hub-reports-in-stock",
        ]
        .iter()
        .map(|id| text(lang, id))
        .collect(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.kiosk.name.clone(),
                    r.site.name.clone(),
                    r.product.name.clone(),
                    instant(r.first_sold),
                    instant(r.last_sold),
                    number(lang, r.sales),
                    number(lang, r.units),
                    number(lang, r.in_stock),
                ]
            })
            .collect(),
        flagged: rows.iter().map(|r| r.in_stock > 0).collect(),
        numeric_from: 5,
        footer: None,
    });
    render(&user.visitor, StatusCode::OK, &page)
}

async fn recall_csv(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<RecallParams>,
) -> Result<Response, WebError> {
    let rows = recall_rows(&state, &user, &params).await?;
    Ok(csv_download(
        &user,
        "recall",
        export::recall_csv(&rows).map_err(web_error)?,
    ))
}

async fn recall_json(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<RecallParams>,
) -> Result<Response, WebError> {
    let rows = recall_rows(&state, &user, &params).await?;
    Ok(json_answer(&user, rows))
}
