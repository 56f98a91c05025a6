//! Storage for pack labels: a production batch with what its label needs from its product, the
//! label settings (who packed, restricted-circulation numbering), and the number the hub gives a
//! product that has no GTIN.

use crate::domain::codes::Gtin;
use crate::domain::label::{Bilingual, NutritionFacts};

use super::{Audit, HubStoreError};

/// Who packs the food and how products without a GTIN are numbered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSettings {
    pub packer_name: String,
    pub address: String,
    pub rcn_prefix: String,
}

/// A batch and its product, as a label prints them.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchLabel {
    pub batch_id: i64,
    pub site_id: i64,
    pub product_id: i64,
    pub name_fr: Option<String>,
    pub name_en: Option<String>,
    pub net_weight_g: u32,
    pub packs: u32,
    pub lot: String,
    /// `YYYY-MM-DD`.
    pub best_before: String,
    /// The product's first GTIN, if it has one.
    pub gtin: Option<Gtin>,
    pub ingredients: Option<Bilingual>,
    pub allergens: Option<Bilingual>,
    pub nutrition: Option<NutritionFacts>,
}

pub trait LabelStore {
    /// The label settings.
    fn label_settings(&self) -> Result<LabelSettings, HubStoreError>;

    /// Replaces the label settings (the prefix is checked), audited.
    fn save_label_settings(
        &self,
        settings: &LabelSettings,
        audit: &Audit,
    ) -> Result<(), HubStoreError>;

    /// Batch `id` as its label prints it (`NotFound` if there is none).
    fn batch_label(&self, id: i64) -> Result<BatchLabel, HubStoreError>;

    /// The GTIN of `product_id`: its first barcode, or a restricted-circulation number assigned
    /// by this call, stored among its barcodes (so kiosks know it from their next configuration)
    /// and audited.
    fn label_gtin(&self, product_id: i64, audit: &Audit) -> Result<Gtin, HubStoreError>;
}
