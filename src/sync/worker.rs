//! The sync worker: a background task on its own thread that pushes the kiosk's event log and pulls
//! its configuration, and the [`SyncHandle`] the kiosk UI holds.
//!
//! The worker owns its own `KioskStore` connection on the kiosk's database file (with SQLite's
//! usual WAL autocheckpoint, which keeps the WAL small while the sale connection defers its own)
//! and a single-threaded tokio runtime, so neither its disk reads nor its network calls ever run on
//! the UI thread. It wakes on a timer (missed ticks skipped), on "sync now" (sent after each sale)
//! or when a backoff delay runs out, and then runs one round: push until caught up, then pull.
//! What to do at each step and how long to wait after a failure are decided by the pure functions
//! of [`crate::domain::sync_plan`]; the worker only executes them and publishes a [`SyncStatus`].
//! A round that reached the hub ends by downloading the product photos the configuration names and
//! the kiosk's photo cache lacks ([`crate::store::photos`]); a photo that fails waits for the next
//! round and never fails the round.

use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::MissedTickBehavior;

use super::client::{ClientOptions, HubApi, HubClient};
use super::enrol::{Enrolment, enrol_async};
use super::{SyncError, health};
use crate::clock::{Clock, SystemClock};
use crate::domain::Seq;
use crate::domain::sync::{ApiError, ApiErrorCode, PushRequest};
use crate::domain::sync_plan::{Backoff, BackoffPolicy, RoundState, Step, Trigger, next_step};
use crate::store::{KioskStore, photos};

/// How the worker syncs.
#[derive(Debug, Clone, Copy)]
pub struct SyncOptions {
    /// Time between rounds when nothing asks for one (a round with nothing to send is a heartbeat
    /// and a configuration check).
    pub interval: Duration,
    /// Events per push, at most [`crate::domain::sync::MAX_BATCH_EVENTS`].
    pub batch: usize,
    pub backoff: BackoffPolicy,
    pub client: ClientOptions,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            interval: Duration::from_secs(60),
            batch: crate::domain::sync::MAX_BATCH_EVENTS,
            backoff: BackoffPolicy::default(),
            client: ClientOptions::default(),
        }
    }
}

/// What the worker is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncState {
    Starting,
    /// No hub yet: the kiosk sells offline and keeps everything until it is enrolled.
    NotEnrolled,
    Idle,
    Syncing,
    /// The last round failed; the next attempt is at `until`.
    BackingOff {
        until: DateTime<Utc>,
    },
    Stopped,
}

/// What the kiosk UI shows discreetly ("N sales waiting", last success), and staff in detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    pub state: SyncState,
    /// Events the hub does not have yet.
    pub pending: u64,
    pub acked_through: Seq,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// The hub finds this kiosk's clock implausible (staff should check the time).
    pub clock_suspect: bool,
    /// Photos downloaded since the worker started (each photo is downloaded once).
    pub photos_downloaded: u64,
}

impl Default for SyncStatus {
    fn default() -> Self {
        SyncStatus {
            state: SyncState::Starting,
            pending: 0,
            acked_through: Seq(0),
            last_success: None,
            last_error: None,
            clock_suspect: false,
            photos_downloaded: 0,
        }
    }
}

type EnrolReply = oneshot::Sender<Result<Enrolment, SyncError>>;

enum Command {
    SyncNow,
    Enrol {
        hub_url: String,
        code: String,
        reply: EnrolReply,
    },
}

/// The kiosk's handle on its sync worker. Dropping it stops the worker and waits for its thread.
pub struct SyncHandle {
    commands: mpsc::Sender<Command>,
    shutdown: watch::Sender<bool>,
    status: watch::Receiver<SyncStatus>,
    thread: Option<JoinHandle<()>>,
}

impl SyncHandle {
    /// Starts the worker on its own thread for the kiosk database at `database`. Returns at once;
    /// the database is opened on the worker's thread (a failure shows in the status).
    pub fn start(database: PathBuf, options: SyncOptions) -> Result<SyncHandle, SyncError> {
        SyncHandle::start_with_clock(database, options, Arc::new(SystemClock::default()))
    }

