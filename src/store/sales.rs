//! Committing a sale: the sale, its lines, its stock movements and its event in one transaction.
//!
//! This is the path that must never lose a sale: the kiosk calls it before the door unlocks or the
//! screen says "done", and its commit is one fsync of the WAL. Stock may go below zero (the pack is
//! in the resident's hand); such levels are returned so staff are told.

use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::stock::{insert_movement, lot_levels};
use super::{KioskStore, StoreError, events};
use crate::domain::event::EventBody;
use crate::domain::sale::{LotTake, PaymentMethod, Sale, SaleLine, SaleVoid};
use crate::domain::stock::{StockChange, StockMovement, assign_lots};
use crate::domain::{HouseholdId, Money, MovementId, ProductId, SaleId, Seq};
use crate::sqlite::time_text;

/// What committing a sale did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedSale {
    /// The event-log seq of the sale: its local sequence number.
    pub seq: Seq,
    /// The sale as stored, with the lot of every pack assigned.
    pub sale: Sale,
    /// Products whose stock went below zero with this sale: a discrepancy for staff to check.
    pub negative_stock: Vec<(ProductId, i64)>,
}

impl KioskStore {
    /// Commits `sale` durably. Lots not read from labels are assigned first-expiry-first-out.
    pub fn record_sale(&mut self, sale: &Sale) -> Result<RecordedSale, StoreError> {
        let mark = self.clock_mark;
        let tx = self.write()?;
        if sale_exists(&tx, sale.id)? {
            return Err(StoreError::DuplicateSale(sale.id.to_string()));
        }
        let mut stored = sale.clone();
        let mut levels_before = Vec::new();
        for line in &mut stored.lines {
            let stock = lot_levels(&tx, line.product)?;
            levels_before.push((line.product, stock.iter().map(|l| l.level).sum::<i64>()));
            line.lots = assign_lots(line.quantity, &line.lots, &stock);
        }
        let seq = events::append(
            &tx,
            sale.kiosk,
            sale.at,
            &EventBody::Sale(stored.clone()),
            mark.as_ref(),
        )?;
        insert_sale(&tx, &stored, seq)?;
        for line in &stored.lines {
            insert_sale_movements(&tx, &stored, line, seq)?;
        }
        // Read before the sale's movements, so no second query after them: a commit is what a
        // resident waits for.
        let negative_stock = negative_after(&levels_before, &stored.lines);
        tx.commit()?;
        Ok(RecordedSale {
            seq,
            sale: stored,
            negative_stock,
        })
    }

    /// Records a void of a committed sale; its packs go back into the stock ledger.
    pub fn record_void(&mut self, void: &SaleVoid) -> Result<Seq, StoreError> {
        let sale = self
            .sale(void.sale)?
            .ok_or_else(|| StoreError::UnknownSale(void.sale.to_string()))?;
        let mark = self.clock_mark;
        let tx = self.write()?;
        let voided: bool = tx
            .query_row(
                "SELECT 1 FROM sale_voids WHERE sale_id = ?1",
                [void.sale.to_string()],
                |_| Ok(true),
            )
            .optional()?
            .unwrap_or(false);
        if voided {
            return Err(StoreError::AlreadyVoided(void.sale.to_string()));
        }
        let seq = events::append(
            &tx,
            sale.kiosk,
            void.at,
            &EventBody::SaleVoid(void.clone()),
            mark.as_ref(),
        )?;
        tx.execute(
            "INSERT INTO sale_voids (sale_id, event_seq, at, reason) VALUES (?1, ?2, ?3, ?4)",
            params![
                void.sale.to_string(),
                seq.0 as i64,
                time_text(void.at),
                void.reason
            ],
        )?;
        for line in &sale.lines {
            for take in &line.lots {
                let movement = StockMovement {
                    id: MovementId(Uuid::now_v7()),
                    kiosk: sale.kiosk,
                    product: line.product,
                    lot: take.lot.clone(),
                    at: void.at,
                    change: StockChange::Restock {
                        quantity: take.quantity,
                    },
                    by: None,
                };
                insert_movement(&tx, &movement, seq, i64::from(take.quantity), Some(sale.id))?;
            }
        }
        tx.commit()?;
        Ok(seq)
    }

