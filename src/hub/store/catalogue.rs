//! The catalogue in storage: products (with their barcodes) and tiers (with their price
//! overrides, caps and names), as the staff pages and the command line read and write them.
//!
//! Every write is audited ([`Audit`]); the schema's triggers bump the configuration version, so
//! kiosks pull the change at their next sync. The SQLite side is
//! `hub/store/sqlite/web/catalogue.rs`.

use std::collections::BTreeMap;

use super::HubStoreError;
use super::users::Audit;
use crate::domain::product::{Locale, Product};
use crate::domain::tier::Tier;
use crate::domain::{ProductId, TierId};

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
