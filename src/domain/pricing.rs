//! Pricing a cart for a tier: what each line costs, what the resident pays, what the collective
//! gives.
//!
//! Every line carries both the full price and the charged price, so the subsidy of every sale is
//! known to the cent and funders' reports add up (`paid + subsidy == full`, always).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::cart::Cart;
use super::ids::ProductId;
use super::money::Money;
use super::product::Product;
use super::tier::Tier;

/// A priced cart line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedLine {
    pub product: ProductId,
    pub quantity: u32,
    pub full_unit: Money,
    /// What this household pays per pack; never above `full_unit`.
    pub charged_unit: Money,
    /// Net weight of one pack, in grams.
    pub unit_weight_g: u32,
    pub tax: Money,
    pub scanned_lots: Vec<String>,
}

impl PricedLine {
    pub fn full(&self) -> Money {
        self.full_unit.times(self.quantity)
    }

    pub fn paid(&self) -> Money {
        self.charged_unit.times(self.quantity)
    }

    pub fn weight_g(&self) -> u64 {
        u64::from(self.unit_weight_g) * u64::from(self.quantity)
    }
}

/// Totals of a priced cart or a sale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct Totals {
    /// Value at full price.
    pub full: Money,
    /// What the household pays before tax.
    pub paid: Money,
    /// What the collective gives: `full − paid`.
    pub subsidy: Money,
    /// Sales tax on `paid` (zero for basic groceries).
    pub tax: Money,
    /// What is due: `paid + tax`, before any cash rounding.
    pub due: Money,
    pub items: u32,
    pub net_weight_g: u64,
}

impl Totals {
    pub fn of(lines: &[PricedLine]) -> Totals {
        let full: Money = lines.iter().map(PricedLine::full).sum();
        let paid: Money = lines.iter().map(PricedLine::paid).sum();
        let tax: Money = lines.iter().map(|l| l.tax).sum();
        Totals {
            full,
            paid,
            subsidy: full - paid,
            tax,
            due: paid + tax,
            items: lines.iter().map(|l| l.quantity).sum(),
            net_weight_g: lines.iter().map(PricedLine::weight_g).sum(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedCart {
    pub lines: Vec<PricedLine>,
    pub totals: Totals,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PricingError {
    #[error("product {0} is not in this kiosk's catalogue")]
    UnknownProduct(ProductId),
}

/// What one unit of `product` costs at `tier`, as the cart charges it and the picture grid shows
/// it. A tier override above the full price is capped at it (a social tariff never charges more
/// than anyone else pays), and no price goes below zero.
pub fn unit_price(product: &Product, tier: &Tier) -> Money {
    tier.unit_price(product)
        .min(product.full_price)
        .max(Money::ZERO)
}

/// Prices one line at [`unit_price`].
pub fn price_line(product: &Product, tier: &Tier, quantity: u32, lots: &[String]) -> PricedLine {
    let charged_unit = unit_price(product, tier);
    let paid = charged_unit.times(quantity);
    PricedLine {
        product: product.id,
        quantity,
        full_unit: product.full_price,
        charged_unit,
        unit_weight_g: product.net_weight_g,
        tax: product.tax_rate.tax_on(paid),
        scanned_lots: lots.to_vec(),
    }
}

/// Prices the whole cart for a tier; `catalogue` finds a product by id.
pub fn price_cart<'a>(
    cart: &Cart,
    catalogue: impl Fn(ProductId) -> Option<&'a Product>,
    tier: &Tier,
) -> Result<PricedCart, PricingError> {
    let lines = cart
        .lines()
        .iter()
        .map(|line| {
            let product =
                catalogue(line.product).ok_or(PricingError::UnknownProduct(line.product))?;
            Ok(price_line(product, tier, line.quantity, &line.scanned_lots))
        })
        .collect::<Result<Vec<_>, PricingError>>()?;
    let totals = Totals::of(&lines);
    Ok(PricedCart { lines, totals })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::TierId;
    use crate::domain::product::TaxRate;
    use crate::domain::product::tests::product;
    use crate::domain::tier::PriceOverride;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn tier(percent: u32) -> Tier {
        Tier {
            percent,
            ..Tier::full_price(TierId(1))
        }
    }

    fn catalogue(prices: &[i64]) -> BTreeMap<ProductId, Product> {
        prices
            .iter()
            .enumerate()
            .map(|(i, c)| (ProductId(i as i64), product(i as i64, *c)))
            .collect()
    }

    #[test]
    fn a_cart_at_thirty_percent() {
        let products = catalogue(&[425, 599]);
        let mut cart = Cart::new();
        cart.add(ProductId(0), None).unwrap();
        cart.add(ProductId(0), None).unwrap();
        cart.add(ProductId(1), None).unwrap();
        let priced = price_cart(&cart, |id| products.get(&id), &tier(30)).unwrap();
        // 2 × 1,28 + 1,80
        assert_eq!(priced.totals.paid, Money::from_cents(436));
        assert_eq!(priced.totals.full, Money::from_cents(1449));
        assert_eq!(priced.totals.subsidy, Money::from_cents(1013));
        assert_eq!(priced.totals.due, priced.totals.paid);
        assert_eq!((priced.totals.items, priced.totals.net_weight_g), (3, 1500));
    }

    #[test]
    fn an_override_above_full_price_is_capped() {
        let products = catalogue(&[425]);
        let mut t = tier(30);
        t.overrides.push(PriceOverride {
            product: ProductId(0),
            price: Money::from_cents(999),
        });
        let line = price_line(&products[&ProductId(0)], &t, 1, &[]);
        assert_eq!(line.charged_unit, Money::from_cents(425));
    }

    #[test]
    fn tax_is_added_to_what_is_due_not_to_the_subsidy() {
        let mut p = product(0, 1000);
        p.tax_rate = TaxRate(14_975); // GST + QST
        let totals = Totals::of(&[price_line(&p, &tier(60), 1, &[])]);
        assert_eq!(totals.paid, Money::from_cents(600));
        assert_eq!(totals.tax, Money::from_cents(90));
        assert_eq!(totals.due, Money::from_cents(690));
        assert_eq!(totals.subsidy, Money::from_cents(400));
    }

    #[test]
    fn an_unknown_product_is_an_error() {
        let mut cart = Cart::new();
        cart.add(ProductId(9), None).unwrap();
        let products = catalogue(&[]);
        assert_eq!(
            price_cart(&cart, |id| products.get(&id), &tier(30)),
            Err(PricingError::UnknownProduct(ProductId(9)))
        );
    }

    proptest! {
        #[test]
        fn totals_are_never_negative_and_always_add_up(
            prices in prop::collection::vec(0i64..100_000, 1..8),
            quantities in prop::collection::vec(1u32..=99, 8),
            percent in 0u32..=100,
        ) {
            let products = catalogue(&prices);
            let mut cart = Cart::new();
            for (i, _) in prices.iter().enumerate() {
                cart.add(ProductId(i as i64), None).unwrap();
                cart.set_quantity(ProductId(i as i64), quantities[i]).unwrap();
            }
            let totals = price_cart(&cart, |id| products.get(&id), &tier(percent)).unwrap().totals;
            prop_assert!(totals.full >= Money::ZERO);
            prop_assert!(totals.paid >= Money::ZERO);
            prop_assert!(totals.subsidy >= Money::ZERO);
            prop_assert_eq!(totals.paid + totals.subsidy, totals.full);
        }
    }
}
