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
    /// The lot a scanned GS1 label describes, if it names one, its dates read on `today`. An
    /// expiry date (17) stands in for a best-before date (15) when only the former is printed.
    pub fn from_scan(product: ProductId, scanned: &ScannedLot, today: NaiveDate) -> Option<Lot> {
        let code = scanned.lot.clone()?;
        Some(Lot {
            product,
            code,
            packed_on: scanned.produced(today),
            best_before: scanned.use_by(today),
            packing_site: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn a_label_without_lot_gives_no_lot() {
        assert_eq!(
            Lot::from_scan(ProductId(1), &ScannedLot::default(), today()),
            None
        );
    }

    #[test]
    fn expiry_stands_in_for_best_before() {
        let scanned = ScannedLot {
            lot: Some("L1".into()),
            expires_on: gs1_date("270100"),
            produced_on: gs1_date("991231"),
            ..ScannedLot::default()
        };
        let lot = Lot::from_scan(ProductId(1), &scanned, today()).unwrap();
        assert_eq!(lot.best_before, NaiveDate::from_ymd_opt(2027, 1, 31));
        assert_eq!(lot.packed_on, NaiveDate::from_ymd_opt(1999, 12, 31));
    }

    fn gs1_date(printed: &str) -> Option<crate::domain::codes::Gs1Date> {
        let raw = format!("0109506000134352\u{1d}17{printed}");
        match crate::domain::codes::decode(&raw) {
            Ok(crate::domain::codes::Scan::Product(p)) => p.lot.expires_on,
            other => panic!("{other:?}"),
        }
    }
}
