//! A kiosk whose clock goes back after a power cut keeps selling, marks what it writes, and
//! counts caps and best-before dates from the last time it trusted its clock.

use chrono::{DateTime, Datelike, Days, Local, NaiveTime, TimeZone};

use super::*;
use crate::clock_trust::ManualSync;
use crate::domain::clock_trust::{ClockDoubt, ClockMark, Synchronised};
use crate::domain::event::EventBody;

/// Ten in the morning, local time, on the Monday at least a week after the demo data was written.
fn a_monday_ahead() -> DateTime<Utc> {
    let mut day = Local::now().date_naive() + Days::new(7);
    while day.weekday() != chrono::Weekday::Mon {
        day = day + Days::new(1);
    }
    let ten = day.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap());
    Local
        .from_local_datetime(&ten)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

impl Harness {
    /// Household 3 (three packs a week) buys `packs` packs of the first product in cash.
    fn capped_household_buys(&mut self, packs: usize) {
        assert_eq!(self.scan(&card(3)).screen, Screen::CardAccepted);
        for _ in 0..packs {
            assert_eq!(self.scan(&pack(0)).screen, Screen::Cart);
        }
        self.pay_cash();
    }

    fn pay_cash(&mut self) {
        self.tap(Action::Pay);
        self.tap(Action::ChooseMethod(PaymentMethod::Cash));
        assert_eq!(self.tap(Action::ConfirmPayment).screen, Screen::Done);
        assert_eq!(self.wait(30).screen, Screen::Idle);
    }

    fn last_event(&self) -> crate::domain::event::Event {
        let store = self.core.store();
        let last = store.last_seq().unwrap();
        store
            .events_after(Seq(last.0 - 1), 1)
            .unwrap()
            .pop()
            .unwrap()
    }
}

#[test]
fn a_clock_set_back_by_a_power_cut_marks_events_and_dates_count_from_the_last_trusted_time() {
    let mut h = harness();
    let monday = a_monday_ahead();
    h.clock.set_wall(monday);
    let sync = Arc::new(ManualSync::new(Synchronised::Yes));
    h.core
        .watch_clock(sync.clone(), monday - chrono::Duration::days(30));

    // Monday, clock trusted: the capped household takes its three packs of the week.
    h.capped_household_buys(3);
    let trusted_sale = h.last_event();
    assert!(matches!(trusted_sale.body, EventBody::Sale(_)));
    assert_eq!(trusted_sale.clock, None);

    // A power cut; the board comes back with no network and its clock resumed on Saturday,
    // last week.
    sync.set(Synchronised::No);
    let saturday = monday - chrono::Duration::days(2);
    h.clock.set_wall(saturday);
    h.send(Input::Tick);
    assert_eq!(
        h.core.today(),
        crate::clock::local_date(monday),
        "dates count from the last trusted day, not the clock's"
    );
    assert!(h.core.today() > crate::clock::local_date(saturday));

    // Last week's cap would let three more packs through; this week's is used up.
    assert_eq!(h.scan(&card(3)).screen, Screen::CardAccepted);
    assert_eq!(h.scan(&pack(0)).screen, Screen::CapReached);
    h.tap(Action::Dismiss);
    h.tap(Action::CancelAll);
    assert_eq!(h.wait(60).screen, Screen::Idle);

    // The kiosk keeps selling, and marks the sale with the clock's own reading.
    h.scan(&pack(1));
    h.pay_cash();
    let doubted = h.last_event();
    let EventBody::Sale(sale) = &doubted.body else {
        panic!("a sale: {doubted:?}")
    };
    assert!(sale.at < monday, "the claimed time is the clock's");
    let mark = doubted.clock.expect("a marked sale");
    assert_eq!(mark.doubt, ClockDoubt::BeforeLastTrusted);
    assert!(mark.last_trusted.is_some_and(|t| t >= trusted_sale.at));
    assert_eq!(
        crate::clock::local_date(mark.counted_at(sale.at)),
        crate::clock::local_date(monday)
    );
    // After a restart, the last trusted time is read back from the unmarked events only.
    assert_eq!(
        h.core.store().last_trusted_event_at().unwrap(),
        Some(trusted_sale.at)
    );

    // NTP answers: the clock jumps to the true time and is trusted again; nothing is marked.
    sync.set(Synchronised::Yes);
    h.clock.set_wall(monday + chrono::Duration::hours(1));
    h.scan(&pack(1));
    h.pay_cash();
    assert_eq!(h.last_event().clock, None);
}

#[test]
fn a_clock_before_the_build_is_doubted_even_when_the_system_cannot_tell() {
    let mut h = harness();
    h.clock.set_wall(DateTime::UNIX_EPOCH);
    h.core.watch_clock(
        Arc::new(crate::clock_trust::UnknownSync),
        crate::clock_trust::built_at().max(DateTime::UNIX_EPOCH + chrono::Duration::days(1)),
    );
    h.scan(&pack(0));
    h.pay_cash();
    assert_eq!(
        h.last_event().clock.map(|m: ClockMark| m.doubt),
        Some(ClockDoubt::BeforeBuild)
    );
}
