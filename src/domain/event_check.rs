//! The rules every pushed event is checked against before it may touch balances, stock or reports.
//!
//! The hub trusts rules, not kiosks: a kiosk token proves which freezer speaks, not that what it
//! says adds up. An event that breaks a rule is still stored (its seq keeps the kiosk's log whole and
//! a re-send stays harmless) but quarantined: kept out of every projection and shown to admins with
//! the [`Rejection`] this module gives.
//!
//! The bounds make overflow impossible downstream: a sale is at most [`MAX_SALE_CENTS`] and
//! [`MAX_SALE_WEIGHT_G`], so a billion sales sum within an `i64` (checked at compile time below),
//! and every sum here is computed with checked arithmetic. What the hub knows (its catalogue, tiers
//! and cards) comes in as a [`Reference`], so the checks stay pure.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Utc};
use thiserror::Error;

use super::cart::{MAX_LINE_QUANTITY, MAX_LINES};
use super::event::{Alarm, Event, EventBody};
use super::household::CardHash;
use super::ids::{HouseholdId, ProductId, TierId};
use super::money::{MAX_INPUT_CENTS, Money};
use super::product::{MAX_NET_WEIGHT_G, Product};
use super::sale::{PaymentMethod, Sale, SaleLine, SaleVoid};
use super::stock::{StockChange, StockMovement};
use super::tier::Tier;

/// The largest sale the hub accepts, at full price: 10 000 000 $.
pub const MAX_SALE_CENTS: i64 = 1_000_000_000;
/// The heaviest sale the hub accepts: 1 000 tonnes.
pub const MAX_SALE_WEIGHT_G: u64 = 1_000_000_000;
/// How many sales the bounds above must be able to sum without overflowing an `i64`.
pub const SUMMABLE_SALES: i64 = 1_000_000_000;
const _: () = assert!(MAX_SALE_CENTS.checked_mul(SUMMABLE_SALES).is_some());
const _: () = assert!(
    (MAX_SALE_WEIGHT_G as i64)
        .checked_mul(SUMMABLE_SALES)
        .is_some()
);

/// A GS1 lot code (AI 10) has at most 20 characters.
pub const MAX_LOT_CHARS: usize = 20;
/// A card terminal's authorisation reference.
pub const MAX_REFERENCE_CHARS: usize = 64;
/// A void's reason, typed by staff.
pub const MAX_REASON_CHARS: usize = 200;
/// The most packs a stock count may find: far above any chest freezer.
pub const MAX_COUNTED_LEVEL: i64 = 100_000;
/// Lots named by one alarm.
pub const MAX_ALARM_LOTS: usize = 1_000;
/// A probe reading, in thousandths of a degree: ±150 °C is beyond any DS18B20.
pub const MAX_ABS_MILLICELSIUS: i32 = 150_000;

/// Why an event is quarantined. [`Rejection::code`] is stable for machines; the message is for
/// the admin reading the fleet page.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Rejection {
    #[error("a sale has between 1 and {MAX_LINES} lines, this one has {0}")]
    LineCount(usize),
    #[error("line {line}: a quantity is between 1 and {MAX_LINE_QUANTITY}, not {quantity}")]
    Quantity { line: usize, quantity: u32 },
    #[error("line {line}: {what} must be between 0 and {max} cents, not {cents}")]
    UnitAmount {
        line: usize,
        what: &'static str,
        cents: i64,
        max: i64,
    },
    #[error("line {line}: the charged price {charged} is above the full price {full}")]
    ChargedAboveFull {
        line: usize,
        charged: i64,
        full: i64,
    },
    #[error("line {line}: a pack weighs between 0 and {MAX_NET_WEIGHT_G} g, not {grams}")]
    Weight { line: usize, grams: u32 },
    #[error("line {line}: the tax {tax} is outside 0..={paid} (the line's paid amount)")]
    Tax { line: usize, tax: i64, paid: i64 },
    #[error("line {line}: its lots hold {lots} packs but the line has {quantity}")]
    LotsDoNotAddUp {
        line: usize,
        lots: u64,
        quantity: u32,
    },
    #[error("a lot code has 1 to {MAX_LOT_CHARS} printable characters")]
    LotCode,
    #[error("the totals' {what} is {stated} but the lines add up to {computed}")]
    Totals {
        what: &'static str,
        stated: i64,
        computed: i64,
    },
    #[error("a sale is at most {MAX_SALE_CENTS} cents and {MAX_SALE_WEIGHT_G} g")]
    SaleTooLarge,
    #[error(
        "the payment of {amount} cents does not settle {due} cents by {method} (rounding {rounding})"
    )]
    Payment {
        method: &'static str,
        amount: i64,
        due: i64,
        rounding: i64,
    },
    #[error("a {0} payment needs a household card")]
    AccountWithoutBuyer(&'static str),
    #[error("a text field is too long or holds control characters")]
    Text,
    #[error("product {0} is not in the hub's catalogue")]
    UnknownProduct(ProductId),
    #[error("tier {0} does not exist on the hub")]
    UnknownTier(TierId),
    #[error("the card is not one the hub issued")]
    UnknownCard,
    #[error("the card belongs to household {card_of}, not to household {named}")]
    CardOfAnotherHousehold {
        card_of: HouseholdId,
        named: HouseholdId,
    },
    #[error("a stock movement moves between 1 and {MAX_LINE_QUANTITY} packs, not {0}")]
    MovementQuantity(u32),
    #[error("a count finds between 0 and {MAX_COUNTED_LEVEL} packs, not {0}")]
    CountedLevel(i64),
    #[error("an alarm names at most {MAX_ALARM_LOTS} lots and a temperature within ±150 °C")]
    Alarm,
    #[error("a time is between 1970 and 2199, not {0}")]
    Time(DateTime<Utc>),
}

