//! The hub's SQLite storage: one file in WAL mode, embedded migrations, one writer connection.
//!
//! SQLite lets one writer in at a time anyway, so writes go through one connection behind a mutex
//! (pushes from many kiosks queue there, each batch one transaction, synced after the writer is
//! released: see [`wal`]); reads (token checks, configuration pulls, reports) use a second
//! connection and never wait for a writer, since WAL readers see the last committed state. A third
//! connection, on its own thread, checkpoints the WAL.

mod badges;
mod household_rollups;
mod households;
mod ingest;
mod kitchens;
mod labels;
mod quarantine;
mod recalls;
mod reports;
mod rollups;
mod sites;
mod snapshot;
mod wal;
mod web;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{
    Audit, Contact, HubStoreError, Ingested, KioskApiStore, LineTotals, MismatchRow, QuarantineRow,
    SecretHash,
};
use crate::domain::config::KioskConfig;
use crate::domain::event::Event;
use crate::domain::sync::HouseholdUsage;
use crate::domain::{KioskId, Money, ProductId, TierId};
use crate::sqlite::{self, Schema};
use crate::sqlite::{parse_time, time_text};

/// The hub schema: numbered, append-only migrations. Never edit one that has shipped; add one.
pub const HUB_SCHEMA: Schema = Schema {
    name: "hub",
    application_id: 0x4347_4831, // "CGH1"
    migrations: &[
        include_str!("../../migrations/0001_initial.sql"),
        include_str!("../../migrations/0002_reports.sql"),
        include_str!("../../migrations/0003_web.sql"),
        include_str!("../../migrations/0004_badges.sql"),
        include_str!("../../migrations/0005_households.sql"),
        include_str!("../../migrations/0006_retention_events.sql"),
        include_str!("../../migrations/0007_fewer_sale_indexes.sql"),
        include_str!("../../migrations/0008_quarantine.sql"),
        include_str!("../../migrations/0009_sale_day.sql"),
        include_str!("../../migrations/0010_kiosk_voice.sql"),
        include_str!("../../migrations/0011_product_photos.sql"),
        include_str!("../../migrations/0012_kitchens.sql"),
        include_str!("../../migrations/0013_placed_sale_times.sql"),
        include_str!("../../migrations/0014_recalls.sql"),
        include_str!("../../migrations/0015_label_settings.sql"),
        include_str!("../../migrations/0016_household_rollups.sql"),
    ],
    // The hub writes batches of hundreds of rows per commit: 8 KiB pages halve the WAL frames
    // (and their write calls) and the page splits of SQLite's default 4 KiB, and reports read
    // fewer pages. On the ingest benchmark: 19 100–22 800 events/s with 4 KiB, 19 100–23 700
    // with 8 KiB, measured alternately in one session.
    page_size: 8192,
};

/// The hub's database.
pub struct SqliteHubStore {
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
    path: PathBuf,
    wal: wal::WalFile,
    checkpointer: wal::Checkpointer,
}

impl Drop for SqliteHubStore {
    /// Ends the checkpoint thread first, so the store's own connections are the database's last
    /// ones: the last to close checkpoints the WAL and removes it, as SQLite does.
    fn drop(&mut self) {
        let writer = self.writer.get_mut().unwrap_or_else(|e| e.into_inner());
        self.checkpointer.stop(writer);
    }
}

