//! The worker in simulated time: a manual clock, simulated devices, a real database on a temp
//! file with the real migrations. Nothing sleeps; every step is a poll at a time the test chose.
//! This file holds the test rig; the cases are in `lock_and_door.rs` and `cold_chain.rs`.

mod cold_chain;
mod lock_and_door;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use tempfile::TempDir;

pub(super) use super::run::Worker;
use super::{Command, HardwareEvent, HardwareStatus, WorkerOptions};
use crate::domain::Seq;
use crate::domain::event::{Alarm, AlarmKind};
use crate::hardware::{BuzzPattern, Clock, LedState, ManualClock, RelockReason, Simulation};
use crate::store::KioskStore;
use crate::store::test_support::{demo_config, sale_of};

const MINUTE: Duration = Duration::from_secs(60);

fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
}

/// A kiosk database with the demo catalogue and three lots in the freezer.
fn kiosk_db(stop_sales: bool) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let mut store = KioskStore::open(&path).unwrap();
    let mut config = demo_config();
    config.thresholds.stop_sales_on_excursion = stop_sales;
    store.apply_config(&config).unwrap();
    store.set_kiosk_id(crate::domain::KioskId(1)).unwrap();
    let products = store.products(true).unwrap();
    store.test_restock(products[0].id, "L2611-01", Some((2027, 5, 1)), 6);
    store.test_restock(products[1].id, "L2611-02", Some((2027, 5, 1)), 4);
    store.test_restock(products[2].id, "L2611-03", None, 1);
    (dir, path)
}

/// A worker on a kiosk database, its simulated freezer and what it said.
struct Rig {
    _dir: TempDir,
    path: PathBuf,
    clock: Arc<ManualClock>,
    sim: Simulation,
    events: Arc<Mutex<Vec<HardwareEvent>>>,
    status: Arc<Mutex<HardwareStatus>>,
    worker: Worker,
}

fn start(dir: TempDir, path: PathBuf, clock: Arc<ManualClock>) -> Rig {
    let sim = Simulation::by_hand(clock.clone());
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let status = Arc::new(Mutex::new(HardwareStatus::default()));
    let worker = Worker::new(
        KioskStore::open(&path).unwrap(),
        sim.hardware(),
        WorkerOptions::default(),
        Box::new(move |event| seen.lock().unwrap().push(event)),
        status.clone(),
        clock.clone(),
    )
    .unwrap();
    Rig {
        _dir: dir,
        path,
        clock,
        sim,
        events,
        status,
        worker,
    }
}

fn rig_with(stop_sales: bool) -> Rig {
    let (dir, path) = kiosk_db(stop_sales);
    let mut rig = start(dir, path, Arc::new(ManualClock::new(start_time())));
    rig.worker.poll();
    rig.take_events();
    rig
}

fn rig() -> Rig {
    rig_with(false)
}

impl Rig {
    /// Moves time on by `step`, `times` times, polling after each step.
    fn run(&mut self, times: u32, step: Duration) {
        for _ in 0..times {
            self.clock.advance(step);
            self.worker.poll();
        }
    }

    fn minutes(&mut self, n: u32) {
        self.run(n, MINUTE);
    }

    /// Runs the freezer at `celsius` for `n` minutes.
    fn at(&mut self, celsius: i32, n: u32) {
        self.sim.set_temperature(celsius * 1000);
        self.minutes(n);
    }

    fn take_events(&self) -> Vec<HardwareEvent> {
        std::mem::take(&mut self.events.lock().unwrap())
    }

    fn status(&self) -> HardwareStatus {
        self.status.lock().unwrap().clone()
    }

    /// Every alarm recorded, oldest first.
    fn alarms(&self) -> Vec<Alarm> {
        let mut alarms: Vec<Alarm> = self
            .worker
            .store()
            .recent_alarms(100)
            .unwrap()
            .into_iter()
            .map(|(_, alarm)| alarm)
            .collect();
        alarms.reverse();
        alarms
    }

    fn alarm_kinds(&self) -> Vec<(AlarmKind, bool)> {
        self.alarms().iter().map(|a| (a.kind, a.raised)).collect()
    }

    /// Commits a sale through another connection, as the kiosk core does; returns its seq.
    fn commit_sale(&self) -> Seq {
        let mut store = KioskStore::open(&self.path).unwrap();
        let sale = sale_of(&store, &[(0, 1)], None);
        store.record_sale(&sale).unwrap().seq
    }

    /// The power goes off for `off` (the worker is gone without stopping), then comes back with
    /// the freezer at `celsius`.
    fn power_cut(self, off: Duration, celsius: i32) -> Rig {
        let Rig {
            _dir, path, clock, ..
        } = self;
        clock.advance(off);
        let mut rig = start(_dir, path, clock);
        rig.sim.set_temperature(celsius * 1000);
        rig.worker.poll();
        rig
    }
}
