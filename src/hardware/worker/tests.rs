//! The worker in simulated time: a manual clock, simulated devices, a real database on a temp
//! file with the real migrations. Nothing sleeps; every step is a poll at a time the test chose.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use tempfile::TempDir;

use super::run::Worker;
use super::{HardwareEvent, HardwareStatus, WorkerOptions};
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

#[test]
fn the_lock_opens_only_for_a_committed_sale_and_relocks_when_nobody_opens_the_door() {
    let mut rig = rig();
    assert!(rig.sim.is_locked());
    assert_eq!(rig.sim.lock_history(), [true], "locked at start-up");
    rig.worker.command(super::Command::UnlockForSale(Seq(99)));
    assert!(rig.sim.is_locked(), "no such event");
    let sale = rig.commit_sale();
    rig.worker.command(super::Command::UnlockForSale(sale));
    assert!(!rig.sim.is_locked());
    assert!(!rig.status().locked);
    rig.run(599, Duration::from_millis(100));
    assert!(!rig.sim.is_locked(), "59.9 s: still open");
    rig.run(1, Duration::from_millis(100));
    assert!(rig.sim.is_locked(), "60 s: relocked");
    rig.worker.command(super::Command::UnlockForSale(sale));
    assert!(rig.sim.is_locked(), "a sale opens the lock once");
    let events = rig.take_events();
    assert!(
        matches!(&events[0], HardwareEvent::UnlockRefused { sale: Seq(99), reason }
        if reason.contains("not committed"))
    );
    assert!(events.contains(&HardwareEvent::Unlocked { sale }));
    assert!(events.contains(&HardwareEvent::Relocked {
        reason: RelockReason::Timeout
    }));
    assert!(matches!(
        events.last(),
        Some(HardwareEvent::UnlockRefused { .. })
    ));
    assert_eq!(rig.sim.lock_history(), [true, false, true]);
}

#[test]
fn an_alarm_event_cannot_open_the_lock() {
    let mut rig = rig();
    rig.sim.set_door_open(true);
    rig.run(1300, Duration::from_millis(100));
    let alarm_seq = rig.worker.store().last_seq().unwrap();
    rig.worker.command(super::Command::UnlockForSale(alarm_seq));
    assert!(rig.sim.is_locked());
    assert!(
        rig.take_events().iter().any(|e| matches!(e,
        HardwareEvent::UnlockRefused { reason, .. } if reason.contains("alarm event, not a sale")))
    );
}

#[test]
fn the_lock_relocks_once_the_door_is_opened_and_closed_again() {
    let mut rig = rig();
    let sale = rig.commit_sale();
    rig.worker.command(super::Command::UnlockForSale(sale));
    rig.sim.set_door_open(true);
    rig.run(1, Duration::from_millis(100));
    assert!(
        !rig.status().door_open,
        "one reading is not enough (debounce)"
    );
    rig.run(2, Duration::from_millis(100));
    assert!(rig.status().door_open);
    rig.run(900, Duration::from_millis(100));
    assert!(!rig.sim.is_locked(), "open past the window: still unlocked");
    rig.sim.set_door_open(false);
    rig.run(3, Duration::from_millis(100));
    assert!(rig.sim.is_locked());
    let events: Vec<_> = rig
        .take_events()
        .into_iter()
        .filter(|e| !matches!(e, HardwareEvent::Temperature { .. }))
        .collect();
    assert_eq!(
        events,
        [
            HardwareEvent::Unlocked { sale },
            HardwareEvent::DoorOpened,
            HardwareEvent::DoorClosed,
            HardwareEvent::Relocked {
                reason: RelockReason::DoorClosed
            },
        ]
    );
}

#[test]
fn a_door_open_too_long_sounds_the_alarm_and_raises_it_once() {
    let mut rig = rig();
    rig.sim.set_door_open(true);
    // Read open at 1 s, settled at 2 s: the limit (120 s) is reached at 122 s.
    rig.run(121, Duration::from_secs(1));
    assert!(rig.alarms().is_empty(), "119 s open: not yet");
    assert!(!rig.sim.take_sounds().contains(&BuzzPattern::Alarm));
    rig.run(1, Duration::from_secs(1));
    assert_eq!(rig.alarm_kinds(), [(AlarmKind::DoorOpen, true)]);
    assert_eq!(rig.sim.led(), LedState::Attention);
    rig.run(60, Duration::from_secs(1));
    assert_eq!(rig.alarms().len(), 1, "raised once");
    let sounds = rig.sim.take_sounds();
    assert_eq!(sounds, [BuzzPattern::Alarm; 5], "at 122 s, then every 15 s");
    rig.sim.set_door_open(false);
    rig.run(2, Duration::from_secs(1));
    assert_eq!(
        rig.alarm_kinds(),
        [(AlarmKind::DoorOpen, true), (AlarmKind::DoorOpen, false)]
    );
    rig.run(60, Duration::from_secs(1));
    assert!(rig.sim.take_sounds().is_empty(), "silent once closed");
    assert_eq!(rig.sim.led(), LedState::Ok);
    let events = rig.take_events();
    assert!(events.contains(&HardwareEvent::DoorAlarm));
    assert!(events.contains(&HardwareEvent::DoorAlarmCleared));
}

