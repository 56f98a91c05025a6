//! `congelo-hub source|intake|batch add|list` and `congelo-hub product label`: the kitchens'
//! records from the command line, checked by the pages' own forms (`web/kitchens_form.rs`,
//! English messages) and written by the same audited store methods, as `cli`.

use std::collections::BTreeMap;
use std::io::Write;

use clap::Subcommand;
use serde_json::json;

use super::{AdminError, CLI_LANG, cli_audit, refused};
use crate::clock::{Clock, SystemClock};
use crate::domain::ProductId;
use crate::domain::kitchen::{SourceKind, hours_text, kg_text};
use crate::domain::nutrition::{LabelFacts, Nutrition, check_shelf_life};
use crate::domain::product::Locale;
use crate::hub::store::HubStore;
use crate::hub::store::kitchens::{batch_audit_detail, intake_audit_detail};
use crate::hub::web::kitchens_form::{BatchForm, IntakeForm};

#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Adds an organisation surplus comes from.
    Add {
        #[arg(long)]
        name: String,
        /// farm, grocer, distributor or other.
        #[arg(long)]
        kind: String,
    },
    List,
}

#[derive(Debug, Subcommand)]
pub enum IntakeCommand {
    /// Records surplus received by a kitchen.
    Add {
        /// YYYY-MM-DD; today by default.
        #[arg(long)]
        date: Option<String>,
        /// The source's id.
        #[arg(long)]
        source: i64,
        #[arg(long)]
        description: String,
        #[arg(long)]
        category: String,
        /// Kilograms received, e.g. 120,5.
        #[arg(long)]
        kg: String,
        /// The kitchen's site id.
        #[arg(long)]
        kitchen: i64,
    },
    List,
}

#[derive(Debug, Subcommand)]
pub enum BatchCommand {
    /// Records a production batch and prints its lot code and best-before.
    Add {
        /// YYYY-MM-DD; today by default.
        #[arg(long)]
        date: Option<String>,
        /// The kitchen's site id.
        #[arg(long)]
        kitchen: i64,
        #[arg(long)]
        product: i64,
        #[arg(long)]
        packs: String,
        /// Kilograms packed.
        #[arg(long)]
        kg_packed: String,
        /// An intake used, as `ID:KG` (e.g. `4:12,5`); repeat for several.
        #[arg(long = "use", required = true)]
        uses: Vec<String>,
        #[arg(long)]
        programme: Option<String>,
        /// Participant-hours, e.g. 12,5.
        #[arg(long)]
        hours: Option<String>,
        /// YYYY-MM-DD; the production date plus the product's shelf life by default.
        #[arg(long)]
        best_before: Option<String>,
    },
    List,
}

pub(super) fn source(
    store: &dyn HubStore,
    command: SourceCommand,
    out: &mut dyn Write,
) -> Result<(), AdminError> {
    match command {
        SourceCommand::Add { name, kind } => {
            let kind = SourceKind::from_name(kind.trim()).ok_or_else(|| {
                AdminError::Invalid(format!(
                    "unknown kind «{kind}»: use farm, grocer, distributor or other"
                ))
            })?;
            let audit = cli_audit("source.create")
                .detail(json!({ "name": name.trim(), "kind": kind.name() }));
            let id = store.add_source(&name, kind, &audit)?;
            writeln!(out, "source {id} added: {}", name.trim())?;
        }
        SourceCommand::List => {
            for s in store.sources()? {
                writeln!(out, "{}\t{}\t{}", s.id, s.name, s.kind.name())?;
            }
        }
    }
    Ok(())
}

pub(super) fn intake(
    store: &dyn HubStore,
    command: IntakeCommand,
    out: &mut dyn Write,
) -> Result<(), AdminError> {
    let today = SystemClock::default().today();
    match command {
        IntakeCommand::Add {
            date,
            source,
            description,
            category,
            kg,
            kitchen,
        } => {
            let form = IntakeForm {
                received_on: date.unwrap_or_else(|| today.to_string()),
                source: source.to_string(),
                description,
                category,
                kg,
                kitchen: kitchen.to_string(),
            };
            let sources: Vec<_> = store.sources()?.iter().map(|s| s.id).collect();
            let kitchens: Vec<_> = store.sites()?.iter().map(|s| s.id).collect();
            let intake = form
                .validate(CLI_LANG, today, &sources, &kitchens)
                .map_err(refused)?;
            let audit = cli_audit("intake.create").detail(intake_audit_detail(&intake));
            let id = store.add_intake(&intake, today, &audit)?;
            writeln!(out, "intake {id} added: {} kg", kg_text(intake.received_g))?;
        }
        IntakeCommand::List => {
            for i in store.intakes(None, u32::MAX)? {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\tkitchen {}\t{} kg received\t{} kg left",
                    i.id,
                    i.received_on,
                    i.source_name,
                    i.description,
                    i.category,
                    i.kitchen,
                    kg_text(i.received_g),
                    kg_text(i.left_g())
                )?;
            }
        }
    }
    Ok(())
}

