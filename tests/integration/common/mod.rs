//! Shared helpers: demo kiosks on temp files and sales built through the real domain code.

#[cfg(feature = "hub")]
pub mod browser;
#[cfg(all(feature = "hub", feature = "sync-client"))]
pub mod hub;
#[cfg(all(feature = "hub", feature = "sync-client"))]
pub mod hub_process;
#[cfg(all(feature = "hub", feature = "sync-client"))]
pub mod proxy;

#[cfg(feature = "kiosk")]
pub mod kiosk_core;
#[cfg(feature = "kiosk")]
pub mod kiosk_screens;
#[cfg(feature = "kiosk")]
pub mod kiosk_ui;
#[cfg(feature = "hub")]
pub mod kitchen;
#[cfg(feature = "kiosk")]
pub mod layout;
#[cfg(feature = "hub")]
pub mod pdf;
#[cfg(feature = "sync-client")]
pub mod small_disk;
pub mod wait;
#[cfg(feature = "hub")]
pub mod web;

use std::path::Path;

use chrono::Utc;
use congelo::domain::cart::Cart;
use congelo::domain::pricing::price_cart;
use congelo::domain::sale::{Payment, PaymentMethod, Sale, SaleHeader};
use congelo::entropy::new_sale_id;
use congelo::store::KioskStore;

/// Creates a demo kiosk database at `path` (catalogue, kiosk id 1, opening stock).
pub fn demo_kiosk(path: &Path) -> KioskStore {
    congelo::demo::create_kiosk_database(path, Utc::now()).expect("demo kiosk database")
}

/// A random sale without a card: 1 to 4 products, 1 to 3 packs each, random payment.
pub fn random_sale(store: &KioskStore, rng: &mut fastrand::Rng) -> Sale {
    let products = store.products(true).expect("products");
    let mut cart = Cart::new();
    for _ in 0..rng.usize(1..=4) {
        let product = products[rng.usize(..products.len())].id;
        for _ in 0..rng.u32(1..=3) {
            cart.add(product, None).expect("cart has room");
        }
    }
    let tier = store.default_tier().expect("default tier");
    let priced =
        price_cart(&cart, |id| products.iter().find(|p| p.id == id), &tier).expect("priced");
    let kiosk = store.kiosk_id().expect("kiosk id");
    let header = SaleHeader {
        id: new_sale_id(),
        kiosk,
        at: Utc::now(),
        buyer: None,
        tier: tier.id,
        config_version: None,
    };
    let method = PaymentMethod::ALL[rng.usize(..PaymentMethod::ALL.len())];
    Sale::from_cart(header, &priced, Payment::settle(method, priced.totals.due))
}
