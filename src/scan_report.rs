//! What `congelo-kiosk decode` prints: a scan's meaning as JSON, without any secret.
//!
//! Staff and developers use it to check a label before printing a thousand of them. For a card,
//! badge or enrolment code only its kind and the SHA-256 a kiosk would store are shown.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::codes::{CodeFormat, Payload, PayloadKind, ProductKey, Scan};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScanReport {
    Product {
        format: CodeFormat,
        #[serde(skip_serializing_if = "Option::is_none")]
        gtin: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        internal_code: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        symbology: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        lot: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        produced_on: Option<NaiveDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        best_before: Option<NaiveDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        expires_on: Option<NaiveDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        net_weight_g: Option<u32>,
    },
    Card {
        sha256: String,
    },
    Badge {
        sha256: String,
    },
    Enrolment {
        sha256: String,
    },
    Voucher {
        sha256: String,
    },
}

impl ScanReport {
    /// What `scan` means, its GS1 dates read on `today` (which decides their century).
    pub fn new(scan: &Scan, today: NaiveDate) -> Self {
        match scan {
            Scan::Product(p) => {
                let (gtin, internal_code) = match &p.key {
                    ProductKey::Gtin(g) => (Some(g.as_gtin14()), None),
                    ProductKey::Internal(code) => (None, Some(code.clone())),
                };
                ScanReport::Product {
                    format: p.format,
                    gtin,
                    internal_code,
                    symbology: p.symbology.clone(),
                    lot: p.lot.lot.clone(),
                    produced_on: p.lot.produced(today),
                    best_before: p.lot.best_before.and_then(|d| d.resolve(today)),
                    expires_on: p.lot.expires_on.and_then(|d| d.resolve(today)),
                    net_weight_g: p.lot.net_weight_g,
                }
            }
            Scan::Payload(payload) => payload_report(payload),
        }
    }
}

fn payload_report(payload: &Payload) -> ScanReport {
    let sha256 = payload.hash().to_hex();
    match payload.kind {
        PayloadKind::Card => ScanReport::Card { sha256 },
        PayloadKind::Badge => ScanReport::Badge { sha256 },
        PayloadKind::Enrolment => ScanReport::Enrolment { sha256 },
        PayloadKind::Voucher => ScanReport::Voucher { sha256 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::codes::decode;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn a_gs1_label_reports_its_lot() {
        let scan = decode("]C10109506000134352\u{1d}10L7\u{1d}15270315\u{1d}17991231").unwrap();
        let json = serde_json::to_value(ScanReport::new(&scan, today())).unwrap();
        assert_eq!(json["kind"], "product");
        assert_eq!(json["format"], "gs1-element-string");
        assert_eq!(json["gtin"], "09506000134352");
        assert_eq!(json["lot"], "L7");
        assert_eq!(json["best_before"], "2027-03-15");
        assert_eq!(json["expires_on"], "1999-12-31");
        assert!(json.get("internal_code").is_none());
    }

    #[test]
    fn a_card_reports_only_its_hash() {
        let card = Payload::new(PayloadKind::Card, [42; 20]);
        let text = card.encode();
        let json =
            serde_json::to_string(&ScanReport::new(&decode(&text).unwrap(), today())).unwrap();
        assert!(json.contains(&card.hash().to_hex()));
        assert!(
            !json.contains(&text[4..20]),
            "the secret must not appear: {json}"
        );
    }
}
