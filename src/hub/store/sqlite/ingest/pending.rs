//! What a batch's sales add to the running totals, summed in memory and written once per batch.
//!
//! A sale changes four report rollups (day and month, per sale and per product), the household
//! rollups when a card was scanned, the stock level of every lot it took from and, when paid from
//! a household account, that household's balance.
//! Written one sale at a time that is a dozen upserts per sale, most of them on the same few rows
//! (a batch is one kiosk, a few days, a few tiers). Summed here first, a batch of 500 sales
//! touches each row once. The sums are written in the transaction that stores the batch, so they
//! commit or roll back with it; anything that reads those rows mid-batch (a stock count, a void)
//! asks for a [`Pending::flush`] first.

use std::collections::HashMap;

use rusqlite::Transaction;

use super::super::super::HubStoreError;
use super::super::household_rollups::PendingHouseholds;
use super::super::rollups::{Figures, SalesKey, write_rollup};
use crate::domain::KioskId;
use crate::domain::sale::{PaymentMethod, Sale};

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
    households: PendingHouseholds,
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
        let products = per_product(sale)?;
        if let Some(buyer) = sale.buyer {
            let ids = products.keys().copied();
            self.households
                .add(month, place.site, place.territory, buyer.card.0, ids);
        }
        for (product, figures) in products {
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
        pending.households.write(tx)?;
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
