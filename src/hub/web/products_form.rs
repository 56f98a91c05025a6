//! The product form: what staff type, checked field by field into a [`Product`].
//!
//! Pure (no storage): every field gets its own message in the reader's language, barcodes are
//! GTINs with a verified check digit (`domain::codes`), the internal code follows the kiosk's
//! `CGP…` rule, amounts parse the way people write them in French or English.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::assets::is_pictogram;
use super::form::{FieldErrors, read_names};
use super::i18n::{Lang, money_input};
use crate::domain::ProductId;
use crate::domain::codes::{self, Gtin, ProductKey, Scan};
use crate::domain::money::{MAX_INPUT_CENTS, Money};
use crate::domain::product::{Locale, MAX_NET_WEIGHT_G, Product, TaxRate};

/// Most barcodes one product may carry.
pub const MAX_BARCODES: usize = 20;
/// Longest product name.
pub const MAX_NAME_CHARS: usize = 100;

/// The fields as typed (every one a string, so a missing field is a message, not a 400).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    pub barcodes: String,
    pub internal_code: String,
    pub name_fr: String,
    pub name_en: String,
    pub name_es: String,
    pub pictogram: String,
    pub net_weight_g: String,
    pub full_price: String,
    pub tax_rate: String,
    /// Present when the box is ticked.
    pub active: Option<String>,
}

impl ProductForm {
    /// An empty form for a new product (active, zero-rated).
    pub fn blank() -> ProductForm {
        ProductForm {
            tax_rate: "0".into(),
            active: Some("1".into()),
            ..ProductForm::default()
        }
    }

    /// The form filled with a stored product, amounts written for `lang`.
    pub fn from_product(product: &Product, lang: Lang) -> ProductForm {
        let name = |locale| product.names.get(&locale).cloned().unwrap_or_default();
        ProductForm {
            barcodes: product
                .barcodes
                .iter()
                .map(Gtin::as_display)
                .collect::<Vec<_>>()
                .join("\n"),
            internal_code: product.internal_code.clone().unwrap_or_default(),
            name_fr: name(Locale::FrCa),
            name_en: name(Locale::EnCa),
            name_es: name(Locale::Es),
            pictogram: product.pictogram.clone(),
            net_weight_g: product.net_weight_g.to_string(),
            full_price: money_input(lang, product.full_price),
            tax_rate: tax_text(product.tax_rate, lang),
            active: product.active.then(|| "1".into()),
        }
    }

    pub fn is_active(&self) -> bool {
        self.active.is_some()
    }

    /// The product the form describes (id 0: the caller knows which one it is), or every
    /// problem found.
    pub fn validate(&self, lang: Lang) -> Result<Product, FieldErrors> {
        let mut errors = FieldErrors::new(lang);
        let barcodes = parse_barcodes(&self.barcodes, &mut errors);
        let internal_code = parse_internal_code(&self.internal_code, &mut errors);
        let names = self.names(&mut errors);
        if !is_pictogram(self.pictogram.trim()) {
            errors.add("pictogram", "hub-products-error-pictogram");
        }
        let weight = self
            .net_weight_g
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|g| (1..=MAX_NET_WEIGHT_G).contains(g));
        if weight.is_none() {
            errors.add("net_weight_g", "hub-products-error-weight");
        }
        let price = Money::parse(&self.full_price)
            .ok()
            .filter(|m| !m.is_negative() && m.cents() <= MAX_INPUT_CENTS);
        if price.is_none() {
            errors.add("full_price", "hub-products-error-price");
        }
        let tax = parse_tax_rate(&self.tax_rate);
        if tax.is_none() {
            errors.add("tax_rate", "hub-products-error-tax");
        }
        match (weight, price, tax, errors.is_empty()) {
            (Some(net_weight_g), Some(full_price), Some(tax_rate), true) => Ok(Product {
                id: ProductId(0),
                barcodes,
                internal_code,
                names,
                pictogram: self.pictogram.trim().to_owned(),
                net_weight_g,
                full_price,
                tax_rate,
                active: self.is_active(),
                photo: None,
            }),
            _ => Err(errors),
        }
    }

    fn names(&self, errors: &mut FieldErrors) -> BTreeMap<Locale, String> {
        let typed = [&*self.name_fr, &*self.name_en, &*self.name_es];
        let names = read_names(
            typed,
            MAX_NAME_CHARS,
            "hub-products-error-name-long",
            errors,
        );
        if !names.contains_key(&Locale::FrCa) {
            errors.add("name_fr", "hub-products-error-name-fr");
        }
        names
    }
}

