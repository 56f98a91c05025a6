//! The worker's scheduling against a scripted hub, with paused tokio time: backoff delays,
//! "sync now" ignored while backing off, the timer, batching and acknowledgement.

use std::cell::RefCell;
use std::rc::Rc;

use super::*;
use crate::domain::KioskId;
use crate::domain::sync::{EnrolResponse, PullResponse, PushResponse};
use crate::store::HubCredentials;
use crate::store::test_support::{sale_of, temp_store_with_demo};

/// A hub that fails the first `failures` pushes, then accepts everything, recording when and
/// what it was asked.
#[derive(Clone, Default)]
struct ScriptedHub {
    failures: Rc<RefCell<u32>>,
    /// Pushes answered "disk full, retry after 35 s" before the `failures`.
    full: Rc<RefCell<u32>>,
    pushes: Rc<RefCell<Vec<(tokio::time::Instant, usize)>>>,
    held: Rc<RefCell<u64>>,
}

impl HubApi for ScriptedHub {
    async fn enrol(&self, _: &str, _: &str) -> Result<EnrolResponse, SyncError> {
        Err(SyncError::Network("not scripted".into()))
    }

    async fn push(
        &self,
        _: &HubCredentials,
        _: KioskId,
        push: &PushRequest,
    ) -> Result<PushResponse, SyncError> {
        self.pushes
            .borrow_mut()
            .push((tokio::time::Instant::now(), push.events.len()));
        let mut full = self.full.borrow_mut();
        if *full > 0 {
            *full -= 1;
            return Err(SyncError::Hub {
                status: 503,
                body: crate::domain::sync::ApiError {
                    error: crate::domain::sync::ApiErrorCode::StorageFull,
                    message: "the hub's disk is full".into(),
                    acked_through: None,
                },
                retry_after: Some(Duration::from_secs(35)),
            });
        }
        let mut failures = self.failures.borrow_mut();
        if *failures > 0 {
            *failures -= 1;
            return Err(SyncError::Network("connection refused".into()));
        }
        let mut held = self.held.borrow_mut();
        *held = push.events.last().map_or(*held, |e| e.seq.0.max(*held));
        Ok(PushResponse {
            acked_through: Seq(*held),
            stored: push.events.len() as u32,
            duplicates: 0,
            hub_time: Utc::now(),
            clock_offset_ms: 0,
            clock_suspect: false,
            quarantined: vec![],
        })
    }

    async fn pull(
        &self,
        _: &HubCredentials,
        _: KioskId,
        _: u64,
    ) -> Result<PullResponse, SyncError> {
        Ok(PullResponse {
            usage: None,
            retention_months: None,
            version: 0,
            config: None,
        })
    }
}

struct Running {
    commands: mpsc::Sender<Command>,
    shutdown: watch::Sender<bool>,
    status: watch::Receiver<SyncStatus>,
}

fn options() -> SyncOptions {
    SyncOptions {
        interval: Duration::from_secs(600),
        batch: 4,
        backoff: BackoffPolicy {
            base: Duration::from_secs(10),
            cap: Duration::from_secs(40),
        },
        client: ClientOptions::default(),
    }
}

/// An enrolled demo store with `sales` sales, and a worker over `hub`, not yet running.
fn worker(
    hub: ScriptedHub,
    sales: usize,
) -> (
    tempfile::TempDir,
    Worker<ScriptedHub>,
    Running,
    mpsc::Receiver<Command>,
    watch::Receiver<bool>,
) {
    let (dir, mut store) = temp_store_with_demo();
    for _ in 0..sales {
        let sale = sale_of(&store, &[(0, 1)], None);
        store.record_sale(&sale).unwrap();
    }
    let credentials = HubCredentials {
        url: "http://127.0.0.1:9".into(),
        token: "cgk_test".into(),
    };
    store.record_enrolment(KioskId(1), &credentials).unwrap();
    let (commands, command_rx) = mpsc::channel(16);
    let (shutdown, shutdown_rx) = watch::channel(false);
    let (status_tx, status) = watch::channel(SyncStatus::default());
    let worker = Worker::new(store, hub, options(), status_tx);
    (
        dir,
        worker,
        Running {
            commands,
            shutdown,
            status,
        },
        command_rx,
        shutdown_rx,
    )
}

