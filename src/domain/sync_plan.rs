//! What the kiosk's sync worker should do next, decided without doing it.
//!
//! The worker (`crate::sync::worker`) is a thin executor: it reads a [`RoundState`] from its
//! database, asks [`next_step`] what to do, does it over HTTP, updates the state and asks again.
//! Retries follow [`Backoff`]: exponential, with jitter so a fleet that lost the hub together does
//! not come back together, and capped so a kiosk never waits long once the hub is back. Keeping
//! these decisions pure lets case tables cover every situation the network can produce.

use std::time::Duration;

use super::ids::Seq;

/// One step of a sync round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Push up to `limit` events with a seq greater than `after` (none: a heartbeat).
    Push { after: Seq, limit: usize },
    /// Ask for configuration newer than `since`.
    Pull { since: u64 },
    /// Nothing left to do this round.
    Done,
}

/// What the worker knows in the middle of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundState {
    /// The kiosk's acknowledged marker.
    pub acked: Seq,
    /// The last seq in the kiosk's log.
    pub last_seq: Seq,
    /// What the hub said it holds when it refused a push for a gap (it was restored from an older
    /// backup): re-send from there, below the kiosk's own marker.
    pub hub_holds: Option<Seq>,
    /// Whether this round has pushed once (a push with no events still reports health).
    pub pushed: bool,
    /// Whether this round has pulled the configuration.
    pub pulled: bool,
    /// The configuration version the kiosk has; `None` before the first one.
    pub config_version: Option<u64>,
}

impl Default for RoundState {
    fn default() -> Self {
        RoundState {
            acked: Seq(0),
            last_seq: Seq(0),
            hub_holds: None,
            pushed: false,
            pulled: false,
            config_version: None,
        }
    }
}

/// Where pushes start: after the ack marker, or lower if the hub holds less than it said before.
pub fn push_start(acked: Seq, hub_holds: Option<Seq>) -> Seq {
    hub_holds.map_or(acked, |held| held.min(acked))
}

/// The next step of a round: push until the log is caught up (and at least once, for health),
/// then pull, then stop.
pub fn next_step(state: &RoundState, batch: usize) -> Step {
    let after = push_start(state.acked, state.hub_holds);
    if after < state.last_seq || !state.pushed {
        return Step::Push {
            after,
            limit: batch.max(1),
        };
    }
    if !state.pulled {
        return Step::Pull {
            since: state.config_version.unwrap_or(0),
        };
    }
    Step::Done
}

/// What woke the worker up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The periodic timer.
    Timer,
    /// The kiosk asked for a sync (after a sale, or staff pressed "sync now").
    SyncNow,
    /// The backoff delay after a failure ran out.
    RetryDue,
}

/// How long to wait after failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackoffPolicy {
    /// Delay after the first failure.
    pub base: Duration,
    /// Longest delay, however many failures.
    pub cap: Duration,
}

impl Default for BackoffPolicy {
    /// 2 s, doubling, up to 5 minutes: a kiosk retries quickly after a blip and checks back every
    /// few minutes during an outage, which costs the hub nothing.
    fn default() -> Self {
        BackoffPolicy {
            base: Duration::from_secs(2),
            cap: Duration::from_secs(300),
        }
    }
}

impl BackoffPolicy {
    /// Delay after `failures` consecutive failures (1 = the first): `base · 2^(failures−1)`,
    /// capped, then scaled by `0.5 + jitter / 2` where `jitter` in `[0, 1]` is drawn at random
    /// ("equal jitter": never less than half the delay, never more than it).
    pub fn delay(&self, failures: u32, jitter: f64) -> Duration {
        let doublings = failures.saturating_sub(1).min(31);
        let raw = self.base.saturating_mul(1u32 << doublings).min(self.cap);
        let factor = 0.5 + jitter.clamp(0.0, 1.0) / 2.0;
        raw.mul_f64(factor)
    }
}

/// The worker's failure count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Backoff {
    pub failures: u32,
}

impl Backoff {
    /// Whether the worker is waiting out a failure.
    pub fn is_backing_off(&self) -> bool {
        self.failures > 0
    }

    /// Records a failed round; returns how long to wait before the next attempt.
    pub fn failed(&mut self, policy: &BackoffPolicy, jitter: f64) -> Duration {
        self.failures = self.failures.saturating_add(1);
        policy.delay(self.failures, jitter)
    }

