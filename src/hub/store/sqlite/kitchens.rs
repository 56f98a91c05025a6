//! Sources, intakes, production batches and label facts in SQLite (schema 12).
//!
//! A batch is checked inside its immediate transaction against the grams each intake has left
//! (received minus what `batch_intakes` already took), so the check and the write see the same
//! rows. Its lot is the day's next number: the store counts the batches already made that day.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::SqliteHubStore;
use crate::domain::kitchen::{
    BatchId, IntakeId, IntakeLeft, NewBatch, NewIntake, SourceId, SourceKind, check_batch,
    clean_text, lot_code,
};
use crate::domain::nutrition::LabelFacts;
use crate::domain::product::Locale;
use crate::domain::{ProductId, SiteId};
use crate::hub::store::kitchens::{BatchRow, IntakeRow, KitchenStore, RecordedBatch, SourceRow};
use crate::hub::store::{Audit, HubStoreError};
use crate::sqlite::time_text;

const DATE: &str = "%Y-%m-%d";

fn date_text(date: NaiveDate) -> String {
    date.format(DATE).to_string()
}

fn parse_date(text: &str) -> Result<NaiveDate, HubStoreError> {
    NaiveDate::parse_from_str(text, DATE)
        .map_err(|e| HubStoreError::Corrupt(format!("date «{text}»: {e}")))
}

fn invalid(error: impl ToString) -> HubStoreError {
    HubStoreError::Invalid(error.to_string())
}

fn require(tx: &Transaction<'_>, table: &str, what: &str, id: i64) -> Result<(), HubStoreError> {
    let sql = format!("SELECT 1 FROM {table} WHERE id = ?1");
    match tx.query_row(&sql, [id], |_| Ok(())).optional()? {
        Some(()) => Ok(()),
        None => Err(HubStoreError::NotFound(format!("{what} {id}"))),
    }
}

fn locale_map(text: Option<String>) -> Result<BTreeMap<Locale, String>, HubStoreError> {
    Ok(match text {
        Some(text) => serde_json::from_str(&text)?,
        None => BTreeMap::new(),
    })
}

fn locale_json(map: &BTreeMap<Locale, String>) -> Result<Option<String>, HubStoreError> {
    if map.is_empty() {
        Ok(None)
    } else {
        Ok(Some(serde_json::to_string(map)?))
    }
}

/// What an intake has left, its kitchen and date, as [`check_batch`] asks.
fn intake_left(tx: &Transaction<'_>, id: IntakeId) -> Result<Option<IntakeLeft>, HubStoreError> {
    let row: Option<(i64, String, i64)> = tx
        .prepare_cached(
            "SELECT i.site_id, i.received_on,
                    i.received_g - coalesce((SELECT sum(used_g) FROM batch_intakes b
                                             WHERE b.intake_id = i.id), 0)
             FROM intakes i WHERE i.id = ?1",
        )?
        .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    row.map(|(site, on, left)| {
        Ok(IntakeLeft {
            kitchen: SiteId(site),
            received_on: parse_date(&on)?,
            left_g: u64::try_from(left).unwrap_or(0),
        })
    })
    .transpose()
}

