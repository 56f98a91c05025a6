//! Sales reports' SQL: the rollups kept at ingest, the query over them (daily rows for partial
//! months, monthly rows for whole ones), and the same aggregate straight on `sales`/`sale_lines`.

use chrono::{Local, NaiveDate, TimeZone, Utc};
use rusqlite::{Transaction, params};

use super::{Names, SqliteHubStore, named};
use crate::domain::product::Locale;
use crate::hub::reports::query::month_split;
use crate::hub::reports::{Dimension, Figures, ReportError, SalesQuery, SalesReport, SalesRow};
use crate::hub::store::HubStoreError;
use crate::store::time_text;

/// Takes a voided sale, as stored, back out of the four rollups, in the transaction that applies
/// the void: out of the day and month ingest stored on the sale's row and added it to. (New sales
/// are added by ingest, summed over their batch.)
pub(in crate::hub::store::sqlite) fn remove_sale_from_rollups(
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
pub(in crate::hub::store::sqlite) const ADD: &str =
    "sales = sales + excluded.sales, units = units + excluded.units,
    grams = grams + excluded.grams, full_cents = full_cents + excluded.full_cents,
    paid_cents = paid_cents + excluded.paid_cents";

/// Where a report reads its figures from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Rollup,
    PlainSales,
    PlainLines,
}

fn column(dim: Dimension, source: Source) -> &'static str {
    match (dim, source) {
        (Dimension::Month, Source::Rollup) => "month",
        (Dimension::Month, _) => "s.month",
        (Dimension::Territory, _) => "territory_id",
        (Dimension::Site, _) => "site_id",
        (Dimension::Kiosk, _) => "kiosk_id",
        (Dimension::Tier, _) => "tier_id",
        (Dimension::Product, _) => "product_id",
    }
}

/// The aggregate's SQL. Rollups: `?1`–`?2` and `?5`–`?6` are days of the daily rollups, `?3`–`?4`
/// months of the monthly ones (see [`month_split`]). Plain: `?1`, `?2` are the UTC instants of the
/// period's local start and end.
fn sales_sql(dims: &[Dimension], source: Source) -> String {
    let keys: Vec<&str> = dims.iter().map(|d| column(*d, source)).collect();
    let rollup = |table: &str, product: &str| {
        let columns = format!(
            "kiosk_id, tier_id, site_id, territory_id, {product}sales, units, grams, full_cents,
             paid_cents"
        );
        format!(
            "(SELECT substr(day, 1, 7) AS month, {columns} FROM {table} WHERE day BETWEEN ?1 AND ?2
              UNION ALL
              SELECT month, {columns} FROM {table}_month WHERE month BETWEEN ?3 AND ?4
              UNION ALL
              SELECT substr(day, 1, 7) AS month, {columns} FROM {table} WHERE day BETWEEN ?5 AND ?6)"
        )
    };
    let sums = "sum(sales), sum(units), sum(grams), sum(full_cents), sum(paid_cents)";
    let lines_rollup;
    let sales_rollup;
    let (figures, from) = match source {
        Source::Rollup if dims.contains(&Dimension::Product) => {
            lines_rollup = rollup("rollup_lines", "product_id, ");
            (sums, lines_rollup.as_str())
        }
        Source::Rollup => {
            sales_rollup = rollup("rollup_sales", "");
            (sums, sales_rollup.as_str())
        }
        Source::PlainSales => (
            "count(*), sum(items), sum(net_weight_g), sum(full_cents), sum(paid_cents)",
            "sales s WHERE s.voided = 0 AND s.at >= ?1 AND s.at < ?2",
        ),
        Source::PlainLines => (
            "count(DISTINCT l.sale_id), sum(l.quantity), sum(l.quantity * l.unit_weight_g),
             sum(l.quantity * l.full_unit_cents), sum(l.quantity * l.charged_unit_cents)",
            "sale_lines l JOIN sales s ON s.id = l.sale_id
             WHERE s.voided = 0 AND s.at >= ?1 AND s.at < ?2",
        ),
    };
    let keys = keys
        .iter()
        .map(|k| match (source, *k) {
            (Source::PlainLines, "product_id") => "l.product_id".to_owned(),
            (Source::PlainSales | Source::PlainLines, k) if !k.contains('.') => format!("s.{k}"),
            (_, k) => k.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    if keys.is_empty() {
        return format!("SELECT {figures} FROM {from}");
    }
    format!(
        "SELECT {keys}, {figures} FROM {from} GROUP BY {keys} HAVING {count} > 0 ORDER BY {keys}",
        count = figures.split(',').next().unwrap_or("1")
    )
}

/// The six bounds of a rollup query: head days, whole months, tail days (an empty range is
/// `'1'..'0'`, which no key falls in).
fn rollup_bounds(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let split = month_split(from, to);
    let days = |range: Option<(NaiveDate, NaiveDate)>| match range {
        Some((a, b)) => [a.to_string(), b.to_string()],
        None => ["1".to_owned(), "0".to_owned()],
    };
    let months = match split.months {
        Some((a, b)) => [a.format("%Y-%m").to_string(), b.format("%Y-%m").to_string()],
        None => ["1".to_owned(), "0".to_owned()],
    };
    let [h0, h1] = days(split.head);
    let [t0, t1] = days(split.tail);
    let [m0, m1] = months;
    vec![h0, h1, m0, m1, t0, t1]
}

/// Local midnight of `day` as the stored UTC text (plain queries compare `sales.at`).
fn local_start(day: NaiveDate) -> String {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    let at = Local
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc));
    time_text(at)
}