    /// [`SyncHandle::start`], reporting `clock` as the kiosk's clock with each push (the hub
    /// measures the kiosk's clock offset from it): the kiosk core's clock, so tests move both.
    pub fn start_with_clock(
        database: PathBuf,
        options: SyncOptions,
        clock: Arc<dyn Clock>,
    ) -> Result<SyncHandle, SyncError> {
        let client = HubClient::new(options.client)?;
        let (commands, command_rx) = mpsc::channel(16);
        let (shutdown, shutdown_rx) = watch::channel(false);
        let (status_tx, status) = watch::channel(SyncStatus::default());
        let thread = std::thread::Builder::new()
            .name("congelo-sync".into())
            .spawn(move || {
                run_thread(
                    database,
                    client,
                    options,
                    clock,
                    status_tx,
                    command_rx,
                    shutdown_rx,
                )
            })
            .map_err(|e| SyncError::Network(format!("cannot start the sync thread: {e}")))?;
        Ok(SyncHandle {
            commands,
            shutdown,
            status,
            thread: Some(thread),
        })
    }

    /// Asks for a round now (after a sale). Never blocks; requests made while one is queued
    /// are merged. Ignored while backing off, so a hub that is down is not hammered.
    pub fn sync_now(&self) {
        let _ = self.commands.try_send(Command::SyncNow);
    }

    /// Enrols the kiosk with `hub_url` using a scanned or typed code, on the worker's thread.
    /// Await or poll the receiver (e.g. with `blocking_recv` on a helper thread, or `try_recv`
    /// from a UI timer); the worker syncs right after a successful enrolment.
    pub fn enrol(
        &self,
        hub_url: &str,
        code: &str,
    ) -> oneshot::Receiver<Result<Enrolment, SyncError>> {
        let (reply, answer) = oneshot::channel();
        let command = Command::Enrol {
            hub_url: hub_url.to_owned(),
            code: code.to_owned(),
            reply,
        };
        if let Err(
            mpsc::error::TrySendError::Full(Command::Enrol { reply, .. })
            | mpsc::error::TrySendError::Closed(Command::Enrol { reply, .. }),
        ) = self.commands.try_send(command)
        {
            let _ = reply.send(Err(SyncError::Stopped));
        }
        answer
    }

    /// The worker's status; `changed().await` or `borrow()` it.
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// Stops the worker (an in-flight request is abandoned, which is harmless: re-sending is
    /// idempotent) and waits for its thread.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run_thread(
    database: PathBuf,
    client: HubClient,
    options: SyncOptions,
    clock: Arc<dyn Clock>,
    status: watch::Sender<SyncStatus>,
    commands: mpsc::Receiver<Command>,
    shutdown: watch::Receiver<bool>,
) {
    let fail = |status: &watch::Sender<SyncStatus>, error: String| {
        tracing::error!(%error, "the sync worker cannot start");
        status.send_modify(|s| {
            s.state = SyncState::Stopped;
            s.last_error = Some(error);
        });
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&status, error.to_string()),
    };
    let store = match KioskStore::open(&database) {
        Ok(store) => store,
        Err(error) => return fail(&status, error.to_string()),
    };
    let worker = Worker::new(store, client, options, status).with_clock(clock);
    runtime.block_on(worker.run(commands, shutdown));
}

/// The worker's state between rounds.
pub(crate) struct Worker<H> {
    store: KioskStore,
    hub: H,
    options: SyncOptions,
    status: watch::Sender<SyncStatus>,
    started: Instant,
    /// The kiosk's wall clock, reported with each push.
    clock: Arc<dyn Clock>,
    backoff: Backoff,
    /// What the hub said it holds after a gap refusal (a hub restored from a backup).
    hub_holds: Option<Seq>,
}

impl<H: HubApi> Worker<H> {
    pub(crate) fn new(
        store: KioskStore,
        hub: H,
        options: SyncOptions,
        status: watch::Sender<SyncStatus>,
    ) -> Self {
        Worker {
            store,
            hub,
            options,
            status,
            started: Instant::now(),
            clock: Arc::new(SystemClock::default()),
            backoff: Backoff::default(),
            hub_holds: None,
        }
    }

