//! From raw scanner text to what it means: one entry point, [`decode`].
//!
//! A kiosk's scanner sends whatever is printed on what is held in front of it: a retail barcode, the
//! collective's GS1 labels (as element strings or Digital Link QR codes), its internal product codes,
//! or a Congélo card, badge, enrolment or voucher code. Every input, however broken, gets a typed
//! answer; anything else is an [`DecodeError`] saying what is wrong, never a panic.

mod digital_link;
mod gs1;
mod gtin;
mod payload;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use digital_link::DigitalLinkError;
pub use gs1::{GS, Gs1Date, Gs1Error};
pub use gtin::{Gtin, GtinError, GtinFormat, check_digit};
pub use payload::{PAYLOAD_LEN, Payload, PayloadError, PayloadKind, SECRET_BYTES, Secret};

/// Longest text a scan may hold; a 2D code of food data is far shorter.
pub const MAX_SCAN_LEN: usize = 512;
/// Prefix of the collective's internal product codes, for packs without a GTIN.
pub const INTERNAL_PREFIX: &str = "CGP";
const MAX_INTERNAL_LEN: usize = 12;

/// What a scan means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scan {
    /// A pack of food.
    Product(ProductScan),
    /// A Congélo card, badge, enrolment or voucher code.
    Payload(Payload),
}

/// The key to look a product up by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductKey {
    Gtin(Gtin),
    Internal(String),
}

/// How a product code was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeFormat {
    Ean13,
    UpcA,
    Ean8,
    Gtin14,
    Gs1ElementString,
    Gs1DigitalLink,
    Internal,
}

/// Lot data a GS1 code may carry. Dates are as printed (YYMMDD): their century depends on the
/// day the code is read, so [`Gs1Date::resolve`] (or [`ScannedLot::use_by`]) takes that day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScannedLot {
    /// AI (10).
    pub lot: Option<String>,
    /// AI (11), production (packing) date.
    pub produced_on: Option<Gs1Date>,
    /// AI (15).
    pub best_before: Option<Gs1Date>,
    /// AI (17).
    pub expires_on: Option<Gs1Date>,
    /// AI (310n), converted to grams.
    pub net_weight_g: Option<u32>,
}

impl ScannedLot {
    /// The date to sell by, read on `today`: best before (15), else the expiry (17).
    pub fn use_by(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.best_before
            .or(self.expires_on)
            .and_then(|date| date.resolve(today))
    }

    /// The production date (11), read on `today`.
    pub fn produced(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.produced_on.and_then(|date| date.resolve(today))
    }
}

