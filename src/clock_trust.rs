//! The edge where a kiosk learns whether it can trust its clock.
//!
//! The rules are pure ([`crate::domain::clock_trust`]); this module gathers their inputs: the build
//! time embedded by `build.rs` ([`built_at`]), whether the operating system says its clock is
//! synchronised (a [`SyncSource`]: [`Timedatectl`] on a Pi, [`ManualSync`] in tests), and the last
//! time the kiosk trusted its clock. A [`ClockWatch`] holds them for the kiosk core, which asks it
//! before each write which mark to put on events and which time to count dates from.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::domain::clock_trust::{
    ClockDoubt, ClockFacts, ClockMark, Synchronised, effective_now, judge,
};

/// When this program was built (`SOURCE_DATE_EPOCH`, else its commit's time): no honest clock
/// reads earlier.
pub fn built_at() -> DateTime<Utc> {
    env!("CONGELO_BUILD_EPOCH")
        .parse::<i64>()
        .ok()
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// Whether the operating system's clock is synchronised. Must answer at once (the core asks
/// before each write): slow sources are read on their own thread.
pub trait SyncSource: std::fmt::Debug + Send + Sync {
    fn synchronised(&self) -> Synchronised;
}

/// A source that never knows: only the build-time and last-trusted checks apply.
#[derive(Debug, Default)]
pub struct UnknownSync;

impl SyncSource for UnknownSync {
    fn synchronised(&self) -> Synchronised {
        Synchronised::Unknown
    }
}

/// A source set by hand: tests, demos.
#[derive(Debug)]
pub struct ManualSync(AtomicU8);

impl ManualSync {
    pub fn new(state: Synchronised) -> ManualSync {
        ManualSync(AtomicU8::new(encode(state)))
    }

    pub fn set(&self, state: Synchronised) {
        self.0.store(encode(state), Ordering::Relaxed);
    }
}

impl SyncSource for ManualSync {
    fn synchronised(&self) -> Synchronised {
        decode(self.0.load(Ordering::Relaxed))
    }
}

fn encode(state: Synchronised) -> u8 {
    match state {
        Synchronised::Unknown => 0,
        Synchronised::Yes => 1,
        Synchronised::No => 2,
    }
}

fn decode(value: u8) -> Synchronised {
    match value {
        1 => Synchronised::Yes,
        2 => Synchronised::No,
        _ => Synchronised::Unknown,
    }
}

/// systemd's view (`timedatectl show -p NTPSynchronized --value`, the kernel's `adjtimex` status
/// without `STA_UNSYNC`), read every `every` on a thread of its own so the core never waits for a
/// process. Unknown until the first answer, and where `timedatectl` is missing.
#[derive(Debug)]
pub struct Timedatectl {
    state: Arc<ManualSync>,
}

impl Timedatectl {
    /// Starts the reading thread; it stops with the process.
    pub fn spawn(every: Duration) -> Timedatectl {
        let state = Arc::new(ManualSync::new(Synchronised::Unknown));
        let writer = state.clone();
        let started = std::thread::Builder::new()
            .name("clock-sync".into())
            .spawn(move || {
                loop {
                    let answer = read_timedatectl();
                    writer.set(answer);
                    if answer == Synchronised::Unknown && missing_timedatectl() {
                        return;
                    }
                    std::thread::sleep(every);
                }
            });
        if let Err(error) = started {
            tracing::warn!(%error, "cannot read the clock's synchronisation; treated as unknown");
        }
        Timedatectl { state }
    }
}

impl SyncSource for Timedatectl {
    fn synchronised(&self) -> Synchronised {
        self.state.synchronised()
    }
}

/// `timedatectl` with systemd's notification socket hidden: systemd's tools report their exit
/// status there (`ERRNO=`), which would reach the kiosk's own service manager as noise.
fn timedatectl() -> std::process::Command {
    let mut command = std::process::Command::new("timedatectl");
    command.env_remove("NOTIFY_SOCKET");
    command
}

fn read_timedatectl() -> Synchronised {
    let output = timedatectl()
        .args(["show", "-p", "NTPSynchronized", "--value"])
        .output();
    match output {
        Ok(out) if out.status.success() => parse_timedatectl(&String::from_utf8_lossy(&out.stdout)),
        _ => Synchronised::Unknown,
    }
}

fn missing_timedatectl() -> bool {
    matches!(
        timedatectl().arg("--version").output(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound
    )
}

/// `yes`/`no` as `timedatectl` prints them.
pub fn parse_timedatectl(text: &str) -> Synchronised {
    match text.trim() {
        "yes" => Synchronised::Yes,
        "no" => Synchronised::No,
        _ => Synchronised::Unknown,
    }
}

/// The kiosk's running judgement of its clock.
#[derive(Debug)]
pub struct ClockWatch {
    source: Arc<dyn SyncSource>,
    built: DateTime<Utc>,
    last_trusted: Option<DateTime<Utc>>,
    verdict: Result<(), ClockDoubt>,
}

impl ClockWatch {
    /// `last_trusted`: the latest event written under a trusted clock, after a restart.
    pub fn new(
        source: Arc<dyn SyncSource>,
        built: DateTime<Utc>,
        last_trusted: Option<DateTime<Utc>>,
    ) -> ClockWatch {
        ClockWatch {
            source,
            built,
            last_trusted,
            verdict: Ok(()),
        }
    }

    /// Judges the clock at `now`; a trusted clock moves the last trusted time forward.
    pub fn observe(&mut self, now: DateTime<Utc>) -> Result<(), ClockDoubt> {
        let facts = ClockFacts {
            now,
            built: self.built,
            last_trusted: self.last_trusted,
            synchronised: self.source.synchronised(),
        };
        let verdict = judge(&facts);
        if verdict.is_ok() {
            self.last_trusted = Some(self.last_trusted.map_or(now, |last| last.max(now)));
        } else if verdict != self.verdict {
            tracing::warn!(
                doubt = ?verdict,
                %now,
                last_trusted = ?self.last_trusted,
                "the kiosk doubts its clock: events are marked, dates count from the last trusted time"
            );
        }
        if verdict.is_ok() && self.verdict.is_err() {
            tracing::info!(%now, "the kiosk trusts its clock again");
        }
        self.verdict = verdict;
        verdict
    }

    /// The mark for events written now, after [`ClockWatch::observe`].
    pub fn mark(&self) -> Option<ClockMark> {
        self.verdict.err().map(|doubt| ClockMark {
            doubt,
            last_trusted: self.last_trusted,
        })
    }

    /// The time to count dates from (caps, best-before), after [`ClockWatch::observe`].
    pub fn effective_now(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        effective_now(now, self.verdict, self.last_trusted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn timedatectl_answers_are_read() {
        assert_eq!(parse_timedatectl("yes\n"), Synchronised::Yes);
        assert_eq!(parse_timedatectl("no\n"), Synchronised::No);
        assert_eq!(parse_timedatectl(""), Synchronised::Unknown);
    }

    #[test]
    fn the_build_time_is_a_plausible_bound() {
        assert!(built_at() < Utc::now());
    }

    #[test]
    fn a_watch_marks_while_in_doubt_and_keeps_the_last_trusted_time() {
        let sync = Arc::new(ManualSync::new(Synchronised::Yes));
        let mut watch = ClockWatch::new(sync.clone(), t("2026-01-01T00:00:00Z"), None);
        assert_eq!(watch.observe(t("2026-12-05T12:00:00Z")), Ok(()));
        assert_eq!(watch.mark(), None);
        // A power cut: back three days, not synchronised.
        sync.set(Synchronised::No);
        let behind = t("2026-12-02T12:00:00Z");
        assert_eq!(watch.observe(behind), Err(ClockDoubt::BeforeLastTrusted));
        assert_eq!(
            watch.mark(),
            Some(ClockMark {
                doubt: ClockDoubt::BeforeLastTrusted,
                last_trusted: Some(t("2026-12-05T12:00:00Z")),
            })
        );
        assert_eq!(watch.effective_now(behind), t("2026-12-05T12:00:00Z"));
        // NTP answers: trusted again, no mark.
        sync.set(Synchronised::Yes);
        let fixed = t("2026-12-05T13:00:00Z");
        assert_eq!(watch.observe(fixed), Ok(()));
        assert_eq!(watch.mark(), None);
        assert_eq!(watch.effective_now(fixed), fixed);
    }
}