/// GTINs separated by spaces, commas, semicolons or lines; each check digit verified.
fn parse_barcodes(text: &str, errors: &mut FieldErrors) -> Vec<Gtin> {
    let mut found: Vec<Gtin> = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        if token.is_empty() {
            continue;
        }
        match Gtin::parse(token) {
            Ok((gtin, _)) if !found.contains(&gtin) => found.push(gtin),
            Ok(_) => {}
            Err(_) => {
                let code: String = token.chars().take(40).collect();
                errors.add_with(
                    "barcodes",
                    "hub-products-error-barcode",
                    &[("code", code.into())],
                );
            }
        }
    }
    if found.len() > MAX_BARCODES {
        errors.add_with(
            "barcodes",
            "hub-products-error-barcodes-many",
            &[("max", MAX_BARCODES.into())],
        );
    }
    found
}

/// The collective's own code (`CGP…`), upper-cased as kiosks look it up; empty is none.
fn parse_internal_code(text: &str, errors: &mut FieldErrors) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match codes::decode(text) {
        Ok(Scan::Product(scan)) => match scan.key {
            ProductKey::Internal(code) => Some(code),
            ProductKey::Gtin(_) => {
                errors.add("internal_code", "hub-products-error-internal");
                None
            }
        },
        _ => {
            errors.add("internal_code", "hub-products-error-internal");
            None
        }
    }
}

/// A tax rate in percent as people write it (`0`, `5`, `14,975`, `14.975 %`), to the
/// thousandth of a percent; at most 100 %.
pub fn parse_tax_rate(text: &str) -> Option<TaxRate> {
    let cleaned: String = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !(fraction.is_empty() || digits(fraction)) {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let fraction: u32 = format!("{fraction:0<3}").parse().ok()?;
    let rate = whole.checked_mul(1000)?.checked_add(fraction)?;
    (rate <= Product::MAX_TAX_RATE).then_some(TaxRate(rate))
}

/// A tax rate as the form shows it: `0`, `14,975` / `14.975`.
pub fn tax_text(rate: TaxRate, lang: Lang) -> String {
    let (whole, fraction) = (rate.0 / 1000, rate.0 % 1000);
    if fraction == 0 {
        return whole.to_string();
    }
    let fraction = format!("{fraction:03}").trim_end_matches('0').to_owned();
    let separator = if lang == Lang::FrCa { ',' } else { '.' };
    format!("{whole}{separator}{fraction}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> ProductForm {
        ProductForm {
            barcodes: "96385074, 4006381333931".into(),
            internal_code: "cgp42".into(),
            name_fr: " Carottes ".into(),
            name_en: "Carrots".into(),
            pictogram: "carrot".into(),
            net_weight_g: "500".into(),
            full_price: "4,25 $".into(),
            tax_rate: "0".into(),
            active: Some("1".into()),
            ..ProductForm::default()
        }
    }

    #[test]
    fn a_good_form_becomes_a_product() {
        let form = ProductForm {
            barcodes: "4006381333931 96385074 4006381333931".into(),
            ..good()
        };
        let product = form.validate(Lang::FrCa).expect("valid");
        assert_eq!(product.barcodes.len(), 2, "duplicates kept once");
        assert_eq!(product.internal_code.as_deref(), Some("CGP42"));
        assert_eq!(product.names[&Locale::FrCa], "Carottes");
        assert!(!product.names.contains_key(&Locale::Es));
        assert_eq!(product.full_price, Money::from_cents(425));
        assert!(product.active);
        let back = ProductForm::from_product(&product, Lang::EnCa);
        assert_eq!(back.full_price, "4.25");
        assert_eq!(back.validate(Lang::EnCa).expect("round trip"), product);
    }

    #[test]
    fn every_wrong_field_gets_its_own_message() {
        let form = ProductForm {
            barcodes: "4006381333932 hello".into(),
            internal_code: "XYZ".into(),
            name_fr: "  ".into(),
            name_en: "x".repeat(101),
            pictogram: "../etc/passwd".into(),
            net_weight_g: "0".into(),
            full_price: "-1".into(),
            tax_rate: "101".into(),
            ..ProductForm::default()
        };
        let errors = form.validate(Lang::EnCa).unwrap_err();
        for field in [
            "barcodes",
            "internal_code",
            "name_fr",
            "name_en",
            "pictogram",
            "net_weight_g",
            "full_price",
            "tax_rate",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert!(errors.get("barcodes").unwrap().contains("4006381333932"));
    }

    #[test]
    fn tax_rates_are_read_to_the_thousandth_of_a_percent() {
        let cases = [
            ("0", Some(0)),
            ("5", Some(5_000)),
            ("14,975", Some(14_975)),
            ("14.975 %", Some(14_975)),
            ("9.5", Some(9_500)),
            ("100", Some(100_000)),
            ("100.001", None),
            ("1.2345", None),
            ("", None),
            ("-1", None),
            ("abc", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_tax_rate(text).map(|t| t.0), expected, "{text}");
        }
        assert_eq!(tax_text(TaxRate(14_975), Lang::FrCa), "14,975");
        assert_eq!(tax_text(TaxRate(9_500), Lang::EnCa), "9.5");
        assert_eq!(tax_text(TaxRate(0), Lang::EnCa), "0");
    }
}
