//! Room on the disk for the next sale, checked before anyone pays.
//!
//! A sale that cannot be written must be refused before the resident pays and long before the
//! door unlocks. SQLite refuses a write on a full disk without half-writing it (the transaction is
//! rolled back), but by then cash is in the box or the card was charged. So the core keeps a
//! reserve: when the filesystem holding the database has less free than [`DEFAULT_RESERVE_BYTES`],
//! the kiosk goes out of order at the next check (every recovery probe on the attract screen, and
//! when "pay" is tapped), and the reserve is what lets a sale already being paid for commit. A sale
//! is about 5 KiB of WAL, so the reserve covers well over a thousand of them, plus the WAL's growth
//! between checkpoints and the sync worker's writes. The kiosk returns to service by itself once
//! the probe finds the room back (`timers.rs`).

use super::KioskCore;
use crate::store::StoreError;
use crate::sync::health::disk_free;

/// Free bytes the kiosk keeps on the database's filesystem before it stops taking sales.
pub const DEFAULT_RESERVE_BYTES: u64 = 8 * 1024 * 1024;

impl KioskCore {
    /// Sets the free space below which the kiosk stops taking sales (0: only a failed write stops
    /// it).
    pub fn set_disk_reserve(&mut self, bytes: u64) {
        self.disk_reserve = bytes;
    }

    /// `Ok` when the database's filesystem has more than the reserve free (or cannot say).
    pub(super) fn ensure_room(&self) -> Result<(), StoreError> {
        match disk_free(self.store.path()) {
            Some(free) if free < self.disk_reserve => Err(StoreError::LowDisk {
                free,
                reserve: self.disk_reserve,
            }),
            _ => Ok(()),
        }
    }
}
