//! The home page's "state at a glance": today's and this month's sales, kiosks needing attention
//! (silent, open alarms, quarantined events, an older program than the rest of the fleet), low
//! stock, lots expiring soon and open recalls — each only for the roles that may see it.
//!
//! Everything is read through the reports' and recalls' own store methods (sales from the rollups,
//! never the sales themselves), so the page costs a handful of indexed reads whatever the size of
//! the sales history; `benches/hub_reports.rs` times it on a million sales.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use super::fleet::{FleetPolicy, FleetRow};
use super::{DEFAULT_LOW_STOCK_PACKS, ExpiringLot, Figures, Period, SalesQuery, Scope, StockRow};
use crate::domain::product::Locale;
use crate::hub::store::recalls::RecallSummary;
use crate::hub::store::{HubStore, ReportError};

/// How far ahead "expiring soon" looks on the home page, in days.
pub const HOME_EXPIRING_DAYS: u32 = 7;
/// Rows shown per list; the rest are behind the link to the full report.
pub const HOME_ROWS: usize = 8;

/// What the reader may see on the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HomeAccess {
    /// Sales figures (admins and report viewers).
    pub sales: bool,
    /// Kiosks, stock and lots of these kiosks (`None`: none at all).
    pub kiosks: Option<Scope>,
}

/// A kiosk running an older program than the newest one reporting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outdated {
    pub kiosk: String,
    pub version: String,
}

/// A list cut to [`HOME_ROWS`], with how many rows there were.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortlist<T> {
    pub rows: Vec<T>,
    pub total: usize,
}

impl<T> Shortlist<T> {
    fn of(rows: Vec<T>) -> Shortlist<T> {
        let total = rows.len();
        Shortlist {
            rows: rows.into_iter().take(HOME_ROWS).collect(),
            total,
        }
    }

    /// Rows not shown.
    pub fn more(&self) -> usize {
        self.total - self.rows.len()
    }
}

/// The state at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Home {
    pub today: Option<Figures>,
    pub month: Option<Figures>,
    pub attention: Option<Shortlist<FleetRow>>,
    /// The newest program version reporting, and the kiosks behind it.
    pub newest_version: Option<String>,
    pub outdated: Vec<Outdated>,
    pub low_stock: Option<Shortlist<StockRow>>,
    pub expiring: Option<Shortlist<ExpiringLot>>,
    pub recalls: Vec<RecallSummary>,
}

/// A version's numeric parts (`0.12.3` → [0, 12, 3]); anything after a `-` or `+` is ignored.
fn version_key(version: &str) -> Vec<u64> {
    version
        .split(['-', '+'])
        .next()
        .unwrap_or_default()
        .split('.')
        .map(|part| part.trim().parse().unwrap_or(0))
        .collect()
}

/// The newest version among `rows` and the kiosks that report an older one.
pub fn outdated(rows: &[FleetRow]) -> (Option<String>, Vec<Outdated>) {
    let newest = rows
        .iter()
        .filter_map(|r| r.facts.version.as_deref())
        .max_by_key(|v| version_key(v))
        .map(str::to_owned);
    let Some(newest) = newest else {
        return (None, Vec::new());
    };
    let key = version_key(&newest);
    let behind = rows
        .iter()
        .filter_map(|r| {
            let version = r.facts.version.as_deref()?;
            (version_key(version) < key).then(|| Outdated {
                kiosk: r.facts.kiosk.name.clone(),
                version: version.to_owned(),
            })
        })
        .collect();
    (Some(newest), behind)
}

fn totals(store: &dyn HubStore, period: Period, lang: Locale) -> Result<Figures, ReportError> {
    let query = SalesQuery {
        period,
        group_by: Vec::new(),
    };
    Ok(store.sales_report(&query, lang)?.totals)
}

/// Reads the home page's state for a reader with `access`, `now` (today is `today` in the hub's
/// calendar).
pub fn home(
    store: &dyn HubStore,
    access: HomeAccess,
    now: DateTime<Utc>,
    today: NaiveDate,
    lang: Locale,
) -> Result<Home, ReportError> {
    let (today_figures, month) = if access.sales {
        let month = Period::Month {
            year: today.year(),
            month: today.month(),
        };
        (
            Some(totals(store, Period::Day(today), lang)?),
            Some(totals(store, month, lang)?),
        )
    } else {
        (None, None)
    };
    let mut home = Home {
        today: today_figures,
        month,
        attention: None,
        newest_version: None,
        outdated: Vec::new(),
        low_stock: None,
        expiring: None,
        recalls: store
            .recalls(lang)
            .map_err(ReportError::Store)?
            .into_iter()
            .filter(RecallSummary::is_open)
            .collect(),
    };
    if let Some(scope) = access.kiosks {
        let fleet = super::fleet(store, scope, now, &FleetPolicy::default())?;
        let (newest, outdated) = outdated(&fleet);
        home.newest_version = newest;
        home.outdated = outdated;
        home.attention = Some(Shortlist::of(
            fleet.into_iter().filter(|r| r.needs_attention).collect(),
        ));
        let mut low = super::low_stock(store.stock(scope, lang)?, DEFAULT_LOW_STOCK_PACKS);
        low.sort_by_key(|r| (r.level, r.kiosk.id, r.product.id));
        home.low_stock = Some(Shortlist::of(low));
        home.expiring = Some(Shortlist::of(store.expiring_lots(
            scope,
            today,
            HOME_EXPIRING_DAYS,
            lang,
        )?));
    }
    Ok(home)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_their_numbers() {
        assert!(version_key("0.10.0") > version_key("0.9.9"));
        assert!(version_key("1.2.3-dev") == version_key("1.2.3"));
        assert!(version_key("garbage") < version_key("0.0.1"));
    }
}
