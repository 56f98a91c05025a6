//! Recalls as the recall pages and commands read and write them.
//!
//! Opening one resolves its origin into lots (a batch's lot; every batch of an intake; a lot code
//! wherever the hub has seen it) and stores them in one transaction with the audit row; the
//! schema's triggers bump the configuration version. The trace reads the projections the kiosks'
//! events built: restock and loss movements, sale lots (voided sales excluded) and stock levels,
//! each through an index on the lot.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::web::record_audit;
use super::{SqliteHubStore, immediate};
use crate::domain::event_check::check_lot_code;
use crate::domain::product::Locale;
use crate::domain::{KioskId, ProductId, SiteId};
use crate::hub::store::recalls::{
    RecallDetail, RecallOrigin, RecallStore, RecallSummary, RecallTraceRow, RecalledLotRow,
};
use crate::hub::store::{Audit, HubStoreError};
use crate::sqlite::{parse_time, time_text};

/// Longest reason kept, in characters.
const MAX_REASON_CHARS: usize = 500;

fn clean_reason(reason: &str) -> Result<&str, HubStoreError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(HubStoreError::Invalid(format!(
            "say why, in 1 to {MAX_REASON_CHARS} characters"
        )));
    }
    Ok(reason)
}

fn time(text: &str) -> Result<DateTime<Utc>, HubStoreError> {
    parse_time(text).map_err(|e| HubStoreError::Corrupt(e.to_string()))
}

/// The (product, lot) pairs `origin` covers, sorted; never empty.
fn resolve(
    tx: &Transaction<'_>,
    origin: &RecallOrigin,
) -> Result<(String, Vec<(i64, String)>), HubStoreError> {
    let pairs =
        |sql: &str, param: &dyn rusqlite::ToSql| -> Result<Vec<(i64, String)>, HubStoreError> {
            let mut statement = tx.prepare(sql)?;
            let rows = statement.query_map([param], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
    let (reference, found) = match origin {
        RecallOrigin::Lot { product, lot } => {
            let lot = lot.trim();
            check_lot_code(lot).map_err(|_| {
                HubStoreError::Invalid("a lot code has 1 to 20 printable characters".into())
            })?;
            let found = match product {
                Some(product) => {
                    let known = tx
                        .query_row("SELECT 1 FROM products WHERE id = ?1", [product.0], |_| {
                            Ok(())
                        })
                        .optional()?;
                    if known.is_none() {
                        return Err(HubStoreError::NotFound(format!("product {product}")));
                    }
                    vec![(product.0, lot.to_owned())]
                }
                None => pairs(
                    "SELECT p.id, ?1 FROM products p WHERE p.id IN (
                        SELECT product_id FROM lot_dates WHERE lot = ?1
                        UNION SELECT product_id FROM production_batches WHERE lot = ?1
                        UNION SELECT product_id FROM sale_line_lots WHERE lot = ?1
                        UNION SELECT product_id FROM stock_movements WHERE lot = ?1
                        UNION SELECT product_id FROM stock_levels WHERE lot = ?1)",
                    &lot,
                )?,
            };
            if found.is_empty() {
                return Err(HubStoreError::Invalid(format!(
                    "the hub has never seen lot «{lot}»: name its product"
                )));
            }
            (lot.to_owned(), found)
        }
        RecallOrigin::Batch(id) => {
            let found = pairs(
                "SELECT product_id, lot FROM production_batches WHERE id = ?1",
                id,
            )?;
            if found.is_empty() {
                return Err(HubStoreError::NotFound(format!("batch {id}")));
            }
            (id.to_string(), found)
        }
        RecallOrigin::Intake(id) => {
            let known = tx
                .query_row("SELECT 1 FROM intakes WHERE id = ?1", [id], |_| Ok(()))
                .optional()?;
            if known.is_none() {
                return Err(HubStoreError::NotFound(format!("intake {id}")));
            }
            let found = pairs(
                "SELECT DISTINCT b.product_id, b.lot FROM batch_intakes i
                 JOIN production_batches b ON b.id = i.batch_id WHERE i.intake_id = ?1",
                id,
            )?;
            if found.is_empty() {
                return Err(HubStoreError::Invalid(format!(
                    "no batch used intake {id}: there is no lot to recall"
                )));
            }
            (id.to_string(), found)
        }
    };
    let mut found = found;
    found.sort();
    found.dedup();
    Ok((reference, found))
}

/// Each product's name in `lang` (French, else any, else `#id`).
fn product_names(conn: &Connection, lang: Locale) -> Result<HashMap<i64, String>, HubStoreError> {
    let mut statement = conn.prepare_cached("SELECT id, names FROM products")?;
    let mut out = HashMap::new();
    for row in statement.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, json) = row?;
        let names: HashMap<String, String> = serde_json::from_str(&json)?;
        let name = names
            .get(lang.tag())
            .or_else(|| names.get(Locale::FrCa.tag()))
            .or_else(|| names.values().next())
            .cloned()
            .unwrap_or_else(|| format!("#{id}"));
        out.insert(id, name);
    }
    Ok(out)
}

