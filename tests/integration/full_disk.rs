//! Full disks, for real: a kiosk and a hub whose databases live on a small tmpfs that the test
//! fills. The kiosk refuses the sale before anyone pays, the door stays locked, nothing is
//! half-written, and it sells again by itself once room is made; the hub answers pushes with a
//! 503 and a `Retry-After`, its database stays sound, and the kiosk catches up when room returns.
//! (Needs root to mount; see `common::small_disk`.)

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use congelo::clock::ManualClock;
use congelo::domain::Seq;
use congelo::hardware::{HardwareHandle, HardwareSettings, build_with_clock};
use congelo::kiosk::core::{Action, Input, KioskServices};
use congelo::kiosk::terminal::SimulatedBehaviour;
use congelo::kiosk::view::{OutOfOrderReason, Screen, View};
use congelo::store::KioskStore;

use crate::common::demo_kiosk;
use crate::common::kiosk_core::{Driven, core_with_services};
use crate::common::small_disk::SmallDisk;

const MIB: u64 = 1024 * 1024;

/// The door, as the kiosk program wires it: a committed sale asks the hardware worker to unlock.
struct Door(Arc<HardwareHandle>);

impl KioskServices for Door {
    fn sale_committed(&mut self, sale: Seq) {
        self.0.unlock_for_sale(sale);
    }
    fn sync_now(&mut self) {}
    fn enrol(&mut self, _hub_url: &str, _code: &str) {}
}

struct Kiosk {
    driven: Driven,
    door: Arc<HardwareHandle>,
    sim: congelo::hardware::Simulation,
}

impl Kiosk {
    fn send(&mut self, input: Input) -> View {
        let mut view = self.driven.core.handle(input);
        loop {
            let next = self.driven.queue.lock().unwrap().pop_front();
            match next {
                Some(next) => view = self.driven.core.handle(next),
                None => break,
            }
        }
        self.door.poll_now().unwrap();
        view
    }

    fn scan_pack(&mut self) -> View {
        self.driven.clock.advance(Duration::from_millis(1_100));
        self.send(Input::Scan(congelo::demo::gtin_of(0).as_display()))
    }

    fn tap(&mut self, action: Action) -> View {
        self.send(Input::Action(action))
    }

    fn wait(&mut self, seconds: u64) -> View {
        self.driven.clock.advance(Duration::from_secs(seconds));
        self.send(Input::Tick)
    }

    /// A cash sale from the attract screen; the screen it ends on.
    fn buy(&mut self) -> Screen {
        self.scan_pack();
        self.tap(Action::Pay);
        self.tap(Action::ChooseMethod(
            congelo::domain::sale::PaymentMethod::Cash,
        ));
        self.tap(Action::ConfirmPayment).screen
    }

    fn sales(&self) -> u64 {
        self.driven.core.store().sale_count().unwrap()
    }
}

fn assert_sound(db: &std::path::Path) {
    let store = KioskStore::open(db).unwrap();
    store.integrity_check().unwrap();
}

#[test]
fn a_kiosk_on_a_full_disk_refuses_before_the_door_and_sells_again_when_room_returns() {
    let Some(disk) = SmallDisk::mount(16 * MIB) else {
        return;
    };
    let db = disk.path().join("kiosk.db");
    let store = demo_kiosk(&db);
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap(),
    ));
    let settings: HardwareSettings =
        toml::from_str("[simulation]\ndoor_closes_after_seconds = 0\n").unwrap();
    let hardware = build_with_clock(&settings, clock.clone()).unwrap();
    let sim = hardware.simulation().unwrap().clone();
    let door = Arc::new(
        HardwareHandle::spawn_with_clock(
            &db,
            hardware,
            settings.worker_options(),
            Box::new(|_| {}),
            clock.clone(),
        )
        .unwrap(),
    );
    let driven = core_with_services(
        store,
        clock,
        SimulatedBehaviour::Approve,
        Box::new(Door(door.clone())),
    );
    let mut kiosk = Kiosk { driven, door, sim };
    assert_eq!(kiosk.wait(1).screen, Screen::Idle);

    // Short of the reserve with a cart in hand: "pay" is refused, before any money.
    kiosk.scan_pack();
    disk.fill_leaving(MIB);
    let view = kiosk.tap(Action::Pay);
    assert_eq!(view.screen, Screen::OutOfOrder);
    assert_eq!(view.out_of_order, Some(OutOfOrderReason::CannotRecord));
    assert_eq!(kiosk.scan_pack().screen, Screen::OutOfOrder);
    assert_eq!(kiosk.wait(31).screen, Screen::OutOfOrder, "still short");
    assert_eq!(kiosk.sales(), 0);
    assert!(kiosk.sim.is_locked());
    assert_eq!(kiosk.sim.lock_history(), [true]);

    // Room again: back in service by itself, and a sale opens the door.
    disk.make_room();
    assert_eq!(kiosk.wait(31).screen, Screen::Idle);
    assert_eq!(kiosk.buy(), Screen::Done);
    assert_eq!(kiosk.sales(), 1);
    assert!(!kiosk.sim.is_locked());
    for _ in 0..61 {
        kiosk.wait(1);
    }
    assert!(kiosk.sim.is_locked(), "relocked after the unlock window");
    assert_eq!(kiosk.sim.lock_history(), [true, false, true]);

    // No reserve and a disk filled to the last byte: the commit itself fails, and is rolled back.
    kiosk.driven.core.set_disk_reserve(0);
    let events_before = kiosk.driven.core.store().last_seq().unwrap();
    let wal = rusqlite::Connection::open(&db).unwrap();
    let busy: i64 = wal
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(busy, 0, "the WAL was emptied, so the next commit needs new room");
    drop(wal);
    disk.fill();
    assert_eq!(disk.free(), 0);
    assert_eq!(kiosk.buy(), Screen::OutOfOrder);
    assert_eq!(kiosk.sales(), 1, "nothing half-written");
    assert_eq!(kiosk.driven.core.store().last_seq().unwrap(), events_before);
    assert_eq!(kiosk.sim.lock_history(), [true, false, true]);
    assert_eq!(kiosk.wait(31).screen, Screen::OutOfOrder, "still full");

    disk.make_room();
    assert_eq!(kiosk.wait(31).screen, Screen::Idle);
    assert_eq!(kiosk.buy(), Screen::Done);
    assert_eq!(kiosk.sales(), 2);
    assert!(!kiosk.sim.is_locked());
    assert_sound(&db);
}
