//! The SQLite side of [`LabelStore`]: reading a batch with its product for a label, the label
//! settings row, and assigning restricted-circulation numbers in the same transaction as their
//! audit entry.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::json;

use super::SqliteHubStore;
use super::web::record_audit;
use crate::domain::codes::Gtin;
use crate::domain::label::{Bilingual, NutritionFacts, check_rcn_prefix, restricted_number};
use crate::domain::nutrition::Nutrition;
use crate::hub::store::{Audit, BatchLabel, HubStoreError, LabelSettings, LabelStore};

fn bilingual(json: Option<String>) -> Result<Option<Bilingual>, HubStoreError> {
    let Some(json) = json else { return Ok(None) };
    let map: BTreeMap<String, String> = serde_json::from_str(&json)?;
    let fr = map.get("fr-CA").cloned().unwrap_or_default();
    let en = map.get("en-CA").cloned().unwrap_or_default();
    Ok((!fr.trim().is_empty() || !en.trim().is_empty()).then_some(Bilingual { fr, en }))
}

fn first_gtin(tx: &rusqlite::Connection, product: i64) -> Result<Option<Gtin>, HubStoreError> {
    let gtin: Option<String> = tx
        .query_row(
            "SELECT gtin FROM barcodes WHERE product_id = ?1 ORDER BY gtin LIMIT 1",
            [product],
            |r| r.get(0),
        )
        .optional()?;
    gtin.map(|g| {
        Gtin::parse(&g)
            .map(|(gtin, _)| gtin)
            .map_err(|e| HubStoreError::Corrupt(format!("barcode {g}: {e}")))
    })
    .transpose()
}

fn assign(tx: &Transaction<'_>, product: i64, audit: &Audit) -> Result<Gtin, HubStoreError> {
    if let Some(gtin) = first_gtin(tx, product)? {
        return Ok(gtin);
    }
    let (prefix, mut serial): (String, i64) = tx.query_row(
        "SELECT rcn_prefix, next_rcn FROM label_settings WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // Skip numbers already in the catalogue (entered by hand, or under an earlier prefix).
    let gtin = loop {
        let gtin = restricted_number(&prefix, serial as u64)
            .map_err(|e| HubStoreError::Invalid(e.to_string()))?;
        serial += 1;
        let taken: Option<i64> = tx
            .query_row(
                "SELECT product_id FROM barcodes WHERE gtin = ?1",
                [gtin.as_gtin14()],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_none() {
            break gtin;
        }
    };
    tx.execute(
        "INSERT INTO barcodes (gtin, product_id) VALUES (?1, ?2)",
        params![gtin.as_gtin14(), product],
    )?;
    tx.execute(
        "UPDATE label_settings SET next_rcn = ?1 WHERE id = 1",
        [serial],
    )?;
    let audit = audit
        .clone()
        .subject(format!("product {product}"))
        .detail(json!({ "gtin": gtin.as_gtin14(), "restricted_circulation": true }));
    record_audit(tx, &audit)?;
    Ok(gtin)
}

impl LabelStore for SqliteHubStore {
    fn label_settings(&self) -> Result<LabelSettings, HubStoreError> {
        Ok(self.reader().query_row(
            "SELECT packer_name, address, rcn_prefix FROM label_settings WHERE id = 1",
            [],
            |r| {
                Ok(LabelSettings {
                    packer_name: r.get(0)?,
                    address: r.get(1)?,
                    rcn_prefix: r.get(2)?,
                })
            },
        )?)
    }

    fn save_label_settings(
        &self,
        settings: &LabelSettings,
        audit: &Audit,
    ) -> Result<(), HubStoreError> {
        check_rcn_prefix(&settings.rcn_prefix)
            .map_err(|e| HubStoreError::Invalid(e.to_string()))?;
        if settings.packer_name.trim().is_empty() {
            return Err(HubStoreError::Invalid("the packer's name is empty".into()));
        }
        let audit = audit.clone().subject("label settings").detail(json!({
            "packer_name": settings.packer_name,
            "address": settings.address,
            "rcn_prefix": settings.rcn_prefix,
        }));
        self.audited(&audit, |tx| {
            // A new prefix starts its own numbering.
            tx.execute(
                "UPDATE label_settings SET packer_name = ?1, address = ?2,
                        next_rcn = CASE WHEN rcn_prefix = ?3 THEN next_rcn ELSE 1 END,
                        rcn_prefix = ?3
                 WHERE id = 1",
                params![
                    settings.packer_name.trim(),
                    settings.address.trim(),
                    settings.rcn_prefix
                ],
            )?;
            Ok(())
        })
    }

    fn batch_label(&self, id: i64) -> Result<BatchLabel, HubStoreError> {
        let conn = self.reader();
        type Raw = (i64, i64, String, u32, u32, String, String);
        type Texts = (Option<String>, Option<String>, Option<String>);
        let row: Option<(Raw, Texts)> = conn
            .query_row(
                "SELECT b.site_id, b.product_id, p.names, p.net_weight_g, b.packs, b.lot,
                        b.best_before, p.ingredients, p.allergens, p.nutrition
                 FROM production_batches b JOIN products p ON p.id = b.product_id
                 WHERE b.id = ?1",
                [id],
                |r| {
                    Ok((
                        (
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                            r.get(6)?,
                        ),
                        (r.get(7)?, r.get(8)?, r.get(9)?),
                    ))
                },
            )
            .optional()?;
        let Some(((site_id, product_id, names, net_weight_g, packs, lot, best_before), texts)) =
            row
        else {
            return Err(HubStoreError::NotFound(format!("batch {id}")));
        };
        let names: BTreeMap<String, String> = serde_json::from_str(&names)?;
        let nutrition = texts
            .2
            .map(|n| serde_json::from_str::<Nutrition>(&n))
            .transpose()?
            .map(|n| NutritionFacts::from(&n));
        Ok(BatchLabel {
            batch_id: id,
            site_id,
            product_id,
            name_fr: names.get("fr-CA").cloned(),
            name_en: names.get("en-CA").cloned(),
            net_weight_g,
            packs,
            lot,
            best_before,
            gtin: first_gtin(&conn, product_id)?,
            ingredients: bilingual(texts.0)?,
            allergens: bilingual(texts.1)?,
            nutrition,
        })
    }

    fn label_gtin(&self, product_id: i64, audit: &Audit) -> Result<Gtin, HubStoreError> {
        let mut conn = self.writer();
        let tx = super::immediate(&mut conn)?;
        let gtin = assign(&tx, product_id, audit)?;
        tx.commit()?;
        Ok(gtin)
    }
}
