//! What a batch's sales add to the running totals, summed in memory and written once per batch.
//!
//! A sale changes four report rollups (day and month, per sale and per product), the stock level
//! of every lot it took from and, when paid from a household account, that household's balance.
//! Written one sale at a time that is a dozen upserts per sale, most of them on the same few rows
//! (a batch is one kiosk, a few days, a few tiers). Summed here first, a batch of 500 sales
//! touches each row once. The sums are written in the transaction that stores the batch, so they
//! commit or roll back with it; anything that reads those rows mid-batch (a stock count, a void)
//! asks for a [`Pending::flush`] first.

use std::collections::HashMap;

use rusqlite::{ToSql, Transaction};

use super::super::super::HubStoreError;
use super::super::reports::ADD_TO_ROLLUP as ADD;
use crate::domain::KioskId;
use crate::domain::sale::{PaymentMethod, Sale};

/// Where a rollup row belongs: its period ('YYYY-MM-DD' or 'YYYY-MM') and the sale's place.
#[derive(Hash, PartialEq, Eq)]
struct SalesKey {
    period: String,
    kiosk: i64,
    tier: i64,
    site: i64,
    territory: i64,
}

/// The figures every rollup row carries.
#[derive(Default, Clone, Copy)]
struct Figures {
    sales: i64,
    units: i64,
    grams: i64,
    full_cents: i64,
    paid_cents: i64,
}

impl Figures {
    /// Adds `other`, checked: the sales are bounded far below overflow, and should that ever be
    /// wrong the batch is refused instead of writing a wrapped total.
    fn add(&mut self, other: Figures) -> Result<(), HubStoreError> {
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

/// Where the sale happened, as copied onto its row.
#[derive(Clone, Copy)]
pub(in crate::hub::store::sqlite) struct SalePlace {
    pub kiosk: i64,
    pub site: i64,
    pub territory: i64,
}

/// Sums not yet written.
#[derive(Default)]
pub(in crate::hub::store::sqlite) struct Pending {
    day_sales: HashMap<SalesKey, Figures>,
    month_sales: HashMap<SalesKey, Figures>,
    day_lines: HashMap<(SalesKey, i64), Figures>,
    month_lines: HashMap<(SalesKey, i64), Figures>,
    stock: HashMap<(i64, i64, String), i64>,
    prepaid: HashMap<i64, i64>,
    pay_later: HashMap<i64, i64>,
}

impl Pending {
    /// Adds a newly stored sale: its rollups, the packs it took, what it drew on a household.
    /// `day` is its reporting day (`YYYY-MM-DD`, the collective's time zone).
    pub fn add_sale(
        &mut self,
        place: SalePlace,
        sale: &Sale,
        day: &str,
    ) -> Result<(), HubStoreError> {
        self.roll_up(place, sale, day)?;
        for line in &sale.lines {
            for take in &line.lots {
                let lot = take.lot.clone().unwrap_or_default();
                *self
                    .stock
                    .entry((place.kiosk, line.product.0, lot))
                    .or_default() -= i64::from(take.quantity);
            }
        }
        if let Some(buyer) = sale.buyer {
            let cents = sale.payment.amount.cents();
            match sale.payment.method {
                PaymentMethod::Prepaid => {
                    *self.prepaid.entry(buyer.household.0).or_default() += cents
                }
                PaymentMethod::PayLater => {
                    *self.pay_later.entry(buyer.household.0).or_default() += cents
                }
                PaymentMethod::Cash | PaymentMethod::CardTerminal => {}
            }
        }
        Ok(())
    }

    fn roll_up(&mut self, place: SalePlace, sale: &Sale, day: &str) -> Result<(), HubStoreError> {
        let month = &day[..7];
        let key = |period: &str| SalesKey {
            period: period.to_owned(),
            kiosk: place.kiosk,
            tier: sale.tier.0,
            site: place.site,
            territory: place.territory,
        };
        let t = &sale.totals;
        let whole = Figures {
            sales: 1,
            units: i64::from(t.items),
            grams: i64::try_from(t.net_weight_g)
                .map_err(|_| HubStoreError::Invalid("a sale's weight is out of range".into()))?,
            full_cents: t.full.cents(),
            paid_cents: t.paid.cents(),
        };
        self.day_sales.entry(key(day)).or_default().add(whole)?;
        self.month_sales.entry(key(month)).or_default().add(whole)?;
        for (product, figures) in per_product(sale)? {
            self.day_lines
                .entry((key(day), product))
                .or_default()
                .add(figures)?;
            self.month_lines
                .entry((key(month), product))
                .or_default()
                .add(figures)?;
        }
        Ok(())
    }

    /// Writes every sum and starts again from nothing.
    pub fn flush(&mut self, tx: &Transaction<'_>) -> Result<(), HubStoreError> {
        let pending = std::mem::take(self);
        let whole = |rows: HashMap<SalesKey, Figures>| rows.into_iter().map(|(k, f)| (k, None, f));
        let lines = |rows: HashMap<(SalesKey, i64), Figures>| {
            rows.into_iter()
                .map(|((k, product), f)| (k, Some(product), f))
        };
        write_rollup(tx, "rollup_sales", "day", false, whole(pending.day_sales))?;
        write_rollup(
            tx,
            "rollup_sales_month",
            "month",
            false,
            whole(pending.month_sales),
        )?;
        write_rollup(tx, "rollup_lines", "day", true, lines(pending.day_lines))?;
        write_rollup(
            tx,
            "rollup_lines_month",
            "month",
            true,
            lines(pending.month_lines),
        )?;
        for ((kiosk, product, lot), delta) in pending.stock {
            super::add_stock(tx, KioskId(kiosk), product, &lot, delta)?;
        }
        for (household, cents) in pending.prepaid {
            super::settle_household(tx, household, PaymentMethod::Prepaid, cents)?;
        }
        for (household, cents) in pending.pay_later {
            super::settle_household(tx, household, PaymentMethod::PayLater, cents)?;
        }
        Ok(())
    }
}

/// A sale's figures per product: one sale per product held, however many lines name it.
fn per_product(sale: &Sale) -> Result<HashMap<i64, Figures>, HubStoreError> {
    let mut products: HashMap<i64, Figures> = HashMap::new();
    for line in &sale.lines {
        let quantity = i64::from(line.quantity);
        let figures = products.entry(line.product.0).or_default();
        figures.add(Figures {
            sales: 0,
            units: quantity,
            grams: quantity * i64::from(line.unit_weight_g),
            full_cents: line.full().cents(),
            paid_cents: line.paid().cents(),
        })?;
        figures.sales = 1;
    }
    Ok(products)
}

/// Adds `rows` to a rollup table keyed by `period`, the sale's place and, in the per-product
/// tables (`by_product`), the product of each row.
fn write_rollup(
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
