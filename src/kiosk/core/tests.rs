//! The resident's flow, driven input by input without a screen.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};

use super::*;
use crate::clock::ManualClock;
use crate::demo;
use crate::domain::Money;
use crate::domain::household::CardRefusal;
use crate::domain::sale::PaymentMethod;
use crate::kiosk::feedback::RecordedFeedback;
use crate::kiosk::terminal::{SimulatedBehaviour, SimulatedTerminal};
use crate::kiosk::view::TerminalPhase;

mod clock;
mod forgiving;
mod recall;
mod space;

struct Harness {
    core: KioskCore,
    clock: Arc<ManualClock>,
    queue: Arc<Mutex<VecDeque<Input>>>,
    feedback: RecordedFeedback,
    _dir: tempfile::TempDir,
}

fn harness_with(terminal: SimulatedBehaviour) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let store = demo::create_kiosk_database(&dir.path().join("kiosk.db"), Utc::now()).unwrap();
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 28, 15, 0, 0).unwrap(),
    ));
    let queue: Arc<Mutex<VecDeque<Input>>> = Arc::default();
    let reply_queue = queue.clone();
    let feedback = RecordedFeedback::default();
    let core = KioskCore::new(CoreParts {
        store,
        clock: clock.clone(),
        terminal: Box::new(SimulatedTerminal::new(terminal, Duration::ZERO)),
        terminal_reply: Arc::new(move |attempt, outcome| {
            reply_queue
                .lock()
                .unwrap()
                .push_back(Input::Terminal { attempt, outcome })
        }),
        feedback: Box::new(feedback.clone()),
        timings: Timings::default(),
        default_language: "fr-CA".into(),
        services: Box::new(NoServices),
        hub_url: None,
    });
    Harness {
        core,
        clock,
        queue,
        feedback,
        _dir: dir,
    }
}

fn harness() -> Harness {
    harness_with(SimulatedBehaviour::Approve)
}

impl Harness {
    fn send(&mut self, input: Input) -> View {
        let mut view = self.core.handle(input);
        while let Some(next) = self.queue.lock().unwrap().pop_front() {
            view = self.core.handle(next);
        }
        view
    }

    fn scan(&mut self, code: &str) -> View {
        // Identical scans within a second count once: let a second pass between scans.
        self.clock.advance(Duration::from_millis(1_100));
        self.send(Input::Scan(code.into()))
    }

    fn tap(&mut self, action: Action) -> View {
        self.send(Input::Action(action))
    }

    fn wait(&mut self, seconds: u64) -> View {
        self.clock.advance(Duration::from_secs(seconds));
        self.send(Input::Tick)
    }
}

fn pack(index: usize) -> String {
    demo::gtin_of(index).as_display()
}

fn card(household: usize) -> String {
    demo::households()[household - 1].card.encode()
}

#[test]
fn a_visit_without_card_paid_in_cash() {
    let mut h = harness();
    let view = h.scan(&pack(0));
    assert_eq!(view.screen, Screen::Cart);
    assert_eq!(view.lines[0].quantity, 1);
    h.scan(&pack(0));
    let view = h.scan(&pack(1));
    assert_eq!((view.lines.len(), view.items), (2, 3));
    // 2 × 3,50 + 4,25 at full price
    assert_eq!(view.total, Money::from_cents(1125));
    let view = h.tap(Action::Pay);
    assert_eq!(view.screen, Screen::PaymentChoice);
    assert_eq!(
        view.methods,
        [PaymentMethod::Cash, PaymentMethod::CardTerminal]
    );
    let view = h.tap(Action::ChooseMethod(PaymentMethod::Cash));
    assert_eq!(
        (view.screen, view.cash_total),
        (Screen::Cash, Money::from_cents(1125))
    );
    let view = h.tap(Action::ConfirmPayment);
    assert_eq!(view.screen, Screen::Done);
    assert_eq!(h.core.store().sale_count().unwrap(), 1);
    assert!(h.feedback.take().contains(&Feedback::Done));
    let view = h.wait(9);
    assert_eq!((view.screen, view.items), (Screen::Idle, 0));
}

