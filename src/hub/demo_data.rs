//! `congelo-hub demo-data --sales N`: a realistic collective to try the reports on, and the data
//! set of the reports benchmark.
//!
//! Thirteen kiosks on ten sites in five territories, the demo catalogue, three tiers, households
//! with cards, a year of weekly restocks (lots with packing and best-before dates), sales shaped by
//! the seasons (summer abundance, winter lull, quiet Sundays), a few losses and alarms, and each
//! kiosk's last health report (one silent, one with a wrong clock, one too warm, one nearly full).
//!
//! Everything goes through the real ingest path ([`HubStore::ingest`]) in large batches, so the
//! projections and rollups are exactly what kiosks would have produced. The same seed and end date
//! give the same sales; the generator draws from its own small PRNG, never the OS.

use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

use chrono::{
    DateTime, Datelike, Days, Duration, Local, Months, NaiveDate, TimeZone, Utc, Weekday,
};
use sha2::{Digest, Sha256};
use thiserror::Error;
use uuid::{Builder, Uuid};

use super::reports::{LotDates, ReportError, ReportStore};
use super::store::{
    Contact, HubStore, HubStoreError, NewCode, NewHousehold, NewKiosk, NewTier, SecretHash,
};
use crate::domain::config::Thresholds;
use crate::domain::event::{Alarm, AlarmKind, Event, EventBody};
use crate::domain::household::CardHash;
use crate::domain::pricing::Totals;
use crate::domain::product::Product;
use crate::domain::sale::{Buyer, LotTake, Payment, PaymentMethod, Sale, SaleLine};
use crate::domain::stock::{LossReason, StockChange, StockMovement};
use crate::domain::sync::{ClockReading, KioskHealth};
use crate::domain::tier::Tier;
use crate::domain::{EventId, HouseholdId, KioskId, Money, MovementId, SaleId, Seq};

#[derive(Debug, Error)]
pub enum DemoError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] HubStoreError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    pub sales: u64,
    pub seed: u64,
    /// The last day with sales (the hub's local calendar).
    pub until: NaiveDate,
    /// How many months of sales end on `until`.
    pub months: u32,
}

/// What was generated, and how long it took.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemoSummary {
    pub kiosks: usize,
    pub households: usize,
    pub sales: u64,
    pub events: u64,
    pub seconds: f64,
}

/// Events per ingest transaction: large, for speed, like a kiosk catching up.
const BATCH: usize = 5_000;
const HOUSEHOLDS: usize = 650;
/// Weeks a pack's lot stays in a freezer before staff write off what is left.
const LOT_WEEKS: usize = 6;

const TERRITORIES: [&str; 5] = [
    "Les Maskoutains",
    "Acton",
    "Rouville",
    "Pierre-De Saurel",
    "La Vallée-du-Richelieu",
];
/// (site, territory index)
const SITES: [(&str, usize); 10] = [
    ("Centre de bénévolat de Saint-Hyacinthe", 0),
    ("Maison de la famille des Maskoutains", 0),
    ("École secondaire Casavant", 0),
    ("Centre d'entraide d'Acton Vale", 1),
    ("Maison des jeunes de Roxton Falls", 1),
    ("Centre d'action bénévole de Marieville", 2),
    ("Comptoir alimentaire de Rougemont", 2),
    ("Maison de la famille de Sorel-Tracy", 3),
    ("Entraide de Saint-Ours", 3),
    ("Centre communautaire de Beloeil", 4),
];
/// (kiosk, site index, how busy: relative weight)
const KIOSKS: [(&str, usize, f64); 13] = [
    ("SH-Bénévolat-1", 0, 1.4),
    ("SH-Bénévolat-2", 0, 1.1),
    ("SH-Famille", 1, 1.0),
    ("SH-Casavant", 2, 0.6),
    ("Acton-Entraide", 3, 0.9),
    ("Roxton-MDJ", 4, 0.5),
    ("Marieville-CAB", 5, 1.0),
    ("Rougemont-Comptoir", 6, 0.7),
    ("Sorel-Famille-1", 7, 1.3),
    ("Sorel-Famille-2", 7, 0.9),
    ("Saint-Ours-Entraide", 8, 0.6),
    ("Beloeil-Centre-1", 9, 1.2),
    ("Beloeil-Centre-2", 9, 0.8),
];
/// Sales per month relative to the average: harvest abundance from July, winter lull.
const SEASON: [f64; 12] = [
    0.6, 0.55, 0.65, 0.75, 0.85, 1.0, 1.3, 1.5, 1.5, 1.3, 0.9, 0.7,
];

/// SplitMix64: small, fast, and the same everywhere for a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn uuid_v7(&mut self, at: DateTime<Utc>) -> Uuid {
        let bytes = self.next().to_le_bytes();
        let more = self.next().to_le_bytes();
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&bytes);
        random[8..].copy_from_slice(&more[..2]);
        Builder::from_unix_timestamp_millis(at.timestamp_millis().max(0) as u64, &random)
            .into_uuid()
    }
}

