//! The reports' SQL: the queries over the rollups kept at ingest (written by [`super::rollups`]),
//! and the same aggregates run straight on `sales`/`sale_lines` (the reference the rollups are
//! tested and benchmarked against).
//!
//! A report is one read transaction on the reader connection: the small naming tables (kiosks,
//! sites, territories, tiers, products) are read in it too, so names match the figures.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};

mod impact;
mod sales;

use sales::Source;

use super::SqliteHubStore;
use crate::domain::Seq;
use crate::domain::config::Thresholds;
use crate::domain::product::Locale;
use crate::hub::store::HubStoreError;
use crate::hub::store::reports::{
    ExpiringLot, FleetFacts, ImpactBy, ImpactRow, LotDates, Named, RecallRow, ReportError,
    ReportStore, SalesQuery, SalesReport, Scope, StockRow,
};
use crate::sqlite::{parse_time, time_text};

/// Names of everything a report row can point at, in one language.
struct Names {
    kiosks: HashMap<i64, (String, i64)>,
    sites: HashMap<i64, (String, i64)>,
    territories: HashMap<i64, String>,
    tiers: HashMap<i64, String>,
    products: HashMap<i64, String>,
}

fn named(id: i64, name: Option<&String>) -> Named {
    Named {
        id,
        name: name.cloned().unwrap_or_else(|| format!("#{id}")),
    }
}

impl Names {
    fn load(conn: &Connection, lang: Locale) -> Result<Names, ReportError> {
        let pairs = |sql: &str| -> Result<HashMap<i64, (String, i64)>, ReportError> {
            let mut statement = conn.prepare_cached(sql)?;
            let rows = statement.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        let kiosks = pairs("SELECT id, name, site_id FROM kiosks")?;
        let sites = pairs("SELECT id, name, territory_id FROM sites")?;
        let territories = pairs("SELECT id, name, 0 FROM territories")?;
        let tiers = pairs("SELECT id, label, 0 FROM tiers")?;
        let mut products = HashMap::new();
        let mut statement = conn.prepare_cached("SELECT id, names FROM products")?;
        for row in statement.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, json) = row?;
            let names: HashMap<String, String> = serde_json::from_str(&json)
                .map_err(|e| HubStoreError::Corrupt(format!("product {id} names: {e}")))?;
            let name = names
                .get(lang.tag())
                .or_else(|| names.get(Locale::FrCa.tag()))
                .or_else(|| names.values().next())
                .cloned()
                .unwrap_or_else(|| format!("#{id}"));
            products.insert(id, name);
        }
        let firsts = |map: HashMap<i64, (String, i64)>| map.into_iter().map(|(k, v)| (k, v.0));
        Ok(Names {
            kiosks,
            sites,
            territories: firsts(territories).collect(),
            tiers: firsts(tiers).collect(),
            products,
        })
    }

    fn kiosk(&self, id: i64) -> Named {
        named(id, self.kiosks.get(&id).map(|k| &k.0))
    }
    fn site_of_kiosk(&self, kiosk: i64) -> Named {
        let site = self.kiosks.get(&kiosk).map_or(0, |k| k.1);
        self.site(site)
    }
    fn site(&self, id: i64) -> Named {
        named(id, self.sites.get(&id).map(|s| &s.0))
    }
    fn territory_of_site(&self, site: i64) -> Named {
        let territory = self.sites.get(&site).map_or(0, |s| s.1);
        named(territory, self.territories.get(&territory))
    }
    fn product(&self, id: i64) -> Named {
        named(id, self.products.get(&id))
    }
    fn in_scope(&self, kiosk: i64, scope: Scope) -> bool {
        match scope {
            Scope::All => true,
            Scope::Site(site) => self.kiosks.get(&kiosk).is_some_and(|k| k.1 == site.0),
        }
    }
}

/// The kiosk's own lot convention when no label gave one: `BB-YYYY-MM`, best before that month
/// (its first day, to warn early).
fn best_before_from_code(lot: &str) -> Option<NaiveDate> {
    let rest = lot.strip_prefix("BB-")?;
    NaiveDate::parse_from_str(&format!("{rest}-01"), "%Y-%m-%d").ok()
}

