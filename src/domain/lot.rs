//! Lots: which batch a pack comes from, so a recall can answer "which sales held lot X".
//!
//! The collective's work-integration programmes pack vegetables in lots with a packing date, a
//! best-before date and a packing site; the GS1 label on each pack carries them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::ScannedLot;
use super::ids::ProductId;

/// A lot of one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lot {
    pub product: ProductId,
    pub code: String,
    pub packed_on: Option<NaiveDate>,
    pub best_before: Option<NaiveDate>,
    /// Where it was packed (a work-integration programme's kitchen), free text.
    pub packing_site: Option<String>,
}

impl Lot {
    /// The lot a scanned GS1 label describes, if it names one. An expiry date (17) stands in for a
    /// best-before date (15) when only the former is printed.
    pub fn from_scan(product: ProductId, scanned: &ScannedLot) -> Option<Lot> {
        let code = scanned.lot.clone()?;
        Some(Lot {
            product,
            code,
            packed_on: scanned.produced_on,
            best_before: scanned.best_before.or(scanned.expires_on),
            packing_site: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_without_lot_gives_no_lot() {
        assert_eq!(Lot::from_scan(ProductId(1), &ScannedLot::default()), None);
    }

    #[test]
    fn expiry_stands_in_for_best_before() {
        let scanned = ScannedLot {
            lot: Some("L1".into()),
            expires_on: NaiveDate::from_ymd_opt(2027, 1, 31),
            ..ScannedLot::default()
        };
        let lot = Lot::from_scan(ProductId(1), &scanned).unwrap();
        assert_eq!(lot.best_before, NaiveDate::from_ymd_opt(2027, 1, 31));
    }
}