#[test]
fn an_excursion_is_raised_once_naming_the_lots_and_cleared_when_cold_again() {
    let mut rig = rig();
    rig.at(-18, 5);
    rig.at(-9, 30);
    assert!(rig.alarms().is_empty(), "warm from minute 6 to 35: not yet");
    rig.at(-9, 1);
    rig.at(-8, 10);
    let alarms = rig.alarms();
    assert_eq!(alarms.len(), 1, "{alarms:?}");
    assert_eq!(alarms[0].kind, AlarmKind::ColdChain);
    assert!(alarms[0].raised);
    assert_eq!(alarms[0].lots, ["L2611-01", "L2611-02", "L2611-03"]);
    assert_eq!(
        alarms[0].peak_millicelsius,
        Some(-9_000),
        "raised at minute 36"
    );
    assert!(rig.status().excursion);
    assert!(rig.sim.take_sounds().contains(&BuzzPattern::Alarm));
    rig.at(-12, 5);
    assert_eq!(
        rig.alarms().len(),
        1,
        "−12 °C is not a degree below the threshold"
    );
    rig.at(-14, 2);
    let alarms = rig.alarms();
    assert_eq!(alarms.len(), 2);
    assert!(!alarms[1].raised);
    assert_eq!(alarms[1].peak_millicelsius, Some(-8_000));
    assert!(!rig.status().excursion);
    let events = rig.take_events();
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, HardwareEvent::Temperature { .. }))
            .count(),
        53,
        "a reading a minute"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, HardwareEvent::ExcursionStarted { lots, .. }
        if lots.len() == 3))
    );
    assert!(events.contains(&HardwareEvent::ExcursionEnded {
        peak_millicelsius: Some(-8_000)
    }));
    assert!(rig.status().hold.is_some(), "the hold waits for staff");
    assert!(!rig.status().stop_sales, "this kiosk keeps selling");
}

#[test]
fn a_kiosk_told_to_stop_sales_is_out_of_order_until_staff_clear_the_hold() {
    let mut rig = rig_with(true);
    rig.at(-5, 35);
    assert!(rig.status().stop_sales);
    assert_eq!(rig.sim.led(), LedState::Fault);
    assert!(rig.take_events().contains(&HardwareEvent::ColdChainHold {
        held: true,
        stop_sales: true
    }));
    rig.at(-18, 10);
    assert!(rig.status().stop_sales, "cold again, still held");
    let (reply, answer) = std::sync::mpsc::channel();
    rig.worker.command(super::Command::ClearHold(reply));
    assert!(answer.recv().unwrap().unwrap());
    assert!(!rig.status().stop_sales);
    assert_eq!(rig.sim.led(), LedState::Ok);
    assert_eq!(
        rig.alarm_kinds(),
        [
            (AlarmKind::ColdChain, true),
            (AlarmKind::ColdChain, false),
            (AlarmKind::ColdChain, false),
        ],
        "raised, ended, cleared by staff"
    );
    let (reply, answer) = std::sync::mpsc::channel();
    rig.worker.command(super::Command::ClearHold(reply));
    assert!(!answer.recv().unwrap().unwrap(), "nothing left to clear");
}

#[test]
fn a_probe_that_vanishes_is_an_alarm_raised_once_and_cleared_when_it_answers() {
    let mut rig = rig();
    rig.minutes(2);
    rig.sim.set_probe_vanished(true);
    rig.minutes(2);
    assert!(rig.alarms().is_empty(), "two silent minutes: not yet lost");
    rig.minutes(1);
    assert_eq!(rig.alarm_kinds(), [(AlarmKind::ProbeLost, true)]);
    assert!(rig.status().probe_lost);
    rig.minutes(30);
    assert_eq!(rig.alarms().len(), 1, "raised once");
    rig.sim.set_probe_vanished(false);
    rig.minutes(1);
    assert_eq!(
        rig.alarm_kinds(),
        [(AlarmKind::ProbeLost, true), (AlarmKind::ProbeLost, false)]
    );
    let events = rig.take_events();
    assert!(events.contains(&HardwareEvent::ProbeLost));
    assert!(events.contains(&HardwareEvent::ProbeBack));
}

