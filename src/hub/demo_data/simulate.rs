//! The simulated year: weekly restocks with lots, sales shaped by the seasons, write-offs and a
//! few alarms.

use std::collections::HashMap;
use std::io::Write;

use chrono::{
    DateTime, Datelike, Days, Duration, Local, Months, NaiveDate, TimeZone, Utc, Weekday,
};

use super::push::Pusher;
use super::{DemoError, DemoOptions, KIOSKS, LOT_WEEKS, Rng, SEASON, World};
use crate::domain::event::{Alarm, AlarmKind, EventBody};
use crate::domain::pricing::Totals;
use crate::domain::product::Product;
use crate::domain::sale::{Buyer, LotTake, Payment, PaymentMethod, Sale, SaleLine};
use crate::domain::stock::{LossReason, StockChange, StockMovement};
use crate::domain::{KioskId, Money, MovementId, SaleId};
use crate::hub::reports::LotDates;
use crate::hub::store::HubStore;

/// The packs of one lot still in one freezer.
struct Shelf {
    lot: String,
    week: usize,
    left: u32,
}

/// Weights of each (day, kiosk) cell; the sales are spread over them exactly.
fn day_weights(first: NaiveDate, days: usize) -> Vec<f64> {
    (0..days)
        .map(|d| {
            let day = first + Days::new(d as u64);
            let weekday = match day.weekday() {
                Weekday::Sun => 0.5,
                Weekday::Sat => 0.8,
                _ => 1.0,
            };
            SEASON[day.month0() as usize] * weekday
        })
        .collect()
}

fn local_time(day: NaiveDate, minutes: u32) -> DateTime<Utc> {
    let naive = day.and_hms_opt(0, 0, 0).expect("midnight") + Duration::minutes(i64::from(minutes));
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
}

/// Generates week after week: restocks on Monday morning (the week's demand and a few more), the
/// week's sales from that lot, write-offs of lots older than six weeks, a few alarms.
pub(super) fn simulate<S: HubStore>(
    world: &World,
    options: &DemoOptions,
    rng: &mut Rng,
    pusher: &mut Pusher<'_, S>,
    out: &mut dyn Write,
) -> Result<(u64, Vec<LotDates>), DemoError> {
    let first = (options.until - Months::new(options.months) + Days::new(1))
        .week(Weekday::Mon)
        .first_day();
    let days = (options.until - first).num_days() as usize + 1;
    let weights = day_weights(first, days);
    let kiosk_total: f64 = KIOSKS.iter().map(|k| k.2).sum();
    let grand: f64 = weights.iter().sum::<f64>() * kiosk_total;
    let mut expected = 0.0f64;
    let mut made = 0u64;
    let mut assigned = 0u64;
    let mut shelves: Vec<Vec<Vec<Shelf>>> = (0..world.kiosks.len())
        .map(|_| (0..world.products.len()).map(|_| Vec::new()).collect())
        .collect();
    let mut lots = Vec::new();
    for week in 0..days.div_ceil(7) {
        let monday = first + Days::new(7 * week as u64);
        for (p, product) in world.products.iter().enumerate() {
            let packed = monday - Days::new(30 + rng.below(330));
            lots.push(LotDates {
                product: product.id,
                lot: lot_code(monday, p),
                packed_on: Some(packed),
                best_before: packed + Days::new(365),
            });
        }
        for (k, kiosk) in world.kiosks.iter().enumerate() {
            let mut week_sales = Vec::new();
            for d in 0..7.min(days - 7 * week) {
                let cell = weights[7 * week + d] * KIOSKS[k].2 / grand * options.sales as f64;
                let last_cell = 7 * week + d + 1 == days && k + 1 == world.kiosks.len();
                let count = if last_cell {
                    // Floating-point sums may fall a sale short: the last cell takes the rest.
                    options.sales.saturating_sub(assigned)
                } else {
                    ((expected + cell).floor() - expected.floor()) as u64
                };
                expected += cell;
                assigned += count;
                for _ in 0..count {
                    week_sales.push(sale(world, k, monday + Days::new(d as u64), rng));
                }
            }
            made += week_sales.len() as u64;
            stock_week(
                world,
                k,
                *kiosk,
                monday,
                week,
                &mut shelves[k],
                &mut week_sales,
                pusher,
                rng,
            )?;
            week_sales.sort_by_key(|s| s.at);
            for sale in week_sales {
                pusher.push(k, *kiosk, sale.at, EventBody::Sale(sale), rng)?;
            }
            alarms(k, *kiosk, monday, week, pusher, rng)?;
        }
        if (week + 1).is_multiple_of(8) {
            writeln!(
                out,
                "  … week {} of {}, {made} sales",
                week + 1,
                days.div_ceil(7)
            )?;
        }
    }
    Ok((made, lots))
}

