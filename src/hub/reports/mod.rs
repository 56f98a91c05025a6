//! The reports funders and staff ask for: sales by period and grouping, stock, lots expiring soon,
//! recalls and fleet health, each as rows that serialise to JSON (serde) and to CSV, plus
//! server-drawn SVG charts and the retention job.
//!
//! - [`query`]: periods and groupings, parsed and validated by pure functions.
//! - [`model`]: the rows of every report table.
//! - [`fleet`]: which kiosks need attention, and why (pure).
//! - [`export`]: CSV for spreadsheets (UTF-8 with BOM, ISO dates, decimal points).
//! - [`svg`] and [`charts`]: bar charts drawn on the server, readable in grey print.
//! - [`retention`]: detaching households from old sales.
//!
//! Storage is behind [`ReportStore`] (implemented by the SQLite store) so a PostgreSQL store can
//! follow. Sales reports read rollups kept at ingest (`0002_reports.sql`), never the sales
//! themselves; [`ReportStore::sales_report_plain`] runs the same aggregate straight on
//! `sales`/`sale_lines`, for tests and benchmarks to compare against.

pub mod charts;
pub mod export;
pub mod fleet;
pub mod model;
pub mod query;
pub mod retention;
pub mod svg;

use chrono::{DateTime, NaiveDate, Utc};
use thiserror::Error;

use super::HubError;
use super::store::HubStoreError;
use crate::domain::SiteId;
use crate::domain::product::Locale;

pub use fleet::{Attention, FleetFacts, FleetPolicy, FleetRow};
pub use model::{
    ExpiringLot, Figures, LotDates, Named, RecallRow, SalesReport, SalesRow, StockRow,
};
pub use query::{Dimension, Period, SalesQuery};

#[derive(Debug, Error)]
pub enum ReportError {
    #[error("period {0}")]
    BadPeriod(String),
    #[error("grouping: {0}")]
    BadGrouping(String),
    #[error("{0}")]
    BadInput(String),
    #[error(transparent)]
    Store(#[from] HubStoreError),
}

impl From<rusqlite::Error> for ReportError {
    fn from(error: rusqlite::Error) -> Self {
        ReportError::Store(HubStoreError::Sql(error))
    }
}

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

/// Which kiosks a report covers: site staff see their own site only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Site(SiteId),
}

/// How many packs make "low stock" when nothing else is said.
pub const DEFAULT_LOW_STOCK_PACKS: i64 = 3;
/// How far ahead "expiring soon" looks when nothing else is said.
pub const DEFAULT_EXPIRING_DAYS: u32 = 30;

/// What reports read from storage. Every method is one read transaction, except the two writes at
/// the end.
pub trait ReportStore: Send + Sync + 'static {
    /// Sales figures for a period, grouped, from the rollups; names in `lang`.
    fn sales_report(&self, query: &SalesQuery, lang: Locale) -> Result<SalesReport, ReportError>;
    /// The same report computed straight from `sales` and `sale_lines` (slow on large data: the
    /// reference the rollups are checked and benchmarked against).
    fn sales_report_plain(
        &self,
        query: &SalesQuery,
        lang: Locale,
    ) -> Result<SalesReport, ReportError>;
    /// Stock now per kiosk and product (all lots), sorted by kiosk then product.
    fn stock(&self, scope: Scope, lang: Locale) -> Result<Vec<StockRow>, ReportError>;
    /// Lots still in a freezer whose best-before date is on or before `today + within_days`
    /// (already past included), soonest first.
    fn expiring_lots(
        &self,
        scope: Scope,
        today: NaiveDate,
        within_days: u32,
        lang: Locale,
    ) -> Result<Vec<ExpiringLot>, ReportError>;
    /// Which kiosks sold `lot`, how many units and when (voided sales excluded), with what is left.
    fn recall(&self, lot: &str, lang: Locale) -> Result<Vec<RecallRow>, ReportError>;
    /// What the hub knows of each kiosk's health.
    fn fleet_facts(&self, scope: Scope) -> Result<Vec<FleetFacts>, ReportError>;
    /// Detaches households (household and card hash) from sales made before `before`; returns how
    /// many sales were detached. Aggregates do not change.
    fn detach_households(&self, before: DateTime<Utc>) -> Result<u64, ReportError>;
    /// Records lots' dates (from labels, staff, or the demo data), in one transaction.
    fn record_lot_dates(&self, lots: &[LotDates]) -> Result<(), ReportError>;
}

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
    Ok(store
        .fleet_facts(scope)?
        .into_iter()
        .map(|facts| FleetRow::assess(facts, now, policy))
        .collect())
}
