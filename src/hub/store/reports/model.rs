//! The rows of every report table, as JSON shows them (serde) and CSV flattens them.
//!
//! Amounts are integer cents and weights integer grams in JSON, so a script never meets a float;
//! CSV writes them as decimals. No row ever carries a household or a card hash.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::query::Dimension;
use crate::domain::{ProductId, Seq};

/// Something with a hub id and a name in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// What a funder counts. `subsidy_cents = full_cents − paid_cents`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Sales (with the product, when grouped by product), voided ones excluded.
    pub sales: i64,
    /// Packs.
    pub units: i64,
    /// Net weight distributed, grams.
    pub grams: i64,
    /// What households paid, before tax.
    pub paid_cents: i64,
    /// Value at full price.
    pub full_cents: i64,
    /// What the collective gave.
    pub subsidy_cents: i64,
}

impl Figures {
    pub fn new(sales: i64, units: i64, grams: i64, full_cents: i64, paid_cents: i64) -> Figures {
        Figures {
            sales,
            units,
            grams,
            paid_cents,
            full_cents,
            subsidy_cents: full_cents - paid_cents,
        }
    }
}

/// One group of a sales report: the keys it is grouped by (absent when not grouped by them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SalesRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub territory: Option<Named>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<Named>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kiosk: Option<Named>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<Named>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<Named>,
    #[serde(flatten)]
    pub figures: Figures,
}

impl SalesRow {
    /// The keys the row is grouped by, in column order (territory, site, kiosk, tier, product).
    pub fn keys(&self) -> impl Iterator<Item = &Named> {
        [
            &self.territory,
            &self.site,
            &self.kiosk,
            &self.tier,
            &self.product,
        ]
        .into_iter()
        .flatten()
    }
}

/// A sales report: its period, its grouping, its rows (sorted by the grouping's keys) and totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SalesReport {
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group_by: Vec<Dimension>,
    pub rows: Vec<SalesRow>,
    /// Over the whole period; its sale count is exact whatever the grouping.
    pub totals: Figures,
}

/// Stock now of one product in one kiosk, all lots together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StockRow {
    pub kiosk: Named,
    pub site: Named,
    pub product: Named,
    /// Packs by the books; negative means packs were sold that the books did not have.
    pub level: i64,
    /// Lots with packs left.
    pub lots: i64,
}

/// A lot still in a freezer, with its best-before date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpiringLot {
    pub kiosk: Named,
    pub site: Named,
    pub product: Named,
    pub lot: String,
    pub best_before: NaiveDate,
    /// Negative once past.
    pub days_left: i64,
    pub level: i64,
}

/// Where one lot went, per kiosk and product. Sales are counted, never named: households stay
/// pseudonymous.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecallRow {
    pub lot: String,
    pub kiosk: Named,
    pub site: Named,
    pub product: Named,
    pub sales: i64,
    pub units: i64,
    pub first_sold: Option<DateTime<Utc>>,
    pub last_sold: Option<DateTime<Utc>>,
    /// Packs of this lot still in the kiosk by the books: to pull from the freezer.
    pub in_stock: i64,
}

/// The dates of one lot of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LotDates {
    pub product: ProductId,
    pub lot: String,
    pub packed_on: Option<NaiveDate>,
    pub best_before: NaiveDate,
}

/// What the hub knows of one kiosk: the fleet report's row, the kiosks page's and `kiosk list`'s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FleetFacts {
    pub kiosk: Named,
    pub site: Named,
    pub territory: Named,
    /// The highest seq the hub holds from the kiosk (the report's JSON leaves it out).
    #[serde(skip)]
    pub acked_through: Seq,
    /// A live token exists.
    pub enrolled: bool,
    pub last_contact: Option<DateTime<Utc>>,
    pub version: Option<String>,
    pub pending: Option<u64>,
    pub clock_offset_ms: Option<i64>,
    pub clock_suspect: bool,
    pub millicelsius: Option<i32>,
    /// The kiosk's cold-chain threshold.
    pub max_millicelsius: i32,
    pub disk_free_bytes: Option<u64>,
    /// Kinds of alarms whose latest event raised them (`cold_chain`, `door_open`, `probe_lost`).
    pub open_alarms: Vec<String>,
    /// Events the hub stored but quarantined: they broke a rule and count nowhere.
    pub quarantined: u64,
    /// Sale lines charged otherwise than the hub prices them (e.g. from an older price list).
    pub price_mismatches: u64,
}
