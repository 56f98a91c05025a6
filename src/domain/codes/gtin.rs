//! GTINs: the numbers behind EAN-13, UPC-A, EAN-8 and ITF-14 barcodes.
//!
//! All four are the same number space (GS1 GTIN) padded to 14 digits, so the catalogue stores every
//! barcode in its 14-digit form and a pack scanned as UPC-A finds the product entered as EAN-13.
//! The check digit is always verified: a misread barcode must never sell the wrong product.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// A GTIN normalised to 14 digits (check digit verified).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "hub", schema(value_type = String))]
pub struct Gtin(u64);

/// The barcode family a GTIN was read from, by its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GtinFormat {
    Ean8,
    UpcA,
    Ean13,
    Gtin14,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GtinError {
    #[error("a GTIN has 8, 12, 13 or 14 digits, not {0}")]
    BadLength(usize),
    #[error("a GTIN holds only digits")]
    NotDigits,
    #[error("wrong check digit: the code ends in {found}, it should end in {expected}")]
    BadCheckDigit { expected: u8, found: u8 },
}

/// The GS1 mod-10 check digit of `body` (all digits but the last).
pub fn check_digit(body: &[u8]) -> u8 {
    // Weights alternate 3, 1, … starting from the digit next to the check digit.
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

impl Gtin {
    /// Parses 8, 12, 13 or 14 digits, verifying the check digit.
    pub fn parse(text: &str) -> Result<(Gtin, GtinFormat), GtinError> {
        let format = match text.len() {
            8 => GtinFormat::Ean8,
            12 => GtinFormat::UpcA,
            13 => GtinFormat::Ean13,
            14 => GtinFormat::Gtin14,
            n => return Err(GtinError::BadLength(n)),
        };
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(GtinError::NotDigits);
        }
        let digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
        let (body, found) = digits.split_at(digits.len() - 1);
        let expected = check_digit(body);
        if expected != found[0] {
            return Err(GtinError::BadCheckDigit {
                expected,
                found: found[0],
            });
        }
        let value = digits.iter().fold(0u64, |acc, d| acc * 10 + u64::from(*d));
        Ok((Gtin(value), format))
    }

    /// Builds a valid GTIN-14 from 13 digits of body by appending the check digit. For tests and
    /// demo data, where codes are made rather than read.
    pub fn with_check_digit(body: &str) -> Result<Gtin, GtinError> {
        if !body.bytes().all(|b| b.is_ascii_digit()) {
            return Err(GtinError::NotDigits);
        }
        let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
        let full = format!("{body}{}", check_digit(&digits));
        Gtin::parse(&full).map(|(gtin, _)| gtin)
    }

    /// The 14-digit form stored in the catalogue.
    pub fn as_gtin14(&self) -> String {
        format!("{:014}", self.0)
    }

    /// The shortest conventional form: EAN-8 or UPC-A/EAN-13 when the leading digits are zeros.
    pub fn as_display(&self) -> String {
        let full = self.as_gtin14();
        if let Some(ean8) = full.strip_prefix("000000") {
            ean8.to_owned()
        } else if let Some(ean13) = full.strip_prefix('0') {
            ean13.to_owned()
        } else {
            full
        }
    }
}

impl fmt::Debug for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gtin({})", self.as_gtin14())
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_gtin14())
    }
}

impl FromStr for Gtin {
    type Err = GtinError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Gtin::parse(s).map(|(gtin, _)| gtin)
    }
}

impl Serialize for Gtin {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_gtin14())
    }
}

impl<'de> Deserialize<'de> for Gtin {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[rstest]
    #[case("4006381333931", GtinFormat::Ean13, "04006381333931")]
    #[case("036000291452", GtinFormat::UpcA, "00036000291452")]
    #[case("96385074", GtinFormat::Ean8, "00000096385074")]
    #[case("10614141000415", GtinFormat::Gtin14, "10614141000415")]
    #[case("0036000291452", GtinFormat::Ean13, "00036000291452")]
    fn valid_codes_normalise_to_14_digits(
        #[case] text: &str,
        #[case] format: GtinFormat,
        #[case] gtin14: &str,
    ) {
        let (gtin, found) = Gtin::parse(text).unwrap();
        assert_eq!((found, gtin.as_gtin14().as_str()), (format, gtin14));
    }

    #[test]
    fn upc_a_and_its_ean_13_form_are_the_same_gtin() {
        assert_eq!(
            Gtin::parse("036000291452").unwrap().0,
            "0036000291452".parse().unwrap()
        );
    }

    #[rstest]
    #[case("4006381333932", GtinError::BadCheckDigit { expected: 1, found: 2 })]
    #[case("96385075", GtinError::BadCheckDigit { expected: 4, found: 5 })]
    #[case("1234567", GtinError::BadLength(7))]
    #[case("40063813339a1", GtinError::NotDigits)]
    fn invalid_codes_say_why(#[case] text: &str, #[case] error: GtinError) {
        assert_eq!(Gtin::parse(text).map(|(g, _)| g), Err(error));
    }

    #[test]
    fn display_form_drops_padding() {
        assert_eq!("96385074".parse::<Gtin>().unwrap().as_display(), "96385074");
        assert_eq!(
            "4006381333931".parse::<Gtin>().unwrap().as_display(),
            "4006381333931"
        );
    }

    proptest! {
        #[test]
        fn any_single_digit_error_is_caught(body in "[0-9]{12}", pos in 0usize..13, delta in 1u8..10) {
            let gtin = Gtin::with_check_digit(&body).unwrap();
            let mut digits: Vec<u8> = gtin.as_gtin14()[1..].bytes().collect();
            digits[pos] = b'0' + (digits[pos] - b'0' + delta) % 10;
            let damaged = String::from_utf8(digits).unwrap();
            prop_assert!(Gtin::parse(&damaged).is_err());
        }
    }
}
