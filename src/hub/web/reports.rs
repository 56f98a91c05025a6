//! The funders' reports as pages: sales by period and grouping (with CSV and JSON siblings) and the
//! monthly charts. Report viewers and admins only (`Access::Reports`): aggregates, never a
//! household.
//!
//! - `GET /reports?period=2026-11&month=on&tier=on` (or `group=month,tier`): the table and totals;
//! - `GET /reports/sales.csv` and `/reports/sales.json` with the same query;
//! - `GET /reports/charts?period=…`: kg and sales per month, by tier and by territory (SVG).
//!
//! Stock, expiring lots and recalls are in [`super::reports_stock`], fleet health in
//! [`super::reports_fleet`].

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;

use super::error::WebError;
use super::i18n::{self, Lang};
use super::page::Page;
use super::policy::Access;
use super::render;
use super::session::CurrentUser;
use crate::domain::Money;
use crate::hub::app::HubState;
use crate::hub::reports::charts::{self, ChartText, Measure};
use crate::hub::reports::svg::{self, format_number};
use crate::hub::reports::{
    Dimension, Figures, Period, ReportError, SalesQuery, SalesReport, export, query,
};
use crate::hub::store::HubStore;

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/reports", get(sales_page))
        .route("/reports/sales.csv", get(sales_csv))
        .route("/reports/sales.json", get(sales_json))
        .route("/reports/charts", get(charts_page))
}

/// Runs a report on the blocking pool.
pub async fn report_call<T: Send + 'static>(
    state: &HubState,
    call: impl FnOnce(&dyn HubStore) -> Result<T, ReportError> + Send + 'static,
) -> Result<T, WebError> {
    crate::hub::blocking::on_store(&state.store, move |store| call(store).map_err(web_error)).await
}

/// A report's refusal as the web pages show it.
pub fn web_error(error: ReportError) -> WebError {
    match error {
        ReportError::Store(error) => WebError::Store(error),
        bad => WebError::BadForm(bad.to_string()),
    }
}

/// A download: CSV as an attachment named `congelo-<name>.csv`.
pub fn csv_download(user: &CurrentUser, name: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"congelo-{name}.csv\"");
    user.visitor.respond((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, disposition),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    ))
}

/// A JSON answer, not cached.
pub fn json_answer(user: &CurrentUser, value: impl serde::Serialize) -> Response {
    user.visitor
        .respond(([(CACHE_CONTROL, "no-store")], Json(value)).into_response())
}

/// `?period=…&group=a,b` or one checkbox per dimension (`month=on`…). Unknown text is a clear
/// error on the page, never a 400 without words.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct SalesParams {
    #[serde(default)]
    period: String,
    #[serde(default)]
    group: String,
    month: Option<String>,
    territory: Option<String>,
    site: Option<String>,
    kiosk: Option<String>,
    tier: Option<String>,
    product: Option<String>,
}

impl SalesParams {
    fn grouping(&self) -> String {
        let boxes = [
            ("month", &self.month),
            ("territory", &self.territory),
            ("site", &self.site),
            ("kiosk", &self.kiosk),
            ("tier", &self.tier),
            ("product", &self.product),
        ];
        let mut names: Vec<&str> = boxes
            .iter()
            .filter(|(_, on)| on.is_some())
            .map(|(name, _)| *name)
            .collect();
        names.extend(
            self.group
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty()),
        );
        names.sort_unstable();
        names.dedup();
        names.join(",")
    }

    fn query(&self, today: NaiveDate) -> Result<SalesQuery, ReportError> {
        SalesQuery::from_params(Some(&self.period), Some(&self.grouping()), today)
    }
}

/// Query-string values keep `-`, `.`, `_` and `,` readable (`period=2026-10&group=month,tier`).
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b',');

/// Percent-encodes a query value, readably.
pub fn query_value(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, QUERY_VALUE).to_string()
}

/// The query string that asks for `query` again (for the download links).
fn query_string(query: &SalesQuery) -> String {
    let group: Vec<&str> = query.group_by.iter().map(|d| d.name()).collect();
    format!(
        "period={}&group={}",
        query_value(&query.period.text()),
        query_value(&group.join(","))
    )
}

/// A table ready for the template: header, rows of cells, optional footer; which columns are
/// numbers (right-aligned).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub footer: Option<Vec<String>>,
    pub numeric: Vec<bool>,
    /// Rows to highlight (fleet: needs attention).
    pub flagged: Vec<bool>,
}

