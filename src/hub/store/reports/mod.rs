//! What reports read from storage: the [`ReportStore`] trait, what a report asks for
//! ([`query`]), the rows it answers with ([`model`]), and [`ReportError`].
//!
//! Everything a report needs to say to the store lives here, so the store depends on nothing of
//! the reports' presentation (`hub/reports/`: exports, charts, fleet assessment). The SQLite side
//! is `hub/store/sqlite/reports.rs`.

pub mod impact;
pub mod model;
pub mod query;

use chrono::{DateTime, NaiveDate, Utc};
use thiserror::Error;

use super::HubStoreError;
use crate::domain::SiteId;
use crate::domain::product::Locale;

pub use impact::{ImpactBy, ImpactRow};
pub use model::{
    ExpiringLot, Figures, FleetFacts, LotDates, Named, RecallRow, SalesReport, SalesRow, StockRow,
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

/// Which kiosks a report covers: site staff see their own site only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Site(SiteId),
}

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
    /// The impact figures of `year`, per month and `by` (or one row for the whole year when
    /// `per_month` is false), in `scope`, sorted by month then group id.
    fn impact(
        &self,
        year: i32,
        by: ImpactBy,
        per_month: bool,
        scope: Scope,
        lang: Locale,
    ) -> Result<Vec<ImpactRow>, ReportError>;
    /// The same figures with the sales read from `sales` and `sale_lines` themselves (slow on
    /// large data: the reference the household and sales rollups are checked against). Periods
    /// whose household counts retention has written count only the sales still attached.
    fn impact_plain(
        &self,
        year: i32,
        by: ImpactBy,
        per_month: bool,
        scope: Scope,
        lang: Locale,
    ) -> Result<Vec<ImpactRow>, ReportError>;
}