impl Rejection {
    /// The machine-readable reason, stored with the quarantined event and sent back to the kiosk.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::LineCount(_) => "line_count",
            Rejection::Quantity { .. } => "quantity_out_of_range",
            Rejection::UnitAmount { .. } => "amount_out_of_range",
            Rejection::ChargedAboveFull { .. } => "charged_above_full",
            Rejection::Weight { .. } => "weight_out_of_range",
            Rejection::Tax { .. } => "tax_out_of_range",
            Rejection::LotsDoNotAddUp { .. } => "lots_do_not_add_up",
            Rejection::LotCode => "bad_lot_code",
            Rejection::Totals { .. } => "totals_do_not_add_up",
            Rejection::SaleTooLarge => "sale_too_large",
            Rejection::Payment { .. } => "payment_does_not_settle",
            Rejection::AccountWithoutBuyer(_) => "account_without_buyer",
            Rejection::Text => "bad_text",
            Rejection::UnknownProduct(_) => "unknown_product",
            Rejection::UnknownTier(_) => "unknown_tier",
            Rejection::UnknownCard => "unknown_card",
            Rejection::CardOfAnotherHousehold { .. } => "card_of_another_household",
            Rejection::MovementQuantity(_) => "quantity_out_of_range",
            Rejection::CountedLevel(_) => "count_out_of_range",
            Rejection::Alarm => "bad_alarm",
            Rejection::Time(_) => "time_out_of_range",
        }
    }
}

/// What the hub knows that a pushed event refers to: its catalogue, tiers and the cards the
/// events name.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    pub products: HashMap<ProductId, Product>,
    pub tiers: HashMap<TierId, Tier>,
    /// The household of each card the hub knows among those the events name.
    pub cards: HashMap<CardHash, HouseholdId>,
}

impl Reference {
    /// The card hashes a batch names, for the caller to look up.
    pub fn cards_named(events: &[Event]) -> HashSet<CardHash> {
        events
            .iter()
            .filter_map(|e| match &e.body {
                EventBody::Sale(sale) => sale.buyer.map(|b| b.card),
                _ => None,
            })
            .collect()
    }
}

/// Checks one event against the rules and what the hub knows.
pub fn check_event(event: &Event, known: &Reference) -> Result<(), Rejection> {
    check_time(event.at)?;
    if let Some(last) = event.clock.and_then(|mark| mark.last_trusted) {
        check_time(last)?;
    }
    match &event.body {
        EventBody::Sale(sale) => {
            check_time(sale.at)?;
            check_sale(sale)?;
            check_sale_references(sale, known)
        }
        EventBody::SaleVoid(void) => {
            check_time(void.at)?;
            check_void(void)
        }
        EventBody::Stock(movement) => {
            check_time(movement.at)?;
            check_movement(movement, known)
        }
        EventBody::Alarm(alarm) => {
            check_time(alarm.at)?;
            check_alarm(alarm)
        }
        EventBody::Staff(staff) => check_time(staff.at),
    }
}

/// A Pi without a battery clock may boot in 1970 and its sales are real: they are kept (the hub
/// flags the clock). Far beyond that a time only breaks date arithmetic and reports.
fn check_time(at: DateTime<Utc>) -> Result<(), Rejection> {
    let year = at.year();
    if (1970..2200).contains(&year) {
        Ok(())
    } else {
        Err(Rejection::Time(at))
    }
}

/// The rules a sale keeps on its own: bounded lines, totals that add up, a payment that settles it.
pub fn check_sale(sale: &Sale) -> Result<(), Rejection> {
    if sale.lines.is_empty() || sale.lines.len() > MAX_LINES {
        return Err(Rejection::LineCount(sale.lines.len()));
    }
    let mut sums = Sums::default();
    for (index, line) in sale.lines.iter().enumerate() {
        check_line(index + 1, line)?;
        sums.add(line).ok_or(Rejection::SaleTooLarge)?;
    }
    check_totals(sale, &sums)?;
    check_payment(sale)
}