impl Table {
    pub fn is_flagged(&self, index: &usize) -> bool {
        self.flagged.get(*index).copied().unwrap_or(false)
    }
    pub fn is_numeric(&self, index: &usize) -> bool {
        self.numeric.get(*index).copied().unwrap_or(false)
    }
}

pub fn kg(lang: Lang, grams: i64) -> String {
    format_number(grams as f64 / 1000.0, 1, lang.locale())
}

fn figure_cells(lang: Lang, f: &Figures) -> Vec<String> {
    let money = |cents| i18n::money(lang, Money::from_cents(cents));
    vec![
        format_number(f.sales as f64, 0, lang.locale()),
        format_number(f.units as f64, 0, lang.locale()),
        kg(lang, f.grams),
        money(f.paid_cents),
        money(f.full_cents),
        money(f.subsidy_cents),
    ]
}

fn dimension_label(lang: Lang, dim: Dimension) -> String {
    i18n::t(
        lang,
        match dim {
            Dimension::Month => "hub-reports-month",
            Dimension::Territory => "hub-reports-territory",
            Dimension::Site => "hub-reports-site",
            Dimension::Kiosk => "hub-reports-kiosk",
            Dimension::Tier => "hub-reports-tier",
            Dimension::Product => "hub-reports-product",
        },
    )
}

fn sales_table(lang: Lang, report: &SalesReport) -> Table {
    let mut header: Vec<String> = report
        .group_by
        .iter()
        .map(|d| dimension_label(lang, *d))
        .collect();
    let keys = header.len();
    for id in [
        "hub-reports-sales",
        "hub-reports-units",
        "hub-reports-kg",
        "hub-reports-paid",
        "hub-reports-full",
        "hub-reports-subsidy",
    ] {
        header.push(i18n::t(lang, id));
    }
    let rows = report
        .rows
        .iter()
        .map(|row| {
            let mut cells: Vec<String> = row.month.iter().cloned().collect();
            cells.extend(row.keys().map(|key| key.name.clone()));
            cells.extend(figure_cells(lang, &row.figures));
            cells
        })
        .collect();
    let mut footer = vec![String::new(); keys];
    if let Some(first) = footer.first_mut() {
        *first = i18n::t(lang, "hub-reports-total");
    }
    footer.extend(figure_cells(lang, &report.totals));
    Table {
        header,
        rows,
        footer: Some(footer),
        numeric: (0..keys).map(|_| false).chain([true; 6]).collect(),
        flagged: Vec::new(),
    }
}