fn lot_code(monday: NaiveDate, product: usize) -> String {
    let week = monday.iso_week();
    format!(
        "L{:02}{:02}-{:02}",
        week.year() % 100,
        week.week(),
        product + 1
    )
}

/// Restocks the week's lot (its demand plus up to 3 packs, never more than an eighth of it), assigns the week's sales to it, writes
/// off lots that stayed six weeks.
#[allow(clippy::too_many_arguments)]
fn stock_week<S: HubStore>(
    world: &World,
    k: usize,
    kiosk: KioskId,
    monday: NaiveDate,
    week: usize,
    shelves: &mut [Vec<Shelf>],
    sales: &mut [Sale],
    pusher: &mut Pusher<'_, S>,
    rng: &mut Rng,
) -> Result<(), DemoError> {
    let morning = local_time(monday, 7 * 60);
    let mut demand: HashMap<usize, u32> = HashMap::new();
    for sale in sales.iter_mut() {
        for line in &mut sale.lines {
            let p = world
                .products
                .iter()
                .position(|x| x.id == line.product)
                .unwrap_or(0);
            *demand.entry(p).or_default() += line.quantity;
            line.lots = vec![LotTake {
                lot: Some(lot_code(monday, p)),
                quantity: line.quantity,
            }];
        }
    }
    for (p, product) in world.products.iter().enumerate() {
        let shelf = &mut shelves[p];
        while shelf.first().is_some_and(|s| week - s.week >= LOT_WEEKS) {
            let old = shelf.remove(0);
            if old.left > 0 {
                let change = StockChange::Loss {
                    quantity: old.left,
                    reason: LossReason::Expired,
                };
                pusher.push(
                    k,
                    kiosk,
                    morning,
                    movement(kiosk, product, &old.lot, morning, change, rng),
                    rng,
                )?;
            }
        }
        // A few packs more than the week sold, which expire unsold: at most one in eight, so a
        // small demo's losses stay a small share of what it distributes, as in a real freezer.
        let wanted = demand.get(&p).copied().unwrap_or(0);
        let extra = (rng.below(4) as u32).min(wanted / 8);
        let quantity = wanted + extra;
        if quantity == 0 {
            continue;
        }
        let lot = lot_code(monday, p);
        pusher.push(
            k,
            kiosk,
            morning,
            movement(
                kiosk,
                product,
                &lot,
                morning,
                StockChange::Restock { quantity },
                rng,
            ),
            rng,
        )?;
        shelf.push(Shelf {
            lot,
            week,
            left: extra,
        });
    }
    Ok(())
}

fn movement(
    kiosk: KioskId,
    product: &Product,
    lot: &str,
    at: DateTime<Utc>,
    change: StockChange,
    rng: &mut Rng,
) -> EventBody {
    EventBody::Stock(StockMovement {
        id: MovementId(rng.uuid_v7(at)),
        kiosk,
        product: product.id,
        lot: Some(lot.to_owned()),
        at,
        change,
        by: None,
    })
}

