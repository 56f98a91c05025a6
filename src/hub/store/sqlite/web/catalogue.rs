//! Products and tiers as the staff pages read and write them: one transaction per save, with its
//! audit row; the configuration version bumps through the schema's triggers, so kiosks pull the
//! change at their next sync. The kiosks' snapshot and the ingest checks read the catalogue here
//! too ([`products`], [`tiers`]).

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::super::immediate;
use super::record_audit;
use crate::domain::codes::Gtin;
use crate::domain::money::Money;
use crate::domain::product::{Locale, Product, TaxRate};
use crate::domain::tier::{PriceOverride, Tier};
use crate::domain::{ProductId, TierId};
use crate::hub::store::{Audit, TierEntry};
use crate::hub::store::{Duplicated, HubStoreError};

fn corrupt(what: impl std::fmt::Display) -> HubStoreError {
    HubStoreError::Corrupt(what.to_string())
}

pub(in crate::hub::store::sqlite) fn products(
    conn: &Connection,
) -> Result<Vec<Product>, HubStoreError> {
    let mut barcodes: BTreeMap<i64, Vec<Gtin>> = BTreeMap::new();
    let mut statement =
        conn.prepare_cached("SELECT product_id, gtin FROM barcodes ORDER BY gtin")?;
    let rows = statement
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    for (product, text) in rows {
        let gtin = text
            .parse::<Gtin>()
            .map_err(|_| corrupt(format!("barcode «{text}»")))?;
        barcodes.entry(product).or_default().push(gtin);
    }
    let mut statement = conn.prepare_cached(
        "SELECT id, internal_code, names, pictogram, net_weight_g, full_price_cents, tax_rate,
                active, photo FROM products ORDER BY id",
    )?;
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u32>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, u32>(6)?,
                r.get::<_, bool>(7)?,
                crate::sqlite::photo_hash(r, 8)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(
            |(id, internal_code, names, pictogram, weight, price, tax, active, photo)| {
                Ok(Product {
                    id: ProductId(id),
                    barcodes: barcodes.remove(&id).unwrap_or_default(),
                    internal_code,
                    names: serde_json::from_str(&names)?,
                    pictogram,
                    net_weight_g: weight,
                    full_price: Money::from_cents(price),
                    tax_rate: TaxRate(tax),
                    active,
                    photo,
                })
            },
        )
        .collect()
}

fn owner_of(tx: &Transaction<'_>, sql: &str, value: &str) -> Result<Option<i64>, HubStoreError> {
    Ok(tx.query_row(sql, [value], |r| r.get(0)).optional()?)
}

/// Refuses barcodes or an internal code that belong to another product.
fn check_codes_free(
    tx: &Transaction<'_>,
    id: Option<ProductId>,
    product: &Product,
) -> Result<(), HubStoreError> {
    let other = |owner: Option<i64>| owner.is_some_and(|o| Some(ProductId(o)) != id);
    for gtin in &product.barcodes {
        let text = gtin.as_gtin14();
        if other(owner_of(
            tx,
            "SELECT product_id FROM barcodes WHERE gtin = ?1",
            &text,
        )?) {
            return Err(HubStoreError::Duplicate(Duplicated::Barcode(
                text.to_string(),
            )));
        }
    }
    if let Some(code) = &product.internal_code
        && other(owner_of(
            tx,
            "SELECT id FROM products WHERE internal_code = ?1",
            code,
        )?)
    {
        return Err(HubStoreError::Duplicate(Duplicated::InternalCode(
            code.to_string(),
        )));
    }
    Ok(())
}

pub(super) fn save_product(
    conn: &mut Connection,
    id: Option<ProductId>,
    product: &Product,
    audit: &Audit,
) -> Result<ProductId, HubStoreError> {
    product
        .validate()
        .map_err(|e| HubStoreError::Invalid(e.to_string()))?;
    let tx = immediate(conn)?;
    check_codes_free(&tx, id, product)?;
    let names = serde_json::to_string(&product.names)?;
    let p = product;
    let id = match id {
        Some(id) => {
            let changed = tx.execute(
                "UPDATE products SET internal_code = ?1, names = ?2, pictogram = ?3,
                        net_weight_g = ?4, full_price_cents = ?5, tax_rate = ?6, active = ?7
                 WHERE id = ?8",
                params![
                    p.internal_code,
                    names,
                    p.pictogram,
                    p.net_weight_g,
                    p.full_price.cents(),
                    p.tax_rate.0,
                    p.active,
                    id.0
                ],
            )?;
            if changed == 0 {
                return Err(HubStoreError::NotFound(format!("product {}", id.0)));
            }
            id
        }
        None => {
            tx.execute(
                "INSERT INTO products (internal_code, names, pictogram, net_weight_g,
                        full_price_cents, tax_rate, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    p.internal_code,
                    names,
                    p.pictogram,
                    p.net_weight_g,
                    p.full_price.cents(),
                    p.tax_rate.0,
                    p.active
                ],
            )?;
            ProductId(tx.last_insert_rowid())
        }
    };
    replace_barcodes(&tx, id, &product.barcodes)?;
    commit_audited(tx, audit, format!("product {}", id.0))?;
    Ok(id)
}

/// Records `audit` about `subject` in the save's transaction, and commits it.
fn commit_audited(
    tx: Transaction<'_>,
    audit: &Audit,
    subject: String,
) -> Result<(), HubStoreError> {
    let audit = Audit {
        subject,
        ..audit.clone()
    };
    record_audit(&tx, &audit)?;
    Ok(tx.commit()?)
}

