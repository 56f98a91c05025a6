//! Creating the demo kiosk database: the demo snapshot, kiosk id 1 and an opening stock with lots.

use std::path::Path;

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::domain::lot::Lot;
use crate::domain::stock::{StockChange, StockMovement};
use crate::entropy::new_movement_id;
use crate::store::{KioskStore, StoreError};

#[derive(Debug, Error)]
pub enum DemoError {
    #[error(
        "{0} already exists; demo data goes into a new file (remove it or choose another path)"
    )]
    Exists(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Creates a new demo kiosk database at `path`; refuses to touch an existing file.
pub fn create_kiosk_database(path: &Path, now: DateTime<Utc>) -> Result<KioskStore, DemoError> {
    if path.exists() {
        return Err(DemoError::Exists(path.display().to_string()));
    }
    let mut store = KioskStore::open(path)?;
    store.apply_config(&super::config())?;
    store.set_kiosk_id(super::KIOSK_ID)?;
    let products = super::products();
    for (index, code, best_before, quantity) in super::opening_stock() {
        let product = products[index].id;
        store.remember_lot(&Lot {
            product,
            code: code.clone(),
            packed_on: None,
            best_before: Some(best_before),
            packing_site: Some("Cuisine collective".into()),
        })?;
        store.record_movement(&StockMovement {
            id: new_movement_id(),
            kiosk: super::KIOSK_ID,
            product,
            lot: Some(code),
            at: now,
            change: StockChange::Restock { quantity },
            by: None,
        })?;
    }
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_a_stocked_kiosk_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let store = create_kiosk_database(&path, Utc::now()).unwrap();
        assert_eq!(store.products(true).unwrap().len(), 20);
        assert_eq!(store.stock_level(crate::domain::ProductId(1)).unwrap(), 12);
        assert!(matches!(
            create_kiosk_database(&path, Utc::now()),
            Err(DemoError::Exists(_))
        ));
    }
}
