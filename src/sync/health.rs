//! What a kiosk tells the hub about itself with every push: version, uptime, backlog, free disk,
//! freezer temperature and its clock, so the collective sees a failing kiosk before residents do.

use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, Utc};

use crate::domain::sync::KioskHealth;
use crate::store::{KioskStore, StoreError};

/// A temperature older than this is not reported as "last": the probe has gone quiet.
const FRESH_TEMPERATURE_S: i64 = 15 * 60;

/// The kiosk's health at `now` (its wall clock). `started` is when the kiosk program started.
pub fn current(
    store: &KioskStore,
    started: Instant,
    now: DateTime<Utc>,
) -> Result<KioskHealth, StoreError> {
    let pending = store.pending_count()?;
    let last_millicelsius = store
        .last_temperature()?
        .filter(|(at_s, _)| now.timestamp() - at_s <= FRESH_TEMPERATURE_S)
        .map(|(_, mc)| mc);
    Ok(KioskHealth {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        uptime_s: started.elapsed().as_secs(),
        pending,
        disk_free_bytes: disk_free(store.path()),
        last_millicelsius,
        clock: now,
    })
}

/// Bytes available to the kiosk on the disk holding `database`, if the system says.
pub fn disk_free(database: &Path) -> Option<u64> {
    let dir = database
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    rustix::fs::statvfs(dir)
        .ok()
        .map(|s| s.f_bavail.saturating_mul(s.f_frsize))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_reports_the_backlog_and_the_disk() {
        let (_dir, store) = crate::store::test_support::temp_store_with_demo();
        let health = current(&store, Instant::now(), Utc::now()).unwrap();
        assert_eq!(health.pending, store.pending_count().unwrap());
        assert!(health.disk_free_bytes.is_some_and(|b| b > 0));
        assert_eq!(health.last_millicelsius, None);
    }
}
