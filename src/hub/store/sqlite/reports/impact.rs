//! The impact report's SQL: one grouped query per measure (kitchen intakes, production batches,
//! sales, freezer losses), merged into rows keyed by month and group.
//!
//! Every date is read as the collective's local day: intakes and batches store theirs, sales are
//! read from the monthly sales rollups (summed under each sale's `day`), and a freezer loss
//! counts on its instant in local time. Households come from the household rollups
//! (`household_rollups`): the count leaves the database, never a hash.

use std::collections::BTreeMap;

use rusqlite::Transaction;

use super::super::household_rollups;
use super::{Names, Source, SqliteHubStore};
use crate::domain::product::Locale;
use crate::hub::store::reports::{ImpactBy, ImpactRow, ReportError, Scope};

/// How a measure reads its rows: the date column, the site column, the territory column, the
/// product column (`None`: the dimension does not apply), the `FROM … WHERE` and the two sums.
struct Measure {
    date: &'static str,
    site: &'static str,
    territory: &'static str,
    product: Option<&'static str>,
    from: &'static str,
    sums: &'static str,
    add: fn(&mut ImpactRow, i64, i64),
}

const INTAKES: Measure = Measure {
    date: "i.received_on",
    site: "i.site_id",
    territory: "st.territory_id",
    product: None,
    from: "intakes i JOIN sites st ON st.id = i.site_id WHERE 1",
    sums: "sum(i.received_g), 0",
    add: |row, grams, _| *row.received_g.get_or_insert(0) += grams,
};

const BATCHES: Measure = Measure {
    date: "b.produced_on",
    site: "b.site_id",
    territory: "st.territory_id",
    product: Some("b.product_id"),
    from: "production_batches b JOIN sites st ON st.id = b.site_id WHERE 1",
    sums: "sum(b.packed_g), sum(COALESCE(b.participant_minutes, 0))",
    add: |row, grams, minutes| {
        row.packed_g += grams;
        row.participant_minutes += minutes;
    },
};

const PREPARATION: Measure = Measure {
    date: "b.produced_on",
    site: "b.site_id",
    territory: "st.territory_id",
    product: Some("b.product_id"),
    from: "production_batches b JOIN sites st ON st.id = b.site_id
           JOIN (SELECT batch_id, sum(used_g) AS used_g FROM batch_intakes GROUP BY batch_id) u
             ON u.batch_id = b.id WHERE 1",
    sums: "sum(u.used_g - b.packed_g), 0",
    add: |row, grams, _| row.prep_loss_g += grams,
};

const SALES: Measure = Measure {
    date: "r.month",
    site: "r.site_id",
    territory: "r.territory_id",
    product: None,
    // A row whose every sale was voided stays at zero: it is no month of distribution.
    from: "rollup_sales_month r WHERE r.sales > 0",
    sums: "sum(r.grams), 0",
    add: |row, grams, _| row.distributed_g += grams,
};

const SALE_LINES: Measure = Measure {
    date: "r.month",
    site: "r.site_id",
    territory: "r.territory_id",
    product: Some("r.product_id"),
    from: "rollup_lines_month r WHERE r.sales > 0",
    sums: "sum(r.grams), 0",
    add: |row, grams, _| row.distributed_g += grams,
};

/// The sales read from the sales themselves: the reference the rollups are checked and
/// benchmarked against.
const PLAIN_SALES: Measure = Measure {
    date: "s.day",
    site: "s.site_id",
    territory: "s.territory_id",
    product: None,
    from: "sales s WHERE s.voided = 0",
    sums: "sum(s.net_weight_g), count(DISTINCT s.card_hash)",
    add: |row, grams, households| {
        row.distributed_g += grams;
        row.households += households;
    },
};

const PLAIN_SALE_LINES: Measure = Measure {
    date: "s.day",
    site: "s.site_id",
    territory: "s.territory_id",
    product: Some("l.product_id"),
    from: "sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.voided = 0",
    sums: "sum(l.quantity * l.unit_weight_g), count(DISTINCT s.card_hash)",
    add: |row, grams, households| {
        row.distributed_g += grams;
        row.households += households;
    },
};

