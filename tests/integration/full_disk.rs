//! Full disks, for real: a kiosk and a hub whose databases live on a small tmpfs that the test
//! fills. The kiosk refuses the sale before anyone pays, the door stays locked, nothing is
//! half-written, and it sells again by itself once room is made; the hub answers pushes with a
//! 503 and a `Retry-After`, its database stays sound, and the kiosk catches up when room returns;
//! its web pages answer a form with a 503 page saying nothing was saved. (Needs root to mount; see
//! `common::small_disk`.)

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
    assert_eq!(
        busy, 0,
        "the WAL was emptied, so the next commit needs new room"
    );
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

/// Empties `db`'s WAL into the database file so that the next commit needs new room on the disk.
fn empty_wal(db: &std::path::Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let emptied = crate::common::wait::wait_until(Duration::from_secs(30), || {
        let busy: i64 = conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
            .unwrap();
        busy == 0
    });
    assert!(emptied, "the WAL of {} stayed busy", db.display());
}

#[test]
fn a_hub_on_a_full_disk_answers_503_and_the_kiosk_catches_up_when_room_returns() {
    use congelo::domain::sync::{ApiErrorCode, PushRequest};
    use congelo::domain::sync_plan::BackoffPolicy;
    use congelo::hub::SqliteHubStore;
    use congelo::hub::store::KioskApiStore;
    use congelo::sync::client::{ClientOptions, HubClient};
    use congelo::sync::{SyncError, SyncHandle, SyncOptions};

    use crate::common::hub::{
        Served, add_kiosk, enrolled_kiosk, fast_tempdir, hub_totals, kiosk_totals, record_sales,
        seed, test_state, wait_synced,
    };

    let Some(disk) = SmallDisk::mount(24 * MIB) else {
        return;
    };
    let hub_db = disk.path().join("hub.db");
    let hub = Arc::new(SqliteHubStore::open(&hub_db).unwrap());
    let seeded = seed(hub.as_ref());
    let served = Served::start(
        test_state(
            hub.clone(),
            Default::default(),
            Arc::new(congelo::clock::SystemClock::default()),
        ),
        congelo::hub::server::ServeLimits::default(),
    );
    let url = format!("http://{}", served.addr);
    let (_, code) = add_kiosk(hub.as_ref(), seeded.site, "Kiosque du sous-sol");
    let kiosk_dir = fast_tempdir();
    let kiosk_db = kiosk_dir.path().join("kiosk.db");
    let kiosk = enrolled_kiosk(&kiosk_db, &url, &code);
    let mut store = KioskStore::open(&kiosk_db).unwrap();
    record_sales(&mut store, 300, 14, &seeded.cards);

    empty_wal(&hub_db);
    disk.fill();

    // A push as the kiosk's client sends it: refused with the code, the advice and no internals.
    let credentials = store.hub_credentials().unwrap().unwrap();
    let push = PushRequest {
        health: congelo::sync::health::current(
            &store,
            std::time::Instant::now(),
            chrono::Utc::now(),
        )
        .unwrap(),
        events: store.events_after(Seq(0), 200).unwrap(),
    };
    let client = HubClient::new(ClientOptions::default()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let refused = runtime.block_on(client.push(&credentials, kiosk, &push));
    match refused {
        Err(SyncError::Hub {
            status,
            body,
            retry_after,
        }) => {
            assert_eq!(status, 503);
            assert_eq!(body.error, ApiErrorCode::StorageFull);
            assert!(body.message.contains("disk is full"), "{}", body.message);
            assert!(!body.message.contains("hub.db"), "{}", body.message);
            assert_eq!(retry_after, Some(Duration::from_secs(30)));
        }
        other => panic!("expected a 503, got {other:?}"),
    }
    assert_eq!(hub.event_count(kiosk).unwrap(), 0, "nothing stored");

    // The worker keeps trying (its cap shortens the hub's 30 s), and catches up once room is made.
    let options = SyncOptions {
        interval: Duration::from_secs(3600),
        batch: 100,
        backoff: BackoffPolicy {
            base: Duration::from_millis(20),
            cap: Duration::from_millis(300),
        },
        client: ClientOptions::default(),
    };
    let handle = SyncHandle::start(kiosk_db.clone(), options).unwrap();
    let told = crate::common::wait::wait_until(Duration::from_secs(60), || {
        handle
            .status()
            .borrow()
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("503"))
    });
    assert!(told, "{:?}", handle.status().borrow());
    assert_eq!(hub.event_count(kiosk).unwrap(), 0);
    hub.integrity_check().unwrap();

    disk.make_room();
    wait_synced(&handle, &store, Duration::from_secs(120));
    drop(handle);
    let last = store.last_seq().unwrap();
    assert_eq!(hub.event_count(kiosk).unwrap(), last.0);
    assert_eq!(hub_totals(hub.as_ref(), kiosk), kiosk_totals(&store, kiosk));
    hub.integrity_check().unwrap();
    drop(served);
}

#[test]
fn the_hubs_web_pages_on_a_full_disk_answer_503_and_save_nothing() {
    use congelo::hub::web::WebSettings;

    use crate::common::web::WebHub;

    let Some(disk) = SmallDisk::mount(24 * MIB) else {
        return;
    };
    let hub = WebHub::start_on(disk.path().join("hub.db"), WebSettings::default());
    let sources = |hub: &WebHub| -> i64 {
        hub.sql()
            .query_row("SELECT count(*) FROM sources", [], |r| r.get(0))
            .unwrap()
    };
    let mut staff = hub.logged_in("staff-a");
    let token = staff.get("/intakes").csrf();
    let farm = [
        ("csrf", token.as_str()),
        ("name", "Ferme des Anses"),
        ("kind", "farm"),
    ];

    empty_wal(&hub.db);
    disk.fill();
    let refused = staff.post("/sources", &farm);
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(refused.header("retry-after"), Some("30"));
    assert!(
        refused
            .body
            .contains("Le disque du hub est plein : rien n’a été enregistré."),
        "{}",
        refused.body
    );
    assert!(!refused.body.contains("hub.db"), "{}", refused.body);

    disk.make_room();
    assert_eq!(sources(&hub), 0, "nothing was saved");
    let saved = staff.post("/sources", &farm);
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        sources(&hub),
        1,
        "the same form goes through once room is made"
    );
}