#[test]
fn a_card_sets_the_price_without_saying_the_tier() {
    let mut h = harness();
    let view = h.scan(&card(1));
    assert_eq!(view.screen, Screen::CardAccepted);
    assert!(view.has_card);
    let view = h.scan(&pack(0));
    // 30 % of 3,50
    assert_eq!(view.lines[0].unit_price, Money::from_cents(105));
    let view = h.tap(Action::Pay);
    assert_eq!(
        view.methods,
        [
            PaymentMethod::Cash,
            PaymentMethod::Prepaid,
            PaymentMethod::CardTerminal
        ]
    );
    let view = h.tap(Action::ChooseMethod(PaymentMethod::Prepaid));
    assert_eq!(view.balance_after, Some(Money::from_cents(2500 - 105)));
    assert_eq!(h.tap(Action::ConfirmPayment).screen, Screen::Done);
    let sale = h
        .core
        .store()
        .events_after(crate::domain::Seq(20), 10)
        .unwrap();
    assert_eq!(sale.len(), 1);
}

#[test]
fn refused_cards_explain_and_offer_full_price() {
    let mut h = harness();
    assert_eq!(
        h.scan(&card(4)).screen,
        Screen::CardRefused(CardRefusal::Expired)
    );
    assert_eq!(
        h.scan(&card(5)).screen,
        Screen::CardRefused(CardRefusal::Revoked)
    );
    let unknown = crate::entropy::new_payload(crate::domain::codes::PayloadKind::Card)
        .unwrap()
        .encode();
    assert_eq!(
        h.scan(&unknown).screen,
        Screen::CardRefused(CardRefusal::Unknown)
    );
    let view = h.tap(Action::BuyAtFullPrice);
    assert_eq!((view.screen, view.has_card), (Screen::Cart, false));
    assert_eq!(h.scan(&pack(0)).lines[0].unit_price, Money::from_cents(350));
}

#[test]
fn a_cap_stops_the_pack_that_would_exceed_it() {
    let mut h = harness();
    h.scan(&card(3)); // three packs a week
    for _ in 0..3 {
        h.scan(&pack(0));
    }
    let view = h.scan(&pack(1));
    assert_eq!(view.screen, Screen::CapReached);
    // The three packs in the cart count: nothing more this week.
    assert_eq!(
        view.cap_left,
        Some(crate::kiosk::view::CapLeft {
            period: crate::domain::caps::CapPeriod::Week,
            room: crate::kiosk::view::CapRoom::Items(0),
        })
    );
    let view = h.tap(Action::Dismiss);
    assert_eq!((view.screen, view.items), (Screen::Cart, 3));
}

#[test]
fn unknown_codes_show_a_notice_that_returns_by_itself() {
    let mut h = harness();
    let view = h.scan("4006381333931"); // a valid EAN-13 of no product here
    assert_eq!(view.screen, Screen::UnknownCode);
    assert_eq!(h.feedback.take(), [Feedback::Unknown]);
    assert_eq!(h.scan("not a code").screen, Screen::UnknownCode);
    // Long enough for a slow reader, then back by itself.
    assert_eq!(h.wait(6).screen, Screen::UnknownCode);
    assert_eq!(h.wait(3).screen, Screen::Idle);
}

#[test]
fn identical_scans_within_a_second_count_once() {
    let mut h = harness();
    h.scan(&pack(0));
    let view = h.send(Input::Scan(pack(0)));
    assert_eq!(view.items, 1);
}

#[test]
fn scans_during_payment_are_ignored_gently() {
    let mut h = harness();
    h.scan(&pack(0));
    h.tap(Action::Pay);
    h.feedback.take();
    let view = h.scan(&pack(1));
    assert_eq!((view.screen, view.items), (Screen::PaymentChoice, 1));
    assert_eq!(h.feedback.take(), [Feedback::Ignored]);
}

#[test]
fn a_scan_after_done_starts_a_new_cart() {
    let mut h = harness();
    h.scan(&pack(0));
    h.tap(Action::Pay);
    h.tap(Action::ChooseMethod(PaymentMethod::Cash));
    h.tap(Action::ConfirmPayment);
    let view = h.scan(&pack(2));
    assert_eq!((view.screen, view.items), (Screen::Cart, 1));
    assert_eq!(view.lines[0].product, crate::domain::ProductId(3));
}

#[test]
fn inactivity_asks_then_empties_the_cart() {
    let mut h = harness();
    h.scan(&pack(0));
    let view = h.wait(61);
    assert_eq!(view.screen, Screen::StillThere);
    assert_eq!(view.countdown, 20);
    assert_eq!(h.tap(Action::StillHere).screen, Screen::Cart);
    h.wait(61);
    let view = h.wait(21);
    assert_eq!((view.screen, view.items), (Screen::Idle, 0));
}