fn uses_of(
    conn: &Connection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<(IntakeId, u64)>>, HubStoreError> {
    let mut uses: HashMap<i64, Vec<(IntakeId, u64)>> = HashMap::new();
    let mut statement = conn.prepare_cached(
        "SELECT intake_id, used_g FROM batch_intakes WHERE batch_id = ?1 ORDER BY intake_id",
    )?;
    for &id in ids {
        let rows = statement
            .query_map([id], |r| {
                Ok((IntakeId(r.get(0)?), r.get::<_, i64>(1)? as u64))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        uses.insert(id, rows);
    }
    Ok(uses)
}

impl KitchenStore for SqliteHubStore {
    fn sources(&self) -> Result<Vec<SourceRow>, HubStoreError> {
        let conn = self.reader();
        let mut statement =
            conn.prepare_cached("SELECT id, name, kind FROM sources ORDER BY name")?;
        let rows = statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?)))?
            .collect::<Result<Vec<(i64, String, String)>, _>>()?;
        rows.into_iter()
            .map(|(id, name, kind)| {
                let kind = SourceKind::from_name(&kind)
                    .ok_or_else(|| HubStoreError::Corrupt(format!("source kind «{kind}»")))?;
                Ok(SourceRow {
                    id: SourceId(id),
                    name,
                    kind,
                })
            })
            .collect()
    }

    fn add_source(
        &self,
        name: &str,
        kind: SourceKind,
        audit: &Audit,
    ) -> Result<SourceId, HubStoreError> {
        let name = clean_text(name).map_err(invalid)?;
        self.audited(audit, |tx| {
            let taken = tx
                .query_row("SELECT 1 FROM sources WHERE name = ?1", [&name], |_| Ok(()))
                .optional()?
                .is_some();
            if taken {
                return Err(HubStoreError::Invalid(format!(
                    "a source named «{name}» already exists"
                )));
            }
            tx.execute(
                "INSERT INTO sources (name, kind) VALUES (?1, ?2)",
                params![name, kind.name()],
            )?;
            Ok(SourceId(tx.last_insert_rowid()))
        })
    }

    fn intakes(
        &self,
        kitchen: Option<SiteId>,
        limit: u32,
    ) -> Result<Vec<IntakeRow>, HubStoreError> {
        let conn = self.reader();
        let mut statement = conn.prepare_cached(
            "SELECT i.id, i.received_on, i.source_id, so.name, i.description, i.category,
                    i.received_g,
                    coalesce((SELECT sum(used_g) FROM batch_intakes b WHERE b.intake_id = i.id), 0),
                    i.site_id, si.name
             FROM intakes i JOIN sources so ON so.id = i.source_id JOIN sites si ON si.id = i.site_id
             WHERE ?1 IS NULL OR i.site_id = ?1
             ORDER BY i.received_on DESC, i.id DESC LIMIT ?2",
        )?;
        let rows = statement
            .query_map(params![kitchen.map(|k| k.0), limit], |r| {
                Ok((
                    (
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                    ),
                    (
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                    ),
                    (
                        r.get::<_, i64>(6)?,
                        r.get::<_, i64>(7)?,
                        r.get::<_, i64>(8)?,
                    ),
                    r.get::<_, String>(9)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(
                |(
                    (id, on, source),
                    (source_name, description, category),
                    (got, used, site),
                    kitchen_name,
                )| {
                    Ok(IntakeRow {
                        id: IntakeId(id),
                        received_on: parse_date(&on)?,
                        source: SourceId(source),
                        source_name,
                        description,
                        category,
                        received_g: got as u64,
                        used_g: used as u64,
                        kitchen: SiteId(site),
                        kitchen_name,
                    })
                },
            )
            .collect()
    }

    fn add_intake(
        &self,
        intake: &NewIntake,
        today: NaiveDate,
        audit: &Audit,
    ) -> Result<IntakeId, HubStoreError> {
        let intake = intake.checked(today).map_err(invalid)?;
        self.audited(audit, |tx| {
            require(tx, "sources", "source", intake.source.0)?;
            require(tx, "sites", "site", intake.kitchen.0)?;
            tx.execute(
                "INSERT INTO intakes (received_on, source_id, description, category, received_g,
                                      site_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    date_text(intake.received_on),
                    intake.source.0,
                    intake.description,
                    intake.category,
                    intake.received_g as i64,
                    intake.kitchen.0,
                    time_text(Utc::now()),
                ],
            )?;
            Ok(IntakeId(tx.last_insert_rowid()))
        })
    }

    fn batches(&self, kitchen: Option<SiteId>, limit: u32) -> Result<Vec<BatchRow>, HubStoreError> {
        let conn = self.reader();
        let mut statement = conn.prepare_cached(
            "SELECT b.id, b.produced_on, b.site_id, si.name, b.programme, b.participant_minutes,
                    b.product_id, p.names, b.packs, b.packed_g, b.lot, b.best_before
             FROM production_batches b JOIN sites si ON si.id = b.site_id
                  JOIN products p ON p.id = b.product_id
             WHERE ?1 IS NULL OR b.site_id = ?1
             ORDER BY b.produced_on DESC, b.id DESC LIMIT ?2",
        )?;
        type Raw = (
            (i64, String, i64, String),
            (Option<String>, Option<i64>, i64, String),
            (i64, i64, String, String),
        );
        let rows: Vec<Raw> = statement
            .query_map(params![kitchen.map(|k| k.0), limit], |r| {
                Ok((
                    (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?),
                    (r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?),
                    (r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?),
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0.0).collect();
        let mut uses = uses_of(&conn, &ids)?;
        rows.into_iter()
            .map(
                |(
                    (id, on, site, kitchen_name),
                    (programme, minutes, product, names),
                    (packs, packed, lot, bb),
                )| {
                    Ok(BatchRow {
                        id: BatchId(id),
                        produced_on: parse_date(&on)?,
                        kitchen: SiteId(site),
                        kitchen_name,
                        programme,
                        participant_minutes: minutes.map(|m| m as u32),
                        product: ProductId(product),
                        product_names: serde_json::from_str(&names)?,
                        packs: packs as u32,
                        packed_g: packed as u64,
                        lot,
                        best_before: parse_date(&bb)?,
                        uses: uses.remove(&id).unwrap_or_default(),
                    })
                },
            )
            .collect()
    }

    fn add_batch(
        &self,
        batch: &NewBatch,
        today: NaiveDate,
        audit: &Audit,
    ) -> Result<RecordedBatch, HubStoreError> {
        // The audit row learns the lot once it is known.
        let mut audit = audit.clone();
        let mut conn = self.writer();
        let tx = super::immediate(&mut conn)?;
        require(&tx, "sites", "site", batch.kitchen.0)?;
        let shelf: Option<Option<i64>> = tx
            .query_row(
                "SELECT shelf_life_days FROM products WHERE id = ?1",
                [batch.product.0],
                |r| r.get(0),
            )
            .optional()?;
        let shelf =
            shelf.ok_or_else(|| HubStoreError::NotFound(format!("product {}", batch.product)))?;
        let mut known = HashMap::new();
        for (id, _) in &batch.uses {
            if let Some(left) = intake_left(&tx, *id)? {
                known.insert(*id, left);
            }
        }
        let shelf = shelf.and_then(|d| u32::try_from(d).ok());
        let checked =
            check_batch(batch, today, shelf, |id| known.get(&id).copied()).map_err(invalid)?;
        let day = date_text(checked.batch.produced_on);
        let made: i64 = tx.query_row(
            "SELECT count(*) FROM production_batches WHERE produced_on = ?1",
            [&day],
            |r| r.get(0),
        )?;
        let lot = lot_code(checked.batch.produced_on, made as u32 + 1).map_err(invalid)?;
        let best_before = date_text(checked.best_before);
        tx.execute(
            "INSERT INTO production_batches (produced_on, site_id, programme, participant_minutes,
                 product_id, packs, packed_g, lot, best_before, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                day,
                batch.kitchen.0,
                checked.batch.programme,
                batch.participant_minutes,
                batch.product.0,
                batch.packs,
                batch.packed_g as i64,
                lot,
                best_before,
                time_text(Utc::now()),
            ],
        )?;
        let id = tx.last_insert_rowid();
        for (intake, grams) in &batch.uses {
            tx.execute(
                "INSERT INTO batch_intakes (batch_id, intake_id, used_g) VALUES (?1, ?2, ?3)",
                params![id, intake.0, *grams as i64],
            )?;
        }
        tx.execute(
            "INSERT INTO lot_dates (product_id, lot, packed_on, best_before)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (product_id, lot) DO UPDATE SET packed_on = excluded.packed_on,
                best_before = excluded.best_before",
            params![batch.product.0, lot, day, best_before],
        )?;
        audit.subject = format!("batch {id}");
        if let Some(detail) = audit.detail.as_object_mut() {
            detail.insert("lot".into(), lot.clone().into());
            detail.insert("best_before".into(), best_before.clone().into());
        }
        super::web::record_audit(&tx, &audit)?;
        tx.commit()?;
        Ok(RecordedBatch {
            id: BatchId(id),
            lot,
            best_before: checked.best_before,
        })
    }

    fn label_facts(&self, product: ProductId) -> Result<LabelFacts, HubStoreError> {
        type Raw = (Option<i64>, Option<String>, Option<String>, Option<String>);
        let row: Option<Raw> = self
            .reader()
            .query_row(
                "SELECT shelf_life_days, ingredients, allergens, nutrition FROM products WHERE id = ?1",
                [product.0],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let (shelf, ingredients, allergens, nutrition) =
            row.ok_or_else(|| HubStoreError::NotFound(format!("product {product}")))?;
        Ok(LabelFacts {
            shelf_life_days: shelf.and_then(|d| u32::try_from(d).ok()),
            ingredients: locale_map(ingredients)?,
            allergens: locale_map(allergens)?,
            nutrition: nutrition.map(|n| serde_json::from_str(&n)).transpose()?,
        })
    }

    fn save_label_facts(
        &self,
        product: ProductId,
        facts: &LabelFacts,
        audit: &Audit,
    ) -> Result<(), HubStoreError> {
        if let Some(days) = facts.shelf_life_days {
            crate::domain::nutrition::check_shelf_life(days).map_err(invalid)?;
        }
        let nutrition = facts
            .nutrition
            .map(|n| n.checked().map_err(invalid))
            .transpose()?
            .map(|n| serde_json::to_string(&n))
            .transpose()?;
        let ingredients = locale_json(&facts.ingredients)?;
        let allergens = locale_json(&facts.allergens)?;
        self.audited(audit, |tx| {
            let changed = tx.execute(
                "UPDATE products SET shelf_life_days = ?2, ingredients = ?3, allergens = ?4,
                        nutrition = ?5
                 WHERE id = ?1",
                params![
                    product.0,
                    facts.shelf_life_days,
                    ingredients,
                    allergens,
                    nutrition
                ],
            )?;
            if changed == 0 {
                return Err(HubStoreError::NotFound(format!("product {product}")));
            }
            Ok(())
        })
    }
}

#[cfg(test)]
#[path = "kitchens_tests.rs"]
mod tests;
