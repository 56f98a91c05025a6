//! The command line's writes (`congelo-hub territory add`, `kiosk add`, `product add`, `badge …`):
//! territories, sites, kiosks, products, tiers, households, users and staff badges. Unlike the
//! pages' methods in the other areas, these take no [`Audit`](super::Audit) and write no audit row.
//!
//! The SQLite side is `hub/store/sqlite/admin.rs` and `hub/store/sqlite/badges.rs`.

use chrono::{DateTime, NaiveDate, Utc};

use super::HubStoreError;
use super::sites::{NewBadge, NewCode, NewKiosk};
use super::users::Role;
use crate::domain::caps::Cap;
use crate::domain::household::CardHash;
use crate::domain::product::Product;
use crate::domain::{HouseholdId, KioskId, Money, ProductId, SiteId, StaffId, TerritoryId, TierId};

/// A new tier (the hub assigns its id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTier {
    pub label: String,
    pub percent: u32,
    pub caps: Vec<Cap>,
    /// Makes it the tier for sales without a card, replacing the previous default.
    pub is_default: bool,
}

/// A new household (the hub assigns its id) and the hashes of its cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHousehold {
    pub tier: TierId,
    pub expires_on: Option<NaiveDate>,
    pub caps: Vec<Cap>,
    pub balance: Option<Money>,
    pub pay_later_limit: Option<Money>,
    pub cards: Vec<CardHash>,
}

/// The command line's writes. Every method is one transaction.
pub trait AdminStore {
    fn add_territory(&self, name: &str) -> Result<TerritoryId, HubStoreError>;
    fn add_site(&self, name: &str, territory: TerritoryId) -> Result<SiteId, HubStoreError>;
    /// Creates a kiosk with its first enrolment code.
    fn add_kiosk(&self, kiosk: &NewKiosk, code: &NewCode) -> Result<KioskId, HubStoreError>;
    /// A fresh enrolment code for an existing kiosk (e.g. a replaced Pi).
    fn add_enrolment_code(&self, kiosk: KioskId, code: &NewCode) -> Result<(), HubStoreError>;
    /// Revokes every token of the kiosk; returns how many were live.
    fn revoke_kiosk(&self, kiosk: KioskId, now: DateTime<Utc>) -> Result<usize, HubStoreError>;
    /// Adds a product (its `id` is ignored; the hub assigns one).
    fn add_product(&self, product: &Product) -> Result<ProductId, HubStoreError>;
    fn add_tier(&self, tier: &NewTier) -> Result<TierId, HubStoreError>;
    fn add_household(
        &self,
        household: &NewHousehold,
        now: DateTime<Utc>,
    ) -> Result<HouseholdId, HubStoreError>;
    fn add_user(
        &self,
        login: &str,
        password_hash: &str,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<(), HubStoreError>;

    fn add_badge(&self, badge: &NewBadge, now: DateTime<Utc>) -> Result<StaffId, HubStoreError>;
    /// Replaces a live badge's PIN hash.
    fn set_badge_pin(&self, staff: StaffId, pin_hash: &str) -> Result<(), HubStoreError>;
    /// Revokes a badge for good (kiosks refuse it from their next pull).
    fn revoke_badge(&self, staff: StaffId) -> Result<(), HubStoreError>;
}
