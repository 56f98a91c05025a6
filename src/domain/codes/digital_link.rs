//! GS1 Digital Link URIs: a GTIN, lot and dates written as a web address in a QR code.
//!
//! New packaging moves from linear barcodes to QR codes that a phone can open and a till can still
//! read: `https://example.org/01/09506000134352/10/LOT7?15=270315`. Any host is accepted (the host
//! belongs to whoever printed the label); the path holds the GTIN and its qualifiers, the query
//! string holds the other AIs as numbers.

use thiserror::Error;
use url::Url;

use super::ScannedLot;
use super::gs1::{self, Gs1Error};
use super::gtin::Gtin;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DigitalLinkError {
    #[error("not a web address: {0}")]
    NotAUri(String),
    #[error("a GS1 Digital Link is an http or https address")]
    WrongScheme,
    #[error("the address names no product: there is no /01/<GTIN> in its path")]
    NoGtin,
    #[error("the address path /{0}/ is missing its value")]
    MissingValue(String),
    #[error("{0}")]
    Gs1(#[from] Gs1Error),
}

/// Whether `text` looks like a web address, so that a wrong one is reported as such.
pub fn looks_like_uri(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Reads the GTIN and lot data out of a Digital Link URI.
pub fn decode(text: &str) -> Result<(Gtin, ScannedLot), DigitalLinkError> {
    let url = Url::parse(text).map_err(|e| DigitalLinkError::NotAUri(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(DigitalLinkError::WrongScheme);
    }
    let mut pairs = path_pairs(&url)?;
    for (key, value) in url.query_pairs() {
        // Non-numeric keys (linkType, context…) are for web resolvers, not for a till.
        if key.bytes().all(|b| b.is_ascii_digit()) {
            gs1::check_pair(&key, &value)?;
            pairs.push((key.into_owned(), value.into_owned()));
        }
    }
    Ok(gs1::interpret(&pairs)?)
}

/// The AI pairs of the path, starting at the `01` segment (segments before it are the label
/// printer's own prefix and are ignored).
fn path_pairs(url: &Url) -> Result<Vec<(String, String)>, DigitalLinkError> {
    let segments: Vec<String> = url
        .path_segments()
        .map(|s| s.map(percent_decode).collect())
        .unwrap_or_default();
    let start = segments
        .iter()
        .position(|s| s == "01" || s == "gtin")
        .ok_or(DigitalLinkError::NoGtin)?;
    let mut pairs = Vec::new();
    let mut rest = segments[start..].iter().filter(|s| !s.is_empty());
    while let Some(key) = rest.next() {
        let ai = if key == "gtin" { "01" } else { key.as_str() };
        let value = rest
            .next()
            .ok_or_else(|| DigitalLinkError::MissingValue(key.clone()))?;
        let value = if ai == "01" {
            pad_gtin(value)
        } else {
            value.clone()
        };
        gs1::check_pair(ai, &value)?;
        pairs.push((ai.to_owned(), value));
    }
    Ok(pairs)
}

/// A Digital Link may carry a GTIN-8, -12 or -13; the AI (01) form has 14 digits.
fn pad_gtin(value: &str) -> String {
    if matches!(value.len(), 8 | 12 | 13) {
        format!("{value:0>14}")
    } else {
        value.to_owned()
    }
}

fn percent_decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rstest::rstest;

    #[test]
    fn full_link_with_path_and_query() {
        let (gtin, lot) =
            decode("https://id.example.org/01/09506000134352/10/AB%2D12?15=270315&3103=000500&linkType=all")
                .unwrap();
        assert_eq!(gtin.as_gtin14(), "09506000134352");
        assert_eq!(lot.lot.as_deref(), Some("AB-12"));
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert_eq!(lot.use_by(today), NaiveDate::from_ymd_opt(2027, 3, 15));
        assert_eq!(lot.net_weight_g, Some(500));
    }

    #[rstest]
    #[case("https://example.com/shop/x/01/9506000134352")] // prefix path, GTIN-13
    #[case("HTTP://EXAMPLE.COM/01/09506000134352/")]
    #[case("https://example.com/gtin/09506000134352")]
    fn variants_name_the_same_product(#[case] text: &str) {
        assert_eq!(decode(text).unwrap().0.as_gtin14(), "09506000134352");
    }

    #[rstest]
    #[case("https://example.com/10/LOT", DigitalLinkError::NoGtin)]
    #[case("https://example.com/01", DigitalLinkError::MissingValue("01".into()))]
    #[case("ftp://example.com/01/09506000134352", DigitalLinkError::WrongScheme)]
    fn refusals(#[case] text: &str, #[case] error: DigitalLinkError) {
        assert_eq!(decode(text), Err(error));
    }

    #[test]
    fn a_wrong_check_digit_is_refused() {
        assert!(matches!(
            decode("https://example.com/01/09506000134353"),
            Err(DigitalLinkError::Gs1(Gs1Error::Gtin(_)))
        ));
    }

    #[test]
    fn an_unknown_numeric_query_key_is_refused() {
        assert!(matches!(
            decode("https://example.com/01/09506000134352?77=1"),
            Err(DigitalLinkError::Gs1(Gs1Error::UnknownAi(_)))
        ));
    }
}