/// One sale on `day` at kiosk `k`: a card holder of this kiosk (60 %) or anyone at full price.
fn sale(world: &World, k: usize, day: NaiveDate, rng: &mut Rng) -> Sale {
    let at = local_time(day, 8 * 60 + rng.below(12 * 60) as u32);
    let shopper = if rng.chance(60) {
        let start = rng.below(world.shoppers.len() as u64) as usize;
        world
            .shoppers
            .iter()
            .cycle()
            .skip(start)
            .take(world.shoppers.len())
            .find(|s| s.home == k)
    } else {
        None
    };
    let tier = &world.tiers[shopper.map_or(0, |s| s.tier)];
    let count = match rng.below(100) {
        0..=34 => 1,
        35..=69 => 2,
        70..=89 => 3,
        _ => 4,
    };
    let mut lines: Vec<SaleLine> = Vec::new();
    while lines.len() < count {
        let product = &world.products[rng.below(world.products.len() as u64) as usize];
        if lines.iter().any(|l| l.product == product.id) {
            continue;
        }
        let quantity = if rng.chance(20) { 2 } else { 1 };
        lines.push(SaleLine {
            product: product.id,
            quantity,
            full_unit: product.full_price,
            charged_unit: tier.unit_price(product),
            unit_weight_g: product.net_weight_g,
            tax: Money::ZERO,
            lots: vec![],
        });
    }
    let full: Money = lines.iter().map(SaleLine::full).sum();
    let paid: Money = lines.iter().map(SaleLine::paid).sum();
    let totals = Totals {
        full,
        paid,
        subsidy: full - paid,
        tax: Money::ZERO,
        due: paid,
        items: lines.iter().map(|l| l.quantity).sum(),
        net_weight_g: lines
            .iter()
            .map(|l| u64::from(l.quantity) * u64::from(l.unit_weight_g))
            .sum(),
    };
    let method = match (shopper, rng.below(100)) {
        (Some(s), 0..=59) if s.prepaid => PaymentMethod::Prepaid,
        (Some(_), 0..=4) => PaymentMethod::PayLater,
        (_, 0..=49) => PaymentMethod::Cash,
        _ => PaymentMethod::CardTerminal,
    };
    Sale {
        id: SaleId(rng.uuid_v7(at)),
        kiosk: world.kiosks[k],
        at,
        buyer: shopper.map(|s| Buyer {
            card: s.card,
            household: s.id,
        }),
        tier: shopper.map_or(world.tiers[0].id, |s| world.tiers[s.tier].id),
        lines,
        totals,
        payment: Payment::settle(method, paid),
        config_version: None,
    }
}

/// A few alarms: summer heat-wave excursions, a door left open, a probe that fell silent.
fn alarms<S: HubStore>(
    k: usize,
    kiosk: KioskId,
    monday: NaiveDate,
    week: usize,
    pusher: &mut Pusher<'_, S>,
    rng: &mut Rng,
) -> Result<(), DemoError> {
    let summer = matches!(monday.month(), 7 | 8);
    let kinds: Vec<(AlarmKind, bool, Option<i32>)> = if summer && rng.chance(8) {
        vec![
            (
                AlarmKind::ColdChain,
                true,
                Some(-7_000 - rng.below(3_000) as i32),
            ),
            (AlarmKind::ColdChain, false, Some(-7_000)),
        ]
    } else if rng.chance(3) {
        vec![
            (AlarmKind::DoorOpen, true, None),
            (AlarmKind::DoorOpen, false, None),
        ]
    } else if week > 0 && k == 8 && week.is_multiple_of(13) {
        vec![
            (AlarmKind::ProbeLost, true, None),
            (AlarmKind::ProbeLost, false, None),
        ]
    } else {
        vec![]
    };
    let mut at = local_time(monday + Days::new(2), 14 * 60);
    for (kind, raised, peak) in kinds {
        at += Duration::minutes(40);
        let alarm = Alarm {
            kind,
            raised,
            at,
            lots: vec![],
            peak_millicelsius: peak,
        };
        pusher.push(k, kiosk, at, EventBody::Alarm(alarm), rng)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summer_weighs_more_than_winter_and_sunday_less() {
        let first = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(); // a Monday
        let weights = day_weights(first, 365);
        let (january_monday, august_monday) = (weights[0], weights[7 * 30]);
        assert!(august_monday > 2.0 * january_monday);
        assert!(weights[6] < weights[0], "Sunday is quieter than Monday");
    }

    #[test]
    fn lot_codes_name_the_week_and_product() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(lot_code(monday, 2), "L2648-03");
    }
}
