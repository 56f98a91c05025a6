//! Distinct households served, counted without reading the sales: the one place that writes the
//! household rollups (`0016_household_rollups.sql`) and the one that reads them.
//!
//! Funders ask how many households the collective served in a year, by territory, site or
//! product. `count(DISTINCT card_hash)` over a year of sales took seconds on a million sales;
//! these tables hold one row per card per month and place (and product), a few thousand rows a
//! year. Ingest adds each batch's sales ([`PendingHouseholds`]), a void takes its sale back out
//! ([`remove_sale`]), and retention, before it detaches sales from their households, writes the
//! counts of every period it is about to touch and then drops those sales' cards here too
//! ([`retire_before`]). [`count`] reads the written counts for such periods and the rollups for
//! the others.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{Transaction, params};

use super::super::HubStoreError;
use crate::hub::store::reports::{ImpactBy, ReportError};

/// A card's place in a month: (month, site, territory, card hash).
type Place = (String, i64, i64, [u8; 32]);

/// Sales not yet written, per card, month and place, and per product.
#[derive(Default)]
pub(super) struct PendingHouseholds {
    places: HashMap<Place, i64>,
    products: HashMap<(Place, i64), i64>,
}

impl PendingHouseholds {
    /// Counts a sale made with `card` in `month` ('YYYY-MM') holding `products` (each once).
    pub fn add(
        &mut self,
        month: &str,
        site: i64,
        territory: i64,
        card: [u8; 32],
        products: impl IntoIterator<Item = i64>,
    ) {
        let place = (month.to_owned(), site, territory, card);
        for product in products {
            *self.products.entry((place.clone(), product)).or_default() += 1;
        }
        *self.places.entry(place).or_default() += 1;
    }

    /// Writes every count in `tx` and starts again from nothing.
    pub fn write(self, tx: &Transaction<'_>) -> Result<(), HubStoreError> {
        let mut place = tx.prepare_cached(
            "INSERT INTO rollup_households (month, site_id, territory_id, card_hash, sales)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (month, site_id, territory_id, card_hash)
             DO UPDATE SET sales = sales + excluded.sales",
        )?;
        for ((month, site, territory, card), sales) in self.places {
            place.execute(params![month, site, territory, card.as_slice(), sales])?;
        }
        let mut product = tx.prepare_cached(
            "INSERT INTO rollup_household_products
                 (month, site_id, territory_id, product_id, card_hash, sales)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (month, site_id, territory_id, product_id, card_hash)
             DO UPDATE SET sales = sales + excluded.sales",
        )?;
        for (((month, site, territory, card), id), sales) in self.products {
            product.execute(params![month, site, territory, id, card.as_slice(), sales])?;
        }
        Ok(())
    }
}

/// Which sales leave the rollups: `?1` is a sale id (a void) or an instant (retention).
const VOIDED_SALE: &str = "s.id = ?1";
const DETACHED_SALES: &str = "s.household_id IS NOT NULL AND s.at < ?1 AND s.voided = 0";

/// Takes a sale that is being voided, as stored (its card still on it), out of the rollups.
pub(super) fn remove_sale(tx: &Transaction<'_>, sale_id: &str) -> Result<(), HubStoreError> {
    subtract(tx, VOIDED_SALE, sale_id)
}