/// A household as the generator uses it.
struct Shopper {
    id: HouseholdId,
    card: CardHash,
    tier: usize,
    prepaid: bool,
    home: usize,
}

/// The collective's fixed parts, as the hub numbered them.
struct World {
    kiosks: Vec<KioskId>,
    products: Vec<Product>,
    /// Full price, 60 %, 30 %.
    tiers: Vec<Tier>,
    shoppers: Vec<Shopper>,
}

/// Fills an empty hub (or one that only ran `init`) with the demo collective and its sales.
pub fn generate<S: HubStore + ReportStore>(
    store: &S,
    options: &DemoOptions,
    out: &mut dyn Write,
) -> Result<DemoSummary, DemoError> {
    let started = Instant::now();
    if !store.kiosks()?.is_empty() {
        return Err(DemoError::Invalid(
            "this hub already has kiosks: demo data goes into a new database".into(),
        ));
    }
    if options.sales == 0 || options.months == 0 || options.months > 120 {
        return Err(DemoError::Invalid(
            "ask for at least one sale over 1 to 120 months".into(),
        ));
    }
    let mut rng = Rng(options.seed);
    let world = build_world(store, &mut rng)?;
    writeln!(
        out,
        "{} kiosks, {} households",
        world.kiosks.len(),
        world.shoppers.len()
    )?;
    let mut pusher = Pusher::new(store, world.kiosks.len());
    let (sales, lots) = simulate(&world, options, &mut rng, &mut pusher, out)?;
    store.record_lot_dates(&lots)?;
    pusher.finish(&world.kiosks, &mut rng)?;
    let summary = DemoSummary {
        kiosks: world.kiosks.len(),
        households: world.shoppers.len(),
        sales,
        events: pusher.events,
        seconds: started.elapsed().as_secs_f64(),
    };
    writeln!(
        out,
        "{} sales, {} events in {:.1} s",
        summary.sales, summary.events, summary.seconds
    )?;
    Ok(summary)
}

fn derived_hash(seed: u64, what: &str) -> [u8; 32] {
    Sha256::digest(format!("congelo-demo-data:{seed}:{what}").as_bytes()).into()
}