    /// Reports `clock` as the kiosk's clock instead of the system's.
    pub(crate) fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    async fn run(
        mut self,
        mut commands: mpsc::Receiver<Command>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        let mut ticker = tokio::time::interval(self.options.interval);
        ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
        let mut retry_at = tokio::time::Instant::now();
        self.publish_counts();
        loop {
            let trigger = tokio::select! {
                biased;
                _ = shutdown.changed() => break,
                command = commands.recv() => match command {
                    None => break,
                    Some(Command::SyncNow) => Trigger::SyncNow,
                    Some(Command::Enrol { hub_url, code, reply }) => {
                        let result = self.enrol(&hub_url, &code).await;
                        let _ = reply.send(result);
                        Trigger::RetryDue
                    }
                },
                _ = tokio::time::sleep_until(retry_at), if self.backoff.is_backing_off() => Trigger::RetryDue,
                _ = ticker.tick() => Trigger::Timer,
            };
            if !self.backoff.should_attempt(trigger) {
                continue;
            }
            self.status.send_modify(|s| s.state = SyncState::Syncing);
            let outcome = tokio::select! {
                biased;
                _ = shutdown.changed() => break,
                outcome = self.round() => outcome,
            };
            if let Some(delay) = self.finish_round(outcome) {
                retry_at = tokio::time::Instant::now() + delay;
            }
        }
        self.status.send_modify(|s| s.state = SyncState::Stopped);
    }

    async fn enrol(&mut self, hub_url: &str, code: &str) -> Result<Enrolment, SyncError> {
        let enrolment = enrol_async(&mut self.store, &self.hub, hub_url, code).await?;
        self.hub_holds = None;
        self.backoff.succeeded();
        self.publish_counts();
        Ok(enrolment)
    }

    /// Publishes a round's outcome; returns the backoff delay after a failure.
    fn finish_round(&mut self, outcome: Result<(), SyncError>) -> Option<Duration> {
        self.publish_counts();
        match outcome {
            Ok(()) => {
                self.backoff.succeeded();
                self.status.send_modify(|s| {
                    s.state = SyncState::Idle;
                    s.last_success = Some(Utc::now());
                    s.last_error = None;
                });
                None
            }
            Err(SyncError::NotEnrolled) => {
                self.backoff.succeeded();
                self.status
                    .send_modify(|s| s.state = SyncState::NotEnrolled);
                None
            }
            Err(error) => {
                let delay = self.backoff.failed(&self.options.backoff, jitter());
                // A hub that asks for a wait (its disk is full, say) gets it, within the cap.
                let delay = error.retry_after().map_or(delay, |asked| {
                    delay.max(asked.min(self.options.backoff.cap))
                });
                tracing::warn!(%error, retry_in_ms = delay.as_millis() as u64, "sync round failed");
                let until = Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default();
                self.status.send_modify(|s| {
                    s.state = SyncState::BackingOff { until };
                    s.last_error = Some(error.to_string());
                });
                Some(delay)
            }
        }
    }

    fn publish_counts(&self) {
        if let (Ok(pending), Ok(acked)) = (self.store.pending_count(), self.store.acked_through()) {
            self.status.send_modify(|s| {
                s.pending = pending;
                s.acked_through = acked;
            });
        }
    }

