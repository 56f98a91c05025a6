//! The hub's storage, behind one trait so a PostgreSQL implementation can follow without touching
//! the HTTP handlers or the admin commands.
//!
//! [`HubStore`] is synchronous: the SQLite implementation blocks, and the handlers call it through
//! `tokio::task::spawn_blocking`. A PostgreSQL implementation would keep the same contract — every
//! method is one transaction that either commits whole or changes nothing.

mod sqlite;

use chrono::{DateTime, NaiveDate, Utc};
use thiserror::Error;

use crate::domain::caps::Cap;
use crate::domain::config::{KioskConfig, Thresholds};
use crate::domain::event::Event;
use crate::domain::household::CardHash;
use crate::domain::product::Product;
use crate::domain::sale::PaymentMethod;
use crate::domain::sync::{ClockReading, HouseholdUsage, KioskHealth, QuarantinedEvent};
use crate::domain::{
    HouseholdId, KioskId, Money, ProductId, Seq, SiteId, StaffId, TerritoryId, TierId,
};
use crate::sqlite::SqliteError;

pub use sqlite::{HUB_SCHEMA, SqliteHubStore};

/// SHA-256 of a secret the hub hands out (kiosk token, enrolment code): all it keeps of it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecretHash(pub [u8; 32]);

impl std::fmt::Debug for SecretHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretHash(…)")
    }
}

/// What a store method refused to create twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Duplicated {
    Territory(String),
    Site(String),
    Kiosk(String),
    /// A product barcode, as typed.
    Barcode(String),
    /// A product's internal code.
    InternalCode(String),
    Tier(String),
    Login(String),
    BadgeCode,
    CardBatch,
    CardCode,
}

impl std::fmt::Display for Duplicated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Duplicated::Territory(name) => write!(f, "territory «{name}»"),
            Duplicated::Site(name) => write!(f, "site «{name}»"),
            Duplicated::Kiosk(name) => write!(f, "kiosk «{name}»"),
            Duplicated::Barcode(code) => write!(f, "barcode {code}"),
            Duplicated::InternalCode(code) => write!(f, "internal code {code}"),
            Duplicated::Tier(label) => write!(f, "tier «{label}»"),
            Duplicated::Login(login) => write!(f, "login «{login}»"),
            Duplicated::BadgeCode => f.write_str("this badge code"),
            Duplicated::CardBatch => f.write_str("this card batch"),
            Duplicated::CardCode => f.write_str("a card with this code"),
        }
    }
}

#[derive(Debug, Error)]
pub enum HubStoreError {
    #[error(transparent)]
    Open(#[from] SqliteError),
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored data could not be read back: {0}")]
    Corrupt(String),
    #[error("{0} does not exist")]
    NotFound(String),
    #[error("{0} already exists")]
    Duplicate(Duplicated),
    #[error("{0}")]
    Invalid(String),
    #[error("this enrolment code is not known to the hub")]
    UnknownCode,
    #[error("this enrolment code was already used; ask for a new one")]
    CodeUsed,
    #[error("this enrolment code expired; ask for a new one")]
    CodeExpired,
    #[error("seq {offered} does not follow the hub's {held}: events are missing in between")]
    SeqGap { held: Seq, offered: Seq },
    #[error("seq {0} is already held with different content; the hub keeps the first")]
    SeqConflict(Seq),
    #[error("the database's write-ahead log could not be synced: {0}")]
    WalSync(String),
}

impl From<serde_json::Error> for HubStoreError {
    fn from(error: serde_json::Error) -> Self {
        HubStoreError::Corrupt(error.to_string())
    }
}

/// What a kiosk reported at a push, with the hub's reading of its clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub health: KioskHealth,
    pub received_at: DateTime<Utc>,
    pub clock: ClockReading,
}

/// What a push did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingested {
    pub acked_through: Seq,
    pub stored: u32,
    pub duplicates: u32,
    /// New events stored but kept out of the projections, with the rule each broke.
    pub quarantined: Vec<QuarantinedEvent>,
}

/// A quarantined event as admins read it: why, and the event exactly as the kiosk sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantineRow {
    pub kiosk: KioskId,
    pub kiosk_name: String,
    pub seq: Seq,
    pub kind: String,
    pub received_at: String,
    pub reason: String,
    pub message: String,
    pub payload: String,
}