fn build_world<S: HubStore>(store: &S, rng: &mut Rng) -> Result<World, DemoError> {
    let seed = rng.next();
    for product in crate::demo::products() {
        match store.add_product(&product) {
            Ok(_) | Err(HubStoreError::Duplicate(_)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    for (label, percent, is_default) in [
        ("Plein tarif", 100, true),
        ("Tarif B (60 %)", 60, false),
        ("Tarif A (30 %)", 30, false),
    ] {
        let tier = NewTier {
            label: label.into(),
            percent,
            caps: vec![],
            is_default,
        };
        match store.add_tier(&tier) {
            Ok(_) | Err(HubStoreError::Duplicate(_)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    let territories = TERRITORIES
        .iter()
        .map(|name| store.add_territory(name))
        .collect::<Result<Vec<_>, _>>()?;
    let sites = SITES
        .iter()
        .map(|(name, territory)| store.add_site(name, territories[*territory]))
        .collect::<Result<Vec<_>, _>>()?;
    let now = Utc::now();
    let mut kiosks = Vec::new();
    for (index, (name, site, _)) in KIOSKS.iter().enumerate() {
        let code = SecretHash(derived_hash(seed, &format!("code-{index}")));
        let kiosk = NewKiosk {
            name: (*name).into(),
            site: sites[*site],
            payment_methods: PaymentMethod::ALL.to_vec(),
            thresholds: Thresholds::default(),
        };
        let new_code = NewCode {
            hash: code,
            created_at: now,
            expires_at: now + Duration::days(7),
        };
        store.add_kiosk(&kiosk, &new_code)?;
        let token = SecretHash(derived_hash(seed, &format!("token-{index}")));
        kiosks.push(store.enrol(&code, &token, now)?);
    }
    let (_, config) = store.config_since(kiosks[0], 0)?;
    let config =
        config.ok_or_else(|| DemoError::Invalid("the hub gave no configuration".into()))?;
    let tier = |label: &str| {
        config
            .tiers
            .iter()
            .find(|t| t.label == label)
            .cloned()
            .ok_or_else(|| DemoError::Invalid(format!("tier «{label}» is missing")))
    };
    let tiers = vec![
        tier("Plein tarif")?,
        tier("Tarif B (60 %)")?,
        tier("Tarif A (30 %)")?,
    ];
    let shoppers = add_households(store, rng, seed, &tiers, kiosks.len())?;
    Ok(World {
        kiosks,
        products: config.products,
        tiers,
        shoppers,
    })
}

fn add_households<S: HubStore>(
    store: &S,
    rng: &mut Rng,
    seed: u64,
    tiers: &[Tier],
    kiosks: usize,
) -> Result<Vec<Shopper>, DemoError> {
    let mut shoppers = Vec::with_capacity(HOUSEHOLDS);
    for n in 0..HOUSEHOLDS {
        // Most households with a card have a reduced tier.
        let tier = match rng.below(10) {
            0 => 0,
            1..=4 => 1,
            _ => 2,
        };
        let prepaid = rng.chance(15);
        let card = CardHash(derived_hash(seed, &format!("card-{n}")));
        let household = NewHousehold {
            tier: tiers[tier].id,
            expires_on: NaiveDate::from_ymd_opt(2030, 12, 31),
            caps: vec![],
            balance: prepaid.then(|| Money::from_cents(100_000_000)),
            pay_later_limit: Some(Money::from_cents(1_500)),
            cards: vec![card],
        };
        let id = store.add_household(&household, Utc::now())?;
        shoppers.push(Shopper {
            id,
            card,
            tier,
            prepaid,
            home: rng.below(kiosks as u64) as usize,
        });
    }
    Ok(shoppers)
}

/// Buffers each kiosk's events and pushes them through ingest in large batches.
struct Pusher<'a, S: HubStore> {
    store: &'a S,
    buffers: Vec<Vec<Event>>,
    seqs: Vec<u64>,
    events: u64,
}

impl<'a, S: HubStore> Pusher<'a, S> {
    fn new(store: &'a S, kiosks: usize) -> Self {
        Pusher {
            store,
            buffers: vec![Vec::new(); kiosks],
            seqs: vec![0; kiosks],
            events: 0,
        }
    }

    fn push(
        &mut self,
        kiosk: usize,
        id: KioskId,
        at: DateTime<Utc>,
        body: EventBody,
        rng: &mut Rng,
    ) -> Result<(), DemoError> {
        self.seqs[kiosk] += 1;
        self.buffers[kiosk].push(Event {
            id: EventId(rng.uuid_v7(at)),
            kiosk: id,
            seq: Seq(self.seqs[kiosk]),
            at,
            body,
        });
        if self.buffers[kiosk].len() >= BATCH {
            self.flush(kiosk, id, &healthy(Utc::now()))?;
        }
        Ok(())
    }

    fn flush(&mut self, kiosk: usize, id: KioskId, contact: &Contact) -> Result<(), DemoError> {
        let batch = std::mem::take(&mut self.buffers[kiosk]);
        self.store.ingest(id, &batch, contact)?;
        self.events += batch.len() as u64;
        Ok(())
    }

    /// Pushes what is left, each kiosk's last push carrying the health the fleet view shows.
    fn finish(&mut self, kiosks: &[KioskId], rng: &mut Rng) -> Result<(), DemoError> {
        let now = Utc::now();
        for (index, id) in kiosks.iter().enumerate() {
            let mut contact = healthy(now - Duration::seconds(rng.below(50) as i64));
            match index {
                3 => contact.received_at = now - Duration::days(3),
                6 => {
                    contact.clock = ClockReading {
                        offset_ms: -7_205_000,
                        suspect: true,
                    }
                }
                8 => contact.health.last_millicelsius = Some(-9_500),
                10 => contact.health.disk_free_bytes = Some(180 * 1024 * 1024),
                _ => {}
            }
            contact.health.clock =
                contact.received_at + Duration::milliseconds(contact.clock.offset_ms);
            self.flush(index, *id, &contact)?;
        }
        Ok(())
    }
}

fn healthy(at: DateTime<Utc>) -> Contact {
    Contact {
        health: KioskHealth {
            version: env!("CARGO_PKG_VERSION").into(),
            uptime_s: 86_400 * 12,
            pending: 0,
            disk_free_bytes: Some(21 * 1024 * 1024 * 1024),
            last_millicelsius: Some(-18_500),
            clock: at,
        },
        received_at: at,
        clock: ClockReading {
            offset_ms: 0,
            suspect: false,
        },
    }
}

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
fn simulate<S: HubStore>(
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
        if week % 8 == 7 {
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

/// Restocks the week's lot (its demand plus 0–3 packs), assigns the week's sales to it, writes
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
        let extra = rng.below(4) as u32;
        let quantity = demand.get(&p).copied().unwrap_or(0) + extra;
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
    } else if week > 0 && k == 8 && week % 13 == 0 {
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
    fn the_prng_is_the_same_for_a_seed() {
        let (mut a, mut b) = (Rng(7), Rng(7));
        assert_eq!(
            (0..5).map(|_| a.next()).collect::<Vec<_>>(),
            (0..5).map(|_| b.next()).collect::<Vec<_>>()
        );
        assert_ne!(Rng(8).next(), Rng(7).next());
    }

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