fn lots_of(
    conn: &Connection,
    recall: i64,
    names: &HashMap<i64, String>,
) -> Result<Vec<RecalledLotRow>, HubStoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT l.product_id, l.lot, d.best_before FROM recall_lots l
         LEFT JOIN lot_dates d ON d.product_id = l.product_id AND d.lot = l.lot
         WHERE l.recall_id = ?1 ORDER BY l.product_id, l.lot",
    )?;
    let rows = statement
        .query_map([recall], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(product, lot, best_before)| {
            Ok(RecalledLotRow {
                product: ProductId(product),
                product_name: names
                    .get(&product)
                    .cloned()
                    .unwrap_or_else(|| format!("#{product}")),
                lot,
                best_before: best_before
                    .map(|d| d.parse::<NaiveDate>())
                    .transpose()
                    .map_err(|e| HubStoreError::Corrupt(format!("a best-before date: {e}")))?,
            })
        })
        .collect()
}

type SummaryRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn summaries(
    conn: &Connection,
    only: Option<i64>,
    lang: Locale,
) -> Result<Vec<RecallSummary>, HubStoreError> {
    let names = product_names(conn, lang)?;
    let mut statement = conn.prepare_cached(
        "SELECT id, origin, origin_ref, reason, opened_at, closed_at, close_reason FROM recalls
         WHERE ?1 IS NULL OR id = ?1 ORDER BY closed_at IS NOT NULL, id DESC",
    )?;
    let rows: Vec<SummaryRow> = statement
        .query_map([only], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(
            |(id, origin, origin_ref, reason, opened, closed, close_reason)| {
                Ok(RecallSummary {
                    id,
                    origin,
                    origin_ref,
                    reason,
                    opened_at: time(&opened)?,
                    closed_at: closed.as_deref().map(time).transpose()?,
                    close_reason,
                    lots: lots_of(conn, id, &names)?,
                })
            },
        )
        .collect()
}

/// Per kiosk: restocked, sold, left, lost of one lot.
fn trace_lot(
    conn: &Connection,
    product: i64,
    lot: &str,
) -> Result<BTreeMap<i64, [i64; 4]>, HubStoreError> {
    let mut out: BTreeMap<i64, [i64; 4]> = BTreeMap::new();
    let mut add = |sql: &str, column: usize| -> Result<(), HubStoreError> {
        let mut statement = conn.prepare_cached(sql)?;
        for row in statement.query_map(params![lot, product], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })? {
            let (kiosk, packs) = row?;
            out.entry(kiosk).or_default()[column] += packs;
        }
        Ok(())
    };
    add(
        "SELECT kiosk_id, sum(delta) FROM stock_movements
         WHERE lot = ?1 AND product_id = ?2 AND kind IN ('restock', 'transfer_in')
         GROUP BY kiosk_id",
        0,
    )?;
    add(
        "SELECT s.kiosk_id, sum(x.quantity) FROM sale_line_lots x JOIN sales s ON s.id = x.sale_id
         WHERE x.lot = ?1 AND x.product_id = ?2 AND s.voided = 0 GROUP BY s.kiosk_id",
        1,
    )?;
    add(
        "SELECT kiosk_id, sum(level) FROM stock_levels WHERE lot = ?1 AND product_id = ?2
         GROUP BY kiosk_id",
        2,
    )?;
    add(
        "SELECT kiosk_id, -sum(delta) FROM stock_movements
         WHERE lot = ?1 AND product_id = ?2 AND kind = 'loss' GROUP BY kiosk_id",
        3,
    )?;
    Ok(out)
}

