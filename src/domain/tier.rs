//! Social tariff tiers: what share of the full price a household pays.
//!
//! A tier is a percentage of the full price (30 %, 60 %, 100 %…), with optional per-product
//! overrides for the odd product the collective prices by hand. Residents without a card pay the
//! default tier, which is full price. The tier is never shown to the resident; only the price is.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::caps::Cap;
use super::ids::{ProductId, TierId};
use super::money::Money;
use super::product::Product;

/// A fixed price for one product in one tier, replacing the percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct PriceOverride {
    pub product: ProductId,
    pub price: Money,
}

/// A social tariff tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct Tier {
    pub id: TierId,
    /// Staff-facing label ("Tarif A"); never displayed on a kiosk.
    pub label: String,
    /// Share of the full price charged, 0–100.
    pub percent: u32,
    #[serde(default)]
    pub overrides: Vec<PriceOverride>,
    /// Caps that apply to every household of this tier unless the household has its own.
    #[serde(default)]
    pub caps: Vec<Cap>,
    /// The tier for sales without a card. Exactly one tier of a configuration is the default.
    #[serde(default)]
    pub is_default: bool,
}

/// Why a tier definition is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TierError {
    #[error("a tier's percentage is between 0 and 100, not {0}")]
    PercentOutOfRange(u32),
    #[error("a price override cannot be negative")]
    NegativeOverride,
    #[error("product {0} has two price overrides in the same tier")]
    DuplicateOverride(ProductId),
    #[error("the tier needs a label")]
    MissingLabel,
}

impl Tier {
    /// The full-price tier used when a configuration has none.
    pub fn full_price(id: TierId) -> Tier {
        Tier {
            id,
            label: "100 %".into(),
            percent: 100,
            overrides: vec![],
            caps: vec![],
            is_default: true,
        }
    }

    /// The unit price a household of this tier pays for `product`: the override if there is one,
    /// otherwise `full × percent / 100` rounded half-up to the cent.
    pub fn unit_price(&self, product: &Product) -> Money {
        self.overrides
            .iter()
            .find(|o| o.product == product.id)
            .map(|o| o.price)
            .unwrap_or_else(|| product.full_price.percent(self.percent))
    }

    pub fn validate(&self) -> Result<(), TierError> {
        if self.label.trim().is_empty() {
            return Err(TierError::MissingLabel);
        }
        if self.percent > 100 {
            return Err(TierError::PercentOutOfRange(self.percent));
        }
        let mut seen = std::collections::BTreeSet::new();
        for o in &self.overrides {
            if o.price.is_negative() {
                return Err(TierError::NegativeOverride);
            }
            if !seen.insert(o.product) {
                return Err(TierError::DuplicateOverride(o.product));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::product::tests::product;
    use rstest::rstest;

    fn tier(percent: u32) -> Tier {
        Tier {
            percent,
            label: format!("{percent} %"),
            ..Tier::full_price(TierId(1))
        }
    }

    #[rstest]
    #[case(425, 30, 128)]
    #[case(425, 60, 255)]
    #[case(425, 100, 425)]
    #[case(599, 30, 180)]
    #[case(350, 0, 0)]
    fn unit_price_is_percent_rounded_half_up(
        #[case] full: i64,
        #[case] percent: u32,
        #[case] expected: i64,
    ) {
        assert_eq!(
            tier(percent).unit_price(&product(1, full)),
            Money::from_cents(expected)
        );
    }

    #[test]
    fn an_override_wins_over_the_percentage() {
        let mut t = tier(30);
        t.overrides.push(PriceOverride {
            product: ProductId(2),
            price: Money::from_cents(50),
        });
        assert_eq!(t.unit_price(&product(2, 425)), Money::from_cents(50));
        assert_eq!(t.unit_price(&product(1, 425)), Money::from_cents(128));
    }

    #[test]
    fn validation() {
        assert_eq!(tier(60).validate(), Ok(()));
        assert_eq!(tier(101).validate(), Err(TierError::PercentOutOfRange(101)));
        let mut t = tier(60);
        let o = PriceOverride {
            product: ProductId(2),
            price: Money::from_cents(50),
        };
        t.overrides = vec![o, o];
        assert_eq!(
            t.validate(),
            Err(TierError::DuplicateOverride(ProductId(2)))
        );
        t.overrides = vec![PriceOverride {
            price: Money::from_cents(-1),
            ..o
        }];
        assert_eq!(t.validate(), Err(TierError::NegativeOverride));
        t.label = " ".into();
        assert_eq!(t.validate(), Err(TierError::MissingLabel));
    }
}
