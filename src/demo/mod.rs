//! The demo: a kiosk stocked with about twenty frozen vegetables and fruits of Québec, three tiers
//! and a few households, so the whole system can be tried on a laptop.
//!
//! Demo card codes are derived from fixed seeds, so the README can list them for typing; real cards
//! always come from the operating system's random source.

mod kiosk_db;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::domain::caps::{Cap, CapLimit, CapPeriod};
use crate::domain::codes::{Gtin, Payload, PayloadKind, SECRET_BYTES};
use crate::domain::config::{BadgeEntry, CardEntry, KioskConfig, Thresholds};
use crate::domain::household::{Household, HouseholdStatus};
use crate::domain::product::{Locale, Product, TaxRate};
use crate::domain::sale::PaymentMethod;
use crate::domain::tier::Tier;
use crate::domain::{HouseholdId, Money, ProductId, StaffId, TierId};

/// (French, English, Spanish, pictogram, net weight g, full price ¢)
const CATALOGUE: [(&str, &str, &str, &str, u32, i64); 20] = [
    (
        "Carottes en rondelles",
        "Sliced carrots",
        "Zanahorias en rodajas",
        "carrot",
        500,
        350,
    ),
    (
        "Brocoli en fleurons",
        "Broccoli florets",
        "Brócoli en floretes",
        "broccoli",
        500,
        425,
    ),
    (
        "Haricots verts",
        "Green beans",
        "Ejotes",
        "green-beans",
        500,
        375,
    ),
    (
        "Maïs en grains",
        "Corn kernels",
        "Maíz en grano",
        "corn",
        500,
        325,
    ),
    ("Pois verts", "Green peas", "Chícharos", "peas", 500, 350),
    (
        "Poivrons en lanières",
        "Pepper strips",
        "Pimientos en tiras",
        "bell-pepper",
        400,
        450,
    ),
    (
        "Oignons hachés",
        "Chopped onions",
        "Cebolla picada",
        "onion",
        400,
        300,
    ),
    (
        "Pommes de terre en cubes",
        "Diced potatoes",
        "Papas en cubos",
        "potato",
        750,
        325,
    ),
    (
        "Tomates en dés",
        "Diced tomatoes",
        "Tomates en cubos",
        "tomato",
        500,
        375,
    ),
    ("Épinards", "Spinach", "Espinacas", "spinach", 300, 375),
    (
        "Courgettes en rondelles",
        "Sliced zucchini",
        "Calabacitas en rodajas",
        "zucchini",
        500,
        350,
    ),
    (
        "Champignons tranchés",
        "Sliced mushrooms",
        "Champiñones rebanados",
        "mushroom",
        300,
        450,
    ),
    (
        "Aubergines grillées",
        "Grilled eggplant",
        "Berenjena asada",
        "eggplant",
        400,
        400,
    ),
    (
        "Ail haché",
        "Minced garlic",
        "Ajo picado",
        "garlic",
        150,
        300,
    ),
    (
        "Mélange de légumes",
        "Mixed vegetables",
        "Verduras mixtas",
        "mixed-vegetables",
        750,
        450,
    ),
    (
        "Fraises entières",
        "Whole strawberries",
        "Fresas enteras",
        "strawberry",
        600,
        599,
    ),
    (
        "Bleuets sauvages",
        "Wild blueberries",
        "Arándanos silvestres",
        "blueberries",
        600,
        699,
    ),
    (
        "Framboises",
        "Raspberries",
        "Frambuesas",
        "raspberries",
        300,
        550,
    ),
    (
        "Pommes en tranches",
        "Apple slices",
        "Manzana en rebanadas",
        "apple",
        500,
        350,
    ),
    (
        "Rhubarbe en morceaux",
        "Rhubarb pieces",
        "Ruibarbo en trozos",
        "rhubarb",
        500,
        375,
    ),
];

pub use kiosk_db::{DemoError, create_kiosk_database};

/// The demo kiosk's id.
pub const KIOSK_ID: crate::domain::KioskId = crate::domain::KioskId(1);

/// GS1 company prefix used by the demo catalogue (a made-up one).
const DEMO_COMPANY_PREFIX: &str = "0062700000";

/// The demo product's GTIN: company prefix, item number, check digit.
pub fn gtin_of(index: usize) -> Gtin {
    Gtin::with_check_digit(&format!("{DEMO_COMPANY_PREFIX}{:03}", index + 1))
        .expect("demo GTIN bodies are 13 digits")
}

