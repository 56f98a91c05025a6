//! The lock and the door in simulated time: only a committed sale opens, relocking, the door alarm.

use std::time::Duration;

use super::*;

#[test]
fn the_lock_opens_only_for_a_committed_sale_and_relocks_when_nobody_opens_the_door() {
    let mut rig = rig();
    assert!(rig.sim.is_locked());
    assert_eq!(rig.sim.lock_history(), [true], "locked at start-up");
    rig.worker.command(Command::UnlockForSale(Seq(99)));
    assert!(rig.sim.is_locked(), "no such event");
    let sale = rig.commit_sale();
    rig.worker.command(Command::UnlockForSale(sale));
    assert!(!rig.sim.is_locked());
    assert!(!rig.status().locked);
    rig.run(599, Duration::from_millis(100));
    assert!(!rig.sim.is_locked(), "59.9 s: still open");
    rig.run(1, Duration::from_millis(100));
    assert!(rig.sim.is_locked(), "60 s: relocked");
    rig.worker.command(Command::UnlockForSale(sale));
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
    rig.worker.command(Command::UnlockForSale(alarm_seq));
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
    rig.worker.command(Command::UnlockForSale(sale));
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
fn stopping_locks_the_door_and_turns_the_led_off() {
    let mut rig = rig();
    let sale = rig.commit_sale();
    rig.worker.command(Command::UnlockForSale(sale));
    assert_eq!(rig.sim.led(), LedState::Attention, "unlocked");
    rig.worker.stop();
    assert!(rig.sim.is_locked());
    assert_eq!(rig.sim.led(), LedState::Off);
}

#[test]
fn the_newest_sale_opens_the_lock_once_when_the_caller_has_no_seq() {
    let mut rig = rig();
    rig.worker.command(Command::UnlockForNewSale);
    assert!(rig.sim.is_locked(), "no sale since start-up");
    rig.commit_sale();
    let sale = rig.commit_sale();
    rig.worker.command(Command::UnlockForNewSale);
    assert!(!rig.sim.is_locked());
    rig.run(600, Duration::from_millis(100));
    assert!(rig.sim.is_locked());
    rig.worker.command(Command::UnlockForNewSale);
    assert!(rig.sim.is_locked(), "that sale already opened it");
    let events = rig.take_events();
    assert!(events.contains(&HardwareEvent::Unlocked { sale }));
    assert!(
        matches!(events.last(), Some(HardwareEvent::UnlockRefused { sale: s, .. }) if *s == sale)
    );
}
