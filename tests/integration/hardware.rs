//! The hardware worker through its public handle, as the kiosk uses it: a demo kiosk database on a
//! temp file, the simulated freezer built from settings, the worker on its own thread, and a
//! manual clock so minutes pass without sleeping (`poll_now` makes the worker act at the clock's
//! time and returns once it has). Also: the Raspberry Pi example settings parse.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use congelo::domain::Seq;
use congelo::domain::event::AlarmKind;
use congelo::hardware::{
    BuzzPattern, HardwareEvent, HardwareHandle, HardwareSettings, LedState, ManualClock,
    RelockReason, Simulation, build_with_clock,
};
use congelo::store::KioskStore;
use tempfile::TempDir;

use crate::common::{demo_kiosk, random_sale};

/// A demo kiosk, its simulated freezer and the worker, all on one manual clock.
struct Freezer {
    _dir: TempDir,
    db: PathBuf,
    clock: Arc<ManualClock>,
    sim: Simulation,
    events: Arc<Mutex<Vec<HardwareEvent>>>,
    handle: HardwareHandle,
}

fn freezer(settings: &str, stop_sales: bool) -> Freezer {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let mut store = demo_kiosk(&db);
    let mut config = congelo::demo::config();
    config.version += 1;
    config.thresholds.stop_sales_on_excursion = stop_sales;
    store.apply_config(&config).unwrap();
    let settings: HardwareSettings = toml::from_str(settings).unwrap();
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap(),
    ));
    let hardware = build_with_clock(&settings, clock.clone()).unwrap();
    let sim = hardware.simulation().unwrap().clone();
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let handle = HardwareHandle::spawn_with_clock(
        &db,
        hardware,
        settings.worker_options(),
        Box::new(move |event| seen.lock().unwrap().push(event)),
        clock.clone(),
    )
    .unwrap();
    handle.poll_now().unwrap();
    Freezer {
        _dir: dir,
        db,
        clock,
        sim,
        events,
        handle,
    }
}

impl Freezer {
    /// `times` steps of `step`, the worker acting after each.
    fn run(&self, times: u32, step: Duration) {
        for _ in 0..times {
            self.clock.advance(step);
            self.handle.poll_now().unwrap();
        }
    }

    /// Commits a sale through the kiosk's own connection, as the core does before unlocking.
    fn commit_sale(&self) -> Seq {
        let mut store = KioskStore::open(&self.db).unwrap();
        let sale = random_sale(&store, &mut fastrand::Rng::with_seed(6));
        store.record_sale(&sale).unwrap().seq
    }

    fn events(&self) -> Vec<HardwareEvent> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .filter(|e| !matches!(e, HardwareEvent::Temperature { .. }))
            .cloned()
            .collect()
    }

    fn alarms(&self) -> Vec<(AlarmKind, bool)> {
        let store = KioskStore::open(&self.db).unwrap();
        let mut alarms: Vec<_> = store
            .recent_alarms(50)
            .unwrap()
            .into_iter()
            .map(|(_, a)| (a.kind, a.raised))
            .collect();
        alarms.reverse();
        alarms
    }
}

const BY_HAND: &str = "[simulation]\ndoor_closes_after_seconds = 0\n";

#[test]
fn the_lock_never_opens_before_a_committed_sale_and_relocks_on_timeout() {
    let freezer = freezer(BY_HAND, false);
    let before_start = KioskStore::open(&freezer.db).unwrap().last_seq().unwrap();
    for seq in [Seq(0), before_start, Seq(before_start.0 + 1)] {
        freezer.handle.unlock_for_sale(seq);
        freezer.handle.poll_now().unwrap();
        assert!(freezer.sim.is_locked(), "{seq}: no committed sale there");
    }
    let sale = freezer.commit_sale();
    freezer.handle.unlock_for_sale(sale);
    freezer.handle.poll_now().unwrap();
    assert!(!freezer.sim.is_locked());
    assert!(!freezer.handle.latest().locked);
    freezer.run(59, Duration::from_secs(1));
    assert!(!freezer.sim.is_locked());
    freezer.run(1, Duration::from_secs(1));
    assert!(freezer.sim.is_locked(), "nobody opened the door in 60 s");
    assert_eq!(freezer.sim.lock_history(), [true, false, true]);
    let events = freezer.events();
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, HardwareEvent::UnlockRefused { .. }))
            .count(),
        3
    );
    assert!(events.ends_with(&[
        HardwareEvent::Unlocked { sale },
        HardwareEvent::Relocked {
            reason: RelockReason::Timeout
        }
    ]));
}