pub fn products() -> Vec<Product> {
    CATALOGUE
        .iter()
        .enumerate()
        .map(|(index, (fr, en, es, pictogram, grams, cents))| Product {
            id: ProductId(index as i64 + 1),
            barcodes: vec![gtin_of(index)],
            internal_code: Some(format!("CGP{}", 101 + index)),
            names: BTreeMap::from([
                (Locale::FrCa, (*fr).to_owned()),
                (Locale::EnCa, (*en).to_owned()),
                (Locale::Es, (*es).to_owned()),
            ]),
            pictogram: (*pictogram).to_owned(),
            net_weight_g: *grams,
            full_price: Money::from_cents(*cents),
            tax_rate: TaxRate::ZERO_RATED,
            active: true,
            photo: None,
        })
        .collect()
}

pub const FULL_PRICE_TIER: TierId = TierId(1);
pub const TIER_60: TierId = TierId(2);
pub const TIER_30: TierId = TierId(3);

pub fn tiers() -> Vec<Tier> {
    vec![
        Tier {
            label: "Plein tarif".into(),
            ..Tier::full_price(FULL_PRICE_TIER)
        },
        Tier {
            id: TIER_60,
            label: "Tarif B (60 %)".into(),
            percent: 60,
            overrides: vec![],
            caps: vec![],
            is_default: false,
        },
        Tier {
            id: TIER_30,
            label: "Tarif A (30 %)".into(),
            percent: 30,
            overrides: vec![],
            caps: vec![Cap {
                period: CapPeriod::Week,
                limit: CapLimit::Items(20),
            }],
            is_default: false,
        },
    ]
}

/// A demo household and what it shows off.
pub struct DemoHousehold {
    pub what: &'static str,
    pub household: Household,
    pub card: Payload,
}

fn demo_card(seed: &str) -> Payload {
    let digest = Sha256::digest(format!("congelo-demo:{seed}").as_bytes());
    let mut secret = [0u8; SECRET_BYTES];
    secret.copy_from_slice(&digest[..SECRET_BYTES]);
    Payload::new(PayloadKind::Card, secret)
}

pub fn households() -> Vec<DemoHousehold> {
    let household = |id: i64, tier: TierId| Household {
        id: HouseholdId(id),
        tier,
        status: HouseholdStatus::Active,
        expires_on: NaiveDate::from_ymd_opt(2030, 12, 31),
        caps: vec![],
        balance: None,
        pay_later_limit: None,
        pay_later_owed: Money::ZERO,
    };
    vec![
        DemoHousehold {
            what: "30 % tier, 25,00 $ prepaid balance",
            household: Household {
                balance: Some(Money::from_cents(2500)),
                ..household(1, TIER_30)
            },
            card: demo_card("household-1"),
        },
        DemoHousehold {
            what: "60 % tier, may pay later up to 15,00 $",
            household: Household {
                pay_later_limit: Some(Money::from_cents(1500)),
                ..household(2, TIER_60)
            },
            card: demo_card("household-2"),
        },
        DemoHousehold {
            what: "30 % tier, capped at 3 packs a week",
            household: Household {
                caps: vec![Cap {
                    period: CapPeriod::Week,
                    limit: CapLimit::Items(3),
                }],
                ..household(3, TIER_30)
            },
            card: demo_card("household-3"),
        },
        DemoHousehold {
            what: "expired card",
            household: Household {
                expires_on: NaiveDate::from_ymd_opt(2024, 12, 31),
                ..household(4, TIER_30)
            },
            card: demo_card("household-4"),
        },
        DemoHousehold {
            what: "revoked card",
            household: Household {
                status: HouseholdStatus::Revoked,
                ..household(5, TIER_60)
            },
            card: demo_card("household-5"),
        },
    ]
}

/// The whole demo configuration snapshot.
pub fn config() -> KioskConfig {
    let demo = households();
    KioskConfig {
        version: 1,
        products: products(),
        tiers: tiers(),
        cards: demo
            .iter()
            .map(|d| CardEntry {
                hash: d.card.hash(),
                household: d.household.id,
                revoked: false,
            })
            .collect(),
        households: demo.into_iter().map(|d| d.household).collect(),
        payment_methods: PaymentMethod::ALL.to_vec(),
        thresholds: Thresholds::default(),
        badges: badges().into_iter().map(|b| b.entry).collect(),
        voice: crate::domain::voice::VoiceSettings::default(),
        recalled_lots: vec![],
    }
}

