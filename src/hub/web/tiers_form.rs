//! The tier form: names, percentage, caps and per-product price overrides, checked field by
//! field into a [`TierEntry`]. Pure (no storage).
//!
//! Caps and overrides are open-ended lists, so the body is read as name/value pairs: caps are
//! rows `cap_period_N`, `cap_kind_N`, `cap_value_N`; an override is `override_<product id>` with a
//! price (empty: the percentage applies).

use std::collections::BTreeMap;

use super::caps_form::{CapRow, MAX_CAPS, parse_caps, read_cap_field, rows_for};
use super::form::{FieldErrors, read_names};
use super::i18n::{Lang, money_input};
use crate::domain::money::{MAX_INPUT_CENTS, Money};
use crate::domain::product::{Locale, Product};
use crate::domain::tier::{PriceOverride, Tier};
use crate::domain::{ProductId, TierId};
use crate::hub::store::TierEntry;

/// Longest tier label or name.
pub const MAX_LABEL_CHARS: usize = 60;
/// The fields as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TierForm {
    pub label: String,
    pub name_fr: String,
    pub name_en: String,
    pub name_es: String,
    pub percent: String,
    pub is_default: bool,
    pub caps: Vec<CapRow>,
    /// Product id → price as typed.
    pub overrides: BTreeMap<i64, String>,
}

impl TierForm {
    /// An empty form with room for a few caps.
    pub fn blank() -> TierForm {
        TierForm {
            caps: vec![CapRow::default(); 3],
            ..TierForm::default()
        }
    }

    /// Reads the body's name/value pairs (unknown names ignored, the CSRF token among them).
    pub fn from_pairs(pairs: &[(String, String)]) -> TierForm {
        let mut form = TierForm::default();
        let mut caps: BTreeMap<usize, CapRow> = BTreeMap::new();
        for (name, value) in pairs {
            let value = value.clone();
            match name.as_str() {
                "label" => form.label = value,
                "name_fr" => form.name_fr = value,
                "name_en" => form.name_en = value,
                "name_es" => form.name_es = value,
                "percent" => form.percent = value,
                "is_default" => form.is_default = true,
                _ => read_list_field(name, value, &mut caps, &mut form.overrides),
            }
        }
        form.caps = caps.into_values().take(MAX_CAPS + 1).collect();
        form
    }

    /// The form filled with a stored tier, amounts written for `lang`.
    pub fn from_entry(entry: &TierEntry, lang: Lang) -> TierForm {
        let tier = &entry.tier;
        let name = |l| entry.names.get(&l).cloned().unwrap_or_default();
        let caps = rows_for(&tier.caps, lang);
        TierForm {
            label: tier.label.clone(),
            name_fr: name(Locale::FrCa),
            name_en: name(Locale::EnCa),
            name_es: name(Locale::Es),
            percent: tier.percent.to_string(),
            is_default: tier.is_default,
            caps,
            overrides: tier
                .overrides
                .iter()
                .map(|o| (o.product.0, money_input(lang, o.price)))
                .collect(),
        }
    }

    /// The override typed for a product (empty when none).
    pub fn override_for(&self, product: &i64) -> &str {
        self.overrides.get(product).map_or("", String::as_str)
    }

    /// The tier the form describes (id 0), or every problem found. Overrides may only name
    /// products of `products`.
    pub fn validate(&self, lang: Lang, products: &[Product]) -> Result<TierEntry, FieldErrors> {
        let mut errors = FieldErrors::new(lang);
        let label = self.label.trim();
        if label.is_empty() || label.chars().count() > MAX_LABEL_CHARS {
            errors.add("label", "hub-tiers-error-label");
        }
        let names = self.names(&mut errors);
        let percent = self
            .percent
            .trim()
            .trim_end_matches('%')
            .trim()
            .parse::<u32>()
            .ok();
        let percent = percent.filter(|p| *p <= 100);
        if percent.is_none() {
            errors.add("percent", "hub-tiers-error-percent");
        }
        let caps = parse_caps(
            &self.caps,
            &mut errors,
            "hub-tiers-error-cap",
            "hub-tiers-error-caps-many",
        );
        let overrides = self.parse_overrides(products, &mut errors);
        match (percent, errors.is_empty()) {
            (Some(percent), true) => Ok(TierEntry {
                tier: Tier {
                    id: TierId(0),
                    label: label.to_owned(),
                    percent,
                    overrides,
                    caps,
                    is_default: self.is_default,
                },
                names,
            }),
            _ => Err(errors),
        }
    }

