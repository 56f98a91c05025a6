//! What the kiosk core asks of the rest of the program, for real: the sync worker (sync now,
//! enrolment, status) and the hardware worker (the door lock after a committed sale, the
//! cold-chain hold).
//!
//! The core never waits on the network: an enrolment runs on the sync worker's thread and its
//! answer comes back through the core's input queue, like the sync status.

use std::thread::JoinHandle;
use std::time::Duration;

use chrono::Local;

use super::core::{Input, KioskServices};
use super::ui::InputSink;
use super::view::SyncView;
use crate::domain::Seq;
use crate::hardware::HardwareHandle;
use crate::sync::{SyncHandle, SyncState, SyncStatus};

/// How often the sync status is looked at for the screen.
const STATUS_POLL: Duration = Duration::from_secs(1);

pub struct AppServices {
    sync: SyncHandle,
    hardware: HardwareHandle,
    sink: InputSink,
}

impl AppServices {
    pub fn new(sync: SyncHandle, hardware: HardwareHandle, sink: InputSink) -> AppServices {
        AppServices {
            sync,
            hardware,
            sink,
        }
    }

    /// Forwards the sync worker's status to the core while `running` says so.
    pub fn watch_status(
        &self,
        running: std::sync::Arc<std::sync::atomic::AtomicBool>,
    ) -> JoinHandle<()> {
        let status = self.sync.status();
        let sink = self.sink.clone();
        std::thread::Builder::new()
            .name("kiosk-sync-status".into())
            .spawn(move || {
                let mut last: Option<Option<SyncView>> = None;
                while running.load(std::sync::atomic::Ordering::Relaxed) {
                    let view = sync_view(&status.borrow());
                    if last.as_ref() != Some(&view) {
                        if let Some(view) = view.clone() {
                            sink(Input::Sync(view));
                        }
                        last = Some(view);
                    }
                    std::thread::sleep(STATUS_POLL);
                }
            })
            .expect("spawning a thread")
    }
}

/// What the screen shows of the worker's status; nothing until the kiosk is enrolled.
pub fn sync_view(status: &SyncStatus) -> Option<SyncView> {
    if matches!(status.state, SyncState::NotEnrolled | SyncState::Starting) {
        return None;
    }
    Some(SyncView {
        pending: status.pending,
        last_success: status.last_success.map(|t| t.with_timezone(&Local).time()),
        last_error: status.last_error.clone(),
        clock_suspect: status.clock_suspect,
    })
}

impl KioskServices for AppServices {
    fn sale_committed(&mut self, sale: Seq) {
        self.hardware.unlock_for_sale(sale);
        self.sync.sync_now();
    }

    fn clear_cold_chain_hold(&mut self) -> Option<Result<bool, String>> {
        Some(
            self.hardware
                .clear_cold_chain_hold()
                .map_err(|e| e.to_string()),
        )
    }

    fn sync_now(&mut self) {
        self.sync.sync_now();
    }

    fn enrol(&mut self, hub_url: &str, code: &str) {
        let answer = self.sync.enrol(hub_url, code);
        let sink = self.sink.clone();
        std::thread::spawn(move || {
            let result = match answer.blocking_recv() {
                Ok(Ok(enrolment)) => Ok(enrolment.kiosk.0),
                Ok(Err(error)) => Err(error.to_string()),
                Err(_) => Err("the sync worker stopped".to_owned()),
            };
            sink(Input::Enrolment(result));
        });
    }
}