    pub fn succeeded(&mut self) {
        self.failures = 0;
    }

    /// Whether a wake-up should start a round. While backing off only the retry delay does: the
    /// timer and "sync now" (one per sale) must not hammer a hub that is down.
    pub fn should_attempt(&self, trigger: Trigger) -> bool {
        match trigger {
            Trigger::RetryDue => true,
            Trigger::Timer | Trigger::SyncNow => !self.is_backing_off(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn state(acked: u64, last: u64) -> RoundState {
        RoundState {
            acked: Seq(acked),
            last_seq: Seq(last),
            ..RoundState::default()
        }
    }

    #[rstest]
    // An empty log still pushes once: the push carries the kiosk's health.
    #[case(state(0, 0), Step::Push { after: Seq(0), limit: 500 })]
    // Events after the marker are pushed, oldest first.
    #[case(state(10, 1200), Step::Push { after: Seq(10), limit: 500 })]
    #[case(RoundState { pushed: true, ..state(510, 1200) }, Step::Push { after: Seq(510), limit: 500 })]
    // Caught up: pull, from version 0 when the kiosk has none.
    #[case(RoundState { pushed: true, ..state(1200, 1200) }, Step::Pull { since: 0 })]
    #[case(RoundState { pushed: true, config_version: Some(7), ..state(5, 5) }, Step::Pull { since: 7 })]
    // Pulled too: the round is over.
    #[case(RoundState { pushed: true, pulled: true, ..state(5, 5) }, Step::Done)]
    // The hub was restored from an older backup: re-send from what it holds.
    #[case(RoundState { pushed: true, hub_holds: Some(Seq(3)), ..state(5, 5) }, Step::Push { after: Seq(3), limit: 500 })]
    // A stale hint above the marker never skips events.
    #[case(RoundState { pushed: true, hub_holds: Some(Seq(9)), ..state(5, 8) }, Step::Push { after: Seq(5), limit: 500 })]
    fn rounds_are_planned(#[case] state: RoundState, #[case] expected: Step) {
        assert_eq!(next_step(&state, 500), expected);
    }

    #[test]
    fn a_zero_batch_still_moves() {
        assert_eq!(
            next_step(&state(0, 3), 0),
            Step::Push {
                after: Seq(0),
                limit: 1
            }
        );
    }

    #[rstest]
    #[case(1, 1.0, 2_000)]
    #[case(2, 1.0, 4_000)]
    #[case(3, 1.0, 8_000)]
    #[case(8, 1.0, 256_000)]
    #[case(9, 1.0, 300_000)]
    #[case(1_000, 1.0, 300_000)]
    #[case(1, 0.0, 1_000)]
    #[case(9, 0.0, 150_000)]
    #[case(3, 0.5, 6_000)]
    // Out-of-range jitter is clamped.
    #[case(1, 7.0, 2_000)]
    #[case(1, -1.0, 1_000)]
    fn backoff_doubles_with_jitter_up_to_a_cap(
        #[case] failures: u32,
        #[case] jitter: f64,
        #[case] expected_ms: u64,
    ) {
        let delay = BackoffPolicy::default().delay(failures, jitter);
        assert_eq!(delay, Duration::from_millis(expected_ms));
    }

    #[rstest]
    #[case(0, Trigger::Timer, true)]
    #[case(0, Trigger::SyncNow, true)]
    #[case(0, Trigger::RetryDue, true)]
    #[case(2, Trigger::Timer, false)]
    #[case(2, Trigger::SyncNow, false)]
    #[case(2, Trigger::RetryDue, true)]
    fn backing_off_ignores_the_timer_and_sync_now(
        #[case] failures: u32,
        #[case] trigger: Trigger,
        #[case] attempt: bool,
    ) {
        assert_eq!(Backoff { failures }.should_attempt(trigger), attempt);
    }

    #[test]
    fn success_resets_the_backoff() {
        let mut backoff = Backoff::default();
        let policy = BackoffPolicy::default();
        assert_eq!(backoff.failed(&policy, 1.0), Duration::from_secs(2));
        assert_eq!(backoff.failed(&policy, 1.0), Duration::from_secs(4));
        backoff.succeeded();
        assert!(!backoff.is_backing_off());
        assert_eq!(backoff.failed(&policy, 1.0), Duration::from_secs(2));
    }
}
