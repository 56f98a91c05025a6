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

    /// Records that a pack of a recalled lot was scanned: a raised `recalled_lot_scanned` alarm
    /// naming the lot. Returns the event's seq.
    pub fn record_recalled_scan(
        &mut self,
        lot: &str,
        at: DateTime<Utc>,
    ) -> Result<Seq, StoreError> {
        self.record_alarm(&Alarm {
            kind: AlarmKind::RecalledLotScanned,
            raised: true,
            at,
            lots: vec![lot.to_owned()],
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
    use crate::store::test_support::{demo_config, temp_store_with_demo};

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
        store.record_recalled_scan("L1", at).unwrap();
        assert!(store.alarm_raised(AlarmKind::RecalledLotScanned).unwrap());
        assert!(store.acknowledge_recalled_scans(at).unwrap().is_some());
        assert!(store.acknowledge_recalled_scans(at).unwrap().is_none());

        config.version += 1;
        config.recalled_lots.clear();
        store.apply_config(&config).unwrap();
        assert!(!store.is_recalled(product, "L1").unwrap());
    }
}
