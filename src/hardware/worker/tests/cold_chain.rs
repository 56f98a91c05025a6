//! The cold chain in simulated time: excursions, the probe, power cuts, retention, the hold.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::*;

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
    rig.worker.command(Command::ClearHold(reply));
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
    rig.worker.command(Command::ClearHold(reply));
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
    let now = rig.clock.now().timestamp();
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
    core_store.clear_cold_chain_hold(rig.clock.now()).unwrap();
    rig.minutes(1);
    assert!(!rig.status().stop_sales);
    assert!(rig.take_events().contains(&HardwareEvent::ColdChainHold {
        held: false,
        stop_sales: false
    }));
}
