//! What the impact report asks for and answers with: food received, packed, lost and
//! distributed, work hours and households reached, per month and one dimension.
//!
//! Weights are integer grams and work whole minutes, so JSON never carries a float. A measure a
//! dimension does not apply to (an intake has no product) is `None`, never zero. Households are a
//! count of distinct card hashes: no row ever names one.

use serde::Serialize;

use super::Named;

/// The one dimension the rows are split by, beside the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImpactBy {
    /// Months only.
    Month,
    Territory,
    /// The site: the kitchen for intakes and batches, the freezer's site for sales and losses.
    Site,
    Product,
}

impl ImpactBy {
    /// From the query string's word (`""` is months only).
    pub fn parse(text: &str) -> Option<ImpactBy> {
        match text.trim() {
            "" | "month" => Some(ImpactBy::Month),
            "territory" => Some(ImpactBy::Territory),
            "site" => Some(ImpactBy::Site),
            "product" => Some(ImpactBy::Product),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            ImpactBy::Month => "month",
            ImpactBy::Territory => "territory",
            ImpactBy::Site => "site",
            ImpactBy::Product => "product",
        }
    }
}

/// One row: a month (`YYYY-MM`, or the year `YYYY` for a whole-year total) and, unless the
/// report is by month only, the territory, site or product.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImpactRow {
    pub month: String,
    pub group: Option<Named>,
    /// Food received at the kitchens (`None` by product: an intake is not yet a product).
    pub received_g: Option<i64>,
    /// Net weight packed by production batches.
    pub packed_g: i64,
    /// Weight the batches used from intakes minus what they packed (batches that recorded their
    /// intakes only).
    pub prep_loss_g: i64,
    /// Net weight in sales, voided ones excluded.
    pub distributed_g: i64,
    /// Net weight of the packs recorded as losses at the freezers.
    pub freezer_loss_g: i64,
    /// Participants' time in production batches, minutes.
    pub participant_minutes: i64,
    /// Distinct households (card hashes) among the sales; counted, never listed.
    pub households: i64,
}
