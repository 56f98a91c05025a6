//! Territories, sites, kiosks (settings, enrolment codes, tokens) and staff badges in storage.
//!
//! Every write takes its [`Audit`] and records it in the same transaction as the change; the
//! schema's triggers bump the configuration version, so kiosks pull settings and badges at their
//! next sync. The SQLite side is `hub/store/sqlite/sites.rs` (badges: `sqlite/badges.rs`).

use chrono::{DateTime, Utc};

use super::reports::FleetFacts;
use super::users::Audit;
use super::{HubStoreError, SecretHash};
use crate::domain::config::Thresholds;
use crate::domain::household::CardHash;
use crate::domain::sale::PaymentMethod;
use crate::domain::voice::VoiceSettings;
use crate::domain::{KioskId, SiteId, StaffId, TerritoryId};

/// A new kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKiosk {
    pub name: String,
    pub site: SiteId,
    pub payment_methods: Vec<PaymentMethod>,
    pub thresholds: Thresholds,
}

/// A one-time enrolment code, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewCode {
    pub hash: SecretHash,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A new staff badge (the hub assigns its id, the pseudonymous staff id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBadge {
    pub hash: CardHash,
    /// The PIN as an Argon2 PHC string.
    pub pin_hash: String,
    /// `None`: every kiosk of the collective.
    pub site: Option<SiteId>,
}

/// A staff badge as the admin lists it (no hashes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadgeSummary {
    pub staff: StaffId,
    pub site: Option<SiteId>,
    pub revoked: bool,
    pub created_at: DateTime<Utc>,
}

/// A territory as its list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerritoryRow {
    pub id: TerritoryId,
    pub name: String,
    pub sites: u32,
}

/// A site as its list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteRow {
    pub id: SiteId,
    pub name: String,
    pub territory: TerritoryId,
    pub territory_name: String,
    pub kiosks: u32,
}

/// A kiosk's settings, as its page edits them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskSettings {
    pub id: KioskId,
    pub name: String,
    pub site: SiteId,
    pub payment_methods: Vec<PaymentMethod>,
    pub thresholds: Thresholds,
    /// The speaker's volume, mute and quiet hours.
    pub voice: VoiceSettings,
    /// Tokens not revoked (1 for an enrolled kiosk).
    pub live_tokens: u32,
}

/// The sites, kiosks and badges pages' storage. Every method is one transaction.
pub trait SiteStore {
    fn territories(&self) -> Result<Vec<TerritoryRow>, HubStoreError>;
    /// Every kiosk with its sync state and health, by id (the fleet report's facts, all sites).
    fn kiosks(&self) -> Result<Vec<FleetFacts>, HubStoreError>;
    /// Every staff badge (no hashes), by id.
    fn badges(&self) -> Result<Vec<BadgeSummary>, HubStoreError>;
    fn sites(&self) -> Result<Vec<SiteRow>, HubStoreError>;
    /// Creates (`id` `None`) or renames a territory. A name in use is `Duplicate`.
    fn save_territory(
        &self,
        id: Option<TerritoryId>,
        name: &str,
        audit: &Audit,
    ) -> Result<TerritoryId, HubStoreError>;
    /// Creates or renames (and moves) a site.
    fn save_site(
        &self,
        id: Option<SiteId>,
        name: &str,
        territory: TerritoryId,
        audit: &Audit,
    ) -> Result<SiteId, HubStoreError>;
    fn kiosk_settings(&self, kiosk: KioskId) -> Result<Option<KioskSettings>, HubStoreError>;
    /// Creates a kiosk with its first enrolment code.
    fn create_kiosk(
        &self,
        kiosk: &NewKiosk,
        code: &NewCode,
        audit: &Audit,
    ) -> Result<KioskId, HubStoreError>;
    fn new_kiosk_code(
        &self,
        kiosk: KioskId,
        code: &NewCode,
        audit: &Audit,
    ) -> Result<(), HubStoreError>;
    /// Revokes every live token of the kiosk; returns how many there were.
    fn revoke_kiosk_tokens(
        &self,
        kiosk: KioskId,
        now: DateTime<Utc>,
        audit: &Audit,
    ) -> Result<usize, HubStoreError>;
    fn save_kiosk_settings(
        &self,
        kiosk: KioskId,
        payment_methods: &[PaymentMethod],
        thresholds: &Thresholds,
        voice: &VoiceSettings,
        audit: &Audit,
    ) -> Result<(), HubStoreError>;
    fn issue_badge(
        &self,
        badge: &NewBadge,
        now: DateTime<Utc>,
        audit: &Audit,
    ) -> Result<StaffId, HubStoreError>;
    fn set_badge_pin_audited(
        &self,
        staff: StaffId,
        pin_hash: &str,
        audit: &Audit,
    ) -> Result<(), HubStoreError>;
    fn revoke_badge_audited(&self, staff: StaffId, audit: &Audit) -> Result<(), HubStoreError>;
}