fn run_sales(
    tx: &Transaction<'_>,
    query: &SalesQuery,
    source: Source,
    names: &Names,
) -> Result<(Vec<SalesRow>, Figures), ReportError> {
    let (from, to) = query.period.bounds()?;
    let bounds = match source {
        Source::Rollup => rollup_bounds(from, to),
        _ => {
            let after = to.succ_opt().ok_or_else(|| {
                ReportError::BadPeriod(format!("«{}» has no day after it", query.period.text()))
            })?;
            vec![local_start(from), local_start(after)]
        }
    };
    let bounds = rusqlite::params_from_iter(bounds.iter());
    let totals_source = if source == Source::Rollup {
        Source::Rollup
    } else {
        Source::PlainSales
    };
    let totals = tx
        .prepare_cached(&sales_sql(&[], totals_source))?
        .query_row(bounds.clone(), |r| figures_at(r, 0))?;
    let dims = &query.group_by;
    if dims.is_empty() {
        return Ok((Vec::new(), totals));
    }
    let mut statement = tx.prepare_cached(&sales_sql(dims, source))?;
    let rows = statement.query_map(bounds, |r| {
        let mut row = SalesRow {
            month: None,
            territory: None,
            site: None,
            kiosk: None,
            tier: None,
            product: None,
            figures: figures_at(r, dims.len())?,
        };
        for (index, dim) in dims.iter().enumerate() {
            match dim {
                Dimension::Month => row.month = Some(r.get(index)?),
                Dimension::Territory => {
                    let id = r.get(index)?;
                    row.territory = Some(named(id, names.territories.get(&id)));
                }
                Dimension::Site => row.site = Some(names.site(r.get(index)?)),
                Dimension::Kiosk => row.kiosk = Some(names.kiosk(r.get(index)?)),
                Dimension::Tier => {
                    let id = r.get(index)?;
                    row.tier = Some(named(id, names.tiers.get(&id)));
                }
                Dimension::Product => row.product = Some(names.product(r.get(index)?)),
            }
        }
        Ok(row)
    })?;
    Ok((rows.collect::<Result<_, _>>()?, totals))
}

fn figures_at(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Figures> {
    let n =
        |i: usize| -> rusqlite::Result<i64> { Ok(r.get::<_, Option<i64>>(at + i)?.unwrap_or(0)) };
    Ok(Figures::new(n(0)?, n(1)?, n(2)?, n(3)?, n(4)?))
}

impl SqliteHubStore {
    pub(super) fn sales(
        &self,
        query: &SalesQuery,
        lang: Locale,
        source: Source,
    ) -> Result<SalesReport, ReportError> {
        let mut conn = self.reader();
        let tx = conn.transaction()?;
        let names = Names::load(&tx, lang)?;
        let source = match source {
            Source::PlainSales if query.groups_by(Dimension::Product) => Source::PlainLines,
            other => other,
        };
        let (rows, totals) = run_sales(&tx, query, source, &names)?;
        let (from, to) = query.period.bounds()?;
        Ok(SalesReport {
            period: query.period.text(),
            from,
            to,
            group_by: query.group_by.clone(),
            rows,
            totals,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_sql_reads_the_right_rollup() {
        let lines = sales_sql(&[Dimension::Month, Dimension::Product], Source::Rollup);
        assert!(lines.contains("FROM rollup_lines_month"), "{lines}");
        let sales = sales_sql(&[Dimension::Kiosk], Source::Rollup);
        assert!(sales.contains("FROM rollup_sales_month"), "{sales}");
        assert!(!sales.contains("rollup_lines"), "{sales}");
        let plain = sales_sql(&[Dimension::Month, Dimension::Product], Source::PlainLines);
        assert!(plain.contains("s.month, l.product_id"), "{plain}");
    }
}