    /// A committed sale, as recorded in its event.
    pub fn sale(&self, id: SaleId) -> Result<Option<Sale>, StoreError> {
        let payload: Option<String> = self
            .conn
            .query_row(
                "SELECT e.payload FROM sales s JOIN events e ON e.seq = s.event_seq WHERE s.id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        match payload
            .map(|p| serde_json::from_str::<EventBody>(&p))
            .transpose()?
        {
            Some(EventBody::Sale(sale)) => Ok(Some(sale)),
            Some(_) => Err(StoreError::Corrupt(format!(
                "sale {id} points at another kind of event"
            ))),
            None => Ok(None),
        }
    }

    /// What `household` paid here with `method` since the configuration snapshot was applied
    /// (voids excluded): subtracted from the snapshot's prepaid balance, added to its pay-later debt.
    pub fn paid_here_since_snapshot(
        &self,
        household: HouseholdId,
        method: PaymentMethod,
    ) -> Result<Money, StoreError> {
        let cents: i64 = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(SUM(s.payment_cents), 0) FROM sales s
                 WHERE s.household_id = ?1 AND s.payment_method = ?2
                   AND s.event_seq > COALESCE((SELECT as_of_seq FROM config_meta WHERE id = 1), 0)
                   AND NOT EXISTS (SELECT 1 FROM sale_voids v WHERE v.sale_id = s.id)",
            )?
            .query_row(params![household.0, method.as_str()], |r| r.get(0))?;
        Ok(Money::from_cents(cents))
    }

    /// Number of committed sales.
    pub fn sale_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM sales", [], |r| r.get::<_, i64>(0))? as u64)
    }
}

/// Products whose level goes below zero once `lines` are taken from `before` (each product's level
/// over all its lots, read before the sale), in the order the lines first name them.
fn negative_after(before: &[(ProductId, i64)], lines: &[SaleLine]) -> Vec<(ProductId, i64)> {
    let mut after: Vec<(ProductId, i64)> = Vec::new();
    for (product, level) in before {
        if after.iter().any(|(p, _)| p == product) {
            continue;
        }
        let sold: i64 = lines
            .iter()
            .filter(|l| l.product == *product)
            .map(|l| i64::from(l.quantity))
            .sum();
        after.push((*product, level - sold));
    }
    after.retain(|(_, level)| *level < 0);
    after
}

fn sale_exists(tx: &Transaction<'_>, id: SaleId) -> Result<bool, StoreError> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM sales WHERE id = ?1")?
        .query_row([id.to_string()], |_| Ok(()))
        .optional()?
        .is_some())
}

fn insert_sale(tx: &Transaction<'_>, sale: &Sale, seq: Seq) -> Result<(), StoreError> {
    let t = &sale.totals;
    let p = &sale.payment;
    tx.prepare_cached(
        "INSERT INTO sales (id, event_seq, kiosk_id, at, card_hash, household_id, tier_id,
            full_cents, paid_cents, subsidy_cents, tax_cents, items, net_weight_g,
            payment_method, payment_cents, cash_rounding_cents, payment_reference)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        sale.id.to_string(),
        seq.0 as i64,
        sale.kiosk.0,
        time_text(sale.at),
        sale.buyer.map(|b| b.card.0.to_vec()),
        sale.buyer.map(|b| b.household.0),
        sale.tier.0,
        t.full.cents(),
        t.paid.cents(),
        t.subsidy.cents(),
        t.tax.cents(),
        t.items,
        i64::try_from(t.net_weight_g)
            .map_err(|_| StoreError::Corrupt("a sale's weight is out of range".into()))?,
        p.method.as_str(),
        p.amount.cents(),
        p.cash_rounding.cents(),
        p.reference
    ])?;
    let mut line_insert = tx.prepare_cached(
        "INSERT INTO sale_lines (sale_id, line_no, product_id, quantity, full_unit_cents,
            charged_unit_cents, unit_weight_g, tax_cents) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (line_no, line) in sale.lines.iter().enumerate() {
        line_insert.execute(params![
            sale.id.to_string(),
            line_no as i64,
            line.product.0,
            line.quantity,
            line.full_unit.cents(),
            line.charged_unit.cents(),
            line.unit_weight_g,
            line.tax.cents()
        ])?;
    }
    Ok(())
}

