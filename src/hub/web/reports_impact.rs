//! The impact report: kg received, packed, lost in preparation, distributed and lost in the
//! freezers, participant-hours and distinct households, per month and one dimension (a
//! [`ListReport`] with CSV and JSON), and the year's one-page summary a coordinator prints for a
//! funder.
//!
//! Admins and report viewers see every site; site staff see their own site's figures only.
//! Households are counted, never listed.
//!
//! - `GET /reports/impact[.csv|.json]?year=2026&by=territory|site|product`
//! - `GET /reports/impact/year?year=2026`

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chrono::Datelike;
use serde::Deserialize;

use super::error::WebError;
use super::i18n::{self, Lang};
use super::page::Page;
use super::policy::{Access, own_site};
use super::render;
use super::report_list::{self, Cell, Column, Field, ListReport, number};
use super::reports::{query_value, report_call};
use super::session::CurrentUser;
use crate::hub::app::HubState;
use crate::hub::reports::Scope;
use crate::hub::reports::svg::{self, BarChart, Series, format_number};
use crate::hub::store::reports::{ImpactBy, ImpactRow};

pub fn routes() -> Router<HubState> {
    Router::new()
        .merge(report_list::routes::<Impact>())
        .route("/reports/impact/year", get(year_page))
}

/// Aggregates: every site for admins and report viewers, their own site for site staff.
fn impact_scope(user: &CurrentUser) -> Result<Scope, WebError> {
    match own_site(user.user.role) {
        Some(site) => {
            user.require(Access::Site(site))?;
            Ok(Scope::Site(site))
        }
        None => {
            user.require(Access::Reports)?;
            Ok(Scope::All)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ImpactParams {
    #[serde(default)]
    year: String,
    #[serde(default)]
    by: String,
}

impl ImpactParams {
    fn year(&self, state: &HubState) -> Result<i32, WebError> {
        match self.year.trim() {
            "" => Ok(state.clock.today().year()),
            text => text
                .parse::<i32>()
                .ok()
                .filter(|y| (2000..=2999).contains(y))
                .ok_or_else(|| WebError::BadForm(format!("«{text}»: write a year, like 2026"))),
        }
    }

    fn by(&self) -> Result<ImpactBy, WebError> {
        ImpactBy::parse(&self.by).ok_or_else(|| {
            WebError::BadForm(format!(
                "«{}»: write month, territory, site or product",
                self.by
            ))
        })
    }
}

fn kg(grams: i64) -> f64 {
    grams as f64 / 1000.0
}

fn group_name(row: &ImpactRow) -> String {
    row.group
        .as_ref()
        .map(|g| g.name.clone())
        .unwrap_or_default()
}

pub struct Impact;

impl ListReport for Impact {
    type Params = ImpactParams;
    type Row = ImpactRow;
    const PATH: &'static str = "/reports/impact";
    const TITLE: &'static str = "hub-impact-title";
    const FILE: &'static str = "impact";

    fn access(user: &CurrentUser) -> Result<(), WebError> {
        impact_scope(user).map(drop)
    }

    fn form(lang: Lang, params: &ImpactParams) -> (Vec<Field>, String) {
        let fields = vec![
            Field::text(lang, "year", "hub-impact-year", &params.year),
            Field::text(lang, "by", "hub-impact-by", &params.by),
        ];
        let query = format!(
            "year={}&by={}",
            query_value(params.year.trim()),
            query_value(params.by.trim())
        );
        (fields, query)
    }

    fn note(lang: Lang, params: &ImpactParams) -> Option<String> {
        let mut note = i18n::t(lang, "hub-impact-note");
        if params.by.trim() == "product" {
            note.push(' ');
            note.push_str(&i18n::t(lang, "hub-impact-note-product"));
        }
        Some(note)
    }

    async fn rows(
        state: &HubState,
        user: &CurrentUser,
        params: &ImpactParams,
    ) -> Result<Vec<ImpactRow>, WebError> {
        let scope = impact_scope(user)?;
        let (year, by) = (params.year(state)?, params.by()?);
        let locale = user.lang().locale();
        report_call(state, move |s| s.impact(year, by, true, scope, locale)).await
    }

    fn columns() -> Vec<Column<ImpactRow>> {
        let weight = |label, csv, get: fn(&ImpactRow) -> Option<f64>| {
            Column::both(
                label,
                csv,
                Cell::Decimal {
                    get,
                    page: 1,
                    csv: 3,
                },
            )
        };
        vec![
            Column::both(
                "hub-impact-month",
                &["month"],
                Cell::Text(|r| r.month.clone()),
            ),
            Column::page("hub-impact-group", Cell::Text(group_name)),
            Column::csv(
                &["group_id"],
                Cell::Count(|r| r.group.as_ref().map(|g| g.id)),
            ),
            Column::csv(&["group"], Cell::Text(group_name)),
            weight("hub-impact-received", &["kg_received"], |r| {
                r.received_g.map(kg)
            }),
            weight("hub-impact-packed", &["kg_packed"], |r| {
                Some(kg(r.packed_g))
            }),
            weight("hub-impact-prep-loss", &["kg_lost_in_preparation"], |r| {
                Some(kg(r.prep_loss_g))
            }),
            weight("hub-impact-distributed", &["kg_distributed"], |r| {
                Some(kg(r.distributed_g))
            }),
            weight("hub-impact-freezer-loss", &["kg_lost_in_freezers"], |r| {
                Some(kg(r.freezer_loss_g))
            }),
            Column::both(
                "hub-impact-hours",
                &["participant_hours"],
                Cell::Decimal {
                    get: |r| Some(r.participant_minutes as f64 / 60.0),
                    page: 1,
                    csv: 2,
                },
            ),
            Column::both(
                "hub-impact-households",
                &["households"],
                Cell::Count(|r| Some(r.households)),
            ),
        ]
    }

    fn flagged(_row: &ImpactRow) -> bool {
        false
    }
}

// ── The year on one page ──

/// One printed figure: its label and its value in the reader's format.
pub struct Figure {
    pub label: String,
    pub value: String,
}

/// A chart with its printed title.
pub struct Chart {
    pub title: String,
    pub svg: String,
}

#[derive(Template)]
#[template(path = "reports_impact_year.html")]
pub struct YearPage {
    pub page: Page,
    pub year: String,
    pub error: Option<String>,
    pub figures: Vec<Figure>,
    pub charts: Vec<Chart>,
    pub note: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct YearParams {
    #[serde(default)]
    year: String,
}

/// The year's totals, in the order they are printed.
fn year_figures(lang: Lang, total: &ImpactRow) -> Vec<Figure> {
    let kilos = |label: &str, grams: i64| Figure {
        label: i18n::t(lang, label),
        value: format!("{} kg", format_number(kg(grams), 1, lang.locale())),
    };
    vec![
        kilos("hub-impact-received", total.received_g.unwrap_or(0)),
        kilos("hub-impact-packed", total.packed_g),
        kilos("hub-impact-prep-loss", total.prep_loss_g),
        kilos("hub-impact-distributed", total.distributed_g),
        kilos("hub-impact-freezer-loss", total.freezer_loss_g),
        Figure {
            label: i18n::t(lang, "hub-impact-hours"),
            value: format_number(total.participant_minutes as f64 / 60.0, 1, lang.locale()),
        },
        Figure {
            label: i18n::t(lang, "hub-impact-households"),
            value: number(lang, total.households),
        },
    ]
}

/// Reads a measure's grams from a row.
type Grams = fn(&ImpactRow) -> i64;

/// One chart per measure: a bar per month of the year.
fn year_charts(lang: Lang, year: i32, months: &[ImpactRow]) -> Vec<Chart> {
    let categories: Vec<String> = (1..=12).map(|m| format!("{year}-{m:02}")).collect();
    let by_month = |get: Grams| -> Vec<f64> {
        categories
            .iter()
            .map(|month| {
                months
                    .iter()
                    .filter(|r| &r.month == month)
                    .map(|r| kg(get(r)))
                    .sum()
            })
            .collect()
    };
    let measures: [(&str, &str, Grams); 3] = [
        ("received", "hub-impact-received", |r| {
            r.received_g.unwrap_or(0)
        }),
        ("packed", "hub-impact-packed", |r| r.packed_g),
        ("distributed", "hub-impact-distributed", |r| r.distributed_g),
    ];
    measures
        .into_iter()
        .map(|(id, label, get)| {
            let name = i18n::t(lang, label);
            let title = format!("{name} — {year}");
            let chart = BarChart {
                id: format!("impact-{id}"),
                title: title.clone(),
                desc: i18n::t(lang, "hub-impact-chart-desc"),
                categories: categories.clone(),
                series: vec![Series {
                    name: name.clone(),
                    values: by_month(get),
                }],
                unit: "kg".into(),
                axis_label: format!("{name} (kg)"),
                legend_title: i18n::t(lang, "hub-impact-legend"),
                decimals: 1,
                lang: lang.locale(),
            };
            Chart {
                title,
                svg: svg::render(&chart),
            }
        })
        .collect()
}

async fn year_page(
    State(state): State<HubState>,
    user: CurrentUser,
    Query(params): Query<YearParams>,
) -> Result<Response, WebError> {
    let scope = impact_scope(&user)?;
    let lang = user.lang();
    let mut page = YearPage {
        page: Page::new(&user.visitor, "hub-impact-year-title"),
        year: params.year.clone(),
        error: None,
        figures: Vec::new(),
        charts: Vec::new(),
        note: i18n::t(lang, "hub-impact-note"),
    };
    let asked = ImpactParams {
        year: params.year.clone(),
        by: String::new(),
    };
    let year = match asked.year(&state) {
        Ok(year) => year,
        Err(WebError::BadForm(message)) => {
            page.error = Some(message);
            return render(&user.visitor, StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(error) => return Err(error),
    };
    page.year = year.to_string();
    // The printed page's only heading: what and which year.
    page.page.title = format!("{} {year}", page.page.title);
    let locale = lang.locale();
    let (months, totals) = report_call(&state, move |s| {
        let months = s.impact(year, ImpactBy::Month, true, scope, locale)?;
        let totals = s.impact(year, ImpactBy::Month, false, scope, locale)?;
        Ok((months, totals))
    })
    .await?;
    let total = totals.into_iter().next().unwrap_or_default();
    page.figures = year_figures(lang, &total);
    page.charts = year_charts(lang, year, &months);
    render(&user.visitor, StatusCode::OK, &page)
}