/// A sale line charged otherwise than the hub prices it, with the configuration versions the
/// kiosk priced with (if it said) and the hub had when the sale arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MismatchRow {
    pub sale: String,
    pub line: i64,
    pub kiosk_name: String,
    pub product: i64,
    pub tier: i64,
    pub full_unit: Money,
    pub charged_unit: Money,
    pub hub_full_unit: Money,
    pub hub_charged_unit: Money,
    pub kiosk_config_version: Option<i64>,
    pub hub_config_version: i64,
    pub at: String,
}

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

/// Roles of hub users (the web pages come in issue 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    SiteStaff(SiteId),
    Viewer,
}

/// A kiosk as the fleet view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskStatus {
    pub id: KioskId,
    pub name: String,
    pub site: SiteId,
    pub territory: TerritoryId,
    pub acked_through: Seq,
    pub enrolled: bool,
    pub last_contact: Option<DateTime<Utc>>,
    pub version: Option<String>,
    pub pending: Option<u64>,
    pub clock_offset_ms: Option<i64>,
    pub clock_suspect: bool,
    pub last_millicelsius: Option<i32>,
    pub disk_free_bytes: Option<u64>,
}

/// Sales totals of one (kiosk, tier, product), voided sales excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineTotals {
    pub kiosk: KioskId,
    pub tier: TierId,
    pub product: ProductId,
    pub items: u64,
    pub full: Money,
    pub paid: Money,
    pub weight_g: u64,
}

/// The hub's storage. Every method is one transaction.
/// The web pages' part is [`WebStore`](crate::hub::web::store::WebStore), a supertrait; the
/// reports' part is [`ReportStore`](crate::hub::reports::ReportStore).
pub trait HubStore:
    crate::hub::web::store::WebStore
    + crate::hub::reports::ReportStore
    + crate::hub::web::households_store::HouseholdStore
    + crate::hub::web::households_store::SiteStore
    + Send
    + Sync
    + 'static
{
    // ── Kiosk API ──
    /// The kiosk whose live (not revoked) token has this hash.
    fn kiosk_for_token(&self, token: &SecretHash) -> Result<Option<KioskId>, HubStoreError>;
    /// Trades an unused, unexpired code for a token: marks the code used, revokes the kiosk's
    /// older tokens, stores the new token's hash.
    fn enrol(
        &self,
        code: &SecretHash,
        token: &SecretHash,
        now: DateTime<Utc>,
    ) -> Result<KioskId, HubStoreError>;
    /// Stores a checked batch (consecutive seqs) for `kiosk` and applies it to the projections,
    /// with the kiosk's health, in one transaction. Refuses a gap or a conflicting re-send whole.
    fn ingest(
        &self,
        kiosk: KioskId,
        events: &[Event],
        contact: &Contact,
    ) -> Result<Ingested, HubStoreError>;
    /// The hub's configuration version, and the kiosk's configuration if newer than `since`.
    fn config_since(
        &self,
        kiosk: KioskId,
        since: u64,
    ) -> Result<(u64, Option<KioskConfig>), HubStoreError>;
    /// What households bought across the fleet since `from` (local days), and how far the hub
    /// holds `kiosk`'s own log, so the kiosk can add only its sales the figures lack.
    fn household_usage(
        &self,
        kiosk: KioskId,
        from: NaiveDate,
    ) -> Result<HouseholdUsage, HubStoreError>;
    /// The newest quarantined events, at most `limit`.
    fn quarantined_events(&self, limit: u32) -> Result<Vec<QuarantineRow>, HubStoreError>;
    /// The newest price mismatches, at most `limit`.
    fn price_mismatches(&self, limit: u32) -> Result<Vec<MismatchRow>, HubStoreError>;

    // ── Administration ──
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
    fn user_count(&self) -> Result<u64, HubStoreError>;

    // ── Staff badges ──
    fn add_badge(&self, badge: &NewBadge, now: DateTime<Utc>) -> Result<StaffId, HubStoreError>;
    /// Replaces a live badge's PIN hash.
    fn set_badge_pin(&self, staff: StaffId, pin_hash: &str) -> Result<(), HubStoreError>;
    /// Revokes a badge for good (kiosks refuse it from their next pull).
    fn revoke_badge(&self, staff: StaffId) -> Result<(), HubStoreError>;
    fn badges(&self) -> Result<Vec<BadgeSummary>, HubStoreError>;

    // ── Reading ──
    fn kiosks(&self) -> Result<Vec<KioskStatus>, HubStoreError>;
    /// Totals per kiosk, tier and product (voided sales excluded), sorted.
    fn line_totals(&self) -> Result<Vec<LineTotals>, HubStoreError>;
    /// Number of events held for a kiosk.
    fn event_count(&self, kiosk: KioskId) -> Result<u64, HubStoreError>;
}
