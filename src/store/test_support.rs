//! Helpers for the store's unit tests: temp databases with the real migrations and demo data.

use chrono::{DateTime, NaiveDate, Utc};
use tempfile::TempDir;
use uuid::Uuid;

use super::KioskStore;
use crate::domain::cart::Cart;
use crate::domain::config::KioskConfig;
use crate::domain::lot::Lot;
use crate::domain::pricing::price_cart;
use crate::domain::sale::{Buyer, Payment, PaymentMethod, Sale, SaleHeader};
use crate::domain::stock::{StockChange, StockMovement};
use crate::domain::{HouseholdId, KioskId, MovementId, ProductId, SaleId};

pub fn temp_store() -> (TempDir, KioskStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = KioskStore::open(&dir.path().join("kiosk.db")).unwrap();
    (dir, store)
}

pub fn demo_config() -> KioskConfig {
    crate::demo::config()
}

pub fn temp_store_with_demo() -> (TempDir, KioskStore) {
    let (dir, mut store) = temp_store();
    store.apply_config(&demo_config()).unwrap();
    store.set_kiosk_id(KioskId(1)).unwrap();
    (dir, store)
}

/// A sale of (index in the active catalogue, quantity) lines, at the household's tier.
pub fn sale_of(store: &KioskStore, lines: &[(usize, u32)], household: Option<HouseholdId>) -> Sale {
    let products = store.products(true).unwrap();
    let mut cart = Cart::new();
    for &(index, quantity) in lines {
        cart.add(products[index].id, None).unwrap();
        cart.set_quantity(products[index].id, quantity).unwrap();
    }
    let config = demo_config();
    let buyer = household.map(|h| {
        let card = config.cards.iter().find(|c| c.household == h).unwrap();
        Buyer {
            card: card.hash,
            household: h,
        }
    });
    let tier = match household {
        Some(h) => {
            let tier_id = config.households.iter().find(|x| x.id == h).unwrap().tier;
            store.tier(tier_id).unwrap().unwrap()
        }
        None => store.default_tier().unwrap(),
    };
    let priced = price_cart(&cart, |id| products.iter().find(|p| p.id == id), &tier).unwrap();
    let header = SaleHeader {
        id: SaleId(Uuid::now_v7()),
        kiosk: KioskId(1),
        at: Utc::now(),
        buyer,
        tier: tier.id,
        config_version: None,
    };
    Sale::from_cart(
        header,
        &priced,
        Payment::settle(PaymentMethod::Cash, priced.totals.due),
    )
}

impl KioskStore {
    pub fn test_restock(
        &mut self,
        product: ProductId,
        lot: &str,
        best_before: Option<(i32, u32, u32)>,
        quantity: u32,
    ) {
        let best_before = best_before.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
        self.remember_lot(&Lot {
            product,
            code: lot.into(),
            packed_on: None,
            best_before,
            packing_site: None,
        })
        .unwrap();
        self.record_movement(&StockMovement {
            id: MovementId(Uuid::now_v7()),
            kiosk: KioskId(1),
            product,
            lot: Some(lot.into()),
            at: DateTime::UNIX_EPOCH,
            change: StockChange::Restock { quantity },
            by: None,
        })
        .unwrap();
    }
}

impl KioskStore {
    /// Makes every later write fail, as a full disk would.
    pub fn refuse_writes(&self) {
        self.conn.pragma_update(None, "query_only", true).unwrap();
    }

    /// Accepts writes again, as after staff freed some space.
    pub fn accept_writes(&self) {
        self.conn.pragma_update(None, "query_only", false).unwrap();
    }
}