async fn until(status: &mut watch::Receiver<SyncStatus>, what: impl Fn(&SyncStatus) -> bool) {
    status.wait_for(|s| what(s)).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn failures_back_off_exponentially_with_jitter_then_recover() {
    let hub = ScriptedHub::default();
    *hub.failures.borrow_mut() = 3;
    let (_dir, worker, mut running, commands, shutdown) = worker(hub.clone(), 0);
    let driver = async {
        until(&mut running.status, |s| {
            matches!(s.state, SyncState::BackingOff { .. })
        })
        .await;
        // "Sync now" while backing off does not bring the retry forward.
        running.commands.send(Command::SyncNow).await.unwrap();
        until(&mut running.status, |s| s.last_success.is_some()).await;
        running.shutdown.send(true).unwrap();
    };
    tokio::join!(worker.run(commands, shutdown), driver);
    let pushes = hub.pushes.borrow();
    assert_eq!(pushes.len(), 4, "three failures then one success");
    // Delays 10 s, 20 s, 40 s (capped), each scaled by a jitter factor in [0.5, 1].
    for (gap, full) in pushes.windows(2).map(|w| w[1].0 - w[0].0).zip([10, 20, 40]) {
        let full = Duration::from_secs(full);
        assert!(
            gap >= full / 2 && gap <= full + Duration::from_millis(5),
            "{gap:?} vs {full:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_hub_asking_to_wait_is_given_the_wait_within_the_cap() {
    let hub = ScriptedHub::default();
    *hub.full.borrow_mut() = 2;
    let (_dir, worker, mut running, commands, shutdown) = worker(hub.clone(), 0);
    let driver = async {
        until(&mut running.status, |s| s.last_success.is_some()).await;
        running.shutdown.send(true).unwrap();
    };
    tokio::join!(worker.run(commands, shutdown), driver);
    let pushes = hub.pushes.borrow();
    assert_eq!(pushes.len(), 3, "two refusals then one success");
    // Backoff alone would wait 5–10 s then 10–20 s; the hub asked for 35 s each time.
    for gap in pushes.windows(2).map(|w| w[1].0 - w[0].0) {
        assert!(gap >= Duration::from_secs(35), "{gap:?}");
        assert!(
            gap <= Duration::from_secs(40) + Duration::from_millis(5),
            "{gap:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_round_pushes_in_batches_until_caught_up_and_the_timer_brings_the_next() {
    let hub = ScriptedHub::default();
    let (_dir, worker, mut running, commands, shutdown) = worker(hub.clone(), 10);
    let driver = async {
        until(&mut running.status, |s| s.last_success.is_some()).await;
        assert_eq!(running.status.borrow().pending, 0);
        assert_eq!(running.status.borrow().acked_through, Seq(10));
        let first_round = hub.pushes.borrow().len();
        tokio::time::sleep(Duration::from_secs(601)).await;
        assert_eq!(
            hub.pushes.borrow().len(),
            first_round + 1,
            "a heartbeat push"
        );
        running.shutdown.send(true).unwrap();
    };
    tokio::join!(worker.run(commands, shutdown), driver);
    // 10 sales, in batches of 4, then the timer's heartbeat.
    let sizes: Vec<usize> = hub.pushes.borrow().iter().map(|p| p.1).collect();
    assert_eq!(sizes, [4, 4, 2, 0]);
}

#[tokio::test(start_paused = true)]
async fn an_unenrolled_kiosk_waits_without_backing_off() {
    let (_dir, store) = temp_store_with_demo();
    let (_commands, command_rx) = mpsc::channel(16);
    let (shutdown, shutdown_rx) = watch::channel(false);
    let (status_tx, mut status) = watch::channel(SyncStatus::default());
    let worker = Worker::new(store, ScriptedHub::default(), options(), status_tx);
    let driver = async {
        until(&mut status, |s| s.state == SyncState::NotEnrolled).await;
        assert_eq!(status.borrow().last_error, None);
        shutdown.send(true).unwrap();
    };
    tokio::join!(worker.run(command_rx, shutdown_rx), driver);
    assert_eq!(status.borrow().state, SyncState::Stopped);
}