/// Before retention detaches every sale older than `before` (time text) from its household:
/// writes the counts of each month and year those sales belong to that has none written yet,
/// then takes the sales' cards out of the rollups. A period's figure then stays what it was
/// when its first sale was detached.
pub(super) fn retire_before(tx: &Transaction<'_>, before: &str) -> Result<(), HubStoreError> {
    let months: Vec<String> = tx
        .prepare_cached(&format!(
            "SELECT DISTINCT s.month FROM sales s WHERE {DETACHED_SALES} AND s.card_hash IS NOT NULL"
        ))?
        .query_map([before], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let years: BTreeSet<String> = months.iter().map(|m| m[..4].to_owned()).collect();
    for period in months.iter().chain(&years) {
        write_counts(tx, period)?;
    }
    subtract(tx, DETACHED_SALES, before)
}

/// The counts of `period` ('YYYY' or 'YYYY-MM'), every grouping, for every site and each site,
/// unless they are already written.
fn write_counts(tx: &Transaction<'_>, period: &str) -> Result<(), HubStoreError> {
    let new = tx
        .prepare_cached(
            "INSERT INTO households_counted_periods (period) VALUES (?1) ON CONFLICT DO NOTHING",
        )?
        .execute([period])?;
    if new == 0 {
        return Ok(());
    }
    for by in [
        ImpactBy::Month,
        ImpactBy::Territory,
        ImpactBy::Site,
        ImpactBy::Product,
    ] {
        for scope in ["0", "h.site_id"] {
            let (table, group) = source(by);
            // Grouped by their aliases: SQLite reads a bare `GROUP BY 0` as a column number.
            tx.prepare_cached(&format!(
                "INSERT INTO households_counted (period, grouping, site_scope, group_id, households)
                 SELECT ?1, ?2, {scope} AS sc, {group} AS g, count(DISTINCT h.card_hash)
                 FROM {table} h WHERE substr(h.month, 1, length(?1)) = ?1
                 GROUP BY sc, g"
            ))?
            .execute(params![period, grouping_name(by)])?;
        }
    }
    Ok(())
}

/// Takes the sales `which` selects (with `?1` = `arg`) out of both rollups and deletes the rows
/// left with no sale. (An upsert checks a row's CHECK constraints before its conflict, so the
/// negative rows it adds cannot be refused by one; a row at or below zero is simply gone.)
fn subtract(tx: &Transaction<'_>, which: &str, arg: &str) -> Result<(), HubStoreError> {
    tx.prepare_cached(&format!(
        "INSERT INTO rollup_households (month, site_id, territory_id, card_hash, sales)
         SELECT s.month, s.site_id, s.territory_id, s.card_hash, -count(*) FROM sales s
         WHERE {which} AND s.card_hash IS NOT NULL
         GROUP BY 1, 2, 3, 4
         ON CONFLICT (month, site_id, territory_id, card_hash)
         DO UPDATE SET sales = sales + excluded.sales"
    ))?
    .execute([arg])?;
    tx.prepare_cached(&format!(
        "INSERT INTO rollup_household_products
             (month, site_id, territory_id, product_id, card_hash, sales)
         SELECT s.month, s.site_id, s.territory_id, l.product_id, s.card_hash,
                -count(DISTINCT s.id)
         FROM sale_lines l JOIN sales s ON s.id = l.sale_id
         WHERE {which} AND s.card_hash IS NOT NULL
         GROUP BY 1, 2, 3, 4, 5
         ON CONFLICT (month, site_id, territory_id, product_id, card_hash)
         DO UPDATE SET sales = sales + excluded.sales"
    ))?
    .execute([arg])?;
    // Only the months and cards just subtracted can have fallen to zero: a void in an ingest
    // batch must not scan the whole rollup.
    for table in ["rollup_households", "rollup_household_products"] {
        tx.prepare_cached(&format!(
            "DELETE FROM {table} WHERE sales <= 0 AND (month, card_hash) IN
                 (SELECT s.month, s.card_hash FROM sales s
                  WHERE {which} AND s.card_hash IS NOT NULL)"
        ))?
        .execute([arg])?;
    }
    Ok(())
}

/// The rollup a grouping reads and its group column (`0` when grouped by month only).
fn source(by: ImpactBy) -> (&'static str, &'static str) {
    match by {
        ImpactBy::Month => ("rollup_households", "0"),
        ImpactBy::Territory => ("rollup_households", "h.territory_id"),
        ImpactBy::Site => ("rollup_households", "h.site_id"),
        ImpactBy::Product => ("rollup_household_products", "h.product_id"),
    }
}

fn grouping_name(by: ImpactBy) -> &'static str {
    match by {
        ImpactBy::Month => "month",
        ImpactBy::Territory => "territory",
        ImpactBy::Site => "site",
        ImpactBy::Product => "product",
    }
}

/// Distinct households in `year` per period (the month, or the year when not `per_month`) and
/// group, for every site or only `site`: (period, group id, households).
pub(super) fn count(
    tx: &Transaction<'_>,
    year: i32,
    by: ImpactBy,
    per_month: bool,
    site: Option<i64>,
) -> Result<Vec<(String, i64, i64)>, ReportError> {
    let (table, group) = source(by);
    let key = if per_month { 7 } else { 4 };
    let sql = format!(
        "SELECT substr(h.month, 1, {key}) AS k, {group} AS g, count(DISTINCT h.card_hash)
         FROM {table} h
         WHERE h.month BETWEEN ?1 || '-01' AND ?1 || '-12' AND (?2 IS NULL OR h.site_id = ?2)
           AND substr(h.month, 1, {key}) NOT IN (SELECT period FROM households_counted_periods)
         GROUP BY k, g
         UNION ALL
         SELECT period, group_id, households FROM households_counted
         WHERE length(period) = {key} AND substr(period, 1, 4) = ?1 AND grouping = ?3
           AND site_scope = coalesce(?2, 0) AND households > 0"
    );
    let mut statement = tx.prepare_cached(&sql)?;
    let rows = statement.query_map(params![year.to_string(), site, grouping_name(by)], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
