//! The demo collective's kitchens: five sources, each demo product's label facts (a shelf life,
//! its ingredient, Nutrition Facts for a few), and a year of weekly intakes at two kitchens, each
//! turned into a batch of one product a few days later, through the same store methods as the
//! pages (so every batch has its lot and its `lot_dates` row).

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{Days, NaiveDate};
use serde_json::json;

use super::{DemoError, Rng};
use crate::domain::kitchen::{NewBatch, NewIntake, SourceKind};
use crate::domain::nutrition::{LabelFacts, NUTRITION_VALUES, Nutrition};
use crate::domain::product::{Locale, Product};
use crate::hub::admin::{cli_audit, label_detail};
use crate::hub::store::HubStore;

const SOURCES: [(&str, SourceKind); 5] = [
    ("Ferme des Anses", SourceKind::Farm),
    ("Maraîchers du Littoral", SourceKind::Farm),
    ("Épicerie Coop Rimouski", SourceKind::Grocer),
    ("Distribution Alimentaire Est", SourceKind::Distributor),
    ("Jardins communautaires", SourceKind::Other),
];

/// Frozen vegetables per 85 g serving (typical values of the Canadian Nutrient File).
fn nutrition(index: usize) -> Option<Nutrition> {
    let values: [u32; NUTRITION_VALUES] = match index {
        0 => [85, 35, 2, 0, 0, 80, 24, 40, 7, 0, 58, 200, 28, 3],
        1 => [85, 25, 1, 0, 0, 60, 25, 10, 15, 0, 5, 160, 35, 8],
        2 => [85, 70, 5, 1, 0, 120, 40, 30, 45, 0, 60, 150, 20, 10],
        _ => return None,
    };
    Some(Nutrition::from_values(values))
}

/// Gives every demo product its label facts, then records the kitchens' year.
pub(super) fn generate(
    store: &dyn HubStore,
    products: &[Product],
    until: NaiveDate,
    months: u32,
    rng: &mut Rng,
    out: &mut dyn Write,
) -> Result<(), DemoError> {
    for (index, product) in products.iter().enumerate() {
        let name = |l: Locale| product.names.get(&l).cloned();
        let ingredients: BTreeMap<Locale, String> = [Locale::FrCa, Locale::EnCa]
            .into_iter()
            .filter_map(|l| Some((l, name(l)?)))
            .collect();
        let facts = LabelFacts {
            shelf_life_days: Some(365),
            ingredients,
            allergens: BTreeMap::new(),
            nutrition: nutrition(index),
        };
        let audit = cli_audit("product.label")
            .subject(format!("product {}", product.id))
            .detail(label_detail(&facts));
        store.save_label_facts(product.id, &facts, &audit)?;
    }
    let mut sources = Vec::new();
    for (name, kind) in SOURCES {
        let audit = cli_audit("source.create").detail(json!({ "name": name, "kind": kind.name() }));
        sources.push(store.add_source(name, kind, &audit)?);
    }
    let sites = store.sites()?;
    let kitchens: Vec<_> = sites.iter().take(2).map(|s| s.id).collect();
    let weeks = u64::from(months) * 30 / 7;
    let first = until - Days::new(weeks * 7);
    let (mut intakes, mut batches) = (0, 0);
    for week in 0..weeks {
        for (k, &kitchen) in kitchens.iter().enumerate() {
            let received_on = first + Days::new(week * 7 + k as u64);
            let product = &products[rng.below(products.len() as u64) as usize];
            let received_g = 40_000 + rng.below(160) * 1000;
            let intake = NewIntake {
                received_on,
                source: sources[rng.below(sources.len() as u64) as usize],
                description: product.name(Locale::FrCa).to_owned(),
                category: "Légumes".into(),
                received_g,
                kitchen,
            };
            let audit = cli_audit("intake.create").detail(json!({ "received_g": received_g }));
            let id = store.add_intake(&intake, until, &audit)?;
            intakes += 1;
            let produced_on = (received_on + Days::new(2)).min(until);
            let used_g = received_g - rng.below(5) * 1000;
            let packed_g = used_g * (80 + rng.below(12)) / 100;
            let weight = u64::from(product.net_weight_g.max(1));
            let packs = (packed_g / weight).max(1);
            let batch = NewBatch {
                produced_on,
                kitchen,
                programme: Some("Cuisine d'insertion".into()),
                participant_minutes: Some(60 * (8 + rng.below(16) as u32)),
                product: product.id,
                uses: vec![(id, used_g)],
                packs: packs as u32,
                packed_g: packs * weight,
                best_before: None,
            };
            let audit = cli_audit("batch.create").detail(json!({ "intake": id }));
            store.add_batch(&batch, until, &audit)?;
            batches += 1;
        }
    }
    writeln!(out, "{intakes} intakes, {batches} production batches")?;
    Ok(())
}
