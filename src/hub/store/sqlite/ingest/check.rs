//! The ingest edge of [`crate::domain::event_check`]: what the hub knows is read once per batch,
//! each new event is judged against it, and what fails is recorded as quarantined — stored, so the
//! kiosk's log stays whole, but kept out of every projection and listed for admins.

use std::collections::HashMap;

use rusqlite::{Transaction, params};

use super::super::super::HubStoreError;
use super::super::snapshot;
use crate::domain::event::Event;
use crate::domain::event_check::{PriceMismatch, Reference};
use crate::domain::product::{Product, TaxRate};
use crate::domain::sale::Sale;
use crate::domain::sync::QuarantinedEvent as Quarantined;
use crate::domain::{HouseholdId, KioskId, Money, ProductId, Seq};

/// Reads the catalogue, the tiers and the cards `events` name, in the batch's transaction.
pub(super) fn reference(
    tx: &Transaction<'_>,
    events: &[Event],
) -> Result<Reference, HubStoreError> {
    let products = priced_products(tx)?;
    let tiers = snapshot::tiers(tx)?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut cards = HashMap::new();
    let mut statement = tx.prepare_cached("SELECT household_id FROM cards WHERE hash = ?1")?;
    for card in Reference::cards_named(events) {
        let mut rows = statement.query([card.0.as_slice()])?;
        if let Some(row) = rows.next()? {
            cards.insert(card, HouseholdId(row.get(0)?));
        }
    }
    Ok(Reference {
        products,
        tiers,
        cards,
    })
}

/// The catalogue as far as checking and pricing a sale needs it (no names, no barcodes): read at
/// every push, so it stays a single narrow query.
fn priced_products(tx: &Transaction<'_>) -> Result<HashMap<ProductId, Product>, HubStoreError> {
    let mut statement = tx.prepare_cached(
        "SELECT id, pictogram, net_weight_g, full_price_cents, tax_rate, active FROM products",
    )?;
    let rows = statement.query_map([], |r| {
        Ok(Product {
            id: ProductId(r.get(0)?),
            barcodes: vec![],
            internal_code: None,
            names: Default::default(),
            pictogram: r.get(1)?,
            net_weight_g: r.get(2)?,
            full_price: Money::from_cents(r.get(3)?),
            tax_rate: TaxRate(r.get(4)?),
            active: r.get(5)?,
            photo: None,
        })
    })?;
    let mut products = HashMap::new();
    for product in rows {
        let product = product?;
        products.insert(product.id, product);
    }
    Ok(products)
}

/// Records that `seq` of `kiosk` is quarantined and why.
pub(super) fn quarantine(
    tx: &Transaction<'_>,
    kiosk: KioskId,
    received_at: &str,
    why: &Quarantined,
) -> Result<(), HubStoreError> {
    tracing::warn!(%kiosk, seq = %why.seq, reason = %why.reason, "event quarantined: {}", why.message);
    tx.prepare_cached(
        "INSERT INTO quarantined_events (kiosk_id, seq, reason, message, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        kiosk.0,
        seq_value(why.seq)?,
        why.reason,
        why.message,
        received_at
    ])?;
    Ok(())
}

/// Records the lines a sale charged otherwise than the hub prices them now, with the
/// configuration versions on both sides.
pub(super) fn record_mismatches(
    tx: &Transaction<'_>,
    kiosk: KioskId,
    sale: &Sale,
    mismatches: &[PriceMismatch],
    hub_version: i64,
) -> Result<(), HubStoreError> {
    let mut statement = tx.prepare_cached(
        "INSERT INTO price_mismatches (sale_id, line_no, kiosk_id, product_id, tier_id,
            full_unit_cents, charged_unit_cents, hub_full_unit_cents, hub_charged_unit_cents,
            kiosk_config_version, hub_config_version, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (sale_id, line_no) DO NOTHING",
    )?;
    let kiosk_version = sale
        .config_version
        .map(|v| i64::try_from(v).unwrap_or(i64::MAX));
    for m in mismatches {
        statement.execute(params![
            sale.id.to_string(),
            i64::try_from(m.line).unwrap_or(i64::MAX),
            kiosk.0,
            m.product.0,
            sale.tier.0,
            m.full_unit.cents(),
            m.charged_unit.cents(),
            m.hub_full_unit.cents(),
            m.hub_charged_unit.cents(),
            kiosk_version,
            hub_version,
            crate::sqlite::time_text(sale.at)
        ])?;
    }
    Ok(())
}

/// A seq as SQLite stores it. Kiosks count from 1 by one, so a seq past `i64::MAX` is a lie
/// refused before anything is written.
pub(super) fn seq_value(seq: Seq) -> Result<i64, HubStoreError> {
    i64::try_from(seq.0).map_err(|_| HubStoreError::Invalid(format!("seq {seq} is out of range")))
}

/// Whether `incoming` is `stored` with its buyer taken out by retention (the kiosk's, the hub's or
/// both): the same sale, re-sent after the household was detached, is a duplicate, not a conflict.
pub(super) fn is_detached_copy(stored: &str, incoming: &str) -> bool {
    let Ok(mut event) = serde_json::from_str::<Event>(stored) else {
        return false;
    };
    match &mut event.body {
        crate::domain::event::EventBody::Sale(sale) => sale.buyer = None,
        _ => return false,
    }
    serde_json::to_string(&event).is_ok_and(|text| text == incoming)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::EventBody;
    use crate::domain::household::CardHash;
    use crate::domain::sale::Buyer;

    #[test]
    fn a_sale_re_sent_without_its_buyer_is_a_copy_and_nothing_else_is() {
        let (_dir, kiosk) = crate::store::test_support::temp_store_with_demo();
        let sale = crate::store::test_support::sale_of(&kiosk, &[(0, 1)], None);
        let with_buyer = |buyer| Event {
            id: crate::domain::EventId(uuid::Uuid::nil()),
            kiosk: KioskId(1),
            seq: Seq(1),
            at: sale.at,
            clock: None,
            body: EventBody::Sale(Sale {
                buyer,
                ..sale.clone()
            }),
        };
        let buyer = Buyer {
            card: CardHash([1; 32]),
            household: HouseholdId(2),
        };
        let stored = serde_json::to_string(&with_buyer(Some(buyer))).unwrap();
        let detached = serde_json::to_string(&with_buyer(None)).unwrap();
        assert!(is_detached_copy(&stored, &detached));
        assert!(!is_detached_copy(&stored, &stored));
        // Both sides detached: the hub's retention and the kiosk's.
        assert!(is_detached_copy(&detached, &detached));
        let mut other = with_buyer(None);
        if let EventBody::Sale(s) = &mut other.body {
            s.payment.amount += crate::domain::Money::from_cents(5);
        }
        assert!(!is_detached_copy(
            &stored,
            &serde_json::to_string(&other).unwrap()
        ));
    }
}
