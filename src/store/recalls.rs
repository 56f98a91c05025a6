//! Recalled lots on the kiosk: which (product, lot) pairs the hub's configuration says must not be
//! eaten, and the staff alarm a scan of one raises.
//!
//! The list is part of the configuration snapshot and replaced whole with it; the scanner asks
//! [`KioskStore::is_recalled`] for every pack that carries a lot (one indexed lookup). The alarm
//! is an ordinary alarm event (`recalled_lot_scanned`, naming the lot), so it reaches the hub with
//! the next push; it stays raised until a staff member opens the lots screen, where recalled packs
//! come first.

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};

use super::{KioskStore, StoreError};
use crate::domain::config::RecalledLot;
use crate::domain::event::{Alarm, AlarmKind};
use crate::domain::{ProductId, Seq};

pub(super) fn insert_recalled_lots(
    tx: &Transaction<'_>,
    lots: &[RecalledLot],
) -> Result<(), StoreError> {
    let mut statement =
        tx.prepare_cached("INSERT OR IGNORE INTO recalled_lots (product_id, lot) VALUES (?1, ?2)")?;
    for lot in lots {
        statement.execute(params![lot.product.0, lot.lot])?;
    }
    Ok(())
}

impl KioskStore {
    /// Whether this lot of this product is under an open recall.
    pub fn is_recalled(&self, product: ProductId, lot: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM recalled_lots WHERE product_id = ?1 AND lot = ?2")?
            .exists(params![product.0, lot])?)
    }

    /// Every recalled lot of the configuration in force.
    pub fn recalled_lots(&self) -> Result<Vec<RecalledLot>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT product_id, lot FROM recalled_lots ORDER BY product_id, lot")?;
        let rows = statement
            .query_map([], |r| {
                Ok(RecalledLot {
                    product: ProductId(r.get(0)?),
                    lot: r.get(1)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Records that a pack that is, or may be, of a recalled lot was refused: a raised
    /// `recalled_lot_scanned` alarm naming the lots (the scanned one, or those the books still
    /// hold when the pack's lot was not read). Returns the event's seq.
    pub fn record_recalled_scan(
        &mut self,
        lots: &[String],
        at: DateTime<Utc>,
    ) -> Result<Seq, StoreError> {
        self.record_alarm(&Alarm {
            kind: AlarmKind::RecalledLotScanned,
            raised: true,
            at,
            lots: lots.to_vec(),
            peak_millicelsius: None,
        })
    }

    /// A staff member saw the recalled packs to pull: clears the recalled-lot alarm if it is
    /// raised (nothing is written otherwise). Returns the event's seq when one was written.
    pub fn acknowledge_recalled_scans(
        &mut self,
        at: DateTime<Utc>,
    ) -> Result<Option<Seq>, StoreError> {
        if !self.alarm_raised(AlarmKind::RecalledLotScanned)? {
            return Ok(None);
        }
        self.record_alarm(&Alarm {
            kind: AlarmKind::RecalledLotScanned,
            raised: false,
            at,
            lots: vec![],
            peak_millicelsius: None,
        })
        .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sale::LotTake;
    use crate::domain::stock::{LossReason, StockChange, StockMovement};
    use crate::domain::{KioskId, MovementId};
    use crate::store::test_support::{demo_config, sale_of, temp_store_with_demo};

    fn recall(store: &mut KioskStore, product: ProductId, lot: &str) {
        let mut config = demo_config();
        config.version = store.config_version().unwrap().unwrap_or(0) + 1;
        config.recalled_lots = vec![RecalledLot {
            product,
            lot: lot.into(),
        }];
        store.apply_config(&config).unwrap();
    }

    fn levels(store: &KioskStore, product: ProductId) -> Vec<(Option<String>, i64, bool)> {
        let mut levels: Vec<_> = store
            .product_lots(product)
            .unwrap()
            .into_iter()
            .map(|l| (l.lot, l.level, l.recalled))
            .collect();
        levels.sort();
        levels
    }

    fn lots_of(takes: &[LotTake]) -> Vec<(Option<&str>, u32)> {
        takes
            .iter()
            .map(|t| (t.lot.as_deref(), t.quantity))
            .collect()
    }

    #[test]
    fn sales_losses_and_counts_leave_recalled_packs_in_the_books_until_pulled() {
        let (_dir, mut store) = temp_store_with_demo();
        let product = store.products(true).unwrap()[0].id;
        store.test_restock(product, "BAD", Some((2027, 1, 1)), 3);
        store.test_restock(product, "GOOD", Some((2027, 6, 1)), 3);
        recall(&mut store, product, "BAD");
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            levels(&store, product),
            [(some("BAD"), 3, true), (some("GOOD"), 3, false)]
        );

        // A sale of two packs whose lot was not read: the good lot, though it expires later.
        let recorded = store
            .record_sale(&sale_of(&store, &[(0, 2)], None))
            .unwrap();
        assert_eq!(lots_of(&recorded.sale.lines[0].lots), [(Some("GOOD"), 2)]);
        // A loss of one pack picked by its picture: the last good one.
        let template = StockMovement {
            id: MovementId(uuid::Uuid::now_v7()),
            kiosk: KioskId(1),
            product,
            lot: None,
            at: Utc::now(),
            change: StockChange::Restock { quantity: 0 },
            by: None,
        };
        store
            .record_loss(&template, 1, LossReason::Damaged)
            .unwrap();
        assert_eq!(
            levels(&store, product),
            [(some("BAD"), 3, true), (some("GOOD"), 0, false)]
        );
        // A count of two: the recalled packs keep what the count allows.
        store.record_count(&template, 2).unwrap();
        assert_eq!(
            levels(&store, product),
            [(some("BAD"), 2, true), (some("GOOD"), 0, false)]
        );
        // Only recalled packs left: a sale the kiosk could not refuse (the recall arrived while
        // the resident was paying) is booked from them, never below zero, so the trace shows it.
        let recorded = store
            .record_sale(&sale_of(&store, &[(0, 3)], None))
            .unwrap();
        assert_eq!(
            lots_of(&recorded.sale.lines[0].lots),
            [(Some("BAD"), 2), (None, 1)]
        );
        assert_eq!(recorded.negative_stock, [(product, -1)]);
        // Staff pull a recalled pack by scanning it: a loss of that lot.
        store.test_restock(product, "BAD", Some((2027, 1, 1)), 1);
        store
            .record_loss(
                &StockMovement {
                    lot: some("BAD"),
                    ..template
                },
                1,
                LossReason::Other,
            )
            .unwrap();
        assert_eq!(
            levels(&store, product),
            [
                (None, -1, false),
                (some("BAD"), 0, true),
                (some("GOOD"), 0, false)
            ]
        );
    }

    #[test]
    fn recalled_lots_follow_the_configuration_and_raise_an_alarm_once_acknowledged() {
        let (_dir, mut store) = temp_store_with_demo();
        let product = store.products(true).unwrap()[0].id;
        assert!(!store.is_recalled(product, "L1").unwrap());
        let mut config = demo_config();
        config.version += 1;
        config.recalled_lots = vec![RecalledLot {
            product,
            lot: "L1".into(),
        }];
        store.apply_config(&config).unwrap();
        assert!(store.is_recalled(product, "L1").unwrap());
        assert!(!store.is_recalled(product, "L2").unwrap());
        assert_eq!(store.recalled_lots().unwrap(), config.recalled_lots);

        let at = Utc::now();
        store.record_recalled_scan(&["L1".into()], at).unwrap();
        assert!(store.alarm_raised(AlarmKind::RecalledLotScanned).unwrap());
        assert!(store.acknowledge_recalled_scans(at).unwrap().is_some());
        assert!(store.acknowledge_recalled_scans(at).unwrap().is_none());

        config.version += 1;
        config.recalled_lots.clear();
        store.apply_config(&config).unwrap();
        assert!(!store.is_recalled(product, "L1").unwrap());
    }
}
