//! The intake and batch forms: what kitchen staff type, checked field by field into a
//! [`NewIntake`] or a [`CheckedBatch`] with the domain's rules (`domain::kitchen`).
//!
//! Pure (no storage): the caller passes what the store said (sources, kitchens the user may
//! record for, intakes with what they have left, the product's shelf life). Each rule's refusal
//! lands on the field it concerns, in the reader's language. The command line uses the same
//! forms, with English messages.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use super::form::FieldErrors;
use super::i18n::{Lang, decimal};
use crate::domain::kitchen::{
    CheckedBatch, IntakeId, IntakeLeft, KitchenError, NewBatch, NewIntake, SourceId, check_batch,
    parse_hours, parse_kg,
};
use crate::domain::{ProductId, SiteId};
use crate::hub::store::IntakeRow;

/// The intake form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct IntakeForm {
    pub received_on: String,
    pub source: String,
    pub description: String,
    pub category: String,
    pub kg: String,
    pub kitchen: String,
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

fn parse_id(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

/// A date field: its message when missing, malformed or after `today`.
fn date_field(
    field: &str,
    text: &str,
    today: NaiveDate,
    errors: &mut FieldErrors,
) -> Option<NaiveDate> {
    match parse_date(text) {
        None => {
            errors.add(field, "hub-kitchens-error-date");
            None
        }
        Some(date) if date > today => {
            errors.add(field, "hub-kitchens-error-future");
            None
        }
        Some(date) => Some(date),
    }
}

fn text_field(field: &str, text: &str, errors: &mut FieldErrors) -> String {
    match crate::domain::kitchen::clean_text(text) {
        Ok(text) => text,
        Err(_) => {
            errors.add(field, "hub-kitchens-error-text");
            String::new()
        }
    }
}

fn kg_field(field: &str, text: &str, errors: &mut FieldErrors) -> Option<u64> {
    let grams = parse_kg(text).ok();
    if grams.is_none() {
        errors.add(field, "hub-kitchens-error-kg");
    }
    grams
}

/// The kitchen chosen, if it is one of `kitchens`.
fn kitchen_field(text: &str, kitchens: &[SiteId], errors: &mut FieldErrors) -> Option<SiteId> {
    let kitchen = parse_id(text).map(SiteId).filter(|k| kitchens.contains(k));
    if kitchen.is_none() {
        errors.add("kitchen", "hub-kitchens-error-kitchen");
    }
    kitchen
}

impl IntakeForm {
    pub fn blank(today: NaiveDate, kitchen: Option<SiteId>) -> IntakeForm {
        IntakeForm {
            received_on: today.to_string(),
            kitchen: kitchen.map(|k| k.0.to_string()).unwrap_or_default(),
            ..IntakeForm::default()
        }
    }

    /// The intake, or every problem: `sources` and `kitchens` are the ones that may be chosen.
    pub fn validate(
        &self,
        lang: Lang,
        today: NaiveDate,
        sources: &[SourceId],
        kitchens: &[SiteId],
    ) -> Result<NewIntake, FieldErrors> {
        let mut errors = FieldErrors::new(lang);
        let received_on = date_field("received_on", &self.received_on, today, &mut errors);
        let source = parse_id(&self.source)
            .map(SourceId)
            .filter(|s| sources.contains(s));
        if source.is_none() {
            errors.add("source", "hub-kitchens-error-source");
        }
        let description = text_field("description", &self.description, &mut errors);
        let category = text_field("category", &self.category, &mut errors);
        let grams = kg_field("kg", &self.kg, &mut errors);
        let kitchen = kitchen_field(&self.kitchen, kitchens, &mut errors);
        match (received_on, source, grams, kitchen, errors.is_empty()) {
            (Some(received_on), Some(source), Some(received_g), Some(kitchen), true) => {
                Ok(NewIntake {
                    received_on,
                    source,
                    description,
                    category,
                    received_g,
                    kitchen,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The batch form as typed; the kilograms used of each intake are the fields `use_<intake id>`.
#[derive(Debug, Clone, Default)]
pub struct BatchForm {
    pub produced_on: String,
    pub kitchen: String,
    pub programme: String,
    pub hours: String,
    pub product: String,
    pub packs: String,
    pub kg_packed: String,
    /// Empty: the production date plus the product's shelf life.
    pub best_before: String,
    pub uses: BTreeMap<i64, String>,
}

impl BatchForm {
    pub fn blank(today: NaiveDate, kitchen: Option<SiteId>) -> BatchForm {
        BatchForm {
            produced_on: today.to_string(),
            kitchen: kitchen.map(|k| k.0.to_string()).unwrap_or_default(),
            ..BatchForm::default()
        }
    }

    /// Reads the body's name/value pairs (unknown names, the CSRF token among them, ignored).
    pub fn from_pairs(pairs: &[(String, String)]) -> BatchForm {
        let mut form = BatchForm::default();
        for (name, value) in pairs {
            let value = value.clone();
            match name.as_str() {
                "produced_on" => form.produced_on = value,
                "kitchen" => form.kitchen = value,
                "programme" => form.programme = value,
                "hours" => form.hours = value,
                "product" => form.product = value,
                "packs" => form.packs = value,
                "kg_packed" => form.kg_packed = value,
                "best_before" => form.best_before = value,
                other => {
                    if let Some(id) = other.strip_prefix("use_").and_then(|i| i.parse().ok()) {
                        form.uses.insert(id, value);
                    }
                }
            }
        }
        form
    }

    /// The kilograms typed for intake `id`.
    pub fn used(&self, id: &IntakeId) -> &str {
        self.uses.get(&id.0).map_or("", String::as_str)
    }

    /// The product chosen, if it is a number (the store says whether it exists).
    pub fn product_id(&self) -> Option<ProductId> {
        parse_id(&self.product).map(ProductId)
    }

    /// The batch, or every problem. `products` may be chosen; `shelf_life` is the chosen
    /// product's; `intakes` are the ones the user may draw from, with what they have left.
    pub fn validate(
        &self,
        lang: Lang,
        today: NaiveDate,
        kitchens: &[SiteId],
        products: &[ProductId],
        shelf_life: Option<u32>,
        intakes: &[IntakeRow],
    ) -> Result<CheckedBatch, FieldErrors> {
        let mut errors = FieldErrors::new(lang);
        let produced_on = date_field("produced_on", &self.produced_on, today, &mut errors);
        let kitchen = kitchen_field(&self.kitchen, kitchens, &mut errors);
        let programme = Some(self.programme.trim())
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        let participant_minutes = if self.hours.trim().is_empty() {
            None
        } else {
            let minutes = parse_hours(&self.hours).ok();
            if minutes.is_none() {
                errors.add("hours", "hub-kitchens-error-hours");
            }
            minutes
        };
        let product = self.product_id().filter(|p| products.contains(p));
        if product.is_none() {
            errors.add("product", "hub-kitchens-error-product");
        }
        let packs = self
            .packs
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=1_000_000).contains(n));
        if packs.is_none() {
            errors.add("packs", "hub-kitchens-error-packs");
        }
        let packed_g = kg_field("kg_packed", &self.kg_packed, &mut errors);
        let best_before = if self.best_before.trim().is_empty() {
            None
        } else {
            let date = parse_date(&self.best_before);
            if date.is_none() {
                errors.add("best_before", "hub-kitchens-error-date");
            }
            date
        };
        let mut uses = Vec::new();
        for (&id, text) in &self.uses {
            if text.trim().is_empty() {
                continue;
            }
            match parse_kg(text) {
                Ok(grams) => uses.push((IntakeId(id), grams)),
                Err(_) => errors.add(&format!("use_{id}"), "hub-kitchens-error-kg"),
            }
        }
        if self.uses.values().all(|t| t.trim().is_empty()) {
            errors.add("uses", "hub-kitchens-error-no-intake");
        }
        let (Some(produced_on), Some(kitchen), Some(product), Some(packs), Some(packed_g), true) = (
            produced_on,
            kitchen,
            product,
            packs,
            packed_g,
            errors.is_empty(),
        ) else {
            return Err(errors);
        };
        let batch = NewBatch {
            produced_on,
            kitchen,
            programme,
            participant_minutes,
            product,
            uses,
            packs,
            packed_g,
            best_before,
        };
        let known = |id: IntakeId| {
            intakes.iter().find(|i| i.id == id).map(|i| IntakeLeft {
                kitchen: i.kitchen,
                received_on: i.received_on,
                left_g: i.left_g(),
            })
        };
        check_batch(&batch, today, shelf_life, known).map_err(|error| {
            refusal(&error, &mut errors);
            errors
        })
    }
}

/// Puts a rule's refusal on the field it concerns, with its figures.
pub fn refusal(error: &KitchenError, errors: &mut FieldErrors) {
    use crate::domain::kitchen::kg_text;
    let lang = errors.lang();
    let kg = |grams: &u64| decimal(lang, &kg_text(*grams));
    let intake_field = |id: &IntakeId| format!("use_{id}");
    match error {
        KitchenError::BadWeight => errors.add("kg_packed", "hub-kitchens-error-kg"),
        KitchenError::FutureDate(_) => errors.add("produced_on", "hub-kitchens-error-future"),
        KitchenError::BadText => errors.add("programme", "hub-kitchens-error-text"),
        KitchenError::BadPacks => errors.add("packs", "hub-kitchens-error-packs"),
        KitchenError::BadHours => errors.add("hours", "hub-kitchens-error-hours"),
        KitchenError::NoIntake | KitchenError::IntakeTwice(_) => {
            errors.add("uses", "hub-kitchens-error-no-intake")
        }
        KitchenError::UnknownIntake(id) | KitchenError::OtherKitchen { intake: id } => {
            errors.add(&intake_field(id), "hub-kitchens-error-other-kitchen")
        }
        KitchenError::MoreThanLeft { intake, left_g, .. } => errors.add_with(
            &intake_field(intake),
            "hub-kitchens-error-more-than-left",
            &[("left", kg(left_g).into())],
        ),
        KitchenError::IntakeAfterBatch { intake, .. } => {
            errors.add(&intake_field(intake), "hub-kitchens-error-intake-after")
        }
        KitchenError::PackedMoreThanUsed { used_g, .. } => errors.add_with(
            "kg_packed",
            "hub-kitchens-error-packed-more",
            &[("used", kg(used_g).into())],
        ),
        KitchenError::NoShelfLife => errors.add("product", "hub-kitchens-error-shelf-life"),
        KitchenError::BestBeforeTooEarly => {
            errors.add("best_before", "hub-kitchens-error-best-before")
        }
        KitchenError::DayFull(_) => errors.add("produced_on", "hub-kitchens-error-day-full"),
    }
}