/// Keeps the product's barcodes in the list, removes the others, adds the new ones (so an
/// unchanged list writes nothing and does not bump the configuration).
fn replace_barcodes(
    tx: &Transaction<'_>,
    id: ProductId,
    barcodes: &[Gtin],
) -> Result<(), HubStoreError> {
    let wanted: Vec<String> = barcodes.iter().map(Gtin::as_gtin14).collect();
    let held: Vec<String> = tx
        .prepare_cached("SELECT gtin FROM barcodes WHERE product_id = ?1")?
        .query_map([id.0], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for gone in held.iter().filter(|g| !wanted.contains(g)) {
        tx.execute("DELETE FROM barcodes WHERE gtin = ?1", [gone])?;
    }
    for new in wanted.iter().filter(|g| !held.contains(g)) {
        tx.execute(
            "INSERT OR IGNORE INTO barcodes (gtin, product_id) VALUES (?1, ?2)",
            params![new, id.0],
        )?;
    }
    Ok(())
}

pub(in crate::hub::store::sqlite) fn tiers(
    conn: &Connection,
) -> Result<Vec<TierEntry>, HubStoreError> {
    let mut overrides: BTreeMap<i64, Vec<PriceOverride>> = BTreeMap::new();
    let mut statement = conn.prepare_cached(
        "SELECT tier_id, product_id, price_cents FROM tier_overrides ORDER BY tier_id, product_id",
    )?;
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for (tier, product, price) in rows {
        overrides.entry(tier).or_default().push(PriceOverride {
            product: ProductId(product),
            price: Money::from_cents(price),
        });
    }
    let mut statement = conn.prepare_cached(
        "SELECT id, label, percent, is_default, caps, names FROM tiers ORDER BY id",
    )?;
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(id, label, percent, is_default, caps, names)| {
            let names: BTreeMap<Locale, String> = serde_json::from_str(&names)?;
            Ok(TierEntry {
                tier: Tier {
                    id: TierId(id),
                    label,
                    percent,
                    overrides: overrides.remove(&id).unwrap_or_default(),
                    caps: serde_json::from_str(&caps)?,
                    is_default,
                },
                names,
            })
        })
        .collect()
}

pub(super) fn save_tier(
    conn: &mut Connection,
    id: Option<TierId>,
    entry: &TierEntry,
    audit: &Audit,
) -> Result<TierId, HubStoreError> {
    let tier = &entry.tier;
    tier.validate()
        .map_err(|e| HubStoreError::Invalid(e.to_string()))?;
    let tx = immediate(conn)?;
    let label_owner = owner_of(
        &tx,
        "SELECT id FROM tiers WHERE label = ?1",
        tier.label.trim(),
    )?;
    if label_owner.is_some_and(|o| Some(TierId(o)) != id) {
        return Err(HubStoreError::Duplicate(Duplicated::Tier(
            tier.label.trim().to_owned(),
        )));
    }
    for o in &tier.overrides {
        let known = tx
            .query_row(
                "SELECT 1 FROM products WHERE id = ?1",
                [o.product.0],
                |_| Ok(()),
            )
            .optional()?;
        known.ok_or_else(|| HubStoreError::NotFound(format!("product {}", o.product.0)))?;
    }
    let was_default = match id {
        Some(id) => tx
            .query_row("SELECT is_default FROM tiers WHERE id = ?1", [id.0], |r| {
                r.get::<_, bool>(0)
            })
            .optional()?
            .ok_or_else(|| HubStoreError::NotFound(format!("tier {}", id.0)))?,
        None => false,
    };
    if was_default && !tier.is_default {
        return Err(HubStoreError::Invalid(
            "the default tier stays the default until another tier takes its place".into(),
        ));
    }
    if tier.is_default && !was_default {
        tx.execute("UPDATE tiers SET is_default = 0 WHERE is_default = 1", [])?;
    }
    let caps = serde_json::to_string(&tier.caps)?;
    let names = serde_json::to_string(&entry.names)?;
    let id =
        match id {
            Some(id) => {
                tx.execute(
                "UPDATE tiers SET label = ?1, percent = ?2, is_default = ?3, caps = ?4, names = ?5
                 WHERE id = ?6",
                params![tier.label.trim(), tier.percent, tier.is_default, caps, names, id.0],
            )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO tiers (label, percent, is_default, caps, names)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        tier.label.trim(),
                        tier.percent,
                        tier.is_default,
                        caps,
                        names
                    ],
                )?;
                TierId(tx.last_insert_rowid())
            }
        };
    replace_overrides(&tx, id, &tier.overrides)?;
    commit_audited(tx, audit, format!("tier {}", id.0))?;
    Ok(id)
}

fn replace_overrides(
    tx: &Transaction<'_>,
    id: TierId,
    overrides: &[PriceOverride],
) -> Result<(), HubStoreError> {
    let held: Vec<(i64, i64)> = tx
        .prepare_cached("SELECT product_id, price_cents FROM tier_overrides WHERE tier_id = ?1")?
        .query_map([id.0], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let wanted: Vec<(i64, i64)> = overrides
        .iter()
        .map(|o| (o.product.0, o.price.cents()))
        .collect();
    for (product, _) in held.iter().filter(|h| !wanted.iter().any(|w| w.0 == h.0)) {
        tx.execute(
            "DELETE FROM tier_overrides WHERE tier_id = ?1 AND product_id = ?2",
            params![id.0, product],
        )?;
    }
    for (product, price) in wanted.iter().filter(|w| !held.contains(w)) {
        tx.execute(
            "INSERT INTO tier_overrides (tier_id, product_id, price_cents) VALUES (?1, ?2, ?3)
             ON CONFLICT (tier_id, product_id) DO UPDATE SET price_cents = excluded.price_cents",
            params![id.0, product, price],
        )?;
    }
    Ok(())
}