/// A grouping checkbox.
pub struct GroupBox {
    pub name: &'static str,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "reports_sales.html")]
struct SalesPage {
    page: Page,
    period: String,
    boxes: Vec<GroupBox>,
    error: Option<String>,
    table: Option<Table>,
    from: String,
    to: String,
    links: String,
}

async fn sales_page(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<SalesParams>,
) -> Result<Response, WebError> {
    user.require(Access::Reports)?;
    let lang = user.lang();
    let parsed = params.query(state.clock.today());
    let chosen = query::parse_grouping(&params.grouping()).unwrap_or_default();
    let boxes = Dimension::ALL
        .into_iter()
        .map(|dim| GroupBox {
            name: dim.name(),
            label: dimension_label(lang, dim),
            checked: chosen.contains(&dim),
        })
        .collect();
    let mut template = SalesPage {
        page: Page::new(&user.visitor, "hub-reports-title"),
        period: params.period.clone(),
        boxes,
        error: None,
        table: None,
        from: String::new(),
        to: String::new(),
        links: String::new(),
    };
    let query = match parsed {
        Ok(query) => query,
        Err(error) => {
            template.error = Some(error.to_string());
            return render(&user.visitor, StatusCode::UNPROCESSABLE_ENTITY, &template);
        }
    };
    let links = query_string(&query);
    let report = report_call(&state, move |s| s.sales_report(&query, lang.locale())).await?;
    template.period = report.period.clone();
    template.from = report.from.to_string();
    template.to = report.to.to_string();
    template.table = Some(sales_table(lang, &report));
    template.links = links;
    render(&user.visitor, StatusCode::OK, &template)
}

async fn sales_report(
    state: &HubState,
    user: &CurrentUser,
    params: &SalesParams,
) -> Result<SalesReport, WebError> {
    user.require(Access::Reports)?;
    let query = params.query(state.clock.today()).map_err(web_error)?;
    let locale = user.lang().locale();
    report_call(state, move |s| s.sales_report(&query, locale)).await
}

async fn sales_csv(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<SalesParams>,
) -> Result<Response, WebError> {
    let report = sales_report(&state, &user, &params).await?;
    let bytes = export::sales_csv(&report).map_err(web_error)?;
    Ok(csv_download(
        &user,
        &format!("sales-{}", report.period),
        bytes,
    ))
}

async fn sales_json(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<SalesParams>,
) -> Result<Response, WebError> {
    let report = sales_report(&state, &user, &params).await?;
    Ok(json_answer(&user, report))
}

/// A chart as the page embeds it (the SVG is ours, escaped when drawn).
pub struct ChartView {
    /// Shown above the chart: the SVG's own title is for screen readers only.
    pub title: String,
    pub svg: String,
}

#[derive(Template)]
#[template(path = "reports_charts.html")]
struct ChartsPage {
    page: Page,
    period: String,
    error: Option<String>,
    charts: Vec<ChartView>,
}

#[derive(Debug, Default, Deserialize)]
struct ChartParams {
    #[serde(default)]
    period: String,
}

/// The last thirteen months, this one included.
fn thirteen_months(today: NaiveDate) -> Period {
    let this_month = today.with_day(1).unwrap_or(today);
    Period::Custom {
        from: this_month - Months::new(12),
        to: today,
    }
}

async fn charts_page(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<ChartParams>,
) -> Result<Response, WebError> {
    user.require(Access::Reports)?;
    let lang = user.lang();
    let period = match params.period.trim() {
        "" => Ok(thirteen_months(state.clock.today())),
        text => Period::parse(text),
    };
    let mut template = ChartsPage {
        page: Page::new(&user.visitor, "hub-reports-charts-title"),
        period: params.period.clone(),
        error: None,
        charts: Vec::new(),
    };
    let period = match period {
        Ok(period) => period,
        Err(error) => {
            template.error = Some(error.to_string());
            return render(&user.visitor, StatusCode::UNPROCESSABLE_ENTITY, &template);
        }
    };
    template.period = period.text();
    let (by_tier, by_territory) = report_call(&state, move |s| {
        let ask = |by| SalesQuery {
            period,
            group_by: vec![Dimension::Month, by],
        };
        let tier = s.sales_report(&ask(Dimension::Tier), lang.locale())?;
        let territory = s.sales_report(&ask(Dimension::Territory), lang.locale())?;
        Ok((tier, territory))
    })
    .await?;
    let specs = [
        (
            &by_tier,
            Dimension::Tier,
            Measure::Kilograms,
            "hub-reports-chart-kg-tier",
        ),
        (
            &by_tier,
            Dimension::Tier,
            Measure::Sales,
            "hub-reports-chart-sales-tier",
        ),
        (
            &by_territory,
            Dimension::Territory,
            Measure::Kilograms,
            "hub-reports-chart-kg-territory",
        ),
        (
            &by_territory,
            Dimension::Territory,
            Measure::Sales,
            "hub-reports-chart-sales-territory",
        ),
    ];
    for (index, (report, by, measure, title)) in specs.into_iter().enumerate() {
        let title = i18n::t(lang, title);
        let text = ChartText {
            id: format!("chart{index}"),
            title: title.clone(),
            desc: i18n::t_with(
                lang,
                "hub-reports-chart-desc",
                &[
                    ("from", report.from.to_string().into()),
                    ("to", report.to.to_string().into()),
                ],
            ),
            unit: match measure {
                Measure::Kilograms => "kg".into(),
                Measure::Sales => String::new(),
            },
            axis_label: i18n::t(
                lang,
                match measure {
                    Measure::Kilograms => "hub-reports-chart-axis-kg",
                    Measure::Sales => "hub-reports-chart-axis-sales",
                },
            ),
            legend_title: i18n::t(
                lang,
                match by {
                    Dimension::Territory => "hub-reports-chart-legend-territory",
                    _ => "hub-reports-chart-legend-tier",
                },
            ),
        };
        let chart = charts::monthly(report, by, measure, text, lang.locale()).map_err(web_error)?;
        template.charts.push(ChartView {
            title,
            svg: svg::render(&chart),
        });
    }
    render(&user.visitor, StatusCode::OK, &template)
}
