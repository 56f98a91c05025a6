use std::collections::BTreeMap;

use chrono::DateTime;
use proptest::prelude::*;
use rstest::rstest;

use super::*;
use crate::domain::event::{AlarmKind, StaffAction, StaffEvent};
use crate::domain::ids::{EventId, KioskId, MovementId, SaleId, Seq, StaffId};
use crate::domain::pricing::{PricedLine, Totals};
use crate::domain::product::{Locale, TaxRate};
use crate::domain::sale::{Buyer, LotTake, Payment};
use crate::domain::stock::LossReason;

const CARD: CardHash = CardHash([7; 32]);

fn priced(product: i64, quantity: u32, full: i64, charged: i64) -> PricedLine {
    PricedLine {
        product: ProductId(product),
        quantity,
        full_unit: Money::from_cents(full),
        charged_unit: Money::from_cents(charged),
        unit_weight_g: 500,
        tax: Money::ZERO,
        scanned_lots: vec![],
    }
}

/// A sale that keeps every rule: lines priced, totals summed, paid by `method`.
fn sale_of(lines: &[PricedLine], method: PaymentMethod) -> Sale {
    let totals = Totals::of(lines);
    let sale_lines = lines
        .iter()
        .map(|l| {
            let mut line = SaleLine::from_priced(l);
            line.lots = vec![LotTake {
                lot: Some("L2611A".into()),
                quantity: l.quantity,
            }];
            line
        })
        .collect();
    Sale {
        id: SaleId(uuid::Uuid::nil()),
        kiosk: KioskId(1),
        at: DateTime::UNIX_EPOCH,
        buyer: Some(Buyer {
            card: CARD,
            household: HouseholdId(3),
        }),
        tier: TierId(1),
        lines: sale_lines,
        totals,
        payment: Payment::settle(method, totals.due),
        config_version: Some(4),
    }
}

fn good_sale() -> Sale {
    sale_of(
        &[priced(1, 2, 425, 128), priced(2, 1, 399, 120)],
        PaymentMethod::Cash,
    )
}

fn product(id: i64, cents: i64) -> Product {
    Product {
        id: ProductId(id),
        internal_code: None,
        barcodes: vec![],
        names: BTreeMap::from([(Locale::FrCa, format!("Produit {id}"))]),
        pictogram: "carrot".into(),
        net_weight_g: 500,
        full_price: Money::from_cents(cents),
        tax_rate: TaxRate::ZERO_RATED,
        active: true,
        photo: None,
    }
}

fn reference() -> Reference {
    let tier = Tier {
        id: TierId(1),
        label: "30 %".into(),
        percent: 30,
        overrides: vec![],
        caps: vec![],
        is_default: false,
    };
    Reference {
        products: HashMap::from([
            (ProductId(1), product(1, 425)),
            (ProductId(2), product(2, 399)),
        ]),
        tiers: HashMap::from([(TierId(1), tier)]),
        cards: HashMap::from([(CARD, HouseholdId(3))]),
    }
}

fn event(body: EventBody) -> Event {
    Event {
        id: EventId(uuid::Uuid::nil()),
        kiosk: KioskId(1),
        seq: Seq(1),
        at: DateTime::UNIX_EPOCH,
        clock: None,
        body,
    }
}

fn code_of(sale: Sale) -> Result<(), &'static str> {
    check_event(&event(EventBody::Sale(sale)), &reference()).map_err(|r| r.code())
}

#[test]
fn a_sale_priced_by_the_rules_passes() {
    assert_eq!(code_of(good_sale()), Ok(()));
    let prepaid = sale_of(&[priced(1, 3, 425, 128)], PaymentMethod::Prepaid);
    assert_eq!(code_of(prepaid), Ok(()));
    let mut without_lots = good_sale();
    without_lots.lines[0].lots.clear();
    assert_eq!(code_of(without_lots), Ok(()));
}

/// One way a hostile or broken kiosk can bend a sale, and the reason the hub gives.
type Bend = fn(&mut Sale);

