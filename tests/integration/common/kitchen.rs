//! The kitchens' rows a recall starts from, written straight into a hub database (the kitchen
//! pages have their own tests), and the GS1 element string a pack label carries.

use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use congelo::domain::{ProductId, SiteId};

/// A production batch of `product` with lot `lot`, made from one intake, written straight into
/// the hub's kitchen tables. Returns (batch id, intake id).
pub fn produce_batch(hub_db: &Path, site: SiteId, product: ProductId, lot: &str) -> (i64, i64) {
    let sql = rusqlite::Connection::open(hub_db).unwrap();
    sql.busy_timeout(Duration::from_secs(30)).unwrap();
    let now = Utc::now().to_rfc3339();
    sql.execute(
        "INSERT INTO sources (name, kind) VALUES ('Ferme des Quatre-Temps', 'farm')",
        [],
    )
    .unwrap();
    let source = sql.last_insert_rowid();
    sql.execute(
        "INSERT INTO intakes (received_on, source_id, description, category, received_g, site_id,
                              created_at)
         VALUES ('2026-12-01', ?1, 'Carottes déclassées', 'légumes', 120000, ?2, ?3)",
        rusqlite::params![source, site.0, now],
    )
    .unwrap();
    let intake = sql.last_insert_rowid();
    sql.execute(
        "INSERT INTO production_batches (produced_on, site_id, product_id, packs, packed_g, lot,
                                         best_before, created_at)
         VALUES ('2026-12-02', ?1, ?2, 40, 20000, ?3, '2027-06-02', ?4)",
        rusqlite::params![site.0, product.0, lot, now],
    )
    .unwrap();
    let batch = sql.last_insert_rowid();
    sql.execute(
        "INSERT INTO batch_intakes (batch_id, intake_id, used_g) VALUES (?1, ?2, 25000)",
        [batch, intake],
    )
    .unwrap();
    sql.execute(
        "INSERT INTO lot_dates (product_id, lot, packed_on, best_before)
         VALUES (?1, ?2, '2026-12-02', '2027-06-02')",
        rusqlite::params![product.0, lot],
    )
    .unwrap();
    (batch, intake)
}

/// The element string a pack label's GS1 DataMatrix holds, as a scanner sends it: `]d2`, (01) the
/// product's GTIN, (15) its best-before, (10) the lot (last: variable length, no separator).
pub fn label(gtin14: &str, best_before: &str, lot: &str) -> String {
    format!("]d201{gtin14}15{best_before}10{lot}")
}