#[test]
fn the_card_terminal_approves_declines_and_times_out() {
    let mut h = harness();
    h.scan(&pack(0));
    h.tap(Action::Pay);
    assert_eq!(
        h.tap(Action::ChooseMethod(PaymentMethod::CardTerminal))
            .screen,
        Screen::Done
    );

    let mut h = harness_with(SimulatedBehaviour::Decline);
    h.scan(&pack(0));
    h.tap(Action::Pay);
    let view = h.tap(Action::ChooseMethod(PaymentMethod::CardTerminal));
    assert_eq!(view.screen, Screen::Terminal(TerminalPhase::Declined));
    assert_eq!(h.tap(Action::Back).screen, Screen::PaymentChoice);

    let mut h = harness_with(SimulatedBehaviour::NoAnswer);
    h.scan(&pack(0));
    h.tap(Action::Pay);
    assert_eq!(
        h.tap(Action::ChooseMethod(PaymentMethod::CardTerminal))
            .screen,
        Screen::Terminal(TerminalPhase::Waiting)
    );
    assert_eq!(h.wait(91).screen, Screen::Terminal(TerminalPhase::TimedOut));
    // A late approval of the abandoned attempt changes nothing.
    let view = h.send(Input::Terminal {
        attempt: 1,
        outcome: crate::kiosk::terminal::TerminalOutcome::Approved {
            reference: "late".into(),
        },
    });
    assert_eq!(view.screen, Screen::Terminal(TerminalPhase::TimedOut));
    assert_eq!(h.core.store().sale_count().unwrap(), 0);
}

#[test]
fn pay_later_stays_within_the_limit() {
    let mut h = harness();
    h.scan(&card(2)); // 60 %, may owe up to 15,00 $
    h.scan(&pack(16)); // 6,99 → 4,19
    let view = h.tap(Action::Pay);
    assert!(view.methods.contains(&PaymentMethod::PayLater));
    let view = h.tap(Action::ChooseMethod(PaymentMethod::PayLater));
    assert_eq!(view.owed_after, Some(Money::from_cents(419)));
    h.tap(Action::ConfirmPayment);
    // Three more such visits would pass the limit: the fourth no longer offers pay-later.
    for _ in 0..2 {
        h.scan(&card(2));
        h.scan(&pack(16));
        h.tap(Action::Pay);
        h.tap(Action::ChooseMethod(PaymentMethod::PayLater));
        assert_eq!(h.tap(Action::ConfirmPayment).screen, Screen::Done);
    }
    h.scan(&card(2));
    h.scan(&pack(16));
    let view = h.tap(Action::Pay);
    assert!(
        !view.methods.contains(&PaymentMethod::PayLater),
        "{:?}",
        view.methods
    );
}

#[test]
fn the_grid_lists_stocked_products_and_adds_by_picture() {
    let mut h = harness();
    let view = h.tap(Action::OpenGrid);
    assert_eq!((view.screen, view.grid.len()), (Screen::Grid, 20));
    let view = h.tap(Action::AddProduct(view.grid[4].product));
    assert_eq!((view.screen, view.items), (Screen::Cart, 1));
}

#[test]
fn languages_change_names_and_reset_after_the_visit() {
    let mut h = harness();
    h.tap(Action::SetLanguage("es".into()));
    let view = h.scan(&pack(0));
    assert_eq!(view.lines[0].name, "Zanahorias en rodajas");
    assert_eq!(view.language, "es");
    h.tap(Action::SetLanguage("klingon".into()));
    assert_eq!(h.core.view().language, "es");
    let view = h.tap(Action::CancelAll);
    assert_eq!(view.language, "fr-CA");
}

#[test]
fn a_kiosk_without_configuration_is_out_of_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::store::KioskStore::open(&dir.path().join("empty.db")).unwrap();
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let mut core = KioskCore::new(CoreParts {
        store,
        clock,
        terminal: Box::new(SimulatedTerminal::new(
            SimulatedBehaviour::Approve,
            Duration::ZERO,
        )),
        terminal_reply: Arc::new(|_, _| {}),
        feedback: Box::new(RecordedFeedback::default()),
        timings: Timings::default(),
        default_language: "fr-CA".into(),
        services: Box::new(NoServices),
        hub_url: None,
    });
    let view = core.handle(Input::Scan(pack(0)));
    assert_eq!(view.screen, Screen::OutOfOrder);
    assert_eq!(view.out_of_order, Some(OutOfOrderReason::NotConfigured));
}