#[rstest]
#[case::no_lines(|s: &mut Sale| s.lines.clear(), "line_count")]
#[case::quantity_zero(|s: &mut Sale| { s.lines[0].quantity = 0; s.lines[0].lots[0].quantity = 0 }, "quantity_out_of_range")]
#[case::quantity_huge(|s: &mut Sale| s.lines[0].quantity = MAX_LINE_QUANTITY + 1, "quantity_out_of_range")]
#[case::negative_full_price(|s: &mut Sale| s.lines[0].full_unit = Money::from_cents(-1), "amount_out_of_range")]
#[case::negative_charged_price(|s: &mut Sale| s.lines[0].charged_unit = Money::from_cents(-100), "amount_out_of_range")]
#[case::huge_price(|s: &mut Sale| s.lines[0].full_unit = Money::from_cents(6_000_000_000_000_000_000), "amount_out_of_range")]
#[case::charged_above_full(|s: &mut Sale| s.lines[0].charged_unit = Money::from_cents(426), "charged_above_full")]
#[case::huge_weight(|s: &mut Sale| s.lines[0].unit_weight_g = u32::MAX, "weight_out_of_range")]
#[case::negative_tax(|s: &mut Sale| s.lines[0].tax = Money::from_cents(-1), "tax_out_of_range")]
#[case::lots_short(|s: &mut Sale| s.lines[0].lots[0].quantity = 1, "lots_do_not_add_up")]
#[case::lots_zero(|s: &mut Sale| s.lines[0].lots.push(LotTake { lot: None, quantity: 0 }), "lots_do_not_add_up")]
#[case::lot_too_long(|s: &mut Sale| s.lines[0].lots[0].lot = Some("L".repeat(21)), "bad_lot_code")]
#[case::lot_control(|s: &mut Sale| s.lines[0].lots[0].lot = Some("L\u{1d}1".into()), "bad_lot_code")]
#[case::full_total(|s: &mut Sale| s.totals.full = Money::from_cents(1), "totals_do_not_add_up")]
#[case::paid_total(|s: &mut Sale| s.totals.paid = Money::from_cents(-100_000), "totals_do_not_add_up")]
#[case::subsidy(|s: &mut Sale| s.totals.subsidy = Money::from_cents(0), "totals_do_not_add_up")]
#[case::items(|s: &mut Sale| s.totals.items = 99, "totals_do_not_add_up")]
#[case::weight_max(|s: &mut Sale| s.totals.net_weight_g = u64::MAX, "totals_do_not_add_up")]
#[case::due(|s: &mut Sale| s.totals.due = Money::from_cents(0), "totals_do_not_add_up")]
#[case::cash_not_rounded(|s: &mut Sale| { s.payment.amount = s.totals.due; s.payment.cash_rounding = Money::ZERO }, "payment_does_not_settle")]
#[case::underpaid(|s: &mut Sale| s.payment.amount = Money::from_cents(5), "payment_does_not_settle")]
#[case::rounding_lies(|s: &mut Sale| s.payment.cash_rounding = Money::from_cents(2), "payment_does_not_settle")]
#[case::negative_payment(|s: &mut Sale| { s.payment.method = PaymentMethod::Prepaid; s.payment.amount = Money::from_cents(-100_000); }, "payment_does_not_settle")]
#[case::prepaid_without_card(|s: &mut Sale| { s.payment = Payment::settle(PaymentMethod::Prepaid, s.totals.due); s.buyer = None }, "account_without_buyer")]
#[case::pay_later_without_card(|s: &mut Sale| { s.payment = Payment::settle(PaymentMethod::PayLater, s.totals.due); s.buyer = None }, "account_without_buyer")]
#[case::long_reference(|s: &mut Sale| s.payment.reference = Some("x".repeat(65)), "bad_text")]
#[case::unknown_product(|s: &mut Sale| s.lines[1].product = ProductId(99), "unknown_product")]
#[case::unknown_tier(|s: &mut Sale| s.tier = TierId(42), "unknown_tier")]
#[case::unknown_card(|s: &mut Sale| s.buyer = Some(Buyer { card: CardHash([9; 32]), household: HouseholdId(3) }), "unknown_card")]
#[case::year_262142(|s: &mut Sale| s.at = DateTime::<chrono::Utc>::MAX_UTC, "time_out_of_range")]
#[case::card_of_another(|s: &mut Sale| s.buyer = Some(Buyer { card: CARD, household: HouseholdId(4) }), "card_of_another_household")]
fn a_bent_sale_is_rejected_with_its_reason(#[case] bend: Bend, #[case] code: &str) {
    let mut sale = good_sale();
    bend(&mut sale);
    assert_eq!(code_of(sale), Err(code));
}

#[test]
fn two_lines_that_overflow_together_are_rejected() {
    let mut sale = good_sale();
    for line in &mut sale.lines {
        line.full_unit = Money::from_cents(MAX_INPUT_CENTS);
        line.charged_unit = Money::from_cents(MAX_INPUT_CENTS);
        line.quantity = MAX_LINE_QUANTITY;
        line.lots[0].quantity = MAX_LINE_QUANTITY;
    }
    assert_eq!(code_of(sale), Err("sale_too_large"));
}

fn movement(change: StockChange, product: i64) -> Event {
    event(EventBody::Stock(StockMovement {
        id: MovementId(uuid::Uuid::nil()),
        kiosk: KioskId(1),
        product: ProductId(product),
        lot: None,
        at: DateTime::UNIX_EPOCH,
        change,
        by: None,
    }))
}