impl SqliteHubStore {
    /// Opens (creating and migrating if needed) the hub database at `path`.
    pub fn open(path: &Path) -> Result<SqliteHubStore, HubStoreError> {
        let mut writer = sqlite::open(path, &HUB_SCHEMA)?;
        let checkpointer = wal::checkpoint_in_background(path, &HUB_SCHEMA, &mut writer)?;
        let reader = sqlite::open(path, &HUB_SCHEMA)?;
        // The writer's working set (the right edge of every table and index a push appends to)
        // outgrows SQLite's default 2 MiB cache on a busy hub; 64 MiB keeps it in memory.
        writer.pragma_update(None, "cache_size", -65_536)?;
        reader.pragma_update(None, "cache_size", -16_384)?;
        Ok(SqliteHubStore {
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
            path: path.to_owned(),
            wal: wal::WalFile::of(path),
            checkpointer,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A kiosk holds a configuration version this database never reached: the hub was restored
    /// from a backup, and the kiosk holds what the lost database had sent it. Versions move past
    /// the kiosk's, so it takes the restored configuration whole (a kiosk applies only newer
    /// versions); each kiosk asking does the same, and the fleet converges in one pull each. A
    /// version beyond SQLite's integers (a broken kiosk) gets no configuration.
    fn config_past(
        &self,
        kiosk: KioskId,
        since: u64,
    ) -> Result<(u64, Option<KioskConfig>), HubStoreError> {
        let mut conn = self.writer();
        let tx = immediate(&mut conn)?;
        let Some(past) = i64::try_from(since).ok().and_then(|s| s.checked_add(1)) else {
            return Ok((snapshot::version(&tx)?, None));
        };
        tx.execute(
            "UPDATE config_state SET version = MAX(version, ?1) WHERE id = 1",
            [past],
        )?;
        let version = snapshot::version(&tx)?;
        let config = snapshot::build(&tx, kiosk, version)?;
        tx.commit()?;
        tracing::warn!(%kiosk, kiosk_version = since, version,
            "a kiosk held a newer configuration than this database (restored from a backup?)");
        Ok((version, Some(config)))
    }

    /// A panic inside a transaction dropped (and so rolled back) it: the connection is sound.
    fn writer(&self) -> MutexGuard<'_, Connection> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn reader(&self) -> MutexGuard<'_, Connection> {
        self.reader.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// SQLite's own consistency check: `Ok` when it answers "ok".
    pub fn integrity_check(&self) -> Result<(), HubStoreError> {
        let answer: String = self
            .reader()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if answer == "ok" {
            Ok(())
        } else {
            Err(HubStoreError::Corrupt(answer))
        }
    }
}

fn immediate(conn: &mut Connection) -> Result<rusqlite::Transaction<'_>, HubStoreError> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

impl SqliteHubStore {
    /// Runs `change` in one immediate transaction that also records `audit`: a staff change and
    /// its audit row are committed together or not at all (an error from `change` rolls both
    /// back).
    fn audited<T>(
        &self,
        audit: &Audit,
        change: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, HubStoreError>,
    ) -> Result<T, HubStoreError> {
        let mut conn = self.writer();
        let tx = immediate(&mut conn)?;
        let outcome = change(&tx)?;
        web::record_audit(&tx, audit)?;
        tx.commit()?;
        Ok(outcome)
    }
}

impl super::HubStore for SqliteHubStore {}

impl KioskApiStore for SqliteHubStore {
    fn kiosk_for_token(&self, token: &SecretHash) -> Result<Option<KioskId>, HubStoreError> {
        let id: Option<i64> = self
            .reader()
            .prepare_cached(
                "SELECT kiosk_id FROM kiosk_tokens WHERE token_hash = ?1 AND revoked_at IS NULL",
            )?
            .query_row([token.0.as_slice()], |r| r.get(0))
            .optional()?;
        Ok(id.map(KioskId))
    }

    fn enrol(
        &self,
        code: &SecretHash,
        token: &SecretHash,
        now: DateTime<Utc>,
    ) -> Result<KioskId, HubStoreError> {
        let mut conn = self.writer();
        let tx = immediate(&mut conn)?;
        let found: Option<(i64, String, Option<String>)> = tx
            .query_row(
                "SELECT kiosk_id, expires_at, used_at FROM enrolment_codes WHERE code_hash = ?1",
                [code.0.as_slice()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (kiosk, expires_at, used_at) = found.ok_or(HubStoreError::UnknownCode)?;
        if used_at.is_some() {
            return Err(HubStoreError::CodeUsed);
        }
        if parse_time(&expires_at).map_err(|e| HubStoreError::Corrupt(e.to_string()))? < now {
            return Err(HubStoreError::CodeExpired);
        }
        let now_text = time_text(now);
        tx.execute(
            "UPDATE enrolment_codes SET used_at = ?2 WHERE code_hash = ?1",
            params![code.0.as_slice(), now_text],
        )?;
        tx.execute(
            "UPDATE kiosk_tokens SET revoked_at = ?2 WHERE kiosk_id = ?1 AND revoked_at IS NULL",
            params![kiosk, now_text],
        )?;
        tx.execute(
            "INSERT INTO kiosk_tokens (token_hash, kiosk_id, created_at) VALUES (?1, ?2, ?3)",
            params![token.0.as_slice(), kiosk, now_text],
        )?;
        tx.commit()?;
        Ok(KioskId(kiosk))
    }

    fn ingest(
        &self,
        kiosk: KioskId,
        events: &[Event],
        contact: &Contact,
    ) -> Result<Ingested, HubStoreError> {
        let prepared = ingest::prepare(events, contact)?;
        // The writer is released before the sync, so the next batch is written meanwhile.
        let ingested = wal::without_commit_sync(&mut self.writer(), |conn| {
            let tx = immediate(conn)?;
            let ingested = ingest::ingest(&tx, kiosk, events, &prepared, contact)?;
            tx.commit()?;
            Ok(ingested)
        })?;
        self.wal.sync()?;
        Ok(ingested)
    }

    fn config_since(
        &self,
        kiosk: KioskId,
        since: u64,
    ) -> Result<(u64, Option<KioskConfig>), HubStoreError> {
        let mut conn = self.reader();
        // One read transaction: the snapshot is consistent even while admin commands write.
        let tx = conn.transaction()?;
        let version = snapshot::version(&tx)?;
        if version < since {
            drop(tx);
            drop(conn);
            return self.config_past(kiosk, since);
        }
        if version == since {
            return Ok((version, None));
        }
        let config = snapshot::build(&tx, kiosk, version)?;
        Ok((version, Some(config)))
    }

    fn household_usage(
        &self,
        kiosk: KioskId,
        from: NaiveDate,
    ) -> Result<HouseholdUsage, HubStoreError> {
        let mut conn = self.reader();
        let tx = conn.transaction()?;
        quarantine::household_usage(&tx, kiosk, from)
    }

    fn quarantined_events(&self, limit: u32) -> Result<Vec<QuarantineRow>, HubStoreError> {
        let mut conn = self.reader();
        let tx = conn.transaction()?;
        quarantine::quarantined(&tx, limit)
    }

    fn price_mismatches(&self, limit: u32) -> Result<Vec<MismatchRow>, HubStoreError> {
        let mut conn = self.reader();
        let tx = conn.transaction()?;
        quarantine::mismatches(&tx, limit)
    }

    fn line_totals(&self) -> Result<Vec<LineTotals>, HubStoreError> {
        let conn = self.reader();
        let mut statement = conn.prepare(
            "SELECT l.kiosk_id, l.tier_id, l.product_id, SUM(l.quantity),
                    SUM(l.quantity * l.full_unit_cents), SUM(l.quantity * l.charged_unit_cents),
                    SUM(l.quantity * l.unit_weight_g)
             FROM sale_lines l JOIN sales s ON s.id = l.sale_id
             WHERE s.voided = 0
             GROUP BY l.kiosk_id, l.tier_id, l.product_id
             ORDER BY l.kiosk_id, l.tier_id, l.product_id",
        )?;
        let rows = statement
            .query_map([], |r| {
                Ok(LineTotals {
                    kiosk: KioskId(r.get(0)?),
                    tier: TierId(r.get(1)?),
                    product: ProductId(r.get(2)?),
                    items: r.get::<_, i64>(3)? as u64,
                    full: Money::from_cents(r.get(4)?),
                    paid: Money::from_cents(r.get(5)?),
                    weight_g: r.get::<_, i64>(6)? as u64,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn event_count(&self, kiosk: KioskId) -> Result<u64, HubStoreError> {
        let n: i64 = self.reader().query_row(
            "SELECT count(*) FROM events WHERE kiosk_id = ?1",
            [kiosk.0],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }
}