#[test]
fn a_sale_that_cannot_be_recorded_puts_the_kiosk_out_of_order_until_it_can() {
    let mut h = harness();
    h.scan(&pack(0));
    h.tap(Action::Pay);
    h.tap(Action::ChooseMethod(PaymentMethod::Cash));
    h.core.store().refuse_writes();
    let view = h.tap(Action::ConfirmPayment);
    assert_eq!(view.screen, Screen::OutOfOrder);
    assert_eq!(view.out_of_order, Some(OutOfOrderReason::CannotRecord));
    assert_eq!(h.core.store().sale_count().unwrap(), 0);
    // Scans and taps are refused while out of order.
    assert_eq!(h.scan(&pack(1)).screen, Screen::OutOfOrder);
    assert_eq!(h.wait(31).screen, Screen::OutOfOrder);
    h.core.store().accept_writes();
    assert_eq!(h.wait(31).screen, Screen::Idle);
}

mod staff {
    use super::*;
    use crate::domain::event::{EventBody, StaffAction};
    use crate::domain::stock::{LossReason, StockChange};
    use crate::kiosk::view::{StaffNotice, StaffScreen};

    fn badge(index: usize) -> (String, &'static str) {
        let badge = &demo::badges()[index];
        (badge.payload.encode(), badge.pin)
    }

    fn signed_in() -> Harness {
        let mut h = harness();
        let (code, pin) = badge(0);
        assert_eq!(h.scan(&code).screen, Screen::Staff(StaffScreen::Pin));
        assert_eq!(
            h.tap(Action::SubmitPin(pin.into())).screen,
            Screen::Staff(StaffScreen::Menu)
        );
        h
    }