#[test]
fn a_power_cut_in_the_middle_of_an_excursion_raises_it_once_at_restart() {
    let mut rig = rig();
    rig.at(-18, 5);
    rig.at(-8, 20);
    assert!(rig.alarms().is_empty());
    // Off for an hour; the freezer is still warm when the kiosk comes back: warm since minute 6,
    // so the excursion is due at once.
    let rig = rig.power_cut(60 * MINUTE, -7);
    let alarms = rig.alarms();
    assert_eq!(alarms.len(), 1, "{alarms:?}");
    assert!(alarms[0].raised);
    assert_eq!(alarms[0].peak_millicelsius, Some(-7_000));
    assert_eq!(alarms[0].lots.len(), 3);
    // A second cut while the alarm is raised: not raised again.
    let mut rig = rig.power_cut(10 * MINUTE, -7);
    rig.at(-7, 5);
    assert_eq!(rig.alarms().len(), 1, "no duplicate after a restart");
    assert!(rig.status().excursion);
    assert!(rig.status().hold.is_some(), "the hold survives the restart");
    rig.at(-16, 2);
    assert_eq!(
        rig.alarm_kinds(),
        [(AlarmKind::ColdChain, true), (AlarmKind::ColdChain, false)]
    );
}

#[test]
fn a_power_cut_after_an_excursion_ended_records_the_end_at_restart() {
    let mut rig = rig();
    rig.at(-6, 40);
    assert_eq!(rig.alarms().len(), 1);
    // The end was due but never recorded (say the kiosk died between the sample and the alarm):
    // restart on samples that show a cold freezer.
    let mut store = KioskStore::open(&rig.path).unwrap();
    let now = rig.clock.wall().timestamp();
    for minute in 1..=3 {
        store
            .record_temperature(now + minute * 60, -18_000)
            .unwrap();
    }
    let rig = rig.power_cut(3 * MINUTE, -18);
    assert_eq!(
        rig.alarm_kinds(),
        [(AlarmKind::ColdChain, true), (AlarmKind::ColdChain, false)]
    );
}

#[test]
fn samples_are_stored_every_minute_and_pruned_after_90_days() {
    let (dir, path) = kiosk_db(false);
    let now = start_time().timestamp();
    let day = 24 * 3600;
    {
        let mut store = KioskStore::open(&path).unwrap();
        store.record_temperature(now - 91 * day, -18_000).unwrap();
        store
            .record_temperature(now - 89 * day - day / 2, -18_000)
            .unwrap();
    }
    let mut rig = start(dir, path, Arc::new(ManualClock::new(start_time())));
    rig.worker.poll();
    rig.minutes(3);
    let samples = rig.worker.store().temperatures_since(0).unwrap();
    assert_eq!(samples.len(), 5, "the 91-day-old sample went at start-up");
    assert_eq!(samples[0].0, now - 89 * day - day / 2);
    rig.clock.advance(Duration::from_secs(day as u64));
    rig.worker.poll();
    let samples = rig.worker.store().temperatures_since(0).unwrap();
    assert_eq!(
        samples.len(),
        5,
        "a day later the 89.5-day-old one is gone too"
    );
    assert!(samples.iter().all(|&(at, _)| at >= now));
}

#[test]
fn a_freezer_without_a_probe_has_no_cold_chain_watch() {
    let (dir, path) = kiosk_db(false);
    let clock = Arc::new(ManualClock::new(start_time()));
    let sim = Simulation::by_hand(clock.clone());
    let mut hardware = sim.hardware();
    hardware.probe = None;
    let mut worker = Worker::new(
        KioskStore::open(&path).unwrap(),
        hardware,
        WorkerOptions::default(),
        Box::new(|_| {}),
        Arc::new(Mutex::new(HardwareStatus::default())),
        clock.clone(),
    )
    .unwrap();
    for _ in 0..10 {
        clock.advance(MINUTE);
        worker.poll();
    }
    assert!(worker.store().temperatures_since(0).unwrap().is_empty());
    assert!(
        worker.store().recent_alarms(10).unwrap().is_empty(),
        "no probe-lost alarm"
    );
    drop(dir);
}

#[test]
fn stopping_locks_the_door_and_turns_the_led_off() {
    let mut rig = rig();
    let sale = rig.commit_sale();
    rig.worker.command(super::Command::UnlockForSale(sale));
    assert_eq!(rig.sim.led(), LedState::Attention, "unlocked");
    rig.worker.stop();
    assert!(rig.sim.is_locked());
    assert_eq!(rig.sim.led(), LedState::Off);
}

#[test]
fn a_held_kiosk_restarts_out_of_order_and_notices_a_hold_cleared_by_the_kiosk_core() {
    let mut rig = rig_with(true);
    rig.at(-5, 31);
    assert!(rig.status().stop_sales);
    let rig = rig.power_cut(5 * MINUTE, -5);
    let held = HardwareEvent::ColdChainHold {
        held: true,
        stop_sales: true,
    };
    assert!(rig.take_events().contains(&held), "told at start-up");
    assert!(rig.status().stop_sales);
    let mut rig = rig;
    // Staff mode clears the hold through the kiosk core's own connection.
    let mut core_store = KioskStore::open(&rig.path).unwrap();
    core_store.clear_cold_chain_hold(rig.clock.wall()).unwrap();
    rig.minutes(1);
    assert!(!rig.status().stop_sales);
    assert!(rig.take_events().contains(&HardwareEvent::ColdChainHold {
        held: false,
        stop_sales: false
    }));
}
