//! A disk short of room: the sale is refused at "pay", before any money, the attract screen goes
//! out of order by itself, and selling resumes once the room is back. (A real small filesystem is
//! in `tests/integration/full_disk.rs`; here the reserve is moved instead of the disk.)

use super::*;
use crate::kiosk::view::OutOfOrderReason;

#[test]
fn pay_is_refused_before_any_money_when_the_disk_is_short_of_room() {
    let mut h = harness();
    h.scan(&pack(0));
    h.core.set_disk_reserve(u64::MAX);
    let view = h.tap(Action::Pay);
    assert_eq!(view.screen, Screen::OutOfOrder);
    assert_eq!(view.out_of_order, Some(OutOfOrderReason::CannotRecord));
    assert_eq!(h.core.store().sale_count().unwrap(), 0);
    // Still short: the probe keeps it out of order.
    assert_eq!(h.wait(31).screen, Screen::OutOfOrder);
    h.core.set_disk_reserve(0);
    assert_eq!(h.wait(31).screen, Screen::Idle);
    h.scan(&pack(0));
    h.tap(Action::Pay);
    h.tap(Action::ChooseMethod(PaymentMethod::Cash));
    assert_eq!(h.tap(Action::ConfirmPayment).screen, Screen::Done);
    assert_eq!(h.core.store().sale_count().unwrap(), 1);
}

#[test]
fn the_attract_screen_goes_out_of_order_by_itself_when_the_disk_fills() {
    let mut h = harness();
    assert_eq!(h.wait(31).screen, Screen::Idle);
    h.core.set_disk_reserve(u64::MAX);
    assert_eq!(h.wait(31).screen, Screen::OutOfOrder);
    assert_eq!(h.scan(&pack(0)).screen, Screen::OutOfOrder);
    h.core.set_disk_reserve(DEFAULT_RESERVE_BYTES);
    assert_eq!(h.wait(31).screen, Screen::Idle);
}