/// A demo staff badge and its PIN.
pub struct DemoBadge {
    pub pin: &'static str,
    pub payload: Payload,
    pub entry: BadgeEntry,
}

/// Two staff badges. Their PIN hashes are fixed Argon2id strings (the demo must not spend a
/// second hashing at every start); real badges get a fresh salt on the hub.
pub fn badges() -> Vec<DemoBadge> {
    const BADGES: [(i64, &str, &str); 2] = [
        (
            1,
            "1234",
            "$argon2id$v=19$m=19456,t=2,p=1$eQbzyLJkMzlNjZnVbJf9MQ$XnsoCVmuIqPfhEgsGeP1KJId3737tItL9pjHJba+b+k",
        ),
        (
            2,
            "2468",
            "$argon2id$v=19$m=19456,t=2,p=1$X0h2WT0fYy3g91xreOvBdg$EQNlGdUpV13NfAC8eiB/j/J5ln/rWPCrPkDpd1a/MUE",
        ),
    ];
    BADGES
        .iter()
        .map(|&(staff, pin, pin_hash)| {
            let payload = Payload::new(
                PayloadKind::Badge,
                demo_card(&format!("staff-{staff}")).secret.0,
            );
            let entry = BadgeEntry {
                hash: payload.hash(),
                staff: StaffId(staff),
                pin_hash: pin_hash.to_owned(),
                revoked: false,
            };
            DemoBadge {
                pin,
                payload,
                entry,
            }
        })
        .collect()
}

/// The demo's opening stock: (product index, lot, best-before, packs).
pub fn opening_stock() -> Vec<(usize, String, NaiveDate, u32)> {
    (0..CATALOGUE.len())
        .map(|index| {
            let best_before = NaiveDate::from_ymd_opt(2027, 3 + (index % 9) as u32, 1)
                .expect("months 3 to 11 exist");
            (index, format!("L2611-{:02}", index + 1), best_before, 12)
        })
        .collect()
}

/// Codes to type (or scan) in the demo, with what each shows off.
pub fn sample_product_codes() -> Vec<(String, String)> {
    let carrot = gtin_of(0);
    let broccoli = gtin_of(1);
    vec![
        (carrot.as_display(), "EAN-13: Carottes en rondelles".into()),
        (broccoli.as_display(), "EAN-13: Brocoli en fleurons".into()),
        ("CGP117".into(), "internal code: Bleuets sauvages".into()),
        (
            format!("(01){}(10)L2611-03(15)270501", gtin_of(2).as_gtin14()),
            "GS1 element string with lot and best-before: Haricots verts".into(),
        ),
        (
            format!(
                "https://congelo.example/01/{}/10/L2611-16?15=270601",
                gtin_of(15).as_gtin14()
            ),
            "GS1 Digital Link: Fraises entières".into(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_configuration_is_valid() {
        assert_eq!(config().validate(), Ok(()));
        for product in products() {
            assert!(product.names.len() == 3);
        }
    }

    #[test]
    fn sample_codes_decode_to_demo_products() {
        use crate::domain::codes::{ProductKey, Scan, decode};
        let catalogue = products();
        for (code, what) in sample_product_codes() {
            let Ok(Scan::Product(scan)) = decode(&code) else {
                panic!("{code} does not decode")
            };
            let found = catalogue.iter().any(|p| match &scan.key {
                ProductKey::Gtin(g) => p.barcodes.contains(g),
                ProductKey::Internal(c) => p.internal_code.as_ref() == Some(c),
            });
            assert!(found, "{code} ({what}) names no demo product");
        }
    }

    #[test]
    fn demo_badge_pins_verify() {
        for badge in badges() {
            assert!(crate::passwords::verify_secret(
                badge.pin,
                &badge.entry.pin_hash
            ));
        }
    }

    #[test]
    fn demo_cards_are_stable_and_distinct() {
        let first: Vec<String> = households().iter().map(|h| h.card.encode()).collect();
        let again: Vec<String> = households().iter().map(|h| h.card.encode()).collect();
        assert_eq!(first, again);
        let unique: std::collections::BTreeSet<&String> = first.iter().collect();
        assert_eq!(unique.len(), first.len());
    }
}
