//! Products of the catalogue and the locales they are named in.
//!
//! A product is what a resident picks from the freezer: a vacuum pack of one vegetable with a fixed
//! net weight. It can carry several barcodes (a farm's EAN and the collective's own GS1 label), a name
//! per language and a pictogram, because many residents read the picture, not the word.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::codes::Gtin;
use super::ids::ProductId;
use super::money::{MAX_INPUT_CENTS, Money};
use super::photo::PhotoHash;

/// A language the kiosk speaks. French is the default; adding one is adding a variant and a folder
/// under `locales/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub enum Locale {
    #[serde(rename = "fr-CA")]
    FrCa,
    #[serde(rename = "en-CA")]
    EnCa,
    #[serde(rename = "es")]
    Es,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::FrCa, Locale::EnCa, Locale::Es];

    /// The BCP 47 tag, also the name of the folder under `locales/`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::FrCa => "fr-CA",
            Locale::EnCa => "en-CA",
            Locale::Es => "es",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Locale> {
        Locale::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(tag))
    }

    /// How amounts are written for this reader.
    pub fn money_style(self) -> super::money::MoneyStyle {
        match self {
            Locale::EnCa => super::money::MoneyStyle::DotSymbolBefore,
            Locale::FrCa | Locale::Es => super::money::MoneyStyle::CommaSymbolAfter,
        }
    }
}

/// Sales tax rate in thousandths of a percent (1 % = 1 000), fine enough for Québec's combined
/// 14,975 %. Basic groceries, frozen vegetables included, are zero-rated; the field exists for the
/// day a taxable item is sold.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct TaxRate(pub u32);

impl TaxRate {
    pub const ZERO_RATED: TaxRate = TaxRate(0);

    /// Tax on an amount, rounded half-up to the cent.
    pub fn tax_on(self, amount: Money) -> Money {
        let scaled = i128::from(amount.cents()) * i128::from(self.0);
        let cents = (scaled + 50_000) / 100_000;
        // A rate is at most 100 %, so the tax never exceeds the amount; saturate all the same.
        Money::from_cents(i64::try_from(cents).unwrap_or(i64::MAX))
    }
}

/// A product of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct Product {
    pub id: ProductId,
    /// GTINs normalised to 14 digits; a product may have several.
    pub barcodes: Vec<Gtin>,
    /// The collective's internal code (`CGP…`), for packs labelled without a GTIN.
    pub internal_code: Option<String>,
    pub names: BTreeMap<Locale, String>,
    /// File stem of a vendored pictogram under `assets/pictograms/`.
    pub pictogram: String,
    pub net_weight_g: u32,
    pub full_price: Money,
    pub tax_rate: TaxRate,
    pub active: bool,
    /// The photo of the pack, when staff uploaded one (else the kiosk shows the pictogram).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<PhotoHash>,
}

/// Why a product definition is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProductError {
    #[error("the product needs a French name")]
    MissingFrenchName,
    #[error("the full price must be between 0 and 1 000 000 $")]
    PriceOutOfRange,
    #[error("the net weight must be between 1 g and 100 kg")]
    WeightOutOfRange,
    #[error("a tax rate is at most 100 %")]
    TaxRateOutOfRange,
    #[error("the pictogram name may hold only a-z, 0-9 and -")]
    BadPictogram,
}

/// The heaviest pack a product may declare: 100 kg.
pub const MAX_NET_WEIGHT_G: u32 = 100_000;

impl Product {
    /// 100 %, in the unit of [`TaxRate`].
    pub const MAX_TAX_RATE: u32 = 100_000;

    /// The name to show in `locale`, falling back to French (which every product has).
    pub fn name(&self, locale: Locale) -> &str {
        self.names
            .get(&locale)
            .or_else(|| self.names.get(&Locale::FrCa))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Checks the invariants a product from a config file or a form must hold.
    pub fn validate(&self) -> Result<(), ProductError> {
        if self
            .names
            .get(&Locale::FrCa)
            .is_none_or(|n| n.trim().is_empty())
        {
            return Err(ProductError::MissingFrenchName);
        }
        if self.full_price.is_negative() || self.full_price.cents() > MAX_INPUT_CENTS {
            return Err(ProductError::PriceOutOfRange);
        }
        if self.net_weight_g == 0 || self.net_weight_g > MAX_NET_WEIGHT_G {
            return Err(ProductError::WeightOutOfRange);
        }
        if self.tax_rate.0 > Self::MAX_TAX_RATE {
            return Err(ProductError::TaxRateOutOfRange);
        }
        let pictogram_ok = !self.pictogram.is_empty()
            && self
                .pictogram
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !pictogram_ok {
            return Err(ProductError::BadPictogram);
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn product(id: i64, cents: i64) -> Product {
        Product {
            id: ProductId(id),
            barcodes: vec![],
            internal_code: None,
            names: BTreeMap::from([(Locale::FrCa, format!("Produit {id}"))]),
            pictogram: "carrot".into(),
            net_weight_g: 500,
            full_price: Money::from_cents(cents),
            tax_rate: TaxRate::ZERO_RATED,
            active: true,
            photo: None,
        }
    }

    #[test]
    fn name_falls_back_to_french() {
        let mut p = product(1, 100);
        assert_eq!(p.name(Locale::Es), "Produit 1");
        p.names.insert(Locale::Es, "Producto".into());
        assert_eq!(p.name(Locale::Es), "Producto");
    }

    #[test]
    fn validation_names_the_problem() {
        let ok = product(1, 100);
        assert_eq!(ok.validate(), Ok(()));
        type Breakage = fn(&mut Product);
        let cases: [(Breakage, ProductError); 5] = [
            (|p| p.names.clear(), ProductError::MissingFrenchName),
            (
                |p| p.full_price = Money::from_cents(-1),
                ProductError::PriceOutOfRange,
            ),
            (|p| p.net_weight_g = 0, ProductError::WeightOutOfRange),
            (
                |p| p.tax_rate = TaxRate(100_001),
                ProductError::TaxRateOutOfRange,
            ),
            (|p| p.pictogram = "../x".into(), ProductError::BadPictogram),
        ];
        for (break_it, error) in cases {
            let mut p = ok.clone();
            break_it(&mut p);
            assert_eq!(p.validate(), Err(error));
        }
    }

    #[test]
    fn a_product_without_a_photo_field_parses_and_a_photo_round_trips() {
        let mut p = product(1, 100);
        let json = serde_json::to_value(&p).unwrap();
        assert!(
            json.get("photo").is_none(),
            "no photo, no field: older kiosks read it"
        );
        assert_eq!(serde_json::from_value::<Product>(json).unwrap(), p);
        p.photo = Some(PhotoHash::of(b"jpeg"));
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Product>(&json).unwrap(), p);
        let bad = json.replace(p.photo.as_ref().unwrap().as_str(), "../../etc/passwd");
        assert!(serde_json::from_str::<Product>(&bad).is_err());
    }

    #[test]
    fn tax_rounds_half_up() {
        assert_eq!(
            TaxRate(5_000).tax_on(Money::from_cents(1010)),
            Money::from_cents(51)
        );
        assert_eq!(
            TaxRate::ZERO_RATED.tax_on(Money::from_cents(999)),
            Money::ZERO
        );
    }

    #[test]
    fn locale_tags_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.tag()), Some(locale));
        }
        assert_eq!(Locale::from_tag("de"), None);
    }
}
