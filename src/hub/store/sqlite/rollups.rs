//! The four sales rollups (day and month, per sale and per product) that sales reports read
//! instead of the sales: the one place that writes them. Ingest adds a batch's sums
//! ([`write_rollup`]); a void takes its sale back out ([`remove_sale_from_rollups`]); the reports'
//! queries (`reports/sales.rs`) only read them. Their tables are in `0002_reports.sql`.
//!
//! Every report must answer in under 250 ms on a million sales, so none scans `sales`: a period is
//! cut into whole months, read from the monthly tables, and partial months at its ends, read from
//! the daily ones (`query::month_split`), so a year sums about a dozen rows per key instead of 365.
//! `sales_report_plain` runs the same aggregate on the sales themselves; tests prove both agree for
//! every grouping, voids and re-sent sale ids included.

use rusqlite::{ToSql, Transaction, params};

use super::super::HubStoreError;

/// Where a rollup row belongs: its period ('YYYY-MM-DD' or 'YYYY-MM') and the sale's place.
#[derive(Hash, PartialEq, Eq)]
pub(super) struct SalesKey {
    pub period: String,
    pub kiosk: i64,
    pub tier: i64,
    pub site: i64,
    pub territory: i64,
}

/// The figures every rollup row carries.
#[derive(Default, Clone, Copy)]
pub(super) struct Figures {
    pub sales: i64,
    pub units: i64,
    pub grams: i64,
    pub full_cents: i64,
    pub paid_cents: i64,
}

impl Figures {
    /// Adds `other`, checked: the sales are bounded far below overflow, and should that ever be
    /// wrong the batch is refused instead of writing a wrapped total.
    pub fn add(&mut self, other: Figures) -> Result<(), HubStoreError> {
        let sum = |a: i64, b: i64| {
            a.checked_add(b)
                .ok_or_else(|| HubStoreError::Invalid("a rollup would overflow".into()))
        };
        *self = Figures {
            sales: sum(self.sales, other.sales)?,
            units: sum(self.units, other.units)?,
            grams: sum(self.grams, other.grams)?,
            full_cents: sum(self.full_cents, other.full_cents)?,
            paid_cents: sum(self.paid_cents, other.paid_cents)?,
        };
        Ok(())
    }
}

/// Takes a voided sale, as stored, back out of the four rollups, in the transaction that applies
/// the void: out of the day and month ingest stored on the sale's row and added it to. (New sales
/// are added by ingest, summed over their batch.)
pub(super) fn remove_sale_from_rollups(
    tx: &Transaction<'_>,
    sale_id: &str,
) -> Result<(), HubStoreError> {
    let sign = -1;
    const DAY: &str = "s.day";
    const MONTH: &str = "s.month";
    for (table, period) in [("rollup_sales", DAY), ("rollup_sales_month", MONTH)] {
        let key = if table.ends_with("month") {
            "month"
        } else {
            "day"
        };
        tx.prepare_cached(&format!(
            "INSERT INTO {table} ({key}, kiosk_id, tier_id, site_id, territory_id, sales, units,
                                  grams, full_cents, paid_cents)
             SELECT {period}, s.kiosk_id, s.tier_id, s.site_id, s.territory_id, ?2,
                    ?2 * s.items, ?2 * s.net_weight_g, ?2 * s.full_cents, ?2 * s.paid_cents
             FROM sales s WHERE s.id = ?1
             ON CONFLICT ({key}, kiosk_id, tier_id, site_id, territory_id) DO UPDATE SET {ADD}"
        ))?
        .execute(params![sale_id, sign])?;
    }
    for (table, period) in [("rollup_lines", DAY), ("rollup_lines_month", MONTH)] {
        let key = if table.ends_with("month") {
            "month"
        } else {
            "day"
        };
        tx.prepare_cached(&format!(
            "INSERT INTO {table} ({key}, kiosk_id, tier_id, product_id, site_id, territory_id,
                                  sales, units, grams, full_cents, paid_cents)
             SELECT {period}, s.kiosk_id, s.tier_id, l.product_id, s.site_id, s.territory_id, ?2,
                    ?2 * sum(l.quantity), ?2 * sum(l.quantity * l.unit_weight_g),
                    ?2 * sum(l.quantity * l.full_unit_cents),
                    ?2 * sum(l.quantity * l.charged_unit_cents)
             FROM sale_lines l JOIN sales s ON s.id = l.sale_id
             WHERE l.sale_id = ?1
             GROUP BY l.product_id
             ON CONFLICT ({key}, kiosk_id, tier_id, product_id, site_id, territory_id)
             DO UPDATE SET {ADD}"
        ))?
        .execute(params![sale_id, sign])?;
    }
    Ok(())
}

/// How an upsert adds a sale's figures to a rollup row.
const ADD: &str = "sales = sales + excluded.sales, units = units + excluded.units,
    grams = grams + excluded.grams, full_cents = full_cents + excluded.full_cents,
    paid_cents = paid_cents + excluded.paid_cents";

/// Adds `rows` to a rollup table keyed by `period`, the sale's place and, in the per-product
/// tables (`by_product`), the product of each row.
pub(super) fn write_rollup(
    tx: &Transaction<'_>,
    table: &str,
    period: &str,
    by_product: bool,
    rows: impl IntoIterator<Item = (SalesKey, Option<i64>, Figures)>,
) -> Result<(), HubStoreError> {
    let product = if by_product { "product_id, " } else { "" };
    let key = format!("{period}, kiosk_id, tier_id, {product}site_id, territory_id");
    let values = (1..=if by_product { 11 } else { 10 })
        .map(|n| format!("?{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut upsert = tx.prepare_cached(&format!(
        "INSERT INTO {table} ({key}, sales, units, grams, full_cents, paid_cents)
         VALUES ({values})
         ON CONFLICT ({key}) DO UPDATE SET {ADD}"
    ))?;
    for (k, product, f) in rows {
        let mut row: Vec<&dyn ToSql> = vec![&k.period, &k.kiosk, &k.tier];
        if let Some(product) = &product {
            row.push(product);
        }
        row.extend([
            &k.site as &dyn ToSql,
            &k.territory,
            &f.sales,
            &f.units,
            &f.grams,
            &f.full_cents,
            &f.paid_cents,
        ]);
        upsert.execute(row.as_slice())?;
    }
    Ok(())
}