    /// One round: push until caught up (at least once, for health), then pull.
    async fn round(&mut self) -> Result<(), SyncError> {
        let credentials = self
            .store
            .hub_credentials()?
            .ok_or(SyncError::NotEnrolled)?;
        let kiosk = self.store.kiosk_id()?;
        let mut state = RoundState {
            acked: self.store.acked_through()?,
            last_seq: self.store.last_seq()?,
            hub_holds: self.hub_holds,
            pushed: false,
            pulled: false,
            config_version: self.store.config_version()?,
        };
        let mut rewinds = 0;
        loop {
            match next_step(&state, self.options.batch) {
                Step::Push { after, limit } => {
                    let events = self.store.events_after(after, limit)?;
                    let last_sent = events.last().map(|e| e.seq);
                    let request = PushRequest {
                        health: health::current(&self.store, self.started, self.clock.now())?,
                        events,
                    };
                    match self.hub.push(&credentials, kiosk, &request).await {
                        Ok(answer) => {
                            if let Some(last) = last_sent
                                && answer.acked_through < last
                            {
                                return Err(SyncError::Protocol(format!(
                                    "the hub acknowledged {} after receiving up to {last}",
                                    answer.acked_through
                                )));
                            }
                            for set_aside in &answer.quarantined {
                                // Kept by the hub (the log stays whole) but counted nowhere: a
                                // bug or a tampered database here; the hub's admins see it too.
                                tracing::error!(seq = %set_aside.seq, reason = %set_aside.reason,
                                    "the hub quarantined an event: {}", set_aside.message);
                            }
                            state.acked = self.store.acknowledge(answer.acked_through)?;
                            self.hub_holds = (answer.acked_through < state.acked)
                                .then_some(answer.acked_through);
                            state.hub_holds = self.hub_holds;
                            state.pushed = true;
                            self.status
                                .send_modify(|s| s.clock_suspect = answer.clock_suspect);
                        }
                        Err(SyncError::Hub {
                            body:
                                ApiError {
                                    error: ApiErrorCode::SeqGap,
                                    acked_through: Some(held),
                                    ..
                                },
                            ..
                        }) if rewinds < 2 => {
                            tracing::warn!(%held, "the hub holds less than acknowledged; re-sending from there");
                            rewinds += 1;
                            self.hub_holds = Some(held);
                            state.hub_holds = Some(held);
                        }
                        Err(error) => return Err(error),
                    }
                    state.last_seq = self.store.last_seq()?;
                    self.publish_counts();
                }
                Step::Pull { since } => {
                    let answer = self.hub.pull(&credentials, kiosk, since).await?;
                    if let Some(config) = answer.config {
                        self.store.apply_config(&config)?;
                    }
                    if let Some(usage) = &answer.usage {
                        self.store.apply_usage(usage)?;
                    }
                    if let Some(months) = answer.retention_months {
                        let before = crate::domain::retention::cutoff(Utc::now(), months);
                        let detached = self.store.detach_old_buyers(before)?;
                        if detached > 0 {
                            tracing::info!(detached, %before, "old sales no longer name their household");
                        }
                    }
                    state.pulled = true;
                }
                Step::Done => {
                    self.fetch_photos(&credentials).await;
                    return Ok(());
                }
            }
        }
    }

    /// Downloads each photo the configuration names that the cache lacks, and removes those it
    /// no longer names. A failure is logged and tried again at the next round; it never fails the
    /// round (sales do not depend on photos).
    async fn fetch_photos(&mut self, credentials: &crate::store::HubCredentials) {
        let dir = self.store.photos_dir();
        let wanted = match self.store.photo_hashes() {
            Ok(wanted) => wanted,
            Err(error) => return tracing::warn!(%error, "cannot list the photos to download"),
        };
        for hash in wanted.iter().filter(|h| !photos::has_photo(&dir, h)) {
            let kept = match self.hub.photo(credentials, hash).await {
                Ok(bytes) => photos::keep_photo(&dir, hash, &bytes).map_err(|e| e.to_string()),
                Err(error) => Err(error.to_string()),
            };
            match kept {
                Ok(()) => {
                    tracing::info!(%hash, "photo downloaded");
                    self.status.send_modify(|s| s.photos_downloaded += 1);
                }
                Err(error) => {
                    tracing::warn!(%hash, %error, "photo not downloaded; retried next round")
                }
            }
        }
        match photos::prune_photos(&dir, &wanted) {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "photos no product shows were removed"),
            Err(error) => tracing::warn!(%error, "cannot prune the photo cache"),
        }
    }
}

/// A uniform draw in [0, 1] from the OS (no seeded generator to share between kiosks).
fn jitter() -> f64 {
    let mut bytes = [0u8; 4];
    match getrandom::fill(&mut bytes) {
        Ok(()) => f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX),
        Err(_) => 1.0,
    }
}

#[cfg(test)]
#[path = "worker_tests.rs"]
mod tests;