fn check_line(line_no: usize, line: &SaleLine) -> Result<(), Rejection> {
    if !(1..=MAX_LINE_QUANTITY).contains(&line.quantity) {
        return Err(Rejection::Quantity {
            line: line_no,
            quantity: line.quantity,
        });
    }
    let unit = |what, amount: Money| {
        if (0..=MAX_INPUT_CENTS).contains(&amount.cents()) {
            Ok(())
        } else {
            Err(Rejection::UnitAmount {
                line: line_no,
                what,
                cents: amount.cents(),
                max: MAX_INPUT_CENTS,
            })
        }
    };
    unit("the full unit price", line.full_unit)?;
    unit("the charged unit price", line.charged_unit)?;
    if line.charged_unit > line.full_unit {
        return Err(Rejection::ChargedAboveFull {
            line: line_no,
            charged: line.charged_unit.cents(),
            full: line.full_unit.cents(),
        });
    }
    if line.unit_weight_g > MAX_NET_WEIGHT_G {
        return Err(Rejection::Weight {
            line: line_no,
            grams: line.unit_weight_g,
        });
    }
    // Bounded above: unit ≤ MAX_INPUT_CENTS and quantity ≤ MAX_LINE_QUANTITY cannot overflow.
    let paid = line.paid();
    if line.tax.is_negative() || line.tax > paid {
        return Err(Rejection::Tax {
            line: line_no,
            tax: line.tax.cents(),
            paid: paid.cents(),
        });
    }
    check_lots(line_no, line)
}

/// A line names no lot (a sale built before the store assigned them) or lots that hold exactly
/// its packs.
fn check_lots(line_no: usize, line: &SaleLine) -> Result<(), Rejection> {
    if line.lots.is_empty() {
        return Ok(());
    }
    let mut packs: u64 = 0;
    for take in &line.lots {
        if take.quantity == 0 {
            return Err(Rejection::LotsDoNotAddUp {
                line: line_no,
                lots: 0,
                quantity: line.quantity,
            });
        }
        if let Some(lot) = &take.lot {
            check_lot_code(lot)?;
        }
        packs += u64::from(take.quantity);
    }
    if packs != u64::from(line.quantity) {
        return Err(Rejection::LotsDoNotAddUp {
            line: line_no,
            lots: packs,
            quantity: line.quantity,
        });
    }
    Ok(())
}

/// A lot code as the GS1 (10) may carry it: 1 to [`MAX_LOT_CHARS`] printable characters.
pub fn check_lot_code(lot: &str) -> Result<(), Rejection> {
    let chars = lot.chars().count();
    if chars == 0 || chars > MAX_LOT_CHARS || lot.chars().any(char::is_control) {
        return Err(Rejection::LotCode);
    }
    Ok(())
}

fn check_text(text: &str, max_chars: usize) -> Result<(), Rejection> {
    if text.chars().count() > max_chars || text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Rejection::Text);
    }
    Ok(())
}

/// What a sale's lines add up to, every sum checked.
#[derive(Default)]
struct Sums {
    full: i64,
    paid: i64,
    tax: i64,
    items: u32,
    weight_g: u64,
}

impl Sums {
    fn add(&mut self, line: &SaleLine) -> Option<()> {
        let full = line.full_unit.checked_times(line.quantity)?.cents();
        let paid = line.charged_unit.checked_times(line.quantity)?.cents();
        self.full = self.full.checked_add(full)?;
        self.paid = self.paid.checked_add(paid)?;
        self.tax = self.tax.checked_add(line.tax.cents())?;
        self.items = self.items.checked_add(line.quantity)?;
        let weight = u64::from(line.unit_weight_g).checked_mul(u64::from(line.quantity))?;
        self.weight_g = self.weight_g.checked_add(weight)?;
        (self.full <= MAX_SALE_CENTS && self.weight_g <= MAX_SALE_WEIGHT_G).then_some(())
    }
}

fn check_totals(sale: &Sale, sums: &Sums) -> Result<(), Rejection> {
    let t = &sale.totals;
    let weight = |grams: u64| i64::try_from(grams).unwrap_or(i64::MAX);
    let expected = [
        ("full", t.full.cents(), sums.full),
        ("paid", t.paid.cents(), sums.paid),
        ("subsidy", t.subsidy.cents(), sums.full - sums.paid),
        ("tax", t.tax.cents(), sums.tax),
        ("due", t.due.cents(), sums.paid + sums.tax),
        ("items", i64::from(t.items), i64::from(sums.items)),
        ("net weight", weight(t.net_weight_g), weight(sums.weight_g)),
    ];
    for (what, stated, computed) in expected {
        if stated != computed {
            return Err(Rejection::Totals {
                what,
                stated,
                computed,
            });
        }
    }
    Ok(())
}