    fn staff_events(h: &Harness) -> Vec<StaffAction> {
        h.core
            .store()
            .events_after(crate::domain::Seq(0), 1000)
            .unwrap()
            .into_iter()
            .filter_map(|e| match e.body {
                EventBody::Staff(s) => Some(s.action),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn badge_and_pin_open_staff_mode_and_leaving_is_one_tap() {
        let mut h = signed_in();
        let view = h.tap(Action::StaffLeave);
        assert_eq!((view.screen, view.staff), (Screen::Idle, None));
        assert_eq!(
            staff_events(&h),
            [StaffAction::SignedIn, StaffAction::SignedOut]
        );
    }

    #[test]
    fn five_wrong_pins_lock_the_badge_for_five_minutes() {
        let mut h = harness();
        let (code, pin) = badge(0);
        h.scan(&code);
        for left in (1..5).rev() {
            let view = h.tap(Action::SubmitPin("0000".into()));
            let staff = view.staff.unwrap();
            assert_eq!(
                (staff.notice, staff.pin_failures_left),
                (Some(StaffNotice::WrongPin), left)
            );
        }
        let view = h.tap(Action::SubmitPin("0000".into()));
        assert!(view.staff.unwrap().locked_until.is_some());
        // Even the right PIN is refused while locked, and leaving and coming back changes nothing.
        assert_eq!(
            h.tap(Action::SubmitPin(pin.into())).screen,
            Screen::Staff(StaffScreen::Pin)
        );
        h.tap(Action::StaffLeave);
        h.scan(&code);
        assert_eq!(
            h.tap(Action::SubmitPin(pin.into())).screen,
            Screen::Staff(StaffScreen::Pin)
        );
        h.clock.advance(Duration::from_secs(5 * 60));
        assert_eq!(
            h.tap(Action::SubmitPin(pin.into())).screen,
            Screen::Staff(StaffScreen::Menu)
        );
        assert!(staff_events(&h).contains(&StaffAction::LockedOut));
    }

    #[test]
    fn a_badge_is_refused_while_a_resident_has_a_cart() {
        let mut h = harness();
        h.scan(&pack(0));
        let (code, _) = badge(0);
        let view = h.scan(&code);
        assert_eq!((view.screen, view.items), (Screen::Cart, 1));
    }

    #[test]
    fn restock_with_and_without_a_gs1_label() {
        let mut h = signed_in();
        h.tap(Action::StaffOpen(StaffScreen::Restock));
        // A collective label: product, lot and best-before from the code.
        let label = format!("(01){}(10)L2612-01(15)271130", demo::gtin_of(4).as_gtin14());
        let view = h.scan(&label);
        let staff = view.staff.unwrap();
        assert_eq!(staff.lot.as_deref(), Some("L2612-01"));
        assert_eq!(
            staff.best_before,
            chrono::NaiveDate::from_ymd_opt(2027, 11, 30)
        );
        h.tap(Action::StaffQuantity(1));
        h.tap(Action::StaffQuantity(1));
        let view = h.tap(Action::StaffConfirm);
        assert_eq!(view.staff.unwrap().notice, Some(StaffNotice::Saved));
        let product = crate::domain::ProductId(5);
        assert_eq!(h.core.store().stock_level(product).unwrap(), 12 + 3);
        // By picture, with a best-before set by months.
        h.tap(Action::StaffPick(product));
        let view = h.tap(Action::StaffBestBefore(-2));
        assert_eq!(
            view.staff.unwrap().best_before,
            chrono::NaiveDate::from_ymd_opt(2027, 9, 28)
        );
        h.tap(Action::StaffConfirm);
        assert_eq!(h.core.store().stock_level(product).unwrap(), 16);
        let lots: Vec<Option<String>> = h
            .core
            .store()
            .product_lots(product)
            .unwrap()
            .into_iter()
            .map(|l| l.lot)
            .collect();
        assert!(
            lots.contains(&Some("BB-2027-09".into())) && lots.contains(&Some("L2612-01".into())),
            "{lots:?}"
        );
    }

    #[test]
    fn count_sets_the_level_and_loss_needs_a_reason() {
        let mut h = signed_in();
        let product = crate::domain::ProductId(1);
        h.tap(Action::StaffOpen(StaffScreen::Count));
        let view = h.tap(Action::StaffPick(product));
        assert_eq!(
            (
                view.staff.as_ref().unwrap().quantity,
                view.staff.unwrap().book_level
            ),
            (12, Some(12))
        );
        for _ in 0..3 {
            h.tap(Action::StaffQuantity(-1));
        }
        h.tap(Action::StaffConfirm);
        assert_eq!(h.core.store().stock_level(product).unwrap(), 9);

        h.tap(Action::StaffOpen(StaffScreen::Loss));
        h.tap(Action::StaffPick(product));
        h.tap(Action::StaffQuantity(1));
        let view = h.tap(Action::StaffConfirm);
        assert_eq!(view.staff.unwrap().notice, None, "no reason, nothing saved");
        h.tap(Action::StaffReason(LossReason::Thawed));
        h.tap(Action::StaffConfirm);
        assert_eq!(h.core.store().stock_level(product).unwrap(), 7);
        let by_staff = h
            .core
            .store()
            .events_after(crate::domain::Seq(0), 1000)
            .unwrap()
            .into_iter()
            .filter_map(|e| match e.body {
                EventBody::Stock(m) if m.by == Some(crate::domain::StaffId(1)) => Some(m.change),
                _ => None,
            })
            .collect::<Vec<_>>();
        assert!(
            by_staff
                .iter()
                .any(|c| matches!(c, StockChange::Count { level: 9 }))
        );
        assert!(by_staff.iter().any(|c| matches!(
            c,
            StockChange::Loss {
                quantity: 2,
                reason: LossReason::Thawed
            }
        )));
    }

    #[test]
    fn views_list_levels_lots_and_close_after_inactivity() {
        let mut h = signed_in();
        let view = h.tap(Action::StaffOpen(StaffScreen::Levels));
        assert_eq!(view.staff.unwrap().levels.len(), 20);
        let view = h.tap(Action::StaffOpen(StaffScreen::Lots));
        let lots = view.staff.unwrap().lots;
        assert_eq!(lots.len(), 20);
        assert!(lots.iter().all(|l| l.first_out));
        let view = h.wait(121);
        assert_eq!((view.screen, view.staff), (Screen::Idle, None));
    }

    #[test]
    fn enrolment_without_a_hub_address_says_so() {
        let mut h = signed_in();
        h.tap(Action::StaffOpen(StaffScreen::Enrol));
        let code = crate::entropy::new_payload(crate::domain::codes::PayloadKind::Enrolment)
            .unwrap()
            .encode();
        let view = h.scan(&code);
        assert_eq!(view.staff.unwrap().notice, Some(StaffNotice::NoHubAddress));
    }
}

mod voice;
