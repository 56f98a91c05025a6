//! Privacy by retention (Québec Law 25): after `retention_months` (13 by default) a sale no longer
//! says which household made it. The job clears `household_id` and `card_hash` on older sales and
//! takes those cards out of the household rollups, after writing the household counts of every
//! period it touches; every aggregate report reads rollups or those counts, so no total changes.
//!
//! `serve` runs it at start-up and then once a day; `congelo-hub retention` runs it now.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

use super::{ReportError, ReportStore};
use crate::clock::Clock;

pub use crate::domain::retention::cutoff;

/// What one run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionRun {
    pub cutoff: DateTime<Utc>,
    pub detached: u64,
}

/// Detaches households from sales older than `months` at `now`.
pub fn run(
    store: &dyn ReportStore,
    now: DateTime<Utc>,
    months: u32,
) -> Result<RetentionRun, ReportError> {
    let cutoff = cutoff(now, months);
    let detached = store.detach_households(cutoff)?;
    Ok(RetentionRun { cutoff, detached })
}

/// Runs the job now and then every day until `shutdown`, at the `clock`'s time. A failed run is
/// logged and retried the next day: the hub keeps serving.
pub async fn daily(
    store: Arc<dyn ReportStore>,
    clock: Arc<dyn Clock>,
    months: u32,
    shutdown: CancellationToken,
) {
    let mut interval = tokio::time::interval(Duration::from_secs(24 * 3600));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = interval.tick() => {}
        }
        let (store, now) = (store.clone(), clock.now());
        match tokio::task::spawn_blocking(move || run(store.as_ref(), now, months)).await {
            Ok(Ok(done)) => {
                tracing::info!(detached = done.detached, cutoff = %done.cutoff, "retention job ran");
            }
            Ok(Err(error)) => tracing::error!(%error, "retention job failed"),
            Err(error) => tracing::error!(%error, "retention job panicked"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("2026-11-28T10:00:00Z", 13, "2025-10-28T10:00:00Z")]
    #[case("2026-03-31T00:00:00Z", 1, "2026-02-28T00:00:00Z")]
    #[case("2028-03-31T00:00:00Z", 1, "2028-02-29T00:00:00Z")]
    #[case("2026-11-28T10:00:00Z", 0, "2026-11-28T10:00:00Z")]
    fn the_cutoff_is_calendar_months_back(
        #[case] now: &str,
        #[case] months: u32,
        #[case] expected: &str,
    ) {
        assert_eq!(
            cutoff(now.parse().unwrap(), months),
            expected.parse::<DateTime<Utc>>().unwrap()
        );
    }
}