#[test]
fn the_demo_resident_opens_the_door_after_a_sale_and_it_relocks_when_closed() {
    let freezer = freezer("", false);
    let sale = freezer.commit_sale();
    freezer.handle.unlock_for_sale(sale);
    freezer.run(80, Duration::from_millis(100));
    assert!(freezer.sim.is_locked());
    assert_eq!(
        freezer.events(),
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
fn a_door_left_open_sounds_and_raises_an_alarm_that_reaches_the_event_log() {
    let freezer = freezer(BY_HAND, false);
    freezer.handle.feedback(BuzzPattern::ScanOk);
    assert_eq!(freezer.sim.take_sounds(), [BuzzPattern::ScanOk]);
    freezer.sim.set_door_open(true);
    freezer.run(125, Duration::from_secs(1));
    let status = freezer.handle.latest();
    assert!(status.door_open && status.door_alarm);
    assert_eq!(freezer.alarms(), [(AlarmKind::DoorOpen, true)]);
    assert!(freezer.sim.take_sounds().contains(&BuzzPattern::Alarm));
    assert_eq!(freezer.sim.led(), LedState::Attention);
    freezer.sim.set_door_open(false);
    freezer.run(2, Duration::from_secs(1));
    assert_eq!(
        freezer.alarms(),
        [(AlarmKind::DoorOpen, true), (AlarmKind::DoorOpen, false)]
    );
    let pending = KioskStore::open(&freezer.db).unwrap().pending_events(1000);
    assert!(
        pending.unwrap().iter().any(|e| e.body.kind() == "alarm"),
        "alarms go to the hub with the next push"
    );
}

#[test]
fn an_excursion_stops_sales_until_staff_clear_the_hold_and_shutdown_locks() {
    let freezer = freezer(BY_HAND, true);
    freezer.sim.set_temperature(-5_000);
    freezer.run(31, Duration::from_secs(60));
    let status = freezer.handle.latest();
    assert!(status.excursion && status.stop_sales);
    let hold = status.hold.unwrap();
    assert!(!hold.lots.is_empty(), "the demo freezer holds lots");
    assert_eq!(hold.peak_millicelsius, Some(-5_000));
    assert_eq!(freezer.sim.led(), LedState::Fault);
    assert!(freezer.events().contains(&HardwareEvent::ColdChainHold {
        held: true,
        stop_sales: true
    }));
    assert!(freezer.handle.clear_cold_chain_hold().unwrap());
    assert!(!freezer.handle.latest().stop_sales);
    assert!(!freezer.handle.clear_cold_chain_hold().unwrap());
    assert_eq!(
        freezer.alarms(),
        [(AlarmKind::ColdChain, true), (AlarmKind::ColdChain, false)]
    );
    let Freezer { sim, handle, .. } = freezer;
    handle.shutdown();
    assert!(sim.is_locked());
    assert_eq!(sim.led(), LedState::Off);
}

#[cfg(feature = "kiosk")]
#[test]
fn the_raspberry_pi_example_settings_parse() {
    use congelo::kiosk::settings::KioskSettings;
    let text = include_str!("../../deploy/pi/kiosk.toml");
    let mut table: toml::Table = toml::from_str(text).unwrap();
    let hardware: HardwareSettings = table.remove("hardware").unwrap().try_into().unwrap();
    hardware.validate().unwrap();
    assert!(!hardware.simulated);
    // The rest is the kiosk's own settings.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kiosk.toml");
    std::fs::write(&file, toml::to_string(&table).unwrap()).unwrap();
    let settings = KioskSettings::load(Some(&file), |_| None).unwrap();
    assert!(settings.fullscreen);
}
