//! The kitchens in storage: sources, intakes, production batches (with the intakes they used and
//! the lot the hub gives them), and a product's label facts.
//!
//! Every write takes its [`Audit`] and is one transaction. A batch's rules are re-checked inside
//! its transaction ([`crate::domain::kitchen::check_batch`] against the grams each intake still
//! has), so two kitchens recording at once cannot use the same kilograms twice; a refusal is
//! [`HubStoreError::Invalid`] with the rule's sentence and nothing is written. The batch's lot also
//! goes into `lot_dates` in that transaction. The SQLite side is `hub/store/sqlite/kitchens.rs`.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::HubStoreError;
use super::users::Audit;
use crate::domain::kitchen::{BatchId, IntakeId, NewBatch, NewIntake, SourceId, SourceKind};
use crate::domain::nutrition::LabelFacts;
use crate::domain::product::Locale;
use crate::domain::{ProductId, SiteId};

/// What the audit log keeps of a recorded intake, the same from a page and from the command line.
pub fn intake_audit_detail(intake: &NewIntake) -> serde_json::Value {
    serde_json::json!({
        "received_on": intake.received_on,
        "source": intake.source,
        "description": intake.description,
        "category": intake.category,
        "received_g": intake.received_g,
        "kitchen": intake.kitchen,
    })
}

/// What the audit log keeps of a recorded batch, the same from a page and from the command line.
pub fn batch_audit_detail(batch: &NewBatch) -> serde_json::Value {
    serde_json::json!({
        "produced_on": batch.produced_on,
        "kitchen": batch.kitchen,
        "programme": batch.programme,
        "participant_minutes": batch.participant_minutes,
        "product": batch.product,
        "uses": batch.uses,
        "packs": batch.packs,
        "packed_g": batch.packed_g,
    })
}

/// A source as its list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub id: SourceId,
    pub name: String,
    pub kind: SourceKind,
}

/// An intake with what is left of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeRow {
    pub id: IntakeId,
    pub received_on: NaiveDate,
    pub source: SourceId,
    pub source_name: String,
    pub description: String,
    pub category: String,
    pub received_g: u64,
    /// Grams used by batches so far.
    pub used_g: u64,
    pub kitchen: SiteId,
    pub kitchen_name: String,
}

impl IntakeRow {
    pub fn left_g(&self) -> u64 {
        self.received_g.saturating_sub(self.used_g)
    }
}

/// A batch as its list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRow {
    pub id: BatchId,
    pub produced_on: NaiveDate,
    pub kitchen: SiteId,
    pub kitchen_name: String,
    pub programme: Option<String>,
    pub participant_minutes: Option<u32>,
    pub product: ProductId,
    pub product_names: BTreeMap<Locale, String>,
    pub packs: u32,
    pub packed_g: u64,
    pub lot: String,
    pub best_before: NaiveDate,
    /// Grams of each intake used.
    pub uses: Vec<(IntakeId, u64)>,
}

impl BatchRow {
    pub fn used_g(&self) -> u64 {
        self.uses.iter().map(|(_, g)| g).sum()
    }

    /// Kilograms lost in preparation: used minus packed.
    pub fn lost_g(&self) -> u64 {
        self.used_g().saturating_sub(self.packed_g)
    }
}

/// What recording a batch gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedBatch {
    pub id: BatchId,
    pub lot: String,
    pub best_before: NaiveDate,
}

/// The kitchens' storage. Every method is one transaction.
pub trait KitchenStore {
    /// Every source, by name.
    fn sources(&self) -> Result<Vec<SourceRow>, HubStoreError>;
    /// Adds a source. A name another source has, or 1 to 100 characters not respected, is
    /// `Invalid`.
    fn add_source(
        &self,
        name: &str,
        kind: SourceKind,
        audit: &Audit,
    ) -> Result<SourceId, HubStoreError>;
    /// Intakes, newest first (of one kitchen when `kitchen` is given), at most `limit`.
    fn intakes(&self, kitchen: Option<SiteId>, limit: u32)
    -> Result<Vec<IntakeRow>, HubStoreError>;
    /// Records an intake after checking it against `today` (`Invalid`); an unknown source or
    /// kitchen is `NotFound`.
    fn add_intake(
        &self,
        intake: &NewIntake,
        today: NaiveDate,
        audit: &Audit,
    ) -> Result<IntakeId, HubStoreError>;
    /// Batches, newest first (of one kitchen when `kitchen` is given), at most `limit`.
    fn batches(&self, kitchen: Option<SiteId>, limit: u32) -> Result<Vec<BatchRow>, HubStoreError>;
    /// Records a batch: checks every rule against the stored intakes and product (`Invalid`;
    /// an unknown kitchen or product is `NotFound`), gives it the day's next lot code and writes
    /// the lot's dates.
    fn add_batch(
        &self,
        batch: &NewBatch,
        today: NaiveDate,
        audit: &Audit,
    ) -> Result<RecordedBatch, HubStoreError>;
    /// A product's label facts (`NotFound` for an unknown product).
    fn label_facts(&self, product: ProductId) -> Result<LabelFacts, HubStoreError>;
    /// Replaces a product's label facts.
    fn save_label_facts(
        &self,
        product: ProductId,
        facts: &LabelFacts,
        audit: &Audit,
    ) -> Result<(), HubStoreError>;
}
