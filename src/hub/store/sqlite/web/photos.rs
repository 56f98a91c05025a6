//! Product photos in the hub's database: stored once under their SHA-256, named by products.
//!
//! Setting or removing a product's photo updates its row, so the products trigger bumps the
//! configuration version and kiosks pull the change; the audit row is written in the same
//! transaction. A photo no product names stays stored: a kiosk on an older configuration may still
//! ask for it.

use rusqlite::{Connection, OptionalExtension, params};

use super::super::immediate;
use super::record_audit;
use crate::domain::ProductId;
use crate::domain::photo::PhotoHash;
use crate::hub::photos::ProcessedPhoto;
use crate::hub::store::{Audit, HubStoreError, StoredPhoto};
use crate::sqlite::time_text;

pub(super) fn set_product_photo(
    conn: &mut Connection,
    id: ProductId,
    photo: Option<&ProcessedPhoto>,
    audit: &Audit,
) -> Result<(), HubStoreError> {
    let tx = immediate(conn)?;
    let current: Option<Option<String>> = tx
        .query_row("SELECT photo FROM products WHERE id = ?1", [id.0], |r| {
            r.get(0)
        })
        .optional()?;
    let current = current.ok_or_else(|| HubStoreError::NotFound(format!("product {}", id.0)))?;
    if let Some(photo) = photo {
        tx.execute(
            "INSERT OR IGNORE INTO photos (sha256, bytes, media_type, width, height, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                photo.hash.as_str(),
                photo.bytes,
                photo.media_type,
                photo.width,
                photo.height,
                time_text(audit.at)
            ],
        )?;
    }
    let wanted = photo.map(|p| p.hash.as_str().to_owned());
    if current != wanted {
        tx.execute(
            "UPDATE products SET photo = ?1 WHERE id = ?2",
            params![wanted, id.0],
        )?;
    }
    let mut audit = audit.clone();
    audit.subject = format!("product {}", id.0);
    record_audit(&tx, &audit)?;
    tx.commit()?;
    Ok(())
}

pub(super) fn photo(
    conn: &Connection,
    hash: &PhotoHash,
) -> Result<Option<StoredPhoto>, HubStoreError> {
    Ok(conn
        .prepare_cached("SELECT bytes, media_type FROM photos WHERE sha256 = ?1")?
        .query_row([hash.as_str()], |r| {
            Ok(StoredPhoto {
                bytes: r.get(0)?,
                media_type: r.get(1)?,
            })
        })
        .optional()?)
}
