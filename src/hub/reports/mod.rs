//! The reports funders and staff ask for: sales by period and grouping, stock, lots expiring soon,
//! recalls and fleet health, each as rows that serialise to JSON (serde) and to CSV, plus
//! server-drawn SVG charts and the retention job.
//!
//! - [`query`]: periods and groupings, parsed and validated by pure functions (kept with the
//!   storage contract in `hub/store/reports/`, since the store answers them).
//! - [`model`]: the rows of every report table (also in `hub/store/reports/`).
//! - [`fleet`]: which kiosks need attention, and why (pure).
//! - [`home`]: the home page's state at a glance.
//! - [`export`]: CSV for spreadsheets (UTF-8 with BOM, ISO dates, decimal points).
//! - [`svg`] and [`charts`]: bar charts drawn on the server, readable in grey print.
//! - [`retention`]: detaching households from old sales.
//!
//! Storage is behind [`ReportStore`] (`hub/store/reports/`, implemented by the SQLite store) so a PostgreSQL store can
//! follow. Sales reports read rollups kept at ingest (`0002_reports.sql`), never the sales
//! themselves; [`ReportStore::sales_report_plain`] runs the same aggregate straight on
//! `sales`/`sale_lines`, for tests and benchmarks to compare against.

pub mod charts;
pub mod export;
pub mod fleet;
pub mod home;
pub mod retention;
pub mod svg;

use chrono::{DateTime, Utc};

use super::HubError;

pub use crate::hub::store::reports::{
    ImpactBy, ImpactRow, ReportError, ReportStore, Scope, model, query,
};
pub use fleet::{Attention, FleetPolicy, FleetRow};
pub use model::{
    ExpiringLot, Figures, FleetFacts, LotDates, Named, RecallRow, SalesReport, SalesRow, StockRow,
};
pub use query::{Dimension, Period, SalesQuery};

impl From<ReportError> for HubError {
    fn from(error: ReportError) -> Self {
        match error {
            ReportError::BadPeriod(_) | ReportError::BadGrouping(_) | ReportError::BadInput(_) => {
                HubError::BadQuery(error.to_string())
            }
            ReportError::Store(error) => HubError::Store(error),
        }
    }
}

/// How many packs make "low stock" when nothing else is said.
pub const DEFAULT_LOW_STOCK_PACKS: i64 = 3;
/// How far ahead "expiring soon" looks when nothing else is said.
pub const DEFAULT_EXPIRING_DAYS: u32 = 30;

/// Stock rows at or below `below` packs (zero and negative levels included: a negative level is
/// a discrepancy staff should count).
pub fn low_stock(rows: Vec<StockRow>, below: i64) -> Vec<StockRow> {
    rows.into_iter().filter(|r| r.level <= below).collect()
}

/// The fleet with each kiosk's "needs attention" reasons.
pub fn fleet(
    store: &dyn ReportStore,
    scope: Scope,
    now: DateTime<Utc>,
    policy: &FleetPolicy,
) -> Result<Vec<FleetRow>, ReportError> {
    let facts = store.fleet_facts(scope)?;
    // Site staff see their own kiosks, flagged against the newest version in the whole fleet.
    let newest = match scope {
        Scope::All => fleet::newest_version(&facts),
        Scope::Site(_) => fleet::newest_version(&store.fleet_facts(Scope::All)?),
    };
    Ok(facts
        .into_iter()
        .map(|facts| FleetRow::assess(facts, now, policy, newest.as_ref()))
        .collect())
}
