//! What the kiosk API needs from storage — tokens, enrolment, pushes, configuration pulls — and
//! what the hub made of the pushes: quarantined events, price mismatches, totals.
//!
//! Ingest is one transaction per batch: the events, the projections and the rollups commit
//! together or not at all. The SQLite side is `hub/store/sqlite/mod.rs` and
//! `hub/store/sqlite/ingest.rs`.

use chrono::{DateTime, NaiveDate, Utc};

use super::{HubStoreError, SecretHash};
use crate::domain::config::KioskConfig;
use crate::domain::event::Event;
use crate::domain::sync::{ClockReading, HouseholdUsage, KioskHealth, QuarantinedEvent};
use crate::domain::{KioskId, Money, ProductId, Seq, TierId};

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

/// The kiosk API's storage. Every method is one transaction.
pub trait KioskApiStore {
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
    /// The hub's configuration version, and the kiosk's configuration if newer than `since`. A
    /// `since` beyond the hub's version (the hub was restored from a backup) moves the version
    /// past it, so the kiosk takes the restored configuration.
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

    /// Totals per kiosk, tier and product (voided sales excluded), sorted.
    fn line_totals(&self) -> Result<Vec<LineTotals>, HubStoreError>;
    /// Number of events held for a kiosk.
    fn event_count(&self, kiosk: KioskId) -> Result<u64, HubStoreError>;
}
