//! The hub's storage contract, one trait per area, so a PostgreSQL implementation can follow
//! without touching the HTTP handlers, the web pages, the reports or the admin commands.
//!
//! - [`kiosk_api`]: tokens, enrolment, pushes and pulls, and what the hub made of the pushes.
//! - [`users`]: accounts, sessions, and the [`Audit`] every audited write records.
//! - [`catalogue`]: products and tiers.
//! - [`households`]: households, cards, prepaid ledgers.
//! - [`sites`]: territories, sites, kiosks' settings and codes, staff badges.
//! - [`labels`]: production batches as their pack labels print them, label settings.
//! - [`recalls`]: recalls, the lots they cover and where those went.
//! - [`kitchens`]: sources, intakes, production batches and their lots, a product's label facts.
//! - [`reports`]: the reports' reads (with their queries and rows) and the retention job's write.
//!
//! [`HubStore`] is their union, what handlers and the command line (`hub/admin.rs`) hold. A change
//! has one write path whoever asks for it: the same validated method, with its [`Audit`]. Every
//! method is synchronous: the SQLite implementation (`sqlite/`) blocks, and the handlers call it
//! through `tokio::task::spawn_blocking`. A PostgreSQL implementation would keep the same contract — every
//! method is one transaction that either commits whole or changes nothing. This module depends on
//! the domain only: the web pages and the reports depend on it, never the reverse.

pub mod catalogue;
pub mod households;
pub mod kiosk_api;
pub mod kitchens;
pub mod labels;
pub mod recalls;
pub mod reports;
pub mod sites;
mod sqlite;
pub mod users;

use thiserror::Error;

use crate::domain::Seq;
use crate::sqlite::SqliteError;

pub use catalogue::{CatalogueStore, StoredPhoto, TierEntry};
pub use households::{
    Adjustment, CardBatch, CardSummary, CardTarget, HouseholdDetail, HouseholdFields,
    HouseholdStore, HouseholdSummary, NewHousehold,
};
pub use kiosk_api::{Contact, Ingested, KioskApiStore, LineTotals, MismatchRow, QuarantineRow};
pub use kitchens::{BatchRow, IntakeRow, KitchenStore, RecordedBatch, SourceRow};
pub use labels::{BatchLabel, LabelSettings, LabelStore};
pub use recalls::RecallStore;
pub use reports::{ReportError, ReportStore};
pub use sites::{
    BadgeSummary, KioskSettings, NewBadge, NewCode, NewKiosk, SiteRow, SiteStore, TerritoryRow,
};
pub use sqlite::{HUB_SCHEMA, SqliteHubStore};
pub use users::{
    Actor, Audit, AuditQuery, AuditRow, LockRule, NewSession, Role, SessionRecord, UserId,
    UserRecord, UserStore,
};

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

impl HubStoreError {
    /// Whether the database's disk is full (SQLite's `SQLITE_FULL`, or the WAL's sync out of
    /// space): the write was rolled back and may succeed once room is made.
    pub fn is_disk_full(&self) -> bool {
        let sql_full =
            |e: &rusqlite::Error| e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull);
        match self {
            HubStoreError::Sql(e) => sql_full(e),
            HubStoreError::Open(SqliteError::Sql(e))
            | HubStoreError::Open(SqliteError::Migration { source: e, .. }) => sql_full(e),
            HubStoreError::WalSync(message) => message.contains("No space left on device"),
            _ => false,
        }
    }
}

impl From<serde_json::Error> for HubStoreError {
    fn from(error: serde_json::Error) -> Self {
        HubStoreError::Corrupt(error.to_string())
    }
}

/// The hub's whole storage: every area's trait ([`SqliteHubStore`] implements it).
pub trait HubStore:
    KioskApiStore
    + UserStore
    + CatalogueStore
    + HouseholdStore
    + SiteStore
    + ReportStore
    + LabelStore
    + RecallStore
    + KitchenStore
    + Send
    + Sync
    + 'static
{
}
