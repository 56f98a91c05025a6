//! The stock ledger on the kiosk: movements in, levels derived.
//!
//! Levels are sums over the ledger (a count is stored as the delta that reaches the counted
//! level). [`insert_movement`], the only writer of the ledger, adds each movement's delta to
//! `stock_levels` in the same transaction, so a level is always the sum of the movements that
//! explain it and reading one costs one lookup.

use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, params};

use super::{KioskStore, StoreError, events};
use crate::domain::event::EventBody;
use crate::domain::lot::Lot;
use crate::domain::sale::LotTake;
use crate::domain::stock::{
    LossReason, LotLevel, StockChange, StockMovement, assign_lots, distribute_count,
};
use crate::domain::{MovementId, ProductId, SaleId, Seq};
use crate::sqlite::time_text;

/// The stock of one product and lot at this kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockLevel {
    pub product: ProductId,
    pub lot: Option<String>,
    pub best_before: Option<NaiveDate>,
    pub level: i64,
}

impl StockLevel {
    /// A level below zero: more packs left the freezer than the books say it held.
    pub fn is_discrepancy(&self) -> bool {
        self.level < 0
    }
}

/// Writes one movement; `delta` is its effect on the level.
pub(crate) fn insert_movement(
    tx: &Transaction<'_>,
    movement: &StockMovement,
    seq: Seq,
    delta: i64,
    sale: Option<SaleId>,
) -> Result<(), StoreError> {
    let (counted, reason, other) = match &movement.change {
        StockChange::Count { level } => (Some(*level), None, None),
        StockChange::Loss { reason, .. } => (None, Some(serde_json::to_value(reason)?), None),
        StockChange::TransferIn { from, .. } => (None, None, Some(from.0)),
        StockChange::TransferOut { to, .. } => (None, None, Some(to.0)),
        StockChange::Restock { .. } | StockChange::Sale { .. } => (None, None, None),
    };
    let reason = reason.and_then(|r| r.as_str().map(str::to_owned));
    tx.prepare_cached(
        "INSERT INTO stock_movements (id, event_seq, product_id, lot, at, kind, delta, counted_level,
                                      loss_reason, sale_id, other_kiosk)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        movement.id.to_string(),
        seq.0 as i64,
        movement.product.0,
        movement.lot,
        time_text(movement.at),
        movement.change.kind(),
        delta,
        counted,
        reason,
        sale.map(|s| s.to_string()),
        other
    ])?;
    // The unknown lot is stored as '' in the levels (a key column cannot hold NULL).
    tx.prepare_cached(
        "INSERT INTO stock_levels (product_id, lot, level) VALUES (?1, COALESCE(?2, ''), ?3)
         ON CONFLICT (product_id, lot) DO UPDATE SET level = level + excluded.level",
    )?
    .execute(params![movement.product.0, movement.lot, delta])?;
    Ok(())
}