fn check_payment(sale: &Sale) -> Result<(), Rejection> {
    let p = &sale.payment;
    let due = sale.totals.due;
    let expected = if p.method.rounds_to_nickel() {
        due.round_cash()
    } else {
        due
    };
    if p.amount != expected || p.cash_rounding != p.amount - due {
        return Err(Rejection::Payment {
            method: p.method.as_str(),
            amount: p.amount.cents(),
            due: due.cents(),
            rounding: p.cash_rounding.cents(),
        });
    }
    if let Some(reference) = &p.reference {
        check_text(reference, MAX_REFERENCE_CHARS)?;
    }
    let draws_on_account = matches!(p.method, PaymentMethod::Prepaid | PaymentMethod::PayLater);
    if draws_on_account && sale.buyer.is_none() {
        return Err(Rejection::AccountWithoutBuyer(p.method.as_str()));
    }
    Ok(())
}

fn check_sale_references(sale: &Sale, known: &Reference) -> Result<(), Rejection> {
    if !known.tiers.contains_key(&sale.tier) {
        return Err(Rejection::UnknownTier(sale.tier));
    }
    if let Some(line) = sale
        .lines
        .iter()
        .find(|l| !known.products.contains_key(&l.product))
    {
        return Err(Rejection::UnknownProduct(line.product));
    }
    if let Some(buyer) = sale.buyer {
        match known.cards.get(&buyer.card) {
            None => return Err(Rejection::UnknownCard),
            Some(&card_of) if card_of != buyer.household => {
                return Err(Rejection::CardOfAnotherHousehold {
                    card_of,
                    named: buyer.household,
                });
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn check_void(void: &SaleVoid) -> Result<(), Rejection> {
    check_text(&void.reason, MAX_REASON_CHARS)
}

fn check_movement(movement: &StockMovement, known: &Reference) -> Result<(), Rejection> {
    if !known.products.contains_key(&movement.product) {
        return Err(Rejection::UnknownProduct(movement.product));
    }
    if let Some(lot) = &movement.lot {
        check_lot_code(lot)?;
    }
    match movement.change {
        StockChange::Count { level } if !(0..=MAX_COUNTED_LEVEL).contains(&level) => {
            Err(Rejection::CountedLevel(level))
        }
        StockChange::Count { .. } => Ok(()),
        StockChange::Restock { quantity }
        | StockChange::Sale { quantity, .. }
        | StockChange::Loss { quantity, .. }
        | StockChange::TransferOut { quantity, .. }
        | StockChange::TransferIn { quantity, .. } => {
            if (1..=MAX_LINE_QUANTITY).contains(&quantity) {
                Ok(())
            } else {
                Err(Rejection::MovementQuantity(quantity))
            }
        }
    }
}

fn check_alarm(alarm: &Alarm) -> Result<(), Rejection> {
    let peak_ok = alarm
        .peak_millicelsius
        .is_none_or(|p| p.unsigned_abs() <= MAX_ABS_MILLICELSIUS.unsigned_abs());
    if alarm.lots.len() > MAX_ALARM_LOTS || !peak_ok {
        return Err(Rejection::Alarm);
    }
    alarm.lots.iter().try_for_each(|lot| check_lot_code(lot))
}

/// A line charged otherwise than the hub prices it now. Not a refusal: a kiosk that was offline
/// sells from the price list it last pulled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceMismatch {
    pub line: usize,
    pub product: ProductId,
    pub full_unit: Money,
    pub charged_unit: Money,
    pub hub_full_unit: Money,
    pub hub_charged_unit: Money,
}

/// The lines of `sale` whose full or charged unit price differs from the hub's catalogue and
/// tier. Products or tiers the hub does not know are rejections, not mismatches, and are skipped.
pub fn price_mismatches(sale: &Sale, known: &Reference) -> Vec<PriceMismatch> {
    let Some(tier) = known.tiers.get(&sale.tier) else {
        return vec![];
    };
    sale.lines
        .iter()
        .enumerate()
        .filter_map(|(index, line)| {
            let product = known.products.get(&line.product)?;
            let priced = super::pricing::price_line(product, tier, line.quantity, &[]);
            let same =
                priced.full_unit == line.full_unit && priced.charged_unit == line.charged_unit;
            (!same).then_some(PriceMismatch {
                line: index + 1,
                product: line.product,
                full_unit: line.full_unit,
                charged_unit: line.charged_unit,
                hub_full_unit: priced.full_unit,
                hub_charged_unit: priced.charged_unit,
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "event_check_tests.rs"]
mod tests;