pub(super) fn batch(
    store: &dyn HubStore,
    command: BatchCommand,
    out: &mut dyn Write,
) -> Result<(), AdminError> {
    let today = SystemClock::default().today();
    match command {
        BatchCommand::Add {
            date,
            kitchen,
            product,
            packs,
            kg_packed,
            uses,
            programme,
            hours,
            best_before,
        } => {
            let mut used = BTreeMap::new();
            for text in &uses {
                let (id, kg) = text
                    .split_once(':')
                    .and_then(|(id, kg)| Some((id.trim().parse::<i64>().ok()?, kg)))
                    .ok_or_else(|| {
                        AdminError::Invalid(format!("«{text}»: write an intake used as ID:KG"))
                    })?;
                used.insert(id, kg.to_owned());
            }
            let form = BatchForm {
                produced_on: date.unwrap_or_else(|| today.to_string()),
                kitchen: kitchen.to_string(),
                programme: programme.unwrap_or_default(),
                hours: hours.unwrap_or_default(),
                product: product.to_string(),
                packs,
                kg_packed,
                best_before: best_before.unwrap_or_default(),
                uses: used,
            };
            let kitchens: Vec<_> = store.sites()?.iter().map(|s| s.id).collect();
            let products: Vec<_> = store.catalogue_products()?.iter().map(|p| p.id).collect();
            let shelf_life = if products.contains(&ProductId(product)) {
                store.label_facts(ProductId(product))?.shelf_life_days
            } else {
                None
            };
            let intakes = store.intakes(None, u32::MAX)?;
            let checked = form
                .validate(CLI_LANG, today, &kitchens, &products, shelf_life, &intakes)
                .map_err(refused)?;
            let batch = checked.batch;
            let audit = cli_audit("batch.create").detail(batch_audit_detail(&batch));
            let made = store.add_batch(&batch, today, &audit)?;
            writeln!(
                out,
                "batch {} added: lot {}, best before {}, {} kg lost in preparation",
                made.id,
                made.lot,
                made.best_before,
                kg_text(checked.used_g - batch.packed_g)
            )?;
        }
        BatchCommand::List => {
            for b in store.batches(None, u32::MAX)? {
                writeln!(
                    out,
                    "{}\t{}\t{}\tkitchen {}\tproduct {}\t{} packs\t{} kg used\t{} kg packed\tbest before {}\t{} h",
                    b.id,
                    b.lot,
                    b.produced_on,
                    b.kitchen,
                    b.product,
                    b.packs,
                    kg_text(b.used_g()),
                    kg_text(b.packed_g),
                    b.best_before,
                    b.participant_minutes
                        .map_or("-".into(), |m| hours_text(u64::from(m)))
                )?;
            }
        }
    }
    Ok(())
}

/// `product label`: a product's shelf life, ingredients, allergens and Nutrition Facts.
#[allow(clippy::too_many_arguments)]
pub(super) fn label(
    store: &dyn HubStore,
    product: i64,
    shelf_life_days: Option<u32>,
    ingredients: [Option<String>; 2],
    allergens: [Option<String>; 2],
    nutrition: Option<String>,
    out: &mut dyn Write,
) -> Result<(), AdminError> {
    let id = ProductId(product);
    let mut facts = store.label_facts(id)?;
    if let Some(days) = shelf_life_days {
        facts.shelf_life_days =
            Some(check_shelf_life(days).map_err(|e| AdminError::Invalid(e.to_string()))?);
    }
    let texts = |map: &mut BTreeMap<Locale, String>, [fr, en]: [Option<String>; 2]| {
        for (locale, text) in [(Locale::FrCa, fr), (Locale::EnCa, en)] {
            match text.map(|t| t.trim().to_owned()) {
                Some(t) if t.is_empty() => {
                    map.remove(&locale);
                }
                Some(t) => {
                    map.insert(locale, t);
                }
                None => {}
            }
        }
    };
    texts(&mut facts.ingredients, ingredients);
    texts(&mut facts.allergens, allergens);
    if let Some(json) = nutrition {
        let table: Nutrition = serde_json::from_str(&json)
            .map_err(|e| AdminError::Invalid(format!("nutrition JSON: {e}")))?;
        facts.nutrition = Some(table);
    }
    let audit = cli_audit("product.label")
        .subject(format!("product {id}"))
        .detail(label_detail(&facts));
    store.save_label_facts(id, &facts, &audit)?;
    writeln!(out, "product {id}: label facts saved")?;
    Ok(())
}

/// A product's label facts as its audit row records them (the page and the command line).
pub fn label_detail(facts: &LabelFacts) -> serde_json::Value {
    json!({
        "shelf_life_days": facts.shelf_life_days,
        "ingredients": facts.ingredients,
        "allergens": facts.allergens,
        "nutrition": facts.nutrition,
    })
}
