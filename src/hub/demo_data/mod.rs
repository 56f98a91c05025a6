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

mod kitchens;
mod push;
mod simulate;

use std::io::Write;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};
use thiserror::Error;
use uuid::{Builder, Uuid};

use crate::domain::config::Thresholds;
use crate::domain::household::{CardHash, HouseholdStatus};
use crate::domain::money::MAX_INPUT_CENTS;
use crate::domain::product::Product;
use crate::domain::sale::PaymentMethod;
use crate::domain::tier::Tier;
use crate::domain::{HouseholdId, KioskId, Money};
use crate::hub::admin::cli_audit;
use crate::hub::reports::{ReportError, ReportStore};
use crate::hub::store::{
    HouseholdFields, HubStore, HubStoreError, NewCode, NewHousehold, NewKiosk, SecretHash,
    TierEntry,
};
use crate::hub::web::households::fields_detail;
use crate::hub::web::{kiosks, products, tiers};

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
pub(super) const BATCH: usize = 5_000;
const HOUSEHOLDS: usize = 650;
/// Weeks a pack's lot stays in a freezer before staff write off what is left.
pub(super) const LOT_WEEKS: usize = 6;

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
pub(super) const KIOSKS: [(&str, usize, f64); 13] = [
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
pub(super) const SEASON: [f64; 12] = [
    0.6, 0.55, 0.65, 0.75, 0.85, 1.0, 1.3, 1.5, 1.5, 1.3, 0.9, 0.7,
];

/// SplitMix64: small, fast, and the same everywhere for a seed.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub(super) fn uuid_v7(&mut self, at: DateTime<Utc>) -> Uuid {
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
pub(super) struct Shopper {
    pub(super) id: HouseholdId,
    pub(super) card: CardHash,
    pub(super) tier: usize,
    pub(super) prepaid: bool,
    pub(super) home: usize,
}

/// The collective's fixed parts, as the hub numbered them.
pub(super) struct World {
    pub(super) kiosks: Vec<KioskId>,
    pub(super) products: Vec<Product>,
    /// Full price, 60 %, 30 %.
    pub(super) tiers: Vec<Tier>,
    pub(super) shoppers: Vec<Shopper>,
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
    kitchens::generate(
        store,
        &world.products,
        options.until,
        options.months,
        &mut rng,
        out,
    )?;
    let mut pusher = push::Pusher::new(store, world.kiosks.len());
    let (sales, lots) = simulate::simulate(&world, options, &mut rng, &mut pusher, out)?;
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
        let audit = cli_audit("product.create").detail(products::audit_detail(&product));
        match store.save_product(None, &product, &audit) {
            Ok(_) | Err(HubStoreError::Duplicate(_)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    for (label, percent, is_default) in [
        ("Plein tarif", 100, true),
        ("Tarif B (60 %)", 60, false),
        ("Tarif A (30 %)", 30, false),
    ] {
        let tier = TierEntry::plain(label, percent, is_default);
        let audit = cli_audit("tier.create").detail(tiers::audit_detail(&tier));
        match store.save_tier(None, &tier, &audit) {
            Ok(_) | Err(HubStoreError::Duplicate(_)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    let territories = TERRITORIES
        .iter()
        .map(|name| {
            let audit = cli_audit("territory.create").detail(json!({ "name": name }));
            store.save_territory(None, name, &audit)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let sites = SITES
        .iter()
        .map(|(name, territory)| {
            let territory = territories[*territory];
            let audit =
                cli_audit("site.create").detail(json!({ "name": name, "territory": territory.0 }));
            store.save_site(None, name, territory, &audit)
        })
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
        let audit = cli_audit("kiosk.create").detail(kiosks::audit_detail(&kiosk));
        store.create_kiosk(&kiosk, &new_code, &audit)?;
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
            fields: HouseholdFields {
                tier: tiers[tier].id,
                status: HouseholdStatus::Active,
                expires_on: NaiveDate::from_ymd_opt(2030, 12, 31),
                caps: vec![],
            },
            balance: prepaid.then(|| Money::from_cents(MAX_INPUT_CENTS)),
            pay_later_limit: Some(Money::from_cents(1_500)),
            cards: vec![card],
        };
        let audit = cli_audit("household.create").detail(fields_detail(&household.fields));
        let id = store.create_household(&household, &audit)?;
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
}