/// A scanned pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductScan {
    pub key: ProductKey,
    pub format: CodeFormat,
    /// The symbology identifier the scanner prefixed (`]C1`, `]Q3`…), if any.
    pub symbology: Option<String>,
    pub lot: ScannedLot,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    #[error("the scan is empty")]
    Empty,
    #[error("the scan is too long ({0} characters)")]
    TooLong(usize),
    #[error("the scan holds a control character")]
    ControlCharacter,
    #[error("not a code this kiosk knows")]
    Unrecognised,
    #[error("barcode: {0}")]
    Gtin(#[from] GtinError),
    #[error("GS1 code: {0}")]
    Gs1(#[from] Gs1Error),
    #[error("GS1 Digital Link: {0}")]
    DigitalLink(#[from] DigitalLinkError),
    #[error("Congélo code: {0}")]
    Payload(#[from] PayloadError),
    #[error("an internal product code is CGP and 1 to {MAX_INTERNAL_LEN} letters or digits")]
    BadInternalCode,
}

/// Symbology identifiers (ISO/IEC 15424) that announce GS1 element strings.
const GS1_SYMBOLOGIES: [&str; 5] = ["]C1", "]e0", "]d2", "]Q3", "]J1"];

/// Decodes raw scanner text. Trailing CR/LF and surrounding spaces are ignored.
pub fn decode(raw: &str) -> Result<Scan, DecodeError> {
    let text = raw.trim_matches(|c: char| c == '\r' || c == '\n' || c == ' ');
    if text.is_empty() {
        return Err(DecodeError::Empty);
    }
    if text.chars().count() > MAX_SCAN_LEN {
        return Err(DecodeError::TooLong(text.chars().count()));
    }
    if text.chars().any(|c| c.is_control() && c != GS) {
        return Err(DecodeError::ControlCharacter);
    }
    let (symbology, body) = split_symbology(text)?;
    if symbology.is_some_and(|s| GS1_SYMBOLOGIES.contains(&s))
        && !digital_link::looks_like_uri(body)
    {
        return element_string(body, symbology);
    }
    decode_body(body, symbology)
}

fn decode_body(body: &str, symbology: Option<&str>) -> Result<Scan, DecodeError> {
    if body.contains(GS) {
        return element_string(body, symbology);
    }
    if digital_link::looks_like_uri(body) {
        let (gtin, lot) = digital_link::decode(body)?;
        return Ok(product(
            ProductKey::Gtin(gtin),
            CodeFormat::Gs1DigitalLink,
            symbology,
            lot,
        ));
    }
    if body.starts_with('(') {
        let (gtin, lot) = gs1::interpret(&gs1::split_bracketed(body)?)?;
        return Ok(product(
            ProductKey::Gtin(gtin),
            CodeFormat::Gs1ElementString,
            symbology,
            lot,
        ));
    }
    if body
        .get(..2)
        .is_some_and(|p| p.eq_ignore_ascii_case(payload::PREFIX))
    {
        return congelo_code(body, symbology);
    }
    if body.starts_with(|c: char| c.is_ascii_digit()) {
        return digits(body, symbology);
    }
    Err(DecodeError::Unrecognised)
}

/// Splits a leading `]Xm` symbology identifier.
fn split_symbology(text: &str) -> Result<(Option<&str>, &str), DecodeError> {
    if !text.starts_with(']') {
        return Ok((None, text));
    }
    match (text.get(..3), text.get(3..)) {
        (Some(id), Some(rest)) if id[1..].chars().all(|c| c.is_ascii_alphanumeric()) => {
            if rest.is_empty() {
                return Err(DecodeError::Empty);
            }
            Ok((Some(id), rest))
        }
        _ => Err(DecodeError::Unrecognised),
    }
}

fn element_string(body: &str, symbology: Option<&str>) -> Result<Scan, DecodeError> {
    let pairs = if body.starts_with('(') {
        gs1::split_bracketed(body)?
    } else {
        gs1::split_element_string(body)?
    };
    let (gtin, lot) = gs1::interpret(&pairs)?;
    Ok(product(
        ProductKey::Gtin(gtin),
        CodeFormat::Gs1ElementString,
        symbology,
        lot,
    ))
}

/// Text starting with a digit: a retail barcode, or a GS1 element string sent without its
/// symbology identifier (GS1 data is longer than any GTIN).
fn digits(body: &str, symbology: Option<&str>) -> Result<Scan, DecodeError> {
    let all_digits = body.bytes().all(|b| b.is_ascii_digit());
    match body.len() {
        n if n > 16 => element_string(body, symbology),
        _ if !all_digits => Err(DecodeError::Unrecognised),
        8 | 12 | 13 | 14 => {
            let (gtin, format) = Gtin::parse(body)?;
            let format = match format {
                GtinFormat::Ean8 => CodeFormat::Ean8,
                GtinFormat::UpcA => CodeFormat::UpcA,
                GtinFormat::Ean13 => CodeFormat::Ean13,
                GtinFormat::Gtin14 => CodeFormat::Gtin14,
            };
            Ok(product(
                ProductKey::Gtin(gtin),
                format,
                symbology,
                ScannedLot::default(),
            ))
        }
        n => Err(GtinError::BadLength(n).into()),
    }
}

fn congelo_code(body: &str, symbology: Option<&str>) -> Result<Scan, DecodeError> {
    let is_internal = body
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case(INTERNAL_PREFIX));
    if !is_internal {
        return Ok(Scan::Payload(Payload::decode(body)?));
    }
    let code = body[3..].to_ascii_uppercase();
    let valid = !code.is_empty()
        && code.len() <= MAX_INTERNAL_LEN
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !valid {
        return Err(DecodeError::BadInternalCode);
    }
    let key = ProductKey::Internal(format!("{INTERNAL_PREFIX}{code}"));
    Ok(product(
        key,
        CodeFormat::Internal,
        symbology,
        ScannedLot::default(),
    ))
}

fn product(key: ProductKey, format: CodeFormat, symbology: Option<&str>, lot: ScannedLot) -> Scan {
    Scan::Product(ProductScan {
        key,
        format,
        symbology: symbology.map(str::to_owned),
        lot,
    })
}

#[cfg(test)]
mod tests;
