//! A kiosk whose clock cannot be trusted, through real sync: a real hub on port 0 and a kiosk's
//! core on a temp file, its clock three days behind and unsynchronised (a Pi back from a power cut
//! with no network). The hub places the kiosk's marked sale with the clock offset it measures at
//! the push, so reports count it on the day it happened; once the clock is trusted, nothing more
//! is marked.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use congelo::clock::{Clock, ManualClock, local_date};
use congelo::clock_trust::ManualSync;
use congelo::domain::Seq;
use congelo::domain::clock_trust::Synchronised;
use congelo::domain::event::{Event, EventBody};
use congelo::domain::product::Locale;
use congelo::domain::sale::PaymentMethod;
use congelo::hub::store::ReportStore;
use congelo::kiosk::core::{Action, Input, KioskCore};
use congelo::kiosk::terminal::SimulatedBehaviour;
use congelo::kiosk::view::{Screen, View};
use congelo::store::KioskStore;
use congelo::sync::{SyncHandle, SyncOptions};

use crate::common::hub::{TestHub, enrolled_kiosk, fast_tempdir, wait_synced};
use crate::common::kiosk_core::core_on;
use crate::hub_reports::ask;

const THREE_DAYS: chrono::Duration = chrono::Duration::days(3);

struct Freezer {
    core: KioskCore,
    clock: Arc<ManualClock>,
    queue: Arc<Mutex<VecDeque<Input>>>,
}

impl Freezer {
    fn send(&mut self, input: Input) -> View {
        let mut view = self.core.handle(input);
        while let Some(next) = self.queue.lock().unwrap().pop_front() {
            view = self.core.handle(next);
        }
        view
    }

    /// One pack of the first product, paid in cash; returns the sale's event.
    fn sell_one(&mut self) -> Event {
        self.clock.advance(Duration::from_millis(1_100));
        let pack = congelo::demo::gtin_of(0).as_display();
        assert_eq!(self.send(Input::Scan(pack)).screen, Screen::Cart);
        self.send(Input::Action(Action::Pay));
        self.send(Input::Action(Action::ChooseMethod(PaymentMethod::Cash)));
        let done = self.send(Input::Action(Action::ConfirmPayment));
        assert_eq!(done.screen, Screen::Done);
        self.clock.advance(Duration::from_secs(30));
        assert_eq!(self.send(Input::Tick).screen, Screen::Idle);
        let store = self.core.store();
        let last = store.last_seq().unwrap();
        let event = store.events_after(Seq(last.0 - 1), 1).unwrap().remove(0);
        assert!(matches!(event.body, EventBody::Sale(_)), "{event:?}");
        event
    }
}

/// Pushes everything the kiosk holds, reporting `clock` as its clock.
fn push_all(path: &Path, clock: Arc<ManualClock>) {
    let options = SyncOptions {
        interval: Duration::from_secs(3600),
        ..SyncOptions::default()
    };
    let handle = SyncHandle::start_with_clock(path.to_owned(), options, clock).expect("sync");
    let store = KioskStore::open(path).expect("kiosk db");
    wait_synced(&handle, &store, Duration::from_secs(120));
}

/// Sales the hub's report counts between two local days, inclusive.
fn hub_sales(hub: &TestHub, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    let period = format!("{}..{}", local_date(from), local_date(to));
    hub.store
        .sales_report(&ask(&period, "kiosk"), Locale::FrCa)
        .expect("report")
        .totals
        .sales
}

#[test]
fn a_sale_made_under_a_clock_three_days_behind_is_reported_on_the_day_it_happened() {
    let hub = TestHub::start();
    let dir = fast_tempdir();
    let path = dir.path().join("kiosk.db");
    let (_, code) = hub.add_kiosk("Kiosque sans horloge");
    enrolled_kiosk(&path, &hub.url, &code);

    // Back from a power cut with no network: three days behind, not synchronised.
    let started = Utc::now();
    let clock = Arc::new(ManualClock::new(started - THREE_DAYS));
    let driven = core_on(
        KioskStore::open(&path).expect("kiosk db"),
        clock.clone(),
        SimulatedBehaviour::Approve,
    );
    let mut freezer = Freezer {
        core: driven.core,
        clock: driven.clock,
        queue: driven.queue,
    };
    let sync = Arc::new(ManualSync::new(Synchronised::No));
    freezer
        .core
        .watch_clock(sync.clone(), started - chrono::Duration::days(30));

    let doubted = freezer.sell_one();
    assert!(doubted.clock.is_some(), "marked: {doubted:?}");
    push_all(&path, clock.clone());

    // On the hub, the sale is where it happened (today, give or take the test's own minutes
    // around midnight), not three days back where the kiosk's clock put it.
    let claimed = doubted.at;
    let now = Utc::now();
    assert_eq!(
        hub_sales(&hub, started - chrono::Duration::days(1), now),
        1,
        "placed on the day it happened"
    );
    assert_eq!(
        hub_sales(&hub, claimed, claimed),
        0,
        "nothing on the day the kiosk's clock claimed"
    );

    // NTP answers: the clock jumps to the true time and is trusted; the next sale is not marked
    // and stays where the kiosk put it.
    sync.set(Synchronised::Yes);
    clock.set_wall(Utc::now());
    let trusted = freezer.sell_one();
    assert_eq!(trusted.clock, None);
    push_all(&path, clock.clone());
    assert_eq!(
        hub_sales(&hub, started - chrono::Duration::days(1), clock.now()),
        2
    );
    assert_eq!(hub_sales(&hub, claimed, claimed), 0);
}