const LOSSES: Measure = Measure {
    date: "date(m.at, 'localtime')",
    site: "k.site_id",
    territory: "st.territory_id",
    product: Some("m.product_id"),
    from: "stock_movements m JOIN products p ON p.id = m.product_id
           JOIN kiosks k ON k.id = m.kiosk_id JOIN sites st ON st.id = k.site_id
           WHERE m.kind = 'loss'",
    sums: "-sum(m.delta * p.net_weight_g), 0",
    add: |row, grams, _| row.freezer_loss_g += grams,
};

impl Measure {
    /// `?1` is the year (`YYYY`), `?2` the site in scope (NULL: every site). `None` when the
    /// dimension does not apply.
    fn sql(&self, by: ImpactBy, per_month: bool) -> Option<String> {
        let group = match by {
            ImpactBy::Month => "0",
            ImpactBy::Territory => self.territory,
            ImpactBy::Site => self.site,
            ImpactBy::Product => self.product?,
        };
        let (date, from, sums, site) = (self.date, self.from, self.sums, self.site);
        let key = if per_month { 7 } else { 4 };
        // Days ('YYYY-MM-DD') and months ('YYYY-MM') both sort within the year's bounds.
        Some(format!(
            "SELECT substr({date}, 1, {key}) AS k, {group} AS g, {sums} FROM {from}
               AND {date} BETWEEN ?1 || '-01' AND ?1 || '-12-31' AND (?2 IS NULL OR {site} = ?2)
             GROUP BY k, g"
        ))
    }
}

impl SqliteHubStore {
    pub(super) fn impact_rows(
        &self,
        year: i32,
        by: ImpactBy,
        per_month: bool,
        scope: Scope,
        lang: Locale,
        source: Source,
    ) -> Result<Vec<ImpactRow>, ReportError> {
        if !(1000..=9999).contains(&year) {
            return Err(ReportError::BadPeriod(format!(
                "«{year}»: write a year of four digits"
            )));
        }
        let mut conn = self.reader();
        let tx = conn.transaction()?;
        let names = Names::load(&tx, lang)?;
        let site = match scope {
            Scope::All => None,
            Scope::Site(site) => Some(site.0),
        };
        let sales = match (source, by) {
            (Source::Rollup, ImpactBy::Product) => SALE_LINES,
            (Source::Rollup, _) => SALES,
            (_, ImpactBy::Product) => PLAIN_SALE_LINES,
            _ => PLAIN_SALES,
        };
        let mut rows: BTreeMap<(String, i64), ImpactRow> = BTreeMap::new();
        for measure in [INTAKES, BATCHES, PREPARATION, sales, LOSSES] {
            if let Some(sql) = measure.sql(by, per_month) {
                gather(&tx, &sql, year, site, measure.add, &mut rows)?;
            }
        }
        if source == Source::Rollup {
            let counted = household_rollups::count(&tx, year, by, per_month, site)?;
            for (period, group, households) in counted {
                rows.entry((period, group)).or_default().households += households;
            }
        }
        let group = |id: i64| match by {
            ImpactBy::Month => None,
            ImpactBy::Territory => Some(super::named(id, names.territories.get(&id))),
            ImpactBy::Site => Some(names.site(id)),
            ImpactBy::Product => Some(names.product(id)),
        };
        Ok(rows
            .into_iter()
            .map(|((month, id), row)| ImpactRow {
                month,
                group: group(id),
                ..row
            })
            .collect())
    }
}

fn gather(
    tx: &Transaction<'_>,
    sql: &str,
    year: i32,
    site: Option<i64>,
    add: fn(&mut ImpactRow, i64, i64),
    rows: &mut BTreeMap<(String, i64), ImpactRow>,
) -> Result<(), ReportError> {
    let mut statement = tx.prepare_cached(sql)?;
    let found = statement.query_map(rusqlite::params![year.to_string(), site], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<i64>>(2)?.unwrap_or(0),
            r.get::<_, Option<i64>>(3)?.unwrap_or(0),
        ))
    })?;
    for row in found {
        let (month, group, a, b) = row?;
        add(rows.entry((month, group)).or_default(), a, b);
    }
    Ok(())
}
