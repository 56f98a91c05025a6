//! Limits belong to the household, not to a freezer: a real hub and two real kiosks (the resident's
//! flow driven through `KioskCore`, sync through the real worker). What a household takes at one
//! freezer counts at the other once the first has pushed and the second has pulled.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use congelo::clock::ManualClock;
use congelo::domain::caps::{Cap, CapLimit, CapPeriod};
use congelo::domain::codes::{Payload, PayloadKind};
use congelo::domain::sale::PaymentMethod;
use congelo::domain::{HouseholdId, Money};
use congelo::hub::store::{CatalogueStore, HouseholdStore};
use congelo::hub::store::{HouseholdFields, NewHousehold};
use congelo::kiosk::core::{Action, Input, KioskCore};
use congelo::kiosk::terminal::SimulatedBehaviour;
use congelo::kiosk::view::{Screen, View};
use congelo::store::KioskStore;
use congelo::sync::{SyncHandle, SyncOptions};

use crate::common::hub::{TestHub, cli, enrolled_kiosk, fast_tempdir, wait_synced};
use crate::common::kiosk_core::core_on;
use crate::common::wait::wait_until;

/// A kiosk's core on its own database, driven input by input as the window would.
struct Freezer {
    core: KioskCore,
    clock: Arc<ManualClock>,
    queue: Arc<Mutex<VecDeque<Input>>>,
}

impl Freezer {
    fn open(path: &Path) -> Freezer {
        let store = KioskStore::open(path).expect("kiosk db");
        let clock = Arc::new(ManualClock::new(Utc::now()));
        let driven = core_on(store, clock, SimulatedBehaviour::Approve);
        Freezer {
            core: driven.core,
            clock: driven.clock,
            queue: driven.queue,
        }
    }

    fn send(&mut self, input: Input) -> View {
        let mut view = self.core.handle(input);
        while let Some(next) = self.queue.lock().unwrap().pop_front() {
            view = self.core.handle(next);
        }
        view
    }

    fn scan(&mut self, code: &str) -> View {
        self.clock.advance(Duration::from_millis(1_100));
        self.send(Input::Scan(code.into()))
    }

    fn tap(&mut self, action: Action) -> View {
        self.send(Input::Action(action))
    }

    /// Card, `packs` packs of the first product, paid with `method`.
    fn buy(&mut self, card: &Payload, packs: usize, method: PaymentMethod) {
        assert_eq!(self.scan(&card.encode()).screen, Screen::CardAccepted);
        for _ in 0..packs {
            assert_eq!(self.scan(&pack()).screen, Screen::Cart);
        }
        assert_eq!(self.tap(Action::Pay).screen, Screen::PaymentChoice);
        self.tap(Action::ChooseMethod(method));
        assert_eq!(self.tap(Action::ConfirmPayment).screen, Screen::Done);
        self.clock.advance(Duration::from_secs(30));
        assert_eq!(self.send(Input::Tick).screen, Screen::Idle);
    }
}

fn pack() -> String {
    congelo::demo::gtin_of(0).as_display()
}

fn household(hub: &TestHub, caps: Vec<Cap>, balance: Option<Money>) -> (HouseholdId, Payload) {
    let card = congelo::entropy::new_payload(PayloadKind::Card).expect("card");
    let tier = hub
        .store
        .catalogue_tiers()
        .expect("tiers")
        .into_iter()
        .find(|t| t.tier.percent == 30)
        .expect("30 % tier")
        .tier
        .id;
    let id = hub
        .store
        .create_household(
            &NewHousehold {
                fields: HouseholdFields {
                    caps,
                    ..HouseholdFields::active(tier)
                },
                balance,
                pay_later_limit: None,
                cards: vec![card.hash()],
            },
            &cli("household.create"),
        )
        .expect("household");
    (id, card)
}

fn options() -> SyncOptions {
    SyncOptions {
        interval: Duration::from_secs(3600),
        ..SyncOptions::default()
    }
}

/// Runs sync rounds at the kiosk until `ready` holds on its database (the ceiling is a failure
/// bound for a loaded machine, not a timing).
fn sync_until(path: &Path, ready: impl Fn(&KioskStore) -> bool) {
    let handle = SyncHandle::start(path.to_owned(), options()).expect("sync worker");
    let store = KioskStore::open(path).expect("kiosk db");
    let got_there = wait_until(Duration::from_secs(120), || {
        let done = ready(&store);
        if !done {
            handle.sync_now();
        }
        done
    });
    assert!(
        got_there,
        "the kiosk never got there: {:?}",
        handle.status().borrow()
    );
    wait_synced(&handle, &store, Duration::from_secs(120));
}

#[test]
fn a_cap_and_a_prepaid_balance_hold_across_two_freezers() {
    let hub = TestHub::start();
    let week_of_three = Cap {
        period: CapPeriod::Week,
        limit: CapLimit::Items(3),
    };
    let (capped, capped_card) = household(&hub, vec![week_of_three], None);
    // 30 % of 3,50 $ is 1,05 $: three packs leave 0,50 $, not enough for a fourth.
    let (prepaid, prepaid_card) = household(&hub, vec![], Some(Money::from_cents(365)));
    let dir = fast_tempdir();
    let paths: Vec<_> = ["Kiosque A", "Kiosque B"]
        .iter()
        .enumerate()
        .map(|(n, name)| {
            let path = dir.path().join(format!("kiosk-{n}.db"));
            let (_, code) = hub.add_kiosk(name);
            enrolled_kiosk(&path, &hub.url, &code);
            path
        })
        .collect();

    let mut a = Freezer::open(&paths[0]);
    a.buy(&capped_card, 3, PaymentMethod::Cash);
    a.buy(&prepaid_card, 3, PaymentMethod::Prepaid);
    drop(a);
    sync_until(&paths[0], |store| store.pending_count().unwrap() == 0);

    // B pulls what the hub recorded: three packs this week, 0,50 $ left.
    let this_week = Utc::now() - chrono::Duration::days(8);
    sync_until(&paths[1], |store| {
        let bought: u32 = store
            .household_purchases(capped, this_week)
            .unwrap()
            .iter()
            .map(|p| p.items)
            .sum();
        let balance = store
            .card(&prepaid_card.hash())
            .unwrap()
            .and_then(|found| found.household.balance);
        bought == 3 && balance == Some(Money::from_cents(50))
    });
    let mut b = Freezer::open(&paths[1]);
    assert_eq!(b.scan(&capped_card.encode()).screen, Screen::CardAccepted);
    let refused = b.scan(&pack());
    assert_eq!(
        refused.screen,
        Screen::CapReached,
        "the fourth pack of the week"
    );
    assert_eq!(refused.items, 0);
    b.tap(Action::CancelAll);

    assert_eq!(b.scan(&prepaid_card.encode()).screen, Screen::CardAccepted);
    b.scan(&pack());
    let choice = b.tap(Action::Pay);
    assert_eq!(choice.screen, Screen::PaymentChoice);
    assert!(
        !choice.methods.contains(&PaymentMethod::Prepaid),
        "0,50 $ left cannot pay 1,05 $: {:?}",
        choice.methods
    );
    let _ = prepaid;
}