/// Levels of every lot of a product (the `None` lot holds packs of unknown lot), each marked when
/// it is under an open recall.
pub(crate) fn lot_levels(
    conn: &Connection,
    product: ProductId,
) -> Result<Vec<LotLevel>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT NULLIF(s.lot, ''), l.best_before, s.level,
                EXISTS (SELECT 1 FROM recalled_lots r
                        WHERE r.product_id = s.product_id AND r.lot = s.lot)
         FROM stock_levels s
         LEFT JOIN lots l ON l.product_id = s.product_id AND l.code = s.lot
         WHERE s.product_id = ?1",
    )?;
    let rows = statement
        .query_map([product.0], |r| {
            Ok(LotLevel {
                lot: r.get(0)?,
                best_before: r.get(1)?,
                level: r.get(2)?,
                recalled: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Level of a product over all its lots.
pub(crate) fn product_level(conn: &Connection, product: ProductId) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT COALESCE(SUM(level), 0) FROM stock_levels WHERE product_id = ?1")?
        .query_row([product.0], |r| r.get(0))?)
}

impl KioskStore {
    /// Records a staff stock movement (restock, count, loss, transfer) with its event. A count
    /// of one lot sets that lot's level.
    pub fn record_movement(&mut self, movement: &StockMovement) -> Result<Seq, StoreError> {
        let mark = self.clock_mark;
        let tx = self.write()?;
        let before = lot_levels(&tx, movement.product)?
            .into_iter()
            .find(|l| l.lot == movement.lot)
            .map_or(0, |l| l.level);
        let delta = movement.change.apply(before) - before;
        let seq = events::append(
            &tx,
            movement.kiosk,
            movement.at,
            &EventBody::Stock(movement.clone()),
            mark.as_ref(),
        )?;
        insert_movement(&tx, movement, seq, delta, None)?;
        tx.commit()?;
        Ok(seq)
    }

    /// The levels of a product's lots (the unknown lot as `None`).
    pub fn product_lots(&self, product: ProductId) -> Result<Vec<LotLevel>, StoreError> {
        lot_levels(&self.conn, product)
    }

    /// A staff count of a product: the counted packs are spread over its lots (freshest first,
    /// see [`distribute_count`]) and every lot whose level changes gets a count movement, all in
    /// one transaction.
    pub fn record_count(
        &mut self,
        template: &StockMovement,
        counted: u32,
    ) -> Result<Vec<Seq>, StoreError> {
        let mark = self.clock_mark;
        let tx = self.write()?;
        let lots = lot_levels(&tx, template.product)?;
        let mut seqs = Vec::new();
        for (lot, level) in distribute_count(counted, &lots) {
            let before = lots.iter().find(|l| l.lot == lot).map_or(0, |l| l.level);
            let movement = StockMovement {
                id: MovementId(uuid::Uuid::now_v7()),
                lot,
                change: StockChange::Count { level },
                ..template.clone()
            };
            let seq = events::append(
                &tx,
                movement.kiosk,
                movement.at,
                &EventBody::Stock(movement.clone()),
                mark.as_ref(),
            )?;
            insert_movement(&tx, &movement, seq, level - before, None)?;
            seqs.push(seq);
        }
        tx.commit()?;
        Ok(seqs)
    }

    /// Packs written off (thawed, damaged, expired…): from the scanned lot if any, otherwise
    /// first-expiry-first-out, one movement per lot, in one transaction.
    pub fn record_loss(
        &mut self,
        template: &StockMovement,
        quantity: u32,
        reason: LossReason,
    ) -> Result<Vec<Seq>, StoreError> {
        let mark = self.clock_mark;
        let tx = self.write()?;
        let known: Vec<LotTake> = template
            .lot
            .iter()
            .map(|lot| LotTake {
                lot: Some(lot.clone()),
                quantity,
            })
            .collect();
        let takes = assign_lots(quantity, &known, &lot_levels(&tx, template.product)?);
        let mut seqs = Vec::new();
        for take in takes {
            let movement = StockMovement {
                id: MovementId(uuid::Uuid::now_v7()),
                lot: take.lot,
                change: StockChange::Loss {
                    quantity: take.quantity,
                    reason,
                },
                ..template.clone()
            };
            let seq = events::append(
                &tx,
                movement.kiosk,
                movement.at,
                &EventBody::Stock(movement.clone()),
                mark.as_ref(),
            )?;
            insert_movement(&tx, &movement, seq, -i64::from(take.quantity), None)?;
            seqs.push(seq);
        }
        tx.commit()?;
        Ok(seqs)
    }

    /// Remembers a lot's dates (from a GS1 label or typed by staff). Dates already known are kept
    /// unless the new record has them.
    pub fn remember_lot(&mut self, lot: &Lot) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO lots (product_id, code, packed_on, best_before, packing_site)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (product_id, code) DO UPDATE SET
               packed_on = COALESCE(excluded.packed_on, packed_on),
               best_before = COALESCE(excluded.best_before, best_before),
               packing_site = COALESCE(excluded.packing_site, packing_site)",
            params![
                lot.product.0,
                lot.code,
                lot.packed_on,
                lot.best_before,
                lot.packing_site
            ],
        )?;
        Ok(())
    }

    /// Level of one product over all its lots.
    pub fn stock_level(&self, product: ProductId) -> Result<i64, StoreError> {
        product_level(&self.conn, product)
    }

    /// Every product and lot with movements, by product then earliest best-before.
    pub fn stock_levels(&self) -> Result<Vec<StockLevel>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT s.product_id, NULLIF(s.lot, ''), l.best_before, s.level FROM stock_levels s
             LEFT JOIN lots l ON l.product_id = s.product_id AND l.code = s.lot
             ORDER BY s.product_id, l.best_before IS NULL, l.best_before, s.lot",
        )?;
        let rows = statement
            .query_map([], |r| {
                Ok(StockLevel {
                    product: ProductId(r.get(0)?),
                    lot: r.get(1)?,
                    best_before: r.get(2)?,
                    level: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stock::LossReason;
    use crate::domain::{KioskId, MovementId};
    use crate::store::test_support::temp_store_with_demo;
    use chrono::DateTime;
    use uuid::Uuid;

    fn movement(product: ProductId, lot: Option<&str>, change: StockChange) -> StockMovement {
        StockMovement {
            id: MovementId(Uuid::now_v7()),
            kiosk: KioskId(1),
            product,
            lot: lot.map(str::to_owned),
            at: DateTime::UNIX_EPOCH,
            change,
            by: None,
        }
    }

    #[test]
    fn restock_loss_and_count_follow_the_ledger() {
        let (_dir, mut store) = temp_store_with_demo();
        let p = ProductId(1);
        store
            .record_movement(&movement(
                p,
                Some("A"),
                StockChange::Restock { quantity: 10 },
            ))
            .unwrap();
        store
            .record_movement(&movement(
                p,
                Some("B"),
                StockChange::Restock { quantity: 4 },
            ))
            .unwrap();
        store
            .record_movement(&movement(
                p,
                Some("A"),
                StockChange::Loss {
                    quantity: 2,
                    reason: LossReason::Thawed,
                },
            ))
            .unwrap();
        assert_eq!(store.stock_level(p).unwrap(), 12);
        store
            .record_movement(&movement(p, Some("A"), StockChange::Count { level: 5 }))
            .unwrap();
        assert_eq!(store.stock_level(p).unwrap(), 9);
        let levels = store.stock_levels().unwrap();
        assert_eq!(levels.iter().map(|l| l.level).collect::<Vec<_>>(), [5, 4]);
        assert_eq!(store.last_seq().unwrap(), Seq(4));
    }

    #[test]
    fn the_cached_levels_equal_the_sum_of_the_ledger() {
        let (_dir, mut store) = temp_store_with_demo();
        for (i, lot) in [Some("A"), None, Some("B"), None].into_iter().enumerate() {
            let p = ProductId(1 + i as i64 % 2);
            store
                .record_movement(&movement(
                    p,
                    lot,
                    StockChange::Restock {
                        quantity: 3 + i as u32,
                    },
                ))
                .unwrap();
            store
                .record_movement(&movement(
                    p,
                    lot,
                    StockChange::Loss {
                        quantity: 1,
                        reason: LossReason::Other,
                    },
                ))
                .unwrap();
        }
        store
            .record_movement(&movement(
                ProductId(1),
                Some("A"),
                StockChange::Count { level: 7 },
            ))
            .unwrap();
        let mut from_ledger: Vec<(i64, Option<String>, i64)> = store
            .conn
            .prepare(
                "SELECT product_id, lot, SUM(delta) FROM stock_movements GROUP BY product_id, lot",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut cached: Vec<(i64, Option<String>, i64)> = store
            .stock_levels()
            .unwrap()
            .into_iter()
            .map(|l| (l.product.0, l.lot, l.level))
            .collect();
        from_ledger.sort();
        cached.sort();
        assert_eq!(cached, from_ledger);
    }

    #[test]
    fn a_count_spreads_over_lots_and_a_loss_takes_the_oldest_first() {
        let (_dir, mut store) = temp_store_with_demo();
        let p = ProductId(3);
        store.test_restock(p, "OLD", Some((2027, 1, 1)), 4);
        store.test_restock(p, "NEW", Some((2027, 6, 1)), 4);
        let template = movement(p, None, StockChange::Count { level: 0 });
        assert_eq!(store.record_count(&template, 5).unwrap().len(), 1);
        assert_eq!(store.stock_level(p).unwrap(), 5);
        let levels = |s: &KioskStore| -> Vec<(Option<String>, i64)> {
            s.product_lots(p)
                .unwrap()
                .into_iter()
                .map(|l| (l.lot, l.level))
                .collect::<Vec<_>>()
        };
        assert!(levels(&store).contains(&(Some("OLD".into()), 1)));
        store.record_loss(&template, 2, LossReason::Thawed).unwrap();
        let after = levels(&store);
        assert!(
            after.contains(&(Some("OLD".into()), 0)) && after.contains(&(Some("NEW".into()), 3)),
            "{after:?}"
        );
    }

    #[test]
    fn lots_remember_their_dates_and_order_the_levels() {
        let (_dir, mut store) = temp_store_with_demo();
        let p = ProductId(1);
        let date = |m| NaiveDate::from_ymd_opt(2027, m, 1);
        for (code, month) in [("LATE", 6), ("SOON", 1)] {
            store
                .remember_lot(&Lot {
                    product: p,
                    code: code.into(),
                    packed_on: None,
                    best_before: date(month),
                    packing_site: None,
                })
                .unwrap();
            store
                .record_movement(&movement(
                    p,
                    Some(code),
                    StockChange::Restock { quantity: 1 },
                ))
                .unwrap();
        }
        store
            .remember_lot(&Lot {
                product: p,
                code: "SOON".into(),
                packed_on: date(1),
                best_before: None,
                packing_site: None,
            })
            .unwrap();
        let levels = store.stock_levels().unwrap();
        assert_eq!(levels[0].lot.as_deref(), Some("SOON"));
        assert_eq!(
            levels[0].best_before,
            date(1),
            "a later record without a date keeps the known one"
        );
    }

    #[test]
    fn levels_kept_by_the_old_trigger_carry_on_after_the_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let schema_2 = crate::sqlite::Schema {
            migrations: &crate::store::KIOSK_SCHEMA.migrations[..2],
            ..crate::store::KIOSK_SCHEMA
        };
        let conn = crate::sqlite::open(&path, &schema_2).unwrap();
        conn.execute_batch(
            "INSERT INTO events (seq, id, kiosk_id, at, kind, payload)
             VALUES (1, 'e', 1, '2026-01-01T00:00:00.000Z', 'stock', '{}');
             INSERT INTO stock_movements (id, event_seq, product_id, lot, at, kind, delta)
             VALUES ('m', 1, 1, NULL, '2026-01-01T00:00:00.000Z', 'restock', 4);",
        )
        .unwrap();
        drop(conn);
        let mut store = KioskStore::open(&path).unwrap();
        let p = ProductId(1);
        assert_eq!(store.stock_level(p).unwrap(), 4, "kept by the trigger");
        store
            .record_movement(&movement(p, None, StockChange::Restock { quantity: 3 }))
            .unwrap();
        store
            .record_movement(&movement(
                p,
                Some("A"),
                StockChange::Restock { quantity: 2 },
            ))
            .unwrap();
        let levels: Vec<_> = store
            .stock_levels()
            .unwrap()
            .into_iter()
            .map(|l| (l.lot, l.level))
            .collect();
        assert!(levels.contains(&(None, 7)), "{levels:?}");
        assert!(levels.contains(&(Some("A".into()), 2)), "{levels:?}");
        // Each level is still the sum of its movements.
        let ledger: i64 = store
            .conn
            .query_row("SELECT SUM(delta) FROM stock_movements", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ledger, 9);
    }
}