fn insert_sale_movements(
    tx: &Transaction<'_>,
    sale: &Sale,
    line: &SaleLine,
    seq: Seq,
) -> Result<(), StoreError> {
    for LotTake { lot, quantity } in &line.lots {
        let movement = StockMovement {
            id: MovementId(Uuid::now_v7()),
            kiosk: sale.kiosk,
            product: line.product,
            lot: lot.clone(),
            at: sale.at,
            change: StockChange::Sale {
                quantity: *quantity,
                sale: sale.id,
            },
            by: None,
        };
        insert_movement(tx, &movement, seq, -i64::from(*quantity), Some(sale.id))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{sale_of, temp_store_with_demo};
    use chrono::DateTime;

    #[test]
    fn a_sale_is_committed_with_its_lines_movements_and_event() {
        let (_dir, mut store) = temp_store_with_demo();
        let sale = sale_of(&store, &[(0, 2), (1, 1)], None);
        let recorded = store.record_sale(&sale).unwrap();
        assert_eq!(recorded.seq, Seq(1));
        assert_eq!(store.sale(sale.id).unwrap().as_ref(), Some(&recorded.sale));
        let events = store.events_after(Seq(0), 10).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].body, EventBody::Sale(recorded.sale.clone()));
        // Nothing was in stock: both products are now negative and flagged.
        assert_eq!(recorded.negative_stock.len(), 2);
        assert_eq!(recorded.negative_stock[0].1, -2);
        assert_eq!(store.pending_count().unwrap(), 1);
    }

    #[test]
    fn the_same_sale_is_never_recorded_twice() {
        let (_dir, mut store) = temp_store_with_demo();
        let sale = sale_of(&store, &[(0, 1)], None);
        store.record_sale(&sale).unwrap();
        assert!(matches!(
            store.record_sale(&sale),
            Err(StoreError::DuplicateSale(_))
        ));
        assert_eq!(store.sale_count().unwrap(), 1);
        assert_eq!(store.last_seq().unwrap(), Seq(1));
    }

    #[test]
    fn scanned_lots_are_kept_and_the_rest_comes_first_expiry_first_out() {
        let (_dir, mut store) = temp_store_with_demo();
        let product = store.products(true).unwrap()[0].id;
        store.test_restock(product, "OLD", Some((2027, 1, 1)), 1);
        store.test_restock(product, "NEW", Some((2027, 6, 1)), 5);
        let mut sale = sale_of(&store, &[(0, 3)], None);
        sale.lines[0].lots = vec![LotTake {
            lot: Some("NEW".into()),
            quantity: 1,
        }];
        let recorded = store.record_sale(&sale).unwrap();
        let lots: Vec<(Option<&str>, u32)> = recorded.sale.lines[0]
            .lots
            .iter()
            .map(|t| (t.lot.as_deref(), t.quantity))
            .collect();
        assert_eq!(lots, [(Some("NEW"), 2), (Some("OLD"), 1)]);
        assert!(recorded.negative_stock.is_empty());
        assert_eq!(store.stock_level(product).unwrap(), 3);
    }

    #[test]
    fn negative_levels_are_the_levels_the_ledger_then_holds() {
        let (_dir, mut store) = temp_store_with_demo();
        let products: Vec<ProductId> = store.products(true).unwrap().iter().map(|p| p.id).collect();
        store.test_restock(products[0], "A", Some((2027, 1, 1)), 1);
        store.test_restock(products[1], "B", Some((2027, 1, 1)), 4);
        let sale = sale_of(&store, &[(0, 3), (1, 2), (2, 1)], None);
        let recorded = store.record_sale(&sale).unwrap();
        assert_eq!(
            recorded.negative_stock,
            [(products[0], -2), (products[2], -1)]
        );
        for (product, level) in recorded.negative_stock {
            assert_eq!(store.stock_level(product).unwrap(), level);
        }
        assert_eq!(store.stock_level(products[1]).unwrap(), 2);
    }

    #[test]
    fn a_void_returns_the_packs_and_cannot_be_repeated() {
        let (_dir, mut store) = temp_store_with_demo();
        let sale = sale_of(&store, &[(0, 2)], None);
        let product = sale.lines[0].product;
        store.record_sale(&sale).unwrap();
        let void = SaleVoid {
            sale: sale.id,
            at: sale.at,
            reason: "test".into(),
        };
        assert_eq!(store.record_void(&void).unwrap(), Seq(2));
        assert_eq!(store.stock_level(product).unwrap(), 0);
        assert!(matches!(
            store.record_void(&void),
            Err(StoreError::AlreadyVoided(_))
        ));
        let unknown = SaleVoid {
            sale: SaleId(Uuid::nil()),
            ..void
        };
        assert!(matches!(
            store.record_void(&unknown),
            Err(StoreError::UnknownSale(_))
        ));
    }

    #[test]
    fn purchase_history_counts_the_households_sales_but_not_voided_ones() {
        let (_dir, mut store) = temp_store_with_demo();
        let household = HouseholdId(1);
        let first = sale_of(&store, &[(0, 2)], Some(household));
        store.record_sale(&first).unwrap();
        store
            .record_sale(&sale_of(&store, &[(1, 1)], Some(household)))
            .unwrap();
        store
            .record_sale(&sale_of(&store, &[(1, 1)], None))
            .unwrap();
        store
            .record_void(&SaleVoid {
                sale: first.id,
                at: first.at,
                reason: "x".into(),
            })
            .unwrap();
        let history = store
            .household_purchases(household, DateTime::UNIX_EPOCH)
            .unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].items, 1);
    }

    #[test]
    fn prepaid_spent_since_the_snapshot_counts_only_that_method_and_household() {
        let (_dir, mut store) = temp_store_with_demo();
        let household = HouseholdId(1);
        let mut prepaid = sale_of(&store, &[(0, 2)], Some(household));
        prepaid.payment.method = PaymentMethod::Prepaid;
        store.record_sale(&prepaid).unwrap();
        store
            .record_sale(&sale_of(&store, &[(1, 1)], Some(household)))
            .unwrap();
        let spent = store
            .paid_here_since_snapshot(household, PaymentMethod::Prepaid)
            .unwrap();
        assert_eq!(spent, prepaid.payment.amount);
        assert_eq!(
            store
                .paid_here_since_snapshot(HouseholdId(2), PaymentMethod::Prepaid)
                .unwrap(),
            Money::ZERO
        );
        // Once the hub has acknowledged the sale and a newer snapshot is applied, it is in the
        // snapshot's balance and no longer subtracted here.
        store.acknowledge(Seq(2)).unwrap();
        let mut config = crate::demo::config();
        config.version = 2;
        store.apply_config(&config).unwrap();
        assert_eq!(
            store
                .paid_here_since_snapshot(household, PaymentMethod::Prepaid)
                .unwrap(),
            Money::ZERO
        );
    }

    #[test]
    fn committed_sales_cannot_be_edited() {
        let (_dir, mut store) = temp_store_with_demo();
        store
            .record_sale(&sale_of(&store, &[(0, 1)], None))
            .unwrap();
        assert!(
            store
                .conn
                .execute("UPDATE sales SET paid_cents = 0", [])
                .is_err()
        );
        assert!(store.conn.execute("DELETE FROM sales", []).is_err());
    }
}