    fn names(&self, errors: &mut FieldErrors) -> BTreeMap<Locale, String> {
        let typed = [&*self.name_fr, &*self.name_en, &*self.name_es];
        read_names(typed, MAX_LABEL_CHARS, "hub-tiers-error-name", errors)
    }

    fn parse_overrides(
        &self,
        products: &[Product],
        errors: &mut FieldErrors,
    ) -> Vec<PriceOverride> {
        let mut overrides = Vec::new();
        for (id, text) in self.overrides.iter().filter(|(_, t)| !t.trim().is_empty()) {
            let Some(product) = products.iter().find(|p| p.id.0 == *id) else {
                errors.add("overrides", "hub-tiers-error-override-product");
                continue;
            };
            match Money::parse(text) {
                Ok(price) if !price.is_negative() && price.cents() <= MAX_INPUT_CENTS => overrides
                    .push(PriceOverride {
                        product: ProductId(*id),
                        price,
                    }),
                _ => {
                    let name = product.name(Locale::FrCa).to_owned();
                    errors.add_with(
                        &format!("override_{id}"),
                        "hub-tiers-error-override",
                        &[("product", name.into())],
                    );
                }
            }
        }
        overrides
    }
}

/// Sorts a list field (`cap_period_1`, `override_12`…) into its row.
fn read_list_field(
    name: &str,
    value: String,
    caps: &mut BTreeMap<usize, CapRow>,
    overrides: &mut BTreeMap<i64, String>,
) {
    if read_cap_field(name, &value, caps) {
        return;
    }
    if let Some(id) = name
        .strip_prefix("override_")
        .and_then(|s| s.parse::<i64>().ok())
    {
        overrides.insert(id, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::product::TaxRate;
    use crate::hub::web::form::pairs;

    fn products() -> Vec<Product> {
        vec![Product {
            id: ProductId(7),
            barcodes: vec![],
            internal_code: None,
            names: BTreeMap::from([(Locale::FrCa, "Carottes".to_owned())]),
            pictogram: "carrot".into(),
            net_weight_g: 500,
            full_price: Money::from_cents(425),
            tax_rate: TaxRate::ZERO_RATED,
            active: true,
            photo: None,
        }]
    }

    #[test]
    fn a_good_form_becomes_a_tier_and_round_trips() {
        let form = TierForm::from_pairs(&pairs(&[
            ("csrf", "x"),
            ("label", " Tarif A "),
            ("name_fr", "Tarif solidaire A"),
            ("name_en", "Solidarity rate A"),
            ("percent", "30"),
            ("cap_period_0", "week"),
            ("cap_kind_0", "amount"),
            ("cap_value_0", "25,00"),
            ("cap_period_1", "month"),
            ("cap_kind_1", "items"),
            ("cap_value_1", "40"),
            ("cap_period_2", "week"),
            ("cap_kind_2", "items"),
            ("cap_value_2", ""),
            ("override_7", "1,00"),
        ]));
        let entry = form.validate(Lang::FrCa, &products()).expect("valid");
        assert_eq!(entry.tier.label, "Tarif A");
        assert_eq!(entry.tier.percent, 30);
        assert_eq!(entry.tier.caps.len(), 2);
        assert_eq!(entry.tier.overrides[0].price, Money::from_cents(100));
        assert_eq!(entry.names.len(), 2);
        let again = TierForm::from_entry(&entry, Lang::EnCa);
        assert_eq!(
            again.validate(Lang::EnCa, &products()).expect("round trip"),
            entry
        );
    }

    #[test]
    fn every_wrong_field_gets_its_own_message() {
        let form = TierForm::from_pairs(&pairs(&[
            ("label", ""),
            ("percent", "150"),
            ("cap_period_0", "year"),
            ("cap_kind_0", "amount"),
            ("cap_value_0", "5"),
            ("cap_period_1", "week"),
            ("cap_kind_1", "items"),
            ("cap_value_1", "-2"),
            ("override_7", "cheap"),
            ("override_99", "1"),
            ("name_es", &"x".repeat(61)),
        ]));
        let errors = form.validate(Lang::FrCa, &products()).unwrap_err();
        for field in [
            "label",
            "percent",
            "cap_0",
            "cap_1",
            "override_7",
            "overrides",
            "name_es",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert!(errors.get("override_7").unwrap().contains("Carottes"));
    }
}
