//! The catalogue in storage: products (with their barcodes) and tiers (with their price
//! overrides, caps and names), as the staff pages and the command line read and write them.
//!
//! Photos are stored once under their hash, and a product names its photo.
//!
//! Every write is audited ([`Audit`]); the schema's triggers bump the configuration version, so
//! kiosks pull the change at their next sync. The SQLite side is
//! `hub/store/sqlite/web/catalogue.rs`.

use std::collections::BTreeMap;

use super::HubStoreError;
use super::users::Audit;
use crate::domain::photo::PhotoHash;
use crate::domain::product::{Locale, Product};
use crate::domain::tier::Tier;
use crate::domain::{ProductId, TierId};
use crate::hub::photos::ProcessedPhoto;

/// The catalogue's storage. Every method is one transaction.
pub trait CatalogueStore {
    /// Every product with its barcodes, by id.
    fn catalogue_products(&self) -> Result<Vec<Product>, HubStoreError>;
    /// Creates (`id` `None`) or replaces a product and its barcodes. Refuses a barcode or an
    /// internal code another product has (`Duplicate`), an unknown id (`NotFound`).
    fn save_product(
        &self,
        id: Option<ProductId>,
        product: &Product,
        audit: &Audit,
    ) -> Result<ProductId, HubStoreError>;
    /// Gives a product the photo `photo` (stored once under its hash), or with `None` takes its
    /// photo away. An unknown product is `NotFound` and nothing is written.
    fn set_product_photo(
        &self,
        id: ProductId,
        photo: Option<&ProcessedPhoto>,
        audit: &Audit,
    ) -> Result<(), HubStoreError>;
    /// A stored photo's bytes and media type, by hash.
    fn photo(&self, hash: &PhotoHash) -> Result<Option<StoredPhoto>, HubStoreError>;
    /// Every tier with its overrides, caps and names, by id.
    fn catalogue_tiers(&self) -> Result<Vec<TierEntry>, HubStoreError>;
    /// Creates or replaces a tier (its overrides replaced whole). Making it the default takes the
    /// mark from the previous default; the default tier cannot give it up (`Invalid`).
    fn save_tier(
        &self,
        id: Option<TierId>,
        tier: &TierEntry,
        audit: &Audit,
    ) -> Result<TierId, HubStoreError>;
}

/// A photo as the hub serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPhoto {
    pub bytes: Vec<u8>,
    pub media_type: String,
}

/// A tier as the staff pages edit it: the kiosk's [`Tier`] plus its names per language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierEntry {
    pub tier: Tier,
    pub names: BTreeMap<Locale, String>,
}

impl TierEntry {
    /// A new tier (id 0) with a label and a percentage only: no names, caps or overrides.
    pub fn plain(label: &str, percent: u32, is_default: bool) -> TierEntry {
        TierEntry {
            tier: Tier {
                id: TierId(0),
                label: label.to_owned(),
                percent,
                overrides: vec![],
                caps: vec![],
                is_default,
            },
            names: BTreeMap::new(),
        }
    }
}