fn trace(
    conn: &Connection,
    lots: &[RecalledLotRow],
    site: Option<SiteId>,
) -> Result<Vec<RecallTraceRow>, HubStoreError> {
    let mut kiosks: HashMap<i64, (String, i64, String)> = HashMap::new();
    let mut statement = conn.prepare_cached(
        "SELECT k.id, k.name, k.site_id, s.name FROM kiosks k JOIN sites s ON s.id = k.site_id",
    )?;
    for row in statement.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
    })? {
        let (id, kiosk) = row?;
        kiosks.insert(id, kiosk);
    }
    let mut out = Vec::new();
    for lot in lots {
        for (kiosk, [restocked, sold, left, lost]) in trace_lot(conn, lot.product.0, &lot.lot)? {
            let (kiosk_name, site_id, site_name) = kiosks
                .get(&kiosk)
                .cloned()
                .unwrap_or_else(|| (format!("#{kiosk}"), 0, String::new()));
            if site.is_some_and(|s| s.0 != site_id) {
                continue;
            }
            out.push(RecallTraceRow {
                product: lot.product,
                product_name: lot.product_name.clone(),
                lot: lot.lot.clone(),
                kiosk: KioskId(kiosk),
                kiosk_name,
                site: SiteId(site_id),
                site_name,
                restocked,
                sold,
                left,
                lost,
            });
        }
    }
    Ok(out)
}

impl RecallStore for SqliteHubStore {
    fn open_recall(
        &self,
        origin: &RecallOrigin,
        reason: &str,
        at: DateTime<Utc>,
        audit: &Audit,
    ) -> Result<i64, HubStoreError> {
        let reason = clean_reason(reason)?;
        let mut conn = self.writer();
        let tx = immediate(&mut conn)?;
        let (reference, lots) = resolve(&tx, origin)?;
        tx.execute(
            "INSERT INTO recalls (origin, origin_ref, reason, opened_at) VALUES (?1, ?2, ?3, ?4)",
            params![origin.kind(), reference, reason, time_text(at)],
        )?;
        let id = tx.last_insert_rowid();
        for (product, lot) in &lots {
            tx.execute(
                "INSERT INTO recall_lots (recall_id, product_id, lot) VALUES (?1, ?2, ?3)",
                params![id, product, lot],
            )?;
        }
        let detail = serde_json::json!({
            "origin": origin.kind(),
            "ref": reference,
            "reason": reason,
            "lots": lots.iter().map(|(p, l)| serde_json::json!({"product": p, "lot": l}))
                .collect::<Vec<_>>(),
        });
        record_audit(
            &tx,
            &audit.clone().subject(format!("recall {id}")).detail(detail),
        )?;
        tx.commit()?;
        Ok(id)
    }

    fn close_recall(
        &self,
        id: i64,
        reason: &str,
        at: DateTime<Utc>,
        audit: &Audit,
    ) -> Result<(), HubStoreError> {
        let reason = clean_reason(reason)?;
        let mut conn = self.writer();
        let tx = immediate(&mut conn)?;
        let closed: Option<Option<String>> = tx
            .query_row("SELECT closed_at FROM recalls WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        match closed {
            None => return Err(HubStoreError::NotFound(format!("recall {id}"))),
            Some(Some(_)) => {
                return Err(HubStoreError::Invalid(format!(
                    "recall {id} is already closed"
                )));
            }
            Some(None) => {}
        }
        tx.execute(
            "UPDATE recalls SET closed_at = ?2, close_reason = ?3 WHERE id = ?1",
            params![id, time_text(at), reason],
        )?;
        record_audit(
            &tx,
            &audit
                .clone()
                .subject(format!("recall {id}"))
                .detail(serde_json::json!({ "reason": reason })),
        )?;
        tx.commit()?;
        Ok(())
    }

    fn recalls(&self, lang: Locale) -> Result<Vec<RecallSummary>, HubStoreError> {
        let mut conn = self.reader();
        let tx = conn.transaction()?;
        summaries(&tx, None, lang)
    }

    fn recall_detail(
        &self,
        id: i64,
        site: Option<SiteId>,
        lang: Locale,
    ) -> Result<Option<RecallDetail>, HubStoreError> {
        let mut conn = self.reader();
        let tx = conn.transaction()?;
        let Some(recall) = summaries(&tx, Some(id), lang)?.pop() else {
            return Ok(None);
        };
        let trace = trace(&tx, &recall.lots, site)?;
        Ok(Some(RecallDetail { recall, trace }))
    }
}

/// The lots of every open recall, for the configuration snapshot.
pub(super) fn open_lots(
    tx: &Transaction<'_>,
) -> Result<Vec<crate::domain::config::RecalledLot>, HubStoreError> {
    let mut statement = tx.prepare_cached(
        "SELECT DISTINCT l.product_id, l.lot FROM recall_lots l
         JOIN recalls r ON r.id = l.recall_id WHERE r.closed_at IS NULL
         ORDER BY l.product_id, l.lot",
    )?;
    let rows = statement.query_map([], |r| {
        Ok(crate::domain::config::RecalledLot {
            product: ProductId(r.get(0)?),
            lot: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
