//! The kiosk's database: the truth of what happened at one freezer.
//!
//! A [`KioskStore`] owns one SQLite connection (WAL, `synchronous=FULL`). Every state change
//! (sale, void, stock movement, alarm) is written with its event-log entry in ONE transaction, so
//! the log the hub receives can never disagree with the kiosk's own tables, and a sale whose commit
//! returned survives a power cut. The sync worker opens its own `KioskStore` on the same file.
//!
//! The sale commit is what a resident waits for at the door, so its path is kept short: five rows
//! (event, sale, line, movement, level) with as few indexes as possible, stock levels written by
//! `stock.rs`'s `insert_movement` next to each movement rather than by a trigger (a trigger makes
//! each insert a multi-row statement that SQLite journals page by page), levels read before the
//! sale so nothing is queried after it, and WAL checkpoints deferred off the sale connection
//! (`defer_checkpoints`, `checkpoint_if_due`) so the resident never waits for one.

mod alarms;
mod catalogue;
mod events;
pub mod photos;
mod recalls;
mod sales;
mod staff;
mod stock;
mod sync_settings;
mod temperature;
mod usage;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use thiserror::Error;

use crate::domain::KioskId;
use crate::domain::config::ConfigError;
use crate::sqlite::{self, Schema, SqliteError};

pub use alarms::ColdChainHold;
pub use catalogue::{CardLookup, ConfigApplied};
pub use sales::RecordedSale;
pub use stock::StockLevel;
pub use sync_settings::HubCredentials;

/// The kiosk schema: numbered, append-only migrations. Never edit one that has shipped; add one.
pub const KIOSK_SCHEMA: Schema = Schema {
    name: "kiosk",
    application_id: 0x4347_4B31, // "CGK1"
    migrations: &[
        include_str!("migrations/0001_initial.sql"),
        include_str!("migrations/0002_staff.sql"),
        include_str!("migrations/0003_levels_written_with_movements.sql"),
        include_str!("migrations/0004_fleet_usage_and_retention.sql"),
        include_str!("migrations/0005_voice.sql"),
        include_str!("migrations/0006_product_photos.sql"),
        include_str!("migrations/0007_clock_marks.sql"),
        include_str!("migrations/0008_recalled_lots.sql"),
    ],
    // A sale commit writes one page per table and index it touches, and its fsync costs by the
    // bytes: 1 KiB pages make a sale ~5 KiB of WAL instead of ~20 KiB (benches/kiosk.rs: p50
    // ratio to a raw 4 KiB fsync 1.03–1.29 against 1.31–1.42 with 4 KiB pages).
    page_size: 1024,
};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error(transparent)]
    Open(#[from] SqliteError),
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the configuration was refused: {0}")]
    InvalidConfig(#[from] ConfigError),
    #[error("stored data could not be read back: {0}")]
    Corrupt(String),
    #[error("sale {0} is already recorded")]
    DuplicateSale(String),
    #[error("sale {0} is not recorded at this kiosk")]
    UnknownSale(String),
    #[error("sale {0} is already voided")]
    AlreadyVoided(String),
    #[error("this kiosk has no id yet: enrol it or create demo data")]
    NoKioskId,
    #[error(
        "the disk holding the database has {free} bytes free, less than the {reserve} kept for \
         sales: free some space"
    )]
    LowDisk { free: u64, reserve: u64 },
}

impl From<sqlite::BadTime> for StoreError {
    fn from(error: sqlite::BadTime) -> Self {
        StoreError::Corrupt(format!("time «{}»", error.0))
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        StoreError::Corrupt(error.to_string())
    }
}

/// The kiosk's database connection.
pub struct KioskStore {
    conn: Connection,
    path: PathBuf,
    /// Put on every event this connection writes while set (`events::append`).
    clock_mark: Option<crate::domain::clock_trust::ClockMark>,
}

impl KioskStore {
    /// Opens (creating and migrating if needed) the kiosk database at `path`.
    pub fn open(path: &Path) -> Result<KioskStore, StoreError> {
        let conn = sqlite::open(path, &KIOSK_SCHEMA)?;
        Ok(KioskStore {
            conn,
            path: path.to_owned(),
            clock_mark: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The kiosk's id, set at enrolment (or by demo data).
    pub fn kiosk_id(&self) -> Result<KioskId, StoreError> {
        let value = self.setting("kiosk_id")?.ok_or(StoreError::NoKioskId)?;
        value
            .parse()
            .map(KioskId)
            .map_err(|_| StoreError::Corrupt(format!("kiosk_id «{value}»")))
    }

    pub fn set_kiosk_id(&mut self, id: KioskId) -> Result<(), StoreError> {
        self.set_setting("kiosk_id", &id.0.to_string())
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let value = self
            .conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?;
        Ok(value)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Stops SQLite from checkpointing the WAL inside a commit. The kiosk's sale connection does
    /// this so a resident never waits for a checkpoint at the door; it then calls [`checkpoint`]
    /// once the sale is done, and the sync worker's connection checkpoints as usual.
    ///
    /// [`checkpoint`]: KioskStore::checkpoint
    pub fn defer_checkpoints(&mut self) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(())
    }

    /// Copies committed WAL frames into the database file if the WAL has grown past SQLite's
    /// usual threshold (1000 pages); never blocks on readers. Returns whether it ran.
    pub fn checkpoint_if_due(&mut self) -> Result<bool, StoreError> {
        const DUE_PAGES: i64 = 1000;
        let (_, wal_pages, _): (i64, i64, i64) = self
            .conn
            .query_row("PRAGMA wal_checkpoint(NOOP)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap_or((0, 0, 0));
        if wal_pages < DUE_PAGES {
            return Ok(false);
        }
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(true)
    }

    /// SQLite's own consistency check: `Ok` when it answers "ok".
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let answer: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if answer == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt(answer))
        }
    }

    /// Starts a write transaction that takes the write lock at once, so two connections never
    /// interleave a read and a write of the event log's next seq.
    fn write(&mut self) -> Result<Transaction<'_>, StoreError> {
        Ok(self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }
}

#[cfg(test)]
pub(crate) mod test_support;
