//! `/dashboard`, the home page: the state at a glance — today's and this month's sales and kg,
//! kiosks needing attention, low stock, lots expiring soon, open recalls — each with a link to
//! its page, and only what the reader's role may see ([`HomeAccess`]).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::error::WebError;
use super::i18n::{money, t_with};
use super::page::Page;
use super::policy::{Access, allows, own_site};
use super::render;
use super::reports::report_call;
use super::reports_fleet::reason;
use super::session::CurrentUser;
use crate::domain::Money;
use crate::hub::app::HubState;
use crate::hub::reports::home::{HOME_EXPIRING_DAYS, Home, HomeAccess};
use crate::hub::reports::svg::format_number;
use crate::hub::reports::{DEFAULT_LOW_STOCK_PACKS, Figures, Scope};

/// A sales figure as the page shows it.
struct Tile {
    label: &'static str,
    sales: i64,
    kg: String,
    paid: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct HomePage {
    page: Page,
    welcome: String,
    tiles: Vec<Tile>,
    home: Home,
    /// Each kiosk needing attention with its reasons in words.
    attention: Vec<(String, String)>,
    low_below: i64,
    expiring_days: u32,
}

fn tile(label: &'static str, figures: &Figures, lang: super::i18n::Lang) -> Tile {
    Tile {
        label,
        sales: figures.sales,
        kg: format_number(figures.grams as f64 / 1000.0, 1, lang.locale()),
        paid: money(lang, Money::from_cents(figures.paid_cents)),
    }
}

pub async fn page(State(state): State<HubState>, user: CurrentUser) -> Result<Response, WebError> {
    let role = user.user.role;
    let access = HomeAccess {
        sales: allows(role, Access::Reports),
        kiosks: match own_site(role) {
            Some(site) if allows(role, Access::Site(site)) => Some(Scope::Site(site)),
            Some(_) => None,
            None if allows(role, Access::AllSites) => Some(Scope::All),
            None => None,
        },
    };
    let (now, today, locale) = (state.clock.now(), state.clock.today(), user.lang().locale());
    let home = report_call(&state, move |s| {
        crate::hub::reports::home::home(s, access, now, today, locale)
    })
    .await?;
    let lang = user.lang();
    let mut tiles = Vec::new();
    if let Some(f) = &home.today {
        tiles.push(tile("hub-home-today", f, lang));
    }
    if let Some(f) = &home.month {
        tiles.push(tile("hub-home-month", f, lang));
    }
    let attention = home
        .attention
        .iter()
        .flat_map(|list| list.rows.iter())
        .map(|row| {
            let reasons: Vec<String> = row.attention.iter().map(|a| reason(lang, a)).collect();
            (row.facts.kiosk.name.clone(), reasons.join(" · "))
        })
        .collect();
    let welcome = t_with(
        lang,
        "hub-dashboard-welcome",
        &[("login", user.user.login.clone().into())],
    );
    let template = HomePage {
        page: Page::new(&user.visitor, "hub-dashboard-title"),
        welcome,
        tiles,
        home,
        attention,
        low_below: DEFAULT_LOW_STOCK_PACKS,
        expiring_days: HOME_EXPIRING_DAYS,
    };
    render(&user.visitor, StatusCode::OK, &template)
}