impl ReportStore for SqliteHubStore {
    fn sales_report(&self, query: &SalesQuery, lang: Locale) -> Result<SalesReport, ReportError> {
        self.sales(query, lang, Source::Rollup)
    }

    fn sales_report_plain(
        &self,
        query: &SalesQuery,
        lang: Locale,
    ) -> Result<SalesReport, ReportError> {
        self.sales(query, lang, Source::PlainSales)
    }

    fn stock(&self, scope: Scope, lang: Locale) -> Result<Vec<StockRow>, ReportError> {
        let mut conn = self.reader();
        let tx = conn.transaction()?;
        let names = Names::load(&tx, lang)?;
        let mut statement = tx.prepare_cached(
            "SELECT kiosk_id, product_id, sum(level), sum(level > 0) FROM stock_levels
             GROUP BY kiosk_id, product_id ORDER BY kiosk_id, product_id",
        )?;
        let rows = statement.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (kiosk, product, level, lots) = row?;
            if names.in_scope(kiosk, scope) {
                out.push(StockRow {
                    kiosk: names.kiosk(kiosk),
                    site: names.site_of_kiosk(kiosk),
                    product: names.product(product),
                    level,
                    lots,
                });
            }
        }
        Ok(out)
    }

    fn expiring_lots(
        &self,
        scope: Scope,
        today: NaiveDate,
        within_days: u32,
        lang: Locale,
    ) -> Result<Vec<ExpiringLot>, ReportError> {
        let horizon = today + chrono::Days::new(u64::from(within_days));
        let mut conn = self.reader();
        let tx = conn.transaction()?;
        let names = Names::load(&tx, lang)?;
        let mut statement = tx.prepare_cached(
            "SELECT s.kiosk_id, s.product_id, s.lot, s.level, d.best_before
             FROM stock_levels s
             LEFT JOIN lot_dates d ON d.product_id = s.product_id AND d.lot = s.lot
             WHERE s.level > 0 AND s.lot <> ''",
        )?;
        let rows = statement.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<NaiveDate>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (kiosk, product, lot, level, dated) = row?;
            let Some(best_before) = dated.or_else(|| best_before_from_code(&lot)) else {
                continue;
            };
            if best_before <= horizon && names.in_scope(kiosk, scope) {
                out.push(ExpiringLot {
                    kiosk: names.kiosk(kiosk),
                    site: names.site_of_kiosk(kiosk),
                    product: names.product(product),
                    lot,
                    best_before,
                    days_left: (best_before - today).num_days(),
                    level,
                });
            }
        }
        out.sort_by(|a, b| {
            (a.best_before, a.kiosk.id, a.product.id, &a.lot).cmp(&(
                b.best_before,
                b.kiosk.id,
                b.product.id,
                &b.lot,
            ))
        });
        Ok(out)
    }

    fn recall(&self, lot: &str, lang: Locale) -> Result<Vec<RecallRow>, ReportError> {
        let lot = lot.trim();
        if lot.is_empty() || lot.chars().count() > 64 {
            return Err(ReportError::BadInput(
                "name the lot to recall (its code as printed, at most 64 characters)".into(),
            ));
        }
        let mut conn = self.reader();
        let tx = conn.transaction()?;
        let names = Names::load(&tx, lang)?;
        let mut sold: HashMap<(i64, i64), (i64, i64, String, String)> = HashMap::new();
        let mut statement = tx.prepare_cached(
            "SELECT s.kiosk_id, x.product_id, count(DISTINCT x.sale_id), sum(x.quantity),
                    min(s.at), max(s.at)
             FROM sale_line_lots x JOIN sales s ON s.id = x.sale_id
             WHERE x.lot = ?1 AND s.voided = 0
             GROUP BY s.kiosk_id, x.product_id",
        )?;
        for row in statement.query_map([lot], |r| {
            Ok((
                (r.get(0)?, r.get(1)?),
                (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?),
            ))
        })? {
            let (key, value) = row?;
            sold.insert(key, value);
        }
        let mut stock: HashMap<(i64, i64), i64> = HashMap::new();
        let mut statement = tx.prepare_cached(
            "SELECT kiosk_id, product_id, sum(level) FROM stock_levels WHERE lot = ?1
             GROUP BY kiosk_id, product_id",
        )?;
        for row in statement.query_map([lot], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))? {
            let (key, level) = row?;
            stock.insert(key, level);
        }
        let mut keys: Vec<(i64, i64)> = sold.keys().chain(stock.keys()).copied().collect();
        keys.sort_unstable();
        keys.dedup();
        let time = |t: &str| parse_time(t).map_err(|e| HubStoreError::Corrupt(e.to_string()));
        let mut out = Vec::new();
        for (kiosk, product) in keys {
            let (sales, units, first, last) = match sold.get(&(kiosk, product)) {
                Some((s, u, f, l)) => (*s, *u, Some(time(f)?), Some(time(l)?)),
                None => (0, 0, None, None),
            };
            out.push(RecallRow {
                lot: lot.to_owned(),
                kiosk: names.kiosk(kiosk),
                site: names.site_of_kiosk(kiosk),
                product: names.product(product),
                sales,
                units,
                first_sold: first,
                last_sold: last,
                in_stock: stock.get(&(kiosk, product)).copied().unwrap_or(0),
            });
        }
        Ok(out)
    }

    fn fleet_facts(&self, scope: Scope) -> Result<Vec<FleetFacts>, ReportError> {
        let mut conn = self.reader();
        let tx = conn.transaction()?;
        let names = Names::load(&tx, Locale::FrCa)?;
        let mut open: HashMap<i64, Vec<String>> = HashMap::new();
        let mut statement = tx.prepare_cached(
            "SELECT a.kiosk_id, a.kind FROM alarms a
             WHERE a.raised = 1 AND a.event_seq = (SELECT max(b.event_seq) FROM alarms b
                                                   WHERE b.kiosk_id = a.kiosk_id AND b.kind = a.kind)
             ORDER BY a.kiosk_id, a.kind",
        )?;
        for row in statement.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?)))? {
            let (kiosk, kind) = row?;
            open.entry(kiosk).or_default().push(kind);
        }
        let quarantined = count_by_kiosk(&tx, "quarantined_events")?;
        let mismatches = count_by_kiosk(&tx, "price_mismatches")?;
        let mut statement = tx.prepare_cached(
            "SELECT k.id, k.site_id, k.thresholds,
                    EXISTS (SELECT 1 FROM kiosk_tokens t WHERE t.kiosk_id = k.id AND t.revoked_at IS NULL),
                    h.last_contact, h.version, h.pending, h.clock_offset_ms,
                    COALESCE(h.clock_suspect, 0), h.last_millicelsius, h.disk_free_bytes,
                    COALESCE(y.acked_through, 0)
             FROM kiosks k LEFT JOIN kiosk_health h ON h.kiosk_id = k.id
             LEFT JOIN kiosk_sync y ON y.kiosk_id = k.id ORDER BY k.id",
        )?;
        let rows = statement.query_map([], |r| {
            Ok((
                (
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                ),
                (r.get(3)?, r.get::<_, Option<String>>(4)?, r.get(5)?),
                (r.get::<_, Option<i64>>(6)?, r.get(7)?, r.get(8)?),
                (
                    r.get(9)?,
                    r.get::<_, Option<i64>>(10)?,
                    r.get::<_, i64>(11)?,
                ),
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                (id, site, thresholds),
                (enrolled, contact, version),
                (pending, offset, suspect),
                (mc, disk, acked),
            ) = row?;
            if !names.in_scope(id, scope) {
                continue;
            }
            let thresholds: Thresholds = serde_json::from_str(&thresholds)
                .map_err(|e| HubStoreError::Corrupt(format!("kiosk {id} thresholds: {e}")))?;
            let last_contact: Option<DateTime<Utc>> =
                contact
                    .map(|t| parse_time(&t))
                    .transpose()
                    .map_err(|e| HubStoreError::Corrupt(e.to_string()))?;
            out.push(FleetFacts {
                kiosk: names.kiosk(id),
                site: names.site(site),
                territory: names.territory_of_site(site),
                acked_through: Seq(acked.max(0) as u64),
                enrolled,
                last_contact,
                version,
                pending: pending.map(|p| p.max(0) as u64),
                clock_offset_ms: offset,
                clock_suspect: suspect,
                millicelsius: mc,
                max_millicelsius: thresholds.max_millicelsius,
                disk_free_bytes: disk.map(|d| d.max(0) as u64),
                open_alarms: open.remove(&id).unwrap_or_default(),
                quarantined: quarantined.get(&id).copied().unwrap_or(0),
                price_mismatches: mismatches.get(&id).copied().unwrap_or(0),
            });
        }
        Ok(out)
    }

    fn detach_households(&self, before: DateTime<Utc>) -> Result<u64, ReportError> {
        let mut conn = self.writer();
        let tx = super::immediate(&mut conn)?;
        super::household_rollups::retire_before(&tx, &time_text(before))?;
        // The sale's event loses its buyer too (the only change an event may see; its content
        // hash stays, so a late re-send still matches).
        tx.execute(
            "UPDATE events SET payload = json_replace(payload, '$.body.data.buyer', NULL)
             WHERE kind = 'sale' AND (kiosk_id, seq) IN (
                 SELECT kiosk_id, event_seq FROM sales
                 WHERE household_id IS NOT NULL AND at < ?1)",
            [time_text(before)],
        )?;
        let detached = tx.execute(
            "UPDATE sales SET household_id = NULL, card_hash = NULL
             WHERE household_id IS NOT NULL AND at < ?1",
            [time_text(before)],
        )?;
        tx.commit()?;
        Ok(detached as u64)
    }

    fn impact(
        &self,
        year: i32,
        by: ImpactBy,
        per_month: bool,
        scope: Scope,
        lang: Locale,
    ) -> Result<Vec<ImpactRow>, ReportError> {
        self.impact_rows(year, by, per_month, scope, lang, Source::Rollup)
    }

    fn impact_plain(
        &self,
        year: i32,
        by: ImpactBy,
        per_month: bool,
        scope: Scope,
        lang: Locale,
    ) -> Result<Vec<ImpactRow>, ReportError> {
        self.impact_rows(year, by, per_month, scope, lang, Source::PlainSales)
    }

    fn record_lot_dates(&self, lots: &[LotDates]) -> Result<(), ReportError> {
        if let Some(bad) = lots
            .iter()
            .find(|l| l.lot.trim().is_empty() || l.lot.len() > 64)
        {
            return Err(ReportError::BadInput(format!(
                "product {}: a lot code has 1 to 64 characters",
                bad.product
            )));
        }
        let mut conn = self.writer();
        let tx = super::immediate(&mut conn)?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO lot_dates (product_id, lot, packed_on, best_before)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (product_id, lot) DO UPDATE SET packed_on = excluded.packed_on,
                    best_before = excluded.best_before",
            )?;
            for lot in lots {
                insert.execute(params![
                    lot.product.0,
                    lot.lot.trim(),
                    lot.packed_on,
                    lot.best_before
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// Rows of `table` per kiosk (the table names come from this file, never from a request).
fn count_by_kiosk(
    tx: &rusqlite::Transaction<'_>,
    table: &'static str,
) -> Result<HashMap<i64, u64>, ReportError> {
    let mut statement = tx.prepare_cached(&format!(
        "SELECT kiosk_id, count(*) FROM {table} GROUP BY kiosk_id"
    ))?;
    let rows = statement.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    let mut counts = HashMap::new();
    for row in rows {
        let (kiosk, count) = row?;
        counts.insert(kiosk, u64::try_from(count).unwrap_or(0));
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kiosk_lot_convention_gives_a_best_before_month() {
        assert_eq!(
            best_before_from_code("BB-2027-03"),
            NaiveDate::from_ymd_opt(2027, 3, 1)
        );
        assert_eq!(best_before_from_code("L2611-03"), None);
        assert_eq!(best_before_from_code("BB-2027-13"), None);
    }
}
