//! Reading back what ingest set aside — quarantined events with their raw payload, and sales
//! priced otherwise than the hub prices them — and what households bought across the fleet, which
//! kiosks need to hold caps fleet-wide.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use super::super::{HubStoreError, MismatchRow, QuarantineRow};
use crate::domain::caps::PastPurchase;
use crate::domain::sync::{HouseholdPurchases, HouseholdUsage};
use crate::domain::{HouseholdId, KioskId, Money, Seq};

/// The newest quarantined events, with the kiosk's name and the event as received.
pub(super) fn quarantined(
    tx: &Transaction<'_>,
    limit: u32,
) -> Result<Vec<QuarantineRow>, HubStoreError> {
    let mut statement = tx.prepare_cached(
        "SELECT q.kiosk_id, k.name, q.seq, e.kind, q.received_at, q.reason, q.message, e.payload
         FROM quarantined_events q
         JOIN kiosks k ON k.id = q.kiosk_id
         JOIN events e ON e.kiosk_id = q.kiosk_id AND e.seq = q.seq
         ORDER BY q.received_at DESC, q.kiosk_id, q.seq DESC LIMIT ?1",
    )?;
    let rows = statement.query_map([limit], |r| {
        Ok(QuarantineRow {
            kiosk: KioskId(r.get(0)?),
            kiosk_name: r.get(1)?,
            seq: Seq(u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0)),
            kind: r.get(3)?,
            received_at: r.get(4)?,
            reason: r.get(5)?,
            message: r.get(6)?,
            payload: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The newest sale lines charged otherwise than the hub prices them.
pub(super) fn mismatches(
    tx: &Transaction<'_>,
    limit: u32,
) -> Result<Vec<MismatchRow>, HubStoreError> {
    let mut statement = tx.prepare_cached(
        "SELECT m.sale_id, m.line_no, k.name, m.product_id, m.tier_id, m.full_unit_cents,
                m.charged_unit_cents, m.hub_full_unit_cents, m.hub_charged_unit_cents,
                m.kiosk_config_version, m.hub_config_version, m.at
         FROM price_mismatches m JOIN kiosks k ON k.id = m.kiosk_id
         ORDER BY m.at DESC LIMIT ?1",
    )?;
    let money = |cents: i64| Money::from_cents(cents);
    let rows = statement.query_map([limit], |r| {
        Ok(MismatchRow {
            sale: r.get(0)?,
            line: r.get(1)?,
            kiosk_name: r.get(2)?,
            product: r.get(3)?,
            tier: r.get(4)?,
            full_unit: money(r.get(5)?),
            charged_unit: money(r.get(6)?),
            hub_full_unit: money(r.get(7)?),
            hub_charged_unit: money(r.get(8)?),
            kiosk_config_version: r.get(9)?,
            hub_config_version: r.get(10)?,
            at: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What every household bought per local day since `from` (voided sales and quarantined events
/// are in no projection, so in none of these figures), with how far the hub holds `kiosk`'s log,
/// read in one transaction so the two agree. The day is the one ingest stored on the sale.
pub(super) fn household_usage(
    tx: &Transaction<'_>,
    kiosk: KioskId,
    from: NaiveDate,
) -> Result<HouseholdUsage, HubStoreError> {
    let held: i64 = tx
        .prepare_cached("SELECT acked_through FROM kiosk_sync WHERE kiosk_id = ?1")?
        .query_row([kiosk.0], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    // A day earlier in UTC than `from`, so no local day in the window is cut; the extra day is
    // outside every cap window and harmless.
    let since = from
        .pred_opt()
        .unwrap_or(from)
        .format("%Y-%m-%d")
        .to_string();
    let mut statement = tx.prepare_cached(
        "SELECT household_id, day, sum(paid_cents), sum(items)
         FROM sales
         WHERE household_id IS NOT NULL AND at >= ?1 AND voided = 0
         GROUP BY household_id, day ORDER BY household_id, day",
    )?;
    let rows = statement.query_map(params![since], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut households: Vec<HouseholdPurchases> = Vec::new();
    for row in rows {
        let (household, day, paid, items) = row?;
        let on = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
            .map_err(|e| HubStoreError::Corrupt(format!("sale day «{day}»: {e}")))?;
        if on < from {
            continue;
        }
        let purchase = PastPurchase {
            on,
            paid: Money::from_cents(paid),
            items: u32::try_from(items).unwrap_or(u32::MAX),
        };
        match households.last_mut() {
            Some(last) if last.household.0 == household => last.days.push(purchase),
            _ => households.push(HouseholdPurchases {
                household: HouseholdId(household),
                days: vec![purchase],
            }),
        }
    }
    Ok(HouseholdUsage {
        as_of_seq: Seq(u64::try_from(held).unwrap_or(0)),
        households,
    })
}
