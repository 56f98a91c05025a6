//! Freezer temperature samples: one compact row per minute, kept for 90 days.
//!
//! The cold-chain monitor (`domain::cold_chain`, driven by the hardware worker) reads these back;
//! here they are only stored and pruned.

use rusqlite::params;

use super::{KioskStore, StoreError};

/// How long samples are kept on the kiosk.
pub const KEEP_SECONDS: i64 = 90 * 24 * 3600;

impl KioskStore {
    /// Stores a sample (unix seconds, thousandths of °C); a second sample in the same second
    /// replaces the first.
    pub fn record_temperature(&mut self, at_s: i64, millicelsius: i32) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO temperature_samples (at_s, millicelsius) VALUES (?1, ?2)
                 ON CONFLICT (at_s) DO UPDATE SET millicelsius = excluded.millicelsius",
            )?
            .execute(params![at_s, millicelsius])?;
        Ok(())
    }

    /// Samples at or after `since_s`, oldest first.
    pub fn temperatures_since(&self, since_s: i64) -> Result<Vec<(i64, i32)>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT at_s, millicelsius FROM temperature_samples WHERE at_s >= ?1 ORDER BY at_s",
        )?;
        let rows = statement
            .query_map([since_s], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Deletes samples older than [`KEEP_SECONDS`] before `now_s`; returns how many.
    pub fn prune_temperatures(&mut self, now_s: i64) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "DELETE FROM temperature_samples WHERE at_s < ?1",
            [now_s - KEEP_SECONDS],
        )?)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::test_support::temp_store;

    #[test]
    fn samples_are_stored_read_and_pruned() {
        let (_dir, mut store) = temp_store();
        let day = 24 * 3600;
        store.record_temperature(0, -18_000).unwrap();
        store.record_temperature(100 * day, -17_500).unwrap();
        store.record_temperature(100 * day, -17_000).unwrap();
        assert_eq!(store.temperatures_since(1).unwrap(), [(100 * day, -17_000)]);
        assert_eq!(store.prune_temperatures(100 * day).unwrap(), 1);
        assert_eq!(store.temperatures_since(0).unwrap().len(), 1);
    }
}
