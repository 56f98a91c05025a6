//! What the kiosk knows of households beyond its own freezer, and what it lets go of.
//!
//! Caps belong to the household, not to a freezer: the hub reports at every pull what each
//! household bought at every kiosk per day ([`KioskStore::apply_usage`]), and a cap is checked
//! against those figures plus this kiosk's own sales the hub did not hold yet
//! ([`KioskStore::household_purchases`]).
//!
//! Retention: once the hub holds a sale older than the collective's retention period, the kiosk
//! takes the household and card hash out of it and out of its event
//! ([`KioskStore::detach_old_buyers`]), so no freezer keeps a household's history longer than
//! the hub.

use chrono::{DateTime, Local, NaiveDate, Utc};
use rusqlite::params;

use super::{KioskStore, StoreError};
use crate::domain::HouseholdId;
use crate::domain::caps::PastPurchase;
use crate::domain::clock_trust::ClockMark;
use crate::domain::money::Money;
use crate::domain::sync::HouseholdUsage;
use crate::sqlite::time_text;

impl KioskStore {
    /// Replaces the hub's usage figures, in one transaction.
    pub fn apply_usage(&mut self, usage: &HouseholdUsage) -> Result<(), StoreError> {
        let as_of = i64::try_from(usage.as_of_seq.0)
            .map_err(|_| StoreError::Corrupt("usage seq out of range".into()))?;
        let tx = self.write()?;
        tx.execute("DELETE FROM hub_usage", [])?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO hub_usage (household_id, on_day, paid_cents, items)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (household_id, on_day) DO UPDATE
                 SET paid_cents = paid_cents + excluded.paid_cents, items = items + excluded.items",
            )?;
            for household in &usage.households {
                for day in &household.days {
                    insert.execute(params![
                        household.household.0,
                        day.on.format("%Y-%m-%d").to_string(),
                        day.paid.cents(),
                        day.items
                    ])?;
                }
            }
        }
        tx.execute(
            "INSERT INTO hub_usage_meta (id, as_of_seq) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET as_of_seq = excluded.as_of_seq",
            [as_of],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The household's purchases since `since`, for cap checks: what the hub last reported from
    /// every kiosk, plus this kiosk's sales the hub did not hold then (voids excluded). Dates are
    /// local dates, since caps count calendar weeks and months.
    pub fn household_purchases(
        &self,
        household: HouseholdId,
        since: DateTime<Utc>,
    ) -> Result<Vec<PastPurchase>, StoreError> {
        let first_day = since.with_timezone(&Local).date_naive();
        let mut purchases = self.hub_purchases(household, first_day)?;
        let rows = self
            .conn
            .prepare_cached(
                "SELECT s.at, s.paid_cents, s.items, e.clock FROM sales s
                 JOIN events e ON e.seq = s.event_seq
                 WHERE s.household_id = ?1 AND s.at >= ?2
                   AND s.event_seq > COALESCE((SELECT as_of_seq FROM hub_usage_meta WHERE id = 1), 0)
                   AND NOT EXISTS (SELECT 1 FROM sale_voids v WHERE v.sale_id = s.id)",
            )?
            .query_map(params![household.0, time_text(since)], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        for (at, paid, items, clock) in rows {
            let at = crate::sqlite::parse_time(&at)?;
            // A sale made under a doubted clock counts on the day the kiosk counted it then.
            let counted = match clock {
                Some(mark) => serde_json::from_str::<ClockMark>(&mark)?.counted_at(at),
                None => at,
            };
            purchases.push(PastPurchase {
                on: counted.with_timezone(&Local).date_naive(),
                paid: Money::from_cents(paid),
                items,
            });
        }
        Ok(purchases)
    }

    fn hub_purchases(
        &self,
        household: HouseholdId,
        first_day: NaiveDate,
    ) -> Result<Vec<PastPurchase>, StoreError> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT on_day, paid_cents, items FROM hub_usage
                 WHERE household_id = ?1 AND on_day >= ?2",
            )?
            .query_map(
                params![household.0, first_day.format("%Y-%m-%d").to_string()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, u32>(2)?,
                    ))
                },
            )?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(day, paid, items)| {
                let on = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                    .map_err(|e| StoreError::Corrupt(format!("usage day «{day}»: {e}")))?;
                Ok(PastPurchase {
                    on,
                    paid: Money::from_cents(paid),
                    items,
                })
            })
            .collect()
    }

    /// Takes the buyer out of every sale made before `before` that the hub has acknowledged, and
    /// out of its event, in one transaction; returns how many sales were detached. Sales the hub
    /// does not hold yet keep their buyer until it does.
    pub fn detach_old_buyers(&mut self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let tx = self.write()?;
        let cutoff = time_text(before);
        let acked = "(SELECT acked_through FROM sync_state WHERE id = 1)";
        // Only sales still attached are read (the partial index on household), so a run with
        // nothing to do costs a few page reads, and each event is reached by its primary key.
        tx.execute(
            &format!(
                "UPDATE events SET payload = json_replace(payload, '$.data.buyer', NULL)
                 WHERE seq IN (SELECT event_seq FROM sales
                               WHERE household_id IS NOT NULL AND at < ?1
                                 AND event_seq <= {acked})
                   AND kind = 'sale'"
            ),
            [&cutoff],
        )?;
        let detached = tx.execute(
            &format!(
                "UPDATE sales SET household_id = NULL, card_hash = NULL
                 WHERE at < ?1 AND household_id IS NOT NULL AND event_seq <= {acked}"
            ),
            [&cutoff],
        )?;
        tx.commit()?;
        Ok(u64::try_from(detached).unwrap_or(u64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::domain::sync::HouseholdPurchases;
    use crate::domain::{Seq, event::EventBody};
    use crate::store::test_support::{sale_of, temp_store_with_demo};

    fn household() -> HouseholdId {
        crate::demo::config().households[0].id
    }

    fn usage(as_of: u64, items: u32) -> HouseholdUsage {
        HouseholdUsage {
            as_of_seq: Seq(as_of),
            households: vec![HouseholdPurchases {
                household: household(),
                days: vec![PastPurchase {
                    on: Local::now().date_naive(),
                    paid: Money::from_cents(300),
                    items,
                }],
            }],
        }
    }

    fn items(store: &KioskStore) -> u32 {
        let since = Utc::now() - Duration::days(40);
        let purchases = store.household_purchases(household(), since).unwrap();
        purchases.iter().map(|p| p.items).sum()
    }

    #[test]
    fn the_hubs_figures_and_this_kiosks_later_sales_add_up_without_counting_twice() {
        let (_dir, mut store) = temp_store_with_demo();
        let first = store
            .record_sale(&sale_of(&store, &[(0, 2)], Some(household())))
            .unwrap();
        // Nothing from the hub yet: this kiosk's own sales are all there is.
        assert_eq!(items(&store), 2);
        // The hub holds the first sale (2 packs) and saw 3 more elsewhere.
        store.apply_usage(&usage(first.seq.0, 5)).unwrap();
        assert_eq!(items(&store), 5);
        store
            .record_sale(&sale_of(&store, &[(1, 1)], Some(household())))
            .unwrap();
        assert_eq!(items(&store), 6);
        // A newer report replaces the old one whole.
        store.apply_usage(&usage(first.seq.0 + 1, 6)).unwrap();
        assert_eq!(items(&store), 6);
    }

    #[test]
    fn only_old_sales_the_hub_holds_forget_their_buyer() {
        let (_dir, mut store) = temp_store_with_demo();
        let mut old = sale_of(&store, &[(0, 1)], Some(household()));
        old.at = Utc::now() - Duration::days(500);
        let old = store.record_sale(&old).unwrap();
        let mut unsent = sale_of(&store, &[(0, 1)], Some(household()));
        unsent.at = Utc::now() - Duration::days(499);
        let unsent = store.record_sale(&unsent).unwrap();
        let recent = store
            .record_sale(&sale_of(&store, &[(0, 1)], Some(household())))
            .unwrap();
        store.acknowledge(old.seq).unwrap();
        let cutoff = Utc::now() - Duration::days(400);
        assert_eq!(store.detach_old_buyers(cutoff).unwrap(), 1);
        assert_eq!(store.detach_old_buyers(cutoff).unwrap(), 0);
        let buyer_of = |store: &KioskStore, seq: Seq| {
            let events = store.events_after(Seq(seq.0 - 1), 1).unwrap();
            match &events[0].body {
                EventBody::Sale(sale) => sale.buyer,
                other => panic!("not a sale: {other:?}"),
            }
        };
        assert_eq!(buyer_of(&store, old.seq), None);
        assert!(buyer_of(&store, unsent.seq).is_some());
        assert!(buyer_of(&store, recent.seq).is_some());
        assert_eq!(store.sale(old.sale.id).unwrap().unwrap().buyer, None);
        // Once acknowledged, the older unsent sale goes too; the recent one stays.
        store.acknowledge(recent.seq).unwrap();
        assert_eq!(store.detach_old_buyers(cutoff).unwrap(), 1);
        assert!(buyer_of(&store, recent.seq).is_some());
    }

    #[test]
    fn retention_is_the_only_change_a_sale_or_its_event_may_see() {
        let (_dir, mut store) = temp_store_with_demo();
        let sale = store
            .record_sale(&sale_of(&store, &[(0, 1)], Some(household())))
            .unwrap();
        let refused = [
            "UPDATE sales SET paid_cents = 0, subsidy_cents = full_cents",
            "UPDATE sales SET household_id = household_id + 1",
            "UPDATE events SET payload = replace(payload, '\"quantity\":1', '\"quantity\":2')",
            "UPDATE events SET at = '2020-01-01T00:00:00.000Z'",
        ];
        for sql in refused {
            assert!(store.conn.execute(sql, []).is_err(), "{sql} was allowed");
        }
        assert_eq!(store.sale(sale.sale.id).unwrap().unwrap(), sale.sale);
    }
}
