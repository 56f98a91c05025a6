//! Building the configuration snapshot a kiosk pulls: the collective's catalogue, tiers, households
//! and cards, with the kiosk's own payment methods and thresholds, read in one transaction.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, Transaction};

use super::super::HubStoreError;
use crate::domain::codes::Gtin;
use crate::domain::config::{CardEntry, KioskConfig, Thresholds};
use crate::domain::household::{CardHash, Household, HouseholdStatus};
use crate::domain::product::{Locale, Product, TaxRate};
use crate::domain::sale::PaymentMethod;
use crate::domain::tier::{PriceOverride, Tier};
use crate::domain::{HouseholdId, KioskId, Money, ProductId, TierId};

pub(super) fn version(tx: &Transaction<'_>) -> Result<u64, HubStoreError> {
    let v: i64 = tx.query_row("SELECT version FROM config_state WHERE id = 1", [], |r| {
        r.get(0)
    })?;
    Ok(v as u64)
}

pub(super) fn build(
    tx: &Transaction<'_>,
    kiosk: KioskId,
    version: u64,
) -> Result<KioskConfig, HubStoreError> {
    let (payment_methods, thresholds) = kiosk_settings(tx, kiosk)?;
    let config = KioskConfig {
        version,
        products: products(tx)?,
        tiers: tiers(tx)?,
        households: households(tx)?,
        cards: cards(tx)?,
        payment_methods,
        thresholds,
        badges: super::badges::for_kiosk(tx, kiosk)?,
    };
    // Admin commands validate what they write, so this only fails on a hub bug; a kiosk would
    // refuse the snapshot anyway, so say so here where it can be read.
    config
        .validate()
        .map_err(|e| HubStoreError::Corrupt(format!("the configuration is inconsistent: {e}")))?;
    Ok(config)
}

fn kiosk_settings(
    tx: &Transaction<'_>,
    kiosk: KioskId,
) -> Result<(Vec<PaymentMethod>, Thresholds), HubStoreError> {
    let (methods, thresholds): (String, String) = tx
        .query_row(
            "SELECT payment_methods, thresholds FROM kiosks WHERE id = ?1",
            [kiosk.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| HubStoreError::NotFound(format!("kiosk {kiosk}")))?;
    Ok((
        serde_json::from_str(&methods)?,
        serde_json::from_str(&thresholds)?,
    ))
}

fn products(tx: &Transaction<'_>) -> Result<Vec<Product>, HubStoreError> {
    let mut barcodes: BTreeMap<i64, Vec<Gtin>> = BTreeMap::new();
    let mut statement = tx.prepare("SELECT product_id, gtin FROM barcodes ORDER BY gtin")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let text: String = row.get(1)?;
        let gtin = text
            .parse::<Gtin>()
            .map_err(|_| HubStoreError::Corrupt(format!("barcode «{text}»")))?;
        barcodes.entry(row.get(0)?).or_default().push(gtin);
    }
    let mut statement = tx.prepare(
        "SELECT id, internal_code, names, pictogram, net_weight_g, full_price_cents, tax_rate,
                active, photo FROM products ORDER BY id",
    )?;
    let rows = statement
        .query_map([], |r| {
            Ok((
                Product {
                    id: ProductId(r.get(0)?),
                    barcodes: vec![],
                    internal_code: r.get(1)?,
                    names: BTreeMap::new(),
                    pictogram: r.get(3)?,
                    net_weight_g: r.get(4)?,
                    full_price: Money::from_cents(r.get(5)?),
                    tax_rate: TaxRate(r.get(6)?),
                    active: r.get(7)?,
                    photo: crate::sqlite::photo_hash(r, 8)?,
                },
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(product, names)| {
            let names: BTreeMap<Locale, String> = serde_json::from_str(&names)?;
            Ok(Product {
                barcodes: barcodes.remove(&product.id.0).unwrap_or_default(),
                names,
                ..product
            })
        })
        .collect()
}

pub(super) fn tiers(tx: &Transaction<'_>) -> Result<Vec<Tier>, HubStoreError> {
    let mut overrides: BTreeMap<i64, Vec<PriceOverride>> = BTreeMap::new();
    let mut statement = tx.prepare(
        "SELECT tier_id, product_id, price_cents FROM tier_overrides ORDER BY tier_id, product_id",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        overrides
            .entry(row.get(0)?)
            .or_default()
            .push(PriceOverride {
                product: ProductId(row.get(1)?),
                price: Money::from_cents(row.get(2)?),
            });
    }
    let mut statement =
        tx.prepare("SELECT id, label, percent, is_default, caps FROM tiers ORDER BY id")?;
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(id, label, percent, is_default, caps)| {
            Ok(Tier {
                id: TierId(id),
                label,
                percent,
                overrides: overrides.remove(&id).unwrap_or_default(),
                caps: serde_json::from_str(&caps)?,
                is_default,
            })
        })
        .collect()
}

fn households(tx: &Transaction<'_>) -> Result<Vec<Household>, HubStoreError> {
    let mut statement = tx.prepare(
        "SELECT id, tier_id, status, expires_on, caps, balance_cents, pay_later_limit_cents,
                pay_later_owed_cents FROM households ORDER BY id",
    )?;
    let rows = statement
        .query_map([], |r| {
            let status: String = r.get(2)?;
            Ok((
                Household {
                    id: HouseholdId(r.get(0)?),
                    tier: TierId(r.get(1)?),
                    status: if status == "revoked" {
                        HouseholdStatus::Revoked
                    } else {
                        HouseholdStatus::Active
                    },
                    expires_on: r.get(3)?,
                    caps: vec![],
                    balance: r.get::<_, Option<i64>>(5)?.map(Money::from_cents),
                    pay_later_limit: r.get::<_, Option<i64>>(6)?.map(Money::from_cents),
                    pay_later_owed: Money::from_cents(r.get(7)?),
                },
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(household, caps)| {
            Ok(Household {
                caps: serde_json::from_str(&caps)?,
                ..household
            })
        })
        .collect()
}

fn cards(tx: &Transaction<'_>) -> Result<Vec<CardEntry>, HubStoreError> {
    let mut statement =
        tx.prepare("SELECT hash, household_id, revoked FROM cards ORDER BY household_id, hash")?;
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(hash, household, revoked)| {
            let hash: [u8; 32] = hash
                .try_into()
                .map_err(|_| HubStoreError::Corrupt("a card hash is not 32 bytes".into()))?;
            Ok(CardEntry {
                hash: CardHash(hash),
                household: HouseholdId(household),
                revoked,
            })
        })
        .collect()
}