#[rstest]
#[case(StockChange::Restock { quantity: 12 }, 1, Ok(()))]
#[case(StockChange::Count { level: 0 }, 1, Ok(()))]
#[case(StockChange::Restock { quantity: 0 }, 1, Err("quantity_out_of_range"))]
#[case(StockChange::Loss { quantity: u32::MAX, reason: LossReason::Thawed }, 1, Err("quantity_out_of_range"))]
#[case(StockChange::Count { level: -5 }, 1, Err("count_out_of_range"))]
#[case(StockChange::Count { level: i64::MAX }, 1, Err("count_out_of_range"))]
#[case(StockChange::Restock { quantity: 1 }, 77, Err("unknown_product"))]
fn stock_movements_are_bounded(
    #[case] change: StockChange,
    #[case] product: i64,
    #[case] expected: Result<(), &str>,
) {
    let result = check_event(&movement(change, product), &reference()).map_err(|r| r.code());
    assert_eq!(result, expected);
}

#[rstest]
#[case(Some(-20_000), 3, Ok(()))]
#[case(Some(i32::MIN), 0, Err("bad_alarm"))]
#[case(None, MAX_ALARM_LOTS + 1, Err("bad_alarm"))]
fn alarms_are_bounded(
    #[case] peak: Option<i32>,
    #[case] lots: usize,
    #[case] expected: Result<(), &str>,
) {
    let alarm = event(EventBody::Alarm(Alarm {
        kind: AlarmKind::ColdChain,
        raised: true,
        at: DateTime::UNIX_EPOCH,
        lots: vec!["L1".into(); lots],
        peak_millicelsius: peak,
    }));
    let result = check_event(&alarm, &reference()).map_err(|r| r.code());
    assert_eq!(result, expected);
}

#[test]
fn voids_and_staff_events_keep_to_their_texts() {
    let void = |reason: String| {
        event(EventBody::SaleVoid(SaleVoid {
            sale: SaleId(uuid::Uuid::nil()),
            at: DateTime::UNIX_EPOCH,
            reason,
        }))
    };
    assert!(check_event(&void("erreur de saisie".into()), &reference()).is_ok());
    assert_eq!(
        check_event(&void("x".repeat(201)), &reference()).map_err(|r| r.code()),
        Err("bad_text")
    );
    let staff = event(EventBody::Staff(StaffEvent {
        staff: StaffId(1),
        action: StaffAction::SignedIn,
        at: DateTime::UNIX_EPOCH,
    }));
    assert!(check_event(&staff, &reference()).is_ok());
}

#[test]
fn a_price_list_newer_than_the_kiosks_is_a_mismatch_not_a_rejection() {
    let mut known = reference();
    known.products.insert(ProductId(1), product(1, 450));
    let sale = good_sale();
    assert_eq!(code_of(sale.clone()), Ok(()));
    let mismatches = price_mismatches(&sale, &known);
    assert_eq!(mismatches.len(), 1);
    assert_eq!(mismatches[0].line, 1);
    assert_eq!(mismatches[0].hub_full_unit, Money::from_cents(450));
    assert_eq!(mismatches[0].hub_charged_unit, Money::from_cents(135));
    assert!(price_mismatches(&sale, &reference()).is_empty());
}

proptest! {
    /// Any sale a kiosk prices by the rules passes, whatever its lines and payment.
    #[test]
    fn sales_priced_by_the_rules_pass(
        lines in prop::collection::vec((1u32..=MAX_LINE_QUANTITY, 0i64..100_000, 0u32..=100), 1..MAX_LINES),
        method in prop::sample::select(PaymentMethod::ALL.to_vec()),
    ) {
        let priced: Vec<PricedLine> = lines
            .iter()
            .map(|&(quantity, full, pct)| {
                priced(1, quantity, full, Money::from_cents(full).percent(pct).cents())
            })
            .collect();
        prop_assert_eq!(check_sale(&sale_of(&priced, method)), Ok(()));
    }

    /// Changing any total by any amount is caught.
    #[test]
    fn any_bent_total_is_caught(delta in prop::num::i64::ANY.prop_filter("not zero", |d| *d != 0), which in 0usize..5) {
        let mut sale = good_sale();
        let bend = |m: &mut Money| *m = Money::from_cents(m.cents().wrapping_add(delta));
        match which {
            0 => bend(&mut sale.totals.full),
            1 => bend(&mut sale.totals.paid),
            2 => bend(&mut sale.totals.subsidy),
            3 => bend(&mut sale.totals.due),
            _ => bend(&mut sale.payment.amount),
        }
        prop_assert!(check_sale(&sale).is_err());
    }
}
